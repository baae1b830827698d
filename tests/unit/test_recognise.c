/* test_recognise.c - the recogniser against one fixture per irregularity of
 * domain.md §5 (and the heading/title/template cases of §2, §4).
 *
 * Every fixture is invented here: the agency 青禾县农业农村局 and its
 * numbers do not exist.  A small generator writes one complete report
 * (title, preamble, six sections, three tables, signature) from a data set
 * in one of several layouts (tab rows, one cell per line, blank-separated
 * cells, markdown pipes, glued page text); a fixture then edits the text
 * with exact substitutions to add the irregularity it is about.  The data
 * sets are internally consistent (row sums, 勾稽 relation, group totals)
 * unless a test says otherwise, so every value has one right reading.
 */
#include "testutil.h"
#include "nianbao/text.h"
#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---------------------------------------------------------------- strings */

typedef struct sb {
    char *s;
    size_t n, cap;
} sb;

static void sb_add(sb *b, const char *s)
{
    size_t l = strlen(s);
    if (b->n + l + 1 > b->cap) {
        b->cap = (b->n + l + 1) * 2;
        b->s = realloc(b->s, b->cap);
        ck_assert_ptr_nonnull(b->s);
    }
    memcpy(b->s + b->n, s, l + 1);
    b->n += l;
}

static void sb_addf(sb *b, const char *fmt, ...) NB_PRINTF(2, 3);
static void sb_addf(sb *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    ck_assert_int_ge(n, 0);
    char *tmp = malloc((size_t)n + 1);
    ck_assert_ptr_nonnull(tmp);
    va_start(ap, fmt);
    vsnprintf(tmp, (size_t)n + 1, fmt, ap);
    va_end(ap);
    sb_add(b, tmp);
    free(tmp);
}

/* Replaces the first `from` in text (freed) by `to`; the fixture is wrong,
 * not the recogniser, when `from` is absent, so that fails loudly. */
static char *subst(char *text, const char *from, const char *to)
{
    char *p = strstr(text, from);
    ck_assert_msg(p != NULL, "fixture: \"%s\" not in the generated text", from);
    sb b = {0};
    *p = '\0';
    sb_add(&b, text);
    sb_add(&b, to);
    sb_add(&b, p + strlen(from));
    free(text);
    return b.s;
}

/* ------------------------------------------------------------- data sets */

enum { T2_ROWS = 25, T2_COLS = 7, T3_CELLS = 15 };

static const char *const T2_KEYS[T2_ROWS] = {
    "new_received", "carried_over", "granted", "partially_granted",
    "withheld.state_secret", "withheld.law_prohibited", "withheld.security_stability",
    "withheld.third_party", "withheld.internal_affairs", "withheld.process_info",
    "withheld.enforcement_file", "withheld.admin_query",
    "unavailable.not_held", "unavailable.needs_creation", "unavailable.still_unclear",
    "not_processed.petition", "not_processed.duplicate", "not_processed.publication",
    "not_processed.excessive", "not_processed.reissue",
    "other_handling.no_correction", "other_handling.fee_unpaid", "other_handling.other",
    "results_total", "carried_forward"};

static const char *const T2_LABELS[T2_ROWS] = {
    "一、本年新收政府信息公开申请数量", "二、上年结转政府信息公开申请数量", "（一）予以公开",
    "（二）部分公开（区分处理的，只计这一情形，不计其他情形）",
    "1.属于国家秘密", "2.其他法律行政法规禁止公开", "3.危及“三安全一稳定”",
    "4.保护第三方合法权益", "5.属于三类内部事务信息", "6.属于四类过程性信息",
    "7.属于行政执法案卷", "8.属于行政查询事项",
    "1.本机关不掌握相关政府信息", "2.没有现成信息需要另行制作", "3.补正后申请内容仍不明确",
    "1.信访举报投诉类申请", "2.重复申请", "3.要求提供公开出版物", "4.无正当理由大量反复申请",
    "5.要求行政机关确认或重新出具已获取信息",
    "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
    "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请", "3.其他",
    "（七）总计", "四、结转下年度继续办理"};

static const char *const T2_COLKEYS[T2_COLS] = {"natural_person", "business", "research",
                                                "nonprofit", "legal_service", "other_org",
                                                "total"};

static const char *const T3_KEYS[T3_CELLS] = {
    "review.upheld", "review.corrected", "review.other", "review.pending", "review.total",
    "suit_direct.upheld", "suit_direct.corrected", "suit_direct.other", "suit_direct.pending",
    "suit_direct.total", "suit_after_review.upheld", "suit_after_review.corrected",
    "suit_after_review.other", "suit_after_review.pending", "suit_after_review.total"};

/* The group label printed in front of row i (template order), or NULL. */
static const char *t2_group(size_t i)
{
    switch (i) {
    case 2: return "三、本年度办理结果";
    case 4: return "（三）不予公开";
    case 12: return "（四）无法提供";
    case 15: return "（五）不予处理";
    case 20: return "（六）其他处理";
    default: return NULL;
    }
}

typedef struct dataset {
    const char *agency;
    int year;
    /* table 1 as printed: rules/normative_docs issued, repealed, in_force;
     * licensing, penalty, coercion; admin_fees (万元) */
    const char *rules[3], *norm[3], *lic, *pen, *coe, *fees;
    long t2[T2_ROWS][T2_COLS];
    bool org_blank[T2_ROWS]; /* the five organisation cells left blank */
    long t3[T3_CELLS];
} dataset;

/* Data set A: a county bureau with a few requests of every kind.
 * Rows: total = Σ six; columns: 一+二 = (七)+四; (七) = Σ leaves. */
static const dataset DATA_A = {
    .agency = "青禾县农业农村局", .year = 2023,
    .rules = {"2", "0", "5"}, .norm = {"7", "1", "23"},
    .lic = "168", .pen = "41", .coe = "3", .fees = "12.5",
    .t2 = {{31, 4, 0, 1, 2, 0, 38}, {2, 1, 0, 0, 0, 0, 3}, {12, 2, 0, 0, 1, 0, 15},
           {3, 0, 0, 0, 0, 0, 3},   {0, 0, 0, 0, 0, 0, 0}, {1, 0, 0, 0, 0, 0, 1},
           {0, 0, 0, 0, 0, 0, 0},   {1, 0, 0, 0, 0, 0, 1}, {0, 0, 0, 0, 0, 0, 0},
           {2, 0, 0, 0, 0, 0, 2},   {0, 0, 0, 0, 0, 0, 0}, {0, 0, 0, 0, 0, 0, 0},
           {6, 1, 0, 1, 0, 0, 8},   {1, 0, 0, 0, 0, 0, 1}, {0, 0, 0, 0, 0, 0, 0},
           {2, 0, 0, 0, 0, 0, 2},   {1, 0, 0, 0, 0, 0, 1}, {0, 0, 0, 0, 0, 0, 0},
           {0, 0, 0, 0, 0, 0, 0},   {0, 0, 0, 0, 0, 0, 0}, {1, 0, 0, 0, 0, 0, 1},
           {0, 0, 0, 0, 0, 0, 0},   {0, 1, 0, 0, 0, 0, 1}, {30, 4, 0, 1, 1, 0, 36},
           {3, 1, 0, 0, 1, 0, 5}},
    .t3 = {1, 1, 0, 0, 2, 0, 0, 1, 1, 2, 1, 0, 0, 0, 1}};

/* Data set B: few requests, most rows natural persons only, organisation
 * cells left blank in the source (domain.md §5.2, seed-004 style). */
static const dataset DATA_B = {
    .agency = "青禾县农业农村局", .year = 2023,
    .rules = {"0", "0", "0"}, .norm = {"0", "0", "0"},
    .lic = "0", .pen = "0", .coe = "0", .fees = "0",
    .t2 = {{6, 1, 0, 0, 0, 0, 7}, {0, 0, 0, 0, 0, 0, 0}, {2, 0, 0, 0, 0, 0, 2},
           {1, 0, 0, 0, 0, 0, 1}, {0, 0, 0, 0, 0, 0, 0}, {0, 0, 0, 0, 0, 0, 0},
           {0, 0, 0, 0, 0, 0, 0}, {0, 0, 0, 0, 0, 0, 0}, {1, 0, 0, 0, 0, 0, 1},
           {0, 0, 0, 0, 0, 0, 0}, {0, 0, 0, 0, 0, 0, 0}, {0, 0, 0, 0, 0, 0, 0},
           {1, 1, 0, 0, 0, 0, 2}, {0, 0, 0, 0, 0, 0, 0}, {0, 0, 0, 0, 0, 0, 0},
           {0, 0, 0, 0, 0, 0, 0}, {1, 0, 0, 0, 0, 0, 1}, {0, 0, 0, 0, 0, 0, 0},
           {0, 0, 0, 0, 0, 0, 0}, {0, 0, 0, 0, 0, 0, 0}, {0, 0, 0, 0, 0, 0, 0},
           {0, 0, 0, 0, 0, 0, 0}, {0, 0, 0, 0, 0, 0, 0}, {6, 1, 0, 0, 0, 0, 7},
           {0, 0, 0, 0, 0, 0, 0}},
    /* rows printed with only 自然人 and 总计; 2.其他法律… is printed in full */
    .org_blank = {false, true, true, true, true, false, true, true, true, true, true, true,
                  false, true, true, true, true, true, true, true, true, true, true, false,
                  false},
    .t3 = {0}};

/* Data set G: for glued page text.  granted = 22 0 0 0 0 3 25 also reads
 * as 2 20 0 0 0 3 25 (both satisfy the row sum); only the column sums
 * (自然人 (七) = 38, 商业企业 (七) = 2) decide (domain.md §5.6). */
static const dataset DATA_G = {
    .agency = "青禾县农业农村局", .year = 2023,
    .rules = {"2", "0", "5"}, .norm = {"7", "1", "23"},
    .lic = "168", .pen = "41", .coe = "3", .fees = "12.5",
    .t2 = {{40, 2, 0, 0, 0, 3, 45}, {1, 0, 0, 0, 0, 0, 1}, {22, 0, 0, 0, 0, 3, 25},
           {4, 1, 0, 0, 0, 0, 5},   {0, 0, 0, 0, 0, 0, 0}, {1, 0, 0, 0, 0, 0, 1},
           {0, 0, 0, 0, 0, 0, 0},   {0, 0, 0, 0, 0, 0, 0}, {0, 0, 0, 0, 0, 0, 0},
           {0, 0, 0, 0, 0, 0, 0},   {0, 0, 0, 0, 0, 0, 0}, {0, 0, 0, 0, 0, 0, 0},
           {9, 1, 0, 0, 0, 0, 10},  {0, 0, 0, 0, 0, 0, 0}, {0, 0, 0, 0, 0, 0, 0},
           {2, 0, 0, 0, 0, 0, 2},   {0, 0, 0, 0, 0, 0, 0}, {0, 0, 0, 0, 0, 0, 0},
           {0, 0, 0, 0, 0, 0, 0},   {0, 0, 0, 0, 0, 0, 0}, {0, 0, 0, 0, 0, 0, 0},
           {0, 0, 0, 0, 0, 0, 0},   {0, 0, 0, 0, 0, 0, 0}, {38, 2, 0, 0, 0, 3, 43},
           {3, 0, 0, 0, 0, 0, 3}},
    .t3 = {1, 1, 0, 0, 2, 0, 0, 1, 1, 2, 1, 0, 0, 0, 1}};

/* ------------------------------------------------------------- generator */

typedef enum layout {
    L_TSV,         /* one table row per line, cells separated by tabs (seeds 001-003) */
    L_LINES_TAB,   /* one cell per line, each indented by a tab; empty cells kept (seed 000) */
    L_LINES_BLANK, /* one cell per line, blank line between, empty cells gone (seed 004) */
    L_PIPES,       /* markdown: # headings at mixed levels, pipe tables */
    L_GLUED        /* flattened page text: everything after the title on one line */
} layout;

typedef struct writer {
    sb b;
    layout L;
    bool table_start; /* markdown: the next row is a header row */
} writer;

static void row_out(writer *w, const char *const *cells, size_t n)
{
    sb *b = &w->b;
    for (size_t i = 0; i < n; i++) {
        switch (w->L) {
        case L_TSV: sb_addf(b, "%s%s", i ? "\t" : "", cells[i]); break;
        case L_LINES_TAB: sb_addf(b, "\t%s\n", cells[i]); break;
        case L_LINES_BLANK:
            if (*cells[i])
                sb_addf(b, "%s\n\n", cells[i]);
            break;
        case L_PIPES: sb_addf(b, "%s %s", i ? " |" : "|", cells[i]); break;
        case L_GLUED: sb_add(b, cells[i]); break;
        }
    }
    if (w->L == L_TSV)
        sb_add(b, "\n");
    if (w->L == L_PIPES) {
        sb_add(b, " |\n");
        if (w->table_start) {
            sb_add(b, "|");
            for (size_t i = 0; i < n; i++)
                sb_add(b, " --- |");
            sb_add(b, "\n");
        }
    }
    w->table_start = false;
}

/* A paragraph or a heading; level > 0 is a markdown heading level. */
static void text_out(writer *w, int level, const char *s)
{
    switch (w->L) {
    case L_GLUED: sb_add(&w->b, s); break;
    case L_LINES_BLANK: sb_addf(&w->b, "%s\n\n", s); break;
    case L_PIPES:
        if (level > 0)
            sb_addf(&w->b, "\n%.*s %s\n\n", level, "######", s);
        else
            sb_addf(&w->b, "%s\n\n", s);
        break;
    default: sb_addf(&w->b, "%s\n", s); break;
    }
    w->table_start = true;
}

static void render_t1(writer *w, const dataset *d)
{
    static const char *const h1[] = {"信息内容", "本年制发件数", "本年废止件数", "现行有效件数"};
    static const char *const h2[] = {"信息内容", "本年处理决定数量"};
    static const char *const h3[] = {"信息内容", "本年收费金额（单位：万元）"};
    const char *cap;
    w->table_start = true;
    row_out(w, (cap = "第二十条第（一）项", &cap), 1);
    row_out(w, h1, 4);
    const char *r1[] = {"规章", d->rules[0], d->rules[1], d->rules[2]};
    const char *r2[] = {"行政规范性文件", d->norm[0], d->norm[1], d->norm[2]};
    row_out(w, r1, 4);
    row_out(w, r2, 4);
    row_out(w, (cap = "第二十条第（五）项", &cap), 1);
    row_out(w, h2, 2);
    const char *r3[] = {"行政许可", d->lic}, *r4[] = {"行政处罚", d->pen},
               *r5[] = {"行政强制", d->coe}, *r6[] = {"行政事业性收费", d->fees};
    row_out(w, r3, 2);
    row_out(w, (cap = "第二十条第（六）项", &cap), 1);
    row_out(w, h2, 2);
    row_out(w, r4, 2);
    row_out(w, r5, 2);
    row_out(w, (cap = "第二十条第（八）项", &cap), 1);
    row_out(w, h3, 2);
    row_out(w, r6, 2);
}

static void render_t2_header(writer *w)
{
    static const char *const h1[] = {
        "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）", "申请人情况"};
    static const char *const h2[] = {"", "自然人", "法人或其他组织", "", "", "", "", "总计"};
    static const char *const h3[] = {"", "", "商业企业", "科研机构", "社会公益组织",
                                     "法律服务机构", "其他"};
    w->table_start = true;
    row_out(w, h1, 2);
    row_out(w, h2, 8);
    row_out(w, h3, 7);
}

/* Cells of table-2 row i laid out like a merged-cell table copied as text:
 * level-1 rows (一、二、四、) start at column 0, 三、 precedes （一）, a
 * group label precedes its first leaf, other leaves are indented by two
 * empty cells.  Returns the number of cells (at most T2_COLS + 3). */
static size_t t2_cells(const dataset *d, size_t i, char vals[T2_COLS][24], const char **cells)
{
    size_t n = 0;
    bool level1 = i == 0 || i == 1 || i == 24;
    if (i == 2) {
        cells[n++] = t2_group(i);
    } else if (!level1) {
        cells[n++] = "";
        if (i != 3 && i != 23)
            cells[n++] = t2_group(i) ? t2_group(i) : "";
    }
    cells[n++] = T2_LABELS[i];
    for (size_t j = 0; j < T2_COLS; j++) {
        bool blank = d->org_blank[i] && j > 0 && j < 6;
        if (blank)
            vals[j][0] = '\0';
        else
            snprintf(vals[j], 24, "%ld", d->t2[i][j]);
        cells[n++] = vals[j];
    }
    return n;
}

static void render_t2(writer *w, const dataset *d)
{
    render_t2_header(w);
    for (size_t i = 0; i < T2_ROWS; i++) {
        char vals[T2_COLS][24];
        const char *cells[T2_COLS + 3];
        size_t n = t2_cells(d, i, vals, cells);
        row_out(w, cells, n);
    }
}

static void render_t3(writer *w, const dataset *d)
{
    static const char *const h1[] = {"行政复议", "", "", "", "", "行政诉讼"};
    static const char *const h2[] = {"结果维持", "结果纠正", "其他结果", "尚未审结", "总计",
                                     "未经复议直接起诉", "", "", "", "", "复议后起诉"};
    static const char *const h3[] = {"", "", "", "", "", "结果维持", "结果纠正", "其他结果",
                                     "尚未审结", "总计", "结果维持", "结果纠正", "其他结果",
                                     "尚未审结", "总计"};
    char vals[T3_CELLS][24];
    const char *cells[T3_CELLS];
    for (size_t i = 0; i < T3_CELLS; i++) {
        snprintf(vals[i], 24, "%ld", d->t3[i]);
        cells[i] = vals[i];
    }
    w->table_start = true;
    row_out(w, h1, 6);
    row_out(w, h2, 11);
    row_out(w, h3, 15);
    row_out(w, cells, T3_CELLS);
}

/* A complete report of data set d in layout L.  Markdown headings use
 * mixed levels on purpose (domain.md §5.11: seed 002 mixes ## ### ####). */
static char *make_report(const dataset *d, layout L)
{
    static const int md_level[6] = {2, 2, 3, 4, 4, 2};
    writer w = {.L = L};
    char line[512];
    snprintf(line, sizeof line, "%s%d年政府信息公开工作年度报告", d->agency, d->year);
    if (L == L_PIPES)
        sb_addf(&w.b, "# %s\n\n", line);
    else
        sb_addf(&w.b, "%s\n\n", line); /* the title stays on its own line, even glued */
    text_out(&w, 0, "本报告依据《中华人民共和国政府信息公开条例》编制，所列数据统计期限为"
                    "本年1月1日至12月31日。");
    text_out(&w, md_level[0], "一、总体情况");
    text_out(&w, 0, "本机关坚持以公开为常态，全年主动公开各类信息215条。");
    text_out(&w, md_level[1], "二、主动公开政府信息情况");
    render_t1(&w, d);
    text_out(&w, md_level[2], "三、收到和处理政府信息公开申请情况");
    render_t2(&w, d);
    text_out(&w, md_level[3], "四、政府信息公开行政复议、行政诉讼情况");
    render_t3(&w, d);
    text_out(&w, md_level[4], "五、存在的主要问题及改进情况");
    text_out(&w, 0, "一是信息更新还不够及时，二是解读形式较为单一。下一步将加强业务培训。");
    text_out(&w, md_level[5], "六、其他需要报告的事项");
    text_out(&w, 0, "本年度未收取信息处理费。");
    sb_addf(&w.b, "\n\n%s\n%d年1月18日\n", d->agency, d->year + 1);
    return w.b.s;
}

/* ------------------------------------------------------------ recognising */

static nb_report *recognise(const char *text, unsigned flags)
{
    nb_error err;
    nb_error_clear(&err);
    ck_assert_msg(tu_templates() != NULL, "templates not loaded (run through ctest)");
    nb_doc *d = nb_doc_new("fixture.txt");
    ck_assert_int_eq(nb_doc_split_text(d, text, strlen(text), flags), NB_OK);
    nb_doc_set_encoding(d, "UTF-8");
    nb_report *r = nb_recognise(tu_templates(), d, &err);
    nb_doc_free(d);
    ck_assert_msg(r != NULL, "not recognised: %s", err.text);
    return r;
}

static nb_report *recognise_txt(const char *text) { return recognise(text, NB_SPLIT_TABS); }

/* ------------------------------------------------------------- assertions */

/* Collects mismatches so one run lists all of them, then fails once. */
typedef struct checker {
    sb msg;
    int bad;
} checker;

static void cell_desc(const nb_cell *c, char *buf, size_t len)
{
    if (!c) {
        snprintf(buf, len, "(no such field)");
        return;
    }
    char num[64] = "null";
    if (c->has_value)
        nb_num_format(c->num, num, sizeof num);
    snprintf(buf, len, "%s [%s raw=%s]", num, nb_cell_status_name(c->status),
             c->raw ? c->raw : "-");
}

static void want_num(checker *k, nb_report *r, const char *path, const char *want)
{
    nb_num w;
    ck_assert_msg(nb_num_parse(want, &w), "fixture: bad number %s", want);
    const nb_cell *c = nb_report_cell(r, path);
    if (c && c->has_value && nb_num_cmp(c->num, w) == 0)
        return;
    char got[160];
    cell_desc(c, got, sizeof got);
    if (k->bad++ < 40)
        sb_addf(&k->msg, "\n  %s: want %s, got %s", path, want, got);
}

static void want_long(checker *k, nb_report *r, const char *path, long v)
{
    char buf[32];
    snprintf(buf, sizeof buf, "%ld", v);
    want_num(k, r, path, buf);
}

static void want_status(checker *k, nb_report *r, const char *path, nb_cell_status st)
{
    const nb_cell *c = nb_report_cell(r, path);
    if (c && c->status == st)
        return;
    char got[160];
    cell_desc(c, got, sizeof got);
    if (k->bad++ < 40)
        sb_addf(&k->msg, "\n  %s: want status %s, got %s", path, nb_cell_status_name(st), got);
}

/* A null cell with the given status (ambiguous / missing readings). */
static void want_null(checker *k, nb_report *r, const char *path, nb_cell_status st)
{
    const nb_cell *c = nb_report_cell(r, path);
    if (c && !c->has_value && c->status == st)
        return;
    char got[160];
    cell_desc(c, got, sizeof got);
    if (k->bad++ < 40)
        sb_addf(&k->msg, "\n  %s: want null [%s], got %s", path, nb_cell_status_name(st), got);
}

static void check_done(checker *k, const char *fixture)
{
    if (k->bad)
        fprintf(stderr, "%s: %d mismatches:%s\n", fixture, k->bad, k->msg.s);
    ck_assert_msg(k->bad == 0, "%s: %d mismatches:%s", fixture, k->bad, k->msg.s ? k->msg.s : "");
    free(k->msg.s);
}

static void want_t1(checker *k, nb_report *r, const dataset *d)
{
    static const char *const cols[3] = {"issued", "repealed", "in_force"};
    char p[128];
    for (int i = 0; i < 3; i++) {
        snprintf(p, sizeof p, "proactive.rules.%s", cols[i]);
        want_num(k, r, p, d->rules[i]);
        snprintf(p, sizeof p, "proactive.normative_docs.%s", cols[i]);
        want_num(k, r, p, d->norm[i]);
    }
    want_num(k, r, "proactive.licensing.decisions", d->lic);
    want_num(k, r, "proactive.penalty.decisions", d->pen);
    want_num(k, r, "proactive.coercion.decisions", d->coe);
    want_num(k, r, "proactive.admin_fees.amount_wan", d->fees);
}

static void want_t2_row(checker *k, nb_report *r, const dataset *d, size_t i)
{
    char p[160];
    for (size_t j = 0; j < T2_COLS; j++) {
        snprintf(p, sizeof p, "requests.%s.%s", T2_KEYS[i], T2_COLKEYS[j]);
        want_long(k, r, p, d->t2[i][j]);
    }
}

static void want_t2(checker *k, nb_report *r, const dataset *d)
{
    for (size_t i = 0; i < T2_ROWS; i++)
        want_t2_row(k, r, d, i);
}

static void want_t3(checker *k, nb_report *r, const dataset *d)
{
    char p[128];
    for (size_t i = 0; i < T3_CELLS; i++) {
        snprintf(p, sizeof p, "appeals.%s", T3_KEYS[i]);
        want_long(k, r, p, d->t3[i]);
    }
}

static void want_all(checker *k, nb_report *r, const dataset *d)
{
    want_t1(k, r, d);
    want_t2(k, r, d);
    want_t3(k, r, d);
}

static const char *variant_of(const nb_report *r, const char *table)
{
    const nb_table *t = nb_report_table_c(r, table);
    return t && t->def ? t->def->variant : "(none)";
}

static void want_variants(nb_report *r, const char *tmpl, const char *t1, const char *t2,
                          const char *t3)
{
    ck_assert_str_eq(variant_of(r, "proactive"), t1);
    ck_assert_str_eq(variant_of(r, "requests"), t2);
    ck_assert_str_eq(variant_of(r, "appeals"), t3);
    ck_assert_pstr_eq(r->template_id, tmpl);
}

static void want_meta(nb_report *r, const char *agency, int year, const char *published)
{
    ck_assert_pstr_eq(r->agency, agency);
    ck_assert_int_eq(r->year, year);
    ck_assert_pstr_eq(r->published, published);
}

/* Runs one fixture that must read exactly as data set d. */
static void expect_dataset(const char *name, const char *text, unsigned flags, const dataset *d)
{
    nb_report *r = recognise(text, flags);
    checker k = {0};
    want_all(&k, r, d);
    check_done(&k, name);
    want_variants(r, "gb2021", "gb2021", "gb2021", "gb2021");
    want_meta(r, d->agency, d->year, "2024-01-18");
    nb_report_free(r);
}

/* ================================================================ tests */

/* Inputs the fuzzers found crashing: recognising them must end in a
 * report or an error, and ASan/UBSan (the suite's build) catch the rest. */
static void recognise_survives(const char *text)
{
    nb_error err;
    nb_error_clear(&err);
    nb_doc *d = nb_doc_new("fixture.txt");
    ck_assert_int_eq(nb_doc_split_text(d, text, strlen(text), NB_SPLIT_TABS | NB_SPLIT_GAPS), NB_OK);
    nb_report *r = nb_recognise(tu_templates(), d, &err);
    ck_assert_msg(r != NULL || err.text[0], "neither a report nor an error");
    nb_report_free(r);
    nb_doc_free(d);
}

/* Values overflowing a full row (overflow() in recognise_table.c) when
 * the label waiting for values was already given them and the table has
 * no next row: they must go nowhere, not past the table's last row (found
 * by fuzz_recognise: a write out of bounds under ASan). */
START_TEST(overflow_past_last_row)
{
    static const char text[] = "其他处理0其他处理\n总计\n总计\n总计0\n1\n0\n1\n1\n0\n0\n0\n1\n0\n0\n0\n0\n0\n1\n0\n0\n0\n0\n0\n1";
    recognise_survives(text);
}
END_TEST

/* A number too large to take three more digits, before a three-digit
 * value: not a group printed with spaces ("3 985 758"), and no int64
 * overflow merging them (found by fuzz_in_html under UBSan). */
START_TEST(spaced_group_head_too_large)
{
    static const char text[] = "规范性文件\t1\t0\t9999999999999999\t512\n";
    recognise_survives(text);
}
END_TEST

/* Baseline: clean tab rows as the generator writes them. */
START_TEST(tsv_baseline)
{
    char *t = make_report(&DATA_A, L_TSV);
    expect_dataset("tsv_baseline", t, NB_SPLIT_TABS, &DATA_A);
    nb_report *r = recognise_txt(t);
    ck_assert_pstr_eq(r->sections[1].title, "主动公开政府信息情况");
    ck_assert_ptr_nonnull(r->sections[0].text);
    ck_assert_ptr_nonnull(strstr(r->sections[0].text, "215条"));
    ck_assert_ptr_nonnull(strstr(r->sections[5].text, "信息处理费"));
    nb_report_free(r);
    free(t);
}
END_TEST

/* §5.1: one cell per line, each indented by a tab, empty cells as lines
 * holding only a tab (seed-000 style). */
START_TEST(s5_1_cell_per_line_tabbed)
{
    char *t = make_report(&DATA_A, L_LINES_TAB);
    expect_dataset("s5_1_cell_per_line_tabbed", t, NB_SPLIT_TABS, &DATA_A);
    free(t);
}
END_TEST

/* §5.1: one cell per line, cells separated by blank lines, no tabs at all
 * (seed-004 style).  Also §2.4: the row labels 一、…四、 stand alone on a
 * line here and must not cut section 三. */
START_TEST(s5_1_cell_per_line_blank_separated)
{
    char *t = make_report(&DATA_A, L_LINES_BLANK);
    expect_dataset("s5_1_cell_per_line_blank_separated", t, NB_SPLIT_TABS, &DATA_A);
    nb_report *r = recognise_txt(t);
    ck_assert_pstr_eq(r->sections[3].title, "政府信息公开行政复议、行政诉讼情况");
    ck_assert_int_eq(r->sections[3].no, 4);
    ck_assert_ptr_nonnull(r->sections[4].text);
    ck_assert_ptr_nonnull(strstr(r->sections[4].text, "业务培训"));
    nb_report_free(r);
    free(t);
}
END_TEST

/* §5.2: blank organisation cells dropped from a one-cell-per-line table:
 * rows with two equal numbers are 自然人 and 总计, the five organisation
 * cells blank (value 0, status blank). */
START_TEST(s5_2_blank_cells_dropped)
{
    char *t = make_report(&DATA_B, L_LINES_BLANK);
    nb_report *r = recognise_txt(t);
    checker k = {0};
    want_all(&k, r, &DATA_B);
    char p[160];
    for (size_t i = 0; i < T2_ROWS; i++)
        for (size_t j = 0; j < T2_COLS; j++) {
            snprintf(p, sizeof p, "requests.%s.%s", T2_KEYS[i], T2_COLKEYS[j]);
            bool blank = DATA_B.org_blank[i] && j > 0 && j < 6;
            want_status(&k, r, p, blank ? NB_CELL_BLANK : NB_CELL_OK);
        }
    check_done(&k, "s5_2_blank_cells_dropped");
    want_variants(r, "gb2021", "gb2021", "gb2021", "gb2021");
    nb_report_free(r);
    free(t);
}
END_TEST

/* §5.2: a row with three numbers (自然人 1, 商业企业 1, 总计 2; the other
 * organisation cells dropped).  Which organisation column the second 1
 * belongs to follows only from the column sums (商业企业 (七) = 1). */
START_TEST(s5_2_three_numbers_placed_by_columns)
{
    char *t = make_report(&DATA_B, L_LINES_BLANK);
    t = subst(t, "1.本机关不掌握相关政府信息\n\n1\n\n1\n\n0\n\n0\n\n0\n\n0\n\n2\n\n",
              "1.本机关不掌握相关政府信息\n\n1\n\n1\n\n2\n\n");
    nb_report *r = recognise_txt(t);
    checker k = {0};
    want_t2(&k, r, &DATA_B);
    check_done(&k, "s5_2_three_numbers_placed_by_columns");
    nb_report_free(r);
    free(t);
}
END_TEST

/* §5.3: tab rows copied from a merged-cell table: extra empty cells,
 * trailing tabs, group label in column 2, a leaf at column 0 with the
 * merged columns lost, and 四、结转… shifted right so only six values fit:
 * the lost 总计 is derived (3+1+0+0+1+0 = 5). */
START_TEST(s5_3_tsv_merged_padding)
{
    char *t = make_report(&DATA_A, L_TSV);
    t = subst(t, "二、上年结转政府信息公开申请数量\t2\t1\t0\t0\t0\t0\t3\n",
              "二、上年结转政府信息公开申请数量\t\t2\t1\t0\t0\t0\t0\t3\t\n");
    t = subst(t, "\t\t3.其他\t0\t1\t0\t0\t0\t0\t1\n", "3.其他\t\t0\t1\t0\t0\t0\t0\t1\t\n");
    t = subst(t, "\t（七）总计\t30", "（七）总计\t\t30");
    t = subst(t, "四、结转下年度继续办理\t3\t1\t0\t0\t1\t0\t5\n",
              "\t四、结转下年度继续办理\t\t\t3\t1\t0\t0\t1\t0\n");
    t = subst(t, "行政许可\t168\n", "行政许可\t168\t\t\n");
    t = subst(t, "行政处罚\t41\n", "\t行政处罚\t41\t\t\n");
    nb_report *r = recognise_txt(t);
    checker k = {0};
    want_all(&k, r, &DATA_A);
    want_status(&k, r, "requests.carried_forward.total", NB_CELL_DERIVED);
    want_status(&k, r, "requests.carried_forward.natural_person", NB_CELL_OK);
    check_done(&k, "s5_3_tsv_merged_padding");
    nb_report_free(r);
    free(t);
}
END_TEST

/* §5.4: table 3 data row with five leading empty cells (行政复议 not
 * filled): positional, review.* blank, the ten suits stay where they are. */
START_TEST(s5_4_positional_blanks_table3)
{
    char *t = make_report(&DATA_A, L_TSV);
    t = subst(t, "\n1\t1\t0\t0\t2\t0\t0\t1\t1\t2\t1\t0\t0\t0\t1\n",
              "\n\t\t\t\t\t0\t0\t1\t1\t2\t1\t0\t0\t0\t1\n");
    nb_report *r = recognise_txt(t);
    checker k = {0};
    dataset d = DATA_A;
    memset(d.t3, 0, 5 * sizeof d.t3[0]);
    want_t3(&k, r, &d);
    char p[64];
    for (size_t i = 0; i < 5; i++) {
        snprintf(p, sizeof p, "appeals.%s", T3_KEYS[i]);
        want_status(&k, r, p, NB_CELL_BLANK);
    }
    want_status(&k, r, "appeals.suit_direct.upheld", NB_CELL_OK);
    check_done(&k, "s5_4_positional_blanks_table3");
    nb_report_free(r);
    free(t);
}
END_TEST

/* §5.5: labels with spaces inside, split over cells and lines, a label
 * broken across two lines before its numbers. */
START_TEST(s5_5_split_labels)
{
    char *t = make_report(&DATA_A, L_TSV);
    t = subst(t, "规章\t", "规 章\t");
    t = subst(t, "三、本年度办理结果\t", "三、 本年度办 理结果\t");
    t = subst(t, "商业企业\t科研机构\t社会公益组织\t法律服务机构",
              "商业\n企业\t科研\n机构\t社会公益 组织\t法律服务 机构");
    t = subst(t, "（二）部分公开（区分处理的，只计这一情形，不计其他情形）\t",
              "（二）部分公开（区分处理的，只计这一情\n形，不计其他情形）\t");
    t = subst(t, "\t\t2.没有现成信息需要另行制作\t", "\t\t2.没有现成信息\n需要另行制作\t");
    t = subst(t, "\t（四）无法提供\t1.本机关不掌握相关政府信息\t",
              "\t（四）无\n法提供\t1.本机关不掌握相关政府信息\t");
    expect_dataset("s5_5_split_labels", t, NB_SPLIT_TABS, &DATA_A);
    free(t);
}
END_TEST

/* §5.5: one cell per line with header words split (商业\n企业) and a leaf
 * label wrapped onto the next line before its numbers. */
START_TEST(s5_5_split_labels_cell_per_line)
{
    char *t = make_report(&DATA_A, L_LINES_BLANK);
    t = subst(t, "商业企业\n\n科研机构\n\n", "商业\n企业\n\n科研\n机构\n\n");
    t = subst(t, "自然人\n\n", "自\n然\n人\n\n");
    t = subst(t, "4.保护第三方合法权益\n\n", "4.保护第三方\n合法权益\n\n");
    expect_dataset("s5_5_split_labels_cell_per_line", t, NB_SPLIT_TABS, &DATA_A);
    free(t);
}
END_TEST

/* §5.6: flattened page text, no cell separators at all.  Table 2 rows are
 * split by their row sums, the next row's ordinal is stripped from the
 * digit run (…0000000 2.其他…), granted 220000325 is a tie decided by
 * the column sums, table 3 is one 15-digit run split by the group totals,
 * and a heading is glued mid-line. */
START_TEST(s5_6_glued_digits)
{
    char *t = make_report(&DATA_G, L_GLUED);
    ck_assert_ptr_nonnull(strstr(t, "一、本年新收政府信息公开申请数量40200034"));
    ck_assert_ptr_nonnull(strstr(t, "总计110020011210001五、"));
    nb_report *r = recognise_txt(t);
    checker k = {0};
    want_t2(&k, r, &DATA_G);
    want_t3(&k, r, &DATA_G);
    /* 规章205 has one split (no leading zeros); single values are plain */
    want_num(&k, r, "proactive.rules.issued", "2");
    want_num(&k, r, "proactive.rules.repealed", "0");
    want_num(&k, r, "proactive.rules.in_force", "5");
    want_num(&k, r, "proactive.licensing.decisions", "168");
    want_num(&k, r, "proactive.coercion.decisions", "3");
    want_num(&k, r, "proactive.admin_fees.amount_wan", "12.5");
    /* 行政规范性文件7123: 7|1|23, 7|12|3, 71|2|3 - no constraint decides */
    want_null(&k, r, "proactive.normative_docs.issued", NB_CELL_AMBIGUOUS);
    want_null(&k, r, "proactive.normative_docs.repealed", NB_CELL_AMBIGUOUS);
    want_null(&k, r, "proactive.normative_docs.in_force", NB_CELL_AMBIGUOUS);
    check_done(&k, "s5_6_glued_digits");
    want_meta(r, "青禾县农业农村局", 2023, "2024-01-18");
    /* the glued headings still cut the sections */
    ck_assert_ptr_nonnull(r->sections[5].text);
    ck_assert_ptr_nonnull(strstr(r->sections[5].text, "信息处理费"));
    ck_assert_ptr_nonnull(r->sections[0].text);
    ck_assert_ptr_nonnull(strstr(r->sections[0].text, "215条"));
    nb_report_free(r);
    free(t);
}
END_TEST

/* §5.6: some rows glued (`label` + digit run) while the rest of the table
 * keeps its tabs.  （一）予以公开 122001015 reads as 12 2 0 0 1 0 15 or as
 * 1 2 2 0 0 10 15 (both rows add up); only the column sums decide.
 *
 * The runs sit in a tab-separated row after a separate group-label cell
 * ("\t（四）无法提供\t1.本机关不掌握相关政府信息6101008"), so a row cell
 * must still be split when a label has digits glued to it. */
START_TEST(s5_6_glued_rows_on_lines)
{
    char *t = make_report(&DATA_A, L_TSV);
    /* glue every table-2 row: drop the tabs between the seven values */
    static const char *const rows[][2] = {
        {"一、本年新收政府信息公开申请数量\t31\t4\t0\t1\t2\t0\t38",
         "一、本年新收政府信息公开申请数量314012038"},
        {"（一）予以公开\t12\t2\t0\t0\t1\t0\t15", "（一）予以公开122001015"},
        {"1.本机关不掌握相关政府信息\t6\t1\t0\t1\t0\t0\t8", "1.本机关不掌握相关政府信息6101008"},
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++)
        t = subst(t, rows[i][0], rows[i][1]);
    expect_dataset("s5_6_glued_rows_on_lines", t, NB_SPLIT_TABS, &DATA_A);
    free(t);
}
END_TEST

/* §5.7: numbering variants, quote variants, 规范性文件, 本年收费金额(万元),
 * and one character missing in a long label. */
START_TEST(s5_7_numbering_and_wording)
{
    char *t = make_report(&DATA_A, L_TSV);
    t = subst(t, "一、本年新收", "—、本年新收");
    t = subst(t, "（一）予以公开", "(一)予以公开");
    t = subst(t, "（二）部分公开（区分处理的，只计这一情形，不计其他情形）",
              "(二) 部分公开(区分处理的, 只计这一情形, 不计其他情形)");
    t = subst(t, "3.危及“三安全一稳定”", "3.危及\"三安全一稳定\"");
    t = subst(t, "（四）无法提供", "四)无法提供");
    t = subst(t, "1.信访举报投诉类申请", "1、信访举报投诉类申请");
    t = subst(t, "2.重复申请", "2．重复申请");
    t = subst(t, "6.属于四类过程性信息", "6. 属于四类过程性信息");
    t = subst(t, "（七）总计", "七)总计");
    t = subst(t, "行政规范性文件", "规范性文件");
    t = subst(t, "本年收费金额（单位：万元）", "本年收费金额(万元)");
    /* 正当 -> 正 : one character lost in a 30-character label */
    t = subst(t, "1.申请人无正当理由逾期不补正", "1.申请人无正理由逾期不补正");
    expect_dataset("s5_7_numbering_and_wording", t, NB_SPLIT_TABS, &DATA_A);
    free(t);
}
END_TEST

/* §5.7: quotes dropped entirely, full-width ordinal digits. */
START_TEST(s5_7_quotes_absent_fullwidth_ordinals)
{
    char *t = make_report(&DATA_A, L_LINES_BLANK);
    t = subst(t, "3.危及“三安全一稳定”", "3.危及三安全一稳定");
    t = subst(t, "4.保护第三方合法权益", "４.保护第三方合法权益");
    t = subst(t, "（六）其他处理", "(六)其他处理");
    expect_dataset("s5_7_quotes_absent_fullwidth_ordinals", t, NB_SPLIT_TABS, &DATA_A);
    free(t);
}
END_TEST

/* §5.8: zero and not-applicable tokens. */
START_TEST(s5_8_zero_and_na_tokens)
{
    char *t = make_report(&DATA_B, L_TSV);
    t = subst(t, "规章\t0\t0\t0", "规章\t—\t-\t／");
    t = subst(t, "行政规范性文件\t0\t0\t0", "行政规范性文件\t无\t0件\t/");
    t = subst(t, "行政强制\t0", "行政强制\t－");
    t = subst(t, "1.属于国家秘密\t0\t\t\t\t\t\t0", "1.属于国家秘密\t无\t-\t—\t／\t/\t－\t0件");
    nb_report *r = recognise_txt(t);
    checker k = {0};
    want_num(&k, r, "proactive.rules.issued", "0");
    want_num(&k, r, "proactive.rules.repealed", "0");
    want_num(&k, r, "proactive.rules.in_force", "0");
    want_status(&k, r, "proactive.rules.issued", NB_CELL_NA);
    want_status(&k, r, "proactive.rules.repealed", NB_CELL_NA);
    want_status(&k, r, "proactive.rules.in_force", NB_CELL_NA);
    want_num(&k, r, "proactive.normative_docs.issued", "0");
    want_status(&k, r, "proactive.normative_docs.issued", NB_CELL_OK); /* 无 */
    want_num(&k, r, "proactive.normative_docs.repealed", "0");
    want_status(&k, r, "proactive.normative_docs.repealed", NB_CELL_OK); /* 0件 */
    want_status(&k, r, "proactive.normative_docs.in_force", NB_CELL_NA);
    want_num(&k, r, "proactive.coercion.decisions", "0");
    want_status(&k, r, "proactive.coercion.decisions", NB_CELL_NA);
    want_status(&k, r, "requests.withheld.state_secret.natural_person", NB_CELL_OK);
    char p[128];
    for (size_t j = 1; j < 6; j++) {
        snprintf(p, sizeof p, "requests.withheld.state_secret.%s", T2_COLKEYS[j]);
        want_num(&k, r, p, "0");
        want_status(&k, r, p, NB_CELL_NA);
    }
    want_num(&k, r, "requests.withheld.state_secret.total", "0");
    want_status(&k, r, "requests.withheld.state_secret.total", NB_CELL_OK);
    want_t2_row(&k, r, &DATA_B, 0);
    want_t2_row(&k, r, &DATA_B, 23);
    check_done(&k, "s5_8_zero_and_na_tokens");
    nb_report_free(r);
    free(t);
}
END_TEST

/* §5.9: thousands separators, full-width digits, an exact decimal. */
START_TEST(s5_9_number_formats)
{
    char *t = make_report(&DATA_A, L_TSV);
    t = subst(t, "行政许可\t168", "行政许可\t1,234");
    t = subst(t, "行政处罚\t41", "行政处罚\t2，468");
    t = subst(t, "行政强制\t3", "行政强制\t１２３");
    t = subst(t, "行政事业性收费\t12.5", "行政事业性收费\t5949.088667");
    t = subst(t, "一、本年新收政府信息公开申请数量\t31\t4\t0\t1\t2\t0\t38",
              "一、本年新收政府信息公开申请数量\t３１\t４\t0\t1\t2\t0\t３８");
    nb_report *r = recognise_txt(t);
    checker k = {0};
    want_num(&k, r, "proactive.licensing.decisions", "1234");
    want_num(&k, r, "proactive.penalty.decisions", "2468");
    want_num(&k, r, "proactive.coercion.decisions", "123");
    want_t2(&k, r, &DATA_A);
    check_done(&k, "s5_9_number_formats");
    const nb_cell *fee = nb_report_cell(r, "proactive.admin_fees.amount_wan");
    ck_assert(fee && fee->has_value);
    /* kept exact: 5949088667 / 10^6, not a binary double */
    ck_assert_int_eq(fee->num.v, 5949088667LL);
    ck_assert_int_eq(fee->num.scale, 6);
    nb_report_free(r);
    free(t);
}
END_TEST

/* §5.9: spaces grouping thousands inside one cell, a trailing ".0" on a
 * count; the grouping is valid (groups of three), so the spaces go. */
START_TEST(s5_9_spaced_thousands)
{
    char *t = make_report(&DATA_A, L_TSV);
    t = subst(t, "行政许可\t168", "行政许可\t3 985 758");
    t = subst(t, "行政处罚\t41", "行政处罚\t41.0");
    nb_report *r = recognise_txt(t);
    checker k = {0};
    want_num(&k, r, "proactive.licensing.decisions", "3985758");
    want_num(&k, r, "proactive.penalty.decisions", "41");
    want_t2(&k, r, &DATA_A);
    check_done(&k, "s5_9_spaced_thousands");
    nb_report_free(r);
    free(t);
}
END_TEST

/* §5.10: page-number lines inside tables, blank lines, a group label
 * repeated after a page break. */
START_TEST(s5_10_page_artefacts)
{
    char *t = make_report(&DATA_A, L_TSV);
    t = subst(t, "第二十条第（六）项", "\n—3—\n\n第二十条第（六）项");
    t = subst(t, "\t\t5.属于三类内部事务信息", "\n\n\t\t5.属于三类内部事务信息");
    t = subst(t, "\t\t2.没有现成信息需要另行制作",
              "\n- 4 -\n\n三、本年度办理结果\t（四）无法提供\n\t\t2.没有现成信息需要另行制作");
    expect_dataset("s5_10_page_artefacts", t, NB_SPLIT_TABS, &DATA_A);
    free(t);
}
END_TEST

/* §5.11: markdown headings at mixed levels and pipe tables. */
START_TEST(s5_11_markdown_pipes)
{
    char *t = make_report(&DATA_A, L_PIPES);
    ck_assert_ptr_nonnull(strstr(t, "#### 四、"));
    unsigned f = NB_SPLIT_TABS | NB_SPLIT_PIPES | NB_SPLIT_MDHEAD;
    expect_dataset("s5_11_markdown_pipes", t, f, &DATA_A);
    nb_report *r = recognise(t, f);
    ck_assert_pstr_eq(r->sections[2].title, "收到和处理政府信息公开申请情况");
    ck_assert_pstr_eq(r->sections[3].title, "政府信息公开行政复议、行政诉讼情况");
    nb_report_free(r);
    free(t);
}
END_TEST

/* Markdown where table 2 was cut into one small table per row, each with
 * invented header cells 数据1..数据10 (corpus 01 style). */
static char *markdown_split_rows(const dataset *d)
{
    char *base = make_report(d, L_PIPES);
    char *cut = strstr(base, "| （本列数据");
    char *end = strstr(base, "\n#### 四、");
    ck_assert(cut && end);
    writer w = {.L = L_PIPES};
    *cut = '\0';
    sb_add(&w.b, base);
    for (size_t i = 0; i < T2_ROWS; i++) {
        static const char *const hdr[] = {"数据1", "数据2", "数据3", "数据4", "数据5",
                                          "数据6", "数据7", "数据8", "数据9", "数据10"};
        char vals[T2_COLS][24];
        const char *cells[T2_COLS + 3];
        size_t n = t2_cells(d, i, vals, cells);
        w.table_start = true;
        row_out(&w, hdr, n);
        row_out(&w, cells, n);
        sb_add(&w.b, "\n");
    }
    sb_add(&w.b, end);
    free(base);
    return w.b.s;
}

START_TEST(s5_11_markdown_invented_headers)
{
    char *t = markdown_split_rows(&DATA_A);
    unsigned f = NB_SPLIT_TABS | NB_SPLIT_PIPES | NB_SPLIT_MDHEAD;
    expect_dataset("s5_11_markdown_invented_headers", t, f, &DATA_A);
    free(t);
}
END_TEST

/* §5.12: a GBK file end to end through the CLI. */
START_TEST(s5_12_gbk_through_cli)
{
    char *path = tu_path(tu_source_dir(), "tests/data/recognise/gbk_report.txt");
    size_t len, n;
    char *utf8 = tu_read_file(path, &len);
    ck_assert_ptr_nonnull(utf8);
    nb_error err;
    nb_error_clear(&err);
    char *gbk = NULL;
    ck_assert_int_eq(nb_text_convert("UTF-8", "GBK", utf8, len, &gbk, &n, &err), NB_OK);
    char *dir = tu_tempdir(), *file = tu_path(dir, "report.txt");
    ck_assert_int_eq(tu_write_file(file, gbk, n), 0);
    json_t *j = tu_convert_json(file);
    ck_assert_str_eq(json_string_value(json_object_get(j, "agency")), "青禾县农业农村局");
    ck_assert_str_eq(json_string_value(json_object_get(json_object_get(j, "source"), "encoding")),
                     "GB18030");
    json_t *req = json_object_get(j, "requests");
    ck_assert_int_eq(json_integer_value(json_object_get(json_object_get(req, "results_total"),
                                                        "total")), 36);
    ck_assert_int_eq(json_integer_value(json_object_get(json_object_get(req, "new_received"),
                                                        "natural_person")), 31);
    json_t *fees = json_object_get(json_object_get(json_object_get(j, "proactive"), "admin_fees"),
                                   "amount_wan");
    ck_assert(json_is_number(fees) && json_number_value(fees) == 12.5);
    json_decref(j);
    tu_rmrf(dir);
    free(file);
    free(dir);
    free(gbk);
    free(utf8);
    free(path);
}
END_TEST

/* ---- §5.13 and §4: templates ---- */

/* The sections around a hand-written table 1 / table 2 (tab rows). */
static char *wrap_report(const char *title, const char *t1, const char *t2, const char *t3)
{
    sb b = {0};
    sb_addf(&b, "%s\n\n一、总体情况\n本机关全年主动公开信息96条。\n"
                "二、主动公开政府信息情况\n%s\n"
                "三、收到和处理政府信息公开申请情况\n%s\n"
                "四、政府信息公开行政复议、行政诉讼情况\n%s\n"
                "五、存在的主要问题及改进情况\n公开深度仍需加强。\n"
                "六、其他需要报告的事项\n无。\n\n",
            title, t1, t2, t3);
    return b.s;
}

static char *render_t2_text(const dataset *d)
{
    writer w = {.L = L_TSV};
    render_t2(&w, d);
    return w.b.s;
}

static char *render_t3_text(const dataset *d)
{
    writer w = {.L = L_TSV};
    render_t3(&w, d);
    return w.b.s;
}

/* Table 2 of data set A with （六）其他处理 as one row (gb2019 layout):
 * the three leaves 1 0 0 0 0 0 1 / 0… / 0 1 0 0 0 0 1 become 1 1 0 0 0 0 2. */
static char *render_t2_single_other(void)
{
    char *t = render_t2_text(&DATA_A);
    t = subst(t,
              "\t（六）其他处理\t1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请"
              "\t1\t0\t0\t0\t0\t0\t1\n",
              "\t（六）其他处理\t1\t1\t0\t0\t0\t0\t2\n");
    t = subst(t,
              "\t\t2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请"
              "\t0\t0\t0\t0\t0\t0\t0\n",
              "");
    t = subst(t, "\t\t3.其他\t0\t1\t0\t0\t0\t0\t1\n", "");
    return t;
}

static void want_single_other(checker *k, nb_report *r)
{
    static const long v[T2_COLS] = {1, 1, 0, 0, 0, 0, 2};
    char p[160];
    for (size_t j = 0; j < T2_COLS; j++) {
        snprintf(p, sizeof p, "requests.other_handling.subtotal.%s", T2_COLKEYS[j]);
        want_long(k, r, p, v[j]);
        snprintf(p, sizeof p, "requests.other_handling.no_correction.%s", T2_COLKEYS[j]);
        want_null(k, r, p, NB_CELL_MISSING);
        snprintf(p, sizeof p, "requests.other_handling.other.%s", T2_COLKEYS[j]);
        want_null(k, r, p, NB_CELL_MISSING);
    }
    for (size_t i = 0; i < T2_ROWS; i++)
        if (strncmp(T2_KEYS[i], "other_handling.", 15) != 0)
            want_t2_row(k, r, &DATA_A, i);
}

static const char GB2019_T1[] =
    "第二十条第（一）项\n"
    "信息内容\t本年新制作数量\t本年新公开数量\t对外公开总数量\n"
    "规章\t1\t1\t9\n"
    "规范性文件\t4\t4\t37\n"
    "第二十条第（五）项\n"
    "信息内容\t上一年项目数量\t本年增/减\t处理决定数量\n"
    "行政许可\t56\t-15\t1320\n"
    "其他对外管理服务事项\t12\t+1036\t75\n"
    "第二十条第（六）项\n"
    "信息内容\t上一年项目数量\t本年增/减\t处理决定数量\n"
    "行政处罚\t210\t3\t88\n"
    "行政强制\t18\t0\t6\n"
    "第二十条第（八）项\n"
    "信息内容\t上一年项目数量\t本年增/减\n"
    "行政事业性收费\t7\t-2\n"
    "第二十条第（九）项\n"
    "信息内容\t采购项目数量\t采购总金额\n"
    "政府集中采购\t42\t8816240.37元\n";

/* §5.13 / §4.1: a 2020 report on the gb2019 template: its own columns,
 * signed 本年增/减, 其他对外管理服务事项, 第（九）项 with the unit in the
 * cell, and （六）其他处理 as one row. */
START_TEST(s5_13_gb2019_report)
{
    char *t2 = render_t2_single_other(), *t3 = render_t3_text(&DATA_A);
    char *t = wrap_report("青禾县农业农村局2020年政府信息公开工作年度报告", GB2019_T1, t2, t3);
    nb_report *r = recognise_txt(t);
    checker k = {0};
    static const char *const want[][2] = {
        {"rules.new_made", "1"}, {"rules.new_published", "1"}, {"rules.total_published", "9"},
        {"normative_docs.new_made", "4"}, {"normative_docs.total_published", "37"},
        {"licensing.prev_items", "56"}, {"licensing.items_change", "-15"},
        {"licensing.decisions", "1320"}, {"other_services.prev_items", "12"},
        {"other_services.items_change", "1036"}, {"other_services.decisions", "75"},
        {"penalty.prev_items", "210"}, {"penalty.items_change", "3"},
        {"penalty.decisions", "88"}, {"coercion.decisions", "6"},
        {"admin_fees.prev_items", "7"}, {"admin_fees.items_change", "-2"},
        {"central_procurement.projects", "42"}, {"central_procurement.amount", "8816240.37"}};
    char p[128];
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        snprintf(p, sizeof p, "proactive.%s", want[i][0]);
        want_num(&k, r, p, want[i][1]);
    }
    want_single_other(&k, r);
    want_t3(&k, r, &DATA_A);
    check_done(&k, "s5_13_gb2019_report");
    const nb_cell *unit = nb_report_cell(r, "proactive.central_procurement.amount_unit");
    ck_assert_ptr_nonnull(unit);
    ck_assert_pstr_eq(unit->text, "元");
    ck_assert_str_eq(variant_of(r, "proactive"), "gb2019");
    ck_assert_pstr_eq(r->template_id, "gb2019");
    ck_assert_int_eq(r->year, 2020);
    ck_assert_pstr_eq(r->agency, "青禾县农业农村局");
    nb_report_free(r);
    free(t);
    free(t2);
    free(t3);
}
END_TEST

/* §4.2: a 2023 report that kept the gb2019 column headings of table 1 (with
 * 对外公开数量 and 本年增 cut short) but the gb2021 rows, and a gb2021
 * table 2: template "mixed", its own section-二 keys. */
START_TEST(s5_13_hybrid_mixed)
{
    static const char t1[] =
        "第二十条第（一）项\n"
        "信息内容\t本年新制作数量\t本年新公开数量\t对外公开数量\n"
        "规章\t0\t0\t3\n"
        "规范性文件\t2\t2\t14\n"
        "第二十条第（五）项\n"
        "信息内容\t上一年项目数量\t本年增\t处理决定数量\n"
        "行政许可\t9\t1\t230\n"
        "第二十条第（六）项\n"
        "信息内容\t上一年项目数量\t本年增\t处理决定数量\n"
        "行政处罚\t31\t0\t17\n"
        "行政强制\t4\t0\t2\n"
        "第二十条第（八）项\n"
        "信息内容\t上一年项目数量\t本年增/减\n"
        "行政事业性收费\t2\t0\n";
    char *t2 = render_t2_text(&DATA_A), *t3 = render_t3_text(&DATA_A);
    char *t = wrap_report("青禾县农业农村局2023年政府信息公开工作年报", t1, t2, t3);
    nb_report *r = recognise_txt(t);
    checker k = {0};
    want_num(&k, r, "proactive.rules.total_published", "3");
    want_num(&k, r, "proactive.normative_docs.new_made", "2");
    want_num(&k, r, "proactive.normative_docs.new_published", "2");
    want_num(&k, r, "proactive.normative_docs.total_published", "14");
    want_num(&k, r, "proactive.licensing.prev_items", "9");
    want_num(&k, r, "proactive.licensing.items_change", "1");
    want_num(&k, r, "proactive.licensing.decisions", "230");
    want_num(&k, r, "proactive.penalty.decisions", "17");
    want_num(&k, r, "proactive.coercion.prev_items", "4");
    want_num(&k, r, "proactive.admin_fees.prev_items", "2");
    want_num(&k, r, "proactive.admin_fees.items_change", "0");
    want_t2(&k, r, &DATA_A);
    check_done(&k, "s5_13_hybrid_mixed");
    want_variants(r, "mixed", "gb2019", "gb2021", "gb2021");
    ck_assert_int_eq(r->year, 2023);
    nb_report_free(r);
    free(t);
    free(t2);
    free(t3);
}
END_TEST

/* §4.1: a 2023 (gb2021) report whose table 2 has （六）其他处理 as a single
 * row: printed into other_handling.subtotal, leaves null, template gb2021. */
START_TEST(s5_13_gb2021_single_other_row)
{
    writer w = {.L = L_TSV};
    render_t1(&w, &DATA_A);
    char *t2 = render_t2_single_other(), *t3 = render_t3_text(&DATA_A);
    char *t = wrap_report("青禾县农业农村局2023年政府信息公开工作年度报告", w.b.s, t2, t3);
    nb_report *r = recognise_txt(t);
    checker k = {0};
    want_t1(&k, r, &DATA_A);
    want_single_other(&k, r);
    check_done(&k, "s5_13_gb2021_single_other_row");
    ck_assert_pstr_eq(r->template_id, "gb2021");
    ck_assert_str_eq(variant_of(r, "proactive"), "gb2021");
    nb_report_free(r);
    free(t);
    free(t2);
    free(t3);
    free(w.b.s);
}
END_TEST

/* ---- §2.2 / §2.4: headings ---- */

START_TEST(headings_variants_and_preamble_list)
{
    char *t = make_report(&DATA_A, L_TSV);
    t = subst(t, "五、存在的主要问题及改进情况", "五、存在的主要问题及改进措施");
    t = subst(t, "四、政府信息公开行政复议、行政诉讼情况",
              "四、因政府信息公开工作被申请行政复议、提起行政诉讼情况");
    /* a preamble that lists the six parts must not be read as headings */
    t = subst(t, "所列数据统计期限为",
              "全文包括：一、总体情况；二、主动公开政府信息情况；三、收到和处理政府信息公开申请"
              "情况；四、政府信息公开行政复议、行政诉讼情况；五、存在的主要问题及改进情况；"
              "六、其他需要报告的事项。所列数据统计期限为");
    nb_report *r = recognise_txt(t);
    checker k = {0};
    want_all(&k, r, &DATA_A);
    check_done(&k, "headings_variants_and_preamble_list");
    for (int i = 0; i < 6; i++)
        ck_assert_int_eq(r->sections[i].no, i + 1);
    ck_assert_ptr_nonnull(r->sections[0].text);
    ck_assert_ptr_nonnull(strstr(r->sections[0].text, "215条"));
    ck_assert_ptr_null(strstr(r->sections[0].text, "统计期限"));
    ck_assert_ptr_nonnull(r->sections[4].title);
    ck_assert_ptr_nonnull(strstr(r->sections[4].title, "改进措施"));
    ck_assert_ptr_nonnull(strstr(r->sections[4].text, "业务培训"));
    ck_assert_ptr_nonnull(strstr(r->sections[5].text, "信息处理费"));
    nb_report_free(r);
    free(t);
}
END_TEST

/* ---- §2.2 / §2.3: title, agency, year, publication date ---- */

static nb_report *with_head(const char *title_line, const char *sig)
{
    char *t = make_report(&DATA_A, L_TSV);
    t = subst(t, "青禾县农业农村局2023年政府信息公开工作年度报告\n", title_line);
    t = subst(t, "\n\n青禾县农业农村局\n2024年1月18日\n", sig);
    nb_report *r = recognise_txt(t);
    free(t);
    return r;
}

START_TEST(title_agency_above)
{
    nb_report *r = with_head("青禾县农业农村局\n2023 年政府信息公开工作年度报告\n",
                             "\n\n青禾县农业农村局\n2024年1月16日\n");
    want_meta(r, "青禾县农业农村局", 2023, "2024-01-16");
    nb_report_free(r);
}
END_TEST

START_TEST(title_year_first)
{
    nb_report *r = with_head(" 2023年青禾县农业农村局政府信息公开工作年度报告\n",
                             "\n\n二〇二四年一月十日\n");
    want_meta(r, "青禾县农业农村局", 2023, "2024-01-10");
    nb_report_free(r);
}
END_TEST

/* Agency named only in the body; the date from web-page chrome. */
START_TEST(title_agency_in_body_web_date)
{
    char *t = make_report(&DATA_A, L_TSV);
    t = subst(t, "青禾县农业农村局2023年政府信息公开工作年度报告\n",
              "2023年政府信息公开工作年度报告\n\n发布时间: 2024-01-26 11:11 字体:[大 中 小]\n");
    t = subst(t, "本报告依据", "现公布青禾县农业农村局2023年政府信息公开工作年度报告。本报告依据");
    t = subst(t, "\n\n青禾县农业农村局\n2024年1月18日\n", "\n");
    nb_report *r = recognise_txt(t);
    want_meta(r, "青禾县农业农村局", 2023, "2024-01-26");
    checker k = {0};
    want_all(&k, r, &DATA_A);
    check_done(&k, "title_agency_in_body_web_date");
    nb_report_free(r);
    free(t);
}
END_TEST

START_TEST(no_report_is_an_error)
{
    static const char text[] = "今天天气晴，气温十八度。\n明天多云转小雨。\n";
    nb_error err;
    nb_error_clear(&err);
    nb_report *r = tu_recognise_text(text, &err);
    ck_assert_ptr_null(r);
    ck_assert_msg(err.text[0] != '\0', "no error message");
    ck_assert_int_ne(err.cls, NB_E_NONE);
}
END_TEST

/* A label piece with one or two bytes before a numeral ordinal ("a一、"):
 * the check for a longer numeral (十一、) must not read before the piece.
 * Under ASan this failed as a heap-buffer-overflow (found by fuzz_run). */
START_TEST(ordinal_near_piece_start)
{
    static const char *const rows[] = {"a一、 5 5 0 0 0 0 5\n", "ab一、 5 5 0 0 0 0 5\n"};
    for (size_t i = 0; i < sizeof rows / sizeof *rows; i++) {
        char text[512];
        snprintf(text, sizeof text, "2024年某县某局政府信息公开工作年度报告\n三、收到和处理政府信息公开申请情况\n%s",
                 rows[i]);
        nb_error err;
        nb_error_clear(&err);
        nb_report_free(tu_recognise_text(text, &err)); /* a report or an error, never a bad read */
    }
}
END_TEST

/* The text after section 二's heading with `lines` lines of ten figures
 * each put before its table: a dump of numbers beside the table, as a
 * crawled page or an appendix can hold.  *heading gets the heading's line
 * number.  The figures are made up. */
static char *with_dump(size_t lines, int *heading)
{
    char *t = make_report(&DATA_A, L_TSV);
    const char *h = strstr(t, "二、主动公开政府信息情况\n");
    ck_assert_ptr_nonnull(h);
    *heading = 1;
    for (const char *p = t; p < h; p++)
        *heading += *p == '\n';
    sb dump = {0};
    sb_add(&dump, "二、主动公开政府信息情况\n");
    for (size_t i = 0; i < lines; i++) {
        for (size_t k = 0; k < 10; k++)
            sb_addf(&dump, "%s%zu", k ? " " : "", (i * 10 + k) * 7919 % 10000);
        sb_add(&dump, "\n");
    }
    t = subst(t, "二、主动公开政府信息情况\n", dump.s);
    free(dump.s);
    return t;
}

static const nb_diag *find_diag(const nb_report *r, const char *rule, const char *where)
{
    for (size_t i = 0; i < r->ndiags; i++)
        if (strcmp(r->diags[i].rule, rule) == 0 && r->diags[i].where && strcmp(r->diags[i].where, where) == 0)
            return &r->diags[i];
    return NULL;
}

/* A region of more tokens than a table has (RC_MAX_TOKENS) is read up to
 * there: memory stops (a 4 MB dump took 132 MB), the report says where
 * reading stopped, the other tables read as ever, and the table that
 * may be in the unread part is not called missing (an error would say
 * the report is wrong, when only the reading stopped). */
START_TEST(region_cut_past_token_limit)
{
    int heading;
    char *t = with_dump(7000, &heading); /* 70 000 figures */
    nb_report *r = recognise_txt(t);
    const nb_diag *cut = find_diag(r, "PARSE-REGION-CUT", "proactive");
    ck_assert_msg(cut != NULL, "no PARSE-REGION-CUT on proactive");
    ck_assert_int_eq(cut->severity, NB_SEV_WARNING);
    /* token 65 537 is on the dump's line 6 554, the first not read */
    char line[64];
    snprintf(line, sizeof line, "只读到第 %d 行", heading + 6554);
    ck_assert_msg(strstr(cut->message, line), "message \"%s\" lacks \"%s\"", cut->message, line);
    ck_assert_msg(strstr(cut->message, "65536"), "message \"%s\" names no limit", cut->message);
    ck_assert_ptr_null(find_diag(r, "PARSE-REGION-CUT", "requests"));
    checker k = {0};
    want_t2(&k, r, &DATA_A);
    want_t3(&k, r, &DATA_A);
    check_done(&k, "region_cut_past_token_limit");
    nb_context *ctx = tu_context();
    ck_assert_ptr_nonnull(ctx);
    nb_validate(nb_context_rules(ctx), r);
    const nb_diag *missing = find_diag(r, "R-X-SECTIONS", "proactive");
    ck_assert_msg(missing != NULL, "R-X-SECTIONS said nothing of the unread table");
    ck_assert_msg(missing->skipped && missing->severity != NB_SEV_ERROR, "the unread table called missing: %s %s",
                  nb_severity_name(missing->severity), missing->message);
    nb_report_free(r);
    nb_context_free(ctx);
    free(t);
}
END_TEST

/* Under the limit the whole region is read: the table after 60 000
 * figures reads as data set A, with no PARSE-REGION-CUT. */
START_TEST(region_under_token_limit_read_whole)
{
    int heading;
    char *t = with_dump(6000, &heading);
    nb_report *r = recognise_txt(t);
    ck_assert_uint_eq(tu_count_diags(r, "PARSE-REGION-CUT"), 0);
    checker k = {0};
    want_all(&k, r, &DATA_A);
    check_done(&k, "region_under_token_limit_read_whole");
    nb_report_free(r);
    free(t);
}
END_TEST

static Suite *recognise_suite(void)
{
    Suite *s = suite_create("recognise");
    TCase *lay = tcase_create("layouts");
    tcase_add_test(lay, tsv_baseline);
    tcase_add_test(lay, s5_1_cell_per_line_tabbed);
    tcase_add_test(lay, s5_1_cell_per_line_blank_separated);
    tcase_add_test(lay, s5_2_blank_cells_dropped);
    tcase_add_test(lay, s5_2_three_numbers_placed_by_columns);
    tcase_add_test(lay, s5_3_tsv_merged_padding);
    tcase_add_test(lay, s5_4_positional_blanks_table3);
    tcase_add_test(lay, s5_5_split_labels);
    tcase_add_test(lay, s5_5_split_labels_cell_per_line);
    tcase_add_test(lay, s5_6_glued_digits);
    tcase_add_test(lay, s5_6_glued_rows_on_lines);
    tcase_add_test(lay, s5_7_numbering_and_wording);
    tcase_add_test(lay, s5_7_quotes_absent_fullwidth_ordinals);
    tcase_add_test(lay, s5_8_zero_and_na_tokens);
    tcase_add_test(lay, s5_9_number_formats);
    tcase_add_test(lay, s5_9_spaced_thousands);
    tcase_add_test(lay, s5_10_page_artefacts);
    tcase_add_test(lay, s5_11_markdown_pipes);
    tcase_add_test(lay, s5_11_markdown_invented_headers);
    tcase_add_test(lay, s5_12_gbk_through_cli);
    suite_add_tcase(s, lay);
    TCase *tpl = tcase_create("templates");
    tcase_add_test(tpl, s5_13_gb2019_report);
    tcase_add_test(tpl, s5_13_hybrid_mixed);
    tcase_add_test(tpl, s5_13_gb2021_single_other_row);
    suite_add_tcase(s, tpl);
    TCase *meta = tcase_create("meta");
    tcase_add_test(meta, headings_variants_and_preamble_list);
    tcase_add_test(meta, title_agency_above);
    tcase_add_test(meta, title_year_first);
    tcase_add_test(meta, title_agency_in_body_web_date);
    tcase_add_test(meta, no_report_is_an_error);
    tcase_add_test(meta, ordinal_near_piece_start);
    tcase_add_test(meta, overflow_past_last_row);
    tcase_add_test(meta, spaced_group_head_too_large);
    suite_add_tcase(s, meta);
    TCase *lim = tcase_create("limits");
    tcase_add_test(lim, region_cut_past_token_limit);
    tcase_add_test(lim, region_under_token_limit_read_whole);
    suite_add_tcase(s, lim);
    return s;
}

int main(void) { return tu_main(recognise_suite()); }
