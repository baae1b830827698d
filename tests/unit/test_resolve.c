/* test_resolve.c - the recogniser's readings and resolver, table-driven:
 * the out-of-order readings of a single-row table (recognise_order.c), by
 * values and by chunks, signed glued runs of table 1, and
 * whole table-2 rows read through the recogniser, where a reading must
 * never blame the report for how it was printed and must never hide a
 * report's own error. */
#include "testutil.h"
#include "recognise_internal.h"
#include "recognise_relations.h"
#include "template_internal.h"
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>


/* Recognises text and checks one cell: null when want_null, else want. */
static void assert_cell(const char *name, const char *text, const char *path, bool want_null, long want)
{
    nb_error err;
    nb_error_clear(&err);
    nb_report *r = tu_recognise_text(text, &err);
    ck_assert_msg(r != NULL, "%s: %s", name, err.text);
    nb_num v;
    bool has = nb_report_get_num(r, path, &v);
    if (want_null)
        ck_assert_msg(!has, "%s: %s should be null", name, path);
    else
        ck_assert_msg(has && nb_num_cmp(v, nb_num_int(want)) == 0, "%s: %s is %s, want %ld", name, path,
                      has ? "another number" : "null", want);
    nb_report_free(r);
}
/* Out-of-order readings ---------------------------------------------------- */

typedef struct order_case {
    const char *name;
    int64_t vals[RC_MAX_COLS];
    size_t n, group;
    bool none;                   /* no reading at all */
    int64_t must[RC_MAX_COLS];   /* a reading that must be among them (when !none) */
} order_case;

static const order_case ORDER[] = {
    /* parts of two groups, then their totals: the column order is found */
    {"parts before totals", {3, 2, 0, 1, 4, 0, 0, 1, 6, 5}, 10, 5, false, {3, 2, 0, 1, 6, 4, 0, 0, 1, 5}},
    /* the second group first */
    {"groups swapped", {4, 0, 0, 1, 5, 3, 2, 0, 1, 6}, 10, 5, false, {3, 2, 0, 1, 6, 4, 0, 0, 1, 5}},
    /* in column order already: it is one of the readings */
    {"column order", {3, 2, 0, 1, 6, 4, 0, 0, 1, 5}, 10, 5, false, {3, 2, 0, 1, 6, 4, 0, 0, 1, 5}},
    /* a wrong total no order can fix: no reading at all */
    {"report wrong", {2, 1, 0, 0, 0, 0, 0, 0, 0, 0}, 10, 5, true, {0}},
    /* not a whole number of groups: not this reading's business */
    {"ragged", {1, 0, 0, 0, 1, 0, 0}, 7, 5, true, {0}},
};

START_TEST(order_readings)
{
    const order_case *c = &ORDER[_i];
    int64_t (*sols)[RC_MAX_COLS] = calloc(RC_MAX_SOLUTIONS, sizeof *sols);
    ck_assert_ptr_nonnull(sols);
    bool overflow = true;
    size_t n = rc_group_orders(c->vals, c->n, c->group, c->group - 1, sols, RC_MAX_SOLUTIONS, &overflow);
    ck_assert_msg(!overflow, "%s: overflow", c->name);
    ck_assert_msg(c->none ? n == 0 : n > 0, "%s: %zu readings", c->name, n);
    bool found = false;
    for (size_t s = 0; s < n; s++) {
        found |= memcmp(sols[s], c->must, c->n * sizeof *c->must) == 0;
        int64_t a[RC_MAX_COLS], b[RC_MAX_COLS]; /* a reading uses the printed values, all of them */
        memcpy(a, sols[s], c->n * sizeof *a);
        memcpy(b, c->vals, c->n * sizeof *b);
        for (size_t i = 0; i < c->n; i++)
            for (size_t j = i + 1; j < c->n; j++) {
                if (a[j] < a[i]) { int64_t t = a[i]; a[i] = a[j]; a[j] = t; }
                if (b[j] < b[i]) { int64_t t = b[i]; b[i] = b[j]; b[j] = t; }
            }
        ck_assert_msg(memcmp(a, b, c->n * sizeof *a) == 0, "%s: reading %zu is not the printed values", c->name, s);
        for (size_t g = 0; g < c->n / c->group; g++) { /* every reading keeps every total */
            int64_t sum = 0;
            for (size_t j = 0; j + 1 < c->group; j++)
                sum += sols[s][g * c->group + j];
            ck_assert_msg(sum == sols[s][g * c->group + c->group - 1], "%s: reading %zu breaks group %zu",
                          c->name, s, g);
        }
    }
    ck_assert_msg(c->none || found, "%s: the column-order reading is missing", c->name);
    free(sols);
}
END_TEST

START_TEST(order_overflow_is_said)
{
    int64_t zeros[15] = {0};
    int64_t (*sols)[RC_MAX_COLS] = calloc(4, sizeof *sols);
    bool overflow = false;
    size_t n = rc_group_orders(zeros, 15, 5, 4, sols, 4, &overflow);
    ck_assert_uint_eq(n, 4);
    ck_assert(overflow); /* more readings than room: the caller must not trust agreement */
    free(sols);
}
END_TEST

/* Chunk readings: runs of values between header words, each whole ------- */

typedef struct chunk_case {
    const char *name;
    int64_t vals[RC_MAX_COLS];
    size_t len[RC_MAX_COLS], nchunks;
    size_t want;                  /* how many readings */
    int64_t first[RC_MAX_COLS];   /* the first reading (when want > 0) */
    size_t settled;               /* cells every reading agrees on, from the first */
} chunk_case;

static const chunk_case CHUNK[] = {
    /* the review total can only follow the first chunk: one reading */
    {"settles", {40, 12, 90, 8, 5, 2, 0, 3, 10, 150, 7, 1, 2, 0, 10}, {4, 5, 5, 1}, 4, 1,
     {40, 12, 90, 8, 150, 7, 1, 2, 0, 10, 5, 2, 0, 3, 10}, 15},
    /* two self-consistent suit groups may swap: only the review group agrees */
    {"groups swap", {40, 12, 90, 8, 5, 2, 0, 4, 150, 7, 1, 2, 0, 10, 11}, {4, 4, 1, 5, 1}, 5, 2,
     {40, 12, 90, 8, 150, 5, 2, 0, 4, 11, 7, 1, 2, 0, 10}, 5},
    /* the first chunk keeps the first cells even when another order holds */
    {"first chunk first", {7, 1, 2, 0, 10, 40, 12, 90, 8, 150}, {5, 5}, 2, 1,
     {7, 1, 2, 0, 10, 40, 12, 90, 8, 150}, 10},
    /* equal chunks are one reading, not one per twin */
    {"twins", {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}, {5, 5, 5}, 3, 1, {0}, 15},
    /* a wrong total no placing fixes: no reading */
    {"report wrong", {6, 2, 1, 0, 8, 1, 0, 0, 0, 1, 2, 1, 0, 1, 4}, {4, 5, 1, 5}, 4, 0, {0}, 0},
    /* not a whole number of groups */
    {"ragged", {1, 0, 0, 0, 1, 0, 0}, {5, 2}, 2, 0, {0}, 0},
};

START_TEST(chunk_readings)
{
    const chunk_case *c = &CHUNK[_i];
    int64_t (*sols)[RC_MAX_COLS] = calloc(RC_MAX_SOLUTIONS, sizeof *sols);
    ck_assert_ptr_nonnull(sols);
    bool overflow = true;
    size_t n = rc_chunk_orders(c->vals, c->len, c->nchunks, 5, 4, sols, RC_MAX_SOLUTIONS, &overflow);
    ck_assert_msg(!overflow, "%s: overflow", c->name);
    ck_assert_msg(n == c->want, "%s: %zu readings, want %zu", c->name, n, c->want);
    size_t cells = 0;
    for (size_t k = 0; k < c->nchunks; k++)
        cells += c->len[k];
    if (n)
        ck_assert_msg(memcmp(sols[0], c->first, cells * sizeof *c->first) == 0, "%s: first reading", c->name);
    for (size_t s = 1; s < n; s++) /* the settled cells agree, the rest not everywhere */
        ck_assert_msg(memcmp(sols[s], sols[0], c->settled * sizeof **sols) == 0, "%s: reading %zu", c->name, s);
    if (n > 1) {
        bool differs = false;
        for (size_t s = 1; s < n; s++)
            differs |= sols[s][c->settled] != sols[0][c->settled];
        ck_assert_msg(differs, "%s: cell %zu agrees in every reading", c->name, c->settled);
    }
    free(sols);
}
END_TEST

START_TEST(chunk_overflow_is_said)
{
    int64_t zeros[15] = {0};
    size_t len[15];
    for (size_t i = 0; i < 15; i++)
        len[i] = 1;
    zeros[0] = 1; /* distinct chunks: many placings */
    zeros[4] = 1;
    zeros[5] = 2;
    zeros[9] = 2;
    int64_t (*sols)[RC_MAX_COLS] = calloc(2, sizeof *sols);
    bool overflow = false;
    size_t n = rc_chunk_orders(zeros, len, 15, 5, 4, sols, 2, &overflow);
    ck_assert_uint_eq(n, 2);
    ck_assert(overflow);
    free(sols);
}
END_TEST

/* A table cut into chunks at random and the chunks (but the first) put
 * in random order: the printed table is always among the readings, so
 * the cells all readings agree on are never another number. */
START_TEST(chunk_truth_kept)
{
    unsigned seed = 12345;
    int64_t (*sols)[RC_MAX_COLS] = calloc(RC_MAX_SOLUTIONS, sizeof *sols);
    ck_assert_ptr_nonnull(sols);
    for (int round = 0; round < 300; round++) {
        int64_t table[15], vals[15];
        for (size_t g = 0; g < 3; g++) {
            table[g * 5 + 4] = 0;
            for (size_t i = 0; i < 4; i++) {
                table[g * 5 + i] = rand_r(&seed) % 4;
                table[g * 5 + 4] += table[g * 5 + i];
            }
        }
        size_t start[15], len[15], m = 0; /* chunks of 1..6 cells */
        for (size_t at = 0; at < 15; m++) {
            start[m] = at;
            len[m] = 1 + (size_t)rand_r(&seed) % 6;
            if (at + len[m] > 15)
                len[m] = 15 - at;
            at += len[m];
        }
        size_t order[15];
        for (size_t k = 0; k < m; k++)
            order[k] = k;
        for (size_t k = m - 1; k > 1; k--) { /* shuffle all but the first */
            size_t j = 1 + (size_t)rand_r(&seed) % k, t = order[k];
            order[k] = order[j];
            order[j] = t;
        }
        size_t plen[15], n = 0;
        for (size_t k = 0; k < m; k++) {
            plen[k] = len[order[k]];
            for (size_t i = 0; i < plen[k]; i++)
                vals[n++] = table[start[order[k]] + i];
        }
        bool overflow = false;
        size_t ns = rc_chunk_orders(vals, plen, m, 5, 4, sols, RC_MAX_SOLUTIONS, &overflow);
        bool found = false;
        for (size_t q = 0; q < ns; q++)
            found |= memcmp(sols[q], table, sizeof table) == 0;
        ck_assert_msg(found || overflow, "round %d: the printed table is not among %zu readings", round, ns);
    }
    free(sols);
}
END_TEST

/* Signed glued runs in table 1 (gb2019 本年增/减) ------------------------- */

typedef struct signed_case {
    const char *name;
    const char *printed;   /* the 行政处罚 row as printed */
    const char *path;
    long want;             /* LONG_MIN: null (ambiguous) */
} signed_case;

#define NUL LONG_MIN
static const signed_case SIGNED[] = {
    /* the sign starts the signed cell: what comes before is the first cell */
    {"prefix settled", "行政处罚5120-37601", "proactive.penalty.prev_items", 5120},
    {"rest ambiguous", "行政处罚5120-37601", "proactive.penalty.items_change", NUL},
    {"rest ambiguous, decisions", "行政处罚5120-37601", "proactive.penalty.decisions", NUL},
    /* a sign before the first cell: it cannot be the unsigned first cell */
    {"sign not in an unsigned cell", "行政处罚 -5 40", "proactive.penalty.items_change", -5},
    /* a lone 0 cannot start a longer cell: -40/5 and -405 (decisions blank) stay */
    {"lone zero", "行政处罚12-405", "proactive.penalty.items_change", NUL},
    {"lone zero, first cell", "行政处罚12-405", "proactive.penalty.prev_items", 12},
    /* a run that starts with its sign: one cell (the others dropped blank)
     * or cut in two, never taken whole as if that were certain */
    {"sign first, whole or cut", "行政处罚-37601", "proactive.penalty.items_change", NUL},
    {"sign first, decisions", "行政处罚-37601", "proactive.penalty.decisions", NUL},
    /* one digit after the sign: the last cell was dropped blank */
    {"short run", "行政处罚2648-1", "proactive.penalty.items_change", -1},
    /* the row below is untouched */
    {"next row", "行政处罚5120-37601", "proactive.coercion.decisions", 15},
};

START_TEST(signed_readings)
{
    const signed_case *c = &SIGNED[_i];
    nb_buf b = {0};
    nb_buf_adds(&b, "测试县测试局2020年政府信息公开工作年度报告\n\n二、主动公开政府信息情况\n\n"
                    "第二十条第（六）项\n信息内容 上一年项目数量 本年增/减 处理决定数量\n");
    nb_buf_adds(&b, c->printed);
    nb_buf_adds(&b, "\n行政强制 84 -9 15\n\n三、收到和处理政府信息公开申请情况\n");
    char *text = nb_buf_steal(&b);
    assert_cell(c->name, text, c->path, c->want == NUL, c->want);
    free(text);
}
END_TEST

/* Random rows glued with a negative 本年增/减: a value that is set is the
 * printed one (the rest null), whatever the digits. */
START_TEST(signed_never_wrong)
{
    unsigned seed = 777;
    int settled = 0;
    for (int round = 0; round < 60; round++) {
        long cell[3] = {rand_r(&seed) % 3000, -(1 + rand_r(&seed) % 300), rand_r(&seed) % 900};
        char *text = nb_strfmt("测试县测试局2020年政府信息公开工作年度报告\n\n二、主动公开政府信息情况\n\n"
                               "第二十条第（六）项\n信息内容 上一年项目数量 本年增/减 处理决定数量\n"
                               "行政处罚%ld%ld%ld\n\n三、收到和处理政府信息公开申请情况\n",
                               cell[0], cell[1], cell[2]);
        nb_error err;
        nb_error_clear(&err);
        nb_report *r = tu_recognise_text(text, &err);
        ck_assert_msg(r != NULL, "%s", err.text);
        static const char *const path[3] = {"proactive.penalty.prev_items", "proactive.penalty.items_change",
                                            "proactive.penalty.decisions"};
        for (int i = 0; i < 3; i++) {
            nb_num v;
            if (!nb_report_get_num(r, path[i], &v))
                continue;
            settled++;
            ck_assert_msg(nb_num_cmp(v, nb_num_int(cell[i])) == 0, "%s: %s is not %ld", text, path[i], cell[i]);
        }
        nb_report_free(r);
        free(text);
    }
    ck_assert_int_ge(settled, 60); /* at least the cell before the sign */
}
END_TEST

/* Table-2 rows through the recogniser -------------------------------------- */

static const char *const ROWS[] = {
    "一、本年新收政府信息公开申请数量", "二、上年结转政府信息公开申请数量", "三、本年度办理结果 （一）予以公开",
    "（二）部分公开（区分处理的，只计这一情形，不计其他情形）", "（三）不予公开 1.属于国家秘密",
    "2.其他法律行政法规禁止公开", "3.危及“三安全一稳定”", "4.保护第三方合法权益", "5.属于三类内部事务信息",
    "6.属于四类过程性信息", "7.属于行政执法案卷", "8.属于行政查询事项", "（四）无法提供 1.本机关不掌握相关政府信息",
    "2.没有现成信息需要另行制作", "3.补正后申请内容仍不明确", "（五）不予处理 1.信访举报投诉类申请", "2.重复申请",
    "3.要求提供公开出版物", "4.无正当理由大量反复申请", "5.要求行政机关确认或重新出具已获取信息",
    "（六）其他处理 1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
    "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请", "3.其他", "（七）总计",
    "四、结转下年度继续办理"};
enum { NEW = 0, GRANTED = 2, TOTAL = 23, FORWARD = 24 };

typedef struct row_case {
    const char *name;
    int row;                 /* the row printed oddly */
    const char *printed;     /* its values as printed */
    const char *others;      /* every other row: new/granted/total rows print this, the rest zeros */
    const char *path;        /* a cell to look at */
    long want;               /* its value, -1: null (ambiguous) */
} row_case;

static const row_case ROW[] = {
    /* a glued pair among spaced cells is two cells, not a lost total */
    {"glued pair", TOTAL, "4 1 0 00 0 5", "4 1 0 0 0 0 5", "requests.results_total.total", 5},
    {"glued pair, organisation", TOTAL, "4 1 0 00 0 5", "4 1 0 0 0 0 5", "requests.results_total.other_org", 0},
    {"pair at row end", TOTAL, "4 1 0 0 0 05", "4 1 0 0 0 0 5", "requests.results_total.total", 5},
    /* a short row whose last run may be glued: the column sums choose */
    {"lost total or glued", TOTAL, "4 1 0 0 0 05", "4 1 0 0 0 0 5", "requests.results_total.business", 1},
    /* one digit per cell with a wrong total: taken as printed */
    {"wrong total taken", NEW, "4100004", "4 1 0 0 0 0 5", "requests.new_received.total", 4},
    {"wrong total, other cells", NEW, "4100004", "4 1 0 0 0 0 5", "requests.new_received.business", 1},
};

static char *table_text(const row_case *c)
{
    nb_buf b = {0};
    nb_buf_adds(&b, "测试县测试局2024年政府信息公开工作年度报告\n\n三、收到和处理政府信息公开申请情况\n\n");
    for (int r = 0; r < (int)(sizeof ROWS / sizeof *ROWS); r++) {
        const char *vals = r == c->row ? c->printed
                           : (r == NEW || r == GRANTED || r == TOTAL) ? c->others
                                                                     : "0 0 0 0 0 0 0";
        nb_buf_adds(&b, ROWS[r]);
        nb_buf_adds(&b, r == c->row && !strchr(vals, ' ') ? "" : " ");
        nb_buf_adds(&b, vals);
        nb_buf_adds(&b, "\n");
    }
    nb_buf_adds(&b, "\n四、政府信息公开行政复议、行政诉讼情况\n\n0 0 0 0 0 0 0 0 0 0 0 0 0 0 0\n");
    return nb_buf_steal(&b);
}

START_TEST(row_readings)
{
    const row_case *c = &ROW[_i];
    char *text = table_text(c);
    assert_cell(c->name, text, c->path, c->want < 0, c->want);
    free(text);
}
END_TEST

/* The resolver's column relations are the rule files' per-column error
 * rules: gb2021's requests table gets 一+二 = (七)+四 and (七) = Σ outcomes. */
static const nb_column_check *find_check(const nb_table_def *d, const char *lhs0)
{
    for (size_t i = 0; i < d->nchecks; i++)
        if (d->checks[i].lhs.n && !strcmp(d->checks[i].lhs.v[0], lhs0))
            return &d->checks[i];
    return NULL;
}

START_TEST(relations_from_rules)
{
    const nb_table_def *v[4];
    size_t n = nb_templates_variants(tu_templates(), "requests", v, 4);
    const nb_table_def *d = NULL;
    for (size_t i = 0; i < n; i++)
        if (!strcmp(v[i]->variant, "gb2021"))
            d = v[i];
    ck_assert_ptr_nonnull(d);
    const nb_column_check *bal = find_check(d, "new_received"), *res = find_check(d, "results_total");
    ck_assert_msg(bal && bal->lhs.n == 2 && bal->rhs.n == 2 && !strcmp(bal->rhs.v[1], "carried_forward"),
                  "R-T2-BALANCE is a column relation");
    ck_assert_msg(res && res->rhs.n == 6 && !strcmp(res->rhs.v[2], "withheld.*"), "R-T2-RESULTS is one");
    /* row sums (for_each row) and conditional rules are the validator's alone */
    for (size_t i = 0; i < d->nchecks; i++)
        ck_assert_msg(strstr(d->checks[i].lhs.v[0], "total") == NULL || !strcmp(d->checks[i].lhs.v[0], "results_total"),
                      "unexpected relation on %s", d->checks[i].lhs.v[0]);
}
END_TEST

/* Without rules (or with rules of other shapes) a table has no relations,
 * and loading again replaces instead of adding. */
START_TEST(relations_replace)
{
    nb_error err;
    nb_error_clear(&err);
    char *dir = tu_path(tu_source_dir(), "formats/templates");
    nb_templates *t = nb_templates_load(dir, &err);
    free(dir);
    ck_assert_ptr_nonnull(t);
    char *rdir = tu_path(tu_source_dir(), "formats/rules");
    nb_ruleset *rs = nb_ruleset_load(rdir, t, &err);
    free(rdir);
    ck_assert_ptr_nonnull(rs);
    ck_assert(rc_relations_from_rules(t, rs));
    ck_assert(rc_relations_from_rules(t, rs));
    const nb_table_def *v[4];
    size_t n = nb_templates_variants(t, "requests", v, 4), total = 0;
    for (size_t i = 0; i < n; i++)
        total += v[i]->nchecks;
    ck_assert_uint_eq(total, 2 * n); /* BALANCE and RESULTS per variant, once */
    ck_assert(rc_relations_from_rules(t, NULL));
    for (size_t i = 0; i < n; i++)
        ck_assert_uint_eq(v[i]->nchecks, 0);
    nb_ruleset_free(rs);
    nb_templates_free(t);
}
END_TEST

/* The match limits are the template's "match" object; a bad one is a
 * load error naming the key. */
START_TEST(match_limits_from_template)
{
    const nb_table_def *v[4];
    size_t n = nb_templates_variants(tu_templates(), "requests", v, 4);
    ck_assert_uint_gt(n, 0);
    for (size_t i = 0; i < n; i++) /* gb2019 inherits gb2021's */
        ck_assert_int_eq(v[i]->match.row_window, 8);
    char path[] = "/tmp/nb_match_XXXXXX";
    int fd = mkstemp(path);
    ck_assert_int_ge(fd, 0);
    close(fd);
    const char *bad = "{\"id\": \"t\", \"match\": {\"row_window\": 0}, \"sections\": [], \"tables\": []}";
    ck_assert_int_eq(tu_write_file(path, bad, strlen(bad)), 0);
    nb_error err;
    nb_error_clear(&err);
    nb_templates *t = nb_templates_load_file(path, &err);
    unlink(path);
    ck_assert_ptr_null(t);
    ck_assert_msg(strstr(err.text, "match.row_window") != NULL, "error names the key: %s", err.text);
}
END_TEST

static Suite *resolve_suite(void)
{
    Suite *s = suite_create("resolve");
    TCase *tc = tcase_create("readings");
    tcase_add_loop_test(tc, order_readings, 0, (int)(sizeof ORDER / sizeof *ORDER));
    tcase_add_test(tc, order_overflow_is_said);
    tcase_add_loop_test(tc, chunk_readings, 0, (int)(sizeof CHUNK / sizeof *CHUNK));
    tcase_add_test(tc, chunk_overflow_is_said);
    tcase_add_test(tc, chunk_truth_kept);
    tcase_add_loop_test(tc, signed_readings, 0, (int)(sizeof SIGNED / sizeof *SIGNED));
    tcase_add_test(tc, signed_never_wrong);
    tcase_add_loop_test(tc, row_readings, 0, (int)(sizeof ROW / sizeof *ROW));
    tcase_add_test(tc, relations_from_rules);
    tcase_add_test(tc, relations_replace);
    tcase_add_test(tc, match_limits_from_template);
    suite_add_tcase(s, tc);
    return s;
}

int main(void) { return tu_main(resolve_suite()); }
