/* flat.h - the flat (one row per report) view shared by the csv and xlsx
 * outputs: the fixed column list of nb_templates_columns() and a fast way
 * to find a report's cell for each column.
 *
 * The column list never depends on the data (report-model.md "Flat forms"),
 * so a report whose table uses another variant simply has no cell for the
 * columns of the other variants. */
#ifndef NB_PLUGIN_FLAT_H
#define NB_PLUGIN_FLAT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "nianbao/plugin.h"

/* Identifying columns written before the values, with their labels. */
#define NBF_NID 6
extern const char *const nbf_id_keys[NBF_NID];
extern const char *const nbf_id_labels[NBF_NID];

typedef struct nbf_map {
    const nb_table_def *def;
    long *idx;              /* per column: field index in def, -1 none */
} nbf_map;

typedef struct nbf_flat {
    const nb_templates *t;
    const nb_field_def **cols; size_t ncols;  /* borrowed from the templates */
    size_t *table_of;       /* per column: index of its table in the report */
    bool *unit;             /* per column: a unit field (text, not a number) */
    size_t *run_end;        /* per column: end of the run of number columns of
                             * its table starting there (c itself: none) */
    nbf_map *maps; size_t nmaps;
} nbf_flat;

nb_status nbf_init(nbf_flat *f, const nb_templates *t, nb_error *err);
void nbf_free(nbf_flat *f);
/* Builds the map of every variant of the templates up front, so that
 * nbf_cell_ro finds them without changing f (threads may share f then). */
void nbf_prepare(nbf_flat *f);
/* The report's cell for column c; NULL when the report's variant of that
 * table has no such field (or the table was not found).  Reads f only: a
 * definition without a map is looked up by path. */
const nb_cell *nbf_cell_ro(const nbf_flat *f, const nb_report *r, size_t c);
/* One report's tables with their column maps, found once per report
 * rather than once per column (nbf_cell_ro's search). */
#define NBF_MAX_TABLES 16
typedef struct nbf_row {
    const nb_report *r;
    const nb_table *tab[NBF_MAX_TABLES]; /* NULL: the report lacks that table */
    const long *idx[NBF_MAX_TABLES];     /* NULL: no map, looked up by path */
} nbf_row;
/* Fills row for r from a prepared f (nbf_prepare); reads f only. */
void nbf_row_init(const nbf_flat *f, const nb_report *r, nbf_row *row);
/* nbf_cell_ro(f, row->r, c), from the row's tables. */
const nb_cell *nbf_row_cell(const nbf_flat *f, const nbf_row *row, size_t c);
/* Text of a value: exact decimal, the unit string for unit fields, "" for
 * null.  Returns buf or a string owned by the cell. */
const char *nbf_value(const nb_field_def *fd, const nb_cell *c, char *buf, size_t len);
/* nbf_value of column c of row, with its length: a number's digits go
 * to buf (at least NBF_VALUE_ROOM bytes), a unit's text is returned as
 * the cell holds it.  Integers, most of a row, are written without the
 * API's lookups and nb_num_format (the csv output asks for every cell). */
#define NBF_VALUE_ROOM 64
const char *nbf_row_value_all(const nbf_flat *f, const nbf_row *row, size_t c, char *buf, size_t *len);
/* A non-negative integer's digits at buf (room for 21), as nb_num_format
 * writes them; returns their length. */
size_t nbf_int_text(uint64_t u, char *buf);
/* The text of a mapped number column's value, cell k of tab (k < 0: the
 * table's variant has no such field), at buf (room for 21; no NUL after
 * it): returns its end (buf for a null or absent value), or NULL, nothing
 * written, for a value that is not a non-negative integer (nbf_value's
 * way).  Inline: the csv output asks for every cell, most of them counts
 * of one or two digits. */
static inline char *nbf_mapped_number(const nb_table *tab, long k, char *buf)
{
    nb_num v;
    if (k < 0 || !nb_cell_get_num(nb_table_cell_at(tab, (size_t)k), &v))
        return buf;
    if (v.scale != 0 || v.v < 0)
        return NULL;
    if (v.v < 10) {
        *buf = (char)('0' + v.v);
        return buf + 1;
    }
    if (v.v < 100) { /* the most of the rest */
        buf[0] = (char)('0' + v.v / 10);
        buf[1] = (char)('0' + v.v % 10);
        return buf + 2;
    }
    return buf + nbf_int_text((uint64_t)v.v, buf);
}
/* nbf_row_value_all with a mapped number column inline (nbf_mapped_number). */
static inline const char *nbf_row_value(const nbf_flat *f, const nbf_row *row, size_t c, char *buf,
                                        size_t *len)
{
    size_t ti = c < f->ncols ? f->table_of[c] : SIZE_MAX;
    const long *idx = ti < NBF_MAX_TABLES ? row->idx[ti] : NULL;
    if (idx && !f->unit[c]) {
        char *end = nbf_mapped_number(row->tab[ti], idx[c], buf);
        if (end) {
            *end = '\0';
            *len = (size_t)(end - buf);
            return buf;
        }
    }
    return nbf_row_value_all(f, row, c, buf, len);
}
/* Whether a diagnostic's `where` (a key path, maybe with '*', maybe naming
 * a whole row or table) covers the value at key path `path`. */
bool nbf_where_matches(const char *where, const char *path);
/* Identifying column i of a report as text (buf used for numbers). */
const char *nbf_id_value(const nb_report *r, size_t i, char *buf, size_t len);
/* The same with only r's first `upto` findings counted (errors, warnings:
 * the row as it was before later findings came). */
const char *nbf_id_value_upto(const nb_report *r, size_t i, char *buf, size_t len, size_t upto);

#endif
