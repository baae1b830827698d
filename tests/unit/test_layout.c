/* test_layout.c - the layout module (plugins/common/layout*.c) on
 * synthetic character boxes: lines, cells by font-relative gaps, running
 * lines dropped, blank columns kept, turned pages, tables across pages. */
#include "testutil.h"
#include "../../plugins/common/layout_doc.c"
#include "../../plugins/common/layout_grid.c"
#include "../../plugins/common/layout_page.c"
#include <check.h>
#include <stdlib.h>
#include <string.h>

#define PAGE_W 600.0
#define PAGE_H 800.0

typedef struct page {
    nb_glyph g[4096];
    size_t n;
} page;

/* Writes s from (x, y) (top of the line) at font size sz: CJK characters
 * are one size wide, ASCII half. */
static double put(page *p, double x, double y, double sz, const char *s)
{
    while (*s) {
        uint32_t cp;
        s += nb_utf8_next(s, 4, &cp);
        double w = cp < 0x80 ? sz / 2 : sz;
        p->g[p->n++] = (nb_glyph){x, y, x + w, y + sz, cp};
        x += w;
    }
    return x;
}

/* Right-aligned at x. */
static void put_right(page *p, double x, double y, double sz, const char *s)
{
    double w = 0;
    for (const char *q = s; *q;) {
        uint32_t cp;
        q += nb_utf8_next(q, 4, &cp);
        w += cp < 0x80 ? sz / 2 : sz;
    }
    put(p, x - w, y, sz, s);
}

static nb_doc *lay_out(page *pages, size_t npages, double w, double h)
{
    nb_layout *L = nb_layout_new();
    nb_error e;
    nb_error_clear(&e);
    ck_assert_ptr_nonnull(L);
    for (size_t i = 0; i < npages; i++)
        ck_assert_int_eq(nb_layout_add_page(L, w, h, pages[i].g, pages[i].n, &e), NB_OK);
    nb_doc *d = nb_doc_new("synthetic");
    ck_assert_int_eq(nb_layout_emit(L, d, &e), NB_OK);
    nb_layout_free(L);
    return d;
}

/* The line as "a|b|c" (caller frees). */
static char *joined(const nb_doc *d, size_t i)
{
    size_t len = 1;
    for (size_t c = 0; c < d->lines[i].ncells; c++)
        len += strlen(d->lines[i].cells[c]) + 1;
    char *s = calloc(1, len);
    for (size_t c = 0; c < d->lines[i].ncells; c++) {
        if (c)
            strcat(s, "|");
        strcat(s, d->lines[i].cells[c]);
    }
    return s;
}

static void expect_line(const nb_doc *d, size_t i, const char *want)
{
    ck_assert_uint_gt(d->nlines, i);
    char *got = joined(d, i);
    ck_assert_msg(!strcmp(got, want), "line %zu: got '%s', want '%s'", i, got, want);
    free(got);
}

static bool has_line(const nb_doc *d, const char *want)
{
    for (size_t i = 0; i < d->nlines; i++) {
        char *got = joined(d, i);
        bool same = !strcmp(got, want);
        free(got);
        if (same)
            return true;
    }
    return false;
}

static page pg[3];

START_TEST(test_cells_split_relative_to_font_size)
{
    /* the same 24-point gap: a cell break in 10-point text, a word gap in 60-point text */
    memset(pg, 0, sizeof pg);
    double x = put(&pg[0], 50, 100, 10, "行政许可");
    put(&pg[0], x + 24, 100, 10, "说明");
    x = put(&pg[0], 50, 300, 60, "行政");
    put(&pg[0], x + 24, 300, 60, "许可");
    nb_doc *d = lay_out(pg, 1, PAGE_W, PAGE_H);
    expect_line(d, 0, "行政许可|说明");
    ck_assert_int_eq(d->lines[0].kind, NB_LINE_ROW);
    expect_line(d, 1, "行政 许可");
    ck_assert_int_eq(d->lines[1].kind, NB_LINE_TEXT);
    nb_doc_free(d);
}
END_TEST

START_TEST(test_jittered_baseline_is_one_line)
{
    memset(pg, 0, sizeof pg);
    put(&pg[0], 50, 100, 10, "总计");
    put_right(&pg[0], 300, 102.5, 10, "15"); /* a quarter of a size lower */
    put(&pg[0], 50, 113, 10, "下一行");
    nb_doc *d = lay_out(pg, 1, PAGE_W, PAGE_H);
    ck_assert_uint_eq(d->nlines, 2);
    expect_line(d, 0, "总计|15");
    expect_line(d, 1, "下一行");
    nb_doc_free(d);
}

END_TEST

START_TEST(test_running_lines_dropped)
{
    memset(pg, 0, sizeof pg);
    for (int i = 0; i < 2; i++) {
        char num[16];
        put(&pg[i], 50, 20, 9, "某某县人民政府公报");
        put(&pg[i], 50, 200, 10, i ? "第二页正文" : "第一页正文");
        snprintf(num, sizeof num, "- %d -", i + 1);
        put(&pg[i], 290, 770, 9, num);
    }
    nb_doc *d = lay_out(pg, 2, PAGE_W, PAGE_H);
    ck_assert_uint_eq(d->nlines, 2);
    expect_line(d, 0, "第一页正文");
    expect_line(d, 1, "第二页正文");
    nb_doc_free(d);
}
END_TEST

START_TEST(test_header_alone_on_one_page_kept)
{
    /* a line at the top of a single page is not a running header */
    memset(pg, 0, sizeof pg);
    put(&pg[0], 50, 20, 9, "某某县人民政府");
    put(&pg[0], 50, 200, 10, "正文");
    nb_doc *d = lay_out(pg, 1, PAGE_W, PAGE_H);
    ck_assert(has_line(d, "某某县人民政府"));
    nb_doc_free(d);
}
END_TEST

/* A table: heading row, then rows with numbers right-aligned at cols[]. */
static void table(page *p, double y, const char *const *labels, const char *const (*vals)[3], size_t rows,
                  bool heading)
{
    static const double cols[3] = {300, 380, 460};
    static const char *const heads[3] = {"甲列", "乙列", "丙列"};
    if (heading) {
        put(p, 50, y, 10, "项目");
        for (int c = 0; c < 3; c++)
            put_right(p, cols[c], y, 10, heads[c]);
        y += 20;
    }
    for (size_t r = 0; r < rows; r++, y += 20) {
        put(p, 50, y, 10, labels[r]);
        for (int c = 0; c < 3; c++)
            if (vals[r][c][0])
                put_right(p, cols[c], y, 10, vals[r][c]);
    }
}

START_TEST(test_blank_cells_keep_their_column)
{
    static const char *const labels[] = {"规章", "行政规范性文件", "其他"};
    static const char *const vals[][3] = {{"1", "", "3"}, {"", "", "12"}, {"4", "", ""}};
    memset(pg, 0, sizeof pg);
    table(&pg[0], 100, labels, vals, 3, true);
    nb_doc *d = lay_out(pg, 1, PAGE_W, PAGE_H);
    /* the middle column has no number at all: its heading places it */
    expect_line(d, 1, "规章|1||3");
    expect_line(d, 2, "行政规范性文件|||12");
    expect_line(d, 3, "其他|4||");
    nb_doc_free(d);
}
END_TEST

START_TEST(test_full_width_and_grouped_numbers_are_numbers)
{
    static const char *const labels[] = {"甲", "乙"};
    static const char *const vals[][3] = {{"１２", "1,234", "7.5"}, {"３", "", "12,345,678"}};
    memset(pg, 0, sizeof pg);
    table(&pg[0], 100, labels, vals, 2, true);
    nb_doc *d = lay_out(pg, 1, PAGE_W, PAGE_H);
    expect_line(d, 1, "甲|１２|1,234|7.5");
    expect_line(d, 2, "乙|３||12,345,678");
    nb_doc_free(d);
}
END_TEST

START_TEST(test_table_continues_on_next_page)
{
    static const char *const l1[] = {"一行", "二行"}, *const l2[] = {"三行"};
    static const char *const v1[][3] = {{"1", "2", "3"}, {"4", "5", "6"}};
    static const char *const v2[][3] = {{"7", "", "9"}};
    memset(pg, 0, sizeof pg);
    table(&pg[0], 600, l1, v1, 2, true);
    table(&pg[1], 100, l2, v2, 1, false); /* no heading repeated: the grid of page 1 goes on */
    nb_doc *d = lay_out(pg, 2, PAGE_W, PAGE_H);
    ck_assert(has_line(d, "二行|4|5|6"));
    ck_assert_msg(has_line(d, "三行|7||9"), "continued row lost its blank column");
    nb_doc_free(d);
}
END_TEST

START_TEST(test_turned_page_reads_upright)
{
    /* text running downwards (a landscape table printed turned on a portrait page):
     * successive characters go down, successive lines go left */
    memset(pg, 0, sizeof pg);
    const char *const lines[] = {"第一行文字", "第二行文字"};
    for (int l = 0; l < 2; l++) {
        double x = 500 - l * 20, y = 100;
        const char *s = lines[l];
        while (*s) {
            uint32_t cp;
            s += nb_utf8_next(s, 4, &cp);
            pg[0].g[pg[0].n++] = (nb_glyph){x, y, x + 10, y + 10, cp};
            y += 10;
        }
    }
    nb_doc *d = lay_out(pg, 1, PAGE_W, PAGE_H);
    ck_assert_uint_eq(d->nlines, 2);
    expect_line(d, 0, "第一行文字");
    expect_line(d, 1, "第二行文字");
    nb_doc_free(d);
}
END_TEST

START_TEST(test_no_glyphs_no_lines)
{
    memset(pg, 0, sizeof pg);
    put(&pg[0], 50, 100, 10, "   ");
    nb_layout *L = nb_layout_new();
    nb_error e;
    nb_error_clear(&e);
    ck_assert_int_eq(nb_layout_add_page(L, PAGE_W, PAGE_H, pg[0].g, pg[0].n, &e), NB_OK);
    ck_assert_uint_eq(nb_layout_glyphs(L), 0); /* white space is no text layer */
    nb_layout_free(L);
}
END_TEST

START_TEST(test_degenerate_boxes_ignored)
{
    memset(pg, 0, sizeof pg);
    put(&pg[0], 50, 100, 10, "正文");
    pg[0].g[pg[0].n++] = (nb_glyph){60, 100, 70, 100, 'x'}; /* zero height */
    nb_doc *d = lay_out(pg, 1, PAGE_W, PAGE_H);
    expect_line(d, 0, "正文");
    nb_doc_free(d);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("layout");
    TCase *tc = tcase_create("layout");
    tcase_add_test(tc, test_cells_split_relative_to_font_size);
    tcase_add_test(tc, test_jittered_baseline_is_one_line);
    tcase_add_test(tc, test_running_lines_dropped);
    tcase_add_test(tc, test_header_alone_on_one_page_kept);
    tcase_add_test(tc, test_blank_cells_keep_their_column);
    tcase_add_test(tc, test_full_width_and_grouped_numbers_are_numbers);
    tcase_add_test(tc, test_table_continues_on_next_page);
    tcase_add_test(tc, test_turned_page_reads_upright);
    tcase_add_test(tc, test_no_glyphs_no_lines);
    tcase_add_test(tc, test_degenerate_boxes_ignored);
    suite_add_tcase(s, tc);
    return tu_main(s);
}
