/* test_validate_xyear.c - cross-report checks: the same agency in
 * consecutive years, added in either order, and reports that must not be
 * paired (other agency, gap year, same year twice).  Every case runs twice:
 * with the snapshots in memory, and with each written to the spill file
 * as soon as it is added (a run's national collection, in small). */
#include "test_validate_util.h"
#include "resolve_xyear.h"
#include "validate_int.h"
#include <dirent.h>
#include <fcntl.h>
#include <limits.h>
#include <sys/stat.h>
#include <unistd.h>

static nb_report *a, *b;
static nb_xcheck *x;
static char *spill_dir;

static void setup(void)
{
    a = b = NULL;
    x = nb_xcheck_new(tv_rules());
    ck_assert_ptr_nonnull(x);
}

static void setup_spilled(void)
{
    setup();
    spill_dir = tu_tempdir();
    nb_xcheck_spill(x, spill_dir, 0);
}

static void teardown(void)
{
    nb_report_free(a);
    nb_report_free(b);
    nb_xcheck_free(x);
    if (spill_dir) {
        rmdir(spill_dir); /* fails when a spill file was left behind */
        struct stat st;
        ck_assert_msg(stat(spill_dir, &st) != 0, "%s: not empty", spill_dir);
        free(spill_dir);
        spill_dir = NULL;
    }
}

static nb_report *year_report(const char *variant, int year, const char *source)
{
    nb_report *r = tv_report(variant);
    tv_zero(r);
    tv_requests_ok(r); /* carried_forward: 1 natural person */
    r->year = year;
    nb_set_str(&r->source.path, source);
    return r;
}

START_TEST(carry_consistent)
{
    a = year_report("gb2021", 2022, "a.txt");
    b = year_report("gb2021", 2023, "b.txt");
    tv_row(b, "carried_over", 1, 0);
    ck_assert_uint_eq(nb_xcheck_add(x, a), 0);
    ck_assert_uint_eq(nb_xcheck_add(x, b), 0);
    ck_assert_uint_eq(tv_any(b, "R-T2-CARRY-XYEAR"), 0);
    ck_assert_uint_eq(nb_xcheck_run_diags(x, NULL, NULL), 0);
}
END_TEST

START_TEST(carry_broken_later_added_last)
{
    a = year_report("gb2021", 2022, "a.txt");
    b = year_report("gb2021", 2023, "b.txt"); /* 上年结转 0, last year carried 1 */
    nb_xcheck_add(x, a);
    ck_assert_uint_eq(nb_xcheck_add(x, b), 2); /* natural_person and total */
    const nb_diag *d = tv_find(b, "R-T2-CARRY-XYEAR", "requests.carried_over.natural_person");
    ck_assert_ptr_nonnull(d);
    ck_assert_int_eq(d->severity, NB_SEV_WARNING);
    ck_assert_str_eq(d->expected, "1");
    ck_assert_str_eq(d->found, "0");
    ck_assert_msg(strstr(d->message, "二、上年结转") && strstr(d->message, "自然人"), "%s", d->message);
    ck_assert_uint_eq(tv_any(a, "R-T2-CARRY-XYEAR"), 0);
    ck_assert_uint_eq(nb_xcheck_run_diags(x, NULL, NULL), 0);
}
END_TEST

START_TEST(carry_broken_earlier_added_last)
{
    a = year_report("gb2021", 2022, "a.txt");
    b = year_report("gb2021", 2023, "b.txt");
    nb_xcheck_add(x, b);
    ck_assert_uint_eq(nb_xcheck_add(x, a), 2);
    ck_assert_uint_eq(tv_any(a, "R-T2-CARRY-XYEAR"), 0); /* a is the earlier year */
    const nb_diag *d;
    const char *const *src;
    size_t n = nb_xcheck_run_diags(x, &d, &src);
    ck_assert_uint_eq(n, 2);
    ck_assert_str_eq(d[0].rule, "R-T2-CARRY-XYEAR");
    ck_assert_str_eq(src[0], "b.txt");
    ck_assert_str_eq(d[0].where, "requests.carried_over.natural_person");
}
END_TEST

START_TEST(not_paired)
{
    a = year_report("gb2021", 2022, "a.txt");
    b = year_report("gb2021", 2023, "b.txt");
    nb_set_str(&b->agency, "另一个局");
    nb_xcheck_add(x, a);
    ck_assert_uint_eq(nb_xcheck_add(x, b), 0);
    nb_set_str(&b->agency, a->agency);
    b->year = 2024; /* a gap year */
    ck_assert_uint_eq(nb_xcheck_add(x, b), 0);
    b->year = 2022; /* the same agency-year twice: the first one counts, the second is told of it */
    ck_assert_uint_eq(nb_xcheck_add(x, b), 1);
    ck_assert_uint_eq(tv_any(b, "R-X-DUPLICATE"), 1);
    ck_assert_uint_eq(tv_any(a, "R-X-DUPLICATE"), 0);
    ck_assert_uint_eq(tv_any(b, "R-T2-CARRY-XYEAR"), 0);
    nb_set_str(&b->agency, NULL);
    b->year = 2023;
    ck_assert_uint_eq(nb_xcheck_add(x, b), 0);
    ck_assert_uint_eq(tv_any(b, "R-T2-CARRY-XYEAR"), 0);
}
END_TEST

/* A snapshot reads each needed cell by the indices found at start: the
 * same cell nb_report_cell_c finds by its path, for every variant mix,
 * absent tables included. */
static void cells_agree(const nb_report *r)
{
    const char *const *paths;
    size_t n = v_xcheck_paths(x, &paths);
    ck_assert_uint_gt(n, 0);
    for (size_t i = 0; i < n; i++)
        ck_assert_msg(v_xcheck_cell(x, r, i) == nb_report_cell_c(r, paths[i]), "%s", paths[i]);
}

START_TEST(snapshot_cells_by_index)
{
    const char *v[] = {"gb2019", "gb2021", NULL};
    size_t found = 0;
    for (int i = 0; i < 3; i++)
        for (int j = 0; j < 3; j++)
            for (int k = 0; k < 3; k++) {
                nb_report *r = tv_report3(v[i], v[j], v[k]);
                cells_agree(r);
                const char *const *paths;
                for (size_t p = 0; p < v_xcheck_paths(x, &paths); p++)
                    found += v_xcheck_cell(x, r, p) != NULL;
                nb_report_free(r);
            }
    ck_assert_uint_gt(found, 0);
}
END_TEST

START_TEST(single_report_validation_skips_xyear)
{
    a = year_report("gb2021", 2023, "a.txt");
    nb_validate(tv_rules(), a);
    for (size_t i = 0; i < a->ndiags; i++)
        ck_assert_ptr_null(strstr(a->diags[i].rule, "XYEAR"));
}
END_TEST

START_TEST(inforce)
{
    a = year_report("gb2021", 2022, "a.txt");
    b = year_report("gb2021", 2023, "b.txt");
    tv_row(b, "carried_over", 1, 0);
    tv_set(a, "proactive.normative_docs.in_force", 40);
    tv_set(b, "proactive.normative_docs.issued", 3);
    tv_set(b, "proactive.normative_docs.repealed", 1);
    tv_set(b, "proactive.normative_docs.in_force", 42);
    nb_xcheck_add(x, a);
    ck_assert_uint_eq(nb_xcheck_add(x, b), 0);
    nb_report *c = year_report("gb2021", 2024, "c.txt");
    tv_row(c, "carried_over", 1, 0);
    tv_set(c, "proactive.normative_docs.issued", 5);
    tv_set(c, "proactive.normative_docs.in_force", 45); /* 42 + 5 - 0 = 47 */
    ck_assert_uint_eq(nb_xcheck_add(x, c), 1);
    const nb_diag *d = tv_find(c, "R-T1-INFORCE-XYEAR", "proactive.normative_docs.in_force");
    ck_assert_ptr_nonnull(d);
    ck_assert_str_eq(d->expected, "47");
    ck_assert_str_eq(d->found, "45");
    nb_report_free(c);
}
END_TEST

START_TEST(old_items)
{
    a = year_report("gb2019", 2019, "a.txt");
    b = year_report("gb2019", 2020, "b.txt");
    tv_row(b, "carried_over", 1, 0);
    tv_set(a, "proactive.licensing.prev_items", 396);
    tv_set(a, "proactive.licensing.items_change", 442);
    tv_set(b, "proactive.licensing.prev_items", 838);
    tv_set(a, "proactive.penalty.prev_items", 2648);
    tv_set(a, "proactive.penalty.items_change", -18);
    tv_set(b, "proactive.penalty.prev_items", 2648); /* should be 2630 */
    nb_xcheck_add(x, a);
    ck_assert_uint_eq(nb_xcheck_add(x, b), 1);
    const nb_diag *d = tv_find(b, "R-T1-OLD-XYEAR", "proactive.penalty.prev_items");
    ck_assert_ptr_nonnull(d);
    ck_assert_str_eq(d->expected, "2630");
    ck_assert_ptr_null(tv_find(b, "R-T1-OLD-XYEAR", "proactive.licensing.prev_items"));
}
END_TEST

START_TEST(variant_change_is_not_compared)
{
    a = year_report("gb2019", 2020, "a.txt");
    b = year_report("gb2021", 2021, "b.txt");
    tv_row(b, "carried_over", 1, 0);
    tv_set(b, "proactive.normative_docs.in_force", 9);
    nb_xcheck_add(x, a);
    ck_assert_uint_eq(nb_xcheck_add(x, b), 0); /* 2019 table 1 has no in_force */
}
END_TEST

START_TEST(duplicate_names_a_spilled_first)
{
    a = year_report("gb2021", 2022, "first/a.txt");
    b = year_report("gb2021", 2022, "second/b.txt");
    nb_xcheck_add(x, a);
    ck_assert_uint_eq(nb_xcheck_add(x, b), 1);
    const nb_diag *d = tv_find(b, "R-X-DUPLICATE", "agency");
    ck_assert_ptr_nonnull(d);
    ck_assert_msg(strstr(d->message, "first/a.txt"), "%s", d->message);
}
END_TEST

/* Agency k's report of year y: its carry-over is 1 (last year's carried
 * forward) except for every fifth agency, whose later years say 0.  Years
 * come in an order that makes both kinds of pairing happen: with the
 * previous year already kept and with the next. */
static nb_report *agency_year(int k, int year)
{
    char name[64], src[64];
    snprintf(name, sizeof name, "第%d局", k);
    snprintf(src, sizeof src, "bundle/%d-%d.txt", k, year);
    nb_report *r = year_report("gb2021", year, src);
    nb_set_str(&r->agency, name);
    tv_row(r, "carried_over", k % 5 == 0 && year > 2021 ? 0 : 1, 0);
    tv_set(r, "proactive.normative_docs.in_force", 10 + year - 2021);
    tv_set(r, "proactive.normative_docs.issued", 1);
    return r;
}

/* What a run finds over many agencies: findings on the reports as added
 * (rule, cell, expected, found and message of each) and the run's own. */
static char *findings_of_many(nb_xcheck *xc)
{
    static const int years[] = {2022, 2021, 2023};
    nb_buf out = {0};
    for (int k = 0; k < 300; k++)
        for (int i = 0; i < 3; i++) {
            nb_report *r = agency_year(k, years[i]);
            nb_xcheck_add(xc, r);
            if (k % 7 == 0) /* a second copy of the same agency-year */
                nb_xcheck_add(xc, r);
            for (size_t j = 0; j < r->ndiags; j++)
                nb_buf_printf(&out, "%d %d %s %s %s %s %s\n", k, years[i], r->diags[j].rule,
                              r->diags[j].where, r->diags[j].expected ? r->diags[j].expected : "-",
                              r->diags[j].found ? r->diags[j].found : "-", r->diags[j].message);
            nb_report_free(r);
        }
    const nb_diag *d;
    const char *const *src;
    size_t n = nb_xcheck_run_diags(xc, &d, &src);
    for (size_t i = 0; i < n; i++)
        nb_buf_printf(&out, "run %s %s %s %s\n", src[i], d[i].rule, d[i].where, d[i].message);
    return nb_buf_steal(&out);
}

START_TEST(many_agencies_spilled_as_in_memory)
{
    char *kept = findings_of_many(x);
    char *dir = tu_tempdir();
    nb_xcheck *sp = nb_xcheck_new(tv_rules());
    nb_xcheck_spill(sp, dir, 16);
    char *spilled = findings_of_many(sp);
    ck_assert_ptr_nonnull(strstr(kept, "R-T2-CARRY-XYEAR"));
    ck_assert_ptr_nonnull(strstr(kept, "R-X-DUPLICATE"));
    ck_assert_ptr_nonnull(strstr(kept, "run "));
    ck_assert_str_eq(spilled, kept);
    /* a folder that cannot be written: every snapshot stays in memory */
    nb_xcheck *no = nb_xcheck_new(tv_rules());
    nb_xcheck_spill(no, "/nonexistent/nianbao-test", 16);
    char *unspilled = findings_of_many(no);
    ck_assert_str_eq(unspilled, kept);
    nb_xcheck_free(sp);
    nb_xcheck_free(no);
    ck_assert_int_eq(rmdir(dir), 0); /* the spill file was unlinked at once */
    free(dir);
    free(kept);
    free(spilled);
    free(unspilled);
}
END_TEST

/* Puts a write-only /dev/null in place of the spill file's descriptor
 * (found by its path under dir), so reading a record back fails as an
 * I/O error would; false when no such descriptor is open. */
static bool break_spill_file(const char *dir)
{
    DIR *d = opendir("/proc/self/fd");
    ck_assert_ptr_nonnull(d);
    bool found = false;
    for (struct dirent *e; (e = readdir(d)) != NULL;) {
        char link[300], target[PATH_MAX];
        snprintf(link, sizeof link, "/proc/self/fd/%s", e->d_name);
        ssize_t n = readlink(link, target, sizeof target - 1);
        if (n <= 0)
            continue;
        target[n] = '\0';
        if (strncmp(target, dir, strlen(dir)) != 0)
            continue;
        int w = open("/dev/null", O_WRONLY);
        ck_assert_int_ge(w, 0);
        ck_assert_int_ge(dup2(w, atoi(e->d_name)), 0);
        close(w);
        found = true;
    }
    closedir(d);
    return found;
}

/* A neighbour whose snapshot cannot be read back: its checks are not
 * made, and the report says so (skipped, info), never a finding against
 * values that were not read; a duplicate is still told, without the
 * first file's name. */
START_TEST(unreadable_spilled_year_is_said)
{
    a = year_report("gb2021", 2022, "a.txt");
    b = year_report("gb2021", 2023, "b.txt");
    tv_row(b, "carried_over", 0, 0); /* read against a, a broken carry-over */
    nb_xcheck_add(x, a);
    ck_assert(break_spill_file(spill_dir));
    ck_assert_uint_gt(nb_xcheck_add(x, b), 0);
    size_t skipped = 0;
    for (size_t i = 0; i < b->ndiags; i++) {
        const nb_diag *d = &b->diags[i];
        ck_assert_msg(d->skipped && d->severity == NB_SEV_INFO, "%s: %s", d->rule, d->message);
        ck_assert_msg(strstr(d->message, "2022年度") && strstr(d->message, "无法从临时文件读回"), "%s",
                      d->message);
        skipped++;
    }
    ck_assert_ptr_nonnull(tv_skipped(b, "R-T2-CARRY-XYEAR"));
    ck_assert_uint_ge(skipped, 3); /* one per cross-year rule */
    nb_report *c = year_report("gb2021", 2022, "again/a.txt");
    ck_assert_uint_eq(nb_xcheck_add(x, c), 1);
    const nb_diag *d = tv_find(c, "R-X-DUPLICATE", "agency");
    ck_assert_ptr_nonnull(d);
    ck_assert_msg(strstr(d->message, "无法从临时文件读回"), "%s", d->message);
    nb_report_free(c);
}
END_TEST

static TCase *xyear_case(const char *name, void (*set_up)(void))
{
    TCase *tc = tcase_create(name);
    tcase_add_checked_fixture(tc, set_up, teardown);
    tcase_add_test(tc, carry_consistent);
    tcase_add_test(tc, carry_broken_later_added_last);
    tcase_add_test(tc, carry_broken_earlier_added_last);
    tcase_add_test(tc, not_paired);
    tcase_add_test(tc, snapshot_cells_by_index);
    tcase_add_test(tc, single_report_validation_skips_xyear);
    tcase_add_test(tc, inforce);
    tcase_add_test(tc, old_items);
    tcase_add_test(tc, variant_change_is_not_compared);
    tcase_add_test(tc, duplicate_names_a_spilled_first);
    return tc;
}

int main(void)
{
    Suite *s = suite_create("validate_xyear");
    suite_add_tcase(s, xyear_case("xyear", setup));
    suite_add_tcase(s, xyear_case("xyear_spilled", setup_spilled));
    TCase *broken = tcase_create("spill_unreadable");
    tcase_add_checked_fixture(broken, setup_spilled, teardown);
    tcase_add_test(broken, unreadable_spilled_year_is_said);
    suite_add_tcase(s, broken);
    TCase *many = tcase_create("many");
    tcase_add_checked_fixture(many, setup, teardown);
    tcase_add_test(many, many_agencies_spilled_as_in_memory);
    suite_add_tcase(s, many);
    return tu_main(s);
}
