/* validate_regex.c - the rules' regular expressions, compiled on first use.
 *
 * glibc's regcomp builds large automata for bounded repetitions such as
 * [^0-9]{0,30}: compiling every pattern at load was a quarter of the
 * start-up, though a run over one report needs only the patterns whose
 * literal some sentence contains.  A pattern that passes the cheap syntax
 * check (validate_regex_syntax.c) is compiled when it first runs; any other
 * is compiled at load, so a bad pattern is still a load error with
 * regcomp's own message.  Compilation happens once, under the ruleset's
 * lock, and is published with an atomic store: worker threads share it. */
#include "validate_int.h"
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
    x->state = V_RE_READY;
    return true;
}

/* The compiled form, compiling it now if this is its first use; NULL
 * only when memory ran out (the syntax was checked at load). */
static const regex_t *compiled(const nb_ruleset *rs, const v_regex *cx)
{
    v_regex *x = (v_regex *)cx; /* a cache inside the read-only ruleset */
    int st = __atomic_load_n(&x->state, __ATOMIC_ACQUIRE);
    if (st == V_RE_PENDING) {
        pthread_mutex_t *mu = (pthread_mutex_t *)&rs->re_mu;
        pthread_mutex_lock(mu);
        st = __atomic_load_n(&x->state, __ATOMIC_RELAXED);
        if (st == V_RE_PENDING) {
            st = compile_c(rs, &x->re, x->pat, NULL, 0) ? V_RE_READY : V_RE_BROKEN;
            x->lead = st == V_RE_READY ? v_regex_lead(x->pat) : NULL; /* NULL: search it all */
            x->needs = st == V_RE_READY && !x->lead ? v_regex_needs(x->pat) : NULL;
            __atomic_store_n(&x->state, st, __ATOMIC_RELEASE);
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
 * strings occurs; false when none does (then nothing matches). */
static bool lead_start(const char *lead, const char *s, size_t *off)
{
    const char *first = NULL;
    for (const char *l = lead; *l; l += strlen(l) + 1) {
        const char *f = strstr(s, l);
        if (f && (!first || f < first))
            first = f;
    }
    *off = first ? (size_t)(first - s) : 0;
    return first != NULL;
}

bool v_regex_exec(const nb_ruleset *rs, const v_regex *x, const char *s, size_t nm,
                  regmatch_t *m, int eflags)
{
    const regex_t *re = compiled(rs, x);
    if (!re)
        return false;
    size_t off = 0;
    if (x->needs && !has_one(x->needs, s))
        return false; /* every match holds one of them */
    if (x->lead && nm > 0 && !(eflags & REG_STARTEND)) {
        /* glibc tries every start (its first-byte map is useless on CJK
         * text); no match starts before the first lead string, and with
         * REG_STARTEND the bytes before it still give ^ and \< their context */
        if (!lead_start(x->lead, s, &off))
            return false;
        if (off) {
            m[0].rm_so = (regoff_t)off;
            m[0].rm_eo = (regoff_t)(off + strlen(s + off));
            eflags |= REG_STARTEND;
        }
    }
    locale_t old = rs->cloc ? uselocale(rs->cloc) : (locale_t)0;
    int rc = regexec(re, s, nm, m, eflags);
    if (old)
        uselocale(old);
    return rc == 0;
}

void v_regex_free(v_regex *x)
{
    if (x->state == V_RE_READY)
        regfree(&x->re);
    free(x->lead);
    free(x->needs);
    free(x->pat);
    *x = (v_regex){0};
}
