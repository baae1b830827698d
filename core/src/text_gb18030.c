/* text_gb18030.c - GB18030 to UTF-8: two-byte characters from a table that
 * glibc's converter fills once per lead byte ("The table" below), anything
 * else by the spans this comment describes.
 *
 * glibc's converter costs about 100 instructions per byte (two steps per
 * character, through UCS-4), and in a report half the characters are
 * ASCII: digits, spaces, newlines, markup.  GB18030 is stateless and its
 * bytes below 0x80 are always single characters, so the runs between
 * them can go through iconv one at a time with the same output, and the
 * first undecodable byte is found at the same offset as by one call over
 * the whole input.  A span is cut only after a whole character: a lead byte
 * (0x81-0xFE) takes one more byte, or three more when the next is a digit
 * (the four-byte form), even when that byte is ASCII (second bytes go down
 * to 0x40).  A byte the walk cannot place (0x80, 0xFF) sends the rest of
 * the input to iconv in one call. */
#include "text_internal.h"
#include <errno.h>
#include <iconv.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

typedef struct obuf {
    char *buf;
    size_t used, cap; /* buf has cap + 1 bytes: room for the NUL */
} obuf;

static bool obuf_room(obuf *o, size_t n)
{
    if (o->cap - o->used >= n)
        return true;
    size_t cap = o->cap * 2 > o->used + n ? o->cap * 2 : o->used + n;
    char *b = realloc(o->buf, cap + 1);
    if (!b)
        return false;
    o->buf = b;
    o->cap = cap;
    return true;
}

enum { SPAN_OK, SPAN_BAD, SPAN_NOMEM };

/* in[0..len) through cd into o; SPAN_BAD sets *at to the offending byte. */
static int convert_span(iconv_t cd, const char *in, size_t len, obuf *o, size_t *at)
{
    char *ip = (char *)in;
    size_t il = len;
    while (il > 0) {
        char *op = o->buf + o->used;
        size_t ol = o->cap - o->used;
        size_t rc = iconv(cd, &ip, &il, &op, &ol);
        o->used = (size_t)(op - o->buf);
        if (rc != (size_t)-1)
            continue;
        if (errno != E2BIG) {
            *at = (size_t)(ip - in);
            return SPAN_BAD;
        }
        if (!obuf_room(o, o->cap))
            return SPAN_NOMEM;
    }
    return SPAN_OK;
}

/* Length of the character whose lead byte (>= 0x80) is u[0]; 0 when the
 * walk cannot tell (a byte GB18030 does not use as a lead). */
static size_t char_len(const unsigned char *u, size_t n)
{
    if (u[0] == 0x80 || u[0] == 0xFF)
        return 0;
    if (n >= 2 && u[1] >= 0x30 && u[1] <= 0x39)
        return 4;
    return 2;
}

/* ASCII runs shorter than this stay inside the span given to iconv: a
 * call costs more than converting a few single bytes. */
#define GB_ASCII_RUN 12

/* End of the span starting at i (u[i] >= 0x80): its characters and the
 * short ASCII runs between them, up to a long ASCII run or the end. */
static size_t span_end(const unsigned char *u, size_t i, size_t len)
{
    while (i < len) {
        if (u[i] < 0x80) {
            size_t a = i;
            while (a < len && u[a] < 0x80 && a - i < GB_ASCII_RUN)
                a++;
            if (a == len || a - i >= GB_ASCII_RUN)
                return i;
            i = a;
            continue;
        }
        size_t k = char_len(u + i, len - i);
        if (k == 0 || k >= len - i)
            return len;
        i += k;
    }
    return i;
}

/* End of the ASCII run starting at i, eight bytes at a time: markup and
 * digits make up most of a page's bytes. */
static size_t ascii_end(const unsigned char *u, size_t i, size_t len)
{
    for (uint64_t w; i + 8 <= len; i += 8) {
        memcpy(&w, u + i, sizeof w);
        if (w & 0x8080808080808080u)
            break;
    }
    while (i < len && u[i] < 0x80)
        i++;
    return i;
}

/* Spans through iconv: any input, the error at the right byte. */
static nb_status by_spans(const char *in, size_t len, char **out, size_t *outlen, nb_error *err)
{
    iconv_t cd = iconv_open("UTF-8", "GB18030");
    if (cd == (iconv_t)-1) {
        nb_error_set(err, NB_E_INTERNAL, NULL, "iconv cannot convert %s to %s", "GB18030", "UTF-8");
        return NB_FAILED;
    }
    const unsigned char *u = (const unsigned char *)in;
    obuf o = {malloc(len * 2 + 17), 0, len * 2 + 16};
    int rc = o.buf ? SPAN_OK : SPAN_NOMEM;
    size_t i = 0, at = 0;
    while (rc == SPAN_OK && i < len) {
        size_t j = i;
        if (u[i] < 0x80) {
            j = ascii_end(u, i, len);
            if (!obuf_room(&o, j - i)) {
                rc = SPAN_NOMEM;
                break;
            }
            memcpy(o.buf + o.used, in + i, j - i);
            o.used += j - i;
        } else {
            j = span_end(u, i, len);
            rc = convert_span(cd, in + i, j - i, &o, &at);
            at += i;
        }
        i = j;
    }
    iconv_close(cd);
    if (rc != SPAN_OK) {
        free(o.buf);
        if (rc == SPAN_BAD) {
            nb_error_set(err, NB_E_DATA, NULL, "not valid %s at byte %zu", "GB18030", at);
            return NB_FAILED;
        }
        nb_error_set(err, NB_E_INTERNAL, NULL, "out of memory");
        return NB_FATAL;
    }
    o.buf[o.used] = '\0';
    *out = o.buf;
    if (outlen)
        *outlen = o.used;
    return NB_OK;
}

/* The table ---------------------------------------------------------------
 *
 * glibc spends some 100 instructions on each character; a report's
 * GBK text is mostly two-byte characters, so their UTF-8 forms are kept
 * in a table, a row per lead byte, each row filled by one iconv call the
 * first time its lead is met (a row then never changes).  This is the one
 * process-wide state of the decoder: a row is claimed by one thread
 * (0 -> BUILDING), filled, then published (READY, release); a reader reads
 * a row only after seeing READY (acquire).  A caller that finds a row being
 * built, or a character the table cannot vouch for (no entry, a four-byte
 * form glibc refuses, a byte that is no lead, a cut end), converts the
 * whole input by the spans: the same bytes out, or the same error at the
 * same byte. */

enum { ROW_EMPTY, ROW_BUILDING, ROW_READY, ROW_FAILED };
#define GB_LEADS 126  /* 0x81-0xFE */
#define GB_TRAILS 191 /* 0x40-0xFE (0x7F is none) */

static _Atomic int gb_row_state[GB_LEADS];
/* UTF-8 bytes in the low three bytes (first lowest), their count in the
 * high one; 0: none (refused, or a form of four bytes) */
static uint32_t gb_rows[GB_LEADS][GB_TRAILS];

static size_t utf8_len_of(unsigned char lead) { return lead < 0x80 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4; }

/* The code points in o[0..n) into row[] at the trails marked in ok[], one
 * each, in order; false when the reply does not split so. */
static bool deal_out(const unsigned char *o, size_t n, const bool *ok, uint32_t *row)
{
    size_t at = 0;
    for (int t = 0; t < GB_TRAILS; t++) {
        if (!ok[t])
            continue;
        size_t k = at < n ? utf8_len_of(o[at]) : 0;
        if (k == 0 || k > n - at)
            return false;
        uint32_t v = (uint32_t)k << 24;
        for (size_t b = 0; b < k && k < 4; b++)
            v |= (uint32_t)o[at + b] << (8 * b);
        row[t] = k < 4 ? v : 0;
        at += k;
    }
    return at == n;
}

/* Every trail of one lead through one iconv call (refused pairs are
 * stepped over and left empty); false when iconv is unusable. */
static bool fill_row(unsigned lead, uint32_t *row)
{
    unsigned char in[2 * GB_TRAILS], o[4 * GB_TRAILS + 16];
    bool ok[GB_TRAILS];
    for (int t = 0; t < GB_TRAILS; t++) {
        in[2 * t] = (unsigned char)lead;
        in[2 * t + 1] = (unsigned char)(0x40 + t);
        ok[t] = true;
    }
    iconv_t cd = iconv_open("UTF-8", "GB18030");
    if (cd == (iconv_t)-1)
        return false;
    char *ip = (char *)in, *op = (char *)o;
    size_t il = sizeof in, ol = sizeof o;
    bool good = true;
    while (good && il > 0) {
        if (iconv(cd, &ip, &il, &op, &ol) != (size_t)-1)
            continue;
        size_t at = (size_t)((unsigned char *)ip - in);
        if (errno == E2BIG || at % 2 != 0) { /* not one pair per character */
            good = false;
            break;
        }
        ok[at / 2] = false;
        ip += 2;
        il -= 2;
        iconv(cd, NULL, NULL, NULL, NULL);
    }
    iconv_close(cd);
    return good && deal_out(o, (size_t)((unsigned char *)op - o), ok, row);
}

/* The row of lead (0x81-0xFE), NULL when the spans must do. */
static const uint32_t *gb_row(unsigned lead)
{
    _Atomic int *st = &gb_row_state[lead - 0x81];
    int s = atomic_load_explicit(st, memory_order_acquire);
    if (s == ROW_READY)
        return gb_rows[lead - 0x81];
    if (s != ROW_EMPTY || !atomic_compare_exchange_strong(st, &s, ROW_BUILDING))
        return NULL;
    bool ok = fill_row(lead, gb_rows[lead - 0x81]);
    atomic_store_explicit(st, ok ? ROW_READY : ROW_FAILED, memory_order_release);
    return ok ? gb_rows[lead - 0x81] : NULL;
}

/* A four-byte form u[0..4) through iconv (opened on first need into *cd)
 * at o; the end of its UTF-8, NULL when glibc refuses it or gives more
 * than one code point.  (o by value: its address taken would keep the
 * caller's output pointer out of a register.) */
static char *four_byte(iconv_t *cd, const unsigned char *u, char *o)
{
    if (*cd == (iconv_t)-1 && (*cd = iconv_open("UTF-8", "GB18030")) == (iconv_t)-1)
        return NULL;
    char *ip = (char *)u;
    size_t il = 4, ol = 4;
    return iconv(*cd, &ip, &il, &o, &ol) != (size_t)-1 && il == 0 ? o : NULL;
}

/* in through the table into a new buffer; NULL when a character is not
 * in it (or out of memory: the spans say which).  Rows are looked up once
 * per call, then kept in rows[]; the rare four-byte forms (GBK has none)
 * go through iconv one by one. */
static char *by_table(const unsigned char *u, size_t len, size_t *outlen)
{
    const uint32_t *rows[GB_LEADS] = {0};
    iconv_t cd = (iconv_t)-1;
    char *buf = malloc(len * 2 + 17), *o = buf;
    if (!buf)
        return NULL;
    for (size_t i = 0; i < len;) {
        if (u[i] < 0x80) { /* copied as it is checked: markup makes many short runs */
            for (uint64_t w; i + 8 <= len; i += 8, o += 8) {
                memcpy(&w, u + i, sizeof w);
                if (w & 0x8080808080808080u)
                    break;
                memcpy(o, &w, sizeof w);
            }
            while (i < len && u[i] < 0x80)
                *o++ = (char)u[i++];
            continue;
        }
        while (i + 1 < len && u[i] >= 0x80) {
            unsigned lead = u[i] - 0x81u, trail = u[i + 1] - 0x40u;
            if (lead >= GB_LEADS || trail >= GB_TRAILS) {
                if (lead >= GB_LEADS || u[i + 1] - 0x30u >= 10u || len - i < 4 ||
                    !(o = four_byte(&cd, u + i, o)))
                    goto spans; /* 0x80, 0xFF, no trail, a four-byte form refused or cut */
                i += 4;
                continue;
            }
            const uint32_t *row = rows[lead];
            if (!row && !(row = rows[lead] = gb_row(lead + 0x81)))
                goto spans;
            uint32_t v = row[trail];
            if (!v)
                goto spans;
            /* four bytes stored, the count too: there is room (at most
             * two bytes out per byte in, and the spare 17) */
            o[0] = (char)v, o[1] = (char)(v >> 8), o[2] = (char)(v >> 16), o[3] = (char)(v >> 24);
            o += v >> 24;
            i += 2;
        }
        if (i + 1 == len && u[i] >= 0x80)
            goto spans; /* a cut last character */
    }
    if (cd != (iconv_t)-1)
        iconv_close(cd);
    *o = '\0';
    *outlen = (size_t)(o - buf);
    return buf;
spans:
    if (cd != (iconv_t)-1)
        iconv_close(cd);
    free(buf);
    return NULL;
}

nb_status nb_text_gb18030_to_utf8(const char *in, size_t len, char **out, size_t *outlen, nb_error *err)
{
    size_t n = 0;
    char *buf = by_table((const unsigned char *)in, len, &n);
    if (!buf)
        return by_spans(in, len, out, outlen, err);
    *out = buf;
    if (outlen)
        *outlen = n;
    return NB_OK;
}
