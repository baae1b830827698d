/* test_recognise_match.c - the label matcher's shortcuts: the exact-string
 * index finds the lowest accepted item with that string and nothing else,
 * and table variants "read alike" exactly when everything a scoring read
 * uses is equal (an inherited table), not when any of it differs. */
#include "testutil.h"
#include "recognise_internal.h"
#include "template_internal.h"
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static bool accept_all(size_t i, const void *ctx)
{
    (void)i;
    (void)ctx;
    return true;
}

static bool accept_above(size_t i, const void *ctx)
{
    return i > *(const size_t *)ctx;
}

START_TEST(exact_index_finds_lowest_accepted)
{
    const char *strs[] = {"其他", "总计", "（一）本年新收", "其他", "", "总计"};
    size_t n = sizeof strs / sizeof *strs, lens[6];
    for (size_t i = 0; i < n; i++)
        lens[i] = strlen(strs[i]);
    rc_exact_index x = {0};
    ck_assert(rc_exact_index_build(&x, strs, lens, 10, n));
    ck_assert_uint_eq(rc_exact_index_first(&x, "其他", strlen("其他"), accept_all, NULL), 10);
    ck_assert_uint_eq(rc_exact_index_first(&x, "总计", strlen("总计"), accept_all, NULL), 11);
    size_t floor = 11;
    ck_assert_uint_eq(rc_exact_index_first(&x, "其他", strlen("其他"), accept_above, &floor), 13);
    ck_assert_uint_eq(rc_exact_index_first(&x, "总计", strlen("总计"), accept_above, &floor), 15);
    floor = 15;
    ck_assert_uint_eq(rc_exact_index_first(&x, "总计", strlen("总计"), accept_above, &floor), (size_t)-1);
    ck_assert_uint_eq(rc_exact_index_first(&x, "", 0, accept_all, NULL), 14);
    /* a prefix or a longer text is not the string */
    ck_assert_uint_eq(rc_exact_index_first(&x, "其", strlen("其"), accept_all, NULL), (size_t)-1);
    ck_assert_uint_eq(rc_exact_index_first(&x, "其他其他", strlen("其他其他"), accept_all, NULL), (size_t)-1);
    ck_assert_uint_eq(rc_exact_index_first(&x, "（一）本年新收", strlen("（一）本年新收"), accept_all, NULL), 12);
    rc_exact_index_free(&x);
    ck_assert_uint_eq(rc_exact_index_first(&x, "其他", strlen("其他"), accept_all, NULL), (size_t)-1);
}
END_TEST

/* Many items sharing their first and last bytes still come apart. */
START_TEST(exact_index_many_similar_items)
{
    enum { N = 300 };
    char buf[N][32];
    const char *strs[N];
    size_t lens[N];
    for (size_t i = 0; i < N; i++) {
        snprintf(buf[i], sizeof buf[i], "第二十条第%zu项数量", i);
        strs[i] = buf[i];
        lens[i] = strlen(buf[i]);
    }
    rc_exact_index x = {0};
    ck_assert(rc_exact_index_build(&x, strs, lens, 0, N));
    for (size_t i = 0; i < N; i++)
        ck_assert_uint_eq(rc_exact_index_first(&x, strs[i], lens[i], accept_all, NULL), i);
    rc_exact_index_free(&x);
}
END_TEST

/* Long chains (thousands of items of three strings, built in one step
 * each): every item is found past any floor, in ascending order. */
START_TEST(exact_index_long_chains)
{
    enum { N = 6000 };
    static const char *const three[] = {"其他", "总计", "（一）本年新收"};
    const char **strs = malloc(N * sizeof *strs);
    size_t *lens = malloc(N * sizeof *lens);
    ck_assert(strs && lens);
    for (size_t i = 0; i < N; i++) {
        strs[i] = three[(i * i + i / 7) % 3];
        lens[i] = strlen(strs[i]);
    }
    rc_exact_index x = {0};
    ck_assert(rc_exact_index_build(&x, strs, lens, 5, N));
    for (size_t floor = 0; floor < N + 5; floor += 37)
        for (size_t s = 0; s < 3; s++) {
            size_t want = (size_t)-1;
            for (size_t i = floor < 5 ? 0 : floor - 4; i < N && want == (size_t)-1; i++)
                if (strs[i] == three[s] && i + 5 > floor)
                    want = i + 5;
            ck_assert_uint_eq(rc_exact_index_first(&x, three[s], strlen(three[s]), accept_above, &floor),
                              want);
        }
    rc_exact_index_free(&x);
    free(strs);
    free(lens);
}
END_TEST

static bool accept_mask(size_t i, const void *ctx)
{
    return (*(const uint64_t *)ctx >> (i % 64)) & 1;
}

/* Generated sets of strings with many repeats (every item of a string
 * chained from one slot), looked up with accepting sets at random: the
 * index gives what a walk over every item in order gives. */
START_TEST(exact_index_equals_linear_walk)
{
    static const char *const parts[] = {"其他", "总计", "", "（一）", "本年新收", "a", "其他其他"};
    enum { NP = sizeof parts / sizeof *parts, MAXN = 120 };
    unsigned st = 2024u;
    for (int round = 0; round < 200; round++) {
        size_t n = tu_rand(&st) % MAXN, first = tu_rand(&st) % 5;
        char buf[MAXN][64];
        const char *strs[MAXN];
        size_t lens[MAXN];
        for (size_t i = 0; i < n; i++) {
            buf[i][0] = '\0';
            for (unsigned k = tu_rand(&st) % 3; k-- > 0;)
                strcat(buf[i], parts[tu_rand(&st) % NP]);
            strs[i] = buf[i];
            lens[i] = strlen(buf[i]);
        }
        rc_exact_index x = {0};
        ck_assert(rc_exact_index_build(&x, strs, lens, first, n));
        for (int q = 0; q < 60; q++) {
            char text[64] = "";
            for (unsigned k = tu_rand(&st) % 3; k-- > 0;)
                strcat(text, parts[tu_rand(&st) % NP]);
            uint64_t mask = (uint64_t)tu_rand(&st) << 32 | tu_rand(&st);
            if (q % 3 == 0)
                mask = ~(uint64_t)0;
            size_t want = (size_t)-1;
            for (size_t i = 0; i < n && want == (size_t)-1; i++)
                if (strcmp(strs[i], text) == 0 && accept_mask(first + i, &mask))
                    want = first + i;
            ck_assert_uint_eq(rc_exact_index_first(&x, text, strlen(text), accept_mask, &mask), want);
        }
        rc_exact_index_free(&x);
    }
}
END_TEST

/* The variants of one table, and whether a template file lists it itself. */
static size_t variants(const nb_templates *T, const char *name, const nb_table_def **v)
{
    return nb_templates_variants(T, name, v, 16);
}

START_TEST(inherited_tables_read_alike)
{
    const nb_templates *T = tu_templates();
    ck_assert_ptr_nonnull(T);
    size_t alike = 0, differ = 0;
    for (size_t k = 0; k < nb_templates_table_count(T); k++) {
        const nb_table_def *v[16];
        size_t n = variants(T, nb_templates_table_name(T, k), v);
        for (size_t i = 0; i < n; i++) {
            ck_assert(rc_defs_read_alike(v[i], v[i]));
            for (size_t j = 0; j < i; j++) {
                bool same = rc_defs_read_alike(v[i], v[j]);
                ck_assert(same == rc_defs_read_alike(v[j], v[i]));
                alike += same;
                differ += !same;
                if (!same)
                    continue;
                ck_assert_uint_eq(v[i]->nrows, v[j]->nrows);
                ck_assert_ptr_eq(rc_read_alike(v[i], T), v[j]);
            }
        }
    }
    /* the shipped templates: gb2019 inherits two tables and redefines one */
    ck_assert_uint_ge(alike, 1);
    ck_assert_uint_ge(differ, 1);
}
END_TEST

START_TEST(any_difference_breaks_alike)
{
    const nb_templates *T = tu_templates();
    const nb_table_def *v[16];
    const nb_table_def *a = NULL;
    for (size_t k = 0; k < nb_templates_table_count(T) && !a; k++)
        if (variants(T, nb_templates_table_name(T, k), v) >= 1 && v[0]->nrows >= 2 &&
            v[0]->layout == NB_LAYOUT_ROWS)
            a = v[0];
    ck_assert_ptr_nonnull(a);
    nb_table_def b = *a; /* shallow: the same lists */
    ck_assert(rc_defs_read_alike(a, &b));
    b.match.row_window++;
    ck_assert(!rc_defs_read_alike(a, &b));
    b = *a;
    nb_row_def *rows = malloc(a->nrows * sizeof *rows);
    ck_assert_ptr_nonnull(rows);
    memcpy(rows, a->rows, a->nrows * sizeof *rows);
    b.rows = rows;
    ck_assert(rc_defs_read_alike(a, &b));
    rows[1].derived = !rows[1].derived;
    ck_assert(!rc_defs_read_alike(a, &b));
    rows[1].derived = a->rows[1].derived;
    rows[0].labels.n = 0; /* a row without its labels */
    ck_assert(!rc_defs_read_alike(a, &b));
    free(rows);
    b = *a;
    b.nrows--;
    ck_assert(!rc_defs_read_alike(a, &b));
    b = *a;
    b.layout = b.layout == NB_LAYOUT_ROWS ? NB_LAYOUT_SINGLE_ROW : NB_LAYOUT_ROWS;
    ck_assert(!rc_defs_read_alike(a, &b));
}
END_TEST

/* Every label of a list has the key of its compact form. */
static size_t check_list_keys(const nb_strlist *l)
{
    for (size_t i = 0; i < l->n; i++) {
        char *want = nb_text_key_of_compact(l->compact[i]);
        ck_assert_ptr_nonnull(want);
        ck_assert_msg(strcmp(l->key[i], want) == 0, "label \"%s\": key \"%s\", of its compact form \"%s\"",
                      l->v[i], l->key[i], want);
        free(want);
    }
    return l->n;
}

/* The exact match looks a text with a key up by its key only: a label
 * whose compact form is the text's must then have the text's key, that
 * is, a key must be the key of the compact form, for every label a
 * grammar holds (tokens: test_recognise_tokens; joined texts are made
 * with nb_text_label_key, which is that by definition). */
START_TEST(label_keys_are_keys_of_their_compact_forms)
{
    const nb_templates *T = tu_templates();
    size_t n = 0;
    for (size_t k = 0; k < nb_templates_table_count(T); k++) {
        const nb_table_def *v[16];
        size_t nv = variants(T, nb_templates_table_name(T, k), v);
        for (size_t j = 0; j < nv; j++) {
            const nb_table_def *d = v[j];
            for (size_t r = 0; r < d->nrows; r++)
                n += check_list_keys(&d->rows[r].labels);
            n += check_list_keys(&d->ignore) + check_list_keys(&d->markers);
            for (size_t c = 0; c < d->ncols; c++)
                n += check_list_keys(&d->cols[c].labels);
            for (size_t b = 0; b < d->nblocks; b++)
                n += check_list_keys(&d->blocks[b].caption);
        }
    }
    ck_assert_uint_gt(n, 100);
    const char *texts[] = {"（一）予以公开", "1.属于国家秘密", "一、本年新收", "第二十条第（九）项", "其他", "“三安全一稳定”",
                           "（七） 总计", "2、 其他法律行政法规禁止公开", "——", ""};
    for (size_t i = 0; i < sizeof texts / sizeof *texts; i++) {
        char *c = nb_text_compact(texts[i]), *key = nb_text_label_key(texts[i]), *of = nb_text_key_of_compact(c);
        ck_assert_str_eq(key, of);
        free(c);
        free(key);
        free(of);
    }
}
END_TEST

static Suite *match_suite(void)
{
    Suite *s = suite_create("recognise_match");
    TCase *t = tcase_create("shortcuts");
    tcase_add_test(t, exact_index_finds_lowest_accepted);
    tcase_add_test(t, exact_index_many_similar_items);
    tcase_add_test(t, exact_index_long_chains);
    tcase_add_test(t, exact_index_equals_linear_walk);
    tcase_add_test(t, inherited_tables_read_alike);
    tcase_add_test(t, any_difference_breaks_alike);
    tcase_add_test(t, label_keys_are_keys_of_their_compact_forms);
    suite_add_tcase(s, t);
    return s;
}

int main(void) { return tu_main(match_suite()); }
