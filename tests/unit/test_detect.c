/* test_detect.c - content detection: the PDF header is found wherever it
 * sits in the first kilobyte, after any number of other '%' signs, and
 * not past it; the memchr walk agrees with a memcmp at every offset. */
#include "detect.h"
#include "testutil.h"
#include <check.h>
#include <string.h>

/* The plain rule: "%PDF-" starting in the first 1024 bytes of head. */
static bool plain_pdf(const unsigned char *h, size_t len)
{
    size_t lim = len < 1024 ? len : 1024;
    for (size_t i = 0; i + 5 <= lim; i++)
        if (!memcmp(h + i, "%PDF-", 5))
            return true;
    return false;
}

START_TEST(pdf_header_anywhere_in_first_kilobyte)
{
    unsigned char h[1400];
    unsigned x = 7;
    for (size_t at = 0; at + 5 <= sizeof h; at += 3)
        for (int fill = 0; fill < 3; fill++) {
            for (size_t i = 0; i < sizeof h; i++) /* text, many '%', or "%PDF" without the dash */
                h[i] = fill == 0 ? (unsigned char)('a' + tu_rand(&x) % 26)
                       : fill == 1 ? (unsigned char)"%P%%"[i % 4] : (unsigned char)"%PDF"[i % 4];
            memcpy(h + at, "%PDF-", 5);
            for (size_t len = at; len <= at + 6 && len <= sizeof h; len++) {
                bool want = plain_pdf(h, len);
                ck_assert_msg((nb_detect_kind(h, len, "x") == NB_KIND_PDF) == want, "at %zu len %zu fill %d",
                              at, len, fill);
            }
            bool want = plain_pdf(h, sizeof h);
            ck_assert_int_eq(want, at + 5 <= 1024);
            ck_assert_int_eq(nb_detect_kind(h, sizeof h, "x") == NB_KIND_PDF, want);
        }
}
END_TEST

START_TEST(pdf_cut_at_the_end)
{
    ck_assert_int_ne(nb_detect_kind((const unsigned char *)"abc%PDF", 7, "x"), NB_KIND_PDF);
    ck_assert_int_ne(nb_detect_kind((const unsigned char *)"%", 1, "x"), NB_KIND_PDF);
    ck_assert_int_ne(nb_detect_kind((const unsigned char *)"", 0, "x"), NB_KIND_PDF);
    ck_assert_int_eq(nb_detect_kind((const unsigned char *)"%%PDF-1.7", 9, "x"), NB_KIND_PDF);
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("detect");
    TCase *tc = tcase_create("pdf");
    tcase_add_test(tc, pdf_header_anywhere_in_first_kilobyte);
    tcase_add_test(tc, pdf_cut_at_the_end);
    suite_add_tcase(s, tc);
    return s;
}

int main(void) { return tu_main(suite()); }
