/* recognise_tokens.c - a table region as tokens: text, numbers, blanks.
 *
 * Cells are split on white space; inside a piece, digit runs are cut from
 * text (flattened pages glue 规范性文件77132470), a digit run followed by
 * "." and text is the next row's ordinal (…00000002.其他…), and a text piece
 * is cut before an ordinal such as （三） or 四、 so that glued labels come
 * apart.  Whole sentences (ending in 。) are prose, not table. */
#include "recognise_internal.h"
#include <stdio.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

void rc_toks_free(rc_toks *t)
{
    nb_arena_free(&t->strings);
    free(t->v);
    memset(t, 0, sizeof *t);
}

typedef struct tok_ctx {
    rc_toks *out;
    const rc_unit *u;
    const nb_lexicon *lex;
    bool ok;
    char *folded;        /* the slice being cut, folded (reused per slice):
                            local, or allocated when a slice outgrows it */
    size_t folded_cap;
    char *local;         /* rc_tokenise's buffer on the stack (TOK_LOCAL bytes) */
    const char *slice;   /* the slice being cut: folded, or the cell's text */
    const char *tail;    /* the unit's text the slice is (a copy of), when
                            the slice runs to the cell's end; else NULL */
    const char *tail_end; /* the slice's end when tail is set, else NULL
                             (no piece ends there: one test in in_cell) */
    size_t line_first;   /* the current line's first token (mark_headers) */
    size_t line_words;   /* its text tokens so far */
    bool line_values;    /* a number among them */
} tok_ctx;

/* nb_text_compact of s[0, len) when s is folded text without white
 * space (a piece of a folded slice): folding it again changes nothing,
 * so compacting only drops the quotes " ' 「 」 『 』 (E3 80 8C..8F). */
static size_t compact_of_folded(const char *s, size_t len, char *out)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t o = 0;
    for (size_t i = 0; i < len; i++) {
        if (u[i] == '"' || u[i] == '\'')
            continue;
        if (u[i] == 0xE3 && i + 2 < len && u[i + 1] == 0x80 && u[i + 2] >= 0x8C && u[i + 2] <= 0x8F) {
            i += 2;
            continue;
        }
        out[o++] = s[i];
    }
    out[o] = '\0';
    return o;
}

/* Bytes that can make a piece's compact form or label key differ from the
 * piece (it is folded text without white space): quotes, the punctuation
 * and brackets a key drops, and the lead bytes of 、 。 「 」 『 』 · … —
 * (every ordinal ends in one of them).  2 marks a quote compacting drops
 * (" '), 4 the lead byte of the others (「 」 『 』, and 、 。 …).
 * Constant data. */
static const unsigned char KEY_STOP[256] = {
    ['"'] = 2, ['\''] = 2, [','] = 1, ['.'] = 1, [';'] = 1, [':'] = 1, ['!'] = 1,
    ['?'] = 1, ['('] = 1, [')'] = 1, [0xC2] = 1, [0xE2] = 1, [0xE3] = 4,
};

/* What text_forms must know of a piece (folded text without white
 * space), from one pass bounded by it: its code points, whether a byte
 * can make its key differ from it (KEY_STOP), and whether compacting
 * drops a quote from it (then its compact form differs too). */
typedef struct piece_scan {
    size_t chars;
    bool stop, quote;
} piece_scan;

/* Does u[0, len) hold one of 「 」 『 』 (E3 80 8C..8F), quotes that
 * compacting drops?  Asked only of pieces with an E3 (most: 、 。). */
static bool has_corner_quote(const unsigned char *u, size_t len)
{
    for (const unsigned char *p = u, *end = u + len; (p = memchr(p, 0xE3, (size_t)(end - p))); p++)
        if (end - p > 2 && p[1] == 0x80 && p[2] >= 0x8C && p[2] <= 0x8F)
            return true;
    return false;
}

#if defined(__SSE2__)
/* Sixteen bytes of a piece at u into *chars and *stop (as scan_piece's
 * byte loop would): the character starts counted from one compare, the
 * KEY_STOP table asked only of the ASCII bytes and of C2 C3 E2 E3 (the
 * other lead and continuation bytes are no stop). */
static void scan_16(const unsigned char *u, size_t *chars, unsigned *stop)
{
    __m128i v = _mm_loadu_si128((const __m128i *)u);
    __m128i cont = _mm_cmpeq_epi8(_mm_and_si128(v, _mm_set1_epi8((char)0xC0)), _mm_set1_epi8((char)0x80));
    __m128i sum = _mm_sad_epu8(_mm_and_si128(cont, _mm_set1_epi8(1)), _mm_setzero_si128());
    *chars += 16 - (size_t)(_mm_cvtsi128_si32(sum) + _mm_cvtsi128_si32(_mm_unpackhi_epi64(sum, sum)));
    unsigned ask = nb_u8_ask16(v);
    for (; ask; ask &= ask - 1)
        *stop |= KEY_STOP[u[__builtin_ctz(ask)]];
}
#endif

static piece_scan scan_piece(const char *raw, size_t len)
{
    const unsigned char *u = (const unsigned char *)raw;
    size_t chars = 0, i = 0;
    unsigned stop = 0; /* KEY_STOP of every byte, or'ed */
#if defined(__SSE2__)
    for (; i + 16 <= len; i += 16)
        scan_16(u + i, &chars, &stop);
#endif
    for (; i + 8 <= len; i += 8) {
        uint64_t w;
        memcpy(&w, u + i, 8);
        if (nb_u8_word_plain(w)) {
            chars += nb_u8_starts8(w);
            continue;
        }
        for (size_t k = i; k < i + 8; k++) {
            chars += (u[k] & 0xC0) != 0x80;
            stop |= KEY_STOP[u[k]];
        }
    }
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    if (i < len && len >= 8) {
        /* the last rest as the word ending at len, its bytes before i (the
         * word's low bytes) made 0x80: neither a stop nor a character start */
        uint64_t w, seen = ~0ull >> (8 * (len - i));
        memcpy(&w, u + len - 8, 8);
        w = (w & ~seen) | (0x8080808080808080ull & seen);
        if (nb_u8_word_plain(w)) {
            chars += nb_u8_starts8(w);
            i = len;
        }
    }
#endif
    for (; i < len; i++) {
        chars += (u[i] & 0xC0) != 0x80;
        stop |= KEY_STOP[u[i]];
    }
    return (piece_scan){chars, stop != 0, (stop & 2) || ((stop & 4) && has_corner_quote(u, len))};
}

/* Does u[0, len) hold a byte of KEY_STOP?  scan_piece's stop without
 * its count: only ASCII bytes and C2 C3 E2 E3 are asked (the other lead
 * and continuation bytes are no stop); the last bytes as the 16 or 8
 * ending at len (a byte asked twice tells the same). */
static bool has_key_stop(const unsigned char *u, size_t len)
{
    size_t i = 0;
#if defined(__SSE2__)
    if (len >= 16) {
        unsigned ask;
        for (; (i = nb_block16_next(u, i, len, nb_u8_ask16, &ask)) < len; i += 16) {
            unsigned stop = 0;
            for (; ask; ask &= ask - 1)
                stop |= KEY_STOP[u[i + (size_t)__builtin_ctz(ask)]];
            if (stop)
                return true;
            if (i + 16 == len)
                break;
        }
        return false;
    }
#endif
    for (; i + 8 <= len; i += 8) {
        uint64_t w;
        memcpy(&w, u + i, 8);
        if (!nb_u8_word_plain(w))
            break;
    }
    for (; i < len; i++)
        if (KEY_STOP[u[i]])
            return true;
    return false;
}

/* The raw text (folded), compact form and label key of a text token, in
 * the arena; one string for all three when they are the same (most
 * labels), raw and compact one string when no quote is dropped, the key
 * a tail of the compact form when it is one (most labels with an
 * ordinal), borrowed when own is not NULL. */
static bool text_forms(nb_arena *a, rc_tok *t, const char *raw, size_t len, const char *own, piece_scan s)
{
    if (!s.stop) {
        t->key_chars = s.chars;
        t->raw = t->compact = t->key = own ? (char *)own : nb_arena_strndup(a, raw, len);
        t->compact_len = t->key_len = len; /* t->ord: all zero (no ordinal) */
        return t->raw != NULL;
    }
    if (own && !s.quote)
        t->raw = (char *)own;
    else if (!(t->raw = nb_arena_strndup(a, raw, len)))
        return false;
    t->compact = t->raw;
    t->compact_len = len;
    if (s.quote) {
        if (!(t->compact = nb_arena_alloc(a, len + 1)))
            return false;
        t->compact_len = compact_of_folded(raw, len, t->compact);
    }
    /* what matching asks of every text token, once instead of per read */
    bool tail;
    size_t lead = nb_text_key_lead(t->compact, t->compact_len, t->ord, &tail);
    if (tail) {
        t->key = t->compact + lead;
        t->key_len = t->compact_len - lead;
    } else if (!(t->key = nb_arena_alloc(a, t->compact_len - lead + 1)))
        return false;
    else
        t->key_len = nb_text_key_rest(t->compact, lead, t->compact_len, t->key);
    /* the key is the compact form with characters dropped: as long, it is
     * the same string; a tail of it, it has the code points after lead */
    t->key_chars = s.quote           ? nb_u8_count(t->key, t->key_len)
                   : t->key_len == len ? s.chars
                   : tail            ? s.chars - nb_u8_count(t->compact, lead)
                                     : nb_u8_count(t->key, t->key_len);
    return true;
}

/* raw[0, len) of the slice as a string of the document, when it
 * ends the slice and the slice is the cell's text as it is: the tokens
 * die before the document (nb_recognise), so it need not be copied.  No
 * reader writes through a token's strings (rc_tok's are char * only for
 * the table side's string lists), hence the casts from const. */
static const char *in_cell(const tok_ctx *c, const char *raw, size_t len)
{
    if (raw + len != c->tail_end)
        return NULL;
    return c->tail + (raw - c->slice);
}

/* Bytes [from, to) of t zeroed (to - from >= 16), by 16-byte stores of
 * one zeroed register, the last the 16 ending at to.  The compiler is not
 * told the register is zero (the empty asm): it would merge the stores
 * into a rep stos, as it does a compound literal or a memset; a copy of
 * a constant costs a load per store. */
static inline void zero_span(rc_tok *t, size_t from, size_t to)
{
    char *b = (char *)t;
#if defined(__SSE2__) && defined(__GNUC__)
    __m128i z = _mm_setzero_si128();
    __asm__("" : "+x"(z));
    size_t i = from;
    for (; i + 16 <= to; i += 16)
        _mm_storeu_si128((__m128i *)(b + i), z);
    if (i < to)
        _mm_storeu_si128((__m128i *)(b + to - 16), z);
#else
    memset(b + from, 0, to - from);
#endif
}

_Static_assert(sizeof(rc_tok) - offsetof(rc_tok, ord) >= 16 && offsetof(rc_tok, num) - offsetof(rc_tok, compact) >= 16 &&
                   sizeof(rc_tok) - offsetof(rc_tok, glued) >= 16,
               "put_tok's spans are zeroed 16 bytes at a time");

/* new_tok when the vector has room for it (out->n < out->cap): the
 * fields every token has set, the parts its kind leaves unset zeroed
 * (rc_tok), raw left to the caller. */
static inline rc_tok *put_tok(tok_ctx *c, rc_tok_kind k)
{
    rc_tok *t = &c->out->v[c->out->n++];
    if (k == RC_TEXT) {
        zero_span(t, offsetof(rc_tok, ord), sizeof *t); /* the rest text_forms sets */
    } else if (k == RC_NUM) {
        zero_span(t, offsetof(rc_tok, compact), offsetof(rc_tok, num)); /* num and st: the caller's */
        zero_span(t, offsetof(rc_tok, glued), sizeof *t);
    } else
        zero_span(t, offsetof(rc_tok, compact), sizeof *t);
    t->kind = k;
    c->line_values |= k == RC_NUM;
    c->line_words += k == RC_TEXT;
    t->lineno = c->u->lineno;
    t->cell = c->u->cell;
    t->line = c->u->line;
    t->in_row = c->u->row;
    t->header = false;
    return t;
}

/* Room for one more token, the vector doubled up to RC_MAX_TOKENS; false
 * at that size (out->cut, the rest of the region is not read) or when out
 * of memory (c->ok false). */
__attribute__((noinline)) static bool grow_toks(tok_ctx *c)
{
    rc_toks *out = c->out;
    if (out->cap >= RC_MAX_TOKENS) {
        if (!out->cut)
            out->cut_lineno = c->u->lineno;
        out->cut = true;
        return false;
    }
    size_t cap = out->cap ? 2 * out->cap : 64;
    cap = cap < RC_MAX_TOKENS ? cap : RC_MAX_TOKENS;
    rc_tok *v = realloc(out->v, cap * sizeof *v);
    if (!v) {
        c->ok = false;
        return false;
    }
    out->v = v;
    out->cap = cap;
    return true;
}

/* A new token of kind k for the context's unit, its other fields zero;
 * NULL when there is no room (grow_toks).  Inlined into the pushes of
 * each kind: a number's needs fewer registers than a text's. */
static inline rc_tok *new_tok(tok_ctx *c, rc_tok_kind k)
{
    if (c->out->n == c->out->cap && !grow_toks(c))
        return NULL;
    return put_tok(c, k);
}

/* A text token of raw[0, len) as scanned (s); own: in_cell's answer. */
static inline rc_tok *push_text_scanned(tok_ctx *c, const char *raw, size_t len, const char *own, piece_scan s)
{
    rc_tok *t = new_tok(c, RC_TEXT);
    if (t && !text_forms(&c->out->strings, t, raw, len, own, s))
        c->ok = false;
    return t;
}

/* A text token of raw[0, len), a piece of the folded slice.  A piece
 * that is its unit's whole text, when that is its own compact form (most
 * labels of a table), has the unit's code points (counted by
 * rc_doc_build) and no quote (none is kept): only its stops are looked
 * for. */
static rc_tok *push_text(tok_ctx *c, const char *raw, size_t len)
{
    const char *own = in_cell(c, raw, len);
    const rc_unit *u = c->u;
    piece_scan s = own == u->text && len == u->len && u->compact == u->text
                       ? (piece_scan){u->compact_chars, has_key_stop((const unsigned char *)raw, len), false}
                       : scan_piece(raw, len);
    return push_text_scanned(c, raw, len, own, s);
}

/* A number token (its value set by the caller) of raw[0, len); own:
 * in_cell's answer for it. */
static rc_tok *push_num(tok_ctx *c, const char *raw, size_t len, const char *own)
{
    rc_tok *t = new_tok(c, RC_NUM);
    if (!t)
        return NULL;
    if (!(t->raw = own ? (char *)own : nb_arena_strndup(&c->out->strings, raw, len)))
        c->ok = false;
    return t;
}

/* An empty cell's token: nothing to own, no arena byte for its "". */
static void push_blank(tok_ctx *c)
{
    rc_tok *t = new_tok(c, RC_BLANK);
    if (t)
        t->raw = (char *)"";
}

/* Can one of the lexicon's numerals start at s?  Told by the second and
 * third bytes (the lexicon's numeral_pair): the ideographs that share a
 * lead byte, or a lead and a second byte (上 下 不 中 with 一 三 七), with
 * 一..十 mostly pass either. */
static bool may_be_cn_num(const tok_ctx *c, const char *s)
{
    const unsigned char *u = (const unsigned char *)s;
    return c->lex->numeral_short || (u[0] && u[1] && (c->lex->numeral_pair[u[1]] >> (u[2] & 63) & 1));
}

/* The lexicon's numerals; this runs on every character, and most are
 * rejected by may_be_cn_num. */
static bool is_cn_num(const tok_ctx *c, const char *s, size_t *len)
{
    if (!may_be_cn_num(c, s)) {
        *len = 0;
        return false;
    }
    *len = nb_words_prefix(&c->lex->numerals, s);
    return *len > 0;
}

static bool is_digit(char ch)
{
    return ch >= '0' && ch <= '9';
}

/* Did a numeral end just before s (s > start)?  十一、 is one ordinal, not 一、 */
static bool numeral_before(const nb_lexicon *lex, const char *s, const char *start)
{
    for (size_t i = 0; i < lex->numerals.n; i++) {
        size_t l = strlen(lex->numerals.v[i]);
        if ((size_t)(s - start) >= l && strncmp(s - l, lex->numerals.v[i], l) == 0)
            return true;
    }
    return false;
}

/* An ordinal that starts a new label inside glued text: (三) （三） 四、 */
static bool ordinal_here(const tok_ctx *c, const char *s, const char *start)
{
    const nb_lexicon *lex = c->lex;
    size_t n;
    /* most characters of glued text: no bracket (its first byte) and no numeral */
    if (*s != '(' && (unsigned char)*s != 0xEF && !may_be_cn_num(c, s))
        return false;
    if (s > start && s - start >= 3 && strncmp(s - 3, "第", 3) == 0)
        return false; /* 第二十条第（一）项 is a caption */
    if (*s == '(' || strncmp(s, "（", 3) == 0) {
        const char *p = s + (*s == '(' ? 1 : 3);
        if (!is_cn_num(c, p, &n))
            return false;
        p += n;
        return *p == ')' || strncmp(p, "）", 3) == 0;
    }
    if (is_cn_num(c, s, &n) && strncmp(s + n, "、", 3) == 0)
        return s - start < 3 || !numeral_before(lex, s, start);
    return false;
}

/* Can a number start at p (scan_number returns 0 otherwise)?  Told
 * before the call: glued text asks at every character. */
static bool may_start_number(const char *p)
{
    return is_digit(p[0]) || ((p[0] == '-' || p[0] == '+') && is_digit(p[1]));
}

/* Whether the number s..end, with a comma in it that could group
 * thousands (1,234), sits between commas that separate cells instead: a
 * comma-separated row (Excel's CSV, "…数量,,48,25,0,0,36,37,146,")
 * puts one right before it after a digit or an empty cell, or right after
 * it before a digit, another comma or the end.  Where commas part cells
 * they cannot also group digits, and taking 37,146 as 37146 would blame
 * the report for a row that does not add up. */
static bool comma_delimited(const char *s, const char *end, const char *piece)
{
    if (s - piece >= 2 && s[-1] == ',' && (is_digit(s[-2]) || s[-2] == ','))
        return true;
    return *end == ',' && (is_digit(end[1]) || end[1] == ',' || end[1] == '\0');
}

/* Scans a number at s; returns its length (0 if none).  *ordinal is set
 * when the digits are followed by "." or "、" and text: a row ordinal. */
static size_t scan_number(const nb_lexicon *lex, const char *s, const char *piece, size_t *unit_len, bool *ordinal)
{
    const char *p = s;
    *unit_len = 0;
    *ordinal = false;
    if ((*p == '-' || *p == '+') && is_digit((char)p[1]))
        p++;
    if (!is_digit((char)*p))
        return 0;
    const char *digits = p;
    bool grouped = false;
    for (;; p++) {
        if (*p == ',' && is_digit((char)p[1]) && is_digit((char)p[2]) && is_digit((char)p[3]) &&
            !is_digit((char)p[4]) && p > s)
            grouped = true;
        else if (!is_digit((char)*p) && !(*p == '.' && is_digit((char)p[1])))
            break;
    }
    if (grouped && comma_delimited(s, p, piece)) { /* 36,37,146: three cells, not 36 and 37146 */
        p = digits;
        while (is_digit((char)*p) || (*p == '.' && is_digit((char)p[1])))
            p++;
    }
    if ((*p == '.' || strncmp(p, "、", 3) == 0) && p[*p == '.' ? 1 : 3] != '\0' &&
        !is_digit((char)p[*p == '.' ? 1 : 3]) && p[*p == '.' ? 1 : 3] != ' ')
        *ordinal = true;
    else if ((*p == '.' || strncmp(p, "、", 3) == 0) && p[*p == '.' ? 1 : 3] == '\0' && p - s <= 2 &&
             s == piece)
        *ordinal = true; /* "1." alone: the label follows in the next piece */
    if (!*ordinal && lex->units.lead[(unsigned char)*p]) /* most numbers: no unit after */
        *unit_len = nb_words_prefix(&lex->units, p);
    return (size_t)(p - s);
}

/* Does a date's 年, 月 or 日 follow a number here (after blanks)?  The
 * number is then part of a date ("截至2024年12月31日"), never a count. */
static bool date_part_at(const char *p)
{
    while (*p == ' ')
        p++;
    return strncmp(p, "年", 3) == 0 || strncmp(p, "月", 3) == 0 || strncmp(p, "日", 3) == 0;
}

/* nb_num_parse of s[0, len) without its thousands separators. */
static bool parse_grouped(const char *s, size_t len, nb_num *out)
{
    char digits[64];
    size_t k = 0;
    for (size_t i = 0; i < len && k < sizeof digits - 1; i++)
        if (s[i] != ',')
            digits[k++] = s[i];
    digits[k] = '\0';
    return nb_num_parse(digits, out);
}

/* push_number in general: a copy of the text when it is not the cell's,
 * separators, a decimal point, a unit, too many digits, a full vector. */
__attribute__((noinline)) static void push_number_any(tok_ctx *c, const char *s, size_t len, size_t unit_len,
                                                      const char *own)
{
    rc_tok *t = push_num(c, s, len + unit_len, own);
    if (!t)
        return;
    size_t digits = 0;
    int64_t v = 0;
    for (; digits < len && is_digit(s[digits]); digits++)
        if (digits < 18) /* more cannot be one value (nb_num_parse) */
            v = v * 10 + (s[digits] - '0');
    bool plain = digits == len;
    if (plain && len && len <= 18)
        t->num = (nb_num){v, 0}; /* what nb_num_parse makes of a bare digit run */
    else if (!parse_grouped(s, len, &t->num)) {
        /* too long for one value: only a glued run can be that long; if
         * it is not cut into cells, it is placed as no value (rc_place_*) */
        t->num = nb_num_int(0);
        t->glued = true;
        t->overlong = true;
    }
    t->st = NB_CELL_OK;
    t->glued |= plain && len >= 2;
    if (unit_len) {
        t->has_unit = true;
        snprintf(t->unit, sizeof t->unit, "%.*s", (int)unit_len, s + len);
    }
}

/* A number token of s[0, len) and its unit s[len, len + unit_len).  Most
 * are a bare run of a few digits, the cell's own text, with room in the
 * vector: those are pushed with no call (so no frame), the rest by
 * push_number_any. */
static void push_number(tok_ctx *c, const char *s, size_t len, size_t unit_len)
{
    const char *own = in_cell(c, s, len + unit_len);
    if (unit_len || !own || !len || len > 18 || c->out->n == c->out->cap) {
        push_number_any(c, s, len, unit_len, own);
        return;
    }
    int64_t v = 0;
    for (size_t i = 0; i < len; i++) {
        if (!is_digit(s[i])) {
            push_number_any(c, s, len, unit_len, own);
            return;
        }
        v = v * 10 + (s[i] - '0');
    }
    rc_tok *t = put_tok(c, RC_NUM);
    t->raw = (char *)own;
    t->num = (nb_num){v, 0}; /* what nb_num_parse makes of a bare digit run */
    t->st = NB_CELL_OK;
    t->glued = len >= 2;
}

/* nb_words_equal with its first-byte filter before the call: it runs on
 * every piece, and most (numbers, labels) start no such word. */
static bool is_word(const nb_wordlist *w, const char *piece)
{
    return w->lead[(unsigned char)piece[0]] && nb_words_equal(w, piece);
}

/* Bytes without which glued text is one text token: a digit starts
 * every number, '(' and （ (EF) every bracketed ordinal, 、 (E3) ends
 * every other (ordinal_here).  E3 also leads 。 《 》 and EF ， ：:
 * those pieces take the loop, which tells them apart.  Constant data. */
static const bool GLUE_CUT[256] = {
    ['0'] = 1, ['1'] = 1, ['2'] = 1, ['3'] = 1, ['4'] = 1, ['5'] = 1, ['6'] = 1, ['7'] = 1, ['8'] = 1,
    ['9'] = 1, ['('] = 1, [0xE3] = 1, [0xEF] = 1,
};

#if defined(__SSE2__)
/* GLUE_CUT of a 16-byte block, one bit a byte: a digit, '(', E3 or EF. */
static inline unsigned glue_cut16(__m128i v)
{
    __m128i d = _mm_sub_epi8(v, _mm_set1_epi8('0'));
    __m128i cut = _mm_or_si128(_mm_cmpeq_epi8(_mm_min_epu8(d, _mm_set1_epi8(9)), d),
                               _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('(')),
                                            _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8((char)0xE3)),
                                                         _mm_cmpeq_epi8(v, _mm_set1_epi8((char)0xEF)))));
    return (unsigned)_mm_movemask_epi8(cut);
}
#endif

/* Does u[0, len) hold a byte of GLUE_CUT?  Sixteen bytes a compare, the
 * last as the 16 ending at len (a byte asked twice tells the same). */
static bool may_cut_glued(const unsigned char *u, size_t len)
{
    size_t i = 0;
#if defined(__SSE2__)
    if (len >= 16) {
        unsigned m;
        return nb_block16_next(u, 0, len, glue_cut16, &m) < len;
    }
#endif
    for (; i < len; i++)
        if (GLUE_CUT[u[i]])
            return true;
    return false;
}

/* Bytes of u[0, len) up to and with its last GLUE_CUT byte (0: none):
 * after them the loop below cuts nowhere.  Searched from the end,
 * sixteen bytes a compare (the first as the 16 at the start). */
static size_t last_cut_end(const unsigned char *u, size_t len)
{
#if defined(__SSE2__)
    if (len >= 16) {
        /* blocks ending at end, back to the one at 0 (which may overlap
         * bytes already found clear) */
        for (size_t end = len;;) {
            size_t start = end >= 16 ? end - 16 : 0;
            __m128i v = _mm_loadu_si128((const __m128i *)(u + start));
            unsigned m = glue_cut16(v);
            if (m)
                return start + 32 - (size_t)__builtin_clz(m); /* just after its highest bit */
            if (!start)
                return 0;
            end = start;
        }
    }
#endif
    size_t i = len;
    while (i && !GLUE_CUT[u[i - 1]])
        i--;
    return i;
}

/* piece: len bytes, NUL-terminated. */
__attribute__((noinline)) static void tokenise_piece_any(tok_ctx *c, const char *piece, size_t len)
{
    if (is_word(&c->lex->not_applicable, piece)) {
        rc_tok *t = push_num(c, piece, len, in_cell(c, piece, len));
        if (t) {
            t->st = NB_CELL_NA;
            t->num = nb_num_int(0);
        }
        return;
    }
    if (is_word(&c->lex->zero_words, piece)) {
        rc_tok *t = push_num(c, piece, len, in_cell(c, piece, len));
        if (t) {
            t->st = NB_CELL_OK;
            t->num = nb_num_int(0);
        }
        return;
    }
    /* glued text with nothing the loop below cuts at (most words
     * between the numbers of flattened text): one text token, as the
     * loop would push it, without its step a character */
    if (!c->u->row && len && !may_cut_glued((const unsigned char *)piece, len)) {
        push_text(c, piece, len);
        return;
    }
    /* In a table row every cell is its own token: "数据1" is a header,
     * not a label with a value.  Only flattened text glues cells. */
    if (c->u->row) {
        /* most cells of a row: a bare digit run, which scan_number takes
         * whole (no sign, separator, ordinal mark or unit follows it) */
        size_t run = 0;
        while (is_digit(piece[run]))
            run++;
        if (run == len && len) {
            push_number(c, piece, len, 0);
            return;
        }
        size_t ul = 0;
        bool ord = false;
        size_t nl = may_start_number(piece) ? scan_number(c->lex, piece, piece, &ul, &ord) : 0, tail = 0;
        if (nl && !ord && piece[nl + ul] == '\0') {
            push_number(c, piece, nl, ul);
            return;
        }
        while (tail < len && is_digit(piece[len - 1 - tail]))
            tail++;
        /* …政府信息6101008: a label with its values glued on (two digits
         * at least; 数据1 is a heading) goes through the splitter */
        if (tail < 2 || tail == len) {
            push_text(c, piece, len);
            return;
        }
    }
    const char *text = NULL; /* start of pending text */
    int depth = 0;           /* digits in a bracketed note (指2020年…如-8) are words */
    /* past the last digit, bracket or E3/EF byte nothing is cut (they
     * start every number and ordinal): the rest is the pending text's */
    const char *clean = piece + last_cut_end((const unsigned char *)piece, len);
    for (const char *p = piece; *p;) {
        if (p >= clean) {
            if (!text)
                text = p;
            break;
        }
        /* inside pending text, a three-byte character that is no bracket
         * (EF: full-width forms) and cannot start a numeral cuts nothing:
         * most of glued text (the piece is valid UTF-8: folded or kept; a cut
         * character still never steps over the NUL) */
        if (text && (unsigned char)(*p - 0xE0) < 0x0F && p[1] && p[2] && !may_be_cn_num(c, p)) {
            p += 3;
            continue;
        }
        size_t ul = 0;
        bool ord = false;
        depth += *p == '(' ? 1 : *p == ')' && depth > 0 ? -1 : 0;
        size_t nl = depth || !may_start_number(p) ? 0 : scan_number(c->lex, p, piece, &ul, &ord);
        if (nl && !ul && !ord && date_part_at(p + nl))
            nl = 0; /* "2024年12月31日" in a note under a table: words, no values */
        if (nl && ord) {
            /* ordinal: the last digit starts the next label; digits before it are values */
            if (nl > 1 && !(p[0] == '-' || p[0] == '+')) {
                if (text) {
                    push_text(c, text, (size_t)(p - text));
                    text = NULL;
                }
                push_number(c, p, nl - 1, 0);
                p += nl - 1;
            } else if (text) {
                push_text(c, text, (size_t)(p - text));
                text = NULL;
            }
            text = p;
            p += 1;
            continue;
        }
        if (nl) {
            if (text)
                push_text(c, text, (size_t)(p - text));
            text = NULL;
            push_number(c, p, nl, ul);
            p += nl + ul;
            continue;
        }
        if (text && p != text && ordinal_here(c, p, piece)) {
            push_text(c, text, (size_t)(p - text));
            text = p;
        } else if (!text)
            text = p;
        uint32_t cp;
        p += nb_u8_next(p, 4, &cp); /* not strlen: that made long lines quadratic */
    }
    if (text && *text)
        push_text(c, text, (size_t)(piece + len - text));
}

/* A cell of replacement characters (U+FFFD: bytes the decoder could not
 * read, UTF-8-REPAIRED) or question marks (what a lossy conversion leaves
 * for a character it could not map). */
static bool unreadable_text(const char *s, size_t len)
{
    size_t i = 0;
    while (i < len) {
        if (s[i] == '?')
            i++;
        else if (len - i >= 3 && (memcmp(s + i, "\xEF\xBF\xBD", 3) == 0 || memcmp(s + i, "\xEF\xBC\x9F", 3) == 0))
            i += 3; /* U+FFFD, U+FF1F */
        else
            return false;
    }
    return len > 0;
}

/* Such a cell after the label or a value of a row (a cell of its own),
 * or such a piece right after a number in a line of text (cells spaced
 * apart): a value no one can read.  It keeps its place as a number token
 * of no value, status ambiguous, so the cells after it stay in their
 * columns; taken for text, it was dropped and the row read one cell
 * short (a "lost total" made up, then errors blamed on the report). */
static bool push_unreadable(tok_ctx *c, const char *piece, size_t len)
{
    if (!unreadable_text(piece, len)) /* first: most pieces it is asked of are （一） and the like */
        return false;
    const rc_toks *o = c->out;
    bool after_value = o->n > c->line_first && o->v[o->n - 1].kind == RC_NUM;
    if (!(c->u->row ? c->u->cell > 0 && (c->line_values || c->line_words) : after_value))
        return false;
    rc_tok *t = push_num(c, piece, len, in_cell(c, piece, len));
    if (t) {
        t->num = nb_num_int(0);
        t->st = NB_CELL_AMBIGUOUS;
    }
    return true;
}

/* tokenise_piece_any, with a row's cell that is plain text (no
 * not-applicable or zero word and no number can start it, fewer than two
 * digits end it: most labels and headings of a table) pushed as one text
 * token before it is entered, as it would push it; an unreadable
 * value cell first (push_unreadable). */
static inline void tokenise_piece(tok_ctx *c, const char *piece, size_t len)
{
    unsigned char b = (unsigned char)piece[0];
    if ((b == '?' || b == 0xEF) && push_unreadable(c, piece, len))
        return;
    if (c->u->row && len && !c->lex->cell_word_lead[b] &&
        !may_start_number(piece) && !(len >= 2 && is_digit(piece[len - 1]) && is_digit(piece[len - 2]))) {
        push_text(c, piece, len);
        return;
    }
    tokenise_piece_any(c, piece, len);
}

/* A piece that is a bare digit run (most cells of a table): its number
 * pushed before tokenise_piece is entered, as tokenise_piece would push
 * it (no not-applicable or zero word starts with its first byte).  In a
 * row, or glued text too: there scan_number takes the whole run (no
 * sign, separator, ordinal mark or unit follows it) and pushes the same
 * number.  The run is valued as it is found (push_number would read it
 * again); whole: the piece is its cell's text (its own string), else
 * in_cell tells, or it is copied.  Always inlined: a call per cell cost
 * more than the run.  False: tokenise_piece's to cut. */
static inline __attribute__((always_inline)) bool bare_digits(tok_ctx *c, const char *piece, size_t len, bool whole)
{
    unsigned char b = (unsigned char)piece[0];
    if (!is_digit(piece[0]) || c->lex->cell_word_lead[b])
        return false;
    uint64_t v = 0; /* wraps past 19 digits: used only up to 18 */
    size_t run = 0;
    for (; is_digit(piece[run]); run++)
        v = v * 10 + (uint64_t)(piece[run] - '0');
    if (run != len)
        return false;
    /* own is asked in each branch, not once before: the common path
     * compiled longer so (measured) */
    if (len > 18 || c->out->n == c->out->cap) {
        push_number_any(c, piece, len, 0, whole ? piece : in_cell(c, piece, len));
        return true;
    }
    /* a piece the slice goes on after (cells of several values): its copy */
    const char *own = whole ? piece : in_cell(c, piece, len);
    if (!own && !(own = nb_arena_strndup(&c->out->strings, piece, len))) {
        c->ok = false;
        return true;
    }
    rc_tok *t = put_tok(c, RC_NUM);
    t->raw = (char *)own;
    t->num = (nb_num){(int64_t)v, 0}; /* what nb_num_parse makes of a bare digit run */
    t->st = NB_CELL_OK;
    t->glued = len >= 2;
    return true;
}

static size_t dash_len(const char *p)
{
    if (*p == '-')
        return 1;
    if (strncmp(p, "—", 3) == 0 || strncmp(p, "–", 3) == 0)
        return 3;
    return 0;
}

/* A page's number, 1 to 3 digits, at *p: moved past them. */
static bool page_digits(const char **p)
{
    size_t n = 0;
    while (n < 4 && is_digit((*p)[n]))
        n++;
    if (n == 0 || n > 3)
        return false;
    *p += n;
    return true;
}

static bool skip_word(const char **p, const char *w)
{
    size_t n = strlen(w);
    if (strncmp(*p, w, n) != 0)
        return false;
    *p += n;
    return true;
}

/* "第 2 页", "共 9 页" or "Page 2": moved past it. */
static bool page_part(const char **p)
{
    const char *q = *p;
    if ((skip_word(&q, "第") || skip_word(&q, "共")) && page_digits(&q) && skip_word(&q, "页")) {
        *p = q;
        return true;
    }
    if (strncasecmp(*p, "page", 4) != 0)
        return false;
    q = *p + 4;
    if (!page_digits(&q) || (skip_word(&q, "of") && !page_digits(&q)))
        return false;
    *p = q;
    return true;
}

/* Page furniture of a PDF or a Word file, told on the unit's compact form
 * (nb_text_compact of its text, made by rc_doc_build: no blanks, widths
 * folded): "- 4 -", "-3-", "第 2 页", "第 2 页，共 9 页", "共 9 页 第 2 页",
 * "2 / 9", "Page 2 of 9".  In a table each would give a row values it has
 * not.  A bare "4" is a value.  Most cells are told by their first byte,
 * which must start a dash (-, — or –: 2D, E2), 第 or 共 (E7, E5), a digit
 * or P. */
static const bool PAGE_LEAD[256] = {['-'] = true, [0xE2] = true, [0xE7] = true, [0xE5] = true,
                                    ['0'] = true, ['1'] = true, ['2'] = true, ['3'] = true,
                                    ['4'] = true, ['5'] = true, ['6'] = true, ['7'] = true,
                                    ['8'] = true, ['9'] = true, ['P'] = true, ['p'] = true};

static bool is_page_number(const rc_unit *u)
{
    const char *p = u->compact;
    unsigned char b = (unsigned char)p[0];
    /* E7 and E5 lead many words: only 第 (E7 AC AC) and 共 (E5 85 B1) start furniture */
    if (!PAGE_LEAD[b] || (b == 0xE7 && ((unsigned char)p[1] != 0xAC || (unsigned char)p[2] != 0xAC)) ||
        (b == 0xE5 && ((unsigned char)p[1] != 0x85 || (unsigned char)p[2] != 0xB1)))
        return false;
    size_t n, lead = 0, trail = 0;
    while ((n = dash_len(p))) {
        p += n;
        lead++;
    }
    bool part = page_part(&p);
    if (part) { /* a second part: "第 2 页，共 9 页" */
        const char *q = p;
        if (!skip_word(&q, ",") && !skip_word(&q, "/"))
            skip_word(&q, "、");
        if (page_part(&q))
            p = q;
    } else if (!page_digits(&p)) {
        return false;
    } else if (skip_word(&p, "/")) { /* "2/9" */
        if (!page_digits(&p))
            return false;
        part = true;
    }
    while ((n = dash_len(p))) {
        p += n;
        trail++;
    }
    return *p == '\0' && (part || (lead && trail));
}

static bool is_continuation(char b)
{
    return ((unsigned char)b & 0xC0) == 0x80;
}

/* Folds text[s, e) of the context's unit into the context's buffer; a
 * unit that folding leaves as it is is copied (when the slice is cut at
 * character starts, as slices are). */
static char *fold_slice(tok_ctx *c, const char *text, size_t s, size_t e)
{
    size_t room = NB_TEXT_FOLD_ROOM(e - s);
    if (room > c->folded_cap) {
        /* nothing in it is kept from one slice to the next: no copy */
        char *grown = realloc(c->folded == c->local ? NULL : c->folded, room);
        if (!grown)
            return NULL;
        c->folded = grown;
        c->folded_cap = room;
    }
    c->tail = c->tail_end = NULL;
    if (c->u->fold_same && !is_continuation(text[s]) && !is_continuation(text[e])) {
        memcpy(c->folded, text + s, e - s);
        c->folded[e - s] = '\0';
        if (e == c->u->len) {
            c->tail = text + s;
            c->tail_end = c->folded + (e - s);
        }
    } else if (s == 0 && e == c->u->len && c->u->compact_folded) {
        /* the whole cell, whose compact form is its fold (full-width
         * forms, no space): copied, not folded again; a piece that ends
         * the slice is that string's end (it lives as long as the text) */
        memcpy(c->folded, c->u->compact, c->u->compact_len + 1);
        c->tail = c->u->compact;
        c->tail_end = c->folded + c->u->compact_len;
    } else
        nb_text_transform_to(text + s, e - s, false, c->folded);
    c->slice = c->folded;
    return c->folded;
}

/* Just after the last 。 (E3 80 82) in text[s, e), or s: found by its
 * first byte with memchr (memmem cost more to set up than to search). */
static size_t after_last_sentence(const char *text, size_t s, size_t e)
{
    size_t from = s;
    if (e - s < 3)
        return s; /* most cells are a short number: no 。 fits */
    for (const char *p = text + s, *end = text + e; (p = memchr(p, 0xE3, (size_t)(end - p))); p++)
        if (end - p >= 3 && (unsigned char)p[1] == 0x80 && (unsigned char)p[2] == 0x82)
            from = (size_t)(p + 3 - text);
    return from;
}

/* The end of the piece at p: the next ' ', '\r' or NUL.  Most pieces
 * are a few bytes (numbers): looked at bytewise first, strcspn for the
 * rest of a long one (its setup cost more than a short piece's bytes). */
static char *piece_end(char *p)
{
    for (int i = 0; i < 16; i++, p++)
        if (*p == ' ' || *p == '\r' || *p == '\0')
            return p;
    return p + strcspn(p, " \r");
}

/* Is the unit's text one piece as it is?  It is when rc_doc_build found
 * it its own compact form by its kept prefix (compact is text itself):
 * every character is kept by folding, none is a ' ' or '\r' (where
 * pieces are cut; compacting keeps '\r', so its length tells nothing).
 * Then it is cut in place, without the copy fold_slice makes.  Most
 * cells are. */
static bool whole_piece(const rc_unit *u)
{
    return u->compact == u->text && u->len > 0;
}

/* Is every byte of u[0, len) one of a character led by E4..E9 (no
 * ASCII byte, no E3: a unit that is its own compact form holds no other
 * lead)?  Sixteen bytes a test (eight below sixteen), the last block as
 * the one ending at len (a byte tested twice tells the same). */
static bool all_ideographs(const unsigned char *u, size_t len)
{
    size_t i = 0;
#if defined(__SSE2__)
    if (len >= 16) {
        unsigned m;
        return nb_block16_next(u, 0, len, nb_u8_ask16, &m) == len;
    }
#endif
    if (len >= 8) {
        uint64_t w;
        for (;; i += 8) {
            if (i + 8 > len)
                i = len - 8;
            memcpy(&w, u + i, 8);
            if (!nb_u8_word_plain(w))
                return false;
            if (i + 8 == len)
                return true;
        }
    }
    for (; i < len; i++)
        if (!(u[i] & 0x80) || (u[i] & 0xDE) == 0xC2)
            return false;
    return true;
}

/* A whole cell that is its own compact form and all ideographs (most
 * labels and headings): no sentence end, digit, bracket, ordinal or key
 * stop in it, so tokenise_slice would push it as one text token of its
 * text with the unit's code points; pushed so after one test of its
 * bytes.  Not when a not-applicable or zero word may start it (false:
 * tokenise_slice's to cut). */
static bool plain_cell(tok_ctx *c, const char *text, size_t len)
{
    const rc_unit *u = c->u;
    unsigned char b = (unsigned char)text[0];
    if (!whole_piece(u) || c->lex->cell_word_lead[b] ||
        !all_ideographs((const unsigned char *)text, len))
        return false;
    push_text_scanned(c, text, len, text, (piece_scan){u->compact_chars, false, false});
    return true;
}

static void tokenise_slice(tok_ctx *c, const char *text, size_t s, size_t e)
{
    if (s == e) {
        /* an empty cell (most in a table): nothing to fold or cut */
        if (c->u->row)
            push_blank(c);
        return;
    }
    if (s == 0 && e == c->u->len && plain_cell(c, text, e))
        return;
    /* drop whole sentences: prose around a table is not table */
    s = after_last_sentence(text, s, e);
    if (s == 0 && e == c->u->len && whole_piece(c->u)) {
        /* not a bare digit run: rc_tokenise asked of the whole cell */
        c->slice = c->tail = text;
        c->tail_end = text + e;
        tokenise_piece(c, text, e);
        return;
    }
    char *folded = fold_slice(c, text, s, e);
    if (!folded) {
        c->ok = false;
        return;
    }
    bool any = false;
    for (char *p = folded; *p;) {
        /* folding made every white space but '\r' a ' ' (and the text
         * valid UTF-8): pieces are cut at those two bytes */
        if (*p == ' ' || *p == '\r') {
            p++;
            continue;
        }
        char *q = piece_end(p);
        char save = *q;
        *q = '\0';
        if (!bare_digits(c, p, (size_t)(q - p), false))
            tokenise_piece(c, p, (size_t)(q - p));
        *q = save;
        p = q;
        any = true;
    }
    if (!any && c->u->row)
        push_blank(c);
}

/* A table row with no value and several words is a heading row: its words
 * name columns (…总计), and must not be taken for the row labels they
 * resemble.  A label (and its group) over empty cells is a blank row.
 * Told of the line whose tokens end the stream, from the counts push
 * kept (a line's units are consecutive, so its tokens are): no second
 * pass over the tokens. */
static void end_line(tok_ctx *c)
{
    rc_toks *t = c->out;
    if (c->line_words >= 3 && !c->line_values && t->v[c->line_first].in_row) /* words: a token there */
        for (size_t k = c->line_first; k < t->n; k++)
            t->v[k].header = true;
    c->line_first = t->n;
    c->line_words = 0;
    c->line_values = false;
}

/* The document's head: what is before its first section heading (title,
 * agency, preamble), and the lengths of its first short lines. */
typedef struct head_lines {
    size_t end;       /* the heading's first unit; d->n when none is found */
    uint64_t lens[3]; /* bit n: a line of n bytes (compact), n < 192 */
} head_lines;

static void head_lines_find(const rc_doc *d, head_lines *h)
{
    memset(h, 0, sizeof *h);
    h->end = d->n;
    for (int i = 0; i < 6; i++)
        if (d->sec_found[i] && d->sec_start[i].unit < h->end)
            h->end = d->sec_start[i].unit;
    for (size_t i = 0, seen = 0; i < h->end && seen < 24; i++) {
        size_t n = d->u[i].compact_len;
        if (n && n <= 150) { /* the head's first short lines: a preamble may run long */
            h->lens[n / 64] |= (uint64_t)1 << (n % 64);
            seen++;
        }
    }
}

/* A page's running header (or footer) in a PDF's or Word file's text, met
 * again inside a table: the report's title, with or without its year, or a
 * short line of the document's head (the agency's name).  Its words would
 * split a run of values, its year be read as one.  Told cheaply first: a
 * title is a long line that ends with a report word, a head line has the
 * length of one. */
static bool is_running_header(const rc_doc *d, size_t ui, const head_lines *h)
{
    const rc_unit *u = &d->u[ui];
    size_t n = u->compact_len;
    if (n < 6 || n > 200 || ui < h->end)
        return false;
    if (n >= 18 && nb_words_suffix(&d->lex->report_words, u->compact, n) && rc_unit_names_report(d, ui, false))
        return true;
    if (n > 150 || !(h->lens[n / 64] >> (n % 64) & 1))
        return false;
    for (size_t i = 0, seen = 0; i < h->end && seen < 24; i++) {
        const rc_unit *l = &d->u[i];
        if (!l->compact_len || l->compact_len > 150)
            continue;
        seen++;
        if (l->compact_len == n && memcmp(l->compact, u->compact, n) == 0)
            return true;
    }
    return false;
}

/* Bytes of rc_tokenise's fold buffer on the stack: most slices (a cell,
 * the tail of a line after its last sentence) fold into it, with no
 * malloc and free per table. */
#define TOK_LOCAL 1024

bool rc_tokenise(const rc_doc *d, rc_pos a, rc_pos b, rc_toks *out)
{
    char local[TOK_LOCAL];
    tok_ctx c = {.out = out, .lex = d->lex, .ok = true, .folded = local, .folded_cap = sizeof local, .local = local};
    /* about a token per cell, and room for the glued cells cut into
     * several: one allocation instead of doubling (and copying) up to it */
    size_t cells = (b.unit < d->n ? b.unit + 1 : d->n) - (a.unit < d->n ? a.unit : d->n);
    if (!out->cap && cells) {
        size_t room = cells + cells / 4 + 16;
        room = room < RC_MAX_TOKENS ? room : RC_MAX_TOKENS;
        if (!(out->v = malloc(room * sizeof *out->v)))
            return false;
        out->cap = room;
    }
    size_t end = b.unit < d->n ? b.unit + (b.off > 0) : d->n;
    size_t line = a.unit < end ? d->u[a.unit].line : 0;
    head_lines head;
    head_lines_find(d, &head);
    for (size_t ui = a.unit; ui < end && !out->cut; ui++) {
        const rc_unit *u = &d->u[ui];
        if (u->line != line) {
            end_line(&c);
            line = u->line;
        }
        c.u = u;
        size_t s = ui == a.unit ? a.off : 0;
        size_t e = ui == b.unit ? b.off : u->len;
        if (s > e)
            continue;
        if (!e && !u->len) {
            /* an empty cell (a quarter of a report's): a blank in a row,
             * told before the digit and page-number tests */
            if (u->row)
                push_blank(&c);
            continue;
        }
        /* a whole cell of digits, most of a table: no page number, no
         * sentence and one piece, so it is its number */
        if (s == 0 && e == u->len && bare_digits(&c, u->text, e, true))
            continue;
        if (is_page_number(u) || (s == 0 && e == u->len && is_running_header(d, ui, &head)))
            continue;
        tokenise_slice(&c, u->text, s, e);
    }
    if (c.folded != local)
        free(c.folded);
    end_line(&c);
    return c.ok;
}
