/* test_resolve_tally.c - the column resolver keeps the count of broken
 * relations incrementally as readings are chosen and dropped; the plain
 * count sums every check over every column at each node.  On many
 * generated tables (undecided rows with random readings, known, missing,
 * ambiguous and derived cells around them, node bounds that cut the search
 * or not) both must visit the same number of nodes and leave the same
 * cells and the same fitting readings. */
#include "testutil.h"
#include "model_internal.h"
#include "recognise_internal.h"
#include "template_internal.h"
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* A small value, so that sums often agree and ties are common; now and
 * then one near the int64 edge, so that sums wrap. */
static int64_t small_value(unsigned *st)
{
    return tu_rand(st) % 40 == 0 ? INT64_MAX - (int64_t)(tu_rand(st) % 3) : (int64_t)(tu_rand(st) % 4);
}

/* A cell of one of the kinds the resolver tells apart. */
static void random_cell(nb_report *r, nb_cell *c, unsigned *st)
{
    switch (tu_rand(st) % 6) {
    case 0:
        break; /* missing */
    case 1:
        nb_cell_set(r, c, NB_CELL_AMBIGUOUS, nb_num_int(0), "?", 3, 1);
        break;
    case 2:
        nb_cell_set(r, c, NB_CELL_DERIVED, nb_num_int(small_value(st)), NULL, 0, -1);
        break;
    case 3:
        nb_cell_set(r, c, NB_CELL_BLANK, nb_num_int(0), "", 4, 2);
        break;
    default:
        nb_cell_set(r, c, NB_CELL_OK, nb_num_int(small_value(st)), "7", 5, 3);
    }
}

/* An undecided row: its value fields (now and then one shared with another
 * alt or left out), nsol readings of small values. */
static void random_alt(const nb_table_def *d, rc_alt *al, unsigned *st)
{
    memset(al, 0, sizeof *al);
    size_t row = tu_rand(st) % d->nrows;
    for (size_t tries = 0; tu_rand(st) % 3 == 0 && !d->rows[row].derived && tries < d->nrows; tries++)
        row = (row + 1) % d->nrows; /* a subtotal row now and then */
    for (size_t f = 0; f < d->nfields && al->k < RC_MAX_COLS; f++)
        if (d->fields[f].row == row && d->fields[f].type != NB_TYPE_UNIT && tu_rand(st) % 8 != 0)
            al->fields[al->k++] = f;
    if (al->k && tu_rand(st) % 10 == 0)
        al->fields[tu_rand(st) % al->k] = tu_rand(st) % d->nfields; /* a field of another row */
    al->nsol = 1 + tu_rand(st) % 4;
    for (size_t s = 0; s < al->nsol; s++)
        for (size_t j = 0; j < al->k; j++)
            al->sols[s][j] = small_value(st);
    al->broken = tu_rand(st) % 5 == 0;
}

/* One generated table, its cells and alts from the seed *st: the same seed
 * gives the same table. */
static nb_report *make_table(const nb_templates *T, const char *name, const nb_table_def *d, unsigned st,
                             rc_alts *alts, size_t nalts)
{
    nb_report *r = nb_report_new(T);
    nb_error err;
    ck_assert_int_eq(nb_report_set_variant(r, name, d, &err), NB_OK);
    nb_table *t = nb_report_table(r, name);
    /* each row not printed, printed whole, or of mixed cells: sides are
     * often fully known, and groups often have no leaf printed */
    unsigned *mode = malloc(d->nrows * sizeof *mode);
    ck_assert_ptr_nonnull(mode);
    bool unprinted = false; /* the current group's leaves */
    for (size_t row = 0; row < d->nrows; row++) {
        const nb_row_def *rd = &d->rows[row];
        if (rd->group && (row == 0 || !d->rows[row - 1].group || strcmp(d->rows[row - 1].group, rd->group) != 0))
            unprinted = tu_rand(&st) % 3 == 0;
        mode[row] = rd->group && !rd->derived && unprinted ? 0 : tu_rand(&st) % 4;
    }
    for (size_t f = 0; f < d->nfields; f++) {
        unsigned m = mode[d->fields[f].row];
        if (m == 1 || (m == 2 && tu_rand(&st) % 5 != 0))
            nb_cell_set(r, &t->cells[f], NB_CELL_OK, nb_num_int(small_value(&st)), "7", 5, 3);
        else if (m == 3)
            random_cell(r, &t->cells[f], &st);
    }
    free(mode);
    alts->v = calloc(nalts, sizeof *alts->v);
    ck_assert_ptr_nonnull(alts->v);
    alts->n = alts->cap = nalts;
    for (size_t a = 0; a < nalts; a++)
        random_alt(d, &alts->v[a], &st);
    return r;
}

static void assert_same(const nb_table *a, const nb_table *b, const rc_alts *aa, const rc_alts *ab)
{
    for (size_t f = 0; f < a->def->nfields; f++) {
        ck_assert_int_eq(a->cells[f].status, b->cells[f].status);
        ck_assert(a->cells[f].has_value == b->cells[f].has_value);
        ck_assert(a->cells[f].num.v == b->cells[f].num.v);
    }
    for (size_t i = 0; i < aa->n; i++)
        ck_assert_uint_eq(aa->v[i].fit, ab->v[i].fit);
}

START_TEST(incremental_count_equals_plain_count)
{
    const nb_templates *T = tu_templates();
    unsigned st = 20261130u;
    size_t tables = 0, completed = 0, cut = 0, applied = 0;
    for (size_t k = 0; k < nb_templates_table_count(T); k++) {
        const char *name = nb_templates_table_name(T, k);
        const nb_table_def *v[16];
        size_t n = nb_templates_variants(T, name, v, 16);
        for (size_t i = 0; i < n; i++) {
            if (!v[i]->nchecks)
                continue;
            for (int round = 0; round < 300; round++) {
                unsigned seed = tu_rand(&st) * 32768u + tu_rand(&st);
                size_t nalts = 1 + tu_rand(&st) % 12;
                long budget = round % 4 == 0 ? 1 + tu_rand(&st) % 200 : 5000;
                rc_alts pa = {0}, ia = {0};
                nb_report *plain = make_table(T, name, v[i], seed, &pa, nalts);
                nb_report *inc = make_table(T, name, v[i], seed, &ia, nalts);
                nb_table *pt = nb_report_table(plain, name), *it = nb_report_table(inc, name);
                long pn = rc_resolve_columns_nodes(plain, pt, &pa, true, budget);
                long in = rc_resolve_columns_nodes(inc, it, &ia, false, budget);
                ck_assert_int_eq(pn, in);
                assert_same(pt, it, &pa, &ia);
                tables++;
                completed += pn <= budget;
                cut += pn > budget;
                for (size_t a = 0; a < pa.n; a++)
                    applied += pa.v[a].fit != 0;
                free(pa.v);
                free(ia.v);
                nb_report_free(plain);
                nb_report_free(inc);
            }
        }
    }
    ck_assert_uint_gt(tables, 0);
    ck_assert_uint_gt(completed, 0); /* both kinds of search were compared */
    ck_assert_uint_gt(cut, 0);
    ck_assert_uint_gt(applied, 0);
}
END_TEST

static Suite *tally_suite(void)
{
    Suite *s = suite_create("resolve_tally");
    TCase *tc = tcase_create("core");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, incremental_count_equals_plain_count);
    suite_add_tcase(s, tc);
    return s;
}

int main(void) { return tu_main(tally_suite()); }
