/* recognise_order.c - a single-row table whose values did not come out in
 * column order.
 *
 * A PDF's reading order can list table 3 group by group in any order, or
 * the parts of one group before the totals of another (one value per line,
 * no row structure left).  When the values as printed break the group
 * totals, this proposes the other readings of the same sequence: every way
 * to cut it into order-keeping subsequences, one per group, each keeping
 * its total, and every way to give those subsequences to the groups.  The
 * caller keeps what all readings agree on; the rest stays ambiguous, since
 * a total the text can satisfy must not be reported as the report's error.
 *
 * When the values came in chunks (runs between header words), the chunks
 * are the units instead: rc_chunk_orders. */
#include "recognise_internal.h"
#include <stdlib.h>
#include <string.h>

#define MAX_GROUPS 4
#define NODE_BUDGET 1000000
#define CHUNK_BUDGET 100000 /* each node compares chunks: a smaller bound */

typedef struct order_ctx {
    const int64_t *v;
    size_t n, group, ngroups, total;
    size_t members[MAX_GROUPS][RC_MAX_COLS];  /* value indexes per subsequence */
    size_t fill[MAX_GROUPS];
    size_t opened;
    int64_t (*sols)[RC_MAX_COLS];
    size_t nsol, max;
    bool overflow;
    long budget;
} order_ctx;

static bool group_holds(const order_ctx *o, size_t g)
{
    int64_t sum = 0;
    for (size_t i = 0; i < o->group; i++)
        if (i != o->total)
            sum += o->v[o->members[g][i]];
    return sum == o->v[o->members[g][o->total]];
}

/* Emits the cut under every order of the groups (groups are told apart
 * only by their place, which the reading order lost). */
static void emit(order_ctx *o)
{
    size_t perm[MAX_GROUPS], g = o->ngroups;
    for (size_t i = 0; i < g; i++)
        perm[i] = i;
    for (;;) {
        if (o->nsol == o->max) {
            o->overflow = true;
            return;
        }
        int64_t *s = o->sols[o->nsol++];
        for (size_t i = 0; i < g; i++)
            for (size_t j = 0; j < o->group; j++)
                s[i * o->group + j] = o->v[o->members[perm[i]][j]];
        /* next permutation */
        size_t i = g - 1;
        while (i > 0 && perm[i - 1] >= perm[i])
            i--;
        if (i == 0)
            return;
        size_t j = g - 1;
        while (perm[j] <= perm[i - 1])
            j--;
        size_t t = perm[i - 1];
        perm[i - 1] = perm[j];
        perm[j] = t;
        for (size_t a = i, b = g - 1; a < b; a++, b--) {
            t = perm[a];
            perm[a] = perm[b];
            perm[b] = t;
        }
    }
}

static void cut(order_ctx *o, size_t i)
{
    if (o->overflow || --o->budget < 0)
        return;
    if (i == o->n) {
        emit(o);
        return;
    }
    /* value i joins an open subsequence with room, or opens the next one
     * (opening in order removes the mirror images of the same cut) */
    size_t limit = o->opened < o->ngroups ? o->opened + 1 : o->ngroups;
    for (size_t g = 0; g < limit; g++) {
        if (o->fill[g] == o->group)
            continue;
        bool opens = g == o->opened;
        o->members[g][o->fill[g]++] = i;
        o->opened += opens;
        if (o->fill[g] < o->group || group_holds(o, g))
            cut(o, i + 1);
        o->opened -= opens;
        o->fill[g]--;
    }
}

size_t rc_group_orders(const int64_t *vals, size_t n, size_t group, size_t total, int64_t (*sols)[RC_MAX_COLS],
                       size_t max, bool *overflow)
{
    order_ctx o = {.v = vals, .n = n, .group = group, .total = total, .sols = sols, .max = max,
                   .budget = NODE_BUDGET};
    *overflow = false;
    if (!group || n % group || n / group > MAX_GROUPS || n / group < 2 || total >= group || n > RC_MAX_COLS)
        return 0;
    o.ngroups = n / group;
    cut(&o, 0);
    *overflow = o.overflow || o.budget < 0;
    return o.nsol;
}

/* Chunks ---------------------------------------------------------------------
 *
 * A PDF read without layout (one cell per line) prints a table's values in
 * chunks: runs of values between the header words, each run in column
 * order, the runs themselves in any order.  The first run is read first,
 * at the table's first cell; the others may fill any consecutive cells. */

typedef struct chunk_ctx {
    const int64_t *v;
    const size_t *len;     /* values per chunk, in reading order */
    size_t start[RC_MAX_COLS]; /* index of each chunk's first value */
    long twin[RC_MAX_COLS];    /* the last earlier chunk with the same values, -1 none */
    size_t nchunks, n, group, total;
    bool used[RC_MAX_COLS];
    int64_t cells[RC_MAX_COLS];
    int64_t (*sols)[RC_MAX_COLS];
    size_t nsol, max;
    bool overflow;
    long budget;
} chunk_ctx;

/* Do the groups completed by filling cells [from, to) keep their totals? */
static bool chunk_groups_hold(const chunk_ctx *c, size_t from, size_t to)
{
    for (size_t g = from / c->group; (g + 1) * c->group <= to; g++) {
        int64_t sum = 0;
        for (size_t i = 0; i < c->group; i++)
            if (i != c->total)
                sum += c->cells[g * c->group + i];
        if (sum != c->cells[g * c->group + c->total])
            return false;
    }
    return true;
}

static bool same_chunk(const chunk_ctx *c, size_t a, size_t b)
{
    return c->len[a] == c->len[b] &&
           memcmp(c->v + c->start[a], c->v + c->start[b], c->len[a] * sizeof *c->v) == 0;
}

/* Two chunks with the same values give the same readings: twins are used
 * in reading order, so a chunk waits while its earlier twin is unused. */
static void find_twins(chunk_ctx *c)
{
    for (size_t k = 0; k < c->nchunks; k++) {
        c->twin[k] = -1;
        for (size_t j = k; j-- > 1 && c->twin[k] < 0;)
            if (same_chunk(c, j, k))
                c->twin[k] = (long)j;
    }
}

static void place_chunks(chunk_ctx *c, size_t pos)
{
    if (c->overflow || --c->budget < 0)
        return;
    if (pos == c->n) {
        if (c->nsol == c->max) {
            c->overflow = true;
            return;
        }
        memcpy(c->sols[c->nsol++], c->cells, c->n * sizeof *c->cells);
        return;
    }
    for (size_t k = pos == 0 ? 0 : 1; k < (pos == 0 ? 1 : c->nchunks); k++) {
        if (c->used[k] || (c->twin[k] >= 0 && !c->used[c->twin[k]]))
            continue;
        memcpy(c->cells + pos, c->v + c->start[k], c->len[k] * sizeof *c->v);
        if (!chunk_groups_hold(c, pos, pos + c->len[k]))
            continue;
        c->used[k] = true;
        place_chunks(c, pos + c->len[k]);
        c->used[k] = false;
    }
}

size_t rc_chunk_orders(const int64_t *vals, const size_t *chunk_len, size_t nchunks, size_t group, size_t total,
                       int64_t (*sols)[RC_MAX_COLS], size_t max, bool *overflow)
{
    chunk_ctx c = {.v = vals, .len = chunk_len, .nchunks = nchunks, .group = group, .total = total,
                   .sols = sols, .max = max, .budget = CHUNK_BUDGET};
    *overflow = false;
    if (!group || total >= group || !nchunks || nchunks > RC_MAX_COLS)
        return 0;
    for (size_t k = 0; k < nchunks; k++) {
        c.start[k] = c.n;
        c.n += chunk_len[k];
        if (!chunk_len[k] || c.n > RC_MAX_COLS)
            return 0;
    }
    if (c.n % group)
        return 0;
    find_twins(&c);
    place_chunks(&c, 0);
    *overflow = c.overflow || c.budget < 0;
    return c.nsol;
}
