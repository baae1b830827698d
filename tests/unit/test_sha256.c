/* test_sha256.c - the source fingerprint: FIPS 180-4 test vectors, any
 * split of the input into updates, and the SHA-NI blocks (where the CPU
 * has them) against the plain C rounds. */
#include "sha256.h"
#include "testutil.h"
#include <check.h>
#include <stdlib.h>
#include <string.h>

static void hex_of(const void *data, size_t len, size_t step, bool shani, char out[65])
{
    nb_sha256 c;
    nb_sha256_init(&c);
    c.shani = c.shani && shani; /* false: the plain rounds */
    const unsigned char *p = data;
    for (size_t done = 0; done < len; done += step)
        nb_sha256_update(&c, p + done, len - done < step ? len - done : step);
    nb_sha256_hex(&c, out);
}

START_TEST(vectors)
{
    static const struct { const char *in, *hex; } v[] = {
        {"", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"},
        {"abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"},
        {"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
         "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"},
    };
    char out[65];
    for (size_t i = 0; i < sizeof v / sizeof *v; i++)
        for (int shani = 0; shani < 2; shani++) {
            hex_of(v[i].in, strlen(v[i].in), 1000, shani, out);
            ck_assert_str_eq(out, v[i].hex);
        }
}
END_TEST

START_TEST(million_a)
{
    size_t n = 1000000;
    char *a = malloc(n), out[65];
    ck_assert_ptr_nonnull(a);
    memset(a, 'a', n);
    for (int shani = 0; shani < 2; shani++) {
        hex_of(a, n, 4096, shani, out);
        ck_assert_str_eq(out, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
        hex_of(a, n, 63, shani, out); /* updates that never fill a block alone */
        ck_assert_str_eq(out, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
    }
    free(a);
}
END_TEST

/* Every length up to a few blocks, in every split: both ways agree. */
START_TEST(splits_agree)
{
    unsigned char buf[300];
    unsigned x = 12345;
    for (size_t i = 0; i < sizeof buf; i++)
        buf[i] = (unsigned char)((x = x * 1103515245u + 12345u) >> 16);
    for (size_t len = 0; len <= sizeof buf; len += 7) {
        char whole[65], plain[65], piece[65];
        hex_of(buf, len, sizeof buf, true, whole);
        hex_of(buf, len, sizeof buf, false, plain);
        ck_assert_str_eq(whole, plain);
        for (size_t step = 1; step < 130; step += 13) {
            hex_of(buf, len, step, true, piece);
            ck_assert_str_eq(piece, whole);
        }
    }
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("sha256");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, vectors);
    tcase_add_test(tc, million_a);
    tcase_add_test(tc, splits_agree);
    suite_add_tcase(s, tc);
    return s;
}

int main(void) { return tu_main(suite()); }
