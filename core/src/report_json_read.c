/* report_json_read.c - a report read back from its JSON (report-model.md).
 *
 * The record is parsed by jdoc, which keeps a real number's literal: a
 * decimal is read as the digits written (12.50 stays 12.50, scale 2), so
 * NDJSON -> NDJSON gives the same text.  A jansson value (the internal
 * nb_report_from_json) is copied into the same form first; its reals are
 * doubles, read as their shortest decimal. */
#include "json_internal.h"
#include "c_locale.h"
#include "jdoc.h"
#include "util.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void set_str_field(char **dst, const jd *o, const char *key)
{
    nb_set_str(dst, jd_str(jd_get(o, key)));
}

/* What one record's cells are looked up in.  A record names its cells by
 * path in "cells" (provenance) and in five status lists; each of some 250
 * cells looked up list after list took over half of reading a report back
 * (an NDJSON stage of a pipeline ran at a third of the speed of reading
 * the texts).  So each table's statuses are set from the lists' entries
 * in one pass through the definition's path index, and objects are
 * searched from where the last lookup stopped, as cells are asked in the
 * order the writer wrote them. */
typedef struct cell_reader {
    const jd *cells;            /* "cells", or NULL */
    size_t cells_hint;
    size_t depth_hint[8];       /* lookup(), per level of a table's object */
    unsigned char *status;      /* per field of the table read: its list's status + 1, 0: none
                                 * (NULL when out of memory: the lists are searched per cell) */
    size_t cap;                 /* status's size */
} cell_reader;

/* In the order a path's status is decided: the first list that holds it. */
static const struct {
    const char *list;
    nb_cell_status st;
} status_lists[] = {{"blank", NB_CELL_BLANK},
                    {"na", NB_CELL_NA},
                    {"ambiguous", NB_CELL_AMBIGUOUS},
                    {"inferred", NB_CELL_INFERRED},
                    {"derived", NB_CELL_DERIVED}};

static void mark(unsigned char *status, size_t i, nb_cell_status st)
{
    if (!status[i])
        status[i] = (unsigned char)(st + 1);
}

/* The lists' statuses of def's fields (table `name`) into cr->status. */
static void table_statuses(cell_reader *cr, const jd *j, const char *name, const nb_table_def *def)
{
    if (def->nfields > cr->cap) {
        free(cr->status);
        cr->cap = def->nfields;
        if (!(cr->status = malloc(cr->cap)))
            cr->cap = 0;
    }
    if (!cr->status)
        return;
    memset(cr->status, 0, def->nfields);
    size_t nl = strlen(name);
    for (size_t l = 0; l < sizeof status_lists / sizeof *status_lists; l++) {
        size_t i;
        const jd *v;
        jd_array_foreach(jd_get(j, status_lists[l].list), i, v)
        {
            const char *path = jd_str(v);
            if (!path || strncmp(path, name, nl) != 0 || path[nl] != '.')
                continue;
            if (def->by_path) {
                const size_t *idx;
                for (size_t k = 0, n = nb_table_def_path_range(def, path, &idx); k < n; k++)
                    mark(cr->status, idx[k], status_lists[l].st);
            } else { /* no index (out of memory at load) */
                for (size_t k = 0; k < def->nfields; k++)
                    if (strcmp(def->fields[k].path, path) == 0)
                        mark(cr->status, k, status_lists[l].st);
            }
        }
    }
}

static bool in_list(const jd *arr, const char *path)
{
    size_t i;
    const jd *v;
    jd_array_foreach(arr, i, v) if (nb_streq(jd_str(v), path)) return true;
    return false;
}

/* The status the lists give field i (path): OK when none holds it. */
static nb_cell_status status_of(const cell_reader *cr, const jd *j, size_t i, const char *path)
{
    if (cr->status)
        return cr->status[i] ? (nb_cell_status)(cr->status[i] - 1) : NB_CELL_OK;
    for (size_t l = 0; l < sizeof status_lists / sizeof *status_lists; l++)
        if (in_list(jd_get(j, status_lists[l].list), path))
            return status_lists[l].st;
    return NB_CELL_OK;
}

/* obj[a][b][c] for "a.b.c". */
static const jd *lookup(cell_reader *cr, const jd *root, const char *path)
{
    const jd *cur = root;
    size_t level = 0;
    for (const char *p = path, *dot; cur && *p; p = dot + 1, level++) {
        dot = strchr(p, '.');
        size_t *hint = &cr->depth_hint[level < 8 ? level : 7];
        cur = jd_get_near(cur, p, dot ? (size_t)(dot - p) : strlen(p), hint);
        if (!dot)
            break;
    }
    return cur;
}

/* A real with an exponent, or more digits than nb_num holds (written by
 * older versions, or by hand): the shortest fixed decimal that reads back
 * as the same double, with at least one decimal. */
static bool num_from_double(double d, nb_num *out)
{
    char buf[400];
    for (int prec = 1; prec <= 17; prec++) {
        nb_snprintf_c(buf, sizeof buf, "%.*f", prec, d);
        if (nb_strtod_c(buf, NULL) == d)
            break;
    }
    char *dot = strchr(buf, '.');
    if (dot) {
        size_t n = strlen(buf);
        while (n > (size_t)(dot - buf) + 2 && buf[n - 1] == '0')
            buf[--n] = '\0';
    }
    return nb_num_parse(buf, out);
}

/* Exact decimal from a JSON number: a real as its digits were written. */
static bool num_of(const jd *v, nb_num *out)
{
    if (jd_is_int(v)) {
        *out = nb_num_int(jd_int(v));
        return true;
    }
    const char *lit = jd_real_text(v);
    if (!lit)
        return false;
    return nb_num_parse(lit, out) || num_from_double(jd_real(v), out);
}

static int int_or(const jd *v, int dflt)
{
    return v ? (int)jd_int(v) : dflt;
}

static void read_cell(nb_report *r, cell_reader *cr, const jd *j, const nb_table_def *def, size_t fi,
                      nb_cell *c, const jd *val)
{
    const nb_field_def *f = &def->fields[fi];
    const jd *prov = cr->cells ? jd_get_near(cr->cells, f->path, strlen(f->path), &cr->cells_hint) : NULL;
    int line = int_or(jd_get(prov, "line"), 0), cell = int_or(jd_get(prov, "cell"), -1);
    if (f->type == NB_TYPE_UNIT) {
        nb_set_str(&c->text, jd_str(val));
        nb_cell_set_raw(r, c, jd_str(jd_get(prov, "raw")));
        c->status = c->text ? NB_CELL_OK : NB_CELL_MISSING;
        c->line = line;
        c->cell = cell;
        return;
    }
    nb_cell_status st = NB_CELL_OK;
    const char *sname = jd_str(jd_get(prov, "status"));
    if (!(sname && nb_cell_status_from_name(sname, &st)))
        st = status_of(cr, j, fi, f->path);
    nb_num n = {0, 0};
    bool has = num_of(val, &n);
    if (!has && st != NB_CELL_AMBIGUOUS)
        st = NB_CELL_MISSING;
    nb_cell_set(r, c, st, n, jd_str(jd_get(prov, "raw")), line, cell);
}

static void read_extra(nb_report *r, const char *name, const jd *x)
{
    const jd *vals = jd_get(x, "values");
    size_t n = jd_len(vals);
    char **v = calloc(n ? n : 1, sizeof *v);
    for (size_t q = 0; v && q < n; q++)
        v[q] = (char *)jd_str(jd_at(vals, q));
    if (v)
        nb_report_add_extra(r, name, jd_str(jd_get(x, "label")), v, n, (int)jd_int(jd_get(x, "line")));
    free(v);
}

static bool read_table(nb_report *r, cell_reader *cr, const jd *j, size_t ti, nb_error *err)
{
    const char *name = nb_templates_table_name(r->templates, ti);
    const char *variant = jd_str(jd_get(jd_get(j, "variants"), name));
    const jd *tj = jd_get(j, name);
    if (!variant || !jd_is_obj(tj))
        return true; /* table absent in this report */
    const nb_table_def *def = nb_templates_table(r->templates, name, variant);
    if (!def) {
        nb_error_set(err, NB_E_DATA, NULL, "table %s: unknown template variant \"%s\"", name, variant);
        return false;
    }
    if (nb_report_set_variant(r, name, def, err) != NB_OK)
        return false;
    nb_table *t = &r->tables[ti];
    table_statuses(cr, j, name, def);
    for (size_t i = 0; i < def->nfields; i++)
        read_cell(r, cr, j, def, i, &t->cells[i], lookup(cr, tj, strchr(def->fields[i].path, '.') + 1));
    size_t k;
    const jd *x;
    jd_array_foreach(jd_get(tj, "extra"), k, x) read_extra(r, name, x);
    return true;
}

static void read_diags(nb_report *r, const jd *arr)
{
    size_t i;
    const jd *d;
    jd_array_foreach(arr, i, d)
    {
        nb_severity sev = NB_SEV_INFO;
        nb_severity_from_name(jd_str(jd_get(d, "severity")) ?: "info", &sev);
        const char *msg = jd_str(jd_get(d, "message"));
        nb_report_add_diag(r, jd_str(jd_get(d, "rule")), sev, jd_is_true(jd_get(d, "skipped")),
                           jd_str(jd_get(d, "where")), jd_str(jd_get(d, "expected")),
                           jd_str(jd_get(d, "found")), "%s", msg ? msg : "");
        if (!msg) {
            free(r->diags[r->ndiags - 1].message);
            r->diags[r->ndiags - 1].message = NULL;
        }
    }
}

/* A record with no table and no section is no report, as a text with
 * neither is none (`{"schema": "nianbao.report/1"}` alone would else
 * become a report of nothing, with an error for every rule). */
static bool has_content(const nb_report *r)
{
    for (size_t i = 0; i < r->ntables; i++)
        if (r->tables[i].def)
            return true;
    for (size_t i = 0; i < sizeof r->sections / sizeof *r->sections; i++)
        if (r->sections[i].title || r->sections[i].text)
            return true;
    return false;
}

static nb_report *from_jd(const nb_templates *t, const jd *j, nb_error *err)
{
    if (!nb_streq(jd_str(jd_get(j, "schema")), NB_REPORT_SCHEMA)) {
        nb_error_set(err, NB_E_DATA, NULL, "not a nianbao report (schema is not %s)", NB_REPORT_SCHEMA);
        return NULL;
    }
    nb_report *r = nb_report_new(t);
    if (!r) {
        nb_error_set(err, NB_E_INTERNAL, NULL, "out of memory");
        return NULL;
    }
    const jd *src = jd_get(j, "source");
    set_str_field(&r->source.path, src, "path");
    set_str_field(&r->source.format, src, "format");
    set_str_field(&r->source.encoding, src, "encoding");
    r->source.bytes = (uint64_t)jd_int(jd_get(src, "bytes"));
    snprintf(r->source.sha256, sizeof r->source.sha256, "%s", jd_str(jd_get(src, "sha256")) ?: "");
    set_str_field(&r->agency, j, "agency");
    set_str_field(&r->title, j, "title");
    set_str_field(&r->published, j, "published");
    r->year = (int)jd_int(jd_get(j, "year"));
    size_t i;
    const jd *s;
    jd_array_foreach(jd_get(j, "sections"), i, s)
    {
        int no = (int)jd_int(jd_get(s, "no"));
        if (no < 1 || no > 6)
            continue;
        set_str_field(&r->sections[no - 1].title, s, "title");
        set_str_field(&r->sections[no - 1].text, s, "text");
    }
    cell_reader cr = {.cells = jd_get(j, "cells")};
    bool ok = true;
    for (size_t ti = 0; ok && ti < r->ntables; ti++)
        ok = read_table(r, &cr, j, ti, err);
    free(cr.status);
    if (!ok) {
        nb_report_free(r);
        return NULL;
    }
    if (!has_content(r)) {
        nb_error_set(err, NB_E_DATA, NULL, "none of the template's tables or sections is in it");
        nb_report_free(r);
        return NULL;
    }
    set_str_field(&r->template_id, j, "template");
    if (!r->template_id)
        nb_report_update_template(r);
    const jd *facts = jd_get(j, "facts"), *v;
    const char *key;
    jd_object_foreach(facts, i, key, v) nb_report_set_fact(r, key, jd_str(v));
    read_diags(r, jd_get(j, "diagnostics"));
    return r;
}

nb_report *nb_report_from_json(const nb_templates *t, json_t *j, nb_error *err)
{
    const jd *d = jd_from_json(j);
    if (!d && j) {
        nb_error_set(err, NB_E_INTERNAL, NULL, "out of memory");
        return NULL;
    }
    nb_report *r = from_jd(t, d, err);
    jd_free(d);
    return r;
}

/* As text, for plugins (no jansson type crosses the ABI); the writing side
 * is report_json_write.c. */
nb_report *nb_report_from_json_text(const nb_templates *t, const char *text, size_t len,
                                    nb_error *err)
{
    json_error_t je;
    const jd *j = text ? jd_load_any(text, len, &je) : NULL;
    if (!j) {
        nb_error_set(err, NB_E_DATA, NULL, "not JSON: %s (line %d, column %d)",
                     text ? je.text : "no text", text ? je.line : 0, text ? je.column : 0);
        return NULL;
    }
    nb_report *r = from_jd(t, j, err);
    jd_free(j);
    return r;
}
