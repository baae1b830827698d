/* text_norm.c - normalising labels for matching (domain.md §5.5, §5.7).
 * Matching only: the raw text is always kept for provenance. */
#include "text_internal.h"
#include "util.h"
#include <stdlib.h>
#include <string.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

static bool is_space_cp(uint32_t c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == 0xA0 ||
           c == 0x3000 || (c >= 0x2000 && c <= 0x200B) || c == 0xFEFF || c == 0x202F;
}

static bool is_quote_cp(uint32_t c)
{
    return c == '"' || c == '\'' || c == 0x201C || c == 0x201D || c == 0x2018 || c == 0x2019 ||
           c == 0x300C || c == 0x300D || c == 0x300E || c == 0x300F;
}

static uint32_t fold_cp(uint32_t c)
{
    if (c >= 0xFF01 && c <= 0xFF5E)
        return c - 0xFEE0; /* full-width ASCII */
    if (is_space_cp(c))
        return ' ';
    if (c == 0x201C || c == 0x201D)
        return '"';
    if (c == 0x2018 || c == 0x2019)
        return '\'';
    if (c == 0x3008 || c == 0x3010 || c == 0x3014)
        return '(';
    if (c == 0x3009 || c == 0x3011 || c == 0x3015)
        return ')';
    return c;
}

/* One code point folded (and, for compact, dropped when it is a space or
 * a quote): its UTF-8 bytes in out, their count (0: dropped). */
static size_t fold_one(uint32_t c, bool compact, char out[4])
{
    if (c >= 0x80 || c <= ' ' || c == '"' || c == '\'') {
        if (compact && (is_space_cp(c) || is_quote_cp(c)))
            return 0;
        c = fold_cp(c);
    }
    return nb_utf8_put(c, out);
}

/* Does folding (without compacting) give back the character c, read
 * from the step bytes at s, as it is?  An invalid byte does not. */
static bool folds_to_itself(const char *s, size_t step, uint32_t c)
{
    char again[4];
    return fold_one(c, false, again) == step && memcmp(again, s, step) == 0;
}

/* U+3000..U+303F (E3 80 80..BF) that fold_one changes, by their last
 * byte - 0x80: the ideographic space, the brackets folded to ( ) and the
 * corner quotes.  、 。 《 》 and the rest of the block stay as they are. */
#define CJK_PUNCT_CHANGED                                                                                  \
    ((1ull << 0x00) | (1ull << 0x08) | (1ull << 0x09) | (1ull << 0x0C) | (1ull << 0x0D) | (1ull << 0x0E) | \
     (1ull << 0x0F) | (1ull << 0x10) | (1ull << 0x11) | (1ull << 0x14) | (1ull << 0x15))

/* The ASCII bytes folding and compacting keep: printable but quotes
 * (0x7F included, as fold_one leaves it).  Constant data: one load per
 * byte instead of four tests, for the digits tables are full of. */
#define KEPT_K(b) ((b) > 0x20 && (b) < 0x80 && (b) != '"' && (b) != '\'')
#define KEPT_K4(b) KEPT_K(b), KEPT_K((b) + 1), KEPT_K((b) + 2), KEPT_K((b) + 3)
#define KEPT_K16(b) KEPT_K4(b), KEPT_K4((b) + 4), KEPT_K4((b) + 8), KEPT_K4((b) + 12)
#define KEPT_K64(b) KEPT_K16(b), KEPT_K16((b) + 16), KEPT_K16((b) + 32), KEPT_K16((b) + 48)
static const bool KEPT_ASCII[256] = {KEPT_K64(0), KEPT_K64(64), KEPT_K64(128), KEPT_K64(192)};

/* Is the three-byte character led by u[0] (E3..E9) kept: well formed,
 * and not one of U+3000..U+303F that fold_one changes?  Both continuation
 * bytes tested with one load, made only when u[1] is not the NUL (so
 * never past the string). */
static bool kept_cjk(const unsigned char *u)
{
    uint16_t tail;
    if (!u[1] || (memcpy(&tail, u + 1, 2), (tail & 0xC0C0) != 0x8080))
        return false;
    return !(u[0] == 0xE3 && u[1] == 0x80 && (CJK_PUNCT_CHANGED >> (u[2] & 0x3F) & 1));
}

/* Bytes of the run at u[0, left) that folding copies unchanged, taking
 * characters while they start within the first max + 1 bytes: printable
 * ASCII but quotes, and well-formed three-byte characters led by E3..E9
 * (U+3000..U+9FFF: CJK punctuation, kana, ideographs) but the few of
 * U+3000..U+303F that fold_one changes.  Prose breaks a run at every
 * 、 and 。 otherwise. */
static size_t kept_run(const unsigned char *u, size_t left, size_t max)
{
    size_t n = 0, end = max < left ? max + 1 : left; /* characters start before end */
    while (n < end) {
        unsigned char b = u[n];
        if ((unsigned char)(b - 0xE3) <= 0xE9 - 0xE3) { /* inlined: the hottest loop */
            uint16_t tail; /* both continuation bytes tested at once */
            if (left - n < 3 || (memcpy(&tail, u + n + 1, 2), (tail & 0xC0C0) != 0x8080))
                break;
            if (b == 0xE3 && u[n + 1] == 0x80 && (CJK_PUNCT_CHANGED >> (u[n + 2] & 0x3F) & 1))
                break;
            n += 3;
        } else if (KEPT_ASCII[b])
            n++;
        else
            break;
    }
    return n;
}

/* The ASCII byte a full-width form U+FF01..U+FF5E (EF BC 81..EF BD 9E:
 * ，：；（）１２ …) at u[0, left) folds to, 0 when u holds none: prose
 * has one every few characters, each cut a run, and decoding and
 * encoding it cost more than the run.  Compacting keeps them too (none
 * is a space or a quote). */
static char full_width_ascii(const unsigned char *u, size_t left)
{
    if (left < 3 || u[0] != 0xEF)
        return 0;
    if (u[1] == 0xBC && u[2] >= 0x81 && u[2] <= 0xBF)
        return (char)(u[2] - 0x60);
    if (u[1] == 0xBD && u[2] >= 0x80 && u[2] <= 0x9E)
        return (char)(u[2] - 0x20);
    return 0;
}

/* Is the three-byte character at u[0] (led by E3..E9, left bytes from
 * it) one folding copies unchanged?  kept_run's test, for fold_run. */
static inline bool kept_cjk_n(const unsigned char *u, size_t left)
{
    uint16_t tail; /* both continuation bytes tested at once */
    if (left < 3 || (memcpy(&tail, u + 1, 2), (tail & 0xC0C0) != 0x8080))
        return false;
    return !(u[0] == 0xE3 && u[1] == 0x80 && (CJK_PUNCT_CHANGED >> (u[2] & 0x3F) & 1));
}

#if defined(__SSE2__)
/* Bytes at u (16 readable) that are whole ideographs led by E4..E9
 * (U+4000..U+9FFF: well formed, and none a space, quote, bracket or
 * full-width form), up to five of them (15 bytes): what fold_one copies
 * as it is, told from one load instead of a character a step.  Prose is
 * mostly such runs between its ， and 、. */
static inline size_t ideograph_run(const unsigned char *u)
{
    __m128i v = _mm_loadu_si128((const __m128i *)u);
    __m128i cont = _mm_cmpeq_epi8(_mm_and_si128(v, _mm_set1_epi8((char)0xC0)), _mm_set1_epi8((char)0x80));
    __m128i x = _mm_sub_epi8(v, _mm_set1_epi8((char)0xE4));
    __m128i lead = _mm_cmpeq_epi8(_mm_min_epu8(x, _mm_set1_epi8(5)), x); /* E4..E9 */
    unsigned c = (unsigned)_mm_movemask_epi8(cont);
    /* bit 3i: character i is a lead and two continuation bytes */
    unsigned good = (unsigned)_mm_movemask_epi8(lead) & c >> 1 & c >> 2;
    unsigned bad = ~good & 0x1249u; /* bits 0 3 6 9 12 */
    return bad ? (size_t)__builtin_ctz(bad) : 15;
}
#endif

/* Folds s[*i, len) into out while room for one more character (4 bytes)
 * is left; returns the bytes written and moves *i on.  Unchanged
 * characters are tested and copied in the same pass (prose is cut by
 * ， every few characters: a run search and a memcpy a run cost more
 * than the copy), full-width forms put down as their ASCII byte there
 * too; the rest decoded and folded one by one. */
static size_t fold_run(const char *s, size_t len, size_t *i, bool compact, char *out, size_t room, bool *fold_same,
                       bool *dropped)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t k = *i, o = 0;
    while (k < len && o + 4 <= room) {
        unsigned char b = u[k];
        if ((unsigned char)(b - 0xE3) <= 0xE9 - 0xE3) {
#if defined(__SSE2__)
            size_t run; /* an E3 lead (、 。 《) starts no run: not asked */
            if (b != 0xE3 && len - k >= 16 && room - o >= 16 && (run = ideograph_run(u + k))) {
                memcpy(out + o, u + k, 16); /* the bytes past run: rewritten or past the end */
                o += run;
                k += run;
                continue;
            }
#endif
            if (kept_cjk_n(u + k, len - k)) {
                out[o] = (char)b;
                out[o + 1] = (char)u[k + 1];
                out[o + 2] = (char)u[k + 2];
                o += 3;
                k += 3;
                continue;
            }
        } else if (KEPT_ASCII[b]) {
            out[o++] = (char)b;
            k++;
            continue;
        } else if (b < 0x80) {
            /* the other ASCII bytes as fold_one has them, without the
             * decoding: blanks but ' ' fold to ' ', compacting drops the
             * blanks and the quotes, the rest stay (prose's spaces and
             * line ends) */
            bool ws = b == '\t' || b == '\n' || b == '\v' || b == '\f';
            if (ws && fold_same)
                *fold_same = false;
            if (!compact)
                out[o++] = ws ? ' ' : (char)b;
            else if (!ws && b != ' ' && b != '"' && b != '\'')
                out[o++] = (char)b;
            else if (dropped)
                *dropped = true;
            k++;
            continue;
        } else if (b == 0xEF) {
            char ascii = full_width_ascii(u + k, len - k);
            if (ascii) {
                out[o++] = ascii;
                k += 3;
                if (fold_same)
                    *fold_same = false;
                continue;
            }
        }
        uint32_t c;
        size_t step = nb_u8_next(s + k, len - k, &c);
        if (fold_same && *fold_same)
            *fold_same = folds_to_itself(s + k, step, c);
        k += step;
        size_t put = fold_one(c, compact, out + o);
        if (!put && dropped)
            *dropped = true;
        o += put;
    }
    *i = k;
    return o;
}

/* fold, then optionally drop spaces and quotes.  One allocation: folding
 * never lengthens a character; only an invalid byte (U+FFFD) grows. */
static char *transform(const char *s, bool compact)
{
    size_t len = strlen(s), cap = len + 4, o = 0, i = 0;
    char *out = malloc(cap + 1);
    while (out) {
        o += fold_run(s, len, &i, compact, out + o, cap - o, NULL, NULL);
        if (i == len)
            break;
        char *grown = realloc(out, 2 * cap + 1);
        if (!grown)
            free(out);
        out = grown;
        cap *= 2;
    }
    if (out)
        out[o] = '\0';
    return out;
}

/* One character of s[0, len) as compacting reads it: its bytes in s;
 * *out_bytes those it becomes (0: dropped). */
static size_t compact_step(const char *s, size_t len, size_t *out_bytes)
{
    uint32_t c;
    char out[4];
    size_t step = nb_u8_next(s, len, &c);
    *out_bytes = fold_one(c, true, out);
    return step;
}

/* Start of the character that holds byte k of s (k itself at a start). */
static size_t char_start(const char *s, size_t k)
{
    while (k && ((unsigned char)s[k] & 0xC0) == 0x80)
        k--;
    return k;
}

size_t nb_text_compact_walk(const char *s, size_t len, size_t off_limit, size_t co_limit, size_t *produced)
{
    size_t i = 0, n = 0;
    while (i < len && i < off_limit) {
        /* a run that compacting copies: as many bytes out as in */
        size_t same = kept_run((const unsigned char *)s + i, len - i, off_limit - i - 1);
        if (same) {
            bool full = n + same > co_limit;
            if (full) /* only the characters that end within co_limit */
                same = char_start(s + i, co_limit - n);
            n += same;
            i += same;
            if (full)
                break;
            continue;
        }
        if (full_width_ascii((const unsigned char *)s + i, len - i)) {
            if (n + 1 > co_limit)
                break;
            n += 1;
            i += 3;
            continue;
        }
        size_t out, step = compact_step(s + i, len - i, &out);
        if (n + out > co_limit)
            break;
        n += out;
        i += step;
    }
    *produced = n;
    return i;
}

size_t nb_text_transform_to(const char *s, size_t len, bool compact, char *out)
{
    size_t i = 0, o = fold_run(s, len, &i, compact, out, NB_TEXT_FOLD_ROOM(len) - 1, NULL, NULL);
    out[o] = '\0';
    return o;
}

size_t nb_text_kept_prefix(const char *s, size_t len)
{
    return kept_run((const unsigned char *)s, len, len);
}

nb_kept nb_text_kept_prefix_chars(const char *s)
{
    /* kept_run without bounds: the NUL (not kept) ends the run, and no
     * byte past it is read (a continuation byte is never the NUL).  The
     * ASCII bytes are counted: every other kept character is three bytes */
    const unsigned char *u = (const unsigned char *)s;
    size_t n = 0, ascii = 0;
    for (;;) {
        unsigned char b = u[n];
        if ((unsigned char)(b - 0xE4) <= 0xE9 - 0xE4) {
            /* an ideograph's lead (U+4000..U+9FFF, most of a label): kept
             * when two continuation bytes follow */
            if ((u[n + 1] & 0xC0) != 0x80 || (u[n + 2] & 0xC0) != 0x80)
                break;
            n += 3;
        } else if (KEPT_ASCII[b]) {
            n++;
            ascii++;
        } else if (b == 0xE3 && kept_cjk(u + n))
            n += 3;
        else
            break;
    }
    return (nb_kept){n, ascii + (n - ascii) / 3};
}

size_t nb_text_compact_to(const char *s, size_t len, char *out, bool *fold_same)
{
    return nb_text_compact_after(s, len, 0, out, fold_same, NULL);
}

size_t nb_text_compact_after(const char *s, size_t len, size_t kept, char *out, bool *fold_same, bool *dropped)
{
    /* fold_run's first run from 0 is the kept prefix: copy it, go on after */
    memcpy(out, s, kept);
    *fold_same = true;
    if (dropped)
        *dropped = false;
    size_t i = kept,
           o = kept + fold_run(s, len, &i, true, out + kept, NB_TEXT_FOLD_ROOM(len) - 1 - kept, fold_same, dropped);
    out[o] = '\0';
    return o;
}

char *nb_text_fold(const char *s) { return transform(s, false); }
char *nb_text_compact(const char *s) { return transform(s, true); }

static bool is_cn_numeral(uint32_t c)
{
    switch (c) { /* 一..十: a jump or two, not ten compares per character */
    case 0x4E00: case 0x4E8C: case 0x4E09: case 0x56DB: case 0x4E94:
    case 0x516D: case 0x4E03: case 0x516B: case 0x4E5D: case 0x5341:
        return true;
    default:
        return false;
    }
}

/* Dash-like characters that stand for 一 at the start of a row label. */
static bool is_dash_cp(uint32_t c)
{
    return c == 0x2014 || c == 0x2013 || c == 0x2012 || c == 0xFF0D || c == '-' || c == 0x2015 ||
           c == 0x2500;
}

/* Can an ordinal's numeral start with byte b?  Digits, '-', and the lead
 * bytes of 一..十 (E4, E5) and of the other dashes (E2, EF). */
static bool may_start_numeral(unsigned char b)
{
    return (b >= '0' && b <= '9') || b == '-' || b == 0xE2 || b == 0xE4 || b == 0xE5 || b == 0xEF;
}

/* Length in bytes of a leading ordinal on a compacted, folded string:
 * 一、 —、 (一) 一) 1. 1、 1) (1); 0 when there is none. */
/* The numeral of an ordinal whose numeral characters are s[start, end)
 * into out (zero-filled by the caller: compared as 16 bytes): they are
 * copied, but a leading dash that stands for 一 (— – － -) becomes 一.
 * The brackets and the 、 . , around them are not part of it.  At most 6
 * bytes are read (ordinal_len_n), so the numeral fits. */
static void put_numeral(const char *s, size_t start, size_t end, char out[16])
{
    uint32_t c;
    size_t o = 0, step = nb_u8_next(s + start, end - start, &c);
    if (c == 0x2014 || c == 0x2013 || c == 0xFF0D || c == '-') {
        o = nb_utf8_put(0x4E00, out);
        start += step;
    }
    memcpy(out + o, s + start, end - start);
}

/* nb_text_ordinal_len of s, strlen(s) == len (known to the caller); num,
 * when not NULL, gets the ordinal's numeral (nb_text_ordinal_numeral) if
 * there is one, and is left alone otherwise: read in the same pass (every
 * caller zero-fills it first).  Inlined: most labels with an ordinal
 * take one of its short cuts, shorter than a call's frame. */
static inline __attribute__((always_inline)) size_t ordinal_len_n(const char *s, size_t len, char *num)
{
    size_t i = 0;
    uint32_t c;
    bool paren = false;
    if (s[0] == '(') {
        paren = true;
        i = 1;
    }
    if (!may_start_numeral((unsigned char)s[i]))
        return 0; /* most labels: no numeral, no strlen */
    if (s[i] >= '0' && s[i] <= '9') {
        /* ASCII digits (3. 12、 (4)), read as the loop below reads them
         * when the character after them is ASCII too: no numeral or dash
         * then continues the run, and it is the terminator */
        size_t j = i;
        while (j < len && s[j] >= '0' && s[j] <= '9')
            if (++j - i > 6)
                return 0;
        if (j < len && (unsigned char)s[j] < 0x80) {
            size_t r = 0;
            if (s[j] == ')')
                r = j + 1;
            else if (!paren && (s[j] == '.' || s[j] == ','))
                /* "1." but not a decimal number "1.5" */
                r = (j + 1 < len && s[j + 1] >= '0' && s[j + 1] <= '9') ? 0 : j + 1;
            if (r && num)
                for (size_t k = i; k < j; k++) /* a digit or two: no memcpy call */
                    num[k - i] = s[k];
            return r;
        }
    }
    /* the first character as the loop below reads it (a NUL ends any
     * sequence): most ideographs led by E4 or E5 (上 属) stop here */
    nb_u8_next(s + i, 4, &c);
    if (is_cn_numeral(c) && i + 3 < len) {
        /* one numeral and its ) or 、 ((三) 四、 most ordinals of a
         * table): what the loop below reads, without decoding again */
        const unsigned char *t = (const unsigned char *)s + i + 3;
        size_t r = t[0] == ')' ? i + 4 : !paren && t[0] == 0xE3 && t[1] == 0x80 && t[2] == 0x81 ? i + 6 : 0;
        if (r) {
            if (num)
                memcpy(num, s + i, 3);
            return r;
        }
    }
    if (!(is_cn_numeral(c) || (c >= '0' && c <= '9') || (is_dash_cp(c) && !paren)))
        return 0;
    size_t start = i;
    while (i < len) {
        size_t n = nb_u8_next(s + i, len - i, &c);
        bool digit = c >= '0' && c <= '9';
        if (!(is_cn_numeral(c) || digit || (i == start && is_dash_cp(c) && !paren)))
            break;
        i += n;
        if (i - start > 6)
            return 0;
    }
    if (i == start || i >= len)
        return 0;
    size_t n = nb_u8_next(s + i, len - i, &c), r = 0;
    bool ascii_digit = s[start] >= '0' && s[start] <= '9';
    if (c == ')')
        r = i + n;
    else if (paren)
        return 0;
    else if (c == 0x3001) /* 、 */
        r = i + n;
    else if (ascii_digit && (c == '.' || c == ','))
        /* "1." but not a decimal number "1.5" */
        r = (i + n < len && s[i + n] >= '0' && s[i + n] <= '9') ? 0 : i + n;
    if (r && num)
        put_numeral(s, start, i, num);
    return r;
}

size_t nb_text_ordinal_len(const char *s)
{
    /* the first test of ordinal_len_n, before the strlen: most labels */
    size_t i = s[0] == '(';
    return may_start_numeral((unsigned char)s[i]) ? ordinal_len_n(s, strlen(s), NULL) : 0;
}

/* The numeral of a leading ordinal ("(四)" "四)" "四、" -> "四", "3." -> "3",
 * "—、" -> "一"), "" when there is none.  Two labels whose numerals differ
 * are different rows even when their words agree: "(六)其他" is the group,
 * "3.其他" its last leaf. */
void nb_text_ordinal_numeral(const char *compact, char out[16])
{
    memset(out, 0, 16);
    size_t i = compact[0] == '(';
    if (may_start_numeral((unsigned char)compact[i]))
        ordinal_len_n(compact, strlen(compact), out);
}

/* Bytes of the punctuation a label key drops at u (0: none): , . ; : ! ?
 * 、 。 · …  Matched on their bytes: each starts with ASCII or a lead byte,
 * so no match can begin inside another character. */
static size_t punct_len(const unsigned char *u)
{
    if (u[0] < 0x80)
        return u[0] == ',' || u[0] == '.' || u[0] == ';' || u[0] == ':' || u[0] == '!' || u[0] == '?';
    if (u[0] == 0xE3)
        return u[1] == 0x80 && (u[2] == 0x81 || u[2] == 0x82) ? 3 : 0; /* 、 。 */
    if (u[0] == 0xC2)
        return u[1] == 0xB7 ? 2 : 0;                                   /* · */
    if (u[0] == 0xE2)
        return u[1] == 0x80 && u[2] == 0xA6 ? 3 : 0;                   /* … */
    return 0;
}

/* The bytes that can start punctuation (punct_len) or be a bracket:
 * , . ; : ! ? ( ) and the lead bytes C2 E2 E3.  Constant data. */
static const bool KEY_SPECIAL[256] = {
    [','] = 1, ['.'] = 1, [';'] = 1, [':'] = 1, ['!'] = 1, ['?'] = 1, ['('] = 1, [')'] = 1,
    [0xC2] = 1, [0xE2] = 1, [0xE3] = 1,
};

/* Bytes of s[0, len) before its first KEY_SPECIAL byte (len: none).
 * Sixteen bytes a load: only the ASCII bytes and C2 C3 E2 E3 are asked
 * of the table (no other lead or continuation byte is special); was a
 * strcspn a run, whose set-up cost more than a label's run.  Inlined:
 * asked of every key, and of every run of one with punctuation. */
static inline size_t key_plain_run(const char *s, size_t len)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t i = 0;
#if defined(__SSE2__)
    if (len >= 16) {
        /* the last block is the 16 bytes ending at len: the bytes it
         * shares with the one before hold no special byte */
        unsigned ask;
        for (; (i = nb_block16_next(u, i, len, nb_u8_ask16, &ask)) < len; i += 16) {
            for (; ask; ask &= ask - 1)
                if (KEY_SPECIAL[u[i + (size_t)__builtin_ctz(ask)]])
                    return i + (size_t)__builtin_ctz(ask);
            if (i + 16 == len)
                break;
        }
        return len;
    }
#endif
    for (; i < len; i++)
        if (KEY_SPECIAL[u[i]])
            return i;
    return len;
}

/* Bytes of the leading ordinals of compact text c (len bytes, c[len] ==
 * '\0'), at most three (一、(二)3. and the like), the first one's numeral
 * put into num (zero-filled by the caller; NULL: not wanted) as it is
 * read: what a label key drops first. */
static size_t ordinals_len(const char *c, size_t len, char *num)
{
    size_t i = 0;
    for (int guard = 0; guard < 3; guard++) {
        size_t n = i < len ? ordinal_len_n(c + i, len - i, guard == 0 ? num : NULL) : 0;
        if (n == 0)
            break;
        i += n;
    }
    return i;
}

/* The label key of compact text c (len bytes, c[len] == '\0') after its
 * leading ordinals (ordinals_len: i bytes) into out (which may be c
 * itself: the copy runs forward); returns its length (text_internal.h).
 * Punctuation is dropped, and bracketed notes in the same pass: balanced
 * (...) anywhere, an unclosed "(" to the end (a note cut by a line
 * break), and the text up to a first ")" that comes before any "(" (a
 * note whose opening bracket was lost); a later ")" outside any note is
 * kept.  (Punctuation is never a bracket: dropping it first or after
 * leaves the same characters.) */
size_t nb_text_key_rest(const char *c, size_t i, size_t len, char *out)
{
    /* punctuation inside a label varies (、 , ，): the words decide */
    const char *p = c + i, *end = c + len;
    size_t o = 0;
    int depth = 0;       /* inside a note: dropped */
    bool opened = false; /* a "(" came */
    bool lost = false;   /* a ")" before any "(" dropped what came before it */
    while (p < end) {
        size_t plain = key_plain_run(p, (size_t)(end - p)); /* most labels: one run */
        if (plain) {
            if (!depth) {
                memmove(out + o, p, plain);
                o += plain;
            }
            p += plain;
            continue;
        }
        size_t n = punct_len((const unsigned char *)p);
        if (n) {
            p += n;
            continue;
        }
        if (*p == '(') {
            depth++;
            opened = true;
        } else if (*p == ')' && depth)
            depth--;
        else if (*p == ')' && !opened && !lost) {
            o = 0;
            lost = true;
        } else if (!depth)
            out[o++] = *p;
        p++;
    }
    /* trailing punctuation is layout, not label: dropped with the rest
     * (。 with it, and ： was folded to ':') */
    out[o] = '\0';
    return o;
}

/* The label key of compact text c into out (may be c), its length
 * returned, its first ordinal's numeral into num (as ordinals_len). */
static size_t key_to_n(const char *c, size_t len, char *out, char *num)
{
    return nb_text_key_rest(c, ordinals_len(c, len, num), len, out);
}

/* The label key of compact text c, made in c's own storage. */
static char *key_in_place(char *c)
{
    key_to_n(c, strlen(c), c, NULL);
    return c;
}

size_t nb_text_key_forms_n(const char *compact, size_t len, char *key, char ord[16])
{
    memset(ord, 0, 16); /* "" unless the first ordinal's numeral is put there */
    return key_to_n(compact, len, key, ord);
}

size_t nb_text_key_lead(const char *compact, size_t len, char ord[16], bool *tail)
{
    memset(ord, 0, 16); /* "" unless the first ordinal's numeral is put there */
    size_t i = ordinals_len(compact, len, ord);
    /* no punctuation, bracket or trailing stop after the ordinals: the
     * key is the rest as it is */
    *tail = key_plain_run(compact + i, len - i) == len - i;
    return i;
}

size_t nb_text_key_forms(const char *compact, char *key, char ord[16])
{
    return nb_text_key_forms_n(compact, strlen(compact), key, ord);
}

char *nb_text_label_key(const char *s)
{
    char *c = nb_text_compact(s);
    return c ? key_in_place(c) : NULL;
}

char *nb_text_key_of_compact(const char *compact)
{
    char *c = nb_strdup(compact);
    return c ? key_in_place(c) : NULL;
}

char *nb_text_key_in_place(char *compact_copy)
{
    return key_in_place(compact_copy);
}

/* Code points of s[0, len) into out (at most 256). */
static size_t decode_cps(const char *s, size_t len, uint32_t out[256])
{
    size_t n = 0;
    for (size_t i = 0; i < len && n < 256;)
        i += nb_u8_next(s + i, len - i, &out[n++]);
    return n;
}

static unsigned char cp_bit(uint32_t c)
{
    return (unsigned char)((c * 2654435761u) >> 26);
}

size_t nb_text_cp_bits(const char *s, unsigned char bits[256])
{
    uint32_t cps[256];
    size_t n = decode_cps(s, strlen(s), cps);
    for (size_t i = 0; i < n; i++)
        bits[i] = cp_bit(cps[i]);
    return n;
}

uint64_t nb_text_cp_set(const char *s)
{
    unsigned char bits[256];
    uint64_t set = 0;
    for (size_t i = 0, n = nb_text_cp_bits(s, bits); i < n; i++)
        set |= 1ull << bits[i];
    return set;
}

size_t nb_text_chars(const char *s, size_t len)
{
    size_t n = 0;
    for (size_t i = 0; i < len; n++) {
        uint32_t c;
        i += nb_u8_next(s + i, len - i, &c);
    }
    return n;
}

/* Levenshtein distance on the diagonal band |i - j| <= cap only, with
 * every value clamped to cap + 1: cells outside the band are further
 * than cap anyway, so the answer is that of the full table. */
size_t nb_text_distance_n(const char *a, size_t la, const char *b, size_t lb, size_t cap)
{
    uint32_t A[256], B[256];
    size_t na = decode_cps(a, la, A), nb = decode_cps(b, lb, B);
    if ((na > nb ? na - nb : nb - na) > cap)
        return cap + 1;
    size_t inf = cap + 1, r0[257], r1[257], *prev = r0, *cur = r1;
    for (size_t j = 0; j <= nb; j++)
        prev[j] = j < inf ? j : inf;
    for (size_t i = 1; i <= na; i++) {
        size_t lo = i > cap ? i - cap : 1, hi = i + cap < nb ? i + cap : nb;
        cur[lo - 1] = lo == 1 && i < inf ? i : inf;
        size_t best = cur[lo - 1];
        for (size_t j = lo; j <= hi; j++) {
            size_t d = prev[j - 1] + (A[i - 1] != B[j - 1]);
            if (prev[j] + 1 < d)
                d = prev[j] + 1;
            if (cur[j - 1] + 1 < d)
                d = cur[j - 1] + 1;
            cur[j] = d < inf ? d : inf;
            if (cur[j] < best)
                best = cur[j];
        }
        if (hi < nb)
            cur[hi + 1] = inf; /* the next row's band reaches one further */
        if (best > cap)
            return cap + 1;
        size_t *t = prev;
        prev = cur;
        cur = t;
    }
    return prev[nb] > cap ? cap + 1 : prev[nb];
}

size_t nb_text_distance(const char *a, const char *b, size_t cap)
{
    return nb_text_distance_n(a, strlen(a), b, strlen(b), cap);
}
