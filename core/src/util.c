/* util.c - growable buffers and string helpers used across the core. */
#include "util.h"
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

char *nb_strcat3(const char *a, const char *b, const char *c)
{
    size_t na = strlen(a), nb = strlen(b), nc = strlen(c);
    char *s = malloc(na + nb + nc + 1);
    if (s) {
        memcpy(s, a, na);
        memcpy(s + na, b, nb);
        memcpy(s + na + nb, c, nc + 1);
    }
    return s;
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
