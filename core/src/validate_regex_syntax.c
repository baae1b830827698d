/* validate_regex_syntax.c - a cheap check that glibc's regcomp will accept
 * a POSIX extended regex, so the rules' patterns can be compiled on first
 * use (validate_regex.c) and still fail the load when they are wrong.
 *
 * Conservative: it accepts only a plain subset (literal bytes, escaped
 * punctuation, '.', anchors, bracket expressions with ASCII ranges and the
 * standard classes, groups, non-empty alternatives, one quantifier per
 * atom with bounds up to 255).  Anything else is "not sure" and the caller
 * compiles at load as before, so every error message stays regcomp's. */
#include "validate_int.h"
#include <string.h>

#define V_MAX_BOUND 255

typedef struct scan {
    const char *p;
    size_t groups;  /* '(' seen: regcomp's re_nsub */
} scan;

static bool parse_alts(scan *s);

static bool is_class(const char *name, size_t n)
{
    static const char *const classes[] = {"alpha", "digit", "alnum", "upper", "lower", "space",
                                          "blank", "punct", "print", "graph", "cntrl", "xdigit"};
    for (size_t i = 0; i < sizeof classes / sizeof *classes; i++)
        if (strlen(classes[i]) == n && memcmp(classes[i], name, n) == 0)
            return true;
    return false;
}

/* "[...]": ']' first is a member, ranges ASCII and ascending, only
 * [:class:] among the bracketed forms. */
static bool parse_bracket(scan *s)
{
    const unsigned char *p = (const unsigned char *)s->p + 1;
    if (*p == '^')
        p++;
    const unsigned char *first = p;
    while (*p && (*p != ']' || p == first)) {
        if (*p == '[') {
            if (p[1] != ':')
                return false; /* [. .] and [= =]: not sure */
            const char *e = strstr((const char *)p + 2, ":]");
            if (!e || !is_class((const char *)p + 2, (size_t)(e - (const char *)p - 2)))
                return false;
            p = (const unsigned char *)e + 2;
        } else if (p[1] == '-' && p[2] && p[2] != ']') {
            if (*p >= 0x80 || p[2] >= 0x80 || *p == '-' || p[2] == '-' || p[2] == '[' || *p > p[2])
                return false;
            p += 3;
        } else {
            p++;
        }
    }
    if (*p != ']')
        return false;
    s->p = (const char *)p + 1;
    return true;
}

static bool read_bound(const char **pp, unsigned *v)
{
    const char *p = *pp;
    if (*p < '0' || *p > '9')
        return false;
    unsigned n = 0;
    while (*p >= '0' && *p <= '9' && n <= V_MAX_BOUND)
        n = n * 10 + (unsigned)(*p++ - '0');
    *pp = p;
    *v = n;
    return n <= V_MAX_BOUND;
}

/* An optional quantifier after an atom: * + ? {m} {m,} {m,n}. */
static bool parse_quantifier(scan *s)
{
    if (*s->p == '*' || *s->p == '+' || *s->p == '?') {
        s->p++;
        return true;
    }
    if (*s->p != '{')
        return true;
    const char *p = s->p + 1;
    unsigned lo, hi;
    if (!read_bound(&p, &lo))
        return false;
    if (*p == ',') {
        p++;
        if (*p != '}' && (!read_bound(&p, &hi) || hi < lo))
            return false;
    }
    if (*p != '}')
        return false;
    s->p = p + 1;
    return true;
}

static bool is_quantifier(char c)
{
    return c == '*' || c == '+' || c == '?' || c == '{';
}

/* One atom; *anchor is set for ^ and $, which take no quantifier here. */
static bool parse_atom(scan *s, bool *anchor)
{
    const char *p = s->p;
    if ((unsigned char)*p >= 0x80) { /* a byte of a CJK character: never special (most of a pattern) */
        *anchor = false;
        s->p++;
        return true;
    }
    *anchor = *p == '^' || *p == '$';
    if (*p == '(') {
        s->groups++;
        s->p++;
        if (!parse_alts(s) || *s->p != ')')
            return false;
        s->p++;
        return true;
    }
    if (*p == '[')
        return parse_bracket(s);
    if (*p == '\\') {
        if (!p[1] || !strchr("\\.[]()*+?{}|^$/-", p[1]))
            return false; /* \1, \w, \< ...: not sure */
        s->p += 2;
        return true;
    }
    if (is_quantifier(*p) || *p == '}' || *p == ']' || *p == ')' || *p == '|')
        return false; /* a quantifier with nothing before it, a stray closer */
    s->p++;
    return true;
}

/* A branch: one piece or more, up to '|', ')' or the end. */
static bool parse_branch(scan *s)
{
    bool any = false;
    while (*s->p && *s->p != '|' && *s->p != ')') {
        bool anchor;
        if (!parse_atom(s, &anchor))
            return false;
        if (!anchor && !parse_quantifier(s))
            return false;
        if (is_quantifier(*s->p))
            return false; /* a second quantifier, or one after an anchor */
        any = true;
    }
    return any;
}

static bool parse_alts(scan *s)
{
    if (!parse_branch(s))
        return false;
    while (*s->p == '|') {
        s->p++;
        if (!parse_branch(s))
            return false;
    }
    return true;
}

bool v_regex_syntax_ok(const char *pat, size_t *nsub)
{
    scan s = {pat, 0};
    if (!pat || !parse_alts(&s) || *s.p)
        return false; /* *s.p: a ')' without its '(' */
    *nsub = s.groups;
    return true;
}
