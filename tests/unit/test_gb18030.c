/* test_gb18030.c - GB18030 to UTF-8 with ASCII runs copied past iconv
 * (text_gb18030.c) against one iconv call over the whole input: the same
 * output, or the same error at the same byte, on random mixes of ASCII,
 * two- and four-byte characters, second bytes in the ASCII range, bytes
 * GB18030 never uses as leads and truncated characters; and the two-byte
 * table generated at build time against iconv asked now. */
#include "text_internal.h"
#include "testutil.h"
#include "text_gb18030_table.h"
#include "text_gb18030_data.h"
#include <check.h>
#include <errno.h>
#include <iconv.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The reference: one iconv call (growing the output), as nb_text_convert
 * did before the fast path.  Returns the output, or NULL with *bad set. */
static char *reference(const char *in, size_t len, size_t *outlen, size_t *bad)
{
    iconv_t cd = iconv_open("UTF-8", "GB18030");
    ck_assert(cd != (iconv_t)-1);
    size_t cap = len * 4 + 16;
    char *buf = malloc(cap + 1), *ip = (char *)in, *op = buf;
    size_t il = len, ol = cap;
    ck_assert_ptr_nonnull(buf);
    while (il > 0)
        if (iconv(cd, &ip, &il, &op, &ol) == (size_t)-1) {
            ck_assert_int_ne(errno, E2BIG); /* cap is enough */
            *bad = (size_t)(ip - in);
            free(buf);
            iconv_close(cd);
            return NULL;
        }
    iconv_close(cd);
    *outlen = (size_t)(op - buf);
    return buf;
}

static unsigned next(unsigned *x) { return (*x = *x * 1103515245u + 12345u) >> 16; }

/* One random piece: mostly what reports hold, sometimes damage. */
static size_t piece(unsigned *x, unsigned char *o, bool damage)
{
    unsigned r = next(x) % 100;
    if (r < 35) { /* an ASCII run, sometimes long */
        size_t n = 1 + next(x) % (next(x) % 4 == 0 ? 40 : 4);
        for (size_t i = 0; i < n; i++)
            o[i] = (unsigned char)(next(x) % 3 == 0 ? '\n' : 0x20 + next(x) % 0x5F);
        return n;
    }
    if (r < 80) { /* two bytes, second from 0x40-0xFE (ASCII ones included) */
        o[0] = (unsigned char)(0x81 + next(x) % 0x7E);
        o[1] = (unsigned char)(0x40 + next(x) % 0xBF);
        return 2;
    }
    if (r < 90) { /* four bytes */
        o[0] = (unsigned char)(0x81 + next(x) % (next(x) % 2 ? 4 : 0x7E));
        o[1] = (unsigned char)(0x30 + next(x) % 10);
        o[2] = (unsigned char)(0x81 + next(x) % 0x7E);
        o[3] = (unsigned char)(0x30 + next(x) % 10);
        return 4;
    }
    if (!damage) {
        o[0] = (unsigned char)(0xB0 + next(x) % 0x40);
        o[1] = (unsigned char)(0xA1 + next(x) % 0x5E);
        return 2;
    }
    static const unsigned char odd[] = {0x80, 0xFF, 0x81, 0xFE, 0x7F, 0x0A, 0x30};
    o[0] = odd[next(x) % sizeof odd];
    return 1;
}

static void compare(const unsigned char *in, size_t len)
{
    size_t rlen = 0, rbad = 0, flen = 0;
    char *ref = reference((const char *)in, len, &rlen, &rbad), *fast = NULL;
    nb_error err;
    nb_error_clear(&err);
    nb_status st = nb_text_convert("GB18030", "UTF-8", (const char *)in, len, &fast, &flen, &err);
    if (ref) {
        ck_assert_int_eq(st, NB_OK);
        ck_assert_uint_eq(flen, rlen);
        ck_assert(memcmp(fast, ref, rlen) == 0);
        ck_assert_int_eq(fast[flen], '\0');
        free(fast);
        free(ref);
        return;
    }
    char want[96];
    snprintf(want, sizeof want, "not valid GB18030 at byte %zu", rbad);
    ck_assert_int_eq(st, NB_FAILED);
    ck_assert_int_eq(err.cls, NB_E_DATA);
    ck_assert_str_eq(err.text, want);
}

START_TEST(random_text_agrees_with_iconv)
{
    unsigned char buf[4096];
    unsigned x = 20261130u;
    size_t failed = 0;
    for (int round = 0; round < 4000; round++) {
        bool damage = round % 3 == 0;
        size_t n = 0, want = next(&x) % 600;
        while (n < want)
            n += piece(&x, buf + n, damage);
        /* sometimes cut the last character short */
        if (round % 7 == 0 && n > 0)
            n--;
        compare(buf, n);
        size_t bad;
        size_t l;
        char *r = reference((const char *)buf, n, &l, &bad);
        failed += r == NULL;
        free(r);
    }
    /* both outcomes were exercised */
    ck_assert_uint_gt(failed, 100);
    ck_assert_uint_lt(failed, 3900);
}
END_TEST

START_TEST(edges)
{
    static const char *const cases[] = {
        "", "a", "\x81", "\xB0\xA1", "\xB0\x41\n", "abc\xB0", "\x81\x30", "\x81\x30\x81", "\x81\x30\x81\x30",
        "\x80", "\xFF", "\xB0\xA1\x80xyz", "0123456789abcdefghij\xB0\xA1", "\xB0\xA1 0123456789abcdefghij\xB0",
        "\xB0\x0A", "x\xFE\xFE\xFE",
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++)
        compare((const unsigned char *)cases[i], strlen(cases[i]));
}
END_TEST

/* Whether the character in[0..len) alone converts. */
static bool valid_alone(const unsigned char *in, size_t len)
{
    size_t l, bad;
    char *r = reference((const char *)in, len, &l, &bad);
    free(r);
    return r != NULL;
}

/* Every valid two-byte code once, and again in reverse (the table of
 * distinct characters grows to tens of thousands), then the four-byte
 * codes of two leads, with ASCII between some of them. */
START_TEST(every_code_agrees_with_iconv)
{
    size_t cap = 200000, n = 0;
    unsigned char *buf = malloc(cap), c[4];
    ck_assert_ptr_nonnull(buf);
    for (unsigned lead = 0x81; lead <= 0xFE; lead++)
        for (unsigned trail = 0x40; trail <= 0xFE; trail++) {
            c[0] = (unsigned char)lead, c[1] = (unsigned char)trail;
            if (!valid_alone(c, 2))
                continue;
            memcpy(buf + n, c, 2);
            n += 2;
            if (trail % 37 == 0)
                buf[n++] = 'x';
        }
    size_t half = n;
    ck_assert_uint_gt(half, 40000);
    compare(buf, n);
    for (size_t i = half; i >= 2 && n + 2 < cap; i -= 2) /* the same bytes backwards, pairs cut apart */
        buf[n++] = buf[i - 1];
    compare(buf, n);
    n = 0;
    for (unsigned b1 = 0x81; b1 <= 0x82; b1++)
        for (unsigned b2 = 0x30; b2 <= 0x39; b2++)
            for (unsigned b3 = 0x81; b3 <= 0xFE; b3++)
                for (unsigned b4 = 0x30; b4 <= 0x39; b4++) {
                    c[0] = (unsigned char)b1, c[1] = (unsigned char)b2, c[2] = (unsigned char)b3,
                    c[3] = (unsigned char)b4;
                    if (valid_alone(c, 4)) {
                        memcpy(buf + n, c, 4);
                        n += 4;
                    }
                }
    ck_assert_uint_gt(n, 40000);
    compare(buf, n);
    free(buf);
}
END_TEST

/* Reports: a few hundred characters, each many times, in long texts; and
 * one bad byte at every place of a short one. */
START_TEST(repeated_characters_agree_with_iconv)
{
    unsigned char alpha[300][2], buf[20000];
    unsigned x = 4242u;
    for (size_t i = 0; i < 300; i++)
        alpha[i][0] = (unsigned char)(0xB0 + next(&x) % 0x40), alpha[i][1] = (unsigned char)(0xA1 + next(&x) % 0x5E);
    for (int round = 0; round < 40; round++) {
        size_t n = 0, want = 500 + next(&x) % 19000;
        while (n + 2 <= want) {
            if (next(&x) % 4 == 0)
                buf[n++] = (unsigned char)(next(&x) % 2 ? '\n' : '0' + next(&x) % 10);
            else {
                memcpy(buf + n, alpha[next(&x) % (round % 2 ? 300 : 20)], 2);
                n += 2;
            }
        }
        compare(buf, n);
        if (round < 4)
            for (size_t at = 0; at < 200; at++) {
                unsigned char keep = buf[at];
                buf[at] = at % 2 ? 0x80 : 0xFF;
                compare(buf, 200);
                buf[at] = keep;
            }
    }
}
END_TEST

/* Every entry of the build's table against a fresh converter asked now:
 * a table built against another iconv than this one fails here.  An
 * entry holds the pair's UTF-8 and its length when iconv gives exactly
 * one code point of at most three bytes, GB_REFUSED otherwise. */
START_TEST(table_agrees_with_iconv_now)
{
    size_t kept = 0;
    for (unsigned l = 0; l < GB_LEADS; l++)
        for (unsigned t = 0; t < GB_TRAILS; t++) {
            iconv_t cd = iconv_open("UTF-8", "GB18030");
            ck_assert(cd != (iconv_t)-1);
            unsigned char in[2] = {(unsigned char)(0x81 + l), (unsigned char)(0x40 + t)}, out[16];
            char *ip = (char *)in, *op = (char *)out;
            size_t il = 2, ol = sizeof out;
            bool whole = iconv(cd, &ip, &il, &op, &ol) != (size_t)-1 && il == 0;
            iconv_close(cd);
            size_t n = (size_t)(op - (char *)out), starts = 0;
            for (size_t b = 0; b < n; b++)
                starts += (out[b] & 0xC0) != 0x80;
            uint32_t want = GB_REFUSED;
            if (whole && starts == 1 && (out[0] & 0xC0) != 0x80 && n >= 1 && n <= 3) {
                want = (uint32_t)n << 24;
                for (size_t b = 0; b < n; b++)
                    want |= (uint32_t)out[b] << (8 * b);
                kept++;
            }
            ck_assert_msg(nb_gb18030_pairs[l][t] == want, "pair %02X %02X: table %08X, iconv %08X", 0x81 + l,
                          0x40 + t, (unsigned)nb_gb18030_pairs[l][t], (unsigned)want);
        }
    ck_assert_uint_gt(kept, 20000); /* GBK alone has some 21 800 */
    ck_assert_uint_lt(kept, GB_LEADS * GB_TRAILS);
}
END_TEST

typedef struct gb_job {
    const unsigned char *in;
    size_t len;
    const char *want;
    size_t want_len;
    int same; /* runs that gave want */
} gb_job;

static void *decode_many(void *arg)
{
    gb_job *j = arg;
    for (int r = 0; r < 20; r++) {
        char *out = NULL;
        size_t n = 0;
        nb_error err;
        nb_error_clear(&err);
        if (nb_text_convert("GB18030", "UTF-8", (const char *)j->in, j->len, &out, &n, &err) == NB_OK &&
            n == j->want_len && memcmp(out, j->want, n) == 0)
            j->same++;
        free(out);
    }
    return NULL;
}

/* Threads decoding at once (the workers of -j N): the table is const and
 * each decode has its own converter, so every thread gets iconv's bytes. */
START_TEST(threads_decode_alike)
{
    static unsigned char in[8000];
    size_t n = 0;
    for (unsigned lead = 0xB0; n + 3 <= sizeof in; lead = lead == 0xF7 ? 0xB0 : lead + 1) {
        in[n] = (unsigned char)lead;
        in[n + 1] = (unsigned char)(0xA1 + (n * 7) % 0x5E);
        n += 2;
        if (lead % 5 == 0)
            in[n++] = ' ';
    }
    size_t wlen = 0, bad = 0;
    char *want = reference((const char *)in, n, &wlen, &bad);
    ck_assert_ptr_nonnull(want);
    pthread_t t[4];
    gb_job jobs[4];
    for (int i = 0; i < 4; i++) {
        jobs[i] = (gb_job){in, n, want, wlen, 0};
        ck_assert_int_eq(pthread_create(&t[i], NULL, decode_many, &jobs[i]), 0);
    }
    for (int i = 0; i < 4; i++) {
        pthread_join(t[i], NULL);
        ck_assert_int_eq(jobs[i].same, 20);
    }
    free(want);
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("gb18030");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, edges);
    tcase_add_test(tc, random_text_agrees_with_iconv);
    tcase_add_test(tc, every_code_agrees_with_iconv);
    tcase_add_test(tc, repeated_characters_agree_with_iconv);
    tcase_add_test(tc, threads_decode_alike);
    tcase_add_test(tc, table_agrees_with_iconv_now);
    suite_add_tcase(s, tc);
    return s;
}

int main(void) { return tu_main(suite()); }
