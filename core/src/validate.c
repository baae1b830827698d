/* validate.c - the validation stage: loads the rule files and runs every
 * rule on a report.  What each rule checks is data (formats/rules/NAME.json,
 * docs/validation.md); the engines live in validate_linear.c (arithmetic
 * and cell checks), validate_text.c (narrative) and validate_report.c
 * (report-level). */
#include "validate_int.h"
#include "util.h"
#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static bool is_dir(const char *p)
{
    struct stat st;
    return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

/* Sorted *.json names of dir (caller frees). */
static char **json_files(const char *dir, size_t *n)
{
    *n = 0;
    DIR *d = opendir(dir);
    if (!d)
        return NULL;
    char **v = NULL;
    size_t cap = 0;
    struct dirent *e;
    while ((e = readdir(d))) {
        if (e->d_name[0] == '.' || !nb_has_suffix_ci(e->d_name, ".json"))
            continue;
        if (!nb_grow((void **)&v, &cap, *n, sizeof *v))
            break;
        v[(*n)++] = nb_strfmt("%s/%s", dir, e->d_name);
    }
    closedir(d);
    if (v)
        qsort(v, *n, sizeof *v, cmp_str);
    return v;
}

/* A directory of rule files; a formats directory stands for its rules/. */
static nb_status load_dir(nb_ruleset *rs, const char *dir, nb_error *err)
{
    char *sub = nb_strfmt("%s/rules", dir);
    const char *use = sub && is_dir(sub) ? sub : dir;
    size_t n;
    char **files = json_files(use, &n);
    nb_status st = NB_OK;
    for (size_t i = 0; i < n; i++) {
        if (st == NB_OK)
            st = v_rules_parse_file(rs, files[i], err);
        free(files[i]);
    }
    free(files);
    free(sub);
    return st;
}

/* The rules' table names become the templates' own strings (the same
 * text), so a report's table is found by comparing pointers. */
static void intern_tables(nb_ruleset *rs)
{
    size_t nt = rs->t ? nb_templates_table_count(rs->t) : 0;
    for (size_t i = 0; i < rs->n; i++)
        for (size_t k = 0; rs->rules[i].table && k < nt; k++)
            if (strcmp(rs->rules[i].table, nb_templates_table_name(rs->t, k)) == 0) {
                rs->rules[i].table = (char *)nb_templates_table_name(rs->t, k);
                break;
            }
}

nb_ruleset *nb_ruleset_load(const char *dirs, const nb_templates *t, nb_error *err)
{
    nb_ruleset *rs = calloc(1, sizeof *rs);
    if (!rs) {
        nb_error_set(err, NB_E_INTERNAL, NULL, "out of memory");
        return NULL;
    }
    rs->t = t;
    rs->cloc = newlocale(LC_CTYPE_MASK, "C", (locale_t)0);
    pthread_mutex_init(&rs->re_mu, NULL);
    rs->cache = v_cache_new(); /* NULL: patterns are matched afresh */
    char *list = nb_strdup(dirs ? dirs : "");
    nb_status st = NB_OK;
    for (char *save = NULL, *d = strtok_r(list, ":", &save); d && st == NB_OK;
         d = strtok_r(NULL, ":", &save))
        if (*d && is_dir(d))
            st = load_dir(rs, d, err);
    free(list);
    if (st == NB_OK)
        st = v_rules_check_paths(rs, err);
    if (st == NB_OK) {
        intern_tables(rs);
        rs->plans = v_plans_new(rs->n); /* NULL: rules are interpreted */
        v_litset_build(rs);
    }
    if (st != NB_OK) {
        nb_ruleset_free(rs);
        return NULL;
    }
    return rs;
}

void nb_ruleset_free(nb_ruleset *rs)
{
    if (!rs)
        return;
    v_plans_free(rs->plans, rs->n);
    v_litset_free(rs->lits);
    for (size_t i = 0; i < rs->n; i++)
        v_rule_free(&rs->rules[i]);
    free(rs->rules);
    nb_arena_free(&rs->arena);
    v_cache_free(rs->cache);
    if (rs->cloc)
        freelocale(rs->cloc);
    pthread_mutex_destroy(&rs->re_mu);
    free(rs);
}

size_t nb_ruleset_count(const nb_ruleset *rs)
{
    return rs ? rs->n : 0;
}

const char *nb_ruleset_rule_id(const nb_ruleset *rs, size_t i)
{
    return rs && i < rs->n ? rs->rules[i].id : NULL;
}

nb_severity nb_ruleset_rule_severity(const nb_ruleset *rs, size_t i)
{
    return rs && i < rs->n ? rs->rules[i].sev : NB_SEV_INFO;
}

const char *nb_ruleset_rule_file(const nb_ruleset *rs, size_t i)
{
    return rs && i < rs->n ? rs->rules[i].file : NULL;
}

/* Values of one report.  Rule table names are interned to the templates'
 * strings: nb_report_table_c finds them by the pointer first. */
static const nb_table_def *report_def(const void *ctx, const char *table, bool prev)
{
    if (prev)
        return NULL;
    const nb_table *t = nb_report_table_c(ctx, table);
    return t ? t->def : NULL;
}

/* The report's table holding definition d (a table holds its own
 * definitions only): found by the pointer, not by d's name. */
static const nb_table *table_with(const nb_report *r, const nb_table_def *d)
{
    for (size_t i = 0; i < r->ntables; i++)
        if (r->tables[i].def == d)
            return &r->tables[i];
    return NULL;
}

static const nb_cell *report_cell(const void *ctx, const nb_table_def *d, size_t field, bool prev)
{
    if (prev || !d)
        return NULL;
    const nb_table *t = table_with(ctx, d);
    return t && field < d->nfields ? &t->cells[field] : NULL;
}

static const nb_cell *report_cells(const void *ctx, const nb_table_def *d, bool prev)
{
    if (prev || !d)
        return NULL;
    const nb_table *t = table_with(ctx, d);
    return t ? t->cells : NULL;
}

static void to_report(void *ctx, const v_rule *rule, nb_severity sev, bool skipped,
                      const char *where, const char *expected, const char *found, const char *msg)
{
    nb_report_add_diag(ctx, rule->id, sev, skipped, where, expected, found, "%s", msg);
}

void v_run_rule(const v_eval *ev, const v_rule *r)
{
    switch (r->kind) {
    case VK_LINEAR: v_run_linear(ev, r); break;
    case VK_VALUES: case VK_OMITTED: case VK_RAW: case VK_UNIT: v_run_cells(ev, r); break;
    case VK_TEXT: case VK_TEXT_PERCENT: case VK_TEXT_FACT: v_run_text(ev, r); break;
    default: v_run_report(ev, r); break;
    }
}

size_t nb_validate(const nb_ruleset *rs, nb_report *r)
{
    if (!rs || !r)
        return 0;
    v_src src = {report_def, report_cell, r, r, report_cells};
    v_out out = {to_report, r, 0};
    v_texts texts = {0};
    v_memo memo = {0};
    v_eval ev = {rs, &src, &out, r, &texts, &memo};
    for (size_t i = 0; i < rs->n; i++)
        if (!rs->rules[i].cross_year)
            v_run_rule(&ev, &rs->rules[i]);
    v_texts_free(&texts);
    return out.count;
}
