/* test_docx_util.h - what the DOCX suites share: the fixture generator
 * (tests/data/docx/make_docx.py) and the value-by-value comparison of a
 * report with the truth file the generator wrote beside each DOCX. */
#ifndef NB_TEST_DOCX_UTIL_H
#define NB_TEST_DOCX_UTIL_H

#include "testutil.h"
#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* false (after saying why on stderr) when python3 cannot run the generator. */
static bool dx_have_python(const char *suite)
{
    char *out = NULL, *err = NULL;
    int rc = tu_run("python3 -c 'import zipfile'", NULL, &out, &err);
    free(out);
    free(err);
    if (rc != 0)
        fprintf(stderr, "%s: skipped: python3 (the DOCX fixture generator) is not installed\n", suite);
    return rc == 0;
}

/* Runs make_docx.py with args; its exit status. */
static int dx_make(const char *args)
{
    char cmd[4096];
    snprintf(cmd, sizeof cmd, "python3 '%s/tests/data/docx/make_docx.py' %s", tu_source_dir(), args);
    char *out = NULL, *err = NULL;
    int rc = tu_run(cmd, NULL, &out, &err);
    if (rc != 0)
        fprintf(stderr, "make_docx.py %s: %s\n", args, err ? err : "");
    free(out);
    free(err);
    return rc;
}

static json_t *dx_at_path(json_t *j, const char *path)
{
    char buf[256];
    snprintf(buf, sizeof buf, "%s", path);
    for (char *tok = strtok(buf, "."); tok && j; tok = strtok(NULL, "."))
        j = json_object_get(j, tok);
    return j;
}

static bool dx_same_value(json_t *got, json_t *want)
{
    if (json_is_integer(want))
        return json_is_integer(got) && json_integer_value(got) == json_integer_value(want);
    /* money: a decimal the generator wrote with one decimal place */
    if (!json_is_string(want) || !json_is_number(got))
        return false;
    double d = json_number_value(got) - strtod(json_string_value(want), NULL);
    return d < 1e-9 && d > -1e-9;
}

/* Every value, the blanks, agency and year as the generator wrote them. */
static void dx_compare_with_truth(json_t *rep, const char *truth_path)
{
    json_error_t je;
    json_t *t = json_load_file(truth_path, 0, &je);
    ck_assert_msg(t != NULL, "%s: %s", truth_path, je.text);
    ck_assert_str_eq(json_string_value(json_object_get(rep, "agency")),
                     json_string_value(json_object_get(t, "agency")));
    ck_assert_int_eq(json_integer_value(json_object_get(rep, "year")), json_integer_value(json_object_get(t, "year")));
    const char *key;
    json_t *want;
    json_object_foreach(json_object_get(t, "values"), key, want)
        ck_assert_msg(dx_same_value(dx_at_path(rep, key), want), "%s: %s is %s", truth_path, key,
                      json_dumps(dx_at_path(rep, key), JSON_ENCODE_ANY));
    json_t *blank = json_object_get(rep, "blank"), *wblank = json_object_get(t, "blank");
    ck_assert_uint_eq(json_array_size(blank), json_array_size(wblank));
    size_t i;
    json_t *b;
    json_array_foreach(wblank, i, b) {
        bool found = false;
        for (size_t k = 0; k < json_array_size(blank); k++)
            found |= json_equal(json_array_get(blank, k), b);
        ck_assert_msg(found, "%s: %s not listed blank", truth_path, json_string_value(b));
    }
    ck_assert_uint_eq(json_array_size(json_object_get(rep, "ambiguous")), 0);
    json_array_foreach(json_object_get(rep, "diagnostics"), i, b)
        ck_assert_msg(strcmp(json_string_value(json_object_get(b, "severity")), "error") != 0,
                      "%s: finding %s", truth_path, json_string_value(json_object_get(b, "rule")));
    json_decref(t);
}

static json_t *dx_first_report(json_t *out)
{
    return json_is_array(out) ? json_array_get(out, 0) : out;
}

#endif
