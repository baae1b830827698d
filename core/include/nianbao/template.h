/* template.h - the report templates (formats/templates/ *.json) as loaded data.
 *
 * A template ("format") describes the six sections and the three tables of
 * one edition of the national template (gb2021, gb2019).  Nothing about the
 * template is hard-coded in C: labels, label variants, keys, value types
 * and detection markers all come from the JSON files.  See docs/formats.md.
 *
 * Ownership: an nb_templates owns everything reachable from it; all
 * pointers handed out stay valid until nb_templates_free(). */
#ifndef NIANBAO_TEMPLATE_H
#define NIANBAO_TEMPLATE_H

#include <stddef.h>
#include <stdbool.h>
#include "status.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum nb_value_type {
    NB_TYPE_INT = 0,  /* count >= 0 */
    NB_TYPE_SINT,     /* signed count (gb2019 本年增/减) */
    NB_TYPE_DECIMAL,  /* decimal >= 0 (万元) */
    NB_TYPE_AMOUNT,   /* decimal with a unit written in the cell (元/万元) */
    NB_TYPE_UNIT      /* string: the unit of the AMOUNT field before it */
} nb_value_type;

/* Definitions are opaque: read them with the accessors below. */
typedef struct nb_field_def nb_field_def;  /* one value of the model (row x column) */
typedef struct nb_table_def nb_table_def;  /* one variant of one table */
typedef struct nb_template nb_template;    /* one edition: gb2021, gb2019 */

typedef struct nb_templates nb_templates;

/* Loads every *.json in each directory of the ':'-separated list, sorted by
 * file name; "inherits" is resolved after all files are read. */
NB_API nb_templates *nb_templates_load(const char *dirs, nb_error *err);
NB_API void nb_templates_free(nb_templates *t);

NB_API size_t nb_templates_count(const nb_templates *t);
NB_API const nb_template *nb_templates_get(const nb_templates *t, size_t i);
NB_API const nb_template *nb_templates_find(const nb_templates *t, const char *id);
/* The template a report of this year should use (NULL when none covers it). */
NB_API const nb_template *nb_templates_for_year(const nb_templates *t, int year);

/* Table names in canonical order ("proactive", "requests", "appeals"). */
NB_API size_t nb_templates_table_count(const nb_templates *t);
NB_API const char *nb_templates_table_name(const nb_templates *t, size_t i);
/* Every variant of a table across templates, in load order. */
NB_API size_t nb_templates_variants(const nb_templates *t, const char *table,
                                    const nb_table_def **out, size_t max);
NB_API const nb_table_def *nb_templates_table(const nb_templates *t,
                                              const char *table, const char *variant);

/* The flat column list every flat output uses: the union of all fields of all
 * variants, in template order, never depending on the data. */
NB_API size_t nb_templates_columns(const nb_templates *t, const nb_field_def ***out);

/* Accessors (ABI 2): a plugin reads definitions only through these.
 * Strings are borrowed from the templates; NULL arguments give NULL / 0. */
NB_API const char *nb_template_id(const nb_template *t);      /* "gb2021" */
NB_API const char *nb_template_name(const nb_template *t);
NB_API const char *nb_table_def_name(const nb_table_def *d);  /* "requests" */
NB_API const char *nb_table_def_title(const nb_table_def *d); /* Chinese display name */
NB_API const char *nb_table_def_variant(const nb_table_def *d); /* its template id */
NB_API size_t nb_table_def_field_count(const nb_table_def *d);
NB_API const nb_field_def *nb_table_def_field_at(const nb_table_def *d, size_t i);
NB_API const char *nb_field_path(const nb_field_def *f);   /* "requests.granted.total" */
NB_API const char *nb_field_label(const nb_field_def *f);  /* Chinese label path */
NB_API nb_value_type nb_field_type(const nb_field_def *f);

NB_API const nb_field_def *nb_table_def_field(const nb_table_def *d, const char *path);
NB_API long nb_table_def_field_index(const nb_table_def *d, const char *path);

#ifdef __cplusplus
}
#endif
#endif
