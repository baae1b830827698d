/* validate_plan.c - linear rules compiled per (rule, table definition),
 * and the values of their compiled sums (validate_plan.h).
 *
 * Only the ruleset's own definitions (stable addresses) and "no table" get
 * a plan; any other definition runs the interpreted path.  A lookup that
 * finds its plan takes no lock: plans are immutable once published. */
#include "validate_plan.h"
#include "util.h"
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

/* Everything a plan holds lives in one arena, freed with it. */
typedef struct v_arena {
    struct v_arena *next;
    size_t used, cap;
    _Alignas(max_align_t) unsigned char mem[];
} v_arena;

#define V_ARENA_CHUNK 16384

static void *arena_alloc(v_arena **a, size_t n)
{
    n = (n + sizeof(max_align_t) - 1) & ~(sizeof(max_align_t) - 1);
    if (!*a || (*a)->used + n > (*a)->cap) {
        size_t cap = n > V_ARENA_CHUNK ? n : V_ARENA_CHUNK;
        v_arena *c = malloc(sizeof *c + cap);
        if (!c)
            return NULL;
        c->next = *a;
        c->used = 0;
        c->cap = cap;
        *a = c;
    }
    void *p = (*a)->mem + (*a)->used;
    (*a)->used += n;
    memset(p, 0, n);
    return p;
}

static void arena_free(v_arena *a)
{
    while (a) {
        v_arena *next = a->next;
        free(a);
        a = next;
    }
}

struct v_plans {
    pthread_mutex_t lock;      /* taken only to build a missing plan */
    _Atomic(v_plan *) head[];  /* per rule: its plans, newest first */
};

v_plans *v_plans_new(size_t nrules)
{
    v_plans *p = calloc(1, sizeof *p + (nrules ? nrules : 1) * sizeof p->head[0]);
    if (!p || pthread_mutex_init(&p->lock, NULL) != 0) {
        free(p);
        return NULL;
    }
    for (size_t i = 0; i < nrules; i++)
        atomic_init(&p->head[i], NULL);
    return p;
}

void v_plans_free(v_plans *p, size_t nrules)
{
    if (!p)
        return;
    for (size_t i = 0; i < nrules; i++) {
        v_plan *pl = atomic_load_explicit(&p->head[i], memory_order_relaxed);
        while (pl) {
            v_plan *next = pl->next;
            v_flat_free(pl->flat);
            arena_free(pl->arena);
            free(pl);
            pl = next;
        }
    }
    pthread_mutex_destroy(&p->lock);
    free(p);
}

/* Building ------------------------------------------------------------- */

typedef struct build {
    const nb_ruleset *rs;
    const v_rule *r;
    const nb_table_def *d;
    v_arena *arena;
    v_cinst *inst;
    size_t n, cap;
    size_t *scratch;         /* d->nfields slots: one alternative's indices */
    size_t nscratch;
    bool failed;
} build;

static char *arena_strn(build *bd, const char *s, size_t n)
{
    char *c = arena_alloc(&bd->arena, n + 1);
    if (c) {
        memcpy(c, s, n);
        c[n] = '\0';
    }
    return c;
}

static void collect_index(void *ctx, const nb_field_def *f, size_t i)
{
    (void)f;
    build *bd = ctx;
    bd->scratch[bd->nscratch++] = i;
}

/* The indices p selects in d, in field order, into bd->scratch.  A path
 * without a wildcard (most of them, once the variables are in) is found in
 * the path index directly; a wildcard goes through the ruleset's cache,
 * as the same pattern recurs across rules and the interpreted path. */
static bool select_indices(build *bd, const char *p)
{
    const nb_table_def *d = bd->d;
    if (!bd->scratch && !(bd->scratch = malloc((d->nfields ? d->nfields : 1) * sizeof *bd->scratch)))
        return false;
    bd->nscratch = 0;
    if (d->by_path && !strchr(p, '*')) {
        const size_t *idx;
        size_t n = nb_table_def_path_range(d, p, &idx);
        memcpy(bd->scratch, idx, n * sizeof *idx);
        bd->nscratch = n;
    } else {
        v_each_field(bd->rs, p, d, collect_index, bd);
    }
    return true;
}

/* An alternative resolved on bd->d: its indices, kept at their own size
 * (most paths select one field, and a zeroed block per path sized for
 * the whole table spread a process's first report over a couple of
 * hundred fresh pages, 7-19 us each in a VM: docs/performance.md).  The
 * pattern and table are not kept: with d and idx they are never read. */
static bool resolve_alt(build *bd, v_calt *a, const char *p)
{
    if (!select_indices(bd, p))
        return false;
    size_t n = bd->nscratch;
    if (!(a->idx = arena_alloc(&bd->arena, (n ? n : 1) * sizeof *a->idx)))
        return false;
    memcpy(a->idx, bd->scratch, n * sizeof *a->idx);
    a->d = bd->d;
    a->n = n;
    return true;
}

static bool build_alt(build *bd, v_calt *a, const char *pat, bool prev, const v_binding *b)
{
    char buf[256], *heap;
    size_t n;
    const char *p = v_subst_local(pat, b, buf, sizeof buf, &heap, &n);
    if (!p)
        return false;
    size_t tl = strcspn(p, ".");
    const char *own = bd->r->table;
    bool ok;
    /* Only the rule's own table is certainly bd->d in every report that
     * uses this plan; other tables are looked up per report. */
    if (bd->d && !prev && own && strlen(own) == tl && memcmp(p, own, tl) == 0)
        ok = resolve_alt(bd, a, p);
    else
        ok = (a->p = arena_strn(bd, p, n)) && (a->table = arena_strn(bd, p, tl));
    free(heap);
    return ok;
}

static bool build_term(build *bd, v_cterm *ct, const v_term *t, const v_binding *b)
{
    ct->coef = t->coef;
    ct->prev = t->prev;
    ct->nalts = t->nalts;
    ct->alts = arena_alloc(&bd->arena, (t->nalts ? t->nalts : 1) * sizeof *ct->alts);
    if (!ct->alts)
        return false;
    for (size_t i = 0; i < t->nalts; i++)
        if (!build_alt(bd, &ct->alts[i], t->alts[i], t->prev, b))
            return false;
    return true;
}

static bool build_sum(build *bd, v_csum *cs, const v_sum *s, const v_binding *b)
{
    cs->n = s->n;
    cs->t = arena_alloc(&bd->arena, (s->n ? s->n : 1) * sizeof *cs->t);
    if (!cs->t)
        return false;
    for (size_t i = 0; i < s->n; i++)
        if (!build_term(bd, &cs->t[i], &s->t[i], b))
            return false;
    return true;
}

static bool build_rel(build *bd, v_crel *cr, const v_relation *rel, const v_binding *b)
{
    return build_sum(bd, &cr->lhs, &rel->lhs, b) && build_sum(bd, &cr->rhs, &rel->rhs, b);
}

static bool build_cond(build *bd, v_crel *cr, const v_cond *c, const v_binding *b)
{
    if (c->kind == VC_RELATION)
        return build_rel(bd, cr, &c->rel, b);
    cr->lhs.n = 1;
    cr->lhs.t = arena_alloc(&bd->arena, sizeof *cr->lhs.t);
    return cr->lhs.t && build_term(bd, cr->lhs.t, &c->cells, b);
}

static bool build_instance(void *ctx, const v_binding *b)
{
    build *bd = ctx;
    const v_rule *r = bd->r;
    if (!nb_grow((void **)&bd->inst, &bd->cap, bd->n, sizeof *bd->inst)) {
        bd->failed = true;
        return false;
    }
    v_cinst *in = &bd->inst[bd->n++];
    memset(in, 0, sizeof *in);
    in->vals = arena_alloc(&bd->arena, (r->nvars ? r->nvars : 1) * sizeof *in->vals);
    in->when = arena_alloc(&bd->arena, (r->nwhen ? r->nwhen : 1) * sizeof *in->when);
    bool ok = in->vals && in->when;
    for (size_t i = 0; ok && i < r->nvars; i++)
        in->vals[i] = b->vals[i]; /* the rule's own values or d's keys: they outlive the plan */
    for (size_t i = 0; ok && i < r->nwhen; i++)
        ok = build_cond(bd, &in->when[i], &r->when[i], b);
    ok = ok && build_rel(bd, &in->rel, &r->rel, b);
    if (ok && r->kind != VK_LINEAR) {
        ok = build_term(bd, &in->cells, &r->cells, b);
        ok = ok && (r->kind != VK_OMITTED || build_term(bd, &in->target, &r->target, b));
    } else if (ok && r->target.nalts) { /* the cell a finding names, read without a lookup */
        ok = build_term(bd, &in->target, &r->target, b);
    }
    bd->failed = !ok;
    return ok;
}

static v_plan *plan_build(const nb_ruleset *rs, const v_rule *r, const nb_table_def *d)
{
    build bd = {rs, r, d, NULL, NULL, 0, 0, NULL, 0, false};
    v_for_each_binding(r, d, build_instance, &bd);
    free(bd.scratch);
    /* the plan itself is a block of its own: what points at it (and at the
     * arena's chunks) points at a block's start, so a leak checker sees it */
    v_plan *pl = bd.failed ? NULL : calloc(1, sizeof *pl);
    v_cinst *inst = pl ? arena_alloc(&bd.arena, (bd.n ? bd.n : 1) * sizeof *inst) : NULL;
    if (!inst) {
        free(pl);
        free(bd.inst);
        arena_free(bd.arena);
        return NULL;
    }
    if (bd.n)
        memcpy(inst, bd.inst, bd.n * sizeof *inst);
    free(bd.inst);
    pl->d = d;
    pl->inst = inst;
    pl->n = bd.n;
    pl->arena = bd.arena;
    return pl;
}

static const v_plan *find(const v_plan *pl, const nb_table_def *d)
{
    for (; pl; pl = pl->next)
        if (pl->d == d)
            return pl;
    return NULL;
}

const v_plan *v_plan_for(const nb_ruleset *rs, const v_rule *r, const nb_table_def *d)
{
    v_plans *ps = rs->plans;
    if (!ps || r < rs->rules || r >= rs->rules + rs->n)
        return NULL;
    _Atomic(v_plan *) *head = &ps->head[r - rs->rules];
    const v_plan *pl = find(atomic_load_explicit(head, memory_order_acquire), d);
    if (pl)
        return pl; /* only own definitions get a plan: no need to ask again */
    if (d && !v_own_def(rs, d))
        return NULL;
    pthread_mutex_lock(&ps->lock);
    v_plan *first = atomic_load_explicit(head, memory_order_relaxed);
    if (!(pl = find(first, d))) {
        v_plan *np = plan_build(rs, r, d);
        if (np) {
            np->next = first;
            atomic_store_explicit(head, np, memory_order_release); /* whole before seen */
        }
        pl = np;
    }
    pthread_mutex_unlock(&ps->lock);
    return pl;
}

/* Values ---------------------------------------------------------------- */

#define V_ZERO ((nb_num){0, 0}) /* nb_num_int(0), without a call per term */

typedef struct fwd {
    const v_eval *ev;
    const nb_table_def *d;
    bool prev;
    void (*fn)(void *ctx, const nb_table_def *d, const nb_field_def *f, size_t i);
    void *ctx;
    v_val *v;
} fwd;

static void fwd_field(void *ctx, const nb_field_def *f, size_t i)
{
    fwd *w = ctx;
    w->fn(w->ctx, w->d, f, i);
}

void v_calt_each(const v_eval *ev, const v_calt *a, bool prev,
                 void (*fn)(void *ctx, const nb_table_def *d, const nb_field_def *f, size_t i),
                 void *ctx)
{
    const nb_table_def *d = a->d ? a->d : ev->src->def(ev->src->ctx, a->table, prev);
    if (!d)
        return;
    if (!a->d) {
        fwd w = {ev, d, prev, fn, ctx, NULL};
        v_each_field(ev->rs, a->p, d, fwd_field, &w);
        return;
    }
    for (size_t k = 0; k < a->n; k++)
        fn(ctx, d, &d->fields[a->idx[k]], a->idx[k]);
}

static void add_field(void *ctx, const nb_field_def *f, size_t i)
{
    fwd *w = ctx;
    v_val_add(w->v, f, w->ev->src->cell(w->ev->src->ctx, w->d, i, w->prev));
}

/* The resolved cells of a added from the array all: once a cell is in,
 * a known value is one addition (v_val_add decides everything else). */
static void add_resolved(v_val *v, const nb_table_def *d, const v_calt *a, const nb_cell *all)
{
    for (size_t k = 0; k < a->n; k++) {
        const nb_cell *c = &all[a->idx[k]];
        if (v->nfields && c->has_value) {
            v->nfields++;
            v->sum = v_num_add(v->sum, c->num);
        } else {
            v_val_add(v, &d->fields[a->idx[k]], c);
        }
    }
}

/* As v_pattern_value, without substituting or matching anything; own is
 * the report's cell array of a resolved alternative's table (NULL: ask). */
static v_val calt_value(const v_eval *ev, const v_calt *a, bool prev, const nb_cell *own)
{
    v_val v = {VR_NOFIELD, V_ZERO, 0, NULL, NULL};
    const nb_table_def *d = a->d ? a->d : ev->src->def(ev->src->ctx, a->table, prev);
    if (!d) {
        v.res = VR_ABSENT;
        return v;
    }
    v.res = VR_OK;
    if (a->d) {
        const nb_cell *all = own ? own : ev->src->cells ? ev->src->cells(ev->src->ctx, d, prev) : NULL;
        if (all)
            add_resolved(&v, d, a, all);
        else
            for (size_t k = 0; k < a->n; k++)
                v_val_add(&v, &d->fields[a->idx[k]], ev->src->cell(ev->src->ctx, d, a->idx[k], prev));
    } else {
        fwd w = {ev, d, prev, NULL, NULL, &v};
        v_each_field(ev->rs, a->p, d, add_field, &w);
    }
    if (v.nfields == 0)
        v.res = VR_NOFIELD;
    return v;
}

/* The usual term: its first alternative resolved on the rule's table, every
 * cell known.  Its value is then that alternative's (as calt_value gives
 * it); false when any of that does not hold. */
static bool resolved_known(const v_cterm *t, const nb_cell *own, v_val *out)
{
    const v_calt *a = t->nalts ? &t->alts[0] : NULL;
    if (!own || !a || !a->d || !a->n)
        return false;
    nb_num sum = V_ZERO;
    for (size_t k = 0; k < a->n; k++) {
        const nb_cell *c = &own[a->idx[k]];
        if (!c->has_value)
            return false;
        sum = v_num_add(sum, c->num);
    }
    *out = (v_val){VR_OK, sum, a->n, &a->d->fields[a->idx[0]], &own[a->idx[0]]};
    return true;
}

/* v_cterm_value alternative by alternative. */
static v_val cterm_value(const v_eval *ev, const v_cterm *t, const nb_cell *own)
{
    v_val best = {VR_NOFIELD, V_ZERO, 0, NULL, NULL};
    for (size_t i = 0; i < t->nalts; i++) {
        v_val v = calt_value(ev, &t->alts[i], t->prev, own);
        if (v.res == VR_OK)
            return v;
        if (v_val_better(&v, &best))
            best = v;
    }
    return best;
}

v_val v_cterm_value(const v_eval *ev, const v_cterm *t, const nb_cell *own)
{
    v_val v;
    return resolved_known(t, own, &v) ? v : cterm_value(ev, t, own); /* the usual term first */
}

v_val v_csum_value(const v_eval *ev, const v_csum *s, const nb_cell *own)
{
    v_val acc = {VR_OK, V_ZERO, 0, NULL, NULL};
    for (size_t i = 0; i < s->n; i++) {
        v_val v;
        if (!resolved_known(&s->t[i], own, &v))
            v = cterm_value(ev, &s->t[i], own);
        v_sum_fold(&acc, &v, s->t[i].coef);
    }
    return acc;
}
