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
    ck_assert_ptr_null(arc_junk_reason("a/.gitx/b.txt"));
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
    tcase_add_test(tc, test_junk);
    suite_add_tcase(s, tc);
    return tu_main(s);
}
