/* arena.h - a bump allocator for plugins that build many small pieces
 * owned by one structure (the html tree's nodes and texts): one malloc per
 * chunk instead of one per piece, and everything freed at once.
 * Header-only, like strbuf.h, so nothing is added to libnianbao. */
#ifndef NB_PLUGIN_ARENA_H
#define NB_PLUGIN_ARENA_H

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#define ARENA_CHUNK (64u << 10)

typedef struct arena_chunk {
    struct arena_chunk *next;
    size_t used, cap;
    max_align_t data[]; /* aligned for any object */
} arena_chunk;

typedef struct arena {
    arena_chunk *head; /* the chunk being filled; older ones follow */
} arena;

/* n bytes, aligned for any object, not cleared; NULL when out of memory. */
static inline void *arena_alloc_raw(arena *a, size_t n)
{
    const size_t al = sizeof(max_align_t);
    n = (n + al - 1) / al * al;
    arena_chunk *c = a->head;
    if (!c || c->cap - c->used < n) {
        size_t cap = n > ARENA_CHUNK / 2 ? n : ARENA_CHUNK; /* a big piece gets a chunk of its own */
        c = malloc(sizeof *c + cap);
        if (!c)
            return NULL;
        c->used = 0;
        c->cap = cap;
        if (a->head && cap != ARENA_CHUNK) { /* keep filling the current chunk */
            c->next = a->head->next;
            a->head->next = c;
        } else {
            c->next = a->head;
            a->head = c;
        }
    }
    void *p = (char *)c->data + c->used;
    c->used += n;
    return p;
}

/* n bytes, zeroed and aligned for any object; NULL when out of memory. */
static inline void *arena_alloc(arena *a, size_t n)
{
    void *p = arena_alloc_raw(a, n);
    if (p)
        memset(p, 0, n);
    return p;
}

/* A NUL-terminated copy of s[0..n). */
static inline char *arena_strndup(arena *a, const char *s, size_t n)
{
    char *p = arena_alloc_raw(a, n + 1);
    if (p) {
        memcpy(p, s, n);
        p[n] = '\0';
    }
    return p;
}

static inline void arena_free(arena *a)
{
    for (arena_chunk *c = a->head, *next; c; c = next) {
        next = c->next;
        free(c);
    }
    a->head = NULL;
}

#endif
