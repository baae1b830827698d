/* html_lex.c - a tolerant HTML tokenizer.
 *
 * Yields text, start tags (with attributes) and end tags.  Comments
 * (Word's <!--[if !supportLists]--> included), <!DOCTYPE>, <![if ...]>,
 * <?xml?> and the content of <script>/<style>/<textarea> are skipped; the
 * content of <title> is text.  Character references are decoded.  Nothing
 * in the input can make it fail: a '<' that starts no tag is text, an
 * unterminated tag or comment runs to the end. */
#include "html_priv.h"
#include "nianbao/text.h"
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

/* Character references ----------------------------------------------- */

typedef struct entity {
    const char *name;
    uint32_t cp;
} entity;

/* The ones that occur in Chinese government pages, and the usual Latin-1 and
 * punctuation names. */
static const entity entities[] = {
    {"nbsp", 0xA0},    {"amp", '&'},      {"lt", '<'},        {"gt", '>'},       {"quot", '"'},
    {"apos", '\''},    {"ensp", 0x2002},  {"emsp", 0x2003},   {"thinsp", 0x2009}, {"zwsp", 0x200B},
    {"zwnj", 0x200C},  {"zwj", 0x200D},   {"shy", 0xAD},      {"ldquo", 0x201C}, {"rdquo", 0x201D},
    {"lsquo", 0x2018}, {"rsquo", 0x2019}, {"sbquo", 0x201A},  {"bdquo", 0x201E}, {"laquo", 0xAB},
    {"raquo", 0xBB},   {"mdash", 0x2014}, {"ndash", 0x2013},  {"hellip", 0x2026}, {"middot", 0xB7},
    {"bull", 0x2022},  {"times", 0xD7},   {"divide", 0xF7},   {"yen", 0xA5},     {"copy", 0xA9},
    {"reg", 0xAE},     {"deg", 0xB0},     {"plusmn", 0xB1},   {"sect", 0xA7},    {"para", 0xB6},
    {"permil", 0x2030}, {"prime", 0x2032}, {"le", 0x2264},    {"ge", 0x2265},    {"ne", 0x2260},
    {"minus", 0x2212}, {"rarr", 0x2192},  {"larr", 0x2190},   {"uarr", 0x2191},  {"darr", 0x2193},
    {"trade", 0x2122}, {"cent", 0xA2},    {"pound", 0xA3},    {"euro", 0x20AC},  {"iexcl", 0xA1},
    {"frac12", 0xBD},  {"frac14", 0xBC},  {"frac34", 0xBE},   {"sup2", 0xB2},    {"sup3", 0xB3},
    {"micro", 0xB5},   {"ordm", 0xBA},    {"ordf", 0xAA},     {"acute", 0xB4},   {"uml", 0xA8},
    {"macr", 0xAF},    {"cedil", 0xB8},   {"sup1", 0xB9},     {"iquest", 0xBF},  {"not", 0xAC},
    {"brvbar", 0xA6},  {"curren", 0xA4},  {"alpha", 0x3B1},   {"beta", 0x3B2},   {"mu", 0x3BC},
    {"lowast", 0x2217}, {"sim", 0x223C},   {"radic", 0x221A}, {"infin", 0x221E},
    {NULL, 0}};

/* Names a browser accepts without the ';' (legacy). */
static bool legacy_name(const char *name)
{
    static const char *const v[] = {"nbsp", "amp", "lt", "gt", "quot", "copy", "reg", NULL};
    for (int i = 0; v[i]; i++)
        if (strcmp(v[i], name) == 0)
            return true;
    return false;
}

static bool put_cp(strbuf *b, uint32_t cp)
{
    /* NUL, surrogates and out-of-range references become U+FFFD; C1
     * controls from Windows-1252 habits are kept as their code point. */
    if (cp == 0 || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
        cp = 0xFFFD;
    char out[4];
    size_t n = nb_utf8_put(cp, out);
    return strbuf_add(b, out, n);
}

/* A reference at s[0] == '&': its decoded code point and length, 0 when it
 * is not one (the '&' is then literal). */
static size_t entity_at(const char *s, size_t n, uint32_t *cp)
{
    if (n < 2)
        return 0;
    if (s[1] == '#') {
        size_t i = 2;
        bool hex = i < n && (s[i] == 'x' || s[i] == 'X');
        if (hex)
            i++;
        size_t start = i;
        uint32_t v = 0;
        while (i < n && (hex ? isxdigit((unsigned char)s[i]) : isdigit((unsigned char)s[i]))) {
            int d = isdigit((unsigned char)s[i]) ? s[i] - '0' : (tolower((unsigned char)s[i]) - 'a' + 10);
            if (v <= 0x10FFFF)
                v = v * (hex ? 16u : 10u) + (uint32_t)d;
            i++;
        }
        if (i == start)
            return 0;
        if (i < n && s[i] == ';')
            i++;
        *cp = v > 0x10FFFF ? 0xFFFD : v;
        return i;
    }
    char name[16];
    size_t i = 1, k = 0;
    while (i < n && isalnum((unsigned char)s[i]) && k < sizeof name - 1)
        name[k++] = s[i++];
    name[k] = '\0';
    if (k == 0)
        return 0;
    bool semi = i < n && s[i] == ';';
    for (int e = 0; entities[e].name; e++) /* the first byte tried before a call */
        if (entities[e].name[0] == name[0] && strcmp(entities[e].name, name) == 0) {
            if (!semi && !legacy_name(name))
                return 0;
            *cp = entities[e].cp;
            return i + semi;
        }
    /* case variants: &NBSP; &AMP; */
    for (int e = 0; entities[e].name; e++)
        if (strcasecmp(entities[e].name, name) == 0 && semi && legacy_name(entities[e].name)) {
            *cp = entities[e].cp;
            return i + 1;
        }
    return 0;
}

/* Where the next '&' or (when the text holds any) NUL is, from i; n when
 * none.  Text without NULs, the usual case, is scanned with memchr. */
static size_t next_special(const char *s, size_t i, size_t n, bool nuls)
{
    if (!nuls) {
        const char *amp = memchr(s + i, '&', n - i);
        return amp ? (size_t)(amp - s) : n;
    }
    while (i < n && s[i] != '&' && s[i] != '\0')
        i++;
    return i;
}

/* NULs are dropped; references decoded, a '&' that starts none kept. */
bool ht_decode_entities(strbuf *b, const char *s, size_t n)
{
    bool nuls = memchr(s, '\0', n) != NULL;
    size_t run = 0, i = 0; /* run: start of the pending plain run */
    while ((i = next_special(s, i, n, nuls)) < n) {
        if (s[i] == '\0') {
            if (!strbuf_add(b, s + run, i - run))
                return false;
            run = ++i;
            continue;
        }
        uint32_t cp;
        size_t len = entity_at(s + i, n - i, &cp);
        if (!len) {
            i++;
            continue;
        }
        if (!strbuf_add(b, s + run, i - run) || !put_cp(b, cp))
            return false;
        i += len;
        run = i;
    }
    return strbuf_add(b, s + run, n - run);
}

/* Visible bytes ------------------------------------------------------ */

/* Blank bytes (' ', \t, \n, \r, \f: \v is not one) count 1, the lead of
 * a no-break space (C2 A0) 2, any other byte 0. */
static const unsigned char blank_weight[256] = {[' '] = 1, ['\t'] = 1, ['\n'] = 1, ['\r'] = 1, ['\f'] = 1,
                                                [0xC2] = 2};

size_t ht_visible_bytes(const char *s, size_t n)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t k = n;
    for (size_t i = 0; i < n; i++) {
        unsigned w = blank_weight[u[i]];
        /* C2 is never a continuation byte, so C2 A0 cannot overlap another */
        if (w == 1 || (w == 2 && i + 1 < n && u[i + 1] == 0xA0))
            k -= w;
    }
    return k;
}

/* A 16-bit mask's number of set bits (without a popcount instruction). */
static inline unsigned bits16(unsigned x)
{
    x = x - ((x >> 1) & 0x5555u);
    x = (x & 0x3333u) + ((x >> 2) & 0x3333u);
    x = (x + (x >> 4)) & 0x0F0Fu;
    return (x + (x >> 8)) & 0x1Fu;
}

/* Text runs --------------------------------------------------------- */

/* The scan of a text run at s[i..): where the next '<' is (n when none),
 * whether a '&' or NUL comes before it (the text needs decoding), and its
 * visible bytes, all in one pass: sixteen bytes a step where SSE2 is. */
typedef struct text_scan {
    size_t end;
    bool special;
    size_t blanks; /* blank bytes + 2 per no-break space, when not special */
} text_scan;

enum { T_LT = 1, T_SPECIAL = 2, T_BLANK = 4, T_C2 = 8 };
static const unsigned char text_cls[256] = {['<'] = T_LT, ['&'] = T_SPECIAL, ['\0'] = T_SPECIAL,
                                            [' '] = T_BLANK, ['\t'] = T_BLANK, ['\n'] = T_BLANK,
                                            ['\r'] = T_BLANK, ['\f'] = T_BLANK, [0xC2] = T_C2};

/* The byte-wise scan, from i with what an earlier part of the run found. */
static inline __attribute__((always_inline)) text_scan scan_text_tail(const unsigned char *u, size_t i, size_t n, text_scan r)
{
    for (; i < n; i++) {
        unsigned c = text_cls[u[i]];
        if (!c)
            continue;
        if (c & T_LT)
            break;
        r.special |= (c & T_SPECIAL) != 0;
        r.blanks += (c & T_BLANK) != 0;
        r.blanks += (c & T_C2) && i + 1 < n && u[i + 1] == 0xA0 ? 2 : 0;
    }
    r.end = i;
    return r;
}

/* A run ending within its first five bytes (a digit, a line feed) costs
 * less byte-wise than a step of the sixteen-byte scan. */
#define SHORT_RUN 0x1Fu
static inline __attribute__((always_inline)) text_scan scan_text(const char *s, size_t i, size_t n)
{
    const unsigned char *u = (const unsigned char *)s;
    text_scan r = {n, false, 0};
#if defined(__SSE2__)
    const __m128i lt = _mm_set1_epi8('<'), amp = _mm_set1_epi8('&'), zero = _mm_setzero_si128();
    const __m128i sp = _mm_set1_epi8(' '), tab = _mm_set1_epi8('\t'), four = _mm_set1_epi8(4);
    const __m128i vt = _mm_set1_epi8('\v'), c2 = _mm_set1_epi8((char)0xC2), a0 = _mm_set1_epi8((char)0xA0);
    unsigned carry = 0; /* the last block ended with C2 */
    if (i + 16 <= n) { /* a '<' among its first five bytes: a short run */
        unsigned m = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(_mm_loadu_si128((const __m128i *)(s + i)), lt));
        if (m & SHORT_RUN)
            return scan_text_tail(u, i, n, r);
    }
    for (; i + 16 <= n; i += 16) {
        __m128i v = _mm_loadu_si128((const __m128i *)(s + i));
        unsigned m = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v, lt));
        unsigned live = m ? (m & -m) - 1 : 0xFFFFu; /* the bytes before the '<' */
        __m128i spec = _mm_or_si128(_mm_cmpeq_epi8(v, amp), _mm_cmpeq_epi8(v, zero));
        r.special |= (_mm_movemask_epi8(spec) & live) != 0;
        /* \t..\r less \v (0x09-0x0D): v - 9 <= 4 unsigned; and ' ' */
        __m128i d = _mm_sub_epi8(v, tab);
        __m128i ctl = _mm_andnot_si128(_mm_cmpeq_epi8(v, vt), _mm_cmpeq_epi8(_mm_min_epu8(d, four), d));
        unsigned bl = (unsigned)_mm_movemask_epi8(_mm_or_si128(ctl, _mm_cmpeq_epi8(v, sp))) & live;
        unsigned mc = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v, c2));
        unsigned ma = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v, a0));
        unsigned nb = ((mc & (ma >> 1)) & live) | (carry & ma & 1u);
        if (bl | nb)
            r.blanks += bits16(bl) + 2 * bits16(nb);
        if (m) {
            r.end = i + (size_t)__builtin_ctz(m);
            return r;
        }
        carry = mc >> 15;
    }
    if (carry && i < n && u[i] == 0xA0)
        r.blanks += 2;
#endif
    return scan_text_tail(u, i, n, r);
}

/* Tokens -------------------------------------------------------------- */

/* The first '\n' at or after from; len when none. */
static size_t next_newline(const ht_lexer *lx, size_t from)
{
    const char *nl = from < lx->len ? memchr(lx->s + from, '\n', lx->len - from) : NULL;
    return nl ? (size_t)(nl - lx->s) : lx->len;
}

/* Tokens are a few bytes apart and most hold no line feed: the next one is
 * known ahead, so a token costs a comparison and each line feed one memchr. */
static __attribute__((noinline)) int line_at_slow(ht_lexer *lx, size_t pos)
{
    while (lx->next_nl < pos && lx->next_nl < lx->len) {
        lx->line++;
        lx->next_nl = next_newline(lx, lx->next_nl + 1);
    }
    return lx->line;
}

/* The comparison inline, the counting out of line. */
static inline int line_at(ht_lexer *lx, size_t pos)
{
    return lx->next_nl < pos ? line_at_slow(lx, pos) : lx->line;
}

/* A token's line when a line feed was passed: out of line, and called
 * last, so that the short paths keep nothing across a call. */
static __attribute__((noinline)) bool set_line_slow(ht_lexer *lx, ht_token *t, size_t pos)
{
    t->line = line_at_slow(lx, pos);
    return true;
}

/* t->line for a token at pos, as the last thing a path does. */
static inline bool set_line(ht_lexer *lx, ht_token *t, size_t pos)
{
    if (lx->next_nl < pos)
        return set_line_slow(lx, t, pos);
    t->line = lx->line;
    return true;
}

void ht_lex_init(ht_lexer *lx, const char *s, size_t len)
{
    memset(lx, 0, sizeof *lx);
    lx->s = s;
    lx->len = len;
    lx->line = 1;
    lx->nuls = len && memchr(s, '\0', len) != NULL;
    lx->next_nl = next_newline(lx, 0);
}

static void token_clear(ht_token *t)
{
    t->nattrs = 0;
    t->tx = NULL;
    t->txlen = 0;
    t->in_page = false;
    t->text.len = 0;
    t->name[0] = '\0';
    t->id = HT_OTHER;
    t->self_closing = false;
    t->kind = HT_TOK_EOF;
}

void ht_token_free(ht_token *t)
{
    token_clear(t);
    free(t->attrs);
    strbuf_free(&t->text);
    memset(t, 0, sizeof *t);
}

/* Byte classes of the tag scanner: one table look-up per byte instead of
 * a chain of comparisons. */
enum { C_SPACE = 1, C_GT = 2, C_SLASH = 4, C_EQ = 8, C_ALPHA = 16 };
static const unsigned char cls[256] = {
    [' '] = C_SPACE, ['\t'] = C_SPACE, ['\n'] = C_SPACE, ['\r'] = C_SPACE, ['\f'] = C_SPACE, ['\v'] = C_SPACE,
    ['>'] = C_GT,    ['/'] = C_SLASH,   ['='] = C_EQ,
#define A(c) [c] = C_ALPHA, [c - 'a' + 'A'] = C_ALPHA,
    A('a') A('b') A('c') A('d') A('e') A('f') A('g') A('h') A('i') A('j') A('k') A('l') A('m')
    A('n') A('o') A('p') A('q') A('r') A('s') A('t') A('u') A('v') A('w') A('x') A('y') A('z')
#undef A
};

static inline bool is_space(char c) { return cls[(unsigned char)c] & C_SPACE; }
static inline bool is_in(char c, unsigned set) { return (cls[(unsigned char)c] & set) != 0; }

/* Case-insensitive search for needle in s[from..len); needle[0] is not a
 * letter ("-->", "</script"), so its first byte is found with memchr. */
static size_t find_ci(const char *s, size_t len, size_t from, const char *needle)
{
    size_t nl = strlen(needle);
    while (from + nl <= len) {
        const char *p = memchr(s + from, needle[0], len - nl + 1 - from);
        if (!p)
            break;
        size_t i = (size_t)(p - s);
        if (strncasecmp(p, needle, nl) == 0)
            return i;
        from = i + 1;
    }
    return len;
}

static inline unsigned char lower(unsigned char c) { return (unsigned char)(c | ((unsigned)(c - 'A') < 26u) << 5); }

/* A name's lower-case spelling cut to HT_TAG_MAX - 1 bytes into out. */
static void copy_name(const char *s, size_t len, char out[HT_TAG_MAX])
{
    size_t k = len < HT_TAG_MAX - 1 ? len : HT_TAG_MAX - 1;
    for (size_t j = 0; j < k; j++)
        out[j] = (char)lower((unsigned char)s[j]);
    out[k] = '\0';
}


/* The first len (1..8) bytes at p as a key, zero past the name: the name
 * as the page spells it (<TD> and <td> take a slot each; a page spells a
 * tag one way or two), so that a key costs no lower-casing.  Read as one
 * word when eight bytes are there. */
static uint64_t name_key(const char *p, size_t len, size_t avail)
{
    static const unsigned char ff[16] = {255, 255, 255, 255, 255, 255, 255, 255};
    uint64_t x = 0, mask;
    if (avail >= sizeof x)
        memcpy(&x, p, sizeof x);
    else
        memcpy(&x, p, len);
    memcpy(&mask, ff + sizeof mask - len, sizeof mask); /* the first len bytes in memory order */
    return x & mask;
}

/* The id of the name s[0..len) (1..8 bytes) whose key is key, through
 * the per-lexer cache (pages repeat a handful of tags, td, p, span,
 * thousands of times); sets t->name when the id is HT_OTHER. */
static inline void name_id(ht_lexer *lx, uint64_t key, const char *s, size_t len, ht_token *t)
{
    size_t slot = (size_t)((key * 0x9E3779B97F4A7C15u) >> 58);
    if (lx->seen_key[slot] != key) {
        copy_name(s, len, t->name);
        ht_tag id = ht_tag_id(t->name);
        lx->seen_key[slot] = key;
        lx->seen_id[slot] = id;
        lx->seen_short[slot] = ht_tag_flags[id] & HT_F_RAW ? HT_OTHER : id;
    }
    t->id = lx->seen_id[slot];
    if (t->id == HT_OTHER)
        copy_name(s, len, t->name);
}

#if defined(__SSE2__)
/* The low len bytes of a little-endian word (len 1..8), by table: a load
 * where the shift cost five instructions on every tag. */
static const uint64_t low_bytes[9] = {0, 0xFF, 0xFFFF, 0xFFFFFF, 0xFFFFFFFF, 0xFFFFFFFFFF, 0xFFFFFFFFFFFF,
                                      0xFFFFFFFFFFFFFF, ~(uint64_t)0};

/* The tag name at s[ns..), sixteen bytes of which are there, found and
 * keyed in one register: its end (a blank, '>' or '/'), or 0 when the
 * name is longer than eight bytes or holds a control byte, which the
 * byte-wise scan then reads. */
static size_t read_name16(ht_lexer *lx, size_t ns, ht_token *t)
{
    const char *s = lx->s;
    __m128i v = _mm_loadu_si128((const __m128i *)(s + ns));
    __m128i low = _mm_cmpeq_epi8(_mm_min_epu8(v, _mm_set1_epi8(' ')), v); /* bytes <= ' ' */
    __m128i stop = _mm_or_si128(low, _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('>')),
                                                  _mm_cmpeq_epi8(v, _mm_set1_epi8('/'))));
    unsigned m = (unsigned)_mm_movemask_epi8(stop);
    if (!m)
        return 0;
    size_t len = (size_t)__builtin_ctz(m);
    if (len > sizeof(uint64_t) || !is_in(s[ns + len], C_SPACE | C_GT | C_SLASH))
        return 0;
    uint64_t key;
    _mm_storel_epi64((__m128i *)&key, v);
    key &= low_bytes[len]; /* the first len bytes */
    name_id(lx, key, s + ns, len, t);
    return ns + len;
}
#endif

/* Reads the tag name at s[ns..), up to white space, '>' or '/': its id
 * through the cache when the name has at most eight bytes.  Sets t->id,
 * and t->name when the id is HT_OTHER; returns where the name ends. */
static size_t read_name(ht_lexer *lx, size_t ns, ht_token *t)
{
    const char *s = lx->s;
    size_t n = lx->len, e = ns;
#if defined(__SSE2__)
    if (n - ns >= 16 && (e = read_name16(lx, ns, t)) != 0)
        return e;
    e = ns;
#endif
    while (e < n && !is_in(s[e], C_SPACE | C_GT | C_SLASH))
        e++;
    size_t len = e - ns;
    if (len == 0 || len > sizeof(uint64_t)) {
        copy_name(s + ns, len, t->name);
        t->id = ht_tag_id(t->name);
        return e;
    }
    name_id(lx, name_key(s + ns, len, n - ns), s + ns, len, t);
    return e;
}

/* Makes room for one more attribute: out of line, a token's array grows
 * a few times in a page. */
static __attribute__((noinline)) bool grow_attrs(ht_token *t)
{
    size_t cap = t->capattrs ? t->capattrs * 2 : 8;
    ht_attr *a = realloc(t->attrs, cap * sizeof *a);
    if (!a)
        return false;
    t->attrs = a;
    t->capattrs = cap;
    return true;
}

/* Keeps the attribute's spans; nothing is copied or decoded here. */
static inline bool add_attr(ht_token *t, const char *name, size_t nlen, const char *val, size_t vlen)
{
    if (t->nattrs == HT_MAX_ATTRS)
        return true;
    if (t->nattrs == t->capattrs && !grow_attrs(t))
        return false;
    t->attrs[t->nattrs++] = (ht_attr){.name = name, .value = val, .nlen = nlen, .vlen = vlen};
    unsigned c = (unsigned char)name[0] | 0x20u; /* nlen >= 1 here */
    t->picks |= c == 'c' || c == 'h' || c == 'i' || c == 'r' || c == 's';
    return true;
}

/* Where the attribute name from s[i] ends: the first blank, '>', '=' or
 * '/' at or after i (n when none); sixteen bytes a step where SSE2 is. */
static inline size_t name_end(const char *s, size_t i, size_t n)
{
#if defined(__SSE2__)
    if (n - i >= 16) {
        __m128i v = _mm_loadu_si128((const __m128i *)(s + i));
        __m128i d = _mm_sub_epi8(v, _mm_set1_epi8('\t')); /* \t \n \v \f \r: d <= 4 */
        __m128i stop = _mm_or_si128(_mm_cmpeq_epi8(_mm_min_epu8(d, _mm_set1_epi8(4)), d),
                                    _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8(' ')),
                                                 _mm_cmpeq_epi8(v, _mm_set1_epi8('>'))));
        stop = _mm_or_si128(stop, _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('=')),
                                               _mm_cmpeq_epi8(v, _mm_set1_epi8('/'))));
        unsigned m = (unsigned)_mm_movemask_epi8(stop);
        if (m)
            return i + (size_t)__builtin_ctz(m);
        i += 16;
    }
#endif
    while (i < n && !is_in(s[i], C_SPACE | C_GT | C_EQ | C_SLASH))
        i++;
    return i;
}

/* Where the first q at or after s[i] is (n when none): a value is short,
 * so its first sixteen bytes are looked at without a call. */
static inline size_t quote_end(const char *s, size_t i, size_t n, char q)
{
#if defined(__SSE2__)
    if (n - i >= 16) {
        __m128i v = _mm_loadu_si128((const __m128i *)(s + i));
        unsigned m = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v, _mm_set1_epi8(q)));
        if (m)
            return i + (size_t)__builtin_ctz(m);
        i += 16;
    }
#endif
    const char *qe = i < n ? memchr(s + i, q, n - i) : NULL;
    return qe ? (size_t)(qe - s) : n;
}

/* Parses the attributes of a tag from s[i] up to its '>' (kept when
 * record is set); returns the position after the tag.  Any attribute
 * form, from any point between attributes. */
static size_t parse_attrs_any(ht_lexer *lx, size_t i, ht_token *t, bool record, bool *ok)
{
    const char *s = lx->s;
    size_t n = lx->len;
    while (i < n) {
        while (i < n && is_in(s[i], C_SPACE | C_SLASH) && !(s[i] == '/' && i + 1 < n && s[i + 1] == '>'))
            i++;
        if (i >= n)
            break;
        if (s[i] == '>')
            return i + 1;
        if (s[i] == '/' && i + 1 < n && s[i + 1] == '>') {
            t->self_closing = true;
            return i + 2;
        }
        size_t ns = i;
        /* s[ns] is no '/': the loop above passed any but one before '>' */
        i = name_end(s, i, n);
        if (i == ns)
            i++; /* a lone '=' */
        size_t ne = i;
        while (i < n && is_space(s[i]))
            i++;
        const char *val = "";
        size_t vlen = 0;
        if (i < n && s[i] == '=') {
            i++;
            while (i < n && is_space(s[i]))
                i++;
            if (i < n && (s[i] == '"' || s[i] == '\'')) {
                char q = s[i++];
                size_t vs = i;
                i = quote_end(s, i, n, q);
                val = s + vs;
                vlen = i - vs;
                if (i < n)
                    i++;
            } else {
                size_t vs = i;
                while (i < n && !is_in(s[i], C_SPACE | C_GT))
                    i++;
                val = s + vs;
                vlen = i - vs;
            }
        }
        if (record && ne > ns && !add_attr(t, s + ns, ne - ns, val, vlen)) {
            *ok = false;
            return n;
        }
    }
    return n;
}

/* parse_attrs_any, the usual attributes first: ` name="value"` (one
 * blank, a letter, the quote right after the '=', its close found) is
 * read as the general loop reads it, without its tests for blanks,
 * slashes and unquoted values; the loop takes over where a tag leaves
 * that form. */
static size_t parse_attrs(ht_lexer *lx, size_t i, ht_token *t, bool record, bool *ok)
{
    const char *s = lx->s;
    size_t n = lx->len;
    while (i + 1 < n && s[i] == ' ' && is_in(s[i + 1], C_ALPHA)) {
        size_t ns = i + 1, ne = name_end(s, ns, n);
        if (ne + 1 >= n || s[ne] != '=' || (s[ne + 1] != '"' && s[ne + 1] != '\''))
            break;
        size_t vs = ne + 2, ve = quote_end(s, vs, n, s[ne + 1]);
        if (ve >= n)
            break;
        if (record && !add_attr(t, s + ns, ne - ns, s + vs, ve - vs)) {
            *ok = false;
            return n;
        }
        i = ve + 1;
        if (i < n && s[i] == '>')
            return i + 1;
    }
    return parse_attrs_any(lx, i, t, record, ok);
}

/* A TEXT token of s[start..sc.end), which needs no decoding: the page's
 * bytes. */
static inline void text_in_page(const ht_lexer *lx, ht_token *t, size_t start, text_scan sc)
{
    t->kind = HT_TOK_TEXT;
    t->tx = lx->s + start;
    t->txlen = sc.end - start;
    t->in_page = true;
    t->visible = sc.end - start - sc.blanks;
}

/* A TEXT token of s[start..end) as scan found it: the page's bytes when
 * they need no decoding (the usual case), else their decoding in t->text. */
static bool text_token(ht_lexer *lx, ht_token *t, size_t start, text_scan sc)
{
    if (!sc.special) {
        text_in_page(lx, t, start, sc);
        return true;
    }
    const char *p = lx->s + start;
    size_t n = sc.end - start;
    t->kind = HT_TOK_TEXT;
    t->in_page = false;
    t->text.len = 0;
    if (!ht_decode_entities(&t->text, p, n))
        return false;
    t->tx = t->text.s;
    t->txlen = t->text.len;
    t->visible = ht_visible_bytes(t->tx, t->txlen);
    return true;
}

/* The scan of s[start..end) whole, '<' included (a <title>'s text). */
static text_scan whole_run(const ht_lexer *lx, size_t start, size_t end)
{
    const char *p = lx->s + start;
    size_t n = end - start;
    bool special = memchr(p, '&', n) || (lx->nuls && memchr(p, '\0', n));
    return (text_scan){end, special, special ? 0 : n - ht_visible_bytes(p, n)};
}

/* The content of a raw text element, up to its end tag: a TEXT token for
 * <title>, else skipped.  Out of ht_lex_next, whose every call would
 * otherwise set up the end tag's buffer. */
static bool raw_text(ht_lexer *lx, ht_token *t)
{
    const char *s = lx->s;
    size_t n = lx->len;
    char endtag[HT_TAG_MAX + 2] = "</";
    strcat(endtag, ht_tag_names[lx->raw]);
    size_t e = find_ci(s, n, lx->pos, endtag);
    size_t start = lx->pos;
    t->line = line_at(lx, start);
    lx->pos = e;
    bool keep = lx->raw == HT_title;
    lx->raw = HT_OTHER;
    if (keep && e > start)
        return text_token(lx, t, start, whole_run(lx, start, e));
    /* skipped content: go straight on */
    return ht_lex_next(lx, t);
}

#if defined(__SSE2__)
/* The usual token: a tag whose name (1-8 bytes, seen before) ends at its
 * '>' (<td>, </p>), sixteen bytes of page at hand.  Lexed here with few
 * registers, so that it costs no saving of them; false (nothing changed)
 * for anything else, which lex_any reads. */
static inline bool plain_tag(ht_lexer *lx, ht_token *t)
{
    const char *s = lx->s;
    size_t i = lx->pos;
    if (lx->len - i < 18 || s[i] != '<')
        return false;
    bool end = s[i + 1] == '/';
    size_t ns = i + 1 + end;
    if (!is_in(s[ns], C_ALPHA))
        return false;
    /* the bytes up to the first '>' are a name when the cache knows them:
     * only names read in full (no blank, '/' or '>' in them) go there */
    __m128i v = _mm_loadu_si128((const __m128i *)(s + ns));
    unsigned m = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v, _mm_set1_epi8('>')));
    if (!(m & 0x1FFu)) /* the '>' within nine bytes: a name of 1-8 */
        return false;
    size_t len = (size_t)__builtin_ctz(m);
    uint64_t key;
    _mm_storel_epi64((__m128i *)&key, v);
    key &= low_bytes[len];
    size_t slot = (size_t)((key * 0x9E3779B97F4A7C15u) >> 58);
    ht_tag id = lx->seen_short[slot];
    if (lx->seen_key[slot] != key || id == HT_OTHER)
        return false;
    t->kind = end ? HT_TOK_END : HT_TOK_START;
    t->id = id;
    t->nattrs = 0;
    t->self_closing = false;
    lx->pos = ns + len + 1;
    return true; /* t->line is the caller's: see ht_lex_next */
}

#endif

static bool lex_any(ht_lexer *lx, ht_token *t);

/* The start or end tag at s[i] ('<', then a letter or '/' and a letter):
 * its name and attributes. */
static __attribute__((noinline)) bool lex_tag(ht_lexer *lx, ht_token *t, size_t i)
{
    const char *s = lx->s;
    size_t n = lx->len;
    bool end = s[i + 1] == '/';
    size_t ns = i + 1 + end;
    t->kind = end ? HT_TOK_END : HT_TOK_START;
    t->nattrs = 0;
    t->picks = false;
    t->self_closing = false;
    t->line = line_at(lx, i);
    size_t ne = read_name(lx, ns, t);
    bool ok = true; /* most tags end right after their name */
    lx->pos = ne < n && s[ne] == '>' ? ne + 1 : parse_attrs(lx, ne, t, !end, &ok);
    if (!ok)
        return false;
    if (end)
        t->self_closing = false;
    else if (!t->self_closing && (ht_tag_flags[t->id] & HT_F_RAW))
        lx->raw = t->id;
    return true;
}

/* A text run's token that needs decoding (a reference or NUL in it). */
static __attribute__((noinline)) bool lex_text_decoded(ht_lexer *lx, ht_token *t, size_t start, text_scan sc)
{
    t->line = line_at(lx, start);
    return text_token(lx, t, start, sc);
}

/* The text run at lx->pos (no '<' there, not in raw text): the usual run
 * needs no decoding and is read with calls only last, as the short tag
 * path is. */
static __attribute__((noinline)) bool lex_text(ht_lexer *lx, ht_token *t)
{
    size_t i = lx->pos;
    text_scan sc = scan_text(lx->s, i, lx->len);
    lx->pos = sc.end;
    if (sc.special)
        return lex_text_decoded(lx, t, i, sc);
    text_in_page(lx, t, i, sc);
    return set_line(lx, t, i);
}

/* Each kind of token sets the fields it has (see ht_token): a token is
 * not cleared first, as that cost more than the fields a kind sets. */
bool ht_lex_next(ht_lexer *lx, ht_token *t)
{
    size_t at = lx->pos;
    if (lx->raw == HT_OTHER && at < lx->len) {
        if (lx->s[at] != '<')
            return lex_text(lx, t);
#if defined(__SSE2__)
        if (plain_tag(lx, t))
            return set_line(lx, t, at);
        if (lx->len - at >= 18) { /* the bytes after '<' are there to look at */
            size_t ns = at + 1 + (lx->s[at + 1] == '/');
            if (is_in(lx->s[ns], C_ALPHA))
                return lex_tag(lx, t, at);
        }
#endif
    }
    return lex_any(lx, t);
}

/* Any token (ht_lex_next's general path). */
static __attribute__((noinline)) bool lex_any(ht_lexer *lx, ht_token *t)
{
    const char *s = lx->s;
    size_t n = lx->len;
    if (lx->raw != HT_OTHER)
        return raw_text(lx, t);
    while (lx->pos < n) {
        size_t i = lx->pos;
        if (s[i] != '<') {
            text_scan sc = scan_text(s, i, n);
            t->line = line_at(lx, i);
            lx->pos = sc.end;
            return text_token(lx, t, i, sc);
        }
        /* s[i] == '<': a start or end tag, the usual case, is told first */
        char c1 = i + 1 < n ? s[i + 1] : '\0';
        bool end = c1 == '/';
        size_t ns = i + 1 + end;
        if (ns < n && is_in(s[ns], C_ALPHA))
            return lex_tag(lx, t, i);
        if (c1 == '!' && i + 3 < n && s[i + 2] == '-' && s[i + 3] == '-') {
            size_t e = find_ci(s, n, i + 4, "-->");
            lx->pos = e < n ? e + 3 : n;
            continue;
        }
        if (c1 == '!' || c1 == '?' || end) {
            /* <!DOCTYPE>, <![if !vml]>, <![endif]>, <![CDATA[..]]>, <?xml?>;
             * </ 3> or </>: a bogus comment */
            size_t e = i + 2;
            while (e < n && s[e] != '>')
                e++;
            lx->pos = e < n ? e + 1 : n;
            continue;
        }
        /* a literal '<' */
        t->line = line_at(lx, i);
        lx->pos = i + 1;
        return text_token(lx, t, i, (text_scan){i + 1, false, 0});
    }
    t->kind = HT_TOK_EOF;
    t->line = line_at(lx, n);
    return true;
}
