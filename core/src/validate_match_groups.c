/* validate_match_groups.c - capture groups of a match found by
 * validate_match.c, when the matched bytes leave them no choice.
 *
 * Over the span [so, eo) a forward pass keeps the positions reachable from
 * the start and a backward pass those that can still end at eo: what
 * remains at each byte lies on some accepting path.  A group that a path
 * enters at most once is unset when no such position is its own; when
 * every path uses it (a pass without its positions finds no match), it
 * starts at byte t when some path steps into its positions there and ends
 * where one steps out.  One possible start and one possible end: every
 * parse gives the group that span, so glibc's POSIX choice among parses
 * does too.  Anything else (or a group under a loop) is left to glibc. */
#include "validate_match.h"
#include <stdlib.h>
#include <string.h>

static bool meets(const vm_set *a, const vm_set *b)
{
    uint64_t x = 0;
    for (int k = 0; k < VM_WORDS; k++)
        x |= a->w[k] & b->w[k];
    return x != 0;
}

static vm_set and_set(const vm_set *a, const vm_set *b, bool invert_b)
{
    vm_set r;
    for (int k = 0; k < VM_WORDS; k++)
        r.w[k] = a->w[k] & (invert_b ? ~b->w[k] : b->w[k]);
    return r;
}

/* The positions some position of d may follow: vm_follow backwards. */
static void preceding(const v_matcher *m, const vm_set *d, vm_set *p)
{
    uint64_t carry = 0;
    for (int k = VM_WORDS - 1; k >= 0; k--) {
        uint64_t x = d->w[k];
        p->w[k] = (x >> 1 | carry) & m->shift.w[k];
        carry = x << 63;
    }
    for (size_t j = 0; j < m->nextra; j++)
        if (meets(d, &m->extra_to[j]))
            for (int k = 0; k < VM_WORDS; k++)
                p->w[k] |= m->extra_from[j].w[k];
}

/* live[i]: the positions at byte so+i on some path matching [so, eo). */
static void live_positions(const v_matcher *m, const unsigned char *s, size_t so, size_t eo,
                           vm_set *live)
{
    size_t n = eo - so;
    for (size_t i = 0; i < n; i++) {
        const vm_set *on = &m->on[m->cls[s[so + i]]];
        vm_set f = m->first;
        if (i > 0)
            vm_follow(m, &live[i - 1], &f);
        live[i] = and_set(&f, on, false);
    }
    live[n - 1] = and_set(&live[n - 1], &m->last, false);
    for (size_t i = n - 1; i-- > 0;) {
        vm_set p;
        preceding(m, &live[i + 1], &p);
        live[i] = and_set(&live[i], &p, false);
    }
}

/* Whether a path steps from a position of `from` at byte i-1 to one of
 * `to` at byte i. */
static bool steps(const v_matcher *m, const vm_set *from, const vm_set *to)
{
    vm_set f;
    vm_follow(m, from, &f);
    return meets(&f, to);
}

/* Whether some path matches [so, eo) without the positions of g. */
static bool path_without(const v_matcher *m, const unsigned char *s, size_t so, size_t eo,
                         const vm_set *g)
{
    vm_set d = and_set(&m->first, g, true);
    for (size_t i = so; i < eo; i++) {
        vm_set f = d;
        if (i > so)
            vm_follow(m, &d, &f);
        vm_set on = and_set(&m->on[m->cls[s[i]]], g, true);
        d = and_set(&f, &on, false);
        if (!meets(&d, &d))
            return false;
    }
    return meets(&d, &m->last);
}

static bool used(const vm_set *live, size_t n, const vm_set *g)
{
    for (size_t i = 0; i < n; i++)
        if (meets(&live[i], g))
            return true;
    return false;
}

/* The span of group g when forced: one place to enter, one to leave. */
static bool forced_span(const v_matcher *m, const vm_set *live, size_t n, const vm_set *g,
                        size_t *a, size_t *b)
{
    size_t starts = 0, ends = 0;
    for (size_t i = 0; i < n && starts < 2 && ends < 2; i++) {
        vm_set in = and_set(&live[i], g, false), out = and_set(&live[i], g, true);
        bool here = meets(&in, &in), away = meets(&out, &out);
        if (here && i == 0) {
            *a = 0;
            starts++;
        }
        if (i > 0) {
            vm_set out_prev = and_set(&live[i - 1], g, true), in_prev = and_set(&live[i - 1], g, false);
            /* a step in or out needs both sides; inside or outside, no follow set */
            if (here && meets(&out_prev, &out_prev) && steps(m, &out_prev, &in)) {
                *a = i;
                starts++;
            }
            if (away && meets(&in_prev, &in_prev) && steps(m, &in_prev, &out)) {
                *b = i;
                ends++;
            }
        }
        if (here && i == n - 1) {
            *b = n;
            ends++;
        }
    }
    return starts == 1 && ends == 1 && *a < *b;
}

static bool is_read(unsigned read, size_t g) { return g >= 32 || (read >> g & 1); }

bool v_matcher_groups(const v_matcher *m, const char *s, size_t so, size_t eo, size_t nm,
                      unsigned read, regmatch_t *out)
{
    size_t want = nm - 1 < m->ngroups ? nm - 1 : m->ngroups; /* groups 1..want */
    for (size_t g = 0; g < want; g++)
        if (is_read(read, g + 1) && !m->groups[g].once)
            return false;
    vm_set near[128]; /* most matches are short */
    vm_set *live = !want ? NULL : eo - so <= 128 ? near : malloc((eo - so) * sizeof *live);
    if (want && !live)
        return false;
    if (want)
        live_positions(m, (const unsigned char *)s, so, eo, live);
    bool ok = true;
    for (size_t g = 0; g < want && ok; g++) {
        const vm_set *mask = &m->groups[g].mask;
        size_t a = 0, b = 0;
        if (!is_read(read, g + 1) || !used(live, eo - so, mask)) {
            out[g + 1].rm_so = out[g + 1].rm_eo = -1;
            continue;
        }
        ok = (m->groups[g].always || !path_without(m, (const unsigned char *)s, so, eo, mask)) &&
             forced_span(m, live, eo - so, mask, &a, &b);
        out[g + 1].rm_so = (regoff_t)(so + a);
        out[g + 1].rm_eo = (regoff_t)(so + b);
    }
    if (live != near)
        free(live);
    for (size_t g = want + 1; ok && g < nm; g++)
        out[g].rm_so = out[g].rm_eo = -1;
    return ok;
}
