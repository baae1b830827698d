/* test_json_load.c - the data files' fast JSON parser: where it answers, the
 * value is the one jansson builds (types, member order, escapes); where it
 * is not sure it answers nothing and jansson decides, errors included. */
#include "testutil.h"
#include "json_load.h"
#include <dirent.h>
#include <stdlib.h>
#include <string.h>

/* Both parsers' values dumped in document order, compared. */
static void expect_same(const char *text, size_t len, bool plain_expected)
{
    json_error_t je;
    json_t *want = json_loadb(text, len, JSON_REJECT_DUPLICATES, &je);
    json_t *got = nb_json_parse_plain(text, len);
    if (plain_expected)
        ck_assert_msg(got != NULL, "not parsed: %.60s", text);
    if (got) {
        ck_assert_msg(want != NULL, "jansson refuses what the fast parser took: %.60s", text);
        char *a = json_dumps(want, JSON_COMPACT | JSON_ENCODE_ANY);
        char *b = json_dumps(got, JSON_COMPACT | JSON_ENCODE_ANY);
        ck_assert_msg(a && b && strcmp(a, b) == 0, "%s\nvs\n%s", a, b);
        free(a);
        free(b);
    }
    json_decref(want);
    json_decref(got);
}

static void expect_text(const char *text, bool plain_expected)
{
    expect_same(text, strlen(text), plain_expected);
}

START_TEST(plain_forms_as_jansson)
{
    expect_text("{}", true);
    expect_text(" [ ] ", true);
    expect_text("{\"a\": 1, \"b\": [true, false, null, -12, 0], \"c\": {\"d\": \"x\"}}", true);
    expect_text("{\"z\": 1, \"a\": 2, \"m\": 3}", true); /* member order kept */
    expect_text("[\"年报\", \"\\u5e74\\u62a5\", \"\\ud83d\\ude00\", \"a\\\"b\\\\c\\/d\\n\\t\\r\\b\\f\"]", true);
    expect_text("{\"k\\u00e9y\": \"v\"}", true);
    expect_text("[123456789012345678, -123456789012345678]", true);
}
END_TEST

START_TEST(unsure_forms_left_to_jansson)
{
    static const char *const texts[] = {
        "{\"a\": 1, \"a\": 2}",         /* duplicate: jansson's rule */
        "[1.5]", "[1e3]", "[1234567890123456789]", "[01]", "[-]",
        "[\"\\u0000\"]", "[\"\\udc00\"]", "[\"\\ud800x\"]", "[\"\\x\"]", "[\"\\u12g4\"]",
        "[\"a\x01\"]", "[\"\xc0\xaf\"]", "[\"\xed\xa0\x80\"]", "[\"\xf4\x90\x80\x80\"]", "[\"\xe5\xb9\"]",
        "[truex]", "[nul]", "[1,]", "{\"a\" 1}", "{\"a\": 1,}", "{1: 2}", "[1] x", "[", "\"s\"", "3", "",
        "[\"unterminated"};
    for (size_t i = 0; i < sizeof texts / sizeof *texts; i++) {
        json_t *got = nb_json_parse_plain(texts[i], strlen(texts[i]));
        ck_assert_msg(got == NULL, "took: %s", texts[i]);
    }
    /* the whole load then answers as jansson does, error text included */
    char *dir = tu_tempdir(), *path = tu_path(dir, "bad.json");
    const char bad[] = "{\"rules\": [1, 2,]}";
    ck_assert_int_eq(tu_write_file(path, bad, sizeof bad - 1), 0);
    json_error_t a, b;
    ck_assert_ptr_null(nb_json_load_file(path, 0, &a));
    ck_assert_ptr_null(json_load_file(path, 0, &b));
    ck_assert_str_eq(a.text, b.text);
    ck_assert_int_eq(a.line, b.line);
    ck_assert_int_eq(a.column, b.column);
    json_t *missing = nb_json_load_file("/nonexistent/x.json", 0, &a);
    ck_assert_ptr_null(missing);
    ck_assert_ptr_nonnull(strstr(a.text, "x.json"));
    tu_rmrf(dir);
    free(path);
    free(dir);
}
END_TEST

/* Every shipped data file takes the fast path and gives jansson's value. */
static void same_for_dir(const char *sub)
{
    char *dir = tu_path(tu_source_dir(), sub);
    DIR *d = opendir(dir);
    ck_assert_ptr_nonnull(d);
    size_t n = 0;
    for (struct dirent *e; (e = readdir(d));) {
        size_t l = strlen(e->d_name);
        if (l < 6 || strcmp(e->d_name + l - 5, ".json") != 0)
            continue;
        char *path = tu_path(dir, e->d_name);
        size_t len;
        char *text = tu_read_file(path, &len);
        ck_assert_ptr_nonnull(text);
        expect_same(text, len, true);
        free(text);
        free(path);
        n++;
    }
    closedir(d);
    ck_assert_uint_gt(n, 0);
    free(dir);
}

START_TEST(shipped_data_files_as_jansson)
{
    same_for_dir("formats/templates");
    same_for_dir("formats/rules");
}
END_TEST

/* Random bytes mutated into a valid file: never a value jansson would
 * not give. */
START_TEST(mutations_never_differ)
{
    const char base[] = "{\"id\": \"gb\", \"n\": [1, -2, {\"年\": \"报\\n\\u00e9\"}], \"t\": true}";
    static const char alphabet[] = "{}[]\",:\\u0123456789-.eE \n truefalsn\xe5\xb9\xb4\x80\xff";
    unsigned seed = 7;
    for (int i = 0; i < 20000; i++) {
        char buf[sizeof base];
        memcpy(buf, base, sizeof base);
        for (int k = 0; k < 1 + i % 3; k++)
            buf[(size_t)rand_r(&seed) % (sizeof base - 1)] = alphabet[(size_t)rand_r(&seed) % (sizeof alphabet - 1)];
        expect_same(buf, sizeof base - 1, false);
    }
}
END_TEST

int main(void)
{
    Suite *s = suite_create("json_load");
    TCase *tc = tcase_create("fast_parse");
    tcase_add_test(tc, plain_forms_as_jansson);
    tcase_add_test(tc, unsure_forms_left_to_jansson);
    tcase_add_test(tc, shipped_data_files_as_jansson);
    tcase_add_test(tc, mutations_never_differ);
    suite_add_tcase(s, tc);
    return tu_main(s);
}
