/* util.c - growable buffers and string helpers used across the core. */
#include "util.h"
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <stdio.h>
#include <strings.h>

bool nb_grow(void **arr, size_t *cap, size_t n, size_t sz)
{
    if (n < *cap)
        return true;
    size_t nc = *cap ? *cap * 2 : 8;
    while (nc <= n)
        nc *= 2;
    void *p = realloc(*arr, nc * sz);
    if (!p)
        return false;
    *arr = p;
    *cap = nc;
    return true;
}

bool nb_buf_add(nb_buf *b, const char *s, size_t n)
{
    if (!nb_grow((void **)&b->s, &b->cap, b->len + n + 1, 1))
        return false;
    memcpy(b->s + b->len, s, n);
    b->len += n;
    b->s[b->len] = '\0';
    return true;
}

bool nb_buf_adds(nb_buf *b, const char *s) { return nb_buf_add(b, s, strlen(s)); }
bool nb_buf_addc(nb_buf *b, char c) { return nb_buf_add(b, &c, 1); }

bool nb_buf_printf(nb_buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *s = NULL;
    int n = vasprintf(&s, fmt, ap);
    va_end(ap);
    if (n < 0)
        return false;
    bool ok = nb_buf_add(b, s, (size_t)n);
    free(s);
    return ok;
}

char *nb_buf_steal(nb_buf *b)
{
    char *s = b->s ? b->s : nb_strdup("");
    b->s = NULL;
    b->len = b->cap = 0;
    return s;
}

void nb_buf_free(nb_buf *b)
{
    free(b->s);
    b->s = NULL;
    b->len = b->cap = 0;
}

char *nb_strdup(const char *s) { return s ? strdup(s) : NULL; }

char *nb_strndup(const char *s, size_t n)
{
    char *p = malloc(n + 1);
    if (!p)
        return NULL;
    memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

char *nb_strfmt(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *s = NULL;
    if (vasprintf(&s, fmt, ap) < 0)
        s = NULL;
    va_end(ap);
    return s;
}

/* s[0..n) joined in one allocation (NULL parts as ""): printf's two
 * passes, or a buffer grown piece by piece, cost more than a short
 * message.  The lengths of the first 16 parts are kept, later ones
 * measured again. */
char *nb_strjoin(const char *const *s, size_t n)
{
    size_t len[16], total = 0;
    for (size_t i = 0; i < n; i++) {
        size_t l = s[i] ? strlen(s[i]) : 0;
        if (i < 16)
            len[i] = l;
        total += l;
    }
    char *out = malloc(total + 1), *o = out;
    for (size_t i = 0; out && i < n; i++) {
        size_t l = i < 16 ? len[i] : s[i] ? strlen(s[i]) : 0;
        memcpy(o, s[i] ? s[i] : "", l);
        o += l;
    }
    if (out)
        *o = '\0';
    return out;
}

char *nb_strcat3(const char *a, const char *b, const char *c)
{
    const char *part[] = {a, b, c};
    return nb_strjoin(part, 3);
}

bool nb_streq(const char *a, const char *b)
{
    if (!a || !b)
        return a == b;
    return strcmp(a, b) == 0;
}

bool nb_has_suffix_ci(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && strcasecmp(s + n - m, suffix) == 0;
}

uint64_t nb_hash_bytes(const char *s, size_t n)
{
    uint64_t h = n * 0x9E3779B97F4A7C15u, w;
    for (; n >= 8; s += 8, n -= 8) {
        memcpy(&w, s, 8);
        h = (h ^ w) * 0xFF51AFD7ED558CCDu;
        h ^= h >> 32;
    }
    w = 0;
    memcpy(&w, s, n);
    h = (h ^ w) * 0xC4CEB9FE1A85EC53u;
    return h ^ h >> 29;
}
