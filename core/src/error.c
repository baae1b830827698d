/* error.c - filling nb_error values. */
#include "nianbao/status.h"
#include <stdio.h>
#include <string.h>

void nb_error_clear(nb_error *e)
{
    if (!e)
        return;
    e->cls = NB_E_NONE;
    e->where[0] = '\0';
    e->text[0] = '\0';
}

void nb_error_setv(nb_error *e, nb_errclass cls, const char *where, const char *fmt, va_list ap)
{
    if (!e)
        return;
    e->cls = cls;
    snprintf(e->where, sizeof e->where, "%s", where ? where : "");
    vsnprintf(e->text, sizeof e->text, fmt, ap);
}

void nb_error_set(nb_error *e, nb_errclass cls, const char *where, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    nb_error_setv(e, cls, where, fmt, ap);
    va_end(ap);
}

void nb_error_prefix_where(nb_error *e, const char *outer)
{
    if (!e || !outer || !*outer)
        return;
    /* truncation is acceptable: it is a message */
    char tmp[sizeof e->where];
    size_t n = strlen(outer);
    if (n >= sizeof tmp)
        n = sizeof tmp - 1;
    memcpy(tmp, outer, n);
    if (e->where[0] && n + 1 < sizeof tmp) {
        tmp[n++] = '!';
        size_t m = strlen(e->where);
        if (m > sizeof tmp - 1 - n)
            m = sizeof tmp - 1 - n;
        memcpy(tmp + n, e->where, m);
        n += m;
    }
    tmp[n] = '\0';
    memcpy(e->where, tmp, sizeof tmp);
}

nb_errclass nb_error_class(const nb_error *e) { return e ? e->cls : NB_E_NONE; }
const char *nb_error_where(const nb_error *e) { return e ? e->where : ""; }
const char *nb_error_message(const nb_error *e) { return e ? e->text : ""; }
bool nb_error_is_set(const nb_error *e) { return e && (e->cls != NB_E_NONE || e->text[0]); }

void nb_error_copy(nb_error *dst, const nb_error *src)
{
    if (!dst)
        return;
    if (src)
        *dst = *src;
    else
        nb_error_clear(dst);
}
