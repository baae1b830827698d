/* out_xlsx.c - the `xlsx` output: a workbook an analyst can hand on.
 *
 * Sheets, in this order (pandas reads the first by default):
 *   reports      one row per report: source, agency, year, template,
 *                errors, warnings, then every value as a number in the
 *                fixed order of nb_templates_columns().  Row 1 holds the
 *                Chinese labels (what people read), row 2 the key paths
 *                (what scripts use: pd.read_excel(f, "reports", header=1)).
 *                Both frozen, with an autofilter.  Cell styles show what
 *                was not read literally and what a check flagged.
 *   diagnostics  one row per warning or error, with agency, year, member
 *                and a link to the flagged cell (xlsx_findings.c).
 *   failures     inputs skipped or failed, with the reason.
 *   summary      per year and template: counts, outcome shares, charts
 *                (xlsx_summary.c).
 *   info         info-level findings, out of the way of the rest.
 *
 * The workbook uses constant_memory mode: each sheet's rows are flushed as
 * soon as a later row starts, so rows are written strictly in order, as
 * write()/failure() are called; the summary keeps only running totals per
 * year and template and is written in end().  libxlsxwriter 1.1.4 has no
 * output_buffer, so the plugin writes the file named by nb_sink_path()
 * (NB_CAP_NEEDS_PATH) and the core copies it to stdout for `-o -`. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <errno.h>
#include <time.h>
#include "xlsx.h"

static nb_status oom(nb_error *err)
{
    nb_error_set(err, NB_E_INTERNAL, PLUGIN_NAME, "out of memory");
    return NB_FATAL;
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
    o->link_fmt = workbook_add_format(o->wb);
    format_set_font_color(o->link_fmt, 0x0563C1);
    format_set_underline(o->link_fmt, LXW_UNDERLINE_SINGLE);
    o->pct_fmt = workbook_add_format(o->wb);
    format_set_num_format(o->pct_fmt, "0.0%");
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
        xl_fail(err, e, name);
        return NULL;
    }
    lxw_worksheet *ws = workbook_add_worksheet(wb, name);
    if (!ws)
        nb_error_set(err, NB_E_INTERNAL, PLUGIN_NAME, "cannot add sheet %s", name);
    return ws;
}

/* Rows are written whole and in order: constant_memory flushes row 0 as
 * soon as anything touches row 1. */
static lxw_error header_row(xl_out *o, lxw_row_t row, const char *const *ids, bool labels)
{
    lxw_worksheet *ws = o->reports;
    lxw_format *fmt = labels ? o->label_fmt : o->key_fmt;
    lxw_error e = labels ? worksheet_set_row(ws, row, 48, NULL) : LXW_NO_ERROR;
    for (size_t i = 0; i < NBF_NID && !e; i++) {
        e = worksheet_write_string(ws, row, (lxw_col_t)i, ids[i], fmt);
        xl_widths_note(&o->rwidths, i, labels ? ids[i] : NULL);
    }
    for (size_t c = 0; c < o->flat.ncols && !e; c++) {
        const nb_field_def *fd = o->flat.cols[c];
        e = xl_put_text(ws, row, (lxw_col_t)(NBF_NID + c), labels ? nb_field_label(fd) : nb_field_path(fd), fmt);
    }
    return e;
}

static lxw_error reports_header(xl_out *o)
{
    lxw_worksheet *ws = o->reports;
    lxw_error e = LXW_NO_ERROR;
    if (o->flat.ncols)
        e = worksheet_set_column(ws, NBF_NID, (lxw_col_t)(NBF_NID + o->flat.ncols - 1), 10, NULL);
    if (!e)
        e = header_row(o, 0, nbf_id_labels, true);
    if (!e)
        e = header_row(o, 1, nbf_id_keys, false);
    /* Keep the headers and who/which year in view while scrolling; on paper
     * the agency column is repeated (not the long source path, which would
     * leave room for two values a page). */
    worksheet_freeze_panes(ws, HEADER_ROWS, 2);
    xl_print_setup(ws, HEADER_ROWS, false);
    worksheet_repeat_columns(ws, 1, 1);
    worksheet_set_print_scale(ws, 75);
    return e;
}

/* The workbook's creation time is the only thing in it that changes from
 * one run to the next; with SOURCE_DATE_EPOCH set (reproducible-builds.org:
 * seconds since 1970, UTC) it is that, so the same reports give the same
 * bytes.  libxlsxwriter takes 0 for "now", so 0 is written as one second
 * later; past 9999-12-31 no W3CDTF date can say it.  A value that is no
 * such number is said on stderr and the time is the current one. */
static void created_at_source_date(const xl_out *o, lxw_workbook *wb)
{
    const char *sde = getenv("SOURCE_DATE_EPOCH");
    if (!sde || !*sde)
        return;
    char *end;
    errno = 0;
    long long t = strtoll(sde, &end, 10);
    if (*end || errno || t < 0 || t > 253402300799LL) {
        nb_host_log(o->host, PLUGIN_NAME, "SOURCE_DATE_EPOCH is not a number of seconds from 1970 to 9999: ignored");
        return;
    }
    lxw_doc_properties p = {.created = (time_t)(t ? t : 1)};
    workbook_set_properties(wb, &p);
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
    created_at_source_date(o, o->wb);
    make_formats(o);
    o->reports = add_sheet(o->wb, REPORTS_SHEET, err);
    o->diags.ws = o->reports ? add_sheet(o->wb, "diagnostics", err) : NULL;
    o->fails.ws = o->diags.ws ? add_sheet(o->wb, "failures", err) : NULL;
    o->summary = o->fails.ws ? add_sheet(o->wb, "summary", err) : NULL;
    o->infos.ws = o->summary ? add_sheet(o->wb, "info", err) : NULL;
    if (!o->infos.ws)
        return NB_FATAL;
    lxw_error e = reports_header(o);
    if (!e)
        e = xl_findings_open(o, err);
    if (e)
        return xl_fail(err, e, "writing the headers");
    o->rrow = HEADER_ROWS;
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
    default: return nb_cell_has_value(c) || nb_cell_unit(c) ? ST_PLAIN : ST_MISSING; /* a unit is text */
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

static lxw_error write_value(xl_out *o, xl_group *g, lxw_col_t col, size_t c, const nb_cell *cell)
{
    const nb_field_def *fd = o->flat.cols[c];
    lxw_format *fmt = o->cell_fmt[status_style(cell)][o->flags[c]];
    nb_num n;
    if (nb_field_type(fd) == NB_TYPE_UNIT)
        return xl_put_text(o->reports, o->rrow, col, nb_cell_unit(cell), fmt);
    if (!nb_cell_get_num(cell, &n))
        return fmt ? worksheet_write_blank(o->reports, o->rrow, col, fmt) : LXW_NO_ERROR;
    if (nb_field_type(fd) != NB_TYPE_AMOUNT && g)
        g->totals[c] = nb_num_add(g->totals[c], n);
    return worksheet_write_number(o->reports, o->rrow, col, xl_num_value(n), fmt);
}

static lxw_error write_report_row(xl_out *o, const nb_report *r)
{
    char buf[32];
    lxw_error e = LXW_NO_ERROR;
    xl_group *g = xl_group_for(o, r);
    if (!g)
        return LXW_ERROR_MEMORY_MALLOC_FAILED;
    g->nreports++;
    g->with_errors += nb_report_count_diags(r, NB_SEV_ERROR) > 0;
    for (size_t i = 0; i < NBF_NID && !e; i++) {
        const char *v = nbf_id_value(r, i, buf, sizeof buf);
        xl_widths_note(&o->rwidths, i, v);
        if (i >= 2 && i != 3) /* year, errors, warnings are numbers */
            e = *v ? worksheet_write_number(o->reports, o->rrow, (lxw_col_t)i, atof(v), NULL)
                   : LXW_NO_ERROR;
        else
            e = xl_put_text(o->reports, o->rrow, (lxw_col_t)i, v, NULL);
    }
    mark_flags(o, r);
    nbf_row row;
    nbf_row_init(&o->flat, r, &row); /* maps built at create */
    for (size_t c = 0; c < o->flat.ncols && !e; c++) {
        const nb_cell *cell = nbf_row_cell(&o->flat, &row, c);
        if (cell)
            e = write_value(o, g, (lxw_col_t)(NBF_NID + c), c, cell);
    }
    return e;
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
    free(o->rwidths.w);
    free(o->diags.widths.w);
    free(o->infos.widths.w);
    free(o->fails.widths.w);
    xl_groups_free(o);
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
    if (st == NB_OK)
        nbf_prepare(&o->flat); /* every variant's column map, for nbf_row */
    if (st == NB_OK) {
        size_t n = o->flat.ncols ? o->flat.ncols : 1;
        o->flags = calloc(n, 1);
        o->rwidths.n = NBF_NID;
        o->rwidths.w = calloc(NBF_NID, sizeof *o->rwidths.w);
        if (!o->flags || !o->rwidths.w)
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

static nb_status begin_workbook(void *inst, nb_sink *out, nb_error *err)
{
    xl_out *o = inst;
    const char *path = nb_sink_path(out);
    if (!path) {
        nb_error_set(err, NB_E_INTERNAL, PLUGIN_NAME, "no output path");
        return NB_FATAL;
    }
    return open_workbook(o, path, err);
}

static nb_status write_report(void *inst, const nb_report *r, nb_error *err)
{
    xl_out *o = inst;
    if (o->rrow >= LXW_ROW_MAX) {
        nb_error_set(err, NB_E_DATA, PLUGIN_NAME,
                     "too many rows for one sheet (%d); split the input or use csv", LXW_ROW_MAX);
        return NB_FATAL;
    }
    lxw_error e = write_report_row(o, r);
    for (size_t i = 0; i < nb_report_diag_count(r) && !e; i++)
        e = xl_write_diag(o, r, o->rrow, nb_report_source_path(r), nb_report_diag_at(r, i));
    o->rrow++;
    o->nreports++;
    return e ? xl_fail(err, e, nb_report_source_path(r) ? nb_report_source_path(r) : "report") : NB_OK;
}

static nb_status write_failure(void *inst, const nb_failure *f, nb_error *err)
{
    lxw_error e = xl_write_failure(inst, f);
    return e ? xl_fail(err, e, "failures sheet") : NB_OK;
}

static nb_status end_workbook(void *inst, const nb_summary *s, nb_error *err)
{
    xl_out *o = inst;
    lxw_error e = LXW_NO_ERROR;
    for (size_t i = 0; i < nb_summary_run_diag_count(s) && !e; i++) /* cross-year findings: no report row */
        e = xl_write_diag(o, NULL, 0, nb_summary_run_diag_source(s, i), nb_summary_run_diag_at(s, i));
    if (!e)
        e = xl_write_summary(o, s);
    if (e)
        return xl_fail(err, e, "summary");
    lxw_row_t last = o->rrow > HEADER_ROWS ? o->rrow - 1 : HEADER_ROWS - 1;
    worksheet_autofilter(o->reports, HEADER_ROWS - 1, 0, last, (lxw_col_t)(NBF_NID + o->flat.ncols - 1));
    xl_widths_apply(&o->rwidths, o->reports, 0, 6, 50);
    xl_findings_close(o);
    /* The file only exists after close; disk and zip errors show here. */
    xl_quiet q;
    bool quiet = xl_quiet_begin(&q);
    e = workbook_close(o->wb);
    o->wb = NULL;
    char why[256];
    if (quiet)
        xl_quiet_end(&q, why, sizeof why);
    if (!e)
        return NB_OK;
    xl_fail(err, e, "writing the workbook");
    if (quiet && why[0])
        snprintf(err->text + strlen(err->text), sizeof err->text - strlen(err->text), " (%s)", why);
    return NB_FATAL;
}

/* The callbacks: the four above, in the "C" locale (c_locale_scope.h):
 * libxlsxwriter prints cell values and column widths with printf, and a
 * host's comma-decimal locale gave <v>12,5</v>, which Excel rejects. */
static nb_status xl_begin(void *inst, nb_sink *out, nb_error *err)
{
    c_locale_scope l = c_locale_enter();
    nb_status st = begin_workbook(inst, out, err);
    c_locale_leave(l);
    return st;
}

static nb_status xl_write(void *inst, const nb_report *r, nb_error *err)
{
    c_locale_scope l = c_locale_enter();
    nb_status st = write_report(inst, r, err);
    c_locale_leave(l);
    return st;
}

static nb_status xl_failure(void *inst, const nb_failure *f, nb_error *err)
{
    c_locale_scope l = c_locale_enter();
    nb_status st = write_failure(inst, f, err);
    c_locale_leave(l);
    return st;
}

static nb_status xl_end(void *inst, const nb_summary *s, nb_error *err)
{
    c_locale_scope l = c_locale_enter();
    nb_status st = end_workbook(inst, s, err);
    c_locale_leave(l);
    return st;
}

static const char *const xl_extensions[] = {".xlsx", NULL};

static const nb_plugin xlsx_plugin = {
    .abi_version = NB_ABI_VERSION,
    .struct_size = sizeof(nb_plugin),
    .name = PLUGIN_NAME,
    .version = "1.0.0",
    .description = "Excel workbook: reports, diagnostics, failures, summary by year and info sheets",
    .kind = NB_PLUGIN_OUTPUT,
    .caps = NB_CAP_BINARY | NB_CAP_NEEDS_PATH | NB_CAP_NO_SOURCE_HASH,
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
