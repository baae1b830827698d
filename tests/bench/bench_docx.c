/* bench_docx.c - converts zip bundles of N Word reports in-process and
 * prints reports/second, MB/second and peak RSS per N, to show that the
 * docx reader's memory stays flat as a bundle grows (one package, one
 * document.xml and one model in memory at a time).
 *
 *   bench_docx [N ...]        default: 100 500 2000
 *
 * The report is made by tests/data/docx/make_docx.py (python3) in the
 * Word style (tracked changes, content controls, a text box); each N runs
 * in its own child process so that ru_maxrss is that run's peak.  Built by
 * tests/bench, never run as a test. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "nianbao/nianbao.h"
#include "../unit/test_archive_writer.h"

static char *make_report(const char *dir, size_t *len)
{
    char cmd[8192], path[4200];
    const char *slash = strrchr(__FILE__, '/');
    int dirlen = slash ? (int)(slash - __FILE__) : 1;
    snprintf(path, sizeof path, "%s/one.docx", dir);
    snprintf(cmd, sizeof cmd, "python3 '%.*s/../data/docx/make_docx.py' report word '%s' 1", dirlen,
             slash ? __FILE__ : ".", path);
    if (system(cmd) != 0)
        return NULL;
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    char *buf = malloc(1 << 22);
    *len = buf ? fread(buf, 1, 1 << 22, f) : 0;
    fclose(f);
    return buf;
}

static int make_bundle(const aw_api *la, const char *path, const char *data, size_t len, int n)
{
    aw_member *m = calloc((size_t)n, sizeof *m);
    char(*names)[64] = calloc((size_t)n, sizeof *names);
    int rc = -1;
    if (m && names) {
        for (int i = 0; i < n; i++) {
            snprintf(names[i], sizeof names[i], "年报/%05d/某县某局2024年报.docx", i);
            m[i] = (aw_member){.name = names[i], .data = data, .len = len};
        }
        aw_opts o = {.unicode = true};
        rc = aw_write(la, path, AW_ZIP, &o, m, (size_t)n);
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

static int convert(const char *bundle, const char *out, int n, size_t len)
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
    printf("docx %6d reports: %5zu converted %4zu failed  %7.2f s  %7.1f reports/s  %6.1f MB/s  "
           "peak RSS %6ld KiB (before run %6ld KiB)\n",
           n, sum.converted, sum.failed, dt, dt > 0 ? (double)sum.converted / dt : 0.0,
           dt > 0 ? (double)len * (double)n / dt / 1e6 : 0.0, peak_kib(), before);
    return st == NB_FATAL ? 1 : 0;
}

static int bench_one(const aw_api *la, const char *dir, const char *data, size_t len, int n)
{
    char bundle[4200], out[4200];
    snprintf(bundle, sizeof bundle, "%s/bundle-%d.zip", dir, n);
    snprintf(out, sizeof out, "%s/out-%d.ndjson", dir, n);
    if (make_bundle(la, bundle, data, len, n) != 0) {
        fprintf(stderr, "cannot build %s\n", bundle);
        return 1;
    }
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        int rc = convert(bundle, out, n, len);
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
        fprintf(stderr, "bench_docx: cannot open libarchive\n");
        return 1;
    }
    const char *tmp = getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp";
    char dir[4096];
    snprintf(dir, sizeof dir, "%s/nb-bench-docx-XXXXXX", tmp);
    if (!mkdtemp(dir)) {
        perror("mkdtemp");
        return 1;
    }
    size_t len = 0;
    char *data = make_report(dir, &len);
    if (!data || !len) {
        fprintf(stderr, "bench_docx: cannot make the report (python3 and tests/data/docx/make_docx.py)\n");
        return 1;
    }
    static const int defaults[] = {100, 500, 2000};
    int rc = 0;
    if (argc > 1)
        for (int i = 1; i < argc; i++)
            rc |= bench_one(&la, dir, data, len, atoi(argv[i]));
    else
        for (size_t i = 0; i < sizeof defaults / sizeof defaults[0]; i++)
            rc |= bench_one(&la, dir, data, len, defaults[i]);
    char path[4200];
    snprintf(path, sizeof path, "%s/one.docx", dir);
    remove(path);
    snprintf(path, sizeof path, "%s/one.truth.json", dir);
    remove(path);
    rmdir(dir);
    free(data);
    dlclose(la.dl);
    return rc;
}
