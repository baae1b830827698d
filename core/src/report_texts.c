/* report_texts.c - a report's cell texts, in slots of an arena.  Each slot
 * starts with its room (the bytes it can hold, terminator included), so a
 * cell set again reuses its slot when the new text fits. */
#include "report_texts.h"
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define ROOM_BYTES sizeof(uint32_t)

static size_t slot_room(const char *slot)
{
    uint32_t room;
    memcpy(&room, slot - ROOM_BYTES, sizeof room);
    return room;
}

/* A new slot of `room` bytes, its room stored just before it. */
static char *new_slot(nb_texts *tx, size_t room)
{
    char *p = nb_arena_alloc(&tx->mem, ROOM_BYTES + room);
    if (!p)
        return NULL;
    uint32_t r = (uint32_t)room;
    memcpy(p, &r, sizeof r);
    return p + ROOM_BYTES;
}

char *nb_texts_put(nb_texts *tx, char *slot, const char *s)
{
    if (!s)
        return NULL;
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

void nb_texts_free(nb_texts *tx)
{
    nb_arena_free(&tx->mem);
}

size_t nb_texts_size(const nb_texts *tx)
{
    return nb_arena_size(&tx->mem);
}
