/* hash_probe.c - an output fixture that declares NB_CAP_NO_SOURCE_HASH
 * and then reads the hash anyway, to see whether the host computed it:
 * one line per report, its source path, a tab and its source.sha256
 * ("" when the host hashed nothing, as it should for such an output). */
#include "nianbao/plugin.h"
#include <stdio.h>
#include <stdlib.h>

typedef struct hp {
    FILE *fp;
} hp;

static nb_status hp_create(const nb_host *h, const nb_options *o, void **inst, nb_error *err)
{
    (void)h;
    (void)o;
    if (!(*inst = calloc(1, sizeof(hp)))) {
        nb_error_set(err, NB_E_INTERNAL, "fixhash", "out of memory");
        return NB_FATAL;
    }
    return NB_OK;
}

static void hp_destroy(void *inst) { free(inst); }

static nb_status hp_begin(void *inst, nb_sink *out, nb_error *err)
{
    (void)err;
    ((hp *)inst)->fp = nb_sink_file(out);
    return NB_OK;
}

static nb_status hp_write(void *inst, const nb_report *r, nb_error *err)
{
    (void)err;
    const char *src = nb_report_source_path(r), *sha = nb_report_source_sha256(r);
    fprintf(((hp *)inst)->fp, "%s\t%s\n", src ? src : "", sha ? sha : "");
    return NB_OK;
}

static nb_status hp_failure(void *inst, const nb_failure *f, nb_error *err)
{
    (void)inst;
    (void)f;
    (void)err;
    return NB_OK;
}

static nb_status hp_end(void *inst, const nb_summary *s, nb_error *err)
{
    (void)inst;
    (void)s;
    (void)err;
    return NB_OK;
}

static const char *const exts[] = {".fixhash", NULL};

static const nb_plugin plugin = {
    .abi_version = NB_ABI_VERSION,
    .struct_size = sizeof(nb_plugin),
    .name = "fixhash",
    .version = "0.0",
    .description = "test fixture: prints the source hash it was told it would not need",
    .kind = NB_PLUGIN_OUTPUT,
    .caps = NB_CAP_NO_SOURCE_HASH,
    .extensions = exts,
    .create = hp_create,
    .destroy = hp_destroy,
    .begin = hp_begin,
    .write = hp_write,
    .failure = hp_failure,
    .end = hp_end,
};

NB_PLUGIN_EXPORT const nb_plugin *nb_plugin_entry(uint32_t host_abi)
{
    (void)host_abi;
    return &plugin;
}
