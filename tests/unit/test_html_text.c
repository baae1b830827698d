/* test_html_text.c - the html reader's text collection: a long text added
 * at once (its visible runs skipped sixteen bytes a step where SSE2 is)
 * reads as the same text added in pieces too short for that, which the
 * character-by-character path reads.  The plugin's sources are compiled
 * in, as test_archive_names.c does. */
#include <check.h>
#include <stdlib.h>
#include <string.h>
#include "testutil.h"
#include "../../plugins/in_html/html_tags.c"
#include "../../plugins/in_html/html_table.c"

#define P TU_PIECE

/* Whole characters (no piece ends in a cut lead byte, so pieces do not
 * join differently when added apart): visible ASCII and CJK, CJK
 * punctuation beside U+3000, full-width forms beside U+FEFF, every blank
 * and invisible character the reader knows, C1 controls, lone
 * continuation bytes and cut sequences. */
static const tu_piece pieces[] = {
    P("a"), P("Z"), P("9"), P("~"), P(" "), P("\t"), P("\n"), P("\r"), P("\f"), P("\v"), P("\x01"), P("\x7f"),
    P("\xc2\xa0"), P("\xc2\xad"), P("\xc2\x85"), P("\xc3\xa9"), P("\xe4\xb8\xad"), P("\xe6\x96\x87"),
    P("\xe3\x80\x80"), P("\xe3\x80\x81"), P("\xe3\x80\x82"), P("\xe3\x81\x82"), P("\xef\xbb\xbf"),
    P("\xef\xbc\x8c"), P("\xef\xbc\x88"), P("\xe2\x80\x8b"), P("\xe2\x80\x83"), P("\xe2\x81\xa0"),
    P("\xe2\x80\x94"), P("\xf0\xa0\x80\x80"), P("\xa0"), P("\xbf"), P("\xc2x"), P("\xe4\xb8y"), P("\xff"),
    P("\xc0\xa0"), P("\xed\xa0\x80"), P("0123456789abcdef"), P("\xe4\xb8\xad\xe6\x96\x87\xe5\xad\x97\xe4\xb8\xad"),
};

static void assert_same(const ht_text *a, const ht_text *b)
{
    ck_assert_uint_eq(a->b.len, b->b.len);
    ck_assert(a->b.len == 0 || memcmp(a->b.s, b->b.s, a->b.len) == 0);
    ck_assert_uint_eq(a->last, b->last);
    ck_assert_int_eq(a->space, b->space);
    ck_assert_int_eq(a->newline, b->newline);
    ck_assert_int_eq(a->brk, b->brk);
    ck_assert_int_eq(a->line, b->line);
}

START_TEST(long_text_reads_as_short_pieces)
{
    static char buf[2048];
    static size_t cut[2048];
    unsigned seed = 21;
    size_t np = sizeof pieces / sizeof pieces[0];
    for (int round = 0; round < 3000; round++) {
        size_t n = 0, ncut = 0, want = tu_rand(&seed) % 400;
        /* runs of one kind of piece now and then: long visible spans */
        while (n < want) {
            const tu_piece *p = &pieces[tu_rand(&seed) % np];
            for (unsigned r = tu_rand(&seed) % 4 ? 1 : tu_rand(&seed) % 20; r-- && n < want;) {
                memcpy(buf + n, p->s, p->n);
                n += p->n;
                cut[ncut++] = n;
            }
        }
        ht_text whole = {0}, parts = {0};
        ck_assert(ht_text_add(&whole, "x", 1, 1)); /* something before: separators count */
        ck_assert(ht_text_add(&parts, "x", 1, 1));
        ck_assert(ht_text_add(&whole, buf, n, 2));
        /* pieces shorter than eighteen bytes, cut between pieces */
        size_t from = 0;
        for (size_t i = 0; i < ncut; i++)
            if (i + 1 == ncut || cut[i + 1] - from >= 18) {
                ck_assert(ht_text_add(&parts, buf + from, cut[i] - from, 2));
                from = cut[i];
            }
        assert_same(&whole, &parts);
        strbuf_free(&whole.b);
        strbuf_free(&parts.b);
    }
}
END_TEST

/* Short texts of visible characters take a path of their own; from any
 * state (separators pending, CJK before), each must read as the general
 * path (text_add_any) reads it. */
START_TEST(short_texts_match_general_path)
{
    static const char *const before[] = {"", "x", "\xe4\xb8\xad", "9 ", "\xe6\x96\x87\n", "a\xc2\xa0"};
    static const char *const texts[] = {"0", "138", "7.25", "\xe8\xa1\x8c\xe6\x94\xbf", "a\xe4\xb8\xad" "b",
                                        "\xe4\xb7\x80", "(\xe4\xb8\x80)", "abcdefghijklmnopqrstuvwxyz",
                                        "\xe4\xb8", "\xea\xb0\x80", "a b", "~!", "\xe4\xb8\x80" "a", "a" "\xe4\xb8\x80"};
    for (size_t b = 0; b < sizeof before / sizeof before[0]; b++)
        for (int brk = 0; brk < 2; brk++)
            for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++) {
                ht_text fast = {0}, plain = {0};
                ck_assert(strbuf_add(&fast.b, "", 0) && strbuf_add(&plain.b, "", 0)); /* room at hand */
                ck_assert(text_add_any(&fast, before[b], strlen(before[b]), 1));
                ck_assert(text_add_any(&plain, before[b], strlen(before[b]), 1));
                if (brk) {
                    ht_text_break(&fast);
                    ht_text_break(&plain);
                }
                ck_assert(ht_text_add(&fast, texts[i], strlen(texts[i]), 2));
                ck_assert(text_add_any(&plain, texts[i], strlen(texts[i]), 2));
                assert_same(&fast, &plain);
                strbuf_free(&fast.b);
                strbuf_free(&plain.b);
            }
}
END_TEST

/* Texts begun one after another in one buffer read as texts of their own. */
START_TEST(begun_texts_read_alone)
{
    ht_text all = {0}, one = {0};
    const char *texts[] = {"  a  b ", "\xe4\xb8\xad \xe6\x96\x87", "", " \n x", "\xc2\xa0"};
    for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++) {
        ht_text_begin(&all);
        ht_text_reset(&one);
        ck_assert(ht_text_add(&all, texts[i], strlen(texts[i]), 3));
        ck_assert(ht_text_add(&one, texts[i], strlen(texts[i]), 3));
        ck_assert_uint_eq(all.b.len - all.start, one.b.len);
        ck_assert(one.b.len == 0 || memcmp(all.b.s + all.start, one.b.s, one.b.len) == 0);
        ck_assert_int_eq(all.line, one.line);
    }
    strbuf_free(&all.b);
    strbuf_free(&one.b);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("html_text");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, long_text_reads_as_short_pieces);
    tcase_add_test(tc, begun_texts_read_alone);
    tcase_add_test(tc, short_texts_match_general_path);
    suite_add_tcase(s, tc);
    return tu_main(s);
}
