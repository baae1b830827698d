/* run_internal.h - the run's state, shared by run.c (life cycle, output,
 * accounting), run_read.c (readers and containers) and run_walk.c (files
 * and folders). */
#ifndef NB_RUN_INTERNAL_H
#define NB_RUN_INTERNAL_H

#include "context_internal.h"
#include "stream_internal.h"
#include <time.h>

typedef struct nb_jobs nb_jobs;
typedef struct nb_reading nb_reading;
typedef struct nb_window nb_window;

struct nb_run {
    nb_context *ctx;
    nb_run_config cfg;
    nb_limits lim;
    const nb_plugin *out;
    void *out_inst;
    nb_options *out_opts;
    nb_sink *sink;
    nb_xcheck *xcheck;
    nb_window *window;   /* reports held for the next year's evidence (run_window.c) */
    nb_summary sum;
    struct timespec t0;
    bool finished;
    bool hash_sources;   /* false: nothing reads a source's sha256 (run.c) */
    nb_jobs *jobs;       /* -j N workers, NULL: everything on this thread */
    bool jobs_auto;      /* NB_JOBS_AUTO: jobs made at the second input (nb_run_jobs) */
    bool emitted;        /* an input reached the ordered emit point */
    nb_reading *rec;     /* a worker reading one input: its outcomes, kept for the writer */
    const struct nb_run *writer; /* with rec: the run that writes them (its output formats) */
    nb_host host;        /* input plugins' host: their messages come out in input order */
    struct {
        unsigned seconds; /* > 0: each named input is read in a child (run_isolate.c) */
        int fd;           /* in such a child: the pipe to the parent; else -1 */
        uint64_t skip;    /* in a restarted child: top-level items to pass over */
        char *tmpdir;     /* the children's private temp folder (the parent's, owned) */
    } iso;
};

/* The run's workers, NULL: sequential.  Under NB_JOBS_AUTO they are made
 * here when an input arrives after another was emitted (run.c). */
nb_jobs *nb_run_jobs(nb_run *run);
/* Counts a skipped or failed input and tells the callbacks and the output. */
nb_status nb_run_record_failure(nb_run *run, const char *source, bool skipped, const char *reason,
                                nb_error *err);
/* Validates, counts, hands the report to the output and frees it. */
nb_status nb_run_deliver(nb_run *run, nb_report *r, nb_error *err);
/* Where r and the reports chained after it were read from: a later report
 * of the same text (part_line) is "name:LINE", as a reader names an item
 * of a stream.  false: out of memory. */
bool nb_run_set_source(nb_report *r, const char *name, const char *format, const char *encoding,
                       uint64_t bytes, const char *sha256);
/* fn (nb_run_deliver, nb_run_emit_report) of r and the reports chained
 * after it, one by one in order; once one fails the rest are freed. */
nb_status nb_run_hand_on(nb_run *run, nb_report *r, nb_status (*fn)(nb_run *, nb_report *, nb_error *),
                         nb_error *err);
/* The in-order half of the above, on the thread that writes (run.c). */
nb_status nb_run_emit_failure(nb_run *run, const char *source, bool skipped, const char *reason,
                              nb_error *err);
nb_status nb_run_emit_report(nb_run *run, nb_report *r, nb_error *err);
/* run.c: the same, after the hold-back window (counts, writes, frees). */
nb_status nb_run_write_failure(nb_run *run, const char *source, bool skipped, const char *reason,
                               nb_error *err);
nb_status nb_run_write_report(nb_run *run, nb_report *r, nb_error *err);
/* On a worker: the output's text of r made now, kept on r for the writing
 * thread (outputs with format/write_text only). */
void nb_run_format(const nb_run *run, nb_report *r);
/* r changed after it was formatted: its text is dropped (written afresh). */
void nb_run_unformat(nb_report *r);
void nb_run_amend(const nb_run *run, nb_report *r, size_t from);

/* run_window.c: a report with undecided cells the same agency's next year
 * may settle is held (with what follows it) at most this many reports or
 * input bytes; nb_window_flush writes what is held at the run's end. */
#define NB_WINDOW_REPORTS 32
#define NB_WINDOW_BYTES (64u << 20)
nb_status nb_window_flush(nb_run *run, nb_error *err);
void nb_window_free(nb_window *w);

/* run_isolate.c: removes the children's temp folder. */
void nb_iso_free(nb_run *run);

/* run_jobs.c: worker threads (-j N); each call takes the input's place in
 * the output order.  NULL from nb_jobs_new: run sequentially. */
nb_jobs *nb_jobs_new(nb_run *run, int nthreads);
void nb_jobs_free(nb_jobs *j);
nb_status nb_jobs_doc(nb_jobs *j, nb_doc *doc, nb_stream *s, const char *name, const char *format,
                      nb_error *err);
nb_status nb_jobs_report(nb_jobs *j, nb_report *r, nb_error *err);
nb_status nb_jobs_failure(nb_jobs *j, const char *source, bool skipped, const char *reason,
                          nb_error *err);
/* On the writing thread, in an emit: was the input being written worked
 * on by another thread (its reports built there)? */
bool nb_jobs_emitting_foreign(const nb_jobs *j);
/* On the writing thread, in an emit: keeps r, which the writer is done
 * with, for the worker that built it to free when it next takes work;
 * false when that is this thread, or the list is full (free it here).
 * nb_jobs_free frees what is still kept. */
bool nb_jobs_give_back(nb_jobs *j, nb_report *r);
/* Shows a message of the run's thread in input order. */
void nb_jobs_note(nb_jobs *j, const char *plugin, const char *msg);
/* Emits finished inputs in order until at most keep are in flight. */
nb_status nb_jobs_drain(nb_jobs *j, size_t keep, nb_error *err);
/* True when stream s may be read by plugin p on a worker (a small input,
 * a reentrant reader that yields one document) if the workers have room
 * for it (nb_jobs_has_room); then nb_jobs_read reads its bytes here and
 * hands them, with p, to a worker. */
bool nb_jobs_can_read(const nb_run *run, const nb_plugin *p, const nb_stream *s);
/* Whether bytes more input may be held for the workers (J_HELD_PER_THREAD);
 * a refusal is counted (the reading thread then reads the input itself). */
bool nb_jobs_has_room(nb_jobs *j, int64_t bytes);
/* The budget as it stands: input bytes held for the workers, the most that
 * may be, and the inputs refused for lack of room so far.  On the reading
 * thread (tests/unit/test_jobs_budget.c asks it from on_report). */
typedef struct nb_jobs_held {
    size_t held, max, refused;
} nb_jobs_held;
nb_jobs_held nb_jobs_budget(const nb_jobs *j);
nb_status nb_jobs_read(nb_jobs *j, const nb_plugin *p, nb_stream *s, const char *name, int depth,
                       nb_error *err);
/* run_reading.c: one input read on a worker.  take: its bytes, on the
 * reading thread; run: the reader, recogniser and validation, on a worker;
 * emit: its outcomes in order, on the writing thread. */
nb_reading *nb_reading_take(const nb_plugin *p, nb_stream *s, const char *name, int depth,
                            nb_error *err);
void nb_reading_run(nb_reading *rd, const nb_run *run);
nb_status nb_reading_emit(nb_reading *rd, nb_run *run, nb_error *err);
void nb_reading_free(nb_reading *rd);
/* The bytes of the input rd holds (its in-memory copy). */
size_t nb_reading_bytes(const nb_reading *rd);
/* What a worker's reader produces, in order (run->rec set): */
nb_status nb_reading_failure(nb_reading *rd, const char *source, bool skipped, const char *reason,
                             nb_error *err);
nb_status nb_reading_report(nb_reading *rd, nb_report *r, nb_error *err);
void nb_reading_note(nb_reading *rd, const char *plugin, const char *msg);

/* run_status.c: a plugin's status as the run reads it.  NB_WARN shows the
 * message of e (through the host's log, named by e's where or else by
 * source) and becomes NB_OK; a value outside the ladder becomes NB_FATAL;
 * the others are returned as they are. */
nb_status nb_run_plugin_status(nb_run *run, const char *plugin, const char *source, nb_status st,
                               const nb_error *e);
void nb_run_note(nb_run *run, const char *plugin, const char *source, const nb_error *e);
/* Makes run->host the context's host with messages routed through the run. */
void nb_run_host_init(nb_run *run);
/* run_probe.c: the best input plugin for these leading bytes, offered
 * both raw and decoded to UTF-8 (BOM, UTF-16, GB18030); *score its bid. */
const nb_plugin_info *nb_run_probe(const nb_context *c, const unsigned char *head, size_t len,
                                   int *score);
/* Options of input plugin p from the run's "p.key=value" entries. */
nb_options *nb_run_input_options(const nb_run *run, const nb_plugin *p, nb_error *err);
/* Drives input plugin p over s until it is exhausted (run_read.c). */
nb_status nb_run_read_with(nb_run *run, const nb_plugin *p, nb_stream *s, const char *name, int depth,
                           nb_error *err);
/* One stream through the right reader (containers recurse). */
nb_status nb_run_process_stream(nb_run *run, nb_stream *s, const char *name, int depth, bool top,
                                nb_error *err);

#endif
