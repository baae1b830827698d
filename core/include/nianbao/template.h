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

typedef struct nb_strlist {
    char **v;
    size_t n;
    /* Matching forms of v[i], computed once at load so that the recogniser
     * does not re-normalise the template for every report:
     * nb_text_compact(v[i]) and nb_text_label_key(v[i]). */
    char **compact;
    char **key;
} nb_strlist;

typedef struct nb_col_def {
    char *key;           /* "natural_person" */
    nb_strlist labels;   /* first is canonical */
    nb_value_type type;
    char *unit_key;      /* AMOUNT only: key of the sibling unit field */
} nb_col_def;

typedef struct nb_row_def {
    char *key;           /* "withheld.state_secret" */
    nb_strlist labels;   /* label variants; first is canonical */
    char *group;         /* "withheld", or NULL */
    bool printed;        /* false: exists in the model, never in this variant's text */
    bool derived;        /* subtotal computed from the group's leaves */
    size_t block;        /* index into nb_table_def.blocks */
} nb_row_def;

typedef struct nb_block_def {
    nb_strlist caption;  /* "第二十条第（一）项"; may be empty */
    size_t col_first, ncols; /* columns of this block: cols[col_first..] */
} nb_block_def;

/* One field = one value of the model (row x column), in output order. */
typedef struct nb_field_def {
    char *path;          /* full key path "requests.withheld.state_secret.total" */
    char *label;         /* Chinese label path for people "（三）不予公开/1.属于国家秘密/总计" */
    size_t row, col;     /* indexes into rows / cols */
    nb_value_type type;
} nb_field_def;

/* A per-column relation of the template: Σ lhs rows = Σ rhs rows, in every
 * column.  "group.*" stands for the group's leaves (or its printed
 * subtotal when the leaves are not printed).  The recogniser uses these to
 * choose between readings of glued or short rows. */
typedef struct nb_column_check {
    nb_strlist lhs, rhs;
} nb_column_check;

typedef enum nb_table_layout {
    NB_LAYOUT_ROWS = 0,  /* label then values, one row per key */
    NB_LAYOUT_SINGLE_ROW /* one unlabelled data row holding every row's values (table 3) */
} nb_table_layout;

typedef struct nb_table_def {
    char *name;          /* "requests" */
    char *title;         /* Chinese display name */
    char *variant;       /* the template id it belongs to: "gb2021" */
    int section;         /* 2, 3 or 4 */
    nb_table_layout layout;
    char *row_total;     /* column that is the sum of the row's other columns, or NULL */
    nb_column_check *checks; size_t nchecks;
    nb_strlist markers;  /* header words that identify this variant */
    nb_strlist ignore;   /* group labels, header words: never data */
    nb_block_def *blocks; size_t nblocks;
    nb_col_def *cols; size_t ncols;
    nb_row_def *rows; size_t nrows;
    nb_field_def *fields; size_t nfields;
} nb_table_def;

typedef struct nb_section_def {
    int no;              /* 1..6 */
    char *key;           /* "overview" */
    char *title;         /* canonical heading text without numeral */
    nb_strlist variants; /* heading texts without numeral */
} nb_section_def;

typedef struct nb_template {
    char *id;            /* "gb2021" */
    char *name;
    int year_from, year_to;  /* report years it applies to (inclusive) */
    nb_section_def sections[6];
    nb_table_def *tables; size_t ntables;
    char *path;          /* file it was read from */
} nb_template;

typedef struct nb_templates nb_templates;

/* Loads every *.json in each directory of the ':'-separated list, sorted by
 * file name; "inherits" is resolved after all files are read. */
NB_API nb_templates *nb_templates_load(const char *dirs, nb_error *err);
NB_API nb_templates *nb_templates_load_file(const char *path, nb_error *err);
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
NB_API long nb_table_def_row_index(const nb_table_def *d, const char *row_key);

#ifdef __cplusplus
}
#endif
#endif
