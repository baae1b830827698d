/* test_archive_names.c - the archive plugin's member-name decoding and
 * junk classification, tested directly.  Those functions are internal to
 * the plugin (hidden symbols), so the source file is compiled in here. */
#include <check.h>
#include <stdlib.h>
#include <string.h>
#include "testutil.h"
#include "../../plugins/in_archive/archive_names.c"

static void assert_name(const char *raw, const char *want)
{
    char *got = arc_name_decode(raw, strlen(raw), "GB18030");
    ck_assert_ptr_nonnull(got);
    ck_assert_str_eq(got, want);
    free(got);
}

START_TEST(test_utf8_passes_through)
{
    assert_name("年报/渠县经信局.txt", "年报/渠县经信局.txt");
    assert_name("plain/ascii.txt", "plain/ascii.txt");
}
END_TEST

START_TEST(test_gbk_is_decoded)
{
    /* 年报/渠县.txt in GBK: C4EA B1A8 / C7FE CFD8 .txt */
    assert_name("\xC4\xEA\xB1\xA8/\xC7\xFE\xCF\xD8.txt", "年报/渠县.txt");
    /* 0x5C as a GBK trail byte (琝 = AC 5C) must not become a separator */
    assert_name("\xAC\x5C.txt", "琝.txt");
}
END_TEST

START_TEST(test_undecodable_is_escaped)
{
    /* 0xFF is not a GB18030 lead byte: escaped, still valid UTF-8 */
    const char *raw = "a\xFF" "b.txt";
    char *got = arc_name_decode(raw, strlen(raw), "GB18030");
    ck_assert_str_eq(got, "a\\xFFb.txt");
    ck_assert(nb_utf8_valid(got, strlen(got)));
    free(got);
}
END_TEST

START_TEST(test_tidy)
{
    assert_name("./年报/a.txt", "年报/a.txt");
    assert_name("/abs/a.txt", "abs/a.txt");
    assert_name("././//x", "x");
    assert_name("dir\\file.txt", "dir/file.txt");
    assert_name("\\dir\\file.txt", "dir/file.txt");
    assert_name("\xFF\\x", "\\xFF/x"); /* escaped, and the separator still rewritten */
    assert_name("bad\x1b[2Jname", "bad?[2Jname");
    assert_name("./", "(unnamed)");
}
END_TEST

/* The name as the plugin decoded it before tidying became one pass: a
 * conversion, a backslash pass, a control pass, then the prefix cut. */
static void ref_tidy(char *s, bool slashes)
{
    char *p;
    for (p = s; *p; p++)
        if ((unsigned char)*p < 0x20 || *p == 0x7f)
            *p = '?';
        else if (slashes && *p == '\\')
            *p = '/';
    for (p = s;;) {
        if (p[0] == '/')
            p++;
        else if (p[0] == '.' && p[1] == '/')
            p += 2;
        else
            break;
    }
    memmove(s, p, strlen(p) + 1);
}

static char *ref_decode(const char *raw, size_t len)
{
    char *out = NULL;
    size_t outlen = 0;
    nb_error err;
    nb_error_clear(&err);
    bool slashes = true;
    if (nb_utf8_valid(raw, len)) {
        out = strndup(raw, len);
    } else if (nb_text_convert("GB18030", "UTF-8", raw, len, &out, &outlen, &err) != NB_OK || !out ||
               !nb_utf8_valid(out, outlen)) {
        free(out);
        out = escape_invalid(raw, len);
        slashes = false;
    }
    ck_assert_ptr_nonnull(out);
    ref_tidy(out, slashes);
    if (!*out) {
        free(out);
        out = strdup("(unnamed)");
    }
    return out;
}

/* Random names from the bytes tidying treats specially (separators, dots,
 * controls, NUL, GBK pairs with a 0x5C trail, undecodable bytes) agree
 * with the plain passes. */
START_TEST(test_tidy_generated)
{
    static const tu_piece pieces[] = {
        TU_PIECE("/"),        TU_PIECE("./"),    TU_PIECE("."),   TU_PIECE("\\"),
        TU_PIECE(".\\"),     TU_PIECE("a"),     TU_PIECE("年报"), TU_PIECE("\x01"),
        TU_PIECE("\x7f"),     TU_PIECE("\0"),    TU_PIECE("\xFF"), TU_PIECE("\xC4\xEA"),
        TU_PIECE("\xAC\x5C"), TU_PIECE(".txt"),
    };
    unsigned st = 16;
    for (int round = 0; round < 4000; round++) {
        char raw[64];
        size_t len = 0, k = tu_rand(&st) % 9;
        for (size_t j = 0; j < k; j++) {
            const tu_piece *pc = &pieces[tu_rand(&st) % (sizeof pieces / sizeof pieces[0])];
            memcpy(raw + len, pc->s, pc->n);
            len += pc->n;
        }
        char *got = arc_name_decode(raw, len, "GB18030"), *want = ref_decode(raw, len);
        ck_assert_ptr_nonnull(got);
        ck_assert_str_eq(got, want);
        free(got);
        free(want);
    }
}
END_TEST

START_TEST(test_junk)
{
    ck_assert_ptr_null(arc_junk_reason("年报/渠县.txt"));
    ck_assert_ptr_null(arc_junk_reason("年报/渠县.html"));
    ck_assert_ptr_null(arc_junk_reason("年报/inner.zip"));
    ck_assert_ptr_null(arc_junk_reason("年报/noext"));
    ck_assert_str_eq(arc_junk_reason("__MACOSX/年报/._a.txt"), "not a report: macOS metadata");
    ck_assert_str_eq(arc_junk_reason("x/__MACOSX/y"), "not a report: macOS metadata");
    ck_assert_str_eq(arc_junk_reason("年报/._a.txt"), "not a report: macOS metadata");
    ck_assert_str_eq(arc_junk_reason(".DS_Store"), "not a report: macOS metadata");
    ck_assert_str_eq(arc_junk_reason("a/THUMBS.DB"), "not a report: Windows metadata");
    ck_assert_str_eq(arc_junk_reason("a/logo.PNG"), "not a report: image");
    ck_assert_str_eq(arc_junk_reason("a/b.jpeg"), "not a report: image");
    ck_assert_str_eq(arc_junk_reason("a/说明.xlsx"), "not a report: office document");
    /* word-processing files are reports: the core reads or fails them */
    ck_assert_ptr_null(arc_junk_reason("a/说明.docx"));
    ck_assert_ptr_null(arc_junk_reason("a/说明.DOC"));
    ck_assert_ptr_null(arc_junk_reason("a/说明.wps"));
    ck_assert_ptr_null(arc_junk_reason("a/说明.pdf"));
    ck_assert_str_eq(arc_junk_reason("a/~$说明.txt"), "not a report: office lock file");
    /* a directory merely named like junk does not make its files junk */
    ck_assert_ptr_null(arc_junk_reason("__MACOSX_not/a.txt"));
    ck_assert_ptr_null(arc_junk_reason("png/a.txt"));
    /* the extension is lowered once: every case, every list, no prefix match */
    ck_assert_str_eq(arc_junk_reason("a/b.WoFf2"), "not a report: font");
    ck_assert_str_eq(arc_junk_reason("a/b.Js"), "not a report: web page asset");
    ck_assert_str_eq(arc_junk_reason("a/b.DYLIB"), "not a report: program");
    ck_assert_str_eq(arc_junk_reason("a/b.WebM"), "not a report: audio/video");
    ck_assert_ptr_null(arc_junk_reason("a/b.pngpngpng"));
    ck_assert_ptr_null(arc_junk_reason("a/b.pn"));
    ck_assert_ptr_null(arc_junk_reason("a/b."));
    /* folders by whole component only, wherever they sit; empty components */
    ck_assert_str_eq(arc_junk_reason("a/.git/config"), "not a report: version-control metadata");
    ck_assert_str_eq(arc_junk_reason("/.svn/x.txt"), "not a report: version-control metadata");
    ck_assert_str_eq(arc_junk_reason("a//__MACOSX//b.txt"), "not a report: macOS metadata");
    ck_assert_str_eq(arc_junk_reason(".git"), "not a report: version-control metadata");
    /* not version control, but hidden, as a folder's dot files are */
    ck_assert_str_eq(arc_junk_reason("a/.gitx/b.txt"), "hidden file");
    ck_assert_str_eq(arc_junk_reason(".b.txt"), "hidden file");
    ck_assert_str_eq(arc_junk_reason("年报/.cache/c.txt"), "hidden file");
    ck_assert_ptr_null(arc_junk_reason("年报/../c.txt"));
    ck_assert_ptr_null(arc_junk_reason("年报/b.c.txt"));
    ck_assert_ptr_null(arc_junk_reason("a/x.git/b.txt"));
    ck_assert_ptr_null(arc_junk_reason("a/__MACOSX2/b.txt"));
    ck_assert_ptr_null(arc_junk_reason("a/"));
    ck_assert_ptr_null(arc_junk_reason(""));
    ck_assert_str_eq(arc_junk_reason("x/Desktop.INI"), "not a report: Windows metadata");
    ck_assert_str_eq(arc_junk_reason("x/EhThumbs.db"), "not a report: Windows metadata");
    ck_assert_ptr_null(arc_junk_reason("x/Thumbs.dbx"));
    /* the order of the reasons: macOS before version control */
    ck_assert_str_eq(arc_junk_reason(".git/__MACOSX/a.txt"), "not a report: macOS metadata");
    ck_assert_str_eq(arc_junk_reason(".svn/~$a.docx"), "not a report: office lock file");
}
END_TEST

int main(void)
{
    Suite *s = suite_create("archive_names");
    TCase *tc = tcase_create("names");
    tcase_add_test(tc, test_utf8_passes_through);
    tcase_add_test(tc, test_gbk_is_decoded);
    tcase_add_test(tc, test_undecodable_is_escaped);
    tcase_add_test(tc, test_tidy);
    tcase_add_test(tc, test_tidy_generated);
    tcase_add_test(tc, test_junk);
    suite_add_tcase(s, tc);
    return tu_main(s);
}
