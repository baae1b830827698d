/* validate_paths.c - key-path patterns, rule variables and cell sums.
 *
 * A pattern is a full key path whose segments may be '*' (one segment),
 * '**' (one or more) or {var} (a for_each variable, substituted first).
 * A wildcard never picks up a derived row (a subtotal) or a unit string:
 * sums over "withheld.*" must not count the subtotal twice. */
#include "validate_int.h"
#include "util.h"
#include <stdlib.h>
#include <string.h>

#define V_MAXSEG 16

typedef struct seg {
    const char *s;
    size_t n;
} seg;

static size_t split(const char *s, seg *out)
{
    size_t n = 0;
    while (n < V_MAXSEG) {
        const char *dot = strchr(s, '.');
        out[n].s = s;
        out[n].n = dot ? (size_t)(dot - s) : strlen(s);
        n++;
        if (!dot)
            break;
        s = dot + 1;
    }
    return n;
}

static bool seg_eq(seg a, seg b)
{
    return a.n == b.n && memcmp(a.s, b.s, a.n) == 0;
}

/* Segments [rlo, rhi) of the path are the row key; *row_wild records
 * whether a wildcard matched any of them. */
static bool match(const seg *p, size_t np, const seg *s, size_t ns, size_t at,
                  size_t rlo, size_t rhi, bool *row_wild)
{
    if (np == 0)
        return ns == 0;
    if (p[0].n == 2 && memcmp(p[0].s, "**", 2) == 0) {
        for (size_t k = 1; k <= ns; k++) {
            bool w = *row_wild || (at < rhi && at + k > rlo);
            if (match(p + 1, np - 1, s + k, ns - k, at + k, rlo, rhi, &w)) {
                *row_wild = w;
                return true;
            }
        }
        return false;
    }
    if (ns == 0)
        return false;
    bool star = p[0].n == 1 && p[0].s[0] == '*';
    if (!star && !seg_eq(p[0], s[0]))
        return false;
    bool w = *row_wild || (star && at >= rlo && at < rhi);
    if (!match(p + 1, np - 1, s + 1, ns - 1, at + 1, rlo, rhi, &w))
        return false;
    *row_wild = w;
    return true;
}

/* A wildcard pattern taken apart once for all the fields of a table. */
typedef struct v_pat {
    const char *s;
    size_t lit;        /* bytes of the literal segments before the first wildcard */
    const char *last;  /* the last segment when literal (every match ends with it), else NULL */
    size_t lastn;
    seg p[V_MAXSEG];
    size_t np;
    size_t litsegs;    /* segments in the first lit bytes */
    bool flat;         /* no '**' and fewer than V_MAXSEG segments: walk_match */
    bool tail2;        /* literal segments, then '**' last (fewer than V_MAXSEG): tail_match */
} v_pat;

static void pat_prepare(v_pat *vp, const char *pattern)
{
    vp->s = pattern;
    vp->lit = (size_t)(strchr(pattern, '*') - pattern);
    while (vp->lit && pattern[vp->lit - 1] != '.')
        vp->lit--;
    vp->np = split(pattern, vp->p);
    seg l = vp->p[vp->np - 1];
    bool wild = l.n >= 1 && l.s[0] == '*' && (l.n == 1 || (l.n == 2 && l.s[1] == '*'));
    vp->last = wild || vp->np < 2 || vp->np >= V_MAXSEG ? NULL : l.s;
    vp->lastn = l.n;
    vp->litsegs = 0;
    for (size_t i = 0; i < vp->lit; i++)
        vp->litsegs += pattern[i] == '.';
    vp->flat = vp->np < V_MAXSEG;
    for (size_t i = 0; i < vp->np; i++)
        vp->flat = vp->flat && !(vp->p[i].n == 2 && memcmp(vp->p[i].s, "**", 2) == 0);
    vp->tail2 = vp->np < V_MAXSEG && vp->litsegs + 1 == vp->np && vp->p[vp->np - 1].n == 2 &&
                memcmp(vp->p[vp->np - 1].s, "**", 2) == 0;
}

/* Segments of the row key rd->key (a row key may hold dots). */
static size_t row_segments(const nb_row_def *rd)
{
    size_t n = 1;
    for (const char *c = rd->key; *c; c++)
        n += *c == '.';
    return n;
}

/* Whether the row key rd->key has at least m segments (reads no further
 * than the (m-1)th dot). */
static bool row_has_segs(const nb_row_def *rd, size_t m)
{
    size_t dots = 0;
    for (const char *c = rd->key; dots + 1 < m && (c = strchr(c, '.')); c++)
        dots++;
    return dots + 1 >= m;
}

/* Whether a wildcard of the match may pick up this field (see the top). */
static bool wild_may_take(bool row_wild, const nb_table_def *d, const nb_field_def *f)
{
    if (f->type == NB_TYPE_UNIT) /* the pattern has a wildcard */
        return false;
    const nb_row_def *rd = &d->rows[f->row];
    return !(row_wild && (rd->derived || !rd->printed));
}

/* pat_match for a flat pattern whose first lit bytes path shares: one walk
 * over both strings past them, segment by segment.  Without '**' a match
 * pairs segment i with segment i, so the path needs exactly np segments
 * (split's cut at V_MAXSEG cannot make a deeper path match either). */
static bool walk_match(const v_pat *vp, const char *path, const nb_table_def *d,
                       const nb_field_def *f)
{
    const char *s = path + vp->lit;
    unsigned stars = 0;  /* bit i: segment i is '*' (np < V_MAXSEG) */
    for (size_t i = vp->litsegs; i < vp->np; i++) {
        seg p = vp->p[i];
        size_t n = 0;
        while (s[n] && s[n] != '.')
            n++;
        if (p.n == 1 && p.s[0] == '*')
            stars |= 1u << i;
        else if (n != p.n || memcmp(s, p.s, n) != 0)
            return false;
        s += n;
        if (i + 1 < vp->np) {
            if (*s != '.')
                return false;
            s++;
        }
    }
    if (*s)
        return false;
    /* a '*' on the row key's segments, [1, 1 + its segments): the first
     * '*' past segment 0 is, when the row key has that many segments */
    unsigned s1 = stars & ~1u;
    bool row_wild = s1 && row_has_segs(&d->rows[f->row], (size_t)__builtin_ctz(s1));
    return wild_may_take(row_wild, d, f);
}

/* pat_match for "L.M.**" on a path that starts with "L.M.": '**' takes
 * whatever follows (one segment at least, even an empty one, and the
 * path's cut at V_MAXSEG leaves it one), so only the row test is left:
 * it covers a row segment when it starts within the row key and the
 * path has more than one segment. */
static bool tail_match(const v_pat *vp, const char *path, const nb_table_def *d,
                       const nb_field_def *f)
{
    bool more = vp->lit > 0 || strchr(path, '.');
    bool row_wild = more && row_has_segs(&d->rows[f->row], vp->litsegs);
    return wild_may_take(row_wild, d, f);
}

/* The recursive matcher every pattern shape goes through (and the
 * reference walk_match is tested against: v_path_match_plain). */
static bool pat_match_plain(const v_pat *vp, const char *path, const nb_table_def *d,
                            const nb_field_def *f)
{
    /* Segments before the first wildcard must be the path's own, and a
     * literal last segment its last: most fields are decided here,
     * without splitting the path. */
    if (strncmp(vp->s, path, vp->lit) != 0)
        return false;
    if (vp->last) {
        size_t n = 0, dots = 0;
        for (; path[n]; n++)
            dots += path[n] == '.';
        if (dots < V_MAXSEG && (n <= vp->lastn || path[n - vp->lastn - 1] != '.' ||
                                memcmp(path + n - vp->lastn, vp->last, vp->lastn) != 0))
            return false; /* (a deeper path is cut at V_MAXSEG segments by split) */
    }
    seg s[V_MAXSEG];
    size_t ns = split(path, s);
    bool row_wild = false;
    if (!match(vp->p, vp->np, s, ns, 0, 1, 1 + row_segments(&d->rows[f->row]), &row_wild))
        return false;
    return wild_may_take(row_wild, d, f);
}

static bool pat_match(const v_pat *vp, const char *path, const nb_table_def *d, const nb_field_def *f)
{
    if (vp->tail2)
        return strncmp(vp->s, path, vp->lit) == 0 && tail_match(vp, path, d, f);
    if (!vp->flat)
        return pat_match_plain(vp, path, d, f);
    if (vp->last) { /* a literal last segment: most fields of a run fail here */
        size_t n = strlen(path);
        if (n <= vp->lastn || path[n - vp->lastn - 1] != '.' ||
            memcmp(path + n - vp->lastn, vp->last, vp->lastn) != 0)
            return false;
    }
    return strncmp(vp->s, path, vp->lit) == 0 && walk_match(vp, path, d, f);
}

bool v_path_match_plain(const char *pattern, const char *path, const nb_table_def *d,
                        const nb_field_def *f)
{
    if (!strchr(pattern, '*'))
        return strcmp(pattern, path) == 0;
    v_pat vp;
    pat_prepare(&vp, pattern);
    return pat_match_plain(&vp, path, d, f);
}

bool v_path_match(const char *pattern, const char *path, const nb_table_def *d,
                  const nb_field_def *f)
{
    if (!strchr(pattern, '*'))
        return strcmp(pattern, path) == 0;
    v_pat vp;
    pat_prepare(&vp, pattern);
    return pat_match(&vp, path, d, f);
}

/* The run of d's path index whose paths start with the n bytes of pre
 * (the index is sorted by strcmp, so they are one run). */
static size_t prefix_run(const nb_table_def *d, const char *pre, size_t n, const size_t **idx)
{
    size_t lo = 0, hi = d->nfields;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (strncmp(d->fields[d->by_path[mid]].path, pre, n) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    size_t end = lo;
    while (end < d->nfields && strncmp(d->fields[d->by_path[end]].path, pre, n) == 0)
        end++;
    *idx = d->by_path + lo;
    return end - lo;
}

/* The fields a wildcard pattern selects, in field order: only those whose
 * path has its literal segments (pat_match's first test) are tried, found
 * in the path index; false when that cannot be used (then try them all). */
static bool each_match_indexed(const v_pat *vp, const nb_table_def *d,
                               bool (*fn)(void *ctx, const nb_field_def *f, size_t i), void *ctx,
                               bool *done)
{
    if (!d->by_path || !vp->lit)
        return false;
    const size_t *idx;
    size_t n = prefix_run(d, vp->s, vp->lit, &idx);
    unsigned char local[2048];
    unsigned char *hit = !n ? NULL : d->nfields <= sizeof local ? local : calloc(d->nfields, 1);
    if (n && !hit)
        return false;
    if (hit == local)
        memset(local, 0, d->nfields);
    for (size_t k = 0; k < n; k++)
        hit[idx[k]] = 1;
    *done = true;
    for (size_t i = 0; n && i < d->nfields; i++)
        if (hit[i] && pat_match(vp, d->fields[i].path, d, &d->fields[i]) && !fn(ctx, &d->fields[i], i)) {
            *done = false;
            break;
        }
    if (hit != local)
        free(hit);
    return true;
}

/* Calls fn for the fields of d that pat selects, in field order, until fn
 * returns false; false when it stopped early. */
static bool each_match(const char *pat, const nb_table_def *d,
                       bool (*fn)(void *ctx, const nb_field_def *f, size_t i), void *ctx)
{
    if (d->by_path && !strchr(pat, '*')) { /* exactly its own path: found in the index */
        const size_t *idx;
        for (size_t k = 0, n = nb_table_def_path_range(d, pat, &idx); k < n; k++)
            if (!fn(ctx, &d->fields[idx[k]], idx[k]))
                return false;
        return true;
    }
    bool wild = strchr(pat, '*') != NULL, done;
    v_pat vp;
    if (wild)
        pat_prepare(&vp, pat);
    if (wild && each_match_indexed(&vp, d, fn, ctx, &done))
        return done;
    for (size_t i = 0; i < d->nfields; i++)
        if (wild ? pat_match(&vp, d->fields[i].path, d, &d->fields[i]) : strcmp(pat, d->fields[i].path) == 0)
            if (!fn(ctx, &d->fields[i], i))
                return false;
    return true;
}

typedef struct each_all {
    void (*fn)(void *ctx, const nb_field_def *f, size_t i);
    void *ctx;
} each_all;

static bool call_and_go_on(void *ctx, const nb_field_def *f, size_t i)
{
    each_all *a = ctx;
    a->fn(a->ctx, f, i);
    return true;
}

void v_for_each_match(const char *pat, const nb_table_def *d,
                      void (*fn)(void *ctx, const nb_field_def *f, size_t i), void *ctx)
{
    each_all a = {fn, ctx};
    each_match(pat, d, call_and_go_on, &a);
}

static bool stop(void *ctx, const nb_field_def *f, size_t i)
{
    (void)ctx, (void)f, (void)i;
    return false;
}

bool v_any_match(const char *pat, const nb_table_def *d)
{
    return !each_match(pat, d, stop, NULL);
}

/* Appends n bytes of s at *o when they fit in cap (the count goes on). */
static void put(char *out, size_t cap, size_t *o, const char *s, size_t n)
{
    if (*o + n < cap)
        memcpy(out + *o, s, n);
    *o += n;
}

size_t v_subst_into(const char *pattern, const v_binding *b, char *out, size_t cap)
{
    size_t o = 0;
    const char *p = pattern;
    while (*p) {
        const char *open = strchr(p, '{');
        const char *close = open ? strchr(open, '}') : NULL;
        if (!open || !close) {
            put(out, cap, &o, p, strlen(p));
            break;
        }
        put(out, cap, &o, p, (size_t)(open - p));
        const char *val = NULL;
        size_t nl = (size_t)(close - open - 1);
        for (size_t i = b ? b->rule->nvars : 0; i-- > 0;) { /* the last of equal names wins */
            const char *name = b->rule->vars[i].name;
            if (strncmp(name, open + 1, nl) == 0 && name[nl] == '\0') {
                val = b->vals[i];
                break;
            }
        }
        if (val)
            put(out, cap, &o, val, strlen(val));
        else
            put(out, cap, &o, open, (size_t)(close - open + 1));
        p = close + 1;
    }
    if (cap)
        out[o < cap ? o : cap - 1] = '\0';
    return o;
}

char *v_subst(const char *pattern, const v_binding *b)
{
    size_t n = v_subst_into(pattern, b, NULL, 0);
    char *s = malloc(n + 1);
    if (s)
        v_subst_into(pattern, b, s, n + 1);
    return s;
}

const char *v_subst_local(const char *pattern, const v_binding *b, char *buf, size_t cap, char **heap,
                          size_t *len)
{
    size_t n = v_subst_into(pattern, b, buf, cap);
    if (len)
        *len = n;
    *heap = n < cap ? NULL : v_subst(pattern, b);
    return n < cap ? buf : *heap;
}

const char *v_table_local(const char *path, char *buf, size_t cap, char **heap)
{
    size_t n = strcspn(path, ".");
    *heap = n < cap ? NULL : v_table_of(path);
    if (n >= cap)
        return *heap;
    memcpy(buf, path, n);
    buf[n] = '\0';
    return buf;
}

char *v_table_of(const char *pattern)
{
    const char *dot = strchr(pattern, '.');
    return dot ? nb_strndup(pattern, (size_t)(dot - pattern)) : nb_strdup(pattern);
}

typedef struct sum_ctx {
    const v_eval *ev;
    const nb_table_def *d;
    bool prev;
    v_val *v;
} sum_ctx;

void v_val_add(v_val *v, const nb_field_def *f, const nb_cell *cell)
{
    v->nfields++;
    if (v->nfields == 1) {
        v->field = f;
        v->cell = cell;
    }
    if (!cell || !cell->has_value) {
        if (v->res != VR_NULL) {
            v->field = f;  /* name the first gap */
            v->cell = cell;
        }
        v->res = VR_NULL;
        return;
    }
    v->sum = v_num_add(v->sum, cell->num);
}

static void add_cell(void *ctx, const nb_field_def *f, size_t i)
{
    sum_ctx *c = ctx;
    v_val_add(c->v, f, c->ev->src->cell(c->ev->src->ctx, c->d, i, c->prev));
}

/* The pattern and its table name on the stack when they fit (this runs
 * for every term of every rule of every report). */
v_val v_pattern_value(const v_eval *ev, const char *pat, bool prev, const v_binding *b)
{
    v_val v = {VR_NOFIELD, nb_num_int(0), 0, NULL, NULL};
    char pbuf[256], tbuf[128], *heap, *theap = NULL;
    const char *p = v_subst_local(pat, b, pbuf, sizeof pbuf, &heap, NULL);
    const char *table = p ? v_table_local(p, tbuf, sizeof tbuf, &theap) : NULL;
    if (!table) {
        free(theap);
        free(heap);
        v.res = VR_ABSENT; /* out of memory: no value */
        return v;
    }
    const nb_table_def *d = ev->src->def(ev->src->ctx, table, prev);
    if (!d) {
        v.res = VR_ABSENT;
    } else {
        v.res = VR_OK;
        sum_ctx c = {ev, d, prev, &v};
        v_each_field(ev->rs, p, d, add_cell, &c);
        if (v.nfields == 0)
            v.res = VR_NOFIELD;
    }
    free(theap);
    free(heap);
    return v;
}

/* The first alternative that is fully known wins; otherwise the most
 * informative failure (null beats absent beats no such field). */
bool v_val_better(const v_val *v, const v_val *best)
{
    return v->res > best->res || (v->res == best->res && !best->field);
}

v_val v_term_value(const v_eval *ev, const v_term *t, const v_binding *b)
{
    v_val best = {VR_NOFIELD, nb_num_int(0), 0, NULL, NULL};
    for (size_t i = 0; i < t->nalts; i++) {
        v_val v = v_pattern_value(ev, t->alts[i], t->prev, b);
        if (v.res == VR_OK)
            return v;
        if (v_val_better(&v, &best))
            best = v;
    }
    return best;
}

v_val v_sum_value(const v_eval *ev, const v_sum *s, const v_binding *b)
{
    v_val acc = {VR_OK, nb_num_int(0), 0, NULL, NULL};
    for (size_t i = 0; i < s->n; i++) {
        v_val v = v_term_value(ev, &s->t[i], b);
        v_sum_fold(&acc, &v, s->t[i].coef);
    }
    return acc;
}

/* Values of a keyword variable against table d. */
static size_t keyword_values(const char *kw, const nb_table_def *d, const char ***out)
{
    size_t cap = d->nrows > d->ncols ? d->nrows : d->ncols, n = 0;
    const char **v = calloc(cap ? cap : 1, sizeof *v);
    if (!v)
        return 0;
    if (strcmp(kw, "columns") == 0) {
        for (size_t i = 0; i < d->ncols; i++)
            v[n++] = d->cols[i].key;
    } else if (strcmp(kw, "rows") == 0) {
        for (size_t i = 0; i < d->nrows; i++)
            if (!d->rows[i].derived && d->rows[i].printed)
                v[n++] = d->rows[i].key;
    } else if (strcmp(kw, "groups") == 0) {
        for (size_t i = 0; i < d->nrows; i++) {
            const char *g = d->rows[i].group;
            bool seen = false;
            for (size_t j = 0; g && j < n; j++)
                seen = seen || strcmp(v[j], g) == 0;
            if (g && !seen)
                v[n++] = g;
        }
    }
    *out = v;
    return n;
}

typedef struct iter {
    const v_rule *r;
    const char ***lists;
    size_t *counts;
    const char **vals;
} iter;

static bool walk(iter *it, size_t k, v_binding_fn fn, void *ctx)
{
    if (k == it->r->nvars) {
        v_binding b = {it->r, it->vals};
        return fn(ctx, &b);
    }
    for (size_t i = 0; i < it->counts[k]; i++) {
        it->vals[k] = it->lists[k][i];
        if (!walk(it, k + 1, fn, ctx))
            return false;
    }
    return true;
}

/* Variables a rule usually has at most: their lists on the stack (a
 * start calls this for every rule and variant). */
enum { VARS_ON_STACK = 8 };

bool v_for_each_binding(const v_rule *r, const nb_table_def *d, v_binding_fn fn, void *ctx)
{
    if (r->nvars == 0) {
        v_binding b = {r, NULL};
        return fn(ctx, &b);
    }
    const char **lists_s[VARS_ON_STACK], *vals_s[VARS_ON_STACK];
    size_t counts_s[VARS_ON_STACK];
    bool owned_s[VARS_ON_STACK];
    bool heap = r->nvars > VARS_ON_STACK;
    const char ***lists = heap ? calloc(r->nvars, sizeof *lists) : lists_s;
    size_t *counts = heap ? calloc(r->nvars, sizeof *counts) : counts_s;
    const char **vals = heap ? calloc(r->nvars, sizeof *vals) : vals_s;
    bool *owned = heap ? calloc(r->nvars, sizeof *owned) : owned_s;
    bool ok = lists && counts && vals && owned;
    for (size_t i = 0; ok && i < r->nvars; i++) {
        owned[i] = r->vars[i].keyword != NULL;
        if (owned[i]) {
            lists[i] = NULL;
            counts[i] = d ? keyword_values(r->vars[i].keyword, d, &lists[i]) : 0;
        } else {
            lists[i] = (const char **)r->vars[i].values;
            counts[i] = r->vars[i].nvalues;
        }
    }
    iter it = {r, lists, counts, vals};
    bool res = ok ? walk(&it, 0, fn, ctx) : false;
    for (size_t i = 0; ok && i < r->nvars; i++)
        if (owned[i])
            free(lists[i]);
    if (heap) {
        free(lists);
        free(counts);
        free(vals);
        free(owned);
    }
    return res;
}
