/* cmd_run.c - `nianbao run NAME [INPUT...] -o OUT` runs a named pipeline
 * (pipelines/NAME.pipe, see docs/pipelines.md); `nianbao pipelines` lists
 * them.  The pipeline fixes the stages; the command line adds inputs, the
 * output file and, if wanted, extra output options. */
#include "cli.h"
#include "nianbao/pipeline.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { OPT_FORMATS = 256, OPT_PLUGINS, OPT_PIPELINES, OPT_PROGRESS, OPT_NO_PROGRESS, OPT_STRICT, OPT_ISOLATE };

typedef struct run_args {
    cli_common co;
    const char *output;
    const char **options;   /* -O key=value, in order */
    size_t noptions;
    bool strict;
} run_args;

static void run_usage(FILE *f)
{
    fprintf(f,
            "usage: nianbao run NAME [INPUT...] [-o OUT] [-O KEY=VALUE]...\n\n"
            "Runs the named pipeline NAME (a file NAME.pipe; list them with\n"
            "'nianbao pipelines'); NAME may also be the path of a .pipe file.\n"
            "Inputs default to stdin, the output to stdout.\n\n"
            "  -o, --output FILE       write here ('-' = stdout, also for binary formats)\n"
            "  -O, --option KEY=VALUE  output option, after the pipeline's own\n"
            "      --strict            exit 1 when validation finds errors\n"
            "  -j, --jobs N            threads, the reading one included (default: the CPUs\n"
            "                          this process may use; same output for any N)\n"
            "      --isolate[=SECONDS] read each input in a child process: a reader that\n"
            "                          crashes or stalls (no progress for 300 s) fails that\n"
            "                          input or archive member, and the run goes on\n"
            "      --pipelines DIRS    also look for pipelines here (':'-separated), first\n"
            "      --formats DIR       template/rule root (default: built-in)\n"
            "      --plugin-dir DIR    also load plugins from DIR\n"
            "  -q, --quiet             no progress, no summary line\n"
            "  -v, --verbose           one line per report: reader, encoding, template, counts\n"
            "      --progress, --no-progress\n"
            "  -h, --help\n\n"
            "Exit codes as for convert: 0 ok, 1 errors found (--strict or 'strict: true'),\n"
            "2 usage or unknown pipeline, 65 some input unreadable, 78 bad pipeline file.\n");
}

static void pipelines_usage(FILE *f)
{
    fprintf(f, "usage: nianbao pipelines [--pipelines DIRS]\n\n"
               "Lists the named pipelines: name, description and file.  Searched in\n"
               "--pipelines, then $XDG_CONFIG_HOME/nianbao/pipelines (or\n"
               "~/.config/nianbao/pipelines), then NIANBAO_PIPELINES_PATH and the\n"
               "shipped directory; the first file of a name wins.\n");
}

/* Common options shared with the other commands; returns 1 when handled. */
static int common_option(cli_common *co, int opt, const char *arg)
{
    switch (opt) {
    case OPT_FORMATS: co->formats_path = arg; return 1;
    case OPT_PLUGINS: co->plugin_path = arg; return 1;
    case OPT_PIPELINES: co->pipelines_path = arg; return 1;
    case OPT_PROGRESS: co->progress = 1; return 1;
    case OPT_NO_PROGRESS: co->progress = 0; return 1;
    case 'q': co->quiet = true; return 1;
    default: return 0;
    }
}

static const struct option long_opts[] = {
    {"output", required_argument, NULL, 'o'},
    {"option", required_argument, NULL, 'O'},
    {"strict", no_argument, NULL, OPT_STRICT},
    {"jobs", required_argument, NULL, 'j'},
    {"isolate", optional_argument, NULL, OPT_ISOLATE},
    {"formats", required_argument, NULL, OPT_FORMATS},
    {"plugin-dir", required_argument, NULL, OPT_PLUGINS},
    {"pipelines", required_argument, NULL, OPT_PIPELINES},
    {"pipelines-path", required_argument, NULL, OPT_PIPELINES},
    {"progress", no_argument, NULL, OPT_PROGRESS},
    {"no-progress", no_argument, NULL, OPT_NO_PROGRESS},
    {"quiet", no_argument, NULL, 'q'},
    {"verbose", no_argument, NULL, 'v'},
    {"help", no_argument, NULL, 'h'},
    {NULL, 0, NULL, 0}};

/* Returns -1 to go on, else an exit code. */
static int parse_args(int argc, char **argv, run_args *a, void (*usage)(FILE *), const char *cmd)
{
    a->co.progress = -1;
    optind = 1;
    int opt;
    /* '+' is not used: options may follow the inputs, as with convert. */
    opterr = 0; /* cli_bad_option says it in one line, with a suggestion */
    while ((opt = getopt_long(argc, argv, ":o:O:j:qvh", long_opts, NULL)) != -1) {
        if (common_option(&a->co, opt, optarg))
            continue;
        switch (opt) {
        case 'o': a->output = optarg; break;
        case 'O': {
            const char **v = realloc(a->options, (a->noptions + 1) * sizeof *v);
            if (!v) {
                cli_errorf("out of memory");
                return EXIT_INTERNAL;
            }
            a->options = v;
            a->options[a->noptions++] = optarg;
            break;
        }
        case OPT_STRICT: a->strict = true; break;
        case 'j':
            if ((a->co.jobs = cli_parse_jobs(cmd, optarg)) < 1)
                return EXIT_USAGE;
            break;
        case OPT_ISOLATE:
            if (!(a->co.isolate = cli_parse_isolate(cmd, optarg)))
                return EXIT_USAGE;
            break;
        case 'v': a->co.verbose = true; break;
        case 'h': usage(stdout); return EXIT_OK;
        default: return cli_bad_option(cmd, opt, argv, long_opts);
        }
    }
    return -1;
}

/* Pipeline options first, then the command line's, so a -O overrides.
 * `provenance: true` becomes the output's provenance option, as --provenance
 * does for convert. */
static const char **merge_options(const nb_pipeline *p, const run_args *a)
{
    const char **v = calloc(p->noptions + a->noptions + 2, sizeof *v);
    if (!v)
        return NULL;
    size_t n = 0;
    if (p->provenance)
        v[n++] = "provenance=true";
    for (size_t i = 0; i < p->noptions; i++)
        v[n++] = p->options[i];
    for (size_t i = 0; i < a->noptions; i++)
        v[n++] = a->options[i];
    return v;
}

/* A pipeline naming a format no plugin provides is a pipeline-file error. */
static bool check_formats(nb_context *c, const nb_pipeline *p)
{
    if (!nb_context_find_plugin(c, NB_PLUGIN_OUTPUT, p->output)) {
        size_t n;
        const char **names = cli_format_names(c, NB_PLUGIN_OUTPUT, &n);
        const char *sug = names ? cli_suggest(p->output, names, n) : NULL;
        cli_errorf("%s: output format \"%s\" is not available%s%s%s", p->path, p->output,
                   sug ? "; did you mean '" : " (see: nianbao plugins)", sug ? sug : "", sug ? "'?" : "");
        free(names);
        return false;
    }
    if (p->input && !nb_context_find_plugin(c, NB_PLUGIN_INPUT, p->input)) {
        cli_errorf("%s: input format \"%s\" is not available (see: nianbao plugins)", p->path,
                   p->input);
        return false;
    }
    return true;
}

static int run_pipeline(nb_context *c, const nb_pipeline *p, run_args *a,
                        char **inputs, int ninputs)
{
    nb_run_config rc = {0};
    nb_pipeline_apply(p, &rc);
    rc.output = a->output ? a->output : "-";
    const char **opts = merge_options(p, a);
    if (!opts) {
        cli_errorf("out of memory");
        return EXIT_INTERNAL;
    }
    rc.out_options = opts;
    int bad = cli_check_out_options("run", c, p->output, opts);
    if (bad >= 0) {
        free(opts);
        return bad;
    }
    rc.on_failure = cli_on_failure;
    if (a->co.verbose) /* as in convert: no callback, no hashing for CSV/XLSX */
        rc.on_report = cli_on_report;
    rc.cb_ctx = &a->co;
    if (cli_progress_wanted(&a->co))
        rc.on_progress = cli_progress;

    nb_summary sum = {0};
    size_t missing = 0;
    int code = cli_run_inputs("run", c, &rc, &a->co, inputs, ninputs, &sum, &missing, NULL, NULL);
    if (code < 0)
        code = cli_finish(&a->co, &sum, missing, a->strict || p->strict);
    free(opts);
    return code;
}

/* An unknown pipeline name: the library's message, with the closest known
 * name as a suggestion. */
static int pipeline_not_found(const char *dirs, const char *name, const nb_error *err)
{
    if (err->cls != NB_E_USAGE) {
        cli_error(err);
        return cli_exit_for(err);
    }
    nb_pipeline_list l;
    nb_error e2;
    nb_error_clear(&e2);
    const char *names[256], *sug = NULL;
    size_t n = 0;
    bool listed = nb_pipelines_list(dirs, &l, &e2) == NB_OK;
    for (size_t i = 0; listed && i < l.n && n < 256; i++)
        names[n++] = l.v[i].name;
    sug = cli_suggest(name, names, n);
    cli_usage_error("run", sug, "%s", err->text);
    if (listed)
        nb_pipeline_list_free(&l);
    return EXIT_USAGE;
}

int cmd_run(int argc, char **argv)
{
    run_args a = {0};
    int code = parse_args(argc, argv, &a, run_usage, "run");
    if (code >= 0) {
        free(a.options);
        return code;
    }
    if (optind >= argc) {
        cli_usage_error("run", NULL, "run: which pipeline? (see 'nianbao pipelines')");
        free(a.options);
        return EXIT_USAGE;
    }
    const char *name = argv[optind];
    nb_context *c = cli_context(&a.co, &code);
    if (!c) {
        free(a.options);
        return code;
    }
    char *dirs = nb_pipelines_search_path(c, a.co.pipelines_path);
    nb_error err;
    nb_error_clear(&err);
    nb_pipeline *p = nb_pipeline_find(dirs, name, &err);
    if (!p) {
        code = pipeline_not_found(dirs, name, &err);
    } else if (!check_formats(c, p)) {
        code = EXIT_CONFIG;
    } else {
        code = run_pipeline(c, p, &a, argv + optind + 1, argc - optind - 1);
    }
    nb_pipeline_free(p);
    free(dirs);
    nb_context_free(c);
    free(a.options);
    return code;
}

static void print_entry(const nb_pipeline_entry *e, int width)
{
    if (e->pipeline)
        printf("%-*s  %s\n%-*s  %s%s\n", width, e->name, e->pipeline->description, width, "",
               e->path, e->shadowed ? "  (shadowed by the one above)" : "");
    else
        printf("%-*s  (cannot be used: %s)\n", width, e->name, e->problem ? e->problem : "");
}

int cmd_pipelines(int argc, char **argv)
{
    run_args a = {0};
    int code = parse_args(argc, argv, &a, pipelines_usage, "pipelines");
    free(a.options);
    if (code >= 0)
        return code;
    if (optind < argc) {
        cli_usage_error("pipelines", NULL, "pipelines: unexpected argument '%s'", argv[optind]);
        return EXIT_USAGE;
    }
    nb_context *c = cli_context(&a.co, &code);
    if (!c)
        return code;
    char *dirs = nb_pipelines_search_path(c, a.co.pipelines_path);
    nb_pipeline_list l;
    nb_error err;
    nb_error_clear(&err);
    code = EXIT_OK;
    if (nb_pipelines_list(dirs, &l, &err) != NB_OK) {
        cli_error(&err);
        code = cli_exit_for(&err);
    } else {
        int width = 12;
        for (size_t i = 0; i < l.n; i++)
            if ((int)strlen(l.v[i].name) > width)
                width = (int)strlen(l.v[i].name);
        for (size_t i = 0; i < l.n; i++)
            print_entry(&l.v[i], width);
        if (l.n == 0)
            fprintf(stderr, "nianbao: no pipelines found in %s\n", dirs);
        nb_pipeline_list_free(&l);
    }
    free(dirs);
    nb_context_free(c);
    return code;
}
