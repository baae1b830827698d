/* html_report.c - one report on the findings page: a collapsible block
 * with its tables laid out as printed (rows x columns, labels from the
 * template) and the cells a check flagged marked, plus what the page keeps
 * of it (overview row, per-year totals, findings by rule).  Every read of
 * the report model is in this file. */
#include <stdlib.h>
#include <string.h>

#include "flat.h"
#include "html.h"

static const char *severity_class(nb_severity s) { return s == NB_SEV_ERROR ? "err" : "warn"; }

/* The worst finding that covers a value, NULL when none. */
static const nb_diag *flag_of(const nb_report *r, const char *path)
{
    const nb_diag *worst = NULL;
    for (size_t i = 0; i < r->ndiags; i++) {
        const nb_diag *d = &r->diags[i];
        if (d->severity == NB_SEV_INFO || d->skipped || !d->where || !nbf_where_matches(d->where, path))
            continue;
        if (!worst || d->severity > worst->severity)
            worst = d;
    }
    return worst;
}

static const char *status_class(const nb_cell *c)
{
    switch (c->status) {
    case NB_CELL_BLANK:
    case NB_CELL_NA: return " b";
    case NB_CELL_INFERRED:
    case NB_CELL_DERIVED: return " i";
    case NB_CELL_MISSING:
    case NB_CELL_AMBIGUOUS: return " m";
    default: return c->has_value ? "" : " m";
    }
}

static void write_cell(FILE *f, const nb_report *r, const nb_field_def *fd, const nb_cell *c)
{
    char buf[64];
    const nb_diag *d = flag_of(r, fd->path);
    fputs("<td data-key=\"", f);
    html_esc(f, fd->path);
    fprintf(f, "\" class=\"v%s%s%s\"", status_class(c), d ? " " : "", d ? severity_class(d->severity) : "");
    if (d) {
        fputs(" title=\"", f);
        html_esc(f, d->message);
        fputc('"', f);
    }
    fputc('>', f);
    html_esc(f, nbf_value(fd, c, buf, sizeof buf));
    fputs("</td>", f);
}

/* The table as printed: one line per template row, one column per column. */
static bool write_table(FILE *f, const nb_report *r, const nb_table *tb)
{
    const nb_table_def *def = tb->def;
    long *at = malloc((def->nrows * def->ncols + 1) * sizeof *at);
    if (!at)
        return false;
    for (size_t i = 0; i < def->nrows * def->ncols; i++)
        at[i] = -1;
    for (size_t i = 0; i < def->nfields; i++)
        at[def->fields[i].row * def->ncols + def->fields[i].col] = (long)i;
    fputs("<table class=\"grid\" data-table=\"", f);
    html_esc(f, def->name);
    fputs("\"><caption>", f);
    html_esc(f, def->title ? def->title : def->name);
    fputs("</caption><thead><tr><th></th>", f);
    for (size_t c = 0; c < def->ncols; c++) {
        fputs("<th>", f);
        html_esc(f, def->cols[c].labels.n ? def->cols[c].labels.v[0] : def->cols[c].key);
        fputs("</th>", f);
    }
    fputs("</tr></thead><tbody>\n", f);
    for (size_t row = 0; row < def->nrows; row++) {
        fputs("<tr><th>", f);
        html_esc(f, def->rows[row].labels.n ? def->rows[row].labels.v[0] : def->rows[row].key);
        fputs("</th>", f);
        for (size_t c = 0; c < def->ncols; c++) {
            long i = at[row * def->ncols + c];
            if (i < 0)
                fputs("<td></td>", f);
            else
                write_cell(f, r, &def->fields[i], &tb->cells[i]);
        }
        fputs("</tr>\n", f);
    }
    fputs("</tbody></table>\n", f);
    free(at);
    return true;
}

static double value_of(const nb_report *r, const char *path)
{
    const nb_cell *c = nb_report_cell_c(r, path);
    return c && c->has_value ? nb_num_to_double(c->num) : 0;
}

static bool keep_totals(html_out *h, const nb_report *r)
{
    html_year *y = html_year_for(h, r->year);
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
    html_rule *rule = html_rule_for(h, d->rule);
    if (!rule)
        return false;
    rule->count++;
    if ((int)d->severity > rule->severity)
        rule->severity = (int)d->severity;
    hb_addf(&rule->items, "<li class=\"%s\">", severity_class(d->severity));
    if (anchor)
        hb_addf(&rule->items, "<a href=\"#%s\">", anchor);
    hb_esc(&rule->items, who);
    hb_add(&rule->items, anchor ? "</a>: " : ": ");
    hb_esc(&rule->items, d->message);
    hb_add(&rule->items, "</li>\n");
    return !rule->items.oom;
}

static void overview_row(html_out *h, const char *anchor, const nb_report *r, size_t ne, size_t nw)
{
    hbuf *b = &h->overview;
    hb_addf(b, "<tr class=\"%s\"><td><a href=\"#%s\">", ne ? "err" : nw ? "warn" : "", anchor);
    hb_esc(b, r->agency ? r->agency : "（机关不明）");
    hb_addf(b, "</a></td><td>%d</td><td>", r->year);
    hb_esc(b, r->template_id ? r->template_id : "unknown");
    hb_addf(b, "</td><td class=\"n\">%zu</td><td class=\"n\">%zu</td><td class=\"n\">%.15g</td><td class=\"src\">", ne,
            nw, value_of(r, html_received_path));
    hb_esc(b, r->source.path);
    hb_add(b, "</td></tr>\n");
}

bool html_report(html_out *h, const nb_report *r)
{
    FILE *f = h->fp;
    char anchor[32], who[512];
    snprintf(anchor, sizeof anchor, "r%zu", ++h->nreports);
    snprintf(who, sizeof who, "%s %d", r->agency ? r->agency : "（机关不明）", r->year);
    size_t ne = nb_report_count_diags(r, NB_SEV_ERROR), nw = nb_report_count_diags(r, NB_SEV_WARNING);
    fprintf(f, "<details class=\"report\" id=\"%s\" data-source=\"", anchor);
    html_esc(f, r->source.path);
    fprintf(f, "\"%s><summary><b>", ne ? " open" : "");
    html_esc(f, who);
    fprintf(f, "</b> %s · <span class=\"%s\">%zu 错误</span> · <span class=\"%s\">%zu 警告</span> <span class=\"src\">",
            r->template_id ? r->template_id : "unknown", ne ? "err" : "", ne, nw ? "warn" : "", nw);
    html_esc(f, r->source.path);
    fputs("</span></summary>\n", f);
    bool ok = true;
    for (size_t t = 0; t < r->ntables && ok; t++)
        if (r->tables[t].def)
            ok = write_table(f, r, &r->tables[t]);
    fputs("</details>\n", f);
    overview_row(h, anchor, r, ne, nw);
    ok = ok && keep_totals(h, r) && !h->overview.oom;
    for (size_t i = 0; i < r->ndiags && ok; i++)
        if (r->diags[i].severity != NB_SEV_INFO && !r->diags[i].skipped)
            ok = keep_finding(h, anchor, who, &r->diags[i]);
    return ok;
}

bool html_run_diag(html_out *h, const char *source, const nb_diag *d)
{
    if (d->severity == NB_SEV_INFO || d->skipped)
        return true;
    return keep_finding(h, NULL, source ? source : "", d);
}
