/* html_report.c - one report on the findings page: a collapsible block
 * with its tables laid out as printed (a line per template row, its values
 * under column headings from the template's labels) and the cells a check
 * flagged marked, plus what the page keeps of it (overview row, per-year
 * totals, findings by rule).  The model is read through the ABI 2
 * accessors only. */
#include <stdlib.h>
#include <string.h>

#include "flat.h"
#include "html.h"

static const char *severity_class(nb_severity s) { return s == NB_SEV_ERROR ? "err" : "warn"; }

static const char *agency_of(const nb_report *r)
{
    const char *a = nb_report_agency(r);
    return a && *a ? a : "（机关不明）";
}

static const char *source_of(const nb_report *r)
{
    const char *s = nb_report_source_path(r);
    return s ? s : "-";
}

/* The worst finding that covers a value, NULL when none. */
static const nb_diag *flag_of(const nb_report *r, const char *path)
{
    const nb_diag *worst = NULL;
    for (size_t i = 0; i < nb_report_diag_count(r); i++) {
        const nb_diag *d = nb_report_diag_at(r, i);
        const char *where = nb_diag_where(d);
        if (nb_diag_severity(d) == NB_SEV_INFO || nb_diag_skipped(d) || !where || !nbf_where_matches(where, path))
            continue;
        if (!worst || nb_diag_severity(d) > nb_diag_severity(worst))
            worst = d;
    }
    return worst;
}

static const char *status_class(const nb_cell *c)
{
    switch (nb_cell_get_status(c)) {
    case NB_CELL_BLANK:
    case NB_CELL_NA: return " b";
    case NB_CELL_INFERRED:
    case NB_CELL_DERIVED: return " i";
    case NB_CELL_MISSING:
    case NB_CELL_AMBIGUOUS: return " m";
    default: return nb_cell_has_value(c) ? "" : " m";
    }
}

/* Exact text of a value: the decimal as stored, the unit string for unit
 * fields, "" for null. */
static const char *value_text(const nb_field_def *fd, const nb_cell *c, char *buf, size_t len)
{
    nb_num n;
    buf[0] = '\0';
    if (nb_field_type(fd) == NB_TYPE_UNIT) {
        const char *u = nb_cell_unit(c);
        return u ? u : buf;
    }
    if (nb_cell_get_num(c, &n))
        nb_num_format(n, buf, len);
    return buf;
}

/* The column part of a field's label path ("（三）不予公开/自然人" gives "自然人"). */
static const char *column_label(const nb_field_def *fd)
{
    const char *l = nb_field_label(fd);
    const char *slash = l ? strrchr(l, '/') : NULL;
    return slash ? slash + 1 : l ? l : nb_field_path(fd);
}

static void write_cell(FILE *f, const nb_report *r, const nb_field_def *fd, const nb_cell *c)
{
    char buf[64];
    const nb_diag *d = flag_of(r, nb_field_path(fd));
    fputs("<td data-key=\"", f);
    html_esc(f, nb_field_path(fd));
    fprintf(f, "\" class=\"v%s%s%s\"", status_class(c), d ? " " : "", d ? severity_class(nb_diag_severity(d)) : "");
    if (d) {
        fputs(" title=\"", f);
        html_esc(f, nb_diag_message(d));
        fputc('"', f);
    }
    fputc('>', f);
    html_esc(f, value_text(fd, c, buf, sizeof buf));
    fputs("</td>", f);
}

/* Whether two rows have the same column headings (so one header serves both). */
static bool same_columns(const nb_row *a, const nb_row *b)
{
    if (!a || nb_row_cell_count(a) != nb_row_cell_count(b))
        return false;
    for (size_t i = 0; i < nb_row_cell_count(a); i++)
        if (strcmp(column_label(nb_row_field_at(a, i)), column_label(nb_row_field_at(b, i))) != 0)
            return false;
    return true;
}

static void heading_row(FILE *f, const nb_row *row)
{
    fputs("<tr class=\"h\"><th></th>", f);
    for (size_t i = 0; i < nb_row_cell_count(row); i++) {
        fputs("<th>", f);
        html_esc(f, column_label(nb_row_field_at(row, i)));
        fputs("</th>", f);
    }
    fputs("</tr>\n", f);
}

/* The table as printed: a heading line wherever the columns change (the
 * blocks of the first table), then one line per template row. */
static void write_table(FILE *f, const nb_report *r, const nb_table *tb)
{
    const nb_table_def *def = nb_table_definition(tb);
    fputs("<table class=\"grid\" data-table=\"", f);
    html_esc(f, nb_table_name(tb));
    fputs("\"><caption>", f);
    html_esc(f, nb_table_def_title(def) ? nb_table_def_title(def) : nb_table_name(tb));
    fputs("</caption><tbody>\n", f);
    const nb_row *prev = NULL;
    for (size_t i = 0; i < nb_table_row_count(tb); i++) {
        const nb_row *row = nb_table_row_at(tb, i);
        if (!nb_row_cell_count(row))
            continue;
        if (!same_columns(prev, row))
            heading_row(f, row);
        prev = row;
        fputs("<tr><th>", f);
        html_esc(f, nb_row_label(row) ? nb_row_label(row) : nb_row_key(row));
        fputs("</th>", f);
        for (size_t c = 0; c < nb_row_cell_count(row); c++)
            write_cell(f, r, nb_row_field_at(row, c), nb_row_cell_at(row, c));
        fputs("</tr>\n", f);
    }
    fputs("</tbody></table>\n", f);
}

static double value_of(const nb_report *r, const char *path)
{
    nb_num n;
    return nb_report_get_num(r, path, &n) ? nb_num_to_double(n) : 0;
}

static bool keep_totals(html_out *h, const nb_report *r)
{
    html_year *y = html_year_for(h, nb_report_year(r));
    if (!y)
        return false;
    y->reports++;
    y->received += value_of(r, html_received_path);
    for (size_t i = 0; i < HTML_NOUTCOMES; i++)
        y->outcome[i] += value_of(r, html_outcome_paths[i]);
    return true;
}

static bool keep_finding(html_out *h, const char *anchor, const char *who, const nb_diag *d)
{
    html_rule *rule = html_rule_for(h, nb_diag_rule(d));
    if (!rule)
        return false;
    rule->count++;
    if ((int)nb_diag_severity(d) > rule->severity)
        rule->severity = (int)nb_diag_severity(d);
    hb_addf(&rule->items, "<li class=\"%s\">", severity_class(nb_diag_severity(d)));
    if (anchor)
        hb_addf(&rule->items, "<a href=\"#%s\">", anchor);
    hb_esc(&rule->items, who);
    hb_add(&rule->items, anchor ? "</a>: " : ": ");
    hb_esc(&rule->items, nb_diag_message(d));
    hb_add(&rule->items, "</li>\n");
    return !rule->items.oom;
}

static void overview_row(html_out *h, const char *anchor, const nb_report *r, size_t ne, size_t nw)
{
    hbuf *b = &h->overview;
    hb_addf(b, "<tr class=\"%s\"><td><a href=\"#%s\">", ne ? "err" : nw ? "warn" : "", anchor);
    hb_esc(b, agency_of(r));
    hb_addf(b, "</a></td><td>%d</td><td>", nb_report_year(r));
    hb_esc(b, nb_report_template_id(r) ? nb_report_template_id(r) : "unknown");
    hb_addf(b, "</td><td class=\"n\">%zu</td><td class=\"n\">%zu</td><td class=\"n\">%.15g</td><td class=\"src\">", ne,
            nw, value_of(r, html_received_path));
    hb_esc(b, source_of(r));
    hb_add(b, "</td></tr>\n");
}

bool html_report(html_out *h, const nb_report *r)
{
    FILE *f = h->fp;
    char anchor[32], who[512];
    snprintf(anchor, sizeof anchor, "r%zu", ++h->nreports);
    snprintf(who, sizeof who, "%s %d", agency_of(r), nb_report_year(r));
    size_t ne = nb_report_count_diags(r, NB_SEV_ERROR), nw = nb_report_count_diags(r, NB_SEV_WARNING);
    fprintf(f, "<details class=\"report\" id=\"%s\" data-source=\"", anchor);
    html_esc(f, source_of(r));
    fprintf(f, "\"%s><summary><b>", ne ? " open" : "");
    html_esc(f, who);
    fputs("</b> ", f);
    html_esc(f, nb_report_template_id(r) ? nb_report_template_id(r) : "unknown");
    fprintf(f, " · <span class=\"%s\">%zu 错误</span> · <span class=\"%s\">%zu 警告</span> <span class=\"src\">",
            ne ? "err" : "", ne, nw ? "warn" : "", nw);
    html_esc(f, source_of(r));
    fputs("</span></summary>\n", f);
    for (size_t t = 0; t < nb_report_table_count(r); t++)
        if (nb_table_found(nb_report_table_at(r, t)))
            write_table(f, r, nb_report_table_at(r, t));
    fputs("</details>\n", f);
    overview_row(h, anchor, r, ne, nw);
    bool ok = keep_totals(h, r) && !h->overview.oom;
    for (size_t i = 0; i < nb_report_diag_count(r) && ok; i++) {
        const nb_diag *d = nb_report_diag_at(r, i);
        if (nb_diag_severity(d) != NB_SEV_INFO && !nb_diag_skipped(d))
            ok = keep_finding(h, anchor, who, d);
    }
    return ok;
}

bool html_run_diag(html_out *h, const char *source, const nb_diag *d)
{
    if (nb_diag_severity(d) == NB_SEV_INFO || nb_diag_skipped(d))
        return true;
    return keep_finding(h, NULL, source ? source : "", d);
}
