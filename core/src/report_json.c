/* report_json.c - the report as JSON, both ways (report-model.md).
 *
 * Decimals: a JSON real is written with 15 significant digits (see
 * nb_json_dump_flags), which reproduces any figure of up to 15 digits as
 * printed; on the way in the shortest decimal that reads back to the same
 * double is taken, so write -> read -> write is the identity. */
#include "json_internal.h"
#include "util.h"
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

size_t nb_json_dump_flags(bool compact)
{
    return (compact ? JSON_COMPACT : JSON_INDENT(2)) | JSON_REAL_PRECISION(15) | JSON_ENSURE_ASCII * 0;
}

static json_t *num_json(nb_num n)
{
    if (nb_num_overflowed(n))
        return json_null();
    if (n.scale == 0)
        return json_integer(n.v);
    char buf[40];
    nb_num_format(n, buf, sizeof buf);
    return json_real(strtod(buf, NULL));
}

bool nb_json_num(const json_t *v, nb_num *out)
{
    if (json_is_integer(v)) {
        *out = nb_num_int(json_integer_value(v));
        return true;
    }
    if (!json_is_real(v))
        return false;
    double d = json_real_value(v);
    if (!isfinite(d))
        return false;
    char buf[64];
    for (int prec = 1; prec <= 17; prec++) {
        snprintf(buf, sizeof buf, "%.*f", prec, d);
        if (strtod(buf, NULL) == d)
            break;
    }
    /* trim trailing zeros but keep one decimal */
    char *dot = strchr(buf, '.');
    if (dot) {
        size_t n = strlen(buf);
        while (n > (size_t)(dot - buf) + 2 && buf[n - 1] == '0')
            buf[--n] = '\0';
    }
    return nb_num_parse(buf, out);
}

/* obj[a][b][c] for "a.b.c", creating objects on the way. */
static json_t *nest(json_t *root, const char *path, char **leaf)
{
    char *copy = nb_strdup(path);
    json_t *cur = root;
    char *save = NULL, *part = strtok_r(copy, ".", &save), *next;
    while (part && (next = strtok_r(NULL, ".", &save))) {
        json_t *child = json_object_get(cur, part);
        if (!json_is_object(child)) {
            child = json_object();
            json_object_set_new(cur, part, child);
        }
        cur = child;
        part = next;
    }
    *leaf = nb_strdup(part);
    free(copy);
    return cur;
}

static json_t *lookup(json_t *root, const char *path)
{
    char *copy = nb_strdup(path);
    json_t *cur = root;
    for (char *save = NULL, *part = strtok_r(copy, ".", &save); part && cur;
         part = strtok_r(NULL, ".", &save))
        cur = json_object_get(cur, part);
    free(copy);
    return cur;
}

static json_t *str_or_null(const char *s) { return s ? json_string(s) : json_null(); }

static json_t *cell_value(const nb_field_def *f, const nb_cell *c)
{
    if (f->type == NB_TYPE_UNIT)
        return str_or_null(c->text);
    return c->has_value ? num_json(c->num) : json_null();
}

static json_t *cell_provenance(const nb_cell *c)
{
    json_t *o = json_object();
    json_object_set_new(o, "status", json_string(nb_cell_status_name(c->status)));
    json_object_set_new(o, "raw", str_or_null(c->raw));
    if (c->line)
        json_object_set_new(o, "line", json_integer(c->line));
    if (c->cell >= 0)
        json_object_set_new(o, "cell", json_integer(c->cell));
    return o;
}

static json_t *extra_json(const nb_table *t)
{
    json_t *a = json_array();
    for (size_t i = 0; i < t->nextra; i++) {
        json_t *o = json_object(), *v = json_array();
        json_object_set_new(o, "label", json_string(t->extra[i].label));
        for (size_t j = 0; j < t->extra[i].nvalues; j++)
            json_array_append_new(v, json_string(t->extra[i].values[j]));
        json_object_set_new(o, "values", v);
        json_object_set_new(o, "line", json_integer(t->extra[i].line));
        json_array_append_new(a, o);
    }
    return a;
}

typedef struct lists {
    json_t *blank, *na, *ambiguous, *inferred, *derived, *cells;
} lists;

static void list_cell(lists *L, const char *path, const nb_cell *c)
{
    json_t *target = c->status == NB_CELL_BLANK       ? L->blank
                     : c->status == NB_CELL_NA        ? L->na
                     : c->status == NB_CELL_AMBIGUOUS ? L->ambiguous
                     : c->status == NB_CELL_INFERRED  ? L->inferred
                     : c->status == NB_CELL_DERIVED   ? L->derived
                                                      : NULL;
    if (target)
        json_array_append_new(target, json_string(path));
    if (L->cells && c->status != NB_CELL_MISSING)
        json_object_set_new(L->cells, path, cell_provenance(c));
}

static json_t *table_json(const nb_table *t, lists *L)
{
    if (!t->def)
        return json_null();
    json_t *o = json_object();
    for (size_t i = 0; i < t->def->nfields; i++) {
        const nb_field_def *f = &t->def->fields[i];
        const char *rest = strchr(f->path, '.') + 1; /* drop the table name */
        char *leaf;
        json_t *parent = nest(o, rest, &leaf);
        json_object_set_new(parent, leaf, cell_value(f, &t->cells[i]));
        free(leaf);
        list_cell(L, f->path, &t->cells[i]);
    }
    if (t->nextra)
        json_object_set_new(o, "extra", extra_json(t));
    return o;
}

static json_t *source_json(const nb_source *s)
{
    json_t *o = json_object();
    json_object_set_new(o, "path", str_or_null(s->path));
    json_object_set_new(o, "format", str_or_null(s->format));
    json_object_set_new(o, "encoding", str_or_null(s->encoding));
    json_object_set_new(o, "bytes", json_integer((json_int_t)s->bytes));
    json_object_set_new(o, "sha256", s->sha256[0] ? json_string(s->sha256) : json_null());
    return o;
}

static json_t *diag_json(const nb_diag *d)
{
    json_t *o = json_object();
    json_object_set_new(o, "rule", json_string(d->rule ? d->rule : ""));
    json_object_set_new(o, "severity", json_string(nb_severity_name(d->severity)));
    if (d->skipped)
        json_object_set_new(o, "skipped", json_true());
    json_object_set_new(o, "where", str_or_null(d->where));
    json_object_set_new(o, "expected", str_or_null(d->expected));
    json_object_set_new(o, "found", str_or_null(d->found));
    json_object_set_new(o, "message", str_or_null(d->message));
    return o;
}

static json_t *sections_json(const nb_report *r, bool with_text)
{
    json_t *a = json_array();
    for (int i = 0; i < 6; i++) {
        const nb_section *s = &r->sections[i];
        json_t *o = json_object();
        json_object_set_new(o, "no", json_integer(s->no));
        json_object_set_new(o, "title", str_or_null(s->title));
        if (with_text)
            json_object_set_new(o, "text", str_or_null(s->text));
        json_array_append_new(a, o);
    }
    return a;
}

json_t *nb_report_to_json(const nb_report *r, unsigned flags)
{
    json_t *o = json_object();
    lists L = {json_array(), json_array(), json_array(), json_array(), json_array(),
               (flags & NB_JSON_PROVENANCE) ? json_object() : NULL};
    json_object_set_new(o, "schema", json_string(NB_REPORT_SCHEMA));
    json_object_set_new(o, "source", source_json(&r->source));
    json_object_set_new(o, "agency", str_or_null(r->agency));
    json_object_set_new(o, "year", r->year ? json_integer(r->year) : json_null());
    json_object_set_new(o, "template", str_or_null(r->template_id));
    json_t *variants = json_object();
    for (size_t i = 0; i < r->ntables; i++)
        json_object_set_new(variants, nb_templates_table_name(r->templates, i),
                            r->tables[i].def ? json_string(r->tables[i].def->variant) : json_null());
    json_object_set_new(o, "variants", variants);
    json_object_set_new(o, "title", str_or_null(r->title));
    json_object_set_new(o, "published", str_or_null(r->published));
    json_object_set_new(o, "sections", sections_json(r, !(flags & NB_JSON_NO_SECTIONS)));
    for (size_t i = 0; i < r->ntables; i++)
        json_object_set_new(o, nb_templates_table_name(r->templates, i), table_json(&r->tables[i], &L));
    json_object_set_new(o, "blank", L.blank);
    json_object_set_new(o, "na", L.na);
    json_object_set_new(o, "ambiguous", L.ambiguous);
    json_object_set_new(o, "inferred", L.inferred);
    /* computed subtotals: read back as computed, not as printed figures,
     * so a second pass checks what the first one did */
    json_object_set_new(o, "derived", L.derived);
    if (r->nfacts) {
        json_t *f = json_object();
        for (size_t i = 0; i < r->nfacts; i++)
            json_object_set_new(f, r->facts[i].key, str_or_null(r->facts[i].value));
        json_object_set_new(o, "facts", f);
    }
    json_t *d = json_array();
    for (size_t i = 0; i < r->ndiags; i++)
        json_array_append_new(d, diag_json(&r->diags[i]));
    json_object_set_new(o, "diagnostics", d);
    if (L.cells)
        json_object_set_new(o, "cells", L.cells);
    return o;
}

json_t *nb_failure_to_json(const nb_failure *f)
{
    json_t *o = json_object();
    json_object_set_new(o, "schema", json_string(NB_FAILURE_SCHEMA));
    json_object_set_new(o, "source", json_string(f->source ? f->source : ""));
    json_object_set_new(o, "status", json_string(f->skipped ? "skipped" : "failed"));
    json_object_set_new(o, "reason", json_string(f->reason ? f->reason : ""));
    return o;
}

/* Reading back ------------------------------------------------------------- */

static void set_str_field(char **dst, json_t *o, const char *key)
{
    const char *s = json_string_value(json_object_get(o, key));
    nb_set_str(dst, s);
}

static bool in_list(json_t *arr, const char *path)
{
    size_t i;
    json_t *v;
    json_array_foreach(arr, i, v) if (nb_streq(json_string_value(v), path)) return true;
    return false;
}

static void read_cell(nb_report *r, json_t *j, const nb_field_def *f, nb_cell *c, json_t *val)
{
    json_t *prov = json_object_get(json_object_get(j, "cells"), f->path);
    if (f->type == NB_TYPE_UNIT) {
        json_t *line = json_object_get(prov, "line"), *cell = json_object_get(prov, "cell");
        nb_set_str(&c->text, json_string_value(val));
        nb_cell_set_raw(r, c, json_string_value(json_object_get(prov, "raw")));
        c->status = c->text ? NB_CELL_OK : NB_CELL_MISSING;
        c->line = line ? (int)json_integer_value(line) : 0;
        c->cell = cell ? (int)json_integer_value(cell) : -1;
        return;
    }
    nb_cell_status st = NB_CELL_OK;
    const char *sname = json_string_value(json_object_get(prov, "status"));
    if (!(sname && nb_cell_status_from_name(sname, &st))) {
        st = in_list(json_object_get(j, "blank"), f->path)       ? NB_CELL_BLANK
             : in_list(json_object_get(j, "na"), f->path)        ? NB_CELL_NA
             : in_list(json_object_get(j, "ambiguous"), f->path) ? NB_CELL_AMBIGUOUS
             : in_list(json_object_get(j, "inferred"), f->path)  ? NB_CELL_INFERRED
             : in_list(json_object_get(j, "derived"), f->path)   ? NB_CELL_DERIVED
                                                                 : NB_CELL_OK;
    }
    nb_num n = {0, 0};
    bool has = nb_json_num(val, &n);
    if (!has && st != NB_CELL_AMBIGUOUS)
        st = NB_CELL_MISSING;
    json_t *line = json_object_get(prov, "line"), *cell = json_object_get(prov, "cell");
    nb_cell_set(r, c, st, n, json_string_value(json_object_get(prov, "raw")),
                line ? (int)json_integer_value(line) : 0, cell ? (int)json_integer_value(cell) : -1);
}

static bool read_table(nb_report *r, json_t *j, size_t ti, nb_error *err)
{
    const char *name = nb_templates_table_name(r->templates, ti);
    const char *variant = json_string_value(json_object_get(json_object_get(j, "variants"), name));
    json_t *tj = json_object_get(j, name);
    if (!variant || !json_is_object(tj))
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
    json_t *x;
    json_array_foreach(json_object_get(tj, "extra"), k, x)
    {
        json_t *vals = json_object_get(x, "values");
        size_t n = json_array_size(vals);
        char **v = calloc(n ? n : 1, sizeof *v);
        for (size_t q = 0; v && q < n; q++)
            v[q] = (char *)json_string_value(json_array_get(vals, q));
        if (v)
            nb_report_add_extra(r, name, json_string_value(json_object_get(x, "label")), v, n,
                                (int)json_integer_value(json_object_get(x, "line")));
        free(v);
    }
    return true;
}

static void read_diags(nb_report *r, json_t *arr)
{
    size_t i;
    json_t *d;
    json_array_foreach(arr, i, d)
    {
        nb_severity sev = NB_SEV_INFO;
        nb_severity_from_name(json_string_value(json_object_get(d, "severity")) ?: "info", &sev);
        const char *msg = json_string_value(json_object_get(d, "message"));
        nb_report_add_diag(r, json_string_value(json_object_get(d, "rule")), sev,
                           json_is_true(json_object_get(d, "skipped")),
                           json_string_value(json_object_get(d, "where")),
                           json_string_value(json_object_get(d, "expected")),
                           json_string_value(json_object_get(d, "found")), "%s", msg ? msg : "");
        if (!msg) {
            free(r->diags[r->ndiags - 1].message);
            r->diags[r->ndiags - 1].message = NULL;
        }
    }
}

nb_report *nb_report_from_json(const nb_templates *t, json_t *j, nb_error *err)
{
    if (!nb_streq(json_string_value(json_object_get(j, "schema")), NB_REPORT_SCHEMA)) {
        nb_error_set(err, NB_E_DATA, NULL, "not a nianbao report (schema is not %s)", NB_REPORT_SCHEMA);
        return NULL;
    }
    nb_report *r = nb_report_new(t);
    if (!r) {
        nb_error_set(err, NB_E_INTERNAL, NULL, "out of memory");
        return NULL;
    }
    json_t *src = json_object_get(j, "source");
    set_str_field(&r->source.path, src, "path");
    set_str_field(&r->source.format, src, "format");
    set_str_field(&r->source.encoding, src, "encoding");
    r->source.bytes = (uint64_t)json_integer_value(json_object_get(src, "bytes"));
    snprintf(r->source.sha256, sizeof r->source.sha256, "%s",
             json_string_value(json_object_get(src, "sha256")) ?: "");
    set_str_field(&r->agency, j, "agency");
    set_str_field(&r->title, j, "title");
    set_str_field(&r->published, j, "published");
    r->year = (int)json_integer_value(json_object_get(j, "year"));
    size_t i;
    json_t *s;
    json_array_foreach(json_object_get(j, "sections"), i, s)
    {
        int no = (int)json_integer_value(json_object_get(s, "no"));
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
    set_str_field(&r->template_id, j, "template");
    if (!r->template_id)
        nb_report_update_template(r);
    const char *key;
    json_t *v;
    json_object_foreach(json_object_get(j, "facts"), key, v) nb_report_set_fact(r, key, json_string_value(v));
    read_diags(r, json_object_get(j, "diagnostics"));
    return r;
}

/* As text, for plugins (no jansson type crosses the ABI); the writing side
 * is report_json_write.c ----------------------------------------------- */

nb_report *nb_report_from_json_text(const nb_templates *t, const char *text, size_t len,
                                    nb_error *err)
{
    json_error_t je;
    json_t *j = text ? json_loadb(text, len, JSON_DECODE_ANY, &je) : NULL;
    if (!j) {
        nb_error_set(err, NB_E_DATA, NULL, "not JSON: %s (line %d, column %d)",
                     text ? je.text : "no text", text ? je.line : 0, text ? je.column : 0);
        return NULL;
    }
    nb_report *r = nb_report_from_json(t, j, err);
    json_decref(j);
    return r;
}
