/* cmd_formats.c - `nianbao formats [--columns]`: the templates as loaded. */
#include "cli.h"
#include <string.h>

static const char usage_text[] =
    "usage: nianbao formats [--columns] [--formats DIR]\n"
    "Lists the report templates; --columns prints the flat key paths (CSV/XLSX columns).\n";

int cmd_formats(int argc, char **argv)
{
    cli_common co = {.progress = 0};
    bool columns = false;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--columns") == 0)
            columns = true;
        else if (strcmp(argv[i], "--formats") == 0 && i + 1 < argc)
            co.formats_path = argv[++i];
        else if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0) {
            fputs(usage_text, stdout);
            return EXIT_OK;
        } else {
            static const char *const known[] = {"--columns", "--formats", "--help"};
            cli_usage_error("formats", cli_suggest(argv[i], known, 3), "formats: unexpected argument \"%s\"",
                            argv[i]);
            return EXIT_USAGE;
        }
    }
    int rc = EXIT_OK;
    nb_context *ctx = cli_context(&co, &rc);
    if (!ctx)
        return rc;
    const nb_templates *t = nb_context_templates(ctx);
    if (columns) {
        const nb_field_def **cols;
        size_t n = nb_templates_columns(t, &cols);
        for (size_t i = 0; i < n; i++)
            printf("%s\t%s\n", cols[i]->path, cols[i]->label);
    } else {
        for (size_t i = 0; i < nb_templates_count(t); i++) {
            const nb_template *tp = nb_templates_get(t, i);
            printf("%s  years %d-%d  %s\n  file: %s\n", tp->id, tp->year_from, tp->year_to,
                   tp->name ? tp->name : "", tp->path);
            for (size_t k = 0; k < tp->ntables; k++)
                printf("  %-10s %zu rows, %zu values\n", tp->tables[k].name, tp->tables[k].nrows,
                       tp->tables[k].nfields);
        }
        printf("rules: %zu\n", nb_ruleset_count(nb_context_rules(ctx)));
    }
    nb_context_free(ctx);
    return rc;
}
