/* run_reading.c - -j N: one input read on a worker thread.
 *
 * The reading thread takes the input's bytes (a small file or archive
 * member) and hands them, with the reader chosen for them, to a worker.
 * The worker runs the reader over an in-memory copy that ends as the
 * original did (at its end, or with the same read error), recognises and
 * validates what it yields, and keeps every outcome — report, failure,
 * plugin message — in order.  The writing thread replays them, so the
 * output, the messages and the accounting are those of a sequential run.
 * Decoding, HTML parsing and splitting then run in parallel too. */
#include "run_internal.h"
#include "nianbao/recognise.h"
#include "util.h"
#include <stdlib.h>
#include <string.h>

/* Larger inputs stay on the reading thread, as do inputs once the bytes
 * held for the workers reach their budget (run_jobs.c, J_HELD_PER_THREAD). */
#define READ_ON_WORKER_MAX (1u << 20)

typedef enum o_kind { O_REPORT, O_FAILURE, O_NOTE } o_kind;

typedef struct outcome {
    o_kind kind;
    nb_report *report; /* O_REPORT */
    char *source;      /* O_FAILURE: the input; O_NOTE: the plugin */
    char *text;        /* O_FAILURE: the reason; O_NOTE: the message */
    bool skipped;
} outcome;

struct nb_reading {
    const nb_plugin *plugin;
    char *name;
    int depth;
    int64_t size_hint;
    char *bytes;
    size_t len, pos;
    bool read_failed;  /* the original stream failed after these bytes */
    nb_error read_err;
    outcome *v;        /* mine[] until an input yields more than it holds */
    size_t n, cap;
    outcome mine[2];   /* most inputs: one report (see add) */
    nb_status st;      /* the reader's own result: NB_FATAL stops the run */
    nb_error err;
};

bool nb_jobs_can_read(const nb_run *run, const nb_plugin *p, const nb_stream *s)
{
    int64_t hint = nb_stream_size_hint(s);
    return run->iso.fd < 0 && (p->caps & NB_CAP_REENTRANT) &&
           !(p->caps & (NB_CAP_CONTAINER | NB_CAP_NEEDS_SEEK | NB_CAP_MULTI)) && hint >= 0 &&
           hint <= (int64_t)READ_ON_WORKER_MAX;
}

size_t nb_reading_bytes(const nb_reading *rd)
{
    return rd->len;
}

void nb_reading_free(nb_reading *rd)
{
    if (!rd)
        return;
    for (size_t i = 0; i < rd->n; i++) {
        nb_report_free(rd->v[i].report);
        free(rd->v[i].source);
        free(rd->v[i].text);
    }
    if (rd->v != rd->mine)
        free(rd->v);
    free(rd->bytes);
    free(rd->name);
    free(rd);
}

/* Reads the rest of s (its limits still apply); a read error is kept to be
 * given back at the same place. */
static bool take_bytes(nb_reading *rd, nb_stream *s)
{
    size_t cap = (size_t)rd->size_hint + 1;
    if (!(rd->bytes = malloc(cap)))
        return false;
    nb_stream_skip_hash(s); /* the copy is hashed as it is read */
    for (;;) {
        if (rd->len == cap) {
            char *b = realloc(rd->bytes, cap * 2);
            if (!b)
                return false;
            rd->bytes = b;
            cap *= 2;
        }
        nb_error_clear(&rd->read_err);
        ssize_t n = nb_stream_read(s, rd->bytes + rd->len, cap - rd->len, &rd->read_err);
        if (n < 0)
            rd->read_failed = true;
        if (n <= 0)
            return true;
        rd->len += (size_t)n;
    }
}

nb_reading *nb_reading_take(const nb_plugin *p, nb_stream *s, const char *name, int depth,
                            nb_error *err)
{
    nb_reading *rd = calloc(1, sizeof *rd);
    if (rd) {
        rd->plugin = p;
        rd->depth = depth;
        rd->size_hint = nb_stream_size_hint(s);
        rd->name = nb_strdup(name);
    }
    if (!rd || !rd->name || !take_bytes(rd, s)) {
        nb_reading_free(rd);
        nb_error_set(err, NB_E_INTERNAL, name, "out of memory");
        return NULL;
    }
    return rd;
}

static ssize_t replay(void *ctx, void *buf, size_t len, nb_error *err)
{
    nb_reading *rd = ctx;
    size_t n = rd->len - rd->pos < len ? rd->len - rd->pos : len;
    if (n == 0 && rd->read_failed) {
        *err = rd->read_err;
        return -1;
    }
    memcpy(buf, rd->bytes + rd->pos, n);
    rd->pos += n;
    return (ssize_t)n;
}

void nb_reading_run(nb_reading *rd, const nb_run *run)
{
    /* a run of this input alone: what it would count or write is kept */
    nb_run mine = {.ctx = run->ctx, .cfg = run->cfg, .lim = run->lim, .rec = rd, .writer = run,
                   .hash_sources = run->hash_sources};
    mine.iso.fd = -1;
    nb_run_host_init(&mine); /* the reader's messages are outcomes too */
    nb_error_clear(&rd->err);
    nb_stream *s = nb_stream_new(rd->name, replay, rd, rd->size_hint);
    if (!s) {
        nb_error_set(&rd->err, NB_E_INTERNAL, rd->name, "out of memory");
        rd->st = NB_FATAL;
        return;
    }
    rd->st = nb_run_read_with(&mine, rd->plugin, s, rd->name, rd->depth, &rd->err);
    nb_stream_free(s);
    /* rd->bytes is freed with rd on the reading thread that allocated it:
     * a free on another thread takes that thread's malloc arena lock */
}

/* The outcomes are added on the worker and freed on the writing thread:
 * kept inside rd (allocated by the writing thread) for the usual one or
 * two, a free of the worker's block there would take the worker's malloc
 * arena lock for every input, against the worker's own allocations. */
static outcome *add(nb_reading *rd)
{
    if (!rd->v) {
        rd->v = rd->mine;
        rd->cap = sizeof rd->mine / sizeof *rd->mine;
    }
    if (rd->n == rd->cap) {
        outcome *v = malloc(2 * rd->cap * sizeof *v);
        if (!v)
            return NULL;
        memcpy(v, rd->v, rd->n * sizeof *v);
        if (rd->v != rd->mine)
            free(rd->v);
        rd->v = v;
        rd->cap *= 2;
    }
    outcome *o = &rd->v[rd->n++];
    memset(o, 0, sizeof *o);
    return o;
}

nb_status nb_reading_failure(nb_reading *rd, const char *source, bool skipped, const char *reason,
                             nb_error *err)
{
    outcome *o = add(rd);
    if (o) {
        o->kind = O_FAILURE;
        o->skipped = skipped;
        o->source = nb_strdup(source ? source : "");
        o->text = nb_strdup(reason ? reason : "");
    }
    if (!o || !o->source || !o->text) {
        nb_error_set(err, NB_E_INTERNAL, source, "out of memory");
        return NB_FATAL;
    }
    return NB_OK;
}

nb_status nb_reading_report(nb_reading *rd, nb_report *r, nb_error *err)
{
    outcome *o = add(rd);
    if (!o) {
        nb_report_free(r);
        nb_error_set(err, NB_E_INTERNAL, rd->name, "out of memory");
        return NB_FATAL;
    }
    o->kind = O_REPORT;
    o->report = r;
    return NB_OK;
}

void nb_reading_note(nb_reading *rd, const char *plugin, const char *msg)
{
    outcome *o = add(rd);
    if (o) { /* a message lost to a full memory is no reason to stop */
        o->kind = O_NOTE;
        o->source = nb_strdup(plugin ? plugin : "");
        o->text = nb_strdup(msg);
    }
}

nb_status nb_reading_emit(nb_reading *rd, nb_run *run, nb_error *err)
{
    nb_status st = NB_OK;
    for (size_t i = 0; i < rd->n && st == NB_OK; i++) {
        outcome *o = &rd->v[i];
        if (o->kind == O_NOTE && o->text)
            nb_host_log(nb_context_host(run->ctx), o->source, o->text);
        else if (o->kind == O_FAILURE)
            st = nb_run_emit_failure(run, o->source, o->skipped, o->text, err);
        else if (o->kind == O_REPORT) {
            nb_report *r = o->report;
            o->report = NULL;
            st = nb_run_emit_report(run, r, err);
        }
    }
    if (st == NB_OK && rd->st == NB_FATAL) {
        *err = rd->err;
        st = NB_FATAL;
    }
    return st;
}
