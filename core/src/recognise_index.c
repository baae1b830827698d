/* recognise_index.c - items grouped by one byte (a label's first byte).
 *
 * A table's grammar holds the labels of every other table too (to see a
 * table end); most of them can only match text that begins with their
 * own first byte, so matching looks at that byte's group instead of
 * every label; and the set of bytes labels begin with, which rejects a
 * short text (a table's pipe or rule) without looking at any label.
 * Built once per grammar, read-only afterwards. */
#include "recognise_internal.h"
#include <stdlib.h>
#include <string.h>

bool rc_byte_index_build(rc_byte_index *x, const unsigned char *bytes, size_t first, size_t n)
{
    memset(x->start, 0, sizeof x->start);
    x->v = malloc((n ? n : 1) * sizeof *x->v);
    if (!x->v)
        return false;
    for (size_t k = 0; k < n; k++)
        x->start[bytes[k] + 1]++;
    for (size_t b = 0; b < 256; b++)
        x->start[b + 1] += x->start[b];
    size_t fill[256];
    memcpy(fill, x->start, sizeof fill);
    for (size_t k = 0; k < n; k++) /* in item order: each group stays ascending */
        x->v[fill[bytes[k]]++] = first + k;
    return true;
}

const size_t *rc_byte_index_get(const rc_byte_index *x, unsigned char b, size_t *n)
{
    *n = x->start[b + 1] - x->start[b];
    return x->v + x->start[b];
}

void rc_byte_index_free(rc_byte_index *x)
{
    free(x->v);
    x->v = NULL;
}

static void add_start(uint64_t set[4], const char *s)
{
    unsigned char b = (unsigned char)s[0];
    if (b)
        set[b >> 6] |= 1ull << (b & 63);
}

void rc_label_starts(uint64_t set[4], const char *key, const char *compact)
{
    add_start(set, key);
    add_start(set, compact);
}
