/* validate_regex.c - the rules' regular expressions, prepared on first use.
 *
 * A pattern in the plain subset validate_regex_syntax.c accepts is only
 * checked at load.  On first use it gets its pre-filters (lead strings,
 * needed strings: validate_literal.c) and, when it fits, a search of our
 * own (validate_match.c) that finds the whole match; glibc's regcomp and
 * regexec then run only when a caller wants capture groups of a sentence
 * that matched, and only on the matched span, so a run whose sentences
 * never match compiles nothing.  Any other pattern is compiled at load, so
 * a bad pattern is still a load error with regcomp's own message.  Both
 * steps happen once, under the ruleset's lock, and are published with an
 * atomic store: worker threads share them. */
#include "validate_int.h"
#include "validate_match.h"
#include "util.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { V_RE_PENDING = 0, V_RE_READY, V_RE_BROKEN };

/* regcomp in the "C" locale (byte semantics, see validate_text.c). */
static bool compile_c(const nb_ruleset *rs, regex_t *re, const char *pat, char *msg, size_t msglen)
{
    locale_t old = rs->cloc ? uselocale(rs->cloc) : (locale_t)0;
    int rc = regcomp(re, pat, REG_EXTENDED);
    if (rc != 0 && msg)
        regerror(rc, re, msg, msglen);
    if (old)
        uselocale(old);
    return rc == 0;
}

bool v_regex_init(const nb_ruleset *rs, v_regex *x, const char *pat, char *msg, size_t msglen)
{
    *x = (v_regex){0};
    if (!(x->pat = nb_strdup(pat))) {
        if (msg)
            snprintf(msg, msglen, "out of memory");
        return false;
    }
    if (v_regex_syntax_ok(pat, &x->nsub))
        return true; /* compiled when first run */
    if (!compile_c(rs, &x->re, pat, msg, msglen)) {
        free(x->pat);
        x->pat = NULL;
        return false;
    }
    x->nsub = x->re.re_nsub;
    x->state = x->re_state = V_RE_READY; /* no pre-filter, no search of our own */
    return true;
}

/* The pattern with its pre-filters and search, made now if this is its
 * first use. */
static const v_regex *prepared(const nb_ruleset *rs, const v_regex *cx)
{
    v_regex *x = (v_regex *)cx; /* a cache inside the read-only ruleset */
    if (__atomic_load_n(&x->state, __ATOMIC_ACQUIRE) == V_RE_PENDING) {
        pthread_mutex_t *mu = (pthread_mutex_t *)&rs->re_mu;
        pthread_mutex_lock(mu);
        if (__atomic_load_n(&x->state, __ATOMIC_RELAXED) == V_RE_PENDING) {
            x->lead = v_regex_lead(x->pat); /* NULL: search it all */
            x->needs = !x->lead ? v_regex_needs(x->pat) : NULL;
            x->vm = v_matcher_new(x->pat); /* NULL: glibc searches */
            __atomic_store_n(&x->state, V_RE_READY, __ATOMIC_RELEASE);
        }
        pthread_mutex_unlock(mu);
    }
    return x;
}

/* glibc's compiled form, compiling it now if this is its first use; NULL
 * only when memory ran out (the syntax was checked at load). */
static const regex_t *compiled(const nb_ruleset *rs, const v_regex *cx)
{
    v_regex *x = (v_regex *)cx;
    int st = __atomic_load_n(&x->re_state, __ATOMIC_ACQUIRE);
    if (st == V_RE_PENDING) {
        pthread_mutex_t *mu = (pthread_mutex_t *)&rs->re_mu;
        pthread_mutex_lock(mu);
        st = __atomic_load_n(&x->re_state, __ATOMIC_RELAXED);
        if (st == V_RE_PENDING) {
            st = compile_c(rs, &x->re, x->pat, NULL, 0) ? V_RE_READY : V_RE_BROKEN;
            __atomic_store_n(&x->re_state, st, __ATOMIC_RELEASE);
        }
        pthread_mutex_unlock(mu);
    }
    return st == V_RE_READY ? &x->re : NULL;
}

/* Whether s holds one of the strings of the list (v_regex_needs). */
static bool has_one(const char *list, const char *s)
{
    for (const char *l = list; *l; l += strlen(l) + 1)
        if (strstr(s, l))
            return true;
    return false;
}

/* Where the first match can start: the first place one of the lead
 * strings occurs; false when none does (then nothing matches).  A lead
 * whose v_litset bit the piece's held strings lack is not there. */
static bool lead_start(const v_regex *x, const char *s, uint64_t held, size_t *off)
{
    const char *first = NULL;
    size_t i = 0;
    for (const char *l = x->lead; *l; l += strlen(l) + 1, i++) {
        if (held && i < x->nlead && x->leadbit[i] && !(held & x->leadbit[i]))
            continue; /* the piece lacks it: so does any suffix of it */
        const char *f = strstr(s, l);
        if (f && (!first || f < first))
            first = f;
    }
    *off = first ? (size_t)(first - s) : 0;
    return first != NULL;
}

static int regexec_c(const nb_ruleset *rs, const regex_t *re, const char *s, size_t nm,
                     regmatch_t *m, int eflags)
{
    locale_t old = rs->cloc ? uselocale(rs->cloc) : (locale_t)0;
    int rc = regexec(re, s, nm, m, eflags);
    if (old)
        uselocale(old);
    return rc;
}

/* glibc's search of s from off (no match starts before it; with
 * REG_STARTEND the bytes before it still give ^ and \< their context). */
static bool glibc_search(const nb_ruleset *rs, const v_regex *x, const char *s, size_t off,
                         size_t nm, regmatch_t *m, int eflags)
{
    const regex_t *re = compiled(rs, x);
    if (!re)
        return false;
    if (off && nm > 0) {
        m[0].rm_so = (regoff_t)off;
        m[0].rm_eo = (regoff_t)(off + strlen(s + off));
        eflags |= REG_STARTEND;
    }
    return regexec_c(rs, re, s, nm, m, eflags) == 0;
}

/* The groups of the match [so, eo) our search found: none wanted, or all
 * forced by the matched bytes (validate_match_groups.c); else glibc
 * matches that span alone: it starts there and can end nowhere later, and
 * with no anchors in the pattern the groups depend on those bytes only. */
static bool with_groups(const nb_ruleset *rs, const v_regex *x, const char *s, size_t so,
                        size_t eo, size_t nm, regmatch_t *m, int eflags, unsigned read)
{
    if (nm == 0)
        return true;
    m[0].rm_so = (regoff_t)so;
    m[0].rm_eo = (regoff_t)eo;
    if (x->nsub == 0 || nm == 1) {
        for (size_t g = 1; g < nm; g++)
            m[g].rm_so = m[g].rm_eo = -1;
        return true;
    }
    if (v_matcher_groups(x->vm, s, so, eo, nm, read, m))
        return true;
    const regex_t *re = compiled(rs, x);
    if (!re)
        return false;
    if (regexec_c(rs, re, s, nm, m, eflags | REG_STARTEND) == 0 && m[0].rm_so == (regoff_t)so &&
        m[0].rm_eo == (regoff_t)eo)
        return true;
    return glibc_search(rs, x, s, 0, nm, m, eflags); /* never expected: glibc decides */
}

bool v_regex_exec(const nb_ruleset *rs, const v_regex *x, const char *s, size_t nm,
                  regmatch_t *m, int eflags)
{
    return v_regex_exec_read(rs, x, s, nm, m, eflags, ~0u);
}

bool v_regex_exec_read(const nb_ruleset *rs, const v_regex *cx, const char *s, size_t nm,
                       regmatch_t *m, int eflags, unsigned read)
{
    return v_regex_exec_held(rs, cx, s, nm, m, eflags, read, 0);
}

bool v_regex_exec_held(const nb_ruleset *rs, const v_regex *cx, const char *s, size_t nm,
                       regmatch_t *m, int eflags, unsigned read, uint64_t held)
{
    const v_regex *x = prepared(rs, cx);
    if (x->needs && !has_one(x->needs, s))
        return false; /* every match holds one of them */
    size_t off = 0;
    if (x->lead && !(eflags & REG_STARTEND) && !lead_start(x, s, held, &off))
        return false; /* every match starts with one of them */
    if (x->vm && !(eflags & REG_STARTEND)) {
        size_t so, eo;
        int found = v_matcher_find(x->vm, s + off, &so, &eo);
        if (found == VM_NONE)
            return false;
        if (found == VM_FOUND)
            return with_groups(rs, x, s, off + so, off + eo, nm, m, eflags, read);
    }
    return glibc_search(rs, x, s, off, nm, m, eflags);
}

void v_regex_free(v_regex *x)
{
    if (x->re_state == V_RE_READY)
        regfree(&x->re);
    v_matcher_free(x->vm);
    free(x->leadbit);
    free(x->lead);
    free(x->needs);
    free(x->pat);
    *x = (v_regex){0};
}
