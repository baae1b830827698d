/* bench_speed.c - the project's own speed benchmark (issue 13,
 * docs/performance.md).  In one run on one machine it
 *
 *   1. generates bundles of N reports from the repository's own example
 *      reports (every layout the readers take: plain text, GBK text,
 *      markdown, HTML), as a folder and as a tar.gz, and bundles of N PDF
 *      and N Word reports when their readers are built (speed_docs.c),
 *   2. times the stages in-process (split, recognise, validate) per report,
 *   3. times whole `nianbao` processes (folder and tar.gz to NDJSON, CSV and
 *      XLSX, --no-validate, -j 1 and -j 2) with their peak RSS, and the
 *      same size as a national collection, every copy its own agency (the
 *      run then keeps a cross-year snapshot per report),
 *   4. times the floors on the same files: `bsdtar -xOf` of the bundle, the
 *      same plus one pass over the text (`wc -l`), and libxlsxwriter alone
 *      writing as many cells as the XLSX output holds,
 *   5. prints the ratios against the floors (for the goal's jobs, bundle ->
 *      NDJSON/CSV at -j 1, also from runs alternated with the floor's, and
 *      per report beyond start-up), what two separate runs side by side
 *      give on this machine and -j 2 against them, in the same rounds
 *      (the ceiling -j 2 is read against), start-up
 *      time (median of repeated one-file runs), the peak RSS of a single
 *      4 MB report, and each kind's peak RSS across the sizes,
 *   6. times the second stage of a pipeline: the bundle's own NDJSON read
 *      back into CSV (-j 1 and the default), against reading the texts.
 *
 *   bench_speed [N ...]        default: 1000 10000 (100000 takes minutes);
 *                              0: only stages, start-up and the 4 MB report
 *   NB_BENCH_NIANBAO=PATH      time another nianbao executable (before/after)
 *   NB_BENCH_ONLY=TEXT         only the whole runs whose name contains TEXT
 *                              (e.g. "tar.gz -> ndjson" for a 100 000 run)
 *
 * Built by tests/bench, never run as a test: nothing here is asserted. */
#include "nianbao/nianbao.h"
#include "nianbao/recognise.h"
#include "speed_docs.h"
#include "speed_run.h"
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <xlsxwriter.h>

#define MAXFIX 32

/* An executable from before -j existed takes "-q -q" where "-j 1" goes. */
static bool has_jobs = true;

static void set_jobs(char **argv, const char *n)
{
    jobs_args(argv, n, has_jobs);
}

typedef struct fixture {
    char name[256];
    char ext[16];
    char *text;
    size_t len;
    char agency[256]; /* as recognised, when the text holds it as printed ("" none) */
} fixture;

/* The example reports of the source tree: every layout the readers take. */
static size_t load_fixtures(fixture *fx)
{
    static const char *const dirs[] = {"examples/reports", "tests/data/archive", "tests/data/html",
                                       "tests/data/outputs", "tests/data/recognise"};
    size_t n = 0;
    for (size_t d = 0; d < sizeof dirs / sizeof *dirs; d++) {
        char dir[PATH_MAX];
        snprintf(dir, sizeof dir, "%s/%s", NB_BENCH_SOURCE, dirs[d]);
        struct dirent **ents;
        int k = scandir(dir, &ents, NULL, alphasort);
        for (int i = 0; i < k; i++) {
            const char *dot = strrchr(ents[i]->d_name, '.');
            bool ok = dot && strncmp(ents[i]->d_name, "README", 6) != 0 &&
                      (strcmp(dot, ".txt") == 0 || strcmp(dot, ".md") == 0 ||
                              strcmp(dot, ".html") == 0);
            if (ok && n < MAXFIX) {
                char path[PATH_MAX + 256];
                snprintf(path, sizeof path, "%s/%s", dir, ents[i]->d_name);
                fixture *f = &fx[n];
                snprintf(f->name, sizeof f->name, "%.*s", (int)(dot - ents[i]->d_name), ents[i]->d_name);
                snprintf(f->ext, sizeof f->ext, "%s", dot);
                if ((f->text = slurp(path, &f->len)))
                    n++;
            }
            free(ents[i]);
        }
        if (k > 0)
            free(ents);
    }
    return n;
}

/* The whole runs' argv arrays hold 12 slots, NULL-terminated. */
#define RUN_ARGV 12

/* argv (its "-j N" at jslot) copied into dst with -j n. */
static void argv_with_jobs(char *dst[RUN_ARGV], char **argv, char **jslot, const char *n)
{
    size_t argc = 0;
    while (argc < RUN_ARGV - 1 && argv[argc])
        argc++;
    memcpy(dst, argv, argc * sizeof *argv);
    dst[argc] = NULL;
    set_jobs(dst + (jslot - argv), n);
}

/* -j 2 against -j 1, in alternated pairs; argv has its "-j N" at jslot.
 * Returns the median of -j 1's wall time over -j 2's (0: no pair ran). */
static double jobs_ratio(const char *what, char **argv, char **jslot, const char *out, int k)
{
    char *one[RUN_ARGV], *two[RUN_ARGV];
    argv_with_jobs(one, argv, jslot, "1");
    argv_with_jobs(two, argv, jslot, "2");
    double w[3], c[3];
    int n = paired(one, two, out, k, w, c);
    if (n) /* c is -j 1's CPU over -j 2's: its inverse is what -j 2 costs */
        printf("  -j 2 against -j 1 (%s), median of %d alternated pairs: %.2fx faster by wall "
               "(%.2f-%.2f), %.2fx the CPU time (%.2f-%.2f)\n",
               what, n, w[0], w[1], w[2], 1 / c[0], 1 / c[2], 1 / c[1]);
    return n ? w[0] : 0;
}

/* A job's time over the floor's: medians of alternated pairs (0: none ran). */
typedef struct ratio {
    double wall, cpu;
} ratio;

/* The goal's ratio (issue 13: bundle -> CSV/NDJSON within 3x of reading
 * the bundle and one pass over its text), from alternated pairs with the
 * floor rather than from two medians taken minutes apart. */
static ratio floor_ratio(const char *what, char *const job[], char *const floor[], const char *out, int k)
{
    double w[3], c[3];
    int n = paired(job, floor, out, k, w, c);
    if (!n)
        return (ratio){0, 0};
    printf("  %s against the floor, median of %d alternated pairs: %.2fx by CPU (%.2f-%.2f), "
           "%.2fx by wall (%.2f-%.2f)\n",
           what, n, c[0], c[1], c[2], w[0], w[1], w[2]);
    return (ratio){w[0], c[0]};
}

/* Rounds of two_core_ceiling for n reports: a round of 100 000 takes minutes. */
static int ceiling_rounds(int n)
{
    return n >= 50000 ? 1 : n >= 5000 ? 3 : 7;
}

/* The smaller of two wall times, a failed run (<= 0) counting as none. */
static double min_wall(double a, double b)
{
    return a <= 0 ? b : b <= 0 ? a : a < b ? a : b;
}

/* What two cores give on this machine, and how much of it -j 2 takes: k
 * rounds of a -j 1 run alone, a -j 2 run, then two -j 1 runs side by side
 * (each the faster of two).  Two vCPUs of a VM may share a core, its caches or the memory
 * bandwidth, and how much they share drifts within minutes (two runs side
 * by side gave 1.16x and 2.04x an hour apart on one VM), so -j 2 is read
 * against the ceiling measured in the same rounds, never one taken minutes
 * before.  argv runs -j 1 (its "-j N" at jslot); returns the ceiling's
 * median, sets *j2 to -j 2's speed-up and *share to its ratio to the
 * ceiling, each the median of the rounds. */
static double two_core_ceiling(char **argv, char **jslot, const char *out, int k, double *share, double *j2)
{
    char *one_argv[RUN_ARGV], *two[RUN_ARGV];
    argv_with_jobs(one_argv, argv, jslot, "1");
    argv_with_jobs(two, argv, jslot, "2");
    /* The pair writes its outputs as the runs alone do: to /dev/null it
     * skipped the 30 ms of a 10 000-report file each, and the ceiling came
     * out that much higher than what -j 2 was read against. */
    char out_b[PATH_MAX];
    snprintf(out_b, sizeof out_b, "%s.pair", out);
    double c[16], s[16], e[16];
    int n = 0;
    for (int i = 0; i < k && i < 16; i++) {
        /* each the fastest of two: the run least disturbed by the VM */
        double one = 0, both = 0, pair = 0; /* -j 1, -j 2, two -j 1 side by side */
        for (int m = 0; m < 2; m++) {
            one = min_wall(one, run(one_argv, out).wall);
            both = min_wall(both, run(two, out).wall);
            fflush(stdout);
            double t0 = now();
            pid_t a = spawn(one_argv, out), b = spawn(one_argv, out_b);
            timing ta = reap(a, t0), tb = reap(b, t0); /* tb's wall: both are done */
            pair = min_wall(pair, ta.wall > 0 && tb.wall > 0 ? (ta.wall > tb.wall ? ta.wall : tb.wall) : 0);
        }
        if (one > 0 && both > 0 && pair > 0) {
            c[n] = 2 * one / pair;
            s[n] = one / both;
            e[n] = s[n] / c[n];
            n++;
        }
    }
    remove(out_b);
    double rc[3], rs[3], re[3];
    *share = *j2 = 0;
    if (!n)
        return 0;
    spread(c, n, rc);
    spread(s, n, rs);
    spread(e, n, re);
    printf("  this machine's two cores, %d rounds of -j 1 alone, -j 2, and two separate -j 1 runs side by side "
           "(each the faster of two): the pair %.2fx the throughput of one (%.2f-%.2f), -j 2 %.2fx faster than "
           "-j 1 (%.2f-%.2f); -j 2's speed-up is %.0f %% of the pair's in the same round (%.0f-%.0f %%)\n",
           n, rc[0], rc[1], rc[2], rs[0], rs[1], rs[2], 100 * re[0], 100 * re[1], 100 * re[2]);
    *share = re[0];
    *j2 = rs[0];
    return rc[0];
}

/* A report's cost beyond start-up: the run on n reports less the same run
 * on one report, over n - 1, for nianbao and for the floor.  Start-up
 * weighs differently in the two (the floor is three processes, nianbao
 * loads libarchive's libraries and its templates), so the ratio of whole
 * runs moves with n; this one is what it tends to for large bundles.  f1:
 * the floor's run on the one-report bundle. */
static void per_report(const char *what, char *const job1[], timing job, timing floor, timing f1, int n,
                       const char *out, int k)
{
    if (n < 2)
        return;
    timing j1 = median_run(job1, out, k); /* written where the n-report run wrote */
    double nb = (job.cpu - j1.cpu) / (n - 1), fl = (floor.cpu - f1.cpu) / (n - 1);
    if (nb > 0 && fl > 0)
        printf("  %s beyond start-up (less a one-report bundle's run, %.1f and %.1f ms CPU): %.1f us CPU a "
               "report against the floor's %.1f us, %.2fx\n",
               what, j1.cpu * 1e3, f1.cpu * 1e3, nb * 1e6, fl * 1e6, nb / fl);
}

/* The agency of copy i: a numbered bureau of the fixture's own, "白沙市
 * 生态环境第一二局" (Chinese digits: the name still reads as a name). */
static void numbered_agency(const char *agency, int i, char *out, size_t cap)
{
    static const char *const digit[] = {"零", "一", "二", "三", "四", "五", "六", "七", "八", "九"};
    size_t n = strlen(agency), last = n;
    while (last > 0 && ((unsigned char)agency[--last] & 0xC0) == 0x80)
        ; /* the start of the last UTF-8 character */
    char num[64] = "", dec[16];
    snprintf(dec, sizeof dec, "%d", i);
    for (const char *d = dec; *d; d++)
        strcat(num, digit[*d - '0']);
    snprintf(out, cap, "%.*s第%s%s", (int)last, agency, num, agency + last);
}

/* f's text with every occurrence of its agency replaced by copy i's; NULL
 * when the fixture has none to replace (the text is then written as is). */
static char *with_agency(const fixture *f, int i, size_t *len)
{
    if (!f->agency[0] || !strstr(f->text, f->agency))
        return NULL;
    char mine[512];
    numbered_agency(f->agency, i, mine, sizeof mine);
    size_t a = strlen(f->agency), m = strlen(mine), hits = 0;
    for (const char *p = f->text; (p = strstr(p, f->agency)); p += a)
        hits++;
    char *out = malloc(f->len + hits * (m - a) + 1), *w = out;
    if (!out)
        return NULL;
    const char *p = f->text;
    for (const char *q; (q = strstr(p, f->agency)); p = q + a) {
        memcpy(w, p, (size_t)(q - p)), w += q - p;
        memcpy(w, mine, m), w += m;
    }
    size_t rest = f->len - (size_t)(p - f->text);
    memcpy(w, p, rest), w += rest;
    *len = (size_t)(w - out);
    return out;
}

/* N reports in dir/NNNNN/, cycling through the fixtures; returns bytes.
 * distinct: each copy of a fixture is its own agency's report (a national
 * collection), not the same agency-year again (R-X-DUPLICATE). */
static size_t make_folder(const char *dir, const fixture *fx, size_t nfx, int n, bool distinct)
{
    size_t bytes = 0;
    mkdir(dir, 0700);
    for (int i = 0; i < n; i++) {
        char sub[PATH_MAX + 16], path[PATH_MAX + 300];
        snprintf(sub, sizeof sub, "%s/%03d", dir, i / 1000);
        if (i % 1000 == 0)
            mkdir(sub, 0700);
        const fixture *f = &fx[(size_t)i % nfx];
        snprintf(path, sizeof path, "%s/%05d_%s%s", sub, i, f->name, f->ext);
        size_t len = f->len;
        char *text = distinct ? with_agency(f, i, &len) : NULL;
        bool ok = write_file(path, text ? text : f->text, len);
        free(text);
        if (!ok)
            return 0;
        bytes += len;
    }
    return bytes;
}

/* The fixtures the stages take: UTF-8 text, split as the text reader does
 * (HTML and GBK text are decoded by their readers, not by a plain split). */
static bool stage_fixture(const fixture *f)
{
    return strcmp(f->ext, ".html") != 0 && !strstr(f->name, "gbk");
}

/* One report through the three stages; t (when given) gets each stage's
 * CPU time added.  Returns whether a report came out. */
static bool one_report(nb_context *ctx, const fixture *f, double t[3])
{
    double t0 = t ? cpu_now() : 0;
    nb_doc *d = nb_doc_new("bench");
    nb_doc_split_text(d, f->text, f->len, NB_SPLIT_TABS);
    double t1 = t ? cpu_now() : 0;
    nb_error err;
    nb_error_clear(&err);
    nb_report *r = nb_recognise(nb_context_templates(ctx), d, &err);
    double t2 = t ? cpu_now() : 0;
    if (r)
        nb_validate(nb_context_rules(ctx), r);
    if (t) {
        double t3 = cpu_now();
        t[0] += t1 - t0;
        t[1] += t2 - t1;
        t[2] += t3 - t2;
    }
    bool got = r != NULL;
    nb_report_free(r);
    nb_doc_free(d);
    return got;
}

/* Each fixture's agency as recognised from its bytes split as text, when
 * the text holds it as printed (not GBK): the bundles of distinct
 * agencies number it per copy. */
static void find_agencies(nb_context *ctx, fixture *fx, size_t nfx)
{
    for (size_t i = 0; i < nfx; i++) {
        nb_doc *d = nb_doc_new("bench");
        nb_doc_split_text(d, fx[i].text, fx[i].len, NB_SPLIT_TABS);
        nb_error err;
        nb_error_clear(&err);
        nb_report *r = nb_recognise(nb_context_templates(ctx), d, &err);
        const char *a = r ? nb_report_agency(r) : NULL;
        if (a && *a && strlen(a) < sizeof fx[i].agency && strstr(fx[i].text, a))
            strcpy(fx[i].agency, a);
        nb_report_free(r);
        nb_doc_free(d);
    }
}

#define STAGE_PASSES 9
#define STAGE_ROUNDS 10

/* In-process stage times over the UTF-8 text fixtures.  The split per
 * stage comes from one pass timed report by report; the throughput from
 * STAGE_PASSES passes each timed whole, with no clock call per report
 * (a process CPU clock is a system call, not a vDSO read).  A VM's speed
 * drifts from minute to minute: the median pass and the range are
 * printed, not one sum that mixes fast and slow minutes. */
static void stages(nb_context *ctx, const fixture *fx, size_t nfx)
{
    double t[3] = {0, 0, 0};
    size_t reports = 0, bytes = 0;
    for (int k = 0; k < 5 * STAGE_ROUNDS; k++)
        for (size_t i = 0; i < nfx; i++)
            if (stage_fixture(&fx[i])) {
                reports += one_report(ctx, &fx[i], t);
                bytes += fx[i].len;
            }
    double per = reports ? 1e6 / (double)reports : 0;
    printf("stages, in-process CPU time, %zu reports of %.1f KB average:\n", reports,
           reports ? (double)bytes / (double)reports / 1024 : 0);
    printf("  split %8.1f us/report\n  recognise %4.1f us/report\n  validate %5.1f us/report\n",
           t[0] * per, t[1] * per, t[2] * per);
    double mbs[STAGE_PASSES];
    size_t pass_reports = 0;
    for (int p = 0; p < STAGE_PASSES; p++) {
        size_t n = 0, b = 0;
        double t0 = cpu_now();
        for (int k = 0; k < STAGE_ROUNDS; k++)
            for (size_t i = 0; i < nfx; i++)
                if (stage_fixture(&fx[i])) {
                    n += one_report(ctx, &fx[i], NULL);
                    b += fx[i].len;
                }
        double s = cpu_now() - t0;
        mbs[p] = s > 0 ? (double)b / 1e6 / s : 0;
        pass_reports = n;
    }
    qsort(mbs, STAGE_PASSES, sizeof *mbs, cmp_double);
    double mean_kb = reports ? (double)bytes / (double)reports / 1e3 : 1;
    printf("  one core: %.0f reports/s, %.1f MB/s median of %d passes of %zu reports "
           "(%.1f-%.1f MB/s; split+recognise+validate)\n",
           mbs[STAGE_PASSES / 2] * 1e3 / mean_kb, mbs[STAGE_PASSES / 2], STAGE_PASSES, pass_reports,
           mbs[0], mbs[STAGE_PASSES - 1]);
}

static void write_xlsx_floor(const char *path, int rows, int cols)
{
    lxw_workbook *wb = workbook_new(path);
    lxw_worksheet *ws = wb ? workbook_add_worksheet(wb, "reports") : NULL;
    for (int r = 0; ws && r <= rows; r++) {
        for (int c = 0; c < 4; c++)
            worksheet_write_string(ws, (lxw_row_t)r, (lxw_col_t)c, "某某县人民政府办公室", NULL);
        for (int c = 4; c < cols; c++)
            worksheet_write_number(ws, (lxw_row_t)r, (lxw_col_t)c, (double)(r + c) , NULL);
    }
    if (wb)
        workbook_close(wb);
}

/* libxlsxwriter alone writing rows x cols numbers plus a few strings, in a
 * child process: the workbook's memory must not stay in this process,
 * whose peak RSS every later child inherits across fork and exec. */
typedef struct xlsx_shape_arg {
    const char *path;
    int rows, cols;
} xlsx_shape_arg;

static void write_xlsx_floor_arg(const void *arg)
{
    const xlsx_shape_arg *a = arg;
    write_xlsx_floor(a->path, a->rows, a->cols);
}

static timing xlsx_floor(const char *path, int rows, int cols)
{
    xlsx_shape_arg a = {path, rows, cols};
    return run_in_child(write_xlsx_floor_arg, &a);
}

/* Rows and columns of an XLSX output, from the first sheet's dimension. */
static void xlsx_shape(const char *nb, const char *xlsx, const char *dir, int *rows, int *cols)
{
    char cmd[3 * PATH_MAX];
    (void)nb;
    snprintf(cmd, sizeof cmd, "cd '%s' && bsdtar -xOf '%s' xl/worksheets/sheet1.xml 2>/dev/null | "
             "grep -o '<dimension ref=\"[A-Z0-9:]*\"' | head -1", dir, xlsx);
    FILE *p = popen(cmd, "r");
    char line[256] = "";
    if (p) {
        if (!fgets(line, sizeof line, p))
            line[0] = '\0';
        pclose(p);
    }
    char *colon = strchr(line, ':');
    *rows = *cols = 0;
    if (!colon)
        return;
    int c = 0;
    const char *s = colon + 1;
    for (; *s >= 'A' && *s <= 'Z'; s++)
        c = c * 26 + (*s - 'A' + 1);
    *cols = c;
    *rows = atoi(s);
}

static void cleanup(const char *dir, const char *tgz, const char *out, const char *xlsx)
{
    remove_tree(dir);
    remove(tgz);
    remove(out);
    remove(xlsx);
}

/* The same size as a national collection: every copy its own agency, so
 * the run keeps one cross-year snapshot per report (validate_xyear.c)
 * instead of finding the same few agency-years again.  Returns the peak
 * RSS of its runs. */
static long distinct_agencies(const char *nb, const char *tmp, const fixture *fx, size_t nfx, int n, int k,
                              double *j2_round, double *ceiling, double *share)
{
    if (!wanted("distinct agencies"))
        return 0;
    char dir[PATH_MAX], tgz[PATH_MAX], out[PATH_MAX], sh[4 * PATH_MAX];
    snprintf(dir, sizeof dir, "%s/distinct-%d", tmp, n);
    snprintf(tgz, sizeof tgz, "%s/distinct-%d.tar.gz", tmp, n);
    snprintf(out, sizeof out, "%s/distinct-out-%d", tmp, n);
    size_t numbered = 0;
    for (size_t i = 0; i < nfx; i++)
        numbered += fx[i].agency[0] != '\0';
    size_t bytes = make_folder(dir, fx, nfx, n, true);
    snprintf(sh, sizeof sh, "bsdtar -czf '%s' -C '%s' .", tgz, dir);
    long peak = 0;
    if (bytes && system(sh) == 0) {
        printf("  %d reports, %zu of %zu fixtures renamed per copy (the others repeat their agency-year):\n", n,
               numbered, nfx);
        timing none = {0};
        char *one[RUN_ARGV] = {(char *)nb, "convert", "-q", "-j", "1", "-t", "ndjson", tgz, NULL};
        set_jobs(one + 3, "1");
        char *dflt[] = {(char *)nb, "convert", "-q", "-t", "ndjson", tgz, NULL};
        timing t1 = median_run(one, out, k);
        line("distinct agencies: tar.gz -> ndjson, -j 1", t1, (double)bytes / 1e6, n, none);
        peak = t1.rss_kib;
        if (has_jobs) { /* the default -j: what a user's run holds */
            timing td = median_run(dflt, out, k);
            line("distinct agencies: tar.gz -> ndjson, default -j", td, (double)bytes / 1e6, n, none);
            peak = td.rss_kib > peak ? td.rss_kib : peak;
            /* -j 2 where no report is formatted twice: the bundles above
             * repeat agency-years, and each repeat's R-X-DUPLICATE makes the
             * writing thread format that report again */
            printf("  distinct agencies, tar.gz -> ndjson:\n");
            *ceiling = two_core_ceiling(one, one + 3, out, ceiling_rounds(n), share, j2_round);
        }
    }
    remove_tree(dir);
    remove(tgz);
    remove(out);
    return peak;
}

/* The goals as this size's runs read them.  The bundle jobs are
 * read two ways: whole process at the default -j, as the issue measured
 * its figures, and per core (-j 1, CPU), the stricter reading; both are
 * printed so neither hides the other (docs/performance.md, "Where it stands"). */
typedef struct goals {
    ratio one[2], deflt[2]; /* tar.gz -> ndjson, tar.gz -> csv against the floor */
    double j2, ceiling;     /* -j 2 over -j 1 by wall; two separate -j 1 runs over one */
    double j2_round, share; /* -j 2 over -j 1 in the ceiling's rounds, and over the ceiling */
    double dj2_round, dceiling, dshare; /* the same over the bundle of distinct agencies */
    double xlsx;            /* -j 1 by wall over libxlsxwriter alone (0: not run) */
    long peak;
} goals;

static const char *verdict(double v, double bound)
{
    return v <= 0 ? "not measured" : v <= bound ? "met" : "not met";
}

static void print_goals(int n, const goals *g)
{
    static const char *const job[2] = {"ndjson", "csv"};
    printf("  goals at %d reports (default -j %d, %ld cores online):\n", n, nb_default_jobs(),
           sysconf(_SC_NPROCESSORS_ONLN));
    for (int i = 0; i < 2; i++)
        printf("    tar.gz -> %-6s within 3x of the floor: whole process at the default -j %.2fx by wall, %s; "
               "per core (-j 1) %.2fx by CPU, %s\n",
               job[i], g->deflt[i].wall, verdict(g->deflt[i].wall, 3), g->one[i].cpu, verdict(g->one[i].cpu, 3));
    if (g->xlsx > 0)
        printf("    tar.gz -> xlsx within 2x of libxlsxwriter alone: %.2fx by wall at -j 1, %s\n", g->xlsx,
               verdict(g->xlsx, 2));
    if (g->j2_round > 0)
        printf("    -j 2 close to twice one core: %.2fx by wall, where two separate -j 1 runs side by side give "
               "%.2fx in the same rounds (%.0f %% of it); alternated pairs alone: %.2fx\n",
               g->j2_round, g->ceiling, 100 * g->share, g->j2);
    else if (g->j2 > 0)
        printf("    -j 2 close to twice one core: %.2fx by wall (alternated pairs)\n", g->j2);
    if (g->dj2_round > 0)
        printf("    the same over distinct agencies: %.2fx by wall, where two separate -j 1 runs side by side "
               "give %.2fx (%.0f %% of it)\n",
               g->dj2_round, g->dceiling, 100 * g->dshare);
    printf("    peak RSS under 50 MB: %ld KiB, %s\n", g->peak, verdict((double)g->peak, 50 * 1024));
}

/* The XLSX jobs of one size: tar.gz -> xlsx at -j 1 and -j 2 against
 * libxlsxwriter alone writing as many cells; g->xlsx gets the goal's
 * ratio.  csv_cpu: the same bundle's CSV run at -j 1 (0: not run), which
 * reads, recognises and validates alike, so that what the XLSX run takes
 * beyond it is the workbook writer's own cost.  Returns the peak RSS. */
static long xlsx_jobs(const char *nb, const char *tmp, const char *tgz, const char *xlsx, double mb, int n,
                      int k, int pairs, double csv_cpu, goals *g)
{
    char *xargv[] = {(char *)nb, "convert", "-q", "-j", "1", (char *)tgz, "-o", (char *)xlsx, NULL};
    set_jobs(xargv + 3, "1");
    timing x1 = median_run(xargv, NULL, k);
    int rows = 0, cols = 0;
    xlsx_shape(nb, xlsx, tmp, &rows, &cols);
    char floorx[PATH_MAX];
    snprintf(floorx, sizeof floorx, "%s/floor.xlsx", tmp);
    timing fx1 = {1e9, 1e9, 0, 0, 0};
    for (int i = 0; i < k; i++) {
        timing t = xlsx_floor(floorx, rows, cols);
        fx1.wall = t.wall < fx1.wall ? t.wall : fx1.wall;
        fx1.cpu = t.cpu < fx1.cpu ? t.cpu : fx1.cpu;
    }
    printf("  %-34s %7.3f s wall %7.3f s cpu  (%d rows x %d columns)\n",
           "floor: libxlsxwriter alone", fx1.wall, fx1.cpu, rows, cols);
    line("tar.gz -> xlsx, -j 1", x1, mb, n, fx1);
    g->xlsx = fx1.wall > 0 ? x1.wall / fx1.wall : 0;
    long peak = x1.rss_kib;
    if (csv_cpu > 0 && fx1.cpu > 0) {
        if (x1.cpu > csv_cpu)
            printf("  xlsx writer (xlsx -j 1 minus csv -j 1): %.3f s CPU, %.2fx the floor's CPU\n",
                   x1.cpu - csv_cpu, (x1.cpu - csv_cpu) / fx1.cpu);
        else /* the two runs are minutes apart; a VM's speed drifts more than that */
            printf("  xlsx writer (xlsx -j 1 minus csv -j 1): not measurable, the CSV run took longer\n");
    }
    set_jobs(xargv + 3, "2");
    if (has_jobs) {
        timing x2 = median_run(xargv, NULL, k);
        peak = x2.rss_kib > peak ? x2.rss_kib : peak;
        line("tar.gz -> xlsx, -j 2", x2, mb, n, fx1);
        jobs_ratio("tar.gz -> xlsx", xargv, xargv + 3, NULL, pairs);
    }
    remove(floorx);
    return peak;
}

/* A pipeline's second stage (`convert -t ndjson | convert -f ndjson ...`):
 * the bundle's NDJSON read back into CSV, by its own bytes and reports. */
static void read_back(const char *nb, const char *tgz, const char *out, int n, int k)
{
    char nd[PATH_MAX + 8];
    snprintf(nd, sizeof nd, "%s.ndjson", tgz);
    char *make[] = {(char *)nb, "convert", "-q", "-j", "1", "-t", "ndjson", (char *)tgz, NULL};
    struct stat st;
    if (run(make, nd).status > 1 || stat(nd, &st) != 0) {
        remove(nd);
        return;
    }
    double mb = (double)st.st_size / 1e6;
    char *j1[] = {(char *)nb, "convert", "-q", "-j", "1", "-f", "ndjson", "-t", "csv", nd, NULL};
    char *dflt[] = {(char *)nb, "convert", "-q", "-f", "ndjson", "-t", "csv", nd, NULL};
    timing none = {0};
    printf("  (NDJSON of the bundle: %.1f MB; MB/s below are of it)\n", mb);
    line("ndjson (read back) -> csv, -j 1", median_run(j1, out, k), mb, n, none);
    line("ndjson (read back) -> csv, default -j", median_run(dflt, out, k), mb, n, none);
    remove(nd);
}

/* One size: the text bundle's jobs, floors and goals.  Returns the peak
 * RSS of its nianbao runs (0: the bundle could not be made). */
static long bench_size(const char *nb, const char *tmp, const fixture *fx, size_t nfx, int n)
{
    goals g = {0};
    char dir[PATH_MAX], tgz[PATH_MAX], out[PATH_MAX], xlsx[PATH_MAX], sh[4 * PATH_MAX];
    snprintf(dir, sizeof dir, "%s/reports-%d", tmp, n);
    snprintf(tgz, sizeof tgz, "%s/bundle-%d.tar.gz", tmp, n);
    snprintf(out, sizeof out, "%s/out-%d", tmp, n);
    snprintf(xlsx, sizeof xlsx, "%s/out-%d.xlsx", tmp, n);
    size_t bytes = make_folder(dir, fx, nfx, n, false);
    snprintf(sh, sizeof sh, "bsdtar -czf '%s' -C '%s' .", tgz, dir);
    if (!bytes || system(sh) != 0) {
        fprintf(stderr, "bench_speed: cannot build the bundle of %d\n", n);
        return 0;
    }
    double mb = (double)bytes / 1e6;
    int k = n >= 5000 ? 1 : 3; /* big sizes: one run, they take minutes */
    printf("\n%d reports, %.1f MB of text (median of %d runs):\n", n, mb, k);
    char *bsd[] = {"bsdtar", "-xOf", tgz, NULL};
    timing fb = median_run(bsd, NULL, k);
    char floor_sh[PATH_MAX + 32]; /* the goal's floor: kept for floor_ratio below */
    snprintf(floor_sh, sizeof floor_sh, "bsdtar -xOf '%s' | wc -l", tgz);
    char *pass[] = {"sh", "-c", floor_sh, NULL};
    timing fp = median_run(pass, NULL, k);
    snprintf(sh, sizeof sh, "find '%s' -type f -exec cat {} + | wc -l", dir);
    char *cat[] = {"sh", "-c", sh, NULL};
    timing fc = median_run(cat, NULL, k);
    timing none = {0};
    line("floor: bsdtar -xOf", fb, mb, n, none);
    line("floor: bsdtar -xOf | wc -l", fp, mb, n, none);
    line("floor: cat of the folder | wc -l", fc, mb, n, none);
    struct {
        const char *what, *in, *to, *extra, *jobs;
        timing floor;
    } jobs[] = {
        {"folder -> ndjson, -j 1", dir, "ndjson", NULL, "1", fc},
        {"folder -> ndjson, -j 2", dir, "ndjson", NULL, "2", fc},
        {"folder -> ndjson, -j 1 --no-validate", dir, "ndjson", "--no-validate", "1", fc},
        {"tar.gz -> ndjson, -j 1", tgz, "ndjson", NULL, "1", fp},
        {"tar.gz -> ndjson, -j 2", tgz, "ndjson", NULL, "2", fp},
        {"tar.gz -> csv, -j 1", tgz, "csv", NULL, "1", fp},
        {"tar.gz -> csv, -j 2", tgz, "csv", NULL, "2", fp},
    };
    timing got[sizeof jobs / sizeof *jobs] = {{0}};
    long peak = 0;
    for (size_t i = 0; i < sizeof jobs / sizeof *jobs; i++) {
        if ((!has_jobs && strcmp(jobs[i].jobs, "1") != 0) || !wanted(jobs[i].what))
            continue;
        char *argv[RUN_ARGV] = {(char *)nb, "convert", "-q", "-j", "1", "-t",
                          (char *)jobs[i].to, (char *)jobs[i].in, (char *)jobs[i].extra, NULL};
        set_jobs(argv + 3, jobs[i].jobs);
        got[i] = median_run(argv, out, k);
        peak = got[i].rss_kib > peak ? got[i].rss_kib : peak;
        line(jobs[i].what, got[i], mb, n, jobs[i].floor);
    }
    int pairs = n >= 50000 ? 1 : n >= 5000 ? 3 : 5; /* 100 000: minutes a pair */
    for (size_t i = 0; has_jobs && i + 1 < sizeof jobs / sizeof *jobs; i++)
        if (strstr(jobs[i].what, ", -j 1") && strstr(jobs[i + 1].what, ", -j 2") && got[i].wall > 0 &&
            got[i + 1].wall > 0) {
            char name[64];
            snprintf(name, sizeof name, "%.*s", (int)(strstr(jobs[i].what, ", -j 1") - jobs[i].what),
                     jobs[i].what);
            char *argv[RUN_ARGV] = {(char *)nb, "convert", "-q", "-j", "1", "-t",
                              (char *)jobs[i].to, (char *)jobs[i].in, (char *)jobs[i].extra, NULL};
            double r = jobs_ratio(name, argv, argv + 3, out, pairs);
            if (strcmp(name, "tar.gz -> ndjson") == 0)
                g.j2 = r;
        }
    char tgz1[PATH_MAX + 16], floor1_sh[PATH_MAX + 48];
    snprintf(tgz1, sizeof tgz1, "%s-one.tar.gz", tgz);
    snprintf(sh, sizeof sh, "bsdtar -czf '%s' -C '%s' ./000/00000_%s%s", tgz1, dir, fx[0].name, fx[0].ext);
    bool one_ok = n > 1 && system(sh) == 0;
    snprintf(floor1_sh, sizeof floor1_sh, "bsdtar -xOf '%s' | wc -l", tgz1);
    char *pass1[] = {"sh", "-c", floor1_sh, NULL};
    timing f1 = {0};
    if (one_ok) /* once for both jobs */
        f1 = median_run(pass1, NULL, 9);
    for (size_t i = 0; i < sizeof jobs / sizeof *jobs; i++)
        if (jobs[i].in == tgz && strcmp(jobs[i].jobs, "1") == 0 && got[i].wall > 0) {
            char *argv[RUN_ARGV] = {(char *)nb, "convert", "-q", "-j", "1", "-t", (char *)jobs[i].to, tgz, NULL};
            set_jobs(argv + 3, "1");
            /* the goal's figures: nine pairs up to 50 000 reports (three from
             * 5 000 let one slow minute of a VM move the median across 3x) */
            int ndjson = strcmp(jobs[i].to, "ndjson") == 0, pk = n >= 50000 ? 3 : 9;
            g.one[!ndjson] = floor_ratio(jobs[i].what, argv, pass, out, pk);
            if (has_jobs) { /* as a user runs it: no -j, a thread per CPU it may use */
                char what[64];
                snprintf(what, sizeof what, "tar.gz -> %s, default -j", jobs[i].to);
                char *dflt[] = {(char *)nb, "convert", "-q", "-t", (char *)jobs[i].to, tgz, NULL};
                g.deflt[!ndjson] = floor_ratio(what, dflt, pass, out, pk);
            }
            argv[7] = tgz1;
            if (one_ok)
                per_report(jobs[i].what, argv, got[i], fp, f1, n, out, 9);
            if (ndjson && has_jobs) {
                argv[7] = tgz;
                g.ceiling = two_core_ceiling(argv, argv + 3, out, ceiling_rounds(n), &g.share, &g.j2_round);
            }
        }
    remove(tgz1);
    if (wanted("ndjson (read back) -> csv"))
        read_back(nb, tgz, out, n, k);
    double csv_cpu = 0; /* the CSV run at -j 1: what the XLSX run does but the workbook */
    for (size_t i = 0; i < sizeof jobs / sizeof *jobs; i++)
        if (strcmp(jobs[i].what, "tar.gz -> csv, -j 1") == 0)
            csv_cpu = got[i].cpu;
    if (wanted("tar.gz -> xlsx")) {
        long x = xlsx_jobs(nb, tmp, tgz, xlsx, mb, n, k, pairs, csv_cpu, &g);
        peak = x > peak ? x : peak;
    }
    long d = distinct_agencies(nb, tmp, fx, nfx, n, k, &g.dj2_round, &g.dceiling, &g.dshare);
    peak = d > peak ? d : peak;
    printf("  peak RSS of nianbao at %d reports: %ld KiB\n", n, peak);
    g.peak = peak;
    print_goals(n, &g);
    cleanup(dir, tgz, out, xlsx);
    return peak;
}

/* The same report in a tar.gz: opening an archive loads libarchive and
 * what it links (libxml2, ICU, libstdc++), which `bsdtar -xOf` pays too;
 * what nianbao adds beyond it is its own. */
static void startup_archive(const char *nb, const char *tmp, const char *report)
{
    char tgz[PATH_MAX + 16], sh[2 * PATH_MAX + 64];
    snprintf(tgz, sizeof tgz, "%s/one.tar.gz", tmp);
    const char *slash = strrchr(report, '/');
    snprintf(sh, sizeof sh, "bsdtar -czf '%s' -C '%.*s' '%s'", tgz, (int)(slash - report), report, slash + 1);
    if (system(sh) != 0) {
        printf("start-up from a tar.gz: not measured (bsdtar -czf failed)\n");
        return;
    }
    char *one[] = {(char *)nb, "convert", "-q", "-t", "ndjson", tgz, NULL};
    char *xo[] = {"bsdtar", "-xOf", tgz, NULL};
    char *const *const cmds[] = {one, xo};
    timing got[2];
    median_starts(cmds, 2, 41, got);
    printf("start-up from a tar.gz (median of 41, wall / CPU): one report -> ndjson %.1f / %.1f ms (%ld faults), "
           "`bsdtar -xOf` of it %.1f / %.1f ms (%ld faults): +%.1f ms of wall beyond it\n",
           got[0].wall * 1e3, got[0].cpu * 1e3, got[0].faults, got[1].wall * 1e3, got[1].cpu * 1e3, got[1].faults,
           (got[0].wall - got[1].wall) * 1e3);
    remove(tgz);
}

/* Start-up: one small report, one process, many times. */
static void startup(const char *nb, const char *tmp, const fixture *f)
{
    char path[PATH_MAX], empty[PATH_MAX];
    snprintf(path, sizeof path, "%s/one%s", tmp, f->ext);
    snprintf(empty, sizeof empty, "%s/empty.txt", tmp);
    write_file(path, f->text, f->len);
    write_file(empty, "", 0);
    /* as a shell loop runs it: no -j (the run counts no CPUs for one file) */
    char *one[] = {(char *)nb, "convert", "-q", "-t", "ndjson", path, NULL};
    char *one_j1[] = {(char *)nb, "convert", "-q", "-j", "1", "-t", "ndjson", path, NULL};
    char *none[] = {(char *)nb, "formats", NULL};
    char *ver[] = {(char *)nb, "--version", NULL}; /* the floor: exec and dynamic linking only */
    char *tru[] = {"true", NULL};                 /* exec alone */
    char *const *const cmds[] = {one, none, ver, one_j1, tru};
    timing got[5];
    median_starts(cmds, 5, 41, got);
    timing a = got[0], b = got[1], v = got[2], a1 = got[3], t = got[4];
    a.rss_kib = run(one, NULL).rss_kib; /* forked: a spawned child reports this process's peak */
    printf("\nstart-up (median of 41, wall / CPU): `nianbao --version` %.1f / %.1f ms, `nianbao formats` "
           "%.1f / %.1f ms, one report -> ndjson %.1f / %.1f ms (RSS %ld KiB; with -j 1 %.1f / %.1f ms)\n",
           v.wall * 1e3, v.cpu * 1e3, b.wall * 1e3, b.cpu * 1e3, a.wall * 1e3, a.cpu * 1e3, a.rss_kib,
           a1.wall * 1e3, a1.cpu * 1e3);
    /* A fresh page costs 7-19 us in some VMs: faults explain start-up
     * better than instructions there (docs/performance.md). */
    printf("start-up page faults: `true` %ld (%.1f ms CPU), `--version` %ld, `formats` %ld, one report %ld\n",
           t.faults, t.cpu * 1e3, v.faults, b.faults, a.faults);
    /* Some VMs make exec itself cost milliseconds (2-3.5 ms for `true`
     * where it took well under 1 ms before): what nianbao adds to that is
     * its own start-up, the part it can change. */
    printf("start-up beyond exec alone (`true`: %.1f / %.1f ms): `--version` +%.1f / +%.1f ms, one report "
           "-> ndjson +%.1f / +%.1f ms\n",
           t.wall * 1e3, t.cpu * 1e3, (v.wall - t.wall) * 1e3, (v.cpu - t.cpu) * 1e3, (a.wall - t.wall) * 1e3,
           (a.cpu - t.cpu) * 1e3);
    printf("goal: start-up under 5 ms: one report -> ndjson %.1f ms of wall, %s (exec alone here: %.1f ms)\n",
           a.wall * 1e3, verdict(a.wall * 1e3, 5), t.wall * 1e3);
    startup_archive(nb, tmp, path);
    remove(path);
    remove(empty);
}

/* f's text with `unit` repeated to 4 MB put in at byte `at`, converted
 * alone: a report of the size, its time and peak RSS. */
static long one_big(const char *nb, const char *tmp, const fixture *f, const char *what, size_t at,
                    const char *unit)
{
    size_t ul = strlen(unit), reps = (4u << 20) / ul, len = f->len + reps * ul;
    char *buf = malloc(len);
    if (!buf)
        return 0;
    memcpy(buf, f->text, at);
    for (size_t i = 0; i < reps; i++)
        memcpy(buf + at + i * ul, unit, ul);
    memcpy(buf + at + reps * ul, f->text + at, f->len - at);
    char path[PATH_MAX];
    snprintf(path, sizeof path, "%s/big%s", tmp, f->ext);
    write_file(path, buf, len);
    free(buf);
    char *argv[] = {(char *)nb, "convert", "-q", "-j", "1", "-t", "ndjson", path, NULL};
    set_jobs(argv + 3, "1");
    timing t = run(argv, NULL);
    printf("one report of %.1f MB (%s): %.2f s wall, %.2f s CPU, peak RSS %ld KiB\n", (double)len / 1e6, what,
           t.wall, t.cpu, t.rss_kib);
    remove(path);
    return t.rss_kib;
}

/* Two reports of 4 MB: a long narrative after the title, and a dump of
 * figures (ten to a line) after section 二's heading, in its table's
 * region, which the recogniser reads up to RC_MAX_TOKENS tokens. */
static void big_report(const char *nb, const char *tmp, const fixture *f)
{
    const char *nl = memchr(f->text, '\n', f->len);
    long peak = one_big(nb, tmp, f, "long narrative", nl ? (size_t)(nl - f->text) + 1 : 0,
                        "本机关持续推进政务公开标准化规范化建设，围绕重点领域信息公开，"
                        "及时发布政策文件和解读材料，回应社会关切。\n");
    const char *sec2 = strstr(f->text, "\n二、");
    const char *eol = sec2 ? strchr(sec2 + 1, '\n') : NULL;
    if (eol) {
        long p2 = one_big(nb, tmp, f, "figures dumped in section 二", (size_t)(eol + 1 - f->text),
                          "1024 2048 3072 4096 5120 6144 7168 8192 9216 10240\n");
        peak = p2 > peak ? p2 : peak;
    }
    printf("goal: peak RSS under 50 MB for a single 4 MB report: the larger of them %ld KiB, %s\n", peak,
           verdict((double)peak, 50 * 1024));
}

static void machine(void)
{
    char model[512] = "?", l[512];
    FILE *f = fopen("/proc/cpuinfo", "r");
    while (f && fgets(l, sizeof l, f))
        if (strncmp(l, "model name", 10) == 0) {
            char *c = strchr(l, ':');
            snprintf(model, sizeof model, "%s", c ? c + 2 : l);
            model[strcspn(model, "\n")] = '\0';
            break;
        }
    if (f)
        fclose(f);
    double load[3] = {0};
    if (getloadavg(load, 3) < 0)
        load[0] = -1;
    time_t t = time(NULL);
    char date[64];
    strftime(date, sizeof date, "%Y-%m-%d %H:%M UTC", gmtime(&t));
    printf("machine: %s, %ld cores online (default -j %d: the CPUs this process may use), load average %.1f, %s\n",
           model, sysconf(_SC_NPROCESSORS_ONLN), nb_default_jobs(), load[0], date);
}

/* The memory goal's "flat": each kind's peak RSS at every size, and the
 * largest over the smallest. */
static void print_peaks(const char *what, const int *sizes, int nsizes, const long *peak)
{
    long lo = 0, hi = 0;
    printf("  %-13s", what);
    for (int i = 0; i < nsizes; i++) {
        printf(" %7d: %6ld KiB", sizes[i], peak[i]);
        if (peak[i] > 0) {
            lo = lo == 0 || peak[i] < lo ? peak[i] : lo;
            hi = peak[i] > hi ? peak[i] : hi;
        }
    }
    if (lo > 0)
        printf("   largest/smallest %.2f", (double)hi / (double)lo);
    printf("\n");
}

static void print_flatness(const int *sizes, int nsizes, const long *text, const docs_peak *docs)
{
    if (nsizes < 2)
        return;
    long pdf[16], docx[16];
    for (int i = 0; i < nsizes; i++) {
        pdf[i] = docs[i].pdf;
        docx[i] = docs[i].docx;
    }
    printf("\npeak RSS of nianbao by size (flat: largest/smallest near 1):\n");
    print_peaks("text bundles", sizes, nsizes, text);
    print_peaks("PDF bundles", sizes, nsizes, pdf);
    print_peaks("DOCX bundles", sizes, nsizes, docx);
}

/* The bench's folder, removed when a run is interrupted: a 10 000-report
 * run holds a gigabyte of bundles there (its PDFs), which a ^C or a
 * timeout's SIGTERM used to leave in /tmp.  Only async-signal-safe calls. */
static char bench_dir[1024];

static void remove_and_die(int sig)
{
    pid_t pid = fork();
    if (pid == 0) {
        execlp("rm", "rm", "-rf", bench_dir, (char *)NULL);
        _exit(127);
    }
    if (pid > 0)
        waitpid(pid, NULL, 0);
    signal(sig, SIG_DFL);
    raise(sig);
}

static void remove_on_signals(const char *dir)
{
    snprintf(bench_dir, sizeof bench_dir, "%s", dir);
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = remove_and_die;
    sigemptyset(&sa.sa_mask);
    const int sigs[] = {SIGINT, SIGTERM, SIGHUP};
    for (size_t i = 0; i < sizeof sigs / sizeof *sigs; i++)
        sigaction(sigs[i], &sa, NULL);
}

int main(int argc, char **argv)
{
    char exe[PATH_MAX], nb[PATH_MAX + 16];
    ssize_t el = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (el <= 0)
        return 1;
    exe[el] = '\0';
    *strrchr(exe, '/') = '\0';
    snprintf(nb, sizeof nb, "%s/nianbao", exe); /* built beside this program */
    const char *other = getenv("NB_BENCH_NIANBAO"); /* e.g. an older build, for before/after */
    if (other && *other)
        snprintf(nb, sizeof nb, "%s", other);
    fixture fx[MAXFIX];
    size_t nfx = load_fixtures(fx);
    if (!nfx) {
        fprintf(stderr, "bench_speed: no example reports under %s\n", NB_BENCH_SOURCE);
        return 1;
    }
    const char *t = getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp";
    char tmp[1024]; /* derived paths below stay within PATH_MAX */
    if (strlen(t) > 900)
        t = "/tmp";
    snprintf(tmp, sizeof tmp, "%s/nb-speed-XXXXXX", t);
    if (!mkdtemp(tmp)) {
        perror("mkdtemp");
        return 1;
    }
    remove_on_signals(tmp);
    char probe[PATH_MAX + 128];
    snprintf(probe, sizeof probe, "'%s' convert --help 2>/dev/null | grep -q -- --jobs", nb);
    has_jobs = system(probe) == 0;
    machine();
    printf("nianbao: %s%s\n", nb, has_jobs ? "" : " (no -j: before worker threads)");
    printf("fixtures: %zu example reports (txt, GBK txt, markdown, HTML)\n", nfx);
    nb_error err;
    nb_error_clear(&err);
    nb_context_config cc = {.formats_path = NB_BENCH_FORMATS};
    nb_context *ctx = nb_context_new(&cc, &err);
    if (!ctx) {
        fprintf(stderr, "bench_speed: %s: %s\n", err.where, err.text);
        return 1;
    }
    stages(ctx, fx, nfx);
    find_agencies(ctx, fx, nfx);
    nb_context_free(ctx);
    startup(nb, tmp, &fx[0]);
    big_report(nb, tmp, &fx[0]);
    int sizes[16], nsizes = 0;
    if (argc > 1) {
        for (int i = 1; i < argc && nsizes < 16; i++)
            if (atoi(argv[i]) > 0) /* 0: only stages, start-up and the big report */
                sizes[nsizes++] = atoi(argv[i]);
    } else {
        for (int n = 1000; n <= 10000; n *= 10)
            sizes[nsizes++] = n;
    }
    long text_peak[16];
    docs_peak docs[16];
    for (int i = 0; i < nsizes; i++) {
        text_peak[i] = bench_size(nb, tmp, fx, nfx, sizes[i]);
        docs[i] = speed_docs(nb, tmp, sizes[i], has_jobs);
    }
    print_flatness(sizes, nsizes, text_peak, docs);
    speed_docs_done(tmp);
    rmdir(tmp);
    for (size_t i = 0; i < nfx; i++)
        free(fx[i].text);
    return 0;
}
