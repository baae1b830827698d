/* recognise_exact.c - items found by their exact string (a label's key or
 * compact form).
 *
 * Most text that names a row, a heading or another table's row spells it
 * exactly; an exact match ends the search for the best label, so the
 * grammar finds such labels by hashing the text instead of looking at
 * every candidate.  Open addressing over a power-of-two table, one slot
 * per distinct string with its hash's high bits (a miss rarely compares
 * bytes); the items sharing a string are chained from it in ascending
 * order.  Built once per grammar, read-only afterwards. */
#include "recognise_exact_find.h"
#include <stdlib.h>
#include <string.h>

bool rc_exact_index_build(rc_exact_index *x, const char *const *strs, const size_t *lens, size_t first,
                          size_t n)
{
    size_t cap = 16;
    while (cap < 2 * n + 1)
        cap *= 2;
    x->mask = cap - 1;
    x->first = first;
    x->slot = calloc(cap, sizeof *x->slot);
    x->tag = calloc(cap, sizeof *x->tag);
    x->next = calloc(n ? n : 1, sizeof *x->next);
    x->strs = malloc((n ? n : 1) * sizeof *x->strs);
    x->lens = malloc((n ? n : 1) * sizeof *x->lens);
    if (!x->slot || !x->tag || !x->next || !x->strs || !x->lens)
        return false;
    /* per slot: its string's last item so far (+ 1), so that a repeated
     * string joins its chain in one step, not by walking it */
    size_t *tail = malloc(cap * sizeof *tail);
    if (!tail)
        return false;
    memcpy(x->strs, strs, n * sizeof *x->strs);
    memcpy(x->lens, lens, n * sizeof *x->lens);
    for (size_t k = 0; k < n; k++) {
        size_t hv = rc_exact_hash(strs[k], lens[k]), h = hv & x->mask;
        uint32_t tag = rc_exact_tag(hv);
        while (x->slot[h]) {
            size_t j = x->slot[h] - 1;
            if (x->tag[h] == tag && lens[j] == lens[k] && memcmp(strs[j], strs[k], lens[k]) == 0)
                break; /* the string has a slot: k joins its items, last (ascending) */
            h = (h + 1) & x->mask;
        }
        if (!x->slot[h]) {
            x->slot[h] = k + 1;
            x->tag[h] = tag;
        } else
            x->next[tail[h] - 1] = k + 1;
        tail[h] = k + 1;
    }
    free(tail);
    return true;
}

size_t rc_exact_index_first(const rc_exact_index *x, const char *s, size_t len, bool (*ok)(size_t, const void *),
                            const void *ctx)
{
    return rc_exact_index_find(x, s, len, ok, ctx);
}

void rc_exact_index_free(rc_exact_index *x)
{
    free(x->slot);
    free(x->tag);
    free(x->next);
    free(x->strs);
    free(x->lens);
    memset(x, 0, sizeof *x);
}
