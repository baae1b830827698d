/* report_derive.c - subtotal rows filled in from their group's leaves.
 *
 * A derived row whose cells were not printed becomes the sum of its
 * group's leaves, but only when every leaf is known: a partial sum would
 * be a number nobody printed and nobody can check.  Which leaf cells each
 * subtotal cell sums depends only on the table's definition, so that list
 * (the plan) is made once per definition, published on it atomically (-j
 * workers share it) and freed with it.  The plan also keeps the table's
 * row handles, copied into each table of the definition instead of built
 * from its fields again (nb_table_copy_rows). */
#include "report_internal.h"
#include "util.h"
#include <stdlib.h>
#include <string.h>

/* One subtotal cell and the leaf cells it sums, in field order. */
typedef struct derive_target {
    size_t field;
    size_t first, n; /* its leaves: plan->leaves[first, first + n) */
} derive_target;

struct nb_derive_plan {
    derive_target *v;
    size_t n;
    size_t *leaves;
    nb_row *rows; /* the table's rows (nb_table_build_rows), their table NULL */
};

void nb_derive_plan_free(struct nb_derive_plan *p)
{
    if (p) {
        free(p->v);
        free(p->leaves);
        free(p->rows);
    }
    free(p);
}

/* The rows of a table of d, to be copied (a table of d gets them per read). */
static bool plan_rows(const nb_table_def *d, struct nb_derive_plan *p)
{
    nb_table scratch = {.def = d};
    if (!nb_table_build_rows(&scratch))
        return false;
    for (size_t r = 0; r < d->nrows; r++)
        scratch.rows[r].table = NULL;
    p->rows = scratch.rows;
    return true;
}

static bool fills(const nb_table_def *d, size_t f)
{
    const nb_row_def *rd = &d->rows[d->fields[f].row];
    return rd->derived && rd->group && d->fields[f].type != NB_TYPE_UNIT;
}

/* Is row k one of the leaves of derived row `row` (same group, not derived)? */
static bool leaf_of(const nb_table_def *d, size_t row, size_t k)
{
    const nb_row_def *lr = &d->rows[k];
    return k != row && !lr->derived && lr->group && strcmp(lr->group, d->rows[row].group) == 0;
}

/* The leaves of each of row's cells; *nl: leaves written so far. */
static bool plan_row(const nb_table_def *d, size_t row, struct nb_derive_plan *p, size_t *nl, size_t *capl)
{
    bool *leaf = malloc(d->nrows);
    if (!leaf)
        return false;
    for (size_t k = 0; k < d->nrows; k++)
        leaf[k] = leaf_of(d, row, k);
    bool ok = true;
    for (size_t f = 0; ok && f < d->nfields; f++) {
        if (d->fields[f].row != row || !fills(d, f))
            continue;
        derive_target *t = &p->v[p->n++];
        *t = (derive_target){f, *nl, 0};
        for (size_t g = 0; ok && g < d->nfields; g++) {
            if (!leaf[d->fields[g].row] || d->fields[g].col != d->fields[f].col)
                continue;
            ok = nb_grow((void **)&p->leaves, capl, *nl, sizeof *p->leaves);
            if (ok) {
                p->leaves[(*nl)++] = g;
                t->n++;
            }
        }
    }
    free(leaf);
    return ok;
}

static struct nb_derive_plan *plan_build(const nb_table_def *d)
{
    struct nb_derive_plan *p = calloc(1, sizeof *p);
    size_t nt = 0, nl = 0, capl = 0;
    for (size_t f = 0; f < d->nfields; f++)
        nt += fills(d, f);
    bool ok = p && (p->v = malloc((nt ? nt : 1) * sizeof *p->v)) != NULL && plan_rows(d, p);
    for (size_t row = 0; ok && row < d->nrows; row++)
        if (d->rows[row].derived && d->rows[row].group)
            ok = plan_row(d, row, p, &nl, &capl);
    if (!ok) {
        nb_derive_plan_free(p);
        return NULL;
    }
    return p;
}

/* The plan of d: the one published on d, or built and published now. */
static const struct nb_derive_plan *plan_for(const nb_table_def *d)
{
    struct nb_derive_plan **slot = &((nb_table_def *)d)->derive; /* a cache, not the definition */
    struct nb_derive_plan *p = __atomic_load_n(slot, __ATOMIC_ACQUIRE);
    if (p)
        return p;
    struct nb_derive_plan *fresh = plan_build(d), *expected = NULL;
    if (!fresh)
        return NULL;
    if (__atomic_compare_exchange_n(slot, &expected, fresh, false, __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE))
        return fresh;
    nb_derive_plan_free(fresh); /* another thread published first */
    return expected;
}

bool nb_table_copy_rows(nb_table *t)
{
    const struct nb_derive_plan *p = plan_for(t->def);
    size_t n = t->def->nrows;
    t->rows = p ? malloc((n ? n : 1) * sizeof *t->rows) : NULL;
    if (!t->rows)
        return false;
    memcpy(t->rows, p->rows, n * sizeof *t->rows);
    for (size_t r = 0; r < n; r++)
        t->rows[r].table = t;
    t->nrows = n;
    return true;
}

/* The sum of the leaves when they are all known: in the same pass, the
 * integers added as nb_num_add adds two integers (the common case; a
 * marked sum stays marked, whatever is added after the mark).  *ints
 * false: some leaf is not an integer, and the caller adds them all with
 * nb_num_add (the integer sum is then not used).  False when a leaf is
 * unknown. */
static bool known_sum(const nb_table *t, const size_t *leaves, size_t n, nb_num *sum, bool *ints)
{
    int64_t acc = 0;
    bool over = false, all_ints = true;
    for (size_t k = 0; k < n; k++) {
        const nb_cell *c = &t->cells[leaves[k]];
        if (!c->has_value)
            return false;
        all_ints &= c->num.scale == 0;
        over |= __builtin_add_overflow(acc, c->num.v, &acc) || acc == INT64_MIN;
    }
    *ints = all_ints;
    *sum = over ? (nb_num){0, NB_NUM_OVERFLOW} : nb_num_int(acc);
    return true;
}

/* A subtotal cell not printed gets the sum of its leaves when they are all
 * known and it fits. */
static void derive_cell(nb_report *r, nb_table *t, const derive_target *dt, const size_t *leaves)
{
    nb_cell *c = &t->cells[dt->field];
    if (!dt->n || (c->status != NB_CELL_MISSING && c->status != NB_CELL_DERIVED))
        return; /* printed: validation compares it with the leaves */
    nb_num sum;
    bool ints;
    if (!known_sum(t, leaves, dt->n, &sum, &ints))
        return;
    if (!ints) {
        sum = nb_num_int(0);
        for (size_t k = 0; k < dt->n; k++)
            sum = nb_num_add(sum, t->cells[leaves[k]].num);
    }
    if (!nb_num_overflowed(sum)) /* too large: left unknown */
        nb_cell_put(r, c, NB_CELL_DERIVED, sum, NULL, 0, -1);
}

void nb_report_derive(nb_report *r)
{
    for (size_t i = 0; i < r->ntables; i++) {
        nb_table *t = &r->tables[i];
        const struct nb_derive_plan *p = t->def && t->cells ? plan_for(t->def) : NULL;
        for (size_t k = 0; p && k < p->n; k++) /* (out of memory: the subtotals stay unknown) */
            derive_cell(r, t, &p->v[k], p->leaves + p->v[k].first);
    }
}
