/* text_gb18030.c - GB18030 to UTF-8: two-byte characters from a table
 * asked of iconv at build time ("The table" below), anything else by the
 * spans this comment describes.  So two-byte text decodes as the build
 * machine's glibc did, even where the running one has no GB18030 module;
 * four-byte forms and errors still ask the running glibc.
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
#include "text_gb18030_table.h"
#include "text_gb18030_data.h" /* nb_gb18030_pairs, generated at build */
#include <errno.h>
#include <iconv.h>
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
 * glibc spends some 100 instructions on each character, and a call to it
 * some 250 more; a report's GBK text is mostly two-byte characters.  So
 * each two-byte character's UTF-8 form is read from a table that the build
 * asked of iconv (core/tools/gb18030_table.c, text_gb18030_table.h): const
 * data, 126 x 191 entries of four bytes, about 94 KiB of rodata, nothing
 * to fill or share at run time.  A character the table cannot vouch for (a
 * pair iconv refuses, a four-byte form iconv refuses, a byte that is no
 * lead, a cut end) sends the whole input to the spans: the same bytes
 * out, or the same error at the same byte. */

/* The caller's converter for four-byte forms, opened on first need: one
 * per decode (GBK text has none, so never opened for it). */
static bool open_cd(iconv_t *cd)
{
    if (*cd == (iconv_t)-1)
        *cd = iconv_open("UTF-8", "GB18030");
    return *cd != (iconv_t)-1;
}

/* A four-byte form u[0..4) through iconv (opened on first need into *cd)
 * at o; the end of its UTF-8, NULL when glibc refuses it or gives more
 * than one code point.  (o by value: its address taken would keep the
 * caller's output pointer out of a register.) */
static char *four_byte(iconv_t *cd, const unsigned char *u, char *o)
{
    if (!open_cd(cd))
        return NULL;
    char *ip = (char *)u;
    size_t il = 4, ol = 4;
    return iconv(*cd, &ip, &il, &o, &ol) != (size_t)-1 && il == 0 ? o : NULL;
}

/* in through the table into a new buffer; NULL when a character is not
 * in it (or out of memory: the spans say which).  The rare four-byte forms
 * (GBK has none) go through iconv one by one. */
static char *by_table(const unsigned char *u, size_t len, size_t *outlen)
{
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
        while (i + 1 < len) {
            /* one test for both bytes in the table's range: a byte below
             * 0x80 as lead falls out of it too (unsigned) */
            unsigned lead = u[i] - GB_LEAD0, trail = u[i + 1] - GB_TRAIL0;
            if (lead < GB_LEADS && trail < GB_TRAILS) {
                uint32_t v = nb_gb18030_pairs[lead][trail];
                if (v == GB_REFUSED)
                    goto spans;
                /* four bytes stored, the count too: there is room (at
                 * most two bytes out per byte in, and the spare 17) */
                o[0] = (char)v, o[1] = (char)(v >> 8), o[2] = (char)(v >> 16), o[3] = (char)(v >> 24);
                o += v >> 24;
                i += 2;
                continue;
            }
            if (u[i] < 0x80)
                break; /* ASCII again */
            if (lead >= GB_LEADS || u[i + 1] - 0x30u >= 10u || len - i < 4 || !(o = four_byte(&cd, u + i, o)))
                goto spans; /* 0x80, 0xFF, no trail, a four-byte form refused or cut */
            i += 4;
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
