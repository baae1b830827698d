/* validate_lits.c - the strings the text rules need, found in one pass.
 *
 * Every text pattern needs one of a few literal strings (v_regex_needs).
 * Asking strstr for each pattern's strings over each section and then over
 * each sentence read the narrative about sixty times per report; the
 * rules share most of those strings (规范性文件, 信息处理费, 申请...).  The
 * distinct strings of the whole ruleset get one bit each at load, and a
 * sentence is read once to learn which of them it holds: a pattern runs on
 * it when the sentence's bits meet the pattern's.  The answer is exactly
 * strstr's: every byte offset a string could start at is tried. */
#include "validate_int.h"
#include "util.h"
#include <stdlib.h>
#include <string.h>

#define V_TRI 1024 /* slots of the three-byte start index */

struct v_litset {
    size_t n;
    char *s[V_LIT_MAX];
    size_t len[V_LIT_MAX];
    uint64_t head[V_LIT_MAX]; /* a string's first eight bytes (fewer: zeros), as memcpy loads them */
    uint64_t hmask[V_LIT_MAX]; /* and the mask of those it has */
    uint64_t all;             /* every string's bit, and V_LIT_ANY */
    bool cont;                /* a string starts with a UTF-8 continuation byte */
    bool short_lead;          /* a string under three bytes starts with a lead byte E0..EF */
    uint64_t short1[256];     /* strings under three bytes, by their first byte */
    uint64_t tri[V_TRI];      /* longer ones, by a hash of their first three bytes */
    uint64_t cjk[1024];       /* bit c: a longer one starts with the three-byte character c */
    bool starts[256];         /* some string starts with the byte */
};

static unsigned tri_hash(const unsigned char *u)
{
    return ((unsigned)u[0] * 0x9E3u ^ (unsigned)u[1] * 0x3Bu ^ (unsigned)u[2]) & (V_TRI - 1);
}

/* The bit of string s (adding it when new); 0 when the set is full. */
static uint64_t bit_known(const v_litset *ls, const char *s);

static uint64_t bit_of(v_litset *ls, const char *s)
{
    uint64_t known = bit_known(ls, s);
    if (known)
        return known;
    if (ls->n >= V_LIT_MAX || !(ls->s[ls->n] = nb_strdup(s)))
        return 0;
    const unsigned char *u = (const unsigned char *)s;
    size_t len = strlen(s);
    uint64_t b = (uint64_t)1 << ls->n;
    size_t h = len < 8 ? len : 8;
    memcpy(&ls->head[ls->n], s, h);
    memset(&ls->hmask[ls->n], 0xFF, h);
    ls->len[ls->n++] = len;
    ls->all |= b;
    ls->cont |= (u[0] & 0xC0) == 0x80;
    ls->starts[u[0]] = true;
    if (len < 3) {
        ls->short1[u[0]] |= b;
        ls->short_lead |= (u[0] & 0xF0u) == 0xE0u;
    } else {
        ls->tri[tri_hash(u)] |= b;
        if (u[0] >= 0xE0 && u[0] < 0xF0 && (u[1] & 0xC0) == 0x80 && (u[2] & 0xC0) == 0x80) {
            unsigned c = (u[0] & 0x0Fu) << 12 | (u[1] & 0x3Fu) << 6 | (u[2] & 0x3Fu);
            ls->cjk[c >> 6] |= (uint64_t)1 << (c & 63);
        }
    }
    return b;
}

/* The mask of a needs list (NULL: no filter, the pattern may match
 * anywhere); 0 when the set is full. */
static uint64_t mask_of(v_litset *ls, const char *needs)
{
    if (!needs)
        return V_LIT_ANY;
    uint64_t m = 0;
    for (const char *n = needs; *n; n += strlen(n) + 1) {
        uint64_t b = bit_of(ls, n);
        if (!b)
            return 0;
        m |= b;
    }
    return m ? m : V_LIT_ANY;
}

/* Masks for the rule's patterns: their needed strings (r->lits, or made
 * from the pattern where the rule keeps none: the year check's); false
 * when the set overflowed. */
static bool pattern_masks(v_litset *ls, v_rule *r)
{
    if (!(r->litmask = calloc(r->nre, sizeof *r->litmask)))
        return false;
    for (size_t k = 0; k < r->nre; k++) {
        char *own = r->lits || !r->re ? NULL : v_regex_needs(r->re[k].pat);
        r->litmask[k] = mask_of(ls, r->lits ? r->lits[k] : own);
        free(own);
        if (!r->litmask[k])
            return false;
        r->litwant |= r->litmask[k];
    }
    return true;
}

/* Masks for one rule's patterns (the rules read on pieces: text and
 * year; the mention rule's 处理费 would stop the one-pass search at every
 * 处理, tried) or facts; false when the set overflowed. */
static bool rule_masks(v_litset *ls, v_rule *r)
{
    bool pieces = r->kind == VK_TEXT || r->kind == VK_TEXT_PERCENT || r->kind == VK_YEAR;
    if (pieces && r->nre && !pattern_masks(ls, r))
        return false;
    if (r->kind == VK_TEXT_FACT)
        for (size_t k = 0; k < r->nfacts; k++) {
            if (!(r->facts[k].litmask = mask_of(ls, r->facts[k].lit)))
                return false;
            r->litwant |= r->facts[k].litmask;
        }
    return true;
}

/* The bit of string s when the set has it already, else 0. */
static uint64_t bit_known(const v_litset *ls, const char *s)
{
    size_t len = strlen(s); /* lengths first: a load asks this some thousand times */
    for (size_t i = 0; i < ls->n; i++)
        if (ls->len[i] == len && memcmp(ls->s[i], s, len) == 0)
            return (uint64_t)1 << i;
    return 0;
}

/* A lead string shorter than two CJK characters gets a bit of its own
 * only when the set has it already: one common character (未, 不) would
 * stop the one-pass search at every occurrence for less than it saves. */
#define V_LEAD_MIN 6

/* The bits of x's lead strings (v_regex_lead), each added while the set
 * has room (0: none, the search then asks strstr for it): a piece whose
 * mask lacks a lead's bit is not searched for it.  Never fails the set. */
static void lead_bits(v_litset *ls, v_regex *x)
{
    char *lead = x->pat ? v_regex_lead(x->pat) : NULL;
    size_t n = 0;
    for (const char *l = lead; l && *l; l += strlen(l) + 1)
        n++;
    if (n && (x->leadbit = calloc(n, sizeof *x->leadbit))) {
        x->nlead = n;
        size_t i = 0;
        for (const char *l = lead; *l; l += strlen(l) + 1)
            x->leadbit[i++] = strlen(l) >= V_LEAD_MIN ? bit_of(ls, l) : bit_known(ls, l);
    }
    free(lead);
}

/* The end of a list of strings (past its closing empty string). */
static const char *list_end(const char *l)
{
    while (*l)
        l += strlen(l) + 1;
    return l + 1;
}

/* The mask of one list of needed strings, each string with a bit (a short
 * one only when the set has it already, as lead strings); 0 when one has
 * none: the list then filters nothing.  At most one string of a list may
 * be new to the set: each new one is one more character the one-pass
 * search stops at, and a list of several (政府信息公开|信息公开) stops it
 * at common characters for less than it saves (measured). */
static uint64_t list_bits(v_litset *ls, const char *l)
{
    uint64_t m = 0;
    const char *fresh = NULL;
    for (const char *s = l; *s; s += strlen(s) + 1) {
        uint64_t b = s[0] >= '0' && s[0] <= '9' && !s[1] ? V_LIT_DIGIT : bit_known(ls, s);
        if (!b && fresh)
            return 0; /* a second new string */
        fresh = b ? fresh : s;
        m |= b;
    }
    uint64_t b = fresh && strlen(fresh) >= V_LEAD_MIN ? bit_of(ls, fresh) : 0;
    return fresh && !b ? 0 : m | b;
}

/* x's needall: a mask per list of v_regex_needs_all(pat) whose strings
 * all have bits, none a superset of one kept (it would filter nothing
 * more).  A piece must meet every one, so a pattern whose first string is
 * common (件, 申请) is not searched where a later one (结转) is absent. */
static void need_bits(v_litset *ls, v_regex *x)
{
    char *all = x->pat ? v_regex_needs_all(x->pat) : NULL;
    size_t n = 0;
    for (const char *l = all; l && *l && n < V_NEED_ALL; l = list_end(l)) {
        uint64_t m = list_bits(ls, l);
        bool more = m != 0;
        for (size_t i = 0; more && i < n; i++)
            more = (x->needall[i] & ~m) != 0;
        if (more)
            x->needall[n++] = m;
    }
    free(all);
}

/* Lead bits for the patterns run on pieces with known strings. */
static void rule_leads(v_litset *ls, v_rule *r)
{
    bool pieces = r->kind == VK_TEXT || r->kind == VK_TEXT_PERCENT || r->kind == VK_YEAR;
    for (size_t k = 0; pieces && r->re && k < r->nre; k++)
        lead_bits(ls, &r->re[k]);
    for (size_t k = 0; r->kind == VK_TEXT_FACT && r->facts && k < r->nfacts; k++)
        lead_bits(ls, &r->facts[k].re);
}

/* Needed lists for the same patterns. */
static void rule_needs(v_litset *ls, v_rule *r)
{
    bool pieces = r->kind == VK_TEXT || r->kind == VK_TEXT_PERCENT || r->kind == VK_YEAR;
    for (size_t k = 0; pieces && r->re && k < r->nre; k++)
        need_bits(ls, &r->re[k]);
    for (size_t k = 0; r->kind == VK_TEXT_FACT && r->facts && k < r->nfacts; k++)
        need_bits(ls, &r->facts[k].re);
}

static void drop_masks(nb_ruleset *rs)
{
    for (size_t i = 0; i < rs->n; i++) {
        free(rs->rules[i].litmask);
        rs->rules[i].litmask = NULL;
        rs->rules[i].litwant = 0;
        for (size_t k = 0; k < rs->rules[i].nfacts; k++)
            rs->rules[i].facts[k].litmask = 0;
    }
}

void v_litset_build(nb_ruleset *rs)
{
    v_litset *ls = calloc(1, sizeof *ls);
    bool ok = ls != NULL;
    if (ls)
        ls->all = V_LIT_ANY;
    for (size_t i = 0; ok && i < rs->n; i++)
        ok = rule_masks(ls, &rs->rules[i]);
    if (!ok) { /* too many strings, or no memory: the text rules use strstr */
        drop_masks(rs);
        v_litset_free(ls);
        ls = NULL;
    }
    for (size_t i = 0; ls && i < rs->n; i++) /* after every needed string has its bit */
        rule_leads(ls, &rs->rules[i]);
    for (size_t i = 0; ls && i < rs->n; i++) /* and every lead string */
        rule_needs(ls, &rs->rules[i]);
    rs->lits = ls;
}

void v_litset_free(v_litset *ls)
{
    if (!ls)
        return;
    for (size_t i = 0; i < ls->n; i++)
        free(ls->s[i]);
    free(ls);
}

/* Adds to *found the strings of m that occur at u[p] (u holds n bytes).
 * With eight bytes left their first eight are one masked compare (most
 * candidates differ there; a one-character string is decided there). */
static void confirm(const v_litset *ls, uint64_t m, const unsigned char *u, size_t p, size_t n,
                    uint64_t *found)
{
    uint64_t x = 0;
    if (n - p >= 8)
        memcpy(&x, u + p, sizeof x);
    for (m &= ~*found; m; m &= m - 1) {
        int b = __builtin_ctzll(m);
        size_t len = ls->len[b];
        if (len > n - p)
            continue;
        bool same = n - p >= 8 ? (x & ls->hmask[b]) == ls->head[b] &&
                                     (len <= 8 || memcmp(u + p + 8, ls->s[b] + 8, len - 8) == 0)
                               : memcmp(u + p, ls->s[b], len) == 0;
        if (same)
            *found |= (uint64_t)1 << b;
    }
}

/* x as read from little-endian bytes (u[0] in its low byte). */
static inline uint32_t le32(uint32_t x)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
    return __builtin_bswap32(x);
#else
    return x;
#endif
}

/* From p, the whole three-byte characters (most of a narrative), each
 * told by one bit whether a longer string may start with it, and then
 * confirmed at once, and the ASCII bytes no string starts with (folded
 * punctuation, most digits: a few a sentence), noted and passed here
 * rather than on the careful path; returns where the first other byte,
 * or the end, is. */
static size_t skip_plain_cjk(const v_litset *ls, const unsigned char *u, size_t p, size_t n, uint64_t *found)
{
    if (ls->cont || ls->short_lead)
        return p; /* then every character takes the careful path */
    while (p + 3 < n) { /* four bytes in one load while a fourth is there */
        uint32_t x;
        memcpy(&x, u + p, sizeof x);
        x = le32(x);
        if (!(x & 0x80u)) {
            unsigned b = x & 0x7Fu;
            if (ls->starts[b])
                return p;
            *found |= b - '0' < 10u ? V_LIT_DIGIT : 0;
            p++;
            continue;
        }
        if ((x & 0xC0C0F0u) != 0x8080E0u)
            return p; /* not a whole three-byte character */
        if (ls->cjk[(x & 0x0Fu) << 6 | (x >> 8 & 0x3Fu)] >> (x >> 16 & 63u) & 1) {
            uint64_t m = ls->tri[tri_hash(u + p)]; /* no short string starts with a lead byte */
            if (m)
                confirm(ls, m, u, p, n, found);
        }
        p += 3;
    }
    return p;
}

/* At a whole three-byte character (the narrative is mostly those) the
 * bytes inside it cannot begin a string, and one bit test tells whether
 * any longer string begins with it. */
uint64_t v_lits_in(const v_litset *ls, const char *s, size_t n)
{
    const unsigned char *u = (const unsigned char *)s;
    uint64_t found = V_LIT_ANY;
    for (size_t p = 0; p < n;) {
        if ((p = skip_plain_cjk(ls, u, p, n, &found)) >= n)
            break;
        unsigned c0 = u[p];
        if (!ls->cont && c0 >= 0xE0 && c0 < 0xF0 && p + 2 < n &&
            ((u[p + 1] ^ 0x80u) | (u[p + 2] ^ 0x80u)) < 0x40u) {
            unsigned c = (c0 & 0x0Fu) << 12 | (u[p + 1] & 0x3Fu) << 6 | (u[p + 2] & 0x3Fu);
            uint64_t m = ls->short1[c0];
            if (ls->cjk[c >> 6] >> (c & 63) & 1)
                m |= ls->tri[tri_hash(u + p)];
            if (m)
                confirm(ls, m, u, p, n, &found);
            p += 3;
            continue;
        }
        if ((unsigned)(c0 - '0') < 10)
            found |= V_LIT_DIGIT;
        if (ls->cont || (c0 & 0xC0) != 0x80) { /* no string starts inside a character */
            uint64_t m = ls->short1[c0];
            if (p + 2 < n)
                m |= ls->tri[tri_hash(u + p)];
            if (m)
                confirm(ls, m, u, p, n, &found);
        }
        p++;
    }
    return found;
}
