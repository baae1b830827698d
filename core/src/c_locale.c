/* c_locale.c - strtod and snprintf in the "C" locale (c_locale.h says why).
 *
 * glibc's newlocale(LC_ALL_MASK, "C", 0) hands back its built-in C locale
 * without allocating, and freelocale ignores it, so a call per number
 * costs next to nothing and the core keeps no locale of its own. */
#include "c_locale.h"
#include <locale.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

double nb_strtod_c(const char *s, char **end)
{
    locale_t c = newlocale(LC_ALL_MASK, "C", (locale_t)0);
    if (c == (locale_t)0)
        return strtod(s, end);
    double d = strtod_l(s, end, c);
    freelocale(c);
    return d;
}

int nb_snprintf_c(char *buf, size_t len, const char *fmt, ...)
{
    locale_t c = newlocale(LC_ALL_MASK, "C", (locale_t)0);
    locale_t old = c != (locale_t)0 ? uselocale(c) : (locale_t)0; /* this thread only */
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(buf, len, fmt, ap);
    va_end(ap);
    if (c != (locale_t)0) {
        uselocale(old);
        freelocale(c);
    }
    return n;
}
