/* readings_internal.h - the readings of a row recognition could not decide
 * (a glued digit run cut several ways, domain.md §5.6), kept on the report
 * so that evidence found later - the same agency's report of the next or
 * previous year (resolve_xyear.c) - can still choose between them.  Library
 * only; never written to any output. */
#ifndef NB_READINGS_INTERNAL_H
#define NB_READINGS_INTERNAL_H

#include "model_internal.h"
#include <stddef.h>
#include <stdint.h>

/* Bounds: a report keeps at most this many undecided rows, each with at
 * most NB_READINGS_MAX_SOLS complete readings of at most NB_READINGS_MAX_K
 * cells (a row cut more ways than that proves nothing and is not kept). */
#define NB_READINGS_MAX_ROWS 32
#define NB_READINGS_MAX_SOLS 64
#define NB_READINGS_MAX_K 32

typedef struct nb_reading_row {
    const char *table;          /* borrowed from the templates */
    const nb_table_def *def;    /* the variant the row was read as */
    size_t k;
    size_t fields[NB_READINGS_MAX_K]; /* value field index per column */
    int64_t *sols;              /* nsol * k values, reading after reading */
    size_t nsol;
    const char *decided_by;     /* rule id that last narrowed it (borrowed), NULL none */
} nb_reading_row;

typedef struct nb_readings {
    nb_reading_row *v;
    size_t n, cap;
} nb_readings;

void nb_readings_free(nb_readings *rd);
/* Adds a row (sols copied); false when a bound or memory refuses it. */
bool nb_readings_add(nb_readings *rd, const char *table, const nb_table_def *def, const size_t *fields,
                     size_t k, const int64_t *sols, size_t nsol);
/* Drops every row of table (a table read again). */
void nb_readings_drop_table(nb_readings *rd, const char *table);
/* The row and column owning field of def, -1 none. */
long nb_readings_owner(const nb_readings *rd, const nb_table_def *def, size_t field, size_t *slot);
/* Keeps only the readings whose flag is set; true when some were dropped. */
bool nb_readings_filter(nb_reading_row *row, const bool *keep);
/* A text form for the pipe between an isolated child and its parent:
 * NULL when out of memory; rows that do not fit r's tables are dropped. */
char *nb_readings_to_text(const nb_readings *rd);
void nb_readings_from_text(nb_report *r, const char *text);
/* The report's rows (created on first use); NULL when out of memory. */
nb_readings *nb_report_readings(nb_report *r);

#endif
