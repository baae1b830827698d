/* recognise_units.c - the document as units (cells) with a compact form
 * for matching, and the way back from a compact offset to the text's. */
#include "recognise_internal.h"
#include <stdlib.h>
#include <string.h>

/* Compact byte offset -> text byte offset, and the first compact offset
 * at or after a text offset, for callers that ask in increasing order.
 * The walks resume from w when w lies on the way to the answer:
 * both maps are monotonic, and a walk's path does not depend on where it
 * stops, so a place it passed (text offset, compact bytes before it) is a
 * place every longer walk passes too.  The section search asks in
 * increasing order, so its walks over a long line add up to one pass
 * instead of one per heading from the line's start. */
static size_t walk_from(const rc_unit *u, rc_walk *w, size_t ui, bool resume, size_t off_limit, size_t co_limit)
{
    if (w->unit != ui || !resume)
        *w = (rc_walk){ui, 0, 0};
    size_t produced, at = w->off + nb_text_compact_walk(u->text + w->off, u->len - w->off, off_limit - w->off,
                                                         co_limit - w->co, &produced);
    w->off = at;
    w->co += produced;
    return at;
}

/* A unit that is its own compact form (compact_unit) has one offset in
 * both: a walk over it ends at a character start it finds without
 * reading the text, back from co (ahead: forward from it). */
static size_t walk_same(const rc_unit *u, rc_walk *w, size_t ui, size_t at, bool ahead)
{
    const unsigned char *t = (const unsigned char *)u->text;
    if (at > u->len)
        at = u->len;
    while (at < u->len && at && (t[at] & 0xC0) == 0x80)
        at += ahead ? 1 : (size_t)-1;
    *w = (rc_walk){ui, at, at};
    return at;
}

size_t rc_walk_offset(const rc_doc *d, rc_walk *w, size_t ui, size_t co)
{
    const rc_unit *u = &d->u[ui];
    if (u->compact == u->text)
        return walk_same(u, w, ui, co, false);
    return walk_from(u, w, ui, w->co <= co, u->len, co);
}

size_t rc_walk_compact_at(const rc_doc *d, rc_walk *w, size_t ui, size_t off)
{
    const rc_unit *u = &d->u[ui];
    if (u->compact == u->text)
        return walk_same(u, w, ui, off, true);
    walk_from(u, w, ui, w->off <= off, off, (size_t)-1);
    return w->co;
}

/* compact_unit of a cell that compacting changes (few: prose, cells
 * with spaces or full-width forms), out of the units' loop. */
__attribute__((noinline)) static bool compact_copy(nb_arena *a, rc_unit *u, size_t kept)
{
    u->compact_chars = RC_CHARS_UNKNOWN; /* counted when asked */
    char *c = nb_arena_alloc(a, NB_TEXT_FOLD_ROOM(u->len));
    if (!c)
        return false;
    bool dropped;
    u->compact_len = nb_text_compact_after(u->text, u->len, kept, c, &u->fold_same, &dropped);
    u->compact_folded = !dropped;
    u->compact = nb_arena_trim(a, c, u->compact_len + 1);
    return true;
}

/* nb_text_compact of a cell whose kept prefix (nb_text_kept_prefix_chars)
 * is k, in the document's arena: one chunk holds many cells' compact
 * forms instead of a malloc each.  u comes as its own compact form that
 * folds to itself (the tokeniser then copies the cell instead of folding
 * it); sets u->len. */
static bool compact_unit(nb_arena *a, rc_unit *u, nb_kept k)
{
    size_t kept = k.bytes;
    /* one pass over most cells: the kept prefix ends at their NUL */
    u->len = u->text[kept] ? kept + strlen(u->text + kept) : kept;
    if (kept == u->len) {
        /* numbers, words: most cells are their own compact form (compact
         * is text only here: the tokeniser reads it as "all kept") */
        u->compact_len = u->len;
        u->compact_chars = k.chars;
        return true;
    }
    return compact_copy(a, u, kept);
}

/* nb_text_kept_prefix_chars(s), a cell of digits alone (most of a
 * table: kept, one character a byte) told without the call. */
static inline nb_kept kept_prefix(const char *s)
{
    size_t n = 0;
    while (s[n] >= '0' && s[n] <= '9')
        n++;
    return s[n] ? nb_text_kept_prefix_chars(s) : (nb_kept){n, n};
}

/* Is s blank (spaces and tabs only)?  kept: its kept prefix, which holds
 * neither, so a cell with one is filled without a look. */
static bool blank_cell(const char *s, size_t kept)
{
    if (kept)
        return false;
    while (*s == ' ' || *s == '\t')
        s++;
    return *s == '\0';
}

/* The units of line i, from d->u[d->n] on: one pass over its cells. */
static bool add_line_units(rc_doc *d, const nb_doc_line *l, size_t i)
{
    rc_unit *v = &d->u[d->n];
    size_t filled = 0;
    bool heading = l->kind == NB_LINE_HEADING, text = l->kind == NB_LINE_TEXT, row = l->kind == NB_LINE_ROW;
    for (size_t j = 0; j < l->ncells; j++) {
        rc_unit *u = &v[j];
        const char *s = l->cells[j];
        *u = (rc_unit){.text = s, .compact = s, .lineno = l->lineno, .cell = (int)j, .line = i, .row = row,
                       .heading = heading, .fold_same = true};
        if (!*s) {
            /* an empty cell (a quarter of a report's): its own compact
             * form, of no byte, and neither filled nor scanned */
            u->blank_line = text;
            continue;
        }
        nb_kept kept = kept_prefix(s);
        filled += !blank_cell(s, kept.bytes);
        if (!compact_unit(&d->strings, u, kept))
            return false;
    }
    d->n += l->ncells;
    /* Positions only mean something in a line with two or more filled
     * cells, or a label followed by a row of empty cells; "\t0" lines
     * (one cell per line, indented) are not rows.  Most row lines are:
     * their units were filled as rows, the others' are unmarked. */
    if (row && !(filled >= 2 || (filled == 1 && l->ncells >= 4)))
        for (size_t j = 0; j < l->ncells; j++)
            v[j].row = false;
    return true;
}

bool rc_doc_build(rc_doc *d, const nb_doc *doc, const nb_lexicon *lex)
{
    memset(d, 0, sizeof *d);
    d->doc = doc;
    d->lex = lex;
    size_t cap = doc->ncells;
    /* a unit per cell: one allocation for all */
    if (cap && !(d->u = malloc(cap * sizeof *d->u)))
        return false;
    for (size_t i = 0; i < doc->nlines; i++)
        if (!add_line_units(d, &doc->lines[i], i))
            return false;
    for (int i = 0; i < 6; i++)
        d->sec_start[i] = d->sec_body[i] = (rc_pos){d->n, 0};
    d->end = d->n;
    return true;
}

void rc_doc_free(rc_doc *d)
{
    nb_arena_free(&d->strings);
    free(d->u);
    for (int i = 0; i < 6; i++)
        free(d->sec_title[i]);
    memset(d, 0, sizeof *d);
}

int rc_pos_cmp(rc_pos a, rc_pos b)
{
    if (a.unit != b.unit)
        return a.unit < b.unit ? -1 : 1;
    return (a.off > b.off) - (a.off < b.off);
}
