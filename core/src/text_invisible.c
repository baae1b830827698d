/* text_invisible.c - characters that show nothing, taken out of a
 * document's text before anything reads it.
 *
 * Text copied from web pages and CMS exports carries zero-width spaces
 * (U+200B, from &#8203; or <wbr>), joiners (U+200C, U+200D, U+2060), byte
 * order marks in the middle of a file (U+FEFF, where two files were
 * joined) and soft hyphens (U+00AD).  They are not spaces: read as one,
 * a zero-width space inside "2776" made two cells, 27 and 76, and the
 * report was then blamed for rows that did not add up.  The html reader
 * drops them already; every other reader's text comes through here. */
#include "text_internal.h"
#include <string.h>

/* The length of the invisible character at s (0: none there). */
static size_t invisible_at(const unsigned char *s, size_t n)
{
    if (n >= 2 && s[0] == 0xC2 && s[1] == 0xAD)
        return 2; /* U+00AD soft hyphen */
    if (n < 3)
        return 0;
    if (s[0] == 0xE2 && s[1] == 0x80 && s[2] >= 0x8B && s[2] <= 0x8D)
        return 3; /* U+200B..U+200D */
    if (s[0] == 0xE2 && s[1] == 0x81 && s[2] == 0xA0)
        return 3; /* U+2060 word joiner */
    if (s[0] == 0xEF && s[1] == 0xBB && s[2] == 0xBF)
        return 3; /* U+FEFF */
    return 0;
}

/* Where the first one is, or len.  Their lead bytes are C2, E2 and EF;
 * E2 and EF also lead curly quotes and full-width punctuation, common in
 * reports, so each hit is checked and the search goes on past it. */
static size_t first_invisible(const char *s, size_t len)
{
    size_t best = len;
    static const unsigned char leads[3] = {0xC2, 0xE2, 0xEF};
    for (int k = 0; k < 3; k++) {
        const char *p = s;
        while ((p = memchr(p, leads[k], (size_t)(s + best - p))) != NULL) {
            size_t at = (size_t)(p - s);
            if (invisible_at((const unsigned char *)p, len - at)) {
                best = at;
                break;
            }
            p++;
        }
    }
    return best;
}

size_t nb_text_drop_invisible(char *s, size_t len)
{
    size_t i = first_invisible(s, len);
    if (i == len)
        return len;
    size_t o = i;
    while (i < len) {
        size_t k = invisible_at((const unsigned char *)s + i, len - i);
        if (k)
            i += k;
        else
            s[o++] = s[i++];
    }
    s[o] = '\0';
    return o;
}
