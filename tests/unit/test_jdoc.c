/* test_jdoc.c - the data files' JSON tree: the value jansson builds (types,
 * member order, escapes, what a duplicate key does) from the in-place
 * parser or, for forms it leaves to jansson, from jansson itself; errors
 * are jansson's. */
#include "testutil.h"
#include "jdoc.h"
#include <dirent.h>
#include <stdlib.h>
#include <string.h>

/* The tree equals jansson's value: same types, values, order. */
static bool same(const jd *a, json_t *b)
{
    if (json_is_object(b)) {
        if (!jd_is_obj(a) || jd_nmembers(a) != json_object_size(b))
            return false;
        size_t i = 0;
        const char *k;
        json_t *v;
        json_object_foreach(b, k, v) {
            if (strcmp(jd_key_at(a, i), k) != 0 || !same(jd_val_at(a, i), v) || jd_get(a, k) != jd_val_at(a, i))
                return false;
            i++;
        }
        return true;
    }
    if (json_is_array(b)) {
        if (!jd_is_arr(a) || jd_len(a) != json_array_size(b))
            return false;
        for (size_t i = 0; i < jd_len(a); i++)
            if (!same(jd_at(a, i), json_array_get(b, i)))
                return false;
        return true;
    }
    if (json_is_string(b))
        return jd_is_str(a) && strcmp(jd_str(a), json_string_value(b)) == 0;
    if (json_is_integer(b))
        return jd_is_int(a) && jd_int(a) == json_integer_value(b);
    if (json_is_real(b))
        return jd_is_real(a) && jd_real(a) == json_real_value(b);
    if (json_is_true(b))
        return jd_is_true(a);
    return a && !jd_is_true(a) && !jd_is_str(a) && !jd_is_int(a) && !jd_is_real(a) && !jd_is_arr(a) &&
           !jd_is_obj(a) && (json_is_false(b) || json_is_null(b));
}

/* Both read the text (with and without rejecting duplicates): the same
 * value, or the same error. */
static void expect_same(const char *text, size_t len, bool valid_expected)
{
    for (int dups = 0; dups < 2; dups++) {
        json_error_t je, me;
        json_t *want = json_loadb(text, len, dups ? JSON_REJECT_DUPLICATES : 0, &je);
        const jd *got = jd_load_text(text, len, dups, &me);
        if (valid_expected)
            ck_assert_msg(got != NULL, "not parsed: %.60s", text);
        ck_assert_msg((want != NULL) == (got != NULL), "jansson %s, jd %s: %.60s", want ? "parses" : "refuses",
                      got ? "parses" : "refuses", text);
        if (got)
            ck_assert_msg(same(got, want), "different values: %.60s", text);
        else
            ck_assert_msg(strcmp(je.text, me.text) == 0 && je.line == me.line, "%s / %s", je.text, me.text);
        json_decref(want);
        jd_free(got);
    }
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

START_TEST(other_forms_as_jansson)
{
    static const char *const texts[] = {
        "{\"a\": 1, \"a\": 2}",         /* duplicate: jansson's rule */
        "[1234567890123456789]", "[01]", "[-]",
        "[\"\\u0000\"]", "[\"\\udc00\"]", "[\"\\ud800x\"]", "[\"\\x\"]", "[\"\\u12g4\"]",
        "[\"a\x01\"]", "[\"\xc0\xaf\"]", "[\"\xed\xa0\x80\"]", "[\"\xf4\x90\x80\x80\"]", "[\"\xe5\xb9\"]",
        "[truex]", "[nul]", "[1,]", "{\"a\" 1}", "{\"a\": 1,}", "{1: 2}", "[1] x", "[", "\"s\"", "3", "",
        "[\"unterminated"};
    for (size_t i = 0; i < sizeof texts / sizeof *texts; i++)
        expect_text(texts[i], false);
    /* the whole load then answers as jansson does, error text included */
    char *dir = tu_tempdir(), *path = tu_path(dir, "bad.json");
    const char bad[] = "{\"rules\": [1, 2,]}";
    ck_assert_int_eq(tu_write_file(path, bad, sizeof bad - 1), 0);
    json_error_t a, b;
    ck_assert_ptr_null(jd_load_file(path, false, &a));
    ck_assert_ptr_null(json_load_file(path, 0, &b));
    ck_assert_str_eq(a.text, b.text);
    ck_assert_int_eq(a.line, b.line);
    ck_assert_int_eq(a.column, b.column);
    const jd *missing = jd_load_file("/nonexistent/x.json", false, &a);
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

/* A real keeps its literal as printed, and its value is jansson's; what
 * JSON does not allow (1., .5, 1e, a double's overflow) is refused as
 * jansson refuses it.  A copy of jansson's value gets the shortest
 * decimal of its double. */
START_TEST(real_literals_kept)
{
    static const char *const reals[] = {"12.50", "-0.5", "1e3", "1E-3", "2.5e+10", "0.0", "-0.000001",
                                        "123456789012.345678901",
                                        /* an integer part past 19 digits (fuzz_validate's find) */
                                        "-98765432109876543210987654321.5", "12345678901234567890123e-5"};
    for (size_t i = 0; i < sizeof reals / sizeof *reals; i++) {
        char text[160];
        snprintf(text, sizeof text, "[%s, {\"k\": %s}]", reals[i], reals[i]);
        expect_text(text, true);
        const jd *d = jd_load_text(text, strlen(text), false, NULL);
        ck_assert_str_eq(jd_real_text(jd_at(d, 0)), reals[i]);
        ck_assert_str_eq(jd_real_text(jd_get(jd_at(d, 1), "k")), reals[i]);
        ck_assert_ptr_null(jd_real_text(jd_at(d, 2)));
        jd_free(d);
    }
    static const char *const bad[] = {"[1.]", "[.5]", "[1e]", "[1e+]", "[-1.5e309]", "[1.5.2]", "[01.5]", "[-.5]"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
        expect_text(bad[i], false);
    json_t *j = json_pack("[f, f, i]", 0.1, 12.5, 3);
    const jd *c = jd_from_json(j);
    json_decref(j); /* the copy is the copy's own */
    ck_assert_str_eq(jd_real_text(jd_at(c, 0)), "0.1");
    ck_assert_str_eq(jd_real_text(jd_at(c, 1)), "12.5");
    ck_assert_int_eq(jd_int(jd_at(c, 2)), 3);
    jd_free(c);
}
END_TEST

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

/* An object of n keys "k0".."k<n-1>", where key dup (if < n) is written
 * again as the last member: past 16 keys the duplicate check hashes. */
static char *object_text(size_t n, size_t dup, const char *prefix)
{
    size_t cap = 64 + (strlen(prefix) + 40) * (n + 1);
    char *t = malloc(cap);
    size_t len = (size_t)snprintf(t, cap, "{");
    for (size_t i = 0; i < n; i++)
        len += (size_t)snprintf(t + len, cap - len, "%s\"%s%zu\": %zu", i ? ", " : "", prefix, i, i);
    if (dup < n)
        len += (size_t)snprintf(t + len, cap - len, ", \"%s%zu\": \"again\"", prefix, dup);
    snprintf(t + len, cap - len, "}");
    return t;
}

START_TEST(large_objects_and_duplicates_as_jansson)
{
    /* keys sharing a long prefix: one hash of the ends would crowd them */
    static const char *const prefixes[] = {"k", "requests.withheld.security_stability.natural_person."};
    static const size_t sizes[] = {15, 16, 17, 40, 300};
    for (size_t p = 0; p < 2; p++)
        for (size_t s = 0; s < sizeof sizes / sizeof *sizes; s++) {
            size_t n = sizes[s];
            size_t dups[] = {n, 0, n / 2, n - 1}; /* none, first, middle, last */
            for (size_t d = 0; d < 4; d++) {
                char *t = object_text(n, dups[d], prefixes[p]);
                expect_text(t, dups[d] == n);
                free(t);
            }
        }
}
END_TEST

/* jd_get_near answers as jd_get whatever the order keys are asked in, and
 * takes the klen bytes of the key only. */
START_TEST(near_lookup_as_get)
{
    char *t = object_text(60, 60, "cell.");
    const jd *o = jd_load_text(t, strlen(t), true, NULL);
    ck_assert_ptr_nonnull(o);
    size_t hint = 0;
    unsigned seed = 3;
    for (int round = 0; round < 3; round++)
        for (size_t i = 0; i < 120; i++) {
            /* in order, backwards, at random; keys that are not there too */
            size_t k = round == 0 ? i % 60 : round == 1 ? 119 - i : (size_t)rand_r(&seed) % 70;
            char key[32];
            snprintf(key, sizeof key, "cell.%zu", k);
            ck_assert_ptr_eq(jd_get_near(o, key, strlen(key), &hint), jd_get(o, key));
            /* the same key followed by more bytes: only klen of them count */
            char longer[40];
            snprintf(longer, sizeof longer, "%s.x", key);
            ck_assert_ptr_eq(jd_get_near(o, longer, strlen(key), &hint), jd_get(o, key));
        }
    ck_assert_int_eq(jd_int(jd_get_near(o, "cell.7", 6, &hint)), 7);
    ck_assert_ptr_null(jd_get_near(o, "cell.", 5, &hint)); /* a prefix of keys is no key */
    hint = 1000;                                           /* a hint out of range starts at 0 */
    ck_assert_int_eq(jd_int(jd_get_near(o, "cell.0", 6, &hint)), 0);
    ck_assert_ptr_null(jd_get_near(NULL, "x", 1, &hint));
    jd_free(o);
    free(t);
    const char empty_key[] = "{\"a\": 1, \"\": 2}";
    const jd *e = jd_load_text(empty_key, sizeof empty_key - 1, true, NULL);
    hint = 0;
    ck_assert_int_eq(jd_int(jd_get_near(e, "", 0, &hint)), 2);
    ck_assert_int_eq(jd_int(jd_get_near(e, "a.b", 1, &hint)), 1);
    jd_free(e);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("jdoc");
    TCase *tc = tcase_create("fast_parse");
    tcase_add_test(tc, plain_forms_as_jansson);
    tcase_add_test(tc, other_forms_as_jansson);
    tcase_add_test(tc, real_literals_kept);
    tcase_add_test(tc, shipped_data_files_as_jansson);
    tcase_add_test(tc, mutations_never_differ);
    tcase_add_test(tc, large_objects_and_duplicates_as_jansson);
    tcase_add_test(tc, near_lookup_as_get);
    suite_add_tcase(s, tc);
    return tu_main(s);
}
