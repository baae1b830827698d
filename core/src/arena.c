/* arena.c - string storage whose pieces all die together (arena.h).
 *
 * A table region becomes hundreds of tokens, each with three short
 * strings (raw, compact, key); a report holds hundreds of cell texts:
 * chunks handed out by bumping a pointer replace a malloc and a free per
 * string. */
#include "arena.h"
#include <stdlib.h>
#include <string.h>

#define CHUNK_MIN 4096

struct nb_arena_chunk {
    struct nb_arena_chunk *next;
    size_t cap, used;
    char data[];
};

/* Room for n bytes, from the current chunk or a new one at least n long. */
char *nb_arena_alloc(nb_arena *a, size_t n)
{
    nb_arena_chunk *c = a->head;
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
char *nb_arena_trim(nb_arena *a, char *p, size_t n)
{
    nb_arena_chunk *c = a->head;
    if (!c || p < c->data || p > c->data + c->used)
        return p;
    c->used = (size_t)(p - c->data) + n;
    if (p == c->data && c->cap > CHUNK_MIN && c->cap - n >= CHUNK_MIN) {
        nb_arena_chunk *shrunk = realloc(c, sizeof *c + n);
        if (shrunk) {
            shrunk->cap = n;
            a->head = shrunk;
            return shrunk->data;
        }
    }
    return p;
}

char *nb_arena_strndup(nb_arena *a, const char *s, size_t n)
{
    char *p = nb_arena_alloc(a, n + 1);
    if (p) {
        memcpy(p, s, n);
        p[n] = '\0';
    }
    return p;
}

void nb_arena_free(nb_arena *a)
{
    for (nb_arena_chunk *c = a->head, *next; c; c = next) {
        next = c->next;
        free(c);
    }
    a->head = NULL;
}

size_t nb_arena_size(const nb_arena *a)
{
    size_t n = 0;
    for (const nb_arena_chunk *c = a->head; c; c = c->next)
        n += sizeof *c + c->cap;
    return n;
}
