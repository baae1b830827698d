/* recognise_arena.c - string storage for one recognition step.
 *
 * A table region becomes hundreds of tokens, each with three short
 * strings (raw, compact, key) that all die together when the region is
 * read: chunks handed out by bumping a pointer replace three mallocs and
 * three frees per token. */
#include "recognise_internal.h"
#include <stdlib.h>
#include <string.h>

#define CHUNK_MIN 4096

struct rc_chunk {
    struct rc_chunk *next;
    size_t cap, used;
    char data[];
};

/* Room for n bytes, from the current chunk or a new one at least n long. */
char *rc_arena_alloc(rc_arena *a, size_t n)
{
    rc_chunk *c = a->head;
    if (!c || c->cap - c->used < n) {
        size_t cap = n > CHUNK_MIN ? n : CHUNK_MIN;
        c = malloc(sizeof *c + cap);
        if (!c)
            return NULL;
        c->next = a->head;
        c->cap = cap;
        c->used = 0;
        a->head = c;
    }
    char *p = c->data + c->used;
    c->used += n;
    return p;
}

/* The last allocation p keeps only its first n bytes (it was sized for
 * the worst case, three times its input).  A large one that has a chunk
 * of its own gives the rest back to the system, so a 4 MB cell does not
 * hold 12 MB; returns where p now is. */
char *rc_arena_trim(rc_arena *a, char *p, size_t n)
{
    rc_chunk *c = a->head;
    if (!c || p < c->data || p > c->data + c->used)
        return p;
    c->used = (size_t)(p - c->data) + n;
    if (p == c->data && c->cap > CHUNK_MIN && c->cap - n >= CHUNK_MIN) {
        rc_chunk *shrunk = realloc(c, sizeof *c + n);
        if (shrunk) {
            shrunk->cap = n;
            a->head = shrunk;
            return shrunk->data;
        }
    }
    return p;
}

char *rc_arena_strndup(rc_arena *a, const char *s, size_t n)
{
    char *p = rc_arena_alloc(a, n + 1);
    if (p) {
        memcpy(p, s, n);
        p[n] = '\0';
    }
    return p;
}

void rc_arena_free(rc_arena *a)
{
    for (rc_chunk *c = a->head, *next; c; c = next) {
        next = c->next;
        free(c);
    }
    a->head = NULL;
}
