/* test_stream.c - nb_stream_read_all after peeks (stream.c): the peek
 * buffer becomes the result when nothing of it was read yet, so the
 * bytes, their count, the hash and the limits must be those of a stream
 * read without any peek, whatever the size hint says (none, exact, too
 * small, too large, past the whole-stream peek size) and however the
 * source cuts its reads.  And nb_strcat3, which joins member names. */
#include "testutil.h"
#include "sha256.h"
#include "stream_internal.h"
#include <stdlib.h>
#include <string.h>

typedef struct src {
    const unsigned char *p;
    size_t len, pos;
    unsigned seed; /* read sizes: random, at most the request */
} src;

static ssize_t src_read(void *ctx, void *buf, size_t len, nb_error *err)
{
    (void)err;
    src *s = ctx;
    size_t n = s->len - s->pos;
    if (n > len)
        n = len;
    if (n > 1)
        n = 1 + tu_rand(&s->seed) % n;
    memcpy(buf, s->p + s->pos, n);
    s->pos += n;
    return (ssize_t)n;
}

static void sha_of(const unsigned char *p, size_t n, char out[65])
{
    nb_sha256 c;
    nb_sha256_init(&c);
    nb_sha256_update(&c, p, n);
    nb_sha256_hex(&c, out);
}

enum { PEEK_NONE, PEEK_ONE, PEEK_ONE_THEN_4K, PEEK_4K, PEEK_SOME, READ_FIRST, N_WAYS };

/* read_all of data[0..len) after the way's peeks or read, with the hint. */
static void check_one(const unsigned char *data, size_t len, int64_t hint, int way, size_t max)
{
    src sc = {data, len, 0, (unsigned)(len * 31 + (size_t)way)};
    nb_stream *s = nb_stream_new("t", src_read, &sc, hint);
    ck_assert_ptr_nonnull(s);
    uint64_t total = 0;
    nb_stream_set_limit(s, 0, &total, 0, NULL);
    nb_error err;
    nb_error_clear(&err);
    const unsigned char *head = NULL;
    unsigned char first[3];
    size_t pre = 0; /* bytes taken by nb_stream_read before read_all */
    if (way == PEEK_ONE || way == PEEK_ONE_THEN_4K)
        ck_assert_int_eq(nb_stream_peek(s, &head, 1, &err), len ? 1 : 0);
    if (way == PEEK_ONE_THEN_4K || way == PEEK_4K)
        ck_assert_int_eq(nb_stream_peek(s, &head, 4096, &err), (ssize_t)(len < 4096 ? len : 4096));
    if (way == PEEK_SOME)
        ck_assert_int_eq(nb_stream_peek(s, &head, 10, &err), (ssize_t)(len < 10 ? len : 10));
    if (way == READ_FIRST) {
        ck_assert_int_eq(nb_stream_peek(s, &head, 100, &err), (ssize_t)(len < 100 ? len : 100));
        ssize_t k = nb_stream_read(s, first, sizeof first, &err);
        ck_assert_int_ge(k, 0);
        pre = (size_t)k;
        ck_assert(memcmp(first, data, pre) == 0);
    }
    if (head && len)
        ck_assert_int_eq(head[0], data[0]);
    char *buf = NULL;
    size_t n = 0;
    nb_status st = nb_stream_read_all(s, max, &buf, &n, &err);
    if (len - pre > max) {
        ck_assert_int_eq(st, NB_FAILED);
        ck_assert(strncmp(err.text, "larger than", 11) == 0);
        nb_stream_free(s);
        return;
    }
    ck_assert_int_eq(st, NB_OK);
    ck_assert_uint_eq(n + pre, len);
    ck_assert(memcmp(buf, data + pre, n) == 0);
    ck_assert_int_eq(buf[n], '\0');
    ck_assert_uint_eq(nb_stream_consumed(s), len);
    ck_assert_uint_eq(total, len);
    char got[65], want[65];
    nb_stream_sha256(s, got);
    sha_of(data, len, want);
    ck_assert_str_eq(got, want);
    free(buf);
    nb_stream_free(s);
}

START_TEST(read_all_after_peeks_is_a_plain_read)
{
    static const size_t lens[] = {0, 1, 2, 9, 10, 100, 4093, 4094, 4095, 4096, 4097, 9000,
                                  65533, 65534, 65535, 65536, 70000, 200000};
    size_t big = 200000;
    unsigned char *data = malloc(big);
    ck_assert_ptr_nonnull(data);
    unsigned seed = 7;
    for (size_t i = 0; i < big; i++)
        data[i] = (unsigned char)tu_rand(&seed);
    for (size_t li = 0; li < sizeof lens / sizeof *lens; li++) {
        size_t len = lens[li];
        int64_t hints[] = {-1, (int64_t)len, (int64_t)len / 2, (int64_t)len + 5000, (int64_t)len * 3 + 1, 0};
        for (size_t hi = 0; hi < sizeof hints / sizeof *hints; hi++)
            for (int way = 0; way < N_WAYS; way++) {
                check_one(data, len, hints[hi], way, 1u << 20);
                if (len > 3)
                    check_one(data, len, hints[hi], way, len - 1); /* one byte too many */
            }
    }
    free(data);
}
END_TEST

/* Member and file names are joined with nb_strcat3 where nb_strfmt("%s%s%s")
 * was: the same string for empty, short, long and non-ASCII parts. */
START_TEST(strcat3_is_strfmt)
{
    static const char *const parts[] = {"", "a", "!/", "/", "b1k.tgz", "000/00534_donglin-town-2022-gbk.txt",
                                        "\xe6\x94\xbf\xe5\xba\x9c.txt", "%s%d", NULL};
    char longer[3000];
    memset(longer, 'x', sizeof longer - 1);
    longer[sizeof longer - 1] = '\0';
    const char *all[sizeof parts / sizeof *parts];
    size_t n = 0;
    for (; parts[n]; n++)
        all[n] = parts[n];
    all[n++] = longer;
    for (size_t a = 0; a < n; a++)
        for (size_t b = 0; b < n; b++)
            for (size_t c = 0; c < n; c++) {
                char *got = nb_strcat3(all[a], all[b], all[c]), *want = nb_strfmt("%s%s%s", all[a], all[b], all[c]);
                ck_assert_ptr_nonnull(got);
                ck_assert_str_eq(got, want);
                free(got);
                free(want);
            }
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("stream");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, read_all_after_peeks_is_a_plain_read);
    tcase_add_test(tc, strcat3_is_strfmt);
    suite_add_tcase(s, tc);
    return s;
}

int main(void) { return tu_main(suite()); }
