/* json_writer.c - JSON text into a growing buffer, laid out as jansson's
 * json_dumps lays it out (see json_writer.h for why). */
#include "json_writer.h"
#include <jansson.h>
#include <math.h>
#include <nianbao/text.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void jw_init(jw *w, bool compact)
{
    memset(w, 0, sizeof *w);
    w->compact = compact;
}

void jw_free(jw *w)
{
    free(w->buf);
    jw_init(w, w->compact);
}

void jw_init_member(jw *w, bool compact, int depth)
{
    jw_init(w, compact);
    if (depth < 1 || depth > JW_MAX_DEPTH) {
        w->failed = true;
        return;
    }
    w->depth = depth;
    for (int i = 0; i < depth; i++)
        w->has_items[i] = true;
    w->after_key = true;
}

void jw_init_next_member(jw *w, bool compact, int depth)
{
    jw_init_member(w, compact, depth);
    w->after_key = false;
}

char *jw_finish(jw *w)
{
    char *s = (w->failed || w->depth != 0 || !w->buf) ? NULL : w->buf;
    if (!s)
        free(w->buf);
    jw_init(w, w->compact);
    return s;
}

/* A compact report is 6-12 KB: one allocation, no realloc copying it. */
#define JW_FIRST_CAP 16384

static bool grow(jw *w, size_t more)
{
    if (w->failed)
        return false;
    if (w->len + more + 1 <= w->cap)
        return true;
    size_t cap = w->cap ? w->cap : JW_FIRST_CAP;
    while (cap < w->len + more + 1)
        cap *= 2;
    char *b = realloc(w->buf, cap);
    if (!b) {
        w->failed = true;
        return false;
    }
    w->buf = b;
    w->cap = cap;
    return true;
}

static void put(jw *w, const char *s, size_t n)
{
    if (!grow(w, n))
        return;
    memcpy(w->buf + w->len, s, n);
    w->len += n;
    w->buf[w->len] = '\0';
}

static void put_char(jw *w, char c) { put(w, &c, 1); }

/* jansson's dump_indent: a newline and two spaces a level when indenting. */
static void newline(jw *w, int depth)
{
    size_t n = 2 * (size_t)depth;
    if (w->compact || !grow(w, 1 + n))
        return;
    w->buf[w->len++] = '\n';
    memset(w->buf + w->len, ' ', n);
    w->len += n;
    w->buf[w->len] = '\0';
}

/* Room item_prefix needs. */
static size_t prefix_room(const jw *w) { return w->compact ? 1 : 2 + 2 * (size_t)w->depth; }

/* At o, what goes before the next member or element of the open container
 * (depth > 0): a comma after the previous one, then the line break and
 * indentation; returns its end. */
static char *item_prefix(jw *w, char *o)
{
    if (w->has_items[w->depth - 1])
        *o++ = ',';
    w->has_items[w->depth - 1] = true;
    if (!w->compact) {
        size_t ind = 2 * (size_t)w->depth;
        *o++ = '\n';
        memset(o, ' ', ind);
        o += ind;
    }
    return o;
}

/* Before a value: right after its key, or as the next array element (a
 * comma after the previous one, then the line break). */
static void value_start(jw *w)
{
    if (w->after_key) {
        w->after_key = false;
        return;
    }
    if (w->depth == 0)
        return;
    if (w->has_items[w->depth - 1])
        put_char(w, ',');
    w->has_items[w->depth - 1] = true;
    newline(w, w->depth);
}

static void open_container(jw *w, char c)
{
    value_start(w);
    put_char(w, c);
    if (w->depth >= JW_MAX_DEPTH) {
        w->failed = true;
        return;
    }
    w->has_items[w->depth++] = false;
}

static void close_container(jw *w, char c)
{
    if (w->depth <= 0 || w->after_key) {
        w->failed = true;
        return;
    }
    if (w->has_items[--w->depth])
        newline(w, w->depth);
    put_char(w, c);
}

void jw_begin_object(jw *w) { open_container(w, '{'); }
void jw_begin_array(jw *w) { open_container(w, '['); }
void jw_end_object(jw *w) { close_container(w, '}'); }
void jw_end_array(jw *w) { close_container(w, ']'); }

/* Length of the UTF-8 sequence a lead byte starts; 0 when it starts none
 * (continuation bytes, C0/C1 overlongs, F5 and up) - jansson's rules. */
static size_t lead_len(unsigned char u)
{
    return u < 0x80 ? 1 : u < 0xC2 ? 0 : u < 0xE0 ? 2 : u < 0xF0 ? 3 : u < 0xF5 ? 4 : 0;
}

static bool seq_ok(const unsigned char *p, size_t n)
{
    uint32_t v = p[0] & (n == 2 ? 0x1F : n == 3 ? 0x0F : 0x07);
    for (size_t i = 1; i < n; i++) {
        if ((p[i] & 0xC0) != 0x80)
            return false;
        v = (v << 6) | (p[i] & 0x3F);
    }
    bool overlong = (n == 3 && v < 0x800) || (n == 4 && v < 0x10000);
    return v <= 0x10FFFF && !(v >= 0xD800 && v <= 0xDFFF) && !overlong;
}

#define JW_ONES 0x0101010101010101ULL
#define JW_HIGH 0x8080808080808080ULL

static uint64_t load8(const unsigned char *p)
{
    uint64_t x;
    memcpy(&x, p, sizeof x);
    return x;
}

static uint16_t load2(const unsigned char *p)
{
    uint16_t x;
    memcpy(&x, p, sizeof x);
    return x;
}

/* From i, past every three-byte sequence that can be neither overlong
 * nor a surrogate (lead E1-EC or EE-EF): Chinese text, taken in one run
 * without the ASCII probes of the callers' loops. */
static bool cjk_lead(unsigned char u) { return u - 0xE1u <= 0xEFu - 0xE1u && u != 0xED; }

/* The top bits of the continuation bytes of two three-byte sequences in
 * a word: bytes 1, 2, 4 and 5 of the eight loaded. */
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
#define JW_CONT2_MASK 0x00C0C000C0C00000ULL
#define JW_CONT2_WANT 0x0080800080800000ULL
#else
#define JW_CONT2_MASK 0x0000C0C000C0C000ULL
#define JW_CONT2_WANT 0x0000808000808000ULL
#endif

static size_t cjk_run(const unsigned char *p, size_t i, size_t len)
{
    while (len - i >= 8 && (load8(p + i) & JW_CONT2_MASK) == JW_CONT2_WANT && cjk_lead(p[i]) &&
           cjk_lead(p[i + 3]))
        i += 6; /* two characters a word */
    while (len - i >= 3 && cjk_lead(p[i]) && (load2(p + i + 1) & 0xC0C0) == 0x8080)
        i += 3;
    return i;
}

bool jw_utf8_ok(const char *s, size_t len)
{
    const unsigned char *p = (const unsigned char *)s;
    for (size_t i = 0; i < len;) {
        if (i + 8 <= len && !(load8(p + i) & JW_HIGH)) {
            i += 8; /* eight ASCII bytes */
            continue;
        }
        if (p[i] < 0x80) {
            i++;
            continue;
        }
        size_t past = cjk_run(p, i, len);
        if (past != i) {
            i = past;
            continue;
        }
        size_t n = lead_len(p[i]);
        if (n == 0 || n > len - i || !seq_ok(p + i, n))
            return false;
        i += n;
    }
    return true;
}

/* The escape of one byte below 0x20, '"' or '\\' (short forms first, then
 * \u00XX in capitals, as jansson writes them). */
static void put_escape(jw *w, unsigned char c)
{
    const char *s = c == '"' ? "\\\"" : c == '\\' ? "\\\\" : c == '\b' ? "\\b" : c == '\f' ? "\\f"
                  : c == '\n' ? "\\n" : c == '\r' ? "\\r" : c == '\t' ? "\\t" : NULL;
    if (s) {
        put(w, s, 2);
        return;
    }
    char seq[8];
    snprintf(seq, sizeof seq, "\\u%04X", (unsigned)c);
    put(w, seq, 6);
}

static bool needs_escape(unsigned char c) { return c < 0x20 || c == '"' || c == '\\'; }

/* Nonzero when some byte of x is below 0x20, '"' or '\\' (exact as to
 * whether one is; which one is left to the byte loop). */
static uint64_t word_needs_escape(uint64_t x)
{
    uint64_t q = x ^ (JW_ONES * '"'), b = x ^ (JW_ONES * '\\');
    return ((x - JW_ONES * 0x20) & ~x & JW_HIGH) | ((q - JW_ONES) & ~q & JW_HIGH) |
           ((b - JW_ONES) & ~b & JW_HIGH);
}

/* Length of the prefix of s that needs no escape, eight bytes at a time. */
static size_t safe_prefix(const char *s, size_t len)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0;
    while (i + 8 <= len && !word_needs_escape(load8(p + i)))
        i += 8;
    while (i < len && !needs_escape(p[i]))
        i++;
    return i;
}

/* A string needing no escape, copied whole between its quotes. */
static void str_plain(jw *w, const char *s, size_t len)
{
    value_start(w);
    if (!grow(w, len + 2))
        return;
    char *o = w->buf + w->len;
    o[0] = '"';
    memcpy(o + 1, s, len);
    o[len + 1] = '"';
    w->len += len + 2;
    w->buf[w->len] = '\0';
}

/* A string whose first `run` bytes need no escape: each stretch between
 * escapes is found eight bytes at a time and copied whole (the section
 * texts have a line break every few hundred bytes). */
static void str_escaped(jw *w, const char *s, size_t len, size_t run)
{
    value_start(w);
    put_char(w, '"');
    size_t i = 0, safe = run; /* s[i, safe) needs no escape */
    for (;;) {
        put(w, s + i, safe - i);
        if (safe == len)
            break;
        put_escape(w, (unsigned char)s[safe]);
        i = safe + 1;
        safe = i + safe_prefix(s + i, len - i);
    }
    put_char(w, '"');
}

void jw_str(jw *w, const char *s, size_t len)
{
    size_t run = safe_prefix(s, len);
    if (run == len)
        str_plain(w, s, len); /* the usual string */
    else
        str_escaped(w, s, len, run);
}

void jw_hole(jw *w) { value_start(w); }

void jw_splice(jw *w, const char *s, size_t n, bool value_due)
{
    put(w, s, n);
    w->after_key = value_due;
}

void jw_value_text(jw *w, const char *s, size_t n)
{
    if (w->after_key || w->depth == 0) {
        value_start(w);
        put(w, s, n);
        return;
    }
    if (!grow(w, n + prefix_room(w))) /* an element: prefix and text at once */
        return;
    char *o = item_prefix(w, w->buf + w->len);
    memcpy(o, s, n);
    o += n;
    *o = '\0';
    w->len = (size_t)(o - w->buf);
}

void jw_value_texts16(jw *w, const char *s, const size_t *at, const size_t *ix, size_t n,
                      size_t longest)
{
    if (w->after_key || w->depth == 0) { /* not elements: one at a time */
        for (size_t i = 0; i < n; i++)
            if (at[ix[i] + 1] > at[ix[i]])
                jw_value_text(w, s + at[ix[i]], at[ix[i] + 1] - at[ix[i]]);
        return;
    }
    if (n == 0 || !grow(w, n * (longest + 16 + prefix_room(w)) + 16))
        return;
    char *o = w->buf + w->len;
    for (size_t i = 0; i < n; i++) {
        const char *from = s + at[ix[i]];
        size_t len = at[ix[i] + 1] - at[ix[i]];
        if (len == 0)
            continue;
        o = item_prefix(w, o);
        for (size_t k = 0; k < len; k += 16)
            memcpy(o + k, from + k, 16);
        o += len;
    }
    *o = '\0';
    w->len = (size_t)(o - w->buf);
}

jw_mark jw_here(const jw *w) { return (jw_mark){w->len, w->after_key}; }

void jw_back(jw *w, jw_mark m)
{
    if (w->failed || m.len > w->len)
        return;
    w->len = m.len;
    if (w->buf)
        w->buf[w->len] = '\0';
    w->after_key = m.after_key;
}

void jw_key(jw *w, const char *key) { jw_keyn(w, key, strlen(key)); }

bool jw_plain(const char *s, size_t len) { return safe_prefix(s, len) == len; }

/* n bytes of s at o, returning the end: a key is a few bytes, too short
 * for a memcpy call to pay; two overlapping loads cover 4 to 16 (no byte
 * past s + n is read). */
static char *copy_short(char *o, const char *s, size_t n)
{
    if (n > 16) {
        memcpy(o, s, n);
    } else if (n >= 8) {
        uint64_t a = load8((const unsigned char *)s), b = load8((const unsigned char *)s + n - 8);
        memcpy(o, &a, 8);
        memcpy(o + n - 8, &b, 8);
    } else if (n >= 4) {
        uint32_t a, b;
        memcpy(&a, s, 4);
        memcpy(&b, s + n - 4, 4);
        memcpy(o, &a, 4);
        memcpy(o + n - 4, &b, 4);
    } else {
        for (size_t k = 0; k < n; k++)
            o[k] = s[k];
    }
    return o + n;
}

/* A member's prefix and plain key at the writer's end, with room for
 * `more` bytes of its value after them (the caller writes the value and
 * sets w->len); NULL when the writer is not between the members of an
 * object, or failed: the callers then take the general way. */
static inline __attribute__((always_inline)) char *member_key_at(jw *w, const char *key, size_t klen,
                                                                  size_t more)
{
    if (w->after_key || w->depth == 0 || !grow(w, klen + prefix_room(w) + 4 + more))
        return NULL;
    char *o = item_prefix(w, w->buf + w->len);
    *o++ = '"';
    o = copy_short(o, key, klen);
    *o++ = '"';
    *o++ = ':';
    if (!w->compact)
        *o++ = ' ';
    return o;
}

/* A key needing no escape inside an object, written in one piece: the
 * comma, the line break, the quoted key and the colon; false when the
 * writer is not between members or the key needs escapes (jw_keyn's
 * general way). */
static bool key_fast(jw *w, const char *key, size_t len, bool plain)
{
    if (w->after_key || w->depth == 0 || !(plain || jw_plain(key, len)))
        return false;
    char *o = member_key_at(w, key, len, 0);
    if (o) { /* else failed: nothing more is written */
        *o = '\0';
        w->len = (size_t)(o - w->buf);
        w->after_key = true;
    }
    return true;
}

void jw_keyn(jw *w, const char *key, size_t len)
{
    if (key_fast(w, key, len, false))
        return;
    jw_str(w, key, len);
    put(w, w->compact ? ":" : ": ", w->compact ? 1 : 2);
    w->after_key = true;
}

void jw_key_plain(jw *w, const char *key, size_t len)
{
    if (!key_fast(w, key, len, true))
        jw_keyn(w, key, len);
}

void jw_null(jw *w)
{
    value_start(w);
    put(w, "null", 4);
}

void jw_true(jw *w)
{
    value_start(w);
    put(w, "true", 4);
}

/* Decimal digits of v written backwards from end; returns the start.
 * (snprintf's format parsing cost more than the rest of a number.) */
static char *int_digits(int64_t v, char *end)
{
    uint64_t u = v < 0 ? 0 - (uint64_t)v : (uint64_t)v;
    char *p = end;
    do {
        *--p = (char)('0' + u % 10);
        u /= 10;
    } while (u);
    if (v < 0)
        *--p = '-';
    return p;
}

char *jw_digits_long(char *o, int64_t v)
{
    char buf[24];
    char *s = int_digits(v, buf + sizeof buf);
    size_t n = (size_t)(buf + sizeof buf - s);
    memcpy(o, s, n);
    return o + n;
}

/* v's digits at o (room for 20 bytes), NUL after them; returns the NUL. */
static char *put_int(char *o, int64_t v)
{
    o = jw_digits(o, v);
    *o = '\0';
    return o;
}

char *jw_room(jw *w, size_t n) { return grow(w, n) ? w->buf + w->len : NULL; }

void jw_wrote(jw *w, char *end, bool value_due)
{
    if (w->failed || !end)
        return;
    *end = '\0';
    w->len = (size_t)(end - w->buf);
    w->after_key = value_due;
}

void jw_int(jw *w, int64_t v)
{
    value_start(w);
    if (!grow(w, 20))
        return;
    w->len = (size_t)(put_int(w->buf + w->len, v) - w->buf);
}


bool jw_real_ok(double d) { return isfinite(d); }

/* Reals are rare in a report: jansson itself prints them, so its own
 * shortest-digits algorithm (dtoa or printf, as it was built) decides. */
void jw_real(jw *w, double d)
{
    json_t *j = json_real(d);
    char *s = j ? json_dumps(j, JSON_ENCODE_ANY | JSON_REAL_PRECISION(15)) : NULL;
    json_decref(j);
    if (!s) {
        w->failed = true;
        return;
    }
    value_start(w);
    put(w, s, strlen(s));
    free(s);
}

/* The escape of c (below 0x20, '"' or '\\') at o, as put_escape writes
 * it; returns its end. */
static char *escape_at(char *o, unsigned char c)
{
    static const char hex[] = "0123456789ABCDEF";
    char e = c == '"' ? '"' : c == '\\' ? '\\' : c == '\b' ? 'b' : c == '\f' ? 'f'
           : c == '\n' ? 'n' : c == '\r' ? 'r' : c == '\t' ? 't' : 0;
    *o++ = '\\';
    if (e) {
        *o++ = e;
        return o;
    }
    memcpy(o, "u00", 3);
    o[3] = hex[c >> 4];
    o[4] = hex[c & 15];
    return o + 5;
}

#if defined(__SSE2__)
#include <emmintrin.h>
/* A string this long is checked by nb_utf8_valid (32 or 16 bytes at a
 * time) and then copied 16 bytes at a time with its escapes: the section
 * texts, most of a report's bytes.  Shorter ones take the byte loop below,
 * whose set-up is cheaper. */
#define JW_WIDE_MIN 48

/* Bits of the bytes of x that need an escape (below 0x20, '"', '\\'). */
static unsigned escape_bits16(__m128i x)
{
    __m128i low = _mm_cmpeq_epi8(_mm_min_epu8(x, _mm_set1_epi8(0x1F)), x);
    __m128i q = _mm_cmpeq_epi8(x, _mm_set1_epi8('"'));
    __m128i b = _mm_cmpeq_epi8(x, _mm_set1_epi8('\\'));
    return (unsigned)_mm_movemask_epi8(_mm_or_si128(low, _mm_or_si128(q, b)));
}

/* s (known UTF-8) between quotes at the writer's end, 16 bytes a store;
 * an escape takes room for its five extra bytes as it comes. */
static void str_wide(jw *w, const char *s, size_t len)
{
    if (!grow(w, len + 2 + 16))
        return;
    char *o = w->buf + w->len;
    *o++ = '"';
    size_t i = 0;
    for (;;) {
        unsigned m;
        if (len - i >= 16) {
            __m128i x = _mm_loadu_si128((const __m128i *)(s + i));
            _mm_storeu_si128((__m128i *)o, x);
            m = escape_bits16(x);
            if (!m) {
                o += 16;
                i += 16;
                continue;
            }
        } else { /* the tail, padded with bytes needing no escape */
            char tail[16];
            memset(tail, 'a', sizeof tail);
            memcpy(tail, s + i, len - i);
            __m128i x = _mm_loadu_si128((const __m128i *)tail);
            _mm_storeu_si128((__m128i *)o, x);
            m = escape_bits16(x);
            if (!m) {
                o += len - i;
                break;
            }
        }
        unsigned k = (unsigned)__builtin_ctz(m);
        o += k;
        i += k;
        w->len = (size_t)(o - w->buf);
        if (!grow(w, 6 + (len - i) + 2 + 16))
            return;
        o = escape_at(w->buf + w->len, (unsigned char)s[i]);
        i++;
        if (i == len)
            break;
    }
    *o++ = '"';
    *o = '\0';
    w->len = (size_t)(o - w->buf);
}
#endif

/* s as a string value at the writer's end, checked (jw_utf8_ok), escaped
 * and copied in one pass: a member string was read four times (its
 * encoding and escapes, the escapes again, the copy).  Words of ASCII or
 * of two Chinese characters go as whole 8-byte stores (the room has 8 to
 * spare).  False, with the text cut back to where it was, when s is not
 * UTF-8 as jansson takes it; true after an allocation failure (failed). */
static bool str_checked(jw *w, const char *s, size_t len)
{
#if defined(__SSE2__)
    if (len >= JW_WIDE_MIN) {
        if (!nb_utf8_valid(s, len))
            return false;
        str_wide(w, s, len);
        return true;
    }
#endif
    size_t start = w->len;
    if (!grow(w, len + 2 + 8))
        return true;
    const unsigned char *p = (const unsigned char *)s;
    char *o = w->buf + w->len;
    *o++ = '"';
    for (size_t i = 0; i < len;) {
        uint64_t x;
        while (len - i >= 8 && ((x = load8(p + i)) & JW_CONT2_MASK) == JW_CONT2_WANT &&
               cjk_lead(p[i]) && cjk_lead(p[i + 3])) {
            memcpy(o, &x, 8); /* the two bytes past the pair are rewritten next */
            o += 6;
            i += 6;
        }
        while (len - i >= 8 && !((x = load8(p + i)) & JW_HIGH) && !word_needs_escape(x)) {
            memcpy(o, &x, 8);
            o += 8;
            i += 8;
        }
        if (i == len)
            break;
        unsigned char c = p[i];
        if (c < 0x80 && !needs_escape(c)) {
            *o++ = (char)c;
            i++;
            continue;
        }
        if (c < 0x80) { /* up to 5 bytes more than the room counted */
            w->len = (size_t)(o - w->buf);
            if (!grow(w, 6 + (len - i) + 2 + 8))
                return true;
            o = escape_at(w->buf + w->len, c);
            i++;
            continue;
        }
        if (len - i >= 3 && cjk_lead(c) && (load2(p + i + 1) & 0xC0C0) == 0x8080) {
            o[0] = (char)c; /* a Chinese character alone (cjk_run's test) */
            o[1] = (char)p[i + 1];
            o[2] = (char)p[i + 2];
            o += 3;
            i += 3;
            continue;
        }
        size_t n = lead_len(c);
        if (n == 0 || n > len - i || !seq_ok(p + i, n)) {
            w->len = start;
            w->buf[start] = '\0';
            return false;
        }
        for (size_t k = 0; k < n; k++)
            o[k] = (char)p[i + k];
        o += n;
        i += n;
    }
    *o++ = '"';
    *o = '\0';
    w->len = (size_t)(o - w->buf);
    return true;
}

/* A string value (after a key or as an element) that may not be UTF-8:
 * false, and the writer as it was before the value's key or element
 * prefix (mark m, had: whether the container had an item), when it is
 * not. */
static bool value_checked(jw *w, const char *s, size_t len, jw_mark m, bool had)
{
    value_start(w);
    if (str_checked(w, s, len))
        return true;
    jw_back(w, m);
    if (w->depth > 0)
        w->has_items[w->depth - 1] = had;
    return false;
}

static bool had_items(const jw *w) { return w->depth > 0 && w->has_items[w->depth - 1]; }

/* member_str for a plain key in an object, the common case: room for
 * the key and the string made once, the key written without a value
 * start to follow it. */
static bool member_str_plain(jw *w, const char *key, size_t klen, const char *s)
{
    size_t len = strlen(s), start = w->len;
    bool had = w->has_items[w->depth - 1];
    char *o = member_key_at(w, key, klen, len + 2 + 16);
    if (!o)
        return true; /* failed: nothing more is written */
    w->len = (size_t)(o - w->buf);
    if (str_checked(w, s, len))
        return true;
    w->len = start;
    w->buf[start] = '\0';
    w->has_items[w->depth - 1] = had;
    return false;
}

/* A member string: the key (checked for escapes unless plain) and the
 * value, both taken back when the value is refused. */
static bool member_str(jw *w, const char *key, size_t klen, bool plain, const char *s)
{
    if (!s)
        return false;
    if (plain && !w->after_key && w->depth > 0 && !w->failed)
        return member_str_plain(w, key, klen, s);
    jw_mark m = jw_here(w);
    bool had = had_items(w);
    if (plain)
        jw_key_plain(w, key, klen);
    else
        jw_keyn(w, key, klen);
    return value_checked(w, s, strlen(s), m, had);
}

bool jw_member_str(jw *w, const char *key, const char *s)
{
    return member_str(w, key, strlen(key), false, s);
}

bool jw_member_str_lit(jw *w, const char *key, size_t klen, const char *s)
{
    return member_str(w, key, klen, true, s);
}

bool jw_str_valid(jw *w, const char *s, size_t len)
{
    return value_checked(w, s, len, jw_here(w), had_items(w));
}

void jw_member_str_or_null(jw *w, const char *key, const char *s)
{
    if (s) {
        jw_member_str(w, key, s);
        return;
    }
    jw_key(w, key);
    jw_null(w);
}

void jw_member_int(jw *w, const char *key, int64_t v)
{
    jw_key(w, key);
    jw_int(w, v);
}

void jw_member_str_or_null_lit(jw *w, const char *key, size_t klen, const char *s)
{
    if (s) {
        member_str(w, key, klen, true, s);
        return;
    }
    char *o = member_key_at(w, key, klen, 4);
    if (o) { /* key and null in one piece */
        memcpy(o, "null", 4);
        o[4] = '\0';
        w->len = (size_t)(o + 4 - w->buf);
        return;
    }
    jw_key_plain(w, key, klen);
    jw_null(w);
}

void jw_member_int_lit(jw *w, const char *key, size_t klen, int64_t v)
{
    char *o = member_key_at(w, key, klen, 21);
    if (o) { /* key and digits in one piece */
        w->len = (size_t)(put_int(o, v) - w->buf);
        return;
    }
    jw_key_plain(w, key, klen);
    jw_int(w, v);
}

bool jw_member_piece(jw *w, const char *piece, size_t n, const char *s)
{
    size_t len = s ? strlen(s) : 4, start = w->len;
    if (!grow(w, n + len + 2 + 16))
        return true; /* failed: nothing more is written */
    char *o = copy_short(w->buf + w->len, piece, n);
    w->after_key = false;
    if (!s) {
        memcpy(o, "null", 4);
        o[4] = '\0';
        w->len = (size_t)(o + 4 - w->buf);
        return true;
    }
    w->len = (size_t)(o - w->buf);
    if (str_checked(w, s, len))
        return true;
    w->len = start;
    w->buf[start] = '\0';
    return false;
}

void jw_elem_str(jw *w, const char *s)
{
    if (s)
        value_checked(w, s, strlen(s), jw_here(w), had_items(w));
}
