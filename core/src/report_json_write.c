/* report_json_write.c - the report and failure records as JSON text,
 * written directly (no jansson tree: the tree cost a fifth of a report's
 * conversion).  Same members, order and rules as nb_report_to_json in
 * report_json.c, whose tree stays for the callers that need one; the unit
 * test test_json_write checks both give the same bytes, but for decimals:
 * the tree holds doubles, this text the digits (put_real). */
#include "json_internal.h"
#include "c_locale.h"
#include "json_writer.h"
#include "report_json_plan.h"
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

/* nb_num_overflowed, inline: it is asked for every cell twice. */
static bool overflowed(nb_num n) { return n.scale == NB_NUM_OVERFLOW; }

/* A decimal as its digits (report-model.md: "keep the digits as printed,
 * never round through binary floating point on the way out"): 12.50 is
 * written 12.50, 0.00005 as 0.00005, not 5e-05.  nb_num_format's text is
 * a JSON number: a sign, at least one digit before the point, no
 * exponent.  A scale past 18 (only a plugin's own nb_num has one) is
 * written as its double, as the tree writer writes every decimal. */
static bool put_real(jw *w, nb_num n)
{
    char buf[48];
    if (n.scale <= 18) {
        int k = nb_num_format(n, buf, sizeof buf);
        if (k > 0 && (size_t)k < sizeof buf) {
            jw_value_text(w, buf, (size_t)k);
            return true;
        }
    }
    nb_num_format(n, buf, sizeof buf);
    double d = nb_strtod_c(buf, NULL);
    if (!jw_real_ok(d))
        return false;
    jw_real(w, d);
    return true;
}

/* Whether cell_value() of the tree writer gives a value (json_string and
 * json_real refuse some, and then the member is not set). */
static bool value_ok(const nb_field_def *f, const nb_cell *c)
{
    if (f->type == NB_TYPE_UNIT)
        return !c->text || jw_utf8_ok(c->text, strlen(c->text));
    if (!c->has_value || overflowed(c->num) || c->num.scale <= 18)
        return true;
    char buf[48];
    nb_num_format(c->num, buf, sizeof buf);
    return jw_real_ok(nb_strtod_c(buf, NULL));
}

static void write_value(jw *w, const nb_field_def *f, const nb_cell *c)
{
    if (f->type == NB_TYPE_UNIT) {
        if (c->text)
            jw_str(w, c->text, strlen(c->text));
        else
            jw_null(w);
    } else if (!c->has_value || overflowed(c->num))
        jw_null(w);
    else if (c->num.scale == 0)
        jw_int(w, c->num.v);
    else if (!put_real(w, c->num))
        w->failed = true; /* value_ok refused it first */
}

static void write_extra(jw *w, const nb_table *t)
{
    jw_begin_array(w);
    for (size_t i = 0; i < t->nextra; i++) {
        const nb_extra_row *x = &t->extra[i];
        jw_begin_object(w);
        jw_member_str_lit(w, JW_LIT("label"), x->label);
        jw_key_plain(w, JW_LIT("values"));
        jw_begin_array(w);
        for (size_t j = 0; j < x->nvalues; j++)
            jw_elem_str(w, x->values[j]);
        jw_end_array(w);
        jw_member_int_lit(w, JW_LIT("line"), x->line);
        jw_end_object(w);
    }
    jw_end_array(w);
}

static void write_node(jw *w, const nest_tree *nt, long node, const nb_table *t)
{
    const nest_node *n = &nt->n[node];
    if (n->field == NEST_EXTRA) {
        write_extra(w, t);
        return;
    }
    if (n->field >= 0) {
        write_value(w, &t->def->fields[n->field], &t->cells[n->field]);
        return;
    }
    jw_begin_object(w);
    for (long c = n->first; c >= 0; c = nt->n[c].next) {
        nest_key(w, &nt->n[c]);
        write_node(w, nt, c, t);
    }
    jw_end_object(w);
}

/* The nesting of d's paths as nest_put builds it for a table without
 * extra rows; false when out of memory. */
static bool nest_build(nest_tree *nt, const nb_table_def *d, const nb_table *t, bool all_ok)
{
    if (!nest_init(nt, 2 * d->nfields + 2))
        return false;
    for (size_t i = 0; i < d->nfields; i++) {
        const nb_field_def *f = &d->fields[i];
        nest_put(nt, strchr(f->path, '.') + 1, (long)i, all_ok || value_ok(f, &t->cells[i]));
    }
    return !nt->failed;
}

/* The nesting of every field of d, which depends only on the template:
 * remembered on the definition, published atomically (worker threads
 * share it); NULL when out of memory. */
static const nest_tree *nest_for(const nb_table_def *d)
{
    nest_tree **slot = &((nb_table_def *)d)->json_nest; /* a cache, not the definition */
    nest_tree *nt = __atomic_load_n(slot, __ATOMIC_ACQUIRE);
    if (nt)
        return nt;
    nest_tree *fresh = malloc(sizeof *fresh);
    if (!fresh || !nest_build(fresh, d, NULL, true)) {
        if (fresh)
            nest_free(fresh);
        free(fresh);
        return NULL;
    }
    nest_plan_build(fresh, d);
    nest_tree *expected = NULL;
    if (__atomic_compare_exchange_n(slot, &expected, fresh, false, __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE))
        return fresh;
    nest_tree_release(fresh); /* another thread published first */
    return expected;
}

/* The table object from the remembered nesting: "extra" takes the place of
 * a member of that name, else comes last (nest_put_root's rule). */
static void write_root(jw *w, const nest_tree *nt, const nb_table *t)
{
    bool extra = t->nextra > 0;
    jw_begin_object(w);
    for (long c = nt->n[0].first; c >= 0; c = nt->n[c].next) {
        const nest_node *n = &nt->n[c];
        nest_key(w, n);
        if (extra && n->nlen == 5 && memcmp(n->name, "extra", 5) == 0) {
            write_extra(w, t);
            extra = false;
        } else {
            write_node(w, nt, c, t);
        }
    }
    if (extra) {
        jw_key_plain(w, JW_LIT("extra"));
        write_extra(w, t);
    }
    jw_end_object(w);
}

static bool values_ok(const nb_table *t)
{
    for (size_t i = 0; i < t->def->nfields; i++)
        if (!value_ok(&t->def->fields[i], &t->cells[i]))
            return false;
    return true;
}

/* write_value, refusing (false, nothing written) what value_ok refuses. */
static bool put_value(jw *w, const nb_field_def *f, const nb_cell *c)
{
    if (f->type == NB_TYPE_UNIT) {
        if (c->text)
            return jw_str_valid(w, c->text, strlen(c->text));
        jw_null(w);
    } else if (!c->has_value || overflowed(c->num)) {
        jw_null(w);
    } else if (c->num.scale == 0) {
        jw_int(w, c->num.v);
    } else {
        return put_real(w, c->num);
    }
    return true;
}

/* A plan's piece of text at o, in whole chunks (the text is padded and
 * the room has a chunk to spare): pieces are a key or two long, too short
 * for a memcpy call to pay. */
static char *copy_piece(char *o, const char *s, size_t n)
{
    memcpy(o, s, NEST_PLAN_PAD); /* most pieces: one chunk */
    for (size_t k = NEST_PLAN_PAD; k < n; k += NEST_PLAN_PAD)
        memcpy(o + k, s + k, NEST_PLAN_PAD);
    return o + n;
}

/* The table through its plan (no extra rows, at the plan's depth); false,
 * with nothing written, when some value is refused: its member is then
 * dropped, which changes the nesting.  Notes each cell's status as
 * statuses_of does. */
static bool write_planned(jw *w, const nest_tree *nt, const nb_table *t, unsigned char *st)
{
    const nest_plan *p = &nt->plan[w->compact];
    for (size_t i = 0; i < nt->nshadowed; i++) {
        const nb_cell *c = &t->cells[nt->shadowed[i]];
        if (!value_ok(&t->def->fields[nt->shadowed[i]], c))
            return false;
        st[nt->shadowed[i]] = (unsigned char)c->status;
    }
    jw_mark start = jw_here(w);
    char *o = jw_room(w, p->room); /* enough for the text and integers */
    if (!o)
        return true; /* failed: nothing more is written */
    for (const nest_step *s = p->steps, *end = s + p->nsteps; s != end; s++) {
        o = copy_piece(o, p->text + s->at, s->len);
        if (s->field < 0)
            continue;
        const nb_cell *c = &t->cells[s->field];
        st[s->field] = (unsigned char)c->status;
        /* an integer, not a unit (has_value && !unit in one comparison): most cells */
        if (c->has_value > s->unit && c->num.scale == 0) {
            o = jw_digits(o, c->num.v);
            continue;
        }
        jw_wrote(w, o, true);
        if (!put_value(w, &t->def->fields[s->field], c)) {
            jw_back(w, start);
            return false;
        }
        o = jw_room(w, p->room);
        if (!o)
            return true;
    }
    jw_wrote(w, o, false);
    return true;
}

static bool plan_fits(const jw *w, const nest_tree *nt, const nb_table *t)
{
    return nt && nt->plan[w->compact].text && !t->nextra && w->depth == NEST_PLAN_DEPTH &&
           w->after_key;
}

/* Each of t's cells' status as a byte at st[k]. */
static void statuses_of(const nb_table *t, unsigned char *st)
{
    for (size_t k = 0; k < t->def->nfields; k++)
        st[k] = (unsigned char)t->cells[k].status;
}

/* The table's object; its cells' statuses noted at st as statuses_of
 * notes them (a planned table as it passes its cells: no pass of its
 * own). */
static void write_table(jw *w, const nb_table *t, unsigned char *st)
{
    if (!t->def) {
        jw_null(w);
        return;
    }
    const nest_tree *cached = nest_for(t->def);
    bool planned = plan_fits(w, cached, t);
    if (planned && write_planned(w, cached, t, st))
        return;
    statuses_of(t, st);
    if (!planned && cached && values_ok(t)) { /* extra rows: the cached nesting */
        write_root(w, cached, t);
        return;
    }
    /* a refused value drops its member: this table's own nesting */
    nest_tree nt;
    bool ok = nest_build(&nt, t->def, t, false);
    if (ok && t->nextra)
        nest_put_root(&nt, "extra", NEST_EXTRA);
    if (!ok || nt.failed)
        w->failed = true;
    else
        write_node(w, &nt, 0, t);
    nest_free(&nt);
}

#if defined(__SSE2__)
#include <emmintrin.h>
enum { MARK_STEP = 16 };

/* The first of statuses st[k, n) equal to want, or n: sixteen a test;
 * the padding past n (MARK_STEP bytes of 0xFF) never equals a status. */
static size_t next_of(const unsigned char *st, size_t k, size_t n, nb_cell_status want)
{
    const __m128i w = _mm_set1_epi8((char)want);
    for (; k < n; k += MARK_STEP) {
        __m128i x = _mm_loadu_si128((const __m128i *)(st + k));
        unsigned m = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(x, w));
        if (m)
            return k + (unsigned)__builtin_ctz(m);
    }
    return n;
}

/* Which of the listed statuses (blank, na, derived, ambiguous, inferred)
 * occur in st[0, n), a bit each: most lists are empty for most tables,
 * and the tables' cells are not passed again to find which. */
static unsigned listed_in(const unsigned char *st, size_t n)
{
    __m128i any[NB_CELL_INFERRED + 1];
    for (int s = 0; s <= NB_CELL_INFERRED; s++)
        any[s] = _mm_setzero_si128();
    for (size_t k = 0; k < n; k += MARK_STEP) {
        __m128i x = _mm_loadu_si128((const __m128i *)(st + k));
        for (int s = NB_CELL_BLANK; s <= NB_CELL_INFERRED; s++)
            any[s] = _mm_or_si128(any[s], _mm_cmpeq_epi8(x, _mm_set1_epi8((char)s)));
    }
    unsigned seen = 0;
    for (int s = NB_CELL_BLANK; s <= NB_CELL_INFERRED; s++)
        seen |= (unsigned)(_mm_movemask_epi8(any[s]) != 0) << s;
    return seen;
}
#else
enum { MARK_STEP = 1 };

static size_t next_of(const unsigned char *st, size_t k, size_t n, nb_cell_status want)
{
    while (k < n && st[k] != want)
        k++;
    return k;
}

static unsigned listed_in(const unsigned char *st, size_t n)
{
    unsigned seen = 0;
    for (size_t k = 0; k < n; k++)
        seen |= 1u << st[k];
    return seen;
}
#endif

/* The paths of t's cells of status st as array elements: quoted once per
 * definition (the cached nesting), else each checked and escaped here. */
static void list_paths(jw *w, const nb_table *t, const unsigned char *marks, nb_cell_status st)
{
    const nest_tree *nt = nest_for(t->def);
    const size_t *at = nt && nt->quoted ? nt->quoted_at : NULL;
    size_t ix[64], n = 0; /* a batch of quoted paths (an empty one: not UTF-8, no element) */
    size_t nf = t->def->nfields;
    for (size_t k = next_of(marks, 0, nf, st); k < nf; k = next_of(marks, k + 1, nf, st)) {
        if (!at) {
            jw_elem_str(w, t->def->fields[k].path);
            continue;
        }
        ix[n++] = k;
        if (n == sizeof ix / sizeof *ix) {
            jw_value_texts16(w, nt->quoted, at, ix, n, nt->quoted_longest);
            n = 0;
        }
    }
    if (n)
        jw_value_texts16(w, nt->quoted, at, ix, n, nt->quoted_longest);
}

/* What the lists need of a report's tables, noted as the tables are
 * written: per table, each cell's status as a byte (st[i], followed by
 * MARK_PAD bytes of 0xFF; NULL for a table without a definition) and
 * which of the listed statuses occur (seen[i], listed_in). */
enum { MARK_PAD = MARK_STEP };
typedef struct table_marks {
    unsigned *seen;
    unsigned char **st;
    void *heap;                               /* all of it when local is too small */
    _Alignas(max_align_t) unsigned char local[2048];
} table_marks;

/* Places m's arrays for r's tables; false when out of memory. */
static bool marks_init(table_marks *m, const nb_report *r)
{
    size_t nt = r->ntables, ptrs = nt * sizeof *m->st, need = ptrs + nt * sizeof *m->seen;
    for (size_t i = 0; i < nt; i++)
        if (r->tables[i].def)
            need += r->tables[i].def->nfields + MARK_PAD;
    m->heap = need > sizeof m->local ? malloc(need) : NULL;
    unsigned char *at = need > sizeof m->local ? m->heap : m->local;
    if (!at)
        return false;
    m->st = (unsigned char **)(void *)at;
    m->seen = (unsigned *)(void *)(at + ptrs);
    at += ptrs + nt * sizeof *m->seen;
    for (size_t i = 0; i < nt; i++) {
        m->seen[i] = 0;
        m->st[i] = NULL;
        if (!r->tables[i].def)
            continue;
        m->st[i] = at;
        at += r->tables[i].def->nfields;
        memset(at, 0xFF, MARK_PAD);
        at += MARK_PAD;
    }
    return true;
}

/* One of the path lists (blank, na, ...): every cell of that status; a
 * table without one is not passed (most lists are empty for most tables). */
static void write_status_list(jw *w, const nb_report *r, const char *key, size_t klen,
                              nb_cell_status st, const table_marks *m)
{
    jw_key_plain(w, key, klen);
    jw_begin_array(w);
    for (size_t i = 0; i < r->ntables; i++)
        if (r->tables[i].def && (m->seen[i] >> st & 1u))
            list_paths(w, &r->tables[i], m->st[i], st);
    jw_end_array(w);
}

static void write_provenance(jw *w, const nb_cell *c)
{
    jw_begin_object(w);
    jw_member_str_lit(w, JW_LIT("status"), nb_cell_status_name(c->status));
    jw_member_str_or_null_lit(w, JW_LIT("raw"), c->raw);
    if (c->line)
        jw_member_int_lit(w, JW_LIT("line"), c->line);
    if (c->cell >= 0)
        jw_member_int_lit(w, JW_LIT("cell"), c->cell);
    jw_end_object(w);
}

typedef struct path_ix {
    const char *path;
    size_t i;
} path_ix;

static int by_path_then_index(const void *a, const void *b)
{
    const path_ix *x = a, *y = b;
    int c = strcmp(x->path, y->path);
    return c ? c : (x->i > y->i) - (x->i < y->i);
}

/* For each listed cell of one table, the field whose provenance its member
 * holds: a path set twice keeps its first place and takes the last value
 * (json_object_set_new), -1 for the later ones.  False when out of memory. */
static bool cell_owners(const nb_table *t, long *owner)
{
    size_t n = 0, nf = t->def->nfields;
    path_ix *v = malloc((nf ? nf : 1) * sizeof *v);
    if (!v)
        return false;
    for (size_t i = 0; i < nf; i++) {
        owner[i] = -1;
        if (t->cells[i].status != NB_CELL_MISSING)
            v[n++] = (path_ix){t->def->fields[i].path, i};
    }
    qsort(v, n, sizeof *v, by_path_then_index);
    for (size_t g = 0, e; g < n; g = e) {
        for (e = g + 1; e < n && strcmp(v[e].path, v[g].path) == 0; e++)
            ;
        owner[v[g].i] = (long)v[e - 1].i;
    }
    free(v);
    return true;
}

static void write_table_cells(jw *w, const nb_table *t)
{
    size_t nf = t->def->nfields;
    long *owner = malloc((nf ? nf : 1) * sizeof *owner);
    if (!owner || !cell_owners(t, owner)) {
        free(owner);
        w->failed = true;
        return;
    }
    for (size_t i = 0; i < nf; i++) {
        const char *path = t->def->fields[i].path;
        if (owner[i] < 0 || !jw_utf8_ok(path, strlen(path)))
            continue;
        jw_key(w, path);
        write_provenance(w, &t->cells[owner[i]]);
    }
    free(owner);
}

static void write_cells(jw *w, const nb_report *r)
{
    jw_key_plain(w, JW_LIT("cells"));
    jw_begin_object(w);
    for (size_t i = 0; i < r->ntables; i++)
        if (r->tables[i].def)
            write_table_cells(w, &r->tables[i]);
    jw_end_object(w);
}

/* Literal text in the writer's layout: compact, or indented two spaces a
 * level as jansson indents (the caller knows the depth). */
#define LAYOUT(w, flat, indented)                                                                  \
    ((w)->compact ? (flat) : (indented)), ((w)->compact ? sizeof(flat) - 1 : sizeof(indented) - 1)

/* Literal text, then v's digits. */
static void put_run_int(jw *w, const char *run, size_t n, int64_t v)
{
    char *o = jw_room(w, n + 20);
    if (!o)
        return;
    memcpy(o, run, n);
    jw_wrote(w, jw_digits(o + n, v), false);
}

/* The next member of an object laid out by the caller (jw_member_piece):
 * piece starts with its comma, left out before the object's first member
 * (*any: one was written). */
static void next_member(jw *w, const char *piece, size_t n, const char *s, bool *any)
{
    *any |= jw_member_piece(w, piece + !*any, n - !*any, s);
}

/* The source, a member of the report's object after "schema", its keys
 * as literal runs; a refused path leaves "format" first. */
static void write_source(jw *w, const nb_source *s)
{
    bool any = false;
    jw_splice(w, LAYOUT(w, ",\"source\":{", ",\n  \"source\": {"), false);
    next_member(w, LAYOUT(w, ",\"path\":", ",\n    \"path\": "), s->path, &any);
    next_member(w, LAYOUT(w, ",\"format\":", ",\n    \"format\": "), s->format, &any);
    next_member(w, LAYOUT(w, ",\"encoding\":", ",\n    \"encoding\": "), s->encoding, &any);
    if (any)
        put_run_int(w, LAYOUT(w, ",\"bytes\":", ",\n    \"bytes\": "), (int64_t)s->bytes);
    else
        put_run_int(w, LAYOUT(w, "\"bytes\":", "\n    \"bytes\": "), (int64_t)s->bytes);
    jw_member_piece(w, LAYOUT(w, ",\"sha256\":", ",\n    \"sha256\": "), s->sha256[0] ? s->sha256 : NULL);
    jw_splice(w, LAYOUT(w, "}", "\n  }"), false);
}

/* The six sections, a member of the report's object: their brackets and
 * keys as literal runs in either layout (five writer calls and their
 * checks a section otherwise); each object starts with "no", so a refused
 * title or text leaves the commas as they are. */
static void write_sections(jw *w, const nb_report *r, bool with_text)
{
    jw_key_plain(w, JW_LIT("sections"));
    for (int i = 0; i < 6; i++) {
        const nb_section *s = &r->sections[i];
        if (i == 0)
            put_run_int(w, LAYOUT(w, "[{\"no\":", "[\n    {\n      \"no\": "), s->no);
        else
            put_run_int(w, LAYOUT(w, "},{\"no\":", "\n    },\n    {\n      \"no\": "), s->no);
        jw_member_piece(w, LAYOUT(w, ",\"title\":", ",\n      \"title\": "), s->title);
        if (with_text)
            jw_member_piece(w, LAYOUT(w, ",\"text\":", ",\n      \"text\": "), s->text);
    }
    jw_splice(w, LAYOUT(w, "}]", "\n    }\n  ]"), false);
}

/* The cached nesting of table i's definition when its name is the key
 * of table i (checked once there: no escape, valid UTF-8); else NULL. */
static const nest_tree *named_nest(const nb_report *r, size_t i)
{
    const nb_table_def *d = r->tables[i].def;
    const nest_tree *nt = d ? nest_for(d) : NULL;
    const char *name = nb_templates_table_name(r->templates, i);
    return nt && nt->name_plain && name && strcmp(name, d->name) == 0 ? nt : NULL;
}

static void write_variants(jw *w, const nb_report *r)
{
    jw_key_plain(w, JW_LIT("variants"));
    jw_begin_object(w);
    for (size_t i = 0; i < r->ntables; i++) {
        const char *name = nb_templates_table_name(r->templates, i);
        const nest_tree *nt = named_nest(r, i);
        if (nt && nt->variant_q) { /* key and value as checked once */
            jw_key_plain(w, r->tables[i].def->name, nt->name_len);
            jw_value_text(w, nt->variant_q, nt->variant_qlen);
        } else if (r->tables[i].def) {
            jw_member_str(w, name, r->tables[i].def->variant);
        } else {
            jw_member_str_or_null(w, name, NULL);
        }
    }
    jw_end_object(w);
}

static void write_facts(jw *w, const nb_report *r)
{
    if (!r->nfacts)
        return;
    jw_key_plain(w, JW_LIT("facts"));
    jw_begin_object(w);
    for (size_t i = 0; i < r->nfacts; i++) {
        const char *k = r->facts[i].key;
        if (k && jw_utf8_ok(k, strlen(k)))
            jw_member_str_or_null(w, k, r->facts[i].value);
    }
    jw_end_object(w);
}

/* A finding's members, rule to message: a report's diagnostic, and a
 * run's finding record after its schema and source. */
static void write_diag_members(jw *w, const nb_diag *d)
{
    jw_member_str_lit(w, JW_LIT("rule"), d->rule ? d->rule : "");
    jw_member_str_lit(w, JW_LIT("severity"), nb_severity_name(d->severity));
    if (d->skipped) {
        jw_key_plain(w, JW_LIT("skipped"));
        jw_true(w);
    }
    jw_member_str_or_null_lit(w, JW_LIT("where"), d->where);
    jw_member_str_or_null_lit(w, JW_LIT("expected"), d->expected);
    jw_member_str_or_null_lit(w, JW_LIT("found"), d->found);
    jw_member_str_or_null_lit(w, JW_LIT("message"), d->message);
}

static void write_diag(jw *w, const nb_diag *d)
{
    jw_begin_object(w);
    write_diag_members(w, d);
    jw_end_object(w);
}

static void write_diags(jw *w, const nb_report *r, size_t n)
{
    jw_key_plain(w, JW_LIT("diagnostics"));
    jw_begin_array(w);
    for (size_t i = 0; i < n; i++)
        write_diag(w, &r->diags[i]);
    jw_end_array(w);
}

/* The tables, their cells' statuses noted at m. */
static void write_tables(jw *w, const nb_report *r, table_marks *m)
{
    for (size_t i = 0; i < r->ntables; i++) {
        const nest_tree *nt = named_nest(r, i);
        if (nt)
            jw_key_plain(w, r->tables[i].def->name, nt->name_len);
        else
            jw_key(w, nb_templates_table_name(r->templates, i));
        write_table(w, &r->tables[i], m->st[i]);
        if (m->st[i])
            m->seen[i] = listed_in(m->st[i], r->tables[i].def->nfields);
    }
}

static void write_lists(jw *w, const nb_report *r, const table_marks *m)
{
    write_status_list(w, r, JW_LIT("blank"), NB_CELL_BLANK, m);
    write_status_list(w, r, JW_LIT("na"), NB_CELL_NA, m);
    write_status_list(w, r, JW_LIT("ambiguous"), NB_CELL_AMBIGUOUS, m);
    write_status_list(w, r, JW_LIT("inferred"), NB_CELL_INFERRED, m);
    write_status_list(w, r, JW_LIT("derived"), NB_CELL_DERIVED, m);
}

static void write_head(jw *w, const nb_report *r)
{
    jw_member_str_lit(w, JW_LIT("schema"), NB_REPORT_SCHEMA); /* the object has a member now */
    write_source(w, &r->source);
    jw_member_piece(w, LAYOUT(w, ",\"agency\":", ",\n  \"agency\": "), r->agency);
    if (r->year)
        put_run_int(w, LAYOUT(w, ",\"year\":", ",\n  \"year\": "), r->year);
    else
        jw_member_piece(w, LAYOUT(w, ",\"year\":", ",\n  \"year\": "), NULL);
    jw_member_piece(w, LAYOUT(w, ",\"template\":", ",\n  \"template\": "), r->template_id);
    write_variants(w, r);
    jw_member_piece(w, LAYOUT(w, ",\"title\":", ",\n  \"title\": "), r->title);
    jw_member_piece(w, LAYOUT(w, ",\"published\":", ",\n  \"published\": "), r->published);
}

bool nb_report_member_reserved(const char *name)
{
    /* every key write_head, write_sections, write_lists, write_facts and
     * the diagnostics and provenance members write beside the tables */
    static const char *const members[] = {"schema", "source", "agency", "year", "template", "variants",
                                          "title", "published", "sections", "blank", "na", "ambiguous",
                                          "inferred", "derived", "facts", "diagnostics", "cells", NULL};
    for (size_t i = 0; members[i]; i++)
        if (strcmp(name, members[i]) == 0)
            return true;
    return false;
}

char *nb_report_to_json_text(const nb_report *r, unsigned flags)
{
    if (!r)
        return NULL;
    jw w;
    jw_init(&w, flags & NB_JSON_COMPACT);
    jw_begin_object(&w);
    write_head(&w, r);
    write_sections(&w, r, !(flags & NB_JSON_NO_SECTIONS));
    table_marks m;
    if (marks_init(&m, r)) {
        write_tables(&w, r, &m);
        write_lists(&w, r, &m);
        free(m.heap);
    } else {
        w.failed = true;
    }
    write_facts(&w, r);
    write_diags(&w, r, r->ndiags);
    if (flags & NB_JSON_PROVENANCE)
        write_cells(&w, r);
    jw_end_object(&w);
    return jw_finish(&w);
}

/* The end of a report's text from its diagnostics on, with its first n
 * diagnostics: what nb_report_to_json_text writes last. */
static char *diags_tail(const nb_report *r, size_t n, bool compact)
{
    jw w;
    jw_init_next_member(&w, compact, 1);
    write_diags(&w, r, n);
    jw_end_object(&w);
    return jw_finish(&w);
}

/* Diagnostics are the last member (but for provenance's cells), and the
 * findings added later follow the earlier ones: the text's end is made
 * again, the rest kept.  The end the text must have is rendered and
 * compared, so a text from other flags or another report gives NULL,
 * never a wrong splice. */
char *nb_report_json_amend(const nb_report *r, unsigned flags, const char *text, size_t from)
{
    if (!r || !text || from > r->ndiags || (flags & NB_JSON_PROVENANCE))
        return NULL;
    bool compact = flags & NB_JSON_COMPACT;
    char *was = diags_tail(r, from, compact), *now = was ? diags_tail(r, r->ndiags, compact) : NULL;
    size_t len = strlen(text), wl = was ? strlen(was) : 0, nl = now ? strlen(now) : 0;
    char *out = NULL;
    if (now && wl <= len && memcmp(text + len - wl, was, wl) == 0 && (out = malloc(len - wl + nl + 1))) {
        memcpy(out, text, len - wl);
        memcpy(out + len - wl, now, nl + 1);
    }
    free(was);
    free(now);
    return out;
}

char *nb_finding_to_json_text(const char *source, const nb_diag *d, unsigned flags)
{
    if (!d)
        return NULL;
    jw w;
    jw_init(&w, flags & NB_JSON_COMPACT);
    jw_begin_object(&w);
    jw_member_str_lit(&w, JW_LIT("schema"), NB_FINDING_SCHEMA);
    jw_member_str_lit(&w, JW_LIT("source"), source ? source : "");
    write_diag_members(&w, d);
    jw_end_object(&w);
    return jw_finish(&w);
}

char *nb_failure_to_json_text(const nb_failure *f, unsigned flags)
{
    if (!f)
        return NULL;
    jw w;
    jw_init(&w, flags & NB_JSON_COMPACT);
    jw_begin_object(&w);
    jw_member_str_lit(&w, JW_LIT("schema"), NB_FAILURE_SCHEMA);
    jw_member_str_lit(&w, JW_LIT("source"), f->source ? f->source : "");
    jw_member_str_lit(&w, JW_LIT("status"), f->skipped ? "skipped" : "failed");
    jw_member_str_lit(&w, JW_LIT("reason"), f->reason ? f->reason : "");
    jw_end_object(&w);
    return jw_finish(&w);
}
