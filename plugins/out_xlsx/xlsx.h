/* xlsx.h - the pieces of the `xlsx` output shared by its files:
 * out_xlsx.c (plugin callbacks, formats, the reports sheet),
 * xlsx_text.c (clean cell text, display widths), xlsx_findings.c (the
 * diagnostics, info and failures sheets) and xlsx_summary.c (the summary by
 * year and template, with charts). */
#ifndef NB_XLSX_H
#define NB_XLSX_H

#include <xlsxwriter.h>
#include "nianbao/plugin.h"
#include "flat.h"
#include "c_locale_scope.h"

#define PLUGIN_NAME "xlsx"
/* Every table sheet: row 1 Chinese labels (what people read), row 2 the
 * keys (what scripts use: pd.read_excel(f, sheet_name=S, header=1)). */
#define HEADER_ROWS 2
#define REPORTS_SHEET "reports"

/* How a value was read (font) and whether a check flagged it (fill). */
enum { ST_PLAIN, ST_BLANK, ST_INFERRED, ST_MISSING, ST_AMBIGUOUS, NSTYLE };
enum { FL_NONE, FL_WARNING, FL_ERROR, NFLAG };

/* Column widths grown from what was written, in display columns. */
typedef struct xl_widths {
    double *w;
    size_t n;
} xl_widths;

/* One table sheet written row by row (constant_memory: strictly in order). */
typedef struct xl_sheet {
    lxw_worksheet *ws;
    lxw_row_t row;          /* next row */
    size_t ncols;
    xl_widths widths;
} xl_sheet;

/* Totals of one year and template (the summary's columns). */
typedef struct xl_group {
    int year;               /* 0 unknown */
    char template_id[16];
    size_t nreports, with_errors, with_warnings;
    nb_num *totals;         /* per flat column */
} xl_group;

typedef struct xl_out {
    const nb_host *host;
    nbf_flat flat;
    lxw_workbook *wb;
    lxw_worksheet *reports, *summary;
    xl_sheet diags, infos, fails;
    lxw_row_t rrow;                      /* next row of reports */
    lxw_format *cell_fmt[NSTYLE][NFLAG];
    lxw_format *key_fmt, *label_fmt, *head_fmt, *sev_fmt[3], *title_fmt, *link_fmt, *pct_fmt;
    unsigned char *flags;                /* per column, for the current report */
    xl_widths rwidths;                   /* reports sheet's identifying columns */
    xl_group *groups;
    size_t ngroups, capgroups;
    size_t nreports;
} xl_out;

/* xlsx_text.c */
lxw_error xl_put_text(lxw_worksheet *ws, lxw_row_t row, lxw_col_t col, const char *s, lxw_format *fmt);
double xl_num_value(nb_num n);
size_t xl_display_width(const char *s);
void xl_widths_note(xl_widths *w, size_t col, const char *s);
/* Applies the widths, each between min and max characters. */
void xl_widths_apply(const xl_widths *w, lxw_worksheet *ws, size_t first_col, double min, double max);
/* The last part of a source path: "bundle.zip!/年报/渠县.txt" gives "渠县.txt". */
const char *xl_member_name(const char *source);
/* "A1"-style reference of a 0-based cell. */
void xl_cell_ref(lxw_row_t row, lxw_col_t col, char *buf, size_t len);
/* Landscape A4, header rows repeated on each page, page numbers; fit to
 * the page width when fit_width (not for the reports sheet's hundreds of
 * columns, which would print unreadably small). */
void xl_print_setup(lxw_worksheet *ws, lxw_row_t header_rows, bool fit_width);
nb_status xl_fail(nb_error *err, lxw_error e, const char *what);

/* xlsx_quiet.c: libxlsxwriter's own stderr lines caught around a call. */
typedef struct xl_quiet {
    int saved;
    FILE *cap;
} xl_quiet;
bool xl_quiet_begin(xl_quiet *q);
/* Restores stderr; detail gets the system error the library named, or "". */
void xl_quiet_end(xl_quiet *q, char *detail, size_t len);

/* xlsx_findings.c */
lxw_error xl_findings_open(xl_out *o, nb_error *err);
lxw_error xl_write_diag(xl_out *o, const nb_report *r, lxw_row_t report_row, const char *source, const nb_diag *d);
lxw_error xl_write_failure(xl_out *o, const nb_failure *f);
void xl_findings_close(xl_out *o);

/* xlsx_summary.c */
/* The totals of the report's year and template, created on first use;
 * NULL when out of memory. */
xl_group *xl_group_for(xl_out *o, const nb_report *r);
void xl_groups_free(xl_out *o);
lxw_error xl_write_summary(xl_out *o, const nb_summary *sm);

#endif
