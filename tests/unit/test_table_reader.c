/* test_table_reader.c - short cuts of the table reader against their plain
 * paths:
 * - a table is found by name through the templates' own pointer or by a
 *   comparison of the names (report.c table_index): the same table for a
 *   copy of the name, none for a name that only shares its first byte;
 * - table 3 (one printed row) placed with the grammar's row plans gives
 *   the cells placing it with plans searched from the definition gives,
 *   for values in order, out of order, short, glued and long;
 * - a row's blank cells given as their tokens (not numbers) are placed as
 *   blanks given as NULL are;
 * - lost row totals are found with the grammar's row plans (the total's
 *   column from the plan) as without them (the column by its key). */
#include "testutil.h"
#include "recognise_internal.h"
#include "report_internal.h"
#include "util.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

START_TEST(table_by_name_pointer_or_copy)
{
    const nb_templates *T = tu_templates();
    ck_assert_ptr_nonnull(T);
    nb_report *r = nb_report_new(T);
    ck_assert_ptr_nonnull(r);
    size_t n = nb_templates_table_count(T);
    ck_assert_uint_gt(n, 1);
    for (size_t i = 0; i < n; i++) {
        const char *own = nb_templates_table_name(T, i);
        char *copy = nb_strdup(own);
        const nb_table *a = nb_report_table_c(r, own), *b = nb_report_table_c(r, copy);
        ck_assert_ptr_nonnull(a);
        ck_assert_ptr_eq(a, b);
        ck_assert_str_eq(nb_table_name(a), own);
        /* the first byte alone names no table */
        char other[64];
        snprintf(other, sizeof other, "%c~no-such-table", own[0]);
        ck_assert_ptr_null(nb_report_table_c(r, other));
        /* nor does a prefix of a name */
        copy[strlen(copy) - 1] = '\0';
        ck_assert_ptr_null(nb_report_table_c(r, copy));
        free(copy);
    }
    ck_assert_ptr_null(nb_report_table_c(r, ""));
    ck_assert_ptr_null(nb_report_cell_c(r, "no-such-table.x"));
    nb_report_free(r);
}
END_TEST

/* Row plans as the grammar makes them (recognise_table.c row_spans). */
static rc_row_span *plans(const nb_table_def *d)
{
    rc_row_span *sp = calloc(d->nrows ? d->nrows : 1, sizeof *sp);
    ck_assert_ptr_nonnull(sp);
    long total_col = -1;
    for (size_t c = 0; d->row_total && c < d->ncols && total_col < 0; c++)
        if (strcmp(d->cols[c].key, d->row_total) == 0)
            total_col = (long)c;
    for (size_t r = 0; r < d->nrows; r++)
        sp[r] = (rc_row_span){.first = d->nfields, .end = 0, .total_col = total_col};
    for (size_t f = 0; f < d->nfields; f++) {
        rc_row_span *s = &sp[d->fields[f].row];
        if (f < s->first)
            s->first = f;
        if (f + 1 > s->end)
            s->end = f + 1;
    }
    for (size_t r = 0; r < d->nrows; r++) {
        if (sp[r].first > sp[r].end)
            sp[r].first = sp[r].end;
        rc_row_plan(d, r, &sp[r]);
    }
    return sp;
}

/* A new report of T with d as its table's variant. */
static nb_report *report_of(const nb_templates *T, const nb_table_def *d)
{
    nb_report *r = nb_report_new(T);
    nb_error err;
    nb_error_clear(&err);
    ck_assert_ptr_nonnull(r);
    ck_assert_int_eq(nb_report_set_variant(r, d->name, d, &err), NB_OK);
    return r;
}

static void same_cells(const nb_table *a, const nb_table *b)
{
    ck_assert_ptr_eq(a->def, b->def);
    for (size_t f = 0; f < a->def->nfields; f++) {
        const nb_cell *x = &a->cells[f], *y = &b->cells[f];
        ck_assert_int_eq(x->status, y->status);
        ck_assert_int_eq(x->has_value, y->has_value);
        ck_assert_int_eq(nb_num_cmp(x->num, y->num), 0);
        ck_assert_int_eq(x->line, y->line);
        ck_assert_int_eq(x->cell, y->cell);
        ck_assert((x->raw == NULL) == (y->raw == NULL));
        if (x->raw)
            ck_assert_str_eq(x->raw, y->raw);
    }
}

START_TEST(single_row_with_plans_as_searched)
{
    const nb_templates *T = tu_templates();
    size_t tested = 0;
    unsigned st = 20261130u;
    for (size_t k = 0; k < nb_templates_table_count(T); k++) {
        const nb_table_def *v[16];
        size_t nv = nb_templates_variants(T, nb_templates_table_name(T, k), v, 16);
        for (size_t j = 0; j < nv; j++) {
            const nb_table_def *d = v[j];
            if (d->layout != NB_LAYOUT_SINGLE_ROW)
                continue;
            rc_row_span *sp = plans(d);
            size_t width = 0;
            for (size_t r = 0; r < d->nrows; r++)
                width += sp[r].k;
            for (int round = 0; round < 200; round++) {
                size_t n = round % 4 == 0 ? width : 1 + tu_rand(&st) % (width + 3);
                rc_tok *toks = calloc(n + 1, sizeof *toks);
                const rc_tok **vals = calloc(n + 1, sizeof *vals);
                bool *chunk = calloc(n + 1, sizeof *chunk);
                char (*raw)[24] = calloc(n + 1, sizeof *raw);
                ck_assert(toks && vals && chunk && raw);
                for (size_t i = 0; i < n; i++) {
                    int64_t x = round % 3 ? tu_rand(&st) % 5 : tu_rand(&st) % 1000;
                    snprintf(raw[i], sizeof raw[i], "%lld", (long long)x);
                    toks[i] = (rc_tok){.kind = RC_NUM, .raw = raw[i], .num = nb_num_int(x), .st = NB_CELL_OK,
                                       .glued = x >= 10, .lineno = 1 + (int)(i / 5), .cell = (int)i,
                                       .line = i / 5, .in_row = true};
                    vals[i] = tu_rand(&st) % 7 ? &toks[i] : NULL;
                    chunk[i] = tu_rand(&st) % 4 == 0;
                }
                bool structured = round % 2;
                nb_report *a = report_of(T, d), *b = report_of(T, d);
                nb_table *ta = nb_report_table(a, d->name), *tb = nb_report_table(b, d->name);
                rc_place_single_row(a, ta, vals, n, structured, round % 5 ? chunk : NULL, sp);
                rc_place_single_row(b, tb, vals, n, structured, round % 5 ? chunk : NULL, NULL);
                same_cells(ta, tb);
                ck_assert_uint_eq(a->ndiags, b->ndiags);
                nb_report_free(a);
                nb_report_free(b);
                free(toks);
                free(vals);
                free(chunk);
                free(raw);
                tested++;
            }
            free(sp);
        }
    }
    ck_assert_uint_gt(tested, 0);
}
END_TEST

/* Generated tables of rows: totals printed, blank or missing, parts of
 * 0..3 or blank; rc_lost_totals with the row plans marks the cells and
 * adds the findings it does without them, and some rounds lose a total. */
START_TEST(lost_totals_with_plans_as_searched)
{
    const nb_templates *T = tu_templates();
    size_t tested = 0, lost = 0;
    unsigned st = 20261201u;
    for (size_t k = 0; k < nb_templates_table_count(T); k++) {
        const nb_table_def *v[16];
        size_t nv = nb_templates_variants(T, nb_templates_table_name(T, k), v, 16);
        for (size_t j = 0; j < nv; j++) {
            const nb_table_def *d = v[j];
            if (d->layout != NB_LAYOUT_ROWS || !d->row_total)
                continue;
            rc_row_span *sp = plans(d);
            for (int round = 0; round < 200; round++) {
                nb_report *a = report_of(T, d), *b = report_of(T, d);
                nb_table *ta = nb_report_table(a, d->name), *tb = nb_report_table(b, d->name);
                unsigned blank_total = 4 + (unsigned)round % 12; /* one total in so many is blank */
                for (size_t f = 0; f < d->nfields; f++) {
                    bool total = strcmp(d->cols[d->fields[f].col].key, d->row_total) == 0;
                    unsigned x = tu_rand(&st);
                    nb_cell_status s = x % (total ? blank_total : 6) == 0 ? NB_CELL_BLANK
                                       : x % 17 == 1                       ? NB_CELL_MISSING
                                                                           : NB_CELL_OK;
                    int64_t val = total ? 1 + (int64_t)(x >> 8) % 9 : (int64_t)(x >> 8) % 4;
                    nb_cell_set(a, &ta->cells[f], s, nb_num_int(val), "1", 1, (int)f);
                    nb_cell_set(b, &tb->cells[f], s, nb_num_int(val), "1", 1, (int)f);
                }
                rc_lost_totals(a, ta, sp);
                rc_lost_totals(b, tb, NULL);
                same_cells(ta, tb);
                ck_assert_uint_eq(a->ndiags, b->ndiags);
                lost += a->ndiags > 0;
                nb_report_free(a);
                nb_report_free(b);
                tested++;
            }
            free(sp);
        }
    }
    ck_assert_uint_gt(tested, 0);
    ck_assert_uint_gt(lost, 0);
}
END_TEST

/* rc_place_row takes a blank cell's token (not a number) as it takes NULL,
 * on the plan's fast path (one value per cell) and on the others. */
START_TEST(blank_tokens_place_as_null)
{
    const nb_templates *T = tu_templates();
    size_t tested = 0;
    unsigned st = 7u;
    for (size_t k = 0; k < nb_templates_table_count(T); k++) {
        const nb_table_def *v[16];
        size_t nv = nb_templates_variants(T, nb_templates_table_name(T, k), v, 16);
        for (size_t j = 0; j < nv; j++) {
            const nb_table_def *d = v[j];
            if (d->layout != NB_LAYOUT_ROWS)
                continue;
            rc_row_span *sp = plans(d);
            for (size_t row = 0; row < d->nrows; row++) {
                size_t width = sp[row].k;
                for (int round = 0; round < 8 && width; round++) {
                    size_t n = round < 4 ? width : 1 + tu_rand(&st) % (width + 2);
                    rc_tok toks[40], blank = {.kind = RC_BLANK, .raw = "", .lineno = 1, .line = 0};
                    const rc_tok *with_blank[40], *with_null[40];
                    char raw[40][24];
                    ck_assert_uint_le(n, 40);
                    for (size_t i = 0; i < n; i++) {
                        int64_t x = tu_rand(&st) % 50;
                        snprintf(raw[i], sizeof raw[i], "%lld", (long long)x);
                        toks[i] = (rc_tok){.kind = RC_NUM, .raw = raw[i], .num = nb_num_int(x), .st = NB_CELL_OK,
                                           .lineno = 1, .cell = (int)i, .in_row = true};
                        bool is_blank = tu_rand(&st) % 4 == 0;
                        with_blank[i] = is_blank ? &blank : &toks[i];
                        with_null[i] = is_blank ? NULL : &toks[i];
                    }
                    bool exact = round % 2 == 0;
                    nb_report *a = report_of(T, d), *b = report_of(T, d);
                    nb_table *ta = nb_report_table(a, d->name), *tb = nb_report_table(b, d->name);
                    rc_alts alts_a = {0}, alts_b = {0};
                    rc_place_row(a, ta, row, with_blank, n, &alts_a, exact, &sp[row]);
                    rc_place_row(b, tb, row, with_null, n, &alts_b, exact, &sp[row]);
                    same_cells(ta, tb);
                    ck_assert_uint_eq(alts_a.n, alts_b.n);
                    ck_assert_uint_eq(a->ndiags, b->ndiags);
                    free(alts_a.v);
                    free(alts_b.v);
                    nb_report_free(a);
                    nb_report_free(b);
                    tested++;
                }
            }
            free(sp);
        }
    }
    ck_assert_uint_gt(tested, 100);
}
END_TEST

static Suite *table_reader_suite(void)
{
    Suite *s = suite_create("table_reader");
    TCase *t = tcase_create("short_cuts");
    tcase_set_timeout(t, 120);
    tcase_add_test(t, table_by_name_pointer_or_copy);
    tcase_add_test(t, single_row_with_plans_as_searched);
    tcase_add_test(t, blank_tokens_place_as_null);
    tcase_add_test(t, lost_totals_with_plans_as_searched);
    suite_add_tcase(s, t);
    return s;
}

int main(void) { return tu_main(table_reader_suite()); }
