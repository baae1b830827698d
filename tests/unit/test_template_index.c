/* test_template_index.c - the per-table index of field paths: a lookup by
 * path finds the field the linear search would, a path not in the table
 * finds nothing, and a key-path pattern without wildcards selects exactly
 * the field of that path (validation's fast way) while a wildcard pattern
 * still selects by matching. */
#include "testutil.h"
#include "template_internal.h"
#include "validate_int.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static long linear_index(const nb_table_def *d, const char *path)
{
    for (size_t i = 0; i < d->nfields; i++)
        if (strcmp(d->fields[i].path, path) == 0)
            return (long)i;
    return -1;
}

typedef struct hits {
    size_t n, first;
} hits;

static void count(void *ctx, const nb_field_def *f, size_t i)
{
    (void)f;
    hits *h = ctx;
    if (h->n++ == 0)
        h->first = i;
}

START_TEST(lookup_agrees_with_linear_search)
{
    const nb_templates *T = tu_templates();
    ck_assert_ptr_nonnull(T);
    size_t checked = 0;
    for (size_t t = 0; t < nb_templates_count(T); t++) {
        const nb_template *tp = nb_templates_get(T, t);
        for (size_t k = 0; k < tp->ntables; k++) {
            const nb_table_def *d = &tp->tables[k];
            ck_assert_ptr_nonnull(d->by_path);
            for (size_t i = 0; i < d->nfields; i++) {
                const char *p = d->fields[i].path;
                ck_assert_int_eq(nb_table_def_field_index(d, p), linear_index(d, p));
                hits h = {0, 0};
                v_for_each_match(p, d, count, &h);
                ck_assert_uint_eq(h.n, 1);
                ck_assert_uint_eq(h.first, (size_t)linear_index(d, p));
                checked++;
            }
            char *missing = nb_strfmt("%s.no_such_row.total", d->name);
            ck_assert_int_eq(nb_table_def_field_index(d, missing), -1);
            hits h = {0, 0};
            v_for_each_match(missing, d, count, &h);
            ck_assert_uint_eq(h.n, 0);
            free(missing);
        }
    }
    ck_assert_uint_gt(checked, 100);
}
END_TEST

START_TEST(wildcards_still_match_by_segments)
{
    const nb_templates *T = tu_templates();
    const nb_template *tp = nb_templates_get(T, 0);
    ck_assert_ptr_nonnull(tp);
    const nb_table_def *d = &tp->tables[0];
    char *all = nb_strfmt("%s.**", d->name);
    hits h = {0, 0};
    v_for_each_match(all, d, count, &h);
    /* every printed, non-derived value; never more than the table has */
    ck_assert_uint_gt(h.n, 0);
    ck_assert_uint_le(h.n, d->nfields);
    free(all);
}
END_TEST

/* A path of segments drawn from a few short words, so that many paths
 * share prefixes, lengths cross the hash's eight-byte steps, and the same
 * path comes up again (runs of equal paths). */
static void random_path(char *out, size_t room, unsigned *seed)
{
    static const char *const words[] = {"a", "ab", "total", "withheld", "x7", "州", "state_secret", ""};
    size_t n = 0, segs = 1 + (size_t)(rand_r(seed) % 5);
    out[0] = '\0';
    for (size_t s = 0; s < segs; s++) {
        const char *w = words[rand_r(seed) % (sizeof words / sizeof *words)];
        n += (size_t)snprintf(out + n, room - n, "%s%s", s ? "." : "", w);
    }
}

/* The fields with exactly this path, ascending: what the index must give. */
static size_t linear_range(const nb_table_def *d, const char *path, size_t *out)
{
    size_t n = 0;
    for (size_t i = 0; i < d->nfields; i++)
        if (strcmp(d->fields[i].path, path) == 0)
            out[n++] = i;
    return n;
}

static void check_range(const nb_table_def *d, const char *path, size_t *want)
{
    const size_t *idx;
    size_t n = nb_table_def_path_range(d, path, &idx), m = linear_range(d, path, want);
    ck_assert_uint_eq(n, m);
    for (size_t k = 0; k < n; k++)
        ck_assert_uint_eq(idx[k], want[k]);
}

START_TEST(hashed_ranges_agree_with_a_scan_on_generated_tables)
{
    unsigned seed = 13;
    size_t checked = 0, repeated = 0;
    for (int t = 0; t < 300; t++) {
        nb_table_def d = {0};
        d.nfields = (size_t)(rand_r(&seed) % 120);
        d.fields = calloc(d.nfields + 1, sizeof *d.fields);
        char (*paths)[96] = calloc(d.nfields + 1, sizeof *paths);
        size_t *want = malloc((d.nfields + 1) * sizeof *want);
        ck_assert(d.fields && paths && want);
        for (size_t i = 0; i < d.nfields; i++) {
            random_path(paths[i], sizeof paths[i], &seed);
            d.fields[i].path = paths[i];
        }
        ck_assert(nb_table_def_index_paths(&d));
        for (size_t i = 0; i < d.nfields; i++) {
            check_range(&d, paths[i], want);
            repeated += linear_range(&d, paths[i], want) > 1;
            char probe[112];
            random_path(probe, sizeof probe, &seed); /* in the table or not */
            check_range(&d, probe, want);
            snprintf(probe, sizeof probe, "%s.", paths[i]); /* one byte longer */
            check_range(&d, probe, want);
            checked += 3;
        }
        check_range(&d, "", want);
        free(d.by_path);
        free(want);
        free(paths);
        free(d.fields);
    }
    ck_assert_uint_gt(checked, 10000);
    ck_assert_uint_gt(repeated, 100);
}
END_TEST

static Suite *index_suite(void)
{
    Suite *s = suite_create("template_index");
    TCase *t = tcase_create("paths");
    tcase_add_test(t, lookup_agrees_with_linear_search);
    tcase_add_test(t, wildcards_still_match_by_segments);
    tcase_add_test(t, hashed_ranges_agree_with_a_scan_on_generated_tables);
    suite_add_tcase(s, t);
    return s;
}

int main(void) { return tu_main(index_suite()); }
