/* test_spill.c - the spill file (core/src/spill.c): records come back as
 * they were put, in any order; the file is never seen in its folder; a
 * folder that cannot be written fails the put and leaves nothing; a read
 * past what was put fails. */
#include "testutil.h"
#include "spill.h"
#include <dirent.h>
#include <stdlib.h>
#include <string.h>

/* Entries of dir other than . and .. */
static int entries(const char *dir)
{
    DIR *d = opendir(dir);
    ck_assert_ptr_nonnull(d);
    int n = 0;
    for (struct dirent *e; (e = readdir(d));)
        n += strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0;
    closedir(d);
    return n;
}

START_TEST(records_come_back_in_any_order)
{
    char *dir = tu_tempdir();
    nb_spill *sp = nb_spill_new(dir);
    ck_assert_ptr_nonnull(sp);
    enum { N = 200 };
    uint64_t off[N];
    size_t len[N];
    unsigned seed = 7;
    char rec[4096];
    for (int i = 0; i < N; i++) {
        len[i] = 1 + tu_rand(&seed) % sizeof rec; /* sizes from 1 byte to 4 KB */
        for (size_t k = 0; k < len[i]; k++)
            rec[k] = (char)(i * 31 + k);
        ck_assert(nb_spill_put(sp, rec, len[i], &off[i]));
        ck_assert_int_eq(entries(dir), 0); /* unlinked as soon as it was made */
    }
    for (int j = 0; j < N; j++) {
        int i = (j * 73) % N; /* 73 is prime to 200: every record once */
        memset(rec, 0, sizeof rec);
        ck_assert(nb_spill_get(sp, off[i], rec, len[i]));
        for (size_t k = 0; k < len[i]; k++)
            ck_assert_int_eq(rec[k], (char)(i * 31 + k));
    }
    /* past the end of the last record */
    ck_assert(!nb_spill_get(sp, off[N - 1] + len[N - 1], rec, 1));
    nb_spill_free(sp);
    ck_assert_int_eq(entries(dir), 0);
    tu_rmrf(dir);
    free(dir);
}
END_TEST

START_TEST(unwritable_folder_fails_the_put)
{
    nb_spill *sp = nb_spill_new("/nonexistent/nianbao-test-spill");
    ck_assert_ptr_nonnull(sp);
    uint64_t off = 12345;
    ck_assert(!nb_spill_put(sp, "abc", 3, &off));
    ck_assert_uint_eq(off, 12345); /* nothing said to be kept */
    char b[3];
    ck_assert(!nb_spill_get(sp, 0, b, 3)); /* no file: nothing to read */
    nb_spill_free(sp);
}
END_TEST

START_TEST(empty_spill_frees_cleanly)
{
    char *dir = tu_tempdir();
    nb_spill_free(nb_spill_new(dir)); /* no record: no file was ever made */
    nb_spill_free(NULL);
    ck_assert_int_eq(entries(dir), 0);
    tu_rmrf(dir);
    free(dir);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("spill");
    TCase *tc = tcase_create("spill");
    tcase_add_test(tc, records_come_back_in_any_order);
    tcase_add_test(tc, unwritable_folder_fails_the_put);
    tcase_add_test(tc, empty_spill_frees_cleanly);
    suite_add_tcase(s, tc);
    return tu_main(s);
}
