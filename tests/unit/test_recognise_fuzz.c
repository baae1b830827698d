/* test_recognise_fuzz.c - the recogniser on damaged text never crashes,
 * never hangs, and always returns either an error or a report whose cells
 * are coherent (a value exactly when the status says there is one).
 * Deterministic mutations of the bundled example reports; under the
 * sanitizer build this is also a memory-safety check. */
#include "testutil.h"
#include "nianbao/text.h"
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ROUNDS 300

static const char *const examples[] = {"qingshan-culture-2023.txt", "baisha-ecology-2024.txt",
                                       "nanhu-district-2023.md"};

/* Pieces that matter to the grammar: digits, ordinals, separators, labels. */
static const char *const inserts[] = {"0", "0000000000000", "\t", "\n", "1.", "（三）", "—", "-",
                                      "一、", "总计", "其他", "|", "(", ")", "2023年", "\xe4"};

static uint32_t next(uint32_t *s)
{
    *s = *s * 1664525u + 1013904223u;
    return *s >> 8;
}

static char *mutate(const char *src, size_t len, uint32_t *seed, size_t *outlen)
{
    size_t cap = len * 2 + 4096, n = len;
    char *b = malloc(cap);
    memcpy(b, src, len);
    int edits = 1 + (int)(next(seed) % 30);
    for (int e = 0; e < edits && n > 0; e++) {
        size_t at = next(seed) % n;
        switch (next(seed) % 4) {
        case 0: /* overwrite a byte */
            b[at] = (char)(next(seed) & 0xFF);
            break;
        case 1: { /* delete a stretch */
            size_t k = 1 + next(seed) % 200;
            if (k > n - at)
                k = n - at;
            memmove(b + at, b + at + k, n - at - k);
            n -= k;
            break;
        }
        default: { /* insert a grammar piece */
            const char *p = inserts[next(seed) % (sizeof inserts / sizeof *inserts)];
            size_t k = strlen(p);
            if (n + k >= cap)
                break;
            memmove(b + at + k, b + at, n - at);
            memcpy(b + at, p, k);
            n += k;
        }
        }
    }
    *outlen = n;
    return b;
}

static void check_coherent(const nb_report *r)
{
    for (size_t t = 0; t < r->ntables; t++) {
        const nb_table *tb = &r->tables[t];
        for (size_t f = 0; tb->def && f < tb->def->nfields; f++) {
            const nb_cell *c = &tb->cells[f];
            if (tb->def->fields[f].type == NB_TYPE_UNIT)
                continue;
            bool want = !(c->status == NB_CELL_MISSING || c->status == NB_CELL_AMBIGUOUS);
            ck_assert_msg(c->has_value == want, "%s: status %s but has_value %d", tb->def->fields[f].path,
                          nb_cell_status_name(c->status), c->has_value);
        }
    }
}

START_TEST(mutated_examples)
{
    uint32_t seed = 20231231u;
    int reports = 0, errors = 0;
    for (int round = 0; round < ROUNDS; round++) {
        const char *name = examples[round % (sizeof examples / sizeof *examples)];
        char rel[256];
        snprintf(rel, sizeof rel, "examples/reports/%s", name);
        char *path = tu_path(tu_source_dir(), rel);
        size_t len = 0;
        char *src = tu_read_file(path, &len);
        ck_assert_msg(src != NULL, "cannot read %s", path);
        size_t n;
        char *bytes = mutate(src, len, &seed, &n);
        char *text = NULL;
        size_t tlen = 0;
        const char *enc = NULL;
        nb_error err;
        nb_error_clear(&err);
        if (nb_text_decode(bytes, n, &text, &tlen, &enc, &err) == NB_OK) {
            nb_doc *d = nb_doc_new(name);
            nb_doc_split_text(d, text, tlen, NB_SPLIT_TABS | NB_SPLIT_PIPES | NB_SPLIT_MDHEAD);
            nb_report *r = nb_recognise(tu_templates(), d, &err);
            if (r) {
                check_coherent(r);
                reports++;
            } else {
                ck_assert_msg(err.text[0] != '\0', "round %d: no report and no error", round);
                if (getenv("NB_FUZZ_VERBOSE"))
                    fprintf(stderr, "round %d: %s\n", round, err.text);
                errors++;
            }
            nb_report_free(r);
            nb_doc_free(d);
            free(text);
        } else {
            if (getenv("NB_FUZZ_VERBOSE"))
                fprintf(stderr, "round %d: decode: %s\n", round, err.text);
            errors++;
        }
        free(bytes);
        free(src);
        free(path);
    }
    /* most damaged reports are still reports */
    ck_assert_int_gt(reports, ROUNDS / 2);
    ck_assert_int_eq(reports + errors, ROUNDS);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("recognise_fuzz");
    TCase *tc = tcase_create("mutations");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, mutated_examples);
    suite_add_tcase(s, tc);
    return tu_main(s);
}
