/* jdoc.c - data files parsed in place into one arena (see jdoc.h).
 *
 * Start-up used to parse the 40 KB of formats/ with jansson: every byte
 * through a callback, a malloc per value and per key, a hash table per
 * object, all freed again one by one - over half of `nianbao formats`.
 * Here the file is read once, strings are NUL-terminated (and unescaped)
 * in the file's own buffer, nodes come from an arena, and freeing is a
 * few free() calls.  Objects keep their members in document order and are
 * searched linearly: data-file objects have a handful of keys.  Only the
 * plain forms are parsed here; anything else goes through jansson (its
 * value is copied into the arena), so answers and errors stay jansson's. */
#include "jdoc.h"
#include "c_locale.h"
#include "util.h"
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define JD_MAX_DEPTH 256
#define JD_MAX_FILE (16u << 20)
#define JD_CHUNK 16384
#define JD_FIRST_MAX (1u << 20)

typedef enum jd_type { JD_NULL = 0, JD_TRUE, JD_FALSE, JD_INT, JD_REAL, JD_STR, JD_ARR, JD_OBJ } jd_type;

typedef struct jd_member {
    const char *key;
    const jd *v;
} jd_member;

struct jd {
    jd_type t;
    size_t n; /* elements or members; a real's literal length */
    union {
        const char *s; /* a string, or a real's literal (its double is read on demand) */
        long long i;
        const jd **a;
        jd_member *m;
    } u;
};

/* A real's literal as a double, whatever the locale of the process. */
static double jd_real_of(const char *lit)
{
    return nb_strtod_c(lit, NULL);
}

typedef struct chunk {
    struct chunk *next;
    size_t used, cap;
    max_align_t data[];
} chunk;

/* The root comes first, so a root pointer is the document's. */
typedef struct jd_doc {
    jd root;
    char *text;      /* the file, strings terminated in place */
    chunk *chunks;
    size_t first_cap; /* size of the first chunk, from the text's length */
} jd_doc;

static void *arena(jd_doc *d, size_t n)
{
    n = (n + sizeof(max_align_t) - 1) / sizeof(max_align_t) * sizeof(max_align_t);
    chunk *c = d->chunks;
    if (!c || c->cap - c->used < n) {
        size_t want = d->chunks ? JD_CHUNK : d->first_cap;
        size_t cap = n > want ? n : want;
        if (!(c = malloc(sizeof *c + cap)))
            return NULL;
        *c = (chunk){d->chunks, 0, cap};
        d->chunks = c;
    }
    void *p = (char *)c->data + c->used;
    c->used += n;
    return p;
}

static char *arena_str(jd_doc *d, const char *s)
{
    size_t n = strlen(s) + 1;
    char *p = arena(d, n);
    return p ? memcpy(p, s, n) : NULL;
}

void jd_free(const jd *root)
{
    jd_doc *d = (jd_doc *)root; /* the root is the document's first member */
    if (!d)
        return;
    for (chunk *c = d->chunks, *nx; c; c = nx) {
        nx = c->next;
        free(c);
    }
    free(d->text);
    free(d);
}

/* ---- the in-place parser of the plain forms ---- */

typedef struct ps {
    jd_doc *d;
    char *p, *end;
    int depth;
    const jd **stack; /* children of the open containers */
    size_t nstack, capstack;
} ps;

static bool parse_value(ps *s, jd *out);

static void skip_ws(ps *s)
{
    while (s->p < s->end && (*s->p == ' ' || *s->p == '\n' || *s->p == '\r' || *s->p == '\t'))
        s->p++;
}

/* Length of the valid UTF-8 sequence at p (lead byte >= 0x80), 0 when
 * invalid: overlong forms, surrogates, code points past U+10FFFF. */
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

static long hex4(const char *p)
{
    long v = 0;
    for (int i = 0; i < 4; i++) {
        int c = (unsigned char)p[i], x = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10
                                          : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
        if (x < 0)
            return -1;
        v = v * 16 + x;
    }
    return v;
}

/* The escape at s->p written at *w (never past s->p: an escape is longer
 * than what it stands for); false: not one this parser takes. */
static bool unescape(ps *s, char **w)
{
    static const char from[] = "\"\\/bfnrt", to[] = "\"\\/\b\f\n\r\t";
    const char *k = s->end - s->p >= 2 && s->p[1] ? strchr(from, s->p[1]) : NULL;
    if (k) {
        *(*w)++ = to[k - from];
        s->p += 2;
        return true;
    }
    if (s->end - s->p < 6 || s->p[1] != 'u')
        return false;
    long cp = hex4(s->p + 2);
    s->p += 6;
    if (cp >= 0xD800 && cp <= 0xDBFF) {
        long lo = s->end - s->p >= 6 && s->p[0] == '\\' && s->p[1] == 'u' ? hex4(s->p + 2) : -1;
        if (lo < 0xDC00 || lo > 0xDFFF)
            return false;
        cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
        s->p += 6;
    } else if (cp <= 0 || (cp >= 0xDC00 && cp <= 0xDFFF)) {
        return false; /* bad hex, \u0000, a lone low surrogate */
    }
    size_t n = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
    static const unsigned char lead[] = {0, 0, 0xC0, 0xE0, 0xF0};
    unsigned char *b = (unsigned char *)*w;
    for (size_t i = n - 1; i > 0; i--, cp >>= 6)
        b[i] = (unsigned char)(0x80 | (cp & 0x3F));
    b[0] = (unsigned char)(n == 1 ? cp : (lead[n] | cp));
    *w += n;
    return true;
}

/* The string at s->p ('"'), terminated and unescaped in place. */
/* Skips the plain characters at p: printable ASCII but '"' and '\\', and
 * the three-byte UTF-8 forms that need no range check (leads E1-EC, EE,
 * EF: all of CJK).  Anything else is left to the careful loop. */
static const char *skip_plain(const char *p, const char *end)
{
    const unsigned char *u = (const unsigned char *)p, *e = (const unsigned char *)end;
    while (u < e) {
        unsigned char c = *u;
        if (c >= 0x20 && c < 0x80 && c != '"' && c != '\\')
            u++;
        else if (((c >= 0xE1 && c <= 0xEC) || c >= 0xEE) && c <= 0xEF && e - u >= 3 && (u[1] & 0xC0) == 0x80 &&
                 (u[2] & 0xC0) == 0x80)
            u += 3;
        else
            break;
    }
    return (const char *)u;
}

static const char *parse_string(ps *s)
{
    char *start = ++s->p, *w = NULL;
    s->p += skip_plain(s->p, s->end) - s->p; /* most strings have no escape */
    while (s->p < s->end && *s->p != '"') {
        unsigned char c = (unsigned char)*s->p;
        if (c == '\\') {
            if (!w)
                w = s->p;
            if (!unescape(s, &w))
                return NULL;
            continue;
        }
        size_t n = c < 0x20 ? 0 : c < 0x80 ? 1 : utf8_len((const unsigned char *)s->p, (const unsigned char *)s->end);
        if (!n)
            return NULL;
        if (w)
            memmove(w, s->p, n), w += n;
        s->p += n;
    }
    if (s->p >= s->end)
        return NULL;
    *(w ? w : s->p) = '\0';
    s->p++;
    return start;
}

static char *skip_digits(char *p, const char *end)
{
    while (p < end && *p >= '0' && *p <= '9')
        p++;
    return p;
}

/* A real number's literal as printed, kept so that a decimal read back is
 * the decimal written (12.50 stays 12.50; a double would not know).  The
 * grammar is JSON's; a value past the range of a double goes to jansson,
 * which refuses it, as it refuses it anyway. */
static bool parse_real(ps *s, char *p, jd *out)
{
    if (p < s->end && *p == '.') {
        char *f = p + 1;
        if ((p = skip_digits(f, s->end)) == f)
            return false;
    }
    bool exponent = p < s->end && (*p == 'e' || *p == 'E');
    if (exponent) {
        char *e = p + 1 + (p + 1 < s->end && (p[1] == '+' || p[1] == '-'));
        if ((p = skip_digits(e, s->end)) == e)
            return false;
    }
    size_t n = (size_t)(p - s->p);
    char *lit = arena(s->d, n + 1);
    if (!lit)
        return false;
    memcpy(lit, s->p, n);
    lit[n] = '\0';
    /* without an exponent only a literal of over 300 digits can overflow */
    if ((exponent || n > 300) && !isfinite(jd_real_of(lit)))
        return false;
    s->p = p;
    *out = (jd){JD_REAL, n, {.s = lit}};
    return true;
}

/* Integers of up to 18 digits, and real numbers; a longer integer goes to
 * jansson. */
static bool parse_number(ps *s, jd *out)
{
    char *p = s->p;
    bool neg = *p == '-';
    p += neg;
    char *digits = p;
    unsigned long long v = 0; /* unsigned: a longer run wraps, and is not used */
    while (p < s->end && *p >= '0' && *p <= '9')
        v = v * 10 + (unsigned long long)(*p++ - '0');
    size_t nd = (size_t)(p - digits);
    if (nd == 0 || (*digits == '0' && nd > 1))
        return false;
    if (p < s->end && (*p == '.' || *p == 'e' || *p == 'E'))
        return parse_real(s, p, out);
    if (nd > 18)
        return false;
    s->p = p;
    *out = (jd){JD_INT, 0, {.i = neg ? -(long long)v : (long long)v}};
    return true;
}

static bool parse_word(ps *s, jd *out)
{
    static const struct {
        const char *w;
        size_t n;
        jd_type t;
    } words[] = {{"true", 4, JD_TRUE}, {"false", 5, JD_FALSE}, {"null", 4, JD_NULL}};
    for (int i = 0; i < 3; i++) {
        size_t n = words[i].n;
        if ((size_t)(s->end - s->p) >= n && memcmp(s->p, words[i].w, n) == 0 &&
            (s->p + n == s->end || !((s->p[n] | 0x20) >= 'a' && (s->p[n] | 0x20) <= 'z'))) {
            s->p += n;
            *out = (jd){words[i].t, 0, {0}};
            return true;
        }
    }
    return false;
}

static bool push(ps *s, const jd *v)
{
    if (s->nstack == s->capstack) {
        size_t cap = s->capstack ? s->capstack * 2 : 64;
        const jd **st = realloc(s->stack, cap * sizeof *st);
        if (!st)
            return false;
        s->stack = st;
        s->capstack = cap;
    }
    s->stack[s->nstack++] = v;
    return true;
}

/* One element (object: key then value, both pushed; the key as a string
 * node).  False ends the parse. */
static bool parse_item(ps *s, bool object)
{
    jd *v = arena(s->d, sizeof *v);
    if (!v)
        return false;
    if (object) {
        jd *k = arena(s->d, sizeof *k);
        if (!k || s->p >= s->end || *s->p != '"' || !(k->u.s = parse_string(s)) || !push(s, k))
            return false;
        k->t = JD_STR;
        skip_ws(s);
        if (s->p >= s->end || *s->p++ != ':')
            return false;
    }
    return parse_value(s, v) && push(s, v);
}

/* Pairwise for a handful of keys; a larger object (a report's tables, its
 * provenance of some 250 cells) through a hash of its keys: pairwise, the
 * check was a tenth of reading a report back.  Without memory for the
 * hash the answer is "maybe", and jansson reads the text. */
static bool duplicate_key(const jd_member *m, size_t n)
{
    if (n <= 16) {
        for (size_t i = 0; i < n; i++)
            for (size_t k = 0; k < i; k++) /* the first byte tells most keys apart without a call */
                if (m[i].key[0] == m[k].key[0] && strcmp(m[i].key, m[k].key) == 0)
                    return true;
        return false;
    }
    size_t cap = 64;
    while (cap < 2 * n)
        cap *= 2;
    const char **slot = calloc(cap, sizeof *slot);
    if (!slot)
        return true;
    bool dup = false;
    for (size_t i = 0; i < n && !dup; i++) {
        size_t h = (size_t)nb_hash_bytes(m[i].key, strlen(m[i].key)) & (cap - 1);
        while (slot[h] && !(dup = strcmp(slot[h], m[i].key) == 0))
            h = (h + 1) & (cap - 1);
        slot[h] = m[i].key;
    }
    free(slot);
    return dup;
}

/* Moves the container's children from the stack into the arena. */
static bool close_container(ps *s, size_t base, bool object, jd *out)
{
    size_t n = s->nstack - base;
    out->t = object ? JD_OBJ : JD_ARR;
    out->n = object ? n / 2 : n;
    if (object) {
        jd_member *m = arena(s->d, (out->n ? out->n : 1) * sizeof *m);
        if (!m)
            return false;
        for (size_t i = 0; i < out->n; i++)
            m[i] = (jd_member){s->stack[base + 2 * i]->u.s, s->stack[base + 2 * i + 1]};
        out->u.m = m;
        if (duplicate_key(m, out->n))
            return false; /* jansson's rule (an error, or the last one wins) */
    } else {
        const jd **a = arena(s->d, (n ? n : 1) * sizeof *a);
        if (!a)
            return false;
        if (n)
            memcpy(a, s->stack + base, n * sizeof *a);
        out->u.a = a;
    }
    s->nstack = base;
    return true;
}

static bool parse_container(ps *s, bool object, jd *out)
{
    if (++s->depth > JD_MAX_DEPTH)
        return false;
    char close = object ? '}' : ']';
    size_t base = s->nstack;
    s->p++;
    skip_ws(s);
    if (s->p < s->end && *s->p == close) {
        s->p++;
    } else {
        for (;;) {
            skip_ws(s);
            bool ok = parse_item(s, object);
            skip_ws(s);
            if (!ok || s->p >= s->end || (*s->p != ',' && *s->p != close))
                return false;
            if (*s->p++ == close)
                break;
        }
    }
    s->depth--;
    return close_container(s, base, object, out);
}

static bool parse_value(ps *s, jd *out)
{
    skip_ws(s);
    if (s->p >= s->end)
        return false;
    char c = *s->p;
    if (c == '{' || c == '[')
        return parse_container(s, c == '{', out);
    if (c == '"') {
        *out = (jd){JD_STR, 0, {.s = parse_string(s)}};
        return out->u.s != NULL;
    }
    if (c == '-' || (c >= '0' && c <= '9'))
        return parse_number(s, out);
    return parse_word(s, out);
}

/* True when the whole text is one plain object or array. */
static bool parse_plain(jd_doc *d)
{
    size_t len = strlen(d->text); /* a NUL byte ends the text: jansson then sees the rest */
    ps s = {d, d->text, d->text + len, 0, NULL, 0, 0};
    skip_ws(&s);
    bool ok = s.p < s.end && (*s.p == '{' || *s.p == '[') && parse_value(&s, &d->root);
    skip_ws(&s);
    free(s.stack);
    return ok && s.p == s.end;
}

/* ---- jansson's value copied into the arena ---- */

/* A real that came as a double: its shortest decimal that reads back as
 * the same double (%.17g would give 0.1 as 0.10000000000000001). */
static bool real_from_double(jd_doc *d, double r, jd *out)
{
    char buf[40];
    for (int prec = 1; prec <= 17; prec++) {
        nb_snprintf_c(buf, sizeof buf, "%.*g", prec, r);
        if (jd_real_of(buf) == r)
            break;
    }
    char *lit = arena_str(d, buf);
    *out = (jd){JD_REAL, lit ? strlen(lit) : 0, {.s = lit}};
    return lit != NULL;
}

static bool copy_value(jd_doc *d, json_t *v, jd *out)
{
    size_t i, n = json_is_array(v) ? json_array_size(v) : json_is_object(v) ? json_object_size(v) : 0;
    *out = (jd){JD_NULL, n, {0}};
    if (json_is_true(v) || json_is_false(v))
        out->t = json_is_true(v) ? JD_TRUE : JD_FALSE;
    else if (json_is_integer(v))
        *out = (jd){JD_INT, 0, {.i = json_integer_value(v)}};
    else if (json_is_real(v))
        return real_from_double(d, json_real_value(v), out);
    else if (json_is_string(v))
        *out = (jd){JD_STR, 0, {.s = arena_str(d, json_string_value(v))}};
    if (json_is_string(v))
        return out->u.s != NULL;
    if (json_is_array(v)) {
        const jd **a = arena(d, (n ? n : 1) * sizeof *a);
        out->t = JD_ARR;
        out->u.a = a;
        json_t *e;
        json_array_foreach(v, i, e) {
            jd *x = arena(d, sizeof *x);
            if (!a || !x || !copy_value(d, e, x))
                return false;
            a[i] = x;
        }
    } else if (json_is_object(v)) {
        jd_member *m = arena(d, (n ? n : 1) * sizeof *m);
        out->t = JD_OBJ;
        out->u.m = m;
        const char *key;
        json_t *e;
        i = 0;
        json_object_foreach(v, key, e) {
            jd *x = arena(d, sizeof *x);
            if (!m || !x || !(m[i].key = arena_str(d, key)) || !copy_value(d, e, x))
                return false;
            m[i++].v = x;
        }
    }
    return true;
}

static const jd *from_jansson(jd_doc *d, json_t *v)
{
    for (chunk *c = d->chunks; c; c = c->next)
        c->used = 0; /* what the plain parse left is not needed */
    bool ok = v && copy_value(d, v, &d->root);
    json_decref(v);
    if (!ok) {
        jd_free(&d->root);
        return NULL;
    }
    return &d->root;
}

static jd_doc *doc_new(char *text, size_t len)
{
    jd_doc *d = calloc(1, sizeof *d);
    if (!d) {
        free(text);
        return NULL;
    }
    d->text = text;
    /* A fresh page costs more than the instructions of a small file's
     * whole parse: a tree takes 2-4 bytes of arena per byte of text, so
     * one chunk that size keeps the heap dense instead of 16 KB per file. */
    d->first_cap = len < JD_FIRST_MAX / 4 ? 4 * len + 256 : JD_FIRST_MAX;
    return d;
}

static bool oom(json_error_t *err)
{
    if (err) {
        memset(err, 0, sizeof *err);
        strcpy(err->text, "out of memory");
    }
    return false;
}

static const jd *load_text(const char *text, size_t len, size_t flags, json_error_t *err)
{
    char *copy = malloc(len + 1);
    jd_doc *d = copy ? doc_new(copy, len) : NULL;
    if (!d) {
        oom(err);
        return NULL;
    }
    memcpy(copy, text, len);
    copy[len] = '\0';
    if (memchr(text, '\0', len) == NULL && parse_plain(d)) {
        if (err)
            memset(err, 0, sizeof *err);
        return &d->root;
    }
    return from_jansson(d, json_loadb(text, len, flags, err));
}

const jd *jd_load_text(const char *text, size_t len, bool reject_dups, json_error_t *err)
{
    return load_text(text, len, reject_dups ? JSON_REJECT_DUPLICATES : 0, err);
}

const jd *jd_load_any(const char *text, size_t len, json_error_t *err)
{
    return load_text(text, len, JSON_DECODE_ANY, err);
}

const jd *jd_from_json(json_t *v)
{
    jd_doc *d = v ? doc_new(NULL, 0) : NULL;
    return d ? from_jansson(d, json_incref(v)) : NULL;
}

/* The whole file, NUL-terminated (caller frees); NULL when it cannot be
 * read in one go (jansson then says why). */
static char *read_all(const char *path, size_t *len)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return NULL;
    struct stat st;
    char *buf = NULL;
    if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0 && st.st_size <= JD_MAX_FILE &&
        (buf = malloc((size_t)st.st_size + 1))) {
        if (read(fd, buf, (size_t)st.st_size) != st.st_size) {
            free(buf);
            buf = NULL;
        } else {
            buf[st.st_size] = '\0';
            *len = (size_t)st.st_size;
        }
    }
    close(fd);
    return buf;
}

const jd *jd_load_file(const char *path, bool reject_dups, json_error_t *err)
{
    size_t len = 0;
    char *text = read_all(path, &len);
    jd_doc *d = doc_new(text, len);
    if (!d) {
        oom(err);
        return NULL;
    }
    if (text && strlen(text) == len && parse_plain(d)) {
        if (err)
            memset(err, 0, sizeof *err);
        return &d->root;
    }
    return from_jansson(d, json_load_file(path, reject_dups ? JSON_REJECT_DUPLICATES : 0, err));
}

/* ---- accessors ---- */

const jd *jd_get(const jd *o, const char *key)
{
    if (!o || o->t != JD_OBJ || !key)
        return NULL;
    /* The first byte tells most keys apart without a call (data files ask
     * for a few thousand keys at every start). */
    for (size_t i = o->n; i-- > 0;) { /* the last of equal keys, as jansson keeps */
        const char *k = o->u.m[i].key;
        if (k[0] == key[0] && (!key[0] || strcmp(k + 1, key + 1) == 0))
            return o->u.m[i].v;
    }
    return NULL;
}

const jd *jd_get_near(const jd *o, const char *key, size_t klen, size_t *hint)
{
    if (!o || o->t != JD_OBJ || !key || o->n == 0)
        return NULL;
    size_t start = *hint < o->n ? *hint : 0;
    for (size_t k = 0, i = start; k < o->n; k++, i = i + 1 < o->n ? i + 1 : 0) {
        const char *m = o->u.m[i].key;
        if ((klen == 0 || m[0] == key[0]) && strncmp(m, key, klen) == 0 && m[klen] == '\0') {
            *hint = i;
            return o->u.m[i].v;
        }
    }
    return NULL;
}

const char *jd_str(const jd *v) { return v && v->t == JD_STR ? v->u.s : NULL; }
long long jd_int(const jd *v) { return v && v->t == JD_INT ? v->u.i : 0; }
double jd_real(const jd *v) { return v && v->t == JD_REAL ? jd_real_of(v->u.s) : 0.0; }
const char *jd_real_text(const jd *v) { return v && v->t == JD_REAL ? v->u.s : NULL; }
bool jd_is_obj(const jd *v) { return v && v->t == JD_OBJ; }
bool jd_is_arr(const jd *v) { return v && v->t == JD_ARR; }
bool jd_is_str(const jd *v) { return v && v->t == JD_STR; }
bool jd_is_int(const jd *v) { return v && v->t == JD_INT; }
bool jd_is_real(const jd *v) { return v && v->t == JD_REAL; }
bool jd_is_true(const jd *v) { return v && v->t == JD_TRUE; }
size_t jd_len(const jd *v) { return v && v->t == JD_ARR ? v->n : 0; }
size_t jd_nmembers(const jd *v) { return v && v->t == JD_OBJ ? v->n : 0; }
const jd *jd_at(const jd *a, size_t i) { return a && a->t == JD_ARR && i < a->n ? a->u.a[i] : NULL; }
const char *jd_key_at(const jd *o, size_t i) { return o && o->t == JD_OBJ && i < o->n ? o->u.m[i].key : NULL; }
const jd *jd_val_at(const jd *o, size_t i) { return o && o->t == JD_OBJ && i < o->n ? o->u.m[i].v : NULL; }
