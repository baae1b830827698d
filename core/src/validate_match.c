/* validate_match.c - the leftmost-longest match of a rule's regex, run on
 * the position automaton of validate_match_build.c.
 *
 * From each byte that may begin a match, in order, the set of live
 * positions advances one byte at a time (a shift, the further follow sets
 * of the live positions, then the byte's class) until it dies; the first start whose run
 * reaches a final position wins, with the furthest end that run reached.
 * Runs from starts that fail die within a few bytes on the rules' text,
 * so the cost is a few passes over the sentence; past a budget the search
 * gives up and regexec (linear) answers instead. */
#include "validate_match.h"
#include <string.h>

/* The search over the first nw words of the sets only: a pattern of at
 * most 64 positions (most rules) leaves the second word empty in every
 * set, so it need not be shifted, masked or tested.  nw is a constant in
 * each of the two copies below. */
static inline bool any_n(const vm_set *a, int nw)
{
    uint64_t x = 0;
    for (int k = 0; k < nw; k++)
        x |= a->w[k];
    return x != 0;
}

static inline bool meets_n(const vm_set *a, const vm_set *b, int nw)
{
    uint64_t x = 0;
    for (int k = 0; k < nw; k++)
        x |= a->w[k] & b->w[k];
    return x != 0;
}

/* The live positions after one more byte c: those that may follow d
 * (the next position, then the grouped follow sets), in c's class. */
static inline void advance_n(const v_matcher *m, vm_set *d, unsigned char c, int nw)
{
    vm_set f;
    uint64_t carry = 0;
    for (int k = 0; k < nw; k++) {
        uint64_t x = d->w[k] & m->shift.w[k];
        f.w[k] = x << 1 | carry;
        carry = x >> 63;
    }
    vm_follow_extra(m, d, &f, nw);
    const vm_set *on = &m->on[m->cls[c]];
    for (int k = 0; k < nw; k++)
        d->w[k] = f.w[k] & on->w[k];
}

/* The end of the longest match starting at s[0] (0: none); *steps counts
 * the bytes read. */
static inline size_t longest_from_n(const v_matcher *m, const unsigned char *s, size_t *steps, int nw)
{
    vm_set d;
    const vm_set *on = &m->on[m->cls[s[0]]];
    for (int k = 0; k < nw; k++)
        d.w[k] = m->first.w[k] & on->w[k];
    size_t end = meets_n(&d, &m->last, nw) ? 1 : 0, q = 1;
    while (s[q] && any_n(&d, nw)) {
        advance_n(m, &d, s[q++], nw);
        if (meets_n(&d, &m->last, nw))
            end = q;
    }
    *steps += q;
    return end;
}

static size_t longest_from_1(const v_matcher *m, const unsigned char *s, size_t *steps)
{
    return longest_from_n(m, s, steps, 1);
}

static size_t longest_from_w(const v_matcher *m, const unsigned char *s, size_t *steps)
{
    return longest_from_n(m, s, steps, VM_WORDS);
}

int vm_words(const v_matcher *m)
{
    uint64_t x = 0; /* a position past 64 is in some byte class's set */
    for (size_t c = 0; c < m->nclass; c++)
        for (int k = 1; k < VM_WORDS; k++)
            x |= m->on[c].w[k];
    return x == 0 ? 1 : VM_WORDS;
}

int v_matcher_find(const v_matcher *m, const char *s, size_t *so, size_t *eo)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t (*longest)(const v_matcher *, const unsigned char *, size_t *) =
        m->nw == 1 ? longest_from_1 : longest_from_w;
    size_t steps = 0, budget = 0; /* 8 * strlen(s) + 512 */
    for (size_t p = 0; u[p]; p++) {
        if (m->start_ascii[0] && !u[p += strcspn(s + p, m->start_ascii)])
            break; /* a few ASCII start bytes (the digits): found sixteen bytes a step */
        unsigned r = m->start_row[u[p]], c = u[p + 1]; /* u[p] is no NUL: u[p + 1] is there */
        if (!r || !(m->second[r - 1].w[c / 64] >> (c % 64) & 1))
            continue;
        size_t end = m->dfa ? vm_dfa_longest(m, u + p, &steps) : VM_DFA_NONE;
        if (end == VM_DFA_NONE)
            end = longest(m, u + p, &steps);
        if (end) {
            *so = p;
            *eo = p + end;
            return VM_FOUND;
        }
        if (steps > 512) { /* the budget is at least that: most searches never measure s */
            if (!budget)
                budget = 8 * (p + strlen(s + p)) + 512;
            if (steps > budget)
                return VM_GAVE_UP;
        }
    }
    return VM_NONE;
}
