/* html_charts.c - the findings page's charts as inline SVG: requests
 * received by year, outcome shares by year, the most frequent rule breaks.
 * Plain shapes and text with their numbers written on them, so they read
 * without a legend lookup and print as they show. */
#include <stdlib.h>
#include <string.h>

#include "html.h"

static const char *const outcome_colours[HTML_NOUTCOMES] = {"#2e7d32", "#81c784", "#c62828",
                                                            "#f9a825", "#8d6e63", "#90a4ae"};

static int cmp_year(const void *a, const void *b)
{
    const html_year *x = a, *y = b;
    return (x->year > y->year) - (x->year < y->year);
}

/* The years in order, unknown (0) first, in a copy the caller frees. */
static html_year *sorted_years(const html_out *h)
{
    html_year *v = malloc((h->nyears ? h->nyears : 1) * sizeof *v);
    if (v && h->nyears) {
        memcpy(v, h->years, h->nyears * sizeof *v);
        qsort(v, h->nyears, sizeof *v, cmp_year);
    }
    return v;
}

static void year_label(FILE *f, int year)
{
    if (year)
        fprintf(f, "%d", year);
    else
        fputs("年度不明", f);
}

void html_chart_received(FILE *f, const html_out *h)
{
    html_year *ys = sorted_years(h);
    if (!ys || !h->nyears) {
        free(ys);
        return;
    }
    double max = 1;
    for (size_t i = 0; i < h->nyears; i++)
        max = ys[i].received > max ? ys[i].received : max;
    const double W = 640, H = 260, top = 30, bottom = 40, slot = (W - 40) / (double)h->nyears;
    double bw = slot * 0.6 > 90 ? 90 : slot * 0.6;
    fprintf(f, "<svg class=\"chart\" id=\"chart-received\" viewBox=\"0 0 %.0f %.0f\" role=\"img\">"
               "<title>本年新收申请（按年度）</title>\n", W, H);
    fprintf(f, "<line x1=\"20\" y1=\"%.1f\" x2=\"%.0f\" y2=\"%.1f\" class=\"axis\"/>\n", H - bottom, W - 20, H - bottom);
    for (size_t i = 0; i < h->nyears; i++) {
        double bh = (H - top - bottom) * ys[i].received / max, x = 20 + slot * (double)i + (slot - bw) / 2;
        fprintf(f, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"#1565c0\" data-year=\"%d\" "
                   "data-value=\"%.15g\"/>\n", x, H - bottom - bh, bw, bh, ys[i].year, ys[i].received);
        fprintf(f, "<text x=\"%.1f\" y=\"%.1f\" class=\"lbl\">%.15g</text>", x + bw / 2, H - bottom - bh - 6,
                ys[i].received);
        fprintf(f, "<text x=\"%.1f\" y=\"%.1f\" class=\"lbl\">", x + bw / 2, H - bottom + 18);
        year_label(f, ys[i].year);
        fprintf(f, "（%zu 份）</text>\n", ys[i].reports);
    }
    fputs("</svg>\n", f);
    free(ys);
}

void html_chart_outcomes(FILE *f, const html_out *h)
{
    html_year *ys = sorted_years(h);
    if (!ys || !h->nyears) {
        free(ys);
        return;
    }
    const double W = 640, row = 34, left = 80, legend = 22 * HTML_NOUTCOMES + 10;
    double H = row * (double)h->nyears + legend + 10;
    fprintf(f, "<svg class=\"chart\" id=\"chart-outcomes\" viewBox=\"0 0 %.0f %.0f\" role=\"img\">"
               "<title>办理结果占比（按年度）</title>\n", W, H);
    for (size_t i = 0; i < h->nyears; i++) {
        double all = 0, x = left, y = 10 + row * (double)i;
        for (size_t k = 0; k < HTML_NOUTCOMES; k++)
            all += ys[i].outcome[k];
        fprintf(f, "<text x=\"%.0f\" y=\"%.1f\" class=\"lbl end\">", left - 8, y + 18);
        year_label(f, ys[i].year);
        fputs("</text>\n", f);
        for (size_t k = 0; k < HTML_NOUTCOMES && all > 0; k++) {
            double w = (W - left - 20) * ys[i].outcome[k] / all;
            fprintf(f, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"24\" fill=\"%s\"/>", x, y, w,
                    outcome_colours[k]);
            if (w > 34)
                fprintf(f, "<text x=\"%.1f\" y=\"%.1f\" class=\"lbl in\">%.0f%%</text>", x + w / 2, y + 17,
                        100 * ys[i].outcome[k] / all);
            x += w;
        }
        fputc('\n', f);
    }
    char label[256];
    for (size_t k = 0; k < HTML_NOUTCOMES; k++) {
        /* one per line: the template's labels are long ("（二）部分公开（区分处理的…）") */
        double x = left, y = row * (double)h->nyears + 16 + (double)k * 22;
        fprintf(f, "<rect x=\"%.0f\" y=\"%.0f\" width=\"14\" height=\"14\" fill=\"%s\"/><text x=\"%.0f\" y=\"%.0f\" "
                   "class=\"leg\">", x, y, outcome_colours[k], x + 20, y + 12);
        html_esc(f, html_row_label(h, html_outcome_paths[k], label, sizeof label));
        fputs("</text>\n", f);
    }
    fputs("</svg>\n", f);
    free(ys);
}

static int cmp_rule(const void *a, const void *b)
{
    const html_rule *x = *(html_rule *const *)a, *y = *(html_rule *const *)b;
    if (x->count != y->count)
        return x->count < y->count ? 1 : -1;
    return strcmp(x->rule, y->rule);
}

void html_chart_rules(FILE *f, const html_out *h)
{
    if (!h->nrules)
        return;
    const html_rule **v = malloc(h->nrules * sizeof *v);
    if (!v)
        return;
    for (size_t i = 0; i < h->nrules; i++)
        v[i] = &h->rules[i];
    qsort(v, h->nrules, sizeof *v, cmp_rule);
    size_t n = h->nrules < 10 ? h->nrules : 10;
    const double W = 640, row = 26, left = 200;
    fprintf(f, "<svg class=\"chart\" id=\"chart-rules\" viewBox=\"0 0 %.0f %.0f\" role=\"img\">"
               "<title>最常见的问题（规则）</title>\n", W, row * (double)n + 10);
    for (size_t i = 0; i < n; i++) {
        double w = (W - left - 60) * (double)v[i]->count / (double)v[0]->count, y = 5 + row * (double)i;
        fputs("<a href=\"#rule-", f);
        html_esc(f, v[i]->rule);
        fprintf(f, "\"><text x=\"%.0f\" y=\"%.1f\" class=\"lbl end\">", left - 8, y + 15);
        html_esc(f, v[i]->rule);
        fprintf(f, "</text></a><rect x=\"%.0f\" y=\"%.1f\" width=\"%.1f\" height=\"18\" fill=\"%s\"/>"
                   "<text x=\"%.1f\" y=\"%.1f\" class=\"lbl start\">%zu</text>\n",
                left, y, w, v[i]->severity == NB_SEV_ERROR ? "#c62828" : "#f9a825", left + w + 6, y + 15,
                v[i]->count);
    }
    fputs("</svg>\n", f);
    free(v);
}
