/* validate_match.c - the leftmost-longest match of a rule's regex, run on
 * the position automaton of validate_match_build.c.
 *
 * From each byte that may begin a match, in order, the set of live
 * positions advances one byte at a time (a shift and a few grouped follow
 * sets, then the byte's class) until it dies; the first start whose run
 * reaches a final position wins, with the furthest end that run reached.
 * Runs from starts that fail die within a few bytes on the rules' text,
 * so the cost is a few passes over the sentence; past a budget the search
 * gives up and regexec (linear) answers instead. */
#include "validate_match.h"
#include <string.h>

static bool any(const vm_set *a)
{
    uint64_t x = 0;
    for (int k = 0; k < VM_WORDS; k++)
        x |= a->w[k];
    return x != 0;
}

static bool meets(const vm_set *a, const vm_set *b)
{
    uint64_t x = 0;
    for (int k = 0; k < VM_WORDS; k++)
        x |= a->w[k] & b->w[k];
    return x != 0;
}

void vm_follow(const v_matcher *m, const vm_set *d, vm_set *f)
{
    uint64_t carry = 0;
    for (int k = 0; k < VM_WORDS; k++) {
        uint64_t x = d->w[k] & m->shift.w[k];
        f->w[k] = x << 1 | carry;
        carry = x >> 63;
    }
    for (size_t j = 0; j < m->nextra; j++)
        if (meets(d, &m->extra_from[j]))
            for (int k = 0; k < VM_WORDS; k++)
                f->w[k] |= m->extra_to[j].w[k];
}

/* The live positions after one more byte c. */
static void advance(const v_matcher *m, vm_set *d, unsigned char c)
{
    vm_set f;
    vm_follow(m, d, &f);
    const vm_set *on = &m->on[m->cls[c]];
    for (int k = 0; k < VM_WORDS; k++)
        d->w[k] = f.w[k] & on->w[k];
}

/* The end of the longest match starting at s[0] (0: none); *steps counts
 * the bytes read. */
static size_t longest_from(const v_matcher *m, const unsigned char *s, size_t *steps)
{
    vm_set d;
    const vm_set *on = &m->on[m->cls[s[0]]];
    for (int k = 0; k < VM_WORDS; k++)
        d.w[k] = m->first.w[k] & on->w[k];
    size_t end = meets(&d, &m->last) ? 1 : 0, q = 1;
    while (s[q] && any(&d)) {
        advance(m, &d, s[q++]);
        if (meets(&d, &m->last))
            end = q;
    }
    *steps += q;
    return end;
}

int v_matcher_find(const v_matcher *m, const char *s, size_t *so, size_t *eo)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t steps = 0, budget = 0;
    for (size_t p = 0; u[p]; p++) {
        if (!m->starts[u[p]])
            continue;
        if (!budget) /* measured only when some byte may begin a match */
            budget = 8 * (p + strlen(s + p)) + 512;
        size_t end = longest_from(m, u + p, &steps);
        if (end) {
            *so = p;
            *eo = p + end;
            return VM_FOUND;
        }
        if (steps > budget)
            return VM_GAVE_UP;
    }
    return VM_NONE;
}
