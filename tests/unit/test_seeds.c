/* test_seeds.c - acceptance over the five seed reports (../shared/seeds).
 *
 * Each seed is converted by the CLI (`nianbao convert FILE -t json`) and
 * every table value of the JSON is compared with what the file prints.
 * The printed values are extracted here by a deliberately naive reader
 * that shares no code with the recogniser: split lines at tabs, call a
 * cell numeric when it is all digits, name a row by a key word of its
 * label text, and take the numbers that follow it (on the same line for
 * the tab-separated seeds 001-003, on the following lines for the
 * one-cell-per-line seeds 000 and 004).  It only has to understand these
 * five files, not reports in general. */
#include "testutil.h"
#include <ctype.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAXV 16
#define MAXE 256

/* One labelled run of printed numbers. */
typedef struct entry {
    int table;           /* 1, 2, 3 (section 二, 三, 四) */
    char label[512];     /* label text without white space */
    char vals[MAXV][32]; /* numbers as printed ("" = an empty tab cell) */
    int nvals;
    int ncells;          /* tab cells of the line (table 3 positional reading) */
} entry;

typedef struct extract {
    entry e[MAXE];
    int n;
} extract;

/* ----------------------------------------------------------- the reader */

static bool is_number(const char *s)
{
    if (!*s)
        return false;
    for (const char *p = s; *p; p++)
        if (!isdigit((unsigned char)*p) && *p != '.')
            return false;
    return true;
}

/* Removes ASCII white space, NBSP (C2 A0) and U+3000 (E3 80 80) in place. */
static void squeeze(char *s)
{
    char *o = s;
    for (char *p = s; *p;) {
        if (isspace((unsigned char)*p))
            p++;
        else if ((unsigned char)p[0] == 0xC2 && (unsigned char)p[1] == 0xA0)
            p += 2;
        else if ((unsigned char)p[0] == 0xE3 && (unsigned char)p[1] == 0x80 &&
                 (unsigned char)p[2] == 0x80)
            p += 3;
        else
            *o++ = *p++;
    }
    *o = '\0';
}

/* Section by heading text; headings may carry markdown '#'.  Only the
 * full heading counts: table-2 rows also begin with 三、 and 四、. */
static int section_of(const char *sq)
{
    while (*sq == '#')
        sq++;
    if (strncmp(sq, "二、主动公开政府信息情况", strlen("二、主动公开政府信息情况")) == 0)
        return 1;
    if (strncmp(sq, "三、收到和处理政府信息公开申请", strlen("三、收到和处理政府信息公开申请")) == 0)
        return 2;
    if (strncmp(sq, "四、政府信息公开行政复议", strlen("四、政府信息公开行政复议")) == 0)
        return 3;
    if (strncmp(sq, "五、", strlen("五、")) == 0)
        return -1;
    return 0;
}

static entry *new_entry(extract *x, int table, const char *label)
{
    ck_assert_int_lt(x->n, MAXE);
    entry *e = &x->e[x->n++];
    memset(e, 0, sizeof *e);
    e->table = table;
    snprintf(e->label, sizeof e->label, "%s", label);
    return e;
}

static void add_val(entry *e, const char *v)
{
    ck_assert_int_lt(e->nvals, MAXV);
    snprintf(e->vals[e->nvals++], 32, "%s", v);
}

/* Handles one line inside a table: label cells open an entry, numeric
 * cells go to the entry of the line or, when the line has no label, to
 * the last entry (one cell per line).  Table 3's data row keeps its empty
 * cells so that it can be read by position. */
static void read_line(extract *x, int table, char *line)
{
    char *cells[64];
    int nc = 0;
    for (char *p = line, *tab; nc < 64; p = tab + 1) {
        cells[nc++] = p;
        if (!(tab = strchr(p, '\t')))
            break;
        *tab = '\0';
    }
    char label[512] = "";
    int nnum = 0, nlab = 0;
    for (int i = 0; i < nc; i++) {
        squeeze(cells[i]);
        if (is_number(cells[i]))
            nnum++;
        else if (*cells[i] && strlen(label) + strlen(cells[i]) < sizeof label - 1) {
            strcat(label, cells[i]);
            nlab++;
        }
    }
    if (nlab == 0 && nnum == 0)
        return;
    entry *e;
    if (nlab)
        e = new_entry(x, table, label);
    else if (table == 3 && nc >= 15)
        e = new_entry(x, table, "(data row)");
    else if (x->n && x->e[x->n - 1].table == table)
        e = &x->e[x->n - 1];
    else
        e = new_entry(x, table, "");
    if (nnum == 0)
        return;
    e->ncells = nc;
    for (int i = 0; i < nc; i++)
        if (is_number(cells[i]) || (table == 3 && nc >= 15 && nlab == 0))
            add_val(e, cells[i]);
}

static void read_seed(const char *text, extract *x)
{
    char *copy = strdup(text);
    int table = 0;
    x->n = 0;
    for (char *line = strtok(copy, "\n"); line; line = strtok(NULL, "\n")) {
        char sq[1024];
        snprintf(sq, sizeof sq, "%s", line);
        squeeze(sq);
        int s = section_of(sq);
        if (s) {
            table = s > 0 ? s : 0;
            continue;
        }
        if (table > 0)
            read_line(x, table, line);
    }
    free(copy);
}

/* ------------------------------------------------------- labels to keys */

/* Key words of the table-2 row labels, most specific first (a group label
 * shares its line with its first leaf; the 部分公开 note contains 其他). */
static const char *const T2_WORDS[][2] = {
    {"国家秘密", "withheld.state_secret"}, {"其他法律行政法规", "withheld.law_prohibited"},
    {"三安全一稳定", "withheld.security_stability"}, {"第三方", "withheld.third_party"},
    {"内部事务", "withheld.internal_affairs"}, {"过程性", "withheld.process_info"},
    {"执法案卷", "withheld.enforcement_file"}, {"行政查询", "withheld.admin_query"},
    {"不掌握", "unavailable.not_held"}, {"另行制作", "unavailable.needs_creation"},
    {"仍不明确", "unavailable.still_unclear"}, {"信访", "not_processed.petition"},
    {"重复申请", "not_processed.duplicate"}, {"出版物", "not_processed.publication"},
    {"大量反复", "not_processed.excessive"}, {"重新出具", "not_processed.reissue"},
    {"逾期不补正", "other_handling.no_correction"}, {"缴纳费用", "other_handling.fee_unpaid"},
    {"部分公开", "partially_granted"}, {"予以公开", "granted"},
    {"本年新收", "new_received"}, {"上年结转", "carried_over"},
    {"结转下年度", "carried_forward"}, {"总计", "results_total"}};

static const char *t2_key(const char *label)
{
    for (size_t i = 0; i < sizeof T2_WORDS / sizeof T2_WORDS[0]; i++)
        if (strstr(label, T2_WORDS[i][0]))
            return T2_WORDS[i][1];
    /* "3.其他" / "3. 其他": the only label that is just 其他 after its ordinal */
    const char *p = label;
    while (isdigit((unsigned char)*p) || *p == '.')
        p++;
    return strcmp(p, "其他") == 0 ? "other_handling.other" : NULL;
}

static const char *t1_row(const char *label)
{
    static const char *const words[][2] = {
        {"行政事业性收费", "admin_fees"}, {"行政许可", "licensing"}, {"行政处罚", "penalty"},
        {"行政强制", "coercion"},        {"规范性文件", "normative_docs"}, {"规章", "rules"}};
    for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
        if (strstr(label, words[i][0]))
            return words[i][1];
    return NULL;
}

/* Columns of a table-1 row in the variant the seed is printed in. */
static int t1_cols(const char *row, bool gb2019, const char **cols)
{
    bool docs = !strcmp(row, "rules") || !strcmp(row, "normative_docs");
    if (!gb2019) {
        if (docs) {
            cols[0] = "issued", cols[1] = "repealed", cols[2] = "in_force";
            return 3;
        }
        cols[0] = !strcmp(row, "admin_fees") ? "amount_wan" : "decisions";
        return 1;
    }
    if (docs) {
        cols[0] = "new_made", cols[1] = "new_published", cols[2] = "total_published";
        return 3;
    }
    cols[0] = "prev_items", cols[1] = "items_change", cols[2] = "decisions";
    return !strcmp(row, "admin_fees") ? 2 : 3;
}

static const char *const T2_COLS[7] = {"natural_person", "business", "research", "nonprofit",
                                       "legal_service", "other_org", "total"};
static const char *const T3_PATHS[15] = {
    "review.upheld", "review.corrected", "review.other", "review.pending", "review.total",
    "suit_direct.upheld", "suit_direct.corrected", "suit_direct.other", "suit_direct.pending",
    "suit_direct.total", "suit_after_review.upheld", "suit_after_review.corrected",
    "suit_after_review.other", "suit_after_review.pending", "suit_after_review.total"};

/* --------------------------------------------------------- JSON compare */

typedef struct cmp {
    json_t *j;
    const char *seed;
    int checked, bad;
    char msg[4096];
} cmp;

static json_t *json_path(json_t *j, const char *path)
{
    char buf[256];
    snprintf(buf, sizeof buf, "%s", path);
    for (char *save = NULL, *k = strtok_r(buf, ".", &save); k && j; k = strtok_r(NULL, ".", &save))
        j = json_object_get(j, k);
    return j;
}

static bool in_list(json_t *arr, const char *path)
{
    size_t i;
    json_t *v;
    json_array_foreach(arr, i, v) if (json_is_string(v) && !strcmp(json_string_value(v), path))
        return true;
    return false;
}

static void note_bad(cmp *c, const char *path, const char *what)
{
    c->bad++;
    size_t n = strlen(c->msg);
    if (n < sizeof c->msg - 300)
        snprintf(c->msg + n, sizeof c->msg - n, "\n  %s %s: %s", c->seed, path, what);
}

/* Value `want` as printed ("" = blank cell: 0 and listed in "blank"). */
static void expect(cmp *c, const char *path, const char *want)
{
    json_t *v = json_path(c->j, path);
    c->checked++;
    char got[64] = "null";
    if (json_is_number(v))
        snprintf(got, sizeof got, "%.15g", json_number_value(v));
    bool blank = *want == '\0';
    double w = blank ? 0 : strtod(want, NULL);
    char what[160];
    snprintf(what, sizeof what, "printed %s, JSON %s", blank ? "(blank)" : want, got);
    if (!json_is_number(v) || json_number_value(v) != w)
        note_bad(c, path, what);
    else if (blank && !in_list(json_object_get(c->j, "blank"), path))
        note_bad(c, path, "blank cell not listed in \"blank\"");
}

static void expect_null(cmp *c, const char *path)
{
    json_t *v = json_path(c->j, path);
    c->checked++;
    if (v && !json_is_null(v))
        note_bad(c, path, "not printed, but JSON has a value");
}

/* A table-2 row: 7 numbers by position; 2 numbers are 自然人 and 总计 with
 * the organisations blank (seed 004); 6 numbers lost 总计 (seed 003), whose
 * value is then their sum. */
static void expect_t2_row(cmp *c, const entry *e, const char *key)
{
    char path[160], sum[32];
    const char *v[7];
    if (e->nvals == 7) {
        for (int i = 0; i < 7; i++)
            v[i] = e->vals[i];
    } else if (e->nvals == 2) {
        v[0] = e->vals[0], v[6] = e->vals[1];
        for (int i = 1; i < 6; i++)
            v[i] = "";
    } else if (e->nvals == 6) {
        long s = 0;
        for (int i = 0; i < 6; i++)
            v[i] = e->vals[i], s += atol(e->vals[i]);
        snprintf(sum, sizeof sum, "%ld", s);
        v[6] = sum;
    } else {
        ck_abort_msg("%s: row %s has %d numbers; the test reader does not know it", c->seed,
                     e->label, e->nvals);
        return;
    }
    for (int i = 0; i < 7; i++) {
        snprintf(path, sizeof path, "requests.%s.%s", key, T2_COLS[i]);
        expect(c, path, v[i]);
    }
}

static void expect_t3(cmp *c, const entry *e)
{
    ck_assert_msg(e->nvals == 15, "%s: table 3 has %d cells", c->seed, e->nvals);
    char path[64];
    for (int i = 0; i < 15; i++) {
        snprintf(path, sizeof path, "appeals.%s", T3_PATHS[i]);
        expect(c, path, e->vals[i]);
    }
}

static void expect_t1_row(cmp *c, const entry *e, bool gb2019)
{
    const char *row = t1_row(e->label), *cols[3];
    ck_assert_msg(row != NULL, "%s: table-1 label %s unknown", c->seed, e->label);
    int n = t1_cols(row, gb2019, cols);
    ck_assert_msg(e->nvals == n, "%s: %s has %d numbers, want %d", c->seed, e->label, e->nvals, n);
    char path[128];
    for (int i = 0; i < n; i++) {
        snprintf(path, sizeof path, "proactive.%s.%s", row, cols[i]);
        expect(c, path, e->vals[i]);
    }
}

/* Walks the extracted entries; returns rows found per table. */
static void compare(cmp *c, const extract *x, bool gb2019, int found[4])
{
    for (int i = 0; i < x->n; i++) {
        const entry *e = &x->e[i];
        if (e->nvals == 0)
            continue; /* headers, captions, group labels */
        found[e->table]++;
        if (e->table == 1) {
            expect_t1_row(c, e, gb2019);
        } else if (e->table == 2) {
            const char *key = t2_key(e->label);
            ck_assert_msg(key != NULL, "%s: table-2 label %s unknown", c->seed, e->label);
            expect_t2_row(c, e, key);
        } else {
            expect_t3(c, e);
        }
    }
}

/* ------------------------------------------------------------- running */

typedef struct seed_info {
    const char *file, *agency, *published; /* published NULL: the seed prints no date */
    bool gb2019_t1;
} seed_info;

static const seed_info SEEDS[5] = {
    {"000_7e114280c3cdae0d.txt", "四川省政府政务服务和公共资源交易服务中心", NULL, true},
    {"001_60cc1d94befb3f2c.txt", "攀枝花市政务服务管理局", "2024-01-16", false},
    {"002_7805c73f1b090414.txt", "攀枝花市米易县公共资源交易中心", "2024-01-15", false},
    {"003_f78362fcf04790d2.txt", "渠县经济和信息化局", NULL, false},
    {"004_62b86d8e083b3ce2.txt", "贵州省机关事务管理局", "2024-01-26", false}};

static char *seed_path(const char *file)
{
    char *dir = tu_path(tu_shared_dir(), "seeds");
    char *p = tu_path(dir, file);
    free(dir);
    return p;
}

static const char *jstr(json_t *j, const char *path)
{
    json_t *v = json_path(j, path);
    return json_is_string(v) ? json_string_value(v) : "(null)";
}

START_TEST(seed_values)
{
    const seed_info *s = &SEEDS[_i];
    char *path = seed_path(s->file);
    char *text = tu_read_file(path, NULL);
    ck_assert_msg(text != NULL, "cannot read %s", path);
    extract *x = calloc(1, sizeof *x);
    read_seed(text, x);
    cmp c = {.j = tu_convert_json(path), .seed = s->file};
    int found[4] = {0};
    compare(&c, x, s->gb2019_t1, found);
    /* the reader must have seen the whole tables, or the comparison is moot */
    ck_assert_msg(found[1] == 6 && found[2] == 25 && found[3] == 1,
                  "%s: test reader found %d/%d/%d rows", s->file, found[1], found[2], found[3]);
    printf("%s: %d values compared, %d differ\n", s->file, c.checked, c.bad);
    ck_assert_msg(c.bad == 0, "%s: %d of %d values differ:%s", s->file, c.bad, c.checked, c.msg);
    ck_assert_str_eq(jstr(c.j, "agency"), s->agency);
    ck_assert_int_eq(json_integer_value(json_object_get(c.j, "year")), 2023);
    if (s->published)
        ck_assert_str_eq(jstr(c.j, "published"), s->published);
    json_decref(c.j);
    free(x);
    free(text);
    free(path);
}
END_TEST

/* Seed 004 drops the organisation cells of most table-2 rows: the two
 * numbers are 自然人 and 总计 and the five organisation paths are blank. */
START_TEST(seed004_two_number_rows)
{
    char *path = seed_path(SEEDS[4].file);
    json_t *j = tu_convert_json(path);
    json_t *blank = json_object_get(j, "blank");
    static const char *const rows[] = {"partially_granted", "withheld.internal_affairs",
                                       "not_processed.duplicate", "results_total"};
    char p[160];
    for (size_t r = 0; r < sizeof rows / sizeof rows[0]; r++) {
        json_t *np = json_path(j, (snprintf(p, sizeof p, "requests.%s.natural_person", rows[r]), p));
        json_t *tot = json_path(j, (snprintf(p, sizeof p, "requests.%s.total", rows[r]), p));
        ck_assert_msg(json_is_integer(np) && json_integer_value(np) == json_integer_value(tot),
                      "%s: 自然人 and 总计 differ", rows[r]);
        for (int i = 1; i < 6; i++) {
            snprintf(p, sizeof p, "requests.%s.%s", rows[r], T2_COLS[i]);
            ck_assert_msg(in_list(blank, p), "%s not listed as blank", p);
            ck_assert_int_eq(json_integer_value(json_path(j, p)), 0);
        }
    }
    /* rows printed with seven numbers are not blank */
    ck_assert(!in_list(blank, "requests.new_received.business"));
    ck_assert(!in_list(blank, "requests.granted.business"));
    ck_assert(!in_list(blank, "requests.unavailable.not_held.business"));
    ck_assert_str_eq(jstr(j, "title"), "2023年政府信息公开工作年度报告");
    json_decref(j);
    free(path);
}
END_TEST

/* Seed 000: gb2019 column headings over gb2021 rows in table 1. */
START_TEST(seed000_mixed_template)
{
    char *path = seed_path(SEEDS[0].file);
    json_t *j = tu_convert_json(path);
    ck_assert_str_eq(jstr(j, "template"), "mixed");
    ck_assert_str_eq(jstr(j, "variants.proactive"), "gb2019");
    ck_assert_str_eq(jstr(j, "variants.requests"), "gb2021");
    ck_assert_str_eq(jstr(j, "variants.appeals"), "gb2021");
    static const char *const keys[] = {"proactive.rules.new_made", "proactive.rules.new_published",
                                       "proactive.normative_docs.total_published",
                                       "proactive.licensing.prev_items",
                                       "proactive.penalty.items_change",
                                       "proactive.coercion.decisions",
                                       "proactive.admin_fees.items_change"};
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
        ck_assert_msg(json_is_integer(json_path(j, keys[i])), "%s missing", keys[i]);
    /* the gb2021 columns are not invented for it */
    ck_assert_ptr_null(json_path(j, "proactive.rules.issued"));
    ck_assert_ptr_null(json_path(j, "proactive.admin_fees.amount_wan"));
    /* rows the seed does not print stay null */
    cmp c = {.j = j, .seed = SEEDS[0].file};
    expect_null(&c, "proactive.other_services.decisions");
    expect_null(&c, "proactive.central_procurement.projects");
    ck_assert_msg(c.bad == 0, "%s", c.msg);
    json_decref(j);
    free(path);
}
END_TEST

int main(void)
{
    if (!tu_shared_dir()) {
        printf("test_seeds: SKIPPED - ../shared (with seeds/) is not beside the project\n");
        return TU_SKIP_CODE;
    }
    char *dir = tu_path(tu_shared_dir(), "seeds");
    char *probe = tu_path(dir, SEEDS[0].file);
    FILE *f = fopen(probe, "rb");
    free(probe);
    free(dir);
    if (!f) {
        printf("test_seeds: SKIPPED - ../shared/seeds/%s not found\n", SEEDS[0].file);
        return TU_SKIP_CODE;
    }
    fclose(f);
    Suite *s = suite_create("seeds");
    TCase *tc = tcase_create("acceptance");
    tcase_add_loop_test(tc, seed_values, 0, 5);
    tcase_add_test(tc, seed004_two_number_rows);
    tcase_add_test(tc, seed000_mixed_template);
    suite_add_tcase(s, tc);
    return tu_main(s);
}
