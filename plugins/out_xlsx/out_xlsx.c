/* out_xlsx.c - the `xlsx` output: a workbook an analyst can use at once.
 *
 * Sheets, in this order (pandas reads the first by default, and scripts
 * want the values):
 *   reports      one row per report: source, agency, year, template,
 *                errors, warnings, then every value as a number in the
 *                fixed order of nb_templates_columns().  Row 1 holds the
 *                key paths (what scripts rely on), row 2 the Chinese
 *                labels; both frozen, with an autofilter.  Cell styles show
 *                what was not read literally and what a check flagged.
 *   diagnostics  one row per finding.
 *   failures     inputs skipped or failed, with the reason.
 *   summary      totals across all reports and two charts.
 *
 * The workbook uses constant_memory mode: each sheet's rows are flushed as
 * soon as a later row starts, so rows are written strictly in order, as
 * write()/failure() are called; the summary keeps only running totals and
 * is written in end().  libxlsxwriter 1.1.4 has no output_buffer, so the
 * plugin writes the file named by nb_sink_path() (NB_CAP_NEEDS_PATH) and
 * the core copies it to stdout for `-o -`. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xlsxwriter.h>

#include "nianbao/plugin.h"
#include "nianbao/text.h"
#include "flat.h"

#define PLUGIN_NAME "xlsx"
#define HEADER_ROWS 2          /* key paths, labels */
#define MAX_TEXT 32767         /* LXW_STR_MAX, in code points */

/* How a value was read (font) and whether a check flagged it (fill). */
enum { ST_PLAIN, ST_BLANK, ST_INFERRED, ST_MISSING, ST_AMBIGUOUS, NSTYLE };
enum { FL_NONE, FL_WARNING, FL_ERROR, NFLAG };

typedef struct xl_out {
    const nb_host *host;
    nbf_flat flat;
    lxw_workbook *wb;
    lxw_worksheet *reports, *diags, *fails, *summary;
    lxw_row_t rrow, drow, frow;          /* next row of each sheet */
    lxw_format *cell_fmt[NSTYLE][NFLAG];
    lxw_format *key_fmt, *label_fmt, *head_fmt, *sev_fmt[3], *title_fmt;
    unsigned char *flags;                /* per column, for the current report */
    nb_num *totals;                      /* per column, across reports */
    size_t nreports;
} xl_out;

/* Errors ------------------------------------------------------------------ */

static nb_status lxw_fail(nb_error *err, lxw_error e, const char *what)
{
    nb_errclass cls = NB_E_IO;
    if (e == LXW_ERROR_MEMORY_MALLOC_FAILED)
        cls = NB_E_INTERNAL;
    else if (e == LXW_ERROR_CREATING_XLSX_FILE || e == LXW_ERROR_CREATING_TMPFILE)
        cls = NB_E_CANTCREAT;
    nb_error_set(err, cls, PLUGIN_NAME, "%s: %s", what, lxw_strerror(e));
    return NB_FATAL;
}

static nb_status oom(nb_error *err)
{
    nb_error_set(err, NB_E_INTERNAL, PLUGIN_NAME, "out of memory");
    return NB_FATAL;
}

/* Text ------------------------------------------------------------------- */

/* Cell text is cleaned before it reaches libxlsxwriter: invalid UTF-8
 * would make the XML part malformed (a repair prompt in Excel and
 * LibreOffice); C0 controls, which XML 1.0 cannot hold, would come back as
 * _xHHHH_ escapes or boxes; and cells over 32767 characters are an error.
 * Returns s itself when it is fine, else a cleaned copy in *tmp (controls
 * -> space, invalid UTF-8 -> U+FFFD, cut at MAX_TEXT). */
static bool text_is_clean(const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        unsigned char ch = (unsigned char)s[i];
        if (ch < 0x20 && ch != '\t' && ch != '\n')
            return false;
    }
    return nb_utf8_valid(s, len) && nb_utf8_len(s) <= MAX_TEXT;
}

static const char *clean_text(const char *s, char **tmp)
{
    *tmp = NULL;
    if (!s)
        return "";
    size_t len = strlen(s);
    if (text_is_clean(s, len))
        return s;
    char *out = malloc(len * 3 + 1);   /* each bad byte may become 3 bytes */
    if (!out)
        return "";
    size_t o = 0, n = 0;
    for (size_t i = 0; i < len && n < MAX_TEXT; n++) {
        uint32_t cp;
        size_t k = nb_utf8_next(s + i, len - i, &cp);
        bool bad = k == 1 && (unsigned char)s[i] >= 0x80;
        if (bad)
            o += nb_utf8_put(0xFFFD, out + o);
        else if (cp < 0x20 && cp != '\t' && cp != '\n')
            out[o++] = ' ';
        else {
            memcpy(out + o, s + i, k);
            o += k;
        }
        i += k;
    }
    out[o] = '\0';
    *tmp = out;
    return out;
}

static lxw_error put_text(lxw_worksheet *ws, lxw_row_t row, lxw_col_t col, const char *s,
                          lxw_format *fmt)
{
    char *tmp;
    const char *t = clean_text(s, &tmp);
    lxw_error e = *t ? worksheet_write_string(ws, row, col, t, fmt)
                     : (fmt ? worksheet_write_blank(ws, row, col, fmt) : LXW_NO_ERROR);
    free(tmp);
    return e;
}

/* Exact decimal to the nearest double: one correctly rounded division, so
 * a figure of up to 15 digits prints back exactly as written. */
static double num_value(nb_num n)
{
    static const double p10[] = {1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9,
                                 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18};
    if (n.scale >= 0 && n.scale <= 18)
        return (double)n.v / p10[n.scale];
    return nb_num_to_double(n);
}

/* Formats ---------------------------------------------------------------- */

static lxw_format *cell_format(lxw_workbook *wb, int st, int fl)
{
    static const lxw_color_t status_fill[NSTYLE] = {0, 0, 0, 0xEDEDED, 0xE4DFEC};
    lxw_format *f = workbook_add_format(wb);
    if (st == ST_BLANK) {
        format_set_italic(f);
        format_set_font_color(f, 0x808080);
    } else if (st == ST_INFERRED) {
        format_set_italic(f);
        format_set_font_color(f, 0x1F4E79);
    }
    lxw_color_t fill = status_fill[st];
    if (fl == FL_ERROR) {        /* Excel's "Bad" colours */
        fill = 0xFFC7CE;
        format_set_font_color(f, 0x9C0006);
    } else if (fl == FL_WARNING) { /* Excel's "Neutral" colours */
        fill = 0xFFEB9C;
        format_set_font_color(f, 0x9C5700);
    }
    if (fill) {
        format_set_pattern(f, LXW_PATTERN_SOLID);
        format_set_bg_color(f, fill);
    }
    return f;
}

static void make_formats(xl_out *o)
{
    for (int s = 0; s < NSTYLE; s++)
        for (int f = 0; f < NFLAG; f++)
            o->cell_fmt[s][f] = (s == ST_PLAIN && f == FL_NONE) ? NULL
                                                                : cell_format(o->wb, s, f);
    o->key_fmt = workbook_add_format(o->wb);
    format_set_font_size(o->key_fmt, 8);
    format_set_font_color(o->key_fmt, 0x595959);
    o->label_fmt = workbook_add_format(o->wb);
    format_set_bold(o->label_fmt);
    format_set_text_wrap(o->label_fmt);
    format_set_align(o->label_fmt, LXW_ALIGN_VERTICAL_TOP);
    format_set_pattern(o->label_fmt, LXW_PATTERN_SOLID);
    format_set_bg_color(o->label_fmt, 0xDDEBF7);
    o->head_fmt = workbook_add_format(o->wb);
    format_set_bold(o->head_fmt);
    format_set_pattern(o->head_fmt, LXW_PATTERN_SOLID);
    format_set_bg_color(o->head_fmt, 0xDDEBF7);
    o->title_fmt = workbook_add_format(o->wb);
    format_set_bold(o->title_fmt);
    format_set_font_size(o->title_fmt, 13);
    o->sev_fmt[NB_SEV_INFO] = NULL;
    o->sev_fmt[NB_SEV_WARNING] = o->cell_fmt[ST_PLAIN][FL_WARNING];
    o->sev_fmt[NB_SEV_ERROR] = o->cell_fmt[ST_PLAIN][FL_ERROR];
}

/* Sheets ------------------------------------------------------------------ */

/* Fixed names, but checked as engineering-notes §11 asks: a bad one is a
 * bug worth a clear message rather than a corrupt workbook. */
static lxw_worksheet *add_sheet(lxw_workbook *wb, const char *name, nb_error *err)
{
    lxw_error e = workbook_validate_sheet_name(wb, name);
    if (e != LXW_NO_ERROR) {
        lxw_fail(err, e, name);
        return NULL;
    }
    lxw_worksheet *ws = workbook_add_worksheet(wb, name);
    if (!ws)
        nb_error_set(err, NB_E_INTERNAL, PLUGIN_NAME, "cannot add sheet %s", name);
    return ws;
}

/* A simple sheet: one bold header row, frozen. */
static lxw_error simple_header(xl_out *o, lxw_worksheet *ws, const char *const *cols,
                               const double *widths, size_t n)
{
    lxw_error e = LXW_NO_ERROR;
    for (size_t i = 0; i < n && !e; i++) {
        e = worksheet_write_string(ws, 0, (lxw_col_t)i, cols[i], o->head_fmt);
        if (!e)
            e = worksheet_set_column(ws, (lxw_col_t)i, (lxw_col_t)i, widths[i], NULL);
    }
    worksheet_freeze_panes(ws, 1, 0);
    return e;
}

static const char *const diag_cols[] = {"source", "rule", "severity", "cell",
                                        "expected", "found", "message", "skipped"};
static const double diag_widths[] = {40, 20, 9, 40, 12, 12, 80, 8};
static const char *const fail_cols[] = {"source", "outcome", "reason"};
static const double fail_widths[] = {50, 9, 80};
#define NDIAGCOL (sizeof diag_cols / sizeof *diag_cols)
#define NFAILCOL (sizeof fail_cols / sizeof *fail_cols)

/* Rows are written whole and in order: constant_memory flushes row 0 as
 * soon as anything touches row 1. */
static lxw_error header_row(xl_out *o, lxw_row_t row, const char *const *ids, bool labels)
{
    lxw_worksheet *ws = o->reports;
    lxw_format *fmt = labels ? o->label_fmt : o->key_fmt;
    lxw_error e = labels ? worksheet_set_row(ws, row, 48, NULL) : LXW_NO_ERROR;
    for (size_t i = 0; i < NBF_NID && !e; i++)
        e = worksheet_write_string(ws, row, (lxw_col_t)i, ids[i], fmt);
    for (size_t c = 0; c < o->flat.ncols && !e; c++) {
        const nb_field_def *fd = o->flat.cols[c];
        e = put_text(ws, row, (lxw_col_t)(NBF_NID + c), labels ? nb_field_label(fd) : nb_field_path(fd), fmt);
    }
    return e;
}

static lxw_error reports_header(xl_out *o)
{
    static const double id_widths[NBF_NID] = {36, 24, 6, 9, 7, 8};
    lxw_worksheet *ws = o->reports;
    lxw_error e = LXW_NO_ERROR;
    for (size_t i = 0; i < NBF_NID && !e; i++)
        e = worksheet_set_column(ws, (lxw_col_t)i, (lxw_col_t)i, id_widths[i], NULL);
    if (!e && o->flat.ncols)
        e = worksheet_set_column(ws, NBF_NID, (lxw_col_t)(NBF_NID + o->flat.ncols - 1), 12, NULL);
    if (!e)
        e = header_row(o, 0, nbf_id_keys, false);
    if (!e)
        e = header_row(o, 1, nbf_id_labels, true);
    /* Keep the headers and who/which year in view while scrolling. */
    worksheet_freeze_panes(ws, HEADER_ROWS, 2);
    return e;
}

static nb_status open_workbook(xl_out *o, const char *path, nb_error *err)
{
    lxw_workbook_options opt = {.constant_memory = LXW_TRUE,
                                .tmpdir = (char *)nb_host_tmpdir(o->host),
                                .use_zip64 = LXW_FALSE};
    o->wb = workbook_new_opt(path, &opt);
    if (!o->wb) {
        nb_error_set(err, NB_E_CANTCREAT, PLUGIN_NAME, "cannot create workbook %s", path);
        return NB_FATAL;
    }
    make_formats(o);
    o->reports = add_sheet(o->wb, "reports", err);
    o->diags = o->reports ? add_sheet(o->wb, "diagnostics", err) : NULL;
    o->fails = o->diags ? add_sheet(o->wb, "failures", err) : NULL;
    o->summary = o->fails ? add_sheet(o->wb, "summary", err) : NULL;
    if (!o->summary)
        return NB_FATAL;
    lxw_error e = reports_header(o);
    if (!e)
        e = simple_header(o, o->diags, diag_cols, diag_widths, NDIAGCOL);
    if (!e)
        e = simple_header(o, o->fails, fail_cols, fail_widths, NFAILCOL);
    if (e)
        return lxw_fail(err, e, "writing the headers");
    o->rrow = HEADER_ROWS;
    o->drow = o->frow = 1;
    return NB_OK;
}

/* One report ------------------------------------------------------------ */

static int status_style(const nb_cell *c)
{
    switch (nb_cell_get_status(c)) {
    case NB_CELL_BLANK:
    case NB_CELL_NA: return ST_BLANK;
    case NB_CELL_INFERRED: return ST_INFERRED;
    case NB_CELL_AMBIGUOUS: return ST_AMBIGUOUS;
    case NB_CELL_MISSING: return ST_MISSING;
    default: return nb_cell_has_value(c) ? ST_PLAIN : ST_MISSING;
    }
}

/* Marks the columns a diagnostic of this report points at; errors win. */
static void mark_flags(xl_out *o, const nb_report *r)
{
    memset(o->flags, FL_NONE, o->flat.ncols ? o->flat.ncols : 1);
    for (size_t i = 0; i < nb_report_diag_count(r); i++) {
        const nb_diag *d = nb_report_diag_at(r, i);
        const char *where = nb_diag_where(d);
        if (nb_diag_severity(d) == NB_SEV_INFO || !where)
            continue;
        unsigned char fl = nb_diag_severity(d) == NB_SEV_ERROR ? FL_ERROR : FL_WARNING;
        for (size_t c = 0; c < o->flat.ncols; c++)
            if (o->flags[c] < fl && nbf_where_matches(where, nb_field_path(o->flat.cols[c])))
                o->flags[c] = fl;
    }
}

static lxw_error write_value(xl_out *o, lxw_col_t col, size_t c, const nb_cell *cell)
{
    const nb_field_def *fd = o->flat.cols[c];
    lxw_format *fmt = o->cell_fmt[status_style(cell)][o->flags[c]];
    if (nb_field_type(fd) == NB_TYPE_UNIT)
        return put_text(o->reports, o->rrow, col, nb_cell_unit(cell), fmt);
    nb_num v;
    if (!nb_cell_get_num(cell, &v))
        return fmt ? worksheet_write_blank(o->reports, o->rrow, col, fmt) : LXW_NO_ERROR;
    if (nb_field_type(fd) != NB_TYPE_AMOUNT)
        o->totals[c] = nb_num_add(o->totals[c], v);
    return worksheet_write_number(o->reports, o->rrow, col, num_value(v), fmt);
}

static lxw_error write_report_row(xl_out *o, const nb_report *r)
{
    char buf[32];
    lxw_error e = LXW_NO_ERROR;
    for (size_t i = 0; i < NBF_NID && !e; i++) {
        const char *v = nbf_id_value(r, i, buf, sizeof buf);
        if (i >= 2 && i != 3) /* year, errors, warnings are numbers */
            e = *v ? worksheet_write_number(o->reports, o->rrow, (lxw_col_t)i, atof(v), NULL)
                   : LXW_NO_ERROR;
        else
            e = put_text(o->reports, o->rrow, (lxw_col_t)i, v, NULL);
    }
    mark_flags(o, r);
    for (size_t c = 0; c < o->flat.ncols && !e; c++) {
        const nb_cell *cell = nbf_cell(&o->flat, r, c);
        if (cell)
            e = write_value(o, (lxw_col_t)(NBF_NID + c), c, cell);
    }
    return e;
}

static lxw_error write_diag_row(xl_out *o, const char *source, const nb_diag *d)
{
    lxw_worksheet *ws = o->diags;
    lxw_row_t row = o->drow;
    nb_severity sev = nb_diag_severity(d);
    const char *vals[NDIAGCOL] = {source, nb_diag_rule(d), nb_severity_name(sev), nb_diag_where(d),
                                  nb_diag_expected(d), nb_diag_found(d), nb_diag_message(d),
                                  nb_diag_skipped(d) ? "skipped" : ""};
    lxw_error e = LXW_NO_ERROR;
    for (size_t i = 0; i < NDIAGCOL && !e; i++) {
        lxw_format *fmt = i == 2 ? o->sev_fmt[sev <= NB_SEV_ERROR ? sev : 0]
                                 : NULL;
        e = put_text(ws, row, (lxw_col_t)i, vals[i], fmt);
    }
    o->drow++;
    return e;
}

/* Summary ---------------------------------------------------------------- */

static long column_of(const xl_out *o, const char *path)
{
    for (size_t c = 0; c < o->flat.ncols; c++)
        if (strcmp(nb_field_path(o->flat.cols[c]), path) == 0)
            return (long)c;
    return -1;
}

/* The row part of a field label: "（三）不予公开/1.属于国家秘密/总计" without "/总计". */
static const char *row_label(const nb_field_def *fd, char *buf, size_t len)
{
    snprintf(buf, len, "%s", nb_field_label(fd) ? nb_field_label(fd) : nb_field_path(fd));
    char *slash = strrchr(buf, '/');
    if (slash && slash != buf)
        *slash = '\0';
    return buf;
}

/* The column part of a one-level row's label: "一、本年新收…/法人或其他组织/商业企业"
 * gives "法人或其他组织/商业企业". */
static const char *col_label(const nb_field_def *fd, char *buf, size_t len)
{
    const char *l = nb_field_label(fd) ? nb_field_label(fd) : nb_field_path(fd);
    const char *slash = strchr(l, '/');
    snprintf(buf, len, "%s", slash ? slash + 1 : l);
    return buf;
}

typedef struct sum_ctx {
    xl_out *o;
    lxw_row_t row;
    lxw_error e;
} sum_ctx;

static void sum_text(sum_ctx *s, lxw_col_t col, const char *text, lxw_format *fmt)
{
    if (!s->e)
        s->e = put_text(s->o->summary, s->row, col, text, fmt);
}

static void sum_number(sum_ctx *s, lxw_col_t col, nb_num n)
{
    if (!s->e)
        s->e = worksheet_write_number(s->o->summary, s->row, col, num_value(n), NULL);
}

static void sum_counts(sum_ctx *s, const nb_summary *sm)
{
    const char *keys[] = {"reports", "converted", "skipped", "failed", "with_errors",
                          "with_warnings"};
    const char *labels[] = {"报告（本表）", "已转换", "跳过", "失败", "有错误的报告",
                            "有警告的报告"};
    size_t vals[] = {s->o->nreports, sm ? nb_summary_count(sm, NB_SUM_CONVERTED) : s->o->nreports,
                     nb_summary_count(sm, NB_SUM_SKIPPED), nb_summary_count(sm, NB_SUM_FAILED),
                     nb_summary_count(sm, NB_SUM_WITH_ERRORS),
                     nb_summary_count(sm, NB_SUM_WITH_WARNINGS)};
    sum_text(s, 0, "run", s->o->head_fmt);
    sum_text(s, 1, "运行", s->o->head_fmt);
    sum_text(s, 2, "count", s->o->head_fmt);
    s->row++;
    for (size_t i = 0; i < sizeof vals / sizeof *vals; i++, s->row++) {
        sum_text(s, 0, keys[i], NULL);
        sum_text(s, 1, labels[i], NULL);
        sum_number(s, 2, nb_num_int((int64_t)vals[i]));
    }
    s->row++;
}

/* Rows of key paths with their totals; returns the first and last row
 * written (for a chart), *first > *last when none. */
static void sum_block(sum_ctx *s, const char *title, const char *const *paths, size_t n,
                      bool by_column, lxw_row_t *first, lxw_row_t *last)
{
    char buf[512];
    sum_text(s, 0, "key", s->o->head_fmt);
    sum_text(s, 1, title, s->o->head_fmt);
    sum_text(s, 2, "total", s->o->head_fmt);
    s->row++;
    *first = s->row;
    for (size_t i = 0; i < n; i++) {
        long c = column_of(s->o, paths[i]);
        if (c < 0)
            continue;
        sum_text(s, 0, paths[i], NULL);
        const nb_field_def *fd = s->o->flat.cols[c];
        sum_text(s, 1, by_column ? col_label(fd, buf, sizeof buf) : row_label(fd, buf, sizeof buf),
                 NULL);
        sum_number(s, 2, s->o->totals[c]);
        s->row++;
    }
    *last = s->row - 1;
    s->row++;
}

/* A grid: one line per row key, one column per column key. */
static void sum_grid(sum_ctx *s, const char *table, const char *title,
                     const char *const *rows, size_t nrows,
                     const char *const *cols, size_t ncols)
{
    char path[256], buf[512];
    sum_text(s, 0, "key", s->o->head_fmt);
    sum_text(s, 1, title, s->o->head_fmt);
    for (size_t j = 0; j < ncols; j++)
        sum_text(s, (lxw_col_t)(2 + j), cols[j], s->o->head_fmt);
    s->row++;
    for (size_t i = 0; i < nrows; i++) {
        snprintf(path, sizeof path, "%s.%s.%s", table, rows[i], cols[ncols - 1]);
        long c0 = column_of(s->o, path);
        sum_text(s, 0, rows[i], NULL);
        sum_text(s, 1, c0 >= 0 ? row_label(s->o->flat.cols[c0], buf, sizeof buf) : rows[i], NULL);
        for (size_t j = 0; j < ncols; j++) {
            snprintf(path, sizeof path, "%s.%s.%s", table, rows[i], cols[j]);
            long c = column_of(s->o, path);
            if (c >= 0)
                sum_number(s, (lxw_col_t)(2 + j), s->o->totals[c]);
        }
        s->row++;
    }
    s->row++;
}

static void add_chart(xl_out *o, const char *title, lxw_row_t first, lxw_row_t last,
                      lxw_row_t at)
{
    if (first > last)
        return;
    lxw_chart *ch = workbook_add_chart(o->wb, LXW_CHART_BAR);
    if (!ch)
        return;
    lxw_chart_series *ser = chart_add_series(ch, NULL, NULL);
    chart_series_set_categories(ser, "summary", first, 1, last, 1);
    chart_series_set_values(ser, "summary", first, 2, last, 2);
    chart_series_set_name(ser, title);
    chart_title_set_name(ch, title);
    chart_legend_set_position(ch, LXW_CHART_LEGEND_NONE);
    worksheet_insert_chart(o->summary, at, 7, ch);
}

/* The key scheme is a contract (report-model.md), so the summary names
 * its rows by key path; a path missing from the templates is left out. */
static const char *const outcome_paths[] = {
    "requests.granted.total", "requests.partially_granted.total",
    "requests.withheld.subtotal.total", "requests.unavailable.subtotal.total",
    "requests.not_processed.subtotal.total", "requests.other_handling.subtotal.total"};
static const char *const applicant_paths[] = {
    "requests.new_received.natural_person", "requests.new_received.business",
    "requests.new_received.research", "requests.new_received.nonprofit",
    "requests.new_received.legal_service", "requests.new_received.other_org"};
static const char *const appeal_rows[] = {"review", "suit_direct", "suit_after_review"};
static const char *const appeal_cols[] = {"upheld", "corrected", "other", "pending", "total"};
static const char *const applicant_rows[] = {"new_received", "carried_over",
                                             "results_total", "carried_forward"};
static const char *const applicant_cols[] = {"natural_person", "business", "research",
                                             "nonprofit", "legal_service", "other_org",
                                             "total"};
#define NELEM(a) (sizeof(a) / sizeof *(a))

static lxw_error write_legend(sum_ctx *s)
{
    static const char *const what[] = {"读作空白（记为0）/ blank or n/a, counted as 0",
                                       "按合计关系推定 / inferred from the sums",
                                       "未找到（空）/ missing (null)",
                                       "有多种读法（空）/ ambiguous (null)",
                                       "检查发现警告 / flagged by a warning",
                                       "检查发现错误 / flagged by an error"};
    lxw_format *fmts[] = {s->o->cell_fmt[ST_BLANK][FL_NONE], s->o->cell_fmt[ST_INFERRED][FL_NONE],
                          s->o->cell_fmt[ST_MISSING][FL_NONE],
                          s->o->cell_fmt[ST_AMBIGUOUS][FL_NONE],
                          s->o->cell_fmt[ST_PLAIN][FL_WARNING], s->o->cell_fmt[ST_PLAIN][FL_ERROR]};
    sum_text(s, 0, "legend", s->o->head_fmt);
    sum_text(s, 1, "reports 表中单元格样式", s->o->head_fmt);
    s->row++;
    for (size_t i = 0; i < NELEM(what); i++, s->row++) {
        sum_text(s, 0, "样式", fmts[i]);
        sum_text(s, 1, what[i], NULL);
    }
    return s->e;
}

static lxw_error write_summary(xl_out *o, const nb_summary *sm)
{
    sum_ctx s = {o, 0, LXW_NO_ERROR};
    lxw_row_t f1, l1, f2, l2, at1, at2;
    worksheet_set_column(o->summary, 0, 0, 38, NULL);
    worksheet_set_column(o->summary, 1, 1, 44, NULL);
    worksheet_set_column(o->summary, 2, 6, 12, NULL);
    sum_text(&s, 0, "汇总 / totals across all reports", o->title_fmt);
    s.row += 2;
    sum_counts(&s, sm);
    at1 = s.row;
    sum_block(&s, "办理结果 / requests by outcome", outcome_paths, NELEM(outcome_paths), false,
              &f1, &l1);
    at2 = s.row;
    sum_block(&s, "本年新收申请 / new requests by applicant", applicant_paths,
              NELEM(applicant_paths), true, &f2, &l2);
    sum_grid(&s, "requests", "申请人类型 / requests by applicant type", applicant_rows,
             NELEM(applicant_rows), applicant_cols, NELEM(applicant_cols));
    sum_grid(&s, "appeals", "行政复议、行政诉讼 / appeals", appeal_rows, NELEM(appeal_rows),
             appeal_cols, NELEM(appeal_cols));
    write_legend(&s);
    add_chart(o, "办理结果 requests by outcome", f1, l1, at1);
    add_chart(o, "本年新收申请 new requests by applicant", f2, l2, at2 + 12);
    return s.e;
}

/* Plugin callbacks -------------------------------------------------------- */

static void xl_destroy(void *inst)
{
    xl_out *o = inst;
    if (!o)
        return;
    if (o->wb)  /* a run that never reached end(): drop it, write nothing */
        lxw_workbook_free(o->wb);
    nbf_free(&o->flat);
    free(o->flags);
    free(o->totals);
    free(o);
}

static nb_status xl_create(const nb_host *host, const nb_options *opts, void **inst,
                           nb_error *err)
{
    (void)opts;
    xl_out *o = calloc(1, sizeof *o);
    if (!o)
        return oom(err);
    o->host = host;
    nb_status st = nbf_init(&o->flat, nb_host_templates(host), err);
    if (st == NB_OK) {
        size_t n = o->flat.ncols ? o->flat.ncols : 1;
        o->flags = calloc(n, 1);
        o->totals = calloc(n, sizeof *o->totals);
        if (!o->flags || !o->totals)
            st = oom(err);
    }
    if (st == NB_OK && NBF_NID + o->flat.ncols > LXW_COL_MAX) {
        nb_error_set(err, NB_E_CONFIG, PLUGIN_NAME, "%zu columns exceed the sheet's %d",
                     NBF_NID + o->flat.ncols, LXW_COL_MAX);
        st = NB_FATAL;
    }
    if (st != NB_OK) {
        xl_destroy(o);
        return st;
    }
    *inst = o;
    return NB_OK;
}

static nb_status xl_begin(void *inst, nb_sink *out, nb_error *err)
{
    xl_out *o = inst;
    const char *path = nb_sink_path(out);
    if (!path) {
        nb_error_set(err, NB_E_INTERNAL, PLUGIN_NAME, "no output path");
        return NB_FATAL;
    }
    return open_workbook(o, path, err);
}

static nb_status xl_write(void *inst, const nb_report *r, nb_error *err)
{
    xl_out *o = inst;
    if (o->rrow >= LXW_ROW_MAX || o->drow + nb_report_diag_count(r) > LXW_ROW_MAX) {
        nb_error_set(err, NB_E_DATA, PLUGIN_NAME,
                     "too many rows for one sheet (%d); split the input or use csv", LXW_ROW_MAX);
        return NB_FATAL;
    }
    lxw_error e = write_report_row(o, r);
    o->rrow++;
    o->nreports++;
    const char *source = nb_report_source_path(r);
    for (size_t i = 0; i < nb_report_diag_count(r) && !e; i++)
        e = write_diag_row(o, source, nb_report_diag_at(r, i));
    return e ? lxw_fail(err, e, source ? source : "report") : NB_OK;
}

static nb_status xl_failure(void *inst, const nb_failure *f, nb_error *err)
{
    xl_out *o = inst;
    if (o->frow >= LXW_ROW_MAX)
        return NB_OK;  /* the count still shows in the summary */
    lxw_error e = put_text(o->fails, o->frow, 0, nb_failure_source(f), NULL);
    if (!e)
        e = put_text(o->fails, o->frow, 1, nb_failure_skipped(f) ? "skipped" : "failed", NULL);
    if (!e)
        e = put_text(o->fails, o->frow, 2, nb_failure_reason(f), NULL);
    o->frow++;
    return e ? lxw_fail(err, e, "failures sheet") : NB_OK;
}

static nb_status xl_end(void *inst, const nb_summary *s, nb_error *err)
{
    xl_out *o = inst;
    lxw_error e = LXW_NO_ERROR;
    for (size_t i = 0; i < nb_summary_run_diag_count(s) && !e && o->drow < LXW_ROW_MAX; i++) {
        const char *src = nb_summary_run_diag_source(s, i);
        e = write_diag_row(o, src ? src : "", nb_summary_run_diag_at(s, i));
    }
    if (!e)
        e = write_summary(o, s);
    if (e)
        return lxw_fail(err, e, "summary");
    lxw_row_t last = o->rrow > HEADER_ROWS ? o->rrow - 1 : HEADER_ROWS - 1;
    worksheet_autofilter(o->reports, HEADER_ROWS - 1, 0, last,
                         (lxw_col_t)(NBF_NID + o->flat.ncols - 1));
    worksheet_autofilter(o->diags, 0, 0, o->drow > 1 ? o->drow - 1 : 0, NDIAGCOL - 1);
    worksheet_autofilter(o->fails, 0, 0, o->frow > 1 ? o->frow - 1 : 0, NFAILCOL - 1);
    /* The file only exists after close; disk and zip errors show here. */
    e = workbook_close(o->wb);
    o->wb = NULL;
    return e ? lxw_fail(err, e, "writing the workbook") : NB_OK;
}

static const char *const xl_extensions[] = {".xlsx", NULL};

static const nb_plugin xlsx_plugin = {
    .abi_version = NB_ABI_VERSION,
    .struct_size = sizeof(nb_plugin),
    .name = PLUGIN_NAME,
    .version = "1.0.0",
    .description = "Excel workbook: reports, diagnostics, failures and summary sheets",
    .kind = NB_PLUGIN_OUTPUT,
    .caps = NB_CAP_BINARY | NB_CAP_NEEDS_PATH,
    .extensions = xl_extensions,
    .options = NULL,
    .create = xl_create,
    .destroy = xl_destroy,
    .begin = xl_begin,
    .write = xl_write,
    .failure = xl_failure,
    .end = xl_end,
};

NB_PLUGIN_EXPORT const nb_plugin *nb_plugin_entry(uint32_t host_abi);
NB_PLUGIN_EXPORT const nb_plugin *nb_plugin_entry(uint32_t host_abi)
{
    (void)host_abi;
    return &xlsx_plugin;
}
