/* validate_xyear.c - cross-report checks: the same agency in consecutive
 * years (R-T2-CARRY-XYEAR, R-T1-INFORCE-XYEAR, R-T1-OLD-XYEAR).  They are
 * linear rules with "cross_year": true whose "prev:" terms read the
 * previous year's report.  Only the cells those rules name are kept per
 * agency-year, so a run over thousands of reports stays small.
 *
 * A run over a national collection meets tens of thousands of agencies,
 * and every agency-year must be kept until the run ends (its neighbour
 * year may be the last input).  Kept in memory, 1.7 KB each made a
 * 100 000-agency run grow by 170 MB.  Past NB_XCHECK_RESIDENT snapshots,
 * when the run gave a folder (nb_xcheck_spill), the oldest are written
 * to an unlinked temporary file and only their agency, year and place in
 * the file stay in memory, about 100 bytes each; a pairing reads its
 * neighbour back.  Snapshots with kept readings stay in memory: the
 * joint readings of two years may still update their cells. */
#include "validate_int.h"
#include "resolve_xyear.h"
#include "text_internal.h"
#include "spill.h"
#include "util.h"
#include <stdlib.h>
#include <string.h>

typedef struct snap {
    char *agency;               /* compacted, the pairing key (always in memory) */
    int year;
    char *source;               /* NULL while spilled */
    const nb_table_def **defs;  /* per template table index (NULL while spilled) */
    nb_cell *vals;              /* per needed path, raw/text always NULL (NULL while spilled) */
    nb_readings *rd;            /* undecided rows that own a needed path, NULL none */
    uint64_t off;               /* spilled: its record's place in the file */
    uint32_t len;               /* spilled: the record's length; 0 in memory */
} snap;

/* A spilled snapshot's record: this head, the table definitions (pointers
 * of this process: only this run reads the file back), the source path,
 * then one rec_val per needed cell that is not all zero. */
typedef struct rec_head {
    uint32_t source_len;
    uint32_t nvals;
} rec_head;

typedef struct rec_val {
    uint32_t path;
    uint8_t status;
    uint8_t has_value;
    int32_t scale;
    int64_t v;
} rec_val;

/* Where a needed path lives: its template table and its field index in
 * each variant, found once at start (a snapshot then reads its cells by
 * index, not by parsing and looking up every path per report). */
#define XY_VARIANTS 8
typedef struct path_at {
    long table;                 /* index among the templates' tables, -1: none */
    size_t nv;
    const nb_table_def *def[XY_VARIANTS];
    long idx[XY_VARIANTS];
} path_at;

struct nb_xcheck {
    const nb_ruleset *rs;
    char **paths;               /* sorted field paths the rules read */
    size_t npaths;
    path_at *at;                /* per path (NULL: look each up by name) */
    snap *snaps;
    size_t nsnaps, capsnaps;
    size_t *index;              /* open addressing over agency-year: snap index + 1, 0 empty */
    size_t capindex;            /* a power of two, at least twice nsnaps */
    nb_diag *diags;             /* findings on reports already written */
    const char **dsrc;
    size_t ndiags, capdiags, capdsrc;
    nb_spill *spill;            /* NULL: every snapshot stays in memory */
    size_t resident_max;
    size_t oldest;              /* snapshots before it are spilled or stay in memory for good */
    size_t resident;            /* snapshots in memory */
    snap view;                  /* a spilled snapshot read back (one at a time) */
    char *buf;                  /* a record, written or read */
    size_t capbuf;
};

typedef struct collect {
    const nb_ruleset *rs;
    const v_rule *r;
    char **v;
    size_t n, cap;
} collect;

static void add_path(void *ctx, const nb_field_def *f, size_t i)
{
    (void)i;
    collect *c = ctx;
    if (nb_grow((void **)&c->v, &c->cap, c->n, sizeof *c->v))
        c->v[c->n++] = nb_strdup(f->path);
}

static void collect_term(collect *c, const v_term *t, const v_binding *b)
{
    for (size_t a = 0; a < t->nalts; a++) {
        char *p = v_subst(t->alts[a], b);
        char *table = v_table_of(p);
        const nb_table_def *defs[16];
        size_t n = nb_templates_variants(c->rs->t, table, defs, 16);
        for (size_t i = 0; i < n; i++)
            v_for_each_match(p, defs[i], add_path, c);
        free(table);
        free(p);
    }
}

static void collect_sum(collect *c, const v_sum *s, const v_binding *b)
{
    for (size_t i = 0; i < s->n; i++)
        collect_term(c, &s->t[i], b);
}

static bool collect_binding(void *ctx, const v_binding *b)
{
    collect *c = ctx;
    collect_sum(c, &c->r->rel.lhs, b);
    collect_sum(c, &c->r->rel.rhs, b);
    collect_term(c, &c->r->target, b);
    for (size_t i = 0; i < c->r->nwhen; i++) {
        collect_sum(c, &c->r->when[i].rel.lhs, b);
        collect_sum(c, &c->r->when[i].rel.rhs, b);
        collect_term(c, &c->r->when[i].cells, b);
    }
    return true;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static void needed_paths(nb_xcheck *x)
{
    collect c = {x->rs, NULL, NULL, 0, 0};
    for (size_t i = 0; i < x->rs->n; i++) {
        const v_rule *r = &x->rs->rules[i];
        if (!r->cross_year)
            continue;
        c.r = r;
        const nb_table_def *defs[16];
        size_t n = r->table ? nb_templates_variants(x->rs->t, r->table, defs, 16) : 0;
        if (n == 0)
            v_for_each_binding(r, NULL, collect_binding, &c);
        for (size_t k = 0; k < n; k++)
            v_for_each_binding(r, defs[k], collect_binding, &c);
    }
    if (c.n)
        qsort(c.v, c.n, sizeof *c.v, cmp_str);
    size_t w = 0;
    for (size_t i = 0; i < c.n; i++) {
        if (w > 0 && strcmp(c.v[w - 1], c.v[i]) == 0)
            free(c.v[i]);
        else
            c.v[w++] = c.v[i];
    }
    x->paths = c.v;
    x->npaths = w;
}

/* Each path's table and its index in every variant of that table. */
static void locate_paths(nb_xcheck *x)
{
    size_t nt = nb_templates_table_count(x->rs->t);
    if (!x->npaths || !(x->at = calloc(x->npaths, sizeof *x->at)))
        return;
    for (size_t i = 0; i < x->npaths; i++) {
        path_at *a = &x->at[i];
        const char *p = x->paths[i], *dot = strchr(p, '.');
        a->table = -1;
        for (size_t k = 0; dot && k < nt && a->table < 0; k++) {
            const char *name = nb_templates_table_name(x->rs->t, k);
            if (strlen(name) == (size_t)(dot - p) && strncmp(name, p, (size_t)(dot - p)) == 0)
                a->table = (long)k;
        }
        if (a->table < 0)
            continue;
        a->nv = nb_templates_variants(x->rs->t, nb_templates_table_name(x->rs->t, (size_t)a->table),
                                      a->def, XY_VARIANTS);
        for (size_t v = 0; v < a->nv; v++)
            a->idx[v] = nb_table_def_field_index(a->def[v], p);
    }
}

nb_xcheck *nb_xcheck_new(const nb_ruleset *rs)
{
    nb_xcheck *x = rs ? calloc(1, sizeof *x) : NULL;
    if (!x)
        return NULL;
    x->rs = rs;
    needed_paths(x);
    locate_paths(x);
    return x;
}

void nb_xcheck_spill(nb_xcheck *x, const char *dir, size_t resident_max)
{
    if (!x)
        return;
    nb_spill_free(x->spill);
    x->spill = dir && *dir ? nb_spill_new(dir) : NULL;
    x->resident_max = resident_max;
}

static void snap_free(snap *s)
{
    free(s->agency);
    free(s->source);
    free(s->defs);
    free(s->vals);
    nb_readings_free(s->rd);
}

void nb_xcheck_free(nb_xcheck *x)
{
    if (!x)
        return;
    for (size_t i = 0; i < x->npaths; i++)
        free(x->paths[i]);
    free(x->paths);
    free(x->at);
    for (size_t i = 0; i < x->nsnaps; i++)
        snap_free(&x->snaps[i]);
    free(x->snaps);
    free(x->index);
    for (size_t i = 0; i < x->ndiags; i++) {
        nb_diag *d = &x->diags[i];
        free(d->rule);
        free(d->where);
        free(d->expected);
        free(d->found);
        free(d->message);
        free((char *)x->dsrc[i]);
    }
    free(x->diags);
    free(x->dsrc);
    nb_spill_free(x->spill);
    free(x->view.source);
    free(x->view.defs);
    free(x->view.vals);
    free(x->buf);
    free(x);
}


static long path_index(const nb_xcheck *x, const char *path)
{
    const char *const *hit = bsearch(&path, x->paths, x->npaths, sizeof *x->paths, cmp_str);
    return hit ? (long)(hit - (const char *const *)x->paths) : -1;
}

/* Does the row own a cell the cross-year rules read that is still open? */
static bool row_needed(const nb_xcheck *x, const nb_report *r, const nb_reading_row *row)
{
    const nb_table *t = nb_report_table_c(r, row->table);
    for (size_t j = 0; t && t->def == row->def && j < row->k; j++)
        if (t->cells[row->fields[j]].status == NB_CELL_AMBIGUOUS &&
            path_index(x, row->def->fields[row->fields[j]].path) >= 0)
            return true;
    return false;
}

/* The kept readings a later year may still use, within a small budget of
 * values per snapshot (they are evidence, not data: past it, dropped). */
#define SNAP_MAX_VALUES 4096

static nb_readings *snap_readings(const nb_xcheck *x, const nb_report *r)
{
    nb_readings *rd = NULL;
    size_t used = 0;
    for (size_t i = 0; r->readings && i < r->readings->n; i++) {
        const nb_reading_row *row = &r->readings->v[i];
        if (!row_needed(x, r, row) || used + row->nsol * row->k > SNAP_MAX_VALUES)
            continue;
        if (!rd && !(rd = calloc(1, sizeof *rd)))
            return NULL;
        if (nb_readings_add(rd, row->table, row->def, row->fields, row->k, row->sols, row->nsol))
            used += row->nsol * row->k;
    }
    return rd;
}

/* The report's cell at needed path i: by the index found at start when
 * its table is the templates' own variant, else by name (the same cell). */
static const nb_cell *needed_cell(const nb_xcheck *x, const nb_report *r, const nb_table *const *tabs,
                                  size_t i)
{
    const path_at *a = x->at ? &x->at[i] : NULL;
    if (!a || a->table < 0 || !tabs)
        return nb_report_cell_c(r, x->paths[i]);
    const nb_table *t = tabs[a->table];
    if (!t || !t->def)
        return NULL;
    for (size_t v = 0; v < a->nv; v++)
        if (a->def[v] == t->def)
            return a->idx[v] < 0 ? NULL : &t->cells[a->idx[v]];
    long k = nb_table_def_field_index(t->def, x->paths[i]);
    return k < 0 ? NULL : &t->cells[k];
}

size_t v_xcheck_paths(const nb_xcheck *x, const char *const **paths)
{
    *paths = (const char *const *)x->paths;
    return x->npaths;
}

const nb_cell *v_xcheck_cell(const nb_xcheck *x, const nb_report *r, size_t i)
{
    size_t nt = nb_templates_table_count(x->rs->t);
    const nb_table **tabs = calloc(nt ? nt : 1, sizeof *tabs);
    for (size_t k = 0; tabs && k < nt; k++)
        tabs[k] = nb_report_table_c(r, nb_templates_table_name(x->rs->t, k));
    const nb_cell *c = needed_cell(x, r, tabs, i);
    free(tabs);
    return c;
}

/* The snapshot of r, whose compacted agency s->agency already is (the
 * caller looked it up first: a second report of the same agency-year
 * takes none). */
static bool take_snapshot(const nb_xcheck *x, const nb_report *r, snap *s)
{
    size_t nt = nb_templates_table_count(x->rs->t);
    s->year = r->year;
    s->source = nb_strdup(r->source.path ? r->source.path : "");
    s->defs = calloc(nt ? nt : 1, sizeof *s->defs);
    s->vals = calloc(x->npaths ? x->npaths : 1, sizeof *s->vals);
    const nb_table **tabs = calloc(nt ? nt : 1, sizeof *tabs);
    if (!s->defs || !s->vals) {
        free(tabs);
        snap_free(s);
        return false;
    }
    for (size_t i = 0; i < nt; i++) {
        const nb_table *t = nb_report_table_c(r, nb_templates_table_name(x->rs->t, i));
        s->defs[i] = t ? t->def : NULL;
        if (tabs)
            tabs[i] = t;
    }
    for (size_t i = 0; i < x->npaths; i++) {
        const nb_cell *c = needed_cell(x, r, tabs, i);
        if (c) {
            s->vals[i].status = c->status;
            s->vals[i].has_value = c->has_value;
            s->vals[i].num = c->num;
        }
    }
    free(tabs);
    s->rd = snap_readings(x, r);
    return true;
}

/* Spilling ------------------------------------------------------------------ */

static bool buf_reserve(nb_xcheck *x, size_t n)
{
    if (n <= x->capbuf)
        return true;
    char *b = realloc(x->buf, n);
    if (!b)
        return false;
    x->buf = b;
    x->capbuf = n;
    return true;
}

/* A cell other than the zeroed one a snapshot starts with: the record
 * keeps only these, and reading back starts from zero again. */
static bool cell_set(const nb_cell *c)
{
    return c->status || c->has_value || c->num.v || c->num.scale;
}

/* Writes s to the spill file and frees what the file now holds; false
 * (s left in memory) when the file cannot be written. */
static bool spill_one(nb_xcheck *x, snap *s)
{
    size_t nt = nb_templates_table_count(x->rs->t);
    rec_head h = {(uint32_t)strlen(s->source), 0};
    for (size_t i = 0; i < x->npaths; i++)
        h.nvals += cell_set(&s->vals[i]);
    size_t len = sizeof h + nt * sizeof *s->defs + h.source_len + h.nvals * sizeof(rec_val);
    if (len > UINT32_MAX || !buf_reserve(x, len))
        return false;
    char *p = x->buf;
    memcpy(p, &h, sizeof h), p += sizeof h;
    memcpy(p, s->defs, nt * sizeof *s->defs), p += nt * sizeof *s->defs;
    memcpy(p, s->source, h.source_len), p += h.source_len;
    for (size_t i = 0; i < x->npaths; i++) {
        const nb_cell *c = &s->vals[i];
        if (!cell_set(c))
            continue;
        rec_val v = {(uint32_t)i, (uint8_t)c->status, c->has_value, c->num.scale, c->num.v};
        memcpy(p, &v, sizeof v), p += sizeof v;
    }
    if (!nb_spill_put(x->spill, x->buf, len, &s->off))
        return false;
    s->len = (uint32_t)len;
    free(s->source);
    free(s->defs);
    free(s->vals);
    s->source = NULL;
    s->defs = NULL;
    s->vals = NULL;
    return true;
}

/* Keeps at most resident_max snapshots in memory: the oldest go to the
 * file first (a bundle sorted by agency pairs its years close together).
 * A failure to write keeps everything in memory from then on, as before
 * spilling existed. */
static void spill_oldest(nb_xcheck *x)
{
    while (x->spill && x->resident > x->resident_max && x->oldest < x->nsnaps) {
        snap *s = &x->snaps[x->oldest++];
        if (s->rd || s->len)
            continue; /* its cells may still change: kept */
        if (!spill_one(x, s)) {
            x->resident_max = SIZE_MAX; /* the records already out are still read back */
            return;
        }
        x->resident--;
    }
}

/* s itself when in memory, else s read back into x->view (valid until the
 * next read back); NULL when the record cannot be read. */
static const snap *held(nb_xcheck *x, const snap *s)
{
    if (!s || !s->len)
        return s;
    size_t nt = nb_templates_table_count(x->rs->t);
    snap *v = &x->view;
    if (!v->defs)
        v->defs = calloc(nt ? nt : 1, sizeof *v->defs);
    if (!v->vals)
        v->vals = calloc(x->npaths ? x->npaths : 1, sizeof *v->vals);
    if (!v->defs || !v->vals || !buf_reserve(x, s->len) || !nb_spill_get(x->spill, s->off, x->buf, s->len))
        return NULL;
    const char *p = x->buf;
    rec_head h;
    memcpy(&h, p, sizeof h), p += sizeof h;
    memcpy(v->defs, p, nt * sizeof *v->defs), p += nt * sizeof *v->defs;
    char *src = realloc(v->source, h.source_len + 1);
    if (!src)
        return NULL;
    memcpy(src, p, h.source_len), p += h.source_len;
    src[h.source_len] = '\0';
    v->source = src;
    memset(v->vals, 0, x->npaths * sizeof *v->vals);
    for (uint32_t i = 0; i < h.nvals; i++) {
        rec_val rv;
        memcpy(&rv, p, sizeof rv), p += sizeof rv;
        if (rv.path >= x->npaths)
            return NULL;
        nb_cell *c = &v->vals[rv.path];
        c->status = (nb_cell_status)rv.status;
        c->has_value = rv.has_value;
        c->num.scale = rv.scale;
        c->num.v = rv.v;
    }
    v->agency = s->agency;
    v->year = s->year;
    v->rd = NULL;
    return v;
}

/* Value source over two snapshots. */
typedef struct pair {
    const nb_xcheck *x;
    const snap *cur, *prev;
} pair;

static const nb_table_def *pair_def(const void *ctx, const char *table, bool prev)
{
    const pair *p = ctx;
    const snap *s = prev ? p->prev : p->cur;
    for (size_t i = 0; i < nb_templates_table_count(p->x->rs->t); i++)
        if (strcmp(nb_templates_table_name(p->x->rs->t, i), table) == 0)
            return s->defs[i];
    return NULL;
}

static const nb_cell *pair_cell(const void *ctx, const nb_table_def *d, size_t field, bool prev)
{
    const pair *p = ctx;
    if (!d || field >= d->nfields)
        return NULL;
    long i = path_index(p->x, d->fields[field].path);
    return i < 0 ? NULL : &(prev ? p->prev : p->cur)->vals[i];
}

typedef struct sink {
    nb_xcheck *x;
    nb_report *live;            /* receives findings when it is the later year */
    const snap *cur;
} sink;

static void to_sink(void *ctx, const v_rule *rule, nb_severity sev, bool skipped,
                    const char *where, const char *expected, const char *found, const char *msg)
{
    sink *s = ctx;
    if (s->live) {
        nb_report_add_diag(s->live, rule->id, sev, skipped, where, expected, found, "%s", msg);
        return;
    }
    nb_xcheck *x = s->x;
    if (!nb_grow((void **)&x->diags, &x->capdiags, x->ndiags, sizeof *x->diags) ||
        !nb_grow((void **)&x->dsrc, &x->capdsrc, x->ndiags, sizeof *x->dsrc))
        return;
    x->diags[x->ndiags] = (nb_diag){nb_strdup(rule->id), sev, skipped, nb_strdup(where),
                                    nb_strdup(expected), nb_strdup(found), nb_strdup(msg)};
    x->dsrc[x->ndiags++] = nb_strdup(s->cur->source);
}

static size_t run_pair(nb_xcheck *x, const snap *cur, const snap *prev, nb_report *live)
{
    pair p = {x, cur, prev};
    v_src src = {pair_def, pair_cell, &p, NULL, NULL};
    sink sk = {x, live, cur};
    v_out out = {to_sink, &sk, 0};
    v_eval ev = {x->rs, &src, &out, NULL, NULL, NULL};
    for (size_t i = 0; i < x->rs->n; i++)
        if (x->rs->rules[i].cross_year && x->rs->rules[i].kind == VK_LINEAR)
            v_run_linear(&ev, &x->rs->rules[i]);
    return out.count;
}

/* r is a second report of an agency-year the run has read (first): the
 * cross-year checks pair the first, and a sum over the run would count
 * the agency twice.  A finding on r from each duplicate check. */
static size_t warn_duplicate(const nb_xcheck *x, const char *first_source, nb_report *r)
{
    size_t n = 0;
    for (size_t i = 0; i < x->rs->n; i++) {
        const v_rule *rule = &x->rs->rules[i];
        if (rule->kind != VK_DUPLICATE)
            continue;
        nb_report_add_diag(r, rule->id, rule->sev, false, "agency", NULL, NULL,
                           "%s%d年度的报告已在 %s 读到：重复的报告（跨年度核对只用先读到的那份）", r->agency, r->year,
                           first_source);
        n++;
    }
    return n;
}

/* The run read the agency's report of `year`, but its snapshot cannot be
 * read back from the spill file (an I/O error, no memory): the checks
 * against it are not made, and r says so, one skipped finding per
 * cross-year rule (docs/validation.md, "Unknown values"), rather than
 * passing as if there were nothing to compare. */
static size_t unread(const nb_xcheck *x, nb_report *r, int year)
{
    size_t n = 0;
    for (size_t i = 0; i < x->rs->n; i++) {
        const v_rule *rule = &x->rs->rules[i];
        if (!rule->cross_year || rule->kind != VK_LINEAR)
            continue;
        nb_report_add_diag(r, rule->id, NB_SEV_INFO, true, NULL, NULL, NULL,
                           "%s%d年度的报告已读到，但其跨年度核对所需的数据无法从临时文件读回：本项核对未做",
                           r->agency, year);
        n++;
    }
    return n;
}

/* Every report looks up its own year and both neighbours: a scan of all
 * snapshots would make a run quadratic in its agency-years. */
static size_t snap_hash(const char *agency, int year)
{
    size_t h = 14695981039346656037u; /* FNV-1a */
    for (const unsigned char *p = (const unsigned char *)agency; *p; p++)
        h = (h ^ *p) * 1099511628211u;
    return (h ^ (size_t)(unsigned)year) * 1099511628211u;
}

static const snap *find(const nb_xcheck *x, const char *agency, int year)
{
    if (!x->capindex)
        return NULL;
    for (size_t i = snap_hash(agency, year) & (x->capindex - 1);; i = (i + 1) & (x->capindex - 1)) {
        size_t k = x->index[i];
        if (!k)
            return NULL;
        const snap *s = &x->snaps[k - 1];
        if (s->year == year && strcmp(s->agency, agency) == 0)
            return s;
    }
}

static void index_put(size_t *index, size_t cap, const snap *s, size_t k)
{
    size_t i = snap_hash(s->agency, s->year) & (cap - 1);
    while (index[i])
        i = (i + 1) & (cap - 1);
    index[i] = k;
}

/* Makes room in the index for one more snapshot; false when out of memory. */
static bool index_reserve(nb_xcheck *x)
{
    if ((x->nsnaps + 1) * 2 <= x->capindex)
        return true;
    size_t cap = x->capindex ? x->capindex * 2 : 64;
    size_t *index = calloc(cap, sizeof *index);
    if (!index)
        return false;
    for (size_t k = 0; k < x->nsnaps; k++)
        index_put(index, cap, &x->snaps[k], k + 1);
    free(x->index);
    x->index = index;
    x->capindex = cap;
    return true;
}

/* The checks between cur (r's snapshot) and the agency's report of the
 * year before or after, when the run has read it. */
static size_t pair_with(nb_xcheck *x, const snap *cur, int dy, nb_report *r)
{
    const snap *kept = find(x, cur->agency, cur->year + dy), *other = held(x, kept);
    if (kept && !other)
        return unread(x, r, cur->year + dy);
    if (!other)
        return 0;
    return dy < 0 ? run_pair(x, cur, other, r) : run_pair(x, other, cur, NULL);
}

size_t nb_xcheck_add(nb_xcheck *x, nb_report *r)
{
    if (!x || !r || !r->agency || !*r->agency || r->year <= 0)
        return 0;
    snap s = {0};
    if (!(s.agency = nb_text_compact(r->agency)))
        return 0;
    const snap *first = find(x, s.agency, r->year);
    if (first) {
        free(s.agency); /* the same agency-year twice: the first one counts */
        const snap *read = held(x, first);
        return warn_duplicate(x, read ? read->source : "一份先读到的文件（其记录无法从临时文件读回）", r);
    }
    if (!take_snapshot(x, r, &s))
        return 0;
    if (!index_reserve(x) || !nb_grow((void **)&x->snaps, &x->capsnaps, x->nsnaps, sizeof *x->snaps)) {
        snap_free(&s);
        return 0;
    }
    x->snaps[x->nsnaps++] = s;
    x->resident++;
    index_put(x->index, x->capindex, &s, x->nsnaps);
    const snap *cur = &x->snaps[x->nsnaps - 1]; /* in memory: the newest is spilled last */
    size_t n = pair_with(x, cur, -1, r);
    n += pair_with(x, cur, +1, r);
    spill_oldest(x);
    return n;
}

size_t nb_xcheck_run_diags(const nb_xcheck *x, const nb_diag **diags, const char *const **sources)
{
    if (diags)
        *diags = x ? x->diags : NULL;
    if (sources)
        *sources = x ? x->dsrc : NULL;
    return x ? x->ndiags : 0;
}

/* Joint readings with the neighbouring years (resolve_xyear.c) -------------- */

typedef struct snap_ctx {
    const nb_xcheck *x;
    snap *s;
} snap_ctx;

static const nb_table_def *snap_def(const xy_side *sd, const char *table)
{
    const snap_ctx *c = sd->ctx;
    for (size_t i = 0; i < nb_templates_table_count(c->x->rs->t); i++)
        if (strcmp(nb_templates_table_name(c->x->rs->t, i), table) == 0)
            return c->s->defs[i];
    return NULL;
}

static nb_cell *snap_cell(const xy_side *sd, const nb_table_def *d, size_t field)
{
    const snap_ctx *c = sd->ctx;
    long i = d && field < d->nfields ? path_index(c->x, d->fields[field].path) : -1;
    return i < 0 ? NULL : &c->s->vals[i];
}

/* A snapshot in memory, or one read back: a spilled one has no readings,
 * so the joint reading only reads its cells. */
static snap *find_mut(nb_xcheck *x, const char *agency, int year)
{
    return (snap *)held(x, find(x, agency, year));
}

bool nb_xcheck_pending(const nb_xcheck *x, const nb_report *r)
{
    for (size_t i = 0; x && r->readings && i < r->readings->n; i++)
        if (row_needed(x, r, &r->readings->v[i]))
            return true;
    return false;
}

bool nb_xcheck_seen(const nb_xcheck *x, const char *agency, int year)
{
    return x && find(x, agency, year) != NULL;
}

bool nb_xcheck_resolve_known(nb_xcheck *x, nb_report *r)
{
    char *agency = x && r->agency && r->year > 0 ? nb_text_compact(r->agency) : NULL;
    bool changed = false;
    for (int dy = -1; agency && dy <= 1; dy += 2) {
        snap *s = find_mut(x, agency, r->year + dy);
        if (!s || (!s->rd && !r->readings))
            continue;
        snap_ctx c = {x, s};
        xy_side live = xy_side_of_report(r);
        xy_side known = {snap_def, snap_cell, &c, s->rd, NULL, s->source};
        bool set = false;
        if (dy < 0)
            xy_resolve(x->rs, &live, &known, &set, NULL);
        else
            xy_resolve(x->rs, &known, &live, NULL, &set);
        changed |= set;
    }
    free(agency);
    return changed;
}

void nb_xcheck_resolve_pair(nb_xcheck *x, nb_report *cur, nb_report *prev, bool *cur_set, bool *prev_set)
{
    xy_side a = xy_side_of_report(cur), b = xy_side_of_report(prev);
    *cur_set = *prev_set = false;
    if (x)
        xy_resolve(x->rs, &a, &b, cur_set, prev_set);
}

const nb_ruleset *nb_xcheck_rules(const nb_xcheck *x)
{
    return x ? x->rs : NULL;
}
