/* test_docx.c - the docx reader.  Its fixtures are made at test time by
 * tests/data/docx/make_docx.py (Python standard library only): small files
 * with one irregular shape each, whose documents are checked line by line,
 * unreadable packages that must fail with a reason, and whole reports in
 * several producers' styles (Word with tracked changes, content controls,
 * smart tags, fields and a text box; a default namespace; another prefix
 * with the main part named by .rels last; a layout table with gridBefore;
 * WPS-like split runs and full-width padding), read through the CLI and
 * compared value by value with what the generator wrote.  The national
 * template filled with numbers is test_docx_template.c. */
#include "testutil.h"
#include "nianbao/plugin.h"
#include "test_archive_writer.h"
#include "test_docx_util.h"
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *g_dir; /* generated fixtures, made once in main() */

static char *fixture(const char *name) { return tu_path(g_dir, name); }

/* The reader in-process ---------------------------------------------------- */

/* Reads a fixture; NULL when open() refused it (*st, err say why). */
static nb_doc *read_with(const char *name, const char *opt, bool from_memory, nb_status *st, nb_error *err)
{
    nb_context *c = tu_context();
    const nb_plugin_info *pi = nb_context_find_plugin(c, NB_PLUGIN_INPUT, "docx");
    ck_assert_msg(pi != NULL, "docx plugin not loaded");
    const nb_plugin *p = pi->plugin;
    nb_options *o = nb_options_new(p->options);
    nb_error_clear(err);
    if (opt)
        ck_assert_int_eq(nb_options_set(o, "docx", opt, err), NB_OK);
    void *inst = NULL;
    ck_assert_int_eq(p->create(nb_context_host(c), o, &inst, err), NB_OK);
    char *path = fixture(name);
    size_t len = 0;
    char *bytes = from_memory ? tu_read_file(path, &len) : NULL;
    nb_stream *s = from_memory ? nb_stream_from_memory(name, bytes, len) : nb_stream_open_file(path, err);
    ck_assert_ptr_nonnull(s);
    nb_doc *doc = NULL;
    *st = p->open(inst, s, err);
    if (*st == NB_OK) {
        nb_item it = {0};
        ck_assert_int_eq(p->next(inst, &it, err), NB_OK);
        ck_assert_int_eq(it.kind, NB_ITEM_DOC);
        doc = it.doc;
        ck_assert_int_eq(p->next(inst, &it, err), NB_EOF);
    }
    nb_stream_free(s);
    free(bytes);
    free(path);
    p->destroy(inst);
    nb_options_free(o);
    nb_context_free(c);
    return doc;
}

static nb_doc *read_ok(const char *name, const char *opt)
{
    nb_status st;
    nb_error err;
    nb_doc *d = read_with(name, opt, false, &st, &err);
    ck_assert_msg(d != NULL, "%s: %s", name, nb_error_message(&err));
    return d;
}

/* Line i as "kind:cell|cell|...", kind T, H<level> or R. */
static char *line_str(const nb_doc *d, size_t i)
{
    static char buf[1024];
    nb_line_kind k = nb_doc_line_kind(d, i);
    int n = k == NB_LINE_ROW       ? snprintf(buf, sizeof buf, "R:")
            : k == NB_LINE_HEADING ? snprintf(buf, sizeof buf, "H%d:", nb_doc_line_level(d, i))
                                   : snprintf(buf, sizeof buf, "T:");
    for (size_t c = 0; c < nb_doc_cell_count(d, i) && n < (int)sizeof buf; c++)
        n += snprintf(buf + n, sizeof buf - (size_t)n, "%s%s", c ? "|" : "", nb_doc_cell(d, i, c));
    return buf;
}

/* The document is exactly these lines. */
static void expect_lines(const char *name, const char *opt, const char *const *want, size_t n)
{
    nb_doc *d = read_ok(name, opt);
    size_t nlines = nb_doc_line_count(d);
    for (size_t i = 0; i < n && i < nlines; i++)
        ck_assert_msg(strcmp(line_str(d, i), want[i]) == 0, "%s line %zu: got '%s', want '%s'", name, i,
                      line_str(d, i), want[i]);
    ck_assert_msg(nlines == n, "%s: %zu lines, want %zu (last: %s)", name, nlines, n,
                  nlines ? line_str(d, nlines - 1) : "-");
    nb_doc_free(d);
}

#define EXPECT(name, opt, ...)                                                                     \
    do {                                                                                           \
        const char *const w_[] = {__VA_ARGS__};                                                    \
        expect_lines(name, opt, w_, sizeof w_ / sizeof w_[0]);                                     \
    } while (0)

/* Shapes ------------------------------------------------------------------- */

START_TEST(grid_span)
{
    EXPECT("span.docx", NULL, "R:甲|乙", "R:1|2|3");
    EXPECT("span.docx", "spans=grid", "R:甲||乙", "R:1|2|3");
}
END_TEST

START_TEST(vertical_merge)
{
    /* the continuing cells are printed and empty, the one with only tcPr too */
    EXPECT("vmerge.docx", NULL, "R:合并|1", "R:|2", "R:|3");
}
END_TEST

START_TEST(grid_before_after)
{
    EXPECT("before.docx", NULL, "R:a|b", "R:c|d|e|f");
    EXPECT("before.docx", "spans=grid", "R:|a|b", "R:c|d|e|f");
}
END_TEST

START_TEST(nested_table_is_layout)
{
    EXPECT("nested.docx", NULL, "T:左", "R:1|2", "R:3|4");
}
END_TEST

START_TEST(text_box_read_once)
{
    EXPECT("textbox.docx", NULL, "T:锚", "T:框内");
}
END_TEST

START_TEST(tracked_changes)
{
    /* deleted text and a deleted row are gone, inserted text is read */
    EXPECT("tracked.docx", NULL, "T:新文", "R:留");
}
END_TEST

START_TEST(fields_read_their_result)
{
    EXPECT("field.docx", NULL, "T:第3页", "T:7");
}
END_TEST

START_TEST(tabs_and_breaks)
{
    /* a tab splits a paragraph into cells, a break into lines; in a cell both
     * are soft: nothing between CJK characters, a space otherwise */
    EXPECT("tabbr.docx", NULL, "R:甲|乙", "T:上", "T:下", "R:商业企业|a b");
}
END_TEST

START_TEST(content_controls_and_wrappers)
{
    EXPECT("sdt.docx", NULL, "T:控件内", "R:行控件");
    EXPECT("links.docx", NULL, "T:链接文");
}
END_TEST

START_TEST(full_width_spaces)
{
    /* trimmed at the edges (a cell of spaces is blank), kept inside */
    nb_doc *d = read_ok("fullwidth.docx", NULL);
    ck_assert_uint_eq(nb_doc_line_count(d), 2);
    ck_assert_str_eq(nb_doc_cell(d, 0, 0), "正文\u3000内容");
    ck_assert_uint_eq(nb_doc_cell_count(d, 1), 2);
    ck_assert_str_eq(nb_doc_cell(d, 1, 1), "");
    nb_doc_free(d);
}
END_TEST

START_TEST(headings_and_prefixes)
{
    /* the contents entry is left out; an unknown style is body text */
    EXPECT("heading.docx", NULL, "H2:二、主动公开", "T:正文", "H3:标题");
    EXPECT("prefix.docx", NULL, "T:前缀", "R:a", "R:b|c");
    EXPECT("noprefix.docx", NULL, "T:无前缀");
    EXPECT("rels_last.docx", NULL, "T:第二部件");
}
END_TEST

START_TEST(huge_span_is_bounded)
{
    EXPECT("hugespan.docx", NULL, "R:x|y");
    nb_doc *d = read_ok("hugespan.docx", "spans=grid");
    ck_assert_uint_eq(nb_doc_line_count(d), 1);
    ck_assert_uint_eq(nb_doc_cell_count(d, 0), 256); /* clamped, y beyond the bound */
    ck_assert_str_eq(nb_doc_cell(d, 0, 0), "x");
    nb_doc_free(d);
}
END_TEST

START_TEST(memory_stream_reads_the_same)
{
    nb_status st;
    nb_error err;
    nb_doc *d = read_with("tabbr.docx", NULL, true, &st, &err);
    ck_assert_msg(d != NULL, "%s", nb_error_message(&err));
    ck_assert_uint_eq(nb_doc_line_count(d), 4);
    ck_assert_str_eq(nb_doc_cell(d, 3, 0), "商业企业");
    nb_doc_free(d);
}
END_TEST

/* Unreadable packages ------------------------------------------------------ */

static void expect_failure(const char *name, const char *reason)
{
    for (int mem = 0; mem < 2; mem++) {
        nb_status st;
        nb_error err;
        nb_doc *d = read_with(name, NULL, mem, &st, &err);
        ck_assert_msg(d == NULL && st == NB_FAILED, "%s: read, want a failure", name);
        const char *msg = nb_error_message(&err), *where = nb_error_where(&err);
        ck_assert_msg(strstr(msg, reason) != NULL, "%s: reason '%s' lacks '%s'", name, msg, reason);
        ck_assert_msg(strstr(where, name) != NULL, "%s: where '%s' does not name the file", name, where);
    }
}

START_TEST(bad_packages_fail_with_a_reason)
{
    expect_failure("bad_truncated.docx", "not well-formed");
    expect_failure("bad_empty.docx", "the part is empty"); /* never "out of memory" */
    expect_failure("bad_dtd.docx", "document type declaration");
    expect_failure("bad_nodoc.docx", "no word/document.xml");
    expect_failure("bad_ole.docx", "password-protected");
    expect_failure("bad_text.docx", "not a Word package");
    expect_failure("bad_cut.docx", "Word package");
    expect_failure("bad_deep.docx", "levels deep");
}
END_TEST

/* Whole reports through the CLI --------------------------------------------- */

static const char *const styles[] = {"word", "nsdefault", "prefix", "layout", "wps"};

START_TEST(reports_in_every_style_read_exactly)
{
    const char *style = styles[_i % 5];
    int seed = 101 + _i;
    char name[64], args[512], truth[64];
    snprintf(name, sizeof name, "%s_%d.docx", style, seed);
    snprintf(truth, sizeof truth, "%s_%d.truth.json", style, seed);
    char *path = fixture(name), *tpath = fixture(truth);
    snprintf(args, sizeof args, "report %s '%s' %d", style, path, seed);
    ck_assert_int_eq(dx_make(args), 0);
    json_t *out = tu_convert_json(path);
    dx_compare_with_truth(dx_first_report(out), tpath);
    json_decref(out);
    free(path);
    free(tpath);
}
END_TEST

/* A zip made on Chinese Windows (GBK member names) holding Word reports:
 * every one is converted. */
START_TEST(gbk_zip_of_docx_converts_every_member)
{
    aw_api la;
    if (!aw_load(&la))
        return; /* no libarchive to write with: the archive suites say so */
    enum { N = 3 };
    char *bytes[N], *paths[N], names[N][64];
    size_t lens[N];
    aw_member m[N];
    for (int i = 0; i < N; i++) {
        char args[512], fname[32];
        snprintf(fname, sizeof fname, "gbk_%d.docx", i);
        paths[i] = fixture(fname);
        snprintf(args, sizeof args, "report %s '%s' %d", styles[i], paths[i], 300 + i);
        ck_assert_int_eq(dx_make(args), 0);
        bytes[i] = tu_read_file(paths[i], &lens[i]);
        /* 年报/第N份.docx in GBK */
        snprintf(names[i], sizeof names[i], "\xC4\xEA\xB1\xA8/\xB5\xDA%d\xB7\xDD.docx", i);
        m[i] = (aw_member){.name = names[i], .data = bytes[i], .len = lens[i]};
    }
    char *zip = fixture("gbk_bundle.zip");
    aw_opts o = {.unicode = false};
    ck_assert_int_eq(aw_write(&la, zip, AW_ZIP, &o, m, N), 0);
    json_t *out = tu_convert_json(zip);
    ck_assert_msg(json_is_array(out) && json_array_size(out) == N, "want %d reports", N);
    for (int i = 0; i < N; i++) {
        json_t *rep = json_array_get(out, (size_t)i);
        const char *src = json_string_value(json_object_get(json_object_get(rep, "source"), "path"));
        ck_assert_msg(src && strstr(src, "年报/第") && strstr(src, ".docx"), "source %s", src ? src : "-");
        ck_assert_str_eq(json_string_value(json_object_get(json_object_get(rep, "source"), "format")), "docx");
        char tname[64];
        snprintf(tname, sizeof tname, "gbk_%c.truth.json", strstr(src, "第")[3]);
        char *tp = fixture(tname);
        dx_compare_with_truth(rep, tp);
        free(tp);
    }
    json_decref(out);
    for (int i = 0; i < N; i++) {
        free(bytes[i]);
        free(paths[i]);
    }
    free(zip);
}
END_TEST

START_TEST(cli_names_the_failed_file)
{
    char cmd[4096], *out = NULL, *err = NULL;
    char *bad = fixture("bad_nodoc.docx");
    snprintf(cmd, sizeof cmd, "'%s' convert '%s' -t json", tu_bin(), bad);
    int rc = tu_run(cmd, NULL, &out, &err);
    ck_assert_int_eq(rc, 65);
    ck_assert_msg(err && strstr(err, "bad_nodoc.docx") && strstr(err, "no word/document.xml"), "stderr: %s", err);
    free(out);
    free(err);
    free(bad);
}
END_TEST

int main(void)
{
    if (!dx_have_python("test_docx"))
        return TU_SKIP_CODE;
    g_dir = tu_tempdir();
    char args[4096];
    snprintf(args, sizeof args, "shapes '%s'", g_dir);
    if (dx_make(args) != 0)
        return 1;
    Suite *s = suite_create("docx");
    TCase *tc = tcase_create("shapes");
    tcase_add_test(tc, grid_span);
    tcase_add_test(tc, vertical_merge);
    tcase_add_test(tc, grid_before_after);
    tcase_add_test(tc, nested_table_is_layout);
    tcase_add_test(tc, text_box_read_once);
    tcase_add_test(tc, tracked_changes);
    tcase_add_test(tc, fields_read_their_result);
    tcase_add_test(tc, tabs_and_breaks);
    tcase_add_test(tc, content_controls_and_wrappers);
    tcase_add_test(tc, full_width_spaces);
    tcase_add_test(tc, headings_and_prefixes);
    tcase_add_test(tc, huge_span_is_bounded);
    tcase_add_test(tc, memory_stream_reads_the_same);
    tcase_add_test(tc, bad_packages_fail_with_a_reason);
    suite_add_tcase(s, tc);
    TCase *tr = tcase_create("reports");
    tcase_add_loop_test(tr, reports_in_every_style_read_exactly, 0, 5);
    tcase_add_test(tr, gbk_zip_of_docx_converts_every_member);
    tcase_add_test(tr, cli_names_the_failed_file);
    suite_add_tcase(s, tr);
    int rc = tu_main(s);
    tu_rmrf(g_dir);
    free(g_dir);
    return rc;
}
