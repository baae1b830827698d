/* html_text.c - escaping and a growable buffer for the html output. */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "html.h"

static void hb_reserve(hbuf *b, size_t more)
{
    if (b->oom || b->len + more + 1 <= b->cap)
        return;
    size_t cap = b->cap ? b->cap : 256;
    while (cap < b->len + more + 1)
        cap *= 2;
    char *s = realloc(b->s, cap);
    if (!s) {
        b->oom = true;
        return;
    }
    b->s = s;
    b->cap = cap;
}

void hb_add(hbuf *b, const char *s)
{
    size_t n = strlen(s);
    hb_reserve(b, n);
    if (b->oom)
        return;
    memcpy(b->s + b->len, s, n + 1);
    b->len += n;
}

void hb_addf(hbuf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0)
        return;
    hb_reserve(b, (size_t)n);
    if (b->oom)
        return;
    va_start(ap, fmt);
    vsnprintf(b->s + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
}

/* The replacement for a character that HTML text or attributes cannot hold
 * as itself; NULL when it can.  Control characters become spaces. */
static const char *entity(unsigned char c)
{
    switch (c) {
    case '&': return "&amp;";
    case '<': return "&lt;";
    case '>': return "&gt;";
    case '"': return "&quot;";
    case '\'': return "&#39;";
    default: return c < 0x20 && c != '\n' && c != '\t' ? " " : NULL;
    }
}

void hb_esc(hbuf *b, const char *s)
{
    char one[2] = {0, 0};
    for (; s && *s; s++) {
        const char *e = entity((unsigned char)*s);
        one[0] = *s;
        hb_add(b, e ? e : one);
    }
}

void html_esc(FILE *f, const char *s)
{
    for (; s && *s; s++) {
        const char *e = entity((unsigned char)*s);
        if (e)
            fputs(e, f);
        else
            fputc(*s, f);
    }
}

void hb_free(hbuf *b)
{
    free(b->s);
    memset(b, 0, sizeof *b);
}
