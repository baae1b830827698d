/* bench_read.c - the reading side alone: input bytes to the document the
 * recogniser reads (stream, SHA-256 of the source, decoding, the reader's
 * parse and split), in CPU time per megabyte, in-process.
 *
 * It generates its own inputs from the project's fixtures:
 *   - a text report with a 4 MB narrative (examples/reports, first file),
 *   - an HTML page with many tables (tests/data/html, first page, its body
 *     repeated until the page is about 2 MB),
 *   - the fixtures themselves (small reports: per-document costs dominate).
 * Each row prints MB/s on one core for the stream alone (copy + SHA-256),
 * and for the reader (stream included).
 *
 * usage: bench_read [ROUNDS]        (default 5 rounds of each input) */
#include "nianbao/nianbao.h"
#include "nianbao/plugin.h"
#include "nianbao/stream.h"
#include "plugin_internal.h" /* nb_item: what next() fills */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double cpu_now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

typedef struct input {
    char name[64];
    const char *reader; /* plugin name */
    char *data;
    size_t len;
} input;

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    char *buf = NULL;
    size_t cap = 0, n = 0, k;
    char chunk[65536];
    while ((k = fread(chunk, 1, sizeof chunk, f)) > 0) {
        if (n + k + 1 > cap) {
            cap = (n + k + 1) * 2;
            char *p = realloc(buf, cap);
            if (!p) {
                free(buf);
                fclose(f);
                return NULL;
            }
            buf = p;
        }
        memcpy(buf + n, chunk, k);
        n += k;
    }
    fclose(f);
    if (buf)
        buf[n] = '\0';
    *len = n;
    return buf;
}

/* The first file in dir whose name ends with ext (sorted by name). */
static char *first_file(const char *dir, const char *ext, size_t *len)
{
    struct dirent **v = NULL;
    int n = scandir(dir, &v, NULL, alphasort);
    char *data = NULL;
    for (int i = 0; i < n; i++) {
        size_t l = strlen(v[i]->d_name), e = strlen(ext);
        if (!data && l > e && strcmp(v[i]->d_name + l - e, ext) == 0) {
            char path[4096];
            snprintf(path, sizeof path, "%s/%s", dir, v[i]->d_name);
            data = slurp(path, len);
        }
        free(v[i]);
    }
    free(v);
    return data;
}

/* The text report with a 4 MB narrative after its first line. */
static bool big_text(input *in)
{
    size_t len = 0;
    char *rep = first_file(NB_BENCH_SOURCE "/examples/reports", ".txt", &len);
    if (!rep)
        return false;
    static const char para[] = "本机关坚持以公开为常态、不公开为例外，持续推进政务公开标准化规范化建设，"
                               "全年主动公开政府信息一千余条，回应社会关切。\n";
    size_t reps = (4u << 20) / (sizeof para - 1) + 1, cut = strcspn(rep, "\n") + 1;
    in->data = malloc(len + reps * (sizeof para - 1) + 1);
    if (!in->data) {
        free(rep);
        return false;
    }
    char *p = in->data;
    memcpy(p, rep, cut);
    p += cut;
    for (size_t i = 0; i < reps; i++, p += sizeof para - 1)
        memcpy(p, para, sizeof para - 1);
    memcpy(p, rep + cut, len - cut);
    in->len = (size_t)(p - in->data) + len - cut;
    snprintf(in->name, sizeof in->name, "text, 4 MB narrative");
    in->reader = "txt";
    free(rep);
    return true;
}

/* An HTML page whose <body> content is repeated to about 2 MB. */
static bool big_html(input *in)
{
    size_t len = 0;
    char *page = first_file(NB_BENCH_SOURCE "/tests/data/html", ".html", &len);
    char *b = page ? strstr(page, "<body") : NULL, *e = page ? strstr(page, "</body>") : NULL;
    if (!b || !e || !(b = strchr(b, '>')) || ++b > e) {
        free(page);
        return false;
    }
    size_t body = (size_t)(e - b), reps = (2u << 20) / (body ? body : 1) + 1;
    in->data = malloc(len + reps * body + 1);
    if (!in->data) {
        free(page);
        return false;
    }
    char *p = in->data;
    memcpy(p, page, (size_t)(b - page));
    p += b - page;
    for (size_t i = 0; i < reps; i++, p += body)
        memcpy(p, b, body);
    memcpy(p, e, len - (size_t)(e - page));
    in->len = (size_t)(p - in->data) + len - (size_t)(e - page);
    snprintf(in->name, sizeof in->name, "html, %zu copies of a page's body", reps);
    in->reader = "html";
    free(page);
    return true;
}

static bool small(input *in, const char *dir, const char *ext, const char *reader)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", NB_BENCH_SOURCE, dir);
    in->data = first_file(path, ext, &in->len);
    snprintf(in->name, sizeof in->name, "%s, one fixture", reader);
    in->reader = reader;
    return in->data != NULL;
}

/* Seconds of CPU for rounds of reading in through its reader (stream_only:
 * the stream alone); 0 when the reader failed. */
static double time_read(nb_context *ctx, const input *in, int rounds, bool stream_only)
{
    const nb_plugin_info *pi = nb_context_find_plugin(ctx, NB_PLUGIN_INPUT, in->reader);
    if (!pi)
        return 0;
    const nb_plugin *p = pi->plugin;
    nb_error err;
    nb_error_clear(&err);
    double t0 = cpu_now();
    for (int r = 0; r < rounds; r++) {
        nb_stream *s = nb_stream_from_memory(in->name, in->data, in->len);
        bool ok = s != NULL;
        if (ok && stream_only) {
            char *buf = NULL;
            size_t len = 0;
            ok = nb_stream_read_all(s, 64u << 20, &buf, &len, &err) == NB_OK;
            free(buf);
        } else if (ok) {
            void *inst = NULL;
            ok = p->create(nb_context_host(ctx), NULL, &inst, &err) == NB_OK && p->open(inst, s, &err) == NB_OK;
            nb_item it = {0};
            ok = ok && p->next(inst, &it, &err) == NB_OK;
            nb_doc_free(it.doc);
            if (inst)
                p->destroy(inst);
        }
        nb_stream_free(s);
        if (!ok) {
            fprintf(stderr, "bench_read: %s: %s\n", in->name, err.text);
            return 0;
        }
    }
    return cpu_now() - t0;
}

int main(int argc, char **argv)
{
    int rounds = argc > 1 && atoi(argv[1]) > 0 ? atoi(argv[1]) : 5;
    nb_error err;
    nb_error_clear(&err);
    nb_context_config cc = {.formats_path = NB_BENCH_FORMATS};
    nb_context *ctx = nb_context_new(&cc, &err);
    if (!ctx) {
        fprintf(stderr, "bench_read: %s: %s\n", err.where, err.text);
        return 1;
    }
    input in[4] = {0};
    size_t n = 0;
    n += big_text(&in[n]);
    n += big_html(&in[n]);
    n += small(&in[n], "examples/reports", ".txt", "txt");
    n += small(&in[n], "tests/data/html", ".html", "html");
    printf("reading, in-process CPU time, %d rounds (MB/s on one core):\n", rounds);
    printf("  %-36s %9s %10s %10s\n", "input", "bytes", "stream", "reader");
    int rc = 0;
    for (size_t i = 0; i < n; i++) {
        /* small inputs get more rounds so the clock sees them */
        int r = in[i].len < (1u << 20) ? rounds * 200 : rounds;
        double ts = time_read(ctx, &in[i], r, true), tr = time_read(ctx, &in[i], r, false);
        double mb = (double)in[i].len * r / 1e6;
        if (ts <= 0 || tr <= 0)
            rc = 1;
        printf("  %-36s %9zu %10.1f %10.1f\n", in[i].name, in[i].len, ts > 0 ? mb / ts : 0, tr > 0 ? mb / tr : 0);
        free(in[i].data);
    }
    nb_context_free(ctx);
    return rc;
}
