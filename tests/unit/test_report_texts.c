/* test_report_texts.c - the store of a report's cell texts: a text set
 * again reuses its slot when it fits, a cell re-set many times stays within
 * a bound, a text may be set from its own slot, and cells of a report read
 * back what was set last. */
#include "report_texts.h"
#include "model_internal.h"
#include "testutil.h"
#include <check.h>
#include <stdlib.h>
#include <string.h>

START_TEST(reuses_a_slot_that_fits)
{
    nb_texts tx = {0};
    char *a = nb_texts_put(&tx, NULL, "12345");
    ck_assert_str_eq(a, "12345");
    char *b = nb_texts_put(&tx, a, "67");
    ck_assert_ptr_eq(a, b);
    ck_assert_str_eq(b, "67");
    char *c = nb_texts_put(&tx, b, "54321"); /* the room is still 6 bytes */
    ck_assert_ptr_eq(b, c);
    ck_assert_str_eq(c, "54321");
    char *d = nb_texts_put(&tx, c, "123456");
    ck_assert_ptr_ne(c, d);
    ck_assert_str_eq(d, "123456");
    ck_assert_ptr_null(nb_texts_put(&tx, d, NULL));
    nb_texts_free(&tx);
    ck_assert_ptr_null(tx.mem.head);
}
END_TEST

/* The inlined first put (nb_texts_put_fast) leaves a slot the long way
 * reuses: its room is the text's bytes, as nb_texts_put's own; a text
 * the window cannot hold takes the call. */
START_TEST(fast_put_slots_like_the_call)
{
    nb_texts tx = {0};
    char *a = nb_texts_put_fast(&tx, NULL, "12345");
    ck_assert_str_eq(a, "12345");
    char *d = nb_texts_put_fast(&tx, NULL, "7a");
    ck_assert_ptr_eq(d, a + 6 + sizeof(uint32_t)); /* packed after a's slot and the room before d */
    ck_assert_str_eq(d, "7a");
    char *b = nb_texts_put_fast(&tx, a, "54321"); /* fits the room of 6 */
    ck_assert_ptr_eq(a, b);
    char *c = nb_texts_put_fast(&tx, b, "123456"); /* one byte too many */
    ck_assert_ptr_ne(b, c);
    ck_assert_str_eq(c, "123456");
    ck_assert_ptr_null(nb_texts_put_fast(&tx, NULL, NULL));
    char big[6000];
    memset(big, '8', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    char *e = nb_texts_put_fast(&tx, NULL, big); /* longer than a window */
    ck_assert_str_eq(e, big);
    nb_texts_free(&tx);
}
END_TEST

/* A first text of one byte or none, or of two digits, points at a shared
 * read-only slot (both puts alike, nothing stored); set again, the cell's
 * text moves to a slot of its own and the shared one keeps its bytes. */
START_TEST(short_texts_share_a_slot)
{
    nb_texts tx = {0};
    for (int c = 0; c < 256; c++) {
        char one[3] = {(char)c, '\0', '\0'};
        char *a = nb_texts_put(&tx, NULL, one), *b = nb_texts_put_fast(&tx, NULL, one);
        ck_assert_ptr_eq(a, b);
        ck_assert_int_eq(memcmp(a, one, 2), 0);
        for (int d = 0; d < 256; d++) { /* two bytes: shared only when both are digits */
            char two[3] = {(char)c, (char)d, '\0'};
            bool digits = c >= '0' && c <= '9' && d >= '0' && d <= '9';
            if (!c || !d || !digits)
                continue;
            char *x = nb_texts_put(&tx, NULL, two), *y = nb_texts_put_fast(&tx, NULL, two);
            ck_assert_ptr_eq(x, y);
            ck_assert_str_eq(x, two);
        }
    }
    ck_assert_uint_eq(nb_texts_size(&tx), 0);
    static const char *const own_slot[] = {"1a", "-1", "100", "0.", "a0"};
    for (size_t i = 0; i < sizeof own_slot / sizeof *own_slot; i++) {
        char *p = nb_texts_put_fast(&tx, NULL, own_slot[i]);
        ck_assert_str_eq(p, own_slot[i]);
        ck_assert_ptr_eq(nb_texts_put(&tx, p, "9"), p); /* a slot of its own: reused in place */
    }
    ck_assert_uint_gt(nb_texts_size(&tx), 0);
    char *d12 = nb_texts_put(&tx, NULL, "12");
    ck_assert_ptr_ne(nb_texts_put(&tx, d12, "34"), d12);
    ck_assert_str_eq(d12, "12");
    char *zero = nb_texts_put_fast(&tx, NULL, "0");
    char *again = nb_texts_put(&tx, zero, "1");
    ck_assert_ptr_ne(again, zero);
    ck_assert_str_eq(again, "1");
    ck_assert_str_eq(zero, "0");
    char *own = nb_texts_put_fast(&tx, zero, zero); /* its own text, as readings.c sets it */
    ck_assert_ptr_ne(own, zero);
    ck_assert_str_eq(own, "0");
    char *grown = nb_texts_put(&tx, nb_texts_put(&tx, NULL, ""), "12345");
    ck_assert_str_eq(grown, "12345");
    ck_assert_str_eq(nb_texts_put(&tx, NULL, ""), "");
    nb_texts_free(&tx);
}
END_TEST

START_TEST(own_text_and_suffix)
{
    nb_texts tx = {0};
    char *a = nb_texts_put(&tx, NULL, "1,234");
    char *b = nb_texts_put(&tx, a, a); /* as readings.c does: the cell's own raw */
    ck_assert_ptr_eq(a, b);
    ck_assert_str_eq(b, "1,234");
    b = nb_texts_put(&tx, b, b + 2);
    ck_assert_str_eq(b, "234");
    nb_texts_free(&tx);
}
END_TEST

/* Alternating long and short texts, many times over, on one slot: the
 * storage stays a small multiple of the longest text. */
START_TEST(resets_are_bounded)
{
    nb_texts tx = {0};
    size_t big = 100000;
    char *lng = malloc(big + 1);
    ck_assert_ptr_nonnull(lng);
    memset(lng, '7', big);
    lng[big] = '\0';
    char *slot = NULL;
    for (size_t i = 0; i < 2000; i++) {
        size_t n = (i * 7919) % big;
        char keep = lng[n];
        lng[n] = '\0';
        slot = nb_texts_put(&tx, slot, i % 2 ? lng : "9");
        lng[n] = keep;
        ck_assert_ptr_nonnull(slot);
    }
    slot = nb_texts_put(&tx, slot, lng);
    ck_assert_str_eq(slot, lng);
    /* slots double when they must, so all of them sum to < 4 times the
     * longest text, plus one shared chunk of small ones */
    ck_assert_uint_le(nb_texts_size(&tx), 4 * (big + 1) + 8192);
    free(lng);
    nb_texts_free(&tx);
}
END_TEST

START_TEST(cells_read_back_last_set)
{
    nb_report *r = nb_report_new(tu_templates());
    ck_assert_ptr_nonnull(r);
    const nb_table_def *def = nb_templates_table(tu_templates(), "requests", "gb2021");
    nb_error err;
    ck_assert_int_eq(nb_report_set_variant(r, "requests", def, &err), NB_OK);
    nb_table *t = nb_report_table(r, "requests");
    char raw[32];
    for (int pass = 0; pass < 3; pass++)
        for (size_t j = 0; j < def->nfields; j++) {
            snprintf(raw, sizeof raw, "%zu%s", j * 37 + (size_t)pass, pass == 1 ? "000" : "");
            nb_cell_set(r, &t->cells[j], NB_CELL_OK, nb_num_int((int64_t)j), raw, 1, (int)j);
        }
    for (size_t j = 0; j < def->nfields; j++) {
        snprintf(raw, sizeof raw, "%zu", j * 37 + 2);
        ck_assert_str_eq(nb_cell_raw(&t->cells[j]), raw);
    }
    nb_cell_clear(&t->cells[0]);
    ck_assert_ptr_null(nb_cell_raw(&t->cells[0]));
    ck_assert_int_eq(nb_report_set_variant(r, "requests", def, &err), NB_OK);
    ck_assert_ptr_null(nb_cell_raw(&t->cells[1])); /* a new variant starts empty */
    nb_report_free(r);
}
END_TEST

/* Many first texts of every length up to a few kilobytes: each is cut
 * from the shared window or, when it does not fit what is left, from a
 * new one or a slot of its own; all of them read back, none overlaps the
 * next, and each keeps exactly its room (set again with a text one byte
 * longer, it moves). */
START_TEST(first_texts_across_windows)
{
    nb_texts tx = {0};
    enum { N = 400 };
    char *slot[N];
    char want[3000];
    for (size_t i = 0; i < N; i++) {
        size_t len = (i * 131) % (sizeof want - 1); /* room for one more byte below */
        memset(want, 'a' + (int)(i % 26), len);
        want[len] = '\0';
        slot[i] = nb_texts_put(&tx, NULL, want);
        ck_assert_ptr_nonnull(slot[i]);
    }
    for (size_t i = 0; i < N; i++) {
        size_t len = (i * 131) % (sizeof want - 1); /* room for one more byte below */
        memset(want, 'a' + (int)(i % 26), len);
        want[len] = '\0';
        ck_assert_str_eq(slot[i], want);
    }
    for (size_t i = 0; i < N; i++) {
        size_t len = (i * 131) % (sizeof want - 1); /* room for one more byte below */
        memset(want, 'z', len + 1);
        want[len + 1] = '\0';
        char *moved = nb_texts_put(&tx, slot[i], want);
        ck_assert_ptr_ne(moved, slot[i]);
        ck_assert_str_eq(moved, want);
        want[len] = '\0';
        ck_assert_ptr_eq(nb_texts_put(&tx, moved, want), moved); /* its new room holds it */
    }
    nb_texts_free(&tx);
    ck_assert_ptr_null(tx.mem.head);
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("report_texts");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, reuses_a_slot_that_fits);
    tcase_add_test(tc, short_texts_share_a_slot);
    tcase_add_test(tc, own_text_and_suffix);
    tcase_add_test(tc, fast_put_slots_like_the_call);
    tcase_add_test(tc, resets_are_bounded);
    tcase_add_test(tc, cells_read_back_last_set);
    tcase_add_test(tc, first_texts_across_windows);
    suite_add_tcase(s, tc);
    return s;
}

int main(void) { return tu_main(suite()); }
