/* test_utf8_simd.c - the 16- and 32-bytes-at-a-time UTF-8 validators against
 * the plain definition (nb_utf8_next finds no bad byte): every two- and
 * three-byte sequence, four-byte ones by their first two bytes, each
 * across a block boundary and cut at the end; random mixes of good and bad
 * forms at every length; one bad byte at every place of a long text. */
#include "utf8_simd.h"
#include "testutil.h"
#include <check.h>
#include <stdlib.h>
#include <string.h>

#if NB_UTF8_SIMD
static bool plain(const unsigned char *s, size_t len)
{
    for (size_t i = 0; i < len;) {
        uint32_t cp;
        size_t n = nb_utf8_next((const char *)s + i, len - i, &cp);
        if (cp == 0xFFFD && n == 1)
            return false;
        i += n;
    }
    return true;
}

static void agree(const unsigned char *s, size_t len)
{
    bool want = plain(s, len);
    ck_assert_msg(nb_utf8_valid_simd((const char *)s, len) == want, "len %zu: %s expected", len,
                  want ? "valid" : "invalid");
    if (nb_utf8_avx2_ok())
        ck_assert_msg(nb_utf8_valid_avx2((const char *)s, len) == want, "avx2, len %zu: %s expected", len,
                      want ? "valid" : "invalid");
    ck_assert_int_eq(nb_utf8_valid((const char *)s, len), want);
}

/* seq at offset at of an ASCII buffer, whole and cut at every byte. */
static void place(const unsigned char *seq, size_t n, size_t at)
{
    unsigned char buf[64];
    memset(buf, 'a', sizeof buf);
    memcpy(buf + at, seq, n);
    agree(buf, at + n + 5);
    for (size_t k = 0; k <= n; k++)
        agree(buf, at + k);
}

#define SKIP_WITHOUT_SIMD()                                   \
    do {                                                      \
        if (!nb_utf8_simd_ok())                               \
            return; /* the plain walk is the only one here */ \
    } while (0)

/* Bytes where the classes change: ASCII, each continuation range, leads. */
static const unsigned char edges[] = {0x00, 0x41, 0x7F, 0x80, 0x8F, 0x90, 0x9F, 0xA0, 0xBF, 0xC0, 0xC2, 0xE0, 0xF0, 0xFF};

START_TEST(every_short_sequence)
{
    SKIP_WITHOUT_SIMD();
    unsigned char s[4];
    for (unsigned a = 0x80; a <= 0xFF; a++)
        for (unsigned b = 0; b <= 0xFF; b++) {
            s[0] = (unsigned char)a, s[1] = (unsigned char)b;
            place(s, 2, 15); /* across the end of the first block of 16, and of 32 */
            place(s, 2, 31);
            place(s, 2, 3);
            if (a < 0xE0 || b < 0x70 || b > 0xD0) /* past these, b is ASCII or a lead as above */
                continue;
            bool b_edge = memchr(edges, (int)b, sizeof edges) != NULL;
            for (size_t c = 0; c < sizeof edges; c++) {
                s[2] = edges[c];
                place(s, 3, 14);
                place(s, 3, 30);
                if (a >= 0xF0 && b_edge) /* four bytes: the second byte's edges suffice */
                    for (size_t d = 0; d < sizeof edges; d++) {
                        s[3] = edges[d];
                        place(s, 4, 13);
                        place(s, 4, 29);
                    }
            }
        }
}
END_TEST


static size_t piece(unsigned *x, unsigned char *o)
{
    static const unsigned char *const forms[] = {
        (const unsigned char *)"a", (const unsigned char *)"\n", (const unsigned char *)"\xC2\xA9",
        (const unsigned char *)"\xE4\xB8\xAD", (const unsigned char *)"\xEF\xBC\x8C",
        (const unsigned char *)"\xF0\x9F\x98\x80", (const unsigned char *)"\xED\x9F\xBF",
        (const unsigned char *)"\xF4\x8F\xBF\xBF",
        /* bad ones */
        (const unsigned char *)"\xC0\xAF", (const unsigned char *)"\xE0\x9F\xBF", (const unsigned char *)"\xED\xA0\x80",
        (const unsigned char *)"\xF4\x90\x80\x80", (const unsigned char *)"\xF5\x80\x80\x80", (const unsigned char *)"\x80",
        (const unsigned char *)"\xE4\xB8", (const unsigned char *)"\xFF", (const unsigned char *)"\xF0\x8F\xBF\xBF"};
    unsigned r = tu_rand(x) % 1000;
    size_t k = r < 990 ? tu_rand(x) % 8 : 8 + tu_rand(x) % 9;
    size_t n = strlen((const char *)forms[k]);
    memcpy(o, forms[k], n);
    return n;
}

START_TEST(random_mixes)
{
    SKIP_WITHOUT_SIMD();
    unsigned char buf[700];
    unsigned x = 99u;
    for (int round = 0; round < 5000; round++) {
        size_t n = 0, want = tu_rand(&x) % 600;
        while (n < want)
            n += piece(&x, buf + n);
        agree(buf, n);
        if (n > 0)
            agree(buf + 1, n - 1); /* another alignment, maybe a stray continuation */
    }
}
END_TEST

START_TEST(one_bad_byte_anywhere)
{
    SKIP_WITHOUT_SIMD();
    unsigned char buf[1200];
    size_t n = 0;
    while (n + 3 <= sizeof buf) { /* 中 and a digit, as reports go */
        memcpy(buf + n, n % 9 == 0 ? "1\xE4\xB8" : "\xAD\xE4\xB8", 3);
        n += 3;
    }
    n -= n % 3;
    for (size_t at = 0; at < n; at++)
        for (int k = 0; k < 3; k++) {
            unsigned char keep = buf[at];
            buf[at] = (unsigned char)(k == 0 ? 0x80 : k == 1 ? 0xFF : 'x');
            agree(buf, n);
            buf[at] = keep;
        }
    agree(buf, n);
    ck_assert(nb_utf8_valid_simd(NULL, 0));
    if (nb_utf8_avx2_ok())
        ck_assert(nb_utf8_valid_avx2(NULL, 0));
}
END_TEST
#endif

static Suite *suite(void)
{
    Suite *s = suite_create("utf8_simd");
    TCase *tc = tcase_create("core");
    tcase_set_timeout(tc, 300);
#if NB_UTF8_SIMD
    tcase_add_test(tc, every_short_sequence);
    tcase_add_test(tc, random_mixes);
    tcase_add_test(tc, one_bad_byte_anywhere);
#endif
    suite_add_tcase(s, tc);
    return s;
}

int main(void) { return tu_main(suite()); }
