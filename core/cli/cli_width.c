/* cli_width.c - how many terminal columns UTF-8 text takes.  A small
 * East-Asian-width table rather than wcwidth(), which answers -1 for every
 * CJK character under the C locale that scripts and cron jobs run in. */
#include "cli.h"
#include <string.h>

/* Decodes one UTF-8 sequence; a broken byte counts as one column of one byte. */
static size_t utf8_next(const unsigned char *s, unsigned *cp)
{
    unsigned c = s[0];
    size_t n = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
    if (n == 0) {
        *cp = '?';
        return 1;
    }
    *cp = n == 1 ? c : c & (0x7Fu >> n);
    for (size_t i = 1; i < n; i++) {
        if ((s[i] & 0xC0) != 0x80) {
            *cp = '?';
            return 1;
        }
        *cp = (*cp << 6) | (s[i] & 0x3F);
    }
    return n;
}

/* Wide (W) and fullwidth (F) ranges of UAX #11 that occur in Chinese text. */
static int cp_width(unsigned cp)
{
    if (cp < 0x20 || (cp >= 0x7F && cp < 0xA0))
        return 0;
    if (cp >= 0x300 && cp < 0x370) /* combining marks */
        return 0;
    static const unsigned wide[][2] = {
        {0x1100, 0x115F}, {0x2E80, 0x303E}, {0x3041, 0x33FF}, {0x3400, 0x4DBF}, {0x4E00, 0x9FFF},
        {0xA000, 0xA4CF}, {0xAC00, 0xD7A3}, {0xF900, 0xFAFF}, {0xFE10, 0xFE19}, {0xFE30, 0xFE6F},
        {0xFF00, 0xFF60}, {0xFFE0, 0xFFE6}, {0x1F300, 0x1F64F}, {0x20000, 0x3FFFD}};
    for (size_t i = 0; i < sizeof wide / sizeof *wide; i++)
        if (cp >= wide[i][0] && cp <= wide[i][1])
            return 2;
    return 1;
}

size_t cli_display_width(const char *s)
{
    size_t w = 0;
    for (const unsigned char *p = (const unsigned char *)s; *p;) {
        unsigned cp;
        p += utf8_next(p, &cp);
        w += (size_t)cp_width(cp);
    }
    return w;
}

const char *cli_tail_fitting(const char *s, size_t cols)
{
    /* walk from the start until what is left fits; starts stay on characters */
    const unsigned char *p = (const unsigned char *)s;
    size_t w = cli_display_width(s);
    while (*p && w > cols) {
        unsigned cp;
        p += utf8_next(p, &cp);
        w -= (size_t)cp_width(cp);
    }
    return (const char *)p;
}
