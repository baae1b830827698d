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
    v_cterm cells, target;   /* cell rules: the cells checked; VK_OMITTED: the total */
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
/* Relation w of instance i (w == r->nwhen: the rule's own relation) over
 * own, the cells of the plan's table: V_FAST_HOLDS or V_FAST_FAILS when it
 * is a list of those cells and every one is known, whole and under 2^40 in
 * size (then v_csum_value and the comparison give the same answer, with
 * nothing to note); else V_FAST_UNKNOWN: ask the plain path. */
int v_flat_decide(const struct v_flat *f, size_t i, size_t w, v_op op, const nb_cell *own);

#endif
