/* test_recognise_meta.c - the title/date reader's helpers
 * (recognise_meta.c): rc_ascii_copy copies runs of bytes instead of
 * decoding every character, and must write what the character-by-character
 * copy wrote on any bytes, valid UTF-8 or not; the publication date is
 * found on the preamble's text before any copy is made. */
#include "testutil.h"
#include "recognise_internal.h"
#include <stdlib.h>
#include <string.h>

/* The copy as it was written before: one decoded character at a time. */
static char *ref_ascii_copy(const char *s, bool squeeze)
{
    size_t len = strlen(s), o = 0;
    char *out = malloc(len + 1);
    for (size_t i = 0; out && i < len;) {
        uint32_t c;
        size_t n = nb_utf8_next(s + i, len - i, &c);
        if ((c >= 0xFF10 && c <= 0xFF19) || c == 0xFF0D || c == 0xFF0E || c == 0xFF0F)
            out[o++] = (char)(c - 0xFEE0);
        else if (!squeeze || !(c == ' ' || c == '\t' || c == 0xA0 || c == 0x3000 || c == '\f' || c == '\r')) {
            memcpy(out + o, s + i, n);
            o += n;
        }
        i += n;
    }
    if (out)
        out[o] = '\0';
    return out;
}

/* Pieces: what the copy changes, near misses of them, broken sequences. */
static const char *const PIECES[] = {
    "a", "7", " ", "\t", "\f", "\r", "\n", "-", "年",
    "\xef\xbc\x90", "\xef\xbc\x99", "\xef\xbc\x8d", "\xef\xbc\x8f", /* ０ ９ － ／ */
    "\xef\xbc\x8c", "\xef\xbc\x9a", "\xef\xbd\x90",                 /* ， ： ｐ: kept */
    "\xc2\xa0", "\xe3\x80\x80", "\xe3\x80\x81",                     /* NBSP, U+3000, 、 */
    "\xef", "\xef\xbc", "\xbc", "\x90", "\xc2", "\xe3\x80", "\xe4", "\xf0\x9f\x98\x80", "\xff"};

START_TEST(ascii_copy_matches_decoding_copy)
{
    unsigned seed = 777u + (unsigned)_i;
    for (int round = 0; round < 2000; round++) {
        char s[160];
        size_t len = 0, want = tu_rand(&seed) % 40;
        while (len < want) {
            const char *p = PIECES[tu_rand(&seed) % (sizeof PIECES / sizeof *PIECES)];
            memcpy(s + len, p, strlen(p));
            len += strlen(p);
        }
        s[len] = '\0';
        for (int sq = 0; sq < 2; sq++) {
            char *got = rc_ascii_copy(s, sq), *want_s = ref_ascii_copy(s, sq);
            ck_assert_str_eq(got, want_s);
            free(got);
            free(want_s);
        }
    }
}
END_TEST

START_TEST(ascii_copy_examples)
{
    char *c = rc_ascii_copy("２０２４－０１－２６ 11:11", false);
    ck_assert_str_eq(c, "2024-01-26 11:11");
    free(c);
    c = rc_ascii_copy("ＸＸ局\xe3\x80\x80 ２０２３年\xc2\xa0报告", true);
    ck_assert_str_eq(c, "ＸＸ局2023年报告");
    free(c);
}
END_TEST

/* The date label is found on the preamble's own text; the date itself is
 * read from the copy (full-width digits). */
START_TEST(published_date_from_labelled_line)
{
    const char *text = "XX市XX局2023年政府信息公开工作年度报告\n"
                       "来源：XX局\n"
                       "发布日期：２０２４年１月２６日\n"
                       "一、总体情况\n本年度工作有序开展。\n"
                       "二、主动公开政府信息情况\n";
    nb_error err;
    nb_error_clear(&err);
    nb_report *r = tu_recognise_text(text, &err);
    ck_assert_msg(r != NULL, "%s", err.text);
    ck_assert_pstr_eq(r->published, "2024-01-26");
    ck_assert_int_eq(r->year, 2023);
    nb_report_free(r);
}
END_TEST

static Suite *meta_suite(void)
{
    Suite *s = suite_create("recognise_meta");
    TCase *tc = tcase_create("meta");
    tcase_add_loop_test(tc, ascii_copy_matches_decoding_copy, 0, 8);
    tcase_add_test(tc, ascii_copy_examples);
    tcase_add_test(tc, published_date_from_labelled_line);
    suite_add_tcase(s, tc);
    return s;
}

int main(void) { return tu_main(meta_suite()); }
