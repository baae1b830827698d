/* recognise_narrative.c - numbers in the narrative as evidence for glued
 * digit runs (domain.md §5.6): a statement of the template's lexicon
 * ("制发 … 规范性文件 62件") found in the prose of the sections without a
 * table narrows the kept readings of the undecided row holding its cell
 * to those giving that number.  Evidence only narrows: a number no reading
 * gives changes nothing (the prose may count something else, such as the
 * whole city), a statement found with two different numbers is no
 * evidence, and only cells recognition left undecided are ever set. */
#include "recognise_internal.h"
#include "readings_internal.h"
#include <stdlib.h>
#include <string.h>

#define NV_MAX_DIGITS 15

typedef struct nv_found {
    bool any, conflict;
    int64_t v;
} nv_found;

/* The word of w at p ending by lim: its length, 0 none. */
static size_t word_at(const nb_wordlist *w, const char *p, const char *lim)
{
    if (!w->lead[(unsigned char)*p])
        return 0;
    for (size_t i = 0; i < w->n; i++) {
        size_t n = strlen(w->v[i]);
        if (n <= (size_t)(lim - p) && strncmp(p, w->v[i], n) == 0)
            return n;
    }
    return 0;
}

/* Start of the last word of w lying wholly in [s, lim), NULL none. */
static const char *last_word(const nb_wordlist *w, const char *s, const char *lim)
{
    for (const char *p = lim; p > s;) {
        p--;
        if (word_at(w, p, lim))
            return p;
    }
    return NULL;
}

/* The number right after p (at most max_gap characters between, none a
 * digit), followed by a unit, all before e; false when there is none. */
static bool number_after(const nb_narrative *nv, const char *p, const char *e, int64_t *v)
{
    for (size_t gap = 0; p < e && (*p < '0' || *p > '9'); gap++) {
        if (gap == nv->max_gap)
            return false;
        do /* one UTF-8 character */
            p++;
        while (p < e && ((unsigned char)*p & 0xC0) == 0x80);
    }
    size_t nd = 0;
    for (*v = 0; p < e && *p >= '0' && *p <= '9' && nd < NV_MAX_DIGITS; p++, nd++)
        *v = *v * 10 + (*p - '0');
    while (p < e && *p == ' ')
        p++;
    return nd > 0 && nd < NV_MAX_DIGITS && p < e && word_at(&nv->units, p, e) > 0;
}

/* Do the groups before the last appear in order in [s, p)? */
static bool groups_before(const nb_statement *st, const char *s, const char *p)
{
    for (size_t g = st->ngroups - 1; g-- > 0;)
        if (!(p = last_word(&st->groups[g], s, p)))
            return false;
    return true;
}

static void note(nv_found *f, int64_t v)
{
    if (f->any && f->v != v)
        f->conflict = true;
    f->any = true;
    f->v = v;
}

static void scan_clause(const nb_narrative *nv, const nb_statement *st, const char *s, const char *e, nv_found *f)
{
    const nb_wordlist *last = &st->groups[st->ngroups - 1];
    for (size_t w = 0; w < last->n; w++) {
        size_t n = strlen(last->v[w]);
        for (const char *p = s; p < e && (p = memmem(p, (size_t)(e - p), last->v[w], n)); p += n) {
            int64_t v;
            if (number_after(nv, p + n, e, &v) && groups_before(st, s, p))
                note(f, v);
        }
    }
}

/* Every statement against every clause of text; f: one per statement. */
static void scan_text(const nb_narrative *nv, const char *text, nv_found *f)
{
    const char *end = text + strlen(text);
    for (const char *s = text; s < end;) {
        const char *e = s;
        while (e < end && !word_at(&nv->clause_marks, e, end))
            e++;
        for (size_t i = 0; e > s && i < nv->n; i++)
            scan_clause(nv, &nv->v[i], s, e, &f[i]);
        s = e < end ? e + word_at(&nv->clause_marks, e, end) : end;
    }
}

/* Narrows the row to the readings whose column slot is v, then sets the
 * undecided cells every kept reading agrees on. */
static void narrow(nb_report *r, nb_reading_row *row, size_t slot, const nb_statement *st, int64_t v)
{
    const nb_cell *c = nb_readings_cell(r, row, slot);
    bool keep[NB_READINGS_MAX_SOLS];
    size_t nkeep = 0;
    if (!c || c->status != NB_CELL_AMBIGUOUS)
        return;
    for (size_t s = 0; s < row->nsol; s++)
        nkeep += keep[s] = row->sols[s * row->k + slot] == v;
    if (nkeep == 0 || !nb_readings_filter(row, keep))
        return;
    char *by = nb_strfmt("正文“%s %lld”", st->shown, (long long)v);
    for (size_t j = 0; j < row->k; j++) {
        int64_t a;
        nb_cell *cj = nb_readings_agreed(row, j, &a) ? nb_readings_cell(r, row, j) : NULL;
        if (cj && cj->status == NB_CELL_AMBIGUOUS)
            nb_readings_set_cell(r, row, j, cj, a, "PARSE-NARRATIVE-DECIDED", by ? by : "");
    }
    free(by);
}

static void decide(nb_report *r, const nb_statement *st, int64_t v)
{
    for (size_t i = 0; i < r->readings->n; i++) {
        nb_reading_row *row = &r->readings->v[i];
        for (size_t j = 0; j < row->k; j++)
            if (strcmp(row->def->fields[row->fields[j]].path, st->path) == 0)
                narrow(r, row, j, st, v);
    }
}

void rc_narrative_decide(nb_report *r, const nb_lexicon *lx)
{
    const nb_narrative *nv = &lx->narrative;
    nv_found *f = r->readings && r->readings->n && nv->n ? calloc(nv->n, sizeof *f) : NULL;
    if (!f)
        return; /* nothing undecided, no statements, or no memory: no evidence */
    unsigned tables = rc_table_sections(r->templates);
    for (int sec = 0; sec < 6; sec++)
        if (r->sections[sec].text && !(tables >> sec & 1)) {
            /* full-width digits (制发…７件) read as ASCII ones, as in the tables */
            char *text = rc_ascii_copy(r->sections[sec].text, false);
            scan_text(nv, text ? text : r->sections[sec].text, f);
            free(text);
        }
    for (size_t i = 0; i < nv->n; i++)
        if (f[i].any && !f[i].conflict)
            decide(r, &nv->v[i], f[i].v);
    free(f);
}
