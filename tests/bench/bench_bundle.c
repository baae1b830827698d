/* bench_bundle.c - converts zip bundles of N reports in-process and prints
 * reports/second and peak RSS per N, to show that memory stays flat as a
 * bundle grows (the pipeline holds one report at a time and the archive
 * plugin one member).
 *
 *   bench_bundle [N ...]        default: 100 1000 5000
 *
 * Each N runs in its own child process so that ru_maxrss is that run's
 * peak, not the largest so far.  Both zip and tar.gz are measured: for a
 * zip, libarchive's seekable reader keeps the central directory (one small
 * record per member) in memory, so zip grows by a few hundred bytes per
 * member while tar.gz stays flat.  Built by tests/bench, never run as a test. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "nianbao/nianbao.h"
#include "../unit/test_archive_writer.h"

/* The fixture report, found beside this source file. */
static char *read_fixture(size_t *len)
{
    char path[4096];
    const char *slash = strrchr(__FILE__, '/');
    int dirlen = slash ? (int)(slash - __FILE__) : 1;
    snprintf(path, sizeof path, "%.*s/../data/archive/yunxi_tongji_2023.txt", dirlen,
             slash ? __FILE__ : ".");
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    char *buf = malloc(1 << 20);
    *len = buf ? fread(buf, 1, (1 << 20) - 1, f) : 0;
    fclose(f);
    return buf;
}

/* Builds a zip or tar.gz of n copies, each under its own name. */
static int make_bundle(const aw_api *la, const char *path, aw_format fmt, const char *text,
                       size_t len, int n)
{
    aw_member *m = calloc((size_t)n, sizeof *m);
    char(*names)[64] = calloc((size_t)n, sizeof *names);
    int rc = -1;
    if (m && names) {
        for (int i = 0; i < n; i++) {
            snprintf(names[i], sizeof names[i], "年报/%05d/云溪县统计局2023.txt", i);
            m[i] = (aw_member){.name = names[i], .data = text, .len = len};
        }
        aw_opts o = {.unicode = true};
        rc = aw_write(la, path, fmt, &o, m, (size_t)n);
    }
    free(m);
    free(names);
    return rc;
}

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static long peak_kib(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return ru.ru_maxrss; /* KiB on Linux */
}

/* Converts the bundle to ndjson in out; prints one result line. */
static int convert(const char *bundle, const char *out, int n, const char *kind)
{
    nb_error err;
    nb_error_clear(&err);
    nb_context_config cc = {0};
    nb_context *ctx = nb_context_new(&cc, &err);
    if (!ctx) {
        fprintf(stderr, "context: %s\n", err.text);
        return 1;
    }
    long before = peak_kib();
    nb_run_config rc = {.to = "ndjson", .output = out};
    nb_run *run = nb_run_new(ctx, &rc, &err);
    if (!run) {
        fprintf(stderr, "run: %s: %s\n", err.where, err.text);
        nb_context_free(ctx);
        return 1;
    }
    double t0 = now();
    nb_status st = nb_run_input(run, bundle, &err);
    nb_summary sum = {0};
    if (st != NB_FATAL)
        st = nb_run_finish(run, &sum, &err);
    double dt = now() - t0;
    nb_run_free(run);
    nb_context_free(ctx);
    printf("%-6s %6d reports: %5zu converted %4zu skipped %4zu failed  %7.2f s  %8.0f reports/s  "
           "peak RSS %6ld KiB (before run %6ld KiB)\n",
           kind, n, sum.converted, sum.skipped, sum.failed, dt, dt > 0 ? (double)sum.converted / dt : 0.0,
           peak_kib(), before);
    return st == NB_FATAL ? 1 : 0;
}

static int bench_one(const aw_api *la, const char *dir, aw_format fmt, const char *text,
                     size_t len, int n)
{
    char bundle[4200], out[4200];
    const char *kind = fmt == AW_ZIP ? "zip" : "tar.gz";
    snprintf(bundle, sizeof bundle, "%s/bundle-%d.%s", dir, n, kind);
    snprintf(out, sizeof out, "%s/out-%d.ndjson", dir, n);
    if (make_bundle(la, bundle, fmt, text, len, n) != 0) {
        fprintf(stderr, "cannot build %s\n", bundle);
        return 1;
    }
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        int rc = convert(bundle, out, n, kind);
        fflush(stdout); /* _exit does not flush stdio */
        _exit(rc);
    }
    int status = 1;
    if (pid > 0)
        waitpid(pid, &status, 0);
    remove(bundle);
    remove(out);
    return WIFEXITED(status) ? WEXITSTATUS(status) : 1;
}

int main(int argc, char **argv)
{
    aw_api la;
    if (!aw_load(&la)) {
        fprintf(stderr, "bench_bundle: cannot open libarchive\n");
        return 1;
    }
    size_t len = 0;
    char *text = read_fixture(&len);
    if (!text || !len) {
        fprintf(stderr, "bench_bundle: fixture report not found beside %s\n", __FILE__);
        return 1;
    }
    const char *tmp = getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp";
    char dir[4096];
    snprintf(dir, sizeof dir, "%s/nb-bench-XXXXXX", tmp);
    if (!mkdtemp(dir)) {
        perror("mkdtemp");
        return 1;
    }
    static const int defaults[] = {100, 1000, 5000};
    static const aw_format fmts[] = {AW_ZIP, AW_TGZ};
    int rc = 0;
    for (size_t f = 0; f < 2; f++) {
        if (argc > 1)
            for (int i = 1; i < argc; i++)
                rc |= bench_one(&la, dir, fmts[f], text, len, atoi(argv[i]));
        else
            for (size_t i = 0; i < sizeof defaults / sizeof defaults[0]; i++)
                rc |= bench_one(&la, dir, fmts[f], text, len, defaults[i]);
    }
    rmdir(dir);
    free(text);
    dlclose(la.dl);
    return rc;
}
