/* validate_cache.c - which fields of a table definition a key-path pattern
 * selects, remembered per (substituted pattern, definition).
 *
 * The answer depends only on the rule and the template, never on the
 * report, yet matching a pattern against every field's path is what the
 * validation stage spent most of its time on.  The cache belongs to the
 * ruleset; a mutex guards it so that worker threads (-j N) share one.
 * Only definitions of the ruleset's own templates are remembered: their
 * addresses are stable for the ruleset's life, any other definition is
 * matched afresh. */
#include "validate_int.h"
#include "util.h"
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define V_MAXVARIANTS 16

typedef struct v_entry {
    struct v_entry *next;
    uint64_t hash;
    const nb_table_def *d;
    size_t *idx;
    size_t n;
    char pat[]; /* the substituted pattern */
} v_entry;

struct v_cache {
    pthread_mutex_t lock;
    v_entry **slots;
    size_t nslots, n;
};

v_cache *v_cache_new(void)
{
    v_cache *c = calloc(1, sizeof *c);
    if (!c)
        return NULL;
    c->nslots = 256;
    c->slots = calloc(c->nslots, sizeof *c->slots);
    if (!c->slots || pthread_mutex_init(&c->lock, NULL) != 0) {
        free(c->slots);
        free(c);
        return NULL;
    }
    return c;
}

void v_cache_free(v_cache *c)
{
    if (!c)
        return;
    for (size_t i = 0; i < c->nslots; i++)
        for (v_entry *e = c->slots[i], *nx; e; e = nx) {
            nx = e->next;
            free(e->idx);
            free(e);
        }
    free(c->slots);
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
static bool own_def(const nb_ruleset *rs, const nb_table_def *d)
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

/* The indices of d's fields that pattern p selects (caller frees). */
static size_t *match_all(const char *p, const nb_table_def *d, size_t *n)
{
    collect c = {malloc((d->nfields ? d->nfields : 1) * sizeof *c.idx), 0};
    if (c.idx)
        v_for_each_match(p, d, add_index, &c); /* the pattern taken apart once, not per field */
    *n = c.n;
    return c.idx;
}

static void grow(v_cache *c)
{
    size_t ns = c->nslots * 2;
    v_entry **slots = calloc(ns, sizeof *slots);
    if (!slots)
        return; /* longer chains, still correct */
    for (size_t i = 0; i < c->nslots; i++)
        for (v_entry *e = c->slots[i], *nx; e; e = nx) {
            nx = e->next;
            e->next = slots[e->hash & (ns - 1)];
            slots[e->hash & (ns - 1)] = e;
        }
    free(c->slots);
    c->slots = slots;
    c->nslots = ns;
}

/* Looks up or computes the entry; NULL when out of memory or when d is
 * not one of the ruleset's definitions.  A hit needs no such check: only
 * own definitions are stored, and they live as long as the cache. */
static const v_entry *entry_for(const nb_ruleset *rs, v_cache *c, const char *p, const nb_table_def *d)
{
    uint64_t h = hash_of(p, d);
    pthread_mutex_lock(&c->lock);
    v_entry *e = c->slots[h & (c->nslots - 1)];
    while (e && !(e->hash == h && e->d == d && strcmp(e->pat, p) == 0))
        e = e->next;
    if (!e && own_def(rs, d)) {
        size_t len = strlen(p);
        e = malloc(sizeof *e + len + 1);
        if (e && !(e->idx = match_all(p, d, &e->n))) {
            free(e);
            e = NULL;
        }
        if (e) {
            memcpy(e->pat, p, len + 1);
            e->hash = h;
            e->d = d;
            e->next = c->slots[h & (c->nslots - 1)];
            c->slots[h & (c->nslots - 1)] = e;
            if (++c->n > c->nslots)
                grow(c);
        }
    }
    pthread_mutex_unlock(&c->lock);
    return e; /* entries are never changed or freed before the cache */
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
