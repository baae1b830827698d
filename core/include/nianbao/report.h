/* report.h - the report model shared by inputs, validation and outputs.
 *
 * Contract: ../shared/spec/report-model.md (copied in docs/report-model.md).
 * A report holds one nb_table per table name of the templates; each table
 * points at the variant definition it was read with and has one nb_cell per
 * field of that definition.
 *
 * Ownership: nb_report_free() frees everything reachable from the report.
 * Strings passed to setters are copied.  Table definitions are borrowed
 * from the nb_templates, which must outlive the report. */
#ifndef NIANBAO_REPORT_H
#define NIANBAO_REPORT_H

#include <stdint.h>
#include <stddef.h>
#include <stdbool.h>
#include "status.h"
#include "template.h"

#ifdef __cplusplus
extern "C" {
#endif

#define NB_REPORT_SCHEMA "nianbao.report/1"

typedef enum nb_cell_status {
    NB_CELL_MISSING = 0, /* not found: value is null */
    NB_CELL_OK,          /* read as printed */
    NB_CELL_BLANK,       /* printed blank: value 0, listed in "blank" */
    NB_CELL_NA,          /* printed —, -, / : value 0 */
    NB_CELL_DERIVED,     /* computed (subtotals, a lost 总计) */
    NB_CELL_AMBIGUOUS,   /* several readings fit: value null */
    NB_CELL_INFERRED     /* placed or split by the sum constraints */
} nb_cell_status;

/* Exact decimal: value = v / 10^scale.  Counts have scale 0.  Money never
 * goes through binary floating point. */
typedef struct nb_num {
    int64_t v;
    int scale;
} nb_num;
/* Scale of a sum that does not fit: nb_num_add never wraps around. */
#define NB_NUM_OVERFLOW (-1)

typedef struct nb_cell {
    nb_cell_status status;
    bool has_value;   /* false: null in JSON */
    nb_num num;
    char *raw;        /* token as printed (owned), NULL when none */
    char *text;       /* NB_TYPE_UNIT fields: the unit string (owned) */
    int line;         /* 1-based source line, 0 unknown */
    int cell;         /* 0-based cell index within the line, -1 unknown */
} nb_cell;

typedef struct nb_extra_row {   /* a row the template does not know */
    char *label;
    char **values; size_t nvalues;
    int line;
} nb_extra_row;

typedef struct nb_table {
    const nb_table_def *def;    /* NULL: table not found in the report */
    nb_cell *cells;             /* def->nfields cells */
    nb_extra_row *extra; size_t nextra;
} nb_table;

typedef struct nb_section {
    int no;                     /* 1..6 */
    char *title;                /* heading as printed (without numeral), NULL if absent */
    char *text;                 /* narrative text, NULL if absent */
    int line;
} nb_section;

typedef enum nb_severity { NB_SEV_INFO = 0, NB_SEV_WARNING, NB_SEV_ERROR } nb_severity;

typedef struct nb_diag {
    char *rule;       /* "R-T2-BALANCE" */
    nb_severity severity;
    bool skipped;     /* rule could not be evaluated (values missing) */
    char *where;      /* key path, may contain '*' */
    char *expected;   /* may be NULL */
    char *found;      /* may be NULL */
    char *message;    /* human text, Chinese labels */
} nb_diag;

typedef struct nb_fact {        /* free-form key/value found in the text */
    char *key;                  /* "other_matters.processing_fee_yuan" */
    char *value;
} nb_fact;

typedef struct nb_source {
    char *path;       /* "bundle.zip!/年报/渠县.txt" */
    char *format;     /* input plugin name */
    char *encoding;   /* "UTF-8", "GB18030", "UTF-16LE" */
    uint64_t bytes;
    char sha256[65];  /* hex, "" when unknown */
} nb_source;

typedef struct nb_report {
    const nb_templates *templates;
    nb_source source;
    char *agency, *title, *published; /* published: YYYY-MM-DD */
    int year;                         /* 0 unknown */
    char *template_id;                /* "gb2021", "gb2019", "mixed", "unknown" */
    nb_section sections[6];
    nb_table *tables; size_t ntables; /* one per nb_templates_table_name() */
    nb_diag *diags; size_t ndiags, capdiags;
    nb_fact *facts; size_t nfacts;
} nb_report;

NB_API nb_report *nb_report_new(const nb_templates *t);
NB_API void nb_report_free(nb_report *r);

/* Replace *dst with a copy of s (NULL allowed). */
NB_API void nb_set_str(char **dst, const char *s);

NB_API nb_table *nb_report_table(nb_report *r, const char *name);
NB_API const nb_table *nb_report_table_c(const nb_report *r, const char *name);
/* Selects the variant for a table and allocates its cells (all MISSING). */
NB_API nb_status nb_report_set_variant(nb_report *r, const char *table,
                                       const nb_table_def *def, nb_error *err);

/* Cell by full key path "requests.granted.total"; NULL when the path is not
 * part of the table's variant. */
NB_API nb_cell *nb_report_cell(nb_report *r, const char *path);
NB_API const nb_cell *nb_report_cell_c(const nb_report *r, const char *path);
NB_API const nb_field_def *nb_report_field(const nb_report *r, const char *path);

NB_API void nb_cell_set(nb_cell *c, nb_cell_status st, nb_num v, const char *raw,
                        int line, int cell);
NB_API void nb_cell_clear(nb_cell *c);

/* Computes derived rows (group subtotals) from their leaves. */
NB_API void nb_report_derive(nb_report *r);
/* Recomputes template_id from the table variants. */
NB_API void nb_report_update_template(nb_report *r);

NB_API void nb_report_add_diag(nb_report *r, const char *rule, nb_severity sev,
                               bool skipped, const char *where, const char *expected,
                               const char *found, const char *fmt, ...) NB_PRINTF(8, 9);
NB_API size_t nb_report_count_diags(const nb_report *r, nb_severity sev);
NB_API void nb_report_set_fact(nb_report *r, const char *key, const char *value);
NB_API const char *nb_report_get_fact(const nb_report *r, const char *key);
NB_API void nb_report_add_extra(nb_report *r, const char *table, const char *label,
                                char **values, size_t nvalues, int line);

/* Numbers ----------------------------------------------------------- */
NB_API bool nb_num_parse(const char *s, nb_num *out);        /* "12", "-3", "7730.28" */
NB_API int nb_num_format(nb_num n, char *buf, size_t len);   /* exact, no exponent */
NB_API int nb_num_cmp(nb_num a, nb_num b);
NB_API nb_num nb_num_add(nb_num a, nb_num b);  /* overflowed when it does not fit */
NB_API bool nb_num_overflowed(nb_num n);
NB_API nb_num nb_num_int(int64_t v);
NB_API double nb_num_to_double(nb_num n);

NB_API const char *nb_cell_status_name(nb_cell_status s);
NB_API bool nb_cell_status_from_name(const char *s, nb_cell_status *out);
NB_API const char *nb_severity_name(nb_severity s);
NB_API bool nb_severity_from_name(const char *s, nb_severity *out);

#ifdef __cplusplus
}
#endif
#endif
