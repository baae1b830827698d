/* test_validate_cli.c - `nianbao validate` end to end: reports written as
 * JSON at test time, one consistent and one breaking R-T2-BALANCE; the
 * human output names file, rule and cell, --json is one parseable
 * document, and the exit codes follow docs/cli.md. */
#include "test_validate_util.h"
#include "json_internal.h"
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

static char *dir;

static void write_report(const nb_report *r, const char *name)
{
    json_t *j = nb_report_to_json(r, 0);
    ck_assert_ptr_nonnull(j);
    char *p = tu_path(dir, name);
    ck_assert_int_eq(json_dump_file(j, p, nb_json_dump_flags(false)), 0);
    json_decref(j);
    free(p);
}

static nb_report *report(bool broken)
{
    nb_report *r = tv_report("gb2021");
    tv_zero(r);
    tv_requests_ok(r);
    if (broken)
        tv_row(r, "carried_forward", 2, 0);
    return r;
}

static void setup(void)
{
    dir = tu_tempdir();
    nb_report *ok = report(false), *bad = report(true);
    nb_set_str(&bad->agency, "另一个局");
    write_report(ok, "ok.json");
    write_report(bad, "bad.json");
    nb_report_free(ok);
    nb_report_free(bad);
}

static void teardown(void)
{
    tu_rmrf(dir);
    free(dir);
}

static int run(const char *args, char **out, char **err)
{
    size_t n = strlen(tu_bin()) + strlen(args) + 16;
    char *cmd = malloc(n);
    snprintf(cmd, n, "'%s' validate %s", tu_bin(), args);
    int rc = tu_run(cmd, NULL, out, err);
    free(cmd);
    return rc;
}

START_TEST(consistent_exits_0)
{
    char args[1024], *out, *err;
    snprintf(args, sizeof args, "'%s/ok.json'", dir);
    int rc = run(args, &out, &err);
    ck_assert_msg(rc == 0, "rc %d\n%s\n%s", rc, out, err);
    ck_assert_ptr_nonnull(strstr(out, "1 report checked: 0 with errors"));
    ck_assert_ptr_null(strstr(out, "R-T2-"));
    free(out);
    free(err);
}
END_TEST

START_TEST(errors_exit_1_and_name_the_cell)
{
    char args[1024], *out, *err;
    snprintf(args, sizeof args, "'%s'", dir);
    int rc = run(args, &out, &err);
    ck_assert_msg(rc == 1, "rc %d\n%s\n%s", rc, out, err);
    ck_assert_msg(strstr(out, "bad.json: error R-T2-BALANCE: （七）总计 / 自然人: 应为 1 = 一+二−四，实为 2"),
                  "%s", out);
    ck_assert_ptr_nonnull(strstr(out, "[requests.results_total.natural_person]"));
    ck_assert_ptr_nonnull(strstr(out, "2 reports checked: 1 with errors"));
    ck_assert_ptr_null(strstr(out, "ok.json: error"));
    free(out);
    free(err);
}
END_TEST

START_TEST(json_is_one_document)
{
    char args[1024], *out, *err;
    snprintf(args, sizeof args, "--json '%s'", dir);
    int rc = run(args, &out, &err);
    ck_assert_int_eq(rc, 1);
    json_error_t je;
    json_t *j = json_loads(out, 0, &je);
    ck_assert_msg(j != NULL, "not JSON: %s\n%s", je.text, out);
    json_t *sum = json_object_get(j, "summary");
    ck_assert_int_eq(json_integer_value(json_object_get(sum, "checked")), 2);
    ck_assert_int_eq(json_integer_value(json_object_get(sum, "with_errors")), 1);
    json_t *reports = json_object_get(j, "reports");
    ck_assert_uint_eq(json_array_size(reports), 2);
    bool seen = false;
    size_t i, k;
    json_t *rep, *d;
    json_array_foreach(reports, i, rep) {
        json_array_foreach(json_object_get(rep, "diagnostics"), k, d) {
            if (strcmp(json_string_value(json_object_get(d, "rule")), "R-T2-BALANCE") ||
                strcmp(json_string_value(json_object_get(d, "where")), "requests.results_total.total"))
                continue;
            seen = true;
            ck_assert_str_eq(json_string_value(json_object_get(d, "severity")), "error");
            ck_assert_str_eq(json_string_value(json_object_get(d, "expected")), "3");
            ck_assert_str_eq(json_string_value(json_object_get(d, "found")), "4");
        }
    }
    ck_assert(seen);
    json_decref(j);
    free(out);
    free(err);
}
END_TEST

START_TEST(usage_and_config_errors)
{
    char *out, *err;
    ck_assert_int_eq(run("--help", &out, &err), 0);
    ck_assert_ptr_nonnull(strstr(out, "--json"));
    free(out);
    free(err);
    ck_assert_int_eq(run("--no-such-option", &out, &err), 2);
    free(out);
    free(err);
    /* a formats root whose rule names an unknown cell: exit 78, file named */
    char *fmt = tu_path(dir, "formats"), *rules = tu_path(fmt, "rules");
    char *tmpl = tu_path(fmt, "templates"), *src = tu_path(tu_source_dir(), "formats/templates");
    ck_assert_int_eq(mkdir(fmt, 0700), 0);
    ck_assert_int_eq(mkdir(rules, 0700), 0);
    ck_assert_int_eq(symlink(src, tmpl), 0);
    char *bad = tu_path(rules, "bad.json");
    const char *json = "{\"rules\": [{\"id\": \"R-BAD\", \"severity\": \"error\", \"table\": \"requests\","
                       " \"lhs\": [\"no_such_row.total\"]}]}";
    ck_assert_int_eq(tu_write_file(bad, json, strlen(json)), 0);
    char args[1024];
    snprintf(args, sizeof args, "--formats '%s' '%s/ok.json'", fmt, dir);
    int rc = run(args, &out, &err);
    ck_assert_msg(rc == 78, "rc %d: %s", rc, err);
    ck_assert_msg(strstr(err, "bad.json") && strstr(err, "R-BAD"), "%s", err);
    free(out);
    free(err);
    free(bad);
    free(fmt);
    free(rules);
    free(tmpl);
    free(src);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("validate_cli");
    TCase *tc = tcase_create("cli");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, consistent_exits_0);
    tcase_add_test(tc, errors_exit_1_and_name_the_cell);
    tcase_add_test(tc, json_is_one_document);
    tcase_add_test(tc, usage_and_config_errors);
    suite_add_tcase(s, tc);
    return tu_main(s);
}
