/* report_texts.h - storage for a report's cell texts (the tokens as printed).
 *
 * A report has a few hundred cells, each with a short raw text that lives
 * exactly as long as the report: slots bumped out of a few chunks replace a
 * malloc and a free per cell, and the report frees the chunks in one go. */
#ifndef NB_REPORT_TEXTS_H
#define NB_REPORT_TEXTS_H

#include "arena.h"
#include <stddef.h>
#include <stdint.h>
#include <string.h>

typedef struct nb_texts {
    nb_arena mem;
    char *cur, *end;   /* the free part of the window new slots are cut from */
} nb_texts;

/* Stores s where `slot` (a previous result, or NULL) was: in place when it
 * fits the slot's room, else in a new slot of at least twice that room, so
 * a text set again and again does not grow the storage without bound.  A
 * first text (slot NULL) of one byte or none, or of two digits, gets a
 * shared read-only slot (nb_texts_short).  s may point into the slot itself.  Returns the text's place, NULL when s is
 * NULL or memory ran out. */
char *nb_texts_put(nb_texts *tx, char *slot, const char *s);

/* Bytes before a slot holding its room (the bytes it can hold, NUL included). */
#define NB_TEXTS_ROOM_BYTES sizeof(uint32_t)

/* Read-only slots of room 0 holding the texts of one byte or none, and
 * the two-digit numbers (most cells print one digit or two): a first text
 * of those points at one instead of being copied.  A room of 0 is never
 * written: set again, the cell's text moves to a slot of its own. */
typedef struct nb_texts_one {
    uint32_t room;
    char s[4];
} nb_texts_one;
_Static_assert(offsetof(nb_texts_one, s) == NB_TEXTS_ROOM_BYTES, "a slot's room is just before it");
extern const nb_texts_one nb_texts_ones[256], nb_texts_twos[100];

/* The shared slot of s when s is one byte or empty or two digits, else NULL. */
static inline char *nb_texts_short(const char *s)
{
    if (s[0] == '\0' || s[1] == '\0')
        return (char *)nb_texts_ones[(unsigned char)s[0]].s;
    unsigned a = (unsigned char)s[0] - '0', b = (unsigned char)s[1] - '0';
    return a < 10 && b < 10 && s[2] == '\0' ? (char *)nb_texts_twos[10 * a + b].s : NULL;
}

/* A first slot for s copied into the window while its length is found, its
 * room stored before it; NULL when s does not fit what is left (the bytes
 * written past cur are then free space still). */
static inline char *nb_texts_put_window(nb_texts *tx, const char *s)
{
    if ((size_t)(tx->end - tx->cur) <= NB_TEXTS_ROOM_BYTES)
        return NULL;
    char *w = tx->cur + NB_TEXTS_ROOM_BYTES;
    size_t cap = (size_t)(tx->end - w), k = 0;
    while (k < cap && (w[k] = s[k]) != '\0')
        k++;
    if (k == cap)
        return NULL;
    uint32_t room = (uint32_t)(k + 1);
    memcpy(tx->cur, &room, sizeof room);
    tx->cur = w + k + 1;
    return w;
}

/* nb_texts_put, its usual case (a first text that fits the window) inlined
 * where cells are set; anything else takes the call. */
static inline char *nb_texts_put_fast(nb_texts *tx, char *slot, const char *s)
{
    char *p = !slot && s ? nb_texts_short(s) : NULL;
    if (!p && !slot && s)
        p = nb_texts_put_window(tx, s);
    return p ? p : nb_texts_put(tx, slot, s);
}
void nb_texts_free(nb_texts *tx);
/* Bytes held, for tests of the bound above. */
size_t nb_texts_size(const nb_texts *tx);

#endif
