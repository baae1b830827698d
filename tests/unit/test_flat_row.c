/* test_flat_row.c - the flat view's per-report shortcut (nbf_row, used by
 * the csv and xlsx outputs) against the plain per-column lookup it
 * replaces (nbf_cell_ro), and nbf_value's text against nb_num_format's,
 * on generated reports of every variant, a report without tables, and a
 * view whose maps were never prepared (every column looked up by path). */
#include "test_outputs_common.h"
#include "../../plugins/out_csv/flat.c"

/* Every column of r: the same cell both ways, and the value text the core
 * API gives. */
static void assert_row_agrees(const nbf_flat *f, const nb_report *r)
{
    nbf_row row;
    nbf_row_init(f, r, &row);
    for (size_t c = 0; c < f->ncols; c++) {
        const nb_cell *want = nbf_cell_ro(f, r, c);
        ck_assert_ptr_eq(nbf_row_cell(f, &row, c), want);
        char got_buf[64], want_buf[64];
        const char *got = nbf_value(f->cols[c], want, got_buf, sizeof got_buf);
        ck_assert_str_eq(got, to_expected(r, f->cols[c], want_buf, sizeof want_buf));
        char fast_buf[NBF_VALUE_ROOM];
        size_t n = 99;
        const char *fast = nbf_row_value(f, &row, c, fast_buf, &n);
        ck_assert_str_eq(fast, got);
        ck_assert_uint_eq(n, strlen(got));
        ck_assert(f->unit[c] || fast == fast_buf); /* a number's text is in buf: no quoting */
    }
    ck_assert_ptr_null(nbf_row_cell(f, &row, f->ncols)); /* out of range */
}

static void check_view(bool prepared)
{
    nbf_flat f;
    nb_error err;
    ck_assert_int_eq(nbf_init(&f, tu_templates(), &err), NB_OK);
    if (prepared)
        nbf_prepare(&f);
    ck_assert_uint_gt(f.ncols, 100);
    for (int k = 0; k < 2 * TO_NGEN; k++) {
        nb_report *r = to_gen_report(k);
        assert_row_agrees(&f, r);
        nb_report_free(r);
    }
    nb_report *empty = nb_report_new(tu_templates()); /* no table found */
    ck_assert_ptr_nonnull(empty);
    assert_row_agrees(&f, empty);
    nb_report_free(empty);
    nbf_free(&f);
}

START_TEST(row_cells_match_the_column_lookup)
{
    check_view(true);
}
END_TEST

START_TEST(unprepared_view_falls_back_to_paths)
{
    check_view(false);
}
END_TEST

/* Small integers take a shortcut past nb_num_format: same text for every
 * value around it, negative, scaled and overflowed ones included. */
START_TEST(value_text_matches_num_format)
{
    nb_report *r = to_gen_report(0);
    const nb_field_def *fd = NULL;
    nb_cell *cell = NULL;
    nb_table *t = &r->tables[1];
    for (size_t j = 0; j < t->def->nfields && !fd; j++)
        if (t->def->fields[j].type == NB_TYPE_INT) {
            fd = &t->def->fields[j];
            cell = &t->cells[j];
        }
    ck_assert_ptr_nonnull(fd);
    const nb_num nums[] = {{0, 0}, {9, 0}, {10, 0}, {-1, 0}, {5, 1}, {7, 2}, {123, 0}, {3, NB_NUM_OVERFLOW}};
    for (size_t i = 0; i < sizeof nums / sizeof *nums; i++) {
        nb_cell_set(r, cell, NB_CELL_OK, nums[i], "x", 1, 0);
        char got[64], want[64];
        nb_num_format(nums[i], want, sizeof want);
        ck_assert_str_eq(nbf_value(fd, cell, got, sizeof got), want);
    }
    nb_report_free(r);
}
END_TEST

/* nbf_row_value's integer shortcut against nbf_value on the values
 * around its edges: one digit, many, the largest, negative, scaled,
 * overflowed and null. */
START_TEST(row_value_matches_value_text)
{
    nb_report *r = to_gen_report(2);
    nbf_flat f;
    nb_error err;
    ck_assert_int_eq(nbf_init(&f, tu_templates(), &err), NB_OK);
    nbf_prepare(&f);
    nb_table *t = &r->tables[1];
    const nb_num nums[] = {{0, 0}, {9, 0}, {10, 0}, {99, 0}, {100, 0}, {1234567890123LL, 0},
                           {INT64_MAX, 0}, {-1, 0}, {-10, 0}, {INT64_MIN, 0}, {5, 1},
                           {7, 2}, {-7, 2}, {3, NB_NUM_OVERFLOW}};
    nbf_row row;
    for (size_t i = 0; i <= sizeof nums / sizeof *nums; i++) {
        for (size_t j = 0; j < t->def->nfields; j++) {
            if (t->def->fields[j].type == NB_TYPE_UNIT)
                continue;
            if (i < sizeof nums / sizeof *nums)
                nb_cell_set(r, &t->cells[j], NB_CELL_OK, nums[i], "x", 1, 0);
            else
                nb_cell_set(r, &t->cells[j], NB_CELL_AMBIGUOUS, nb_num_int(0), NULL, 1, 0); /* null */
        }
        nbf_row_init(&f, r, &row);
        for (size_t c = 0; c < f.ncols; c++) {
            char want[64], got[NBF_VALUE_ROOM];
            size_t n;
            const char *v = nbf_row_value(&f, &row, c, got, &n);
            ck_assert_str_eq(v, nbf_value(f.cols[c], nbf_row_cell(&f, &row, c), want, sizeof want));
            ck_assert_uint_eq(n, strlen(v));
        }
    }
    nbf_free(&f);
    nb_report_free(r);
}
END_TEST

/* The identifying columns' numbers (year, errors, warnings) are written
 * without printf: the same text as "%d" / "%zu", and none for no year. */
START_TEST(id_numbers_match_printf)
{
    for (int k = 0; k < 2 * TO_NGEN; k++) {
        nb_report *r = to_gen_report(k);
        r->year = k == 3 ? 0 : (k == 4 ? 987654321 : r->year);
        for (int d = 0; d < k; d++)
            nb_report_add_diag(r, "R-X", d % 2 ? NB_SEV_WARNING : NB_SEV_ERROR, false, NULL, NULL, NULL, "x");
        char buf[32], want[32];
        if (r->year > 0)
            snprintf(want, sizeof want, "%d", r->year);
        else
            want[0] = '\0';
        ck_assert_str_eq(nbf_id_value(r, 2, buf, sizeof buf), want);
        snprintf(want, sizeof want, "%zu", nb_report_count_diags(r, NB_SEV_ERROR));
        ck_assert_str_eq(nbf_id_value(r, 4, buf, sizeof buf), want);
        snprintf(want, sizeof want, "%zu", nb_report_count_diags(r, NB_SEV_WARNING));
        ck_assert_str_eq(nbf_id_value(r, 5, buf, sizeof buf), want);
        char small[4]; /* a buffer too short for the shortcut: printf's truncation */
        snprintf(want, sizeof want, "%d", r->year);
        if (r->year > 0) {
            nbf_id_value(r, 2, small, sizeof small);
            ck_assert(strncmp(small, want, sizeof small - 1) == 0);
        }
        nb_report_free(r);
    }
}
END_TEST

/* The runs the csv output writes a table at a time: each column starts
 * a run exactly when it is a number column of a table, the run keeps to
 * that table's number columns and is as long as it can be. */
START_TEST(runs_cover_one_table_s_number_columns)
{
    nbf_flat f;
    nb_error err;
    ck_assert_int_eq(nbf_init(&f, tu_templates(), &err), NB_OK);
    size_t runs = 0;
    for (size_t c = 0; c < f.ncols; c++) {
        bool number = !f.unit[c] && f.table_of[c] < NBF_MAX_TABLES;
        ck_assert_int_eq(f.run_end[c] > c, number);
        if (!number) {
            ck_assert_uint_eq(f.run_end[c], c);
            continue;
        }
        ck_assert_uint_le(f.run_end[c], f.ncols);
        for (size_t k = c; k < f.run_end[c]; k++) {
            ck_assert(!f.unit[k]);
            ck_assert_uint_eq(f.table_of[k], f.table_of[c]);
            ck_assert_uint_eq(f.run_end[k], f.run_end[c]);
        }
        size_t e = f.run_end[c];
        ck_assert(e == f.ncols || f.unit[e] || f.table_of[e] != f.table_of[c]); /* maximal */
        runs += c == 0 || f.run_end[c - 1] != f.run_end[c];
    }
    ck_assert_uint_gt(runs, 1);
    nbf_free(&f);
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("flat_row");
    TCase *tc = tcase_create("core");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, row_cells_match_the_column_lookup);
    tcase_add_test(tc, unprepared_view_falls_back_to_paths);
    tcase_add_test(tc, value_text_matches_num_format);
    tcase_add_test(tc, row_value_matches_value_text);
    tcase_add_test(tc, id_numbers_match_printf);
    tcase_add_test(tc, runs_cover_one_table_s_number_columns);
    suite_add_tcase(s, tc);
    return s;
}

int main(void) { return tu_main(suite()); }
