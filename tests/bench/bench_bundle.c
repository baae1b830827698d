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
#include "bench_util.h"

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

/* Converts the bundle to ndjson in out; prints one result line. */
static int convert(void *arg)
{
    const bench_job *j = arg;
    bench_result r;
    int rc = bench_convert(j->bundle, j->out, &r);
    if (rc == 0)
        printf("%-6s %6d reports: %5zu converted %4zu skipped %4zu failed  %7.2f s  %8.0f reports/s  "
               "peak RSS %6ld KiB (before run %6ld KiB)\n",
               j->kind, j->n, r.converted, r.skipped, r.failed, r.secs,
               r.secs > 0 ? (double)r.converted / r.secs : 0.0, r.peak_kib, r.before_kib);
    return rc;
}

static int bench_one(const aw_api *la, const char *dir, aw_format fmt, const char *text,
                     size_t len, int n)
{
    return bench_bundle_once(la, dir, fmt, "云溪县统计局2023.txt", text, len, n, convert);
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
