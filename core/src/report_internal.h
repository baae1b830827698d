/* report_internal.h - parts of the report model only the library sees. */
#ifndef NB_REPORT_INTERNAL_H
#define NB_REPORT_INTERNAL_H

#include "model_internal.h"
#include "nianbao/doc.h"

/* A row handle: the cells of one template row are the contiguous fields
 * first .. first + n - 1 of the table's definition (template.c builds the
 * fields row by row). */
struct nb_row {
    const nb_table *table;
    size_t row;        /* index into table->def->rows */
    size_t first, n;   /* its fields */
};

/* Builds t->rows from t->def; false when out of memory. */
bool nb_table_build_rows(nb_table *t);
/* The same rows copied from the definition's plan (report_derive.c, made
 * once per definition); false when out of memory. */
bool nb_table_copy_rows(nb_table *t);

/* The recogniser's finding on a table whose region it stopped reading
 * (RC_MAX_TOKENS), kept through every stage; the validator reads it back,
 * so R-X-SECTIONS does not call that table missing. */
#define NB_RULE_REGION_CUT "PARSE-REGION-CUT"

/* Is name one of the members every report's JSON has (source, blank, …)?
 * A table of that name would write the member twice (report_json_write.c). */
bool nb_report_member_reserved(const char *name);

/* Removes the findings keep() refuses, in place, keeping the order of the
 * others; keep NULL removes them all. */
void nb_report_filter_diags(nb_report *r, bool (*keep)(const nb_diag *d, const void *ctx), const void *ctx);
/* Frees the findings from index n on (none when n >= ndiags), and the
 * array itself when none is left and drop_array: the caller knows which
 * of them its thread made. */
void nb_report_truncate_diags(nb_report *r, size_t n, bool drop_array);

/* Reports a text holds at most, read one after the other (files joined,
 * a crawler's dump): the last part holds whatever follows, and warns of it. */
#define NB_RECOGNISE_MAX_PARTS 4096

/* nb_recognise, with the reports that follow the first in the same text
 * chained after it (next; part_line: where each starts).  The first's
 * holder owns the chain (nb_report_free frees it whole). */
nb_report *nb_recognise_all(const nb_templates *t, const nb_doc *doc, nb_error *err);

#endif
