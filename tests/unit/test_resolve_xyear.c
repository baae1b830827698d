/* test_resolve_xyear.c - the joint reading of two consecutive years'
 * undecided rows under the cross-year rules (resolve_xyear.c): a unique
 * joint reading settles cells, several keep the cells they disagree on
 * ambiguous, none changes nothing, and the bounds refuse what is too big.
 * The readings are tables written here: the cuts of small digit runs. */
#include "test_validate_util.h"
#include "resolve_xyear.h"
#include "recognise_internal.h"

static nb_report *a, *b;

static void teardown(void)
{
    nb_report_free(a);
    nb_report_free(b);
    a = b = NULL;
}

static size_t field_of(const nb_table_def *d, const char *path)
{
    for (size_t f = 0; f < d->nfields; f++)
        if (!strcmp(d->fields[f].path, path))
            return f;
    ck_abort_msg("no field %s", path);
    return 0;
}

/* Marks row's three cells ambiguous and keeps the readings (k = 3). */
static bool undecided(nb_report *r, const char *row, const char *const cols[3], const int64_t (*sols)[3],
                      size_t nsol)
{
    const nb_table *t = nb_report_table_c(r, "proactive");
    size_t fields[3];
    for (int i = 0; i < 3; i++) {
        char path[128];
        snprintf(path, sizeof path, "proactive.%s.%s", row, cols[i]);
        fields[i] = field_of(t->def, path);
        nb_cell_set(r, nb_report_cell(r, path), NB_CELL_AMBIGUOUS, nb_num_int(0), NULL, 0, -1);
    }
    return nb_readings_add(nb_report_readings(r), "proactive", t->def, fields, 3, &sols[0][0], nsol);
}

static const char *const FORCE[3] = {"issued", "repealed", "in_force"};
static const char *const ITEMS[3] = {"prev_items", "items_change", "decisions"};

/* Every cut of "123109" into three cells (no leading zeros). */
static const int64_t CUTS_123109[][3] = {{1, 2, 3109},  {1, 23, 109}, {1, 2310, 9}, {12, 3, 109},
                                         {12, 310, 9},  {123, 10, 9}, {1231, 0, 9}};
#define NCUTS (sizeof CUTS_123109 / sizeof CUTS_123109[0])

static nb_report *year(const char *variant, int y, const char *source)
{
    nb_report *r = tv_report(variant);
    tv_zero(r);
    r->year = y;
    nb_set_str(&r->source.path, source);
    return r;
}

static size_t resolve(bool *cur_set, bool *prev_set)
{
    xy_side cur = xy_side_of_report(b), prev = xy_side_of_report(a);
    return xy_resolve(tv_rules(), &cur, &prev, cur_set, prev_set);
}

static void assert_cell(nb_report *r, const char *path, nb_cell_status st, long v)
{
    const nb_cell *c = nb_report_cell_c(r, path);
    ck_assert_msg(c->status == st, "%s: status %d, want %d", path, c->status, st);
    if (st != NB_CELL_AMBIGUOUS)
        ck_assert_int_eq(c->num.v, v);
}

START_TEST(unique_joint_reading_settles)
{
    a = year("gb2021", 2022, "county-2022.txt");
    b = year("gb2021", 2023, "county-2023.txt");
    tv_set(a, "proactive.normative_docs.in_force", 100);
    ck_assert(undecided(b, "normative_docs", FORCE, CUTS_123109, NCUTS));
    bool cur_set = false, prev_set = true;
    ck_assert_uint_eq(resolve(&cur_set, &prev_set), 3);
    ck_assert(cur_set && !prev_set);
    assert_cell(b, "proactive.normative_docs.issued", NB_CELL_INFERRED, 12);
    assert_cell(b, "proactive.normative_docs.repealed", NB_CELL_INFERRED, 3);
    assert_cell(b, "proactive.normative_docs.in_force", NB_CELL_INFERRED, 109);
    const nb_diag *d = tv_find(b, "PARSE-XYEAR-DECIDED", "proactive.normative_docs.issued");
    ck_assert_ptr_nonnull(d);
    ck_assert_int_eq(d->severity, NB_SEV_INFO);
    ck_assert_msg(strstr(d->message, "R-T1-INFORCE-XYEAR") && strstr(d->message, "county-2022.txt"), "%s",
                  d->message);
}
END_TEST

START_TEST(other_value_settles_another_reading)
{
    a = year("gb2021", 2022, "a.txt");
    b = year("gb2021", 2023, "b.txt");
    tv_set(a, "proactive.normative_docs.in_force", 131); /* same digits, another cut */
    ck_assert(undecided(b, "normative_docs", FORCE, CUTS_123109, NCUTS));
    resolve(NULL, NULL);
    assert_cell(b, "proactive.normative_docs.issued", NB_CELL_INFERRED, 1);
    assert_cell(b, "proactive.normative_docs.repealed", NB_CELL_INFERRED, 23);
}
END_TEST

START_TEST(two_survivors_keep_their_disagreement)
{
    static const int64_t sols[][3] = {{5, 0, 105}, {50, 45, 105}, {1, 0, 5}};
    a = year("gb2021", 2022, "a.txt");
    b = year("gb2021", 2023, "b.txt");
    tv_set(a, "proactive.normative_docs.in_force", 100);
    ck_assert(undecided(b, "normative_docs", FORCE, sols, 3));
    ck_assert_uint_eq(resolve(NULL, NULL), 1);
    assert_cell(b, "proactive.normative_docs.in_force", NB_CELL_INFERRED, 105);
    assert_cell(b, "proactive.normative_docs.issued", NB_CELL_AMBIGUOUS, 0);
    assert_cell(b, "proactive.normative_docs.repealed", NB_CELL_AMBIGUOUS, 0);
    ck_assert_uint_eq(b->readings->v[0].nsol, 2);
}
END_TEST

START_TEST(no_survivor_changes_nothing)
{
    a = year("gb2021", 2022, "a.txt");
    b = year("gb2021", 2023, "b.txt");
    tv_set(a, "proactive.normative_docs.in_force", 500); /* a 全面清理: the rule breaks */
    ck_assert(undecided(b, "normative_docs", FORCE, CUTS_123109, NCUTS));
    bool cur_set = true;
    ck_assert_uint_eq(resolve(&cur_set, NULL), 0);
    ck_assert(!cur_set);
    for (int i = 0; i < 3; i++) {
        char path[128];
        snprintf(path, sizeof path, "proactive.normative_docs.%s", FORCE[i]);
        assert_cell(b, path, NB_CELL_AMBIGUOUS, 0);
    }
    ck_assert_uint_eq(b->readings->v[0].nsol, NCUTS);
    ck_assert_uint_eq(tv_any(b, "PARSE-XYEAR-DECIDED"), 0);
}
END_TEST

START_TEST(unknown_prev_value_proves_nothing)
{
    a = year("gb2021", 2022, "a.txt");
    b = year("gb2021", 2023, "b.txt");
    nb_cell_set(a, nb_report_cell(a, "proactive.normative_docs.in_force"), NB_CELL_MISSING, nb_num_int(0), NULL, 0,
                -1);
    ck_assert(undecided(b, "normative_docs", FORCE, CUTS_123109, NCUTS));
    ck_assert_uint_eq(resolve(NULL, NULL), 0);
    ck_assert_uint_eq(b->readings->v[0].nsol, NCUTS);
}
END_TEST

/* Every cut of a digit run into three cells, no leading zeros (as the
 * recogniser cuts them, domain.md §5.6). */
static size_t cuts3(const char *d, int64_t (*out)[3])
{
    size_t n = strlen(d), k = 0;
    for (size_t i = 1; i < n; i++)
        for (size_t j = i + 1; j < n; j++) {
            size_t at[4] = {0, i, j, n};
            bool ok = true;
            for (int p = 0; p < 3; p++) {
                ok &= !(at[p + 1] - at[p] > 1 && d[at[p]] == '0');
                int64_t v = 0;
                for (size_t q = at[p]; q < at[p + 1]; q++)
                    v = v * 10 + (d[q] - '0');
                out[k][p] = v;
            }
            k += ok;
        }
    return k;
}

static void glued_items(nb_report *r, const char *digits)
{
    int64_t sols[64][3];
    size_t n = cuts3(digits, sols);
    ck_assert(undecided(r, "licensing", ITEMS, (const int64_t(*)[3])sols, n));
}

/* gb2019: prev_items(Y) = prev_items(Y-1) + items_change(Y-1), both years
 * glued ("412693" then "418088"): one joint reading, both rows settled. */
START_TEST(both_years_undecided_settle_jointly)
{
    a = year("gb2019", 2019, "old.txt");
    b = year("gb2019", 2020, "new.txt");
    glued_items(a, "412693");
    glued_items(b, "418088");
    bool cur_set = false, prev_set = false;
    ck_assert_uint_eq(resolve(&cur_set, &prev_set), 6);
    ck_assert(cur_set && prev_set);
    assert_cell(a, "proactive.licensing.prev_items", NB_CELL_INFERRED, 412);
    assert_cell(a, "proactive.licensing.items_change", NB_CELL_INFERRED, 6);
    assert_cell(a, "proactive.licensing.decisions", NB_CELL_INFERRED, 93);
    assert_cell(b, "proactive.licensing.prev_items", NB_CELL_INFERRED, 418);
    assert_cell(b, "proactive.licensing.items_change", NB_CELL_INFERRED, 0);
    assert_cell(b, "proactive.licensing.decisions", NB_CELL_INFERRED, 88);
    ck_assert_ptr_nonnull(tv_find(a, "PARSE-XYEAR-DECIDED", "proactive.licensing.decisions"));
    ck_assert_ptr_nonnull(tv_find(b, "PARSE-XYEAR-DECIDED", "proactive.licensing.prev_items"));
}
END_TEST

/* "2751348" then "288261": the earlier row is settled, the later keeps two
 * readings (288 2 61 and 288 26 1): only its 上一年项目数量 is set. */
START_TEST(later_year_keeps_two_readings)
{
    a = year("gb2019", 2019, "old.txt");
    b = year("gb2019", 2020, "new.txt");
    glued_items(a, "2751348");
    glued_items(b, "288261");
    ck_assert_uint_eq(resolve(NULL, NULL), 4);
    assert_cell(a, "proactive.licensing.prev_items", NB_CELL_INFERRED, 275);
    assert_cell(a, "proactive.licensing.items_change", NB_CELL_INFERRED, 13);
    assert_cell(a, "proactive.licensing.decisions", NB_CELL_INFERRED, 48);
    assert_cell(b, "proactive.licensing.prev_items", NB_CELL_INFERRED, 288);
    assert_cell(b, "proactive.licensing.items_change", NB_CELL_AMBIGUOUS, 0);
    assert_cell(b, "proactive.licensing.decisions", NB_CELL_AMBIGUOUS, 0);
}
END_TEST

/* What recognition keeps: readings the column sums accepted (fit) and
 * that agree with the row's cells already decided; a row with no
 * ambiguous cell left is not kept. */
START_TEST(keep_only_accepted_consistent_readings)
{
    a = year("gb2021", 2022, "a.txt");
    nb_table *t = nb_report_table(a, "proactive");
    rc_alt *al = calloc(2, sizeof *al);
    rc_alts alts = {al, 2, 2};
    const char *rows[2] = {"normative_docs", "rules"};
    for (int r = 0; r < 2; r++) {
        al[r].k = 3;
        al[r].nsol = 4;
        for (int i = 0; i < 3; i++) {
            char path[128];
            snprintf(path, sizeof path, "proactive.%s.%s", rows[r], FORCE[i]);
            al[r].fields[i] = field_of(t->def, path);
            nb_cell_set(a, nb_report_cell(a, path), NB_CELL_AMBIGUOUS, nb_num_int(0), NULL, 0, -1);
        }
        for (int s = 0; s < 4; s++)
            for (int i = 0; i < 3; i++)
                al[r].sols[s][i] = s * 10 + i;
    }
    al[0].fit = (1u << 0) | (1u << 2) | (1u << 3); /* reading 1 rejected by the column sums */
    tv_set(a, "proactive.normative_docs.repealed", 31); /* decided: only reading 3 agrees */
    for (int i = 0; i < 3; i++)
        tv_set(a, i == 0 ? "proactive.rules.issued" : i == 1 ? "proactive.rules.repealed" : "proactive.rules.in_force",
               30 + i); /* the rules row fully decided: not kept */
    rc_keep_readings(a, t, &alts);
    ck_assert_ptr_null(a->readings); /* one reading left is no choice, the other row is decided */
    nb_cell_set(a, nb_report_cell(a, "proactive.normative_docs.repealed"), NB_CELL_AMBIGUOUS, nb_num_int(0), NULL,
                0, -1);
    rc_keep_readings(a, t, &alts);
    ck_assert_ptr_nonnull(a->readings);
    ck_assert_uint_eq(a->readings->n, 1);
    ck_assert_uint_eq(a->readings->v[0].nsol, 3); /* 0, 2 and 3: not 1 */
    ck_assert_int_eq(a->readings->v[0].sols[1 * 3 + 0], 20);
    free(al);
}
END_TEST

START_TEST(bounds_refuse_long_lists)
{
    a = year("gb2021", 2022, "a.txt");
    int64_t (*many)[3] = calloc(NB_READINGS_MAX_SOLS + 1, sizeof *many);
    for (size_t i = 0; i <= NB_READINGS_MAX_SOLS; i++)
        many[i][0] = (int64_t)i;
    ck_assert(!undecided(a, "rules", FORCE, (const int64_t(*)[3])many, NB_READINGS_MAX_SOLS + 1));
    ck_assert(undecided(a, "rules", FORCE, (const int64_t(*)[3])many, NB_READINGS_MAX_SOLS));
    for (size_t i = 1; i < NB_READINGS_MAX_ROWS; i++)
        ck_assert(undecided(a, "rules", FORCE, (const int64_t(*)[3])many, 2));
    ck_assert(!undecided(a, "rules", FORCE, (const int64_t(*)[3])many, 2)); /* row bound */
    ck_assert(!undecided(a, "rules", FORCE, (const int64_t(*)[3])many, 1)); /* one reading is no choice */
    free(many);
}
END_TEST

START_TEST(revalidation_replaces_findings)
{
    a = year("gb2021", 2022, "a.txt");
    nb_validate(tv_rules(), a);
    size_t before = a->ndiags;
    nb_report_add_diag(a, "PARSE-GLUED", NB_SEV_WARNING, false, "proactive.rules.issued", NULL, NULL, "kept");
    xy_revalidate(tv_rules(), a);
    ck_assert_uint_eq(a->ndiags, before + 1);
    ck_assert_uint_eq(tv_any(a, "PARSE-GLUED"), 1);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("resolve_xyear");
    TCase *tc = tcase_create("joint");
    tcase_add_checked_fixture(tc, NULL, teardown);
    tcase_add_test(tc, unique_joint_reading_settles);
    tcase_add_test(tc, other_value_settles_another_reading);
    tcase_add_test(tc, two_survivors_keep_their_disagreement);
    tcase_add_test(tc, no_survivor_changes_nothing);
    tcase_add_test(tc, unknown_prev_value_proves_nothing);
    tcase_add_test(tc, both_years_undecided_settle_jointly);
    tcase_add_test(tc, later_year_keeps_two_readings);
    tcase_add_test(tc, bounds_refuse_long_lists);
    tcase_add_test(tc, keep_only_accepted_consistent_readings);
    tcase_add_test(tc, revalidation_replaces_findings);
    suite_add_tcase(s, tc);
    return tu_main(s);
}
