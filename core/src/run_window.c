/* run_window.c - the hold-back window at the ordered emit point.
 *
 * A report whose glued digit runs left a cell undecided that a cross-year
 * rule reads may be settled by the same agency's next (or previous) year
 * further on in the run (resolve_xyear.c).  Such a report is held, with
 * every input after it so that the output order stays the input order,
 * until both neighbouring years have been seen, the window is full or the
 * run ends.  Every report is first read jointly with the neighbours already
 * seen (held ones, or the snapshots of those written); a report whose
 * cells changed has its own findings recomputed.  Counting happens when an
 * entry leaves the window, so the summary is unchanged. */
#include "run_internal.h"
#include "resolve_xyear.h"
#include "text_internal.h"
#include "util.h"
#include <stdlib.h>
#include <string.h>

typedef struct held {
    nb_report *r;               /* NULL: a failure record */
    char *source, *reason;      /* the failure's */
    bool skipped;
    char *agency;               /* compacted; NULL: the report pairs with none */
    bool pending;               /* has cells a neighbour could settle */
    bool seen_prev, seen_next;  /* the neighbouring years arrived */
} held;

struct nb_window {
    held *v;
    size_t n, cap;
    uint64_t bytes;             /* input bytes of the held reports */
};

static void held_free(held *h)
{
    nb_report_free(h->r);
    free(h->source);
    free(h->reason);
    free(h->agency);
}

void nb_window_free(nb_window *w)
{
    for (size_t i = 0; w && i < w->n; i++)
        held_free(&w->v[i]);
    if (w)
        free(w->v);
    free(w);
}

static bool waiting(const held *h)
{
    return h->r && h->pending && !(h->seen_prev && h->seen_next);
}

static void refresh(nb_run *run, held *h, bool changed)
{
    if (changed)
        xy_revalidate(nb_xcheck_rules(run->xcheck), h->r);
    if (changed)
        nb_run_unformat(h->r); /* its text was made before */
    h->pending = nb_xcheck_pending(run->xcheck, h->r);
}

/* Reads the new report jointly with its held neighbours and the snapshots
 * of those already written. */
static void meet_neighbours(nb_run *run, nb_window *w, held *in)
{
    nb_report *r = in->r;
    size_t ndiags = r->ndiags;
    bool changed = nb_xcheck_resolve_known(run->xcheck, r);
    if (changed || r->ndiags != ndiags)
        nb_run_unformat(r);
    for (size_t i = 0; in->agency && w && i < w->n; i++) {
        held *h = &w->v[i];
        int dy = h->r && h->agency && strcmp(h->agency, in->agency) == 0 ? h->r->year - r->year : 0;
        if (dy != -1 && dy != 1)
            continue;
        bool later_set = false, earlier_set = false;
        nb_run_unformat(r); /* read jointly: either side may gain findings */
        nb_run_unformat(h->r);
        if (dy < 0)
            nb_xcheck_resolve_pair(run->xcheck, r, h->r, &later_set, &earlier_set);
        else
            nb_xcheck_resolve_pair(run->xcheck, h->r, r, &later_set, &earlier_set);
        changed |= dy < 0 ? later_set : earlier_set;
        *(dy < 0 ? &h->seen_next : &h->seen_prev) = true;
        *(dy < 0 ? &in->seen_prev : &in->seen_next) = true;
        refresh(run, h, dy < 0 ? earlier_set : later_set);
    }
    in->seen_prev |= in->agency && nb_xcheck_seen(run->xcheck, in->agency, r->year - 1);
    in->seen_next |= in->agency && nb_xcheck_seen(run->xcheck, in->agency, r->year + 1);
    refresh(run, in, changed);
}

static bool full(const nb_window *w)
{
    return w->n > NB_WINDOW_REPORTS || w->bytes > NB_WINDOW_BYTES;
}

/* Writes entries from the front while they need not wait (all: the run ends). */
static nb_status release(nb_run *run, bool all, nb_error *err)
{
    nb_window *w = run->window;
    while (w && w->n && (all || !waiting(&w->v[0]) || full(w))) {
        held h = w->v[0];
        memmove(w->v, w->v + 1, (w->n - 1) * sizeof *w->v);
        w->n--;
        if (h.r)
            w->bytes -= h.r->source.bytes;
        nb_status st = h.r ? nb_run_write_report(run, h.r, err)
                           : nb_run_write_failure(run, h.source, h.skipped, h.reason, err);
        h.r = NULL; /* written and freed */
        held_free(&h);
        if (st != NB_OK)
            return st;
    }
    return NB_OK;
}

static nb_status hold(nb_run *run, held *h, nb_error *err)
{
    if (!run->window && !(run->window = calloc(1, sizeof *run->window)))
        goto oom;
    nb_window *w = run->window;
    if (!nb_grow((void **)&w->v, &w->cap, w->n, sizeof *w->v))
        goto oom;
    w->v[w->n++] = *h;
    if (h->r)
        w->bytes += h->r->source.bytes;
    return release(run, false, err);
oom:
    held_free(h);
    nb_error_set(err, NB_E_INTERNAL, NULL, "out of memory");
    return NB_FATAL;
}

nb_status nb_run_emit_report(nb_run *run, nb_report *r, nb_error *err)
{
    run->emitted = true;
    if (!run->xcheck)
        return nb_run_write_report(run, r, err);
    held h = {.r = r};
    h.agency = r->agency && *r->agency && r->year > 0 ? nb_text_compact(r->agency) : NULL;
    meet_neighbours(run, run->window, &h);
    if (!waiting(&h) && (!run->window || !run->window->n)) {
        free(h.agency);
        return nb_run_write_report(run, r, err);
    }
    return hold(run, &h, err);
}

nb_status nb_run_emit_failure(nb_run *run, const char *source, bool skipped, const char *reason,
                              nb_error *err)
{
    run->emitted = true;
    if (!run->window || !run->window->n)
        return nb_run_write_failure(run, source, skipped, reason, err);
    held h = {.source = nb_strdup(source), .reason = nb_strdup(reason ? reason : ""), .skipped = skipped};
    if (!h.source || !h.reason) {
        held_free(&h);
        nb_error_set(err, NB_E_INTERNAL, NULL, "out of memory");
        return NB_FATAL;
    }
    return hold(run, &h, err);
}

nb_status nb_window_flush(nb_run *run, nb_error *err)
{
    return release(run, true, err);
}
