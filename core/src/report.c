/* report.c - the report model: tables of cells, sections, diagnostics. */
#include "nianbao/report.h"
#include "util.h"
#include "report_internal.h"
#include "readings_internal.h"
#include <stdlib.h>
#include <string.h>
#include <stdio.h>

void nb_set_str(char **dst, const char *s)
{
    char *c = nb_strdup(s);
    free(*dst);
    *dst = c;
}

nb_report *nb_report_new(const nb_templates *t)
{
    nb_report *r = calloc(1, sizeof *r);
    if (!r)
        return NULL;
    r->templates = t;
    r->ntables = nb_templates_table_count(t);
    r->tables = calloc(r->ntables ? r->ntables : 1, sizeof *r->tables);
    if (!r->tables) {
        free(r);
        return NULL;
    }
    for (size_t i = 0; i < r->ntables; i++)
        r->tables[i].name = nb_templates_table_name(t, i);
    for (int i = 0; i < 6; i++)
        r->sections[i].no = i + 1;
    r->template_id = nb_strdup("unknown");
    return r;
}

/* The raw text stays in the report's cell_texts until the report is freed. */
void nb_cell_clear(nb_cell *c)
{
    free(c->text);
    memset(c, 0, sizeof *c);
    c->cell = -1;
}

static void table_clear(nb_table *t)
{
    /* the cells go with the array: only a unit cell's text is owned (a
     * pointer walk: t's fields are not loaded again after each free) */
    if (t->cells && t->def)
        for (nb_cell *c = t->cells, *end = c + t->def->nfields; c < end; c++)
            if (c->text)
                free(c->text);
    free(t->cells);
    for (size_t i = 0; i < t->nextra; i++) {
        free(t->extra[i].label);
        for (size_t j = 0; j < t->extra[i].nvalues; j++)
            free(t->extra[i].values[j]);
        free(t->extra[i].values);
    }
    free(t->extra);
    free(t->rows);
    const char *name = t->name;
    memset(t, 0, sizeof *t);
    t->name = name;
}

static void diag_free(nb_diag *d)
{
    free(d->rule);
    free(d->where);
    free(d->expected);
    free(d->found);
    free(d->message);
}

static void report_free_one(nb_report *r)
{
    free(r->source.path);
    free(r->source.format);
    free(r->source.encoding);
    free(r->agency);
    free(r->title);
    free(r->published);
    free(r->template_id);
    for (int i = 0; i < 6; i++) {
        free(r->sections[i].title);
        free(r->sections[i].text);
    }
    for (size_t i = 0; i < r->ntables; i++)
        table_clear(&r->tables[i]);
    free(r->tables);
    for (size_t i = 0; i < r->ndiags; i++)
        diag_free(&r->diags[i]);
    free(r->diags);
    for (size_t i = 0; i < r->nfacts; i++) {
        free(r->facts[i].key);
        free(r->facts[i].value);
    }
    free(r->facts);
    nb_readings_free(r->readings);
    free(r->out_text);
    free(r->out_stale);
    nb_texts_free(&r->cell_texts);
    free(r);
}

/* With the reports of the same document read after it (nb_recognise_all),
 * which its holder owns until it hands them on one by one. */
void nb_report_free(nb_report *r)
{
    while (r) {
        nb_report *next = r->next;
        report_free_one(r);
        r = next;
    }
}

/* A table's name is the templates' own string (nb_report_new): the
 * recogniser passes it back (the same pointer needs no comparison), and
 * table names differ in their first byte (a call to strcmp only then). */
static long table_index(const nb_report *r, const char *name)
{
    for (size_t i = 0; i < r->ntables; i++) {
        const char *t = r->tables[i].name;
        if (t == name || (t[0] == name[0] && strcmp(t, name) == 0))
            return (long)i;
    }
    return -1;
}

nb_table *nb_report_table(nb_report *r, const char *name)
{
    long i = table_index(r, name);
    return i < 0 ? NULL : &r->tables[i];
}

const nb_table *nb_report_table_c(const nb_report *r, const char *name)
{
    long i = table_index(r, name);
    return i < 0 ? NULL : &r->tables[i];
}

nb_status nb_report_set_variant(nb_report *r, const char *table, const nb_table_def *def,
                                nb_error *err)
{
    nb_table *t = nb_report_table(r, table);
    if (!t) {
        nb_error_set(err, NB_E_INTERNAL, NULL, "no table named %s in the templates", table);
        return NB_FATAL;
    }
    table_clear(t);
    if (!def)
        return NB_OK;
    /* each cell written once (not zeroed whole, then its position set) */
    t->cells = malloc((def->nfields ? def->nfields : 1) * sizeof *t->cells);
    if (!t->cells) {
        nb_error_set(err, NB_E_INTERNAL, NULL, "out of memory");
        return NB_FATAL;
    }
    for (nb_cell *c = t->cells, *end = c + def->nfields; c < end; c++)
        *c = (nb_cell){.status = NB_CELL_MISSING, .cell = -1};
    t->def = def; /* the rows are made when first asked for (nb_table_row_at) */
    return NB_OK;
}

/* Splits "requests.granted.total" into the table and the rest. */
static nb_table *table_for_path(const nb_report *r, const char *path, const char **rest)
{
    const char *dot = strchr(path, '.');
    if (!dot)
        return NULL;
    for (size_t i = 0; i < r->ntables; i++) {
        const char *name = nb_templates_table_name(r->templates, i);
        if (strlen(name) == (size_t)(dot - path) && strncmp(name, path, (size_t)(dot - path)) == 0) {
            *rest = dot + 1;
            return &r->tables[i];
        }
    }
    return NULL;
}

nb_cell *nb_report_cell(nb_report *r, const char *path)
{
    const char *rest;
    nb_table *t = table_for_path(r, path, &rest);
    if (!t || !t->def)
        return NULL;
    long i = nb_table_def_field_index(t->def, path);
    return i < 0 ? NULL : &t->cells[i];
}

const nb_cell *nb_report_cell_c(const nb_report *r, const char *path)
{
    return nb_report_cell((nb_report *)r, path);
}

const nb_field_def *nb_report_field(const nb_report *r, const char *path)
{
    const char *rest;
    nb_table *t = table_for_path(r, path, &rest);
    if (!t || !t->def)
        return NULL;
    return nb_table_def_field(t->def, path);
}

void nb_cell_set_raw(nb_report *r, nb_cell *c, const char *raw)
{
    c->raw = raw ? nb_texts_put_fast(&r->cell_texts, c->raw, raw) : NULL; /* what nb_texts_put gives for NULL */
}

void nb_cell_set(nb_report *r, nb_cell *c, nb_cell_status st, nb_num v, const char *raw, int line, int cell)
{
    nb_cell_put(r, c, st, v, raw, line, cell);
}

void nb_report_update_template(nb_report *r)
{
    const char *id = NULL;
    bool mixed = false;
    for (size_t i = 0; i < r->ntables; i++) {
        const nb_table_def *d = r->tables[i].def;
        if (!d)
            continue;
        if (!id)
            id = d->variant;
        else if (strcmp(id, d->variant) != 0)
            mixed = true;
    }
    nb_set_str(&r->template_id, mixed ? "mixed" : id ? id : "unknown");
}

void nb_report_add_diag(nb_report *r, const char *rule, nb_severity sev, bool skipped,
                        const char *where, const char *expected, const char *found,
                        const char *fmt, ...)
{
    if (!nb_grow((void **)&r->diags, &r->capdiags, r->ndiags, sizeof *r->diags))
        return;
    nb_diag *d = &r->diags[r->ndiags];
    memset(d, 0, sizeof *d);
    d->rule = nb_strdup(rule);
    d->severity = sev;
    d->skipped = skipped;
    d->where = nb_strdup(where);
    d->expected = nb_strdup(expected);
    d->found = nb_strdup(found);
    va_list ap;
    va_start(ap, fmt);
    if (vasprintf(&d->message, fmt, ap) < 0)
        d->message = NULL;
    va_end(ap);
    r->ndiags++;
}

void nb_report_filter_diags(nb_report *r, bool (*keep)(const nb_diag *d, const void *ctx), const void *ctx)
{
    size_t w = 0;
    for (size_t i = 0; i < r->ndiags; i++) {
        if (keep && keep(&r->diags[i], ctx))
            r->diags[w++] = r->diags[i];
        else
            diag_free(&r->diags[i]);
    }
    r->ndiags = w;
}

void nb_report_truncate_diags(nb_report *r, size_t n, bool drop_array)
{
    for (size_t i = n; i < r->ndiags; i++)
        diag_free(&r->diags[i]);
    if (n < r->ndiags)
        r->ndiags = n;
    if (drop_array && r->ndiags == 0) {
        free(r->diags);
        r->diags = NULL;
        r->capdiags = 0;
    }
}

size_t nb_report_count_diags(const nb_report *r, nb_severity sev)
{
    size_t n = 0;
    for (size_t i = 0; i < r->ndiags; i++)
        if (r->diags[i].severity == sev && !r->diags[i].skipped)
            n++;
    return n;
}

void nb_report_set_fact(nb_report *r, const char *key, const char *value)
{
    for (size_t i = 0; i < r->nfacts; i++)
        if (strcmp(r->facts[i].key, key) == 0) {
            nb_set_str(&r->facts[i].value, value);
            return;
        }
    nb_fact *f = realloc(r->facts, (r->nfacts + 1) * sizeof *f);
    if (!f)
        return;
    r->facts = f;
    r->facts[r->nfacts].key = nb_strdup(key);
    r->facts[r->nfacts].value = nb_strdup(value);
    r->nfacts++;
}

const char *nb_report_get_fact(const nb_report *r, const char *key)
{
    for (size_t i = 0; i < r->nfacts; i++)
        if (strcmp(r->facts[i].key, key) == 0)
            return r->facts[i].value;
    return NULL;
}

void nb_report_add_extra(nb_report *r, const char *table, const char *label, char **values,
                         size_t nvalues, int line)
{
    nb_table *t = nb_report_table(r, table);
    if (!t)
        return;
    nb_extra_row *e = realloc(t->extra, (t->nextra + 1) * sizeof *e);
    if (!e)
        return;
    t->extra = e;
    nb_extra_row *x = &t->extra[t->nextra++];
    x->label = nb_strdup(label);
    x->values = calloc(nvalues ? nvalues : 1, sizeof *x->values);
    x->nvalues = x->values ? nvalues : 0;
    for (size_t i = 0; i < x->nvalues; i++)
        x->values[i] = nb_strdup(values[i]);
    x->line = line;
}

static const char *const status_names[] = {"missing", "ok", "blank", "na", "derived", "ambiguous",
                                           "inferred"};

const char *nb_cell_status_name(nb_cell_status s)
{
    return (unsigned)s < sizeof status_names / sizeof *status_names ? status_names[s] : "missing";
}

bool nb_cell_status_from_name(const char *s, nb_cell_status *out)
{
    for (size_t i = 0; i < sizeof status_names / sizeof *status_names; i++)
        if (strcmp(s, status_names[i]) == 0) {
            *out = (nb_cell_status)i;
            return true;
        }
    return false;
}

static const char *const sev_names[] = {"info", "warning", "error"};

const char *nb_severity_name(nb_severity s) { return (unsigned)s < 3 ? sev_names[s] : "info"; }

bool nb_severity_from_name(const char *s, nb_severity *out)
{
    for (int i = 0; i < 3; i++)
        if (strcmp(s, sev_names[i]) == 0) {
            *out = (nb_severity)i;
            return true;
        }
    return false;
}
