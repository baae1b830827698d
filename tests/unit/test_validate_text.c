/* test_validate_text.c - text-versus-table checks (R-TX-*) and the
 * report-level rules (R-X-*): each with narrative that agrees with the
 * table, narrative that does not, and loose wording that must be ignored. */
#include "test_validate_util.h"
#include "text_internal.h"
#include "validate_int.h"

static nb_report *r;

static void setup(void)
{
    r = tv_report("gb2021");
    tv_zero(r);
    tv_requests_ok(r); /* 5 new (3 natural, 2 business), 4 done, 1 carried */
    nb_set_str(&r->title, "测试县人民政府2023年政府信息公开工作年度报告");
    for (int i = 1; i <= 6; i++)
        tv_section(r, i, "按要求做好各项工作。");
    tv_section(r, 6, "本机关未收取信息处理费。");
}

static void teardown(void)
{
    nb_report_free(r);
    r = NULL;
}

/* Validates with section `no` holding text; returns the rule's warnings. */
static size_t warnings_for(int no, const char *text, const char *rule)
{
    tv_section(r, no, text);
    size_t before = r->ndiags;
    nb_validate(tv_rules(), r);
    size_t n = 0;
    for (size_t i = before; i < r->ndiags; i++)
        n += strcmp(r->diags[i].rule, rule) == 0 && r->diags[i].severity == NB_SEV_WARNING &&
             !r->diags[i].skipped;
    for (size_t i = before; i < r->ndiags; i++)
        ck_assert_msg(strncmp(r->diags[i].rule, "R-TX-", 5) != 0 || r->diags[i].severity != NB_SEV_ERROR,
                      "text rule raised an error");
    return n;
}

#define OK(no, text, rule) ck_assert_msg(warnings_for(no, text, rule) == 0, "%s fired on: %s", rule, text)
#define BAD(no, text, rule) ck_assert_msg(warnings_for(no, text, rule) >= 1, "%s silent on: %s", rule, text)

START_TEST(no_requests)
{
    BAD(3, "本年度未收到政府信息公开申请。", "R-TX-NO-REQUESTS");
    tv_row(r, "new_received", 0, 0);
    OK(3, "本年度未收到政府信息公开申请。", "R-TX-NO-REQUESTS");
    OK(3, "2023 年我中心未收到和处理政府信息公开申请情况。", "R-TX-NO-REQUESTS");
    OK(3, "未收到行政复议申请。", "R-TX-NO-REQUESTS");
}
END_TEST

START_TEST(request_count)
{
    OK(3, "2023年，我局共收到政府信息公开申请 5 件。", "R-TX-REQUEST-COUNT");
    OK(3, "我局共收到5件政府信息公开申请。", "R-TX-REQUEST-COUNT");
    BAD(3, "我局共收到 6 次政府信息公开申请，均已答复。", "R-TX-REQUEST-COUNT");
    BAD(3, "全年受理政府信息公开申请７件。", "R-TX-REQUEST-COUNT"); /* full-width digit */
    OK(3, "全年共受理政府信息公开申请约6件。", "R-TX-REQUEST-COUNT");  /* approximate */
    OK(3, "全年共受理政府信息公开申请60余件。", "R-TX-REQUEST-COUNT");
    OK(3, "收到群众诉求348件。", "R-TX-REQUEST-COUNT");
    tv_row(r, "carried_over", 1, 0);
    tv_row(r, "results_total", 3, 2);
    tv_row(r, "granted", 3, 1);
    OK(3, "共受理政府信息公开申请6件（含上年结转1件）。", "R-TX-REQUEST-COUNT");
    /* compared values summed when asked: the first alternative, then both, in one report */
    OK(3, "全年共收到政府信息公开申请5件。全年共收到政府信息公开申请6件。", "R-TX-REQUEST-COUNT");
    BAD(3, "全年共收到政府信息公开申请6件。全年共收到政府信息公开申请7件。", "R-TX-REQUEST-COUNT");
    BAD(3, "全年共收到政府信息公开申请7件。全年共收到政府信息公开申请5件。", "R-TX-REQUEST-COUNT");
}
END_TEST

START_TEST(applicant)
{
    OK(3, "其中自然人申请3件，商业企业2件，法人或其他组织2件。", "R-TX-APPLICANT");
    BAD(3, "其中自然人申请4件。", "R-TX-APPLICANT");
    BAD(3, "法人或其他组织申请1件。", "R-TX-APPLICANT");
}
END_TEST

START_TEST(processed_and_carry)
{
    OK(3, "共办结4件，结转下年度1件。", "R-TX-PROCESSED");
    BAD(3, "共办结5件。", "R-TX-PROCESSED");
    OK(3, "办结率100%。", "R-TX-PROCESSED");
    OK(3, "共办结4件，结转至2024年1件。", "R-TX-CARRY");
    BAD(3, "结转下一年2件。", "R-TX-CARRY");
    BAD(3, "另有3件顺延到下年度答复。", "R-TX-CARRY");
    OK(3, "上年结转2件。", "R-TX-CARRY");
}
END_TEST

START_TEST(outcomes_and_percent)
{
    OK(3, "予以公开3件，占75%；无法提供1件，占25%。", "R-TX-OUTCOMES");
    OK(3, "予以公开3件，占75%；无法提供1件，占25%。", "R-TX-PERCENT");
    OK(3, "予以公开及部分公开3件。", "R-TX-OUTCOMES");
    BAD(3, "予以公开及部分公开258件。", "R-TX-OUTCOMES");
    BAD(3, "不予公开2件。", "R-TX-OUTCOMES");
    BAD(3, "因本机关不掌握等原因无法提供2件。", "R-TX-OUTCOMES");
    BAD(3, "予以公开3件，占33.9%。", "R-TX-PERCENT");
    OK(3, "予以公开3件，占60%。", "R-TX-PERCENT"); /* 3 / 5 new requests: another base */
    OK(3, "工作动态类1128条，占49%。", "R-TX-PERCENT");
}
END_TEST

START_TEST(cases)
{
    OK(4, "本年度未发生因政府信息公开工作被申请行政复议、提起行政诉讼的情况。", "R-TX-NO-CASES");
    OK(4, "全年未发生因依申请公开被行政复议纠错或被行政诉讼败诉的情况。", "R-TX-NO-CASES");
    tv_set(r, "appeals.review.upheld", 2);
    tv_set(r, "appeals.review.total", 2);
    tv_set(r, "appeals.suit_direct.pending", 1);
    tv_set(r, "appeals.suit_direct.total", 1);
    BAD(4, "无行政复议和行政诉讼情况。", "R-TX-NO-CASES");
    OK(4, "行政复议2件，行政诉讼1起。", "R-TX-CASES");
    BAD(4, "行政复议7件，行政诉讼9件。", "R-TX-CASES");
    BAD(4, "复议2件，诉讼1件，均获维持。", "R-TX-CASE-OUTCOME");
    BAD(4, "行政复议案件2件，均已结案。", "R-TX-CASE-OUTCOME");
    tv_set(r, "appeals.suit_direct.pending", 0);
    tv_set(r, "appeals.suit_direct.upheld", 1);
    OK(4, "复议2件，诉讼1件，均获维持。", "R-TX-CASE-OUTCOME");
}
END_TEST

START_TEST(normdocs)
{
    tv_set(r, "proactive.normative_docs.issued", 77);
    tv_set(r, "proactive.normative_docs.in_force", 470);
    OK(2, "动态更新本年度制发的规范性文件77件。", "R-TX-NORMDOCS");
    BAD(2, "集中公开现行有效行政规范性文件393件。", "R-TX-NORMDOCS");
    BAD(2, "本年度未制定行政规范性文件。", "R-TX-NORMDOCS");
    tv_set(r, "proactive.normative_docs.issued", 0);
    OK(2, "本年度未制定行政规范性文件。", "R-TX-NORMDOCS");
}
END_TEST

START_TEST(fee_fact)
{
    nb_validate(tv_rules(), r);
    ck_assert_str_eq(nb_report_get_fact(r, "other_matters.processing_fee_yuan"), "0");
    tv_section(r, 6, "全年收取政府信息公开信息处理费 3940 元。");
    nb_validate(tv_rules(), r);
    ck_assert_str_eq(nb_report_get_fact(r, "other_matters.processing_fee_yuan"), "3940");
    tv_section(r, 6, "2022年，无收取信息处理费情况。");
    nb_validate(tv_rules(), r);
    ck_assert_str_eq(nb_report_get_fact(r, "other_matters.processing_fee_yuan"), "0");
    tv_section(r, 6, "暂无其他需要报告的事项。");
    nb_validate(tv_rules(), r);
    ck_assert_str_eq(nb_report_get_fact(r, "other_matters.processing_fee_yuan"), "unknown");
    ck_assert_uint_eq(tv_errors(r), 0);
}
END_TEST

/* A rule whose strings no section holds is passed over at once (the
 * report's union of strings); one section holding them is enough. */
START_TEST(fee_in_any_section)
{
    tv_section(r, 6, "暂无其他需要报告的事项。");
    tv_section(r, 2, "全年收取政府信息公开信息处理费 3940 元。");
    nb_validate(tv_rules(), r);
    ck_assert_str_eq(nb_report_get_fact(r, "other_matters.processing_fee_yuan"), "3940");
    tv_section(r, 2, "按要求做好各项工作。");
    nb_validate(tv_rules(), r);
    ck_assert_str_eq(nb_report_get_fact(r, "other_matters.processing_fee_yuan"), "unknown");
}
END_TEST

START_TEST(s6_fee)
{
    nb_validate(tv_rules(), r);
    ck_assert_uint_eq(tv_any(r, "R-X-S6-FEE"), 0);
    tv_section(r, 6, "暂无其他需要报告的事项。");
    nb_validate(tv_rules(), r);
    ck_assert_uint_eq(tv_count(r, "R-X-S6-FEE", NB_SEV_INFO), 1);
    r->year = 2020; /* before gb2021: not expected */
    size_t n = r->ndiags;
    nb_validate(tv_rules(), r);
    for (size_t i = n; i < r->ndiags; i++)
        ck_assert_str_ne(r->diags[i].rule, "R-X-S6-FEE");
}
END_TEST

START_TEST(year)
{
    tv_section(r, 1, "2023年，本机关认真贯彻落实。2023年主动公开信息100条。2023年依申请公开5件。");
    nb_validate(tv_rules(), r);
    ck_assert_uint_eq(tv_any(r, "R-X-YEAR"), 0);
    nb_set_str(&r->title, "测试县人民政府2022年政府信息公开工作年度报告");
    nb_validate(tv_rules(), r);
    const nb_diag *d = tv_find(r, "R-X-YEAR", "title");
    ck_assert_ptr_nonnull(d);
    ck_assert_str_eq(d->found, "2022");
    ck_assert_str_eq(d->expected, "2023");
    nb_set_str(&r->title, "测试县人民政府2023 年政府信息公开工作年度报告");
    tv_section(r, 1, "本报告所列数据统计期限为2022年1月1日至2022年12月31日。");
    size_t n = r->ndiags;
    nb_validate(tv_rules(), r);
    size_t k = 0;
    for (size_t i = n; i < r->ndiags; i++)
        k += strcmp(r->diags[i].rule, "R-X-YEAR") == 0 && r->diags[i].severity == NB_SEV_WARNING;
    ck_assert_uint_eq(k, 1); /* the period, not the title */
    r->year = 0;
    nb_validate(tv_rules(), r);
    ck_assert_ptr_nonnull(tv_skipped(r, "R-X-YEAR"));
}
END_TEST

/* The title and a stated period are read as they are when folding keeps
 * them (no copy), else folded and without blanks: every form gives the
 * same year. */
START_TEST(year_in_title_and_period_in_any_form)
{
    static const char *const titles[] = {"测试县人民政府2022年政府信息公开工作年度报告",
                                         "测试县人民政府2022 年政府信息公开工作年度报告",
                                         "测试县人民政府２０２２年政府信息公开工作年度报告"};
    static const char *const periods[] = {"2022年1月1日至2022年12月31日", "2022年1月1日 至 2022年12月31日",
                                          "２０２２年1月1日至2022年12月31日"};
    for (size_t i = 0; i < 3; i++) {
        nb_set_str(&r->title, titles[i]);
        nb_report_set_fact(r, "statistics_period", periods[i]);
        size_t n = r->ndiags, title = 0, period = 0;
        nb_validate(tv_rules(), r);
        for (size_t k = n; k < r->ndiags; k++) {
            if (strcmp(r->diags[k].rule, "R-X-YEAR") != 0)
                continue;
            ck_assert_str_eq(r->diags[k].found, "2022");
            title += strcmp(r->diags[k].where, "title") == 0;
            period += strcmp(r->diags[k].where, "sections") == 0;
        }
        ck_assert_msg(title == 1 && period == 1, "form %zu: %zu %zu", i, title, period);
    }
    nb_set_str(&r->title, "测试县人民政府2023年政府信息公开工作年度报告");
    nb_report_set_fact(r, "statistics_period", "2023年1月1日至2023年12月31日");
    size_t n = r->ndiags;
    nb_validate(tv_rules(), r);
    for (size_t k = n; k < r->ndiags; k++)
        ck_assert_str_ne(r->diags[k].rule, "R-X-YEAR");
}
END_TEST

START_TEST(template_variant)
{
    nb_validate(tv_rules(), r);
    ck_assert_uint_eq(tv_any(r, "R-X-TEMPLATE"), 0);
    nb_report_free(r);
    r = tv_report3("gb2019", "gb2021", "gb2021"); /* seed 000: old table 1 in 2023 */
    tv_zero(r);
    nb_validate(tv_rules(), r);
    const nb_diag *d = tv_find(r, "R-X-TEMPLATE", "proactive");
    ck_assert_ptr_nonnull(d);
    ck_assert_int_eq(d->severity, NB_SEV_WARNING);
    ck_assert_str_eq(d->found, "gb2019");
    ck_assert_uint_eq(tv_any(r, "R-X-TEMPLATE"), 1);
}
END_TEST

START_TEST(sections)
{
    nb_validate(tv_rules(), r);
    ck_assert_uint_eq(tv_any(r, "R-X-SECTIONS"), 0);
    nb_set_str(&r->sections[4].title, NULL);
    nb_set_str(&r->sections[4].text, NULL);
    r->sections[1].line = 10;
    r->sections[2].line = 5;
    nb_validate(tv_rules(), r);
    ck_assert_uint_eq(tv_count(r, "R-X-SECTIONS", NB_SEV_WARNING), 2); /* 五 missing, 三 before 二 */
    ck_assert_uint_eq(tv_count(r, "R-X-SECTIONS", NB_SEV_ERROR), 0);
}
END_TEST

/* A section prepared in one block with its pieces (validate_text.c):
 * the text is nb_text_fold's with its blanks dropped, on generated texts
 * with broken bytes that folding lengthens (each becomes U+FFFD, three
 * bytes: the block grows) and many sentence stops (many pieces); a whole
 * validation of such sections runs clean under valgrind and ASan. */
static const tu_piece PREP[] = {
    TU_PIECE("中"), TU_PIECE("\x80"), TU_PIECE("\xe4"), TU_PIECE("。"), TU_PIECE(";"), TU_PIECE(" "),
    TU_PIECE("\t"), TU_PIECE("\r"), TU_PIECE("\n"), TU_PIECE("\xef\xbc\x91"), TU_PIECE("\xe3\x80\x80"),
    TU_PIECE("a"), TU_PIECE("2023年"), TU_PIECE("件"),
};

START_TEST(prepared_as_folded_without_blanks)
{
    unsigned seed = 31;
    for (int round = 0; round < 400; round++) {
        char text[512];
        size_t len = 0, want = tu_rand(&seed) % 400;
        while (len < want) {
            /* one round in four all broken bytes and stops: folding triples it */
            size_t k = round % 4 ? tu_rand(&seed) % (sizeof PREP / sizeof *PREP) : tu_rand(&seed) % 2 ? 1 : 4;
            const tu_piece *p = &PREP[k];
            memcpy(text + len, p->s, p->n);
            len += p->n;
        }
        text[len] = '\0';
        char *f = nb_text_fold(text), *o = f;
        for (const char *q = f; *q; q++)
            if (*q != ' ' && *q != '\t' && *q != '\r')
                *o++ = *q;
        *o = '\0';
        char *got = v_prepare(text);
        ck_assert_str_eq(got, f);
        free(got);
        free(f);
        if (round % 20 == 0) { /* the sections prepared and cut by a validation */
            for (int i = 1; i <= 6; i++)
                tv_section(r, i, text);
            nb_validate(tv_rules(), r);
        }
    }
}
END_TEST

int main(void)
{
    Suite *s = suite_create("validate_text");
    TCase *tc = tcase_create("text");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, no_requests);
    tcase_add_test(tc, request_count);
    tcase_add_test(tc, applicant);
    tcase_add_test(tc, processed_and_carry);
    tcase_add_test(tc, outcomes_and_percent);
    tcase_add_test(tc, cases);
    tcase_add_test(tc, normdocs);
    tcase_add_test(tc, fee_fact);
    tcase_add_test(tc, prepared_as_folded_without_blanks);
    suite_add_tcase(s, tc);
    TCase *tr = tcase_create("report");
    tcase_add_checked_fixture(tr, setup, teardown);
    tcase_add_test(tr, s6_fee);
    tcase_add_test(tr, year);
    tcase_add_test(tr, year_in_title_and_period_in_any_form);
    tcase_add_test(tr, template_variant);
    tcase_add_test(tr, sections);
    tcase_add_test(tr, fee_in_any_section);
    suite_add_tcase(s, tr);
    return tu_main(s);
}
