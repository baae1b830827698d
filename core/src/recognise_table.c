/* recognise_table.c - the template as a grammar over a token stream.
 *
 * Rows are expected in template order.  Text tokens accumulate until they
 * spell a row label (exactly, or with one typo in a long label), a known
 * header or group word (dropped), or nothing any candidate starts with
 * (noise: dropped from the front).  Numbers go to the row last named.
 * Only the next few rows are candidates, so the header's 其他 and 总计
 * cannot be taken for the rows 3.其他 and （七）总计 at the table's end. */
#include "recognise_internal.h"
#include "recognise_exact_find.h"
#include <stdlib.h>
#include <string.h>

/* labels standing alone that may wait for their values at once */
#define MAX_WAITING 8
/* a read's values and rows' flags kept on its stack up to these */
#define VALS_ROOM 64
#define DONE_ROOM 64

/* The hot path of a match (a text that spells a label) stays inlined in
 * the read's loop although tests reach it too (rc_match_text); the rest
 * is a call of its own. */
#if defined(__GNUC__)
#define HOT_INLINE inline __attribute__((always_inline))
#define COLD_CALL __attribute__((noinline))
#else
#define HOT_INLINE inline
#define COLD_CALL
#endif

#define NOISE -1   /* header, caption, group word: dropped */
#define FOREIGN -2 /* a row of another table: this table has ended */

typedef struct label {
    const char *key;      /* without ordinal and notes */
    const char *compact;  /* with ordinal */
    long row;             /* row index, NOISE or FOREIGN */
    char ord[16];         /* nb_text_ordinal_numeral, zero-filled, once per grammar */
    size_t key_chars;     /* code points of key and compact, once per grammar */
    size_t compact_chars;
    size_t key_len, compact_len; /* bytes */
    uint64_t key_set;     /* nb_text_cp_set(key): a bound before the edit distance */
    size_t typo_cap;      /* typos the key allows (the grammar's chars_per_typo), once per grammar */
} label;

typedef struct rc_grammar {
    const nb_table_def *def;
    const nb_templates *owner; /* the templates its foreign labels came from */
    label *v;               /* row labels by row, then NOISE, then FOREIGN */
    size_t n, cap;
    size_t *row_start;      /* nrows + 1: row r's labels are v[row_start[r], row_start[r + 1]) */
    size_t first_foreign;   /* v[first_foreign, n) are FOREIGN */
    rc_byte_index foreign_key, foreign_compact; /* FOREIGN labels by key[0], compact[0] */
    rc_byte_index foreign_key2, foreign_compact2; /* ... by their first two bytes (first_pair) */
    const nb_table_def *alike; /* an earlier variant that reads alike (rc_read_alike), or NULL */
    rc_row_span *spans;     /* per row: where its fields lie (rc_place_row) */
    rc_exact_index by_key, by_compact; /* every label by its key, its compact form */
    rc_byte_index by_last;  /* every label by its compact form's last two bytes (last_pair) */
    rc_byte_index by_first; /* every label by its compact form's first two bytes (first_pair) */
    uint64_t starts[4];     /* bytes some label's key or compact form begins with (rc_label_starts) */
} grammar;

/* Entry i of a template list; its matching forms were computed at load
 * (nb_strlist.compact, .key) and are borrowed. */
/* Code points (nb_utf8_len) and bytes of s.  Template texts are valid
 * UTF-8 (the JSON readers reject anything else) and so are their forms,
 * so the code points are the bytes that do not continue one. */
static size_t utf8_chars(const char *s, size_t *len)
{
    *len = strlen(s);
    return nb_u8_count(s, *len);
}

static bool add_label(grammar *g, const nb_strlist *l, size_t i, long row)
{
    if (g->n == g->cap) {
        size_t cap = g->cap ? 2 * g->cap : 64;
        label *v = realloc(g->v, cap * sizeof *v);
        if (!v)
            return false;
        g->v = v;
        g->cap = cap;
    }
    label *lb = &g->v[g->n++];
    size_t key_len, compact_len;
    size_t key_chars = utf8_chars(l->key[i], &key_len), compact_chars = utf8_chars(l->compact[i], &compact_len);
    size_t per_typo = (size_t)g->def->match.chars_per_typo; /* 1..64 (template.c) */
    *lb = (label){l->key[i], l->compact[i], row, "", key_chars, compact_chars, key_len, compact_len,
                  nb_text_cp_set(l->key[i]), key_chars >= 2 * per_typo ? key_chars / per_typo : 1};
    nb_text_ordinal_numeral(lb->compact, lb->ord);
    return true;
}

static void grammar_free(grammar *g)
{
    free(g->v);
    free(g->row_start);
    free(g->spans);
    rc_exact_index_free(&g->by_key);
    rc_exact_index_free(&g->by_compact);
    rc_byte_index_free(&g->foreign_key);
    rc_byte_index_free(&g->foreign_compact);
    rc_byte_index_free(&g->foreign_key2);
    rc_byte_index_free(&g->foreign_compact2);
    rc_byte_index_free(&g->by_last);
    rc_byte_index_free(&g->by_first);
}

void rc_grammar_free(struct rc_grammar *g)
{
    if (g)
        grammar_free(g);
    free(g);
}

static bool has_compact(const grammar *g, const char *c)
{
    size_t len = strlen(c);
    bool found = false;
    for (size_t i = 0; i < g->n && !found; i++)
        found = g->v[i].compact_len == len && memcmp(g->v[i].compact, c, len) == 0;
    return found;
}

/* Rows of the other tables: when a table's region runs into the next
 * table (misnumbered sections), their labels end this table's rows. */
static bool add_foreign(grammar *g, const nb_templates *t, const char *self)
{
    for (size_t k = 0; k < nb_templates_table_count(t); k++) {
        const char *name = nb_templates_table_name(t, k);
        const nb_table_def *v[16];
        size_t n = strcmp(name, self) == 0 ? 0 : nb_templates_variants(t, name, v, 16);
        for (size_t j = 0; j < n; j++) {
            if (v[j]->layout != NB_LAYOUT_ROWS)
                continue;
            for (size_t r = 0; r < v[j]->nrows; r++)
                for (size_t i = 0; i < v[j]->rows[r].labels.n; i++)
                    if (!has_compact(g, v[j]->rows[r].labels.compact[i]) &&
                        !add_label(g, &v[j]->rows[r].labels, i, FOREIGN))
                        return false;
        }
    }
    return true;
}

/* Every label by its exact key and compact form (exact_hit). */
static bool index_exact(grammar *g)
{
    size_t n = g->n ? g->n : 1;
    const char **ks = malloc(n * sizeof *ks), **cs = malloc(n * sizeof *cs);
    size_t *kl = malloc(n * sizeof *kl), *cl = malloc(n * sizeof *cl);
    bool ok = ks && cs && kl && cl;
    for (size_t i = 0; ok && i < g->n; i++) {
        ks[i] = g->v[i].key;
        kl[i] = g->v[i].key_len;
        cs[i] = g->v[i].compact;
        cl[i] = g->v[i].compact_len;
    }
    ok = ok && rc_exact_index_build(&g->by_key, ks, kl, 0, g->n) &&
         rc_exact_index_build(&g->by_compact, cs, cl, 0, g->n);
    free(ks);
    free(cs);
    free(kl);
    free(cl);
    return ok;
}

/* Two bytes in one, for an index: in CJK text one byte alone is one of six
 * lead bytes or of 64 continuation bytes, each shared by many labels. */
static unsigned char pair_byte(unsigned char a, unsigned char b)
{
    return (unsigned char)(b ^ (a << 2) ^ (a >> 6));
}

/* The last two bytes of s (len >= 2): a label that ends a text ends with
 * the text's last two bytes (glued_label takes labels of two characters
 * or more). */
static unsigned char last_pair(const char *s, size_t len)
{
    return pair_byte((unsigned char)s[len - 2], (unsigned char)s[len - 1]);
}

/* The first two bytes of s (len >= 2): a label that begins with a text of
 * two bytes or more begins with them. */
static unsigned char first_pair(const char *s)
{
    return pair_byte((unsigned char)s[0], (unsigned char)s[1]);
}

/* Every label by the last two bytes of its compact form (glued_label);
 * a shorter one is never glued and goes anywhere. */
static bool index_last(grammar *g)
{
    unsigned char *lb = malloc(g->n ? g->n : 1);
    for (size_t i = 0; lb && i < g->n; i++)
        lb[i] = g->v[i].compact_len >= 2 ? last_pair(g->v[i].compact, g->v[i].compact_len) : 0;
    bool ok = lb && rc_byte_index_build(&g->by_last, lb, 0, g->n);
    /* ... and by the first two (prefix_only); a shorter one begins no text of two */
    for (size_t i = 0; ok && i < g->n; i++)
        lb[i] = g->v[i].compact_len >= 2 ? first_pair(g->v[i].compact) : 0;
    ok = ok && rc_byte_index_build(&g->by_first, lb, 0, g->n);
    free(lb);
    return ok;
}

/* Where each row's labels start, and the FOREIGN labels by first byte
 * and by first two bytes (walk_start); a form shorter than two bytes
 * begins no text of two and goes anywhere in the second. */
static bool index_labels(grammar *g)
{
    size_t nrows = g->def->nrows, nf = g->n - g->first_foreign;
    g->row_start = malloc((nrows + 1) * sizeof *g->row_start);
    unsigned char *kb = malloc(nf ? nf : 1), *cb = malloc(nf ? nf : 1);
    unsigned char *kb2 = malloc(nf ? nf : 1), *cb2 = malloc(nf ? nf : 1);
    bool ok = g->row_start && kb && cb && kb2 && cb2;
    for (size_t r = 0, i = 0; ok && r <= nrows; r++) {
        while (i < g->first_foreign && g->v[i].row >= 0 && (size_t)g->v[i].row < r)
            i++;
        g->row_start[r] = i;
    }
    for (size_t k = 0; ok && k < nf; k++) {
        const label *l = &g->v[g->first_foreign + k];
        kb[k] = (unsigned char)l->key[0];
        cb[k] = (unsigned char)l->compact[0];
        kb2[k] = l->key_len >= 2 ? first_pair(l->key) : 0;
        cb2[k] = l->compact_len >= 2 ? first_pair(l->compact) : 0;
    }
    ok = ok && rc_byte_index_build(&g->foreign_key, kb, g->first_foreign, nf) &&
         rc_byte_index_build(&g->foreign_compact, cb, g->first_foreign, nf) &&
         rc_byte_index_build(&g->foreign_key2, kb2, g->first_foreign, nf) &&
         rc_byte_index_build(&g->foreign_compact2, cb2, g->first_foreign, nf);
    free(kb);
    free(cb);
    free(kb2);
    free(cb2);
    return ok && index_last(g) && index_exact(g);
}

/* The first variant before d (in nb_templates_variants order) that reads
 * every token stream as d does. */
static const nb_table_def *earlier_alike(const nb_table_def *d, const nb_templates *t)
{
    const nb_table_def *v[16];
    size_t n = nb_templates_variants(t, d->name, v, 16);
    for (size_t i = 0; i < n && v[i] != d; i++)
        if (rc_defs_read_alike(v[i], d))
            return v[i];
    return NULL;
}

/* Each row's fields' extent and the row total's column. */
static bool row_spans(grammar *g, const nb_table_def *d)
{
    g->spans = malloc((d->nrows ? d->nrows : 1) * sizeof *g->spans);
    if (!g->spans)
        return false;
    long total_col = -1;
    for (size_t c = 0; d->row_total && c < d->ncols && total_col < 0; c++)
        if (strcmp(d->cols[c].key, d->row_total) == 0)
            total_col = (long)c;
    for (size_t r = 0; r < d->nrows; r++)
        g->spans[r] = (rc_row_span){.first = d->nfields, .end = 0, .total_col = total_col};
    for (size_t f = 0; f < d->nfields; f++) {
        rc_row_span *sp = d->fields[f].row < d->nrows ? &g->spans[d->fields[f].row] : NULL;
        if (sp && f < sp->first)
            sp->first = f;
        if (sp && f + 1 > sp->end)
            sp->end = f + 1;
    }
    for (size_t r = 0; r < d->nrows; r++)
        if (g->spans[r].first > g->spans[r].end)
            g->spans[r].first = g->spans[r].end; /* a row without fields */
    for (size_t r = 0; r < d->nrows; r++)
        rc_row_plan(d, r, &g->spans[r]);
    return true;
}

static bool grammar_build(grammar *g, const nb_table_def *d, const nb_templates *t)
{
    memset(g, 0, sizeof *g);
    g->def = d;
    g->owner = t;
    bool ok = true;
    for (size_t r = 0; r < d->nrows; r++)
        for (size_t i = 0; i < d->rows[r].labels.n && ok; i++)
            ok = add_label(g, &d->rows[r].labels, i, (long)r);
    for (size_t i = 0; i < d->ignore.n && ok; i++)
        ok = add_label(g, &d->ignore, i, -1);
    for (size_t i = 0; i < d->markers.n && ok; i++)
        ok = add_label(g, &d->markers, i, -1);
    for (size_t c = 0; c < d->ncols && ok; c++)
        for (size_t i = 0; i < d->cols[c].labels.n && ok; i++)
            ok = add_label(g, &d->cols[c].labels, i, -1);
    for (size_t b = 0; b < d->nblocks && ok; b++)
        for (size_t i = 0; i < d->blocks[b].caption.n && ok; i++)
            ok = add_label(g, &d->blocks[b].caption, i, -1);
    g->first_foreign = g->n;
    g->alike = earlier_alike(d, t);
    ok = ok && row_spans(g, d) && add_foreign(g, t, d->name) && index_labels(g);
    for (size_t i = 0; ok && i < g->n; i++)
        rc_label_starts(g->starts, g->v[i].key, g->v[i].compact);
    return ok;
}

static bool starts_with(const char *s, const char *prefix)
{
    return *prefix && strncmp(s, prefix, strlen(prefix)) == 0;
}

/* starts_with with both lengths known.  The prefix's last byte is
 * compared first: CJK texts share their first bytes (E4..E9) far more
 * often than their last. */
static bool starts_with_n(const char *s, size_t sl, const char *prefix, size_t pl)
{
    return pl && sl >= pl && s[pl - 1] == prefix[pl - 1] && s[0] == prefix[0] && memcmp(s, prefix, pl) == 0;
}

/* Does h (hl bytes) hold n (nl <= hl bytes)?  When n is nearly as long
 * as h (a marker in a label, a fragment in a label) its few places are
 * compared here: a call to strstr costs more than they do. */
static bool holds(const char *h, size_t hl, const char *n, size_t nl)
{
    if (hl - nl > 8)
        return strstr(h, n) != NULL;
    if (!nl)
        return true;
    for (size_t p = 0; p + nl <= hl; p++)
        if (h[p + nl - 1] == n[nl - 1] && h[p] == n[0] && memcmp(h + p, n, nl) == 0)
            return true;
    return false;
}

/* Code points of the key outside the label's set: a lower bound of their
 * edit distance (nb_text_cp_bits). */
static size_t outside(const unsigned char *bits, size_t n, uint64_t set)
{
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        k += !((set >> bits[i]) & 1);
    return k;
}

/* Is row r a candidate now?  Rows behind pos are done; rows far ahead are
 * not yet possible. */
static bool candidate(const grammar *g, long row, size_t pos)
{
    size_t window = (size_t)g->def->match.row_window;
    return row < 0 || ((size_t)row >= pos && (size_t)row < pos + window) ||
           (pos == 0 && g->def->layout == NB_LAYOUT_ROWS && g->def->nrows <= window);
}

typedef enum { M_NONE, M_PREFIX, M_FULL } match_kind;

/* Pending text in its matching forms (a token's, computed when it was
 * cut; or those of several tokens joined). */
typedef struct pending {
    const char *key, *compact;
    size_t key_len, compact_len, key_chars;
    char ord[16];
} pending;

static void pending_of_token(pending *p, const rc_tok *t)
{
    *p = (pending){t->key, t->compact, t->key_len, t->compact_len, t->key_chars, ""};
    memcpy(p->ord, t->ord, sizeof p->ord);
}

static void pending_of_text(pending *p, const char *key, const char *compact)
{
    *p = (pending){key, compact, strlen(key), strlen(compact), nb_utf8_len(key), ""};
    nb_text_ordinal_numeral(compact, p->ord);
}

/* Code points of the key outside a label's set, its bits decoded the
 * first time a label is near enough in length to ask. */
typedef struct key_bits {
    unsigned char v[256];
    size_t n;
    uint64_t set;       /* the bits of v */
    bool done;
} key_bits;

/* Are more than cap code points of the key outside set?  The distinct
 * bits outside are fewer than those code points: when they alone are
 * more than cap, the count is not needed. */
static bool outside_key_over(key_bits *b, const char *key, uint64_t set, size_t cap)
{
    if (!b->done) {
        b->n = nb_text_cp_bits(key, b->v);
        for (size_t i = 0; i < b->n; i++)
            b->set |= 1ull << b->v[i];
        b->done = true;
    }
    uint64_t x = b->set & ~set;
    for (size_t k = 0; k < cap && x; k++)
        x &= x - 1; /* cap of them cleared: any left are one too many */
    return x || outside(b->v, b->n, set) > cap;
}

/* The first pass of a match over the candidate labels: the nearest
 * label (best, best_dist) and whether some label may still be spelt out
 * by more text (prefix).  The pending text's forms are copied in, and the
 * key's bits kept apart (they go to calls): the scan's own fields then
 * stay in registers across the calls a label may need. */
typedef struct scan {
    const grammar *g;
    const char *key, *compact;
    const char *ord;    /* NULL: the text has no ordinal */
    size_t klen, key_len, compact_len;
    size_t typo_min, frag;
    bool spelt_none;    /* known: no candidate label is spelt exactly (exact_hit) */
    long best;
    size_t best_dist;
    bool prefix;
} scan;

static void consider(scan *sc, key_bits *bits, size_t i)
{
    const grammar *g = sc->g;
    const label *l = &g->v[i];
    const char *key = sc->key, *compact = sc->compact, *ord = sc->ord;
    size_t klen = sc->klen, key_len = sc->key_len, compact_len = sc->compact_len;
    size_t dist = (size_t)-1;
    bool ord_clash = ord && *l->ord && memcmp(ord, l->ord, sizeof l->ord) != 0;
    if (ord_clash)
        ; /* a different numbered row */
    else if (!sc->spelt_none &&
             ((key_len && key_len == l->key_len && key[0] == l->key[0] && memcmp(key, l->key, key_len) == 0) ||
              (compact_len == l->compact_len && memcmp(compact, l->compact, compact_len) == 0)))
        dist = 0;
    else if (klen >= sc->typo_min && l->row != FOREIGN) {
        size_t llen = l->key_chars, cap = l->typo_cap;
        /* lengths further apart than cap cannot be within it */
        bool far = (klen > llen ? klen - llen : llen - klen) > cap || outside_key_over(bits, key, l->key_set, cap);
        size_t d = far ? cap + 1 : nb_text_distance(key, l->key, cap);
        if (d <= cap)
            dist = d + 1;
    }
    if (dist != (size_t)-1) {
        /* earlier rows first: a label matches the row it names, not a later one */
        long best = sc->best;
        bool better = dist < sc->best_dist || (dist == sc->best_dist && l->row >= 0 &&
                                               (best < 0 || g->v[best].row < 0 || l->row < g->v[best].row));
        if (better) {
            sc->best = (long)i;
            sc->best_dist = dist;
        }
    }
    if (sc->prefix)
        return; /* known already: the rest only tells whether there is one */
    if (starts_with_n(l->compact, l->compact_len, compact, compact_len) ||
        starts_with_n(l->key, l->key_len, key, key_len))
        sc->prefix = true;
    /* a fragment of a label may still be completed or followed by values */
    else if (l->row >= 0 && klen >= sc->frag && key_len <= l->key_len && holds(l->key, l->key_len, key, key_len))
        sc->prefix = true;
}

/* Rows [*a, *b) are the candidate rows at pos (candidate()). */
static void candidate_rows(const grammar *g, size_t pos, size_t *a, size_t *b)
{
    size_t nrows = g->def->nrows, window = (size_t)g->def->match.row_window;
    if (pos == 0 && g->def->layout == NB_LAYOUT_ROWS && nrows <= window) {
        *a = 0;
        *b = nrows;
        return;
    }
    *a = pos < nrows ? pos : nrows;
    *b = pos + window < nrows ? pos + window : nrows;
}

/* The candidate labels in the grammar's order, leaving out those that
 * cannot change consider()'s answer: rows outside the window, and FOREIGN
 * labels that begin neither with the key nor with the compact form's
 * first byte, or first two bytes when it has two (they match exactly or
 * by prefix only, never with a typo or inside: they need those bytes).
 * Stages: 0 the window's rows, 1 NOISE, 2 the two FOREIGN groups merged
 * (each label once).  plain: every FOREIGN label (in stage 1). */
typedef struct label_walk {
    size_t i, end;
    int stage;
    bool plain;
    const size_t *vk, *vc;
    size_t nk, nc, k, c;
} label_walk;

static void walk_start(const grammar *g, const pending *pt, size_t pos, bool plain, label_walk *w)
{
    size_t ra, rb;
    candidate_rows(g, pos, &ra, &rb);
    *w = (label_walk){.i = g->row_start[ra], .end = g->row_start[rb], .plain = plain};
    if (plain)
        return; /* nk = nc = 0: stage 1 runs on to the end */
    w->vk = pt->key_len >= 2 ? rc_byte_index_get(&g->foreign_key2, first_pair(pt->key), &w->nk)
                             : rc_byte_index_get(&g->foreign_key, (unsigned char)pt->key[0], &w->nk);
    w->vc = pt->compact_len >= 2 ? rc_byte_index_get(&g->foreign_compact2, first_pair(pt->compact), &w->nc)
                                 : rc_byte_index_get(&g->foreign_compact, (unsigned char)pt->compact[0], &w->nc);
}

static bool walk_next(const grammar *g, label_walk *w, size_t *out)
{
    if (w->stage == 0 && w->i == w->end) {
        w->stage = 1;
        w->i = g->row_start[g->def->nrows];
        w->end = w->plain ? g->n : g->first_foreign;
    }
    if (w->i < w->end) {
        *out = w->i++;
        return true;
    }
    if (w->k == w->nk && w->c == w->nc)
        return false;
    size_t i = w->c == w->nc || (w->k < w->nk && w->vk[w->k] <= w->vc[w->c]) ? w->vk[w->k] : w->vc[w->c];
    w->k += w->k < w->nk && w->vk[w->k] == i;
    w->c += w->c < w->nc && w->vc[w->c] == i;
    *out = i;
    return true;
}

/* consider() for every candidate label (one call site: it is inlined). */
static void consider_candidates(scan *sc, const pending *pt, size_t pos, bool plain)
{
    label_walk w;
    key_bits bits;
    bits.done = false; /* its code points are decoded when a label asks (not zeroed: 256 bytes) */
    bits.set = 0;
    walk_start(sc->g, pt, pos, plain, &w);
    for (size_t i; walk_next(sc->g, &w, &i);)
        consider(sc, &bits, i);
}

/* Labels the scan would look at (label_walk) whose numbered ordinal does
 * not clash with the pending text's. */
typedef struct exact_ctx {
    const grammar *g;
    const pending *pt;
    size_t rows_a, rows_b; /* the window's row labels */
} exact_ctx;

static bool exact_ok(size_t i, const void *ctx)
{
    const exact_ctx *c = ctx;
    const label *l = &c->g->v[i];
    bool walked = (i >= c->rows_a && i < c->rows_b) || i >= c->g->row_start[c->g->def->nrows];
    return walked && !(*c->pt->ord && *l->ord && memcmp(c->pt->ord, l->ord, sizeof l->ord) != 0);
}

/* The label consider_candidates would choose when one is spelt exactly:
 * the first exact one in the walk's (ascending) order, as no typo, prefix
 * or later label overrides a distance of 0 (consider()).  -1 none.
 * A key is a function of the compact form (nb_text_label_key: the key of
 * the compact text; tokens and labels alike), so a label whose compact
 * form is the text's has the text's key too: when the text has a key, the
 * key lookup finds every label the compact lookup would, and the compact
 * lookup is needed only for a text without one. */
static HOT_INLINE long exact_hit(const grammar *g, const pending *pt, size_t pos)
{
    size_t ra, rb;
    candidate_rows(g, pos, &ra, &rb);
    exact_ctx c = {g, pt, g->row_start[ra], g->row_start[rb]};
    size_t k = pt->key_len ? rc_exact_index_find(&g->by_key, pt->key, pt->key_len, exact_ok, &c) : (size_t)-1;
    size_t m = pt->key_len ? (size_t)-1
                           : rc_exact_index_find(&g->by_compact, pt->compact, pt->compact_len, exact_ok, &c);
    size_t best = k < m ? k : m;
    return best == (size_t)-1 ? -1 : (long)best;
}

/* The longest candidate label of two or more characters that ends the
 * compact text (the first of equal length); -1 none.  Such a label ends
 * with the text's last two bytes: only those are looked at, in label
 * order (plain: every label, the reference the tests compare with). */
static long glued_label(const grammar *g, const pending *pt, size_t pos, bool plain)
{
    size_t n = g->n, cl = pt->compact_len, blen = 0;
    long best = -1;
    const size_t *v = plain ? NULL : cl >= 2 ? rc_byte_index_get(&g->by_last, last_pair(pt->compact, cl), &n) : NULL;
    for (size_t k = 0; (plain || v) && k < n; k++) {
        size_t i = plain ? k : v[k];
        const label *l = &g->v[i];
        size_t ll = l->compact_len;
        if (!candidate(g, l->row, pos) || l->compact_chars < 2 || ll > cl)
            continue;
        if (ll > blen && memcmp(pt->compact + cl - ll, l->compact, ll) == 0) {
            best = (long)i;
            blen = ll;
        }
    }
    return best;
}

/* Is item i in [range[0], range[1])? */
static bool in_range(size_t i, const void *range)
{
    const size_t *r = range;
    return i >= r[0] && i < r[1];
}

/* The first label in [range[0], range[1]) whose key is key; (size_t)-1
 * none.  The reference for the key index (plain). */
static size_t first_spelt(const grammar *g, const char *key, const size_t *range)
{
    for (size_t i = range[0]; i < range[1]; i++)
        if (strcmp(key, g->v[i].key) == 0)
            return i;
    return (size_t)-1;
}

/* consider_candidates' answer for a text without a key (a note in
 * brackets) too short for a typo or a fragment: none is near, and a label
 * may still be spelt out only if a candidate's compact form begins with
 * the text's (two bytes or more), so with its first two bytes. */
static bool prefix_only(const grammar *g, const pending *pt, size_t pos)
{
    size_t ra, rb, n;
    candidate_rows(g, pos, &ra, &rb);
    size_t a = g->row_start[ra], b = g->row_start[rb], others = g->row_start[g->def->nrows];
    const size_t *v = rc_byte_index_get(&g->by_first, first_pair(pt->compact), &n);
    for (size_t k = 0; k < n; k++) {
        const label *l = &g->v[v[k]];
        bool walked = (v[k] >= a && v[k] < b) || v[k] >= others; /* the window's rows, NOISE, FOREIGN */
        if (walked && starts_with_n(l->compact, l->compact_len, pt->compact, pt->compact_len))
            return true;
    }
    return false;
}

/* match() when no label is spelt exactly.  walk: whether the candidates
 * must be considered one by one (else the text is too short for a typo
 * or a fragment and begins no label: none is near).  plain: not known
 * that none is spelt exactly (the exact lookups did not run). */
static COLD_CALL match_kind match_near(const grammar *g, const bool *done, const pending *pt, size_t pos, bool ended,
                                       long *hit, bool walk, bool plain)
{
    const char *key = pt->key;
    size_t klen = pt->key_chars;
    const nb_match_limits *lim = &g->def->match;
    size_t frag = (size_t)lim->fragment_min_chars, typo_min = (size_t)lim->typo_min_chars;
    scan sc = {.g = g,
               .key = key,
               .compact = pt->compact,
               .ord = *pt->ord ? pt->ord : NULL,
               .klen = klen,
               .key_len = pt->key_len,
               .compact_len = pt->compact_len,
               .typo_min = typo_min,
               .frag = frag,
               .spelt_none = !plain,
               .best = -1,
               .best_dist = (size_t)-1,
               .prefix = false};
    bool near = walk || klen >= typo_min || klen >= frag;
    if (near && !plain && !pt->key_len && klen < typo_min && klen < frag && pt->compact_len >= 2)
        sc.prefix = prefix_only(g, pt, pos);
    else if (near)
        consider_candidates(&sc, pt, pos, plain);
    long best = sc.best;
    size_t best_dist = sc.best_dist;
    bool prefix = sc.prefix;
    /* A label cut short by the numbers that follow it (重 新出具 / 已获取信息
     * on the next line is rare; a prefix of fragment_min_chars (4) or more that only one
     * row starts with is taken when the values arrive). */
    if (best < 0 && ended && klen >= frag) {
        long only = -1;
        for (size_t i = 0; i < g->n; i++) {
            const label *l = &g->v[i];
            if (l->row < 0 || !candidate(g, l->row, pos) || !starts_with(l->key, key))
                continue;
            if (only >= 0 && g->v[only].row != l->row) {
                only = -2;
                break;
            }
            if (only == -1)
                only = (long)i;
        }
        if (only >= 0)
            best = only;
    }
    /* A fragment of a label, its start lost (行政机关不再处理其政府信息公):
     * the earliest candidate row whose label contains it. */
    if (best < 0 && ended && klen >= frag) {
        for (size_t i = 0; i < g->n; i++) {
            const label *l = &g->v[i];
            if (l->row < 0 || !candidate(g, l->row, pos) || !strstr(l->key, key))
                continue;
            if (best < 0 || l->row < g->v[best].row)
                best = (long)i;
        }
    }
    /* Rows far ahead are not candidates (the header's 其他 and 总计 must not
     * jump to the table's end), but a distinctive label (fragment_min_chars
     * or more) that is spelt exactly is itself the evidence: many rows were
     * simply not printed. */
    if (best < 0 && !prefix && klen >= frag) {
        size_t nrows = g->def->nrows;
        size_t range[2] = {g->row_start[pos < nrows ? pos : nrows], g->row_start[nrows]}; /* rows pos on */
        size_t i = plain ? first_spelt(g, key, range) : rc_exact_index_find(&g->by_key, key, pt->key_len, in_range, range);
        if (i != (size_t)-1) {
            best = (long)i;
            best_dist = 0;
        }
    }
    /* A table printed in another order than the template (第二十条第（一）项
     * after （五）（六）（八）): a row already passed but never given values
     * is taken again when its label is spelt exactly, or a fragment of it
     * comes right before values. */
    if (best < 0 && !prefix && done && (near || !*key)) /* a text no key begins with equals none */
        for (size_t i = 0; i < g->row_start[pos < g->def->nrows ? pos : g->def->nrows] && best < 0; i++) {
            const label *l = &g->v[i]; /* the labels of rows before pos */
            if (l->row >= 0 && (size_t)l->row < pos && !done[l->row] &&
                (strcmp(key, l->key) == 0 || (ended && klen >= frag && strstr(l->key, key))))
                best = (long)i;
        }
    /* Flattened pages glue the header words to the first label
     * (…现行有效件数规章000): a label that ends the text is taken. */
    if (best < 0 && !prefix) {
        best = glued_label(g, pt, pos, plain);
        if (best >= 0) {
            *hit = best;
            return M_FULL;
        }
    }
    if (best >= 0 && (best_dist == 0 || !prefix || ended)) {
        *hit = best;
        return M_FULL;
    }
    return prefix ? M_PREFIX : (best >= 0 ? (*hit = best, M_FULL) : M_NONE);
}

/* Matches pending text against the candidates; *hit is the label index.
 * done: per row, whether it has its values (NULL: none has).  plain:
 * without the short cuts (the exact lookups, the first-byte rejection).
 * Most texts spell a label: that answer is found here, the rest in
 * match_near. */
static HOT_INLINE match_kind match(const grammar *g, const bool *done, const pending *pt, size_t pos, bool ended,
                                   long *hit, bool plain)
{
    /* a text that begins no label (a table's pipe) spells none either;
     * an empty one may spell an empty label */
    bool begins = rc_starts_has(g->starts, pt->key, pt->key_len) ||
                  rc_starts_has(g->starts, pt->compact, pt->compact_len) || !pt->compact_len;
    long exact = plain || !begins ? -1 : exact_hit(g, pt, pos);
    if (exact >= 0) {
        *hit = exact;
        return M_FULL;
    }
    const nb_match_limits *lim = &g->def->match;
    size_t klen = pt->key_chars;
    if (!plain && !begins && *pt->key && klen < (size_t)lim->typo_min_chars && klen < (size_t)lim->fragment_min_chars) {
        /* match_near's answer for a short text that begins no label (a
         * pipe): only a label glued to its end */
        long glued = glued_label(g, pt, pos, plain);
        if (glued < 0)
            return M_NONE;
        *hit = glued;
        return M_FULL;
    }
    return match_near(g, done, pt, pos, ended, hit, plain || begins, plain);
}

/* The most a scoring read of rows can still add (rc_score_table), kept at
 * each text token: a match per text token left (a match ends with a text
 * token of its own), and two per row that may still get values.  A row
 * gets values when it closes with some pushed since the last close.  A
 * run of values between two text tokens (header tokens inside it) can so
 * close one row after its last value, and rows inside it only by overflow:
 * at a number on another line than the run's value before it (the last
 * one pushed: within a run values are pushed from its first on, or none
 * is), with three numbers or more since the last close and as many ahead
 * in the run.  So at most one per three numbers after the run's first
 * value (a close before any value of the run closes an earlier run's).
 * The values pending at a text token may close one row more. */
typedef struct read_bound {
    int beat;           /* stop once the score cannot exceed it; < 0 never */
    int markers;        /* 3 * markers_found, known before the read */
    bool broken;        /* a value could not be pushed (no memory): never stop */
    size_t texts_left;  /* non-header text tokens from here on */
    size_t runs_left;   /* rows the runs of values after here may close */
    size_t run_nums;    /* numbers of the current run so far */
    size_t run_breaks;  /* its numbers on another line than its value before */
    size_t run_line;    /* the line of its last non-header token */
    bool run_seen;      /* it has a non-header token */
    bool run_first_num; /* its first non-header token is a number */
    bool in_run;        /* the last token was a value or a header token */
} read_bound;

typedef struct reader {
    const grammar *g;
    const rc_toks *t;
    nb_report *r;
    nb_table *table;        /* NULL when only scoring */
    size_t pos;             /* next expected row */
    long cur;               /* row receiving values */
    const rc_tok **vals;
    size_t nvals, capvals;
    const rc_tok **vals_room; /* the read's first values (on its stack; vals until outgrown) */
    size_t nnum;            /* how many of vals are numbers */
    size_t pend_a, pend_b;  /* pending text tokens [a, b) */
    int matched, valued;
    bool started;           /* a row label has been seen */
    const rc_tok *extra;    /* label of a row the template does not know, collecting values */
    long dropped;           /* last text token resolve() dropped as noise, -1 none */
    long last_text;         /* last text token seen */
    rc_alts alts;           /* rows read more than one way */
    bool *done;             /* per row: values read (owned) */
    size_t cur_line;        /* doc line of the label of cur */
    long waiting[MAX_WAITING];   /* labels standing alone, oldest first, still owed values */
    size_t nwaiting;
    rc_match_log *log;      /* records or replays the matches (may be NULL) */
    bool plain;             /* match without short cuts (rc_match_text) */
    read_bound bound;       /* a scoring read that may stop (rc_score_table) */
} reader;

/* A row the template does not have (a local one, 其他主动公开文件) keeps its
 * values under the table's "extra", so they cannot shift a known row. */
static void close_extra(reader *rd)
{
    if (rd->table && rd->nvals) {
        char **v = calloc(rd->nvals, sizeof *v);
        size_t n = 0;
        for (size_t i = 0; v && i < rd->nvals; i++)
            v[n++] = rd->vals[i]->raw;
        if (v)
            nb_report_add_extra(rd->r, rd->g->def->name, rd->extra->raw, v, n, rd->extra->lineno);
        free(v);
    }
    rd->extra = NULL;
    rd->nvals = rd->nnum = 0;
}

static bool is_num(const rc_tok *t) { return t && t->kind == RC_NUM; }

static size_t row_width(const nb_table_def *d, size_t row)
{
    return d->blocks[d->rows[row].block].ncols;
}

/* Is the collected run one printed table line with one cell per column?
 * Such a row is read by position, its blanks included (a blank 总计, an
 * all-blank row): that is what was printed.  *lead is the number of blank
 * cells of a merged label column to skip first. */
static bool exact_row(reader *rd, size_t width, size_t *lead)
{
    const rc_tok *const *v = rd->vals; /* in locals: rd->nvals is stored once */
    size_t nv = rd->nvals;
    /* blank cells of the next line (before its label) are not this row's */
    while (nv > 1 && !is_num(v[nv - 1]) && v[nv - 1]->line != v[0]->line)
        nv--;
    rd->nvals = nv;
    bool one_line = nv > 0 && v[0]->in_row;
    for (size_t i = 0; i < nv; i++)
        one_line &= v[i]->line == v[0]->line;
    size_t n = 0;
    while (n < nv && !is_num(v[n]))
        n++;
    if (nv == width)
        n = 0; /* a row exactly as wide as the table: its first cell may be blank */
    else if (n == nv && nv > width)
        n = nv - width; /* an all-blank row under a merged label column */
    *lead = n;
    return one_line && nv - n == width;
}

/* The span of the current row, when the table is the grammar's own. */
static const rc_row_span *row_span(const reader *rd)
{
    return rd->table->def == rd->g->def ? &rd->g->spans[rd->cur] : NULL;
}

static void close_row(reader *rd)
{
    if (rd->extra) {
        close_extra(rd);
        return;
    }
    if (rd->cur >= 0) {
        bool any = rd->nnum > 0; /* push_val counts the numbers among vals */
        size_t lead = 0;
        const rc_row_span *span = rd->table ? row_span(rd) : NULL;
        /* numbers only, one per planned cell: placed in order however they
         * were printed (rc_place_row), and no lead to skip, so exact_row
         * need not be asked (plain: it is) */
        bool numbers = !rd->plain && span && span->planned && rd->nvals && rd->nnum == rd->nvals && rd->nvals == span->k;
        /* a scoring read asks only whether the row got values */
        bool exact = !numbers && (rd->table || !any) && exact_row(rd, row_width(rd->g->def, (size_t)rd->cur), &lead);
        any |= exact;
        rd->valued += any;
        /* Only a row that got values moves the grammar on: a label standing
         * alone (pulled out of its row by a PDF converter) must not make
         * the rows before it unreachable. */
        if (any && (size_t)rd->cur + 1 > rd->pos)
            rd->pos = (size_t)rd->cur + 1;
        if (any && rd->done)
            rd->done[rd->cur] = true;
        size_t skip = exact ? lead : 0, n = rd->nvals - skip;
        if (numbers && !span->any_amount)
            rc_place_numbers(rd->r, rd->table, rd->vals, span);
        else if (rd->table && n) /* blank cells' tokens are blanks there */
            rc_place_row(rd->r, rd->table, (size_t)rd->cur, rd->vals + skip, n, &rd->alts, exact || numbers, span);
    }
    rd->nvals = rd->nnum = 0;
}

static char *pending_text(const reader *rd, size_t a)
{
    nb_buf b = {0};
    for (size_t i = a; i < rd->pend_b; i++)
        if (rd->t->v[i].kind == RC_TEXT)
            nb_buf_adds(&b, rd->t->v[i].raw);
    return nb_buf_steal(&b);
}

/* Labels pulled out of their rows come as a run, then their rows' values
 * (PDF conversions): a label left without values waits for them, and
 * values printed apart from their label go to the oldest waiting one. */
static void wait_for_values(reader *rd)
{
    if (rd->cur < 0 || rd->nnum || rd->extra || rd->g->def->rows[rd->cur].derived ||
        (rd->done && rd->done[rd->cur]))
        return;
    if (rd->nwaiting == MAX_WAITING) {
        memmove(rd->waiting, rd->waiting + 1, (MAX_WAITING - 1) * sizeof *rd->waiting);
        rd->nwaiting--;
    }
    rd->waiting[rd->nwaiting++] = rd->cur;
}

static long take_waiting(reader *rd)
{
    if (!rd->nwaiting)
        return -1;
    long row = rd->waiting[0];
    memmove(rd->waiting, rd->waiting + 1, --rd->nwaiting * sizeof *rd->waiting);
    return rd->done && rd->done[row] ? -1 : row;
}

/* The first value of cur, on another line than cur's label: when labels
 * wait, it starts the values of the oldest of them, and cur waits instead. */
static void values_apart(reader *rd, const rc_tok *tk)
{
    if (rd->cur < 0 || rd->nnum || rd->nvals || !rd->nwaiting || tk->line == rd->cur_line)
        return;
    long row = take_waiting(rd);
    if (row < 0)
        return;
    wait_for_values(rd);
    rd->cur = row;
}

/* The only text token of the pending range from a, when there is one
 * and its forms were computed (they are those of pending_text then). */
static const rc_tok *single_text(const reader *rd, size_t a)
{
    if (rd->pend_b == a + 1) { /* the common case: one token pending */
        const rc_tok *tk = &rd->t->v[a];
        return tk->kind == RC_TEXT && tk->key && tk->compact ? tk : NULL;
    }
    const rc_tok *one = NULL;
    for (size_t i = a; i < rd->pend_b; i++)
        if (rd->t->v[i].kind == RC_TEXT) {
            if (one)
                return NULL;
            one = &rd->t->v[i];
        }
    return one && one->key && one->compact ? one : NULL;
}

/* Matches the pending text from pend_a on. */
static HOT_INLINE match_kind match_pending(const reader *rd, bool ended, long *hit)
{
    const rc_tok *one = single_text(rd, rd->pend_a);
    char *raw = one ? NULL : pending_text(rd, rd->pend_a);
    char *key = raw ? nb_text_label_key(raw) : NULL, *compact = raw ? nb_text_compact(raw) : NULL;
    pending pt;
    if (one)
        pending_of_token(&pt, one);
    else if (key && compact)
        pending_of_text(&pt, key, compact);
    match_kind m = one || (key && compact) ? match(rd->g, rd->done, &pt, rd->pos, ended, hit, rd->plain) : M_NONE;
    if (!one) { /* the one token's forms are borrowed */
        free(raw);
        free(key);
        free(compact);
    }
    return m;
}

/* match_pending, or its result taken from the log of an earlier read of
 * the same tokens with the same grammar (rc_match_log). */
static match_kind match_logged(reader *rd, bool ended, long *hit)
{
    rc_match_log *log = rd->log;
    if (log && log->replay && log->next < log->n) {
        *hit = log->v[log->next].hit;
        return (match_kind)log->v[log->next++].kind;
    }
    match_kind m = match_pending(rd, ended, hit);
    if (log && !log->replay && !log->broken) {
        if (log->n < log->cap || nb_grow((void **)&log->v, &log->cap, log->n, sizeof *log->v))
            log->v[log->n++] = (rc_logged_match){*hit, (int)m};
        else
            log->broken = true;
    }
    return m;
}

void rc_match_log_free(rc_match_log *log)
{
    free(log->v);
    memset(log, 0, sizeof *log);
}

/* Resolves pending text.  ended: a number follows, so the label is over.
 * Returns false when every fragment turned out to be noise. */
static bool resolve(reader *rd, bool ended)
{
    while (rd->pend_a < rd->pend_b) {
        long hit = -1;
        match_kind m = match_logged(rd, ended, &hit);
        if (m == M_FULL) {
            long row = rd->g->v[hit].row;
            if (row == FOREIGN) {
                close_row(rd);
                rd->cur = -1;
                rd->nwaiting = 0;
            } else if (row >= 0) {
                wait_for_values(rd);
                close_row(rd);
                rd->cur = row;
                rd->cur_line = rd->t->v[rd->pend_b - 1].line;
                rd->matched++;
                rd->started = true;
            }
            rd->pend_a = rd->pend_b;
            return true;
        }
        if (m == M_PREFIX && !ended)
            return true;
        rd->dropped = (long)rd->pend_a;
        rd->pend_a++; /* the oldest fragment is noise */
    }
    return false;
}

/* Room for more values: the read starts with some on its stack (vals_room),
 * moved to the heap when they are outgrown. */
static COLD_CALL bool grow_vals(reader *rd)
{
    const rc_tok **heap = rd->vals == rd->vals_room ? NULL : rd->vals;
    size_t cap = heap ? rd->capvals : 0;
    if (!nb_grow((void **)&heap, &cap, rd->nvals, sizeof *heap))
        return false;
    if (rd->vals == rd->vals_room && rd->nvals)
        memcpy(heap, rd->vals_room, rd->nvals * sizeof *heap);
    rd->vals = heap;
    rd->capvals = cap;
    return true;
}

static bool push_val(reader *rd, const rc_tok *v)
{
    if (rd->nvals == rd->capvals && !grow_vals(rd))
        return false;
    rd->vals[rd->nvals++] = v;
    rd->nnum += is_num(v);
    return true;
}

/* Are there k values from token i on before the next word that is not a
 * column heading?  Stops at k, so long runs of numbers stay linear. */
static bool values_ahead(const rc_toks *t, size_t i, size_t k)
{
    size_t n = 0;
    for (size_t j = i; j < t->n && n < k && (t->v[j].kind != RC_TEXT || t->v[j].header); j++)
        n += t->v[j].kind == RC_NUM;
    return n >= k;
}

/* A whole row's worth of values right after a full row, with no label:
 * the label was pulled out of the table (PDF text puts it after the
 * values, or loses it); the values belong to the next row in template
 * order.  A stray number (a footnote, a page number) is fewer than a row
 * and does not move anything. */
static bool overflow(reader *rd, size_t i)
{
    const nb_table_def *d = rd->g->def;
    if (rd->cur < 0 || rd->nvals == 0 || !is_num(rd->vals[rd->nvals - 1]))
        return false;
    size_t k = row_width(d, (size_t)rd->cur);
    /* one-value rows (table 1) give no evidence of where a row ends; a
     * row's values and the next row's start on different lines */
    if (rd->nnum < k || k < 3 || rd->vals[rd->nvals - 1]->line == rd->t->v[i].line ||
        !values_ahead(rd->t, i, k))
        return false;
    long waiting = rd->nwaiting && row_width(d, (size_t)rd->waiting[0]) == k ? rd->waiting[0] : -1;
    size_t next = (size_t)rd->cur + 1;
    while (next < d->nrows && d->rows[next].derived)
        next++;
    bool next_fits = next < d->nrows && row_width(d, next) == k;
    if (waiting < 0 && !next_fits)
        return false;
    close_row(rd);
    if (waiting >= 0 && (waiting = take_waiting(rd)) >= 0)
        rd->cur = waiting; /* the values of a label printed apart */
    else
        /* the waiting label was already given values (take_waiting
         * refuses it): the next row only if there is one, else nowhere */
        rd->cur = next_fits ? (long)next : -1;
    rd->cur_line = rd->t->v[i].line; /* these values are the row's own */
    return true;
}

/* Has s two code points or more (nb_utf8_len(s) >= 2, without counting them all)? */
static bool two_chars(const char *s)
{
    size_t len = strlen(s);
    uint32_t cp;
    return len && nb_u8_next(s, len, &cp) < len;
}

/* Words that can name a row of their own: the first thing on their line
 * with the values after them on the same line, two or more characters, no
 * digits or clause punctuation (that is prose), and not the label of a
 * row this table already has (a repeated or out-of-order known row). */
static bool plausible_label(const reader *rd, size_t ti, size_t value)
{
    const rc_tok *t = &rd->t->v[ti];
    if (t->kind != RC_TEXT || t->header || !t->key || !two_chars(t->key) ||
        rd->t->v[value].line != t->line || (ti > 0 && rd->t->v[ti - 1].line == t->line) ||
        (unsigned char)t->key[0] < 0xE0 || strpbrk(t->raw, "0123456789,;") || strstr(t->raw, "，"))
        return false;
    for (size_t i = 0; i < rd->g->n; i++)
        if (rd->g->v[i].row >= 0 && strcmp(rd->g->v[i].key, t->key) == 0)
            return false;
    /* a table line: nothing but values after the label */
    for (size_t j = ti + 1; j < rd->t->n && rd->t->v[j].line == t->line; j++)
        if (rd->t->v[j].kind == RC_TEXT)
            return false;
    return true;
}

/* A token of the current run (not a non-header text). */
static void run_step(read_bound *b, const rc_tok *tk)
{
    b->in_run = true;
    b->run_nums += tk->kind == RC_NUM;
    if (tk->header)
        return; /* never pushed */
    b->run_breaks += b->run_seen && tk->kind == RC_NUM && tk->line != b->run_line;
    b->run_first_num |= !b->run_seen && tk->kind == RC_NUM;
    b->run_line = tk->line;
    b->run_seen = true;
}

/* The rows the current run may close with values; ends the run. */
static size_t run_end(read_bound *b)
{
    size_t thirds = (b->run_nums - b->run_first_num) / 3; /* run_first_num counts in run_nums */
    size_t rows = b->in_run ? 1 + (thirds < b->run_breaks ? thirds : b->run_breaks) : 0;
    b->in_run = b->run_seen = b->run_first_num = false;
    b->run_nums = b->run_breaks = 0;
    return rows;
}

/* read_bound's totals for the whole token stream. */
static void bound_start(read_bound *b, const rc_toks *t, int beat, int markers)
{
    *b = (read_bound){.beat = beat, .markers = markers};
    for (size_t i = 0; i < t->n; i++) {
        const rc_tok *tk = &t->v[i];
        if (tk->kind == RC_TEXT && !tk->header) {
            b->texts_left++;
            b->runs_left += run_end(b);
        } else
            run_step(b, tk);
    }
    b->runs_left += run_end(b);
}

/* At a non-header text token: can the read still score above beat?
 * Steps the bound past the token. */
static bool may_beat(reader *rd)
{
    read_bound *b = &rd->bound;
    b->runs_left -= run_end(b); /* the run this token ends */
    size_t most = (size_t)rd->matched + 2 * (size_t)rd->valued + b->texts_left +
                  2 * ((rd->nvals > 0) + b->runs_left) + (size_t)b->markers;
    b->texts_left--;
    return b->broken || most > (size_t)b->beat;
}

/* The values after token i on its printed line, taken as the loop below
 * takes them: nothing but push_val applies to them (overflow needs values
 * on another line than the last one pushed, values_apart none pushed;
 * the caller knows no dropped words wait for values).  Stops at a text,
 * a header token or the line's end.  Returns the last token taken. */
static size_t line_values(reader *rd, size_t i, bool bounded)
{
    const rc_tok *v = rd->t->v; /* in locals, as in read_rows */
    size_t n = rd->t->n;
    bool take = rd->cur >= 0 || rd->extra;
    size_t line = v[i].line;
    for (; i + 1 < n; i++) {
        const rc_tok *nx = &v[i + 1];
        if (nx->kind == RC_TEXT || nx->header || nx->line != line || (take && !push_val(rd, nx)))
            break;
        if (bounded)
            run_step(&rd->bound, nx);
    }
    return i;
}

/* false: stopped by the bound (the read cannot beat it) */
static bool read_rows(reader *rd)
{
    bool bounded = rd->bound.beat >= 0;
    /* the tokens in locals: the calls below may write memory, and the
     * compiler would load them again after each */
    const rc_tok *v = rd->t->v;
    size_t n = rd->t->n;
    for (size_t i = 0; i < n; i++) {
        const rc_tok *tk = &v[i];
        bool text = tk->kind == RC_TEXT && !tk->header;
        if (bounded && !text)
            run_step(&rd->bound, tk);
        if (tk->header)
            continue; /* a heading row, its blank cells included */
        if (bounded && text && !may_beat(rd))
            return false;
        if (tk->kind == RC_TEXT) {
            rd->last_text = (long)i;
            if (rd->pend_a == rd->pend_b)
                rd->pend_a = i;
            rd->pend_b = i + 1;
            resolve(rd, false);
            continue;
        }
        if (rd->pend_a < rd->pend_b)
            resolve(rd, true);
        /* words that named no row, right before values: a row of its own */
        if (rd->dropped == rd->last_text && rd->last_text >= 0 && tk->kind == RC_NUM && rd->started &&
            plausible_label(rd, (size_t)rd->last_text, i)) { /* the rare test first */
            close_row(rd);
            rd->cur = -1;
            rd->extra = &v[rd->last_text];
            rd->dropped = -1;
        }
        rd->pend_a = rd->pend_b = i + 1;
        if (tk->kind == RC_NUM)
            overflow(rd, i);
        if (tk->kind == RC_NUM)
            values_apart(rd, tk);
        bool taken = rd->cur < 0 && !rd->extra ? true : push_val(rd, tk);
        rd->bound.broken |= !taken;
        /* not while dropped words wait: a number may still find them a row */
        if (taken && !rd->plain && (rd->dropped != rd->last_text || rd->last_text < 0)) {
            i = line_values(rd, i, bounded);
            rd->pend_a = rd->pend_b = i + 1;
        }
    }
    close_row(rd);
    return true;
}

/* Does text token tk name this table (a marker or a row label)?  Column
 * words such as 总计 are shared with other tables and prove nothing. */
static bool names_table(const nb_table_def *d, const rc_tok *tk)
{
    for (size_t m = 0; m < d->markers.n; m++) {
        const char *c = d->markers.compact[m];
        if (*c && strstr(tk->compact, c))
            return true;
    }
    for (size_t r = 0; r < d->nrows; r++)
        for (size_t l = 0; l < d->rows[r].labels.n; l++) {
            const char *c = d->rows[r].labels.compact[l];
            if (*c && strstr(tk->compact, c))
                return true;
        }
    return false;
}

/* Is the line starting at token i values only, exactly `cells` of them
 * (blank cells at its end beyond that do not count)? */
static bool table_line(const rc_toks *t, size_t i, size_t cells)
{
    size_t j = i;
    while (j < t->n && t->v[j].line == t->v[i].line) {
        if (t->v[j].kind == RC_TEXT)
            return false;
        j++;
    }
    while (j - i > cells && t->v[j - 1].kind == RC_BLANK)
        j--;
    return j - i == cells;
}

/* Table 3 has no row labels: its values follow the header words. */
static void read_single_row(reader *rd)
{
    size_t start = rd->t->n;
    for (size_t i = 0; i < rd->t->n && start == rd->t->n; i++) {
        const rc_tok *tk = &rd->t->v[i];
        if (tk->kind == RC_TEXT && names_table(rd->g->def, tk)) {
            start = i;
            rd->matched++;
        }
    }
    if (start == rd->t->n)
        return;
    rd->started = true;
    size_t expect = 0;
    for (size_t row = 0; row < rd->g->def->nrows; row++)
        expect += rd->g->def->blocks[rd->g->def->rows[row].block].ncols;
    /* A printed row with exactly one cell per value is the table's row,
     * wherever it stands after the header (numbers of the narrative before
     * it are not), and keeps its blanks (§5.4). */
    bool structured = false;
    for (size_t i = start; i < rd->t->n && !structured; i++) {
        const rc_tok *tk = &rd->t->v[i];
        bool line_start = i == 0 || rd->t->v[i - 1].line != tk->line;
        if (tk->kind != RC_TEXT && tk->in_row && line_start && table_line(rd->t, i, expect)) {
            for (size_t q = i; q < i + expect; q++)
                push_val(rd, rd->t->v[q].kind == RC_NUM ? &rd->t->v[q] : NULL);
            structured = true;
        }
    }
    /* values one per line come in runs between header words (chunks) */
    bool *chunk_start = structured ? NULL : calloc(expect ? expect : 1, sizeof *chunk_start);
    bool words = false;
    for (size_t i = start; i < rd->t->n && !structured && rd->nvals < expect; i++) {
        words |= rd->t->v[i].kind == RC_TEXT;
        if (rd->t->v[i].kind != RC_NUM)
            continue;
        if (chunk_start)
            chunk_start[rd->nvals] = words;
        words = false;
        push_val(rd, &rd->t->v[i]);
    }
    bool any = false;
    for (size_t i = 0; i < rd->nvals; i++)
        any |= rd->vals[i] != NULL;
    rd->valued = any ? (int)rd->g->def->nrows : 0;
    if (rd->table)
        rc_place_single_row(rd->r, rd->table, rd->vals, rd->nvals, structured, chunk_start,
                            rd->table->def == rd->g->def ? rd->g->spans : NULL);
    free(chunk_start);
}

/* The markers not found yet, with the second and third bytes of each (a
 * set of pair_byte values) for a scan of a text that starts a compare
 * only where some marker can start: in CJK text those bytes tell the
 * characters of one lead byte apart, the first two do not.  The markers
 * may be several definitions' (owner: whose each is). */
typedef struct marker_set {
    const char *want[64];
    size_t len[64], n, min_len;
    uint16_t second[64];  /* each marker's second and third bytes, one load to compare */
    unsigned char owner[64];
    uint64_t firsts[4];
    bool short_one;     /* a marker of less than three bytes: the firsts do not apply */
} marker_set;

/* Marker m found: counted for its owner, it leaves the set. */
static void marker_found(marker_set *ms, size_t m, int *found)
{
    found[ms->owner[m]]++;
    ms->n--;
    ms->want[m] = ms->want[ms->n];
    ms->len[m] = ms->len[ms->n];
    ms->second[m] = ms->second[ms->n];
    ms->owner[m] = ms->owner[ms->n];
}

/* Does s (n bytes) hold want[m]?  Found ones leave the set (counted once,
 * for their owner). */
static void markers_in(marker_set *ms, const char *s, size_t n, int *found)
{
    if (ms->short_one) {
        for (size_t m = 0; m < ms->n; m++)
            if (n >= ms->len[m] && holds(s, n, ms->want[m], ms->len[m]))
                marker_found(ms, m--, found);
        return;
    }
    for (size_t p = 0; ms->n && p + ms->min_len <= n; p++) {
        if (((unsigned char)s[p] & 0xC0) == 0x80)
            continue; /* a marker (valid UTF-8) starts with no continuation byte */
        unsigned char b = pair_byte((unsigned char)s[p + 1], (unsigned char)s[p + 2]);
        if (!(ms->firsts[b >> 6] >> (b & 63) & 1))
            continue;
        uint16_t second;
        memcpy(&second, s + p + 1, 2);
        for (size_t m = 0; m < ms->n; m++)
            if (ms->second[m] == second && ms->len[m] <= n - p && memcmp(s + p, ms->want[m], ms->len[m]) == 0)
                marker_found(ms, m--, found);
    }
}

/* found[k]: how many of defs[k]'s markers some text token holds, for
 * the nd definitions at once (their markers 64 at most, nd 16 at most).
 * One pass over the tokens, each asked only for the markers not found yet. */
static void markers_found_all(const nb_table_def *const *defs, size_t nd, const rc_toks *t, int *found)
{
    marker_set ms = {.n = 0, .min_len = (size_t)-1};
    for (size_t k = 0; k < nd; k++) {
        found[k] = 0;
        for (size_t m = 0; m < defs[k]->markers.n; m++) {
            const char *c = defs[k]->markers.compact[m];
            size_t len = strlen(c);
            ms.want[ms.n] = c;
            if (len >= 3)
                memcpy(&ms.second[ms.n], c + 1, 2);
            ms.owner[ms.n] = (unsigned char)k;
            ms.len[ms.n++] = len;
            ms.min_len = len < ms.min_len ? len : ms.min_len;
            ms.short_one |= len < 3;
            if (len >= 3) {
                unsigned char b = pair_byte((unsigned char)c[1], (unsigned char)c[2]);
                ms.firsts[b >> 6] |= 1ull << (b & 63);
            }
        }
    }
    for (size_t i = 0; i < t->n && ms.n; i++)
        if (t->v[i].kind == RC_TEXT)
            markers_in(&ms, t->v[i].compact, t->v[i].compact_len, found);
}

/* How many of d's markers some text token holds. */
static int markers_found(const nb_table_def *d, const rc_toks *t)
{
    enum { MAX_MARKERS = 64 };
    int found = 0;
    if (d->markers.n <= MAX_MARKERS) {
        markers_found_all(&d, 1, t, &found);
        return found;
    }
    for (size_t m = 0; m < d->markers.n; m++) /* beyond the set: one strstr each */
        for (size_t i = 0; i < t->n; i++)
            if (t->v[i].kind == RC_TEXT && strstr(t->v[i].compact, d->markers.compact[m])) {
                found++;
                break;
            }
    return found;
}

void rc_markers_scores(const nb_table_def *const *defs, size_t nd, const rc_toks *t, int *out)
{
    size_t total = 0;
    for (size_t k = 0; k < nd; k++)
        total += defs[k]->markers.n;
    if (total <= 64 && nd <= 16)
        markers_found_all(defs, nd, t, out);
    else
        for (size_t k = 0; k < nd; k++)
            out[k] = markers_found(defs[k], t);
    for (size_t k = 0; k < nd; k++)
        out[k] *= 3;
}

/* The grammar of def for templates t: the one remembered on def, built
 * and published on first use.  A definition read against other templates
 * (not its own) gets a grammar of its own in *scratch (allocated here,
 * freed by the caller with rc_grammar_free). */
static const grammar *grammar_for(const nb_table_def *def, const nb_templates *t, grammar **scratch)
{
    struct rc_grammar **slot = &((nb_table_def *)def)->grammar; /* a cache, not the definition */
    grammar *g = __atomic_load_n(slot, __ATOMIC_ACQUIRE);
    if (g && g->owner == t)
        return g;
    if (g) {
        *scratch = malloc(sizeof **scratch);
        return *scratch && grammar_build(*scratch, def, t) ? *scratch : NULL;
    }
    grammar *fresh = malloc(sizeof *fresh);
    if (!fresh || !grammar_build(fresh, def, t)) {
        rc_grammar_free(fresh);
        return NULL;
    }
    grammar *expected = NULL;
    if (__atomic_compare_exchange_n(slot, &expected, fresh, false, __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE))
        return fresh;
    rc_grammar_free(fresh); /* another thread published first */
    return grammar_for(def, t, scratch);
}

const nb_table_def *rc_read_alike(const nb_table_def *def, const nb_templates *t)
{
    grammar *scratch = NULL;
    const grammar *g = grammar_for(def, t, &scratch);
    const nb_table_def *alike = g && g != scratch ? g->alike : NULL;
    rc_grammar_free(scratch);
    return alike;
}

/* rc_read_table; beat >= 0: rc_score_table's stop (scoring reads of rows
 * only); plain: without the short cuts (rc_read_table_plain). */
static int read_table(const nb_table_def *def, const rc_toks *t, nb_report *r, bool commit, rc_match_log *log,
                      int beat, bool plain, int markers)
{
    grammar *scratch = NULL;
    const grammar *g = grammar_for(def, r->templates, &scratch);
    if (!g) {
        rc_grammar_free(scratch);
        return -1;
    }
    reader rd = {.g = g, .t = t, .r = r, .cur = -1, .dropped = -1, .last_text = -1, .log = log, .bound.beat = -1,
                 .plain = plain};
    /* markers: 3 * markers_found, when known (else -1) */
    if (beat >= 0 && !commit && def->layout != NB_LAYOUT_SINGLE_ROW) {
        markers = markers >= 0 ? markers : 3 * markers_found(def, t);
        bound_start(&rd.bound, t, beat, markers);
    }
    /* the values and the rows' flags on the stack while they fit */
    const rc_tok *vals_room[VALS_ROOM];
    bool done_room[DONE_ROOM];
    rd.vals = rd.vals_room = vals_room;
    rd.capvals = VALS_ROOM;
    if (def->nrows <= DONE_ROOM)
        rd.done = def->nrows ? memset(done_room, 0, def->nrows * sizeof *done_room) : NULL;
    else
        rd.done = calloc(def->nrows, sizeof *rd.done);
    nb_error err;
    if (commit) {
        nb_error_clear(&err);
        if (nb_report_set_variant(r, def->name, def, &err) != NB_OK) {
            if (rd.done != done_room)
                free(rd.done);
            rc_grammar_free(scratch);
            return -1;
        }
        rd.table = nb_report_table(r, def->name);
    }
    bool whole = true;
    if (def->layout == NB_LAYOUT_SINGLE_ROW)
        read_single_row(&rd);
    else
        whole = read_rows(&rd);
    if (rd.table && rd.alts.n)
        rc_resolve_columns(r, rd.table, &rd.alts);
    if (rd.table)
        rc_lost_totals(r, rd.table, rd.table->def == def ? g->spans : NULL);
    if (rd.table)
        rc_keep_readings(r, rd.table, &rd.alts);
    free(rd.alts.v);
    if (rd.vals != vals_room)
        free(rd.vals);
    if (rd.done != done_room)
        free(rd.done);
    rc_grammar_free(scratch);
    if (!whole)
        return RC_SCORE_CUT;
    if (!rd.matched && !rd.valued)
        return 0;
    if (commit)
        return rd.matched + 2 * rd.valued; /* above 0 is all a commit tells */
    return rd.matched + 2 * rd.valued + (markers >= 0 ? markers : 3 * markers_found(def, t));
}

int rc_read_table(const nb_table_def *def, const rc_toks *t, nb_report *r, bool commit, rc_match_log *log)
{
    return read_table(def, t, r, commit, log, -1, false, -1);
}

int rc_read_table_plain(const nb_table_def *def, const rc_toks *t, nb_report *r)
{
    return read_table(def, t, r, true, NULL, -1, true, -1);
}

int rc_score_table(const nb_table_def *def, const rc_toks *t, nb_report *r, rc_match_log *log, int beat)
{
    return read_table(def, t, r, false, log, beat, false, -1);
}

int rc_score_table_m(const nb_table_def *def, const rc_toks *t, nb_report *r, rc_match_log *log, int beat,
                     int markers)
{
    return read_table(def, t, r, false, log, beat, false, markers);
}

int rc_read_table_once(const nb_table_def *def, const rc_toks *t, nb_report *r)
{
    int s = rc_read_table(def, t, r, true, NULL);
    if (s == 0) {
        /* nothing matched nor valued: a scoring read scores 0 (markers
         * alone do not count), nothing was placed, and the table stays as
         * if it had not been read */
        nb_error err;
        nb_error_clear(&err);
        nb_report_set_variant(r, def->name, NULL, &err);
    }
    return s;
}

int rc_commit_scored(const nb_table_def *def, const rc_toks *t, nb_report *r, int markers)
{
    int s = read_table(def, t, r, true, NULL, -1, false, -1);
    return s > 0 ? s + markers : s; /* a commit scores 0 where a scoring read does */
}

/* Through match_pending, the one caller of match (so that it stays
 * inlined there): a read whose pending text is one token. */
int rc_match_text(const nb_table_def *def, const nb_templates *t, const bool *done, const char *key,
                  const char *compact, size_t pos, bool ended, bool plain, long *hit)
{
    grammar *scratch = NULL;
    const grammar *g = grammar_for(def, t, &scratch);
    int m = -1;
    if (g) {
        pending pt;
        pending_of_text(&pt, key, compact);
        rc_tok tk = {.kind = RC_TEXT, .raw = (char *)compact, .compact = (char *)compact, .key = (char *)key,
                     .key_len = pt.key_len, .compact_len = pt.compact_len, .key_chars = pt.key_chars};
        memcpy(tk.ord, pt.ord, sizeof tk.ord);
        rc_toks toks = {.v = &tk, .n = 1};
        reader rd = {.g = g, .t = &toks, .done = (bool *)done, .pos = pos, .pend_b = 1, .plain = plain};
        *hit = -1;
        m = (int)match_pending(&rd, ended, hit);
    }
    rc_grammar_free(scratch);
    return m;
}
