/* validate_fast.c - a compiled relation decided in integers, when it can be.
 *
 * Nearly every relation of a report compares sums of cells that are all
 * on the rule's own table, all known and all whole numbers.  Built term by
 * term as v_val (v_csum_value), such a sum cost about a hundred
 * instructions a term; here it is a few per cell.  Only that case is
 * decided: the same additions in the same order as v_csum_value, so an
 * overflow on either path is an overflow on both; anything else (a cell
 * unknown or with decimals, another table, a later alternative, a sum past
 * int64) is left to the plain path, which then gives its own answer and
 * its notes. */
#include "validate_plan.h"

/* The sum s over the cells of d in own, as v_csum_value adds it; false
 * when it is not such a plain integer sum. */
static bool int_sum(const v_csum *s, const nb_table_def *d, const nb_cell *own, int64_t *out)
{
    int64_t acc = 0;
    for (size_t i = 0; i < s->n; i++) {
        const v_cterm *t = &s->t[i];
        const v_calt *a = t->alts;
        if (!t->nalts || t->prev || a->d != d || !a->n)
            return false;
        int64_t term = 0;
        for (size_t k = 0; k < a->n; k++) {
            const nb_cell *c = &own[a->idx[k]];
            if (!c->has_value || c->num.scale != 0 || __builtin_add_overflow(term, c->num.v, &term) ||
                term == INT64_MIN)
                return false; /* INT64_MIN: nb_num_add's overflow too */
        }
        if (t->coef < 0)
            term = -term;
        if (__builtin_add_overflow(acc, term, &acc) || acc == INT64_MIN)
            return false;
    }
    *out = acc;
    return true;
}

int v_crel_fast(const v_crel *cr, v_op op, const nb_table_def *d, const nb_cell *own)
{
    int64_t l, r;
    if (!d || !own || !int_sum(&cr->lhs, d, own, &l) || !int_sum(&cr->rhs, d, own, &r))
        return V_FAST_UNKNOWN;
    bool ok = op == V_EQ ? l == r : op == V_LE ? l <= r : l >= r;
    return ok ? V_FAST_HOLDS : V_FAST_FAILS;
}
