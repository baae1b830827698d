/* test_recognise_near.c - a label match with its short cuts (the exact
 * lookups, the first-byte rejection of short texts) against the plain
 * match that considers every candidate label: the same kind and the same
 * label, on texts made from every label of the shipped templates (whole,
 * cut, mutated, joined, glued to table rules) and on punctuation, at
 * random rows, with and without values following, with random rows done. */
#include "testutil.h"
#include "recognise_internal.h"
#include "template_internal.h"
#include "util.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct pool {
    const char **v;
    size_t n, cap;
} pool;

static void pool_add_list(pool *p, const nb_strlist *l)
{
    for (size_t i = 0; i < l->n; i++) {
        if (p->n == p->cap)
            ck_assert(nb_grow((void **)&p->v, &p->cap, p->n, sizeof *p->v));
        p->v[p->n++] = l->v[i];
    }
}

/* Every label text of every variant of every table. */
static void pool_fill(pool *p, const nb_templates *T)
{
    for (size_t k = 0; k < nb_templates_table_count(T); k++) {
        const nb_table_def *v[16];
        size_t nv = nb_templates_variants(T, nb_templates_table_name(T, k), v, 16);
        for (size_t j = 0; j < nv; j++) {
            const nb_table_def *d = v[j];
            for (size_t r = 0; r < d->nrows; r++)
                pool_add_list(p, &d->rows[r].labels);
            pool_add_list(p, &d->ignore);
            pool_add_list(p, &d->markers);
            for (size_t c = 0; c < d->ncols; c++)
                pool_add_list(p, &d->cols[c].labels);
            for (size_t b = 0; b < d->nblocks; b++)
                pool_add_list(p, &d->blocks[b].caption);
        }
    }
}

static unsigned next_rand(unsigned *st)
{
    *st = *st * 1103515245u + 12345u;
    return (*st >> 8) & 0xFFFFFF;
}

/* Byte offsets of s's code points, and their count. */
static size_t cp_starts(const char *s, size_t *at, size_t cap)
{
    size_t n = 0;
    for (size_t i = 0; s[i] && n < cap; i++)
        if (((unsigned char)s[i] & 0xC0) != 0x80)
            at[n++] = i;
    return n;
}

/* A text made from label s (and other, a second label) by one of several
 * edits, into out. */
static void make_text(const char *s, const char *other, unsigned *st, char *out, size_t cap)
{
    static const char *const bits[] = {"|",    "||",   "---",  "|---|---|", "：", "、", "（",
                                       "）",   "1",    "a",    " ",         "——", "合计", "总计",
                                       "其他", "（一）", "3.", "二、",      "第", "本年", "数量"};
    size_t nbits = sizeof bits / sizeof *bits;
    size_t at[256], n = cp_starts(s, at, 255), len = strlen(s);
    at[n] = len;
    size_t a = n ? next_rand(st) % n : 0, b = a + (n ? next_rand(st) % (n - a + 1) : 0);
    const char *bit = bits[next_rand(st) % nbits];
    switch (next_rand(st) % 11) {
    case 0: /* as printed */
        snprintf(out, cap, "%s", s);
        break;
    case 1: /* cut short: the rest on the next line */
        snprintf(out, cap, "%.*s", (int)at[b], s);
        break;
    case 2: /* its start lost */
        snprintf(out, cap, "%s", s + at[a]);
        break;
    case 3: /* a fragment */
        snprintf(out, cap, "%.*s", (int)(at[b] - at[a]), s + at[a]);
        break;
    case 4: /* a code point dropped */
        snprintf(out, cap, "%.*s%s", (int)at[a], s, a < n ? s + at[a + 1] : "");
        break;
    case 5: /* a code point replaced by one of another label */
    {
        size_t ao[256], m = cp_starts(other, ao, 255);
        ao[m] = strlen(other);
        size_t k = m ? next_rand(st) % m : 0;
        snprintf(out, cap, "%.*s%.*s%s", (int)at[a], s, m ? (int)(ao[k + 1] - ao[k]) : 0, other + (m ? ao[k] : 0),
                 a < n ? s + at[a + 1] : "");
        break;
    }
    case 6: /* punctuation, a rule or a header word inserted */
        snprintf(out, cap, "%.*s%s%s", (int)at[a], s, bit, s + at[a]);
        break;
    case 7: /* two labels run together */
        snprintf(out, cap, "%s%s", other, s);
        break;
    case 8: /* punctuation or a word alone */
        snprintf(out, cap, "%s", bit);
        break;
    case 9: /* one code point alone */
        snprintf(out, cap, "%.*s", n ? (int)(at[a + (a < n)] - at[a]) : 0, s + (n ? at[a] : 0));
        break;
    default: /* a table line's pipes around it */
        snprintf(out, cap, "|%s|", s);
        break;
    }
}

/* Both matches of one text, which must agree. */
static void compare(const nb_table_def *d, const nb_templates *T, const char *text, size_t pos, bool ended,
                    const bool *done, size_t *counts)
{
    char *key = nb_text_label_key(text), *compact = nb_text_compact(text);
    ck_assert(key && compact);
    long hit_fast = -1, hit_plain = -1;
    int fast = rc_match_text(d, T, done, key, compact, pos, ended, false, &hit_fast);
    int plain = rc_match_text(d, T, done, key, compact, pos, ended, true, &hit_plain);
    ck_assert_msg(fast >= 0 && plain >= 0, "out of memory");
    ck_assert_msg(fast == plain && hit_fast == hit_plain,
                  "%s \"%s\" at row %zu%s: short cuts %d/%ld, plain %d/%ld", d->name, text, pos,
                  ended ? ", values follow" : "", fast, hit_fast, plain, hit_plain);
    counts[plain]++;
    free(key);
    free(compact);
}

START_TEST(short_cuts_match_as_plain)
{
    const nb_templates *T = tu_templates();
    ck_assert_ptr_nonnull(T);
    pool p = {0};
    pool_fill(&p, T);
    ck_assert_uint_gt(p.n, 100);
    const nb_table_def *defs[64];
    size_t ndefs = 0;
    for (size_t k = 0; k < nb_templates_table_count(T); k++)
        ndefs += nb_templates_variants(T, nb_templates_table_name(T, k), defs + ndefs, 64 - ndefs);
    unsigned st = 20261130u;
    size_t counts[3] = {0};
    char text[1024];
    bool done[256];
    for (size_t round = 0; round < 8 * p.n; round++) {
        const char *s = p.v[next_rand(&st) % p.n], *other = p.v[next_rand(&st) % p.n];
        make_text(s, other, &st, text, sizeof text);
        const nb_table_def *d = defs[next_rand(&st) % ndefs];
        size_t pos = d->nrows ? next_rand(&st) % (d->nrows + 2) : 0;
        bool with_done = next_rand(&st) % 2 && d->nrows <= 256;
        for (size_t r = 0; with_done && r < d->nrows; r++)
            done[r] = next_rand(&st) % 3 == 0;
        compare(d, T, text, pos, next_rand(&st) % 2, with_done ? done : NULL, counts);
    }
    /* every kind of answer was compared, not only "nothing near" */
    ck_assert_uint_gt(counts[0], 100);
    ck_assert_uint_gt(counts[1], 100);
    ck_assert_uint_gt(counts[2], 100);
    free(p.v);
}
END_TEST

/* Short texts at every row of every table: the first-byte rejection. */
START_TEST(short_texts_at_every_row)
{
    const nb_templates *T = tu_templates();
    pool p = {0};
    pool_fill(&p, T);
    const char *shorts[] = {"|",    "-",    "--",   "|---|", "：",    "、",    "1",    "a",   "",
                            "其",   "本年", "总计", "合计",  "其他",  "（",    "一、", "3.",  "第",
                            "行政", "公开", "件数", "|其他", "|总计", "-合计", "|规章",
                            /* notes in brackets: no key, only a label that begins so is near */
                            "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）",
                            "（单位：万元）", "（注）", "()", "（其他", "(本年", "（一", "（二）", "(五)"};
    size_t counts[3] = {0};
    for (size_t k = 0; k < nb_templates_table_count(T); k++) {
        const nb_table_def *v[16];
        size_t nv = nb_templates_variants(T, nb_templates_table_name(T, k), v, 16);
        for (size_t j = 0; j < nv; j++)
            for (size_t pos = 0; pos <= v[j]->nrows + 1; pos++)
                for (size_t i = 0; i < sizeof shorts / sizeof *shorts; i++)
                    for (int ended = 0; ended < 2; ended++)
                        compare(v[j], T, shorts[i], pos, ended, NULL, counts);
    }
    /* the first code point of each label alone */
    char one[8];
    for (size_t i = 0; i < p.n; i++) {
        size_t at[2], n = cp_starts(p.v[i], at, 2);
        size_t len = n == 2 ? at[1] : strlen(p.v[i]);
        snprintf(one, sizeof one, "%.*s", (int)(len < 7 ? len : 7), p.v[i]);
        compare(&nb_templates_get(T, 0)->tables[i % nb_templates_get(T, 0)->ntables], T, one, i % 4, i % 2, NULL,
                counts);
    }
    ck_assert_uint_gt(counts[0], 10);
    ck_assert_uint_gt(counts[1] + counts[2], 10);
    free(p.v);
}
END_TEST

static Suite *near_suite(void)
{
    Suite *s = suite_create("recognise_near");
    TCase *t = tcase_create("match");
    tcase_set_timeout(t, 120);
    tcase_add_test(t, short_cuts_match_as_plain);
    tcase_add_test(t, short_texts_at_every_row);
    suite_add_tcase(s, t);
    return s;
}

int main(void) { return tu_main(near_suite()); }
