/* template_paths.c - each table definition's index of its field paths,
 * built once when the templates are loaded and read-only afterwards (so
 * -j workers share it without a lock).
 *
 * Two views of one index: by_path lists the field indexes sorted by path
 * (ties by index), which prefix searches need (validate_paths.c); a hash
 * table over the runs of equal paths finds an exact path with one string
 * compare instead of a binary search of strcmp's (validation asks for
 * exact paths thousands of times per start and per report). */
#include "template_internal.h"
#include "util.h"
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* A run of equal paths in by_path; count 0: an empty slot. */
struct nb_path_slot {
    uint32_t hash, start, count;
};

/* Eight bytes a step (nb_hash_bytes): the paths are 20-60 bytes long,
 * and a byte-wise hash would cost as much as the binary search it
 * replaces. */
static uint32_t path_hash(const char *s)
{
    return (uint32_t)(nb_hash_bytes(s, strlen(s)) >> 32);
}

/* A field's path beside its index, so the sort compares without looking
 * the path up. */
typedef struct path_ref {
    const char *path;
    size_t i;
} path_ref;

/* Stable merge sort of v[0..n) by path, tmp as scratch: stable keeps equal
 * paths in field order.  A half already in order after the other (fields
 * are written row by row, so long runs are) is not merged. */
static void sort_refs(path_ref *v, path_ref *tmp, size_t n)
{
    if (n <= 16) { /* insertion: one compare a field when in order already */
        for (size_t i = 1; i < n; i++) {
            path_ref x = v[i];
            size_t k = i;
            for (; k > 0 && strcmp(v[k - 1].path, x.path) > 0; k--)
                v[k] = v[k - 1];
            v[k] = x;
        }
        return;
    }
    size_t h = n / 2;
    sort_refs(v, tmp, h);
    sort_refs(v + h, tmp, n - h);
    if (strcmp(v[h - 1].path, v[h].path) <= 0)
        return;
    memcpy(tmp, v, h * sizeof *v);
    size_t a = 0, b = h, o = 0;
    while (a < h && b < n)
        v[o++] = strcmp(v[b].path, tmp[a].path) < 0 ? v[b++] : tmp[a++];
    while (a < h)
        v[o++] = tmp[a++];
}

/* by_path: the field indexes sorted by path, ties by index. */
static bool sort_paths(nb_table_def *d)
{
    path_ref *v = malloc((d->nfields + d->nfields / 2 + 1) * sizeof *v);
    if (!v)
        return false;
    for (size_t i = 0; i < d->nfields; i++)
        v[i] = (path_ref){d->fields[i].path, i};
    sort_refs(v, v + d->nfields, d->nfields);
    for (size_t i = 0; i < d->nfields; i++)
        d->by_path[i] = v[i].i;
    free(v);
    return true;
}

/* At least two slots per field: short probe runs, and never full. */
static size_t slot_count(size_t nfields)
{
    size_t n = 2;
    while (n < 2 * nfields)
        n *= 2;
    return n;
}

static void add_run(nb_table_def *d, size_t start, size_t count)
{
    uint32_t h = path_hash(d->fields[d->by_path[start]].path);
    size_t s = h & d->path_mask;
    while (d->path_slots[s].count)
        s = (s + 1) & d->path_mask;
    d->path_slots[s] = (struct nb_path_slot){h, (uint32_t)start, (uint32_t)count};
}

bool nb_table_def_index_paths(nb_table_def *d)
{
    size_t nslots = slot_count(d->nfields);
    if (d->nfields > UINT32_MAX / 2)
        return false;
    /* One block: by_path, then the slots (freed with by_path). */
    d->by_path = calloc(1, d->nfields * sizeof *d->by_path + nslots * sizeof *d->path_slots);
    if (!d->by_path)
        return false;
    d->path_slots = (struct nb_path_slot *)(d->by_path + d->nfields);
    d->path_mask = nslots - 1;
    if (!sort_paths(d)) {
        free(d->by_path);
        d->by_path = NULL;
        return false;
    }
    for (size_t i = 0, end; i < d->nfields; i = end) {
        const char *p = d->fields[d->by_path[i]].path;
        for (end = i + 1; end < d->nfields && strcmp(d->fields[d->by_path[end]].path, p) == 0; end++)
            ;
        add_run(d, i, end - i);
    }
    return true;
}

size_t nb_table_def_path_range(const nb_table_def *d, const char *path, const size_t **idx)
{
    uint32_t h = path_hash(path);
    for (size_t s = h & d->path_mask; d->path_slots[s].count; s = (s + 1) & d->path_mask) {
        const struct nb_path_slot *r = &d->path_slots[s];
        if (r->hash == h && strcmp(d->fields[d->by_path[r->start]].path, path) == 0) {
            *idx = d->by_path + r->start;
            return r->count;
        }
    }
    *idx = d->by_path;
    return 0;
}

long nb_table_def_field_index(const nb_table_def *d, const char *path)
{
    if (d->by_path) {
        const size_t *idx;
        return nb_table_def_path_range(d, path, &idx) ? (long)idx[0] : -1;
    }
    for (size_t i = 0; i < d->nfields; i++)
        if (strcmp(d->fields[i].path, path) == 0)
            return (long)i;
    return -1;
}
