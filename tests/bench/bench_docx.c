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
#include "bench_util.h"

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

static int convert(void *arg)
{
    const bench_job *j = arg;
    bench_result r;
    int rc = bench_convert(j->bundle, j->out, &r);
    if (rc == 0)
        printf("docx %6d reports: %5zu converted %4zu failed  %7.2f s  %7.1f reports/s  %6.1f MB/s  "
               "peak RSS %6ld KiB (before run %6ld KiB)\n",
               j->n, r.converted, r.failed, r.secs, r.secs > 0 ? (double)r.converted / r.secs : 0.0,
               r.secs > 0 ? (double)j->len * (double)j->n / r.secs / 1e6 : 0.0, r.peak_kib, r.before_kib);
    return rc;
}

static int bench_one(const aw_api *la, const char *dir, const char *data, size_t len, int n)
{
    return bench_bundle_once(la, dir, AW_ZIP, "某县某局2024年报.docx", data, len, n, convert);
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
