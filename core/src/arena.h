/* arena.h - bump allocation for strings that all die together (a
 * document's compact forms, a token stream's strings, a report's cell
 * texts): chunks handed out by bumping a pointer replace a malloc and a
 * free per string.  No alignment: callers store bytes. */
#ifndef NB_ARENA_H
#define NB_ARENA_H

#include <stddef.h>

typedef struct nb_arena_chunk nb_arena_chunk;
typedef struct nb_arena {
    nb_arena_chunk *head;
} nb_arena;

/* Room for n bytes, from the current chunk or a new one at least n long. */
char *nb_arena_alloc(nb_arena *a, size_t n);
/* The last allocation p keeps only its first n bytes; returns where p is. */
char *nb_arena_trim(nb_arena *a, char *p, size_t n);
char *nb_arena_strndup(nb_arena *a, const char *s, size_t n);
void nb_arena_free(nb_arena *a);
/* Bytes held, chunk headers included. */
size_t nb_arena_size(const nb_arena *a);

#endif
