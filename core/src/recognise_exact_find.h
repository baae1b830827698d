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

/* rc_exact_index_first, inline. */
static inline size_t rc_exact_index_find(const rc_exact_index *x, const char *s, size_t len,
                                         bool (*ok)(size_t, const void *), const void *ctx)
{
    size_t best = (size_t)-1;
    if (!x->slot)
        return best;
    for (size_t h = rc_exact_hash(s, len) & x->mask; x->slot[h]; h = (h + 1) & x->mask) {
        size_t k = x->slot[h] - 1, item = x->first + k;
        if (item < best && x->lens[k] == len && memcmp(x->strs[k], s, len) == 0 && ok(item, ctx))
            best = item;
    }
    return best;
}

#endif
