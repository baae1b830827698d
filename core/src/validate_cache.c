/* validate_cache.c - which fields of a table definition a key-path pattern
 * selects, remembered per (substituted pattern, definition).
 *
 * The answer depends only on the rule and the template, never on the
 * report, yet matching a pattern against every field's path is what the
 * validation stage spent most of its time on.  The cache belongs to the
 * ruleset and worker threads (-j N) share it: a lookup that finds its
 * entry takes no lock (entries are immutable once published), only a miss
 * takes the mutex to compute and insert.
 * Only definitions of the ruleset's own templates are remembered: their
 * addresses are stable for the ruleset's life, any other definition is
 * matched afresh. */
#include "validate_int.h"
#include "util.h"
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define V_MAXVARIANTS 16

typedef struct v_entry {
    uint64_t hash;
    const nb_table_def *d;
    size_t *idx;
    size_t n;
    char pat[]; /* the substituted pattern */
} v_entry;

/* Open addressing; a slot, once filled, never changes. */
typedef struct v_table {
    struct v_table *retired; /* older tables, freed with the cache */
    size_t nslots;           /* a power of two, at least twice the entries */
    _Atomic(const v_entry *) slots[];
} v_table;

struct v_cache {
    pthread_mutex_t lock;    /* taken by a miss only: lookups read without it */
    _Atomic(v_table *) table;
    size_t n;
};

static v_table *table_new(size_t nslots)
{
    v_table *t = calloc(1, sizeof *t + nslots * sizeof t->slots[0]);
    if (t) {
        t->nslots = nslots;
        for (size_t i = 0; i < nslots; i++)
            atomic_init(&t->slots[i], NULL);
    }
    return t;
}

v_cache *v_cache_new(void)
{
    v_cache *c = calloc(1, sizeof *c);
    v_table *t = table_new(512);
    if (!c || !t || pthread_mutex_init(&c->lock, NULL) != 0) {
        free(t);
        free(c);
        return NULL;
    }
    atomic_init(&c->table, t);
    return c;
}

void v_cache_free(v_cache *c)
{
    if (!c)
        return;
    v_table *t = atomic_load_explicit(&c->table, memory_order_relaxed);
    for (size_t i = 0; t && i < t->nslots; i++) {
        const v_entry *e = atomic_load_explicit(&t->slots[i], memory_order_relaxed);
        if (e) {
            free(e->idx);
            free((void *)e);
        }
    }
    while (t) {
        v_table *older = t->retired;
        free(t);
        t = older;
    }
    pthread_mutex_destroy(&c->lock);
    free(c);
}

static uint64_t hash_of(const char *s, const nb_table_def *d)
{
    uint64_t h = 1469598103934665603ull ^ (uint64_t)(uintptr_t)d;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ull;
    return h;
}

/* True when d is one of the ruleset's template definitions. */
bool v_own_def(const nb_ruleset *rs, const nb_table_def *d)
{
    const nb_table_def *defs[V_MAXVARIANTS];
    size_t n = rs->t ? nb_templates_variants(rs->t, d->name, defs, V_MAXVARIANTS) : 0;
    for (size_t i = 0; i < n; i++)
        if (defs[i] == d)
            return true;
    return false;
}

typedef struct collect {
    size_t *idx;
    size_t n;
} collect;

static void add_index(void *ctx, const nb_field_def *f, size_t i)
{
    (void)f;
    collect *c = ctx;
    c->idx[c->n++] = i;
}

/* The indices of d's fields that pattern p selects (caller frees).  The
 * answer is kept at its own size: most patterns select one field, and a
 * block per entry sized for the whole table spread the first report's
 * cache over a hundred fresh heap pages (7-19 us each in a VM). */
size_t *v_match_indices(const char *p, const nb_table_def *d, size_t *n)
{
    collect c = {malloc((d->nfields ? d->nfields : 1) * sizeof *c.idx), 0};
    if (!c.idx)
        return NULL;
    v_for_each_match(p, d, add_index, &c); /* the pattern taken apart once, not per field */
    size_t *idx = malloc((c.n ? c.n : 1) * sizeof *idx);
    if (idx)
        memcpy(idx, c.idx, c.n * sizeof *idx);
    free(c.idx);
    *n = c.n;
    return idx;
}

/* The entry for (p, d) in t, or NULL; safe while another thread inserts
 * (acquire pairs with the inserter's release: the entry is whole). */
static const v_entry *find(const v_table *t, uint64_t h, const char *p, const nb_table_def *d)
{
    for (size_t i = h & (t->nslots - 1);; i = (i + 1) & (t->nslots - 1)) {
        const v_entry *e = atomic_load_explicit(&t->slots[i], memory_order_acquire);
        if (!e || (e->hash == h && e->d == d && strcmp(e->pat, p) == 0))
            return e;
    }
}

static void put(v_table *t, const v_entry *e)
{
    size_t i = e->hash & (t->nslots - 1);
    while (atomic_load_explicit(&t->slots[i], memory_order_relaxed))
        i = (i + 1) & (t->nslots - 1);
    atomic_store_explicit(&t->slots[i], e, memory_order_release);
}

/* A table twice as large with the same entries replaces the current one;
 * the old one stays allocated, as a lookup may still be reading it. */
static v_table *grow(v_cache *c, v_table *t)
{
    v_table *big = table_new(t->nslots * 2);
    if (!big)
        return NULL;
    for (size_t i = 0; i < t->nslots; i++) {
        const v_entry *e = atomic_load_explicit(&t->slots[i], memory_order_relaxed);
        if (e)
            put(big, e);
    }
    big->retired = t;
    atomic_store_explicit(&c->table, big, memory_order_release);
    return big;
}

static v_entry *entry_new(const char *p, const nb_table_def *d, uint64_t h)
{
    size_t len = strlen(p);
    v_entry *e = malloc(sizeof *e + len + 1);
    if (e && !(e->idx = v_match_indices(p, d, &e->n))) {
        free(e);
        return NULL;
    }
    if (e) {
        memcpy(e->pat, p, len + 1);
        e->hash = h;
        e->d = d;
    }
    return e;
}

/* Looks up or computes the entry; NULL when out of memory or when d is
 * not one of the ruleset's definitions.  A hit needs neither the lock nor
 * that check: only own definitions are stored, and they live as long as
 * the cache; entries are never changed or freed before it. */
static const v_entry *entry_for(const nb_ruleset *rs, v_cache *c, const char *p, const nb_table_def *d)
{
    uint64_t h = hash_of(p, d);
    const v_entry *e = find(atomic_load_explicit(&c->table, memory_order_acquire), h, p, d);
    if (e)
        return e;
    pthread_mutex_lock(&c->lock);
    v_table *t = atomic_load_explicit(&c->table, memory_order_relaxed);
    if (!(e = find(t, h, p, d)) && v_own_def(rs, d)) {
        v_entry *ne = entry_new(p, d, h);
        if (ne && 2 * (c->n + 1) > t->nslots && !(t = grow(c, t))) {
            free(ne->idx); /* no room: matched afresh, as for a foreign definition */
            free(ne);
            ne = NULL;
        }
        if (ne) {
            put(t, ne);
            c->n++;
        }
        e = ne;
    }
    pthread_mutex_unlock(&c->lock);
    return e;
}

void v_each_field(const nb_ruleset *rs, const char *p, const nb_table_def *d,
                  void (*fn)(void *ctx, const nb_field_def *f, size_t i), void *ctx)
{
    const v_entry *e = rs->cache ? entry_for(rs, rs->cache, p, d) : NULL;
    if (!e) {
        v_for_each_match(p, d, fn, ctx);
        return;
    }
    for (size_t k = 0; k < e->n; k++)
        fn(ctx, &d->fields[e->idx[k]], e->idx[k]);
}
