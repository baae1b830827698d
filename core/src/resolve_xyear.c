/* resolve_xyear.c - the cross-year rules as evidence for glued digit runs
 * (domain.md §5.6 step 4).  A rule instance such as
 *   prev_items(Y) = prev_items(Y-1) + items_change(Y-1)
 * that reads a cell still ambiguous in either year is solved jointly: every
 * combination of the kept readings of the rows it reads is tried, and each
 * row keeps only the readings that take part in a combination satisfying
 * it.  Instances are repeated until nothing changes; then the cells on
 * which every remaining reading agrees are set.  An instance no
 * combination satisfies changes nothing: the rule may truly break (a
 * reorganisation, 全面清理), and then it is no evidence at all. */
#include "resolve_xyear.h"
#include "report_internal.h"
#include "util.h"
#include <stdlib.h>
#include <string.h>

#define XY_MAX_PASSES 8

typedef struct ref {
    xy_side *side;
    nb_reading_row *row;
    size_t slot;
    int coef;
} ref;

typedef struct inst {
    const nb_ruleset *rs;
    const v_rule *rule;
    xy_side *sides[2];          /* [0] the later year, [1] the earlier ("prev:") */
    xy_side *at;                /* the side of the term being collected */
    const nb_table_def *def;
    int coef;
    int64_t konst;              /* Σ coef·value of the known cells */
    ref refs[XY_MAX_REFS];
    size_t nrefs;
    size_t nfields;             /* cells the current term matched */
    bool bad;                   /* an unknown cell: the instance proves nothing */
    bool changed;
} inst;

/* A live report as a side ---------------------------------------------------- */

static const nb_table_def *report_def(const xy_side *s, const char *table)
{
    const nb_table *t = nb_report_table_c(s->live, table);
    return t ? t->def : NULL;
}

static nb_cell *report_cell(const xy_side *s, const nb_table_def *d, size_t field)
{
    nb_table *t = nb_report_table(s->live, d->name);
    return t && t->def == d && field < d->nfields ? &t->cells[field] : NULL;
}

xy_side xy_side_of_report(nb_report *r)
{
    return (xy_side){report_def, report_cell, NULL, r->readings, r, r->source.path ? r->source.path : ""};
}

/* Collecting one instance ------------------------------------------------------ */

static void add_field(void *ctx, const nb_field_def *f, size_t i)
{
    (void)f;
    inst *in = ctx;
    in->nfields++;
    nb_cell *c = in->bad ? NULL : in->at->cell(in->at, in->def, i);
    if (!c) {
        in->bad = true;
        return;
    }
    if (c->status == NB_CELL_AMBIGUOUS) {
        size_t slot = 0;
        long row = nb_readings_owner(in->at->rd, in->def, i, &slot);
        if (row < 0 || in->nrefs == XY_MAX_REFS) {
            in->bad = true;
            return;
        }
        in->refs[in->nrefs++] = (ref){in->at, &in->at->rd->v[row], slot, in->coef};
    } else if (c->has_value && c->num.scale == 0 && c->status != NB_CELL_DERIVED) {
        in->konst += in->coef * c->num.v;
    } else {
        in->bad = true;
    }
}

static void collect_term(inst *in, const v_term *t, const v_binding *b, int sign)
{
    if (t->nalts != 1) { /* "a|b" falls back on what is known: not an equation */
        in->bad = true;
        return;
    }
    char *p = v_subst(t->alts[0], b);
    char *table = p ? v_table_of(p) : NULL;
    in->at = in->sides[t->prev ? 1 : 0];
    in->def = table ? in->at->def(in->at, table) : NULL;
    in->coef = sign * t->coef;
    in->nfields = 0;
    if (in->def)
        v_each_field(in->rs, p, in->def, add_field, in);
    if (in->nfields == 0) /* no such cell in this variant: the rule does not apply */
        in->bad = true;
    free(table);
    free(p);
}

static void collect(inst *in, const v_binding *b)
{
    const v_relation *rel = &in->rule->rel;
    in->konst = 0;
    in->nrefs = 0;
    in->bad = false;
    for (size_t i = 0; i < rel->lhs.n && !in->bad; i++)
        collect_term(in, &rel->lhs.t[i], b, 1);
    for (size_t i = 0; i < rel->rhs.n && !in->bad; i++)
        collect_term(in, &rel->rhs.t[i], b, -1);
}

/* Solving one instance ---------------------------------------------------------- */

typedef struct joint {
    nb_reading_row *rows[XY_MAX_ROWS];
    size_t nrows;
    size_t at[XY_MAX_REFS];     /* per ref: its index in rows */
    size_t pick[XY_MAX_ROWS];   /* the reading tried per row */
    bool ok[XY_MAX_ROWS][NB_READINGS_MAX_SOLS];
} joint;

/* The distinct rows the refs read; false past the bounds. */
static bool joint_rows(const inst *in, joint *j)
{
    size_t combos = 1;
    j->nrows = 0;
    for (size_t r = 0; r < in->nrefs; r++) {
        size_t k = 0;
        while (k < j->nrows && j->rows[k] != in->refs[r].row)
            k++;
        if (k == j->nrows) {
            if (j->nrows == XY_MAX_ROWS || in->refs[r].row->nsol == 0)
                return false;
            j->rows[j->nrows++] = in->refs[r].row;
            combos *= in->refs[r].row->nsol;
            if (combos > XY_MAX_COMBOS)
                return false;
        }
        j->at[r] = k;
    }
    return true;
}

static bool satisfied(const inst *in, const joint *j)
{
    int64_t sum = in->konst;
    for (size_t r = 0; r < in->nrefs; r++) {
        const nb_reading_row *row = in->refs[r].row;
        int64_t v = row->sols[j->pick[j->at[r]] * row->k + in->refs[r].slot];
        if (__builtin_add_overflow(sum, in->refs[r].coef * v, &sum))
            return false;
    }
    return sum == 0;
}

/* Next combination (odometer); false after the last. */
static bool next_pick(joint *j)
{
    for (size_t r = 0; r < j->nrows; r++) {
        if (++j->pick[r] < j->rows[r]->nsol)
            return true;
        j->pick[r] = 0;
    }
    return false;
}

static void solve(inst *in)
{
    joint *j = calloc(1, sizeof *j);
    if (!j || !joint_rows(in, j)) {
        free(j);
        return;
    }
    size_t nsurv = 0;
    do {
        if (satisfied(in, j)) {
            nsurv++;
            for (size_t r = 0; r < j->nrows; r++)
                j->ok[r][j->pick[r]] = true;
        }
    } while (next_pick(j));
    for (size_t r = 0; nsurv && r < j->nrows; r++)
        if (nb_readings_filter(j->rows[r], j->ok[r])) {
            j->rows[r]->decided_by = in->rule->id;
            in->changed = true;
        }
    free(j);
}

static bool on_binding(void *ctx, const v_binding *b)
{
    inst *in = ctx;
    collect(in, b);
    if (!in->bad && in->nrefs)
        solve(in);
    return true;
}

static bool rule_applies(const v_rule *r, const nb_table_def *d)
{
    if (!r->cross_year || r->kind != VK_LINEAR || r->rel.op != V_EQ || r->nwhen || !d)
        return false;
    bool ok = r->nvariants == 0;
    for (size_t i = 0; i < r->nvariants; i++)
        ok = ok || strcmp(r->variants[i], d->variant) == 0;
    return ok;
}

static bool one_pass(inst *in)
{
    in->changed = false;
    for (size_t i = 0; i < in->rs->n; i++) {
        const v_rule *r = &in->rs->rules[i];
        const nb_table_def *d = r->table ? in->sides[0]->def(in->sides[0], r->table) : NULL;
        if (!rule_applies(r, d))
            continue;
        in->rule = r;
        v_for_each_binding(r, d, on_binding, in);
    }
    return in->changed;
}

/* Setting what every remaining reading agrees on ------------------------------- */

static void set_live(xy_side *s, const xy_side *other, const nb_reading_row *row, size_t slot, nb_cell *c,
                     int64_t v)
{
    char *by = nb_strfmt(" %s 与 %s 的数值共同", row->decided_by, other->source);
    nb_readings_set_cell(s->live, row, slot, c, v, "PARSE-XYEAR-DECIDED", by ? by : "");
    free(by);
}

static size_t apply_side(xy_side *s, const xy_side *other)
{
    size_t set = 0;
    for (size_t i = 0; s->rd && i < s->rd->n; i++) {
        const nb_reading_row *row = &s->rd->v[i];
        for (size_t j = 0; row->decided_by && j < row->k; j++) {
            int64_t v;
            nb_cell *c = nb_readings_agreed(row, j, &v) ? s->cell(s, row->def, row->fields[j]) : NULL;
            if (!c || c->status != NB_CELL_AMBIGUOUS)
                continue;
            if (s->live)
                set_live(s, other, row, j, c, v);
            else
                *c = (nb_cell){.status = NB_CELL_INFERRED, .has_value = true, .num = nb_num_int(v)};
            set++;
        }
    }
    return set;
}

size_t xy_resolve(const nb_ruleset *rs, xy_side *cur, xy_side *prev, bool *cur_set, bool *prev_set)
{
    inst in = {.rs = rs, .sides = {cur, prev}};
    if (cur_set)
        *cur_set = false;
    if (prev_set)
        *prev_set = false;
    if (!rs || (!cur->rd && !prev->rd))
        return 0;
    /* a row narrowed by one instance may let another decide: repeat, bounded */
    for (int pass = 0; pass < XY_MAX_PASSES; pass++)
        if (!one_pass(&in))
            break;
    size_t a = apply_side(cur, prev), b = apply_side(prev, cur);
    if (cur_set)
        *cur_set = a > 0;
    if (prev_set)
        *prev_set = b > 0;
    if (a && cur->live)
        nb_report_derive(cur->live);
    if (b && prev->live)
        nb_report_derive(prev->live);
    return (cur->live ? a : 0) + (prev->live ? b : 0);
}

/* Re-validation ------------------------------------------------------------------- */

static bool own_rule(const nb_ruleset *rs, const char *id)
{
    for (size_t i = 0; i < rs->n; i++)
        if (!rs->rules[i].cross_year && strcmp(rs->rules[i].id, id) == 0)
            return true;
    return false;
}

static bool not_own_rule(const nb_diag *d, const void *rs)
{
    return !d->rule || !own_rule(rs, d->rule);
}

void xy_revalidate(const nb_ruleset *rs, nb_report *r)
{
    nb_report_filter_diags(r, not_own_rule, rs);
    nb_validate(rs, r);
}
