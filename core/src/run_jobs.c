/* run_jobs.c - -j N: documents are recognised and validated by worker
 * threads while the reading thread goes on reading.
 *
 * Every input (a document, a report read from JSON, a skip or a failure)
 * takes the next slot of a bounded ring in input order.  Workers take the
 * slots that need work in any order; the reading thread emits finished
 * slots strictly from the head, so the output, the callbacks and the
 * accounting are those of a sequential run.  When the ring is full the
 * reading thread works on the next unclaimed slot itself instead of
 * waiting, so -j N runs N-1 worker threads besides it: N threads for N
 * cores, none of them preempting another (see take_one).  Memory stays
 * bounded by the ring's size whatever the input.  Archive reading stays on
 * the reading thread (streamed); small inputs of reentrant readers are read
 * on the workers (run_reading.c).  Workers start when a second input is
 * queued: a one-file run (a shell loop's) pays no thread, stack or arena. */
#include "run_internal.h"
#include "nianbao/recognise.h"
#include "report_internal.h"
#include "util.h"
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

typedef enum j_kind { J_DOC = 0, J_REPORT, J_FAILURE, J_READ } j_kind;

typedef struct j_slot {
    j_kind kind;
    bool done;
    nb_doc *doc;          /* J_DOC until recognised */
    nb_report *report;    /* J_REPORT, or J_DOC once recognised */
    char *name;           /* source name (J_DOC, J_FAILURE) */
    char *format;         /* J_DOC: the reader's name */
    uint64_t bytes;       /* J_DOC: bytes read when the document was handed out */
    char sha256[65];      /* hex, as nb_report_source has it */
    char *reason;         /* J_FAILURE, or a J_DOC the recogniser refused */
    bool skipped;
    nb_reading *rd;       /* J_READ: an input to read, then its outcomes */
    size_t held;          /* J_READ: bytes of its input held for the worker */
    char **notes;         /* plugin, message pairs the reading thread showed after it */
    size_t nnotes;
    pthread_t by;         /* the thread that worked on it (worked set) */
    bool worked;
} j_slot;

/* Reports the writing thread is done with, held for the thread that built
 * them: a free on another thread than the malloc takes that thread's
 * arena lock for every chunk above tcache's sizes and moves the memory
 * between the cores' caches (see nb_jobs_give_back). */
#define J_SPENT_MAX 16

/* Input bytes held for the workers, per thread: a ring of 16 slots a
 * thread of inputs up to 1 MiB (run_reading.c) could otherwise hold 16 MiB
 * a thread.  An input beyond it is read on the reading thread instead,
 * which keeps that thread busy too.  1 MiB holds three or four published
 * PDFs a thread, as fast as 4 MiB was (real PDFs at -j 2 and 8) with 5 MB
 * less at -j 2; small reports fill the ring long before the budget. */
#define J_HELD_PER_THREAD (1u << 20)
typedef struct j_spent {
    pthread_t by;
    nb_report *r;
} j_spent;

struct nb_jobs {
    nb_run *run;
    pthread_mutex_t mu;
    pthread_cond_t work, done;
    j_slot *ring;
    size_t cap;
    size_t head, next, tail; /* emitted < head <= claimed < next <= filled < tail */
    size_t held, held_max;   /* input bytes in J_READ slots, and their budget (the
                                reading thread's alone: it fills and empties slots) */
    size_t refused;          /* inputs read on the reading thread for lack of budget */
    pthread_t *threads;
    size_t nthreads;
    size_t want;         /* workers to start with the second input */
    bool started;        /* workers were started (or tried) */
    bool sync;           /* mu and the conditions are initialised */
    bool stop;
    bool emitting;       /* the writing thread is in emit(): its messages are in order */
    size_t need;         /* the writing thread waits for this many done slots at the head (0: not) */
    const j_slot *emitted; /* the writing thread's slot in emit(), NULL outside */
    j_spent spent[J_SPENT_MAX];
    size_t nspent;
};

/* How many slots from the head are done, counting up to `upto`. */
static size_t done_prefix(const nb_jobs *j, size_t upto)
{
    size_t n = 0;
    while (n < upto && j->head + n < j->tail && j->ring[(j->head + n) % j->cap].done)
        n++;
    return n;
}

static void slot_free(j_slot *s)
{
    nb_doc_free(s->doc);
    nb_report_free(s->report);
    free(s->name);
    free(s->format);
    free(s->reason);
    nb_reading_free(s->rd);
    for (size_t i = 0; i < 2 * s->nnotes; i++)
        free(s->notes[i]);
    free(s->notes);
    memset(s, 0, sizeof *s);
}

/* The part of a document's journey that needs no shared state. */
static void work(const nb_run *run, j_slot *s)
{
    if (s->kind == J_READ) {
        nb_reading_run(s->rd, run);
        return;
    }
    if (s->kind == J_DOC) {
        nb_error e;
        nb_error_clear(&e);
        nb_report *r = nb_recognise_all(nb_context_templates(run->ctx), s->doc, &e);
        if (!r) {
            s->reason = nb_strdup(e.text);
        } else if (!nb_run_set_source(r, s->name, s->format, s->doc->encoding, s->bytes, s->sha256)) {
            nb_report_free(r);
            r = NULL;
            s->reason = nb_strdup("out of memory");
        }
        nb_doc_free(s->doc);
        s->doc = NULL;
        s->report = r;
    }
    for (nb_report *q = s->report; q; q = q->next) {
        if (run->cfg.validate)
            nb_validate(nb_context_rules(run->ctx), q);
        nb_run_format(run, q); /* the writing thread then only writes bytes */
    }
}

/* Claims the next slot that needs work; NULL when none does.  Under mu. */
static j_slot *claim(nb_jobs *j)
{
    while (j->next < j->tail && j->ring[j->next % j->cap].done)
        j->next++; /* failures need no work */
    return j->next < j->tail ? &j->ring[j->next++ % j->cap] : NULL;
}

/* Moves the reports this thread built out of the spent list into mine
 * (room for J_SPENT_MAX).  Under mu. */
static size_t take_spent(nb_jobs *j, nb_report **mine)
{
    pthread_t me = pthread_self();
    size_t n = 0;
    for (size_t i = 0; i < j->nspent;) {
        if (pthread_equal(j->spent[i].by, me)) {
            mine[n++] = j->spent[i].r;
            j->spent[i] = j->spent[--j->nspent];
        } else {
            i++;
        }
    }
    return n;
}

/* Works on slot s claimed under mu, after freeing what this thread built
 * and the writer gave back; returns with mu held again. */
static void work_claimed(nb_jobs *j, j_slot *s)
{
    nb_report *mine[J_SPENT_MAX];
    size_t nmine = take_spent(j, mine);
    pthread_mutex_unlock(&j->mu);
    for (size_t i = 0; i < nmine; i++)
        nb_report_free(mine[i]);
    s->by = pthread_self();
    s->worked = true;
    work(j->run, s);
    pthread_mutex_lock(&j->mu);
    s->done = true;
    if (j->need && done_prefix(j, j->need) >= j->need)
        pthread_cond_signal(&j->done); /* only the writing thread waits on it */
}

static void *worker(void *arg)
{
    nb_jobs *j = arg;
    pthread_mutex_lock(&j->mu);
    for (;;) {
        j_slot *s = claim(j);
        if (s)
            work_claimed(j, s);
        else if (j->stop)
            break;
        else
            pthread_cond_wait(&j->work, &j->mu);
    }
    pthread_mutex_unlock(&j->mu);
    return NULL;
}

/* The ring's lock is held for a few instructions at a time: a thread that
 * finds it taken spins a little before sleeping, as a futex sleep and
 * wake-up across vCPUs costs far more than the wait. */
static bool init_mutex(pthread_mutex_t *mu)
{
    pthread_mutexattr_t a;
    if (pthread_mutexattr_init(&a) != 0)
        return false;
    pthread_mutexattr_settype(&a, PTHREAD_MUTEX_ADAPTIVE_NP); /* plain if refused */
    bool ok = pthread_mutex_init(mu, &a) == 0;
    pthread_mutexattr_destroy(&a);
    return ok;
}

nb_jobs *nb_jobs_new(nb_run *run, int nthreads)
{
    nb_jobs *j = calloc(1, sizeof *j);
    if (!j)
        return NULL;
    j->run = run;
    j->cap = 16 * (size_t)nthreads; /* slack: a thread that runs dry sleeps and is woken (futex calls) */
    j->held_max = (size_t)nthreads * J_HELD_PER_THREAD;
    j->want = (size_t)nthreads - 1; /* the calling thread is the Nth: it works whenever the ring is full */
    j->ring = calloc(j->cap, sizeof *j->ring);
    j->threads = calloc(j->want, sizeof *j->threads);
    if (!j->ring || !j->threads || !init_mutex(&j->mu)) {
        nb_jobs_free(j);
        return NULL;
    }
    if (pthread_cond_init(&j->work, NULL) != 0 || pthread_cond_init(&j->done, NULL) != 0) {
        pthread_mutex_destroy(&j->mu); /* (never on Linux) */
        nb_jobs_free(j);
        return NULL;
    }
    j->sync = true;
    return j;
}

/* With no worker at all the calling thread still does every slot's work
 * when the ring fills or at the final drain: fewer threads only slow it. */
static void start_workers(nb_jobs *j)
{
    j->started = true;
    for (size_t i = 0; i < j->want; i++) {
        if (pthread_create(&j->threads[i], NULL, worker, j) != 0)
            break;
        j->nthreads++;
    }
}

void nb_jobs_free(nb_jobs *j)
{
    if (!j)
        return;
    if (j->nthreads) {
        pthread_mutex_lock(&j->mu);
        j->stop = true;
        pthread_cond_broadcast(&j->work);
        pthread_mutex_unlock(&j->mu);
        for (size_t i = 0; i < j->nthreads; i++)
            pthread_join(j->threads[i], NULL);
    }
    if (j->sync) {
        pthread_cond_destroy(&j->work);
        pthread_cond_destroy(&j->done);
        pthread_mutex_destroy(&j->mu);
    }
    for (size_t i = 0; i < j->nspent; i++) /* given back, their builders gone */
        nb_report_free(j->spent[i].r);
    for (size_t i = 0; j->ring && i < j->cap; i++)
        slot_free(&j->ring[i]);
    free(j->ring);
    free(j->threads);
    free(j);
}

static nb_status emit_one(nb_run *run, j_slot *s, nb_error *err)
{
    if (s->kind == J_READ)
        return nb_reading_emit(s->rd, run, err);
    if (s->kind == J_FAILURE || !s->report)
        return nb_run_emit_failure(run, s->name, s->skipped, s->reason ? s->reason : "", err);
    nb_report *r = s->report;
    s->report = NULL;
    return nb_run_hand_on(run, r, nb_run_emit_report, err); /* the text's reports, in order */
}

static nb_status emit(nb_jobs *j, j_slot *s, nb_error *err)
{
    j->emitting = true;
    j->emitted = s; /* only this thread reads it */
    nb_status st = emit_one(j->run, s, err);
    j->emitted = NULL;
    j->emitting = false;
    for (size_t i = 0; st == NB_OK && i < s->nnotes; i++)
        if (s->notes[2 * i + 1])
            nb_host_log(nb_context_host(j->run->ctx), s->notes[2 * i], s->notes[2 * i + 1]);
    return st;
}

bool nb_jobs_emitting_foreign(const nb_jobs *j)
{
    const j_slot *s = j->emitted;
    return s && s->worked && !pthread_equal(s->by, pthread_self());
}

bool nb_jobs_give_back(nb_jobs *j, nb_report *r)
{
    const j_slot *s = j->emitted;
    if (!nb_jobs_emitting_foreign(j))
        return false;
    pthread_mutex_lock(&j->mu);
    bool kept = j->nspent < J_SPENT_MAX;
    if (kept)
        j->spent[j->nspent++] = (j_spent){s->by, r};
    pthread_mutex_unlock(&j->mu);
    return kept;
}

/* A message of the reading thread (an archive reader's warning) is shown
 * after the inputs read before it, as -j 1 shows it: it waits with the
 * last of them when they are not all written yet. */
void nb_jobs_note(nb_jobs *j, const char *plugin, const char *msg)
{
    pthread_mutex_lock(&j->mu);
    j_slot *last = j->head < j->tail && !j->emitting ? &j->ring[(j->tail - 1) % j->cap] : NULL;
    char **v = last ? realloc(last->notes, 2 * (last->nnotes + 1) * sizeof *v) : NULL;
    if (v) {
        last->notes = v;
        v[2 * last->nnotes] = nb_strdup(plugin ? plugin : "");
        v[2 * last->nnotes + 1] = nb_strdup(msg);
        last->nnotes++;
    }
    pthread_mutex_unlock(&j->mu);
    if (!v) /* nothing waits (or no memory to wait): shown now */
        nb_host_log(nb_context_host(j->run->ctx), plugin, msg);
}

/* Waits until the slots at the head that bring the number in flight down
 * to `low` are done.  Waiting for a batch, not for each slot, wakes the
 * writing thread once per batch: a wake-up across CPUs costs tens of
 * microseconds in a VM, as much as a small report's whole work. */
static void wait_for_head(nb_jobs *j, size_t low)
{
    size_t need = j->tail - j->head - low;
    while (done_prefix(j, need) < need) {
        j->need = need;
        pthread_cond_wait(&j->done, &j->mu);
    }
    j->need = 0;
}

/* Emits finished slots from the head until at most `keep` are in flight.
 * While the head is not done the writing thread works on an unclaimed slot
 * itself; with none left it waits (down to half of keep, see
 * wait_for_head).  Working rather than waiting keeps this thread, which
 * also reads and writes, from sleeping and waking once per batch, and
 * from competing for a core with the workers.  After a fatal status the
 * rest is discarded. */
nb_status nb_jobs_drain(nb_jobs *j, size_t keep, nb_error *err)
{
    nb_status st = NB_OK;
    pthread_mutex_lock(&j->mu);
    while (j->head < j->tail) {
        j_slot *s = &j->ring[j->head % j->cap];
        if (!s->done && j->tail - j->head <= keep)
            break;
        if (!s->done) {
            j_slot *todo = st == NB_OK ? claim(j) : NULL;
            if (todo) {
                work_claimed(j, todo);
                continue;
            }
            wait_for_head(j, keep / 2);
        }
        j_slot mine = *s; /* the slot is free again; only this thread fills slots */
        memset(s, 0, sizeof *s);
        j->head++;
        j->held -= mine.held;
        /* a failure is done from the start and may be emitted before any
         * worker stepped over it: workers never claim an emitted slot */
        if (j->next < j->head)
            j->next = j->head;
        pthread_mutex_unlock(&j->mu);
        if (st == NB_OK)
            st = emit(j, &mine, err);
        slot_free(&mine);
        pthread_mutex_lock(&j->mu);
    }
    pthread_mutex_unlock(&j->mu);
    return st;
}

/* Takes ownership of what s holds; waits for room first. */
static nb_status submit(nb_jobs *j, j_slot *s, nb_error *err)
{
    nb_status st = nb_jobs_drain(j, j->cap - 1, err);
    if (st != NB_OK) {
        slot_free(s);
        return st;
    }
    pthread_mutex_lock(&j->mu);
    j->ring[j->tail++ % j->cap] = *s;
    bool second = j->tail - j->head >= 2;
    pthread_mutex_unlock(&j->mu);
    if (!j->started && second)
        start_workers(j); /* only this thread submits: no lock for `started` */
    /* after the unlock: a worker woken under it would only block on mu */
    pthread_cond_signal(&j->work);
    return NB_OK;
}

nb_status nb_jobs_doc(nb_jobs *j, nb_doc *doc, nb_stream *s, const char *name, const char *format,
                      nb_error *err)
{
    j_slot slot = {.kind = J_DOC, .doc = doc, .name = nb_strdup(name), .format = nb_strdup(format),
                   .bytes = nb_stream_consumed(s)};
    nb_stream_sha256(s, slot.sha256);
    if (!slot.name || !slot.format) {
        slot_free(&slot);
        nb_error_set(err, NB_E_INTERNAL, name, "out of memory");
        return NB_FATAL;
    }
    return submit(j, &slot, err);
}

nb_status nb_jobs_report(nb_jobs *j, nb_report *r, nb_error *err)
{
    j_slot slot = {.kind = J_REPORT, .report = r};
    return submit(j, &slot, err);
}

nb_status nb_jobs_failure(nb_jobs *j, const char *source, bool skipped, const char *reason,
                          nb_error *err)
{
    j_slot slot = {.kind = J_FAILURE, .done = true, .name = nb_strdup(source ? source : ""),
                   .reason = nb_strdup(reason ? reason : ""), .skipped = skipped};
    if (!slot.name || !slot.reason) {
        slot_free(&slot);
        nb_error_set(err, NB_E_INTERNAL, source, "out of memory");
        return NB_FATAL;
    }
    return submit(j, &slot, err);
}

nb_status nb_jobs_read(nb_jobs *j, const nb_plugin *p, nb_stream *s, const char *name, int depth,
                       nb_error *err)
{
    j_slot slot = {.kind = J_READ, .rd = nb_reading_take(p, s, name, depth, err)};
    if (!slot.rd)
        return NB_FATAL;
    slot.held = nb_reading_bytes(slot.rd);
    nb_status st = submit(j, &slot, err);
    if (st == NB_OK)
        j->held += slot.held; /* after submit's drain, which only lowers it */
    return st;
}

bool nb_jobs_has_room(nb_jobs *j, int64_t bytes)
{
    bool room = bytes >= 0 && j->held + (uint64_t)bytes <= j->held_max;
    j->refused += !room;
    return room;
}

nb_jobs_held nb_jobs_budget(const nb_jobs *j)
{
    return (nb_jobs_held){j->held, j->held_max, j->refused};
}
