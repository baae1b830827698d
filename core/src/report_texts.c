/* report_texts.c - a report's cell texts, in slots of an arena.  Each slot
 * starts with its room (the bytes it can hold, terminator included), so a
 * cell set again reuses its slot when the new text fits.  New slots are
 * cut from a window of the arena: a text is copied there while its length
 * is found, in one pass, instead of a strlen, an allocation and a memcpy
 * per cell. */
#include "report_texts.h"
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define ROOM_BYTES NB_TEXTS_ROOM_BYTES
#define WINDOW 4096        /* one arena chunk: a window wastes no chunk's tail */
#define OWN_SLOT (WINDOW / 4) /* a room this large gets an allocation of its own */

static size_t slot_room(const char *slot)
{
    uint32_t room;
    memcpy(&room, slot - ROOM_BYTES, sizeof room);
    return room;
}

/* The slot at p (ROOM_BYTES + room bytes), its room stored just before it. */
static char *mark_slot(char *p, size_t room)
{
    uint32_t r = (uint32_t)room;
    memcpy(p, &r, sizeof r);
    return p + ROOM_BYTES;
}

/* A new slot of `room` bytes: from the window, or an allocation of its own
 * when it is large (the window is kept for the small ones). */
static char *new_slot(nb_texts *tx, size_t room)
{
    size_t need = ROOM_BYTES + room;
    if ((size_t)(tx->end - tx->cur) < need) {
        if (need > OWN_SLOT) {
            char *p = nb_arena_alloc(&tx->mem, need);
            return p ? mark_slot(p, room) : NULL;
        }
        char *w = nb_arena_alloc(&tx->mem, WINDOW);
        if (!w)
            return NULL;
        tx->cur = w;
        tx->end = w + WINDOW;
    }
    char *p = tx->cur;
    tx->cur += need;
    return mark_slot(p, room);
}

/* The long way: a slot set again, or a first text the window cannot
 * hold.  Kept out of line so the usual call saves no registers for it. */
static __attribute__((noinline)) char *put_slow(nb_texts *tx, char *slot, const char *s)
{
    size_t n = strlen(s) + 1;
    if (n > UINT32_MAX)
        return NULL;
    size_t room = slot ? slot_room(slot) : 0;
    if (n <= room) {
        memmove(slot, s, n);
        return slot;
    }
    size_t want = room * 2 > n && room * 2 <= UINT32_MAX ? room * 2 : n;
    char *p = new_slot(tx, slot ? want : n);
    if (p)
        memcpy(p, s, n);
    return p;
}

#define ONE(c) {0, {(char)(c), '\0', '\0', '\0'}},
#define ONE4(c) ONE(c) ONE((c) + 1) ONE((c) + 2) ONE((c) + 3)
#define ONE16(c) ONE4(c) ONE4((c) + 4) ONE4((c) + 8) ONE4((c) + 12)
#define ONE64(c) ONE16(c) ONE16((c) + 16) ONE16((c) + 32) ONE16((c) + 48)
const nb_texts_one nb_texts_ones[256] = {ONE64(0) ONE64(64) ONE64(128) ONE64(192)};
#define TWO(c) {0, {(char)('0' + (c) / 10), (char)('0' + (c) % 10), '\0', '\0'}},
#define TWO5(c) TWO(c) TWO((c) + 1) TWO((c) + 2) TWO((c) + 3) TWO((c) + 4)
#define TWO10(c) TWO5(c) TWO5((c) + 5)
const nb_texts_one nb_texts_twos[100] = {TWO10(0)  TWO10(10) TWO10(20) TWO10(30) TWO10(40)
                                         TWO10(50) TWO10(60) TWO10(70) TWO10(80) TWO10(90)};

char *nb_texts_put(nb_texts *tx, char *slot, const char *s)
{
    if (!s)
        return NULL;
    char *p = slot ? NULL : nb_texts_short(s);
    if (!p && !slot)
        p = nb_texts_put_window(tx, s);
    return p ? p : put_slow(tx, slot, s);
}

void nb_texts_free(nb_texts *tx)
{
    nb_arena_free(&tx->mem);
    tx->cur = tx->end = NULL;
}

size_t nb_texts_size(const nb_texts *tx)
{
    return nb_arena_size(&tx->mem);
}
