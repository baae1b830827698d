/* text_decode.c - bytes to UTF-8.  Reports arrive as UTF-8 (with or
 * without BOM), UTF-16 with BOM from Word exports, and very often GBK from
 * Chinese Windows; GB18030 is the superset that decodes all of them. */
#include "text_internal.h"
#include "util.h"
#include "utf8_simd.h"
#include <iconv.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

size_t nb_utf8_next(const char *s, size_t len, uint32_t *cp)
{
    const unsigned char *u = (const unsigned char *)s;
    if (len == 0) {
        *cp = 0;
        return 0;
    }
    if (u[0] < 0x80) {
        *cp = u[0];
        return 1;
    }
    size_t n = (u[0] & 0xE0) == 0xC0 ? 2 : (u[0] & 0xF0) == 0xE0 ? 3 : (u[0] & 0xF8) == 0xF0 ? 4 : 0;
    if (n == 0 || n > len) {
        *cp = 0xFFFD;
        return 1;
    }
    uint32_t c = u[0] & (0x7F >> n);
    for (size_t i = 1; i < n; i++) {
        if ((u[i] & 0xC0) != 0x80) {
            *cp = 0xFFFD;
            return 1;
        }
        c = (c << 6) | (u[i] & 0x3F);
    }
    /* Overlong forms and surrogates are invalid UTF-8. */
    if ((n == 2 && c < 0x80) || (n == 3 && c < 0x800) || (n == 4 && (c < 0x10000 || c > 0x10FFFF)) ||
        (c >= 0xD800 && c <= 0xDFFF)) {
        *cp = 0xFFFD;
        return 1;
    }
    *cp = c;
    return n;
}

/* Eight ASCII bytes at s (no high bit set). */
static bool ascii8(const unsigned char *s)
{
    uint64_t w;
    memcpy(&w, s, sizeof w);
    return (w & 0x8080808080808080u) == 0;
}

static bool continuation(unsigned char c) { return (c & 0xC0) == 0x80; }

/* Leads of the three-byte forms that cannot be overlong or surrogates:
 * E1-EC, EE, EF (all of CJK). */
static bool plain_lead(unsigned lead) { return lead - 0xE1u <= 0xEFu - 0xE1u && lead != 0xED; }

/* Whether u[0..3) is such a form; four bytes are readable. */
static bool plain3(const unsigned char *u)
{
    uint32_t w;
    memcpy(&w, u, sizeof w);
    /* bytes 1 and 2 sit in bits 8-23 of the word in either byte order */
    return plain_lead(u[0]) && (w & 0xC0C000u) == 0x808000u;
}

/* Whether u[0..6) are two such forms; eight bytes are readable.  One word
 * checks the four continuation bytes and the leads' high nibbles. */
static bool plain3x2(const unsigned char *u)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    uint64_t w;
    memcpy(&w, u, sizeof w);
    return (w & 0x0000C0C0F0C0C0F0u) == 0x00008080E08080E0u && plain_lead(u[0]) && plain_lead(u[3]);
#else
    return plain3(u) && plain3(u + 3);
#endif
}

/* Runs of ASCII go eight bytes at a time and runs of CJK three-byte forms
 * in a loop of their own (a word load checks both continuations); other
 * two- and three-byte forms are checked inline; every other lead goes to
 * nb_utf8_next. */
static bool utf8_valid_plain(const char *s, size_t len)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t i = 0;
    while (i < len) {
        if (u[i] < 0x80) {
            i++;
            while (i + 8 <= len && ascii8(u + i))
                i += 8;
            continue;
        }
        if (i + 4 <= len && plain3(u + i)) {
            i += 3;
            while (i + 8 <= len && plain3x2(u + i))
                i += 6;
            continue;
        }
        unsigned char c = u[i];
        if (c >= 0xC2 && c <= 0xDF && i + 1 < len && continuation(u[i + 1])) {
            i += 2;
            continue;
        }
        if (((c >= 0xE1 && c <= 0xEC) || c == 0xEE || c == 0xEF) && i + 2 < len && continuation(u[i + 1]) &&
            continuation(u[i + 2])) {
            i += 3;
            continue;
        }
        uint32_t cp;
        size_t n = nb_utf8_next(s + i, len - i, &cp);
        if (cp == 0xFFFD && n == 1)
            return false;
        i += n;
    }
    return true;
}

/* 32 or 16 bytes at a time where the CPU can (utf8_simd.c); the plain
 * walk above is the reference its tests compare with. */
bool nb_utf8_valid(const char *s, size_t len)
{
#if NB_UTF8_SIMD
    if (nb_utf8_avx2_ok())
        return nb_utf8_valid_avx2(s, len);
    if (nb_utf8_simd_ok())
        return nb_utf8_valid_simd(s, len);
#endif
    return utf8_valid_plain(s, len);
}

size_t nb_utf8_put(uint32_t cp, char *o)
{
    if (cp < 0x80) {
        o[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        o[0] = (char)(0xC0 | (cp >> 6));
        o[1] = (char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        o[0] = (char)(0xE0 | (cp >> 12));
        o[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        o[2] = (char)(0x80 | (cp & 0x3F));
        return 3;
    }
    o[0] = (char)(0xF0 | (cp >> 18));
    o[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
    o[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
    o[3] = (char)(0x80 | (cp & 0x3F));
    return 4;
}

size_t nb_utf8_len(const char *s)
{
    size_t n = 0, len = strlen(s);
    for (size_t i = 0; i < len;) {
        uint32_t cp;
        i += nb_u8_next(s + i, len - i, &cp);
        n++;
    }
    return n;
}

nb_status nb_text_convert(const char *from, const char *to, const char *in, size_t len, char **out,
                          size_t *outlen, nb_error *err)
{
    if (strcmp(from, "GB18030") == 0 && strcmp(to, "UTF-8") == 0)
        return nb_text_gb18030_to_utf8(in, len, out, outlen, err);
    iconv_t cd = iconv_open(to, from);
    if (cd == (iconv_t)-1) {
        nb_error_set(err, NB_E_INTERNAL, NULL, "iconv cannot convert %s to %s", from, to);
        return NB_FAILED;
    }
    size_t cap = len * 2 + 16;
    char *buf = malloc(cap + 1);
    if (!buf) {
        iconv_close(cd);
        nb_error_set(err, NB_E_INTERNAL, NULL, "out of memory");
        return NB_FATAL;
    }
    char *ip = (char *)in, *op = buf;
    size_t il = len, ol = cap;
    while (il > 0) {
        if (iconv(cd, &ip, &il, &op, &ol) != (size_t)-1)
            continue;
        if (errno == E2BIG) {
            size_t used = (size_t)(op - buf);
            cap *= 2;
            char *nb = realloc(buf, cap + 1);
            if (!nb)
                break;
            buf = nb;
            op = buf + used;
            ol = cap - used;
            continue;
        }
        nb_error_set(err, NB_E_DATA, NULL, "not valid %s at byte %zu", from, (size_t)(ip - in));
        free(buf);
        iconv_close(cd);
        return NB_FAILED;
    }
    iconv_close(cd);
    if (il > 0) {
        free(buf);
        nb_error_set(err, NB_E_INTERNAL, NULL, "out of memory");
        return NB_FATAL;
    }
    *op = '\0';
    *out = buf;
    if (outlen)
        *outlen = (size_t)(op - buf);
    return NB_OK;
}

/* CRLF and lone CR become LF, in place; s has room for the NUL at s[len]. */
static size_t normalise_newlines(char *s, size_t len)
{
    char *cr = memchr(s, '\r', len);
    size_t o = cr ? (size_t)(cr - s) : len; /* everything before the first CR stays */
    for (size_t i = o; i < len; i++) {
        if (s[i] == '\r') {
            s[o++] = '\n';
            if (i + 1 < len && s[i + 1] == '\n')
                i++;
        } else
            s[o++] = s[i];
    }
    s[o] = '\0';
    return o;
}

/* Embedded NULs would cut the text short silently downstream; a text
 * document never has them (UTF-16 is handled before this). */
static bool has_nul(const char *s, size_t len) { return memchr(s, '\0', len) != NULL; }

/* UTF-16 without a BOM: NULs in every other byte of the first kilobytes. */
static const char *utf16_without_bom(const unsigned char *u, size_t len)
{
    size_t n = len < 4096 ? len & ~(size_t)1 : 4096, odd = 0, even = 0;
    if (!memchr(u, '\0', n))
        return NULL; /* the usual case, settled without counting */
    for (size_t i = 0; i < n; i += 2) {
        even += u[i] == 0;
        odd += u[i + 1] == 0;
    }
    if (n < 16)
        return NULL;
    if (odd * 10 > n / 2 * 3 && even * 20 < n / 2)
        return "UTF-16LE";
    if (even * 10 > n / 2 * 3 && odd * 20 < n / 2)
        return "UTF-16BE";
    return NULL;
}

/* GB18030 with a few damaged bytes: each undecodable byte becomes U+FFFD. */
static char *lenient_gb18030(const char *in, size_t len, size_t *outlen, size_t *bad)
{
    iconv_t cd = iconv_open("UTF-8", "GB18030");
    if (cd == (iconv_t)-1)
        return NULL;
    size_t cap = len * 2 + 16;
    char *buf = malloc(cap + 1), *ip = (char *)in, *op = buf;
    size_t il = len, ol = cap;
    *bad = 0;
    while (buf && il > 0) {
        if (iconv(cd, &ip, &il, &op, &ol) != (size_t)-1)
            continue;
        if (errno == E2BIG || ol < 4) {
            size_t used = (size_t)(op - buf);
            char *nb = realloc(buf, cap * 2 + 1);
            if (!nb) {
                free(buf);
                buf = NULL;
                break;
            }
            buf = nb;
            cap *= 2;
            op = buf + used;
            ol = cap - used;
            continue;
        }
        memcpy(op, "\xEF\xBF\xBD", 3); /* EILSEQ or EINVAL: skip one byte */
        op += 3;
        ol -= 3;
        ip++;
        il--;
        (*bad)++;
        iconv(cd, NULL, NULL, NULL, NULL);
    }
    iconv_close(cd);
    if (!buf)
        return NULL;
    *op = '\0';
    *outlen = (size_t)(op - buf);
    return buf;
}

/* UTF-8 with a few damaged bytes (a cut PDF extraction, a bad copy): the
 * bytes become U+FFFD.  Only when at least 10 in 11 of the non-ASCII
 * characters are valid UTF-8, so a GBK file is never read as broken UTF-8. */
/* Of the characters beyond ASCII in s[0, len): *good valid UTF-8, *bad
 * bytes that are not. */
static void utf8_tally(const char *s, size_t len, size_t *good, size_t *bad)
{
    *good = *bad = 0;
    for (size_t i = 0; i < len;) {
        uint32_t cp;
        size_t k = nb_utf8_next(s + i, len - i, &cp);
        if ((unsigned char)s[i] >= 0x80)
            (cp == 0xFFFD && k == 1) ? (*bad)++ : (*good)++;
        i += k;
    }
}

static char *lenient_utf8(const char *s, size_t len, size_t *outlen, size_t *bad)
{
    size_t good;
    utf8_tally(s, len, &good, bad);
    if (*bad == 0 || *bad * 10 > good)
        return NULL;
    nb_buf b = {0};
    for (size_t i = 0; i < len;) {
        uint32_t cp;
        size_t k = nb_utf8_next(s + i, len - i, &cp);
        if (cp == 0xFFFD && k == 1)
            nb_buf_adds(&b, "\xEF\xBF\xBD");
        else
            nb_buf_add(&b, s + i, k);
        i += k;
    }
    *outlen = b.len;
    return nb_buf_steal(&b);
}

/* Whether a line that is not valid UTF-8 is damaged UTF-8 rather than
 * another encoding: at least ten valid characters beyond ASCII for each
 * bad byte, the measure lenient_utf8 takes for a whole text.  GBK read as
 * UTF-8 is bad at nearly every lead byte. */
static bool damaged_utf8(const char *s, size_t len)
{
    size_t good, bad;
    utf8_tally(s, len, &good, &bad);
    return bad * 10 <= good;
}

static bool ascii_only(const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if ((unsigned char)s[i] >= 0x80)
            return false;
    return true;
}

/* A text whose lines are some UTF-8 and some GB18030: a crawler's UTF-8
 * header over a GBK page, or files joined.  As a whole it is neither (it
 * failed, or was read with every GBK line lost to U+FFFD), line by line
 * it is both.  Only when every line is one or the other, at least one
 * line each (GBK needs bytes beyond ASCII), and no line is damaged UTF-8:
 * such a text stays lenient_utf8's, which says what it replaced. */
static char *mixed_lines(const char *s, size_t len, size_t *outlen)
{
    nb_buf b = {0};
    size_t utf8 = 0, gb = 0;
    nb_error e;
    for (size_t i = 0; i < len;) {
        const char *nl = memchr(s + i, '\n', len - i);
        size_t end = nl ? (size_t)(nl - s) + 1 : len, n = end - i;
        char *conv = NULL;
        size_t cn = 0;
        bool ok;
        if (nb_utf8_valid(s + i, n)) {
            utf8 += !ascii_only(s + i, n);
            ok = nb_buf_add(&b, s + i, n);
        } else if (!damaged_utf8(s + i, n) && nb_text_convert("GB18030", "UTF-8", s + i, n, &conv, &cn, &e) == NB_OK) {
            gb++;
            ok = nb_buf_add(&b, conv, cn);
        } else
            ok = false;
        free(conv);
        if (!ok) {
            nb_buf_free(&b);
            return NULL;
        }
        i = end;
    }
    if (!utf8 || !gb) {
        nb_buf_free(&b);
        return NULL;
    }
    *outlen = b.len;
    return nb_buf_steal(&b);
}

/* Valid UTF-8 bytes[0..len) as the decoded text: moved to the start of
 * the caller's buffer *own (which holds them) when there is one, so that a
 * document is not copied whole (*own is then NULL); else a copy. */
static char *keep_bytes(const char *bytes, size_t len, char **own)
{
    if (!own || !*own) { /* the length is known and there is no NUL: no strndup scan */
        char *copy = malloc(len + 1);
        if (copy) {
            memcpy(copy, bytes, len);
            copy[len] = '\0';
        }
        return copy;
    }
    char *buf = *own;
    *own = NULL;
    if (bytes != buf) /* past a BOM; else they are in place (memmove would copy them onto themselves) */
        memmove(buf, bytes, len);
    buf[len] = '\0';
    return buf;
}

static nb_status decode(const char *bytes, size_t len, char **own, char **out, size_t *outlen,
                        const char **encoding, nb_error *err)
{
    const unsigned char *u = (const unsigned char *)bytes;
    const char *enc = "UTF-8";
    char *buf = NULL;
    size_t n = 0;
    nb_status st = NB_OK;
    if (len >= 3 && u[0] == 0xEF && u[1] == 0xBB && u[2] == 0xBF) {
        enc = "UTF-8-BOM";
        bytes += 3;
        len -= 3;
    } else if (len >= 2 && ((u[0] == 0xFF && u[1] == 0xFE) || (u[0] == 0xFE && u[1] == 0xFF))) {
        enc = u[0] == 0xFF ? "UTF-16LE" : "UTF-16BE";
        st = nb_text_convert(enc, "UTF-8", bytes + 2, len - 2, &buf, &n, err);
        if (st != NB_OK)
            return st;
    }
    /* one scan for NULs: without any, this is no UTF-16 either */
    bool nul = !buf && has_nul(bytes, len), kept = false;
    const char *wide = nul ? utf16_without_bom(u, len) : NULL;
    if (wide) {
        enc = wide;
        st = nb_text_convert(enc, "UTF-8", bytes, len, &buf, &n, err);
        if (st != NB_OK)
            return st;
    }
    if (!buf) {
        size_t bad = 0;
        if (nul) {
            nb_error_set(err, NB_E_DATA, NULL, "binary data (NUL bytes), not a text document");
            return NB_FAILED;
        }
        if (nb_utf8_valid(bytes, len)) {
            buf = keep_bytes(bytes, len, own);
            n = len;
            kept = true;
        } else if (nb_text_convert("GB18030", "UTF-8", bytes, len, &buf, &n, err) == NB_OK) {
            enc = "GB18030";
        } else if ((buf = mixed_lines(bytes, len, &n)) != NULL) {
            enc = "UTF-8+GB18030";
        } else if ((buf = lenient_utf8(bytes, len, &n, &bad)) != NULL) {
            /* named in the source's encoding: nothing is replaced silently */
            enc = "UTF-8-REPAIRED";
        } else if ((buf = lenient_gb18030(bytes, len, &n, &bad)) != NULL && bad * 100 <= len) {
            enc = "GB18030-REPAIRED";
        } else {
            free(buf);
            nb_error_set(err, NB_E_DATA, NULL, "undecodable text: neither UTF-8 nor GB18030");
            return NB_FAILED;
        }
    }
    if (!buf) {
        nb_error_set(err, NB_E_INTERNAL, NULL, "out of memory");
        return NB_FATAL;
    }
    if (!kept && has_nul(buf, n)) { /* kept bytes were looked at above */
        free(buf);
        nb_error_set(err, NB_E_DATA, NULL, "binary data (NUL characters), not a text document");
        return NB_FAILED;
    }
    n = normalise_newlines(buf, n);
    *out = buf;
    if (outlen)
        *outlen = n;
    *encoding = enc;
    return NB_OK;
}

nb_status nb_text_decode(const char *bytes, size_t len, char **out, size_t *outlen,
                         const char **encoding, nb_error *err)
{
    return decode(bytes, len, NULL, out, outlen, encoding, err);
}

nb_status nb_text_decode_owned(char *bytes, size_t len, char **out, size_t *outlen, const char **encoding,
                               nb_error *err)
{
    char *own = bytes;
    nb_status st = decode(bytes, len, &own, out, outlen, encoding, err);
    free(own);
    return st;
}

/* One component of a name (no '/') into b: its bytes when they are
 * UTF-8; else read as GB18030; else ASCII kept and every other byte as
 * \xNN (a guess at part of it could make up characters). */
static void name_part(nb_buf *b, const char *s, size_t len)
{
    if (nb_utf8_valid(s, len)) {
        nb_buf_add(b, s, len);
        return;
    }
    char *out = NULL;
    size_t outlen = 0;
    nb_error err;
    nb_error_clear(&err);
    if (nb_text_gb18030_to_utf8(s, len, &out, &outlen, &err) == NB_OK && out && nb_utf8_valid(out, outlen) &&
        strlen(out) == outlen) {
        nb_buf_add(b, out, outlen);
        free(out);
        return;
    }
    free(out);
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c < 0x80)
            nb_buf_addc(b, (char)c);
        else
            nb_buf_printf(b, "\\x%02X", c);
    }
}

/* A file's name as UTF-8, for messages and outputs, each component on its
 * own (a folder named in UTF-8 may hold files unpacked from a Windows zip
 * with GBK names): see name_part.  The name that opens the file stays the
 * bytes.  NULL only when out of memory (nb_strdup); the buffer's own
 * failures give a shorter name, never none. */
char *nb_text_name_utf8(const char *name)
{
    size_t len = strlen(name);
    if (nb_utf8_valid(name, len))
        return nb_strdup(name);
    nb_buf b = {0};
    for (const char *p = name;;) {
        const char *slash = strchr(p, '/');
        name_part(&b, p, slash ? (size_t)(slash - p) : strlen(p));
        if (!slash)
            break;
        nb_buf_addc(&b, '/');
        p = slash + 1;
    }
    return nb_buf_steal(&b);
}
