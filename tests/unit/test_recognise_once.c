/* test_recognise_once.c - two short cuts of the table side against their
 * plain paths:
 * - a table whose variants all read alike is read once, committing
 *   (rc_read_table_once), instead of a scoring read and a committing read
 *   that replays it: the report's table must come out the same, and stay
 *   unset where the scoring read would have scored 0;
 * - a scoring read that may stop once it cannot beat a score
 *   (rc_score_table) stops only when its whole read scores no more than
 *   that, and otherwise scores and logs as the whole read does;
 * - a committing read equals the plain one (rc_read_table_plain: no
 *   exact lookups, every value of a printed line taken one by one);
 * - subtotal rows are derived from a plan made once per definition
 *   (report_derive.c): the cells must be those the plain sums over every
 *   field give, for known, missing, printed, decimal and overflowing leaves;
 * - a table whose variants read differently commits its likely variant at
 *   once and scores the others against it (rc_read_variants): the same
 *   table, findings and readings as every variant scored, then the best
 *   committed by replay. */
#include "testutil.h"
#include "recognise_internal.h"
#include "report_internal.h"
#include "readings_internal.h"
#include "util.h"
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Reports of the repository (not /work/shared): every layout the examples have. */
static const char *const FILES[] = {
    "examples/reports/baisha-ecology-2024.txt",
    "examples/reports/qingshan-culture-2023.txt",
    "examples/reports/nanhu-district-2023.md",
};

static char *read_source(const char *rel)
{
    char *path = tu_path(tu_source_dir(), rel);
    char *text = tu_read_file(path, NULL);
    free(path);
    ck_assert_msg(text != NULL, "cannot read %s", rel);
    return text;
}

/* The text's first `lines` lines (all when lines is 0), every `skip`-th
 * line dropped (none when skip is 0): tables cut short, rows lost. */
static char *cut_text(const char *text, size_t lines, size_t skip)
{
    nb_buf b = {0};
    size_t no = 0;
    for (const char *p = text; *p && (!lines || no < lines); no++) {
        const char *e = strchr(p, '\n');
        size_t n = e ? (size_t)(e - p) + 1 : strlen(p);
        if (!skip || no % skip != skip - 1)
            nb_buf_add(&b, p, n);
        p += n;
    }
    char *s = nb_buf_steal(&b);
    return s ? s : strdup("");
}

static bool same_str(const char *a, const char *b)
{
    return a == b || (a && b && strcmp(a, b) == 0);
}

static void assert_same_table(const nb_table *a, const nb_table *b)
{
    ck_assert(nb_table_found(a) == nb_table_found(b));
    if (!nb_table_found(a))
        return;
    ck_assert_ptr_eq(a->def, b->def);
    for (size_t i = 0; i < a->def->nfields; i++) {
        const nb_cell *x = &a->cells[i], *y = &b->cells[i];
        ck_assert_int_eq(x->status, y->status);
        ck_assert(x->has_value == y->has_value);
        ck_assert(x->num.v == y->num.v && x->num.scale == y->num.scale);
        ck_assert_msg(same_str(x->raw, y->raw), "%s: %s / %s", a->def->fields[i].path, x->raw ? x->raw : "(null)",
                      y->raw ? y->raw : "(null)");
        ck_assert_int_eq(x->line, y->line);
        ck_assert_int_eq(x->cell, y->cell);
        ck_assert(same_str(x->text, y->text)); /* an amount's unit */
    }
    ck_assert_uint_eq(a->nextra, b->nextra);
    for (size_t i = 0; i < a->nextra; i++) {
        ck_assert_str_eq(a->extra[i].label, b->extra[i].label);
        ck_assert_uint_eq(a->extra[i].nvalues, b->extra[i].nvalues);
    }
}

static size_t found_tables, absent_tables;

/* Every table whose variants all read alike, read both ways from toks. */
static void compare_reads(const rc_toks *toks)
{
    const nb_templates *T = tu_templates();
    for (size_t k = 0; k < nb_templates_table_count(T); k++) {
        const char *name = nb_templates_table_name(T, k);
        const nb_table_def *v[16];
        size_t n = nb_templates_variants(T, name, v, 16);
        bool alike = n > 0;
        for (size_t i = 1; i < n; i++)
            alike &= rc_read_alike(v[i], T) != NULL;
        for (size_t i = 0; alike && i < n; i++) {
            nb_report *plain = nb_report_new(T), *once = nb_report_new(T);
            ck_assert(plain && once);
            rc_match_log log = {0};
            int score = rc_read_table(v[i], toks, plain, false, &log);
            int committed = 0;
            if (score > 0) {
                log.replay = !log.broken;
                committed = rc_read_table(v[i], toks, plain, true, &log);
            }
            int got = rc_read_table_once(v[i], toks, once);
            ck_assert((committed > 0) == (got > 0));
            const nb_table *a = nb_report_table_c(plain, name), *b = nb_report_table_c(once, name);
            assert_same_table(a, b);
            ck_assert_uint_eq(plain->ndiags, once->ndiags);
            found_tables += nb_table_found(a);
            absent_tables += !nb_table_found(a);
            rc_match_log_free(&log);
            nb_report_free(plain);
            nb_report_free(once);
        }
    }
}

static void compare_text(const char *text)
{
    const nb_templates *T = tu_templates();
    nb_doc *doc = nb_doc_new("test.txt");
    ck_assert_ptr_nonnull(doc);
    nb_doc_split_text(doc, text, strlen(text), NB_SPLIT_TABS);
    rc_doc d;
    ck_assert(rc_doc_build(&d, doc, &nb_templates_get(T, 0)->lexicon));
    rc_toks toks = {0};
    rc_pos end = {d.n, 0};
    ck_assert(rc_tokenise(&d, (rc_pos){0, 0}, end, &toks));
    compare_reads(&toks);
    rc_toks_free(&toks);
    rc_doc_free(&d);
    nb_doc_free(doc);
}

START_TEST(read_once_equals_score_then_commit)
{
    found_tables = absent_tables = 0;
    for (size_t f = 0; f < sizeof FILES / sizeof *FILES; f++) {
        char *text = read_source(FILES[f]);
        static const size_t cuts[][2] = {{0, 0}, {0, 7}, {0, 3}, {25, 0}, {60, 0}, {90, 5}, {3, 0}};
        for (size_t c = 0; c < sizeof cuts / sizeof *cuts; c++) {
            char *part = cut_text(text, cuts[c][0], cuts[c][1]);
            compare_text(part);
            free(part);
        }
        free(text);
    }
    compare_text("");
    compare_text("一、总体情况\n本机关无表格。\n");
    /* a table's marker words in cells that name no row: a scoring read scores
     * 0 (markers alone do not count), so the table stays unset */
    const nb_templates *T = tu_templates();
    for (size_t k = 0; k < nb_templates_table_count(T); k++) {
        const nb_table_def *v[16];
        size_t n = nb_templates_variants(T, nb_templates_table_name(T, k), v, 16);
        for (size_t i = 0; i < n; i++) {
            nb_buf b = {0};
            for (size_t m = 0; m < v[i]->markers.n; m++) {
                nb_buf_adds(&b, "关于");
                nb_buf_adds(&b, v[i]->markers.v[m]);
                nb_buf_adds(&b, "有关情况\t附注\n");
            }
            char *text = nb_buf_steal(&b);
            compare_text(text ? text : "");
            free(text);
        }
    }
    /* both outcomes were seen: tables read, and tables absent (score 0) */
    ck_assert_uint_gt(found_tables, 0);
    ck_assert_uint_gt(absent_tables, 0);
}
END_TEST

/* text garbled line by line as PDF and flattened pages print tables: a
 * line's label lost (its values follow the last row's), set apart on a
 * line of its own (labels waiting for values), the line run into the
 * next, or its cells one per line */
static char *garble(const char *text, unsigned *st)
{
    nb_buf b = {0};
    for (const char *p = text; *p;) {
        const char *e = strchr(p, '\n');
        size_t n = e ? (size_t)(e - p) : strlen(p);
        const char *tab = memchr(p, '\t', n);
        unsigned x = tu_rand(st) % 10;
        if (x == 0 && tab)
            nb_buf_add(&b, tab + 1, n - (size_t)(tab + 1 - p)); /* label lost */
        else if (x == 1 && tab) {
            nb_buf_add(&b, p, (size_t)(tab - p)); /* label apart */
            nb_buf_addc(&b, '\n');
            nb_buf_add(&b, tab + 1, n - (size_t)(tab + 1 - p));
        } else if (x == 2)
            for (size_t i = 0; i < n; i++) /* one cell per line */
                nb_buf_addc(&b, p[i] == '\t' ? '\n' : p[i]);
        else
            nb_buf_add(&b, p, n);
        nb_buf_addc(&b, x == 3 ? '\t' : '\n'); /* run into the next */
        p += e ? n + 1 : n;
    }
    char *g = nb_buf_steal(&b);
    return g ? g : strdup("");
}

/* Stopped scoring reads ---------------------------------------------------- */

static size_t stopped_reads, whole_reads;

/* Every variant of every table scored from toks against every bar around
 * its whole score: a stop only below or at the bar, the same score and
 * matches otherwise. */
static void compare_stops(const rc_toks *toks)
{
    const nb_templates *T = tu_templates();
    for (size_t k = 0; k < nb_templates_table_count(T); k++) {
        const nb_table_def *v[16];
        size_t n = nb_templates_variants(T, nb_templates_table_name(T, k), v, 16);
        for (size_t i = 0; i < n; i++) {
            nb_report *r = nb_report_new(T);
            ck_assert_ptr_nonnull(r);
            rc_match_log whole = {0};
            int full = rc_read_table(v[i], toks, r, false, &whole);
            ck_assert_int_ge(full, 0);
            /* a scoring read adds three per marker some text token holds
             * (strstr here) to what a committing read counts */
            nb_report *c = nb_report_new(T);
            ck_assert_ptr_nonnull(c);
            int committed = rc_read_table(v[i], toks, c, true, NULL);
            size_t markers = 0;
            for (size_t m = 0; m < v[i]->markers.n; m++) {
                bool held = false;
                for (size_t q = 0; q < toks->n && !held; q++)
                    held = toks->v[q].kind == RC_TEXT && strstr(toks->v[q].compact, v[i]->markers.compact[m]);
                markers += held;
            }
            if (committed > 0)
                ck_assert_int_eq(full, committed + 3 * (int)markers);
            /* the same count when every variant's markers are looked for at once */
            int all[16];
            rc_markers_scores(v, n, toks, all);
            ck_assert_int_eq(all[i], 3 * (int)markers);
            nb_report_free(c);
            for (int beat = -1; beat <= full + 3; beat++) {
                rc_match_log log = {0};
                int got = rc_score_table(v[i], toks, r, &log, beat);
                if (got == RC_SCORE_CUT) {
                    ck_assert_msg(full <= beat, "%s %s stopped at bar %d, scores %d", v[i]->name, v[i]->variant,
                                  beat, full);
                    stopped_reads++;
                } else {
                    ck_assert_int_eq(got, full);
                    ck_assert_uint_eq(log.n, whole.n);
                    for (size_t q = 0; q < log.n; q++)
                        ck_assert(log.v[q].hit == whole.v[q].hit && log.v[q].kind == whole.v[q].kind);
                    whole_reads++;
                }
                rc_match_log_free(&log);
            }
            rc_match_log_free(&whole);
            nb_report_free(r);
        }
    }
}

/* check on the tokens of text, then on the tokens from every
 * (n / parts)th one on: tables entered in their middle. */
static void check_text(const char *text, void (*check)(const rc_toks *), size_t parts)
{
    const nb_templates *T = tu_templates();
    nb_doc *doc = nb_doc_new("test.txt");
    ck_assert_ptr_nonnull(doc);
    nb_doc_split_text(doc, text, strlen(text), NB_SPLIT_TABS);
    rc_doc d;
    ck_assert(rc_doc_build(&d, doc, &nb_templates_get(T, 0)->lexicon));
    rc_toks toks = {0};
    ck_assert(rc_tokenise(&d, (rc_pos){0, 0}, (rc_pos){d.n, 0}, &toks));
    check(&toks);
    for (size_t from = 1; from < toks.n; from += 1 + toks.n / parts) {
        rc_toks tail = {.v = toks.v + from, .n = toks.n - from};
        check(&tail);
    }
    rc_toks_free(&toks);
    rc_doc_free(&d);
    nb_doc_free(doc);
}

/* on(text) for each of FILES and a gb2019 case, cut as cuts[] says, and
 * rounds garbled copies of each cut (garble seeded with seed). */
static void over_sources(void (*on)(const char *), const size_t (*cuts)[2], size_t ncuts, int rounds,
                         unsigned seed)
{
    static const char *const more[] = {"tests/cases/signed-glued-run-partly-settled/input.txt"}; /* gb2019 */
    unsigned st = seed;
    for (size_t f = 0; f < sizeof FILES / sizeof *FILES + 1; f++) {
        char *text = read_source(f < sizeof FILES / sizeof *FILES ? FILES[f] : more[0]);
        for (size_t c = 0; c < ncuts; c++) {
            char *part = cut_text(text, cuts[c][0], cuts[c][1]);
            on(part);
            for (int round = 0; round < rounds; round++) {
                char *g = garble(part, &st);
                on(g);
                free(g);
            }
            free(part);
        }
        free(text);
    }
}

static void compare_stops_text(const char *text) { check_text(text, compare_stops, 9); }

START_TEST(score_stops_only_when_beaten)
{
    static const size_t cuts[][2] = {{0, 0}, {0, 7}, {0, 3}, {0, 2}, {40, 0}, {90, 5}};
    stopped_reads = whole_reads = 0;
    over_sources(compare_stops_text, cuts, sizeof cuts / sizeof *cuts, 2, 99u);
    compare_stops_text("");
    /* markers inside longer cells, at their start, middle and end */
    compare_stops_text("规章\t1\t2\t3\n关于本年制发件数\t本年新制作数量及本年废止件数说明\t对外公开总数量\n"
                       "采购项目数量、采购总金额\t其他对外管理服务事项\t本年增/减\n行政许可\t4\n");
    /* rows whose labels were lost, each a line of values after the last
     * (overflow): every line a row with values, the bound's tightest case */
    for (int lines = 1; lines <= 5; lines++) {
        nb_buf b = {0};
        nb_buf_adds(&b, "本机关全年收到申请如下。\n一、本年新收政府信息公开申请数量\t48\t25\t0\t0\t36\t37\t146\n");
        for (int l = 0; l < lines; l++)
            nb_buf_adds(&b, "1\t2\t3\t4\t5\t6\t21\n");
        nb_buf_adds(&b, "规章\t1\t2\t3\n");
        for (int l = 0; l < lines; l++)
            nb_buf_adds(&b, "1\t2\t3\n");
        char *text = nb_buf_steal(&b);
        compare_stops_text(text ? text : "");
        free(text);
    }
    ck_assert_uint_gt(stopped_reads, 0);
    ck_assert_uint_gt(whole_reads, 0);
}
END_TEST

/* Plain reads ---------------------------------------------------------------- */

static size_t plain_found;

/* Every variant of every table committed from toks both ways. */
static void compare_plain(const rc_toks *toks)
{
    const nb_templates *T = tu_templates();
    for (size_t k = 0; k < nb_templates_table_count(T); k++) {
        const char *name = nb_templates_table_name(T, k);
        const nb_table_def *v[16];
        size_t n = nb_templates_variants(T, name, v, 16);
        for (size_t i = 0; i < n; i++) {
            nb_report *a = nb_report_new(T), *b = nb_report_new(T);
            ck_assert(a && b);
            ck_assert_int_eq(rc_read_table(v[i], toks, a, true, NULL), rc_read_table_plain(v[i], toks, b));
            assert_same_table(nb_report_table_c(a, name), nb_report_table_c(b, name));
            ck_assert_uint_eq(a->ndiags, b->ndiags);
            for (size_t q = 0; q < a->ndiags; q++)
                ck_assert_str_eq(a->diags[q].rule, b->diags[q].rule);
            plain_found += nb_table_found(nb_report_table_c(a, name));
            nb_report_free(a);
            nb_report_free(b);
        }
    }
}

static void compare_plain_text(const char *text)
{
    const nb_templates *T = tu_templates();
    nb_doc *doc = nb_doc_new("test.txt");
    ck_assert_ptr_nonnull(doc);
    nb_doc_split_text(doc, text, strlen(text), NB_SPLIT_TABS);
    rc_doc d;
    ck_assert(rc_doc_build(&d, doc, &nb_templates_get(T, 0)->lexicon));
    rc_toks toks = {0};
    ck_assert(rc_tokenise(&d, (rc_pos){0, 0}, (rc_pos){d.n, 0}, &toks));
    compare_plain(&toks);
    rc_toks_free(&toks);
    rc_doc_free(&d);
    nb_doc_free(doc);
}

START_TEST(read_equals_plain_read)
{
    static const char *const more[] = {"tests/cases/signed-glued-run-partly-settled/input.txt"}; /* gb2019 */
    unsigned st = 1234u;
    plain_found = 0;
    for (size_t f = 0; f < sizeof FILES / sizeof *FILES + 1; f++) {
        char *text = read_source(f < sizeof FILES / sizeof *FILES ? FILES[f] : more[0]);
        static const size_t cuts[][2] = {{0, 0}, {0, 7}, {0, 3}, {60, 0}};
        for (size_t c = 0; c < sizeof cuts / sizeof *cuts; c++) {
            char *part = cut_text(text, cuts[c][0], cuts[c][1]);
            compare_plain_text(part);
            for (int round = 0; round < 8; round++) {
                char *g = garble(part, &st);
                compare_plain_text(g);
                free(g);
            }
            free(part);
        }
        free(text);
    }
    /* a row given more values than a read keeps on its stack (64), on one
     * line and one per line: the values move to the heap and grow there */
    nb_buf b = {0};
    nb_buf_adds(&b, "一、本年新收政府信息公开申请数量\t1\t2\t3\t4\t5\t6\t21\n");
    for (int i = 0; i < 150; i++) {
        char num[16];
        snprintf(num, sizeof num, "%d%c", i % 9, i == 149 ? '\n' : '\t');
        nb_buf_adds(&b, num);
    }
    for (int i = 0; i < 90; i++) {
        char num[16];
        snprintf(num, sizeof num, "%d\n", i % 7);
        nb_buf_adds(&b, num);
    }
    nb_buf_adds(&b, "二、上年结转政府信息公开申请数量\t0\t0\t0\t0\t0\t0\t0\n");
    char *long_rows = nb_buf_steal(&b);
    compare_plain_text(long_rows ? long_rows : "");
    free(long_rows);
    ck_assert_uint_gt(plain_found, 0);
}
END_TEST

/* Variants committed first ------------------------------------------------ */

static size_t kept_first, moved_first, none_first;

/* Every table whose variants read differently, read from toks both ways
 * (rc_read_variants) for reports of every year: the same table, findings
 * (a finding made before the read kept) and readings. */
static void compare_variants(const rc_toks *toks)
{
    const nb_templates *T = tu_templates();
    static const int years[] = {0, 2019, 2020, 2022, 2024, 1990};
    for (size_t k = 0; k < nb_templates_table_count(T); k++) {
        const char *name = nb_templates_table_name(T, k);
        const nb_table_def *v[16];
        size_t n = nb_templates_variants(T, name, v, 16);
        for (size_t y = 0; y < sizeof years / sizeof *years; y++) {
            nb_report *a = nb_report_new(T), *b = nb_report_new(T);
            ck_assert(a && b);
            a->year = b->year = years[y];
            nb_report_add_diag(a, "TEST-BEFORE", NB_SEV_INFO, false, "x", NULL, NULL, "before");
            nb_report_add_diag(b, "TEST-BEFORE", NB_SEV_INFO, false, "x", NULL, NULL, "before");
            if (y % 2) { /* the report's readings asked for before */
                ck_assert_ptr_nonnull(nb_report_readings(a));
                ck_assert_ptr_nonnull(nb_report_readings(b));
            }
            bool fa = rc_read_variants(T, v, n, toks, a, true), fb = rc_read_variants(T, v, n, toks, b, false);
            ck_assert(fa == fb);
            const nb_table *ta = nb_report_table_c(a, name), *tb = nb_report_table_c(b, name);
            assert_same_table(ta, tb);
            ck_assert_uint_eq(a->ndiags, b->ndiags);
            for (size_t q = 0; q < a->ndiags; q++) {
                ck_assert_str_eq(a->diags[q].rule, b->diags[q].rule);
                ck_assert(same_str(a->diags[q].message, b->diags[q].message));
                ck_assert(same_str(a->diags[q].where, b->diags[q].where));
            }
            ck_assert((a->readings == NULL) == (b->readings == NULL));
            if (a->readings) {
                ck_assert_uint_eq(a->readings->n, b->readings->n);
                for (size_t q = 0; q < a->readings->n; q++) {
                    ck_assert_ptr_eq(a->readings->v[q].def, b->readings->v[q].def);
                    ck_assert_uint_eq(a->readings->v[q].nsol, b->readings->v[q].nsol);
                }
            }
            /* which way it went: the likely variant (the year's, else the first) kept or not */
            const nb_template *yt = years[y] ? nb_templates_for_year(T, years[y]) : NULL;
            const nb_table_def *likely = v[0];
            for (size_t i = 0; yt && i < n; i++)
                if (strcmp(v[i]->variant, yt->id) == 0)
                    likely = v[i];
            if (!nb_table_found(ta))
                none_first++;
            else if (ta->def == likely)
                kept_first++;
            else
                moved_first++;
            nb_report_free(a);
            nb_report_free(b);
        }
    }
}

static void compare_variants_text(const char *text) { check_text(text, compare_variants, 5); }

START_TEST(variants_committed_first_as_scored_first)
{
    static const size_t cuts[][2] = {{0, 0}, {0, 7}, {0, 3}, {40, 0}, {90, 5}};
    kept_first = moved_first = none_first = 0;
    over_sources(compare_variants_text, cuts, sizeof cuts / sizeof *cuts, 3, 4321u);
    compare_variants_text("");
    compare_variants_text("规章\t1\t2\t3\n关于本年制发件数\t本年新制作数量及本年废止件数说明\t对外公开总数量\n"
                          "采购项目数量、采购总金额\t其他对外管理服务事项\t本年增/减\n行政许可\t4\n");
    /* every outcome seen: the likely variant kept, another committed instead, none */
    ck_assert_uint_gt(kept_first, 0);
    ck_assert_uint_gt(moved_first, 0);
    ck_assert_uint_gt(none_first, 0);
}
END_TEST

/* Derivation ------------------------------------------------------------- */

/* The subtotals as first written: for each derived row, its group's leaves
 * compared by name, every field scanned per column (report.c before the plan). */
static void ref_derive_table(nb_table *t, nb_cell *out)
{
    const nb_table_def *d = t->def;
    memcpy(out, t->cells, d->nfields * sizeof *out);
    for (size_t row = 0; row < d->nrows; row++) {
        if (!d->rows[row].derived || !d->rows[row].group)
            continue;
        for (size_t f = 0; f < d->nfields; f++) {
            if (d->fields[f].row != row || d->fields[f].type == NB_TYPE_UNIT)
                continue;
            if (out[f].status != NB_CELL_MISSING && out[f].status != NB_CELL_DERIVED)
                continue;
            nb_num sum = nb_num_int(0);
            bool any = false, complete = true;
            for (size_t g = 0; g < d->nfields && complete; g++) {
                const nb_row_def *lr = &d->rows[d->fields[g].row];
                if (d->fields[g].row == row || lr->derived || !lr->group || strcmp(lr->group, d->rows[row].group) != 0 ||
                    d->fields[g].col != d->fields[f].col)
                    continue;
                any = true;
                if (!t->cells[g].has_value)
                    complete = false;
                else
                    sum = nb_num_add(sum, t->cells[g].num);
            }
            if (any && complete && !nb_num_overflowed(sum)) {
                out[f].status = NB_CELL_DERIVED;
                out[f].has_value = true;
                out[f].num = sum;
            }
        }
    }
}

/* A cell of one of the kinds derivation must tell apart. */
static void random_cell(nb_report *r, nb_cell *c, unsigned *st)
{
    switch (tu_rand(st) % 8) {
    case 0:
        break; /* missing */
    case 1:
        nb_cell_set(r, c, NB_CELL_AMBIGUOUS, nb_num_int(0), "?", 3, 1);
        break;
    case 2:
        nb_cell_set(r, c, NB_CELL_OK, nb_num_int(INT64_MAX - (int64_t)(tu_rand(st) % 3)), "9", 2, 0);
        break;
    case 3:
        nb_cell_set(r, c, NB_CELL_OK, (nb_num){(int64_t)(tu_rand(st) % 1000), 2}, "1.5", 4, 2);
        break;
    default:
        nb_cell_set(r, c, NB_CELL_OK, nb_num_int((int64_t)(tu_rand(st) % 500) - 20), "7", 5, 3);
    }
}

START_TEST(derive_plan_equals_plain_sums)
{
    const nb_templates *T = tu_templates();
    unsigned st = 20240611u;
    size_t derived = 0;
    for (size_t k = 0; k < nb_templates_table_count(T); k++) {
        const char *name = nb_templates_table_name(T, k);
        const nb_table_def *v[16];
        size_t n = nb_templates_variants(T, name, v, 16);
        for (size_t i = 0; i < n; i++)
            for (int round = 0; round < 40; round++) {
                nb_report *r = nb_report_new(T);
                nb_error err;
                ck_assert_int_eq(nb_report_set_variant(r, name, v[i], &err), NB_OK);
                nb_table *t = nb_report_table(r, name);
                /* sparse rounds leave most leaves known, dense ones most missing */
                for (size_t f = 0; f < v[i]->nfields; f++)
                    if (round % 3 == 0 ? tu_rand(&st) % 8 != 0 : true)
                        random_cell(r, &t->cells[f], &st);
                if (round % 4 == 3 && v[i]->nfields) {
                    /* every cell 0 but two of one column, whose sum is
                     * INT64_MIN exactly: no sum either */
                    for (size_t f = 0; f < v[i]->nfields; f++)
                        nb_cell_set(r, &t->cells[f], NB_CELL_OK, nb_num_int(0), "0", 1, 0);
                    size_t a = tu_rand(&st) % v[i]->nfields;
                    for (size_t g = (a + 1) % v[i]->nfields; g != a; g = (g + 1) % v[i]->nfields)
                        if (v[i]->fields[g].col == v[i]->fields[a].col && !v[i]->rows[v[i]->fields[g].row].derived &&
                            !v[i]->rows[v[i]->fields[a].row].derived) {
                            nb_cell_set(r, &t->cells[a], NB_CELL_OK, nb_num_int(INT64_MIN / 2), "8", 1, 0);
                            nb_cell_set(r, &t->cells[g], NB_CELL_OK, nb_num_int(INT64_MIN / 2), "8", 1, 0);
                            break;
                        }
                    for (size_t f = 0; f < v[i]->nfields; f++) /* the subtotals not printed */
                        if (v[i]->rows[v[i]->fields[f].row].derived)
                            nb_cell_clear(&t->cells[f]);
                }
                nb_cell *want = malloc(v[i]->nfields * sizeof *want);
                ck_assert_ptr_nonnull(want);
                ref_derive_table(t, want);
                nb_report_derive(r);
                for (size_t f = 0; f < v[i]->nfields; f++) {
                    ck_assert_int_eq(t->cells[f].status, want[f].status);
                    ck_assert(t->cells[f].has_value == want[f].has_value);
                    ck_assert(t->cells[f].num.v == want[f].num.v && t->cells[f].num.scale == want[f].num.scale);
                    derived += want[f].status == NB_CELL_DERIVED;
                }
                free(want);
                nb_report_free(r);
            }
    }
    ck_assert_uint_gt(derived, 0);
}
END_TEST

/* A table's rows copied from its definition's plan are the rows built
 * from its fields, for every variant of every table. */
START_TEST(copied_rows_equal_built_rows)
{
    const nb_templates *T = tu_templates();
    size_t tables = 0;
    for (size_t k = 0; k < nb_templates_table_count(T); k++) {
        const nb_table_def *v[16];
        size_t n = nb_templates_variants(T, nb_templates_table_name(T, k), v, 16);
        for (size_t i = 0; i < n; i++) {
            nb_table built = {.def = v[i]}, copied = {.def = v[i]};
            ck_assert(nb_table_build_rows(&built));
            for (int round = 0; round < 2; round++) { /* the plan made, then reused */
                ck_assert(nb_table_copy_rows(&copied));
                ck_assert_uint_eq(copied.nrows, built.nrows);
                for (size_t r = 0; r < built.nrows; r++) {
                    ck_assert_ptr_eq(copied.rows[r].table, &copied);
                    ck_assert_uint_eq(copied.rows[r].row, built.rows[r].row);
                    ck_assert_uint_eq(copied.rows[r].first, built.rows[r].first);
                    ck_assert_uint_eq(copied.rows[r].n, built.rows[r].n);
                }
                free(copied.rows);
            }
            free(built.rows);
            tables++;
        }
    }
    ck_assert_uint_gt(tables, 2);
}
END_TEST

START_TEST(integer_sums_keep_the_overflow_mark)
{
    nb_num max = nb_num_int(INT64_MAX), one = nb_num_int(1), minus = nb_num_int(-INT64_MAX);
    ck_assert(nb_num_overflowed(nb_num_add(max, one)));
    ck_assert(nb_num_overflowed(nb_num_add(minus, nb_num_int(-1)))); /* INT64_MIN is not a sum either */
    ck_assert(nb_num_overflowed(nb_num_add(nb_num_add(max, one), nb_num_int(-5))));
    nb_num s = nb_num_add(minus, nb_num_int(0));
    ck_assert(!nb_num_overflowed(s) && s.v == -INT64_MAX && s.scale == 0);
    s = nb_num_add(nb_num_int(40), nb_num_int(2));
    ck_assert(s.v == 42 && s.scale == 0);
    s = nb_num_add(nb_num_int(1), (nb_num){25, 2});
    ck_assert(s.v == 125 && s.scale == 2);
}
END_TEST

/* Row plans -------------------------------------------------------------- */

/* A number token as the tokeniser cuts one: sometimes a glued digit run. */
static void random_value(rc_tok *tk, char *raw, size_t cap, unsigned *st)
{
    int64_t v = tu_rand(st) % 4 == 0 ? (int64_t)(tu_rand(st) % 100000) : (int64_t)(tu_rand(st) % 30);
    snprintf(raw, cap, "%lld", (long long)v);
    *tk = (rc_tok){.kind = RC_NUM, .raw = raw, .num = nb_num_int(v), .st = NB_CELL_OK, .lineno = 7,
                   .cell = (int)(tu_rand(st) % 9), .glued = v >= 100 && tu_rand(st) % 2};
}

/* Every row of every table placed with its plan (rc_row_plan) and by
 * searching the field list: the same cells, diagnostics and readings kept,
 * for full, short, long, blank-holed and glued rows. */
START_TEST(row_plan_places_as_the_field_list)
{
    const nb_templates *T = tu_templates();
    unsigned st = 7u;
    size_t placed = 0;
    for (size_t k = 0; k < nb_templates_table_count(T); k++) {
        const char *name = nb_templates_table_name(T, k);
        const nb_table_def *v[16];
        size_t n = nb_templates_variants(T, name, v, 16);
        for (size_t i = 0; i < n; i++) {
            const nb_table_def *d = v[i];
            long total_col = -1;
            for (size_t c = 0; d->row_total && c < d->ncols && total_col < 0; c++)
                if (strcmp(d->cols[c].key, d->row_total) == 0)
                    total_col = (long)c;
            for (size_t row = 0; row < d->nrows; row++) {
                rc_row_span span = {.first = 0, .end = d->nfields, .total_col = total_col};
                rc_row_plan(d, row, &span);
                ck_assert(span.planned);
                for (int round = 0; round < 12; round++) {
                    rc_tok toks[40];
                    char raws[40][24];
                    const rc_tok *vals[40];
                    /* every third round a row exactly as wide as the plan:
                     * the exact case places straight from the plan */
                    size_t nv = round % 3 == 0 ? span.k : tu_rand(&st) % (span.k + 4);
                    for (size_t j = 0; j < nv; j++) {
                        random_value(&toks[j], raws[j], sizeof raws[j], &st);
                        vals[j] = tu_rand(&st) % 5 == 0 ? NULL : &toks[j];
                    }
                    bool exact = tu_rand(&st) % 2;
                    nb_report *a = nb_report_new(T), *b = nb_report_new(T);
                    nb_error err;
                    ck_assert_int_eq(nb_report_set_variant(a, name, d, &err), NB_OK);
                    ck_assert_int_eq(nb_report_set_variant(b, name, d, &err), NB_OK);
                    rc_alts alts_a = {0}, alts_b = {0};
                    rc_place_row(a, nb_report_table(a, name), row, vals, nv, &alts_a, exact, &span);
                    rc_place_row(b, nb_report_table(b, name), row, vals, nv, &alts_b, exact, NULL);
                    assert_same_table(nb_report_table_c(a, name), nb_report_table_c(b, name));
                    ck_assert_uint_eq(a->ndiags, b->ndiags);
                    ck_assert_uint_eq(alts_a.n, alts_b.n);
                    for (size_t q = 0; q < alts_a.n; q++) {
                        ck_assert_uint_eq(alts_a.v[q].nsol, alts_b.v[q].nsol);
                        ck_assert(memcmp(alts_a.v[q].fields, alts_b.v[q].fields, sizeof alts_a.v[q].fields) == 0);
                    }
                    placed += nv > 0;
                    free(alts_a.v);
                    free(alts_b.v);
                    nb_report_free(a);
                    nb_report_free(b);
                }
            }
        }
    }
    ck_assert_uint_gt(placed, 100);
}
END_TEST

static Suite *once_suite(void)
{
    Suite *s = suite_create("recognise_once");
    TCase *tc = tcase_create("core");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, read_once_equals_score_then_commit);
    tcase_add_test(tc, score_stops_only_when_beaten);
    tcase_add_test(tc, read_equals_plain_read);
    tcase_add_test(tc, variants_committed_first_as_scored_first);
    tcase_add_test(tc, derive_plan_equals_plain_sums);
    tcase_add_test(tc, integer_sums_keep_the_overflow_mark);
    tcase_add_test(tc, copied_rows_equal_built_rows);
    tcase_add_test(tc, row_plan_places_as_the_field_list);
    suite_add_tcase(s, tc);
    return s;
}

int main(void) { return tu_main(once_suite()); }
