/* html_table.c - cell text and tables as grids.
 *
 * Every <tr> of a data table becomes one row on the expanded grid
 * (rowspan/colspan as a browser lays them out): a merged cell's text sits
 * in the first position it covers and the other positions stay empty, so
 * a label is never duplicated and the values keep their columns.  Inside a
 * cell, <p>/<br>/<div> are soft breaks: `<p>商业</p><p>企业</p>` reads
 * 商业企业.  A table that holds another table is a layout table and is read
 * as blocks by the caller; the inner table is then a grid of its own. */
#include "html_priv.h"
#include "nianbao/text.h"
#include <stdlib.h>
#include <string.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

/* Text ------------------------------------------------------------------ */

static bool is_cjk(uint32_t c)
{
    return (c >= 0x2E80 && c <= 0x2FFF) || (c >= 0x3001 && c <= 0x31FF) || (c >= 0x3400 && c <= 0x4DBF) ||
           (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0xF900 && c <= 0xFAFF) || (c >= 0xFE30 && c <= 0xFE4F) ||
           (c >= 0xFF00 && c <= 0xFFEF) || (c >= 0x20000 && c <= 0x3FFFF);
}

static bool is_ws(uint32_t c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v' || c == 0xA0 ||
           c == 0x3000 || (c >= 0x2000 && c <= 0x200A) || c == 0x202F || c == 0x205F;
}

static bool is_invisible(uint32_t c)
{
    return c == 0x200B || c == 0x200C || c == 0x200D || c == 0x2060 || c == 0xFEFF || c == 0xAD || c < 0x09 ||
           (c > 0x0D && c < 0x20) || c == 0x7F;
}

/* Printable ASCII and U+3001..U+FEFE (CJK and full-width forms): neither
 * white space nor invisible, the usual case, settled in two comparisons. */
static bool is_plain(uint32_t c) { return (c > 0x20 && c < 0x7F) || (c >= 0x3001 && c < 0xFEFF); }

/* nb_utf8_next with ASCII and the three-byte forms of CJK inline. */
static size_t utf8_at(const char *s, size_t n, uint32_t *c)
{
    const unsigned char *u = (const unsigned char *)s;
    if (u[0] < 0x80) {
        *c = u[0];
        return 1;
    }
    if (u[0] >= 0xE1 && u[0] <= 0xEF && u[0] != 0xED && n >= 3 && (u[1] & 0xC0) == 0x80 &&
        (u[2] & 0xC0) == 0x80) {
        *c = (uint32_t)(u[0] & 0x0F) << 12 | (uint32_t)(u[1] & 0x3F) << 6 | (u[2] & 0x3F);
        return 3;
    }
    return nb_utf8_next(s, n, c);
}

#if defined(__SSE2__)
/* The bytes of s[at..at+16) that can begin a blank or invisible character
 * (bytes <= ' ', DEL, C2 for U+00A0/U+00AD, E2 for U+2000-U+2060, E3 80 80
 * for U+3000, EF BB BF for U+FEFF), as a mask; every other byte, invalid
 * UTF-8 included, is part of a visible character.  Reads s[at..at+18). */
static inline unsigned unsafe_bytes(const char *s, size_t at)
{
    const __m128i space = _mm_set1_epi8(' '), del = _mm_set1_epi8(0x7F), c2 = _mm_set1_epi8((char)0xC2);
    const __m128i e2 = _mm_set1_epi8((char)0xE2), e3 = _mm_set1_epi8((char)0xE3), x80 = _mm_set1_epi8((char)0x80);
    const __m128i ef = _mm_set1_epi8((char)0xEF), bb = _mm_set1_epi8((char)0xBB), bf = _mm_set1_epi8((char)0xBF);
    __m128i v = _mm_loadu_si128((const __m128i *)(s + at));
    __m128i v1 = _mm_loadu_si128((const __m128i *)(s + at + 1));
    __m128i v2 = _mm_loadu_si128((const __m128i *)(s + at + 2));
    __m128i bad = _mm_or_si128(_mm_cmpeq_epi8(_mm_min_epu8(v, space), v), _mm_cmpeq_epi8(v, del));
    bad = _mm_or_si128(bad, _mm_or_si128(_mm_cmpeq_epi8(v, c2), _mm_cmpeq_epi8(v, e2)));
    __m128i ideo = _mm_and_si128(_mm_cmpeq_epi8(v, e3), _mm_and_si128(_mm_cmpeq_epi8(v1, x80), _mm_cmpeq_epi8(v2, x80)));
    __m128i bom = _mm_and_si128(_mm_cmpeq_epi8(v, ef), _mm_and_si128(_mm_cmpeq_epi8(v1, bb), _mm_cmpeq_epi8(v2, bf)));
    return (unsigned)_mm_movemask_epi8(_mm_or_si128(bad, _mm_or_si128(ideo, bom)));
}

/* Where the visible span from i (a character boundary) ends, sixteen bytes
 * a step: the first byte unsafe_bytes marks, or n - 2 when there is none
 * before it (the last two bytes are the caller's).  Needs i + 18 <= n; the
 * last step overlaps the one before, so that no tail is left byte-wise. */
static size_t safe_end(const char *s, size_t i, size_t n)
{
    for (; i + 18 <= n; i += 16) {
        unsigned m = unsafe_bytes(s, i);
        if (m)
            return i + (size_t)__builtin_ctz(m);
    }
    if (i + 2 >= n)
        return i;
    size_t at = n - 18; /* < i: bytes before i were looked at */
    unsigned m = unsafe_bytes(s, at) & (~0u << (i - at));
    return m ? at + (size_t)__builtin_ctz(m) : n - 2;
}
#endif

/* Skips the visible characters after one at s[i - 1 ...] (i a boundary):
 * returns the boundary to go on from (a byte that is not a UTF-8
 * continuation, so the byte-wise reading has a boundary there too) and
 * sets *last to the character before it.  i when there is no long span. */
static size_t skip_visible(const char *s, size_t i, size_t n, uint32_t *last)
{
#if defined(__SSE2__)
    size_t j = safe_end(s, i, n);
    while (j > i && ((unsigned char)s[j] & 0xC0) == 0x80)
        j--;
    if (j <= i)
        return i;
    size_t l = j - 1; /* the lead of the last character before j */
    while (l > i && ((unsigned char)s[l] & 0xC0) == 0x80)
        l--;
    uint32_t c;
    size_t k = utf8_at(s + l, n - l, &c);
    *last = l + k == j ? c : 0xFFFD; /* else lone continuation bytes end the span */
    return j;
#else
    (void)s, (void)n, (void)last;
    return i;
#endif
}

/* Appends s[0..n) to t's text: a run is a few bytes (a digit, a word), so
 * with room at hand it is copied here rather than through memcpy. */
static inline bool put_run(ht_text *t, const char *s, size_t n)
{
    strbuf *b = &t->b;
    if (n > 16 || b->cap - b->len <= n)
        return strbuf_add(b, s, n);
    for (size_t i = 0; i < n; i++)
        b->s[b->len + i] = s[i];
    b->len += n;
    b->s[b->len] = '\0';
    return true;
}

/* A short text of visible characters only, ASCII and the three-byte
 * U+4000-U+9FFF (a number, a label: most cells), read as text_add_any
 * reads it, without its loop; false (nothing changed) for any other text
 * or when the buffer lacks room. */
static inline bool short_plain(ht_text *t, const char *s, size_t n, int line)
{
    const unsigned char *u = (const unsigned char *)s;
    if (n == 0 || n > 24 || t->b.cap - t->b.len <= n + 1) /* + 1: a separator */
        return false;
    uint32_t first = 0, last = 0;
    for (size_t i = 0; i < n;) {
        if (u[i] - 0x21u < 0x5Eu)
            last = u[i++];
        else if (u[i] - 0xE4u < 6u && n - i >= 3 && (u[i + 1] & 0xC0) == 0x80 && (u[i + 2] & 0xC0) == 0x80) {
            last = (uint32_t)(u[i] & 0x0F) << 12 | (uint32_t)(u[i + 1] & 0x3F) << 6 | (u[i + 2] & 0x3F);
            i += 3;
        } else
            return false;
        if (!first)
            first = last;
    }
    char *o = t->b.s + t->b.len;
    if (t->b.len > t->start) { /* the first character's separator, as below */
        bool glue = is_cjk(t->last) && is_cjk(first);
        if ((t->brk || t->newline) ? !glue : t->space)
            *o++ = ' ';
    } else
        t->line = line;
    t->space = t->newline = t->brk = false;
    for (size_t i = 0; i < n; i++)
        o[i] = s[i];
    o[n] = '\0';
    t->b.len = (size_t)(o + n - t->b.s);
    t->last = last;
    return true;
}

static bool text_add_any(ht_text *t, const char *s, size_t n, int line);

bool ht_text_add(ht_text *t, const char *s, size_t n, int line)
{
    return short_plain(t, s, n, line) || text_add_any(t, s, n, line);
}

/* Visible characters are copied in runs: only the first of a run can need
 * a separator, since each visible character clears the pending space.
 * After a visible character, long runs of them are skipped sixteen bytes a
 * step (skip_visible). */
static __attribute__((noinline)) bool text_add_any(ht_text *t, const char *s, size_t n, int line)
{
    size_t run = 0, i = 0; /* s[run..i): visible, not yet copied */
    while (i < n) {
        uint32_t c;
        size_t k = utf8_at(s + i, n - i, &c);
        if (!is_plain(c) && (is_ws(c) || is_invisible(c))) {
            if (i > run && !put_run(t, s + run, i - run))
                return false;
            if (is_ws(c)) {
                t->space = true;
                t->newline |= c == '\n';
            }
            i += k;
            run = i;
            continue;
        }
        if (run == i) {
            if (t->b.len > t->start) {
                bool glue = is_cjk(t->last) && is_cjk(c);
                if ((t->brk || t->newline) ? !glue : t->space) {
                    if (!strbuf_add(&t->b, " ", 1))
                        return false;
                }
            } else
                t->line = line;
            t->space = t->newline = t->brk = false;
        }
        t->last = c;
        i += k;
        if (n - i >= 18)
            i = skip_visible(s, i, n, &t->last);
    }
    return i <= run || put_run(t, s + run, i - run);
}

void ht_text_break(ht_text *t) { t->brk = true; }

void ht_text_reset(ht_text *t)
{
    t->b.len = 0;
    if (t->b.s)
        t->b.s[0] = '\0';
    ht_text_begin(t);
}

void ht_text_begin(ht_text *t)
{
    t->start = t->b.len;
    t->last = 0;
    t->space = t->newline = t->brk = false;
    t->line = 0;
}

/* A child's text: a text node (the usual child, a para one with its
 * breaks) without a call of ht_collect_text. */
static inline bool collect_child(const ht_node *c, ht_text *t, int depth)
{
    if (c->tag[0])
        return ht_collect_text(c, t, depth);
    if (c->para)
        ht_text_break(t);
    bool ok = ht_text_add(t, c->text, c->textlen, c->line);
    if (c->para)
        ht_text_break(t);
    return ok;
}

bool ht_collect_text(const ht_node *n, ht_text *t, int depth)
{
    if (depth > HT_MAX_DEPTH + 8)
        return true;
    if (!n->tag[0]) { /* a para text: the breaks of its <p> around it */
        if (n->para)
            ht_text_break(t);
        bool ok = ht_text_add(t, n->text, n->textlen, n->line);
        if (n->para)
            ht_text_break(t);
        return ok;
    }
    if (ht_dropped(n))
        return true;
    if (ht_is(n, HT_br)) {
        ht_text_break(t);
        return true;
    }
    bool block = ht_has(n, HT_F_BLOCK);
    if (block)
        ht_text_break(t);
    for (const ht_node *c = n->first; c; c = c->next)
        if (!collect_child(c, t, depth + 1))
            return false;
    if (block)
        ht_text_break(t);
    return true;
}

/* Grid ------------------------------------------------------------------ */

bool ht_table_is_layout(const ht_node *table) { return table->ntables > 1; }

typedef struct nodes {
    const ht_node **v;
    size_t n, cap;
} nodes;

static bool push_node(nodes *l, const ht_node *n)
{
    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 16;
        const ht_node **v = realloc(l->v, cap * sizeof *v);
        if (!v)
            return false;
        l->v = v;
        l->cap = cap;
    }
    l->v[l->n++] = n;
    return true;
}

/* The <tr>s of this table (not of tables inside it), in document order. */
static bool collect_rows(const ht_node *n, nodes *rows, int depth)
{
    for (const ht_node *c = n->first; c; c = c->next) {
        if (!c->tag[0] || ht_dropped(c) || ht_is(c, HT_table) || ht_is(c, HT_td) || ht_is(c, HT_th))
            continue;
        if (ht_is(c, HT_tr)) {
            if (!push_node(rows, c))
                return false;
        } else if (depth < HT_MAX_DEPTH && !collect_rows(c, rows, depth + 1))
            return false;
    }
    return true;
}

static bool collect_cells(const ht_node *n, nodes *cells, int depth)
{
    for (const ht_node *c = n->first; c; c = c->next) {
        if (!c->tag[0] || ht_dropped(c) || ht_is(c, HT_table) || ht_is(c, HT_tr))
            continue;
        if (ht_is(c, HT_td) || ht_is(c, HT_th)) {
            if (!push_node(cells, c))
                return false;
        } else if (depth < HT_MAX_DEPTH && !collect_cells(c, cells, depth + 1))
            return false;
    }
    return true;
}

/* A cell's text, collected after the row's earlier cells' texts in all
 * (each ended by a NUL): one buffer for the row, no copy per cell.  Its
 * offset in all->b. */
static bool cell_text(const ht_node *cell, ht_text *all, size_t *off)
{
    ht_text_begin(all);
    for (const ht_node *c = cell->first; c; c = c->next)
        if (!collect_child(c, all, 1))
            return false;
    *off = all->start;
    return strbuf_add(&all->b, "", 1); /* its NUL, kept */
}

static bool emit_caption(const ht_node *table, nb_doc *doc)
{
    for (const ht_node *c = table->first; c; c = c->next) {
        if (!ht_is(c, HT_caption))
            continue;
        ht_text t = {0};
        bool ok = ht_collect_text(c, &t, 1);
        if (ok && t.b.len)
            ok = nb_doc_add_text(doc, NB_LINE_TEXT, 0, c->line, t.b.s, t.b.len) == NB_OK;
        strbuf_free(&t.b);
        if (!ok)
            return false;
    }
    return true;
}

/* The grid as it is laid out, a row at a time: rows above can only reach
 * down, so a row is final once its own cells are placed and is emitted
 * then, with no grid kept.  A position (r, x) is covered when some cell
 * placed so far (all in rows <= r) reaches row r there: cover[x], the
 * furthest row end of the cells over column x, is > r.  width[y] is the
 * furthest column end of the cells over row y. */
typedef struct grid {
    size_t cover[HT_MAX_COLS];
    size_t *width;   /* per row */
    size_t nrows;
    size_t marks;    /* grid positions covered so far (HT_MAX_GRID) */
    size_t start[HT_MAX_COLS], off[HT_MAX_COLS]; /* the row's cells: column, text */
    size_t ncells;
    ht_text text;    /* the row's cell texts, one after another */
} grid;

/* A document's tables share one grid, its lists and its text buffer:
 * made at the first table, cleared for each next one, freed with the
 * reading, so that a table costs no allocation once they have grown. */
struct ht_tables {
    grid g;
    nodes rows, cells;
    size_t wcap; /* rows g.width has room for */
};

void ht_tables_free(ht_tables *s)
{
    if (!s)
        return;
    free(s->g.width);
    strbuf_free(&s->g.text.b);
    free(s->rows.v);
    free(s->cells.v);
    free(s);
}

/* Not calloc: the grid's arrays (6 KB) are cleared or written as a table
 * uses them. */
static ht_tables *tables_new(void)
{
    ht_tables *s = malloc(sizeof *s);
    if (s) {
        s->g.width = NULL;
        s->g.text = (ht_text){0};
        s->rows = s->cells = (nodes){0};
        s->wcap = 0;
    }
    return s;
}

/* s's grid cleared for a table of nrows rows (its buffers kept). */
static bool grid_reset(ht_tables *s, size_t nrows)
{
    grid *g = &s->g;
    if (nrows > s->wcap) {
        size_t *w = realloc(g->width, nrows * sizeof *w);
        if (!w)
            return false;
        g->width = w;
        s->wcap = nrows;
    }
    memset(g->cover, 0, sizeof g->cover);
    if (nrows)
        memset(g->width, 0, nrows * sizeof *g->width);
    g->nrows = nrows;
    g->marks = 0;
    return true;
}

/* Places row r's cells and collects their texts. */
static bool place_row(grid *g, const nodes *cells, size_t r)
{
    size_t col = 0, *width = g->width;
    g->ncells = 0;
    g->text.b.len = 0;
    for (size_t i = 0; i < cells->n; i++) {
        const ht_node *c = cells->v[i];
        while (col < width[r] && g->cover[col] > r)
            col++;
        if (col >= HT_MAX_COLS)
            break;
        size_t cs = (size_t)c->colspan, rs = c->rowspan == 0 ? g->nrows - r : (size_t)c->rowspan;
        if (cs > HT_MAX_COLS - col)
            cs = HT_MAX_COLS - col;
        if (rs > g->nrows - r)
            rs = g->nrows - r;
        if (rs < 1 || g->marks + rs * cs > HT_MAX_GRID)
            rs = 1;
        for (size_t y = r; y < r + rs; y++)
            if (width[y] < col + cs)
                width[y] = col + cs;
        for (size_t x = col; x < col + cs; x++)
            if (g->cover[x] < r + rs)
                g->cover[x] = r + rs;
        g->marks += rs * cs;
        if (!cell_text(c, &g->text, &g->off[g->ncells]))
            return false;
        g->start[g->ncells++] = col;
        col += cs;
    }
    return true;
}

/* Emits row r as placed (nothing when no cell has text): grid positions
 * without a cell's start empty, or left out when printed_only. */
static bool emit_row(const grid *g, size_t r, int line, bool printed_only, nb_doc *doc)
{
    const char *s = g->text.b.s;
    bool any = false;
    for (size_t k = 0; k < g->ncells; k++)
        any |= s[g->off[k]] != '\0';
    if (!any)
        return true; /* an empty row says nothing */
    const char *v[HT_MAX_COLS];
    size_t nv = 0;
    if (printed_only)
        for (size_t k = 0; k < g->ncells; k++)
            v[nv++] = s + g->off[k];
    else
        for (size_t x = 0, k = 0; x < g->width[r]; x++)
            v[nv++] = k < g->ncells && g->start[k] == x ? s + g->off[k++] : "";
    return nb_doc_add(doc, NB_LINE_ROW, 0, line, v, nv) == NB_OK;
}

static bool emit(const ht_node *table, ht_tables **scratch, nb_doc *doc, bool printed_only)
{
    if (!emit_caption(table, doc))
        return false;
    if (!*scratch && !(*scratch = tables_new()))
        return false;
    ht_tables *s = *scratch;
    s->rows.n = 0;
    bool ok = collect_rows(table, &s->rows, 0) && grid_reset(s, s->rows.n);
    for (size_t r = 0; ok && r < s->rows.n; r++) {
        s->cells.n = 0;
        ok = collect_cells(s->rows.v[r], &s->cells, 0) && place_row(&s->g, &s->cells, r) &&
             emit_row(&s->g, r, s->rows.v[r]->line, printed_only, doc);
    }
    return ok;
}

bool ht_table_emit(const ht_node *table, ht_tables **scratch, nb_doc *doc)
{
    return emit(table, scratch, doc, false);
}

bool ht_table_emit_cells(const ht_node *table, ht_tables **scratch, nb_doc *doc)
{
    return emit(table, scratch, doc, true);
}
