/* recognise_exact_find.h - the lookup of rc_exact_index (recognise_exact.c)
 * inlined where it is hot: a label match asks it for nearly every text of
 * a table, and as a call with the acceptance test behind a pointer it cost
 * more than the probe itself.  Inlined, the test is the caller's own. */
#ifndef NB_RECOGNISE_EXACT_FIND_H
#define NB_RECOGNISE_EXACT_FIND_H

#include "recognise_internal.h"
#include <stdint.h>
#include <string.h>

/* The length and the first and last eight bytes: labels differ there, and
 * it costs the same for any length. */
static inline size_t rc_exact_hash(const char *s, size_t n)
{
    uint64_t a = 0, b = 0;
    if (n >= 8) {
        memcpy(&a, s, 8);
        memcpy(&b, s + n - 8, 8);
    } else {
        for (size_t i = 0; i < n; i++)
            a = a << 8 | (unsigned char)s[i];
    }
    uint64_t h = (a ^ n) * 0x9E3779B97F4A7C15ull ^ b * 0xC2B2AE3D27D4EB4Full;
    return (size_t)(h ^ (h >> 32));
}

/* The tag a slot keeps of hash h (its index takes the low bits). */
static inline uint32_t rc_exact_tag(size_t h)
{
    return (uint32_t)((uint64_t)h >> 32);
}

/* rc_exact_index_first, inline: the probe stops at the string's slot, and
 * its items are then asked in ascending order. */
static inline size_t rc_exact_index_find(const rc_exact_index *x, const char *s, size_t len,
                                         bool (*ok)(size_t, const void *), const void *ctx)
{
    if (!x->slot)
        return (size_t)-1;
    size_t hv = rc_exact_hash(s, len);
    uint32_t tag = rc_exact_tag(hv);
    for (size_t h = hv & x->mask; x->slot[h]; h = (h + 1) & x->mask) {
        size_t k = x->slot[h] - 1;
        if (x->tag[h] != tag || x->lens[k] != len || memcmp(x->strs[k], s, len) != 0)
            continue;
        for (;; k = x->next[k] - 1) {
            if (ok(x->first + k, ctx))
                return x->first + k;
            if (!x->next[k])
                return (size_t)-1;
        }
    }
    return (size_t)-1;
}

#endif
