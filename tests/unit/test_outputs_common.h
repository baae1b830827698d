/* test_outputs_common.h - shared by test_csv.c, test_xlsx.c, test_json_in.c
 * and test_pipeline.c: generated reports with every value filled, a way to
 * run them through an output in-process, and readers that look at the
 * outputs independently of the writers (an RFC 4180 parser, a sheet-XML
 * cell reader over `unzip -p`).
 *
 * Generated reports use invented agencies and numbers; the text fixtures in
 * tests/data/outputs/ are read by the CLI tests. */
#ifndef TEST_OUTPUTS_COMMON_H
#define TEST_OUTPUTS_COMMON_H

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <jansson.h>
#include "nianbao/nianbao.h"
#include "json_internal.h"
#include "testutil.h"

#define TO_NGEN 5
#define TO_ODD_AGENCY "青石县\"便民\"服务中心, 东区"  /* quote and comma: CSV quoting */
#define TO_BLANK_PATH "requests.withheld.state_secret.business"
#define TO_AMBIG_PATH "requests.unavailable.still_unclear.research"
#define TO_FEES_PATH "proactive.admin_fees.amount_wan"
#define TO_FLAG_PATH "requests.granted.total"

/* Generated reports -------------------------------------------------------- */

static inline nb_num to_value(int k, size_t j, nb_value_type type)
{
    switch (type) {
    case NB_TYPE_SINT: return nb_num_int(((k + (int)j) % 2 ? -1 : 1) * (int64_t)((k * 13 + (int)j) % 50));
    case NB_TYPE_DECIMAL: return (nb_num){5949088667LL + k * 1000003LL, 6}; /* 5949.088667 */
    case NB_TYPE_AMOUNT: return (nb_num){7539443252LL + k, 2};              /* 75394432.52 */
    default: return nb_num_int((k * 37 + (int)j * 11) % 101);
    }
}

static inline void to_fill_table(nb_report *r, const char *table, const nb_table_def *d, int k)
{
    nb_error err;
    ck_assert_int_eq(nb_report_set_variant(r, table, d, &err), NB_OK);
    nb_table *t = nb_report_table(r, table);
    for (size_t j = 0; j < d->nfields; j++) {
        nb_cell *c = &t->cells[j];
        const nb_field_def *f = &d->fields[j];
        char raw[32];
        nb_num v = to_value(k, j, f->type);
        nb_num_format(v, raw, sizeof raw);
        nb_cell_set(r, c, NB_CELL_OK, v, raw, 40 + (int)j, 1);
        if (f->type == NB_TYPE_UNIT) {  /* a unit is text, never a number */
            nb_cell_clear(c);
            c->status = NB_CELL_OK;
            nb_set_str(&c->text, "元");
        }
        if (strcmp(f->path, TO_BLANK_PATH) == 0)
            nb_cell_set(r, c, NB_CELL_BLANK, nb_num_int(0), NULL, 50, 3);
        if (strcmp(f->path, TO_AMBIG_PATH) == 0)
            nb_cell_set(r, c, NB_CELL_AMBIGUOUS, nb_num_int(0), "1011", 51, 4);
    }
}

/* Report k: the first variant of every table (gb2019 then gb2021 in load
 * order) alternates with k so both kinds of columns get values. */
static inline nb_report *to_gen_report(int k)
{
    const nb_templates *t = tu_templates();
    nb_report *r = nb_report_new(t);
    ck_assert_ptr_nonnull(r);
    char buf[128];
    snprintf(buf, sizeof buf, "gen/报告-%d.txt", k);
    nb_set_str(&r->source.path, buf);
    nb_set_str(&r->source.format, "txt");
    nb_set_str(&r->source.encoding, "UTF-8");
    snprintf(buf, sizeof buf, "示例县第%d局", k);
    nb_set_str(&r->agency, k == 1 ? TO_ODD_AGENCY : buf);
    r->year = 2020 + k % 4;
    snprintf(buf, sizeof buf, "%s%d年政府信息公开工作年度报告", r->agency, r->year);
    nb_set_str(&r->title, buf);
    for (size_t i = 0; i < nb_templates_table_count(t); i++) {
        const char *name = nb_templates_table_name(t, i);
        const nb_table_def *defs[8];
        size_t n = nb_templates_variants(t, name, defs, 8);
        ck_assert_uint_gt(n, 0);
        to_fill_table(r, name, defs[(size_t)k % (n < 8 ? n : 8)], k);
    }
    nb_report_update_template(r);
    nb_report_add_diag(r, "R-T2-BALANCE", NB_SEV_ERROR, false, "requests.*.natural_person", "10",
                       "9", "一+二 (%d) ≠ 三(七)总计+四 (%d) for 自然人", 10, 9);
    nb_report_add_diag(r, "R-T2-ROWSUM", NB_SEV_WARNING, false, TO_FLAG_PATH, NULL, NULL,
                       "总计 does not add up, \"quoted\", with a comma");
    return r;
}

/* The expected text of a value, read through the core API (not the
 * plugins' own column mapping): "" for null or a field the variant lacks. */
static inline const char *to_expected(const nb_report *r, const nb_field_def *f, char *buf, size_t len)
{
    const nb_cell *c = nb_report_cell_c(r, f->path);
    buf[0] = '\0';
    if (!c)
        return buf;
    if (f->type == NB_TYPE_UNIT)
        return c->text ? c->text : buf;
    if (c->has_value)
        nb_num_format(c->num, buf, len);
    return buf;
}

/* Writes the reports as NDJSON (the core's own JSON) into dir/name. */
static inline char *to_write_ndjson(const char *dir, const char *name, nb_report *const *r, size_t n)
{
    char *path = tu_path(dir, name);
    FILE *f = fopen(path, "wb");
    ck_assert_ptr_nonnull(f);
    for (size_t i = 0; i < n; i++) {
        json_t *j = nb_report_to_json(r[i], 0);
        ck_assert_ptr_nonnull(j);
        ck_assert_int_eq(json_dumpf(j, f, nb_json_dump_flags(true)), 0);
        fputc('\n', f);
        json_decref(j);
    }
    fclose(f);
    return path;
}

/* Runs input -> output in-process, no validation (so the generated
 * diagnostics are kept).  Returns the status of the run. */
static inline nb_status to_run(const char *in, const char *from, const char *to, const char *out,
                        const char *const *opts, nb_summary *sum, nb_error *err)
{
    nb_context *c = tu_context();
    ck_assert_ptr_nonnull(c);
    nb_run_config cfg = {0};
    cfg.from = from;
    cfg.to = to;
    cfg.output = out;
    cfg.out_options = opts;
    cfg.validate = false;
    nb_error_clear(err);
    nb_run *run = nb_run_new(c, &cfg, err);
    nb_status st = run ? nb_run_input(run, in, err) : NB_FATAL;
    nb_summary s = {0};
    if (st == NB_OK)
        st = nb_run_finish(run, &s, err);
    if (sum)
        *sum = s;
    nb_run_free(run);
    nb_context_free(c);
    return st;
}

/* A tiny RFC 4180 reader -------------------------------------------------- */

typedef struct csv_table {
    char ***rows;      /* rows[i][j] */
    size_t *nfields;
    size_t nrows;
    bool bare_lf;      /* a record ended in LF without CR */
} csv_table;

static inline void csv_push(char ***fields, size_t *n, const char *s, size_t len)
{
    *fields = realloc(*fields, (*n + 1) * sizeof **fields);
    (*fields)[*n] = strndup(s, len);
    (*n)++;
}

/* Parses text (no BOM) into rows; quoted fields may hold , " CR LF. */
static inline csv_table csv_parse(const char *s, size_t len)
{
    csv_table t = {0};
    char **fields = NULL;
    size_t nf = 0, i = 0;
    char *acc = malloc(len + 1);
    while (i < len) {
        size_t a = 0;
        if (s[i] == '"') {
            for (i++; i < len; i++) {
                if (s[i] == '"' && i + 1 < len && s[i + 1] == '"')
                    acc[a++] = '"', i++;
                else if (s[i] == '"')
                    break;
                else
                    acc[a++] = s[i];
            }
            i++;
        } else {
            while (i < len && s[i] != ',' && s[i] != '\r' && s[i] != '\n')
                acc[a++] = s[i++];
        }
        csv_push(&fields, &nf, acc, a);
        if (i < len && s[i] == ',') {
            i++;
            continue;
        }
        if (i < len && s[i] == '\n')
            t.bare_lf = true;
        i += (i < len && s[i] == '\r') ? 2 : 1;
        t.rows = realloc(t.rows, (t.nrows + 1) * sizeof *t.rows);
        t.nfields = realloc(t.nfields, (t.nrows + 1) * sizeof *t.nfields);
        t.rows[t.nrows] = fields;
        t.nfields[t.nrows++] = nf;
        fields = NULL;
        nf = 0;
    }
    free(acc);
    return t;
}

static inline void csv_free(csv_table *t)
{
    for (size_t r = 0; r < t->nrows; r++) {
        for (size_t f = 0; f < t->nfields[r]; f++)
            free(t->rows[r][f]);
        free(t->rows[r]);
    }
    free(t->rows);
    free(t->nfields);
}

static inline long csv_col(const csv_table *t, const char *name)
{
    for (size_t f = 0; t->nrows && f < t->nfields[0]; f++)
        if (strcmp(t->rows[0][f], name) == 0)
            return (long)f;
    return -1;
}

/* Sheet XML ---------------------------------------------------------------- */

/* One part of a zip, via unzip -p (independent of libxlsxwriter).
 * noinline: GCC 12 at -O2 takes the returned buffer for a pointer to the
 * local `out` (-Wdangling-pointer) once this is inlined. */
__attribute__((noinline, unused)) static char *to_unzip(const char *zip, const char *part)
{
    char cmd[4096];
    snprintf(cmd, sizeof cmd, "unzip -p '%s' '%s'", zip, part);
    char *out = NULL, *err = NULL;
    int rc = tu_run(cmd, NULL, &out, &err);
    ck_assert_msg(rc == 0, "unzip %s %s: %s", zip, part, err ? err : "");
    free(err);
    return out;
}

static inline void to_cell_ref(size_t row, size_t col, char *buf)
{
    char letters[8];
    size_t n = 0;
    for (size_t c = col + 1; c > 0; c = (c - 1) / 26)
        letters[n++] = (char)('A' + (c - 1) % 26);
    for (size_t i = 0; i < n; i++)
        buf[i] = letters[n - 1 - i];
    sprintf(buf + n, "%zu", row + 1);
}

static inline void xml_unescape(char *s)
{
    static const struct { const char *ent; char ch; } ents[] = {
        {"&amp;", '&'}, {"&lt;", '<'}, {"&gt;", '>'}, {"&quot;", '"'}, {"&apos;", '\''}};
    char *w = s;
    for (char *r = s; *r;) {
        bool done = false;
        for (size_t i = 0; i < 5 && !done; i++) {
            size_t n = strlen(ents[i].ent);
            if (strncmp(r, ents[i].ent, n) == 0) {
                *w++ = ents[i].ch;
                r += n;
                done = true;
            }
        }
        if (!done)
            *w++ = *r++;
    }
    *w = '\0';
}

typedef struct xl_cell {
    bool found;
    char value[1024];  /* <v> number or inline string text */
    int style;         /* s="" attribute, 0 when absent */
    bool is_string;
} xl_cell;

/* Finds <c r="REF" ...> in sheet XML and reads its value and style.
 * noinline: GCC 12 at -O2 mistakes the returned struct for a dangling
 * pointer (-Wdangling-pointer) once this is inlined. */
__attribute__((noinline, unused)) static xl_cell to_xl_cell(const char *xml, size_t row, size_t col)
{
    xl_cell c = {0};
    char ref[32], pat[48];
    to_cell_ref(row, col, ref);
    snprintf(pat, sizeof pat, "<c r=\"%s\"", ref);
    const char *p = strstr(xml, pat);
    if (!p)
        return c;
    c.found = true;
    const char *gt = strchr(p, '>');
    const char *s = strstr(p, " s=\"");
    if (s && s < gt)
        c.style = atoi(s + 4);
    const char *t = strstr(p, " t=\"inlineStr\"");
    c.is_string = t && t < gt;
    if (gt[-1] == '/')
        return c; /* empty, styled cell */
    const char *end = strstr(p, "</c>");
    const char *v = strstr(gt, c.is_string ? "<t" : "<v>");
    if (!v || v > end)
        return c;
    v = strchr(v, '>') + 1;
    const char *ve = strstr(v, c.is_string ? "</t>" : "</v>");
    size_t n = (size_t)(ve - v) < sizeof c.value - 1 ? (size_t)(ve - v) : sizeof c.value - 1;
    memcpy(c.value, v, n);
    c.value[n] = '\0';
    xml_unescape(c.value);
    return c;
}

/* Numbers compare as numbers: the sheet holds doubles. */
static inline bool to_same_number(const char *sheet, const char *expected)
{
    if (!*expected)
        return !*sheet;
    return *sheet && strtod(sheet, NULL) == strtod(expected, NULL);
}

static inline char *to_cli(const char *args, const char *stdin_data, int *rc, char **err)
{
    char cmd[16384];
    snprintf(cmd, sizeof cmd, "'%s' %s", tu_bin(), args);
    char *out = NULL;
    *rc = tu_run(cmd, stdin_data, &out, err);
    return out;
}

static inline char *to_fixture(const char *name)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/tests/data/outputs/%s", tu_source_dir(), name);
    return strdup(path);
}

#endif
