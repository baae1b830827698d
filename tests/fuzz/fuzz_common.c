/* fuzz_common.c - see fuzz_common.h. */
#include "fuzz_common.h"
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static nb_context *ctx;
static char tmpdir[256];

void fuzz_fail(const char *what)
{
    fprintf(stderr, "fuzz invariant broken: %s\n", what);
    abort();
}

/* libFuzzer ends a timed run with exit(): the folder, empty after every
 * execution (fuzz_run_bytes checks), goes with the process.  After a crash
 * it stays, with whatever the crashing input left in it. */
static void remove_tmpdir(void)
{
    rmdir(tmpdir);
}

const char *fuzz_tmpdir(void)
{
    if (!tmpdir[0]) {
        const char *base = getenv("TMPDIR");
        snprintf(tmpdir, sizeof tmpdir, "%s/nbfuzz-XXXXXX", base && *base ? base : "/tmp");
        if (!mkdtemp(tmpdir))
            fuzz_fail("cannot create a temp folder");
        atexit(remove_tmpdir);
    }
    return tmpdir;
}

static void quiet_log(void *c, const char *plugin, const char *msg)
{
    (void)c;
    (void)plugin;
    (void)msg;
}

nb_context *fuzz_context(void)
{
    if (ctx)
        return ctx;
    nb_context_config cfg = {.formats_path = NB_FUZZ_FORMATS_DIR,
                             .plugin_path = NB_FUZZ_PLUGIN_DIR,
                             .tmpdir = fuzz_tmpdir(),
                             .log = quiet_log};
    nb_error err;
    nb_error_clear(&err);
    ctx = nb_context_new(&cfg, &err);
    if (!ctx) {
        fprintf(stderr, "%s: %s\n", err.where, err.text);
        fuzz_fail("no context");
    }
    return ctx;
}

typedef struct tally {
    size_t reports, failures;
} tally;

static void on_report(void *c, const nb_report *r)
{
    (void)r;
    ((tally *)c)->reports++;
}

static void on_failure(void *c, const nb_failure *f)
{
    if (!f->source || !f->reason)
        fuzz_fail("a failure without a source or a reason");
    ((tally *)c)->failures++;
}

static bool folder_empty(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d)
        return false;
    size_t n = 0;
    for (struct dirent *e; (e = readdir(d));)
        n += strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0;
    closedir(d);
    return n == 0;
}

void fuzz_run_bytes(const uint8_t *data, size_t size, const char *name, const char *from,
                    const char *to)
{
    if (size > FUZZ_MAX_INPUT)
        size = FUZZ_MAX_INPUT;
    char out[320];
    snprintf(out, sizeof out, "%s/out", fuzz_tmpdir());
    tally t = {0, 0};
    /* the readers' targets leave validation to fuzz_validate and fuzz_run:
     * an execution then costs reading and recognising only */
    nb_run_config cfg = {.from = from, .to = to, .output = to ? out : NULL, .validate = to != NULL,
                         .force_tty = true, .on_report = on_report, .on_failure = on_failure,
                         .cb_ctx = &t};
    nb_error err;
    nb_error_clear(&err);
    nb_run *run = nb_run_new(fuzz_context(), &cfg, &err);
    if (!run)
        fuzz_fail(err.text);
    nb_stream *s = nb_stream_from_memory(name, data, size);
    nb_status st = nb_run_stream(run, s, name, &err);
    nb_stream_free(s);
    nb_summary sum;
    memset(&sum, 0, sizeof sum);
    if (st != NB_FATAL)
        st = nb_run_finish(run, &sum, &err);
    nb_run_free(run);
    if (st == NB_FATAL)
        fuzz_fail(err.text); /* memory input, temp folder of our own: never fatal */
    size_t outcomes = sum.converted + sum.skipped + sum.failed;
    if (outcomes == 0)
        fuzz_fail("an input ended neither converted, skipped nor failed");
    if (outcomes != t.reports + t.failures)
        fuzz_fail("the summary and the callbacks disagree");
    if (to)
        unlink(out);
    if (!folder_empty(fuzz_tmpdir()))
        fuzz_fail("a temp file was left behind");
}
