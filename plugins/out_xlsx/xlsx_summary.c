/* xlsx_summary.c - the summary sheet: run counts, then one column per year
 * and template (a 2022 gb2021 report is never added to a 2019 gb2019 one)
 * with the main rows of the template, the outcome shares, and two charts
 * with data labels below the tables, where they have room.
 *
 * The rows are named by key path (the key scheme is a contract,
 * report-model.md); their Chinese labels come from the templates. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xlsx.h"

#define NELEM(a) (sizeof(a) / sizeof *(a))
#define FIRST_GROUP_COL 2 /* A: label, B: key, C...: one per year and template */

static const char *const volume_paths[] = {
    "requests.new_received.total", "requests.carried_over.total", "requests.results_total.total",
    "requests.carried_forward.total", "appeals.review.total", "appeals.suit_direct.total",
    "appeals.suit_after_review.total"};
static const char *const outcome_paths[] = {
    "requests.granted.total", "requests.partially_granted.total", "requests.withheld.subtotal.total",
    "requests.unavailable.subtotal.total", "requests.not_processed.subtotal.total",
    "requests.other_handling.subtotal.total"};

/* Groups ------------------------------------------------------------------ */

xl_group *xl_group_for(xl_out *o, const nb_report *r)
{
    const char *tid = nb_report_template_id(r) ? nb_report_template_id(r) : "unknown";
    int year = nb_report_year(r);
    for (size_t i = 0; i < o->ngroups; i++)
        if (o->groups[i].year == year && strcmp(o->groups[i].template_id, tid) == 0)
            return &o->groups[i];
    if (o->ngroups == o->capgroups) {
        size_t cap = o->capgroups ? o->capgroups * 2 : 8;
        xl_group *g = realloc(o->groups, cap * sizeof *g);
        if (!g)
            return NULL;
        o->groups = g;
        o->capgroups = cap;
    }
    xl_group *g = &o->groups[o->ngroups];
    memset(g, 0, sizeof *g);
    g->year = year;
    snprintf(g->template_id, sizeof g->template_id, "%s", tid);
    g->totals = calloc(o->flat.ncols ? o->flat.ncols : 1, sizeof *g->totals);
    if (!g->totals)
        return NULL;
    o->ngroups++;
    return g;
}

void xl_groups_free(xl_out *o)
{
    for (size_t i = 0; i < o->ngroups; i++)
        free(o->groups[i].totals);
    free(o->groups);
    o->groups = NULL;
    o->ngroups = o->capgroups = 0;
}

static int cmp_group(const void *a, const void *b)
{
    const xl_group *x = a, *y = b;
    if (x->year != y->year) /* unknown year last */
        return x->year == 0 ? 1 : y->year == 0 ? -1 : x->year < y->year ? -1 : 1;
    return strcmp(x->template_id, y->template_id);
}

/* Writing ------------------------------------------------------------------ */

typedef struct sum_ctx {
    xl_out *o;
    lxw_row_t row;
    lxw_error e;
} sum_ctx;

static void put(sum_ctx *s, lxw_col_t col, const char *text, lxw_format *fmt)
{
    if (!s->e)
        s->e = xl_put_text(s->o->summary, s->row, col, text, fmt);
}

static void put_number(sum_ctx *s, lxw_col_t col, double v, lxw_format *fmt)
{
    if (!s->e)
        s->e = worksheet_write_number(s->o->summary, s->row, col, v, fmt);
}

static long column_of(const xl_out *o, const char *path)
{
    for (size_t c = 0; c < o->flat.ncols; c++)
        if (strcmp(nb_field_path(o->flat.cols[c]), path) == 0)
            return (long)c;
    return -1;
}

/* The row part of a field label: "（三）不予公开/1.属于国家秘密/总计" without "/总计". */
static const char *row_label(const nb_field_def *fd, char *buf, size_t len)
{
    snprintf(buf, len, "%s", nb_field_label(fd) ? nb_field_label(fd) : nb_field_path(fd));
    char *slash = strrchr(buf, '/');
    if (slash && slash != buf)
        *slash = '\0';
    return buf;
}

static void sum_counts(sum_ctx *s, const nb_summary *sm)
{
    const char *labels[] = {"本表报告数", "已转换", "跳过（非年报）", "失败（无法读取）", "有错误的报告",
                            "仅有警告的报告"};
    size_t vals[] = {s->o->nreports,
                     sm ? nb_summary_count(sm, NB_SUM_CONVERTED) : s->o->nreports,
                     nb_summary_count(sm, NB_SUM_SKIPPED),
                     nb_summary_count(sm, NB_SUM_FAILED),
                     nb_summary_count(sm, NB_SUM_WITH_ERRORS),
                     nb_summary_count(sm, NB_SUM_WITH_WARNINGS)};
    put(s, 0, "运行情况", s->o->head_fmt);
    put(s, 1, "数量", s->o->head_fmt);
    s->row++;
    for (size_t i = 0; i < NELEM(vals); i++, s->row++) {
        put(s, 0, labels[i], NULL);
        put_number(s, 1, (double)vals[i], NULL);
    }
    s->row++;
}

/* "2023年 gb2021" over each group's column. */
static void group_header(sum_ctx *s, const char *title)
{
    char name[48];
    put(s, 0, title, s->o->head_fmt);
    put(s, 1, "key", s->o->head_fmt);
    for (size_t g = 0; g < s->o->ngroups; g++) {
        const xl_group *gr = &s->o->groups[g];
        if (gr->year)
            snprintf(name, sizeof name, "%d年 %s", gr->year, gr->template_id);
        else
            snprintf(name, sizeof name, "年度不明 %s", gr->template_id);
        put(s, (lxw_col_t)(FIRST_GROUP_COL + g), name, s->o->head_fmt);
    }
    s->row++;
}

static void count_row(sum_ctx *s, const char *label, const char *key, size_t (*get)(const xl_group *))
{
    put(s, 0, label, NULL);
    put(s, 1, key, s->o->key_fmt);
    for (size_t g = 0; g < s->o->ngroups; g++)
        put_number(s, (lxw_col_t)(FIRST_GROUP_COL + g), (double)get(&s->o->groups[g]), NULL);
    s->row++;
}

static size_t g_reports(const xl_group *g) { return g->nreports; }
static size_t g_errors(const xl_group *g) { return g->with_errors; }

/* Rows of key paths, one number per group; first and last: the rows written
 * (for a chart), *first > *last when none. */
static void value_rows(sum_ctx *s, const char *const *paths, size_t n, lxw_row_t *first, lxw_row_t *last)
{
    char buf[512];
    *first = s->row;
    for (size_t i = 0; i < n; i++) {
        long c = column_of(s->o, paths[i]);
        if (c < 0)
            continue;
        put(s, 0, row_label(s->o->flat.cols[c], buf, sizeof buf), NULL);
        put(s, 1, paths[i], s->o->key_fmt);
        for (size_t g = 0; g < s->o->ngroups; g++)
            put_number(s, (lxw_col_t)(FIRST_GROUP_COL + g), xl_num_value(s->o->groups[g].totals[c]), NULL);
        s->row++;
    }
    *last = s->row - 1;
}

/* Each outcome as a share of all outcomes of the group. */
static void share_rows(sum_ctx *s, lxw_row_t *first, lxw_row_t *last)
{
    char buf[512];
    *first = s->row;
    for (size_t i = 0; i < NELEM(outcome_paths); i++) {
        long c = column_of(s->o, outcome_paths[i]);
        if (c < 0)
            continue;
        put(s, 0, row_label(s->o->flat.cols[c], buf, sizeof buf), NULL);
        put(s, 1, outcome_paths[i], s->o->key_fmt);
        for (size_t g = 0; g < s->o->ngroups; g++) {
            double all = 0;
            for (size_t k = 0; k < NELEM(outcome_paths); k++) {
                long ck = column_of(s->o, outcome_paths[k]);
                all += ck >= 0 ? xl_num_value(s->o->groups[g].totals[ck]) : 0;
            }
            double v = xl_num_value(s->o->groups[g].totals[c]);
            put_number(s, (lxw_col_t)(FIRST_GROUP_COL + g), all > 0 ? v / all : 0, s->o->pct_fmt);
        }
        s->row++;
    }
    *last = s->row - 1;
}

/* Charts ------------------------------------------------------------------- */

static void chart_common(lxw_chart *ch, const char *title)
{
    chart_title_set_name(ch, title);
    lxw_chart_font font = {.size = 12, .bold = LXW_TRUE};
    chart_title_set_name_font(ch, &font);
    chart_legend_set_position(ch, LXW_CHART_LEGEND_BOTTOM);
}

static void insert_chart(xl_out *o, lxw_chart *ch, lxw_row_t at)
{
    lxw_chart_options opt = {.x_scale = 1.8, .y_scale = 1.4};
    worksheet_insert_chart_opt(o->summary, at, 0, ch, &opt);
}

/* New requests per year and template: one column each, labelled. */
static void volume_chart(xl_out *o, lxw_row_t header, lxw_row_t row, lxw_row_t at)
{
    lxw_chart *ch = workbook_add_chart(o->wb, LXW_CHART_COLUMN);
    if (!ch || !o->ngroups)
        return;
    lxw_col_t last = (lxw_col_t)(FIRST_GROUP_COL + o->ngroups - 1);
    lxw_chart_series *ser = chart_add_series(ch, NULL, NULL);
    chart_series_set_categories(ser, "summary", header, FIRST_GROUP_COL, header, last);
    chart_series_set_values(ser, "summary", row, FIRST_GROUP_COL, row, last);
    chart_series_set_name_range(ser, "summary", row, 0);
    chart_series_set_labels(ser);
    chart_common(ch, "本年新收政府信息公开申请（按年度）");
    chart_legend_set_position(ch, LXW_CHART_LEGEND_NONE);
    insert_chart(o, ch, at);
}

/* Outcome shares per year and template: stacked to 100 %, labelled. */
static void share_chart(xl_out *o, lxw_row_t header, lxw_row_t first, lxw_row_t last_row, lxw_row_t at)
{
    if (first > last_row || !o->ngroups)
        return;
    lxw_chart *ch = workbook_add_chart(o->wb, LXW_CHART_COLUMN_STACKED_PERCENT);
    if (!ch)
        return;
    lxw_col_t last = (lxw_col_t)(FIRST_GROUP_COL + o->ngroups - 1);
    for (lxw_row_t r = first; r <= last_row; r++) {
        lxw_chart_series *ser = chart_add_series(ch, NULL, NULL);
        chart_series_set_categories(ser, "summary", header, FIRST_GROUP_COL, header, last);
        chart_series_set_values(ser, "summary", r, FIRST_GROUP_COL, r, last);
        chart_series_set_name_range(ser, "summary", r, 0);
        chart_series_set_labels(ser);
        chart_series_set_labels_num_format(ser, "0%");
    }
    chart_common(ch, "办理结果占比（按年度）");
    insert_chart(o, ch, at);
}

static void legend(sum_ctx *s)
{
    static const char *const what[] = {"读作空白或“—”，记为 0", "按合计关系推定", "未找到（空）",
                                       "有多种读法（空）", "检查发现警告", "检查发现错误"};
    lxw_format *fmts[] = {s->o->cell_fmt[ST_BLANK][FL_NONE],   s->o->cell_fmt[ST_INFERRED][FL_NONE],
                          s->o->cell_fmt[ST_MISSING][FL_NONE], s->o->cell_fmt[ST_AMBIGUOUS][FL_NONE],
                          s->o->cell_fmt[ST_PLAIN][FL_WARNING], s->o->cell_fmt[ST_PLAIN][FL_ERROR]};
    put(s, 0, "reports 表单元格样式", s->o->head_fmt);
    put(s, 1, "含义", s->o->head_fmt);
    s->row++;
    for (size_t i = 0; i < NELEM(what); i++, s->row++) {
        put(s, 0, "样式", fmts[i]);
        put(s, 1, what[i], NULL);
    }
}

lxw_error xl_write_summary(xl_out *o, const nb_summary *sm)
{
    if (o->ngroups > 1)
        qsort(o->groups, o->ngroups, sizeof *o->groups, cmp_group);
    sum_ctx s = {o, 0, LXW_NO_ERROR};
    lxw_worksheet *ws = o->summary;
    worksheet_set_column(ws, 0, 0, 34, NULL);
    worksheet_set_column(ws, 1, 1, 30, o->key_fmt);
    if (o->ngroups)
        worksheet_set_column(ws, FIRST_GROUP_COL, (lxw_col_t)(FIRST_GROUP_COL + o->ngroups - 1), 16, NULL);
    put(&s, 0, "汇总（按年度与模板分列，不跨年相加）", o->title_fmt);
    s.row += 2;
    sum_counts(&s, sm);
    lxw_row_t vh = s.row, vf, vl, sh, sf, sl;
    group_header(&s, "申请与复议诉讼");
    count_row(&s, "报告数", "reports", g_reports);
    count_row(&s, "有错误的报告", "with_errors", g_errors);
    value_rows(&s, volume_paths, NELEM(volume_paths), &vf, &vl);
    s.row++;
    sh = s.row;
    group_header(&s, "办理结果占比");
    share_rows(&s, &sf, &sl);
    s.row++;
    legend(&s);
    s.row++;
    if (vf <= vl)
        volume_chart(o, vh, vf, s.row);
    share_chart(o, sh, sf, sl, s.row + 22);
    worksheet_freeze_panes(ws, 0, 1);
    xl_print_setup(ws, 0, true);
    return s.e;
}
