/* validate_plan.h - linear rules compiled once per (rule, table definition).
 *
 * Which cells a rule instance reads depends only on the rule and the
 * template table, so every binding of the rule's variables is expanded
 * once, each alternative substituted and, on the rule's own table,
 * resolved to field indexes.  Validating a report is then arithmetic over
 * its cell array.  Plans are built lazily, published atomically and owned
 * by the ruleset. */
#ifndef NB_VALIDATE_PLAN_H
#define NB_VALIDATE_PLAN_H

#include "validate_int.h"

typedef struct v_calt {
    char *p;                 /* the substituted pattern (NULL when d is set) */
    char *table;             /* its table (NULL when d is set) */
    const nb_table_def *d;   /* resolved against d (idx valid), NULL: look up per report */
    size_t *idx;
    size_t n;
} v_calt;

typedef struct v_cterm {
    v_calt *alts;
    size_t nalts;
    int coef;
    bool prev;
} v_cterm;

typedef struct v_csum {
    v_cterm *t;
    size_t n;
} v_csum;

typedef struct v_crel {      /* a relation; a cell condition uses lhs.t[0] only */
    v_csum lhs, rhs;
} v_crel;

typedef struct v_cinst {     /* one binding of the rule's variables */
    const char **vals;
    v_crel *when;            /* per "when" condition */
    v_crel rel;
    v_cterm cells, target;   /* cell rules: the cells checked; VK_OMITTED: the total; linear
                              * rules: the cell a finding names (nalts 0: none) */
} v_cinst;

typedef struct v_plan {
    const nb_table_def *d;
    v_cinst *inst;
    size_t n;
    struct v_plan *next;
    struct v_arena *arena;
    struct v_flat *flat;     /* its relations as cell lists, made on first use (validate_fast.c) */
} v_plan;

/* The plan of rule r (one of rs->rules; a linear or cell rule) against d, built on first use;
 * NULL when it cannot be (out of memory, or d not the ruleset's own). */
const v_plan *v_plan_for(const nb_ruleset *rs, const v_rule *r, const nb_table_def *d);
/* Values of compiled terms and sums; own is the report's cell array of the
 * plan's table (what resolved alternatives read), NULL: fetched per use. */
v_val v_cterm_value(const v_eval *ev, const v_cterm *t, const nb_cell *own);
v_val v_csum_value(const v_eval *ev, const v_csum *s, const nb_cell *own);
/* Calls fn for every field (and its table definition) an alternative selects. */
void v_calt_each(const v_eval *ev, const v_calt *a, bool prev,
                 void (*fn)(void *ctx, const nb_table_def *d, const nb_field_def *f, size_t i),
                 void *ctx);

/* validate_fast.c: compiled relations decided over the rule's own cells. */
enum { V_FAST_UNKNOWN = -1, V_FAST_FAILS = 0, V_FAST_HOLDS = 1 };
/* The plan's relations flattened once: per instance, each "when" relation
 * and the relation itself as one list of signed cells of the plan's table.
 * Made on the first call and published atomically (workers share it);
 * NULL when memory ran out. */
const struct v_flat *v_flat_of(const v_plan *pl, const v_rule *r);
void v_flat_free(struct v_flat *f);
/* The flat lists (validate_fast.c builds them), here so that deciding a
 * relation is inline: it runs for every relation of every report. */
#define V_FLAT_NONE UINT32_MAX   /* a relation that is not a list of own cells */
#define V_FLAT_CAP (1u << 20)    /* cells per relation and field indices: 2^20 * 2^40 < 2^62 */
#define V_FLAT_BOUND ((int64_t)1 << 40)

typedef struct v_frel {
    uint32_t at, n;              /* ops[at .. at+n), or n == V_FLAT_NONE */
    uint32_t nplus;              /* the first nplus are added, the rest subtracted */
} v_frel;

struct v_flat {
    size_t per;                  /* relations per instance: nwhen + 1 */
    v_frel *rel;                 /* per instance: its "when" conditions, then its own relation; a
                                  * cell condition's list is its cells (nplus 0) */
    uint32_t *ops;               /* a cell's byte offset in the table's cell array */
    size_t nops, cap;
    bool *implied;               /* per instance: every "when" is a cell condition that holds
                                  * whenever its own relation's cells are all known */
};

/* The cell at byte offset off of own when it is known, whole and under
 * V_FLAT_BOUND in size; NULL otherwise. */
static inline const nb_cell *v_flat_cell(const nb_cell *own, uint32_t off)
{
    const nb_cell *c = (const nb_cell *)((const char *)own + off);
    uint64_t v = (uint64_t)c->num.v + (uint64_t)(V_FLAT_BOUND - 1); /* -BOUND < v < BOUND */
    return c->has_value && c->num.scale == 0 && v <= (uint64_t)(2 * V_FLAT_BOUND - 2) ? c : NULL;
}

/* Relation w of instance i (w == r->nwhen: the rule's own relation) over
 * own, the cells of the plan's table: V_FAST_HOLDS or V_FAST_FAILS when it
 * is a list of those cells and every one is known, whole and under 2^40 in
 * size (then v_csum_value and the comparison give the same answer, with
 * nothing to note); else V_FAST_UNKNOWN: ask the plain path. */
static inline int v_flat_decide(const struct v_flat *f, size_t i, size_t w, v_op op, const nb_cell *own)
{
    const v_frel *fr = &f->rel[i * f->per + w];
    if (fr->n == V_FLAT_NONE || !own)
        return V_FAST_UNKNOWN;
    int64_t diff = 0;
    const uint32_t *o = f->ops + fr->at, *mid = o + fr->nplus, *end = o + fr->n;
    for (; o < mid; o++) {
        const nb_cell *c = v_flat_cell(own, *o);
        if (!c)
            return V_FAST_UNKNOWN;
        diff += c->num.v;
    }
    for (; o < end; o++) {
        const nb_cell *c = v_flat_cell(own, *o);
        if (!c)
            return V_FAST_UNKNOWN;
        diff -= c->num.v;
    }
    bool ok = op == V_EQ ? diff == 0 : op == V_LE ? diff <= 0 : diff >= 0;
    return ok ? V_FAST_HOLDS : V_FAST_FAILS;
}

/* Cell condition w (of kind k) of instance i over own, from its list of
 * the plan's cells: 1 holds, 0 fails, -1 no list (ask the plain path).
 * The answer of the plain path: any_known when some cell is known, known
 * when there are cells and all are, printed when besides none is derived. */
static inline int v_flat_cond(const struct v_flat *f, size_t i, size_t w, v_cond_kind k, const nb_cell *own)
{
    const v_frel *fr = &f->rel[i * f->per + w];
    if (fr->n == V_FLAT_NONE || !own)
        return -1;
    const uint32_t *o = f->ops + fr->at, *end = o + fr->n;
    if (k == VC_ANY_KNOWN) {
        for (; o < end; o++)
            if (((const nb_cell *)((const char *)own + *o))->has_value)
                return 1;
        return 0;
    }
    if (o == end)
        return 0;
    for (; o < end; o++) {
        const nb_cell *c = (const nb_cell *)((const char *)own + *o);
        if (!c->has_value || (k == VC_PRINTED && c->status == NB_CELL_DERIVED))
            return 0;
    }
    return 1;
}

#endif
