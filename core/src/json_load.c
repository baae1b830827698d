/* json_load.c - the data files (templates, rules, plugin manifests) parsed
 * in one pass over a buffer.
 *
 * jansson's reader takes every byte through a callback, a UTF-8 check and a
 * growing string buffer: parsing the 40 KB of formats/ was a third of the
 * start-up.  This parser builds the same jansson values (same types, same
 * member order) straight from the file's bytes.  It knows only the plain
 * forms the data files use; at anything else - a real number, a duplicate
 * key, a lone surrogate, bad UTF-8, a syntax error - it gives up and
 * json_load_file parses the file itself, so every answer and every error
 * message is jansson's own. */
#include "json_load.h"
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define JL_MAX_DEPTH 256
#define JL_MAX_FILE (16u << 20)

typedef struct jl {
    const unsigned char *p, *end;
    int depth;
    char *tmp;   /* unescaped strings */
    size_t cap;
} jl;

static json_t *parse_value(jl *s);
static json_t *parse_container(jl *s, bool object);

static void skip_ws(jl *s)
{
    while (s->p < s->end && (*s->p == ' ' || *s->p == '\n' || *s->p == '\r' || *s->p == '\t'))
        s->p++;
}

/* Length of the valid UTF-8 sequence at p (lead byte >= 0x80), 0 when
 * invalid: overlong forms, surrogates and code points past U+10FFFF. */
static size_t utf8_len(const unsigned char *p, const unsigned char *end)
{
    unsigned char c = *p;
    size_t n = c >= 0xC2 && c <= 0xDF ? 2 : c >= 0xE0 && c <= 0xEF ? 3 : c >= 0xF0 && c <= 0xF4 ? 4 : 0;
    if (!n || (size_t)(end - p) < n)
        return 0;
    for (size_t i = 1; i < n; i++)
        if ((p[i] & 0xC0) != 0x80)
            return 0;
    if ((c == 0xE0 && p[1] < 0xA0) || (c == 0xED && p[1] > 0x9F) || (c == 0xF0 && p[1] < 0x90) ||
        (c == 0xF4 && p[1] > 0x8F))
        return 0;
    return n;
}

static bool put(jl *s, size_t *len, const void *b, size_t n)
{
    if (n == 0)
        return true;
    if (*len + n > s->cap) {
        size_t cap = s->cap ? s->cap * 2 : 256;
        while (cap < *len + n)
            cap *= 2;
        char *t = realloc(s->tmp, cap);
        if (!t)
            return false;
        s->tmp = t;
        s->cap = cap;
    }
    memcpy(s->tmp + *len, b, n);
    *len += n;
    return true;
}

static int hex4(const unsigned char *p)
{
    int v = 0;
    for (int i = 0; i < 4; i++) {
        int c = p[i], d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10
                        : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
        if (d < 0)
            return -1;
        v = v * 16 + d;
    }
    return v;
}

/* "\uXXXX" (and its low surrogate) at p into UTF-8; false: let jansson say. */
static bool unicode_escape(jl *s, size_t *len)
{
    if (s->end - s->p < 6)
        return false;
    long cp = hex4(s->p + 2);
    s->p += 6;
    if (cp >= 0xD800 && cp <= 0xDBFF) {
        if (s->end - s->p < 6 || s->p[0] != '\\' || s->p[1] != 'u')
            return false;
        long lo = hex4(s->p + 2);
        if (lo < 0xDC00 || lo > 0xDFFF)
            return false;
        cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
        s->p += 6;
    } else if (cp <= 0 || (cp >= 0xDC00 && cp <= 0xDFFF)) {
        return false; /* bad hex, \u0000, a lone low surrogate */
    }
    unsigned char b[4];
    size_t n = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
    static const unsigned char lead[] = {0, 0, 0xC0, 0xE0, 0xF0};
    for (size_t i = n - 1; i > 0; i--, cp >>= 6)
        b[i] = (unsigned char)(0x80 | (cp & 0x3F));
    b[0] = (unsigned char)(n == 1 ? cp : (lead[n] | cp));
    return put(s, len, b, n);
}

static bool simple_escape(jl *s, size_t *len)
{
    static const char from[] = "\"\\/bfnrt", to[] = "\"\\/\b\f\n\r\t";
    const char *k = s->p[1] ? strchr(from, s->p[1]) : NULL;
    if (!k)
        return false;
    s->p += 2;
    return put(s, len, &to[k - from], 1);
}

/* The string at s->p ('"'): *out and *n point into the file when it has no
 * escape, into s->tmp otherwise.  False: not a plain valid string. */
static bool parse_string(jl *s, const char **out, size_t *n)
{
    const unsigned char *start = ++s->p;
    while (s->p < s->end && *s->p != '"' && *s->p != '\\') {
        if (*s->p < 0x20)
            return false;
        size_t w = *s->p < 0x80 ? 1 : utf8_len(s->p, s->end);
        if (!w)
            return false;
        s->p += w;
    }
    if (s->p >= s->end)
        return false;
    size_t len = 0;
    if (*s->p == '"') {
        *out = (const char *)start;
        *n = (size_t)(s->p++ - start);
        return true;
    }
    if (!put(s, &len, start, (size_t)(s->p - start)))
        return false;
    while (s->p < s->end && *s->p != '"') {
        const unsigned char *c = s->p;
        size_t w = *c == '\\' ? 0 : *c < 0x20 ? (size_t)-1 : *c < 0x80 ? 1 : utf8_len(c, s->end);
        if (w == (size_t)-1 || (*c >= 0x80 && !w))
            return false;
        bool ok = w ? (s->p += w, put(s, &len, c, w))
                    : c + 1 < s->end && (c[1] == 'u' ? unicode_escape(s, &len) : simple_escape(s, &len));
        if (!ok)
            return false;
    }
    if (s->p >= s->end)
        return false;
    s->p++;
    *out = s->tmp;
    *n = len;
    return true;
}

/* Integers only (-?(0|[1-9][0-9]*), up to 18 digits); a real number or
 * anything longer goes to jansson. */
static json_t *parse_number(jl *s)
{
    const unsigned char *p = s->p;
    bool neg = *p == '-';
    p += neg;
    const unsigned char *digits = p;
    json_int_t v = 0;
    while (p < s->end && *p >= '0' && *p <= '9')
        v = v * 10 + (*p++ - '0');
    size_t nd = (size_t)(p - digits);
    if (nd == 0 || nd > 18 || (*digits == '0' && nd > 1))
        return NULL;
    if (p < s->end && (*p == '.' || *p == 'e' || *p == 'E'))
        return NULL;
    s->p = p;
    return json_integer(neg ? -v : v);
}

static json_t *parse_word(jl *s)
{
    static const struct {
        const char *w;
        size_t n;
    } words[] = {{"true", 4}, {"false", 5}, {"null", 4}};
    for (int i = 0; i < 3; i++) {
        size_t n = words[i].n;
        if ((size_t)(s->end - s->p) >= n && memcmp(s->p, words[i].w, n) == 0 &&
            (s->p + n == s->end || !((s->p[n] | 0x20) >= 'a' && (s->p[n] | 0x20) <= 'z'))) {
            s->p += n;
            return i == 0 ? json_true() : i == 1 ? json_false() : json_null();
        }
    }
    return NULL;
}

/* Adds one "key": value member; false ends the parse. */
static bool parse_member(jl *s, json_t *obj)
{
    const char *k;
    size_t kn;
    if (s->p >= s->end || *s->p != '"' || !parse_string(s, &k, &kn))
        return false;
    char small[128], *key = kn < sizeof small ? small : malloc(kn + 1);
    if (!key)
        return false;
    memcpy(key, k, kn);
    key[kn] = '\0';
    skip_ws(s);
    json_t *v = NULL;
    bool ok = s->p < s->end && *s->p++ == ':' && !json_object_getn(obj, key, kn) && /* duplicate: jansson */
              (v = parse_value(s)) && json_object_setn_new_nocheck(obj, key, kn, v) == 0;
    if (key != small)
        free(key);
    return ok;
}

/* Elements of an array or members of an object up to close; the opening
 * bracket is consumed. */
static json_t *parse_container(jl *s, bool object)
{
    if (++s->depth > JL_MAX_DEPTH)
        return NULL;
    s->p++;
    json_t *c = object ? json_object() : json_array();
    char close = object ? '}' : ']';
    skip_ws(s);
    if (c && s->p < s->end && *s->p == close) {
        s->p++;
        s->depth--;
        return c;
    }
    while (c) {
        skip_ws(s);
        json_t *v = NULL;
        bool ok = object ? parse_member(s, c) : (v = parse_value(s)) && json_array_append_new(c, v) == 0;
        skip_ws(s);
        if (!ok || s->p >= s->end || (*s->p != ',' && *s->p != close)) {
            json_decref(c);
            return NULL;
        }
        if (*s->p++ == close)
            break;
    }
    s->depth--;
    return c;
}

static json_t *parse_value(jl *s)
{
    skip_ws(s);
    if (s->p >= s->end)
        return NULL;
    unsigned char c = *s->p;
    if (c == '{' || c == '[')
        return parse_container(s, c == '{');
    if (c == '"') {
        const char *v;
        size_t n;
        return parse_string(s, &v, &n) ? json_stringn_nocheck(v, n) : NULL;
    }
    if (c == '-' || (c >= '0' && c <= '9'))
        return parse_number(s);
    return parse_word(s);
}

json_t *nb_json_parse_plain(const char *text, size_t len)
{
    jl s = {(const unsigned char *)text, (const unsigned char *)text + len, 0, NULL, 0};
    skip_ws(&s);
    json_t *v = s.p < s.end && (*s.p == '{' || *s.p == '[') ? parse_value(&s) : NULL;
    skip_ws(&s);
    free(s.tmp);
    if (v && s.p != s.end) {
        json_decref(v); /* trailing text: jansson's error */
        v = NULL;
    }
    return v;
}

/* The whole file in a buffer (caller frees), NULL when it cannot be read. */
static char *read_all(const char *path, size_t *len)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return NULL;
    struct stat st;
    char *buf = NULL;
    if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0 && st.st_size <= JL_MAX_FILE &&
        (buf = malloc((size_t)st.st_size))) {
        ssize_t got = read(fd, buf, (size_t)st.st_size);
        if (got != st.st_size) {
            free(buf);
            buf = NULL;
        }
        *len = (size_t)st.st_size;
    }
    close(fd);
    return buf;
}

json_t *nb_json_load_file(const char *path, size_t flags, json_error_t *err)
{
    size_t len = 0;
    char *buf = (flags & ~(size_t)JSON_REJECT_DUPLICATES) == 0 ? read_all(path, &len) : NULL;
    json_t *v = buf ? nb_json_parse_plain(buf, len) : NULL;
    free(buf);
    if (v) {
        if (err)
            memset(err, 0, sizeof *err);
        return v;
    }
    return json_load_file(path, flags, err);
}
