/* validate_literal.c - a byte string every match of a POSIX extended
 * regex must contain, so the text rules can skip (memmem) the sentences
 * that lack it instead of running regexec on each.
 *
 * Conservative: only runs of plain characters at the top level count (a
 * group, bracket, class, anchor or wildcard ends a run; a quantifier takes
 * back the byte it applies to, as in the "C" locale the rules run in);
 * a top-level alternation, or anything not understood, gives no literal. */
#include "validate_int.h"
#include "util.h"
#include <stdlib.h>
#include <string.h>

/* Past the bracket expression starting at p ('['); NULL when unclosed. */
static const char *skip_bracket(const char *p)
{
    p++;
    if (*p == '^')
        p++;
    if (*p == ']')
        p++;
    for (; *p && *p != ']'; p++)
        if (*p == '[' && (p[1] == ':' || p[1] == '.' || p[1] == '=')) {
            const char *e = strchr(p + 2, p[1]);
            if (!e || e[1] != ']')
                return NULL;
            p = e + 1;
        }
    return *p ? p + 1 : NULL;
}

/* Past the group starting at p ('('); NULL when unbalanced. */
static const char *skip_group(const char *p)
{
    int depth = 0;
    while (*p) {
        if (*p == '\\' && p[1])
            p += 2;
        else if (*p == '[') {
            if (!(p = skip_bracket(p)))
                return NULL;
        } else {
            depth += *p == '(' ? 1 : *p == ')' ? -1 : 0;
            p++;
            if (depth == 0)
                return p;
        }
    }
    return NULL;
}

static bool is_quantifier(char c) { return c == '*' || c == '?' || c == '+' || c == '{'; }

typedef struct run {
    size_t best_len;
    char cur[256];
    size_t len;
} run;

static void end_run(run *r, char *keep)
{
    if (r->len > r->best_len) {
        memcpy(keep, r->cur, r->len);
        r->best_len = r->len;
    }
    r->len = 0;
}

/* The literal byte at p (plain or escaped punctuation) in *c and its width
 * in the pattern; 0 when p starts something special. */
static size_t literal_at(const char *p, char *c)
{
    if ((unsigned char)*p >= 0x80) { /* most of a rule's bytes: no special one is there */
        *c = *p;
        return 1;
    }
    if (*p == '\\')
        return (p[1] && strchr("\\.[]()*+?{}|^$/-", p[1])) ? (*c = p[1], 2) : 0;
    if (strchr(".[]()*+?{}|^$", *p))
        return 0;
    *c = *p;
    return 1;
}

/* Applies the quantifier at p to the run: '+' keeps the last character
 * (one at least is there) but ends the run; the others take it back, the
 * whole UTF-8 character, right whatever the locale.  Returns the pattern
 * after the quantifier, NULL when not understood. */
static const char *quantify(run *r, const char *p, char *keep)
{
    if (*p != '+') {
        while (r->len && ((unsigned char)r->cur[r->len - 1] & 0xC0) == 0x80)
            r->len--;
        if (r->len)
            r->len--;
    }
    end_run(r, keep);
    if (*p != '{')
        return p + 1;
    const char *e = strchr(p, '}');
    return e ? e + 1 : NULL;
}

char *v_regex_literal(const char *pat)
{
    char keep[256];
    run r = {0, {0}, 0};
    const char *p = pat;
    while (p && *p) {
        char c;
        size_t w = literal_at(p, &c);
        if (w) {
            if (r.len < sizeof r.cur)
                r.cur[r.len++] = c;
            p += w;
        } else if (*p == '|' || *p == ')') {
            return NULL; /* alternation at the top: no byte is certain */
        } else if (is_quantifier(*p)) {
            p = quantify(&r, p, keep);
        } else {
            end_run(&r, keep);
            p = *p == '[' ? skip_bracket(p) : *p == '(' ? skip_group(p)
                : (*p == '\\' && p[1]) ? p + 2 : p + 1; /* \1, \w ... */
            if (p && is_quantifier(*p)) /* the group or class may repeat or vanish */
                p = quantify(&r, p, keep);
        }
    }
    if (!p)
        return NULL;
    end_run(&r, keep);
    return r.best_len ? nb_strndup(keep, r.best_len) : NULL;
}

/* The alternatives of the group [open, close) ("(件|次)") as a list of
 * NUL-terminated strings ended by an empty one, with the length of the
 * shortest; NULL unless each is a non-empty run of plain characters. */
static char *plain_alternatives(const char *open, const char *close, size_t *shortest)
{
    char *list = malloc((size_t)(close - open) + 2), *w = list;
    size_t len = 0;
    *shortest = (size_t)-1;
    for (const char *p = open + 1; list && p <= close - 1;) {
        char c;
        size_t k = p < close - 1 ? literal_at(p, &c) : 0;
        if (k) {
            *w++ = c;
            len++;
            p += k;
            continue;
        }
        if ((*p != '|' && p != close - 1) || len == 0) {
            free(list);
            return NULL; /* something special, or an empty alternative */
        }
        *w++ = '\0';
        *shortest = len < *shortest ? len : *shortest;
        len = 0;
        p++;
    }
    if (list)
        *w = '\0';
    return list;
}

static char *branches_needs(const char *pat);

char *v_regex_needs(const char *pat)
{
    char *lit = v_regex_literal(pat);
    if (lit) { /* the certain literal alone, as a list of one */
        size_t n = strlen(lit);
        char *one = realloc(lit, n + 2);
        if (one)
            one[n + 1] = '\0';
        else
            free(lit);
        return one;
    }
    char *best = NULL;
    size_t best_len = 0;
    for (const char *p = pat; p && *p;) {
        if (*p == '|' || *p == ')') {
            free(best);
            return *p == '|' ? branches_needs(pat) : NULL; /* alternation at the top: per branch */
        }
        if (*p == '(') {
            const char *end = skip_group(p);
            size_t shortest;
            char *alts = end && !is_quantifier(*end) ? plain_alternatives(p, end, &shortest) : NULL;
            if (alts && shortest > best_len) {
                free(best);
                best = alts;
                best_len = shortest;
            } else {
                free(alts);
            }
            p = end;
        } else {
            p = *p == '[' ? skip_bracket(p) : (*p == '\\' && p[1]) ? p + 2 : p + 1;
        }
    }
    return best;
}

/* True when pat has no alternation at its top level and its groups and
 * brackets close. */
static bool no_top_alternation(const char *p)
{
    while (p && *p) {
        if (*p == '|' || *p == ')')
            return false;
        p = *p == '[' ? skip_bracket(p) : *p == '(' ? skip_group(p)
            : (*p == '\\' && p[1]) ? p + 2 : p + 1;
    }
    return p != NULL;
}

char *v_regex_lead(const char *pat)
{
    if (!pat || !no_top_alternation(pat))
        return NULL;
    if (*pat == '(') { /* a group of plain alternatives that must be there */
        const char *end = skip_group(pat);
        size_t shortest;
        return end && !is_quantifier(*end) ? plain_alternatives(pat, end, &shortest) : NULL;
    }
    char lead[256];
    size_t n = 0, w;
    char c;
    const char *p = pat;
    while (n < sizeof lead && (w = literal_at(p, &c))) {
        lead[n++] = c;
        p += w;
    }
    if (n < sizeof lead && is_quantifier(*p)) { /* it may repeat or drop the last character */
        while (n && ((unsigned char)lead[n - 1] & 0xC0) == 0x80)
            n--;
        if (n)
            n--;
    }
    char *list = n ? malloc(n + 2) : NULL;
    if (list) {
        memcpy(list, lead, n);
        list[n] = list[n + 1] = '\0';
    }
    return list;
}

/* The digits as a list of strings: a bracket [0-9] taken once at least
 * stands for one of them (the one-pass search marks a piece holding one). */
static const char DIGITS[] = "0\0001\0002\0003\0004\0005\0006\0007\0008\0009";

/* Past a bracket of digits alone ("[0-9]", "[12]", "[1-9]"): every byte it
 * takes is a digit; NULL when p starts no such bracket. */
static const char *digit_bracket(const char *p)
{
    if (*p != '[' || p[1] == '^' || p[1] == ']')
        return NULL;
    for (p++; *p != ']'; p++)
        if (!((*p >= '0' && *p <= '9') || (*p == '-' && p[-1] != '[' && p[1] != ']')))
            return NULL;
    return p + 1;
}

/* Whether p starts a bracket of digits alone that a match certainly
 * takes: the quantifiers after it (glibc reads a chain of them) are only
 * + and {n,...} with n from 1. */
static bool certain_digit(const char *p)
{
    const char *q = digit_bracket(p);
    if (!q)
        return false;
    while (is_quantifier(*q)) {
        if (*q == '+')
            q++;
        else if (*q == '{' && q[1] >= '1' && q[1] <= '9' && strchr(q, '}'))
            q = strchr(q, '}') + 1;
        else
            return false;
    }
    return true;
}

/* The certain prefix of the alternative [p, end) of a group: its leading
 * run of plain characters, less the last character when a quantifier
 * follows the run (it may repeat or vanish), added to b NUL-ended; false
 * when no byte of it is certain (or memory ran out). */
static bool certain_prefix(nb_buf *b, const char *p, const char *end)
{
    if (*p == '[' && certain_digit(p) && digit_bracket(p) <= end)
        return nb_buf_add(b, DIGITS, sizeof DIGITS);
    char pre[256];
    size_t n = 0, w;
    char c;
    while (p < end && n < sizeof pre && (w = literal_at(p, &c))) {
        pre[n++] = c;
        p += w;
    }
    if (p < end && (n == sizeof pre || is_quantifier(*p))) {
        while (n && ((unsigned char)pre[n - 1] & 0xC0) == 0x80)
            n--;
        if (n)
            n--;
    }
    return n && nb_buf_add(b, pre, n) && nb_buf_addc(b, '\0');
}

/* Past the item (a byte, an escape, a bracket or a group) at p; NULL when
 * it does not close. */
static const char *skip_item(const char *p)
{
    return *p == '[' ? skip_bracket(p) : *p == '(' ? skip_group(p)
           : (*p == '\\' && p[1]) ? p + 2 : p + 1;
}

/* Past the quantifier at p ('{' to its '}'); NULL when unclosed. */
static const char *skip_quantifier(const char *p)
{
    if (*p != '{')
        return p + 1;
    const char *e = strchr(p, '}');
    return e ? e + 1 : NULL;
}

/* The group [open, close) as a list of its alternatives' certain
 * prefixes, added to b with the list's closing NUL, when every
 * alternative has one (else b is left as it was); false when the group
 * is malformed or memory ran out. */
static bool group_prefixes(nb_buf *b, const char *open, const char *close)
{
    size_t was = b->len;
    const char *alt = open + 1;
    for (const char *p = alt; p < close;) {
        if (*p == '|' || p == close - 1) {
            if (!certain_prefix(b, alt, p)) {
                b->len = was;
                return true; /* nothing certain: no list */
            }
            alt = ++p;
            continue;
        }
        if (!(p = skip_item(p)) || p > close - 1)
            return false;
    }
    return nb_buf_addc(b, '\0');
}

/* A pattern with alternation at its top level: every match is one
 * branch's, so it holds a string one branch needs ("信息处理费|处理费"):
 * the branches' lists joined; NULL when a branch needs nothing certain. */
static char *branches_needs(const char *pat)
{
    nb_buf b = {0};
    bool ok = true;
    for (const char *p = pat, *start = pat; ok;) {
        if (*p == '|' || !*p) {
            char *branch = nb_strndup(start, (size_t)(p - start));
            char *n = branch && *branch ? v_regex_needs(branch) : NULL; /* no '|' at its top */
            free(branch);
            ok = n != NULL;
            for (const char *x = n; ok && *x; x += strlen(x) + 1)
                ok = nb_buf_add(&b, x, strlen(x) + 1);
            free(n);
            if (!*p)
                break;
            start = ++p;
            continue;
        }
        ok = *p != ')' && (p = skip_item(p)) != NULL;
    }
    if (!ok || !b.len || !nb_buf_addc(&b, '\0')) {
        nb_buf_free(&b);
        return NULL;
    }
    return nb_buf_steal(&b);
}

/* Adds the run [s, s+n) to b as a list of one string; false when memory
 * ran out. */
static bool add_run(nb_buf *b, const char *s, size_t n)
{
    return !n || (nb_buf_add(b, s, n) && nb_buf_addc(b, '\0') && nb_buf_addc(b, '\0'));
}

char *v_regex_needs_all(const char *pat)
{
    if (!pat)
        return NULL;
    nb_buf b = {0};
    char cur[256];
    size_t len = 0;
    bool ok = true;
    for (const char *p = pat; ok && *p;) {
        char c;
        size_t w = literal_at(p, &c);
        if (w && len < sizeof cur) {
            cur[len++] = c;
            p += w;
            continue;
        }
        if (w || is_quantifier(*p)) { /* a quantifier takes back the run's last character */
            while (len && ((unsigned char)cur[len - 1] & 0xC0) == 0x80)
                len--;
            if (len)
                len--;
            ok = add_run(&b, cur, len) && (p = w ? p : skip_quantifier(p)) != NULL;
            len = 0;
            continue;
        }
        if (*p == '|' || *p == ')') {
            ok = false; /* alternation at the top: nothing is certain */
            break;
        }
        ok = add_run(&b, cur, len);
        len = 0;
        const char *end = skip_item(p);
        if (!ok || !end) {
            ok = false;
            break;
        }
        if (certain_digit(p)) /* a digit, one at least */
            ok = nb_buf_add(&b, DIGITS, sizeof DIGITS) && nb_buf_addc(&b, '\0');
        if (ok && is_quantifier(*end)) /* the item may repeat or vanish */
            ok = (end = skip_quantifier(end)) != NULL;
        else if (ok && *p == '(')
            ok = group_prefixes(&b, p, end);
        p = end;
    }
    ok = ok && add_run(&b, cur, len);
    if (!ok || !b.len || !nb_buf_addc(&b, '\0')) {
        nb_buf_free(&b);
        return NULL;
    }
    return nb_buf_steal(&b);
}
