/* c_locale.h - decimals read and printed with a '.' whatever the process's
 * locale.
 *
 * The CLI never calls setlocale, but a program that embeds libnianbao may:
 * a GTK front end calls setlocale(LC_ALL, ""), and under de_DE or fr_FR
 * LC_NUMERIC's decimal point is a comma.  strtod then stops at the '.' of
 * "12.50" (12) and printf writes "12,5", so report JSON would carry wrong
 * numbers and lose cells without a word. */
#ifndef NB_C_LOCALE_H
#define NB_C_LOCALE_H

#include <stddef.h>
#include "nianbao/status.h" /* NB_PRINTF */

/* strtod in the "C" locale. */
double nb_strtod_c(const char *s, char **end);
/* snprintf in the "C" locale. */
int nb_snprintf_c(char *buf, size_t len, const char *fmt, ...) NB_PRINTF(3, 4);

#endif
