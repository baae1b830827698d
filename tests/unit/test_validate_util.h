/* test_validate_util.h - helpers of the validation suites: reports built
 * cell by cell, the rules of the source tree, and finding look-ups. */
#ifndef TEST_VALIDATE_UTIL_H
#define TEST_VALIDATE_UTIL_H

#include "testutil.h"
#include <stdlib.h>
#include <string.h>

/* The rules of the source tree, loaded once per process. */
static inline const nb_ruleset *tv_rules(void)
{
    static nb_ruleset *rs;
    if (!rs) {
        char *dir = tu_path(tu_source_dir(), "formats/rules");
        nb_error err;
        nb_error_clear(&err);
        rs = nb_ruleset_load(dir, tu_templates(), &err);
        ck_assert_msg(rs != NULL, "rules: %s: %s", err.where, err.text);
        free(dir);
    }
    return rs;
}

/* A report whose three tables use the given variants (NULL: table absent). */
static inline nb_report *tv_report3(const char *proactive, const char *requests, const char *appeals)
{
    const nb_templates *t = tu_templates();
    nb_report *r = nb_report_new(t);
    const char *names[3] = {"proactive", "requests", "appeals"};
    const char *vars[3] = {proactive, requests, appeals};
    for (int i = 0; i < 3; i++) {
        if (!vars[i])
            continue;
        const nb_table_def *d = nb_templates_table(t, names[i], vars[i]);
        ck_assert_msg(d != NULL, "no %s table in %s", names[i], vars[i]);
        nb_error err;
        ck_assert_int_eq(nb_report_set_variant(r, names[i], d, &err), NB_OK);
    }
    nb_set_str(&r->agency, "测试县人民政府");
    nb_set_str(&r->template_id, requests ? requests : "gb2021");
    r->year = requests && strcmp(requests, "gb2019") == 0 ? 2020 : 2023;
    return r;
}

static inline nb_report *tv_report(const char *variant)
{
    return tv_report3(variant, variant, variant);
}

static inline void tv_setn(nb_report *r, const char *path, nb_num v, nb_cell_status st)
{
    nb_cell *c = nb_report_cell(r, path);
    ck_assert_msg(c != NULL, "no cell %s", path);
    nb_cell_set(r, c, st, v, NULL, 0, -1);
}

static inline void tv_set(nb_report *r, const char *path, long v)
{
    tv_setn(r, path, nb_num_int(v), NB_CELL_OK);
}

/* Sets a requests row: six applicant cells and the total (their sum). */
static inline void tv_row(nb_report *r, const char *row, long np, long biz)
{
    static const char *const cols[] = {"natural_person", "business", "research", "nonprofit",
                                       "legal_service", "other_org"};
    char path[160];
    for (int i = 0; i < 6; i++) {
        snprintf(path, sizeof path, "requests.%s.%s", row, cols[i]);
        tv_set(r, path, i == 0 ? np : i == 1 ? biz : 0);
    }
    snprintf(path, sizeof path, "requests.%s.total", row);
    tv_set(r, path, np + biz);
}

/* Every printed number cell 0 (derived rows stay as the core leaves them). */
static inline void tv_zero(nb_report *r)
{
    for (size_t t = 0; t < r->ntables; t++) {
        const nb_table_def *d = r->tables[t].def;
        for (size_t i = 0; d && i < d->nfields; i++) {
            const nb_row_def *rd = &d->rows[d->fields[i].row];
            if (d->fields[i].type == NB_TYPE_UNIT || rd->derived || !rd->printed)
                continue;
            nb_cell_set(r, &r->tables[t].cells[i], NB_CELL_OK, nb_num_int(0), NULL, 0, -1);
        }
    }
}

/* A consistent table 2: 5 new, 3 granted, 1 not held, 1 carried forward;
 * 2 of them from a business. */
static inline void tv_requests_ok(nb_report *r)
{
    tv_row(r, "new_received", 3, 2);
    tv_row(r, "granted", 2, 1);
    tv_row(r, "unavailable.not_held", 0, 1);
    tv_row(r, "results_total", 2, 2);
    tv_row(r, "carried_forward", 1, 0);
}

static inline void tv_section(nb_report *r, int no, const char *text)
{
    r->sections[no - 1].no = no;
    nb_set_str(&r->sections[no - 1].title, "x");
    nb_set_str(&r->sections[no - 1].text, text);
}

/* Number of findings of a rule with that severity, not skipped. */
static inline size_t tv_count(const nb_report *r, const char *rule, nb_severity sev)
{
    size_t n = 0;
    for (size_t i = 0; i < r->ndiags; i++)
        n += strcmp(r->diags[i].rule, rule) == 0 && r->diags[i].severity == sev &&
             !r->diags[i].skipped;
    return n;
}

static inline size_t tv_any(const nb_report *r, const char *rule)
{
    size_t n = 0;
    for (size_t i = 0; i < r->ndiags; i++)
        n += strcmp(r->diags[i].rule, rule) == 0 && !r->diags[i].skipped;
    return n;
}

static inline const nb_diag *tv_find(const nb_report *r, const char *rule, const char *where)
{
    for (size_t i = 0; i < r->ndiags; i++)
        if (strcmp(r->diags[i].rule, rule) == 0 && !r->diags[i].skipped &&
            (!where || (r->diags[i].where && strcmp(r->diags[i].where, where) == 0)))
            return &r->diags[i];
    return NULL;
}

static inline const nb_diag *tv_skipped(const nb_report *r, const char *rule)
{
    for (size_t i = 0; i < r->ndiags; i++)
        if (strcmp(r->diags[i].rule, rule) == 0 && r->diags[i].skipped)
            return &r->diags[i];
    return NULL;
}

static inline size_t tv_errors(const nb_report *r)
{
    return nb_report_count_diags(r, NB_SEV_ERROR);
}

/* Lists the findings in a failure message. */
static inline char *tv_dump(const nb_report *r)
{
    size_t cap = 64;
    for (size_t i = 0; i < r->ndiags; i++)
        cap += strlen(r->diags[i].message ? r->diags[i].message : "") + 64 +
               strlen(r->diags[i].where ? r->diags[i].where : "");
    char *s = calloc(1, cap);
    for (size_t i = 0; s && i < r->ndiags; i++) {
        size_t n = strlen(s);
        snprintf(s + n, cap - n, "\n  %s %s%s [%s] %s", r->diags[i].rule,
                 nb_severity_name(r->diags[i].severity), r->diags[i].skipped ? " skipped" : "",
                 r->diags[i].where ? r->diags[i].where : "", r->diags[i].message);
    }
    return s;
}

#endif
