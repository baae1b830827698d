/* run_isolate.h - reading named inputs in child processes (opt-in with
 * nb_run_set_isolation): a reader that crashes or hangs fails the input or
 * member it was reading, and the run goes on.  run_isolate.c is the
 * parent's side, run_isolate_child.c the child's. */
#ifndef NB_RUN_ISOLATE_H
#define NB_RUN_ISOLATE_H

#include "run_internal.h"

/* Message types of the pipe from the child to the parent. */
enum {
    NB_ISO_REPORT = 'R',  /* a report, nianbao JSON with provenance */
    NB_ISO_FAILURE = 'F', /* "s"|"f", source, reason */
    NB_ISO_START = 'S',   /* depth, plugin, stream name: a reader starts */
    NB_ISO_END = 'E',     /* depth: that reader is done */
    NB_ISO_ITEM = 'I',    /* the top-level reader's item was handled */
    NB_ISO_DONE = 'D'     /* "status class", where, text: the child ends */
};

/* Parent: reads the file (or spooled stdin) s in a child process. */
nb_status nb_run_isolated(nb_run *run, nb_stream *s, const char *name, bool top, nb_error *err);

/* Child: outcomes and notes go to the parent (run->iso.fd >= 0). */
nb_status nb_iso_send_report(nb_run *run, nb_report *r, nb_error *err);
nb_status nb_iso_send_failure(nb_run *run, const char *source, bool skipped, const char *reason,
                              nb_error *err);
void nb_iso_note_start(nb_run *run, int depth, const char *plugin, const char *name);
void nb_iso_note_end(nb_run *run, int depth);
void nb_iso_note_item(nb_run *run, int depth);
/* True while a restarted child passes over the items its predecessors
 * handled (the item's document or report is freed). */
bool nb_iso_skip_item(nb_run *run, int depth, nb_item *it);
void nb_iso_send_done(nb_run *run, nb_status st, const nb_error *e);

#endif
