/* text_internal.h - text normalisation for matching labels and headings.
 * Used by the recogniser, templates and validation; not exported. */
#ifndef NB_TEXT_INTERNAL_H
#define NB_TEXT_INTERNAL_H

#include "nianbao/text.h"
#include <string.h>

/* nb_utf8_next, inlined: the library's hot loops (distances, compacting,
 * heading search) decode every character, and the exported function is
 * reached through the PLT.  Same answers as nb_utf8_next. */
static inline size_t nb_u8_next(const char *s, size_t len, uint32_t *cp)
{
    const unsigned char *u = (const unsigned char *)s;
    if (len && u[0] < 0x80) {
        *cp = u[0];
        return 1;
    }
    if (len >= 3 && (u[0] & 0xF0) == 0xE0 && (u[1] & 0xC0) == 0x80 && (u[2] & 0xC0) == 0x80) {
        uint32_t c = ((uint32_t)(u[0] & 0x0F) << 12) | ((uint32_t)(u[1] & 0x3F) << 6) | (u[2] & 0x3F);
        if (c >= 0x800 && (c < 0xD800 || c > 0xDFFF)) {
            *cp = c;
            return 3;
        }
    }
    return nb_utf8_next(s, len, cp); /* other lengths and invalid bytes */
}

/* Code points of s[0, len) when it is valid UTF-8 (folded and compact
 * text always is): its lead bytes, without decoding them. */
static inline size_t nb_u8_chars_valid(const char *s, size_t len)
{
    size_t n = 0;
    for (size_t i = 0; i < len; i++)
        n += ((unsigned char)s[i] & 0xC0) != 0x80;
    return n;
}

/* Bytes of the word w that start a character (not 10xxxxxx): the byte
 * sum by a multiply, not a popcount call (this build targets no POPCNT
 * instruction). */
static inline size_t nb_u8_starts8(uint64_t w)
{
    uint64_t cont = w & ~(w << 1) & 0x8080808080808080ull; /* bit 7 set, bit 6 clear */
    return 8 - (size_t)((cont >> 7) * 0x0101010101010101ull >> 56);
}

/* Code points of valid UTF-8 s[0, len), eight bytes a step: the one
 * spelling of it for the recogniser's keys, headings and labels. */
static inline size_t nb_u8_count(const char *s, size_t len)
{
    size_t n = 0, i = 0;
    for (; i + 8 <= len; i += 8) {
        uint64_t w;
        memcpy(&w, s + i, 8);
        n += nb_u8_starts8(w);
    }
    return n + nb_u8_chars_valid(s + i, len - i);
}

/* Is none of the 8 bytes in w ASCII, C2, C3, E2 or E3?  Then none starts
 * the punctuation, quotes or brackets that compacting or a label key
 * drops or minds (and none is a NUL): runs of ideographs, eight bytes a
 * test.  (C3, Latin-1 letters, is refused with C2 by the same mask: a
 * caller falls back to its byte loop, which tells them apart.) */
static inline bool nb_u8_word_plain(uint64_t w)
{
    const uint64_t ones = 0x0101010101010101ull, high = 0x8080808080808080ull;
    uint64_t x = (w & (0xDE * ones)) ^ (0xC2 * ones); /* zero bytes: C2 C3 E2 E3 */
    return (w & high) == high && (((x - ones) & ~x & high) == 0);
}

#if defined(__SSE2__)
#include <emmintrin.h>
/* nb_u8_word_plain's test for a 16-byte block, one bit a byte: the bytes
 * that are ASCII or C2 C3 E2 E3, the only ones a punctuation, quote or
 * bracket table need be asked about. */
static inline unsigned nb_u8_ask16(__m128i v)
{
    __m128i c2e3 = _mm_cmpeq_epi8(_mm_and_si128(v, _mm_set1_epi8((char)0xDE)), _mm_set1_epi8((char)0xC2));
    return ((unsigned)_mm_movemask_epi8(v) ^ 0xFFFFu) | (unsigned)_mm_movemask_epi8(c2e3);
}

/* The scanners' block walk over u[i, len) (len >= 16): 16 bytes a load,
 * the last block the 16 ending at len (a byte seen twice tells the same),
 * so no byte loop is left for the tail.  The offset of the first block
 * whose mask(block) is not 0, that mask in *m; len when none.  Inlined
 * with its mask: the scanners are on every cell's path. */
static inline __attribute__((always_inline)) size_t nb_block16_next(const unsigned char *u, size_t i, size_t len,
                                                                    unsigned (*mask)(__m128i), unsigned *m)
{
    for (;; i += 16) {
        if (i + 16 > len)
            i = len - 16;
        if ((*m = mask(_mm_loadu_si128((const __m128i *)(u + i)))))
            return i;
        if (i + 16 == len)
            return len;
    }
}
#endif

/* Cleans s[0, len) in place (text_clean.c): zero-width spaces and
 * joiners, BOMs and soft hyphens removed (they show nothing and are not
 * spaces), HTML's space entities (&nbsp; ...) made spaces.  Returns the
 * new length and ends the text with a NUL when it shrinks. */
size_t nb_text_clean(char *s, size_t len);

/* nb_text_decode of a malloc'd buffer of len + 1 bytes (bytes[len] ==
 * '\0'), which it takes: UTF-8 text becomes *out in place, without a
 * copy of the whole document; otherwise bytes is freed. */
nb_status nb_text_decode_owned(char *bytes, size_t len, char **out, size_t *outlen, const char **encoding,
                               nb_error *err);

/* Width folding for matching: full-width ASCII to ASCII, ideographic space
 * and NBSP to space, curly quotes to nothing.  Returns a new string. */
char *nb_text_fold(const char *s);
/* Key for label matching: fold, drop all white space and quotes, drop a
 * leading ordinal (一、 （三） 3. 七) —、) and bracketed notes.  New string. */
char *nb_text_label_key(const char *s);
/* nb_text_label_key of the text whose nb_text_compact is compact. */
char *nb_text_key_of_compact(const char *compact);
/* Same without dropping the ordinal or notes (for headings, markers). */
char *nb_text_compact(const char *s);
/* nb_text_fold (compact false) or nb_text_compact (true) of s[0, len)
 * into out, which has room for NB_TEXT_FOLD_ROOM(len) bytes (an invalid
 * byte becomes a three-byte U+FFFD); returns the length written.  For
 * callers that keep the result in storage of their own. */
#define NB_TEXT_FOLD_ROOM(len) (3 * (len) + 5)
size_t nb_text_transform_to(const char *s, size_t len, bool compact, char *out);
/* nb_text_transform_to(s, len, true, out), telling also whether
 * nb_text_fold of s is s itself (*fold_same): then s is valid UTF-8 and the
 * fold of any piece of it cut at character starts is that piece. */
size_t nb_text_compact_to(const char *s, size_t len, char *out, bool *fold_same);
/* Bytes at the start of s[0, len) that folding and compacting both leave
 * as they are (printable ASCII but quotes, U+3000..U+9FFF but the few
 * spaces, brackets and quotes among U+3000..U+303F):
 * when that is len, s is its own fold and compact form. */
size_t nb_text_kept_prefix(const char *s, size_t len);
/* The same of the string s, without its length (it stops at the NUL),
 * in bytes, and the code points of that prefix, counted in the same
 * pass. */
typedef struct nb_kept {
    size_t bytes, chars;
} nb_kept;
nb_kept nb_text_kept_prefix_chars(const char *s);
/* nb_text_compact_to when the first kept bytes of s are its
 * nb_text_kept_prefix (or fewer, ending at a character's start): they
 * are copied, not scanned again.  *dropped (NULL: not asked): whether
 * compacting dropped a character (a space or a quote); when it did not,
 * the compact form is nb_text_fold of s too. */
size_t nb_text_compact_after(const char *s, size_t len, size_t kept, char *out, bool *fold_same, bool *dropped);
/* Walks s[0, len) as nb_text_compact reads it, up to text offset
 * off_limit and stopping before a character whose output would take the
 * compact length past co_limit; returns the text offset reached and sets
 * *produced to the compact bytes before it (offsets in both forms). */
size_t nb_text_compact_walk(const char *s, size_t len, size_t off_limit, size_t co_limit, size_t *produced);
/* nb_text_key_of_compact made in the storage of a copy of the compact form. */
char *nb_text_key_in_place(char *compact_copy);
/* The label key of compact into key (room for strlen(compact) + 1 bytes;
 * returns its length) and nb_text_ordinal_numeral(compact) into ord, in
 * one pass. */
size_t nb_text_key_forms(const char *compact, char *key, char ord[16]);
/* The same of compact[0, len), compact[len] == '\0' (no strlen). */
size_t nb_text_key_forms_n(const char *compact, size_t len, char *key, char ord[16]);
/* nb_text_key_forms_n in two steps, so that a key which is a tail of
 * compact (most labels that have an ordinal) need not be copied: the
 * bytes of compact's leading ordinals (returned) and their numeral (into
 * ord); *tail: the key is compact's rest after them as it is.  Else
 * nb_text_key_rest makes it into key (room for len - lead + 1 bytes)
 * and returns its length. */
size_t nb_text_key_lead(const char *compact, size_t len, char ord[16], bool *tail);
size_t nb_text_key_rest(const char *compact, size_t lead, size_t len, char *key);
/* Byte length of a leading ordinal (一、 —、 (三) 七) 3. 1、) of a compacted
 * string, 0 when there is none. */
size_t nb_text_ordinal_len(const char *s);
/* The numeral of that ordinal ("(四)" "四、" -> "四", "3." -> "3", "—、" ->
 * "一"), "" when there is none; out is zero-filled to its 16 bytes. */
void nb_text_ordinal_numeral(const char *compact, char out[16]);
/* Edit distance in code points, capped at cap+1. */
size_t nb_text_distance(const char *a, const char *b, size_t cap);
/* The same on byte ranges (no NUL needed, no copy). */
size_t nb_text_distance_n(const char *a, size_t la, const char *b, size_t lb, size_t cap);
/* A cheap lower bound for nb_text_distance: each of the first 256 code
 * points of s gets a bit 0..63 (bits[], returns how many); the set of a
 * string is the OR of its bits.  Code points of a whose bit is not in b's
 * set must each be edited, so their count is <= distance(a, b). */
size_t nb_text_cp_bits(const char *s, unsigned char bits[256]);
uint64_t nb_text_cp_set(const char *s);
/* Code points in s[0, len). */
size_t nb_text_chars(const char *s, size_t len);
/* nb_text_convert from "GB18030" to "UTF-8", ASCII runs copied without
 * iconv: same output and errors (text_gb18030.c). */
nb_status nb_text_gb18030_to_utf8(const char *in, size_t len, char **out, size_t *outlen, nb_error *err);
/* A file's name as UTF-8 for messages and outputs, each '/'-separated part
 * as it is, GB18030-read, or ASCII with \xNN for the other bytes. */
char *nb_text_name_utf8(const char *name);

/* The last "。" in [from, stop), NULL none.  Searched from the end: most
 * units of a table section are cells without one, and a forward memmem
 * per unit cost more to set up than the cell is long.  The sequence
 * E3 80 82 cannot overlap itself, so the last match found backwards is
 * the last one a forward search would find. */
static inline const char *nb_text_last_full_stop(const char *from, const char *stop)
{
    while (stop - from >= 3) {
        const unsigned char *p = memrchr(from + 2, 0x82, (size_t)(stop - from - 2));
        if (!p)
            return NULL;
        if (p[-2] == 0xE3 && p[-1] == 0x80)
            return (const char *)p - 2;
        stop = (const char *)p;
    }
    return NULL;
}

#endif
