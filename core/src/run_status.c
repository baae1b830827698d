/* run_status.c - what a plugin's status means to the run (libarchive's
 * ladder, docs/plugin-abi.md): NB_OK and NB_EOF pass; NB_WARN goes on and
 * shows the plugin's message; NB_FAILED loses that report or member, which
 * is counted and named, and the run goes on; NB_FATAL stops the run. */
#include "run_internal.h"
#include "util.h"
#include <stdio.h>

/* A message for the user, in input order: a worker's waits with its input,
 * the reading thread's with the inputs read before it (-j N). */
static void show(nb_run *run, const char *plugin, const char *msg)
{
    if (run->rec)
        nb_reading_note(run->rec, plugin, msg);
    else if (run->jobs)
        nb_jobs_note(run->jobs, plugin, msg);
    else
        nb_host_log(nb_context_host(run->ctx), plugin, msg);
}

static void host_log(void *ctx, const char *plugin, const char *msg)
{
    show(ctx, plugin, msg);
}

void nb_run_host_init(nb_run *run)
{
    run->host = *nb_context_host(run->ctx);
    run->host.ctx = run;
    run->host.log = host_log;
}

void nb_run_note(nb_run *run, const char *plugin, const char *source, const nb_error *e)
{
    char msg[2 * sizeof e->where + sizeof e->text + 8];
    const char *where = e->where[0] ? e->where : source;
    if (where && *where)
        snprintf(msg, sizeof msg, "%s: %s", where, e->text[0] ? e->text : "warning");
    else
        snprintf(msg, sizeof msg, "%s", e->text[0] ? e->text : "warning");
    show(run, plugin, msg);
}

nb_status nb_run_plugin_status(nb_run *run, const char *plugin, const char *source, nb_status st,
                               const nb_error *e)
{
    if (st == NB_WARN) {
        nb_run_note(run, plugin, source, e);
        return NB_OK;
    }
    if (st == NB_OK || st == NB_EOF || st == NB_FAILED || st == NB_FATAL)
        return st;
    return NB_FATAL; /* a status outside the ladder: the plugin is broken */
}
