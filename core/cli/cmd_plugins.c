/* cmd_plugins.c - `nianbao plugins [show NAME] [--json]`. */
#include "cli.h"
#include <jansson.h>
#include <string.h>

static const char *kind_name(nb_plugin_kind k) { return k == NB_PLUGIN_INPUT ? "input" : "output"; }

static const char usage_text[] = "usage: nianbao plugins [--json] [--plugin-dir DIR] [show NAME]\n";

/* Capability bits by name, for the listings (engineering notes §9). */
static const struct {
    uint32_t bit;
    const char *name;
} cap_names[] = {{NB_CAP_NEEDS_SEEK, "needs-seek"}, {NB_CAP_CONTAINER, "container"},
                 {NB_CAP_BINARY, "binary"},         {NB_CAP_NEEDS_PATH, "needs-path"},
                 {NB_CAP_MULTI, "multi"}};

static void print_exts(FILE *f, const nb_plugin *p)
{
    for (const char *const *e = p->extensions; e && *e; e++)
        fprintf(f, "%s%s", e == p->extensions ? "" : ",", *e);
}

static void show_plugin(const nb_plugin_info *pi)
{
    const nb_plugin *p = pi->plugin;
    printf("%s (%s) %s\n  %s\n  file: %s\n  ABI %u.%u\n  extensions: ", p->name, kind_name(p->kind),
           p->version ? p->version : "", p->description ? p->description : "", pi->path,
           NB_ABI_VERSION_MAJOR(p->abi_version), NB_ABI_VERSION_MINOR(p->abi_version));
    print_exts(stdout, p);
    printf("\n  options:%s\n", p->options && p->options->name ? "" : " none");
    for (const nb_option_def *o = p->options; o && o->name; o++)
        printf("    %-14s %-7s default %-8s %s\n", o->name,
               o->type == NB_OPT_BOOL ? "bool" : o->type == NB_OPT_INT ? "int" : "string",
               o->default_value ? o->default_value : "-", o->help ? o->help : "");
}

static void print_json(nb_context *ctx)
{
    json_t *a = json_array();
    for (size_t i = 0; i < nb_context_plugin_count(ctx); i++) {
        const nb_plugin_info *pi = nb_context_plugin(ctx, i);
        json_t *o = json_object(), *ex = json_array();
        for (const char *const *e = pi->plugin->extensions; e && *e; e++)
            json_array_append_new(ex, json_string(*e));
        json_object_set_new(o, "name", json_string(pi->plugin->name));
        json_object_set_new(o, "kind", json_string(kind_name(pi->plugin->kind)));
        json_object_set_new(o, "version", json_string(pi->plugin->version ? pi->plugin->version : ""));
        json_object_set_new(o, "extensions", ex);
        json_t *caps = json_array();
        for (size_t k = 0; k < sizeof cap_names / sizeof *cap_names; k++)
            if (pi->plugin->caps & cap_names[k].bit)
                json_array_append_new(caps, json_string(cap_names[k].name));
        json_object_set_new(o, "caps", caps);
        json_object_set_new(o, "abi", json_sprintf("%u.%u", NB_ABI_VERSION_MAJOR(pi->plugin->abi_version),
                                                   NB_ABI_VERSION_MINOR(pi->plugin->abi_version)));
        json_object_set_new(o, "description",
                            json_string(pi->plugin->description ? pi->plugin->description : ""));
        json_object_set_new(o, "path", json_string(pi->path));
        json_array_append_new(a, o);
    }
    json_dumpf(a, stdout, JSON_INDENT(2));
    putchar('\n');
    json_decref(a);
}

int cmd_plugins(int argc, char **argv)
{
    cli_common co = {.progress = 0};
    bool json = false;
    const char *show = NULL;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--json") == 0)
            json = true;
        else if (strcmp(argv[i], "show") == 0 && i + 1 < argc)
            show = argv[++i];
        else if (strcmp(argv[i], "--plugin-dir") == 0 && i + 1 < argc)
            co.plugin_path = argv[++i];
        else if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0) {
            fputs(usage_text, stdout);
            return EXIT_OK;
        } else {
            static const char *const known[] = {"--json", "--plugin-dir", "--help", "show"};
            cli_usage_error("plugins", cli_suggest(argv[i], known, 4), "plugins: unexpected argument \"%s\"",
                            argv[i]);
            return EXIT_USAGE;
        }
    }
    int rc = EXIT_OK;
    nb_context *ctx = cli_context(&co, &rc);
    if (!ctx)
        return rc;
    size_t shown = 0;
    if (json)
        print_json(ctx);
    for (size_t i = 0; !json && i < nb_context_plugin_count(ctx); i++) {
        const nb_plugin_info *pi = nb_context_plugin(ctx, i);
        if (show && strcmp(pi->plugin->name, show) != 0)
            continue;
        if (show) {
            show_plugin(pi);
            shown++;
            continue;
        }
        printf("%-9s %-6s %-7s ", pi->plugin->name, kind_name(pi->plugin->kind),
               pi->plugin->version ? pi->plugin->version : "");
        print_exts(stdout, pi->plugin);
        printf("  %s\n", pi->path);
    }
    if (show && !json && !shown) { /* a typo must not look like "no options" */
        const char *names[256];
        size_t n = 0;
        for (size_t i = 0; i < nb_context_plugin_count(ctx) && n < 256; i++)
            names[n++] = nb_context_plugin(ctx, i)->plugin->name;
        cli_usage_error("plugins", cli_suggest(show, names, n), "plugins: no plugin named \"%s\"", show);
        rc = EXIT_USAGE;
    }
    nb_context_free(ctx);
    return rc;
}
