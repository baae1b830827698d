/* strbuf.h - a growing NUL-terminated byte buffer for plugins that build
 * text piece by piece (html, docx).  Header-only so a plugin takes it
 * without linking anything, and nothing is added to libnianbao's exports. */
#ifndef NB_PLUGIN_STRBUF_H
#define NB_PLUGIN_STRBUF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

typedef struct strbuf {
    char *s;          /* NUL-terminated once anything was added; NULL before */
    size_t len, cap;
} strbuf;

/* Appends n bytes of s; false when out of memory (b is unchanged). */
static inline bool strbuf_add(strbuf *b, const char *s, size_t n)
{
    if (b->len + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 64;
        while (cap < b->len + n + 1)
            cap *= 2;
        char *p = realloc(b->s, cap);
        if (!p)
            return false;
        b->s = p;
        b->cap = cap;
    }
    if (n)
        memcpy(b->s + b->len, s, n);
    b->len += n;
    b->s[b->len] = '\0';
    return true;
}

static inline void strbuf_free(strbuf *b)
{
    free(b->s);
    memset(b, 0, sizeof *b);
}

#endif
