/* xlsx_findings.c - the diagnostics, info and failures sheets.  Each has
 * Chinese labels on row 1 and keys on row 2 (like the reports sheet), the
 * report's agency, year and a short member name beside every finding,
 * expected/found as numbers when they are numbers, and a link from the
 * finding to the flagged cell on the reports sheet.  Info findings have
 * their own sheet so the diagnostics sheet holds what needs a look. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xlsx.h"

enum { D_SOURCE, D_MEMBER, D_AGENCY, D_YEAR, D_RULE, D_SEVERITY, D_CELL, D_EXPECTED, D_FOUND, D_MESSAGE,
       D_SKIPPED, NDCOL };
static const char *const diag_keys[NDCOL] = {"source", "member", "agency", "year", "rule", "severity",
                                             "cell", "expected", "found", "message", "skipped"};
static const char *const diag_labels[NDCOL] = {"来源文件", "文件名", "机关", "年度", "规则", "级别",
                                               "单元格（点击跳转）", "应为", "实为", "说明", "未能检查"};
enum { F_SOURCE, F_MEMBER, F_OUTCOME, F_REASON, NFCOL };
static const char *const fail_keys[NFCOL] = {"source", "member", "outcome", "reason"};
static const char *const fail_labels[NFCOL] = {"来源文件", "文件名", "结果", "原因"};

static const char *severity_label(const nb_diag *d)
{
    static const char *const names[] = {"提示", "警告", "错误"};
    nb_severity s = nb_diag_severity(d);
    return s <= NB_SEV_ERROR ? names[s] : "?";
}

static lxw_error sheet_header(xl_out *o, xl_sheet *s, const char *const *labels, const char *const *keys,
                              size_t n)
{
    s->ncols = n;
    s->widths.n = n;
    s->widths.w = calloc(n, sizeof *s->widths.w);
    if (!s->widths.w)
        return LXW_ERROR_MEMORY_MALLOC_FAILED;
    lxw_error e = LXW_NO_ERROR;
    for (size_t i = 0; i < n && !e; i++) {
        e = worksheet_write_string(s->ws, 0, (lxw_col_t)i, labels[i], o->head_fmt);
        xl_widths_note(&s->widths, i, labels[i]);
    }
    for (size_t i = 0; i < n && !e; i++)
        e = worksheet_write_string(s->ws, 1, (lxw_col_t)i, keys[i], o->key_fmt);
    worksheet_freeze_panes(s->ws, HEADER_ROWS, 0);
    xl_print_setup(s->ws, HEADER_ROWS, true);
    s->row = HEADER_ROWS;
    return e;
}

lxw_error xl_findings_open(xl_out *o, nb_error *err)
{
    (void)err;
    lxw_error e = sheet_header(o, &o->diags, diag_labels, diag_keys, NDCOL);
    if (!e)
        e = sheet_header(o, &o->infos, diag_labels, diag_keys, NDCOL);
    if (!e)
        e = sheet_header(o, &o->fails, fail_labels, fail_keys, NFCOL);
    return e;
}

static lxw_error text_cell(xl_sheet *s, size_t col, const char *v, lxw_format *fmt)
{
    xl_widths_note(&s->widths, col, v);
    return xl_put_text(s->ws, s->row, (lxw_col_t)col, v, fmt);
}

/* A number when the text is one ("12", "7730.28"), else the text. */
static lxw_error number_or_text(xl_sheet *s, size_t col, const char *v)
{
    nb_num n;
    if (v && nb_num_parse(v, &n)) {
        xl_widths_note(&s->widths, col, v);
        return worksheet_write_number(s->ws, s->row, (lxw_col_t)col, xl_num_value(n), NULL);
    }
    return text_cell(s, col, v, NULL);
}

/* A HYPERLINK() formula, not a worksheet link: libxlsxwriter keeps every
 * worksheet link in memory until the sheet closes (OOXML puts them after
 * the rows), about 330 bytes each, so a run's memory would grow with its
 * findings; a formula streams with its row.  Excel and LibreOffice both
 * follow "#sheet!cell" (Calc falls back to Excel's A1 syntax for marks).
 * The cached result is the key path, which pandas (openpyxl) reads
 * without evaluating anything. */
static lxw_error link_formula(xl_out *o, xl_sheet *s, const char *target, const char *text)
{
    char formula[1200];
    snprintf(formula, sizeof formula, "=HYPERLINK(\"#%s\",\"%s\")", target, text);
    xl_widths_note(&s->widths, D_CELL, text);
    return worksheet_write_formula_str(s->ws, s->row, D_CELL, formula, o->link_fmt, text);
}

/* Whether text can be a formula's string as it is: Excel takes at most 255
 * characters there; key paths never hold quotes or control characters, and
 * one that did would stay plain text rather than be escaped. */
static bool formula_safe(const char *text)
{
    size_t chars = 0;
    for (const unsigned char *p = (const unsigned char *)text; *p; p++) {
        if (*p < 0x20 || *p == 0x7F || *p == '"')
            return false;
        chars += (*p & 0xC0) != 0x80;
    }
    return chars <= 255;
}

/* The finding's key path, linked to the first reports-sheet cell it covers. */
static lxw_error cell_link(xl_out *o, xl_sheet *s, lxw_row_t report_row, const char *where)
{
    long col = -1;
    for (size_t c = 0; where && *where && c < o->flat.ncols && col < 0; c++)
        if (nbf_where_matches(where, nb_field_path(o->flat.cols[c])))
            col = (long)c;
    if (col < 0 || report_row == 0 || !formula_safe(where))
        return text_cell(s, D_CELL, where, NULL);
    char ref[32], target[64];
    xl_cell_ref(report_row, (lxw_col_t)(NBF_NID + (size_t)col), ref, sizeof ref);
    snprintf(target, sizeof target, "%s!%s", REPORTS_SHEET, ref);
    return link_formula(o, s, target, where);
}

lxw_error xl_write_diag(xl_out *o, const nb_report *r, lxw_row_t report_row, const char *source, const nb_diag *d)
{
    xl_sheet *s = nb_diag_severity(d) == NB_SEV_INFO ? &o->infos : &o->diags;
    if (s->row >= LXW_ROW_MAX)
        return LXW_NO_ERROR; /* the counts still show in the summary */
    lxw_error e = text_cell(s, D_SOURCE, source, NULL);
    if (!e)
        e = text_cell(s, D_MEMBER, xl_member_name(source), NULL);
    if (!e && r)
        e = text_cell(s, D_AGENCY, nb_report_agency(r), NULL);
    if (!e && r && nb_report_year(r))
        e = worksheet_write_number(s->ws, s->row, D_YEAR, nb_report_year(r), NULL);
    if (!e)
        e = text_cell(s, D_RULE, nb_diag_rule(d), NULL);
    if (!e)
        e = text_cell(s, D_SEVERITY, severity_label(d), o->sev_fmt[nb_diag_severity(d) <= NB_SEV_ERROR ? nb_diag_severity(d) : 0]);
    if (!e)
        e = cell_link(o, s, r ? report_row : 0, nb_diag_where(d));
    if (!e)
        e = number_or_text(s, D_EXPECTED, nb_diag_expected(d));
    if (!e)
        e = number_or_text(s, D_FOUND, nb_diag_found(d));
    if (!e)
        e = text_cell(s, D_MESSAGE, nb_diag_message(d), NULL);
    if (!e && nb_diag_skipped(d))
        e = text_cell(s, D_SKIPPED, "是", NULL);
    s->row++;
    return e;
}

lxw_error xl_write_failure(xl_out *o, const nb_failure *f)
{
    xl_sheet *s = &o->fails;
    if (s->row >= LXW_ROW_MAX)
        return LXW_NO_ERROR;
    lxw_error e = text_cell(s, F_SOURCE, nb_failure_source(f), NULL);
    if (!e)
        e = text_cell(s, F_MEMBER, xl_member_name(nb_failure_source(f)), NULL);
    if (!e)
        e = text_cell(s, F_OUTCOME, nb_failure_skipped(f) ? "跳过" : "失败",
                      nb_failure_skipped(f) ? NULL : o->sev_fmt[NB_SEV_ERROR]);
    if (!e)
        e = text_cell(s, F_REASON, nb_failure_reason(f), NULL);
    s->row++;
    return e;
}

static void close_sheet(xl_sheet *s)
{
    /* The message stays readable but bounded; the full source path gives
     * way to the member name beside it (it is still there, and filters). */
    if (s->widths.n && s->widths.w[0] > 34)
        s->widths.w[0] = 34;
    xl_widths_apply(&s->widths, s->ws, 0, 6, 60);
    worksheet_autofilter(s->ws, HEADER_ROWS - 1, 0, s->row > HEADER_ROWS ? s->row - 1 : HEADER_ROWS - 1,
                         (lxw_col_t)(s->ncols - 1));
    free(s->widths.w);
    s->widths.w = NULL;
}

void xl_findings_close(xl_out *o)
{
    close_sheet(&o->diags);
    close_sheet(&o->infos);
    close_sheet(&o->fails);
}
