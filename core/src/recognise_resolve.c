/* recognise_resolve.c - choosing between readings of glued or short rows
 * with the table's relations (domain.md §5.6 step 3).
 *
 * Each undecided row brings its candidate readings; the combinations that
 * break the fewest relations (the rules' column relations 一+二 = (七)+四,
 * (七) = Σ outcomes, and each row's own total) win, and the cells on which
 * all winners agree are set.  A unique winner that still breaks a relation
 * is taken: no reading of the text keeps it, so the report is wrong and the
 * validator says so.  Ties stay ambiguous.  The search is bounded (branch
 * and bound on the broken count); past the bound the cells stay ambiguous. */
#include "recognise_internal.h"
#include <stdlib.h>
#include <string.h>

/* The bound on the search's nodes: a table of many undecided rows (hostile
 * or garbled input) stays cheap; past it the undecided cells simply stay
 * ambiguous. */
#define NODE_BUDGET 100000
_Static_assert(RC_MAX_SOLUTIONS <= 64, "rc_alt.fit has a bit per reading");

/* One term of a check's side, its rows found once per table instead of
 * by comparing names at every node of the search: a term is a row key, or
 * a group ("X.*") whose leaves count, its subtotal rows standing in when
 * no leaf was printed. */
typedef struct term_rows {
    bool group;
    size_t *leaf, nleaf;       /* rows in table order */
    size_t *derived, nderived; /* group subtotal rows */
} term_rows;

typedef struct side_rows {
    term_rows *terms;
    size_t n;
} side_rows;

/* The running state of one term in one column: what side_sum would find,
 * kept up to date as readings are chosen and dropped.  Sums are unsigned so
 * that they wrap as the plain sums do, without undefined overflow. */
typedef struct term_tally {
    uint32_t nonskip;       /* leaves that count (not an unprinted leaf) */
    uint32_t unknown;       /* of those, without a value */
    uint32_t dunknown;      /* subtotal rows without a value */
    uint64_t sum, dsum;     /* of the known leaves, of the known subtotals */
} term_tally;

typedef struct side_tally {
    uint32_t unknown; /* terms without a value */
    uint64_t sum;     /* of the known terms */
} side_tally;

/* Where a field chosen by a reading counts: term ti (global index over
 * every side), as a leaf or as a subtotal row. */
typedef struct field_use {
    uint32_t term;
    bool derived;
} field_use;

typedef struct resolver {
    nb_report *r;            /* owns the cells' texts */
    nb_table *t;
    rc_alts *alts;
    size_t *choice;          /* current solution per alt */
    long *owner;             /* per field: alt index that decides it, -1 none */
    long *at;                /* per row * ncols + col: the value field there, -1 none */
    size_t *slot;            /* per field: column within that alt */
    size_t nsurv;
    size_t best;             /* fewest broken relations of a full combination */
    bool *agree_init;        /* per alt */
    int64_t (*agree)[RC_MAX_COLS];
    bool (*agree_ok)[RC_MAX_COLS];
    uint64_t *fit;           /* per alt: readings in a winning combination */
    side_rows *sides;        /* per check: lhs at 2k, rhs at 2k + 1 */
    long budget;
    bool plain;              /* every node sums every check afresh (the reference) */
    /* The incremental count (not plain): */
    size_t nterms;
    uint32_t *term_side;     /* per term: its side (2k + lhs/rhs) */
    bool *term_group;        /* per term */
    term_tally *terms;       /* per term * ncols + col */
    side_tally *sidev;       /* per side * ncols + col */
    size_t *use_first;       /* per field: its uses at [use_first[f], use_first[f + 1]) */
    field_use *uses;
    size_t nbroken;          /* broken column checks plus broken chosen readings */
} resolver;

/* Value of a field in the current combination; false when unknown. */
static bool field_value(const resolver *rs, size_t f, int64_t *v)
{
    long a = rs->owner[f];
    if (a >= 0) {
        if (rs->choice[a] == (size_t)-1)
            return false;
        *v = rs->alts->v[a].sols[rs->choice[a]][rs->slot[f]];
        return true;
    }
    const nb_cell *c = &rs->t->cells[f];
    if (!c->has_value || c->status == NB_CELL_DERIVED)
        return false;
    *v = c->num.v;
    return true;
}

static long field_at(const resolver *rs, size_t row, size_t col)
{
    return rs->at[row * rs->t->def->ncols + col];
}

static bool row_known(const resolver *rs, size_t row, size_t col)
{
    long f = field_at(rs, row, col);
    int64_t v;
    return f >= 0 && field_value(rs, (size_t)f, &v);
}

/* Σ over one side of a check in column col; false when a term is unknown.
 * Wraps on overflow (unsigned), as the incremental sums do. */
static bool side_sum(const resolver *rs, const side_rows *side, size_t col, uint64_t *sum)
{
    *sum = 0;
    for (size_t i = 0; i < side->n; i++) {
        const term_rows *tr = &side->terms[i];
        bool any_leaf = false;
        for (size_t k = 0; k < tr->nleaf; k++) {
            size_t r = tr->leaf[k];
            long f = field_at(rs, r, col);
            if (tr->group && f >= 0 && !row_known(rs, r, col) && rs->t->cells[f].status == NB_CELL_MISSING)
                continue; /* leaf not printed (gb2019 （六）): the subtotal stands in */
            any_leaf = true;
            int64_t v;
            if (f < 0 || !field_value(rs, (size_t)f, &v))
                return false;
            *sum += (uint64_t)v;
        }
        for (size_t k = 0; tr->group && !any_leaf && k < tr->nderived; k++) {
            long f = field_at(rs, tr->derived[k], col);
            int64_t v;
            if (f < 0 || !field_value(rs, (size_t)f, &v))
                return false;
            *sum += (uint64_t)v;
        }
    }
    return true;
}

/* Whether row rd is one that term (tl bytes) names: by key, or as a leaf
 * (derived false) or subtotal (derived true) of the group "X.*". */
static bool term_names(const nb_row_def *rd, const char *term, size_t tl, bool group, bool derived)
{
    if (!group)
        return !derived && strcmp(rd->key, term) == 0;
    return rd->derived == derived && rd->group && strncmp(rd->group, term, tl - 2) == 0 && rd->group[tl - 2] == '\0';
}

/* The rows each term of the list names, into tr[0..list->n).  rows: room
 * for 2 * nrows per term. */
static void find_term_rows(const nb_table_def *d, const nb_strlist *list, term_rows *tr, size_t *rows)
{
    for (size_t i = 0; i < list->n; i++, rows += 2 * d->nrows) {
        const char *term = list->v[i];
        size_t tl = strlen(term);
        term_rows *t = &tr[i];
        t->group = tl > 2 && strcmp(term + tl - 2, ".*") == 0;
        t->leaf = rows;
        t->derived = rows + d->nrows;
        t->nleaf = t->nderived = 0;
        for (size_t r = 0; r < d->nrows; r++) {
            if (term_names(&d->rows[r], term, tl, t->group, false))
                t->leaf[t->nleaf++] = r;
            if (t->group && term_names(&d->rows[r], term, tl, true, true))
                t->derived[t->nderived++] = r;
        }
    }
}

/* rs->sides for every check of the table, in one block; NULL when memory
 * ran out. */
static side_rows *build_sides(const nb_table_def *d)
{
    size_t nterms = 0;
    for (size_t k = 0; k < d->nchecks; k++)
        nterms += d->checks[k].lhs.n + d->checks[k].rhs.n;
    size_t bytes = 2 * d->nchecks * sizeof(side_rows) + nterms * sizeof(term_rows) +
                   nterms * 2 * d->nrows * sizeof(size_t);
    side_rows *sides = malloc(bytes ? bytes : 1);
    if (!sides)
        return NULL;
    term_rows *tr = (term_rows *)(sides + 2 * d->nchecks);
    size_t *rows = (size_t *)(tr + nterms);
    for (size_t k = 0; k < d->nchecks; k++)
        for (int side = 0; side < 2; side++) {
            const nb_strlist *list = side ? &d->checks[k].rhs : &d->checks[k].lhs;
            sides[2 * k + side] = (side_rows){tr, list->n};
            find_term_rows(d, list, tr, rows);
            tr += list->n;
            rows += list->n * 2 * d->nrows;
        }
    return sides;
}

/* Relations broken by the current (partial) combination: fully known
 * column checks that fail, and the row totals of the readings chosen so
 * far.  Never decreases as the combination grows, so it bounds the search.
 * The plain count, summing every check over every column; the search keeps
 * the same count incrementally (rs->nbroken). */
static size_t broken(const resolver *rs)
{
    const nb_table_def *d = rs->t->def;
    size_t n = 0;
    for (size_t k = 0; k < d->nchecks; k++)
        for (size_t col = 0; col < d->ncols; col++) {
            uint64_t l, r;
            if (side_sum(rs, &rs->sides[2 * k], col, &l) && side_sum(rs, &rs->sides[2 * k + 1], col, &r) && l != r)
                n++;
        }
    for (size_t a = 0; a < rs->alts->n; a++)
        if (rs->choice[a] != (size_t)-1 && rs->alts->v[a].broken)
            n++; /* a reading that breaks its own row total */
    return n;
}

/* The incremental count --------------------------------------------------- */

/* Adds (sign 1) or takes back (sign -1) one field's state in a term's tally,
 * with side_sum's rule: an unknown unprinted leaf of a group does not count. */
static void tally_field(term_tally *tt, bool group, bool derived, bool known, int64_t v, bool missing, int sign)
{
    uint32_t one = sign > 0 ? 1u : (uint32_t)-1;
    uint64_t dv = sign > 0 ? (uint64_t)v : -(uint64_t)v;
    if (derived) {
        if (known)
            tt->dsum += dv;
        else
            tt->dunknown += one;
        return;
    }
    if (!known && group && missing)
        return;
    tt->nonskip += one;
    if (known)
        tt->sum += dv;
    else
        tt->unknown += one;
}

/* The term's value as side_sum finds it; false when unknown. */
static bool term_value(const term_tally *tt, bool group, uint64_t *v)
{
    if (group && tt->nonskip == 0) { /* no leaf printed: the subtotals stand in */
        *v = tt->dsum;
        return tt->dunknown == 0;
    }
    *v = tt->sum;
    return tt->unknown == 0;
}

static void side_add(side_tally *st, bool known, uint64_t v, int sign)
{
    if (!known)
        st->unknown += sign > 0 ? 1u : (uint32_t)-1;
    else
        st->sum += sign > 0 ? v : -v;
}

/* Is check k broken in column col by the sides' tallies? */
static bool pair_broken(const resolver *rs, size_t k, size_t col)
{
    size_t nc = rs->t->def->ncols;
    const side_tally *l = &rs->sidev[2 * k * nc + col], *r = &rs->sidev[(2 * k + 1) * nc + col];
    return !l->unknown && !r->unknown && l->sum != r->sum;
}

/* Field f goes from (known, ov) to (nk, nv): every term it counts in, and
 * through them the sides and checks, follow. */
static void move_field(resolver *rs, size_t f, bool known, int64_t ov, bool nk, int64_t nv)
{
    const nb_table_def *d = rs->t->def;
    size_t col = d->fields[f].col, nc = d->ncols;
    bool missing = rs->t->cells[f].status == NB_CELL_MISSING;
    for (size_t u = rs->use_first[f]; u < rs->use_first[f + 1]; u++) {
        size_t ti = rs->uses[u].term, side = rs->term_side[ti];
        bool group = rs->term_group[ti];
        term_tally *tt = &rs->terms[ti * nc + col];
        uint64_t was_v, now_v;
        bool was = term_value(tt, group, &was_v);
        tally_field(tt, group, rs->uses[u].derived, known, ov, missing, -1);
        tally_field(tt, group, rs->uses[u].derived, nk, nv, missing, 1);
        bool now = term_value(tt, group, &now_v);
        if (was == now && (!was || was_v == now_v))
            continue;
        bool before = pair_broken(rs, side / 2, col);
        side_add(&rs->sidev[side * nc + col], was, was_v, -1);
        side_add(&rs->sidev[side * nc + col], now, now_v, 1);
        bool after = pair_broken(rs, side / 2, col);
        rs->nbroken = rs->nbroken - before + after;
    }
}

/* Field f keeps a value but changes it by delta (one reading to another,
 * the common step): no term changes between known and unknown or between
 * its leaves and its subtotals, so each term and side only shift. */
static void shift_field(resolver *rs, size_t f, uint64_t delta)
{
    size_t col = rs->t->def->fields[f].col, nc = rs->t->def->ncols;
    for (size_t u = rs->use_first[f]; u < rs->use_first[f + 1]; u++) {
        size_t ti = rs->uses[u].term, side = rs->term_side[ti];
        term_tally *tt = &rs->terms[ti * nc + col];
        bool counts; /* does the term's value come from this field's kind of rows? */
        if (rs->uses[u].derived) {
            tt->dsum += delta;
            counts = rs->term_group[ti] && tt->nonskip == 0 && tt->dunknown == 0;
        } else {
            tt->sum += delta; /* a known leaf counts: the leaves give the value */
            counts = tt->unknown == 0;
        }
        if (!counts)
            continue;
        bool before = pair_broken(rs, side / 2, col);
        rs->sidev[side * nc + col].sum += delta;
        bool after = pair_broken(rs, side / 2, col);
        rs->nbroken = rs->nbroken - before + after;
    }
}

/* Alt a takes reading s ((size_t)-1: none), the count following. */
static void choose(resolver *rs, size_t a, size_t s)
{
    const rc_alt *al = &rs->alts->v[a];
    size_t old = rs->choice[a];
    bool known = old != (size_t)-1, nk = s != (size_t)-1;
    for (size_t j = 0; !rs->plain && j < al->k; j++) {
        size_t f = al->fields[j];
        if (rs->owner[f] != (long)a || rs->slot[f] != j)
            continue; /* another alt, or another slot of this one, decides it */
        int64_t ov = known ? al->sols[old][j] : 0, nv = nk ? al->sols[s][j] : 0;
        if (known && nk && ov != nv)
            shift_field(rs, f, (uint64_t)nv - (uint64_t)ov);
        else if (known != nk)
            move_field(rs, f, known, ov, nk, nv);
    }
    if (al->broken)
        rs->nbroken = rs->nbroken - known + nk;
    rs->choice[a] = s;
}

static size_t current_broken(const resolver *rs)
{
    return rs->plain ? broken(rs) : rs->nbroken;
}

/* Term ti's tally in column col from scratch (no alt chosen yet). */
static void tally_term(resolver *rs, const term_rows *tr, term_tally *tt, size_t col)
{
    *tt = (term_tally){0};
    for (size_t k = 0; k < tr->nleaf + tr->nderived; k++) {
        bool derived = k >= tr->nleaf;
        long f = field_at(rs, derived ? tr->derived[k - tr->nleaf] : tr->leaf[k], col);
        int64_t v = 0;
        if (f < 0) /* no such cell: the term is unknown */
            tally_field(tt, false, derived, false, 0, false, 1);
        else {
            bool known = field_value(rs, (size_t)f, &v);
            tally_field(tt, tr->group, derived, known, v, rs->t->cells[f].status == NB_CELL_MISSING, 1);
        }
    }
}

/* Records term ti's chosen fields into rs->uses (or only counts them into
 * use_first when rs->uses is NULL). */
static void note_uses(resolver *rs, const term_rows *tr, size_t ti, size_t *fill)
{
    const nb_table_def *d = rs->t->def;
    for (size_t col = 0; col < d->ncols; col++)
        for (size_t k = 0; k < tr->nleaf + tr->nderived; k++) {
            bool derived = k >= tr->nleaf;
            long f = field_at(rs, derived ? tr->derived[k - tr->nleaf] : tr->leaf[k], col);
            if (f < 0 || rs->owner[f] < 0)
                continue;
            if (rs->uses)
                rs->uses[fill[f]++] = (field_use){(uint32_t)ti, derived};
            else
                rs->use_first[f + 1]++;
        }
}

/* The tallies of every term, side and check with no alt chosen, and where
 * each chosen field counts; false when memory ran out. */
static bool tally_init(resolver *rs)
{
    const nb_table_def *d = rs->t->def;
    size_t nc = d->ncols, nsides = 2 * d->nchecks;
    term_rows *base = (term_rows *)(rs->sides + nsides);
    for (size_t s = 0; s < nsides; s++)
        rs->nterms += rs->sides[s].n;
    rs->term_side = malloc((rs->nterms + 1) * sizeof *rs->term_side);
    rs->term_group = malloc((rs->nterms + 1) * sizeof *rs->term_group);
    rs->terms = malloc((rs->nterms * nc + 1) * sizeof *rs->terms);
    rs->sidev = calloc(nsides * nc + 1, sizeof *rs->sidev);
    rs->use_first = calloc(d->nfields + 1, sizeof *rs->use_first);
    size_t *fill = malloc((d->nfields + 1) * sizeof *fill);
    if (!rs->term_side || !rs->term_group || !rs->terms || !rs->sidev || !rs->use_first || !fill) {
        free(fill);
        return false;
    }
    for (size_t ti = 0; ti < rs->nterms; ti++)
        note_uses(rs, &base[ti], ti, NULL);
    for (size_t f = 0; f < d->nfields; f++)
        rs->use_first[f + 1] += rs->use_first[f];
    rs->uses = malloc((rs->use_first[d->nfields] + 1) * sizeof *rs->uses);
    if (!rs->uses) {
        free(fill);
        return false;
    }
    memcpy(fill, rs->use_first, d->nfields * sizeof *fill);
    for (size_t s = 0, ti = 0; s < nsides; s++)
        for (size_t i = 0; i < rs->sides[s].n; i++, ti++) {
            rs->term_side[ti] = (uint32_t)s;
            rs->term_group[ti] = base[ti].group;
            note_uses(rs, &base[ti], ti, fill);
            for (size_t col = 0; col < nc; col++) {
                uint64_t v;
                tally_term(rs, &base[ti], &rs->terms[ti * nc + col], col);
                bool known = term_value(&rs->terms[ti * nc + col], base[ti].group, &v);
                side_add(&rs->sidev[s * nc + col], known, v, 1);
            }
        }
    free(fill);
    for (size_t k = 0; k < d->nchecks; k++)
        for (size_t col = 0; col < nc; col++)
            rs->nbroken += pair_broken(rs, k, col);
    return true;
}

static void record(resolver *rs, size_t nbroken)
{
    if (nbroken < rs->best) {
        rs->best = nbroken; /* a better combination: earlier agreement is void */
        rs->nsurv = 0;
        memset(rs->agree_init, 0, rs->alts->n * sizeof *rs->agree_init);
        memset(rs->fit, 0, rs->alts->n * sizeof *rs->fit);
    }
    rs->nsurv++;
    for (size_t a = 0; a < rs->alts->n; a++) {
        const rc_alt *al = &rs->alts->v[a];
        uint64_t bit = 1ull << rs->choice[a];
        if (!rs->plain && (rs->fit[a] & bit))
            continue; /* this reading was compared since the last reset: again changes nothing */
        rs->fit[a] |= bit;
        for (size_t j = 0; j < al->k; j++) {
            int64_t v = al->sols[rs->choice[a]][j];
            if (!rs->agree_init[a]) {
                rs->agree[a][j] = v;
                rs->agree_ok[a][j] = true;
            } else if (rs->agree[a][j] != v)
                rs->agree_ok[a][j] = false;
        }
        rs->agree_init[a] = true;
    }
}

static void search(resolver *rs, size_t a)
{
    if (--rs->budget < 0)
        return;
    if (a == rs->alts->n) {
        record(rs, current_broken(rs));
        return;
    }
    for (size_t s = 0; s < rs->alts->v[a].nsol && rs->budget >= 0; s++) {
        choose(rs, a, s);
        if (current_broken(rs) <= rs->best)
            search(rs, a + 1);
    }
    choose(rs, a, (size_t)-1);
}

static void apply(resolver *rs)
{
    for (size_t a = 0; a < rs->alts->n; a++) {
        rc_alt *al = &rs->alts->v[a];
        al->fit = rs->fit[a]; /* what later evidence may still choose from */
        for (size_t j = 0; j < al->k; j++) {
            nb_cell *c = &rs->t->cells[al->fields[j]];
            if (rs->agree_ok[a][j])
                nb_cell_set(rs->r, c, NB_CELL_INFERRED, nb_num_int(rs->agree[a][j]), al->tok ? al->tok->raw : NULL,
                            al->tok ? al->tok->lineno : 0, al->tok ? al->tok->cell : -1);
        }
    }
}

/* Which alt decides each field, and the value field of each cell. */
static void index_fields(resolver *rs)
{
    const nb_table_def *d = rs->t->def;
    for (size_t i = 0; i < d->nrows * d->ncols; i++)
        rs->at[i] = -1;
    for (size_t f = 0; f < d->nfields; f++)
        if (d->fields[f].type != NB_TYPE_UNIT && rs->at[d->fields[f].row * d->ncols + d->fields[f].col] < 0)
            rs->at[d->fields[f].row * d->ncols + d->fields[f].col] = (long)f;
    for (size_t f = 0; f < d->nfields; f++)
        rs->owner[f] = -1;
    for (size_t a = 0; a < rs->alts->n; a++) {
        rs->choice[a] = (size_t)-1;
        for (size_t j = 0; j < rs->alts->v[a].k; j++) {
            rs->owner[rs->alts->v[a].fields[j]] = (long)a;
            rs->slot[rs->alts->v[a].fields[j]] = j;
        }
    }
}

static void resolver_free(resolver *rs)
{
    free(rs->choice);
    free(rs->owner);
    free(rs->at);
    free(rs->slot);
    free(rs->agree_init);
    free(rs->agree);
    free(rs->agree_ok);
    free(rs->fit);
    free(rs->sides);
    free(rs->term_side);
    free(rs->term_group);
    free(rs->terms);
    free(rs->sidev);
    free(rs->use_first);
    free(rs->uses);
}

long rc_resolve_columns_nodes(nb_report *r, nb_table *t, rc_alts *alts, bool plain, long budget)
{
    const nb_table_def *d = t->def;
    for (size_t a = 0; a < alts->n; a++)
        alts->v[a].fit = 0; /* every reading counts unless the search completes */
    if (!d->nchecks || !alts->n)
        return 0;
    resolver rs = {.r = r, .t = t, .alts = alts, .budget = budget, .best = (size_t)-1, .plain = plain};
    rs.choice = malloc(alts->n * sizeof *rs.choice);
    rs.owner = malloc(d->nfields * sizeof *rs.owner);
    rs.at = malloc((d->nrows * d->ncols + 1) * sizeof *rs.at);
    rs.slot = calloc(d->nfields, sizeof *rs.slot);
    rs.agree_init = calloc(alts->n, sizeof *rs.agree_init);
    rs.agree = calloc(alts->n, sizeof *rs.agree);
    rs.agree_ok = calloc(alts->n, sizeof *rs.agree_ok);
    rs.fit = calloc(alts->n, sizeof *rs.fit);
    rs.sides = build_sides(d);
    long nodes = 0;
    if (rs.choice && rs.owner && rs.at && rs.slot && rs.agree_init && rs.agree && rs.agree_ok && rs.fit && rs.sides) {
        index_fields(&rs);
        if (plain || tally_init(&rs)) {
            search(&rs, 0);
            nodes = budget - rs.budget;
            if (rs.nsurv && rs.budget >= 0)
                apply(&rs);
        }
    }
    resolver_free(&rs);
    return nodes;
}

void rc_resolve_columns(nb_report *r, nb_table *t, rc_alts *alts)
{
    rc_resolve_columns_nodes(r, t, alts, false, NODE_BUDGET);
}

/* Lost total cells --------------------------------------------------------- */

/* The fields of row [*first, *end): the whole list without spans. */
static void row_range(const nb_table_def *d, const rc_row_span *spans, size_t row, size_t *first, size_t *end)
{
    *first = spans ? spans[row].first : 0;
    *end = spans ? spans[row].end : d->nfields;
}

/* Does the row's plan list all its value cells (rc_row_plan stops at
 * RC_MAX_COLS)? */
static bool whole_plan(const rc_row_span *spans, size_t row)
{
    return spans && spans[row].planned && spans[row].k < RC_MAX_COLS;
}

/* The value field of (row, col); -1 none.  A template gives each row one
 * value field per column, so the plan's total is that field. */
static long value_field(const nb_table_def *d, const rc_row_span *spans, size_t row, size_t col)
{
    if (whole_plan(spans, row) && spans[row].total_col >= 0 && (size_t)spans[row].total_col == col)
        return spans[row].total >= 0 ? (long)spans[row].fields[spans[row].total] : -1;
    size_t a, b;
    row_range(d, spans, row, &a, &b);
    for (size_t f = a; f < b; f++)
        if (d->fields[f].row == row && d->fields[f].col == col && d->fields[f].type != NB_TYPE_UNIT)
            return (long)f;
    return -1;
}

/* Σ of the row's known cells other than the total; false when none is known. */
static bool parts_sum(const nb_table *t, const rc_row_span *spans, size_t row, size_t total_col, int64_t *sum)
{
    const nb_table_def *d = t->def;
    bool any = false;
    size_t a, b;
    row_range(d, spans, row, &a, &b);
    *sum = 0;
    for (size_t f = a; f < b; f++) {
        const nb_cell *c = &t->cells[f];
        if (d->fields[f].row != row || d->fields[f].col == total_col || d->fields[f].type == NB_TYPE_UNIT ||
            !c->has_value || c->status == NB_CELL_DERIVED)
            continue;
        *sum += c->num.v;
        any = true;
    }
    return any;
}

/* A 总计 cell left empty in a row whose parts are not all 0 is either the
 * report's blank (a column the report leaves blank in every row) or a cell the
 * conversion lost.  When such rows are the few among rows that print their
 * totals, the blank is not evidence of an error: the cell stays null and
 * flagged, so the relations through it are not checked. */
void rc_lost_totals(nb_report *r, nb_table *t, const rc_row_span *spans)
{
    const nb_table_def *d = t->def;
    if (!d->row_total || d->layout != NB_LAYOUT_ROWS)
        return;
    size_t col = d->ncols, printed = 0, lost = 0;
    if (spans && d->nrows) /* the plan found the total's column once per grammar */
        col = spans[0].total_col >= 0 ? (size_t)spans[0].total_col : d->ncols;
    else
        for (size_t c = 0; c < d->ncols; c++)
            if (strcmp(d->cols[c].key, d->row_total) == 0)
                col = c;
    long room[64]; /* the blank totals' fields (at most one per row): on the stack while they fit */
    long *blank = d->nrows <= 64 ? room : calloc(d->nrows, sizeof *blank);
    for (size_t row = 0; blank && col < d->ncols && row < d->nrows; row++) {
        long f = value_field(d, spans, row, col);
        int64_t sum;
        if (f < 0 || d->rows[row].derived)
            continue;
        const nb_cell *c = &t->cells[f];
        if (c->status == NB_CELL_OK && c->has_value && c->num.v != 0)
            printed++;
        else if (c->status == NB_CELL_BLANK && parts_sum(t, spans, row, col, &sum) && sum != 0)
            blank[lost++] = f;
    }
    for (size_t i = 0; blank && lost && lost * (size_t)d->match.lost_total_ratio <= printed && i < lost; i++) {
        nb_cell *c = &t->cells[blank[i]];
        c->status = NB_CELL_AMBIGUOUS; /* keeps its provenance: the empty cell */
        c->has_value = false;
        c->num = nb_num_int(0);
        const nb_field_def *fd = &d->fields[blank[i]];
        nb_report_add_diag(r, "PARSE-TOTAL-LOST", NB_SEV_WARNING, false, fd->path, NULL, NULL,
                           "%s: 总计栏为空而分项不为 0，其他行的总计均已填写：可能是转换时丢失的单元格，留空待核",
                           fd->label);
    }
    if (blank != room)
        free(blank);
}
