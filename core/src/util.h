/* util.h - small internal helpers: growable buffers and string lists. */
#ifndef NB_UTIL_H
#define NB_UTIL_H

#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>
#include <stdarg.h>
#include "nianbao/status.h"

typedef struct nb_buf {
    char *s;
    size_t len, cap;
} nb_buf;

bool nb_buf_add(nb_buf *b, const char *s, size_t n);
bool nb_buf_adds(nb_buf *b, const char *s);
bool nb_buf_addc(nb_buf *b, char c);
bool nb_buf_printf(nb_buf *b, const char *fmt, ...) NB_PRINTF(2, 3);
char *nb_buf_steal(nb_buf *b);   /* returns the string (never NULL), resets b */
void nb_buf_free(nb_buf *b);

char *nb_strdup(const char *s);          /* NULL-safe */
char *nb_strndup(const char *s, size_t n);
char *nb_strfmt(const char *fmt, ...) NB_PRINTF(1, 2);
/* s[0..n) (NULL parts as "") end to end in one new string, NULL when
 * memory ran out: names joined per file or member and findings' messages,
 * where vasprintf's walk of a format cost more than the copies. */
char *nb_strjoin(const char *const *s, size_t n);
char *nb_strcat3(const char *a, const char *b, const char *c); /* nb_strjoin of three */
bool nb_streq(const char *a, const char *b); /* NULL-safe */
bool nb_has_suffix_ci(const char *s, const char *suffix);

/* A hash of n bytes, eight at a time: for tables of strings that share
 * long prefixes and suffixes (key paths, JSON keys), which a hash of the
 * ends alone would pile into a few slots. */
uint64_t nb_hash_bytes(const char *s, size_t n);

/* Grows *arr (elements of size sz) so that index n fits; false on OOM. */
bool nb_grow(void **arr, size_t *cap, size_t n, size_t sz);

/* Prefixes e->where with "outer" ("outer!inner") so nested sources read naturally. */
void nb_error_prefix_where(nb_error *e, const char *outer);

/* Replace *dst with a copy of s (NULL allowed). */
void nb_set_str(char **dst, const char *s);

#endif
