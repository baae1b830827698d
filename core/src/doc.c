/* doc.c - the line/cell document and the splitter shared by text readers. */
#include "doc_internal.h"
#include "text_internal.h"
#include "util.h"
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

nb_doc *nb_doc_new(const char *name)
{
    nb_doc *d = calloc(1, sizeof *d);
    if (d)
        d->name = nb_strdup(name ? name : "");
    return d;
}

struct nb_doc_chunk {
    nb_doc_chunk *next;
    size_t used, cap;
    _Alignas(max_align_t) char mem[];
};

#define DOC_CHUNK 16384

/* doc_alloc when the current chunk has no room for n (rounded) bytes.
 * A block larger than a quarter chunk gets a chunk of its own behind the
 * current one, which stays in use for the small lines that follow. */
__attribute__((noinline)) static void *doc_alloc_chunk(nb_doc *d, size_t n)
{
    nb_doc_chunk *c = d->chunks;
    bool own = n > DOC_CHUNK / 4;
    nb_doc_chunk *nc = malloc(sizeof *nc + (own ? n : DOC_CHUNK));
    if (!nc)
        return NULL;
    nc->used = n;
    nc->cap = own ? n : DOC_CHUNK;
    if (own && c) {
        nc->next = c->next;
        c->next = nc;
    } else {
        nc->next = c;
        d->chunks = nc;
    }
    return nc->mem;
}

/* n bytes aligned for a pointer array: most are taken from the current
 * chunk, in line (a line's call cost more than the bump). */
static inline __attribute__((always_inline)) void *doc_alloc(nb_doc *d, size_t n)
{
    n = (n + sizeof(char *) - 1) & ~(sizeof(char *) - 1);
    nb_doc_chunk *c = d->chunks;
    if (c && c->cap - c->used >= n) {
        void *p = c->mem + c->used;
        c->used += n;
        return p;
    }
    return doc_alloc_chunk(d, n);
}

void nb_doc_free(nb_doc *d)
{
    if (!d)
        return;
    for (nb_doc_chunk *c = d->chunks, *next; c; c = next) {
        next = c->next;
        free(c);
    }
    free(d->lines);
    free(d->name);
    free(d->encoding);
    free(d);
}

void nb_doc_set_encoding(nb_doc *d, const char *enc)
{
    free(d->encoding);
    d->encoding = nb_strdup(enc);
}

/* A piece of a source line: a cell before it is copied. */
typedef struct span {
    const char *s;
    size_t len; /* up to the first NUL: a cell is a C string */
} span;

static span span_of(const char *s, size_t len)
{
    const char *nul = memchr(s, '\0', len);
    return (span){s, nul ? (size_t)(nul - s) : len};
}

/* Adds a line of n cells and returns its pointer array (n slots, or one
 * NULL when n is 0), followed by `bytes` more for the caller: one block
 * of the document's chunks.  Always inlined: a call a line, with its
 * saved registers, cost more than the line's bookkeeping. */
static inline __attribute__((always_inline)) char **new_line(nb_doc *d, nb_line_kind kind, int level, int lineno, size_t n, size_t bytes)
{
    if (d->nlines >= NB_DOC_MAX_CELLS || n > NB_DOC_MAX_CELLS - d->ncells) {
        d->over = true; /* the callers stop, or drop the line: see nb_doc_add */
        return NULL;
    }
    if (d->nlines == d->cap && !nb_grow((void **)&d->lines, &d->cap, d->nlines, sizeof *d->lines))
        return NULL;
    size_t slots = n ? n : 1;
    char **cells = doc_alloc(d, slots * sizeof(char *) + bytes);
    if (!cells)
        return NULL;
    if (!n)
        cells[0] = NULL;
    nb_doc_line *l = &d->lines[d->nlines++];
    d->ncells += n;
    l->cells = cells;
    l->ncells = n;
    l->kind = kind;
    l->level = level;
    l->lineno = lineno;
    return cells;
}

/* Cells of a split line: on the stack when few, else on the heap. */
typedef struct spans {
    span *v, local[32];
    size_t n, cap;
} spans;

/* spans_push when l is full: its list moves to (or grows on) the heap. */
__attribute__((noinline)) static bool spans_grow_push(spans *l, span x)
{
    size_t cap = l->cap * 2;
    span *v = l->v == l->local ? malloc(cap * sizeof *v) : realloc(l->v, cap * sizeof *v);
    if (!v)
        return false;
    if (l->v == l->local)
        memcpy(v, l->local, sizeof l->local);
    l->v = v;
    l->cap = cap;
    l->v[l->n++] = x;
    return true;
}

/* In line: a row's cells are a few bytes each, and a call a cell cost
 * more than the cell. */
static inline bool spans_push(spans *l, span x)
{
    if (l->n == l->cap)
        return spans_grow_push(l, x);
    l->v[l->n++] = x;
    return true;
}

/* An empty list: its local array is left as it is (spans_push fills it
 * in order; zeroing its 32 slots cost more than most lines). */
static void spans_init(spans *l)
{
    l->v = l->local;
    l->n = 0;
    l->cap = sizeof l->local / sizeof *l->local;
}

static void spans_free(spans *l)
{
    if (l->v != l->local)
        free(l->v);
}

/* One pass over the cells: each copied as its length is found, into a
 * block of its own from the document's chunks (a bump), not listed first
 * to size one block for the line. */
nb_status nb_doc_add(nb_doc *d, nb_line_kind kind, int level, int lineno,
                     const char *const *cells, size_t ncells)
{
    char **out = new_line(d, kind, level, lineno, ncells, 0);
    if (!out)
        return d->over ? NB_OK : NB_FATAL;
    for (size_t i = 0; i < ncells; i++) {
        const char *c = cells[i] ? cells[i] : "";
        size_t n = strlen(c) + 1;
        if (!(out[i] = doc_alloc(d, n))) {
            d->nlines--; /* the line is not added: its cells are not all there */
            d->ncells -= ncells;
            return NB_FATAL;
        }
        memcpy(out[i], c, n);
        nb_text_clean(out[i], n - 1); /* a reader's own text: as a decoded one (text_clean.c) */
    }
    return NB_OK;
}

nb_status nb_doc_add_text(nb_doc *d, nb_line_kind kind, int level, int lineno, const char *s,
                          size_t len)
{
    span one = span_of(s, len);
    char **cells = new_line(d, kind, level, lineno, 1, one.len + 1); /* the cell after its pointer */
    if (!cells)
        return d->over ? NB_OK : NB_FATAL;
    cells[0] = (char *)(cells + 1);
    memcpy(cells[0], one.s, one.len);
    cells[0][one.len] = '\0';
    nb_text_clean(cells[0], one.len);
    return NB_OK;
}

/* Most tab rows' cells: no room for more puts them the slow way. */
#define TAB_ROW_FAST 64

/* One nb_doc_split_text: what it knows of the whole text, so that a line
 * costs no search the text as a whole has already answered. */
typedef struct splitter {
    nb_doc *d;
    unsigned flags;
    const char *text;
    size_t len;
    char *copy;      /* the document's copy of text: cells are cut in it */
    bool nuls;       /* the text holds a NUL: cells are cut at it */
    bool tabs;       /* tabs cut cells, and the text holds one */
    size_t nt;       /* the current line's tabs (TAB_ROW_FAST + 1: more) */
    size_t at[TAB_ROW_FAST]; /* their offsets in the line, the first TAB_ROW_FAST */
} splitter;

/* A cell of the text: cut at its first NUL, when the text has any. */
static span cell_of(const splitter *sp, const char *s, size_t len)
{
    return sp->nuls ? span_of(s, len) : (span){s, len};
}

/* Adds a line whose cells are v[0..n) (spans of the text): each is its
 * place in the document's copy of the text, ended there by a NUL written
 * over what follows it (a separator, a blank or the line's end: never a
 * byte of another cell).  Cells cost no copy of their own. */
static nb_status add_views(const splitter *sp, nb_line_kind kind, int level, int lineno, const span *v, size_t n)
{
    char **cells = new_line(sp->d, kind, level, lineno, n, 0);
    if (!cells)
        return NB_FATAL;
    for (size_t i = 0; i < n; i++) {
        char *c = sp->copy + (v[i].s - sp->text);
        c[v[i].len] = '\0';
        cells[i] = c;
    }
    return NB_OK;
}

/* add_views of one cell, c: most lines are one (text, headings), and the
 * general loop's frame cost more than the line. */
static inline nb_status add_view(const splitter *sp, nb_line_kind kind, int level, int lineno, span c)
{
    char **cells = new_line(sp->d, kind, level, lineno, 1, 0);
    if (!cells)
        return NB_FATAL;
    char *p = sp->copy + (c.s - sp->text);
    p[c.len] = '\0';
    cells[0] = p;
    return NB_OK;
}

#if defined(__SSE2__)
/* The separators among line[b, b + 16) as bits. */
static inline unsigned sep_bits(const char *line, size_t b, char sep)
{
    return (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(_mm_loadu_si128((const __m128i *)(line + b)), _mm_set1_epi8(sep)));
}

/* The cells ended by the separators of bits m (line[b + bit]). */
static inline bool push_cells(const splitter *sp, const char *line, size_t b, unsigned m, size_t *start, spans *out)
{
    for (; m; m &= m - 1) {
        size_t end = b + (size_t)__builtin_ctz(m);
        if (!spans_push(out, cell_of(sp, line + *start, end - *start)))
            return false;
        *start = end + 1;
    }
    return true;
}
#endif

/* Splits line[0..len) on sep, each cell cut at a NUL.  The separators
 * are found sixteen bytes a compare where SSE2 is (a row's cells are a
 * few bytes each: a memchr a cell cost more than the cell); the bytes
 * after the last whole block are read in the line's last sixteen, those
 * already read masked off (a byte loop there cost more than the row's
 * blocks). */
static bool split(const splitter *sp, const char *line, size_t len, char sep, spans *out)
{
    size_t start = 0, k = 0;
#if defined(__SSE2__)
    for (; k + 16 <= len; k += 16)
        if (!push_cells(sp, line, k, sep_bits(line, k, sep), &start, out))
            return false;
    if (k < len && len >= 16) {
        size_t b = len - 16;
        if (!push_cells(sp, line, b, sep_bits(line, b, sep) & (~0u << (k - b)), &start, out))
            return false;
        k = len;
    }
#endif
    for (; k < len; k++)
        if (line[k] == sep) {
            if (!spans_push(out, cell_of(sp, line + start, k - start)))
                return false;
            start = k + 1;
        }
    return spans_push(out, cell_of(sp, line + start, len - start));
}

static bool is_md_rule(span c)
{
    bool dash = false;
    for (size_t i = 0; i < c.len; i++) {
        if (c.s[i] == '-')
            dash = true;
        else if (c.s[i] != ':' && c.s[i] != ' ')
            return false;
    }
    return dash;
}

/* Between two pointers: the span's start and length both changed a
 * blank cost twice the compares. */
static span trim_blanks(span c)
{
    const char *s = c.s, *e = c.s + c.len;
    while (s < e && (*s == ' ' || *s == '\t'))
        s++;
    while (e > s && (e[-1] == ' ' || e[-1] == '\t'))
        e--;
    return (span){s, (size_t)(e - s)};
}

/* The blanks a line starts with: spaces, tabs, and the ideographic space
 * (U+3000) and no-break space (U+00A0) that Chinese text indents with.
 * Markup after them is still markup: an indented "| a | b |" is a table
 * row, read as text it left a table's rows to guess at. */
static size_t lead_blanks(const char *line, size_t len)
{
    size_t i = 0;
    for (;;) {
        if (i < len && (line[i] == ' ' || line[i] == '\t'))
            i++;
        else if (i + 3 <= len && memcmp(line + i, "\xE3\x80\x80", 3) == 0)
            i += 3;
        else if (i + 2 <= len && memcmp(line + i, "\xC2\xA0", 2) == 0)
            i += 2;
        else
            return i;
    }
}

/* Is c (in the text) written with a markdown emphasis byte?  Most cells
 * and lines are not: two memchr, no rewrite. */
static bool may_have_emphasis(span c)
{
    return c.len >= 4 && (memchr(c.s, '*', c.len) || memchr(c.s, '_', c.len));
}

/* The length of the run of b at c[i, len). */
static size_t run_of(const char *c, size_t i, size_t len, char b)
{
    size_t j = i;
    while (j < len && c[j] == b)
        j++;
    return j - i;
}

/* How many delimiters of b (a run of two or three: ** ***) c[0, len) holds. */
static size_t delimiters(const char *c, size_t len, char b)
{
    size_t n = 0;
    for (size_t i = 0; i < len;) {
        size_t r = c[i] == b ? run_of(c, i, len, b) : 1;
        n += c[i] == b && r >= 2 && r <= 3;
        i += r;
    }
    return n;
}

/* Markdown emphasis (**bold**, __bold__, ***both***) dropped from c, a span
 * of the text, in the document's copy, when its delimiters pair up: a
 * converter writes a bold label, heading or title so, and with its stars
 * the label matched no row and the title named an agency "**南湖区".  An
 * odd delimiter and a longer run (填____) are kept as written.  The span
 * of what is left (its start unchanged, so add_view finds it). */
static span drop_emphasis(const splitter *sp, span c)
{
    size_t ns = delimiters(c.s, c.len, '*'), nu = delimiters(c.s, c.len, '_');
    bool stars = ns && ns % 2 == 0, unders = nu && nu % 2 == 0;
    if (!stars && !unders)
        return c; /* a lone * or _ (5*3, a file_name): nothing to drop */
    char *t = sp->copy + (c.s - sp->text);
    size_t o = 0;
    for (size_t i = 0; i < c.len;) {
        char b = c.s[i];
        size_t r = b == '*' || b == '_' ? run_of(c.s, i, c.len, b) : 1;
        if (!(r >= 2 && r <= 3 && (b == '*' ? stars : unders)))
            for (size_t k = 0; k < r; k++)
                t[o++] = c.s[i + k];
        i += r;
    }
    while (o < c.len && o && (t[o - 1] == ' ' || t[o - 1] == '\t'))
        o--; /* "**a** " ends where "a" does, as "a " would in a cell */
    return (span){c.s, o};
}

/* drop_emphasis where the text may hold some. */
static inline span plain(const splitter *sp, span c)
{
    return may_have_emphasis(c) ? drop_emphasis(sp, c) : c;
}

/* "| a | b |" -> cells a, b; the outer pipes are frame, not cells. */
__attribute__((noinline)) static nb_status add_pipe_row(const splitter *sp, int lineno, const char *line, size_t len)
{
    while (len && (line[len - 1] == ' ' || line[len - 1] == '\t'))
        len--;
    size_t lead = lead_blanks(line, len);
    line += lead;
    len -= lead;
    if (len && *line == '|') {
        line++;
        len--;
    }
    if (len && line[len - 1] == '|')
        len--;
    spans cells;
    spans_init(&cells);
    if (!split(sp, line, len, '|', &cells)) {
        spans_free(&cells);
        return NB_FATAL;
    }
    bool rule = true;
    for (size_t i = 0; i < cells.n; i++) {
        cells.v[i] = trim_blanks(cells.v[i]);
        rule = rule && (is_md_rule(cells.v[i]) || !cells.v[i].len);
    }
    for (size_t i = 0; i < cells.n && !rule; i++)
        cells.v[i] = plain(sp, cells.v[i]);
    nb_status st = rule ? NB_OK : add_views(sp, NB_LINE_ROW, 0, lineno, cells.v, cells.n);
    spans_free(&cells);
    return st;
}


/* add_tab_row of a text with a NUL, or of a row of very many cells:
 * split and add_views.  Out of line: its list on the stack would make
 * every line's call set up a frame that size. */
__attribute__((noinline)) static nb_status add_tab_row_split(const splitter *sp, int lineno, const char *line, size_t len)
{
    spans cells;
    spans_init(&cells);
    nb_status st = split(sp, line, len, '\t', &cells)
                       ? add_views(sp, NB_LINE_ROW, 0, lineno, cells.v, cells.n)
                       : NB_FATAL;
    spans_free(&cells);
    return st;
}

/* A line with a tab (sp->at, found by line_scan): a row of its cells,
 * cut in the document's copy where the tabs are (add_views' cells,
 * without a list of spans between).  In line: a call a row, with its
 * saved registers, cost more than most rows' stores. */
static inline nb_status add_tab_row(const splitter *sp, int lineno, const char *line, size_t len)
{
    size_t nt = sp->nt;
    const size_t *at = sp->at;
    if (sp->nuls || nt > TAB_ROW_FAST)
        return add_tab_row_split(sp, lineno, line, len);
    char **cells = new_line(sp->d, NB_LINE_ROW, 0, lineno, nt + 1, 0);
    if (!cells)
        return NB_FATAL;
    char *c = sp->copy + (line - sp->text);
    size_t start = 0;
    for (size_t i = 0; i < nt; i++) {
        c[at[i]] = '\0';
        cells[i] = c + start;
        start = at[i] + 1;
    }
    c[len] = '\0';
    cells[nt] = c + start;
    return NB_OK;
}

/* The line text[start..end). */
static nb_status add_line(splitter *sp, int lineno, size_t start, size_t end)
{
    const char *line = sp->text + start;
    size_t len = end - start;
    unsigned flags = sp->flags;
    /* most lines start with none of the bytes the markup tests read: one
     * look-up of the first byte, not the blank count and two tests more */
    static const bool markup_lead[256] = {[' '] = true, ['\t'] = true, ['#'] = true, ['|'] = true,
                                          [0xC2] = true, [0xE3] = true};
    if (len && markup_lead[(unsigned char)line[0]]) {
        size_t lead = lead_blanks(line, len);
        if ((flags & NB_SPLIT_MDHEAD) && lead < len && line[lead] == '#') {
            size_t h = lead;
            while (h < len && line[h] == '#')
                h++;
            if (h - lead <= 6 && (h == len || line[h] == ' ' || line[h] == '\t')) {
                int level = (int)(h - lead); /* the hashes alone: "# a" is level 1 */
                while (h < len && (line[h] == ' ' || line[h] == '\t'))
                    h++;
                return add_view(sp, NB_LINE_HEADING, level, lineno, plain(sp, cell_of(sp, line + h, len - h)));
            }
        }
        if ((flags & NB_SPLIT_PIPES) && lead < len && line[lead] == '|')
            return add_pipe_row(sp, lineno, line, len);
    }
    if (sp->nt) /* line_scan found a tab in it */
        return add_tab_row(sp, lineno, line, len);
    span text = cell_of(sp, line, len);
    return add_view(sp, NB_LINE_TEXT, 0, lineno, flags & NB_SPLIT_MDHEAD ? plain(sp, text) : text);
}

/* The first '\n' in text[start, len), or len.  Lines are some 12 to 25
 * bytes: sixteen compared at once in line, where a memchr call cost
 * more than the line. */
static inline size_t line_end(const char *text, size_t start, size_t len)
{
    size_t k = start;
#if defined(__SSE2__)
    for (; k + 16 <= len; k += 16) {
        unsigned m = (unsigned)_mm_movemask_epi8(
            _mm_cmpeq_epi8(_mm_loadu_si128((const __m128i *)(text + k)), _mm_set1_epi8('\n')));
        if (m)
            return k + (size_t)__builtin_ctz(m);
    }
#endif
    const char *nl = memchr(text + k, '\n', len - k);
    return nl ? (size_t)(nl - text) : len;
}

/* One more tab of the current line at offset off. */
static inline void put_tab(splitter *sp, size_t *n, size_t off)
{
    if (*n < TAB_ROW_FAST)
        sp->at[*n] = off;
    if (*n <= TAB_ROW_FAST)
        (*n)++;
}

/* line_end of the line at start, with its tabs into sp->at and sp->nt
 * from the same compares: a row's bytes are read once (they were read
 * by line_end, a memchr for the next tab and a search for the row's
 * tabs). */
static inline size_t line_scan(splitter *sp, size_t start)
{
    const char *text = sp->text;
    size_t len = sp->len, k = start, n = 0;
#if defined(__SSE2__)
    for (; k + 16 <= len; k += 16) {
        __m128i v = _mm_loadu_si128((const __m128i *)(text + k));
        unsigned nl = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v, _mm_set1_epi8('\n')));
        unsigned tb = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v, _mm_set1_epi8('\t')));
        if (nl)
            tb &= (1u << __builtin_ctz(nl)) - 1; /* the tabs before the line's end */
        for (; tb; tb &= tb - 1)
            put_tab(sp, &n, k + (size_t)__builtin_ctz(tb) - start);
        if (nl) {
            sp->nt = n;
            return k + (size_t)__builtin_ctz(nl);
        }
    }
#endif
    for (; k < len && text[k] != '\n'; k++)
        if (text[k] == '\t')
            put_tab(sp, &n, k - start);
    sp->nt = n;
    return k;
}

nb_status nb_doc_split_text(nb_doc *d, const char *text, size_t len, unsigned flags)
{
    if (!len)
        return NB_OK;
    splitter sp = {.d = d, .flags = flags, .text = text, .len = len, .nuls = memchr(text, '\0', len) != NULL};
    /* one copy of the whole text (a memcpy), not one per cell */
    if (!(sp.copy = doc_alloc(d, len + 1)))
        return NB_FATAL;
    /* room for the lines a report's text has (some 12 to 25 bytes each)
     * at once, not by doubling from 8; a long text's still grow */
    size_t guess = len / 12 < 4096 ? len / 12 : 4096;
    if (!nb_grow((void **)&d->lines, &d->cap, d->nlines + guess, sizeof *d->lines))
        return NB_FATAL;
    memcpy(sp.copy, text, len);
    sp.copy[len] = '\0';
    sp.tabs = (flags & NB_SPLIT_TABS) && memchr(text, '\t', len); /* else no line looks for one */
    sp.nt = 0;
    int lineno = 1;
    size_t start = 0;
    while (start < len) {
        size_t end = sp.tabs ? line_scan(&sp, start) : line_end(text, start, len);
        if (add_line(&sp, lineno++, start, end) != NB_OK)
            return d->over ? NB_OK : NB_FATAL; /* over: the rest is not read */
        start = end + 1;
    }
    return NB_OK;
}

#include "nianbao/stream.h"

#define NB_DOC_MAX_BYTES (64u << 20)

nb_status nb_doc_read_stream(nb_stream *s, unsigned flags, nb_doc **out, nb_error *err)
{
    char *bytes = NULL, *text = NULL;
    size_t len = 0, tlen = 0;
    const char *enc = NULL;
    nb_status st = nb_stream_read_all(s, NB_DOC_MAX_BYTES, &bytes, &len, err);
    if (st != NB_OK)
        return st;
    st = nb_text_decode_owned(bytes, len, &text, &tlen, &enc, err); /* takes bytes */
    if (st != NB_OK)
        return st;
    tlen = nb_text_clean(text, tlen); /* a document's, not decoding's: the html reader cleans its own */
    nb_doc *d = nb_doc_new(nb_stream_name(s));
    if (!d || nb_doc_split_text(d, text, tlen, flags) != NB_OK) {
        nb_doc_free(d);
        free(text);
        nb_error_set(err, NB_E_INTERNAL, nb_stream_name(s), "out of memory");
        return NB_FATAL;
    }
    free(text);
    nb_doc_set_encoding(d, enc);
    *out = d;
    return NB_OK;
}

/* Key words every report has, in UTF-8 and in GBK. */
int nb_doc_probe_report_text(const unsigned char *head, size_t len)
{
    static const char *const words[] = {
        "\xe6\x94\xbf\xe5\xba\x9c\xe4\xbf\xa1\xe6\x81\xaf\xe5\x85\xac\xe5\xbc\x80", /* 政府信息公开 UTF-8 */
        "\xd5\xfe\xb8\xae\xd0\xc5\xcf\xa2\xb9\xab\xbf\xaa",                         /* 政府信息公开 GBK */
        "\xe5\xb9\xb4\xe5\xba\xa6\xe6\x8a\xa5\xe5\x91\x8a",                         /* 年度报告 UTF-8 */
        "\xc4\xea\xb6\xc8\xb1\xa8\xb8\xe6",                                         /* 年度报告 GBK */
        NULL};
    if (memchr(head, '\0', len) && !(len >= 2 && (head[0] == 0xFF || head[0] == 0xFE)))
        return 0;
    for (int i = 0; words[i]; i++)
        if (memmem(head, len, words[i], strlen(words[i])))
            return 40;
    return 0;
}
