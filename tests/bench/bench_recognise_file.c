/* bench_recognise_file.c - the recogniser on given files, read the way the
 * fuzz target fuzz_recognise reads its input (decoded, split at tabs and
 * wide gaps, recognised): the CLI's text reader splits differently, so an
 * input the fuzzer found slow is measured here.  Prints the CPU seconds of
 * nb_recognise per file; run it under callgrind for instruction counts.
 * Not a test: nothing is asserted.
 *   bench_recognise_file FILE... */
#include "nianbao/nianbao.h"
#include "nianbao/doc.h"
#include "nianbao/recognise.h"
#include "nianbao/text.h"
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static double cpu_seconds(void)
{
    struct timespec t;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* The whole file into *data; false (and a message) when unreadable. */
static bool read_file(const char *path, char **data, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        perror(path);
        return false;
    }
    size_t cap = 1 << 16;
    *data = malloc(cap);
    *len = 0;
    size_t got;
    while (*data && (got = fread(*data + *len, 1, cap - *len, f)) > 0)
        if ((*len += got) == cap)
            *data = realloc(*data, cap *= 2);
    fclose(f);
    return *data != NULL;
}

/* CPU seconds of recognising one file's bytes; negative when it is not text. */
static double time_file(const nb_templates *t, const char *data, size_t len)
{
    char *text = NULL;
    size_t tl = 0;
    const char *enc = NULL;
    nb_error err;
    nb_error_clear(&err);
    if (nb_text_decode(data, len, &text, &tl, &enc, &err) != NB_OK)
        return -1;
    nb_doc *d = nb_doc_new("bench");
    double dt = -1;
    if (d && nb_doc_split_text(d, text, tl, NB_SPLIT_TABS | NB_SPLIT_GAPS) == NB_OK) {
        double t0 = cpu_seconds();
        nb_report *r = nb_recognise(t, d, &err);
        dt = cpu_seconds() - t0;
        nb_report_free(r);
    }
    nb_doc_free(d);
    nb_free(text);
    return dt;
}

int main(int argc, char **argv)
{
    nb_context_config cfg = {.formats_path = NB_BENCH_FORMATS};
    nb_error err;
    nb_error_clear(&err);
    nb_context *c = nb_context_new(&cfg, &err);
    if (!c) {
        fprintf(stderr, "bench_recognise_file: %s: %s\n", err.where, err.text);
        return 1;
    }
    int rc = 0;
    for (int i = 1; i < argc; i++) {
        char *data = NULL;
        size_t len = 0;
        if (!read_file(argv[i], &data, &len)) {
            rc = 1;
            continue;
        }
        printf("%-60s %8zu bytes %10.4f cpu s\n", argv[i], len, time_file(nb_context_templates(c), data, len));
        free(data);
    }
    nb_context_free(c);
    return rc;
}
