/* test_json_writer.c - the direct JSON writer against jansson, whose
 * layout it must reproduce byte for byte: strings with every kind of byte
 * to escape at every offset of the eight-byte scan, keys written plain
 * or checked, and the UTF-8 check against json_stringn's. */
#include "testutil.h"
#include "json_internal.h"
#include "json_writer.h"
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Bytes that exercise every branch: controls, the two escaped printables,
 * plain ASCII, and the pieces of one-, two-, three- and four-byte forms
 * (valid and not: a lone continuation, an overlong lead, a surrogate). */
static const unsigned char pool[] = {
    0x00, 0x01, 0x08, 0x09, 0x0A, 0x0C, 0x0D, 0x1F, 0x20, '"', '\\', '/', 'a', 'Z', '0', 0x7F,
    0xC2, 0xA9, 0xC0, 0xE0, 0xE4, 0xB8, 0xAD, 0xED, 0xA0, 0xBF, 0xEF, 0xF0, 0x9F, 0x98, 0x80, 0xF5,
};

/* A string of n bytes, mostly plain ASCII or one CJK character so that
 * long safe runs occur, with an occasional byte from the pool. */
static size_t random_string(unsigned *seed, char *out, size_t n)
{
    size_t i = 0;
    while (i < n) {
        unsigned k = tu_rand(seed) % 10;
        if (k < 5) {
            out[i++] = (char)('a' + tu_rand(seed) % 26);
        } else if (k < 8 && i + 3 <= n) {
            memcpy(out + i, "\xE4\xB8\xAD", 3);
            i += 3;
        } else {
            out[i++] = (char)pool[tu_rand(seed) % sizeof pool];
        }
    }
    return n;
}

/* jansson's text for {"key": s}, or NULL when it refuses s. */
static char *jansson_member(const char *key, size_t klen, const char *s, size_t len, bool compact)
{
    json_t *o = json_object(), *v = json_stringn(s, len);
    char *k = malloc(klen + 1);
    char *text = NULL;
    if (k) {
        memcpy(k, key, klen);
        k[klen] = '\0';
    }
    if (o && v && k && json_object_set_new(o, k, v) == 0)
        text = json_dumps(o, nb_json_dump_flags(compact));
    else
        json_decref(v);
    json_decref(o);
    free(k);
    return text;
}

static char *writer_member(const char *key, size_t klen, const char *s, size_t len, bool compact,
                           bool plain)
{
    jw w;
    jw_init(&w, compact);
    jw_begin_object(&w);
    if (plain)
        jw_key_plain(&w, key, klen);
    else
        jw_keyn(&w, key, klen);
    jw_str(&w, s, len);
    jw_end_object(&w);
    return jw_finish(&w);
}

/* a (the plain calls) and b (the fast path) wrote the same text. */
static void same_text(jw *a, jw *b)
{
    char *want = jw_finish(a), *got = jw_finish(b);
    ck_assert_ptr_nonnull(want);
    ck_assert_ptr_nonnull(got);
    ck_assert_str_eq(got, want);
    free(want);
    free(got);
}

START_TEST(strings_are_escaped_as_jansson_escapes_them)
{
    unsigned seed = 12345u;
    char s[64], key[24];
    int compared = 0;
    for (int round = 0; round < 40000; round++) {
        size_t len = random_string(&seed, s, tu_rand(&seed) % sizeof s);
        size_t klen = random_string(&seed, key, 1 + tu_rand(&seed) % (sizeof key - 1));
        bool compact = round % 2;
        if (!jw_utf8_ok(key, klen) || memchr(key, 0, klen) || memchr(s, 0, len))
            continue; /* jansson takes keys as C strings; NUL-free values keep the comparison simple */
        char *want = jansson_member(key, klen, s, len, compact);
        if (!want)
            continue;
        char *got = writer_member(key, klen, s, len, compact, jw_plain(key, klen));
        ck_assert_ptr_nonnull(got);
        ck_assert_str_eq(got, want);
        free(got);
        free(want);
        compared++;
    }
    ck_assert_int_gt(compared, 2000);
}
END_TEST

START_TEST(utf8_check_agrees_with_jansson)
{
    unsigned seed = 777u;
    char s[48];
    int valid = 0;
    for (int round = 0; round < 50000; round++) {
        size_t len = tu_rand(&seed) % sizeof s;
        for (size_t i = 0; i < len; i++)
            s[i] = (char)(tu_rand(&seed) % 3 ? pool[tu_rand(&seed) % sizeof pool] : 'a' + tu_rand(&seed) % 26);
        json_t *j = json_stringn(s, len);
        ck_assert_int_eq(jw_utf8_ok(s, len), j != NULL);
        valid += j != NULL;
        json_decref(j);
    }
    ck_assert_int_gt(valid, 100);
}
END_TEST

/* jw_member_str and jw_elem_str decide encoding and escapes in one pass:
 * the same member (or none, when jansson refuses the string) as jansson
 * gives, on strings that mix every kind of byte. */
START_TEST(member_strings_match_jansson)
{
    unsigned seed = 4242u;
    char s[80];
    int refused = 0, written = 0;
    for (int round = 0; round < 40000; round++) {
        size_t len = random_string(&seed, s, tu_rand(&seed) % (sizeof s - 1));
        for (size_t i = 0; i < len; i++)
            if (s[i] == 0)
                s[i] = '\n'; /* a C string: NUL becomes another byte to escape */
        s[len] = '\0';
        bool compact = round % 2;
        const char *key = round % 3 ? "k" : "k\"\t"; /* plain, or one to escape */
        char *want = jansson_member(key, strlen(key), s, len, compact);
        jw w;
        jw_init(&w, compact);
        jw_begin_object(&w);
        bool set = jw_member_str(&w, key, s);
        jw_end_object(&w);
        char *got = jw_finish(&w);
        ck_assert_ptr_nonnull(got);
        ck_assert_int_eq(set, want != NULL);
        ck_assert_str_eq(got, want ? want : "{}");
        jw_init(&w, compact); /* the same through the literal key's one-room path */
        jw_begin_object(&w);
        if (round % 3)
            ck_assert_int_eq(jw_member_str_lit(&w, JW_LIT("k"), s), set);
        else
            ck_assert_int_eq(jw_member_str(&w, key, s), set);
        jw_end_object(&w);
        char *lit = jw_finish(&w);
        ck_assert_ptr_nonnull(lit);
        ck_assert_str_eq(lit, got);
        free(lit);
        jw_init(&w, true);
        jw_begin_array(&w);
        jw_elem_str(&w, s);
        jw_end_array(&w);
        char *elem = jw_finish(&w);
        ck_assert_ptr_nonnull(elem);
        json_t *a = json_array();
        json_array_append_new(a, json_stringn(s, len)); /* refused: stays [] */
        char *want_elem = json_dumps(a, nb_json_dump_flags(true));
        json_decref(a);
        ck_assert_str_eq(elem, want_elem);
        free(want_elem);
        refused += !set;
        written += set;
        free(elem);
        free(got);
        free(want);
    }
    ck_assert_int_gt(refused, 1000);
    ck_assert_int_gt(written, 1000);
}
END_TEST

/* Long strings (from 48 bytes: nb_utf8_valid, then 16 bytes a store)
 * written as jansson writes them or refused as it refuses them: mostly
 * Chinese and ASCII, with a rare byte of the pool, so that some are
 * valid and some are not, escapes fall at every offset of the 16 and
 * tails have every length. */
START_TEST(long_strings_match_jansson)
{
    unsigned seed = 9090u;
    char s[720];
    int refused = 0, written = 0;
    for (int round = 0; round < 6000; round++) {
        size_t len = 40 + tu_rand(&seed) % 600, i = 0;
        unsigned rare = 20 + tu_rand(&seed) % 400; /* one pool byte in about this many */
        while (i < len) {
            unsigned k = tu_rand(&seed) % rare;
            if (k == 0)
                s[i++] = (char)pool[tu_rand(&seed) % sizeof pool];
            else if (k % 2 && i + 3 <= len) {
                memcpy(s + i, "\xE5\xB9\xB4", 3);
                i += 3;
            } else
                s[i++] = (char)('a' + tu_rand(&seed) % 26);
        }
        for (i = 0; i < len; i++)
            if (s[i] == 0)
                s[i] = '"';
        s[len] = '\0';
        bool compact = round % 2;
        char *want = jansson_member("k", 1, s, len, compact);
        jw w;
        jw_init(&w, compact);
        jw_begin_object(&w);
        jw_member_int(&w, "n", 1);
        bool set = round % 4 < 2 ? jw_member_str(&w, "k", s) /* a key checked, then the value */
                                 : jw_member_str_lit(&w, JW_LIT("k"), s); /* key and value at once */
        jw_end_object(&w);
        char *got = jw_finish(&w);
        ck_assert_ptr_nonnull(got);
        ck_assert_int_eq(set, want != NULL);
        if (want) { /* jansson's {"k": s} after the writer's first member */
            const char *first = compact ? "{\"n\":1," : "{\n  \"n\": 1,\n  ";
            size_t fl = strlen(first);
            ck_assert_int_eq(strncmp(got, first, fl), 0);
            ck_assert_str_eq(got + fl, want + (compact ? 1 : 4));
        } else {
            ck_assert_str_eq(got, compact ? "{\"n\":1}" : "{\n  \"n\": 1\n}");
        }
        refused += !set;
        written += set;
        free(got);
        free(want);
    }
    ck_assert_int_gt(refused, 500);
    ck_assert_int_gt(written, 500);
}
END_TEST

/* The one-pass check-and-copy between other members and elements: a
 * refused string takes back its key or its comma and line break, and
 * strings of nothing but escapes (each grows the text fivefold) or long
 * mixed ones come out as jansson writes them. */
START_TEST(strings_between_other_values_match_jansson)
{
    unsigned seed = 99u;
    char s[300];
    for (int round = 0; round < 20000; round++) {
        size_t len = tu_rand(&seed) % (sizeof s - 1);
        if (round % 5 == 0) {
            for (size_t i = 0; i < len; i++)
                s[i] = (char)(1 + tu_rand(&seed) % 0x1F); /* escapes only */
        } else {
            random_string(&seed, s, len);
            for (size_t i = 0; i < len; i++)
                if (s[i] == 0)
                    s[i] = '\t';
        }
        s[len] = '\0';
        bool compact = round % 2;
        json_t *o = json_object(), *a = json_array(), *v = json_stringn(s, len);
        json_object_set_new(o, "a", json_integer(1));
        json_array_append_new(a, json_integer(1));
        if (v) {
            json_object_set(o, "k", v);
            json_array_append(a, v);
            json_decref(v);
        }
        json_object_set_new(o, "b", json_integer(2));
        json_array_append_new(a, json_integer(2));
        char *want_o = json_dumps(o, nb_json_dump_flags(compact));
        char *want_a = json_dumps(a, nb_json_dump_flags(compact));
        json_decref(o);
        json_decref(a);
        jw w;
        jw_init(&w, compact);
        jw_begin_object(&w);
        jw_member_int_lit(&w, JW_LIT("a"), 1);
        ck_assert_int_eq(jw_member_str_lit(&w, JW_LIT("k"), s), v != NULL);
        jw_member_int_lit(&w, JW_LIT("b"), 2);
        jw_end_object(&w);
        char *got_o = jw_finish(&w);
        jw_init(&w, compact);
        jw_begin_array(&w);
        jw_int(&w, 1);
        jw_elem_str(&w, s);
        jw_int(&w, 2);
        jw_end_array(&w);
        char *got_a = jw_finish(&w);
        ck_assert_str_eq(got_o, want_o);
        ck_assert_str_eq(got_a, want_a);
        free(got_o);
        free(got_a);
        free(want_o);
        free(want_a);
    }
}
END_TEST

/* jw_value_texts16 writes what jw_value_text writes element by element:
 * both layouts, empty pieces skipped, pieces of every length around the
 * 16-byte chunk, into an empty array and after other elements. */
START_TEST(batched_value_texts_match_one_by_one)
{
    unsigned seed = 5u;
    char s[4096 + 16];
    size_t at[101], ix[100];
    for (int round = 0; round < 2000; round++) {
        size_t np = 1 + tu_rand(&seed) % 100, len = 0;
        for (size_t i = 0; i < np; i++) {
            at[i] = len;
            size_t n = tu_rand(&seed) % 5 == 0 ? 0 : tu_rand(&seed) % 40;
            for (size_t k = 0; k < n; k++)
                s[len + k] = (char)('a' + tu_rand(&seed) % 26);
            len += n;
        }
        at[np] = len;
        memset(s + len, 0, 16); /* the padding the precondition asks for */
        size_t n = tu_rand(&seed) % (np + 1);
        for (size_t i = 0; i < n; i++)
            ix[i] = tu_rand(&seed) % np;
        bool compact = round % 2, lead = round % 3 == 0;
        jw a, b;
        jw_init(&a, compact);
        jw_init(&b, compact);
        jw_begin_array(&a);
        jw_begin_array(&b);
        if (lead) {
            jw_int(&a, 7);
            jw_int(&b, 7);
        }
        for (size_t i = 0; i < n; i++)
            if (at[ix[i] + 1] > at[ix[i]])
                jw_value_text(&a, s + at[ix[i]], at[ix[i] + 1] - at[ix[i]]);
        jw_value_texts16(&b, s, at, ix, n, 39);
        jw_int(&a, 8);
        jw_int(&b, 8);
        jw_end_array(&a);
        jw_end_array(&b);
        same_text(&a, &b);
    }
}
END_TEST

START_TEST(plain_means_no_escape)
{
    ck_assert(jw_plain("natural_person", 14));
    ck_assert(jw_plain("\xE4\xB8\xAD\xE6\x96\x87 text / more", 18));
    ck_assert(jw_plain("", 0));
    ck_assert(!jw_plain("abcdefgh\"", 9));
    ck_assert(!jw_plain("abcdefghijklmno\\", 16));
    ck_assert(!jw_plain("a\nb", 3));
    ck_assert(!jw_plain("abcdefgh\x1F", 9));
    ck_assert(jw_plain("abcdefgh\x7F", 9));
}
END_TEST

/* {"t": {"a": 1, "b": {"c": "x"}, "d": []}, "n": 2} step by step. */
static char *document_by_steps(bool compact)
{
    jw w;
    jw_init(&w, compact);
    jw_begin_object(&w);
    jw_key(&w, "t");
    jw_begin_object(&w);
    jw_key(&w, "a");
    jw_int(&w, 1);
    jw_key(&w, "b");
    jw_begin_object(&w);
    jw_key(&w, "c");
    jw_str(&w, "x", 1);
    jw_end_object(&w);
    jw_key(&w, "d");
    jw_begin_array(&w);
    jw_end_array(&w);
    jw_end_object(&w);
    jw_key(&w, "n");
    jw_int(&w, 2);
    jw_end_object(&w);
    return jw_finish(&w);
}

/* The same with "t" laid out apart, holes for its values, then spliced. */
static char *document_spliced(bool compact)
{
    jw p;
    jw_init_member(&p, compact, 1);
    size_t cut[3], n = 0;
    jw_begin_object(&p);
    jw_key(&p, "a");
    cut[n++] = p.len;
    jw_hole(&p);
    jw_key(&p, "b");
    jw_begin_object(&p);
    jw_key(&p, "c");
    cut[n++] = p.len;
    jw_hole(&p);
    jw_end_object(&p);
    jw_key(&p, "d");
    jw_begin_array(&p);
    jw_end_array(&p);
    jw_end_object(&p);
    cut[n++] = p.len;
    ck_assert(!p.failed);
    ck_assert_int_eq(p.depth, 1);
    jw w;
    jw_init(&w, compact);
    jw_begin_object(&w);
    jw_key(&w, "t");
    char *o = jw_room(&w, cut[0] + 20); /* the text and an integer in place */
    memcpy(o, p.buf, cut[0]);
    jw_wrote(&w, jw_digits(o + cut[0], 1), false);
    jw_splice(&w, p.buf + cut[0], cut[1] - cut[0], true);
    jw_mark m = jw_here(&w);
    ck_assert(!jw_str_valid(&w, "\xC0\x80", 2)); /* refused: nothing written */
    jw_int(&w, 77);
    jw_back(&w, m);
    ck_assert(jw_str_valid(&w, "x", 1));
    jw_splice(&w, p.buf + cut[1], cut[2] - cut[1], false);
    jw_key(&w, "n");
    jw_int(&w, 2);
    jw_end_object(&w);
    jw_free(&p);
    return jw_finish(&w);
}

START_TEST(spliced_text_is_the_step_by_step_text)
{
    for (int compact = 0; compact < 2; compact++) {
        char *a = document_by_steps(compact), *b = document_spliced(compact);
        ck_assert_ptr_nonnull(a);
        ck_assert_str_eq(a, b);
        free(a);
        free(b);
    }
}
END_TEST

/* jw_digits writes what jw_int writes (both sides of 10 and 100, signs). */
START_TEST(digits_are_jw_int_digits)
{
    static const int64_t v[] = {0, 7, 9, 10, 42, 99, 100, 101, 12345, -1, -10, -99, INT64_MAX, INT64_MIN};
    for (size_t i = 0; i < sizeof v / sizeof *v; i++) {
        char want[32], got[32];
        snprintf(want, sizeof want, "%lld", (long long)v[i]);
        *jw_digits(got, v[i]) = '\0';
        ck_assert_str_eq(got, want);
    }
}
END_TEST

START_TEST(value_text_takes_an_element_place)
{
    for (int compact = 0; compact < 2; compact++) {
        jw w;
        jw_init(&w, compact);
        jw_begin_array(&w);
        jw_value_text(&w, "\"a.b\"", 5);
        jw_value_text(&w, "\"c\"", 3);
        jw_end_array(&w);
        char *s = jw_finish(&w);
        ck_assert_str_eq(s, compact ? "[\"a.b\",\"c\"]" : "[\n  \"a.b\",\n  \"c\"\n]");
        free(s);
    }
}
END_TEST

/* The _lit members give the bytes of the checked ones, dropping the same. */
static char *members(bool compact, bool lit)
{
    static const char *const values[] = {"v", NULL, "\xC0\x80", "a\nb", ""};
    jw w;
    jw_init(&w, compact);
    jw_begin_object(&w);
    for (size_t i = 0; i < sizeof values / sizeof *values; i++) {
        if (lit) {
            ck_assert_int_eq(jw_member_str_lit(&w, JW_LIT("s"), values[i]), values[i] && i != 2);
            jw_member_str_or_null_lit(&w, JW_LIT("n"), values[i]);
            jw_member_int_lit(&w, JW_LIT("i"), (int64_t)i - 2);
        } else {
            ck_assert_int_eq(jw_member_str(&w, "s", values[i]), values[i] && i != 2);
            jw_member_str_or_null(&w, "n", values[i]);
            jw_member_int(&w, "i", (int64_t)i - 2);
        }
    }
    static const int64_t wide[] = {INT64_MIN, INT64_MAX, 99, 100, -10};
    for (size_t i = 0; i < sizeof wide / sizeof *wide; i++) { /* every length of digits' room */
        if (lit)
            jw_member_int_lit(&w, JW_LIT("a_longer_key_than_16"), wide[i]);
        else
            jw_member_int(&w, "a_longer_key_than_16", wide[i]);
    }
    jw_end_object(&w);
    return jw_finish(&w);
}

START_TEST(literal_keys_write_as_checked_keys)
{
    for (int compact = 0; compact < 2; compact++) {
        char *a = members(compact, false), *b = members(compact, true);
        ck_assert_ptr_nonnull(a);
        ck_assert_str_eq(a, b);
        ck_assert_ptr_nonnull(strstr(a, compact ? "\"n\":null,\"i\":-1" : "\"n\": null,\n  \"i\": -1"));
        free(a);
        free(b);
    }
}
END_TEST

/* jw_member_piece after a caller's own piece writes what the member calls
 * write: strings of ASCII, Chinese, escapes and invalid bytes (refused:
 * nothing written), short and past the wide path's 48 bytes, and NULL
 * (null), in both layouts. */
START_TEST(member_piece_writes_as_member_calls)
{
    static const tu_piece parts[] = {TU_PIECE("ab"), TU_PIECE("\xE4\xB8\xAD\xE6\x96\x87"),
                                     TU_PIECE("\"\\\n\x01"), TU_PIECE("0123456789abcdef"),
                                     TU_PIECE("\xED\xA0\x80"), TU_PIECE("\xC0\xAF"),
                                     TU_PIECE("\xF0\x9F\x98\x80"), TU_PIECE("/")};
    unsigned seed = 1414u;
    char s[400];
    for (int round = 0; round < 4000; round++) {
        size_t len = 0, n = tu_rand(&seed) % 12;
        bool bad = round % 3 == 0;
        for (size_t i = 0; i < n; i++) {
            const tu_piece *p = &parts[tu_rand(&seed) % (sizeof parts / sizeof *parts - (bad ? 0 : 3))];
            memcpy(s + len, p->s, p->n);
            len += p->n;
        }
        s[len] = '\0';
        const char *v = round % 7 == 0 ? NULL : s;
        bool compact = round % 2;
        jw a, b;
        jw_init(&a, compact);
        jw_init(&b, compact);
        jw_begin_object(&a);
        jw_begin_object(&b);
        jw_member_int_lit(&a, JW_LIT("a"), 1);
        jw_member_int_lit(&b, JW_LIT("a"), 1);
        bool kept = !v || jw_member_str_lit(&a, JW_LIT("k"), v);
        if (!v)
            jw_member_str_or_null_lit(&a, JW_LIT("k"), v);
        const char *piece = compact ? ",\"k\":" : ",\n  \"k\": ";
        ck_assert_int_eq(jw_member_piece(&b, piece, strlen(piece), v), kept);
        jw_member_int_lit(&a, JW_LIT("b"), 2);
        jw_member_int_lit(&b, JW_LIT("b"), 2);
        jw_end_object(&a);
        jw_end_object(&b);
        same_text(&a, &b);
    }
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("json_writer");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, strings_are_escaped_as_jansson_escapes_them);
    tcase_add_test(tc, utf8_check_agrees_with_jansson);
    tcase_add_test(tc, plain_means_no_escape);
    tcase_add_test(tc, member_strings_match_jansson);
    tcase_add_test(tc, long_strings_match_jansson);
    tcase_add_test(tc, strings_between_other_values_match_jansson);
    tcase_add_test(tc, spliced_text_is_the_step_by_step_text);
    tcase_add_test(tc, value_text_takes_an_element_place);
    tcase_add_test(tc, batched_value_texts_match_one_by_one);
    tcase_add_test(tc, literal_keys_write_as_checked_keys);
    tcase_add_test(tc, digits_are_jw_int_digits);
    tcase_add_test(tc, member_piece_writes_as_member_calls);
    suite_add_tcase(s, tc);
    return s;
}

int main(void) { return tu_main(suite()); }
