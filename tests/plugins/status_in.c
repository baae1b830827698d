/* status_in.c - an input fixture that answers with a chosen status, to
 * test what the run makes of each (docs/plugin-abi.md):
 *   -I fixstatus.status=ok|warn|failed|fatal|segv|abort|hang
 *   -I fixstatus.when=SUBSTRING
 * Streams whose name contains `when` get that status from next(); the
 * others are read as plain text.  NB_WARN still yields the document.
 * segv, abort and hang are a plugin's worst: next() crashes or never
 * returns (for --isolate, tests/cli/hostile.sh). */
#include "nianbao/plugin.h"
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const nb_option_def options[] = {
    {"status", NB_OPT_STRING, "ok", "ok, warn, failed, fatal, segv, abort or hang"},
    {"when", NB_OPT_STRING, "", "only for streams whose name contains this"},
    {0}};

typedef enum fx_doom { FX_NONE, FX_SEGV, FX_ABORT, FX_HANG } fx_doom;

typedef struct fx {
    nb_status status;
    fx_doom doom, pending_doom;
    char *when;
    nb_doc *doc;
    nb_status pending;
} fx;

static nb_status parse_status(const char *s)
{
    return !s || !strcmp(s, "ok")   ? NB_OK
           : !strcmp(s, "warn")     ? NB_WARN
           : !strcmp(s, "failed")   ? NB_FAILED
                                    : NB_FATAL;
}

static nb_status fx_create(const nb_host *h, const nb_options *o, void **inst, nb_error *err)
{
    (void)h;
    fx *x = calloc(1, sizeof *x);
    if (!x || !(x->when = strdup(nb_options_get(o, "when")))) {
        free(x);
        nb_error_set(err, NB_E_INTERNAL, "fixstatus", "out of memory");
        return NB_FATAL;
    }
    const char *st = nb_options_get(o, "status");
    x->status = parse_status(st);
    x->doom = !strcmp(st, "segv") ? FX_SEGV : !strcmp(st, "abort") ? FX_ABORT
              : !strcmp(st, "hang") ? FX_HANG : FX_NONE;
    if (x->doom != FX_NONE)
        x->status = NB_OK;
    *inst = x;
    return NB_OK;
}

static void fx_destroy(void *inst)
{
    fx *x = inst;
    nb_doc_free(x->doc);
    free(x->when);
    free(x);
}

static nb_status fx_open(void *inst, nb_stream *in, nb_error *err)
{
    fx *x = inst;
    nb_doc_free(x->doc);
    x->doc = NULL;
    const char *name = nb_stream_name(in);
    bool hit = name && strstr(name, x->when);
    x->pending = hit ? x->status : NB_OK;
    x->pending_doom = hit ? x->doom : FX_NONE;
    return nb_doc_read_stream(in, NB_SPLIT_TABS, &x->doc, err);
}

static nb_status fx_next(void *inst, nb_item *item, nb_error *err)
{
    fx *x = inst;
    if (!x->doc)
        return NB_EOF;
    if (x->pending_doom == FX_SEGV)
        raise(SIGSEGV);
    if (x->pending_doom == FX_ABORT)
        abort();
    while (x->pending_doom == FX_HANG)
        sleep(1);
    nb_status st = x->pending;
    x->pending = NB_OK;
    if (st != NB_OK)
        nb_error_set(err, NB_E_DATA, NULL, "fixture says %s",
                     st == NB_WARN ? "warn" : st == NB_FAILED ? "failed" : "fatal");
    if (st == NB_OK || st == NB_WARN) {
        nb_item_set_doc(item, x->doc);
        x->doc = NULL;
    }
    return st;
}

static const char *const exts[] = {".fixstatus", NULL};

static const nb_plugin plugin = {
    .abi_version = NB_ABI_VERSION,
    .struct_size = sizeof(nb_plugin),
    .name = "fixstatus",
    .version = "0.0",
    .description = "test fixture: answers with a chosen status",
    .kind = NB_PLUGIN_INPUT,
    .extensions = exts,
    .options = options,
    .create = fx_create,
    .destroy = fx_destroy,
    .open = fx_open,
    .next = fx_next,
};

NB_PLUGIN_EXPORT const nb_plugin *nb_plugin_entry(uint32_t host_abi)
{
    (void)host_abi;
    /* A plugin that crashes while it is being loaded (hostile.sh). */
    if (getenv("NB_FIX_CRASH_ON_LOAD"))
        raise(SIGSEGV);
    return &plugin;
}
