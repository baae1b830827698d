/* cli_report.c - what the CLI says about one report: the -v line (reader,
 * encoding, template, counts) and the source line of a finding.  The model
 * is read through the ABI 2 accessors. */
#include "cli.h"
#include <string.h>

static const char *report_source(const nb_report *r)
{
    const char *p = nb_report_source_path(r);
    return p && *p ? p : "-";
}

/* Values read and values the report's tables define. */
static void report_values(const nb_report *r, size_t *have, size_t *of)
{
    *have = *of = 0;
    for (size_t t = 0; t < nb_report_table_count(r); t++) {
        const nb_table *tb = nb_report_table_at(r, t);
        if (!nb_table_found(tb))
            continue;
        *of += nb_table_cell_count(tb);
        for (size_t i = 0; i < nb_table_cell_count(tb); i++)
            *have += nb_cell_has_value(nb_table_cell_at(tb, i));
    }
}

/* 1-based line of the cell a finding names, 0 when it names a pattern
 * ('*'), a whole table, or a value that was not read from the text. */
int cli_diag_line(const nb_report *r, const nb_diag *d)
{
    const char *where = nb_diag_where(d);
    if (!where || !*where || strchr(where, '*'))
        return 0;
    return nb_cell_line(nb_report_cell_c(r, where));
}

void cli_report_verbose(const nb_report *r)
{
    size_t have, of;
    report_values(r, &have, &of);
    size_t ne = nb_report_count_diags(r, NB_SEV_ERROR), nw = nb_report_count_diags(r, NB_SEV_WARNING);
    char year[16] = "year ?";
    if (nb_report_year(r))
        snprintf(year, sizeof year, "%d", nb_report_year(r));
    const char *format = nb_report_source_format(r), *encoding = nb_report_source_encoding(r);
    const char *template_id = nb_report_template_id(r), *agency = nb_report_agency(r);
    cli_errorf("%s: reader %s, encoding %s, template %s, %s %s; %zu of %zu values, %zu error%s, %zu warning%s",
               report_source(r), format ? format : "?", encoding ? encoding : "?",
               template_id ? template_id : "unknown", year, agency ? agency : "(agency unknown)", have, of, ne,
               ne == 1 ? "" : "s", nw,
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
