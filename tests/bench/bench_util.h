/* bench_util.h - what the bundle benchmarks share: a bundle of N copies of
 * one member, a whole in-process conversion to NDJSON with its time and
 * peak RSS, and a run in a child process so that ru_maxrss is that run's
 * peak, not the largest so far.  Header-only: each bench is one file. */
#ifndef NB_BENCH_UTIL_H
#define NB_BENCH_UTIL_H

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "nianbao/nianbao.h"
#include "../unit/test_archive_writer.h"

static inline double bench_now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static inline long bench_peak_kib(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return ru.ru_maxrss; /* KiB on Linux */
}

/* Writes an archive of n copies of data, member i named "folder/i/file"
 * (i as %05d); 0 on success. */
static inline int bench_make_bundle(const aw_api *la, const char *path, aw_format fmt, const char *folder,
                                    const char *file, const char *data, size_t len, int n)
{
    aw_member *m = calloc((size_t)n, sizeof *m);
    char(*names)[96] = calloc((size_t)n, sizeof *names);
    int rc = -1;
    if (m && names) {
        for (int i = 0; i < n; i++) {
            snprintf(names[i], sizeof names[i], "%s/%05d/%s", folder, i, file);
            m[i] = (aw_member){.name = names[i], .data = data, .len = len};
        }
        aw_opts o = {.unicode = true};
        rc = aw_write(la, path, fmt, &o, m, (size_t)n);
    }
    free(m);
    free(names);
    return rc;
}

typedef struct bench_result {
    size_t converted, skipped, failed;
    double secs;
    long peak_kib, before_kib; /* peak RSS at the end, and before the run started */
} bench_result;

/* Converts bundle to NDJSON in out with a fresh context; 0 when the run
 * was not fatal. */
static inline int bench_convert(const char *bundle, const char *out, bench_result *res)
{
    nb_error err;
    nb_error_clear(&err);
    nb_context_config cc = {0};
    nb_context *ctx = nb_context_new(&cc, &err);
    if (!ctx) {
        fprintf(stderr, "context: %s\n", nb_error_message(&err));
        return 1;
    }
    res->before_kib = bench_peak_kib();
    nb_run_config rc = {.to = "ndjson", .output = out};
    nb_run *run = nb_run_new(ctx, &rc, &err);
    if (!run) {
        fprintf(stderr, "run: %s: %s\n", nb_error_where(&err), nb_error_message(&err));
        nb_context_free(ctx);
        return 1;
    }
    double t0 = bench_now();
    nb_status st = nb_run_input(run, bundle, &err);
    nb_summary sum = {0};
    if (st != NB_FATAL)
        st = nb_run_finish(run, &sum, &err);
    res->secs = bench_now() - t0;
    nb_run_free(run);
    nb_context_free(ctx);
    res->converted = sum.converted;
    res->skipped = sum.skipped;
    res->failed = sum.failed;
    res->peak_kib = bench_peak_kib();
    return st == NB_FATAL ? 1 : 0;
}

/* Runs fn(arg) in a child process; its exit status (1 when it died). */
static inline int bench_in_child(int (*fn)(void *), void *arg)
{
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        int rc = fn(arg);
        fflush(stdout); /* _exit does not flush stdio */
        _exit(rc);
    }
    int status = 1;
    if (pid > 0)
        waitpid(pid, &status, 0);
    return WIFEXITED(status) ? WEXITSTATUS(status) : 1;
}

/* One bundle of n copies of a member, converted in a child process. */
typedef struct bench_job {
    const char *bundle, *out, *kind;
    int n;
    size_t len; /* bytes of the member */
} bench_job;

/* Builds DIR/bundle-N.KIND of n copies of data named FILE, runs
 * run(job) in a child (it converts and prints its line), removes the
 * bundle and the output; the child's status. */
static inline int bench_bundle_once(const aw_api *la, const char *dir, aw_format fmt, const char *file,
                                    const char *data, size_t len, int n, int (*run)(void *))
{
    char bundle[4200], out[4200];
    const char *kind = fmt == AW_ZIP ? "zip" : "tar.gz";
    snprintf(bundle, sizeof bundle, "%s/bundle-%d.%s", dir, n, kind);
    snprintf(out, sizeof out, "%s/out-%d.ndjson", dir, n);
    if (bench_make_bundle(la, bundle, fmt, "年报", file, data, len, n) != 0) {
        fprintf(stderr, "cannot build %s\n", bundle);
        return 1;
    }
    bench_job j = {bundle, out, kind, n, len};
    int rc = bench_in_child(run, &j);
    remove(bundle);
    remove(out);
    return rc;
}

#endif
