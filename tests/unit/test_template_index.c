/* test_template_index.c - the per-table index of field paths: a lookup by
 * path finds the field the linear search would, a path not in the table
 * finds nothing, and a key-path pattern without wildcards selects exactly
 * the field of that path (validation's fast way) while a wildcard pattern
 * still selects by matching. */
#include "testutil.h"
#include "template_internal.h"
#include "validate_int.h"
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

static Suite *index_suite(void)
{
    Suite *s = suite_create("template_index");
    TCase *t = tcase_create("paths");
    tcase_add_test(t, lookup_agrees_with_linear_search);
    tcase_add_test(t, wildcards_still_match_by_segments);
    suite_add_tcase(s, t);
    return s;
}

int main(void) { return tu_main(index_suite()); }
