/* status_out.c - an output fixture that answers with chosen statuses:
 *   -O begin=S -O write=S -O failure=S -O end=S   (S: ok|warn|failed|fatal)
 *   -O when=SUBSTRING   write's status only for sources containing it
 * Writes one line per report written: its source path. */
#include "nianbao/plugin.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const nb_option_def options[] = {
    {"begin", NB_OPT_STRING, "ok", "status of begin()"},
    {"write", NB_OPT_STRING, "ok", "status of write()"},
    {"failure", NB_OPT_STRING, "ok", "status of failure()"},
    {"end", NB_OPT_STRING, "ok", "status of end()"},
    {"when", NB_OPT_STRING, "", "write's status only for sources containing this"},
    {0}};

typedef struct fx {
    const nb_options *o;
    FILE *fp;
} fx;

static nb_status answer(const fx *x, const char *call, nb_error *err)
{
    const char *s = nb_options_get(x->o, call);
    nb_status st = !s || !strcmp(s, "ok") ? NB_OK
                   : !strcmp(s, "warn")   ? NB_WARN
                   : !strcmp(s, "failed") ? NB_FAILED
                                          : NB_FATAL;
    if (st != NB_OK)
        nb_error_set(err, NB_E_IO, NULL, "fixture %s says %s", call, s);
    return st;
}

static nb_status fx_create(const nb_host *h, const nb_options *o, void **inst, nb_error *err)
{
    (void)h;
    fx *x = calloc(1, sizeof *x);
    if (!x) {
        nb_error_set(err, NB_E_INTERNAL, "fixstatus", "out of memory");
        return NB_FATAL;
    }
    x->o = o;
    *inst = x;
    return NB_OK;
}

static void fx_destroy(void *inst) { free(inst); }

static nb_status fx_begin(void *inst, nb_sink *out, nb_error *err)
{
    fx *x = inst;
    x->fp = nb_sink_file(out);
    return answer(x, "begin", err);
}

static nb_status fx_write(void *inst, const nb_report *r, nb_error *err)
{
    fx *x = inst;
    const char *src = nb_report_source_path(r);
    if (src && strstr(src, nb_options_get(x->o, "when"))) {
        nb_status st = answer(x, "write", err);
        if (st == NB_FAILED || st == NB_FATAL)
            return st;
        fprintf(x->fp, "%s\n", src);
        return st;
    }
    fprintf(x->fp, "%s\n", src ? src : "");
    return NB_OK;
}

static nb_status fx_failure(void *inst, const nb_failure *f, nb_error *err)
{
    (void)f;
    return answer(inst, "failure", err);
}

static nb_status fx_end(void *inst, const nb_summary *s, nb_error *err)
{
    (void)s;
    return answer(inst, "end", err);
}

static const char *const exts[] = {".fixstatus", NULL};

static const nb_plugin plugin = {
    .abi_version = NB_ABI_VERSION,
    .struct_size = sizeof(nb_plugin),
    .name = "fixstatus",
    .version = "0.0",
    .description = "test fixture: answers with chosen statuses",
    .kind = NB_PLUGIN_OUTPUT,
    .extensions = exts,
    .options = options,
    .create = fx_create,
    .destroy = fx_destroy,
    .begin = fx_begin,
    .write = fx_write,
    .failure = fx_failure,
    .end = fx_end,
};

NB_PLUGIN_EXPORT const nb_plugin *nb_plugin_entry(uint32_t host_abi)
{
    (void)host_abi;
    return &plugin;
}
