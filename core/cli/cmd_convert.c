/* cmd_convert.c - `nianbao convert`: inputs to one output format. */
#include "cli.h"
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

typedef struct convert_opts {
    cli_common co;
    nb_run_config run;
    const char **out_opts, **in_opts;
    size_t nout_opts, nin_opts;
    bool strict, provenance, list_in, list_out;
} convert_opts;

static void convert_usage(FILE *f)
{
    fputs("usage: nianbao convert [OPTIONS] [INPUT...]\n\n"
          "Reads reports (files, folders, archives; none or '-' = stdin) and writes them\n"
          "in one format.  Data goes to stdout unless -o is given; messages to stderr.\n\n"
          "  -f, --from FMT         input format (default: from the extension, then content)\n"
          "  -t, --to FMT           output format (default: from -o's extension)\n"
          "  -o, --output FILE      write FILE (atomically); '-' forces stdout\n"
          "  -O, --option KEY=VAL   output plugin option (see: nianbao plugins show FMT)\n"
          "  -I, --input-option PLUGIN.KEY=VAL   input plugin option (archive.name_charset=BIG5)\n"
          "      --strict           exit 1 when a report breaks an error-level rule\n"
          "      --no-validate      skip the validation stage\n"
          "      --provenance       include raw token, status and position of every value\n"
          "  -j, --jobs N           threads for recognising and validating, the one that\n"
          "                         reads and writes included (default: the CPUs this\n"
          "                         process may use; same output for any N)\n"
          "      --isolate[=SECONDS]   read each input in a child process: a reader that\n"
          "                         crashes or stalls (no progress for 300 s) fails that\n"
          "                         input or archive member, and the run goes on\n"
          "  -q, --quiet            no progress, no summary line\n"
          "  -v, --verbose          one line per report: reader, encoding, template, counts\n"
          "      --progress, --no-progress   force progress on stderr on/off\n"
          "      --max-depth N      archives inside archives (default 4)\n"
          "      --max-member-size BYTES   largest archive member read (default 64 MiB)\n"
          "      --formats DIR      template/rule root (default: built-in)\n"
          "      --plugin-dir DIR   also load plugins from DIR\n"
          "      --list-input-formats, --list-output-formats\n"
          "  -h, --help\n\n"
          "Exit: 0 ok, 1 errors found (--strict), 2 usage, 65 some input unreadable,\n"
          "66 input missing, 69 plugin problem, 73 cannot create output, 74 I/O error.\n",
          f);
}

enum { OPT_STRICT = 256, OPT_ISOLATE, OPT_NOVAL, OPT_PROV, OPT_PROG, OPT_NOPROG, OPT_DEPTH, OPT_MEMBER,
       OPT_FORMATS, OPT_PLUGDIR, OPT_LISTIN, OPT_LISTOUT };

static const struct option long_opts[] = {
    {"from", required_argument, 0, 'f'},       {"to", required_argument, 0, 't'},
    {"output", required_argument, 0, 'o'},     {"option", required_argument, 0, 'O'},
    {"input-option", required_argument, 0, 'I'},
    {"strict", no_argument, 0, OPT_STRICT},    {"no-validate", no_argument, 0, OPT_NOVAL},
    {"provenance", no_argument, 0, OPT_PROV},  {"quiet", no_argument, 0, 'q'},
    {"verbose", no_argument, 0, 'v'},
    {"jobs", required_argument, 0, 'j'},
    {"isolate", optional_argument, 0, OPT_ISOLATE},
    {"progress", no_argument, 0, OPT_PROG},    {"no-progress", no_argument, 0, OPT_NOPROG},
    {"max-depth", required_argument, 0, OPT_DEPTH},
    {"max-member-size", required_argument, 0, OPT_MEMBER},
    {"formats", required_argument, 0, OPT_FORMATS}, {"plugin-dir", required_argument, 0, OPT_PLUGDIR},
    {"list-input-formats", no_argument, 0, OPT_LISTIN},
    {"list-output-formats", no_argument, 0, OPT_LISTOUT},
    {"help", no_argument, 0, 'h'},             {0, 0, 0, 0}};

static bool add_out_opt(convert_opts *o, const char *kv) { return cli_add_opt(&o->out_opts, &o->nout_opts, kv); }

/* Returns -1 to go on, else an exit code. */
static int parse_args(int argc, char **argv, convert_opts *o)
{
    o->co.progress = -1;
    o->run.validate = true;
    int c;
    optind = 1;
    opterr = 0; /* cli_bad_option says it in one line, with a suggestion */
    while ((c = getopt_long(argc, argv, ":f:t:o:O:I:j:qvh", long_opts, NULL)) != -1) {
        char *end;
        switch (c) {
        case 'f': o->run.from = optarg; break;
        case 't': o->run.to = optarg; break;
        case 'o': o->run.output = optarg; break;
        case 'O': if (!add_out_opt(o, optarg)) return EXIT_INTERNAL; break;
        case 'I': if (!cli_add_opt(&o->in_opts, &o->nin_opts, optarg)) return EXIT_INTERNAL; break;
        case 'q': o->co.quiet = true; break;
        case 'v': o->co.verbose = true; break;
        case 'j':
            if ((o->co.jobs = cli_parse_jobs("convert", optarg)) < 1)
                return EXIT_USAGE;
            break;
        case OPT_STRICT: o->strict = true; break;
        case OPT_NOVAL: o->run.validate = false; break;
        case OPT_PROV: o->provenance = true; break;
        case OPT_PROG: o->co.progress = 1; break;
        case OPT_NOPROG: o->co.progress = 0; break;
        case OPT_ISOLATE:
            if (!(o->co.isolate = cli_parse_isolate("convert", optarg)))
                return EXIT_USAGE;
            break;
        case OPT_FORMATS: o->co.formats_path = optarg; break;
        case OPT_PLUGDIR: o->co.plugin_path = optarg; break;
        case OPT_LISTIN: o->list_in = true; break;
        case OPT_LISTOUT: o->list_out = true; break;
        case OPT_DEPTH:
            o->run.limits.max_depth = (int)strtol(optarg, &end, 10);
            if (*end || o->run.limits.max_depth < 1) {
                cli_usage_error("convert", NULL, "--max-depth takes a number >= 1, not '%s'", optarg);
                return EXIT_USAGE;
            }
            break;
        case OPT_MEMBER:
            o->run.limits.max_member_bytes = strtoull(optarg, &end, 10);
            /* strtoull takes "-5" as 2^64-5: refuse any sign */
            if (*end || !o->run.limits.max_member_bytes || strchr(optarg, '-')) {
                cli_usage_error("convert", NULL, "--max-member-size takes a number of bytes, not '%s'", optarg);
                return EXIT_USAGE;
            }
            break;
        case 'h': convert_usage(stdout); return EXIT_OK;
        default: return cli_bad_option("convert", c, argv, long_opts);
        }
    }
    return -1;
}

static void list_formats(nb_context *ctx, nb_plugin_kind kind)
{
    for (size_t i = 0; i < nb_context_plugin_count(ctx); i++) {
        const nb_plugin *p = nb_context_plugin(ctx, i)->plugin;
        if (p->kind == kind)
            printf("%s\n", p->name);
    }
}

/* -t, else the extension of -o; never a silent default. */
static int resolve_output(nb_context *ctx, convert_opts *o)
{
    if (o->run.to) {
        if (!nb_context_find_plugin(ctx, NB_PLUGIN_OUTPUT, o->run.to))
            return cli_unknown_format("convert", ctx, NB_PLUGIN_OUTPUT, o->run.to);
    } else if (o->run.output && strcmp(o->run.output, "-") != 0) {
        const nb_plugin_info *pi = nb_context_plugin_for_name(ctx, NB_PLUGIN_OUTPUT, o->run.output);
        if (!pi) {
            cli_usage_error("convert", NULL, "cannot tell the output format from \"%s\"; use -t FORMAT", o->run.output);
            return EXIT_USAGE;
        }
        o->run.to = pi->plugin->name;
    } else {
        cli_usage_error("convert", NULL, "no output format: use -t FORMAT (json, ndjson, csv, xlsx, html) or -o FILE.EXT");
        return EXIT_USAGE;
    }
    if (o->run.from && !nb_context_find_plugin(ctx, NB_PLUGIN_INPUT, o->run.from))
        return cli_unknown_format("convert", ctx, NB_PLUGIN_INPUT, o->run.from);
    int rc = cli_check_out_options("convert", ctx, o->run.to, o->out_opts);
    if (rc < 0)
        rc = cli_check_in_options("convert", ctx, o->in_opts);
    if (rc >= 0)
        return rc;
    if (o->provenance) {
        const nb_option_def *d = nb_context_find_plugin(ctx, NB_PLUGIN_OUTPUT, o->run.to)->plugin->options;
        bool has = false;
        for (; d && d->name; d++)
            has |= strcmp(d->name, "provenance") == 0;
        if (!has) {
            cli_usage_error("convert", NULL, "--provenance: the %s output has no provenance option", o->run.to);
            return EXIT_USAGE;
        }
        if (!add_out_opt(o, "provenance=true"))
            return EXIT_INTERNAL;
    }
    return -1;
}

static int run_inputs(nb_context *ctx, convert_opts *o, int argc, char **argv)
{
    o->run.out_options = o->out_opts;
    o->run.in_options = o->in_opts;
    o->run.on_failure = cli_on_failure;
    if (o->co.verbose) /* a callback could read the source hash: the run computes it */
        o->run.on_report = cli_on_report;
    o->run.cb_ctx = &o->co;
    if (cli_progress_wanted(&o->co))
        o->run.on_progress = cli_progress;
    nb_summary sum = {0};
    size_t missing = 0;
    int rc = cli_run_inputs("convert", ctx, &o->run, &o->co, argv + optind, argc - optind, &sum, &missing, NULL,
                            NULL);
    if (rc >= 0)
        return rc;
    return cli_finish(&o->co, &sum, missing, o->strict);
}

int cmd_convert(int argc, char **argv)
{
    convert_opts o = {0};
    int rc = parse_args(argc, argv, &o);
    if (rc >= 0) {
        free(o.out_opts);
        free(o.in_opts);
        return rc;
    }
    nb_context *ctx = cli_context(&o.co, &rc);
    if (!ctx) {
        free(o.out_opts);
        free(o.in_opts);
        return rc;
    }
    if (o.list_in || o.list_out) {
        list_formats(ctx, o.list_in ? NB_PLUGIN_INPUT : NB_PLUGIN_OUTPUT);
        rc = EXIT_OK;
    } else if ((rc = resolve_output(ctx, &o)) < 0)
        rc = run_inputs(ctx, &o, argc, argv);
    nb_context_free(ctx);
    free(o.out_opts);
    free(o.in_opts);
    return rc;
}
