/* plugin_manifest.c - writes the manifest beside a built plugin:
 * `nianbao_manifest PLUGIN.so` -> PLUGIN.so.manifest.
 *
 * The manifest holds what the host needs to list a plugin and to choose it
 * (name, kind, extensions, options, capabilities, whether it probes) so that
 * the host opens the .so, and the libraries it links, only when its format
 * is needed (core/src/loader_manifest.c reads it; docs/performance.md).
 * A plugin that cannot be opened here gets no manifest and is loaded the old
 * way, at start-up: a missing manifest costs time, never correctness.
 * Linked to libnianbao (the version in the message is the use that keeps
 * the link under --as-needed): a plugin has no RUNPATH of its own and
 * finds libnianbao already loaded, here as in the host. */
#include "nianbao/nianbao.h"
#include "nianbao/plugin.h"
#include <dlfcn.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static json_t *str_or_null(const char *s) { return s ? json_string(s) : json_null(); }

static json_t *options_json(const nb_option_def *d)
{
    json_t *a = json_array();
    for (; d && d->name; d++) {
        json_t *o = json_object();
        json_object_set_new(o, "name", json_string(d->name));
        json_object_set_new(o, "type", json_integer(d->type));
        json_object_set_new(o, "default", str_or_null(d->default_value));
        json_object_set_new(o, "help", str_or_null(d->help));
        json_array_append_new(a, o);
    }
    return a;
}

static json_t *manifest_json(const nb_plugin *p, long long so_size)
{
    json_t *m = json_object(), *ext = json_array();
    for (const char *const *e = p->extensions; e && *e; e++)
        json_array_append_new(ext, json_string(*e));
    json_object_set_new(m, "schema", json_string("nianbao.plugin-manifest/1"));
    json_object_set_new(m, "file_size", json_integer(so_size));
    json_object_set_new(m, "abi_version", json_integer(p->abi_version));
    json_object_set_new(m, "struct_size", json_integer(p->struct_size));
    json_object_set_new(m, "name", str_or_null(p->name));
    json_object_set_new(m, "version", str_or_null(p->version));
    json_object_set_new(m, "description", str_or_null(p->description));
    json_object_set_new(m, "kind", json_integer(p->kind));
    json_object_set_new(m, "caps", json_integer(p->caps));
    json_object_set_new(m, "extensions", ext);
    json_object_set_new(m, "options", options_json(p->options));
    json_object_set_new(m, "probe", json_boolean(p->probe != NULL));
    return m;
}

/* Written to a temp file and renamed: a reader never sees half a manifest. */
static int write_atomically(json_t *m, const char *target)
{
    size_t n = strlen(target) + 8;
    char *tmp = malloc(n);
    if (!tmp)
        return 1;
    snprintf(tmp, n, "%s.tmp", target);
    int rc = json_dump_file(m, tmp, JSON_INDENT(1) | JSON_SORT_KEYS) != 0 || rename(tmp, target) != 0;
    if (rc)
        remove(tmp);
    free(tmp);
    return rc;
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: nianbao_manifest PLUGIN.so\n");
        return 2;
    }
    char target[4096];
    if (snprintf(target, sizeof target, "%s.manifest", argv[1]) >= (int)sizeof target)
        return 2;
    remove(target); /* never leave a stale one behind */
    struct stat st;
    void *h = stat(argv[1], &st) == 0 ? dlopen(argv[1], RTLD_NOW | RTLD_LOCAL) : NULL;
    nb_plugin_entry_fn entry = NULL;
    if (h)
        *(void **)&entry = dlsym(h, NB_PLUGIN_ENTRY_SYMBOL);
    const nb_plugin *p = entry ? entry(NB_ABI_VERSION) : NULL;
    if (!p) {
        const char *why = h ? "no descriptor" : dlerror();
        fprintf(stderr, "nianbao_manifest (nianbao %s): %s: no manifest (%s); it will load at start-up\n",
                nb_version(), argv[1], why ? why : "cannot open");
        if (h)
            dlclose(h);
        return 0;
    }
    json_t *m = manifest_json(p, (long long)st.st_size);
    int rc = write_atomically(m, target);
    json_decref(m);
    if (rc)
        fprintf(stderr, "nianbao_manifest: cannot write %s\n", target);
    dlclose(h);
    return rc;
}
