/* test_num_format.c - nb_num_format writes its digits itself: the same
 * text, truncation and result as the snprintf formats it replaced, on
 * random values, scales and buffer sizes. */
#include "testutil.h"
#include "nianbao/report.h"
#include <limits.h>
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


/* Scales past 18 come only from a plugin's own nb_num: the text is still
 * exact (checked against digits padded and cut as strings), and sums and
 * comparisons stay defined (UBSan watches the suite). */
static void long_scale_reference(nb_num n, char *out, size_t cap)
{
    char d[32];
    unsigned long long a = n.v < 0 ? 0ull - (unsigned long long)n.v : (unsigned long long)n.v;
    snprintf(d, sizeof d, "%llu", a);
    size_t nd = strlen(d), sc = (size_t)n.scale, k = 0;
    if (n.v < 0)
        out[k++] = '-';
    if (nd <= sc) {
        out[k++] = '0';
        out[k++] = '.';
        for (size_t i = nd; i < sc; i++)
            out[k++] = '0';
        memcpy(out + k, d, nd);
        k += nd;
    } else {
        memcpy(out + k, d, nd - sc);
        k += nd - sc;
        out[k++] = '.';
        memcpy(out + k, d + nd - sc, sc);
        k += sc;
    }
    ck_assert(k < cap);
    out[k] = '\0';
}

START_TEST(scales_past_18)
{
    unsigned seed = 77;
    for (int round = 0; round < 20000; round++) {
        nb_num n = {random_value(&seed), 19 + rand_r(&seed) % 60};
        if (round % 50 == 0)
            n.v = rand_r(&seed) % 2 ? INT64_MIN : INT64_MAX;
        char want[128], got[128];
        long_scale_reference(n, want, sizeof want);
        int g = nb_num_format(n, got, sizeof got);
        ck_assert_int_eq(g, (int)strlen(want));
        ck_assert_str_eq(got, want);
        size_t cut = (size_t)(rand_r(&seed) % 12);
        char small[12];
        memset(small, 'x', sizeof small);
        ck_assert_int_eq(nb_num_format(n, cut ? small : NULL, cut), g);
        if (cut) {
            ck_assert_uint_eq(strlen(small), cut - 1);
            ck_assert(strncmp(small, want, cut - 1) == 0);
        }
    }
    char b[8];
    ck_assert_int_eq(nb_num_format((nb_num){1, 1000000}, b, sizeof b), 1000002);
    ck_assert_str_eq(b, "0.00000");
}
END_TEST

START_TEST(sums_and_order_past_18)
{
    nb_num one = nb_num_int(1), tiny = {5, 30}, zero = nb_num_int(0);
    ck_assert_int_gt(nb_num_cmp(one, tiny), 0);
    ck_assert_int_lt(nb_num_cmp(tiny, one), 0);
    ck_assert_int_lt(nb_num_cmp(nb_num_int(-1), tiny), 0);
    ck_assert_int_gt(nb_num_cmp(zero, (nb_num){-5, 40}), 0);
    ck_assert_int_eq(nb_num_cmp((nb_num){50, 31}, tiny), 0);
    ck_assert_int_gt(nb_num_cmp((nb_num){INT64_MAX, 18}, (nb_num){INT64_MAX, 40}), 0);
    ck_assert(nb_num_overflowed(nb_num_add(one, tiny)));
    nb_num z = nb_num_add(zero, tiny);
    ck_assert(!nb_num_overflowed(z));
    ck_assert(z.v == 5 && z.scale == 30);
    nb_num s = nb_num_add((nb_num){7, 25}, tiny);
    ck_assert(s.v == 700005 && s.scale == 30);
    ck_assert(nb_num_to_double((nb_num){5, 30}) > 4.9e-30 && nb_num_to_double((nb_num){5, 30}) < 5.1e-30);
    /* zero against a huge scale: decided by the signs, no loop of 2^31 steps */
    ck_assert_int_lt(nb_num_cmp(zero, (nb_num){5, INT_MAX}), 0);
    ck_assert_int_gt(nb_num_cmp((nb_num){5, INT_MAX}, zero), 0);
    ck_assert_int_gt(nb_num_cmp(zero, (nb_num){-5, INT_MAX}), 0);
    ck_assert_int_eq(nb_num_cmp((nb_num){0, INT_MAX}, zero), 0);
    ck_assert(nb_num_to_double((nb_num){5, INT_MAX}) == 0.0);
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("num_format");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, formats_as_snprintf_did);
    tcase_add_test(tc, edges);
    tcase_add_test(tc, scales_past_18);
    tcase_add_test(tc, sums_and_order_past_18);
    suite_add_tcase(s, tc);
    return s;
}

int main(void) { return tu_main(suite()); }
