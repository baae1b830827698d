/* flat.c - see flat.h. */
#include "flat.h"

#include <fnmatch.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *const nbf_id_keys[NBF_NID] = {
    "source", "agency", "year", "template", "errors", "warnings"};
const char *const nbf_id_labels[NBF_NID] = {
    "来源", "机关", "年度", "模板", "错误", "警告"};

/* Index of the table a key path belongs to (its first segment). */
static size_t table_index(const nb_templates *t, const char *path)
{
    size_t n = nb_templates_table_count(t);
    for (size_t i = 0; i < n; i++) {
        const char *name = nb_templates_table_name(t, i);
        size_t len = strlen(name);
        if (strncmp(path, name, len) == 0 && path[len] == '.')
            return i;
    }
    return SIZE_MAX;
}

nb_status nbf_init(nbf_flat *f, const nb_templates *t, nb_error *err)
{
    memset(f, 0, sizeof *f);
    f->t = t;
    f->ncols = nb_templates_columns(t, &f->cols);
    f->table_of = calloc(f->ncols ? f->ncols : 1, sizeof *f->table_of);
    f->unit = calloc(f->ncols ? f->ncols : 1, sizeof *f->unit);
    f->run_end = calloc(f->ncols ? f->ncols : 1, sizeof *f->run_end);
    if (!f->table_of || !f->unit || !f->run_end) {
        nb_error_set(err, NB_E_INTERNAL, NULL, "out of memory");
        return NB_FATAL;
    }
    for (size_t c = 0; c < f->ncols; c++) {
        f->table_of[c] = table_index(t, nb_field_path(f->cols[c]));
        f->unit[c] = nb_field_type(f->cols[c]) == NB_TYPE_UNIT;
    }
    for (size_t c = f->ncols; c-- > 0;) { /* runs found from the end */
        bool number = !f->unit[c] && f->table_of[c] < NBF_MAX_TABLES;
        bool joins = c + 1 < f->ncols && f->run_end[c + 1] > c + 1 && f->table_of[c + 1] == f->table_of[c];
        f->run_end[c] = !number ? c : joins ? f->run_end[c + 1] : c + 1;
    }
    return NB_OK;
}

void nbf_free(nbf_flat *f)
{
    for (size_t i = 0; i < f->nmaps; i++)
        free(f->maps[i].idx);
    free(f->maps);
    free(f->table_of);
    free(f->unit);
    free(f->run_end);
    memset(f, 0, sizeof *f);
}

/* The column -> field index map built for def; NULL when none is. */
static const long *prepared_map(const nbf_flat *f, const nb_table_def *def)
{
    for (size_t i = 0; i < f->nmaps; i++)
        if (f->maps[i].def == def)
            return f->maps[i].idx;
    return NULL;
}

/* Column -> field index for one variant definition, built once.  There
 * are only a handful of variants, so a linear cache is enough and each
 * report costs one pass over the columns, not a search per cell. */
static const long *map_for(nbf_flat *f, const nb_table_def *def, size_t ti)
{
    const long *have = prepared_map(f, def);
    if (have)
        return have;
    nbf_map *grown = realloc(f->maps, (f->nmaps + 1) * sizeof *grown);
    if (!grown)
        return NULL;
    f->maps = grown;
    long *idx = malloc((f->ncols ? f->ncols : 1) * sizeof *idx);
    if (!idx)
        return NULL;
    for (size_t c = 0; c < f->ncols; c++)
        idx[c] = f->table_of[c] == ti ? nb_table_def_field_index(def, nb_field_path(f->cols[c])) : -1;
    f->maps[f->nmaps].def = def;
    f->maps[f->nmaps].idx = idx;
    f->nmaps++;
    return idx;
}

/* The table of r that column c reads, and its index among the template's
 * tables; NULL when c is out of range or r lacks that table. */
static const nb_table *column_table(const nbf_flat *f, const nb_report *r, size_t c, size_t *ti)
{
    if (c >= f->ncols)
        return NULL;
    *ti = f->table_of[c];
    const nb_table *tab = *ti == SIZE_MAX ? NULL : nb_report_table_at(r, *ti);
    return nb_table_found(tab) ? tab : NULL;
}

void nbf_prepare(nbf_flat *f)
{
    size_t nt = nb_templates_table_count(f->t);
    for (size_t ti = 0; ti < nt; ti++) {
        const nb_table_def *defs[16];
        size_t n = nb_templates_variants(f->t, nb_templates_table_name(f->t, ti), defs, 16);
        for (size_t k = 0; k < n && k < 16; k++)
            map_for(f, defs[k], ti); /* out of memory: that one is looked up by path */
    }
}

const nb_cell *nbf_cell_ro(const nbf_flat *f, const nb_report *r, size_t c)
{
    size_t ti;
    const nb_table *tab = column_table(f, r, c, &ti);
    if (!tab)
        return NULL;
    const long *idx = prepared_map(f, nb_table_definition(tab));
    if (!idx)
        return nb_report_cell_c(r, nb_field_path(f->cols[c]));
    return idx[c] < 0 ? NULL : nb_table_cell_at(tab, (size_t)idx[c]);
}

void nbf_row_init(const nbf_flat *f, const nb_report *r, nbf_row *row)
{
    memset(row, 0, sizeof *row);
    row->r = r;
    size_t nt = nb_report_table_count(r);
    for (size_t ti = 0; ti < nt && ti < NBF_MAX_TABLES; ti++) {
        const nb_table *tab = nb_report_table_at(r, ti);
        if (!nb_table_found(tab))
            continue;
        row->tab[ti] = tab;
        row->idx[ti] = prepared_map(f, nb_table_definition(tab));
    }
}

const nb_cell *nbf_row_cell(const nbf_flat *f, const nbf_row *row, size_t c)
{
    if (c >= f->ncols)
        return NULL;
    size_t ti = f->table_of[c];
    if (ti >= NBF_MAX_TABLES || !row->idx[ti]) /* the general way */
        return nbf_cell_ro(f, row->r, c);
    long k = row->idx[ti][c];
    return k < 0 ? NULL : nb_table_cell_at(row->tab[ti], (size_t)k);
}

const char *nbf_value(const nb_field_def *fd, const nb_cell *c, char *buf, size_t len)
{
    buf[0] = '\0';
    if (!c)
        return buf;
    if (nb_field_type(fd) == NB_TYPE_UNIT)
        return nb_cell_unit(c) ? nb_cell_unit(c) : buf;
    nb_num v;
    if (!nb_cell_get_num(c, &v))
        return buf;
    if (v.scale == 0 && v.v >= 0 && v.v <= 9 && len >= 2) { /* nb_num_format's text, most cells */
        buf[0] = (char)('0' + v.v);
        buf[1] = '\0';
    } else if (nb_num_format(v, buf, len) < 0) {
        buf[0] = '\0';
    }
    return buf;
}

size_t nbf_int_text(uint64_t u, char *buf)
{
    if (u < 10) {
        buf[0] = (char)('0' + u);
        buf[1] = '\0';
        return 1;
    }
    char tmp[24], *p = tmp + sizeof tmp;
    do {
        *--p = (char)('0' + u % 10);
        u /= 10;
    } while (u);
    size_t n = (size_t)(tmp + sizeof tmp - p);
    memcpy(buf, p, n);
    buf[n] = '\0';
    return n;
}

const char *nbf_row_value_all(const nbf_flat *f, const nbf_row *row, size_t c, char *buf, size_t *len)
{
    size_t ti = c < f->ncols ? f->table_of[c] : SIZE_MAX;
    if (ti < NBF_MAX_TABLES && row->idx[ti] && !f->unit[c]) { /* a mapped number */
        char *end = nbf_mapped_number(row->tab[ti], row->idx[ti][c], buf);
        if (end) {
            *end = '\0';
            *len = (size_t)(end - buf);
            return buf;
        }
    }
    const char *s = c < f->ncols ? nbf_value(f->cols[c], nbf_row_cell(f, row, c), buf, NBF_VALUE_ROOM) : "";
    *len = strlen(s);
    return s;
}

bool nbf_where_matches(const char *where, const char *path)
{
    if (!where || !*where)
        return false;
    /* Both patterns below start with where's literal prefix: a path
     * without it matches neither (the xlsx output asks once per column
     * for every finding, so this skips nearly all fnmatch calls). */
    size_t lit = strcspn(where, "*?[\\");
    if (strncmp(where, path, lit) != 0)
        return false;
    if (fnmatch(where, path, 0) == 0)
        return true;
    /* "requests.granted" names a whole row: every column of it. */
    char pat[512];
    int n = snprintf(pat, sizeof pat, "%s.*", where);
    return n > 0 && (size_t)n < sizeof pat && fnmatch(pat, path, 0) == 0;
}

/* Findings of severity sev among r's first upto, skipped ones not
 * counted: nb_report_count_diags's rule, over a prefix. */
static size_t count_upto(const nb_report *r, nb_severity sev, size_t upto)
{
    size_t n = 0, all = nb_report_diag_count(r);
    for (size_t i = 0; i < all && i < upto; i++) {
        const nb_diag *d = nb_report_diag_at(r, i);
        n += nb_diag_severity(d) == sev && !nb_diag_skipped(d);
    }
    return n;
}

const char *nbf_id_value(const nb_report *r, size_t i, char *buf, size_t len)
{
    return nbf_id_value_upto(r, i, buf, len, SIZE_MAX);
}

const char *nbf_id_value_upto(const nb_report *r, size_t i, char *buf, size_t len, size_t upto)
{
    buf[0] = '\0';
    switch (i) {
    case 0: return nb_report_source_path(r) ? nb_report_source_path(r) : buf;
    case 1: return nb_report_agency(r) ? nb_report_agency(r) : buf;
    case 2:
        if (nb_report_year(r) > 0 && len >= 24) /* digits as "%d" gives them, without printf */
            nbf_int_text((uint64_t)nb_report_year(r), buf);
        else if (nb_report_year(r) > 0)
            snprintf(buf, len, "%d", nb_report_year(r));
        return buf;
    case 3: return nb_report_template_id(r) ? nb_report_template_id(r) : buf;
    case 4:
    case 5: {
        nb_severity sev = i == 4 ? NB_SEV_ERROR : NB_SEV_WARNING;
        size_t n = upto == SIZE_MAX ? nb_report_count_diags(r, sev) : count_upto(r, sev, upto);
        if (len >= 24)
            nbf_int_text(n, buf);
        else
            snprintf(buf, len, "%zu", n);
        return buf;
    }
    default: return buf;
    }
}
