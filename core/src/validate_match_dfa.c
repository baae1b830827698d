/* validate_match_dfa.c - the position automaton's runs, cached as a DFA.
 *
 * A run of validate_match.c advances a set of live positions one byte at
 * a time: a shift, the further follow sets of the live positions, a mask;
 * about 35 instructions a byte through a two-word gap ([^0-9]{0,30}).  The
 * sets a run meets on the rules' text are few, so each becomes a state
 * the first time it is met, and each (state, byte class) its successor the
 * first time that step is taken: a step is then one load.  States are
 * made on demand, not at load, so a pattern only ever searched on a few
 * sentences costs a few states.  Workers share the matcher: a missing
 * step is made under the DFA's lock and published with a release store;
 * a state never moves.  Past VM_DFA_CAP states the run is left to the
 * automaton itself (the same answer, found the slower way). */
#include "validate_match.h"
#include "util.h"
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#define VM_DFA_CAP 512     /* states; a hostile pattern may have far more */
#define VM_DFA_SLOTS 1024  /* the set index: twice the states, open addressing */

/* A state: its successors by byte class, each made when first asked.  A
 * reader reaches a state only through a successor loaded with acquire, so
 * it sees the state whole; set and the index are the writers' alone. */
typedef struct vm_state {
    bool accept;             /* a match may end after the bytes that led here */
    vm_set set;              /* its live positions */
    struct vm_state *next[]; /* per byte class, NULL: not made yet */
} vm_state;

struct vm_dfa {
    pthread_mutex_t mu;
    vm_state *start;         /* before any byte: its successors are the first step's sets */
    vm_state *dead;          /* the empty set: every run ends there */
    size_t n, cap;           /* states made (start not counted) */
    vm_state **state;        /* they, grown as made (the writers' alone: readers hold states) */
    uint16_t slot[VM_DFA_SLOTS]; /* state index + 1 by the hash of its set */
};

static unsigned set_slot(const vm_set *s)
{
    uint64_t h = 0;
    for (int k = 0; k < VM_WORDS; k++)
        h = (h ^ s->w[k]) * 0x9E3779B97F4A7C15u;
    return (unsigned)(h >> 54); /* 0..1023 */
}

static vm_state *state_new(const v_matcher *m, const vm_set *s)
{
    vm_state *st = calloc(1, sizeof *st + m->nclass * sizeof st->next[0]);
    if (!st)
        return NULL;
    st->set = *s;
    for (int k = 0; k < VM_WORDS; k++)
        st->accept |= (s->w[k] & m->last.w[k]) != 0;
    return st;
}

/* The state of set s, made now when new; NULL when the table is full (or
 * memory ran out). */
static vm_state *state_of(struct vm_dfa *d, const v_matcher *m, const vm_set *s)
{
    unsigned h = set_slot(s);
    while (d->slot[h] && memcmp(&d->state[d->slot[h] - 1]->set, s, sizeof *s) != 0)
        h = (h + 1) & (VM_DFA_SLOTS - 1);
    if (d->slot[h])
        return d->state[d->slot[h] - 1];
    if (d->n >= VM_DFA_CAP || !nb_grow((void **)&d->state, &d->cap, d->n, sizeof *d->state) ||
        !(d->state[d->n] = state_new(m, s)))
        return NULL;
    d->slot[h] = (uint16_t)++d->n;
    return d->state[d->n - 1];
}

struct vm_dfa *vm_dfa_new(const v_matcher *m)
{
    struct vm_dfa *d = calloc(1, sizeof *d);
    if (!d)
        return NULL;
    static const vm_set none;
    d->start = state_new(m, &none);
    d->dead = state_of(d, m, &none);
    if (!d->start || !d->dead || pthread_mutex_init(&d->mu, NULL) != 0) {
        free(d->start);
        free(d->dead);
        free(d->state);
        free(d);
        return NULL;
    }
    return d;
}

void vm_dfa_free(struct vm_dfa *d)
{
    if (!d)
        return;
    pthread_mutex_destroy(&d->mu);
    for (size_t i = 0; i < d->n; i++)
        free(d->state[i]);
    free(d->state);
    free(d->start);
    free(d);
}

/* The successor of st on class c, made now (NULL: the table is full).
 * The same sets as validate_match.c's first step and advance_n. */
static vm_state *make_step(const v_matcher *m, struct vm_dfa *d, vm_state *st, unsigned c)
{
    pthread_mutex_lock(&d->mu);
    vm_state *t = __atomic_load_n(&st->next[c], __ATOMIC_RELAXED);
    if (!t) {
        vm_set f;
        if (st == d->start) {
            f = m->first;
        } else {
            uint64_t carry = 0;
            for (int k = 0; k < VM_WORDS; k++) {
                uint64_t x = st->set.w[k] & m->shift.w[k];
                f.w[k] = x << 1 | carry;
                carry = x >> 63;
            }
            vm_follow_extra(m, &st->set, &f, VM_WORDS);
        }
        for (int k = 0; k < VM_WORDS; k++)
            f.w[k] &= m->on[c].w[k];
        t = state_of(d, m, &f);
        if (t) /* it is whole before a reader can reach it */
            __atomic_store_n(&st->next[c], t, __ATOMIC_RELEASE);
    }
    pthread_mutex_unlock(&d->mu);
    return t;
}

static inline vm_state *step(const v_matcher *m, struct vm_dfa *d, vm_state *st, unsigned c)
{
    vm_state *t = __atomic_load_n(&st->next[c], __ATOMIC_ACQUIRE);
    return t ? t : make_step(m, d, st, c);
}

size_t vm_dfa_longest(const v_matcher *m, const unsigned char *s, size_t *steps)
{
    struct vm_dfa *d = m->dfa;
    vm_state *st = step(m, d, d->start, m->cls[s[0]]);
    if (!st)
        return VM_DFA_NONE;
    size_t end = st->accept ? 1 : 0, q = 1;
    while (s[q] && st != d->dead) {
        if (!(st = step(m, d, st, m->cls[s[q++]])))
            return VM_DFA_NONE;
        if (st->accept)
            end = q;
    }
    *steps += q;
    return end;
}
