/* report_texts.c - a bump allocator for a report's cell texts.  Each slot
 * starts with its room (the bytes it can hold, terminator included), so a
 * cell set again reuses its slot when the new text fits. */
#include "report_texts.h"
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define CHUNK_MIN 2048
#define ROOM_BYTES sizeof(uint32_t)

struct nb_texts_chunk {
    nb_texts_chunk *next;
    size_t cap, used;
    char data[];
};

static size_t slot_room(const char *slot)
{
    uint32_t room;
    memcpy(&room, slot - ROOM_BYTES, sizeof room);
    return room;
}

/* A new slot of `room` bytes, from the current chunk or a new one. */
static char *new_slot(nb_texts *tx, size_t room)
{
    size_t need = ROOM_BYTES + room;
    nb_texts_chunk *c = tx->head;
    if (!c || c->cap - c->used < need) {
        size_t cap = need > CHUNK_MIN ? need : CHUNK_MIN;
        c = malloc(sizeof *c + cap);
        if (!c)
            return NULL;
        c->next = tx->head;
        c->cap = cap;
        c->used = 0;
        tx->head = c;
    }
    char *p = c->data + c->used;
    uint32_t r = (uint32_t)room;
    memcpy(p, &r, sizeof r);
    c->used += need;
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
    for (nb_texts_chunk *c = tx->head, *next; c; c = next) {
        next = c->next;
        free(c);
    }
    tx->head = NULL;
}

size_t nb_texts_size(const nb_texts *tx)
{
    size_t n = 0;
    for (const nb_texts_chunk *c = tx->head; c; c = c->next)
        n += sizeof *c + c->cap;
    return n;
}
