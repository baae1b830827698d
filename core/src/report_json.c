/* report_json.c - the report as a jansson tree (report-model.md), for the
 * callers that need one.  Plugins write the text form
 * (report_json_write.c: the same members and order) and read it back with
 * report_json_read.c.  A decimal here is a double: 12.50 is dumped as
 * 12.5, where the text form keeps the digits as printed. */
#include "json_internal.h"
#include "c_locale.h"
#include "util.h"
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
    return json_real(nb_strtod_c(buf, NULL));
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
