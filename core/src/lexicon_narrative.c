/* lexicon_narrative.c - reads the lexicon's "narrative" object: the few
 * statements of the prose whose number is evidence for an undecided cell
 * (recognise_narrative.c, docs/templates.md).  Like every list of the
 * lexicon, what is present must be complete: an empty list is an error. */
#include "lexicon.h"
#include "util.h"
#include "jdoc.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NV_MAX_GAP 16

bool nb_wordlist_read(const jd *v, nb_wordlist *w)
{
    size_t n = jd_is_arr(v) ? jd_len(v) : jd_is_str(v) ? 1 : 0;
    memset(w, 0, sizeof *w);
    if (n == 0 || !(w->v = calloc(n, sizeof *w->v)))
        return false;
    for (size_t i = 0; i < n; i++) {
        const char *s = jd_str(jd_is_arr(v) ? jd_at(v, i) : v);
        if (!s || !*s || !(w->v[w->n] = nb_strdup(s)))
            return false;
        nb_wordlist_mark(w, s);
        w->n++;
    }
    return true;
}

void nb_narrative_free(nb_narrative *nv)
{
    for (size_t i = 0; i < nv->n; i++) {
        for (size_t g = 0; g < nv->v[i].ngroups; g++)
            nb_wordlist_free(&nv->v[i].groups[g]);
        free(nv->v[i].groups);
        free(nv->v[i].path);
        free(nv->v[i].shown);
    }
    free(nv->v);
    nb_wordlist_free(&nv->units);
    nb_wordlist_free(&nv->clause_marks);
    memset(nv, 0, sizeof *nv);
}

/* The groups' first words joined by "…": how a finding names the statement. */
static char *shown_of(const nb_statement *st)
{
    nb_buf b = {0};
    for (size_t g = 0; g < st->ngroups; g++) {
        if (g)
            nb_buf_adds(&b, "…");
        nb_buf_adds(&b, st->groups[g].v[0]);
    }
    return nb_buf_steal(&b);
}

static bool read_statement(const jd *js, nb_statement *st)
{
    const jd *before = jd_get(js, "before");
    const char *path = jd_str(jd_get(js, "path"));
    if (!path || !*path || !jd_is_arr(before) || jd_len(before) == 0 ||
        !(st->path = nb_strdup(path)) || !(st->groups = calloc(jd_len(before), sizeof *st->groups)))
        return false;
    for (size_t g = 0; g < jd_len(before); g++) {
        st->ngroups++;
        if (!nb_wordlist_read(jd_at(before, g), &st->groups[g]))
            return false;
    }
    return (st->shown = shown_of(st)) != NULL;
}

static bool fail(char *why, size_t whylen, const char *what)
{
    snprintf(why, whylen, "lexicon.narrative%s", what);
    return false;
}

static bool read_narrative(const jd *jn, nb_narrative *nv, char *why, size_t whylen)
{
    const jd *sts = jd_get(jn, "statements"), *gap = jd_get(jn, "max_gap");
    if (!jd_is_obj(jn))
        return fail(why, whylen, " must be an object");
    if (!jd_is_arr(jd_get(jn, "units")) || !nb_wordlist_read(jd_get(jn, "units"), &nv->units))
        return fail(why, whylen, ".units must be a list of one or more words");
    if (!jd_is_arr(jd_get(jn, "clause_marks")) || !nb_wordlist_read(jd_get(jn, "clause_marks"), &nv->clause_marks))
        return fail(why, whylen, ".clause_marks must be a list of one or more words");
    if (!jd_is_int(gap) || jd_int(gap) < 0 || jd_int(gap) > NV_MAX_GAP)
        return fail(why, whylen, ".max_gap must be a whole number from 0 to 16");
    nv->max_gap = (size_t)jd_int(gap);
    if (!jd_is_arr(sts) || jd_len(sts) == 0 || !(nv->v = calloc(jd_len(sts), sizeof *nv->v)))
        return fail(why, whylen, ".statements must be a list of one or more statements");
    for (size_t i = 0; i < jd_len(sts); i++) {
        nv->n++;
        if (!read_statement(jd_at(sts, i), &nv->v[i])) {
            snprintf(why, whylen,
                     "lexicon.narrative.statements[%zu] must have a \"path\" and a non-empty \"before\" list of "
                     "words or lists of words",
                     i);
            return false;
        }
    }
    return true;
}

bool nb_narrative_parse(const jd *const *chain, size_t nchain, nb_narrative *nv, size_t *at, char *why,
                        size_t whylen)
{
    memset(nv, 0, sizeof *nv);
    for (size_t c = 0; c < nchain; c++) {
        const jd *jn = jd_get(jd_get(chain[c], "lexicon"), "narrative");
        if (!jn)
            continue;
        *at = c;
        if (read_narrative(jn, nv, why, whylen))
            return true;
        nb_narrative_free(nv);
        return false;
    }
    return true;
}
