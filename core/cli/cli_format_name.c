/* cli_format_name.c - a format name the user typed (-f, -t, a pipeline's
 * output) that no loaded plugin has: why, and what was probably meant. */
#include "cli.h"
#include <stdlib.h>
#include <string.h>
#include <strings.h>

const char **cli_format_names(nb_context *ctx, nb_plugin_kind kind, size_t *n)
{
    size_t all = nb_context_plugin_count(ctx);
    const char **v = calloc(all + 1, sizeof *v);
    *n = 0;
    for (size_t i = 0; v && i < all; i++) {
        const nb_plugin *p = nb_context_plugin(ctx, i)->plugin;
        if (p->kind == kind)
            v[(*n)++] = p->name;
    }
    return v;
}

/* A plugin file for the name that was found but refused (ABI mismatch, no
 * entry point ...): then its reason is the useful message. */
static const nb_load_problem *refused_plugin(nb_context *ctx, nb_plugin_kind kind, const char *name)
{
    char base[256];
    int bl = snprintf(base, sizeof base, "/nianbao-%s-%s.so", kind == NB_PLUGIN_INPUT ? "in" : "out", name);
    const nb_load_problem *pr;
    size_t n = nb_context_load_problems(ctx, &pr);
    for (size_t i = 0; i < n && bl > 0 && (size_t)bl < sizeof base; i++) {
        size_t pl = strlen(pr[i].path);
        if (pl >= (size_t)bl && strcasecmp(pr[i].path + pl - (size_t)bl, base) == 0)
            return &pr[i];
    }
    return NULL;
}

int cli_unknown_format(const char *cmd, nb_context *ctx, nb_plugin_kind kind, const char *name)
{
    const char *what = kind == NB_PLUGIN_INPUT ? "input" : "output";
    const nb_load_problem *pr = refused_plugin(ctx, kind, name);
    if (pr) {
        cli_errorf("%s format \"%s\" is not available: %s: %s", what, name, pr->path, pr->message);
        return EXIT_PLUGIN;
    }
    size_t n;
    const char **names = cli_format_names(ctx, kind, &n);
    cli_usage_error(cmd, names ? cli_suggest(name, names, n) : NULL,
                    "unknown %s format \"%s\" (see: nianbao convert --list-%s-formats)", what, name, what);
    free(names);
    return EXIT_USAGE;
}

/* A key that plugin pi does not declare: a usage error with a suggestion
 * (EXIT_USAGE); -1 when pi has it.  `label` names the plugin as typed. */
static int check_key(const char *cmd, const nb_plugin_info *pi, const char *label, const char *key)
{
    const char *names[64];
    size_t n = 0;
    for (const nb_option_def *d = pi->plugin->options; d && d->name && n < 64; d++)
        names[n++] = d->name;
    for (size_t i = 0; i < n; i++)
        if (strcmp(names[i], key) == 0)
            return -1;
    char valid[512] = "";
    for (size_t i = 0, l = 0; i < n && l < sizeof valid; i++)
        l += (size_t)snprintf(valid + l, sizeof valid - l, "%s%s", i ? ", " : "", names[i]);
    cli_usage_error(cmd, cli_suggest(key, names, n), "%s: unknown option \"%s\"; valid options: %s", label, key,
                    n ? valid : "none");
    return EXIT_USAGE;
}

int cli_check_out_options(const char *cmd, nb_context *ctx, const char *to, const char *const *opts)
{
    const nb_plugin_info *pi = nb_context_find_plugin(ctx, NB_PLUGIN_OUTPUT, to);
    if (!pi || !opts)
        return -1; /* the run reports an unknown format itself */
    for (; *opts; opts++) {
        char key[64];
        snprintf(key, sizeof key, "%.*s", (int)strcspn(*opts, "="), *opts);
        int rc = check_key(cmd, pi, to, key);
        if (rc >= 0)
            return rc;
    }
    return -1;
}

int cli_check_in_options(const char *cmd, nb_context *ctx, const char *const *opts)
{
    for (; opts && *opts; opts++) {
        size_t pl = strcspn(*opts, ".="), kl = strcspn(*opts + pl, "=");
        if ((*opts)[pl] != '.' || kl < 2 || pl >= 64 || kl > 64) {
            cli_usage_error(cmd, NULL, "-I \"%s\": expected PLUGIN.key=value (e.g. archive.name_charset=BIG5)",
                            *opts);
            return EXIT_USAGE;
        }
        char plugin[64], key[64];
        snprintf(plugin, sizeof plugin, "%.*s", (int)pl, *opts);
        snprintf(key, sizeof key, "%.*s", (int)(kl - 1), *opts + pl + 1);
        const nb_plugin_info *pi = nb_context_find_plugin(ctx, NB_PLUGIN_INPUT, plugin);
        if (!pi)
            return cli_unknown_format(cmd, ctx, NB_PLUGIN_INPUT, plugin);
        int rc = check_key(cmd, pi, plugin, key);
        if (rc >= 0)
            return rc;
    }
    return -1;
}
