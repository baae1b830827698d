/* test_validate_prefix.c - wildcard path patterns served from the
 * definition's path index (only the fields sharing the pattern's literal
 * segments are tried) against the plain path, v_path_match on every field:
 * the same fields in the same order, for patterns made from every
 * template table's own paths with segments turned into '*' and '**'.
 * The plain path is the recursive matcher (v_path_match_plain); the
 * one-walk matcher of patterns without '**' is compared with it on odd
 * patterns too (segments dropped, doubled, emptied, half-starred). */
#include "test_validate_util.h"
#include "validate_int.h"
#include <stdio.h>

typedef struct picked {
    size_t idx[4096];
    size_t n;
} picked;

static void pick(void *ctx, const nb_field_def *f, size_t i)
{
    (void)f;
    picked *p = ctx;
    if (p->n < 4096)
        p->idx[p->n++] = i;
}

/* A pattern from path: each segment kept, made '*', or (once) '**'. */
static void random_pattern(unsigned *seed, const char *path, char *out, size_t cap)
{
    char buf[512];
    snprintf(buf, sizeof buf, "%s", path);
    out[0] = '\0';
    bool star2 = false;
    int seg = 0;
    for (char *save = NULL, *s = strtok_r(buf, ".", &save); s; s = strtok_r(NULL, ".", &save), seg++) {
        int r = rand_r(seed) % 6;
        const char *w = seg == 0 && r < 4 ? s : r == 0 ? "*" : r == 1 && !star2 ? "**" : s;
        star2 |= strcmp(w, "**") == 0;
        if (strcmp(w, "**") == 0 && rand_r(seed) % 2)
            (void)strtok_r(NULL, ".", &save); /* '**' standing for two segments */
        snprintf(out + strlen(out), cap - strlen(out), "%s%s", *out ? "." : "", w);
    }
}

START_TEST(indexed_wildcards_select_as_the_plain_path)
{
    const nb_templates *t = tu_templates();
    unsigned seed = 3;
    size_t compared = 0, nonempty = 0, narrowed = 0;
    static picked a, b;
    for (size_t ti = 0; ti < nb_templates_table_count(t); ti++) {
        const nb_table_def *defs[16];
        size_t nd = nb_templates_variants(t, nb_templates_table_name(t, ti), defs, 16);
        for (size_t di = 0; di < nd; di++) {
            const nb_table_def *d = defs[di];
            ck_assert_ptr_nonnull(d->by_path);
            for (int round = 0; round < 400 && d->nfields; round++) {
                char pat[512];
                random_pattern(&seed, d->fields[rand_r(&seed) % d->nfields].path, pat, sizeof pat);
                if (!strchr(pat, '*'))
                    continue;
                a.n = b.n = 0;
                v_for_each_match(pat, d, pick, &a);
                for (size_t i = 0; i < d->nfields; i++)
                    if (v_path_match_plain(pat, d->fields[i].path, d, &d->fields[i]))
                        pick(&b, &d->fields[i], i);
                ck_assert_msg(a.n == b.n && memcmp(a.idx, b.idx, a.n * sizeof *a.idx) == 0,
                              "%s in %s/%s: %zu fields indexed, %zu plain", pat, d->name, d->variant,
                              a.n, b.n);
                compared++;
                nonempty += a.n > 0;
                narrowed += pat[0] != '*' && a.n < d->nfields;
            }
        }
    }
    ck_assert_uint_gt(compared, 1000);
    ck_assert_uint_gt(nonempty, 500);
    ck_assert_uint_gt(narrowed, 500);
}
END_TEST

/* A pattern from path with odd segments: dropped, doubled, empty, "x*",
 * '*', or (rarely) '**'; at least one '*' somewhere. */
static void odd_pattern(unsigned *seed, const char *path, char *out, size_t cap)
{
    char buf[512];
    snprintf(buf, sizeof buf, "%s", path);
    out[0] = '\0';
    for (char *save = NULL, *s = strtok_r(buf, ".", &save); s; s = strtok_r(NULL, ".", &save)) {
        int r = rand_r(seed) % 12;
        const char *w = r == 0 ? "*" : r == 1 ? "" : r == 2 ? "a*" : r == 3 && rand_r(seed) % 4 == 0 ? "**" : s;
        if (r == 4)
            continue; /* dropped */
        for (int k = r == 5 ? 2 : 1; k > 0; k--)
            snprintf(out + strlen(out), cap - strlen(out), "%s%s", *out || strlen(out) ? "." : "", w);
    }
    if (!strchr(out, '*') || rand_r(seed) % 3 == 0)
        snprintf(out + strlen(out), cap - strlen(out), "%s", rand_r(seed) % 2 ? ".*" : "*");
}

START_TEST(one_walk_matches_as_the_recursive_matcher)
{
    const nb_templates *t = tu_templates();
    unsigned seed = 11;
    size_t compared = 0, matched = 0;
    for (size_t ti = 0; ti < nb_templates_table_count(t); ti++) {
        const nb_table_def *defs[16];
        size_t nd = nb_templates_variants(t, nb_templates_table_name(t, ti), defs, 16);
        for (size_t di = 0; di < nd; di++) {
            const nb_table_def *d = defs[di];
            for (int round = 0; round < 300 && d->nfields; round++) {
                char pat[512];
                if (round % 2)
                    odd_pattern(&seed, d->fields[rand_r(&seed) % d->nfields].path, pat, sizeof pat);
                else
                    random_pattern(&seed, d->fields[rand_r(&seed) % d->nfields].path, pat, sizeof pat);
                for (size_t i = 0; i < d->nfields; i++) {
                    const nb_field_def *f = &d->fields[i];
                    bool fast = v_path_match(pat, f->path, d, f);
                    ck_assert_msg(fast == v_path_match_plain(pat, f->path, d, f), "%s on %s: %d", pat,
                                  f->path, fast);
                    compared++;
                    matched += fast;
                }
            }
        }
    }
    ck_assert_uint_gt(compared, 100000);
    ck_assert_uint_gt(matched, 2000);
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("validate_prefix");
    TCase *tc = tcase_create("core");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, indexed_wildcards_select_as_the_plain_path);
    tcase_add_test(tc, one_walk_matches_as_the_recursive_matcher);
    suite_add_tcase(s, tc);
    return s;
}

int main(void) { return tu_main(suite()); }
