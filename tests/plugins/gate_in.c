/* gate_in.c - a reentrant text reader whose worker threads wait at a gate,
 * so that a test can fill the -j ring before any worker gets anywhere
 * (tests/unit/test_jobs_budget.c):
 *   -I fixgate.gate=PATH
 * On any thread but the process's main one (the reading thread of a run
 * started from main), open() waits until PATH exists, for at most a
 * minute: a test that never opens the gate fails on its own assertions
 * instead of hanging.  Then, and on the main thread, the stream is read as
 * plain text. */
#include "nianbao/plugin.h"
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static const nb_option_def options[] = {{"gate", NB_OPT_STRING, "", "wait until this file exists (workers)"},
                                        {0}};

typedef struct gate {
    char *path;
    nb_doc *doc;
} gate;

static nb_status gate_create(const nb_host *h, const nb_options *o, void **inst, nb_error *err)
{
    (void)h;
    gate *g = calloc(1, sizeof *g);
    if (!g || !(g->path = strdup(nb_options_get(o, "gate")))) {
        free(g);
        nb_error_set(err, NB_E_INTERNAL, "fixgate", "out of memory");
        return NB_FATAL;
    }
    *inst = g;
    return NB_OK;
}

static void gate_destroy(void *inst)
{
    gate *g = inst;
    nb_doc_free(g->doc);
    free(g->path);
    free(g);
}

static void wait_at_gate(const char *path)
{
    const struct timespec ms = {0, 1000000};
    for (int i = 0; *path && i < 60000 && access(path, F_OK) != 0; i++)
        nanosleep(&ms, NULL);
}

static nb_status gate_open(void *inst, nb_stream *in, nb_error *err)
{
    gate *g = inst;
    nb_doc_free(g->doc);
    g->doc = NULL;
    if (gettid() != getpid())
        wait_at_gate(g->path);
    return nb_doc_read_stream(in, NB_SPLIT_TABS, &g->doc, err);
}

static nb_status gate_next(void *inst, nb_item *item, nb_error *err)
{
    (void)err;
    gate *g = inst;
    if (!g->doc)
        return NB_EOF;
    nb_item_set_doc(item, g->doc);
    g->doc = NULL;
    return NB_OK;
}

static const char *const exts[] = {".fixgate", NULL};

static const nb_plugin plugin = {
    .abi_version = NB_ABI_VERSION,
    .struct_size = sizeof(nb_plugin),
    .name = "fixgate",
    .version = "0.0",
    .description = "test fixture: text whose workers wait at a gate",
    .kind = NB_PLUGIN_INPUT,
    .caps = NB_CAP_REENTRANT,
    .extensions = exts,
    .options = options,
    .create = gate_create,
    .destroy = gate_destroy,
    .open = gate_open,
    .next = gate_next,
};

NB_PLUGIN_EXPORT const nb_plugin *nb_plugin_entry(uint32_t host_abi)
{
    (void)host_abi;
    return &plugin;
}
