/* validate_match_dfa.c - the position automaton's runs, cached as a DFA.
 *
 * A run of validate_match.c advances a set of live positions one byte at
 * a time: a shift, the further follow sets of the live positions, a mask;
 * about 35 instructions a byte through a two-word gap ([^0-9]{0,30}).  The
 * sets a run meets on the rules' text are few, so each becomes a state
 * the first time it is met, and each (state, byte class) its successor the
 * first time that step is taken: a step is then one table load.  States
 * are made on demand, not at load, so a pattern only ever searched on a
 * few sentences costs a few states.  Workers share the matcher: a missing
 * step is made under the DFA's lock and published with a release store;
 * the table is never moved.  Past VM_DFA_CAP states the run is left to the
 * automaton itself (the same answer, found the slower way). */
#include "validate_match.h"
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#define VM_DFA_CAP 512     /* states; a hostile pattern may have far more */
#define VM_DFA_DEAD 1      /* the state of the empty set: every run ends there */
#define VM_DFA_SLOTS 1024  /* the set index: twice the states, open addressing */

struct vm_dfa {
    pthread_mutex_t mu;
    size_t nclass;
    unsigned n;              /* states made, ids 1..n (under mu) */
    uint16_t *next;          /* [row * nclass + class]: the state after a byte of the class, 0 not
                              * made yet; row 0 is the start (no byte read), row id state id */
    bool *accept;            /* [id]: a match may end after the bytes that led here */
    vm_set *set;             /* [id]: its live positions (under mu) */
    uint16_t slot[VM_DFA_SLOTS]; /* id by the hash of its set (under mu) */
};

static unsigned set_slot(const vm_set *s)
{
    uint64_t h = 0;
    for (int k = 0; k < VM_WORDS; k++)
        h = (h ^ s->w[k]) * 0x9E3779B97F4A7C15u;
    return (unsigned)(h >> 54); /* 0..1023 */
}

/* The id of state s, made now when new; 0 when the table is full. */
static unsigned state_of(struct vm_dfa *d, const v_matcher *m, const vm_set *s)
{
    unsigned h = set_slot(s);
    while (d->slot[h] && memcmp(&d->set[d->slot[h]], s, sizeof *s) != 0)
        h = (h + 1) & (VM_DFA_SLOTS - 1);
    if (d->slot[h])
        return d->slot[h];
    if (d->n >= VM_DFA_CAP)
        return 0;
    unsigned id = ++d->n;
    d->set[id] = *s;
    bool fin = false;
    for (int k = 0; k < VM_WORDS; k++)
        fin |= (s->w[k] & m->last.w[k]) != 0;
    d->accept[id] = fin;
    d->slot[h] = (uint16_t)id;
    return id;
}

struct vm_dfa *vm_dfa_new(const v_matcher *m)
{
    struct vm_dfa *d = calloc(1, sizeof *d);
    if (!d)
        return NULL;
    d->nclass = m->nclass;
    d->next = calloc((VM_DFA_CAP + 1) * m->nclass, sizeof *d->next);
    d->accept = calloc(VM_DFA_CAP + 1, sizeof *d->accept);
    d->set = calloc(VM_DFA_CAP + 1, sizeof *d->set);
    static const vm_set none;
    if (!d->next || !d->accept || !d->set || pthread_mutex_init(&d->mu, NULL) != 0) {
        free(d->next);
        free(d->accept);
        free(d->set);
        free(d);
        return NULL;
    }
    state_of(d, m, &none); /* VM_DFA_DEAD */
    return d;
}

void vm_dfa_free(struct vm_dfa *d)
{
    if (!d)
        return;
    pthread_mutex_destroy(&d->mu);
    free(d->next);
    free(d->accept);
    free(d->set);
    free(d);
}

/* The step from row on class c, made now (0: the table is full).  The
 * same sets as validate_match.c's first step and advance_n. */
static unsigned make_step(const v_matcher *m, struct vm_dfa *d, unsigned row, unsigned c)
{
    pthread_mutex_lock(&d->mu);
    uint16_t *at = &d->next[row * d->nclass + c];
    unsigned t = __atomic_load_n(at, __ATOMIC_RELAXED);
    if (!t) {
        const vm_set *on = &m->on[c];
        vm_set f;
        if (row == 0) {
            f = m->first;
        } else {
            const vm_set *s = &d->set[row];
            uint64_t carry = 0;
            for (int k = 0; k < VM_WORDS; k++) {
                uint64_t x = s->w[k] & m->shift.w[k];
                f.w[k] = x << 1 | carry;
                carry = x >> 63;
            }
            vm_follow_extra(m, s, &f, VM_WORDS);
        }
        for (int k = 0; k < VM_WORDS; k++)
            f.w[k] &= on->w[k];
        t = state_of(d, m, &f);
        if (t) /* its state is whole before a reader can reach it */
            __atomic_store_n(at, (uint16_t)t, __ATOMIC_RELEASE);
    }
    pthread_mutex_unlock(&d->mu);
    return t;
}

static inline unsigned step(const v_matcher *m, struct vm_dfa *d, unsigned row, unsigned c)
{
    unsigned t = __atomic_load_n(&d->next[row * d->nclass + c], __ATOMIC_ACQUIRE);
    return t ? t : make_step(m, d, row, c);
}

size_t vm_dfa_longest(const v_matcher *m, const unsigned char *s, size_t *steps)
{
    struct vm_dfa *d = m->dfa;
    unsigned st = step(m, d, 0, m->cls[s[0]]);
    if (!st)
        return VM_DFA_NONE;
    size_t end = d->accept[st] ? 1 : 0, q = 1;
    while (s[q] && st != VM_DFA_DEAD) {
        if (!(st = step(m, d, st, m->cls[s[q++]])))
            return VM_DFA_NONE;
        if (d->accept[st])
            end = q;
    }
    *steps += q;
    return end;
}
