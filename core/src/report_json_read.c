/* report_json_read.c - a report read back from its JSON (report-model.md).
 *
 * The record is parsed by jdoc, which keeps a real number's literal: a
 * decimal is read as the digits written (12.50 stays 12.50, scale 2), so
 * NDJSON -> NDJSON gives the same text.  A jansson value (the internal
 * nb_report_from_json) is copied into the same form first; its reals are
 * doubles, read as their shortest decimal. */
#include "json_internal.h"
#include "jdoc.h"
#include "util.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void set_str_field(char **dst, const jd *o, const char *key)
{
    nb_set_str(dst, jd_str(jd_get(o, key)));
}

static bool in_list(const jd *arr, const char *path)
{
    size_t i;
    const jd *v;
    jd_array_foreach(arr, i, v) if (nb_streq(jd_str(v), path)) return true;
    return false;
}

/* The member named by the n bytes at key (the last of equal keys). */
static const jd *get_n(const jd *o, const char *key, size_t n)
{
    for (size_t i = jd_nmembers(o); i-- > 0;) {
        const char *k = jd_key_at(o, i);
        if (strncmp(k, key, n) == 0 && k[n] == '\0')
            return jd_val_at(o, i);
    }
    return NULL;
}

/* obj[a][b][c] for "a.b.c". */
static const jd *lookup(const jd *root, const char *path)
{
    const jd *cur = root;
    for (const char *p = path, *dot; cur && *p; p = dot + 1) {
        dot = strchr(p, '.');
        cur = get_n(cur, p, dot ? (size_t)(dot - p) : strlen(p));
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
        snprintf(buf, sizeof buf, "%.*f", prec, d);
        if (strtod(buf, NULL) == d)
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

static void read_cell(nb_report *r, const jd *j, const nb_field_def *f, nb_cell *c, const jd *val)
{
    const jd *prov = jd_get(jd_get(j, "cells"), f->path);
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
    if (!(sname && nb_cell_status_from_name(sname, &st))) {
        st = in_list(jd_get(j, "blank"), f->path)       ? NB_CELL_BLANK
             : in_list(jd_get(j, "na"), f->path)        ? NB_CELL_NA
             : in_list(jd_get(j, "ambiguous"), f->path) ? NB_CELL_AMBIGUOUS
             : in_list(jd_get(j, "inferred"), f->path)  ? NB_CELL_INFERRED
             : in_list(jd_get(j, "derived"), f->path)   ? NB_CELL_DERIVED
                                                        : NB_CELL_OK;
    }
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

static bool read_table(nb_report *r, const jd *j, size_t ti, nb_error *err)
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
    for (size_t i = 0; i < def->nfields; i++)
        read_cell(r, j, &def->fields[i], &t->cells[i], lookup(tj, strchr(def->fields[i].path, '.') + 1));
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
    for (size_t ti = 0; ti < r->ntables; ti++)
        if (!read_table(r, j, ti, err)) {
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
