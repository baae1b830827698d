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

/* Handles.  Their layout is private to the library: use the functions. */
typedef struct nb_report nb_report;   /* one report */
typedef struct nb_table nb_table;     /* one table of a report */
typedef struct nb_row nb_row;         /* one template row of a table */
typedef struct nb_cell nb_cell;       /* one value: number, raw token, status, position */
typedef struct nb_diag nb_diag;       /* one validation finding */

typedef enum nb_severity { NB_SEV_INFO = 0, NB_SEV_WARNING, NB_SEV_ERROR } nb_severity;

/* A new empty report: every table not found, template "unknown".  The
 * templates must outlive it.  NULL when out of memory. */
NB_API nb_report *nb_report_new(const nb_templates *t);
NB_API void nb_report_free(nb_report *r);   /* NULL allowed */

/* Table by name ("requests"); NULL when the templates have no such table. */
NB_API const nb_table *nb_report_table_c(const nb_report *r, const char *name);
/* Selects the variant a table was read with and gives it fresh cells (all
 * MISSING); def NULL marks the table not found.  Invalidates the table's
 * earlier row and cell handles. */
NB_API nb_status nb_report_set_variant(nb_report *r, const char *table,
                                       const nb_table_def *def, nb_error *err);
/* Cell / field definition by full key path "requests.granted.total"; NULL
 * when the path is not part of the variant the table was read with. */
NB_API const nb_cell *nb_report_cell_c(const nb_report *r, const char *path);
NB_API const nb_field_def *nb_report_field(const nb_report *r, const char *path);

/* Findings (validation adds them; a plugin may add its own) and facts
 * (free-form key/value pairs read from the text).  Strings are copied. */
NB_API void nb_report_add_diag(nb_report *r, const char *rule, nb_severity sev,
                               bool skipped, const char *where, const char *expected,
                               const char *found, const char *fmt, ...) NB_PRINTF(8, 9);
NB_API size_t nb_report_count_diags(const nb_report *r, nb_severity sev);
NB_API void nb_report_set_fact(nb_report *r, const char *key, const char *value);
NB_API const char *nb_report_get_fact(const nb_report *r, const char *key);

/* ====================================================================
 * Accessors (ABI 2).  Plugins and applications use only these functions;
 * the struct layouts above are the library's business and will leave this
 * header.  Conventions, for every function below:
 *   - a NULL handle or an index out of range gives the "absent" answer
 *     (NULL, 0, false, NB_CELL_MISSING, -1 for positions), never a crash;
 *   - strings returned are borrowed from the handle and stay valid until
 *     the handle is changed or freed; setters copy their strings;
 *   - table, row and cell handles belong to their report and live as long
 *     as it does (a table's rows and cells until nb_report_set_variant()
 *     is called again for that table).
 * ==================================================================== */

/* Report metadata ------------------------------------------------------ */
NB_API const nb_templates *nb_report_templates(const nb_report *r);
NB_API const char *nb_report_agency(const nb_report *r);      /* NULL unknown */
NB_API const char *nb_report_title(const nb_report *r);       /* NULL unknown */
NB_API const char *nb_report_published(const nb_report *r);   /* "YYYY-MM-DD" or NULL */
NB_API int nb_report_year(const nb_report *r);                /* 0 unknown */
/* "gb2021", "gb2019", "mixed" or "unknown" (see nb_report_update_template). */
NB_API const char *nb_report_template_id(const nb_report *r);
NB_API void nb_report_set_agency(nb_report *r, const char *agency);
NB_API void nb_report_set_title(nb_report *r, const char *title);
NB_API void nb_report_set_published(nb_report *r, const char *date);
NB_API void nb_report_set_year(nb_report *r, int year);

/* Where the report came from.  The run fills these for reports it reads. */
NB_API const char *nb_report_source_path(const nb_report *r);     /* "a.zip!/b.txt" */
NB_API const char *nb_report_source_format(const nb_report *r);   /* input plugin name */
NB_API const char *nb_report_source_encoding(const nb_report *r); /* "UTF-8", "GB18030" ... */
NB_API uint64_t nb_report_source_bytes(const nb_report *r);
NB_API const char *nb_report_source_sha256(const nb_report *r);   /* hex, "" unknown */
/* NULL arguments leave that part unchanged; sha256 must be 64 hex digits
 * or "" (anything else is stored as ""). */
NB_API void nb_report_set_source(nb_report *r, const char *path, const char *format,
                                 const char *encoding, uint64_t bytes, const char *sha256);

/* The six sections, numbered 1..nb_report_section_count() as in the
 * template.  Title is the heading as printed (without its numeral). */
NB_API int nb_report_section_count(const nb_report *r);
NB_API const char *nb_report_section_title(const nb_report *r, int no);
NB_API const char *nb_report_section_text(const nb_report *r, int no);
NB_API int nb_report_section_line(const nb_report *r, int no); /* 0 unknown */
/* NB_FAILED (err set) when no is out of range. */
NB_API nb_status nb_report_set_section(nb_report *r, int no, const char *title,
                                       const char *text, int line, nb_error *err);

/* Values by key path ("requests.granted.total") ------------------------ */
/* The cell of a key path is nb_report_cell_c() above (NULL: not part of
 * the variant the table was read with).  Number of a path: false when the
 * path is unknown or the value is null. */
NB_API bool nb_report_get_num(const nb_report *r, const char *path, nb_num *out);
/* Sets the value of a path (see nb_cell_status; MISSING and AMBIGUOUS
 * store null).  raw is the token as printed (may be NULL); line/cell its
 * position (0 / -1 unknown).  NB_FAILED with err set when the path is not
 * part of the table's variant (choose it first: nb_report_set_variant). */
NB_API nb_status nb_report_set_num(nb_report *r, const char *path, nb_cell_status st,
                                   nb_num v, const char *raw, int line, int cell,
                                   nb_error *err);
/* The unit string of an NB_TYPE_UNIT field ("元", "万元"). */
NB_API nb_status nb_report_set_unit(nb_report *r, const char *path, const char *unit,
                                    nb_error *err);

/* Tables: one per nb_templates_table_name(), in that order ------------- */
NB_API size_t nb_report_table_count(const nb_report *r);
NB_API const nb_table *nb_report_table_at(const nb_report *r, size_t i);
NB_API const char *nb_table_name(const nb_table *t);          /* "requests" */
NB_API bool nb_table_found(const nb_table *t);                /* read with some variant */
NB_API const char *nb_table_variant(const nb_table *t);       /* "gb2021"; NULL not found */
NB_API const nb_table_def *nb_table_definition(const nb_table *t); /* NULL not found */
/* Cells in field order (nb_table_def_field_at); 0 when not found. */
NB_API size_t nb_table_cell_count(const nb_table *t);
NB_API const nb_cell *nb_table_cell_at(const nb_table *t, size_t i);
NB_API const nb_field_def *nb_table_field_at(const nb_table *t, size_t i);
/* Rows in template order; each row holds the cells of its columns. */
NB_API size_t nb_table_row_count(const nb_table *t);
NB_API const nb_row *nb_table_row_at(const nb_table *t, size_t i);
/* Rows printed in the report that the template does not know. */
NB_API size_t nb_table_extra_count(const nb_table *t);
NB_API const char *nb_table_extra_label(const nb_table *t, size_t i);
NB_API size_t nb_table_extra_value_count(const nb_table *t, size_t i);
NB_API const char *nb_table_extra_value(const nb_table *t, size_t i, size_t j);
NB_API int nb_table_extra_line(const nb_table *t, size_t i);

/* Rows ------------------------------------------------------------------ */
NB_API const nb_table *nb_row_table(const nb_row *row);
NB_API const char *nb_row_key(const nb_row *row);      /* "withheld.state_secret" */
NB_API const char *nb_row_label(const nb_row *row);    /* canonical Chinese label */
NB_API const char *nb_row_group(const nb_row *row);    /* "withheld" or NULL */
NB_API bool nb_row_derived(const nb_row *row);         /* a subtotal of its group */
NB_API size_t nb_row_cell_count(const nb_row *row);
NB_API const nb_cell *nb_row_cell_at(const nb_row *row, size_t i);
NB_API const nb_field_def *nb_row_field_at(const nb_row *row, size_t i);

/* Cells ----------------------------------------------------------------- */
NB_API nb_cell_status nb_cell_get_status(const nb_cell *c);
NB_API bool nb_cell_has_value(const nb_cell *c);       /* false: null */
/* The value; false (and *out = 0) when null. */
NB_API bool nb_cell_get_num(const nb_cell *c, nb_num *out);
NB_API const char *nb_cell_raw(const nb_cell *c);      /* token as printed, NULL none */
NB_API const char *nb_cell_unit(const nb_cell *c);     /* NB_TYPE_UNIT fields, else NULL */
NB_API int nb_cell_line(const nb_cell *c);             /* 1-based source line, 0 unknown */
NB_API int nb_cell_column(const nb_cell *c);           /* 0-based cell in that line, -1 unknown */

/* Diagnostics (validation findings) and facts ---------------------------- */
NB_API size_t nb_report_diag_count(const nb_report *r);
NB_API const nb_diag *nb_report_diag_at(const nb_report *r, size_t i);
NB_API const char *nb_diag_rule(const nb_diag *d);     /* "R-T2-BALANCE" */
NB_API nb_severity nb_diag_severity(const nb_diag *d);
NB_API bool nb_diag_skipped(const nb_diag *d);         /* rule could not be evaluated */
NB_API const char *nb_diag_where(const nb_diag *d);    /* key path, may hold '*' */
NB_API const char *nb_diag_expected(const nb_diag *d); /* may be NULL */
NB_API const char *nb_diag_found(const nb_diag *d);    /* may be NULL */
NB_API const char *nb_diag_message(const nb_diag *d);
NB_API size_t nb_report_fact_count(const nb_report *r);
NB_API const char *nb_report_fact_key(const nb_report *r, size_t i);
NB_API const char *nb_report_fact_value(const nb_report *r, size_t i);

/* JSON as text (the nianbao.report/1 form of docs/report-model.md) ------- */
enum {
    NB_JSON_PROVENANCE = 1u << 0, /* add "cells": raw token, status, line, cell */
    NB_JSON_NO_SECTIONS = 1u << 1,/* leave out the section texts */
    NB_JSON_COMPACT = 1u << 2     /* one line (ndjson) instead of indented */
};
/* A new NUL-terminated string (free with nb_free), NULL when out of memory. */
NB_API char *nb_report_to_json_text(const nb_report *r, unsigned flags);
/* Since ABI 2.6: the text nb_report_to_json_text(r, flags) gives now, made
 * from `text`, what it gave when r had only its first `from` diagnostics
 * (findings added since follow them).  NULL when text is not that, with
 * NB_JSON_PROVENANCE, or out of memory: format r afresh then. */
NB_API char *nb_report_json_amend(const nb_report *r, unsigned flags, const char *text, size_t from);
/* Reads one nianbao.report/1 object; NULL with err set (NB_E_DATA) when the
 * text is not JSON or not a report. */
NB_API nb_report *nb_report_from_json_text(const nb_templates *t, const char *text, size_t len,
                                           nb_error *err);
/* Frees memory the library handed out as a plain buffer. */
NB_API void nb_free(void *p);

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
