/* test_num_format.c - nb_num_format writes its digits itself: the same
 * text, truncation and result as the snprintf formats it replaced, on
 * random values, scales and buffer sizes. */
#include "testutil.h"
#include "nianbao/report.h"
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The formats nb_num_format used before (its definition of the text). */
static int reference(nb_num n, char *buf, size_t len)
{
    if (n.scale == NB_NUM_OVERFLOW)
        return snprintf(buf, len, "overflow");
    if (n.scale <= 0)
        return snprintf(buf, len, "%lld", (long long)n.v);
    int64_t p = 1;
    for (int i = 0; i < n.scale; i++)
        p *= 10;
    int64_t a = n.v < 0 ? -n.v : n.v;
    return snprintf(buf, len, "%s%lld.%0*lld", n.v < 0 ? "-" : "", (long long)(a / p), n.scale,
                    (long long)(a % p));
}

static int64_t random_value(unsigned *seed)
{
    uint64_t u = 0;
    for (int i = 0; i < 4; i++)
        u = (u << 16) ^ (uint64_t)rand_r(seed);
    int digits = rand_r(seed) % 20; /* small values as often as large ones */
    uint64_t cap = 1;
    for (int i = 0; i < digits && cap < UINT64_MAX / 10; i++)
        cap *= 10;
    int64_t v = (int64_t)(u % cap % (uint64_t)INT64_MAX);
    return rand_r(seed) % 2 ? -v : v;
}

START_TEST(formats_as_snprintf_did)
{
    unsigned seed = 2026;
    static const int scales[] = {NB_NUM_OVERFLOW, -3, 0, 0, 1, 2, 3, 6, 9, 12, 18};
    for (int round = 0; round < 200000; round++) {
        nb_num n = {random_value(&seed), scales[rand_r(&seed) % (sizeof scales / sizeof *scales)]};
        size_t len = rand_r(&seed) % 4 ? 64 : (size_t)(rand_r(&seed) % 8);
        char got[64], want[64];
        memset(got, 'x', sizeof got);
        memset(want, 'x', sizeof want);
        int g = nb_num_format(n, len ? got : NULL, len);
        int w = reference(n, len ? want : NULL, len);
        ck_assert_msg(g == w, "v=%lld scale=%d len=%zu: %d vs %d", (long long)n.v, n.scale, len, g, w);
        ck_assert_msg(memcmp(got, want, sizeof got) == 0, "v=%lld scale=%d len=%zu: \"%.*s\" vs \"%.*s\"",
                      (long long)n.v, n.scale, len, (int)len, got, (int)len, want);
    }
}
END_TEST

START_TEST(edges)
{
    char b[32];
    ck_assert_int_eq(nb_num_format((nb_num){0, 2}, b, sizeof b), 4);
    ck_assert_str_eq(b, "0.00");
    ck_assert_int_eq(nb_num_format((nb_num){-5, 3}, b, sizeof b), 6);
    ck_assert_str_eq(b, "-0.005");
    ck_assert_int_eq(nb_num_format((nb_num){INT64_MAX, 0}, b, sizeof b), 19);
    ck_assert_str_eq(b, "9223372036854775807");
    ck_assert_int_eq(nb_num_format((nb_num){-1234567, 2}, b, 5), 9);
    ck_assert_str_eq(b, "-123");
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("num_format");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, formats_as_snprintf_did);
    tcase_add_test(tc, edges);
    suite_add_tcase(s, tc);
    return s;
}

int main(void) { return tu_main(suite()); }
