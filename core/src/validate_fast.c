/* validate_fast.c - a compiled relation decided as one list of cells.
 *
 * Nearly every relation of a report compares sums of cells that are all
 * on the rule's own table, all known and all whole numbers.  Built term by
 * term as v_val (v_csum_value), such a sum cost about a hundred
 * instructions a term.  Each relation of a plan is flattened once into a
 * list of its cells (lhs minus rhs: the added ones, then the subtracted
 * ones, each as its byte offset in the cell array), and a report's
 * relation is then a few instructions a cell.  Only that case is decided:
 * every cell known, whole and under 2^40 in size, so no partial sum of
 * either path can come near int64's end and both give the same exact
 * answer; anything else (a cell unknown or with decimals, another table, a
 * later alternative, a large figure) is left to the plain path, which then
 * gives its own answer and its notes. */
#include "validate_plan.h"
#include "util.h"
#include <stdlib.h>

void v_flat_free(struct v_flat *f)
{
    if (!f)
        return;
    free(f->rel);
    free(f->ops);
    free(f->implied);
    free(f);
}

static bool push_op(struct v_flat *f, uint32_t op)
{
    if (!nb_grow((void **)&f->ops, &f->cap, f->nops, sizeof *f->ops))
        return false;
    f->ops[f->nops++] = op;
    return true;
}

/* 1: the cells of s that are subtracted (sub) or added (!sub) appended,
 * the right-hand side (neg) counting the other way; 0: s is not only first
 * alternatives resolved on d; -1: out of memory. */
static int flat_sum(struct v_flat *f, const v_csum *s, const nb_table_def *d, bool neg, bool sub)
{
    for (size_t i = 0; i < s->n; i++) {
        const v_cterm *t = &s->t[i];
        const v_calt *a = t->alts;
        if (!t->nalts || t->prev || !a->d || a->d != d || !a->n)
            return 0;
        if (((t->coef < 0) != neg) != sub)
            continue;
        for (size_t k = 0; k < a->n; k++) {
            if (a->idx[k] >= V_FLAT_CAP)
                return 0;
            if (!push_op(f, (uint32_t)(a->idx[k] * sizeof(nb_cell))))
                return -1;
        }
    }
    return 1;
}

/* One relation's list into *out (V_FLAT_NONE when it cannot be one): the
 * added cells, then the subtracted ones, so the sum needs no sign per
 * cell; false when memory ran out. */
static bool flat_rel(struct v_flat *f, const v_crel *cr, const nb_table_def *d, v_frel *out)
{
    size_t at = f->nops, plus = 0;
    int ok = 1;
    for (int sub = 0; sub < 2 && ok == 1; sub++) {
        ok = flat_sum(f, &cr->lhs, d, false, sub);
        ok = ok == 1 ? flat_sum(f, &cr->rhs, d, true, sub) : ok;
        if (!sub)
            plus = f->nops - at;
    }
    if (ok < 0)
        return false;
    if (ok == 1 && f->nops - at <= V_FLAT_CAP && f->nops < V_FLAT_NONE) {
        *out = (v_frel){(uint32_t)at, (uint32_t)(f->nops - at), (uint32_t)plus};
    } else {
        *out = (v_frel){0, V_FLAT_NONE, 0};
        f->nops = at; /* drop the part that was pushed */
    }
    return true;
}

/* A cell condition's list into *out: the cells of every alternative of t,
 * when all are resolved on d this year (else V_FLAT_NONE: the plain path
 * asks); false when memory ran out. */
static bool flat_cells(struct v_flat *f, const v_cterm *t, const nb_table_def *d, v_frel *out)
{
    size_t at = f->nops;
    bool ok = !t->prev;
    for (size_t a = 0; ok && a < t->nalts; a++) {
        const v_calt *al = &t->alts[a];
        ok = al->d && al->d == d;
        for (size_t k = 0; ok && k < al->n; k++) {
            ok = al->idx[k] < V_FLAT_CAP;
            if (ok && !push_op(f, (uint32_t)(al->idx[k] * sizeof(nb_cell))))
                return false;
        }
    }
    if (ok && f->nops - at <= V_FLAT_CAP && f->nops < V_FLAT_NONE) {
        *out = (v_frel){(uint32_t)at, (uint32_t)(f->nops - at), 0};
    } else {
        *out = (v_frel){0, V_FLAT_NONE, 0};
        f->nops = at;
    }
    return true;
}

/* Whether cell x is in the list a. */
static bool in_list(const struct v_flat *f, const v_frel *a, uint32_t x)
{
    for (uint32_t k = 0; k < a->n; k++)
        if (f->ops[a->at + k] == x)
            return true;
    return false;
}

/* Whether the cell condition c (list cl) holds whenever every cell of the
 * relation's list rl is known: any_known sharing a cell with it, known
 * with cells all among its own (printed also asks how a cell was read). */
static bool implied_by(const struct v_flat *f, v_cond_kind k, const v_frel *cl, const v_frel *rl)
{
    if (cl->n == V_FLAT_NONE || rl->n == V_FLAT_NONE || (k != VC_ANY_KNOWN && k != VC_KNOWN) || !cl->n)
        return false;
    for (uint32_t j = 0; j < cl->n; j++) {
        bool in = in_list(f, rl, f->ops[cl->at + j]);
        if (k == VC_ANY_KNOWN && in)
            return true;
        if (k == VC_KNOWN && !in)
            return false;
    }
    return k == VC_KNOWN;
}

static struct v_flat *flat_build(const v_plan *pl, const v_rule *r)
{
    struct v_flat *f = calloc(1, sizeof *f);
    if (!f)
        return NULL;
    f->per = r->nwhen + 1;
    f->rel = malloc((pl->n ? pl->n : 1) * f->per * sizeof *f->rel);
    f->implied = calloc(pl->n ? pl->n : 1, sizeof *f->implied);
    bool ok = f->rel != NULL && f->implied != NULL;
    for (size_t i = 0; ok && i < pl->n; i++) {
        const v_cinst *ci = &pl->inst[i];
        v_frel *o = &f->rel[i * f->per];
        for (size_t w = 0; ok && w < r->nwhen; w++)
            ok = r->when[w].kind == VC_RELATION ? flat_rel(f, &ci->when[w], pl->d, &o[w])
                                                : flat_cells(f, ci->when[w].lhs.t, pl->d, &o[w]);
        ok = ok && flat_rel(f, &ci->rel, pl->d, &o[r->nwhen]);
        bool imp = ok && r->kind == VK_LINEAR && r->nwhen > 0;
        for (size_t w = 0; imp && w < r->nwhen; w++)
            imp = implied_by(f, r->when[w].kind, &o[w], &o[r->nwhen]);
        f->implied[i] = imp;
    }
    if (!ok) {
        v_flat_free(f);
        return NULL;
    }
    return f;
}

const struct v_flat *v_flat_of(const v_plan *cpl, const v_rule *r)
{
    v_plan *pl = (v_plan *)cpl; /* a cache inside the read-only plan */
    struct v_flat *f = __atomic_load_n(&pl->flat, __ATOMIC_ACQUIRE);
    if (f)
        return f;
    if (!(f = flat_build(pl, r)))
        return NULL;
    struct v_flat *seen = NULL;
    if (!__atomic_compare_exchange_n(&pl->flat, &seen, f, false, __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE)) {
        v_flat_free(f); /* another worker published the same first */
        return seen;
    }
    return f;
}

