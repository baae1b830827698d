/* test_report_diags.c - a report's findings cut back to a count
 * (nb_report_truncate_diags): the writing thread of a -j run frees there
 * the findings it added to a report a worker built (run.c).  The cut
 * keeps the findings before it, frees the array only when asked, and a
 * -j 2 run over copies of one agency-year tells every copy of its first
 * in the callback and the output as a sequential run does, with the
 * copies' reports freed on the workers afterwards (ASan and valgrind run
 * this suite). */
#include "report_internal.h"
#include "model_internal.h"
#include "testutil.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static nb_report *report_with(size_t n)
{
    nb_report *r = nb_report_new(tu_templates());
    ck_assert_ptr_nonnull(r);
    for (size_t i = 0; i < n; i++)
        nb_report_add_diag(r, "R-TEST", NB_SEV_WARNING, false, "where", NULL, "found", "finding %zu", i);
    ck_assert_uint_eq(r->ndiags, n);
    return r;
}

START_TEST(cut_keeps_the_findings_before_it)
{
    nb_report *r = report_with(5);
    nb_report_truncate_diags(r, 2, true); /* not 0: the array stays */
    ck_assert_uint_eq(r->ndiags, 2);
    ck_assert_ptr_nonnull(r->diags);
    ck_assert_str_eq(r->diags[0].message, "finding 0");
    ck_assert_str_eq(r->diags[1].message, "finding 1");
    nb_report_add_diag(r, "R-TEST", NB_SEV_ERROR, false, NULL, NULL, NULL, "again");
    ck_assert_uint_eq(r->ndiags, 3);
    ck_assert_str_eq(r->diags[2].message, "again");
    ck_assert_uint_eq(nb_report_count_diags(r, NB_SEV_ERROR), 1);
    nb_report_free(r);
}
END_TEST

START_TEST(cut_to_none_frees_the_array_only_when_asked)
{
    nb_report *r = report_with(3);
    nb_report_truncate_diags(r, 0, false);
    ck_assert_uint_eq(r->ndiags, 0);
    ck_assert_ptr_nonnull(r->diags); /* another thread's array: left to its owner */
    nb_report_truncate_diags(r, 0, true);
    ck_assert_ptr_null(r->diags);
    ck_assert_uint_eq(r->capdiags, 0);
    nb_report_add_diag(r, "R-TEST", NB_SEV_INFO, false, NULL, NULL, NULL, "after");
    ck_assert_uint_eq(r->ndiags, 1);
    nb_report_truncate_diags(r, 4, true); /* past the end: nothing to cut */
    ck_assert_uint_eq(r->ndiags, 1);
    nb_report_free(r);
}
END_TEST

#define NCOPIES 48

typedef struct seen {
    size_t reports, duplicates;
} seen;

static void on_report(void *ctx, const nb_report *r)
{
    seen *s = ctx;
    s->reports++;
    s->duplicates += tu_count_diags(r, "R-X-DUPLICATE");
}

/* Converts folder in to NDJSON at path out with `jobs` threads. */
static seen convert(const char *in, const char *out, int jobs)
{
    nb_context *ctx = tu_context();
    nb_run_config cfg = {0};
    cfg.validate = true;
    cfg.jobs = jobs;
    cfg.to = "ndjson";
    cfg.output = out;
    cfg.on_report = on_report;
    seen s = {0};
    cfg.cb_ctx = &s;
    nb_error err;
    nb_error_clear(&err);
    nb_run *run = nb_run_new(ctx, &cfg, &err);
    ck_assert_msg(run != NULL, "nb_run_new: %s", err.text);
    ck_assert_int_eq(nb_run_input(run, in, &err), NB_OK);
    nb_summary sum;
    ck_assert_int_eq(nb_run_finish(run, &sum, &err), NB_OK);
    ck_assert_uint_eq(sum.converted, NCOPIES);
    nb_run_free(run);
    nb_context_free(ctx);
    return s;
}

static size_t count_in(const char *text, const char *what)
{
    size_t n = 0;
    for (const char *p = text; (p = strstr(p, what)) != NULL; p += strlen(what))
        n++;
    return n;
}

START_TEST(copies_told_of_their_first_at_j2_as_at_j1)
{
    char *ex = tu_path(tu_source_dir(), "examples/reports/qingshan-culture-2023.txt");
    size_t len = 0;
    char *text = tu_read_file(ex, &len);
    ck_assert_ptr_nonnull(text);
    char *dir = tu_tempdir();
    char *in = tu_path(dir, "in");
    ck_assert_int_eq(mkdir(in, 0700), 0);
    for (int i = 0; i < NCOPIES; i++) {
        char name[32];
        snprintf(name, sizeof name, "copy%02d.txt", i);
        char *path = tu_path(in, name);
        ck_assert_int_eq(tu_write_file(path, text, len), 0);
        free(path);
    }
    char *o1 = tu_path(dir, "j1.ndjson"), *o2 = tu_path(dir, "j2.ndjson");
    seen one = convert(in, o1, 1), two = convert(in, o2, 2);
    ck_assert_uint_eq(one.reports, NCOPIES);
    ck_assert_uint_eq(one.duplicates, NCOPIES - 1); /* every copy but the first */
    ck_assert_uint_eq(two.reports, one.reports);
    ck_assert_uint_eq(two.duplicates, one.duplicates);
    size_t l1 = 0, l2 = 0;
    char *t1 = tu_read_file(o1, &l1), *t2 = tu_read_file(o2, &l2);
    ck_assert_ptr_nonnull(t1);
    ck_assert_ptr_nonnull(t2);
    ck_assert_uint_eq(count_in(t1, "\"R-X-DUPLICATE\""), NCOPIES - 1);
    ck_assert_uint_eq(l1, l2);
    ck_assert_msg(memcmp(t1, t2, l1) == 0, "-j 2 wrote other bytes than -j 1");
    free(t1);
    free(t2);
    free(o1);
    free(o2);
    free(text);
    free(ex);
    free(in);
    tu_rmrf(dir);
    free(dir);
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("report_diags");
    TCase *tc = tcase_create("core");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, cut_keeps_the_findings_before_it);
    tcase_add_test(tc, cut_to_none_frees_the_array_only_when_asked);
    tcase_add_test(tc, copies_told_of_their_first_at_j2_as_at_j1);
    suite_add_tcase(s, tc);
    return s;
}

int main(void) { return tu_main(suite()); }
