/* test_validate_data.c - rules are data: a rule added as a file fires with
 * no C change, and broken rule files are NB_E_CONFIG naming file and rule. */
#include "test_validate_util.h"
#include <stdio.h>

static char *tmp;

static void setup(void)
{
    tmp = tu_tempdir();
    ck_assert_ptr_nonnull(tmp);
}

static void teardown(void)
{
    tu_rmrf(tmp);
    free(tmp);
}

static void write_rules(const char *name, const char *json)
{
    char *p = tu_path(tmp, name);
    ck_assert_int_eq(tu_write_file(p, json, strlen(json)), 0);
    free(p);
}

/* Loads the shipped rules plus the temp dir. */
static nb_ruleset *load_with_tmp(nb_error *err)
{
    char *rules = tu_path(tu_source_dir(), "formats/rules");
    size_t n = strlen(rules) + strlen(tmp) + 2;
    char *dirs = malloc(n);
    snprintf(dirs, n, "%s:%s", rules, tmp);
    nb_error_clear(err);
    nb_ruleset *rs = nb_ruleset_load(dirs, tu_templates(), err);
    free(dirs);
    free(rules);
    return rs;
}

START_TEST(new_rule_is_a_line_of_data)
{
    write_rules("local.json",
                "{\"rules\": [{\"id\": \"R-LOCAL-GRANTED\", \"severity\": \"error\", \"table\": \"requests\","
                " \"for_each\": {\"col\": \"columns\"},"
                " \"lhs\": [\"granted.{col}\"], \"op\": \"<=\", \"rhs\": [\"new_received.{col}\", \"carried_over.{col}\"],"
                " \"target\": \"granted.{col}\"}]}");
    nb_error err;
    nb_ruleset *rs = load_with_tmp(&err);
    ck_assert_msg(rs != NULL, "%s: %s", err.where, err.text);
    ck_assert_uint_eq(nb_ruleset_count(rs), nb_ruleset_count(tv_rules()) + 1);
    nb_report *r = tv_report("gb2021");
    tv_zero(r);
    tv_requests_ok(r);
    nb_validate(rs, r);
    ck_assert_uint_eq(tv_any(r, "R-LOCAL-GRANTED"), 0);
    tv_row(r, "granted", 9, 1); /* more granted than received */
    nb_validate(rs, r);
    const nb_diag *d = tv_find(r, "R-LOCAL-GRANTED", "requests.granted.natural_person");
    ck_assert_ptr_nonnull(d);
    ck_assert_int_eq(d->severity, NB_SEV_ERROR);
    ck_assert_str_eq(d->expected, "≤ 3");
    ck_assert_str_eq(d->found, "9");
    ck_assert_ptr_nonnull(strstr(d->message, "（一）予以公开 / 自然人"));
    /* no formula given: the relation solved for the target, in key paths */
    ck_assert_msg(strstr(d->message, "new_received.natural_person+carried_over.natural_person"), "%s",
                  d->message);
    /* the shipped rules did not notice: only the new line of data did */
    ck_assert_uint_eq(tv_any(r, "R-LOCAL-GRANTED"), 2);
    nb_report_free(r);
    nb_ruleset_free(rs);
}
END_TEST

START_TEST(new_text_rule_is_data)
{
    write_rules("text.json",
                "{\"rules\": [{\"id\": \"R-LOCAL-TEXT\", \"severity\": \"warning\", \"check\": \"text\","
                " \"group\": 1, \"pattern\": \"不予处理[^0-9]{0,9}([0-9]+)件\","
                " \"compare\": [\"requests.not_processed.*.total\"]}]}");
    nb_error err;
    nb_ruleset *rs = load_with_tmp(&err);
    ck_assert_msg(rs != NULL, "%s: %s", err.where, err.text);
    nb_report *r = tv_report("gb2021");
    tv_zero(r);
    tv_section(r, 3, "不予处理2件。");
    nb_validate(rs, r);
    ck_assert_uint_eq(tv_count(r, "R-LOCAL-TEXT", NB_SEV_WARNING), 1);
    nb_report_free(r);
    nb_ruleset_free(rs);
}
END_TEST

/* A broken rule file is a config error naming the file and the rule. */
static void expect_config_error(const char *json, const char *rule, const char *words)
{
    write_rules("bad.json", json);
    nb_error err;
    nb_ruleset *rs = load_with_tmp(&err);
    ck_assert_msg(rs == NULL, "loaded: %s", json);
    ck_assert_int_eq(err.cls, NB_E_CONFIG);
    ck_assert_msg(strstr(err.where, "bad.json") != NULL, "where: %s", err.where);
    if (rule)
        ck_assert_msg(strstr(err.text, rule) != NULL, "text: %s", err.text);
    ck_assert_msg(strstr(err.text, words) != NULL, "text lacks '%s': %s", words, err.text);
}

START_TEST(bad_rule_files)
{
    expect_config_error("{\"rules\": [{\"id\": \"R-BAD-PATH\", \"severity\": \"error\", \"table\": \"requests\","
                        " \"lhs\": [\"granted.total\"], \"rhs\": [\"grantd.total\"]}]}",
                        "R-BAD-PATH", "grantd.total");
    expect_config_error("{\"rules\": [{\"id\": \"R-BAD-COL\", \"severity\": \"error\", \"table\": \"requests\","
                        " \"for_each\": {\"col\": \"columns\"},"
                        " \"lhs\": [\"granted.{col}\"], \"rhs\": [\"granted.{colx}\"]}]}",
                        "R-BAD-COL", "for_each");
    expect_config_error("{\"rules\": [{\"id\": \"R-BAD-SEV\", \"severity\": \"fatal\", \"table\": \"requests\","
                        " \"lhs\": [\"granted.total\"]}]}",
                        "R-BAD-SEV", "severity");
    expect_config_error("{\"rules\": [{\"id\": \"R-BAD-RE\", \"severity\": \"warning\", \"check\": \"text\","
                        " \"group\": 1, \"pattern\": \"([0-9]+件\", \"compare\": [\"requests.granted.total\"]}]}",
                        "R-BAD-RE", "pattern");
    expect_config_error("{\"rules\": [{\"id\": \"R-BAD-TABLE\", \"severity\": \"error\", \"table\": \"requestz\","
                        " \"lhs\": [\"granted.total\"]}]}",
                        "R-BAD-TABLE", "requestz");
    expect_config_error("{\"rules\": [{\"id\": \"R-BAD-CHECK\", \"severity\": \"error\", \"check\": \"magic\"}]}",
                        "R-BAD-CHECK", "magic");
    expect_config_error("{\"rules\": [{\"id\": \"R-BAD-VARIANT\", \"severity\": \"error\", \"table\": \"proactive\","
                        " \"variant\": \"gb2019\", \"lhs\": [\"rules.issued\"]}]}",
                        "R-BAD-VARIANT", "rules.issued");
    expect_config_error("{\"rules\": [{\"id\": \"R-BAD-TARGET\", \"severity\": \"error\", \"table\": \"requests\","
                        " \"lhs\": [\"granted.total\"], \"rhs\": [], \"target\": \"carried_over.total\"}]}",
                        "R-BAD-TARGET", "target");
    expect_config_error("{\"rules\": [{\"id\": \"R-BAD-XYEAR\", \"severity\": \"warning\", \"check\": \"year\","
                        " \"cross_year\": true}]}",
                        "R-BAD-XYEAR", "cross_year");
    expect_config_error("{\"rules\": [{\"id\": ", NULL, "line");
}
END_TEST

/* A duplicate check of one's own is a check of the run: it never fires on
 * one report, and fires on the second of an agency-year under its id. */
START_TEST(duplicate_check_is_data)
{
    write_rules("dup.json", "{\"rules\": [{\"id\": \"R-LOCAL-TWICE\", \"severity\": \"info\", \"check\": \"duplicate\"}]}");
    nb_error err;
    nb_ruleset *rs = load_with_tmp(&err);
    ck_assert_msg(rs != NULL, "%s", err.text);
    nb_report *a = tv_report("gb2021"), *b = tv_report("gb2021");
    nb_set_str(&a->source.path, "a.txt");
    nb_set_str(&b->source.path, "b.txt");
    nb_validate(rs, a);
    ck_assert_uint_eq(tv_any(a, "R-LOCAL-TWICE"), 0);
    nb_xcheck *x = nb_xcheck_new(rs);
    nb_xcheck_add(x, a);
    nb_xcheck_add(x, b);
    ck_assert_uint_eq(tv_any(a, "R-LOCAL-TWICE"), 0);
    ck_assert_uint_eq(tv_any(b, "R-LOCAL-TWICE"), 1);
    ck_assert_uint_eq(tv_any(b, "R-X-DUPLICATE"), 1); /* the shipped one too */
    nb_xcheck_free(x);
    nb_report_free(a);
    nb_report_free(b);
    nb_ruleset_free(rs);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("validate_data");
    TCase *tc = tcase_create("rules_as_data");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, new_rule_is_a_line_of_data);
    tcase_add_test(tc, new_text_rule_is_data);
    tcase_add_test(tc, bad_rule_files);
    tcase_add_test(tc, duplicate_check_is_data);
    suite_add_tcase(s, tc);
    return tu_main(s);
}
