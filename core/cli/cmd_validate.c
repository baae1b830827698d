/* cmd_validate.c - `nianbao validate`: runs the rules on every input and
 * reports the findings, per file for people or as one JSON document. */
#include "cli.h"
#include <getopt.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

typedef struct validate_opts {
    cli_common co;
    nb_run_config run;
    bool json, all;
    const char **in_opts; /* -I, NULL-terminated */
    size_t nin_opts;
    json_t *reports, *failures; /* --json: collected until the end */
    size_t infos;
} validate_opts;

static void validate_usage(FILE *f)
{
    fputs("usage: nianbao validate [OPTIONS] [INPUT...]\n\n"
          "Reads reports (files, folders, archives; none or '-' = stdin), checks every\n"
          "勾稽关系 and text-versus-table rule (formats/rules), and prints the findings\n"
          "per file, then a summary.  Nothing is converted.\n\n"
          "  -f, --from FMT         input format (default: from the extension, then content)\n"
          "  -I, --input-option PLUGIN.KEY=VAL   input plugin option (archive.name_charset=BIG5)\n"
          "      --json             one JSON document on stdout instead of text\n"
          "  -a, --all              also print info findings and rules skipped for missing values\n"
          "  -j, --jobs N           threads, the reading one included\n"
          "                         (default: the CPUs this process may use)\n"
          "      --isolate[=SECONDS]   read each input in a child process: a reader that\n"
          "                         crashes or stalls (no progress for 300 s) fails that\n"
          "                         input or archive member, and the run goes on\n"
          "  -q, --quiet            only the findings: no progress, no summary\n"
          "  -v, --verbose          one line per report: reader, encoding, template, counts\n"
          "      --progress, --no-progress   force progress on stderr on/off\n"
          "      --formats DIR      template/rule root (default: built-in)\n"
          "      --plugin-dir DIR   also load plugins from DIR\n"
          "  -h, --help\n\n"
          "Exit: 0 no errors, 1 errors found, 2 usage, 65 some input unreadable,\n"
          "66 input missing, 69 plugin problem, 74 I/O error, 78 bad rule file.\n",
          f);
}

enum { OPT_JSON = 256, OPT_ISOLATE, OPT_PROG, OPT_NOPROG, OPT_FORMATS, OPT_PLUGDIR };

static const struct option long_opts[] = {
    {"from", required_argument, 0, 'f'},          {"json", no_argument, 0, OPT_JSON},
    {"input-option", required_argument, 0, 'I'},
    {"all", no_argument, 0, 'a'},                 {"quiet", no_argument, 0, 'q'},
    {"verbose", no_argument, 0, 'v'},
    {"jobs", required_argument, 0, 'j'},
    {"isolate", optional_argument, 0, OPT_ISOLATE},
    {"progress", no_argument, 0, OPT_PROG},       {"no-progress", no_argument, 0, OPT_NOPROG},
    {"formats", required_argument, 0, OPT_FORMATS}, {"plugin-dir", required_argument, 0, OPT_PLUGDIR},
    {"help", no_argument, 0, 'h'},                {0, 0, 0, 0}};

/* Returns -1 to go on, else an exit code. */
static int parse_args(int argc, char **argv, validate_opts *o)
{
    o->co.progress = -1;
    o->run.validate = true;
    int c;
    optind = 1;
    opterr = 0; /* cli_bad_option says it in one line, with a suggestion */
    while ((c = getopt_long(argc, argv, ":f:I:aj:qvh", long_opts, NULL)) != -1) {
        switch (c) {
        case 'f': o->run.from = optarg; break;
        case 'I':
            if (!cli_add_opt(&o->in_opts, &o->nin_opts, optarg))
                return EXIT_INTERNAL;
            break;
        case 'a': o->all = true; break;
        case 'q': o->co.quiet = true; break;
        case 'v': o->co.verbose = true; break;
        case 'j':
            if ((o->co.jobs = cli_parse_jobs("validate", optarg)) < 1)
                return EXIT_USAGE;
            break;
        case OPT_JSON: o->json = true; break;
        case OPT_PROG: o->co.progress = 1; break;
        case OPT_NOPROG: o->co.progress = 0; break;
        case OPT_ISOLATE:
            if (!(o->co.isolate = cli_parse_isolate("validate", optarg)))
                return EXIT_USAGE;
            break;
        case OPT_FORMATS: o->co.formats_path = optarg; break;
        case OPT_PLUGDIR: o->co.plugin_path = optarg; break;
        case 'h': validate_usage(stdout); return EXIT_OK;
        default: return cli_bad_option("validate", c, argv, long_opts);
        }
    }
    return -1;
}

static bool shown(const validate_opts *o, const nb_diag *d)
{
    return o->all || (!d->skipped && d->severity != NB_SEV_INFO);
}

/* Compiler style: "FILE[!MEMBER][:LINE]: severity RULE: message  [key]". */
static void print_diag(const char *source, const nb_diag *d)
{
    const char *sev = d->skipped ? "skipped" : nb_severity_name(d->severity);
    printf("%s: %s %s: %s", source, sev, d->rule ? d->rule : "", d->message ? d->message : "");
    if (d->where && *d->where)
        printf("  [%s]", d->where);
    putchar('\n');
}

static json_t *diag_json(const nb_diag *d, const char *source, int line)
{
    json_t *j = json_object();
    if (source)
        json_object_set_new(j, "source", json_string(source));
    json_object_set_new(j, "rule", json_string(d->rule ? d->rule : ""));
    json_object_set_new(j, "severity", json_string(nb_severity_name(d->severity)));
    json_object_set_new(j, "skipped", json_boolean(d->skipped));
    json_object_set_new(j, "where", d->where ? json_string(d->where) : json_null());
    json_object_set_new(j, "expected", d->expected ? json_string(d->expected) : json_null());
    json_object_set_new(j, "found", d->found ? json_string(d->found) : json_null());
    json_object_set_new(j, "message", json_string(d->message ? d->message : ""));
    json_object_set_new(j, "line", line > 0 ? json_integer(line) : json_null());
    return j;
}

static void on_report(void *ctx, const nb_report *r)
{
    validate_opts *o = ctx;
    size_t ne = nb_report_count_diags(r, NB_SEV_ERROR), nw = nb_report_count_diags(r, NB_SEV_WARNING);
    for (size_t i = 0; i < r->ndiags; i++)
        o->infos += r->diags[i].severity == NB_SEV_INFO;
    if (o->co.verbose)
        cli_report_verbose(r);
    if (o->json) {
        json_t *j = json_object(), *ds = json_array();
        json_object_set_new(j, "source", json_string(cli_report_source(r)));
        json_object_set_new(j, "agency", r->agency ? json_string(r->agency) : json_null());
        json_object_set_new(j, "year", r->year ? json_integer(r->year) : json_null());
        json_object_set_new(j, "template", json_string(r->template_id ? r->template_id : "unknown"));
        json_object_set_new(j, "errors", json_integer((json_int_t)ne));
        json_object_set_new(j, "warnings", json_integer((json_int_t)nw));
        for (size_t i = 0; i < r->ndiags; i++)
            json_array_append_new(ds, diag_json(&r->diags[i], NULL, cli_diag_line(r, &r->diags[i])));
        json_object_set_new(j, "diagnostics", ds);
        json_array_append_new(o->reports, j);
        return;
    }
    cli_progress_done();
    for (size_t i = 0; i < r->ndiags; i++)
        if (shown(o, &r->diags[i])) {
            char where[4096];
            cli_diag_location(r, &r->diags[i], where, sizeof where);
            print_diag(where, &r->diags[i]);
        }
    if (!o->co.quiet)
        printf("%s: %zu error%s, %zu warning%s\n", cli_report_source(r), ne, ne == 1 ? "" : "s", nw,
               nw == 1 ? "" : "s");
    fflush(stdout);
}

static void on_failure(void *ctx, const nb_failure *f)
{
    validate_opts *o = ctx;
    if (o->json) {
        json_t *j = json_object();
        json_object_set_new(j, "source", json_string(f->source ? f->source : ""));
        json_object_set_new(j, "skipped", json_boolean(f->skipped));
        json_object_set_new(j, "reason", json_string(f->reason ? f->reason : ""));
        json_array_append_new(o->failures, j);
    }
    if (o->co.quiet && f->skipped)
        return;
    cli_errorf("%s %s: %s", f->skipped ? "skipped" : "failed", f->source, f->reason);
}

static void print_summary(void *ctx, const nb_summary *s)
{
    validate_opts *o = ctx;
    if (o->json) {
        json_t *doc = json_object(), *sum = json_object(), *run = json_array();
        for (size_t i = 0; i < s->nrun_diags; i++)
            json_array_append_new(run, diag_json(&s->run_diags[i], s->run_diag_sources[i], 0));
        json_object_set_new(sum, "checked", json_integer((json_int_t)s->converted));
        json_object_set_new(sum, "with_errors", json_integer((json_int_t)s->with_errors));
        json_object_set_new(sum, "with_warnings", json_integer((json_int_t)s->with_warnings));
        json_object_set_new(sum, "failed", json_integer((json_int_t)s->failed));
        json_object_set_new(sum, "skipped", json_integer((json_int_t)s->skipped));
        json_object_set_new(doc, "schema", json_string("nianbao.validation/1"));
        json_object_set_new(doc, "reports", json_incref(o->reports));
        json_object_set_new(doc, "run_diagnostics", run);
        json_object_set_new(doc, "failures", json_incref(o->failures));
        json_object_set_new(doc, "summary", sum);
        json_dumpf(doc, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
        putchar('\n');
        json_decref(doc);
        return;
    }
    for (size_t i = 0; i < s->nrun_diags; i++)
        if (shown(o, &s->run_diags[i]))
            print_diag(s->run_diag_sources[i], &s->run_diags[i]);
    if (o->co.quiet)
        return;
    printf("%zu report%s checked: %zu with errors, %zu with warnings only", s->converted,
           s->converted == 1 ? "" : "s", s->with_errors, s->with_warnings);
    if (s->failed || s->skipped)
        printf("; %zu input%s failed, %zu skipped", s->failed, s->failed == 1 ? "" : "s", s->skipped);
    if (o->infos && !o->all)
        printf(" (%zu info/skipped findings hidden, see --all)", o->infos);
    putchar('\n');
}

static int run_inputs(nb_context *ctx, validate_opts *o, int argc, char **argv)
{
    if (o->run.from && !nb_context_find_plugin(ctx, NB_PLUGIN_INPUT, o->run.from)) {
        return cli_unknown_format("validate", ctx, NB_PLUGIN_INPUT, o->run.from);
    }
    int checked = cli_check_in_options("validate", ctx, o->in_opts);
    if (checked >= 0)
        return checked;
    o->run.in_options = o->in_opts;
    o->run.to = NULL;
    o->run.on_report = on_report;
    o->run.on_failure = on_failure;
    o->run.cb_ctx = o;
    if (cli_progress_wanted(&o->co) && !o->json)
        o->run.on_progress = cli_progress;
    nb_summary sum = {0};
    size_t missing = 0;
    int rc = cli_run_inputs("validate", ctx, &o->run, &o->co, argv + optind, argc - optind, &sum, &missing,
                            print_summary, o);
    if (rc >= 0)
        return rc;
    if (missing)
        return EXIT_NOINPUT;
    if (sum.failed)
        return EXIT_DATA;
    return sum.with_errors ? EXIT_FINDINGS : EXIT_OK;
}

int cmd_validate(int argc, char **argv)
{
    validate_opts o = {0};
    int rc = parse_args(argc, argv, &o);
    if (rc >= 0) {
        free(o.in_opts);
        return rc;
    }
    o.reports = json_array();
    o.failures = json_array();
    nb_context *ctx = cli_context(&o.co, &rc);
    if (ctx) {
        rc = run_inputs(ctx, &o, argc, argv);
        nb_context_free(ctx);
    }
    json_decref(o.reports);
    json_decref(o.failures);
    free(o.in_opts);
    return rc;
}
