/* lexicon.c - reads the template's "lexicon" object and matches its words.
 *
 * The vocabulary is data so that a new way of writing a unit or a "not
 * applicable" mark is a change to formats/, not to the recogniser. */
#include "lexicon.h"
#include "util.h"
#include "text_internal.h"
#include "jdoc.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Every list is required and none may be empty: an empty list would
 * silently turn a recognition step off.  An optional list only adds
 * variants to a step that works without them. */
typedef struct list_spec {
    const char *key;
    size_t offset;
    size_t exact;     /* this many words exactly, 0: any number */
    size_t max_bytes; /* longest word, 0: any */
    bool optional;    /* missing: an empty list (the list only adds variants) */
    bool numbering;   /* every word holds {n} (a numeral) or {d} (a number) */
} list_spec;

static const list_spec SPECS[] = {
    {.key = "numerals", .offset = offsetof(nb_lexicon, numerals), .exact = 10},
    {.key = "year_zeros", .offset = offsetof(nb_lexicon, year_zeros)},
    {.key = "units", .offset = offsetof(nb_lexicon, units), .max_bytes = 15}, /* rc_tok.unit holds 15 bytes */
    {.key = "not_applicable", .offset = offsetof(nb_lexicon, not_applicable)},
    {.key = "zero_words", .offset = offsetof(nb_lexicon, zero_words)},
    {.key = "list_separators", .offset = offsetof(nb_lexicon, list_separators)},
    {.key = "title_labels", .offset = offsetof(nb_lexicon, title_labels)},
    {.key = "agency_suffixes", .offset = offsetof(nb_lexicon, agency_suffixes)},
    {.key = "agency_cuts", .offset = offsetof(nb_lexicon, agency_cuts)},
    {.key = "report_words", .offset = offsetof(nb_lexicon, report_words)},
    {.key = "date_labels", .offset = offsetof(nb_lexicon, date_labels)},
    {.key = "report_subjects", .offset = offsetof(nb_lexicon, report_subjects), .optional = true},
    /* a numbering without the section's numeral or number would make any
     * line that starts with a heading text a heading */
    {.key = "heading_numbers", .offset = offsetof(nb_lexicon, heading_numbers), .optional = true, .numbering = true},
};

void nb_wordlist_mark(nb_wordlist *w, const char *s)
{
    w->lead[(unsigned char)s[0]] = true;
    w->last[(unsigned char)s[strlen(s) - 1]] = true;
}

void nb_wordlist_free(nb_wordlist *w)
{
    for (size_t i = 0; i < w->n; i++)
        free(w->v[i]);
    free(w->v);
    memset(w, 0, sizeof *w);
}

void nb_lexicon_free(nb_lexicon *lx)
{
    for (size_t k = 0; k < sizeof SPECS / sizeof *SPECS; k++)
        nb_wordlist_free((nb_wordlist *)((char *)lx + SPECS[k].offset));
    nb_narrative_free(&lx->narrative);
}

/* The list for key: from the first lexicon of the chain that has it
 * (*at: its position; the template itself when none has it). */
static const jd *find_list(const jd *const *chain, size_t nchain, const char *key, size_t *at)
{
    *at = 0;
    for (size_t c = 0; c < nchain; c++) {
        const jd *v = jd_get(jd_get(chain[c], "lexicon"), key);
        if (v) {
            *at = c;
            return v;
        }
    }
    return NULL;
}

static bool read_words(const jd *arr, const list_spec *sp, nb_wordlist *w, char *why, size_t whylen)
{
    if (!arr && sp->optional)
        return true;
    if (!jd_is_arr(arr) || jd_len(arr) == 0) {
        snprintf(why, whylen, "lexicon.%s must be a list of one or more words", sp->key);
        return false;
    }
    if (sp->exact && jd_len(arr) != sp->exact) {
        snprintf(why, whylen, "lexicon.%s must have exactly %zu words", sp->key, sp->exact);
        return false;
    }
    w->v = calloc(jd_len(arr), sizeof *w->v);
    if (!w->v) {
        snprintf(why, whylen, "lexicon.%s: out of memory", sp->key);
        return false;
    }
    size_t i;
    const jd *jw;
    jd_array_foreach(arr, i, jw)
    {
        const char *s = jd_str(jw);
        if (!s || !*s || (sp->max_bytes && strlen(s) > sp->max_bytes)) {
            snprintf(why, whylen, "lexicon.%s[%zu] must be a non-empty word%s", sp->key, i,
                     sp->max_bytes ? " of at most 15 bytes" : "");
            return false;
        }
        if (sp->numbering && !strstr(s, "{n}") && !strstr(s, "{d}")) {
            snprintf(why, whylen, "lexicon.%s[%zu] must hold {n} (the section's numeral) or {d} (its number)",
                     sp->key, i);
            return false;
        }
        if (!(w->v[w->n] = nb_strdup(s))) {
            snprintf(why, whylen, "lexicon.%s: out of memory", sp->key);
            return false;
        }
        nb_wordlist_mark(w, s);
        w->n++;
    }
    return true;
}

/* The numerals' filter (nb_lexicon.numeral_pair), from their second and
 * third bytes. */
static void numeral_filter(nb_lexicon *lx)
{
    const nb_wordlist *w = &lx->numerals;
    for (size_t i = 0; i < w->n; i++) {
        const unsigned char *v = (const unsigned char *)w->v[i];
        if (!v[0] || !v[1])
            lx->numeral_short = true;
        else
            lx->numeral_pair[v[1]] |= v[2] ? 1ull << (v[2] & 63) : ~0ull;
    }
}

/* heading_numbers compacted, and the bytes they can start with. */
static bool heading_numbers(nb_lexicon *lx, char *why, size_t whylen)
{
    nb_wordlist *w = &lx->heading_numbers;
    memset(w->lead, 0, sizeof w->lead); /* marked anew: the compact words' bytes */
    memset(w->last, 0, sizeof w->last);
    for (size_t i = 0; i < w->n; i++) {
        char *c = nb_text_compact(w->v[i]);
        if (!c) {
            snprintf(why, whylen, "%s", "lexicon.heading_numbers: out of memory");
            return false;
        }
        free(w->v[i]);
        w->v[i] = c;
        nb_wordlist_mark(w, c);
        if (strncmp(c, "{n}", 3) == 0)
            for (int b = 0; b < 256; b++)
                lx->heading_number_lead[b] |= lx->numerals.lead[b];
        else if (strncmp(c, "{d}", 3) == 0)
            for (int b = '0'; b <= '9'; b++)
                lx->heading_number_lead[b] = true;
        else
            lx->heading_number_lead[(unsigned char)c[0]] = true;
    }
    return true;
}

bool nb_lexicon_parse(const jd *const *chain, size_t nchain, nb_lexicon *lx, size_t *at, char *why, size_t whylen)
{
    memset(lx, 0, sizeof *lx);
    for (size_t c = 0; c < nchain; c++) {
        const jd *jl = jd_get(chain[c], "lexicon");
        if (jl && !jd_is_obj(jl)) {
            *at = c;
            snprintf(why, whylen, "%s", "\"lexicon\" must be an object");
            return false;
        }
    }
    for (size_t k = 0; k < sizeof SPECS / sizeof *SPECS; k++) {
        nb_wordlist *w = (nb_wordlist *)((char *)lx + SPECS[k].offset);
        if (!read_words(find_list(chain, nchain, SPECS[k].key, at), &SPECS[k], w, why, whylen)) {
            nb_lexicon_free(lx);
            return false;
        }
    }
    if (!nb_narrative_parse(chain, nchain, &lx->narrative, at, why, whylen)) {
        nb_lexicon_free(lx);
        return false;
    }
    if (!heading_numbers(lx, why, whylen)) {
        nb_lexicon_free(lx);
        return false;
    }
    numeral_filter(lx);
    for (int b = 0; b < 256; b++)
        lx->cell_word_lead[b] = lx->not_applicable.lead[b] || lx->zero_words.lead[b];
    return true;
}

long nb_words_prefix_index(const nb_wordlist *w, const char *s)
{
    if (!w->lead[(unsigned char)s[0]])
        return -1;
    for (size_t i = 0; i < w->n; i++) {
        /* is v a prefix of s: compared in place, no strlen per word (the
         * tokeniser asks after every number and numeral-like character) */
        const char *v = w->v[i];
        size_t k = 0;
        while (v[k] && v[k] == s[k])
            k++;
        if (!v[k])
            return (long)i;
    }
    return -1;
}

size_t nb_words_prefix(const nb_wordlist *w, const char *s)
{
    long i = nb_words_prefix_index(w, s);
    return i < 0 ? 0 : strlen(w->v[i]);
}

bool nb_words_equal(const nb_wordlist *w, const char *s)
{
    if (!w->lead[(unsigned char)s[0]])
        return false;
    for (size_t i = 0; i < w->n; i++)
        if (strcmp(s, w->v[i]) == 0)
            return true;
    return false;
}

bool nb_words_in(const nb_wordlist *w, const char *s)
{
    for (size_t i = 0; i < w->n; i++)
        if (strstr(s, w->v[i]))
            return true;
    return false;
}

size_t nb_words_suffix(const nb_wordlist *w, const char *s, size_t n)
{
    if (!n || !w->last[(unsigned char)s[n - 1]])
        return 0;
    for (size_t i = 0; i < w->n; i++) {
        size_t e = strlen(w->v[i]);
        if (n >= e && strcmp(s + n - e, w->v[i]) == 0)
            return e;
    }
    return 0;
}
