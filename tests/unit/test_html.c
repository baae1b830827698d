/* test_html.c - the html reader: documents it builds (grids, split labels,
 * entities, chrome), the values the CLI reads from invented pages in
 * tests/data/html, charsets, malformed and mutated input.  The real
 * corpus pages are test_html_corpus.c. */
#include "testutil.h"
#include "nianbao/plugin.h"
#include <jansson.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The reader in-process -------------------------------------------------- */

static const nb_plugin *html_plugin(nb_context *c)
{
    const nb_plugin_info *pi = nb_context_find_plugin(c, NB_PLUGIN_INPUT, "html");
    ck_assert_msg(pi != NULL, "html plugin not loaded");
    return pi->plugin;
}

/* The document for bytes; NULL when the reader refused them (no crash). */
static nb_doc *read_doc(const void *buf, size_t len)
{
    nb_context *c = tu_context();
    const nb_plugin *p = html_plugin(c);
    nb_error err;
    nb_error_clear(&err);
    void *inst = NULL;
    ck_assert_int_eq(p->create(nb_context_host(c), NULL, &inst, &err), NB_OK);
    nb_stream *s = nb_stream_from_memory("t.html", buf, len);
    nb_doc *doc = NULL;
    if (p->open(inst, s, &err) == NB_OK) {
        nb_item it = {0};
        if (p->next(inst, &it, &err) == NB_OK)
            doc = it.doc;
    }
    nb_stream_free(s);
    p->destroy(inst);
    nb_context_free(c);
    return doc;
}

static nb_doc *read_str(const char *html) { return read_doc(html, strlen(html)); }

/* Index of the first line with a cell equal to text, -1 when none. */
static long find_line(const nb_doc *d, const char *text)
{
    for (size_t i = 0; i < d->nlines; i++)
        for (size_t c = 0; c < d->lines[i].ncells; c++)
            if (strcmp(d->lines[i].cells[c], text) == 0)
                return (long)i;
    return -1;
}

static bool doc_contains(const nb_doc *d, const char *text)
{
    for (size_t i = 0; i < d->nlines; i++)
        for (size_t c = 0; c < d->lines[i].ncells; c++)
            if (strstr(d->lines[i].cells[c], text))
                return true;
    return false;
}

/* The CLI on a fixture ------------------------------------------------- */

static json_t *fixture(const char *name)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/tests/data/html/%s", tu_source_dir(), name);
    return tu_convert_json(path);
}

/* The number at a dotted path ("requests.granted.total"); -1 for null. */
static double num_at(json_t *j, const char *path)
{
    char buf[256];
    snprintf(buf, sizeof buf, "%s", path);
    json_t *v = j;
    for (char *save = NULL, *k = strtok_r(buf, ".", &save); k && v; k = strtok_r(NULL, ".", &save))
        v = json_object_get(v, k);
    ck_assert_msg(v != NULL, "no %s", path);
    return json_is_number(v) ? json_number_value(v) : -1;
}

#define ASSERT_VAL(j, path, want) ck_assert_msg(num_at(j, path) == (want), "%s = %g, want %g", path, num_at(j, path), (double)(want))

static void assert_row(json_t *j, const char *row, const int want[7])
{
    static const char *const cols[] = {"natural_person", "business", "research", "nonprofit",
                                       "legal_service", "other_org", "total"};
    for (int i = 0; i < 7; i++) {
        char p[256];
        snprintf(p, sizeof p, "requests.%s.%s", row, cols[i]);
        ASSERT_VAL(j, p, want[i]);
    }
}

static bool is_blank(json_t *j, const char *path)
{
    json_t *b = json_object_get(j, "blank");
    size_t i;
    json_t *v;
    json_array_foreach(b, i, v)
        if (strcmp(json_string_value(v), path) == 0)
            return true;
    return false;
}

/* Documents ------------------------------------------------------------- */

START_TEST(entities_and_nbsp)
{
    nb_doc *d = read_str("<p>A&amp;B &lt;x&gt; &quot;q&quot; &#20381;&#x4e00;&#X4E8C; &ldquo;z&rdquo; &bogus; &amp</p>"
                         "<table><tr><td>规章</td><td>&nbsp;</td><td> &nbsp; </td><td>7</td></tr></table>");
    ck_assert_ptr_nonnull(d);
    ck_assert_uint_eq(d->nlines, 2);
    ck_assert_str_eq(d->lines[0].cells[0], "A&B <x> \"q\" 依一二 \xe2\x80\x9cz\xe2\x80\x9d &bogus; &");
    ck_assert_int_eq(d->lines[1].kind, NB_LINE_ROW);
    ck_assert_uint_eq(d->lines[1].ncells, 4);
    ck_assert_str_eq(d->lines[1].cells[1], "");
    ck_assert_str_eq(d->lines[1].cells[2], "");
    ck_assert_str_eq(d->lines[1].cells[3], "7");
    nb_doc_free(d);
}
END_TEST

START_TEST(spans_expand_to_grid)
{
    /* table 3's header: colspans and rowspans; the data row keeps 5 blanks */
    nb_doc *d = read_str("<table>"
                         "<tr><th colspan=5 rowspan=2>行政复议</th><th colspan=10>行政诉讼</th></tr>"
                         "<tr><th colspan=5>未经复议直接起诉</th><th colspan=\"5\">复议后起诉</th></tr>"
                         "<tr><td>1</td><td>2</td><td>&nbsp;</td><td>0</td><td>3</td>"
                         "<td></td><td>4</td><td>&nbsp;</td><td>0</td><td>4</td>"
                         "<td>&nbsp;</td><td>&nbsp;</td><td>0</td><td>0</td><td>0</td></tr></table>");
    ck_assert_ptr_nonnull(d);
    ck_assert_uint_eq(d->nlines, 3);
    const nb_doc_line *h0 = &d->lines[0], *h1 = &d->lines[1], *r = &d->lines[2];
    ck_assert_uint_eq(h0->ncells, 15);
    ck_assert_str_eq(h0->cells[0], "行政复议");
    ck_assert_str_eq(h0->cells[1], "");
    ck_assert_str_eq(h0->cells[5], "行政诉讼");
    ck_assert_str_eq(h0->cells[6], "");
    ck_assert_uint_eq(h1->ncells, 15); /* 5 covered by the rowspan, then two groups */
    ck_assert_str_eq(h1->cells[0], "");
    ck_assert_str_eq(h1->cells[5], "未经复议直接起诉");
    ck_assert_str_eq(h1->cells[10], "复议后起诉");
    ck_assert_uint_eq(r->ncells, 15);
    int blanks = 0;
    for (size_t i = 0; i < r->ncells; i++)
        blanks += r->cells[i][0] == '\0';
    ck_assert_int_eq(blanks, 5);
    ck_assert_str_eq(r->cells[6], "4");
    ck_assert_str_eq(r->cells[14], "0");
    nb_doc_free(d);
}
END_TEST

START_TEST(labels_split_over_markup)
{
    nb_doc *d = read_str("<table><tr>"
                         "<td><p>商业</p>\n<p>企业</p></td>"
                         "<td>本年新<br />制作数量</td>"
                         "<td><span>（</span>\n<span>五</span><span>）</span><span>不</span><span>予</span>"
                         "<span>处</span><span>理</span></td>"
                         "<td><p>Legal</p><p>person</p></td>"
                         "<td><div>2023</div><div>年</div></td>"
                         "</tr></table>"
                         "<p><span>三</span><span>、</span><font>本年度</font><b>办理</b><a>结果</a></p>");
    ck_assert_ptr_nonnull(d);
    ck_assert_uint_eq(d->nlines, 2);
    ck_assert_str_eq(d->lines[0].cells[0], "商业企业");
    ck_assert_str_eq(d->lines[0].cells[1], "本年新制作数量");
    ck_assert_str_eq(d->lines[0].cells[2], "（五）不予处理");
    ck_assert_str_eq(d->lines[0].cells[3], "Legal person");
    ck_assert_str_eq(d->lines[0].cells[4], "2023 年");
    ck_assert_str_eq(d->lines[1].cells[0], "三、本年度办理结果");
    nb_doc_free(d);
}
END_TEST

START_TEST(blocks_headings_and_comments)
{
    nb_doc *d = read_str("<!DOCTYPE html><html><head><title>T</title><style>p{x:1}</style></head><body>\n"
                         "<h2>二、主动公开</h2>\n<p>第一段\n  文字</p>para<br>next<div>块</div>"
                         "<p><!--[if !supportLists]-->一、<!--[endif]-->总体情况</p>"
                         "<ul><li>甲<li>乙</ul><script>document.write('<p>99</p>')</script>"
                         "<p style=\"display: none\">hidden 55</p></body></html>");
    ck_assert_ptr_nonnull(d);
    long h = find_line(d, "二、主动公开");
    ck_assert_int_ge(h, 0);
    ck_assert_int_eq(d->lines[h].kind, NB_LINE_HEADING);
    ck_assert_int_eq(d->lines[h].level, 2);
    ck_assert_int_eq(d->lines[h].lineno, 2);
    ck_assert_int_ge(find_line(d, "第一段文字"), 0); /* a line break between CJK joins */
    ck_assert_int_ge(find_line(d, "para"), 0);
    ck_assert_int_ge(find_line(d, "next"), 0);
    ck_assert_int_ge(find_line(d, "块"), 0);
    ck_assert_int_ge(find_line(d, "一、总体情况"), 0);
    ck_assert_int_ge(find_line(d, "甲"), 0);
    ck_assert_int_ge(find_line(d, "乙"), 0);
    ck_assert(!doc_contains(d, "99"));
    ck_assert(!doc_contains(d, "55"));
    ck_assert(!doc_contains(d, "x:1"));
    nb_doc_free(d);
}
END_TEST

START_TEST(chrome_dropped)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/tests/data/html/qingfeng_shuili_2023.html", tu_source_dir());
    size_t len;
    char *buf = tu_read_file(path, &len);
    ck_assert_ptr_nonnull(buf);
    nb_doc *d = read_doc(buf, len);
    free(buf);
    ck_assert_ptr_nonnull(d);
    ck_assert_str_eq(d->lines[0].cells[0], "青峰县水利局2023年政府信息公开工作年度报告");
    ck_assert(!doc_contains(d, "当前位置"));
    ck_assert(!doc_contains(d, "浏览次数"));
    ck_assert(!doc_contains(d, "版权所有"));
    ck_assert(!doc_contains(d, "微信"));
    ck_assert(!doc_contains(d, "2022年度报告"));
    ck_assert(!doc_contains(d, "88"));
    ck_assert(!doc_contains(d, "77"));
    ck_assert(!doc_contains(d, "66"));
    ck_assert(doc_contains(d, "六、其他需要报告的事项"));
    nb_doc_free(d);
}
END_TEST

/* Nesting past the reader's depth limit (HT_MAX_DEPTH, 128). */
#define HT_TEST_DEEP 140

/* Two documents have the same lines (kind, level, source line) and cells. */
static void assert_same_doc(const nb_doc *a, const nb_doc *b)
{
    ck_assert_uint_eq(a->nlines, b->nlines);
    for (size_t i = 0; i < a->nlines; i++) {
        ck_assert_int_eq(a->lines[i].kind, b->lines[i].kind);
        ck_assert_int_eq(a->lines[i].level, b->lines[i].level);
        ck_assert_int_eq(a->lines[i].lineno, b->lines[i].lineno);
        ck_assert_uint_eq(a->lines[i].ncells, b->lines[i].ncells);
        for (size_t c = 0; c < a->lines[i].ncells; c++)
            ck_assert_str_eq(a->lines[i].cells[c], b->lines[i].cells[c]);
    }
}

/* x and y read as the same document (and, when nonempty, not an empty one). */
static void same_reading(const char *x, const char *y, bool nonempty)
{
    nb_doc *a = read_str(x), *b = read_str(y);
    ck_assert_ptr_nonnull(a);
    ck_assert_ptr_nonnull(b);
    if (nonempty)
        ck_assert_uint_gt(a->nlines, 0);
    assert_same_doc(a, b);
    nb_doc_free(a);
    nb_doc_free(b);
}

/* Attribute values are read from the page when they need no decoding:
 * spelled with references (or a NUL) they must mean the same. */
START_TEST(attribute_values_plain_or_encoded)
{
    static const char *const pairs[][2] = {
        {"<table><tr><td colspan=\"2\">a</td><td>b</td></tr><tr><td>1</td><td>2</td><td>3</td></tr></table>",
         "<table><tr><td colspan=\"&#50;\">a</td><td>b</td></tr><tr><td>1</td><td>2</td><td>3</td></tr></table>"},
        {"<table><tr><td rowspan='2'>a</td><td>b</td></tr><tr><td>c</td></tr></table>",
         "<table><tr><td rowspan='&#x32;'>a</td><td>b</td></tr><tr><td>c</td></tr></table>"},
        {"<p>shown</p><div style=\"display:none\"><p>hidden</p></div>",
         "<p>shown</p><div style=\"display&#58;none\"><p>hidden</p></div>"},
        {"<div class=\"nav\"><p>menu 1</p></div><div class=\"content\" id=\"zoom\"><p>本年度报告正文</p></div>",
         "<div class=\"nav\"><p>menu 1</p></div><div class=\"con&#116;ent\" id=\"zo&#111;m\"><p>本年度报告正文</p></div>"},
        {"<table><tr><td colspan=\"3\">a</td></tr><tr><td>1</td><td>2</td><td>3</td></tr></table>",
         "<table><tr><td colspan=\" 3\">a</td></tr><tr><td>1</td><td>2</td><td>3</td></tr></table>"},
        /* values of 16 bytes and more: searched with memchr */
        {"<p>shown</p><div style=\"font-family:Times New Roman;display:none\"><p>hidden</p></div>",
         "<p>shown</p><div style=\"font-family:Times New Roman;display&#58;none\"><p>hidden</p></div>"},
        {"<div class=\"nav\"><p>menu 1</p></div><div class=\"article-body content\"><p>本年度报告正文</p></div>",
         "<div class=\"nav\"><p>menu 1</p></div><div class=\"article-body con&#116;ent\"><p>本年度报告正文</p></div>"},
    };
    for (size_t i = 0; i < sizeof pairs / sizeof pairs[0]; i++) {
        same_reading(pairs[i][0], pairs[i][1], false);
    }
}
END_TEST

/* s with "<wbr>" after every "<span>", "<b>" and "<p>": the empty void
 * element keeps the wrapper's or paragraph's content from being one text,
 * so the page is read with the element's node (the plain path); the
 * document must not change. */
static char *defeat_wrappers(const char *s)
{
    size_t n = strlen(s);
    char *out = malloc(n * 3 + 1), *o = out;
    ck_assert_ptr_nonnull(out);
    while (*s) {
        size_t k = strncmp(s, "<span>", 6) == 0 ? 6 : strncmp(s, "<b>", 3) == 0 ? 3 : strncmp(s, "<p>", 3) == 0 ? 3 : 0;
        if (k) {
            memcpy(o, s, k);
            memcpy(o + k, "<wbr>", 5);
            o += k + 5;
            s += k;
        } else
            *o++ = *s++;
    }
    *o = '\0';
    return out;
}

/* <span>0</span>: the text stands for the wrapper (no node is made); the
 * document is the one the wrapper's node gives, in cells, in text, in
 * headings before the article, and at the depth limit. */
START_TEST(wrappers_read_as_their_nodes)
{
    char deep[8192];
    size_t k = 0;
    for (int i = 0; i < HT_TEST_DEEP; i++)
        k += (size_t)snprintf(deep + k, sizeof deep - k, "<span>");
    k += (size_t)snprintf(deep + k, sizeof deep - k, "a<span>x</span>b<b>y</b>");
    for (int i = 0; i < 20; i++)
        k += (size_t)snprintf(deep + k, sizeof deep - k, "</span>");
    snprintf(deep + k, sizeof deep - k, "<span>c</span>d<p>e</p>");
    char deepp[8192]; /* a paragraph at and past the depth limit */
    k = 0;
    for (int i = 0; i < HT_TEST_DEEP; i++)
        k += (size_t)snprintf(deepp + k, sizeof deepp - k, i % 2 ? "<div>" : "<p>x</p><div>");
    snprintf(deepp + k, sizeof deepp - k, "a<p>b</p>c<p><span>d</span></p>e</div></div></div><p>f</p>g");
    const char *pages[] = {
        "<table><tr><td><p align=\"center\"><span>0</span></p></td><td><span>行政</span><span>许可</span></td></tr>"
        "<tr><td><b>1</b> <span>2</span></td><td><span>&nbsp;</span></td></tr></table>",
        "<p><span>中</span><span>文</span> <span>a</span>\n<span>b</span></p><p><b></b><span></span></p>",
        "<div><span><h2>标题</h2></span><h1><b>年度报告</b></h1></div><div class=\"content\"><p><span>正文</span>内容</p></div>",
        "<p><span>a</span></b></span><span>b</p><span>c</span></span>",
        deep,
        /* paragraphs of one text: breaks kept in cells and lines, an open <p> closed */
        "<table><tr><td>a<p>b</p>c</td><td><p>\xe4\xb8\xad</p>\xe6\x96\x87</td><td><p><span>1</span></p></td></tr>"
        "<tr><td>x <p> </p>y</td><td><p>p1<p>p2</p></td><td><p><b>t</b></p><p></p>z</td></tr></table>",
        "a <p>b</p> c<p><span>d</span></p>e<p>f<p>g</p></p><h2><p>h</p></h2><li><p>i</p>j",
        deepp,
    };
    for (size_t i = 0; i < sizeof pages / sizeof pages[0]; i++) {
        char *plain = defeat_wrappers(pages[i]);
        same_reading(pages[i], plain, true);
        free(plain);
    }
}
END_TEST

/* s spelt so that the reader takes its general paths: " hx" (an attribute
 * it never reads) after every start tag's name, so no tag is lexed on the
 * short path, every element is opened by open_element_any and no wrapper
 * is taken; and every digit of text outside tags, <script>, <style> and
 * <title> as a reference, so that those texts are decoded (text_token_any
 * and the lexer's decoding path). */
static char *general_spelling(const char *s)
{
    size_t n = strlen(s);
    char *out = malloc(n * 6 + 1), *o = out;
    ck_assert_ptr_nonnull(out);
    bool in_tag = false;
    const char *raw_end = NULL; /* inside <script>, <style> or <title>: its end tag */
    for (const char *p = s; *p;) {
        if (raw_end) {
            if (strncmp(p, raw_end, strlen(raw_end)) == 0)
                raw_end = NULL;
            else {
                *o++ = *p++;
                continue;
            }
        }
        if (*p == '<' && ((p[1] >= 'a' && p[1] <= 'z') || (p[1] >= 'A' && p[1] <= 'Z'))) {
            static const char *const raws[][2] = {{"<script", "</script"}, {"<style", "</style"}, {"<title", "</title"}};
            for (size_t r = 0; r < 3; r++)
                if (strncmp(p, raws[r][0], strlen(raws[r][0])) == 0)
                    raw_end = raws[r][1];
            size_t k = 1;
            while (p[k] && !strchr(" \t\n\r\f/>", p[k]))
                k++;
            memcpy(o, p, k);
            memcpy(o + k, " hx", 3);
            o += k + 3;
            p += k;
            in_tag = true;
            continue;
        }
        if (*p == '<')
            in_tag = true;
        else if (*p == '>')
            in_tag = false;
        else if (*p == '&') { /* a reference of the page's own, kept as it is */
            do
                *o++ = *p++;
            while ((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || *p == '#');
            continue;
        }
        if (!in_tag && *p >= '0' && *p <= '9')
            o += sprintf(o, "&#%d;", *p++);
        else
            *o++ = *p++;
    }
    *o = '\0';
    return out;
}

/* The reader's short paths (the usual tag, text, element, html_lex.c and
 * html_tree.c) read as its general ones: pages spelt by general_spelling
 * give the same documents, in both span modes' reader (grid here). */
START_TEST(general_paths_read_as_short_paths)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/tests/data/html/qingfeng_shuili_2023.html", tu_source_dir());
    size_t len;
    char *fixture = tu_read_file(path, &len);
    ck_assert_ptr_nonnull(fixture);
    const char *pages[] = {
        fixture,
        "<table><td>1</td><td>2<tr><td>3</td></table><p>a<br>b</br>c<x-y>4</x-y><font>5</font></p>",
        "<html><head><title>t1</title></head><body><main><p>正文 2023</p><article><h2>题 3</h2><p>6</p>"
        "</article></main><footer>7</footer></body></html>",
        "<div><span>8</span><b>9<i>0</i></b></div><ul><li>1<li>2</ul><dl><dt>3<dd>4</dl><nav>5</nav>",
        "x1<p>a2<b>b3</b></p>y4<div>c5<i>d6</i></div>e7<h3>f<span>8</span>g</h3>",
        "<table><tr><td rowspan=2><p align=center><span>1</span></p></td><td><p>2</p><p>3</p></td></tr>"
        "<tr><td colspan=3>4</td></tr><caption>5</caption></table><img src=x><hr/><input value=6>",
    };
    for (size_t i = 0; i < sizeof pages / sizeof pages[0]; i++) {
        char *general = general_spelling(pages[i]);
        same_reading(pages[i], general, true);
        free(general);
    }
    free(fixture);
}
END_TEST

/* s with every text between tags that is blanks only (' ', \t, \n, \r,
 * \f, &nbsp;) inside <span x>...</span>: the blank is the first child of
 * an element no reader breaks at, so its node is made (the plain path,
 * where s may leave it out).  s holds no comment, raw text or '>' in a
 * value. */
static char *keep_blanks(const char *s)
{
    size_t n = strlen(s);
    char *out = malloc(n * 16 + 1), *o = out;
    ck_assert_ptr_nonnull(out);
    for (const char *p = s; *p;) {
        if (*p == '<') {
            const char *e = strchr(p, '>');
            size_t k = e ? (size_t)(e - p) + 1 : strlen(p);
            memcpy(o, p, k);
            o += k;
            p += k;
            continue;
        }
        size_t k = strcspn(p, "<");
        bool blank = true;
        for (size_t i = 0; i < k && blank;)
            if (strchr(" \t\n\r\f", p[i]))
                i++;
            else if (strncmp(p + i, "&nbsp;", 6) == 0)
                i += 6;
            else
                blank = false;
        o += sprintf(o, blank ? "<span x>%.*s</span>" : "%.*s", (int)k, p);
        p += k;
    }
    *o = '\0';
    return out;
}

/* A blank text right after a break every reader makes (an element's
 * start or a sibling's end: blocks, cells, headings, <br>, paragraphs of
 * one text) makes no node: generated pages of blocks, inline elements,
 * tables, hidden and chrome elements around blank and visible texts read
 * as they do with every blank's node made (keep_blanks). */
#define P TU_PIECE
START_TEST(unread_blanks_make_no_node)
{
    static const tu_piece pieces[] = {
        P("<p>"), P("</p>"), P("<div>"), P("</div>"), P("<span>"), P("</span>"), P("<b>"), P("</b>"),
        P("<br>"), P("<br hidden>"), P("<hr>"), P("<wbr>"), P("<img>"), P("<h2>"), P("</h2>"), P("<h1>"),
        P("</h1>"), P("<table>"), P("</table>"), P("<tr>"), P("</tr>"), P("<td>"), P("</td>"),
        P("<th colspan=2>"), P("<caption>"), P("<ul>"), P("<li>"), P("</ul>"), P("<div hidden>"),
        P("<div style=\"display:none\">"), P("<nav>"), P("</nav>"), P("<p align=center>"),
        P("<div class=content>"), P("<td>&nbsp;</td>"), P("<p> </p>"), P("<p><span> </span></p>"),
        P("<span> </span>"), P("a"), P("12"), P("\xe4\xb8\xad"), P("\xe6\x96\x87\xe5\xad\x97"), P(" "),
        P("\n"), P("\t"), P("\r\n"), P("&nbsp;"), P(" \n "), P("\f"),
    };
    static char page[8192];
    unsigned seed = 31;
    for (int round = 0; round < 600; round++) {
        size_t n = 0, want = 20 + tu_rand(&seed) % 160;
        for (size_t k = 0; k < want; k++) {
            const tu_piece *p = &pieces[tu_rand(&seed) % (sizeof pieces / sizeof pieces[0])];
            memcpy(page + n, p->s, p->n);
            n += p->n;
        }
        page[n] = '\0';
        char *plain = keep_blanks(page);
        same_reading(page, plain, false);
        free(plain);
    }
}
END_TEST
#undef P

/* Styles that hide an element, and styles that only look close: most are
 * settled before the style is copied, the rest by the full reading. */
START_TEST(style_hidden_variants)
{
    static const struct {
        const char *style;
        bool hidden;
    } cases[] = {
        {"display:none", true},           {"DISPLAY : NONE", true},        {"visibility:\thidden", true},
        {"display:\n none", true},        {"mydisplay:nonesuch", true},    {"color:red;display:none", true},
        {"font-family:\xe4\xbb\xbf\xe5\xae\x8b", false}, {"display:block; color:navy", false},
        {"x:none", false},                {"visibility:visible", false},   {"display:", false},
        {"display : n one", true},        {"dis play:none", true},         {"display:\fnone", false},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char page[256];
        snprintf(page, sizeof page, "<p>shown</p><div style=\"%s\"><p>gone</p></div>", cases[i].style);
        nb_doc *d = read_str(page);
        ck_assert_ptr_nonnull(d);
        ck_assert_msg(doc_contains(d, "gone") == !cases[i].hidden, "style \"%s\"", cases[i].style);
        nb_doc_free(d);
    }
}
END_TEST

START_TEST(malformed_never_crashes)
{
    static const char *const cases[] = {
        "",
        "<",
        "<<<>>>&&&;;;&#;&#x;&#99999999999;&#0;&#xD800;",
        "<table><tr><td>一<td>二</td></td></td></tr></tr></table></table>",
        "</td></tr></table><td>stray</td><tr><td>1</td>",
        "<table><tr><td rowspan=0 colspan=99999>x</td><td rowspan=-3 colspan=abc>y</td></tr><tr><td>z</td></tr>",
        "<p><b><i>unclosed <div>block <table><tr><td><p>cell",
        "<!-- never closed <table><tr><td>5</td></tr></table>",
        "<script>never closed <table>",
        "<a href='x>y' title=\"unterminated>text</a>",
        "<table><caption>表<tr><td>1<table><tr><td>2</table><td>3</table>",
        "<![if !supportLists]>一、<![endif]><o:p></o:p><?xml x?></ br></p></p>",
        "<tr><td>无表格</td><td>3</td></tr><li>a<li>b</li></li>",
        "<td colspan=\"2\"rowspan='2'class=x>tight</td>",
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        nb_doc *d = read_str(cases[i]);
        if (d) {
            nb_error err;
            nb_error_clear(&err);
            nb_report *r = nb_recognise(tu_templates(), d, &err);
            nb_report_free(r);
            nb_doc_free(d);
        }
    }
    /* unclosed cells still make a grid */
    nb_doc *d = read_str("<table><tr><td>规章<td>1<td>2<tr><td>行政规范性文件<td>3<td>4</table>");
    ck_assert_ptr_nonnull(d);
    ck_assert_uint_eq(d->nlines, 2);
    ck_assert_uint_eq(d->lines[1].ncells, 3);
    ck_assert_str_eq(d->lines[1].cells[2], "4");
    nb_doc_free(d);
}
END_TEST

START_TEST(deep_nesting_bounded)
{
    static const char *const opens[] = {"<div>", "<span>", "<table><tr><td>", "<ul><li>"};
    for (size_t k = 0; k < sizeof opens / sizeof *opens; k++) {
        size_t n = 20000, ol = strlen(opens[k]);
        char *buf = malloc(n * ol + 16);
        ck_assert_ptr_nonnull(buf);
        for (size_t i = 0; i < n; i++)
            memcpy(buf + i * ol, opens[k], ol);
        memcpy(buf + n * ol, "深", 4);
        nb_doc *d = read_doc(buf, n * ol + 3);
        ck_assert_ptr_nonnull(d);
        ck_assert(doc_contains(d, "深"));
        nb_doc_free(d);
        free(buf);
    }
}
END_TEST

/* A few hundred mutations of a real-shaped page: no crash, no hang, no
 * leak (under the sanitizer build). */
START_TEST(fuzz_mutations)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/tests/data/html/qingfeng_shuili_2023.html", tu_source_dir());
    size_t len;
    char *orig = tu_read_file(path, &len);
    ck_assert_ptr_nonnull(orig);
    static const char *const inserts[] = {"<", ">", "&", "</td>", "<td rowspan=40 colspan=64>", "<table>",
                                          "</table>", "<!--", "<script>", "&#x", "\"", "<tr>", "<p>", "\xff\xfe",
                                          "\xe5", "<br/>", "</tr></tr>"};
    uint64_t seed = 0x9e3779b97f4a7c15u;
    char *buf = malloc(len * 2 + 64);
    ck_assert_ptr_nonnull(buf);
    /* 200 rounds keep the suite fast under ASan; tests/fuzz goes deeper */
    for (int round = 0; round < 200; round++) {
        memcpy(buf, orig, len);
        size_t n = len;
        int edits = 1 + round % 8;
        for (int e = 0; e < edits; e++) {
            seed = seed * 6364136223846793005u + 1442695040888963407u;
            size_t at = (size_t)(seed >> 33) % (n ? n : 1);
            switch ((seed >> 8) % 4) {
            case 0: /* flip a byte */
                buf[at] = (char)(seed >> 16);
                break;
            case 1: { /* delete a range */
                size_t k = (size_t)(seed >> 20) % 200;
                if (at + k > n)
                    k = n - at;
                memmove(buf + at, buf + at + k, n - at - k);
                n -= k;
                break;
            }
            default: { /* insert markup */
                const char *ins = inserts[(seed >> 24) % (sizeof inserts / sizeof *inserts)];
                size_t k = strlen(ins);
                if (n + k > len * 2 + 60)
                    break;
                memmove(buf + at + k, buf + at, n - at);
                memcpy(buf + at, ins, k);
                n += k;
                break;
            }
            }
        }
        nb_doc *d = read_doc(buf, n);
        if (d && round % 5 == 0) {
            nb_error err;
            nb_error_clear(&err);
            nb_report_free(nb_recognise(tu_templates(), d, &err));
        }
        nb_doc_free(d);
    }
    free(buf);
    free(orig);
}
END_TEST

START_TEST(probe_bids)
{
    nb_context *c = tu_context();
    const nb_plugin *p = html_plugin(c);
    const char *doc = "<!DOCTYPE html><html>";
    const char *frag = "<p>政府信息公开工作年度报告</p>";
    const char *plain = "政府信息公开工作年度报告\n一、总体情况";
    ck_assert_int_ge(p->probe((const unsigned char *)doc, strlen(doc)), 60);
    ck_assert_int_ge(p->probe((const unsigned char *)"<TABLE border=1>", 16), 50);
    ck_assert_int_gt(p->probe((const unsigned char *)frag, strlen(frag)), 40);
    ck_assert_int_eq(p->probe((const unsigned char *)plain, strlen(plain)), 0);
    nb_context_free(c);
}
END_TEST

/* Values through the CLI ---------------------------------------------- */

START_TEST(fixture_values)
{
    json_t *j = fixture("qingfeng_shuili_2023.html");
    ck_assert_str_eq(json_string_value(json_object_get(j, "agency")), "青峰县水利局");
    ck_assert_int_eq(json_integer_value(json_object_get(j, "year")), 2023);
    ck_assert_str_eq(json_string_value(json_object_get(j, "template")), "gb2021");
    ck_assert_str_eq(json_string_value(json_object_get(json_object_get(j, "source"), "format")), "html");
    assert_row(j, "new_received", (const int[7]){4, 2, 0, 0, 0, 1, 7});
    assert_row(j, "carried_over", (const int[7]){1, 0, 0, 0, 0, 0, 1});
    assert_row(j, "granted", (const int[7]){2, 1, 0, 0, 0, 1, 4});
    assert_row(j, "partially_granted", (const int[7]){1, 0, 0, 0, 0, 0, 1});
    assert_row(j, "unavailable.not_held", (const int[7]){1, 0, 0, 0, 0, 0, 1});
    assert_row(j, "not_processed.duplicate", (const int[7]){0, 1, 0, 0, 0, 0, 1});
    assert_row(j, "results_total", (const int[7]){4, 2, 0, 0, 0, 1, 7});
    assert_row(j, "carried_forward", (const int[7]){1, 0, 0, 0, 0, 0, 1});
    ck_assert(is_blank(j, "requests.new_received.research"));
    ck_assert(is_blank(j, "requests.granted.nonprofit"));
    /* table 3: one row of 15 cells with 5 blanks, positions kept */
    static const char *const app[] = {"review", "suit_direct", "suit_after_review"};
    static const char *const res[] = {"upheld", "corrected", "other", "pending", "total"};
    static const int want[15] = {2, 1, 0, 0, 3, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0};
    for (int i = 0; i < 15; i++) {
        char p[128];
        snprintf(p, sizeof p, "appeals.%s.%s", app[i / 5], res[i % 5]);
        ASSERT_VAL(j, p, want[i]);
    }
    ck_assert(is_blank(j, "appeals.review.other"));
    ck_assert(is_blank(j, "appeals.suit_after_review.corrected"));
    ck_assert(!is_blank(j, "appeals.review.pending"));
    ASSERT_VAL(j, "proactive.normative_docs.issued", 3);
    ASSERT_VAL(j, "proactive.normative_docs.repealed", 1);
    ASSERT_VAL(j, "proactive.normative_docs.in_force", 11);
    ASSERT_VAL(j, "proactive.licensing.decisions", 138);
    ASSERT_VAL(j, "proactive.penalty.decisions", 26);
    ASSERT_VAL(j, "proactive.coercion.decisions", 4);
    ASSERT_VAL(j, "proactive.admin_fees.amount_wan", 7.25);
    json_decref(j);
}
END_TEST

START_TEST(gbk_meta_charset)
{
    json_t *j = fixture("baishi_zhen_2022_gbk.html");
    ck_assert_str_eq(json_string_value(json_object_get(j, "agency")), "白石镇人民政府");
    ck_assert_int_eq(json_integer_value(json_object_get(j, "year")), 2022);
    ck_assert_str_eq(json_string_value(json_object_get(json_object_get(j, "source"), "encoding")), "GB18030");
    assert_row(j, "new_received", (const int[7]){9, 0, 0, 0, 0, 0, 9});
    assert_row(j, "unavailable.not_held", (const int[7]){3, 0, 0, 0, 0, 0, 3});
    assert_row(j, "results_total", (const int[7]){9, 0, 0, 0, 0, 0, 9});
    ASSERT_VAL(j, "appeals.review.pending", 1);
    ASSERT_VAL(j, "appeals.suit_direct.upheld", 2);
    ASSERT_VAL(j, "proactive.licensing.decisions", 52);
    json_decref(j);
}
END_TEST

START_TEST(bad_option_refused)
{
    char cmd[2048];
    snprintf(cmd, sizeof cmd, "'%s' convert '%s/tests/data/html/qingfeng_shuili_2023.html' -I html.spans=wide -t json",
             tu_bin(), tu_source_dir());
    char *out = NULL, *err = NULL;
    int rc = tu_run(cmd, NULL, &out, &err);
    ck_assert_int_ne(rc, 0);
    ck_assert_int_lt(rc, 128);
    free(out);
    free(err);
}
END_TEST

/* Tag names are matched without case whatever their length (the lexer
 * keys names of up to eight bytes as one word, longer ones by string),
 * also when a name runs into the end of the page. */
START_TEST(tag_names_any_case)
{
    nb_doc *d = read_str("<TITLE>标题</TiTlE><BODY><TABLE><Tr><TD>甲</Td><tD>1</TD></tR>"
                         "<TR><TH>乙</TH><td>2</td></TR></Table>"
                         "<P>a<abcdefgh>b</ABCDEFGH>c<ABCDEFGHIJ>d</abcdefghij>e<Span>f</SPAN>g</p>"
                         "<SCRIPT>var a = '<p>99</p>';</ScRiPt><p>末</p><b");
    ck_assert_ptr_nonnull(d);
    long r = find_line(d, "甲");
    ck_assert_int_ge(r, 0);
    ck_assert_int_eq(d->lines[r].kind, NB_LINE_ROW);
    ck_assert_uint_eq(d->lines[r].ncells, 2);
    ck_assert_str_eq(d->lines[r].cells[1], "1");
    ck_assert_str_eq(d->lines[r + 1].cells[0], "乙");
    ck_assert_int_ge(find_line(d, "abcdefg"), 0); /* unknown and inline tags join their text */
    ck_assert_int_ge(find_line(d, "末"), 0);
    ck_assert(!doc_contains(d, "99"));
    nb_doc_free(d);
    /* every cut of a page ends some name, value or text at the buffer's end */
    static const char page[] = "<TABLE><TR><TD CLASS=x>甲</TD><abcdefgh>1</ABCDEFGH></TR></TABLE>";
    for (size_t n = 1; n < sizeof page - 1; n++) {
        char *buf = malloc(n); /* exactly n bytes: valgrind sees any read past them */
        ck_assert_ptr_nonnull(buf);
        memcpy(buf, page, n);
        nb_doc *cut = read_doc(buf, n);
        free(buf);
        nb_doc_free(cut);
    }
}
END_TEST

/* A page that is not UTF-8 and declares Big5 is read as Big5; a UTF-8
 * page declaring Big5 stays UTF-8 (the bytes decide first). */
START_TEST(big5_only_when_not_utf8)
{
    nb_doc *d = read_str("<html><head><meta charset=\"big5\"></head><body><p>\xa4\xa4\xa4\xe5 1</p></body></html>");
    ck_assert_ptr_nonnull(d);
    ck_assert_int_ge(find_line(d, "中文 1"), 0);
    ck_assert_str_eq(nb_doc_encoding(d), "BIG5");
    nb_doc_free(d);
    d = read_str("<html><head><meta charset=big5></head><body><p>中文 2</p></body></html>");
    ck_assert_ptr_nonnull(d);
    ck_assert_int_ge(find_line(d, "中文 2"), 0);
    ck_assert_str_eq(nb_doc_encoding(d), "UTF-8");
    nb_doc_free(d);
    d = read_str("<html><head><meta charset=gb2312></head><body><p>\xd6\xd0\xce\xc4 3</p></body></html>");
    ck_assert_ptr_nonnull(d);
    ck_assert_int_ge(find_line(d, "中文 3"), 0);
    ck_assert_str_eq(nb_doc_encoding(d), "GB18030");
    nb_doc_free(d);
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("html");
    TCase *tc = tcase_create("reader");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, entities_and_nbsp);
    tcase_add_test(tc, spans_expand_to_grid);
    tcase_add_test(tc, labels_split_over_markup);
    tcase_add_test(tc, blocks_headings_and_comments);
    tcase_add_test(tc, chrome_dropped);
    tcase_add_test(tc, malformed_never_crashes);
    tcase_add_test(tc, deep_nesting_bounded);
    tcase_add_test(tc, fuzz_mutations);
    tcase_add_test(tc, probe_bids);
    tcase_add_test(tc, fixture_values);
    tcase_add_test(tc, gbk_meta_charset);
    tcase_add_test(tc, bad_option_refused);
    tcase_add_test(tc, tag_names_any_case);
    tcase_add_test(tc, big5_only_when_not_utf8);
    tcase_add_test(tc, attribute_values_plain_or_encoded);
    tcase_add_test(tc, wrappers_read_as_their_nodes);
    tcase_add_test(tc, general_paths_read_as_short_paths);
    tcase_add_test(tc, unread_blanks_make_no_node);
    tcase_add_test(tc, style_hidden_variants);
    suite_add_tcase(s, tc);
    return s;
}

int main(void) { return tu_main(suite()); }
