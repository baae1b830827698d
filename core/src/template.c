/* template.c - loads the report templates (formats/templates/ *.json).
 *
 * The templates are the grammar the recogniser follows and the key scheme
 * every output uses, so they are data: a new template year is a new file.
 * A file may "inherit" another template: tables and sections it does not
 * define are taken from the parent, re-labelled with the child's id. */
#include "arena.h"
#include "report_internal.h"
#include "template_internal.h"
#include "text_internal.h"
#include "util.h"
#include "jdoc.h"
#include <dirent.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <stdio.h>

struct nb_templates {
    nb_template *v;
    size_t n;
    char **table_names;
    size_t ntable_names;
    const nb_field_def **columns;
    size_t ncolumns;
    /* The definitions' strings and label lists: thousands of small pieces
     * that live as long as the templates, freed in one call. */
    nb_arena arena;
};

typedef struct loader {
    const jd **docs;
    char **paths;
    size_t n;
    nb_error *err;
    nb_arena *arena; /* the templates' (set by finish) */
} loader;

/* A list the rules gave (recognise_relations.c, malloc'ed); the
 * template's own lists live in the templates' arena. */
static void strlist_free(nb_strlist *l)
{
    for (size_t i = 0; l->v && i < l->n; i++) {
        free(l->v[i]);
        if (l->compact)
            free(l->compact[i]);
        if (l->key)
            free(l->key[i]);
    }
    free(l->v);
    free(l->compact);
    free(l->key);
    *l = (nb_strlist){0};
}

static void table_def_free(nb_table_def *d)
{
    nest_tree_release(d->json_nest);
    free(d->by_path);
    for (size_t i = 0; i < d->nchecks; i++) {
        strlist_free(&d->checks[i].lhs);
        strlist_free(&d->checks[i].rhs);
    }
    free(d->checks);
    free(d->blocks);
    free(d->cols);
    free(d->rows);
    free(d->fields);
    rc_grammar_free(d->grammar);
    nb_derive_plan_free(d->derive);
}

static void template_free(nb_template *t)
{
    for (size_t i = 0; i < t->ntables; i++)
        table_def_free(&t->tables[i]);
    free(t->tables);
    nb_lexicon_free(&t->lexicon);
}

void nb_templates_free(nb_templates *t)
{
    if (!t)
        return;
    for (size_t i = 0; i < t->n; i++)
        template_free(&t->v[i]);
    free(t->v);
    free(t->table_names);
    free(t->columns);
    nb_arena_free(&t->arena);
    free(t);
}

static bool fail(loader *L, const char *path, const char *fmt, ...) NB_PRINTF(3, 4);
static bool fail(loader *L, const char *path, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    nb_error_setv(L->err, NB_E_CONFIG, path, fmt, ap);
    va_end(ap);
    return false;
}

/* n bytes of the templates' arena, zeroed, aligned for pointers and sizes. */
static void *a_alloc(loader *L, size_t n)
{
    const size_t al = sizeof(void *) > sizeof(size_t) ? sizeof(void *) : sizeof(size_t);
    char *p = nb_arena_alloc(L->arena, n + al - 1);
    if (!p)
        return NULL;
    p += (al - (uintptr_t)p % al) % al;
    return memset(p, 0, n);
}

/* A copy of s in the templates' arena; NULL for NULL. */
static char *a_strdup(loader *L, const char *s)
{
    return s ? nb_arena_strndup(L->arena, s, strlen(s)) : NULL;
}

/* s, its nb_text_compact and its nb_text_label_key in the arena; a form
 * equal to the one before it is shared. */
static bool put_forms(loader *L, const char *s, char **v, char **compact, char **key)
{
    size_t len = strlen(s);
    char *c = nb_arena_alloc(L->arena, NB_TEXT_FOLD_ROOM(len));
    if (!c)
        return false;
    bool same;
    size_t cl = nb_text_compact_to(s, len, c, &same);
    c = nb_arena_trim(L->arena, c, cl + 1);
    char *k = nb_arena_alloc(L->arena, cl + 1), ord[16];
    if (!k)
        return false;
    size_t kl = nb_text_key_forms(c, k, ord);
    k = nb_arena_trim(L->arena, k, kl + 1);
    if (kl == cl && memcmp(k, c, cl) == 0) { /* the key is the compact form */
        nb_arena_trim(L->arena, k, 0);
        k = c;
    }
    *compact = c;
    *key = k;
    *v = cl == len && memcmp(c, s, len) == 0 ? c : a_strdup(L, s);
    return *v != NULL;
}

static bool get_strlist(loader *L, const jd *arr, nb_strlist *out)
{
    if (!jd_is_arr(arr))
        return false;
    out->n = jd_len(arr);
    char **all = a_alloc(L, 3 * (out->n ? out->n : 1) * sizeof *all);
    if (!all)
        return false;
    out->v = all;
    out->compact = all + out->n;
    out->key = all + 2 * out->n;
    for (size_t i = 0; i < out->n; i++) {
        const char *s = jd_str(jd_at(arr, i));
        if (!s || !put_forms(L, s, &out->v[i], &out->compact[i], &out->key[i]))
            return false;
    }
    return true;
}

static bool parse_type(const char *s, nb_value_type *t)
{
    static const char *const names[] = {"int", "sint", "decimal", "amount"};
    for (int i = 0; i < 4; i++)
        if (s && strcmp(s, names[i]) == 0) {
            *t = (nb_value_type)i;
            return true;
        }
    return false;
}

static bool parse_cols(loader *L, const char *path, const jd *cols, nb_table_def *d)
{
    size_t k;
    const jd *c;
    jd_array_foreach(cols, k, c)
    {
        nb_col_def *cd = &d->cols[d->ncols++]; /* sized by parse_table, zeroed */
        const char *key = jd_str(jd_get(c, "key"));
        if (!key || !get_strlist(L, jd_get(c, "labels"), &cd->labels) ||
            !parse_type(jd_str(jd_get(c, "type")), &cd->type))
            return fail(L, path, "table %s: a column needs key, labels and a type (int, sint, decimal, amount)",
                        d->name);
        cd->key = a_strdup(L, key);
        cd->unit_key = a_strdup(L, jd_str(jd_get(c, "unit_key")));
        if (cd->type == NB_TYPE_AMOUNT && !cd->unit_key)
            return fail(L, path, "table %s: an amount column needs unit_key", d->name);
    }
    return true;
}

static bool parse_rows(loader *L, const char *path, const jd *rows, nb_table_def *d, size_t block)
{
    size_t k;
    const jd *r;
    jd_array_foreach(rows, k, r)
    {
        nb_row_def *rd = &d->rows[d->nrows++]; /* sized by parse_table, zeroed */
        const char *key = jd_str(jd_get(r, "key"));
        if (!key || !get_strlist(L, jd_get(r, "labels"), &rd->labels) || rd->labels.n == 0)
            return fail(L, path, "table %s: a row needs a key and labels", d->name);
        rd->key = a_strdup(L, key);
        rd->block = block;
        rd->derived = jd_is_true(jd_get(r, "derived"));
        const jd *pr = jd_get(r, "printed");
        rd->printed = pr ? jd_is_true(pr) : true;
        const char *dot = strchr(key, '.');
        rd->group = dot ? nb_arena_strndup(L->arena, key, (size_t)(dot - key)) : NULL;
    }
    return true;
}

/* Canonical label of a row's group (the derived row of the same group). */
static const char *group_label(const nb_table_def *d, const nb_row_def *rd)
{
    if (!rd->group || rd->derived)
        return NULL;
    for (size_t i = 0; i < d->nrows; i++)
        if (d->rows[i].derived && d->rows[i].group && strcmp(d->rows[i].group, rd->group) == 0)
            return d->rows[i].labels.v[0];
    return NULL;
}

/* a + sep + b [+ sep + c], NUL-terminated, in the templates' arena: two
 * strings per value, thousands per start, each its own malloc before (and
 * its own free at exit). */
static char *put3(loader *L, const char *a, char sep, const char *b, const char *c)
{
    size_t la = strlen(a), lb = strlen(b), lc = c ? strlen(c) : 0;
    char *s = nb_arena_alloc(L->arena, la + lb + (c ? lc + 1 : 0) + 2);
    if (!s)
        return NULL;
    char *o = s;
    memcpy(o, a, la);
    o += la;
    *o++ = sep;
    memcpy(o, b, lb);
    o += lb;
    if (c) {
        *o++ = sep;
        memcpy(o, c, lc);
        o += lc;
    }
    *o = '\0';
    return s;
}

static bool put_field(nb_table_def *d, char *path, char *label, size_t row, size_t col, nb_value_type type)
{
    d->fields[d->nfields++] = (nb_field_def){path, label, row, col, type};
    return path && label;
}

/* A value per row and column of its block, and an amount's unit. */
static bool put_fields(loader *L, nb_table_def *d)
{
    bool ok = true;
    for (size_t r = 0; r < d->nrows && ok; r++) {
        const nb_row_def *rd = &d->rows[r];
        const nb_block_def *b = &d->blocks[rd->block];
        const char *gl = group_label(d, rd);
        for (size_t c = b->col_first; c < b->col_first + b->ncols && ok; c++) {
            const nb_col_def *cd = &d->cols[c];
            const char *rl = rd->labels.v[0], *cl = cd->labels.v[0];
            char *label = d->layout != NB_LAYOUT_SINGLE_ROW && gl ? put3(L, gl, '/', rl, cl) : put3(L, rl, '/', cl, NULL);
            ok = put_field(d, put3(L, d->name, '.', rd->key, cd->key), label, r, c, cd->type);
            if (ok && cd->type == NB_TYPE_AMOUNT) {
                char *unit_label = put3(L, rl, '/', "单位", NULL);
                ok = put_field(d, put3(L, d->name, '.', rd->key, cd->unit_key), unit_label, r, c, NB_TYPE_UNIT);
            }
        }
    }
    return ok;
}

/* Counted first, then written: the array never grows (growing it one
 * element at a time moved it to fresh heap pages, and a fresh page costs
 * more than the whole parse of a small table). */
static bool build_fields(loader *L, nb_table_def *d)
{
    size_t n = 0;
    for (size_t r = 0; r < d->nrows; r++) {
        const nb_block_def *b = &d->blocks[d->rows[r].block];
        for (size_t c = b->col_first; c < b->col_first + b->ncols; c++)
            n += d->cols[c].type == NB_TYPE_AMOUNT ? 2 : 1;
    }
    d->fields = malloc((n + 1) * sizeof *d->fields);
    d->nfields = 0;
    return d->fields && put_fields(L, d);
}

static bool parse_table(loader *L, const char *path, const jd *jt, const char *variant,
                        nb_table_def *d)
{
    memset(d, 0, sizeof *d);
    const char *name = jd_str(jd_get(jt, "name"));
    if (!name)
        return fail(L, path, "%s", "a table needs a name");
    if (nb_report_member_reserved(name))
        return fail(L, path, "table name \"%s\" is taken: every report has a member of that name", name);
    d->name = a_strdup(L, name);
    d->title = a_strdup(L, jd_str(jd_get(jt, "title")));
    d->variant = a_strdup(L, variant);
    d->section = (int)jd_int(jd_get(jt, "section"));
    const char *layout = jd_str(jd_get(jt, "layout"));
    d->row_total = a_strdup(L, jd_str(jd_get(jt, "row_total")));
    d->layout = layout && strcmp(layout, "single_row") == 0 ? NB_LAYOUT_SINGLE_ROW : NB_LAYOUT_ROWS;
    const jd *m = jd_get(jt, "markers"), *ig = jd_get(jt, "ignore");
    if ((m && !get_strlist(L, m, &d->markers)) || (ig && !get_strlist(L, ig, &d->ignore)))
        return fail(L, path, "table %s: markers and ignore are lists of strings", name);
    const jd *blocks = jd_get(jt, "blocks");
    if (!jd_is_arr(blocks) || jd_len(blocks) == 0)
        return fail(L, path, "table %s: needs blocks", name);
    d->nblocks = jd_len(blocks);
    size_t ncols = 0, nrows = 0;
    for (size_t b = 0; b < d->nblocks; b++) {
        ncols += jd_len(jd_get(jd_at(blocks, b), "columns"));
        nrows += jd_len(jd_get(jd_at(blocks, b), "rows"));
    }
    d->blocks = calloc(d->nblocks, sizeof *d->blocks);
    d->cols = calloc(ncols + 1, sizeof *d->cols);
    d->rows = calloc(nrows + 1, sizeof *d->rows);
    if (!d->blocks || !d->cols || !d->rows)
        return fail(L, path, "%s", "out of memory");
    for (size_t b = 0; b < d->nblocks; b++) {
        const jd *jb = jd_at(blocks, b);
        const jd *cap = jd_get(jb, "caption");
        if (cap && !get_strlist(L, cap, &d->blocks[b].caption))
            return fail(L, path, "table %s: caption must be a list of strings", name);
        d->blocks[b].col_first = d->ncols;
        if (!jd_is_arr(jd_get(jb, "columns")) || !jd_is_arr(jd_get(jb, "rows")))
            return fail(L, path, "table %s: every block needs columns and rows", name);
        if (!parse_cols(L, path, jd_get(jb, "columns"), d))
            return false;
        d->blocks[b].ncols = d->ncols - d->blocks[b].col_first;
        if (!parse_rows(L, path, jd_get(jb, "rows"), d, b))
            return false;
    }
    if (!build_fields(L, d) || !nb_table_def_index_paths(d))
        return fail(L, path, "%s", "out of memory");
    return true;
}

static bool parse_sections(loader *L, const char *path, const jd *arr, nb_template *t)
{
    if (!jd_is_arr(arr) || jd_len(arr) != 6)
        return fail(L, path, "%s", "\"sections\" must list the six sections");
    for (int i = 0; i < 6; i++) {
        const jd *s = jd_at(arr, (size_t)i);
        nb_section_def *sd = &t->sections[i];
        sd->no = (int)jd_int(jd_get(s, "no"));
        sd->key = a_strdup(L, jd_str(jd_get(s, "key")));
        sd->title = a_strdup(L, jd_str(jd_get(s, "title")));
        if (sd->no != i + 1 || !sd->key || !sd->title ||
            !get_strlist(L, jd_get(s, "variants"), &sd->variants))
            return fail(L, path, "%s", "each section needs no (1..6 in order), key, title, variants");
        if (!(sd->headings = rc_headings_build(&sd->variants, &t->lexicon, i, L->arena)))
            return fail(L, path, "%s", "out of memory");
    }
    return true;
}

static long find_doc(loader *L, const char *id)
{
    for (size_t i = 0; i < L->n; i++)
        if (nb_streq(jd_str(jd_get(L->docs[i], "id")), id))
            return (long)i;
    return -1;
}

static const jd *find_table_json(const jd *doc, const char *name)
{
    size_t k;
    const jd *jt;
    jd_array_foreach(jd_get(doc, "tables"), k, jt)
        if (nb_streq(jd_str(jd_get(jt, "name")), name))
            return jt;
    return NULL;
}

/* The chain of documents from the child up (depth-limited against cycles). */
static size_t doc_chain(loader *L, size_t i, const jd **chain, size_t max)
{
    size_t n = 0;
    long cur = (long)i;
    while (cur >= 0 && n < max) {
        chain[n++] = L->docs[cur];
        const char *parent = jd_str(jd_get(L->docs[cur], "inherits"));
        cur = parent ? find_doc(L, parent) : -1;
    }
    return n;
}

/* The file a document of the chain was read from. */
static const char *doc_path(const loader *L, const jd *doc)
{
    for (size_t i = 0; i < L->n; i++)
        if (L->docs[i] == doc)
            return L->paths[i];
    return "";
}

static bool add_table(loader *L, nb_template *t, const char *path, const jd *jt)
{
    nb_table_def *td = realloc(t->tables, (t->ntables + 1) * sizeof *td);
    if (!td)
        return fail(L, path, "%s", "out of memory");
    t->tables = td;
    if (!parse_table(L, path, jt, t->id, &t->tables[t->ntables])) {
        table_def_free(&t->tables[t->ntables]);
        return false;
    }
    t->ntables++;
    return true;
}

/* The "match" object (the first of the inheritance chain that has one);
 * a limit left out keeps the value the shipped templates use. */
static bool parse_match(loader *L, const char *path, const jd *jm, nb_match_limits *m)
{
    *m = (nb_match_limits){8, 6, 4, 4, 4};
    static const char *const keys[] = {"row_window", "typo_min_chars", "chars_per_typo", "fragment_min_chars",
                                       "lost_total_ratio"};
    int *slot[] = {&m->row_window, &m->typo_min_chars, &m->chars_per_typo, &m->fragment_min_chars,
                   &m->lost_total_ratio};
    if (jm && !jd_is_obj(jm))
        return fail(L, path, "%s", "\"match\" must be an object");
    for (size_t k = 0; jm && k < sizeof keys / sizeof *keys; k++) {
        const jd *v = jd_get(jm, keys[k]);
        if (v && (!jd_is_int(v) || jd_int(v) < 1 || jd_int(v) > 64))
            return fail(L, path, "match.%s must be a whole number from 1 to 64", keys[k]);
        if (v)
            *slot[k] = (int)jd_int(v);
    }
    return true;
}

static bool build_template(loader *L, size_t i, nb_template *t)
{
    const jd *doc = L->docs[i];
    const char *path = L->paths[i];
    const jd *chain[8];
    size_t nchain = doc_chain(L, i, chain, 8);
    const char *parent = jd_str(jd_get(doc, "inherits"));
    if (parent && nchain < 2)
        return fail(L, path, "inherits an unknown template \"%s\"", parent);
    t->id = a_strdup(L, jd_str(jd_get(doc, "id")));
    t->name = a_strdup(L, jd_str(jd_get(doc, "name")));
    t->path = a_strdup(L, path);
    if (!t->id)
        return fail(L, path, "%s", "a template needs an \"id\"");
    const jd *years = jd_get(doc, "years");
    t->year_from = (int)jd_int(jd_get(years, "from"));
    t->year_to = (int)jd_int(jd_get(years, "to"));
    const jd *match = NULL;
    for (size_t c = 0; c < nchain && !match; c++)
        match = jd_get(chain[c], "match");
    nb_match_limits limits;
    if (!parse_match(L, path, match, &limits))
        return false;
    char why[160];
    size_t at;
    if (!nb_lexicon_parse(chain, nchain, &t->lexicon, &at, why, sizeof why))
        return fail(L, doc_path(L, chain[at]), "%s", why); /* the file that holds the bad list */
    const jd *sections = NULL;
    for (size_t c = 0; c < nchain && !sections; c++)
        sections = jd_get(chain[c], "sections");
    if (!parse_sections(L, path, sections, t))
        return false;
    /* Tables: the child's own first, then inherited ones it lacks. */
    for (size_t c = 0; c < nchain; c++) {
        size_t k;
        const jd *jt;
        jd_array_foreach(jd_get(chain[c], "tables"), k, jt)
        {
            const char *name = jd_str(jd_get(jt, "name"));
            bool have = false;
            for (size_t x = 0; x < t->ntables; x++)
                have |= nb_streq(t->tables[x].name, name);
            if (c > 0 && find_table_json(doc, name))
                have = true;
            if (!have && !add_table(L, t, path, jt))
                return false;
        }
    }
    for (size_t x = 0; x < t->ntables; x++)
        t->tables[x].match = limits;
    return true;
}

static int cmp_template(const void *a, const void *b)
{
    const nb_template *x = a, *y = b;
    if (x->year_from != y->year_from)
        return y->year_from - x->year_from; /* newest first */
    return strcmp(x->id, y->id);
}

static bool add_name(nb_templates *T, const char *name)
{
    for (size_t i = 0; i < T->ntable_names; i++)
        if (strcmp(T->table_names[i], name) == 0)
            return true;
    char **v = realloc(T->table_names, (T->ntable_names + 1) * sizeof *v);
    if (!v)
        return false;
    T->table_names = v;
    v[T->ntable_names++] = nb_arena_strndup(&T->arena, name, strlen(name));
    return true;
}

/* The paths already made columns, for one table name: open addressing
 * over the fields of its variants (a binary search per field in every
 * earlier variant cost more than the rest of the column list). */
typedef struct path_set {
    const char **v;
    size_t mask;
} path_set;

/* The length and the last sixteen bytes: paths share their table's prefix. */
static size_t path_hash(const char *s, size_t len)
{
    uint64_t a = 0, b = 0;
    if (len >= 8)
        memcpy(&a, s + len - 8, 8);
    else
        memcpy(&a, s, len);
    if (len >= 16)
        memcpy(&b, s + len - 16, 8);
    uint64_t h = (a ^ (b * 0x9E3779B97F4A7C15u) ^ len) * 0xFF51AFD7ED558CCDu;
    return (size_t)(h ^ (h >> 29));
}

/* True when path was not in the set (it is now). */
static bool path_set_add(path_set *ps, const char *path)
{
    size_t i = path_hash(path, strlen(path)) & ps->mask;
    for (; ps->v[i]; i = (i + 1) & ps->mask)
        if (strcmp(ps->v[i], path) == 0)
            return false;
    ps->v[i] = path;
    return true;
}

/* Every field of the variants named name, in template order; a path
 * already seen (this definition's, or an earlier variant's) is a column
 * already. */
static bool add_columns_of(nb_templates *T, const char *name, path_set *ps, size_t *cap)
{
    for (size_t i = 0; i < T->n; i++)
        for (size_t k = 0; k < T->v[i].ntables; k++) {
            const nb_table_def *d = &T->v[i].tables[k];
            if (strcmp(d->name, name) != 0)
                continue;
            for (size_t f = 0; f < d->nfields; f++) {
                if (!path_set_add(ps, d->fields[f].path))
                    continue;
                if (!nb_grow((void **)&T->columns, cap, T->ncolumns, sizeof *T->columns))
                    return false;
                T->columns[T->ncolumns++] = &d->fields[f];
            }
        }
    return true;
}

static bool build_columns(nb_templates *T)
{
    size_t cap = 0, nfields = 0;
    for (size_t i = 0; i < T->n; i++)
        for (size_t k = 0; k < T->v[i].ntables; k++)
            nfields += T->v[i].tables[k].nfields;
    size_t slots = 16;
    while (slots < 2 * nfields)
        slots *= 2;
    path_set ps = {malloc(slots * sizeof *ps.v), slots - 1};
    bool ok = ps.v != NULL;
    for (size_t n = 0; ok && n < T->ntable_names; n++) {
        memset(ps.v, 0, slots * sizeof *ps.v); /* paths begin with the table's name: one set per name */
        ok = add_columns_of(T, T->table_names[n], &ps, &cap);
    }
    free(ps.v);
    return ok;
}

static nb_templates *finish(loader *L)
{
    nb_templates *T = calloc(1, sizeof *T);
    if (!T)
        return NULL;
    T->v = calloc(L->n ? L->n : 1, sizeof *T->v);
    if (!T->v) {
        free(T);
        return NULL;
    }
    L->arena = &T->arena;
    for (size_t i = 0; i < L->n; i++) {
        if (!build_template(L, i, &T->v[T->n])) {
            template_free(&T->v[T->n]);
            nb_templates_free(T);
            return NULL;
        }
        T->n++;
    }
    qsort(T->v, T->n, sizeof *T->v, cmp_template);
    for (size_t i = 0; i < T->n; i++)
        for (size_t k = 0; k < T->v[i].ntables; k++)
            if (!add_name(T, T->v[i].tables[k].name)) {
                nb_templates_free(T);
                return NULL;
            }
    if (!build_columns(T)) {
        nb_templates_free(T);
        return NULL;
    }
    return T;
}

static bool load_doc(loader *L, const char *path)
{
    json_error_t je;
    const jd *doc = jd_load_file(path, true, &je);
    if (!doc) {
        nb_error_set(L->err, NB_E_CONFIG, path, "line %d column %d: %s", je.line, je.column, je.text);
        return false;
    }
    if (!jd_is_obj(doc) || !jd_is_arr(jd_get(doc, "tables"))) {
        jd_free(doc);
        return fail(L, path, "%s", "not a template: needs \"id\" and \"tables\"");
    }
    const jd **d = realloc(L->docs, (L->n + 1) * sizeof *d);
    char **p = d ? realloc(L->paths, (L->n + 1) * sizeof *p) : NULL;
    if (d)
        L->docs = d;
    if (!p) {
        jd_free(doc);
        return fail(L, path, "%s", "out of memory");
    }
    L->paths = p;
    L->docs[L->n] = doc;
    L->paths[L->n++] = nb_strdup(path);
    return true;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static bool load_dir(loader *L, const char *dir)
{
    DIR *d = opendir(dir);
    if (!d)
        return true; /* a missing directory in a search path is not an error */
    char **names = NULL;
    size_t n = 0, cap = 0;
    bool ok = true;
    for (struct dirent *e; (e = readdir(d));) {
        if (!nb_has_suffix_ci(e->d_name, ".json"))
            continue;
        if (!nb_grow((void **)&names, &cap, n, sizeof *names)) {
            ok = false;
            break;
        }
        names[n++] = nb_strfmt("%s/%s", dir, e->d_name);
    }
    closedir(d);
    qsort(names, n, sizeof *names, cmp_str);
    for (size_t i = 0; i < n; i++) {
        if (ok)
            ok = load_doc(L, names[i]);
        free(names[i]);
    }
    free(names);
    return ok;
}

static void loader_free(loader *L)
{
    for (size_t i = 0; i < L->n; i++) {
        jd_free(L->docs[i]);
        free(L->paths[i]);
    }
    free(L->docs);
    free(L->paths);
}

nb_templates *nb_templates_load(const char *dirs, nb_error *err)
{
    loader L = {.err = err};
    char *copy = nb_strdup(dirs ? dirs : "");
    bool ok = copy != NULL;
    for (char *save = NULL, *dir = strtok_r(copy, ":", &save); ok && dir;
         dir = strtok_r(NULL, ":", &save))
        ok = load_dir(&L, dir);
    free(copy);
    nb_templates *T = NULL;
    if (ok && L.n == 0)
        nb_error_set(err, NB_E_CONFIG, dirs, "no template (*.json) found");
    else if (ok && !(T = finish(&L)) && err && err->cls == NB_E_NONE)
        nb_error_set(err, NB_E_INTERNAL, dirs, "out of memory");
    loader_free(&L);
    return T;
}

nb_templates *nb_templates_load_file(const char *path, nb_error *err)
{
    loader L = {.err = err};
    nb_templates *T = load_doc(&L, path) ? finish(&L) : NULL;
    loader_free(&L);
    return T;
}

size_t nb_templates_count(const nb_templates *t) { return t->n; }
const nb_template *nb_templates_get(const nb_templates *t, size_t i) { return i < t->n ? &t->v[i] : NULL; }

size_t nb_templates_table_defs(nb_templates *t, nb_table_def **out, size_t max)
{
    size_t n = 0;
    for (size_t i = 0; t && i < t->n; i++)
        for (size_t k = 0; k < t->v[i].ntables && n < max; k++)
            out[n++] = &t->v[i].tables[k];
    return n;
}

const nb_template *nb_templates_find(const nb_templates *t, const char *id)
{
    for (size_t i = 0; i < t->n; i++)
        if (strcmp(t->v[i].id, id) == 0)
            return &t->v[i];
    return NULL;
}

const nb_template *nb_templates_for_year(const nb_templates *t, int year)
{
    for (size_t i = 0; i < t->n; i++)
        if (year >= t->v[i].year_from && (t->v[i].year_to == 0 || year <= t->v[i].year_to))
            return &t->v[i];
    return NULL;
}

size_t nb_templates_table_count(const nb_templates *t) { return t->ntable_names; }

const char *nb_templates_table_name(const nb_templates *t, size_t i)
{
    return i < t->ntable_names ? t->table_names[i] : NULL;
}

size_t nb_templates_variants(const nb_templates *t, const char *table, const nb_table_def **out,
                             size_t max)
{
    size_t n = 0;
    for (size_t i = 0; i < t->n; i++)
        for (size_t k = 0; k < t->v[i].ntables; k++)
            if (t->v[i].tables[k].name[0] == table[0] && strcmp(t->v[i].tables[k].name, table) == 0 &&
                n < max) /* the first byte tells most names apart without a call */
                out[n++] = &t->v[i].tables[k];
    return n;
}

const nb_table_def *nb_templates_table(const nb_templates *t, const char *table, const char *variant)
{
    const nb_template *tp = nb_templates_find(t, variant);
    if (!tp)
        return NULL;
    for (size_t k = 0; k < tp->ntables; k++)
        if (strcmp(tp->tables[k].name, table) == 0)
            return &tp->tables[k];
    return NULL;
}

size_t nb_templates_columns(const nb_templates *t, const nb_field_def ***out)
{
    *out = t->columns;
    return t->ncolumns;
}

const nb_field_def *nb_table_def_field(const nb_table_def *d, const char *path)
{
    long i = nb_table_def_field_index(d, path);
    return i < 0 ? NULL : &d->fields[i];
}

long nb_table_def_row_index(const nb_table_def *d, const char *row_key)
{
    for (size_t i = 0; i < d->nrows; i++)
        if (strcmp(d->rows[i].key, row_key) == 0)
            return (long)i;
    return -1;
}
