/* test_validate_fast.c - compiled relations decided from their flat cell
 * lists (validate_fast.c) against the plain path, v_csum_value and the
 * comparison, on every relation of every plan of the source tree's rules:
 * whenever the flat list decides, the plain path must reach the same
 * answer with both sums known, exact and free of overflow.  The cells are
 * generated: small and large figures, negatives, decimals, unknown cells,
 * and values near 2^40 and near int64's end, where the flat list must step
 * aside. */
#include "test_validate_util.h"
#include "validate_plan.h"

static const nb_cell *own_cells(const void *ctx, const nb_table_def *d, bool prev)
{
    (void)d;
    return prev ? NULL : ctx;
}

static const nb_table_def *no_def(const void *ctx, const char *table, bool prev)
{
    (void)ctx, (void)table, (void)prev;
    return NULL;
}

static const nb_cell *no_cell(const void *ctx, const nb_table_def *d, size_t field, bool prev)
{
    (void)ctx, (void)d, (void)field, (void)prev;
    return NULL;
}

static int64_t rnd64(unsigned *seed)
{
    return (int64_t)((uint64_t)rand_r(seed) << 33 ^ (uint64_t)rand_r(seed) << 11 ^ (uint64_t)rand_r(seed));
}

/* One generated cell; `mode` picks the family of values for this report. */
static void gen_cell(unsigned *seed, int mode, nb_cell *c)
{
    memset(c, 0, sizeof *c);
    c->status = NB_CELL_OK;
    int k = rand_r(seed) % 100;
    c->has_value = mode == 7 || k >= (mode == 0 ? 1 : 8);
    if (mode == 3 && k < 12) {      /* near 2^40, either side of the bound */
        int64_t b = (int64_t)1 << 40;
        c->num = nb_num_int((k % 2 ? -1 : 1) * (b + rand_r(seed) % 5 - 2));
    } else if (mode == 4 && k < 12) { /* near int64's end */
        c->num = nb_num_int(k % 2 ? INT64_MAX - rand_r(seed) % 3 : -INT64_MAX + rand_r(seed) % 3);
    } else if (mode == 5 && k < 10) {
        c->num = (nb_num){rand_r(seed) % 1000, 1 + k % 2}; /* decimals */
    } else if (mode == 7) {
        c->num = nb_num_int(0); /* every relation holds */
    } else if (mode == 6) {
        c->num = nb_num_int(rnd64(seed) >> (rand_r(seed) % 40));
    } else {
        c->num = nb_num_int(rand_r(seed) % (mode == 1 ? 3 : 60) - (mode == 2 ? 20 : 0));
    }
}

static bool holds(v_op op, int cmp)
{
    return op == V_EQ ? cmp == 0 : op == V_LE ? cmp <= 0 : cmp >= 0;
}

typedef struct tally {
    size_t decided, holds, fails, tried;
} tally;

/* Relation w of instance i: the flat answer against the plain one. */
static void compare_one(const v_eval *ev, const struct v_flat *fl, const v_crel *cr, size_t i, size_t w,
                        v_op op, const nb_cell *own, const char *id, tally *t)
{
    int fast = v_flat_decide(fl, i, w, op, own);
    t->tried++;
    if (fast == V_FAST_UNKNOWN)
        return;
    v_val L = v_csum_value(ev, &cr->lhs, own), R = v_csum_value(ev, &cr->rhs, own);
    ck_assert_msg(L.res == VR_OK && R.res == VR_OK, "%s instance %zu relation %zu: decided, plain unknown",
                  id, i, w);
    ck_assert_msg(!nb_num_overflowed(L.sum) && !nb_num_overflowed(R.sum),
                  "%s instance %zu relation %zu: decided, plain overflowed", id, i, w);
    bool plain = holds(op, nb_num_cmp(L.sum, R.sum));
    ck_assert_msg(plain == (fast == V_FAST_HOLDS), "%s instance %zu relation %zu: flat %d, plain %d", id, i,
                  w, fast, plain);
    t->decided++;
    *(fast == V_FAST_HOLDS ? &t->holds : &t->fails) += 1;
}

/* Every relation of the plan of rule r on d, over `rounds` generated cell arrays. */
static void check_plan(const nb_ruleset *rs, const v_rule *r, const nb_table_def *d, unsigned *seed,
                       tally *t)
{
    const v_plan *pl = v_plan_for(rs, r, d);
    ck_assert_ptr_nonnull(pl);
    const struct v_flat *fl = v_flat_of(pl, r);
    ck_assert_ptr_nonnull(fl);
    ck_assert_ptr_eq(v_flat_of(pl, r), fl); /* built once */
    nb_cell *own = calloc(d->nfields ? d->nfields : 1, sizeof *own);
    ck_assert_ptr_nonnull(own);
    for (int round = 0; round < 40; round++) {
        int mode = round % 8;
        for (size_t j = 0; j < d->nfields; j++)
            gen_cell(seed, mode, &own[j]);
        v_src src = {no_def, no_cell, own, NULL, own_cells};
        v_out out = {NULL, NULL, 0};
        v_eval ev = {rs, &src, &out, NULL, NULL, NULL};
        for (size_t i = 0; i < pl->n; i++) {
            const v_cinst *ci = &pl->inst[i];
            for (size_t w = 0; w < r->nwhen; w++)
                if (r->when[w].kind == VC_RELATION)
                    compare_one(&ev, fl, &ci->when[w], i, w, r->when[w].rel.op, own, r->id, t);
            if (r->kind == VK_LINEAR)
                compare_one(&ev, fl, &ci->rel, i, r->nwhen, r->rel.op, own, r->id, t);
        }
    }
    free(own);
}

START_TEST(flat_relations_decide_as_the_plain_path)
{
    const nb_ruleset *rs = tv_rules();
    const nb_templates *tp = tu_templates();
    unsigned seed = 13;
    tally t = {0};
    size_t plans = 0;
    for (size_t k = 0; k < rs->n; k++) {
        const v_rule *r = &rs->rules[k];
        if (!r->table || r->cross_year || (r->kind != VK_LINEAR && !r->nwhen))
            continue;
        const nb_table_def *defs[8];
        size_t n = nb_templates_variants(tp, r->table, defs, 8);
        for (size_t v = 0; v < n; v++) {
            check_plan(rs, r, defs[v], &seed, &t);
            plans++;
        }
    }
    ck_assert_uint_gt(plans, 20);
    /* not vacuous: most relations are decided, both ways */
    ck_assert_uint_gt(t.decided, t.tried / 4);
    ck_assert_uint_gt(t.holds, 500);
    ck_assert_uint_gt(t.fails, 1000);
}
END_TEST

/* Values past the bound, unknown cells and decimals leave the answer to
 * the plain path. */
START_TEST(odd_cells_are_left_to_the_plain_path)
{
    const nb_ruleset *rs = tv_rules();
    const nb_templates *tp = tu_templates();
    const v_rule *r = NULL;
    for (size_t k = 0; k < rs->n && !r; k++)
        if (rs->rules[k].kind == VK_LINEAR && rs->rules[k].table && !rs->rules[k].cross_year &&
            strcmp(rs->rules[k].table, "requests") == 0)
            r = &rs->rules[k];
    ck_assert_ptr_nonnull(r);
    const nb_table_def *d = nb_templates_table(tp, "requests", "gb2021");
    const v_plan *pl = v_plan_for(rs, r, d);
    const struct v_flat *fl = v_flat_of(pl, r);
    ck_assert(pl && fl && pl->n > 0);
    nb_cell *own = calloc(d->nfields, sizeof *own);
    for (size_t j = 0; j < d->nfields; j++)
        own[j] = (nb_cell){.status = NB_CELL_OK, .has_value = true, .num = nb_num_int(1)};
    int base = v_flat_decide(fl, 0, r->nwhen, r->rel.op, own);
    ck_assert_int_ne(base, V_FAST_UNKNOWN);
    const nb_num odd[] = {nb_num_int((int64_t)1 << 40), nb_num_int(-((int64_t)1 << 40)), {15, 1},
                          {0, NB_NUM_OVERFLOW}};
    size_t stepped = 0;
    for (size_t j = 0; j < d->nfields; j++) {
        for (size_t o = 0; o <= sizeof odd / sizeof *odd; o++) {
            nb_cell keep = own[j];
            if (o < sizeof odd / sizeof *odd)
                own[j].num = odd[o];
            else
                own[j].has_value = false;
            int got = v_flat_decide(fl, 0, r->nwhen, r->rel.op, own);
            stepped += got == V_FAST_UNKNOWN;
            ck_assert(got == V_FAST_UNKNOWN || got == base); /* a cell the relation does not read */
            own[j] = keep;
        }
    }
    ck_assert_uint_gt(stepped, 4); /* the relation's own cells step aside */
    /* just inside the bound, on either side, every cell is still decided */
    const int64_t inside[] = {((int64_t)1 << 40) - 1, -(((int64_t)1 << 40) - 1)};
    for (size_t j = 0; j < d->nfields; j++)
        for (size_t o = 0; o < 2; o++) {
            nb_cell keep = own[j];
            own[j].num = nb_num_int(inside[o]);
            ck_assert_int_ne(v_flat_decide(fl, 0, r->nwhen, r->rel.op, own), V_FAST_UNKNOWN);
            own[j] = keep;
        }
    free(own);
}
END_TEST

/* A cell condition as the plain path reads it (ccond_alt over every
 * alternative): any_known when some cell is known; known when there are
 * cells and all are; printed when besides none is derived. */
static bool cond_plain(const v_cterm *t, v_cond_kind k, const nb_cell *own)
{
    bool any = false, some = false, all = true;
    for (size_t a = 0; a < t->nalts; a++) {
        any = any || t->alts[a].n > 0;
        for (size_t j = 0; j < t->alts[a].n; j++) {
            const nb_cell *c = &own[t->alts[a].idx[j]];
            some = some || c->has_value;
            if (!c->has_value || (k == VC_PRINTED && c->status == NB_CELL_DERIVED))
                all = false;
        }
    }
    return k == VC_ANY_KNOWN ? some : any && all;
}

/* Every cell condition of every plan: its list answers as the plain path
 * does, and an instance marked implied has all its conditions hold
 * whenever its relation's list decides.  Cells known or not, printed or
 * derived, whole rows and columns unknown. */
START_TEST(flat_cell_conditions_answer_as_the_plain_path)
{
    const nb_ruleset *rs = tv_rules();
    const nb_templates *tp = tu_templates();
    unsigned seed = 17;
    size_t lists = 0, holds = 0, fails = 0, implied = 0, implied_decided = 0;
    for (size_t k = 0; k < rs->n; k++) {
        const v_rule *r = &rs->rules[k];
        if (!r->table || r->cross_year || !r->nwhen)
            continue;
        const nb_table_def *defs[8];
        size_t n = nb_templates_variants(tp, r->table, defs, 8);
        for (size_t v = 0; v < n; v++) {
            const nb_table_def *d = defs[v];
            const v_plan *pl = v_plan_for(rs, r, d);
            const struct v_flat *fl = v_flat_of(pl, r);
            ck_assert(pl && fl);
            nb_cell *own = calloc(d->nfields ? d->nfields : 1, sizeof *own);
            for (int round = 0; round < 60; round++) {
                int mode = round % 6;
                for (size_t j = 0; j < d->nfields; j++) {
                    gen_cell(&seed, mode == 5 ? 7 : mode, &own[j]);
                    if (rand_r(&seed) % 4 == 0)
                        own[j].status = NB_CELL_DERIVED;
                    if (mode == 4 && (d->fields[j].row + (size_t)round) % 3 == 0)
                        own[j].has_value = false; /* whole rows unknown */
                    if (mode == 3 && (d->fields[j].col + (size_t)round) % 3 == 0)
                        own[j].has_value = false; /* whole columns unknown */
                }
                for (size_t i = 0; i < pl->n; i++) {
                    const v_cinst *ci = &pl->inst[i];
                    bool all_hold = true;
                    for (size_t w = 0; w < r->nwhen; w++) {
                        if (r->when[w].kind == VC_RELATION) {
                            all_hold = false;
                            continue;
                        }
                        bool plain = cond_plain(ci->when[w].lhs.t, r->when[w].kind, own);
                        all_hold = all_hold && plain;
                        int got = v_flat_cond(fl, i, w, r->when[w].kind, own);
                        if (got < 0)
                            continue;
                        lists++;
                        ck_assert_msg(got == plain, "%s instance %zu condition %zu: list %d, plain %d", r->id, i,
                                      w, got, plain);
                        *(got ? &holds : &fails) += 1;
                    }
                    if (!fl->implied[i])
                        continue;
                    implied++;
                    if (v_flat_decide(fl, i, r->nwhen, r->rel.op, own) != V_FAST_UNKNOWN) {
                        implied_decided++;
                        ck_assert_msg(all_hold, "%s instance %zu: implied, decided, a condition fails", r->id, i);
                    }
                }
            }
            free(own);
        }
    }
    ck_assert_uint_gt(lists, 1000);
    ck_assert_uint_gt(holds, 300);
    ck_assert_uint_gt(fails, 300);
    ck_assert_uint_gt(implied, 500);       /* the row sums' any_known */
    ck_assert_uint_gt(implied_decided, 100);
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("validate_fast");
    TCase *tc = tcase_create("core");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, flat_relations_decide_as_the_plain_path);
    tcase_add_test(tc, odd_cells_are_left_to_the_plain_path);
    tcase_add_test(tc, flat_cell_conditions_answer_as_the_plain_path);
    suite_add_tcase(s, tc);
    return s;
}

int main(void) { return tu_main(suite()); }
