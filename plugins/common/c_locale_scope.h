/* c_locale_scope.h - a plugin's calls run in the "C" locale on this
 * thread, then the caller's comes back.  For outputs that print numbers
 * with printf or through a library that does (libxlsxwriter): under a
 * host program's comma-decimal locale (setlocale in a GTK front end) they
 * wrote "12,5" where a file format wants 12.5.  glibc hands back its
 * built-in C locale for newlocale(LC_ALL_MASK, "C", 0), without
 * allocating.  Header-only, like strbuf.h. */
#ifndef NB_PLUGIN_C_LOCALE_SCOPE_H
#define NB_PLUGIN_C_LOCALE_SCOPE_H

#include <locale.h>

typedef struct c_locale_scope {
    locale_t c, old;
} c_locale_scope;

static inline c_locale_scope c_locale_enter(void)
{
    c_locale_scope l = {newlocale(LC_ALL_MASK, "C", (locale_t)0), (locale_t)0};
    if (l.c != (locale_t)0)
        l.old = uselocale(l.c);
    return l;
}

static inline void c_locale_leave(c_locale_scope l)
{
    if (l.c != (locale_t)0) {
        uselocale(l.old);
        freelocale(l.c);
    }
}

#endif
