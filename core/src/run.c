/* run.c - a run's life cycle: limits, the output plugin and its sink, the
 * accounting of every input, and the end of the run.  Reading is in
 * run_read.c, files and folders in run_walk.c.  One report at a time, so
 * memory does not grow with the number of reports; every input ends up
 * either in the output or in the list of failures. */
#include "report_internal.h"
#include "resolve_xyear.h"
#include "run_isolate.h"
#include "util.h"
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

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

/* Where an output plugin's error is said.  A write that failed is the
 * output's: its file, or <stdout>, whatever the plugin named (it knows
 * only its FILE); anything else keeps the plugin's name. */
static void output_where(const nb_run *run, nb_error *e)
{
    if (e->cls == NB_E_IO && run->sink && (!e->where[0] || strcmp(e->where, run->out->name) == 0)) {
        const char *t = nb_sink_target(run->sink);
        snprintf(e->where, sizeof e->where, "%s", !t || strcmp(t, "-") == 0 ? "<stdout>" : t);
    } else if (!e->where[0])
        snprintf(e->where, sizeof e->where, "%s", run->out->name);
}

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
        /* a bad option value is the user's mistake, said as such; any
         * other refusal is the plugin's (69) */
        if (e2.cls == NB_E_USAGE)
            nb_error_set(err, NB_E_USAGE, run->out->name, "%s", e2.text);
        else
            nb_error_set(err, NB_E_PLUGIN, run->out->name, "plugin failed to initialise: %s", e2.text);
        run->out_inst = NULL;
        return NB_FATAL;
    }
    if (!(run->sink = nb_sink_open(target, run->out->caps & NB_CAP_NEEDS_PATH,
                                   nb_context_tmpdir(run->ctx), err)))
        return NB_FATAL;
    if (nb_run_plugin_status(run, run->out->name, NULL, run->out->begin(run->out_inst, run->sink, err),
                             err) != NB_OK) {
        output_where(run, err);
        return NB_FATAL;
    }
    return NB_OK;
}

/* Options of input plugin p from "p.key=value" entries; NULL on error. */
nb_options *nb_run_input_options(const nb_run *run, const nb_plugin *p, nb_error *err)
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
        nb_options *o = nb_run_input_options(run, pi->plugin, err);
        if (!o)
            return NB_FAILED;
        /* a value the plugin refuses (html.spans=bad) is said now, before
         * any input, not first when an input of its format comes */
        void *inst = NULL;
        nb_error why;
        nb_error_clear(&why);
        nb_status st = pi->plugin->create(nb_context_host(run->ctx), o, &inst, &why);
        nb_options_free(o);
        if (st == NB_OK)
            pi->plugin->destroy(inst);
        else if (why.cls == NB_E_USAGE) {
            *err = why;
            return NB_FAILED;
        }
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
    nb_run_host_init(run);
    run->cfg = *cfg;
    run->iso.fd = -1;
    run->lim = merge_limits(cfg->limits);
    clock_gettime(CLOCK_MONOTONIC, &run->t0);
    if (cfg->validate && !(run->xcheck = nb_xcheck_new(nb_context_rules(c)))) {
        nb_error_set(err, NB_E_INTERNAL, NULL, "out of memory");
        nb_run_free(run);
        return NULL;
    }
    /* a run keeps every agency-year it read: past a thousand, on disk */
    nb_xcheck_spill(run->xcheck, nb_context_tmpdir(c), NB_XCHECK_RESIDENT);
    if (check_input_options(run, err) != NB_OK || (cfg->to && open_output(run, err) != NB_OK)) {
        nb_run_free(run);
        return NULL;
    }
    /* SHA-256 is 4 % of a CSV run's CPU; skip it when no one can read it. */
    run->hash_sources = cfg->on_report || (run->out && !(run->out->caps & NB_CAP_NO_SOURCE_HASH));
    if (cfg->jobs > 1)
        run->jobs = nb_jobs_new(run, cfg->jobs); /* NULL: sequential, same output */
    run->jobs_auto = cfg->jobs < 0;
    return run;
}

/* A run of one input (a shell loop's) never counts the CPUs: reading the
 * cgroup files costs 0.15-0.2 ms on the VM of docs/performance.md.  The count
 * is made when an input arrives after an earlier one was emitted; until
 * then every input went through on this thread, so the workers' ring
 * starts empty and the output order is the sequential one.  Only work the
 * workers gain on asks (a text to read or recognise): a report read back
 * (JSON, NDJSON) or a failure does not, as validating and formatting such
 * a report costs less than handing it over (about 25 us of CPU a report,
 * docs/performance.md) and made a long NDJSON stream 40 % slower. */
nb_jobs *nb_run_jobs(nb_run *run)
{
    if (run->jobs_auto && run->emitted && !run->jobs) {
        run->jobs_auto = false;
        int n = nb_default_jobs();
        if (n > 1)
            run->jobs = nb_jobs_new(run, n); /* NULL: sequential, same output */
    }
    return run->jobs;
}

const char *nb_run_temp_path(const nb_run *run)
{
    return run && run->sink ? nb_sink_named_temp(run->sink) : NULL;
}

void nb_run_free(nb_run *run)
{
    if (!run)
        return;
    nb_jobs_free(run->jobs); /* joins the workers, drops what was not written */
    nb_window_free(run->window);
    if (run->out && run->out_inst)
        run->out->destroy(run->out_inst);
    nb_options_free(run->out_opts);
    nb_sink_free(run->sink);
    nb_xcheck_free(run->xcheck);
    nb_iso_free(run);
    free(run);
}

/* Accounting --------------------------------------------------------------- */

nb_status nb_run_record_failure(nb_run *run, const char *source, bool skipped, const char *reason,
                                nb_error *err)
{
    if (run->iso.fd >= 0) /* an isolated child: the parent counts it */
        return nb_iso_send_failure(run, source, skipped, reason, err);
    if (run->rec) /* a worker reading: the writer counts it in order */
        return nb_reading_failure(run->rec, source, skipped, reason, err);
    if (run->jobs) /* made by a document's arrival, not a failure's (nb_run_jobs) */
        return nb_jobs_failure(run->jobs, source, skipped, reason, err);
    return nb_run_emit_failure(run, source, skipped, reason, err);
}

nb_status nb_run_write_failure(nb_run *run, const char *source, bool skipped, const char *reason,
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
    if (!run->out || !run->out->failure)
        return NB_OK;
    nb_error e;
    nb_error_clear(&e);
    nb_status st = nb_run_plugin_status(run, run->out->name, source,
                                        run->out->failure(run->out_inst, &f, &e), &e);
    if (st == NB_FAILED) /* the record is lost, the input is counted already */
        nb_run_note(run, run->out->name, source, &e);
    if (st != NB_FATAL)
        return NB_OK;
    *err = e;
    output_where(run, err);
    return NB_FATAL;
}

void nb_run_format(const nb_run *run, nb_report *r)
{
    if (run->rec && run->writer)
        run = run->writer;
    if (!r || r->out_text || !run->out || !run->out_inst || !run->out->format || !run->out->write_text)
        return;
    r->out_text = run->out->format(run->out_inst, r); /* NULL: written by write() */
}

/* Called on the writing thread: the text stays with the report until the
 * report is freed, by the worker that made both (nb_jobs_give_back), not
 * here against that worker's malloc arena lock. */
void nb_run_unformat(nb_report *r)
{
    if (!r->out_text)
        return;
    free(r->out_stale); /* a second change (joint readings): rare */
    r->out_stale = r->out_text;
    r->out_text = NULL;
    r->out_amended = false;
}

/* Findings added on the writing thread after the text was made: the
 * output splices them into it (amend), which spares this thread making the
 * whole text again from a report another core built; without amend, or
 * when it declines, the report goes to write(). */
void nb_run_amend(const nb_run *run, nb_report *r, size_t from)
{
    if (!r->out_text)
        return;
    char *text = run->out && run->out->amend ? run->out->amend(run->out_inst, r, r->out_text, from) : NULL;
    nb_run_unformat(r);
    r->out_text = text;
    r->out_amended = text != NULL;
}

/* The text formatted on a worker when there is one, else write().
 * write_text frees the text it is given; a text a worker made is copied
 * first and stays with the report, which goes back to that worker to be
 * freed (nb_jobs_give_back).  Freeing the worker's block here took the
 * worker's malloc arena lock for every report against its own malloc
 * calls: 2 of every 3 futex calls of a -j 2 run. */
static nb_status plugin_write(nb_run *run, nb_report *r, nb_error *e)
{
    if (!r->out_text || !run->out->write_text)
        return run->out->write(run->out_inst, r, e);
    bool foreign = run->jobs && !r->out_amended && nb_jobs_emitting_foreign(run->jobs);
    char *text = foreign ? nb_strdup(r->out_text) : NULL;
    if (!text) {
        text = r->out_text;
        r->out_text = NULL;
    }
    return run->out->write_text(run->out_inst, r, text, e);
}

/* The output's write(): NB_FAILED loses this report only (counted as a
 * failed input instead of a converted one); NB_FATAL stops the run. */
static nb_status write_report(nb_run *run, nb_report *r, nb_error *err)
{
    nb_error e;
    nb_error_clear(&e);
    nb_status st = nb_run_plugin_status(run, run->out->name, r->source.path,
                                        plugin_write(run, r, &e), &e);
    if (st == NB_OK)
        return NB_OK;
    if (st == NB_FAILED) {
        run->sum.converted--;
        if (nb_report_count_diags(r, NB_SEV_ERROR))
            run->sum.with_errors--;
        else if (nb_report_count_diags(r, NB_SEV_WARNING))
            run->sum.with_warnings--;
        char *why = nb_strfmt("output %s could not write it: %s", run->out->name, e.text);
        /* already in output order (the writing side of -j): emit directly */
        st = nb_run_write_failure(run, r->source.path ? r->source.path : "report", false,
                                 why ? why : e.text, err);
        free(why);
        return st;
    }
    *err = e;
    output_where(run, err);
    return NB_FATAL;
}

bool nb_run_set_source(nb_report *r, const char *name, const char *format, const char *encoding,
                       uint64_t bytes, const char *sha256)
{
    for (; r; r = r->next) {
        char *path = r->part_line > 0 ? nb_strfmt("%s:%d", name, r->part_line) : NULL;
        if (r->part_line > 0 && !path)
            return false;
        nb_set_str(&r->source.path, path ? path : name);
        free(path);
        nb_set_str(&r->source.format, format);
        nb_set_str(&r->source.encoding, encoding);
        r->source.bytes = bytes;
        memcpy(r->source.sha256, sha256, sizeof r->source.sha256);
        if (!r->source.path || (format && !r->source.format) || (encoding && !r->source.encoding))
            return false;
    }
    return true;
}

nb_status nb_run_hand_on(nb_run *run, nb_report *r, nb_status (*fn)(nb_run *, nb_report *, nb_error *),
                         nb_error *err)
{
    nb_status st = NB_OK;
    while (r) {
        nb_report *next = r->next;
        r->next = NULL;
        if (st == NB_OK)
            st = fn(run, r, err);
        else
            nb_report_free(r);
        r = next;
    }
    return st;
}

nb_status nb_run_deliver(nb_run *run, nb_report *r, nb_error *err)
{
    if (run->iso.fd >= 0) /* an isolated child: the parent validates and writes */
        return nb_iso_send_report(run, r, err);
    if (run->rec) { /* a worker reading: validated and formatted here, written in order */
        if (run->cfg.validate)
            nb_validate(nb_context_rules(run->ctx), r);
        nb_run_format(run, r);
        return nb_reading_report(run->rec, r, err);
    }
    if (run->jobs) /* a worker validates it; a report read back starts none (nb_run_jobs) */
        return nb_jobs_report(run->jobs, r, err);
    if (run->cfg.validate)
        nb_validate(nb_context_rules(run->ctx), r);
    return nb_run_emit_report(run, r, err);
}

/* The findings this thread added to a report a worker built, freed here
 * before the report goes back to that worker: freed there, each took this
 * thread's malloc arena lock once the worker's cache of that size was full
 * (it frees them but never makes them), against this thread's own malloc
 * calls: most of a -j 2 run's futex calls.  An array realloc'd from the
 * worker's stays in the worker's arena, so only one made here is freed. */
static void release_own_diags(nb_run *run, nb_report *r, size_t ndiags, const nb_diag *array)
{
    if (run->jobs && nb_jobs_emitting_foreign(run->jobs))
        nb_report_truncate_diags(r, ndiags, array == NULL);
}

nb_status nb_run_write_report(nb_run *run, nb_report *r, nb_error *err)
{
    size_t ndiags = r->ndiags;
    const nb_diag *array = r->diags;
    if (run->cfg.validate)
        nb_xcheck_add(run->xcheck, r); /* in input order: cross-year checks depend on it */
    if (r->ndiags != ndiags)
        nb_run_amend(run, r, ndiags); /* cross-year findings came after the text was made */
    run->sum.converted++;
    if (nb_report_count_diags(r, NB_SEV_ERROR))
        run->sum.with_errors++;
    else if (nb_report_count_diags(r, NB_SEV_WARNING))
        run->sum.with_warnings++;
    if (run->cfg.on_report)
        run->cfg.on_report(run->cfg.cb_ctx, r);
    progress(run, r->source.path);
    nb_status st = run->out ? write_report(run, r, err) : NB_OK;
    release_own_diags(run, r, ndiags, array);
    if (!run->jobs || !nb_jobs_give_back(run->jobs, r))
        nb_report_free(r); /* else freed by the worker that built it */
    return st;
}

nb_status nb_run_finish(nb_run *run, nb_summary *sum, nb_error *err)
{
    if (run->jobs && nb_jobs_drain(run->jobs, 0, err) != NB_OK)
        return NB_FATAL;
    if (nb_window_flush(run, err) != NB_OK)
        return NB_FATAL;
    if (run->xcheck)
        run->sum.nrun_diags =
            nb_xcheck_run_diags(run->xcheck, &run->sum.run_diags, &run->sum.run_diag_sources);
    if (sum)
        *sum = run->sum;
    if (!run->out || run->finished)
        return NB_OK;
    run->finished = true;
    if (nb_run_plugin_status(run, run->out->name, NULL, run->out->end(run->out_inst, &run->sum, err), err) !=
        NB_OK) {
        output_where(run, err);
        return NB_FATAL;
    }
    return nb_sink_commit(run->sink, err);
}
