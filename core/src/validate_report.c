/* validate_report.c - report-level checks (domain.md §4.8): the year, the
 * template variant against the year, the six sections and the three
 * tables, and statements a section is expected to make.  Their patterns and
 * severities come from the rule file; only the procedure is here. */
#include "validate_int.h"
#include "report_internal.h"
#include "text_internal.h"
#include "util.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const cn_no[] = {"一", "二", "三", "四", "五", "六"};

/* Nine digits fit an int; more, or none (a sign, a blank), go to atoi. */
int v_year_at(const char *s)
{
    int v = 0, n = 0;
    while (n < 9 && s[n] >= '0' && s[n] <= '9')
        v = v * 10 + (s[n++] - '0');
    return n >= 1 && !(s[n] >= '0' && s[n] <= '9') ? v : atoi(s);
}

/* Year captured by group 1 of re in s, 0 when none. */
static int year_in(const v_eval *ev, const v_regex *re, const char *s, int group)
{
    regmatch_t m[10];
    size_t nm = v_groups_upto(group, 0);
    unsigned read = v_group_bit(group);
    if (!s || !v_regex_exec_read(ev->rs, re, s, nm, m, 0, read) || m[group].rm_so < 0)
        return 0;
    return v_year_at(s + m[group].rm_so);
}

/* A year in decimal (what snprintf's "%d" writes, without its cost per report). */
static void num_str(char out[16], int v)
{
    char tmp[16];
    size_t n = 0;
    unsigned u = v < 0 ? 0u - (unsigned)v : (unsigned)v;
    do
        tmp[n++] = (char)('0' + u % 10);
    while ((u /= 10) && n < sizeof tmp);
    size_t o = 0;
    if (v < 0)
        out[o++] = '-';
    while (n && o < 15)
        out[o++] = tmp[--n];
    out[o] = '\0';
}

typedef struct ycount {
    const v_eval *ev;
    const v_regex *re;
    int years[32];
    int counts[32];
    size_t n;
    int period_from, period_to;
    const v_regex *period;
    uint64_t period_mask, year_mask; /* the strings each pattern needs (v_litset), 0: none kept */
    uint64_t held;                   /* the current piece's strings, 0: not known */
} ycount;

/* Whether a pattern needing one of mask may match a piece holding held. */
static bool may_hold(uint64_t held, uint64_t mask)
{
    return !held || !mask || (held & mask);
}

static void count_in(ycount *c, int sec, const char *s)
{
    regmatch_t m[4];
    if (c->period && !c->period_from && may_hold(c->held, c->period_mask) && v_needs_met(c->period, c->held) &&
        v_regex_exec_held(c->ev->rs, c->period, s, 4, m, 0, 1u << 1 | 1u << 3, c->held) &&
        m[1].rm_so >= 0) {
        /* "2024年1月1日至12月31日" names the year once */
        c->period_from = v_year_at(s + m[1].rm_so);
        c->period_to = m[3].rm_so >= 0 ? v_year_at(s + m[3].rm_so) : c->period_from;
    }
    if (sec != 1 || !may_hold(c->held, c->year_mask) || !v_needs_met(c->re, c->held))
        return;
    for (const char *p = s; *p && v_regex_exec_held(c->ev->rs, c->re, p, 2, m, 0, 1u << 1, c->held);
         p += m[0].rm_eo) {
        int y = v_year_at(p + m[1].rm_so);
        size_t i = 0;
        while (i < c->n && c->years[i] != y)
            i++;
        if (i == c->n && c->n < 32)
            c->years[c->n++] = y;
        if (i < c->n)
            c->counts[i]++;
        if (m[0].rm_eo <= 0)
            break;
    }
}

static void count_years(void *ctx, int sec, char *s)
{
    count_in(ctx, sec, s);
}

static void count_piece(void *ctx, int sec, char *s, uint64_t held)
{
    ycount *c = ctx;
    c->held = held;
    count_in(c, sec, s);
}

/* s as v_prepare has it: s itself when folding keeps every byte and it
 * holds no blank (a title or a stated period usually), else a prepared
 * copy in *owned (the caller frees). */
static const char *prepared_view(const char *s, char **owned)
{
    *owned = NULL;
    if (!s || s[nb_text_kept_prefix_chars(s).bytes] == '\0')
        return s;
    return *owned = v_prepare(s);
}

static void check_year(const v_eval *ev, const v_rule *r)
{
    const nb_report *rep = ev->src->r;
    if (!rep->year) {
        v_emit(ev, r, true, "year", NULL, NULL, "%s", "未检查：报告年度未知");
        return;
    }
    if (r->nre < 3)
        return;
    char *title_copy;
    int ty = year_in(ev, &r->re[0], prepared_view(rep->title, &title_copy), 1);
    free(title_copy);
    char ys[16], fs[16];
    num_str(ys, rep->year);
    if (ty && ty != rep->year) {
        num_str(fs, ty);
        v_emit(ev, r, false, "title", ys, fs, "标题中的年份 %d 与报告年度 %d 不一致", ty, rep->year);
    }
    ycount c = {.ev = ev, .re = &r->re[2], .period = &r->re[1]};
    if (ev->rs->lits && r->litmask) { /* only pieces holding what a pattern needs */
        c.period_mask = r->litmask[1];
        c.year_mask = r->litmask[2];
        v_each_piece(ev, 0, c.period_mask | c.year_mask, count_piece, &c);
        c.held = 0;
    } else {
        v_each_sentence(ev, 0, count_years, &c);
    }
    /* the period is usually stated in the preamble, kept by the recogniser */
    const char *period = nb_report_get_fact(rep, "statistics_period");
    if (!c.period_from && period) {
        char *copy;
        const char *t = prepared_view(period, &copy);
        if (t)
            count_in(&c, 0, t);
        free(copy);
    }
    if (c.period_from && (c.period_from != rep->year || c.period_to != rep->year)) {
        num_str(fs, c.period_from);
        v_emit(ev, r, false, "sections", ys, fs, "统计期限 %d年1月1日至%d年12月31日 与报告年度 %d 不一致",
               c.period_from, c.period_to, rep->year);
    }
    size_t best = 0;
    for (size_t i = 1; i < c.n; i++)
        if (c.counts[i] > c.counts[best])
            best = i;
    if (c.n && c.counts[best] >= 3 && c.years[best] != rep->year) {
        num_str(fs, c.years[best]);
        v_emit(ev, r, false, "sections.1", ys, fs, "第一部分正文中出现最多的年份是 %d 年，而报告年度为 %d",
               c.years[best], rep->year);
    }
}

static void check_template(const v_eval *ev, const v_rule *r)
{
    const nb_report *rep = ev->src->r;
    const nb_template *want = rep->year ? nb_templates_for_year(ev->rs->t, rep->year) : NULL;
    if (!want)
        return; /* unknown year or a legacy year: nothing to compare with */
    for (size_t i = 0; i < rep->ntables; i++) {
        const nb_table_def *d = rep->tables[i].def;
        if (!d || strcmp(d->variant, want->id) == 0)
            continue;
        const nb_table_def *wd = nb_templates_table(ev->rs->t, d->name, want->id);
        if (wd == d)
            continue;
        v_emit(ev, r, false, d->name, want->id, d->variant,
               "表格“%s”按 %s 格式填报，而 %d 年度报告应使用 %s 格式", d->title ? d->title : d->name,
               d->variant, rep->year, want->id);
    }
}

/* The recogniser stopped reading this table's region (NB_RULE_REGION_CUT):
 * the table may be in the part not read, so its absence says nothing of
 * the report. */
static bool region_cut(const nb_report *rep, const char *table)
{
    for (size_t i = 0; i < rep->ndiags; i++)
        if (rep->diags[i].where && strcmp(rep->diags[i].where, table) == 0 && rep->diags[i].rule &&
            strcmp(rep->diags[i].rule, NB_RULE_REGION_CUT) == 0)
            return true;
    return false;
}

static void check_sections(const v_eval *ev, const v_rule *r)
{
    const nb_report *rep = ev->src->r;
    nb_buf missing = {0};
    int last_line = 0, last_no = 0;
    for (int i = 0; i < 6; i++) {
        const nb_section *s = &rep->sections[i];
        if (!s->title && !s->text) {
            nb_buf_printf(&missing, "%s%s", missing.len ? "、" : "", cn_no[i]);
            continue;
        }
        if (s->line > 0 && last_line > 0 && s->line < last_line)
            v_emit_sev(ev, r, r->sev, "sections", "第%s部分出现在第%s部分之前", cn_no[i],
                       cn_no[last_no - 1]);
        if (s->line > 0) {
            last_line = s->line;
            last_no = i + 1;
        }
    }
    if (missing.len)
        v_emit_sev(ev, r, r->sev, "sections", "缺少第%s部分", missing.s);
    nb_buf_free(&missing);
    size_t nt = nb_templates_table_count(ev->rs->t);
    for (size_t i = 0; i < nt; i++) {
        const char *name = nb_templates_table_name(ev->rs->t, i);
        const nb_table *t = nb_report_table_c(rep, name);
        if (t && t->def)
            continue;
        const nb_table_def *d[4];
        size_t n = nb_templates_variants(ev->rs->t, name, d, 4);
        int sec = n ? d[0]->section : 0;
        const char *no = sec >= 1 && sec <= 6 ? cn_no[sec - 1] : "?", *title = n && d[0]->title ? d[0]->title : name;
        if (region_cut(rep, name))
            v_emit(ev, r, true, name, NULL, NULL, "未检查：第%s部分的表格“%s”所在的区域未读完，表格可能在未读的部分",
                   no, title);
        else
            v_emit_sev(ev, r, r->sev2, name, "缺少第%s部分的表格“%s”", no, title);
    }
}

typedef struct mention {
    const v_eval *ev;
    const v_rule *r;
    bool found;
} mention;

static void find_mention(void *ctx, int sec, char *s)
{
    (void)sec;
    mention *m = ctx;
    regmatch_t rm[1];
    for (size_t k = 0; k < m->r->nre && !m->found; k++)
        m->found = v_regex_exec(m->ev->rs, &m->r->re[k], s, 1, rm, 0);
}

static void check_mention(const v_eval *ev, const v_rule *r)
{
    const nb_report *rep = ev->src->r;
    if (r->from_year && (!rep->year || rep->year < r->from_year))
        return;
    mention m = {ev, r, false};
    v_each_sentence(ev, r->sections, find_mention, &m);
    if (!m.found)
        v_emit(ev, r, false, "sections", NULL, NULL, "%s",
               r->message ? r->message : "正文没有出现要求说明的内容");
}

void v_run_report(const v_eval *ev, const v_rule *r)
{
    if (!ev->src->r)
        return;
    switch (r->kind) {
    case VK_YEAR: check_year(ev, r); break;
    case VK_TEMPLATE: check_template(ev, r); break;
    case VK_SECTIONS: check_sections(ev, r); break;
    case VK_MENTION: check_mention(ev, r); break;
    default: break;
    }
}
