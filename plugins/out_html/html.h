/* html.h - the `html` output: one self-contained findings page (inline CSS
 * and SVG, no script, no network), for people who would rather look than
 * read.  Files: out_html.c (callbacks, page skeleton, style), html_report.c
 * (one report's tables with flagged cells; every read of the report model),
 * html_stats.c (what is kept across reports: per-year totals, findings by
 * rule, failures), html_charts.c (the SVG charts), html_text.c (escaping).
 *
 * Memory stays flat in the number of values: each report's tables are
 * written as the report arrives; only per-year totals, one line per report
 * for the overview, the findings and the failures are kept for the end.
 * The page shows the summary first anyway: the body is a flex column and
 * the sections written at the end carry a lower CSS `order`. */
#ifndef NB_HTML_H
#define NB_HTML_H

#include <stdbool.h>
#include <stdio.h>
#include "nianbao/plugin.h"

#define PLUGIN_NAME "html"
#define HTML_NOUTCOMES 6

/* A growable string. */
typedef struct hbuf {
    char *s;
    size_t len, cap;
    bool oom;
} hbuf;

void hb_add(hbuf *b, const char *s);
void hb_addf(hbuf *b, const char *fmt, ...) NB_PRINTF(2, 3);
void hb_esc(hbuf *b, const char *s);   /* HTML-escaped */
void hb_free(hbuf *b);
void html_esc(FILE *f, const char *s);

/* Totals of one year (charts). */
typedef struct html_year {
    int year;
    double received;
    double outcome[HTML_NOUTCOMES];
    size_t reports;
} html_year;

/* One rule's findings: the reports that break it. */
typedef struct html_rule {
    char *rule;
    int severity;            /* the worst seen */
    size_t count;
    hbuf items;              /* <li> lines */
} html_rule;

typedef struct html_out {
    const nb_host *host;
    FILE *fp;
    size_t nreports;
    html_year *years; size_t nyears, capyears;
    html_rule *rules; size_t nrules, caprules;
    hbuf overview;           /* one <tr> per report */
    hbuf failures;           /* one <tr> per skipped or failed input */
    size_t nfailures;
} html_out;

/* html_report.c: the report's block (written to f) and its overview row,
 * findings and totals (kept in h). */
bool html_report(html_out *h, const nb_report *r);
/* A run-level finding (cross-year check), kept under its rule. */
bool html_run_diag(html_out *h, const char *source, const nb_diag *d);

/* html_stats.c */
html_year *html_year_for(html_out *h, int year);
html_rule *html_rule_for(html_out *h, const char *rule);
extern const char *const html_outcome_paths[HTML_NOUTCOMES];
extern const char *const html_received_path;
/* The row label of a key path from the templates ("（一）予以公开"). */
const char *html_row_label(const html_out *h, const char *path, char *buf, size_t len);
void html_stats_free(html_out *h);

/* html_charts.c: inline SVG. */
void html_chart_received(FILE *f, const html_out *h);
void html_chart_outcomes(FILE *f, const html_out *h);
void html_chart_rules(FILE *f, const html_out *h);

#endif
