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

/* Every helper works on the first nw words of the sets: one when the
 * pattern has at most 64 positions (the second word is then empty in
 * every set), so each is inlined into a copy with nw constant. */
static inline bool meets(const vm_set *a, const vm_set *b, int nw)
{
    uint64_t x = 0;
    for (int k = 0; k < nw; k++)
        x |= a->w[k] & b->w[k];
    return x != 0;
}

static inline vm_set and_set(const vm_set *a, const vm_set *b, bool invert_b, int nw)
{
    vm_set r = {{0}};
    for (int k = 0; k < nw; k++)
        r.w[k] = a->w[k] & (invert_b ? ~b->w[k] : b->w[k]);
    return r;
}

/* The positions that may follow those of d. */
static inline void follow(const v_matcher *m, const vm_set *d, vm_set *f, int nw)
{
    uint64_t carry = 0;
    for (int k = 0; k < nw; k++) {
        uint64_t x = d->w[k] & m->shift.w[k];
        f->w[k] = x << 1 | carry;
        carry = x >> 63;
    }
    vm_follow_extra(m, d, f, nw);
}

/* The positions some position of d may follow: follow backwards. */
static inline void preceding(const v_matcher *m, const vm_set *d, vm_set *p, int nw)
{
    uint64_t carry = 0;
    for (int k = nw - 1; k >= 0; k--) {
        uint64_t x = d->w[k];
        p->w[k] = (x >> 1 | carry) & m->shift.w[k];
        carry = x << 63;
    }
    vm_precede_extra(m, d, p, nw);
}

/* live[i]: the positions at byte so+i on some path matching [so, eo). */
static inline void live_positions(const v_matcher *m, const unsigned char *s, size_t so, size_t eo,
                                  vm_set *live, int nw)
{
    size_t n = eo - so;
    for (size_t i = 0; i < n; i++) {
        const vm_set *on = &m->on[m->cls[s[so + i]]];
        vm_set f = m->first;
        if (i > 0)
            follow(m, &live[i - 1], &f, nw);
        live[i] = and_set(&f, on, false, nw);
    }
    live[n - 1] = and_set(&live[n - 1], &m->last, false, nw);
    for (size_t i = n - 1; i-- > 0;) {
        vm_set p = {{0}};
        preceding(m, &live[i + 1], &p, nw);
        live[i] = and_set(&live[i], &p, false, nw);
    }
}

/* Whether a path steps from a position of `from` at byte i-1 to one of
 * `to` at byte i. */
static inline bool steps(const v_matcher *m, const vm_set *from, const vm_set *to, int nw)
{
    vm_set f = {{0}};
    follow(m, from, &f, nw);
    return meets(&f, to, nw);
}

/* Whether some path matches [so, eo) without the positions of g. */
static inline bool path_without(const v_matcher *m, const unsigned char *s, size_t so, size_t eo,
                                const vm_set *g, int nw)
{
    vm_set d = and_set(&m->first, g, true, nw);
    for (size_t i = so; i < eo; i++) {
        vm_set f = d;
        if (i > so)
            follow(m, &d, &f, nw);
        vm_set on = and_set(&m->on[m->cls[s[i]]], g, true, nw);
        d = and_set(&f, &on, false, nw);
        if (!meets(&d, &d, nw))
            return false;
    }
    return meets(&d, &m->last, nw);
}

/* Whether at some byte every live position is one of g: then every path
 * passes through g there, and no pass without it is needed to know. */
static inline bool all_through(const vm_set *live, size_t n, const vm_set *g, int nw)
{
    for (size_t i = 0; i < n; i++) {
        vm_set out = and_set(&live[i], g, true, nw);
        if (!meets(&out, &out, nw) && meets(&live[i], &live[i], nw))
            return true;
    }
    return false;
}

static inline bool used(const vm_set *live, size_t n, const vm_set *g, int nw)
{
    for (size_t i = 0; i < n; i++)
        if (meets(&live[i], g, nw))
            return true;
    return false;
}

/* The span of group g when forced: one place to enter, one to leave. */
static inline bool forced_span(const v_matcher *m, const vm_set *live, size_t n, const vm_set *g,
                               size_t *a, size_t *b, int nw)
{
    size_t starts = 0, ends = 0;
    for (size_t i = 0; i < n && starts < 2 && ends < 2; i++) {
        vm_set in = and_set(&live[i], g, false, nw), out = and_set(&live[i], g, true, nw);
        bool here = meets(&in, &in, nw), away = meets(&out, &out, nw);
        if (here && i == 0) {
            *a = 0;
            starts++;
        }
        if (i > 0) {
            vm_set out_prev = and_set(&live[i - 1], g, true, nw),
                   in_prev = and_set(&live[i - 1], g, false, nw);
            /* a step in or out needs both sides; inside or outside, no follow set */
            if (here && meets(&out_prev, &out_prev, nw) && steps(m, &out_prev, &in, nw)) {
                *a = i;
                starts++;
            }
            if (away && meets(&in_prev, &in_prev, nw) && steps(m, &in_prev, &out, nw)) {
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

static inline bool has_byte(const vm_bytes *b, unsigned char c)
{
    return b->w[c / 64] >> (c % 64) & 1;
}

/* A run group's span: from the match's first byte among its own to its
 * last (unset when none is there: a path that skips it). */
static void run_span(const struct vm_group *g, const unsigned char *s, size_t so, size_t eo,
                     regmatch_t *out)
{
    size_t a = so, b = eo;
    while (a < eo && !has_byte(&g->bytes, s[a]))
        a++;
    while (b > a && !has_byte(&g->bytes, s[b - 1]))
        b--;
    out->rm_so = a < b ? (regoff_t)a : -1;
    out->rm_eo = a < b ? (regoff_t)b : -1;
}

/* An edge group's span in a match that uses it (validate_match_build.c's
 * edges); false when the bytes do not show one. */
static bool edge_span(const struct vm_group *g, const unsigned char *s, size_t so, size_t eo,
                      regmatch_t *out)
{
    size_t a = so, b = eo;
    if (g->from_first)
        while (a < eo && !has_byte(&g->first_bytes, s[a]))
            a++;
    if (g->to_last) {
        while (b > so && !has_byte(&g->last_bytes, s[b - 1]))
            b--;
    } else { /* fwd_run: the run of its bytes from its start */
        for (b = a; b < eo && has_byte(&g->bytes, s[b]);)
            b++;
    }
    if (!g->from_first) /* back_run: the run of its bytes that ends at its end */
        for (a = b; a > so && has_byte(&g->bytes, s[a - 1]);)
            a--;
    if (a >= b)
        return false;
    out->rm_so = (regoff_t)a;
    out->rm_eo = (regoff_t)b;
    return true;
}

/* Group gr's span from the bytes, without the live positions: the head,
 * a run group, or an edge group every path uses (always, or no path
 * matches without it); false: not known here. */
static bool direct_one(const v_matcher *m, const struct vm_group *gr, const char *s, size_t so,
                       size_t eo, regmatch_t *out)
{
    const unsigned char *u = (const unsigned char *)s;
    if (gr->head && gr->head <= eo - so) {
        out->rm_so = (regoff_t)so;
        out->rm_eo = (regoff_t)(so + gr->head);
        return true;
    }
    if (gr->run) {
        run_span(gr, u, so, eo, out);
        return true;
    }
    if (!gr->edge)
        return false;
    if (!gr->always && (m->nw == 1 ? path_without(m, u, so, eo, &gr->mask, 1)
                                   : path_without(m, u, so, eo, &gr->mask, VM_WORDS)))
        return false; /* maybe unused: the passes decide */
    return edge_span(gr, u, so, eo, out);
}

/* The groups of live (the match's positions) into out, over nw words. */
static inline bool groups_n(const v_matcher *m, const char *s, size_t so, size_t eo, size_t want,
                            unsigned read, vm_set *live, regmatch_t *out, int nw)
{
    if (want)
        live_positions(m, (const unsigned char *)s, so, eo, live, nw);
    bool ok = true;
    for (size_t g = 0; g < want && ok; g++) {
        const vm_set *mask = &m->groups[g].mask;
        size_t a = 0, b = 0, head = m->groups[g].head;
        if (is_read(read, g + 1) && head && head <= eo - so) { /* the match's first bytes */
            out[g + 1].rm_so = (regoff_t)so;
            out[g + 1].rm_eo = (regoff_t)(so + head);
            continue;
        }
        if (is_read(read, g + 1) && m->groups[g].run) { /* its own bytes */
            run_span(&m->groups[g], (const unsigned char *)s, so, eo, &out[g + 1]);
            continue;
        }
        if (is_read(read, g + 1) && m->groups[g].edge && m->groups[g].always &&
            edge_span(&m->groups[g], (const unsigned char *)s, so, eo, &out[g + 1]))
            continue; /* its edges shown by the bytes */
        if (!is_read(read, g + 1) || !used(live, eo - so, mask, nw)) {
            out[g + 1].rm_so = out[g + 1].rm_eo = -1;
            continue;
        }
        ok = (m->groups[g].always || all_through(live, eo - so, mask, nw) ||
              !path_without(m, (const unsigned char *)s, so, eo, mask, nw)) &&
             forced_span(m, live, eo - so, mask, &a, &b, nw);
        out[g + 1].rm_so = (regoff_t)(so + a);
        out[g + 1].rm_eo = (regoff_t)(so + b);
    }
    return ok;
}

static bool groups_1(const v_matcher *m, const char *s, size_t so, size_t eo, size_t want,
                     unsigned read, vm_set *live, regmatch_t *out)
{
    return groups_n(m, s, so, eo, want, read, live, out, 1);
}

static bool groups_w(const v_matcher *m, const char *s, size_t so, size_t eo, size_t want,
                     unsigned read, vm_set *live, regmatch_t *out)
{
    return groups_n(m, s, so, eo, want, read, live, out, VM_WORDS);
}

/* Every group read told by the bytes (direct_one): no pass over the live
 * positions; false when one is not. */
static bool direct_groups(const v_matcher *m, const char *s, size_t so, size_t eo, size_t nm,
                          size_t want, unsigned read, regmatch_t *out)
{
    for (size_t g = 1; g < nm; g++) {
        if (g > want || !is_read(read, g))
            out[g].rm_so = out[g].rm_eo = -1;
        else if (!direct_one(m, &m->groups[g - 1], s, so, eo, &out[g]))
            return false;
    }
    return true;
}

bool v_matcher_groups(const v_matcher *m, const char *s, size_t so, size_t eo, size_t nm,
                      unsigned read, regmatch_t *out)
{
    size_t want = nm - 1 < m->ngroups ? nm - 1 : m->ngroups; /* groups 1..want */
    bool direct = true; /* every group read is the match's head or a run group: no pass */
    for (size_t g = 0; g < want; g++) {
        if (is_read(read, g + 1) && !m->groups[g].once)
            return false;
        direct &= !is_read(read, g + 1) || (m->groups[g].head && m->groups[g].head <= eo - so) ||
                  m->groups[g].run || m->groups[g].edge;
    }
    if (direct && direct_groups(m, s, so, eo, nm, want, read, out))
        return true;
    vm_set near[128]; /* most matches are short */
    vm_set *live = !want ? NULL : eo - so <= 128 ? near : malloc((eo - so) * sizeof *live);
    if (want && !live)
        return false;
    bool ok = (m->nw == 1 ? groups_1 : groups_w)(m, s, so, eo, want, read, live, out);
    if (live != near)
        free(live);
    for (size_t g = want + 1; ok && g < nm; g++)
        out[g].rm_so = out[g].rm_eo = -1;
    return ok;
}
