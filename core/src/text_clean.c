/* text_clean.c - what shows nothing, or only a space, taken out of a
 * document's text before anything reads it.
 *
 * Text copied from web pages and CMS exports carries zero-width spaces
 * (U+200B, from &#8203; or <wbr>), joiners (U+200C, U+200D, U+2060), byte
 * order marks in the middle of a file (U+FEFF, where two files were
 * joined) and soft hyphens (U+00AD).  They are not spaces: read as one,
 * a zero-width space inside "2776" made two cells, 27 and 76, and the
 * report was then blamed for rows that did not add up.  They are dropped.
 *
 * A page turned into text or markdown keeps HTML's space entities as
 * they were written: "0&nbsp;" in a cell (domain.md §5.8 has &nbsp; among
 * the tokens seen in cells) was no number, and the row was read a cell
 * short.  &nbsp; &ensp; &emsp; &thinsp; and the numeric forms of U+00A0
 * and U+3000 become a space.
 *
 * The html reader does both itself; every other reader's text comes
 * through here (nb_doc_read_stream, nb_doc_add, nb_doc_add_text).
 * Decoding (nb_text_decode) leaves text as it is. */
#include "text_internal.h"
#include <string.h>
#include <strings.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

/* The length of the invisible character at s (0: none there). */
static inline size_t invisible_at(const unsigned char *s, size_t n)
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

/* The length of the space entity at s (0: none there).  Told by its
 * second byte first: HTML pages are full of other entities. */
static size_t space_entity_at(const char *s, size_t n)
{
    if (n < 6 || s[0] != '&')
        return 0;
    switch (s[1] | 0x20) { /* letters in either case; '#' stays '#' */
    case 'n':
        return strncasecmp(s, "&nbsp;", 6) == 0 ? 6 : 0;
    case 'e':
        return strncasecmp(s, "&ensp;", 6) == 0 || strncasecmp(s, "&emsp;", 6) == 0 ? 6 : 0;
    case 't':
        return n >= 8 && strncasecmp(s, "&thinsp;", 8) == 0 ? 8 : 0;
    case '#':
        if (strncasecmp(s, "&#160;", 6) == 0 || strncasecmp(s, "&#xa0;", 6) == 0)
            return 6;
        return n >= 8 && (strncmp(s, "&#12288;", 8) == 0 || strncasecmp(s, "&#x3000;", 8) == 0) ? 8 : 0;
    default:
        return 0;
    }
}

/* Where the first of either is, or len.  They start with C2, E2, EF BB
 * or '&'; sixteen places are compared at once, and only at such a start
 * (C2 and E2 also start NBSP, curly quotes and dashes) is the whole
 * character looked at.  Full-width punctuation (EF BC ..), which every
 * report is full of, never stops the scan. */
static size_t first_to_clean(const char *s, size_t len)
{
    size_t i = 0;
#if defined(__SSE2__)
    const __m128i c2 = _mm_set1_epi8((char)0xC2), e2 = _mm_set1_epi8((char)0xE2), ef = _mm_set1_epi8((char)0xEF),
                  bb = _mm_set1_epi8((char)0xBB), amp = _mm_set1_epi8('&');
    for (; i + 17 <= len; i += 16) {
        __m128i a = _mm_loadu_si128((const __m128i *)(const void *)(s + i));
        __m128i b = _mm_loadu_si128((const __m128i *)(const void *)(s + i + 1));
        __m128i m = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(a, c2), _mm_cmpeq_epi8(a, e2)),
                                 _mm_or_si128(_mm_and_si128(_mm_cmpeq_epi8(a, ef), _mm_cmpeq_epi8(b, bb)),
                                              _mm_cmpeq_epi8(a, amp)));
        for (unsigned bits = (unsigned)_mm_movemask_epi8(m); bits; bits &= bits - 1) {
            size_t at = i + (size_t)__builtin_ctz(bits);
            if (invisible_at((const unsigned char *)s + at, len - at) || space_entity_at(s + at, len - at))
                return at;
        }
    }
#endif
    for (; i < len; i++) /* the tail, and every short cell: other bytes start neither */
        if (((unsigned char)s[i] >= 0xC2 && invisible_at((const unsigned char *)s + i, len - i)) ||
            (s[i] == '&' && space_entity_at(s + i, len - i)))
            return i;
    return len;
}

/* In place, a run at a time: the bytes between two things to clean are
 * moved whole, found by the same scan, so a page with many entities costs
 * what its length does, not a test per byte. */
size_t nb_text_clean(char *s, size_t len)
{
    size_t i = first_to_clean(s, len);
    if (i == len)
        return len;
    size_t o = i;
    while (i < len) {
        size_t k = invisible_at((const unsigned char *)s + i, len - i);
        if (k) {
            i += k;
        } else if ((k = space_entity_at(s + i, len - i))) {
            s[o++] = ' ';
            i += k;
        } else {
            s[o++] = s[i++]; /* not reached: i is where first_to_clean stopped */
        }
        size_t run = first_to_clean(s + i, len - i);
        memmove(s + o, s + i, run);
        o += run;
        i += run;
    }
    s[o] = '\0';
    return o;
}
