/* html_stats.c - what the findings page keeps across reports: totals per
 * year for the charts and the findings grouped by rule.  The rows are
 * named by key path (report-model.md's contract); their labels come from
 * the templates. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "html.h"

const char *const html_received_path = "requests.new_received.total";
const char *const html_outcome_paths[HTML_NOUTCOMES] = {
    "requests.granted.total",              "requests.partially_granted.total",
    "requests.withheld.subtotal.total",    "requests.unavailable.subtotal.total",
    "requests.not_processed.subtotal.total", "requests.other_handling.subtotal.total"};

html_year *html_year_for(html_out *h, int year)
{
    for (size_t i = 0; i < h->nyears; i++)
        if (h->years[i].year == year)
            return &h->years[i];
    if (h->nyears == h->capyears) {
        size_t cap = h->capyears ? h->capyears * 2 : 8;
        html_year *v = realloc(h->years, cap * sizeof *v);
        if (!v)
            return NULL;
        h->years = v;
        h->capyears = cap;
    }
    html_year *y = &h->years[h->nyears++];
    memset(y, 0, sizeof *y);
    y->year = year;
    return y;
}

html_rule *html_rule_for(html_out *h, const char *rule)
{
    const char *name = rule && *rule ? rule : "?";
    for (size_t i = 0; i < h->nrules; i++)
        if (strcmp(h->rules[i].rule, name) == 0)
            return &h->rules[i];
    if (h->nrules == h->caprules) {
        size_t cap = h->caprules ? h->caprules * 2 : 16;
        html_rule *v = realloc(h->rules, cap * sizeof *v);
        if (!v)
            return NULL;
        h->rules = v;
        h->caprules = cap;
    }
    html_rule *r = &h->rules[h->nrules];
    memset(r, 0, sizeof *r);
    r->rule = strdup(name);
    if (!r->rule)
        return NULL;
    h->nrules++;
    return r;
}

const char *html_row_label(const html_out *h, const char *path, char *buf, size_t len)
{
    const nb_field_def **cols;
    size_t n = nb_templates_columns(nb_host_templates(h->host), &cols);
    snprintf(buf, len, "%s", path);
    for (size_t i = 0; i < n; i++)
        if (strcmp(nb_field_path(cols[i]), path) == 0 && nb_field_label(cols[i])) {
            snprintf(buf, len, "%s", nb_field_label(cols[i]));
            char *slash = strrchr(buf, '/'); /* "（一）予以公开/总计": the row */
            if (slash && slash != buf)
                *slash = '\0';
            break;
        }
    return buf;
}

void html_stats_free(html_out *h)
{
    for (size_t i = 0; i < h->nrules; i++) {
        free(h->rules[i].rule);
        hb_free(&h->rules[i].items);
    }
    free(h->rules);
    free(h->years);
    h->rules = NULL;
    h->years = NULL;
    h->nrules = h->nyears = 0;
}
