/* test_validate.c - every arithmetic and cell rule of formats/rules on
 * reports built cell by cell: a consistent case that stays silent and a
 * broken case that names the rule, the cell and the numbers. */
#include "test_validate_util.h"
#include "validate_int.h"
#include <limits.h>

static nb_report *r;

static void setup(void)
{
    r = NULL;
}

static void teardown(void)
{
    nb_report_free(r);
    r = NULL;
}

/* A gb2021 report with a consistent table 2 and zeros elsewhere. */
static nb_report *clean(const char *variant)
{
    nb_report *x = tv_report(variant);
    tv_zero(x);
    tv_requests_ok(x);
    return x;
}

static void validate(void)
{
    nb_validate(tv_rules(), r);
}

#define ASSERT_SILENT(rule)                                                                   \
    do {                                                                                      \
        char *d_ = tv_dump(r);                                                                \
        ck_assert_msg(tv_any(r, rule) == 0, "%s fired on a consistent report:%s", rule, d_); \
        free(d_);                                                                             \
    } while (0)

#define ASSERT_FIRES(rule, sev)                                                                \
    do {                                                                                       \
        char *d_ = tv_dump(r);                                                                 \
        ck_assert_msg(tv_count(r, rule, sev) > 0, "%s did not fire as %s:%s", rule,            \
                      nb_severity_name(sev), d_);                                              \
        free(d_);                                                                              \
    } while (0)

START_TEST(rules_cover_domain)
{
    static const char *const ids[] = {
        "R-T2-BALANCE", "R-T2-ROWSUM", "R-T2-RESULTS", "R-T2-SUBTOTAL", "R-T2-INT",
        "R-T2-TOTAL-OMITTED", "R-T2-EMPTY-BUT-RESULTS", "R-T3-GROUP-TOTAL", "R-T3-INT",
        "R-T3-AFTER-REVIEW", "R-T1-INT", "R-T1-FEE", "R-T1-INFORCE-MIN", "R-T1-OLD-INT",
        "R-T1-OLD-NONNEG-STOCK", "R-T1-OLD-PUB", "R-T1-OLD-AMOUNT-UNIT", "R-X-YEAR",
        "R-X-TEMPLATE", "R-X-SECTIONS", "R-X-S6-FEE", "R-T2-CARRY-XYEAR", "R-T1-INFORCE-XYEAR",
        "R-T1-OLD-XYEAR", "R-TX-NO-REQUESTS", "R-TX-REQUEST-COUNT", "R-TX-APPLICANT",
        "R-TX-PROCESSED", "R-TX-CARRY", "R-TX-OUTCOMES", "R-TX-PERCENT", "R-TX-NO-CASES",
        "R-TX-CASES", "R-TX-CASE-OUTCOME", "R-TX-NORMDOCS", "R-TX-FEE"};
    const nb_ruleset *rs = tv_rules();
    for (size_t k = 0; k < sizeof ids / sizeof *ids; k++) {
        bool found = false;
        for (size_t i = 0; i < nb_ruleset_count(rs); i++)
            found = found || strcmp(nb_ruleset_rule_id(rs, i), ids[k]) == 0;
        ck_assert_msg(found, "rule %s missing from formats/rules", ids[k]);
    }
    /* severities of domain.md §4 */
    for (size_t i = 0; i < nb_ruleset_count(rs); i++) {
        const char *id = nb_ruleset_rule_id(rs, i);
        nb_severity s = nb_ruleset_rule_severity(rs, i);
        if (strcmp(id, "R-T2-BALANCE") == 0 || strcmp(id, "R-T3-GROUP-TOTAL") == 0)
            ck_assert_int_eq(s, NB_SEV_ERROR);
        if (strncmp(id, "R-TX-", 5) == 0)
            ck_assert_int_ne(s, NB_SEV_ERROR);
        if (strstr(id, "XYEAR"))
            ck_assert_int_eq(s, NB_SEV_WARNING);
    }
}
END_TEST

START_TEST(consistent_report_is_silent)
{
    r = clean("gb2021");
    validate();
    char *d = tv_dump(r);
    ck_assert_msg(tv_errors(r) == 0, "errors on a consistent report:%s", d);
    for (size_t i = 0; i < r->ndiags; i++)
        ck_assert_msg(strncmp(r->diags[i].rule, "R-T", 3) != 0 || r->diags[i].severity == NB_SEV_INFO,
                      "table rule fired:%s", d);
    free(d);
}
END_TEST

START_TEST(balance)
{
    r = clean("gb2021");
    validate();
    ASSERT_SILENT("R-T2-BALANCE");
    nb_report_free(r);
    r = clean("gb2021");
    tv_row(r, "carried_forward", 2, 0); /* 一+二 = 5, （七）+四 = 6 */
    validate();
    ASSERT_FIRES("R-T2-BALANCE", NB_SEV_ERROR);
    const nb_diag *d = tv_find(r, "R-T2-BALANCE", "requests.results_total.natural_person");
    ck_assert_ptr_nonnull(d);
    ck_assert_str_eq(d->expected, "1"); /* 3 + 0 − 2 */
    ck_assert_str_eq(d->found, "2");
    ck_assert_msg(strstr(d->message, "（七）总计") && strstr(d->message, "自然人") &&
                      strstr(d->message, "一+二−四"),
                  "message lacks labels: %s", d->message);
    ck_assert_ptr_nonnull(tv_find(r, "R-T2-BALANCE", "requests.results_total.total"));
    ck_assert_ptr_null(tv_find(r, "R-T2-BALANCE", "requests.results_total.business"));
}
END_TEST

START_TEST(rowsum)
{
    r = clean("gb2021");
    validate();
    ASSERT_SILENT("R-T2-ROWSUM");
    nb_report_free(r);
    r = clean("gb2021");
    tv_set(r, "requests.withheld.third_party.research", 1); /* total stays 0 */
    validate();
    ASSERT_FIRES("R-T2-ROWSUM", NB_SEV_ERROR);
    const nb_diag *d = tv_find(r, "R-T2-ROWSUM", "requests.withheld.third_party.total");
    ck_assert_ptr_nonnull(d);
    ck_assert_str_eq(d->expected, "1");
    ck_assert_str_eq(d->found, "0");
    ck_assert_msg(strstr(d->message, "不予公开") && strstr(d->message, "4.保护第三方合法权益"),
                  "%s", d->message);
}
END_TEST

START_TEST(results)
{
    r = clean("gb2021");
    tv_row(r, "granted", 1, 1);
    tv_row(r, "partially_granted", 1, 0); /* moved one from （一） to （二）: still fine */
    validate();
    ASSERT_SILENT("R-T2-RESULTS");
    nb_report_free(r);
    r = clean("gb2021");
    tv_row(r, "not_processed.duplicate", 1, 0); /* a leaf not counted in （七） */
    validate();
    ASSERT_FIRES("R-T2-RESULTS", NB_SEV_ERROR);
    const nb_diag *d = tv_find(r, "R-T2-RESULTS", "requests.results_total.natural_person");
    ck_assert_ptr_nonnull(d);
    ck_assert_str_eq(d->expected, "3");
    ck_assert_str_eq(d->found, "2");
}
END_TEST

/* （六）其他处理 printed as one row: its leaves are null, the row is used. */
START_TEST(results_single_other_row)
{
    r = clean("gb2019");
    nb_table *t = nb_report_table(r, "requests");
    for (size_t f = 0; f < t->def->nfields; f++) {
        const char *p = t->def->fields[f].path;
        if (strncmp(p, "requests.other_handling.", 24) == 0 && !strstr(p, ".subtotal."))
            nb_cell_clear(&t->cells[f]);
    }
    tv_row(r, "other_handling.subtotal", 1, 0);
    tv_row(r, "results_total", 3, 2);
    tv_row(r, "new_received", 4, 2);
    validate();
    ASSERT_SILENT("R-T2-RESULTS");
    ASSERT_SILENT("R-T2-BALANCE");
    ck_assert_ptr_null(tv_skipped(r, "R-T2-RESULTS"));
    tv_row(r, "other_handling.subtotal", 2, 0);
    validate();
    ck_assert_ptr_nonnull(tv_find(r, "R-T2-RESULTS", "requests.results_total.natural_person"));
}
END_TEST

START_TEST(subtotal)
{
    r = clean("gb2021");
    tv_row(r, "withheld.state_secret", 1, 0);
    tv_row(r, "withheld.subtotal", 1, 0); /* printed and right */
    tv_row(r, "results_total", 3, 2);
    tv_row(r, "new_received", 4, 2);
    validate();
    ASSERT_SILENT("R-T2-SUBTOTAL");
    ck_assert_uint_eq(tv_errors(r), 0);
    nb_report_free(r);
    r = clean("gb2021");
    tv_row(r, "withheld.state_secret", 1, 0);
    tv_row(r, "withheld.subtotal", 2, 0); /* printed and wrong */
    tv_row(r, "results_total", 3, 2);
    tv_row(r, "new_received", 4, 2);
    validate();
    ASSERT_FIRES("R-T2-SUBTOTAL", NB_SEV_ERROR);
    const nb_diag *d = tv_find(r, "R-T2-SUBTOTAL", "requests.withheld.subtotal.natural_person");
    ck_assert_ptr_nonnull(d);
    ck_assert_str_eq(d->expected, "1");
    ck_assert_str_eq(d->found, "2");
    ASSERT_SILENT("R-T2-RESULTS"); /* the leaves are right, （七） agrees with them */
}
END_TEST

START_TEST(derived_subtotal_is_not_checked)
{
    r = clean("gb2021");
    tv_row(r, "withheld.state_secret", 1, 0);
    tv_row(r, "results_total", 3, 2);
    tv_row(r, "new_received", 4, 2);
    nb_report_derive(r);
    validate();
    ASSERT_SILENT("R-T2-SUBTOTAL");
    ck_assert_uint_eq(tv_errors(r), 0);
}
END_TEST

START_TEST(t2_int)
{
    r = clean("gb2021");
    validate();
    ASSERT_SILENT("R-T2-INT");
    nb_report_free(r);
    r = clean("gb2021");
    tv_set(r, "requests.granted.research", -1);
    tv_setn(r, "requests.partially_granted.nonprofit", (nb_num){15, 1}, NB_CELL_OK);
    validate();
    ck_assert_ptr_nonnull(tv_find(r, "R-T2-INT", "requests.granted.research"));
    const nb_diag *d = tv_find(r, "R-T2-INT", "requests.partially_granted.nonprofit");
    ck_assert_ptr_nonnull(d);
    ck_assert_str_eq(d->found, "1.5");
    ck_assert_uint_eq(tv_count(r, "R-T2-INT", NB_SEV_ERROR), 2);
}
END_TEST

START_TEST(total_omitted)
{
    r = clean("gb2021");
    validate();
    ASSERT_SILENT("R-T2-TOTAL-OMITTED");
    nb_report_free(r);
    r = clean("gb2021");
    tv_setn(r, "requests.granted.total", nb_num_int(0), NB_CELL_BLANK);
    validate();
    ASSERT_FIRES("R-T2-TOTAL-OMITTED", NB_SEV_WARNING);
    const nb_diag *d = tv_find(r, "R-T2-TOTAL-OMITTED", "requests.granted.total");
    ck_assert_ptr_nonnull(d);
    ck_assert_str_eq(d->expected, "3");
    /* as printed (blank = 0) the row total is still wrong */
    ck_assert_ptr_nonnull(tv_find(r, "R-T2-ROWSUM", "requests.granted.total"));
}
END_TEST

START_TEST(empty_but_results)
{
    r = tv_report("gb2021");
    tv_zero(r);
    validate();
    ASSERT_SILENT("R-T2-EMPTY-BUT-RESULTS");
    ck_assert_uint_eq(tv_errors(r), 0);
    nb_report_free(r);
    r = tv_report("gb2021");
    tv_zero(r);
    tv_row(r, "carried_forward", 1, 0);
    validate();
    ASSERT_FIRES("R-T2-EMPTY-BUT-RESULTS", NB_SEV_ERROR);
    const nb_diag *d = tv_find(r, "R-T2-EMPTY-BUT-RESULTS", "requests.results_total.total");
    ck_assert_ptr_nonnull(d);
    ck_assert_str_eq(d->found, "2"); /* 自然人 1 + 总计 1 */
    /* requests present: the rule does not apply */
    nb_report_free(r);
    r = clean("gb2021");
    validate();
    ASSERT_SILENT("R-T2-EMPTY-BUT-RESULTS");
}
END_TEST

START_TEST(null_cells_are_skipped_not_errors)
{
    r = clean("gb2021");
    nb_cell_clear(nb_report_cell(r, "requests.new_received.natural_person"));
    tv_setn(r, "requests.carried_over.natural_person", nb_num_int(0), NB_CELL_AMBIGUOUS);
    validate();
    ck_assert_ptr_null(tv_find(r, "R-T2-BALANCE", "requests.results_total.natural_person"));
    const nb_diag *d = tv_skipped(r, "R-T2-BALANCE");
    ck_assert_ptr_nonnull(d);
    ck_assert_int_eq(d->severity, NB_SEV_INFO);
    ck_assert_str_eq(d->where, "requests.new_received.natural_person");
    ck_assert_ptr_nonnull(strstr(d->message, "自然人"));
    ck_assert_uint_eq(tv_errors(r), 0);
    /* one skipped finding per rule, not one per column */
    size_t n = 0;
    for (size_t i = 0; i < r->ndiags; i++)
        n += strcmp(r->diags[i].rule, "R-T2-BALANCE") == 0;
    ck_assert_uint_eq(n, 1);
}
END_TEST

START_TEST(absent_table_is_skipped)
{
    r = tv_report3("gb2021", NULL, "gb2021");
    tv_zero(r);
    validate();
    const nb_diag *d = tv_skipped(r, "R-T2-BALANCE");
    ck_assert_ptr_nonnull(d);
    ck_assert_ptr_nonnull(strstr(d->message, "收到和处理政府信息公开申请情况"));
    ck_assert_ptr_null(tv_find(r, "R-T2-BALANCE", NULL));
    ck_assert_ptr_nonnull(tv_find(r, "R-X-SECTIONS", "requests")); /* missing table: error */
    ck_assert_uint_eq(tv_count(r, "R-X-SECTIONS", NB_SEV_ERROR), 1);
}
END_TEST

START_TEST(t3_group_total)
{
    r = clean("gb2021");
    tv_set(r, "appeals.review.upheld", 2);
    tv_set(r, "appeals.review.pending", 1);
    tv_set(r, "appeals.review.total", 3);
    validate();
    ASSERT_SILENT("R-T3-GROUP-TOTAL");
    tv_set(r, "appeals.suit_after_review.upheld", 5); /* total printed 0 (洪泽 2023) */
    validate();
    ASSERT_FIRES("R-T3-GROUP-TOTAL", NB_SEV_ERROR);
    const nb_diag *d = tv_find(r, "R-T3-GROUP-TOTAL", "appeals.suit_after_review.total");
    ck_assert_ptr_nonnull(d);
    ck_assert_str_eq(d->expected, "5");
    ck_assert_str_eq(d->found, "0");
    ck_assert_msg(strstr(d->message, "复议后起诉") && strstr(d->message, "总计"), "%s", d->message);
    ck_assert_ptr_null(tv_find(r, "R-T3-GROUP-TOTAL", "appeals.review.total"));
}
END_TEST

START_TEST(t3_int)
{
    r = clean("gb2021");
    validate();
    ASSERT_SILENT("R-T3-INT");
    tv_set(r, "appeals.suit_direct.corrected", -2);
    tv_set(r, "appeals.suit_direct.total", -2);
    validate();
    ck_assert_ptr_nonnull(tv_find(r, "R-T3-INT", "appeals.suit_direct.corrected"));
    ck_assert_uint_eq(tv_count(r, "R-T3-INT", NB_SEV_ERROR), 2);
}
END_TEST

START_TEST(t3_after_review)
{
    r = clean("gb2021");
    tv_set(r, "appeals.review.upheld", 1);
    tv_set(r, "appeals.review.total", 1);
    tv_set(r, "appeals.suit_after_review.upheld", 1);
    tv_set(r, "appeals.suit_after_review.total", 1);
    validate();
    ASSERT_SILENT("R-T3-AFTER-REVIEW");
    tv_set(r, "appeals.review.upheld", 0);
    tv_set(r, "appeals.review.total", 0);
    validate();
    ASSERT_FIRES("R-T3-AFTER-REVIEW", NB_SEV_INFO);
    ck_assert_uint_eq(tv_errors(r), 0);
}
END_TEST

START_TEST(t1_int_and_inforce_min)
{
    r = clean("gb2021");
    tv_set(r, "proactive.normative_docs.issued", 3);
    tv_set(r, "proactive.normative_docs.repealed", 1);
    tv_set(r, "proactive.normative_docs.in_force", 40);
    tv_set(r, "proactive.licensing.decisions", 11398889);
    validate();
    ASSERT_SILENT("R-T1-INT");
    ASSERT_SILENT("R-T1-INFORCE-MIN");
    tv_set(r, "proactive.penalty.decisions", -4);
    tv_set(r, "proactive.rules.issued", 5);
    tv_set(r, "proactive.rules.in_force", 2);
    tv_set(r, "proactive.rules.repealed", 1);
    validate();
    ck_assert_ptr_nonnull(tv_find(r, "R-T1-INT", "proactive.penalty.decisions"));
    const nb_diag *d = tv_find(r, "R-T1-INFORCE-MIN", "proactive.rules.issued");
    ck_assert_ptr_nonnull(d);
    ck_assert_int_eq(d->severity, NB_SEV_WARNING);
    ck_assert_str_eq(d->expected, "≤ 3");
    ck_assert_str_eq(d->found, "5");
    ck_assert_ptr_null(tv_find(r, "R-T1-INFORCE-MIN", "proactive.normative_docs.issued"));
}
END_TEST

START_TEST(t1_fee)
{
    r = clean("gb2021");
    tv_setn(r, "proactive.admin_fees.amount_wan", (nb_num){5949088667, 6}, NB_CELL_OK);
    validate();
    ASSERT_SILENT("R-T1-FEE");
    tv_setn(r, "proactive.admin_fees.amount_wan", (nb_num){-12, 1}, NB_CELL_OK);
    validate();
    ck_assert_uint_eq(tv_count(r, "R-T1-FEE", NB_SEV_WARNING), 1);
    nb_report_free(r);
    r = clean("gb2021");
    nb_cell_set(r, nb_report_cell(r, "proactive.admin_fees.amount_wan"), NB_CELL_OK,
                nb_num_int(251000000), "251000000元", 3, 1);
    validate();
    ck_assert_uint_eq(tv_count(r, "R-T1-FEE", NB_SEV_WARNING), 2); /* too big, and says 元 */
    ck_assert_uint_eq(tv_errors(r), 0);
}
END_TEST

START_TEST(t1_old)
{
    r = clean("gb2019");
    tv_set(r, "proactive.licensing.prev_items", 396);
    tv_set(r, "proactive.licensing.items_change", -18);
    tv_set(r, "proactive.normative_docs.new_published", 77);
    tv_set(r, "proactive.normative_docs.total_published", 166);
    nb_cell_set(r, nb_report_cell(r, "proactive.central_procurement.amount"), NB_CELL_OK,
                (nb_num){7380289590, 2}, "73802895.90元", 0, -1);
    nb_set_str(&nb_report_cell(r, "proactive.central_procurement.amount_unit")->text, "元");
    validate();
    ASSERT_SILENT("R-T1-OLD-INT");
    ASSERT_SILENT("R-T1-OLD-NONNEG-STOCK");
    ASSERT_SILENT("R-T1-OLD-PUB");
    ASSERT_SILENT("R-T1-OLD-AMOUNT-UNIT");
    ASSERT_SILENT("R-T1-INT"); /* gb2021 rules do not read gb2019 tables */
    tv_set(r, "proactive.penalty.prev_items", 10);
    tv_set(r, "proactive.penalty.items_change", -15);
    tv_set(r, "proactive.rules.new_published", 5);
    tv_set(r, "proactive.rules.total_published", 3);
    tv_set(r, "proactive.coercion.decisions", -1);
    tv_setn(r, "proactive.admin_fees.items_change", (nb_num){25, 1}, NB_CELL_OK);
    nb_set_str(&nb_report_cell(r, "proactive.central_procurement.amount_unit")->text, NULL);
    validate();
    ck_assert_ptr_nonnull(tv_find(r, "R-T1-OLD-INT", "proactive.coercion.decisions"));
    ck_assert_ptr_nonnull(tv_find(r, "R-T1-OLD-INT", "proactive.admin_fees.items_change"));
    ck_assert_ptr_null(tv_find(r, "R-T1-OLD-INT", "proactive.licensing.items_change"));
    const nb_diag *d = tv_find(r, "R-T1-OLD-NONNEG-STOCK", "proactive.penalty.items_change");
    ck_assert_ptr_nonnull(d);
    ck_assert_str_eq(d->expected, "≥ -10");
    d = tv_find(r, "R-T1-OLD-PUB", "proactive.rules.new_published");
    ck_assert_ptr_nonnull(d);
    ck_assert_str_eq(d->expected, "≤ 3");
    ck_assert_ptr_nonnull(tv_find(r, "R-T1-OLD-AMOUNT-UNIT", "proactive.central_procurement.amount"));
}
END_TEST

/* The year groups' digits read as atoi reads them: generated runs of
 * digits (none to fifteen, so past int's end too), signs, blanks and CJK
 * around them. */
START_TEST(year_digits_read_as_atoi)
{
    static const tu_piece pieces[] = {TU_PIECE("0"), TU_PIECE("1"), TU_PIECE("2"), TU_PIECE("9"),
                                      TU_PIECE("2024"), TU_PIECE("年"), TU_PIECE("-"), TU_PIECE("+"),
                                      TU_PIECE(" "), TU_PIECE("a"), TU_PIECE("99999")};
    unsigned seed = 2024;
    size_t fast = 0;
    for (int t = 0; t < 20000; t++) {
        char s[64];
        size_t n = 0, k = tu_rand(&seed) % 6;
        for (size_t i = 0; i < k; i++) {
            const tu_piece *p = &pieces[tu_rand(&seed) % (sizeof pieces / sizeof *pieces)];
            memcpy(s + n, p->s, p->n);
            n += p->n;
        }
        s[n] = '\0';
        long want = strtol(s, NULL, 10);
        if (want > INT_MAX || want < INT_MIN)
            continue; /* atoi's result is not defined there */
        ck_assert_msg(v_year_at(s) == (int)want, "\"%s\": %d, atoi %ld", s, v_year_at(s), want);
        fast += s[0] >= '0' && s[0] <= '9';
    }
    ck_assert_uint_gt(fast, 5000);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("validate");
    TCase *tc = tcase_create("rules");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, rules_cover_domain);
    tcase_add_test(tc, consistent_report_is_silent);
    tcase_add_test(tc, balance);
    tcase_add_test(tc, rowsum);
    tcase_add_test(tc, results);
    tcase_add_test(tc, results_single_other_row);
    tcase_add_test(tc, subtotal);
    tcase_add_test(tc, derived_subtotal_is_not_checked);
    tcase_add_test(tc, t2_int);
    tcase_add_test(tc, total_omitted);
    tcase_add_test(tc, empty_but_results);
    tcase_add_test(tc, null_cells_are_skipped_not_errors);
    tcase_add_test(tc, absent_table_is_skipped);
    tcase_add_test(tc, t3_group_total);
    tcase_add_test(tc, t3_int);
    tcase_add_test(tc, t3_after_review);
    tcase_add_test(tc, t1_int_and_inforce_min);
    tcase_add_test(tc, t1_fee);
    tcase_add_test(tc, t1_old);
    tcase_add_test(tc, year_digits_read_as_atoi);
    suite_add_tcase(s, tc);
    return tu_main(s);
}
