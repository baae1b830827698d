/* run.c - the pipeline: inputs -> (containers) -> readers -> recogniser ->
 * validation -> output.  One report at a time, so memory does not grow
 * with the number of reports; every input ends up either in the output or
 * in the list of failures. */
#include "context_internal.h"
#include "stream_internal.h"
#include "nianbao/recognise.h"
#include "util.h"
#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define DOC_MAX_BYTES (64u << 20) /* a report text is kilobytes; 64 MiB is not a report */
#define PROBE_MIN 30               /* bids below this are guesses, not detection */

struct nb_run {
    nb_context *ctx;
    nb_run_config cfg;
    nb_limits lim;
    const nb_plugin *out;
    void *out_inst;
    nb_options *out_opts;
    nb_sink *sink;
    nb_xcheck *xcheck;
    nb_summary sum;
    struct timespec t0;
    bool finished;
};

nb_limits nb_limits_default(void)
{
    nb_limits l = {.max_depth = 4,
                   .max_member_bytes = 64ull << 20,
                   .max_total_bytes = 8ull << 30,
                   .max_ratio = 200,
                   .max_members = 100000};
    return l;
}

static nb_limits merge_limits(nb_limits l)
{
    nb_limits d = nb_limits_default();
    if (l.max_depth)
        d.max_depth = l.max_depth;
    if (l.max_member_bytes)
        d.max_member_bytes = l.max_member_bytes;
    if (l.max_total_bytes)
        d.max_total_bytes = l.max_total_bytes;
    if (l.max_ratio)
        d.max_ratio = l.max_ratio;
    if (l.max_members)
        d.max_members = l.max_members;
    return d;
}

static double elapsed(const nb_run *run)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)(t.tv_sec - run->t0.tv_sec) + (double)(t.tv_nsec - run->t0.tv_nsec) / 1e9;
}

static void progress(nb_run *run, const char *current)
{
    if (!run->cfg.on_progress)
        return;
    nb_progress p = {run->sum.converted, run->sum.skipped, run->sum.failed, current, elapsed(run)};
    run->cfg.on_progress(run->cfg.cb_ctx, &p);
}

/* Output ------------------------------------------------------------------ */

static nb_status open_output(nb_run *run, nb_error *err)
{
    const nb_plugin_info *pi = nb_context_find_plugin(run->ctx, NB_PLUGIN_OUTPUT, run->cfg.to);
    if (!pi) {
        nb_error_set(err, NB_E_USAGE, run->cfg.to, "unknown output format (see: nianbao plugins)");
        return NB_FATAL;
    }
    run->out = pi->plugin;
    const char *target = run->cfg.output ? run->cfg.output : "-";
    if ((run->out->caps & NB_CAP_BINARY) && !run->cfg.output && !run->cfg.force_tty &&
        isatty(STDOUT_FILENO)) {
        nb_error_set(err, NB_E_USAGE, run->out->name,
                     "refusing to write binary output to a terminal; use -o FILE (or -o - to insist)");
        return NB_FATAL;
    }
    if (!(run->out_opts = nb_options_new(run->out->options))) {
        nb_error_set(err, NB_E_INTERNAL, NULL, "out of memory");
        return NB_FATAL;
    }
    for (const char *const *o = run->cfg.out_options; o && *o; o++)
        if (nb_options_set(run->out_opts, run->out->name, *o, err) != NB_OK)
            return NB_FATAL;
    nb_error e2;
    nb_error_clear(&e2);
    if (run->out->create(nb_context_host(run->ctx), run->out_opts, &run->out_inst, &e2) != NB_OK) {
        /* a bad option value is the user's mistake, not a broken plugin */
        nb_error_set(err, e2.cls == NB_E_USAGE ? NB_E_USAGE : NB_E_PLUGIN, run->out->name,
                     "plugin failed to initialise: %s", e2.text);
        run->out_inst = NULL;
        return NB_FATAL;
    }
    if (!(run->sink = nb_sink_open(target, run->out->caps & NB_CAP_NEEDS_PATH,
                                   nb_context_tmpdir(run->ctx), err)))
        return NB_FATAL;
    if (run->out->begin(run->out_inst, run->sink, err) != NB_OK) {
        if (!err->where[0])
            snprintf(err->where, sizeof err->where, "%s", run->out->name);
        return NB_FATAL;
    }
    return NB_OK;
}

/* Options of input plugin p from "p.key=value" entries; NULL on error. */
static nb_options *input_options(const nb_run *run, const nb_plugin *p, nb_error *err)
{
    nb_options *o = nb_options_new(p->options);
    size_t nl = strlen(p->name);
    for (const char *const *e = run->cfg.in_options; o && e && *e; e++)
        if (strncmp(*e, p->name, nl) == 0 && (*e)[nl] == '.' &&
            nb_options_set(o, p->name, *e + nl + 1, err) != NB_OK) {
            nb_options_free(o);
            return NULL;
        }
    if (!o && err->cls == NB_E_NONE)
        nb_error_set(err, NB_E_INTERNAL, p->name, "out of memory");
    return o;
}

/* Every -I option must name a loaded input plugin and one of its options. */
static nb_status check_input_options(const nb_run *run, nb_error *err)
{
    for (const char *const *e = run->cfg.in_options; e && *e; e++) {
        const char *dot = strchr(*e, '.');
        char *name = dot ? nb_strndup(*e, (size_t)(dot - *e)) : NULL;
        const nb_plugin_info *pi = name ? nb_context_find_plugin(run->ctx, NB_PLUGIN_INPUT, name) : NULL;
        free(name);
        if (!pi) {
            nb_error_set(err, NB_E_USAGE, *e, "input options are PLUGIN.key=value with an input plugin's name");
            return NB_FAILED;
        }
        nb_options *o = input_options(run, pi->plugin, err);
        if (!o)
            return NB_FAILED;
        nb_options_free(o);
    }
    return NB_OK;
}

nb_run *nb_run_new(nb_context *c, const nb_run_config *cfg, nb_error *err)
{
    nb_run *run = calloc(1, sizeof *run);
    if (!run) {
        nb_error_set(err, NB_E_INTERNAL, NULL, "out of memory");
        return NULL;
    }
    run->ctx = c;
    run->cfg = *cfg;
    run->lim = merge_limits(cfg->limits);
    clock_gettime(CLOCK_MONOTONIC, &run->t0);
    if (cfg->validate && !(run->xcheck = nb_xcheck_new(nb_context_rules(c)))) {
        nb_error_set(err, NB_E_INTERNAL, NULL, "out of memory");
        nb_run_free(run);
        return NULL;
    }
    if (check_input_options(run, err) != NB_OK || (cfg->to && open_output(run, err) != NB_OK)) {
        nb_run_free(run);
        return NULL;
    }
    return run;
}

void nb_run_free(nb_run *run)
{
    if (!run)
        return;
    if (run->out && run->out_inst)
        run->out->destroy(run->out_inst);
    nb_options_free(run->out_opts);
    nb_sink_free(run->sink);
    nb_xcheck_free(run->xcheck);
    free(run);
}

/* Accounting --------------------------------------------------------------- */

static nb_status record_failure(nb_run *run, const char *source, bool skipped, const char *reason,
                                nb_error *err)
{
    if (skipped)
        run->sum.skipped++;
    else
        run->sum.failed++;
    nb_failure f = {source, skipped, reason};
    if (run->cfg.on_failure)
        run->cfg.on_failure(run->cfg.cb_ctx, &f);
    progress(run, source);
    if (run->out && run->out->failure && run->out->failure(run->out_inst, &f, err) != NB_OK)
        return NB_FATAL;
    return NB_OK;
}

static nb_status deliver(nb_run *run, nb_report *r, nb_error *err)
{
    if (run->cfg.validate) {
        nb_validate(nb_context_rules(run->ctx), r);
        nb_xcheck_add(run->xcheck, r);
    }
    run->sum.converted++;
    if (nb_report_count_diags(r, NB_SEV_ERROR))
        run->sum.with_errors++;
    else if (nb_report_count_diags(r, NB_SEV_WARNING))
        run->sum.with_warnings++;
    if (run->cfg.on_report)
        run->cfg.on_report(run->cfg.cb_ctx, r);
    progress(run, r->source.path);
    nb_status st = NB_OK;
    if (run->out && run->out->write(run->out_inst, r, err) != NB_OK) {
        if (!err->where[0])
            snprintf(err->where, sizeof err->where, "%s", run->out->name);
        st = NB_FATAL;
    }
    nb_report_free(r);
    return st;
}

/* Reports from JSON carry their findings; a validating run recomputes them
 * so that findings always match the rules in force. */
static void drop_diags(nb_report *r)
{
    for (size_t i = 0; i < r->ndiags; i++) {
        free(r->diags[i].rule);
        free(r->diags[i].where);
        free(r->diags[i].expected);
        free(r->diags[i].found);
        free(r->diags[i].message);
    }
    r->ndiags = 0;
}

static nb_status handle_doc(nb_run *run, nb_doc *doc, nb_stream *s, const char *name,
                            const nb_plugin *p, nb_error *err)
{
    nb_error e;
    nb_error_clear(&e);
    nb_report *r = nb_recognise(nb_context_templates(run->ctx), doc, &e);
    if (!r) {
        nb_status st = record_failure(run, name, false, e.text, err);
        nb_doc_free(doc);
        return st;
    }
    nb_set_str(&r->source.path, name);
    nb_set_str(&r->source.format, p->name);
    nb_set_str(&r->source.encoding, doc->encoding);
    r->source.bytes = nb_stream_consumed(s);
    nb_stream_sha256(s, r->source.sha256);
    nb_doc_free(doc);
    return deliver(run, r, err);
}

/* Readers ------------------------------------------------------------------ */

static nb_status process_stream(nb_run *run, nb_stream *s, const char *name, int depth,
                                bool top, nb_error *err);

typedef struct container {
    const char *name;
    int depth;
    uint64_t expanded;   /* bytes read from all members */
    uint64_t packed;     /* size of the container, 0 unknown */
    uint64_t members;
} container;

static nb_status handle_member(nb_run *run, container *ct, nb_item *it, bool container_plugin,
                               nb_error *err)
{
    /* A container's members are named inside it; a reader that forwards
     * failures it read (ndjson) already has their full source. */
    bool forwarded = !container_plugin && it->kind != NB_ITEM_MEMBER && it->name;
    char *name = forwarded ? nb_strdup(it->name) : nb_strfmt("%s!/%s", ct->name, it->name ? it->name : "?");
    nb_status st = NB_OK;
    if (!name) {
        nb_error_set(err, NB_E_INTERNAL, ct->name, "out of memory");
        return NB_FATAL;
    }
    if (++ct->members > run->lim.max_members) {
        /* every entry counts, junk too: millions of empty entries are an attack as well */
        st = record_failure(run, name, false, "too many members in one archive", err);
        if (st == NB_OK)
            st = NB_FAILED; /* stop reading this container */
    } else if (it->kind == NB_ITEM_SKIP || it->kind == NB_ITEM_FAIL) {
        st = record_failure(run, name, it->kind == NB_ITEM_SKIP, it->reason ? it->reason : "", err);
    } else if (ct->depth + 1 > run->lim.max_depth) {
        char *why = nb_strfmt("archives nested deeper than %d levels", run->lim.max_depth);
        st = record_failure(run, name, false, why ? why : "nested too deep", err);
        free(why);
    } else {
        nb_stream_set_limit(it->member, run->lim.max_member_bytes, &ct->expanded,
                            run->lim.max_total_bytes, "member larger than the size limit");
        st = process_stream(run, it->member, name, ct->depth + 1, false, err);
        if (st == NB_OK && ct->packed && ct->expanded / ct->packed > run->lim.max_ratio) {
            char *why = nb_strfmt("expands more than %llu times its size (zip bomb?); rest not read",
                                  (unsigned long long)run->lim.max_ratio);
            st = record_failure(run, ct->name, false, why ? why : "expansion limit", err);
            free(why);
            if (st == NB_OK)
                st = NB_FAILED;
        }
    }
    free(name);
    return st;
}

/* Drives one input plugin over a stream until it is exhausted. */
static nb_status read_with(nb_run *run, const nb_plugin *p, nb_stream *s, const char *name,
                           int depth, nb_error *err)
{
    void *inst = NULL;
    nb_error e;
    nb_error_clear(&e);
    if ((p->caps & NB_CAP_NEEDS_SEEK) && !nb_stream_path(s)) {
        nb_status st = nb_stream_spool(s, nb_context_tmpdir(run->ctx), run->lim.max_total_bytes, &e);
        if (st != NB_OK)
            return st == NB_FATAL ? (*err = e, NB_FATAL) : record_failure(run, name, false, e.text, err);
    }
    nb_options *opts = input_options(run, p, &e);
    if (!opts || p->create(nb_context_host(run->ctx), opts, &inst, &e) != NB_OK) {
        char *why = nb_strfmt("plugin %s failed to initialise: %s", p->name, e.text);
        nb_status st = record_failure(run, name, false, why ? why : e.text, err);
        free(why);
        nb_options_free(opts);
        return st;
    }
    container ct = {name, depth, 0, 0, 0};
    if (nb_stream_size_hint(s) > 0)
        ct.packed = (uint64_t)nb_stream_size_hint(s);
    nb_status st = p->open(inst, s, &e);
    nb_status out = NB_OK;
    bool produced = false;
    while (st == NB_OK && out == NB_OK) {
        nb_item it = {0};
        nb_error_clear(&e);
        st = p->next(inst, &it, &e);
        if (st != NB_OK)
            break;
        produced = true;
        if (it.kind == NB_ITEM_DOC)
            out = handle_doc(run, it.doc, s, name, p, err);
        else if (it.kind == NB_ITEM_REPORT) {
            if (!it.report->source.path)
                nb_set_str(&it.report->source.path, name);
            if (run->cfg.validate)
                drop_diags(it.report);
            out = deliver(run, it.report, err);
        } else
            out = handle_member(run, &ct, &it, (p->caps & NB_CAP_CONTAINER) != 0, err);
    }
    if (out == NB_FAILED) /* a member asked to stop this container */
        out = NB_OK;
    if (out == NB_OK && st != NB_OK && st != NB_EOF) {
        /* the reader may name the member itself; do not say it twice */
        size_t nl = strlen(name), wl = strlen(e.where);
        bool same = !e.where[0] || strcmp(e.where, name) == 0 ||
                    (wl + 2 <= nl && strcmp(name + nl - wl, e.where) == 0 && name[nl - wl - 1] == '/' &&
                     name[nl - wl - 2] == '!');
        const char *where = same ? NULL : e.where;
        char *why = where ? nb_strfmt("%s: %s", where, e.text) : nb_strdup(e.text);
        out = record_failure(run, name, false, why && *why ? why : "unreadable", err);
        free(why);
    } else if (out == NB_OK && !produced)
        out = record_failure(run, name, true, "empty: nothing in it", err);
    p->destroy(inst);
    nb_options_free(opts);
    return out;
}

/* -f applies to what the user named and to the files of named folders;
 * archive members (depth > 0) are always detected one by one. */
static const nb_plugin_info *choose_reader(nb_run *run, nb_stream *s, const char *name, int depth,
                                           nb_error *err, bool *empty)
{
    *empty = false;
    if (depth == 0 && run->cfg.from)
        return nb_context_find_plugin(run->ctx, NB_PLUGIN_INPUT, run->cfg.from);
    const char *base = strrchr(name, '/');
    const nb_plugin_info *pi = nb_context_plugin_for_name(run->ctx, NB_PLUGIN_INPUT, base ? base + 1 : name);
    if (pi)
        return pi;
    const unsigned char *head = NULL;
    ssize_t n = nb_stream_peek(s, &head, 4096, err);
    if (n == 0)
        *empty = true;
    if (n <= 0)
        return NULL;
    int score = 0;
    pi = nb_context_probe(run->ctx, head, (size_t)n, &score);
    return score >= PROBE_MIN ? pi : NULL;
}

static nb_status process_stream(nb_run *run, nb_stream *s, const char *name, int depth, bool top,
                                nb_error *err)
{
    nb_error e;
    nb_error_clear(&e);
    bool empty;
    const nb_plugin_info *pi = choose_reader(run, s, name, depth, &e, &empty);
    if (!pi) {
        if (depth == 0 && run->cfg.from) {
            nb_error_set(err, NB_E_USAGE, run->cfg.from, "unknown input format (see: nianbao plugins)");
            return NB_FATAL;
        }
        if (e.text[0])
            return record_failure(run, name, false, e.text, err);
        if (empty)
            return record_failure(run, name, true, "empty file", err);
        return record_failure(run, name, !top,
                              top ? "unknown format: no reader recognises it (use -f FORMAT)"
                                  : "not a report: unsupported format",
                              err);
    }
    return read_with(run, pi->plugin, s, name, depth, err);
}

nb_status nb_run_stream(nb_run *run, nb_stream *s, const char *name, nb_error *err)
{
    return process_stream(run, s, name, 0, true, err);
}

static nb_status run_file(nb_run *run, const char *path, bool top, nb_error *err)
{
    nb_error e;
    nb_error_clear(&e);
    nb_stream *s = nb_stream_open_file(path, &e);
    if (!s)
        return record_failure(run, path, false, e.text, err);
    nb_status st = process_stream(run, s, strcmp(path, "-") == 0 ? "<stdin>" : path, 0, top, err);
    nb_stream_free(s);
    return st;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Sorted so that a run over a folder is reproducible. */
static nb_status run_dir(nb_run *run, const char *dir, int depth, nb_error *err)
{
    DIR *d = opendir(dir);
    if (!d)
        return record_failure(run, dir, false, strerror(errno), err);
    char **names = NULL;
    size_t n = 0, cap = 0;
    for (struct dirent *de; (de = readdir(d));) {
        if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
            continue;
        if (nb_grow((void **)&names, &cap, n, sizeof *names))
            names[n++] = nb_strdup(de->d_name);
    }
    closedir(d);
    if (n)
        qsort(names, n, sizeof *names, cmp_str);
    nb_status st = NB_OK;
    for (size_t i = 0; i < n; i++) {
        char *p = nb_strfmt("%s%s%s", dir, dir[strlen(dir) - 1] == '/' ? "" : "/", names[i]);
        struct stat sb;
        if (st != NB_OK || !p)
            ;
        else if (names[i][0] == '.')
            st = record_failure(run, p, true, "hidden file", err);
        else if (stat(p, &sb) != 0)
            st = record_failure(run, p, false, strerror(errno), err);
        else if (S_ISDIR(sb.st_mode))
            st = depth < 64 ? run_dir(run, p, depth + 1, err)
                            : record_failure(run, p, false, "folders nested too deep", err);
        else if (S_ISREG(sb.st_mode))
            st = run_file(run, p, false, err);
        else
            st = record_failure(run, p, true, "not a regular file", err);
        free(p);
        free(names[i]);
    }
    free(names);
    return st;
}

nb_status nb_run_input(nb_run *run, const char *path, nb_error *err)
{
    struct stat sb;
    if (strcmp(path, "-") != 0 && stat(path, &sb) == 0 && S_ISDIR(sb.st_mode))
        return run_dir(run, path, 0, err);
    return run_file(run, path, true, err);
}

nb_status nb_run_finish(nb_run *run, nb_summary *sum, nb_error *err)
{
    if (run->xcheck)
        run->sum.nrun_diags =
            nb_xcheck_run_diags(run->xcheck, &run->sum.run_diags, &run->sum.run_diag_sources);
    if (sum)
        *sum = run->sum;
    if (!run->out || run->finished)
        return NB_OK;
    run->finished = true;
    if (run->out->end(run->out_inst, &run->sum, err) != NB_OK) {
        if (!err->where[0])
            snprintf(err->where, sizeof err->where, "%s", run->out->name);
        return NB_FATAL;
    }
    return nb_sink_commit(run->sink, err);
}
