/* cli_report.c - what the CLI says about one report: the -v line (reader,
 * encoding, template, counts) and the source line of a finding.  Every read
 * of the report model sits in the small functions at the top, so moving to
 * the model's accessors touches only them. */
#include "cli.h"
#include <string.h>

static const char *report_source(const nb_report *r)
{
    return r->source.path && *r->source.path ? r->source.path : "-";
}

/* Values read and values the report's tables define. */
static void report_values(const nb_report *r, size_t *have, size_t *of)
{
    *have = *of = 0;
    for (size_t t = 0; t < r->ntables; t++) {
        const nb_table *tb = &r->tables[t];
        if (!tb->def)
            continue;
        *of += tb->def->nfields;
        for (size_t i = 0; i < tb->def->nfields; i++)
            *have += tb->cells[i].has_value;
    }
}

/* 1-based line of the cell a finding names, 0 when it names a pattern
 * ('*'), a whole table, or a value that was not read from the text. */
int cli_diag_line(const nb_report *r, const nb_diag *d)
{
    if (!d->where || !*d->where || strchr(d->where, '*'))
        return 0;
    const nb_cell *c = nb_report_cell_c(r, d->where);
    return c ? c->line : 0;
}

void cli_report_verbose(const nb_report *r)
{
    size_t have, of;
    report_values(r, &have, &of);
    size_t ne = nb_report_count_diags(r, NB_SEV_ERROR), nw = nb_report_count_diags(r, NB_SEV_WARNING);
    char year[16] = "year ?";
    if (r->year)
        snprintf(year, sizeof year, "%d", r->year);
    cli_errorf("%s: reader %s, encoding %s, template %s, %s %s; %zu of %zu values, %zu error%s, %zu warning%s",
               report_source(r), r->source.format ? r->source.format : "?",
               r->source.encoding ? r->source.encoding : "?", r->template_id ? r->template_id : "unknown", year,
               r->agency ? r->agency : "(agency unknown)", have, of, ne, ne == 1 ? "" : "s", nw,
               nw == 1 ? "" : "s");
}

void cli_diag_location(const nb_report *r, const nb_diag *d, char *buf, size_t len)
{
    int line = r ? cli_diag_line(r, d) : 0;
    const char *src = r ? report_source(r) : "-";
    if (line > 0)
        snprintf(buf, len, "%s:%d", src, line);
    else
        snprintf(buf, len, "%s", src);
}

const char *cli_report_source(const nb_report *r) { return report_source(r); }

void cli_on_report(void *ctx, const nb_report *r)
{
    const cli_common *co = ctx;
    if (co->verbose)
        cli_report_verbose(r);
}
