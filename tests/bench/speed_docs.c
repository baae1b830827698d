/* speed_docs.c - see speed_docs.h.
 *
 * The documents come from the project's own generators: tests/tools/mkpdf
 * (built when cairo is found) draws the PDF fixture text in seven layouts,
 * tests/data/docx/make_docx.py (python3) writes a report in three
 * producers' styles with two seeds each; a bundle of n cycles through
 * them, as the text bundles cycle through the example reports.
 *
 * Reading a PDF is poppler's work before it is nianbao's, so the text
 * bundles' floor (reading the bytes) says little of the PDF reader: its
 * jobs are read against poppler alone taking the text of the same pages
 * (poppler_page_get_text, which the reader calls too) in a child process.
 * No such floor is printed for DOCX: its reader's libraries (libarchive,
 * libxml2) do nothing useful alone. */
#include "speed_docs.h"
#include "speed_run.h"
#include <dirent.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#if NB_BENCH_POPPLER
#include <poppler.h>
#endif

#define MAXSRC 8

typedef struct kind {
    const char *name;    /* "PDF", "DOCX": in the jobs' names */
    const char *plugin;  /* the input plugin, as `nianbao plugins` lists it */
    char src[MAXSRC][PATH_MAX]; /* the distinct documents */
    size_t nsrc;
    const char *missing; /* why there are none */
} kind;

/* Runs cmd through the shell, quietly; true when it exited 0. */
static bool quiet(const char *cmd)
{
    char sh[3 * PATH_MAX + 32];
    return snprintf(sh, sizeof sh, "%s >/dev/null 2>&1", cmd) < (int)sizeof sh && system(sh) == 0;
}

static bool has_plugin(const char *nb, const char *name)
{
    char cmd[PATH_MAX + 128];
    snprintf(cmd, sizeof cmd, "'%s' plugins 2>/dev/null | grep -q '^%s  *input'", nb, name);
    return system(cmd) == 0;
}

/* The seven layouts of tests/bench/pdf_bench.sh: portrait, landscape,
 * full-width digits, scaled numbers with separators, blank zeros, tables
 * split across pages, text turned a quarter. */
static void make_pdfs(const char *dir, kind *k)
{
    static const char *const layouts[] = {"", "-l", "-w", "-s 1234 -c", "-b", "-p 17", "-r"};
    k->missing = "tests/tools/mkpdf not built (it needs cairo)";
    if (access(NB_BENCH_MKPDF, X_OK) != 0)
        return;
    for (size_t i = 0; i < sizeof layouts / sizeof *layouts && k->nsrc < MAXSRC; i++) {
        char *path = k->src[k->nsrc], cmd[3 * PATH_MAX];
        if (snprintf(path, PATH_MAX, "%s/layout%zu.pdf", dir, i) >= PATH_MAX ||
            snprintf(cmd, sizeof cmd, "'%s' %s '%s/tests/data/pdf/qingshi_shenji_2024.txt' '%s'",
                     NB_BENCH_MKPDF, layouts[i], NB_BENCH_SOURCE, path) >= (int)sizeof cmd)
            return;
        if (access(path, R_OK) == 0 || quiet(cmd))
            k->nsrc++;
    }
}

static void make_docxs(const char *dir, kind *k)
{
    static const char *const styles[] = {"word", "wps", "layout"};
    k->missing = "python3 did not run tests/data/docx/make_docx.py";
    for (size_t i = 0; i < 2 * sizeof styles / sizeof *styles && k->nsrc < MAXSRC; i++) {
        char *path = k->src[k->nsrc], cmd[3 * PATH_MAX];
        if (snprintf(path, PATH_MAX, "%s/%s%zu.docx", dir, styles[i % 3], i / 3 + 1) >= PATH_MAX ||
            snprintf(cmd, sizeof cmd, "python3 '%s/tests/data/docx/make_docx.py' report %s '%s' %zu",
                     NB_BENCH_SOURCE, styles[i % 3], path, i / 3 + 1) >= (int)sizeof cmd)
            return;
        if (access(path, R_OK) == 0 || quiet(cmd))
            k->nsrc++;
    }
}

/* n documents in dir, cycling through k's, as copies (a tar of hard links
 * would hold each document's bytes once); the bytes in all, 0 on failure. */
static double fill_folder(const char *dir, const kind *k, int n)
{
    if (mkdir(dir, 0700) != 0)
        return 0;
    char *text[MAXSRC] = {NULL};
    size_t len[MAXSRC];
    bool ok = true;
    for (size_t i = 0; i < k->nsrc; i++)
        ok = ok && (text[i] = slurp(k->src[i], &len[i])) != NULL;
    double bytes = 0;
    for (int i = 0; ok && i < n; i++) {
        size_t s = (size_t)i % k->nsrc;
        char path[PATH_MAX + 300];
        snprintf(path, sizeof path, "%s/%06d_%s", dir, i, strrchr(k->src[s], '/') + 1);
        ok = write_file(path, text[s], len[s]);
        bytes += (double)len[s];
    }
    for (size_t i = 0; i < k->nsrc; i++)
        free(text[i]);
    return ok ? bytes : 0;
}

#if NB_BENCH_POPPLER
/* Every page's text of every PDF in the folder arg, with poppler alone.
 * The first document stays open to the end: poppler-glib frees its shared
 * tables when the last open document closes, and a floor that built them
 * again for every PDF would flatter the reader (which keeps them too). */
static void poppler_text(const void *arg)
{
    const char *dir = arg;
    DIR *d = opendir(dir);
    PopplerDocument *held = NULL;
    for (struct dirent *e; d && (e = readdir(d));) {
        if (e->d_name[0] == '.')
            continue;
        char path[PATH_MAX + 300];
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        gchar *data;
        gsize len;
        if (!g_file_get_contents(path, &data, &len, NULL))
            continue;
        GBytes *bytes = g_bytes_new_take(data, len);
        PopplerDocument *doc = poppler_document_new_from_bytes(bytes, NULL, NULL);
        for (int i = 0; doc && i < poppler_document_get_n_pages(doc); i++) {
            PopplerPage *page = poppler_document_get_page(doc, i);
            if (page) {
                g_free(poppler_page_get_text(page));
                g_object_unref(page);
            }
        }
        if (doc && !held)
            held = doc;
        else if (doc)
            g_object_unref(doc);
        g_bytes_unref(bytes);
    }
    if (held)
        g_object_unref(held);
    if (d)
        closedir(d);
}

/* The least of k runs of poppler_text in a child process. */
static timing poppler_floor(const char *dir, int k)
{
    timing best = {0};
    for (int i = 0; i < k; i++) {
        timing t = run_in_child(poppler_text, dir);
        if (t.status == 0 && (best.cpu == 0 || t.cpu < best.cpu))
            best = t;
    }
    return best;
}
#endif

/* One kind's bundle of n: floors, nianbao at -j 1 and at the default -j.
 * Returns the peak RSS of the nianbao runs (0: not run). */
static long time_kind(const char *nb, const char *tmp, const kind *k, int n, bool jobs)
{
    char one[64], dflt[64];
    snprintf(one, sizeof one, "%s bundle -> ndjson, -j 1", k->name);
    snprintf(dflt, sizeof dflt, "%s bundle -> ndjson, default -j", k->name);
    if (!wanted(one) && !wanted(dflt))
        return 0;
    if (!k->nsrc) {
        printf("  %s bundle: not timed, %s\n", k->name, k->missing);
        return 0;
    }
    char dir[PATH_MAX], tgz[PATH_MAX + 16], out[PATH_MAX + 16], sh[3 * PATH_MAX];
    snprintf(dir, sizeof dir, "%s/%s-%d", tmp, k->plugin, n);
    snprintf(tgz, sizeof tgz, "%s.tar.gz", dir);
    snprintf(out, sizeof out, "%s.ndjson", dir);
    double bytes = fill_folder(dir, k, n);
    snprintf(sh, sizeof sh, "bsdtar -czf '%s' -C '%s' .", tgz, dir);
    long peak = 0;
    if (bytes > 0 && system(sh) == 0) {
        int runs = n >= 5000 ? 1 : 3;
        double mb = bytes / 1e6;
        printf("  %d %s reports (%zu distinct), %.1f MB (median of %d runs):\n", n, k->name, k->nsrc, mb, runs);
        snprintf(sh, sizeof sh, "bsdtar -xOf '%s' | wc -l", tgz);
        char *pass[] = {"sh", "-c", sh, NULL};
        timing none = {0}, floor = median_run(pass, NULL, runs);
        line("floor: bsdtar -xOf | wc -l", floor, mb, n, none);
#if NB_BENCH_POPPLER
        if (strcmp(k->plugin, "pdf") == 0) {
            floor = poppler_floor(dir, runs); /* the floor the jobs are read against */
            line("floor: poppler alone, page text", floor, mb, n, none);
        }
#endif
        char *argv[] = {(char *)nb, "convert", "-q", "-j", "1", "-t", "ndjson", tgz, NULL};
        jobs_args(argv + 3, "1", jobs);
        timing t1 = {0}, td = {0};
        if (wanted(one)) {
            t1 = median_run(argv, out, runs);
            line(one, t1, mb, n, floor);
        }
        if (jobs && wanted(dflt)) {
            argv[3] = argv[4] = "-q"; /* no -j: one thread per core */
            td = median_run(argv, out, runs);
            line(dflt, td, mb, n, floor);
        }
        if (t1.cpu > 0)
            printf("    %.2f ms of CPU a report at -j 1", t1.cpu * 1e3 / n);
        if (t1.wall > 0 && td.wall > 0)
            printf("; the default -j %.2fx faster by wall", t1.wall / td.wall);
        printf("\n");
        peak = t1.rss_kib > td.rss_kib ? t1.rss_kib : td.rss_kib;
    } else {
        fprintf(stderr, "bench_speed: cannot build the %s bundle of %d\n", k->name, n);
    }
    remove_tree(dir);
    remove(tgz);
    remove(out);
    return peak;
}

docs_peak speed_docs(const char *nb, const char *tmp, int n, bool jobs)
{
    char src[PATH_MAX];
    snprintf(src, sizeof src, "%s/documents", tmp); /* kept from one size to the next */
    mkdir(src, 0700);
    kind pdf = {.name = "PDF", .plugin = "pdf"};
    kind docx = {.name = "DOCX", .plugin = "docx"};
    printf("\n%d reports as PDF and as Word files:\n", n);
    docs_peak p = {0, 0};
    if (!has_plugin(nb, "pdf"))
        pdf.missing = "the pdf input plugin is not built (it needs poppler-glib)";
    else
        make_pdfs(src, &pdf);
    p.pdf = time_kind(nb, tmp, &pdf, n, jobs);
    if (!has_plugin(nb, "docx"))
        docx.missing = "the docx input plugin is not built";
    else
        make_docxs(src, &docx);
    p.docx = time_kind(nb, tmp, &docx, n, jobs);
    return p;
}

void speed_docs_done(const char *tmp)
{
    char dir[PATH_MAX];
    snprintf(dir, sizeof dir, "%s/documents", tmp);
    remove_tree(dir);
}
