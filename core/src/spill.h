/* spill.h - records a run writes out of memory and reads back: an
 * unlinked temporary file, made at the first record.  Only this process
 * ever reads it, so a record may hold this process's pointers. */
#ifndef NB_SPILL_H
#define NB_SPILL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct nb_spill nb_spill;

/* A spill file in dir, created when the first record is put; NULL when
 * out of memory. */
nb_spill *nb_spill_new(const char *dir);
void nb_spill_free(nb_spill *sp);
/* Appends len bytes; *off is where they start.  False when the file
 * cannot be made or written (nothing is then kept of the record). */
bool nb_spill_put(nb_spill *sp, const void *rec, size_t len, uint64_t *off);
/* Reads back len bytes put at off into buf; false on a read error. */
bool nb_spill_get(const nb_spill *sp, uint64_t off, void *buf, size_t len);

#endif
