/* docx_emit.c - the model as document lines.
 *
 * - A paragraph outside tables is one NB_LINE_TEXT per w:br-separated
 *   line; a line with w:tab is an NB_LINE_ROW split at each tab, as the txt
 *   reader splits tab-separated text.  A heading style gives NB_LINE_HEADING;
 *   table-of-contents entries are left out.
 * - A data table is one NB_LINE_ROW per w:tr with one cell per w:tc, the
 *   shape of the HTML reader's spans=cells: a w:gridSpan cell is one cell,
 *   a cell continuing a vertical merge (w:vMerge) is an empty cell (it is
 *   printed), w:gridBefore/w:gridAfter add nothing.  The recogniser reads
 *   a row as its label followed by one cell per value column, so an empty
 *   position for the second half of a label spanning two columns would
 *   take a blank value's place.  docx.spans=grid gives the HTML reader's
 *   grid shape instead: one cell per grid column, a merged cell's text in
 *   its first column, the columns it spans and the w:gridBefore columns
 *   empty.  Rows without any text are left out; deleted rows too.
 * - Inside a cell, paragraphs, tabs and breaks are soft breaks: nothing
 *   between two CJK characters, one space otherwise (商业 / 企业 reads
 *   商业企业).
 * - A table holding a table is a layout table: its cells' contents are
 *   read in order as blocks, the inner tables as grids of their own.
 * Text is trimmed at the edges (spaces, full-width spaces, no-break and
 * zero-width spaces), so a cell holding only spaces is a blank cell; the
 * spaces inside are kept. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "nianbao/text.h"
#include "docx_priv.h"

typedef struct emitter {
    nb_doc *doc;
    int line; /* ordinal of the emitted line: the document has no source lines */
    bool grid; /* the grid shape (docx.spans=grid) instead of one cell per w:tc */
    bool ok;
} emitter;

/* Text helpers -------------------------------------------------------------- */

static bool is_space_cp(uint32_t c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == 0xA0 || c == 0x3000 ||
           (c >= 0x2000 && c <= 0x200B) || c == 0x202F || c == 0x205F || c == 0xFEFF;
}

static bool is_cjk(uint32_t c)
{
    return (c >= 0x2E80 && c <= 0x2FFF) || (c >= 0x3001 && c <= 0x31FF) || (c >= 0x3400 && c <= 0x4DBF) ||
           (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0xF900 && c <= 0xFAFF) || (c >= 0xFE30 && c <= 0xFE4F) ||
           (c >= 0xFF00 && c <= 0xFFEF) || (c >= 0x20000 && c <= 0x3FFFF);
}

static size_t cp_at(const char *s, size_t n, uint32_t *c)
{
    size_t k = nb_utf8_next(s, n, c);
    if (k == 0) { /* invalid byte: one byte, not a space */
        *c = 0xFFFD;
        k = 1;
    }
    return k;
}

/* Start of the last code point of s[0..n). */
static size_t last_cp(const char *s, size_t n)
{
    size_t i = n - 1;
    while (i > 0 && n - i < 4 && ((unsigned char)s[i] & 0xC0) == 0x80)
        i--;
    return i;
}

/* Trims spaces at both ends of s[0..*n): returns the new start. */
static const char *trim(const char *s, size_t *n)
{
    uint32_t c;
    while (*n) {
        size_t k = cp_at(s, *n, &c);
        if (!is_space_cp(c))
            break;
        s += k;
        *n -= k;
    }
    while (*n) {
        size_t i = last_cp(s, *n);
        cp_at(s + i, *n - i, &c);
        if (!is_space_cp(c))
            break;
        *n = i;
    }
    return s;
}

/* Appends a piece to a cell's text with the soft-break rule. */
static bool join_piece(strbuf *b, const char *s, size_t n)
{
    s = trim(s, &n);
    if (!n)
        return true;
    if (b->len) {
        uint32_t prev, next;
        size_t i = last_cp(b->s, b->len);
        cp_at(b->s + i, b->len - i, &prev);
        cp_at(s, n, &next);
        if (!(is_cjk(prev) && is_cjk(next)) && !strbuf_add(b, " ", 1))
            return false;
    }
    return strbuf_add(b, s, n);
}

/* Lines of a paragraph ---------------------------------------------------- */

static void add_cells(emitter *e, nb_line_kind kind, int level, const char *const *cells, size_t n)
{
    if (e->ok && nb_doc_add(e->doc, kind, level, ++e->line, cells, n) != NB_OK)
        e->ok = false;
}

/* One w:br-separated line: tabs split it into cells. */
static void emit_text_line(emitter *e, const char *s, size_t n)
{
    size_t ncells = 1;
    for (size_t i = 0; i < n; i++)
        ncells += s[i] == '\t';
    char **cells = calloc(ncells, sizeof *cells);
    bool any = false;
    size_t k = 0, start = 0;
    for (size_t i = 0; cells && i <= n; i++) {
        if (i < n && s[i] != '\t')
            continue;
        size_t len = i - start;
        const char *t = trim(s + start, &len);
        if (!(cells[k] = malloc(len + 1)))
            break;
        memcpy(cells[k], t, len);
        cells[k++][len] = '\0';
        any |= len > 0;
        start = i + 1;
    }
    if (!cells || k < ncells)
        e->ok = false;
    else if (any)
        add_cells(e, ncells > 1 ? NB_LINE_ROW : NB_LINE_TEXT, 0, (const char *const *)cells, ncells);
    for (size_t i = 0; cells && i < k; i++)
        free(cells[i]);
    free(cells);
}

static void emit_para(emitter *e, const dx_block *p)
{
    if (!p->text || p->level == DX_LEVEL_TOC)
        return;
    if (p->level > 0) { /* a heading is one line whatever its breaks */
        strbuf b = {0};
        bool ok = strbuf_add(&b, "", 0);
        for (size_t i = 0, start = 0; ok && i <= p->len; i++)
            if (i == p->len || p->text[i] == '\t' || p->text[i] == '\n') {
                ok = join_piece(&b, p->text + start, i - start);
                start = i + 1;
            }
        if (!ok)
            e->ok = false;
        else if (b.len)
            add_cells(e, NB_LINE_HEADING, p->level, (const char *const *)&b.s, 1);
        strbuf_free(&b);
        return;
    }
    for (size_t i = 0, start = 0; e->ok && i <= p->len; i++)
        if (i == p->len || p->text[i] == '\n') {
            emit_text_line(e, p->text + start, i - start);
            start = i + 1;
        }
}

/* Tables ------------------------------------------------------------------ */

static void emit_blocks(emitter *e, const dx_blocks *b);

/* The text of a cell of a data table, soft breaks joined. */
static char *cell_text(const dx_cell *c)
{
    strbuf b = {0};
    bool ok = strbuf_add(&b, "", 0);
    for (size_t i = 0; ok && i < c->body.n; i++) {
        const dx_block *p = &c->body.v[i];
        for (size_t j = 0, start = 0; ok && p->kind == DX_PARA && p->text && j <= p->len; j++)
            if (j == p->len || p->text[j] == '\t' || p->text[j] == '\n') {
                ok = join_piece(&b, p->text + start, j - start);
                start = j + 1;
            }
    }
    if (!ok)
        strbuf_free(&b);
    return b.s;
}

/* Grid columns the row's line has: one per w:tc in the cells shape; in the
 * grid shape the w:gridBefore columns and every column a cell spans. */
static size_t row_width(const emitter *e, const dx_row *r)
{
    if (!e->grid)
        return r->n < DX_MAX_COLS ? r->n : DX_MAX_COLS;
    size_t width = r->before;
    for (size_t i = 0; i < r->n; i++)
        width += r->v[i].span;
    return width < DX_MAX_COLS ? width : DX_MAX_COLS;
}

static void emit_row(emitter *e, const dx_row *r)
{
    size_t width = row_width(e, r);
    if (width == 0)
        return;
    char **cells = calloc(width, sizeof *cells);
    const char **v = malloc(width * sizeof *v);
    bool ok = cells && v, any = false;
    size_t col = e->grid ? r->before : 0;
    for (size_t i = 0; ok && i < r->n && col < width; i++) {
        ok = (cells[col] = cell_text(&r->v[i])) != NULL;
        any |= ok && cells[col][0] != '\0';
        col += e->grid ? r->v[i].span : 1;
    }
    for (size_t x = 0; ok && x < width; x++)
        v[x] = cells[x] ? cells[x] : "";
    if (!ok)
        e->ok = false;
    else if (any)
        add_cells(e, NB_LINE_ROW, 0, v, width);
    free(v);
    for (size_t x = 0; cells && x < width; x++)
        free(cells[x]);
    free(cells);
}

static void emit_table(emitter *e, const dx_table *t)
{
    for (size_t i = 0; e->ok && i < t->n; i++) {
        const dx_row *r = &t->v[i];
        if (r->deleted)
            continue;
        if (!t->holds_table) {
            emit_row(e, r);
            continue;
        }
        for (size_t j = 0; e->ok && j < r->n; j++)
            emit_blocks(e, &r->v[j].body);
    }
}

static void emit_blocks(emitter *e, const dx_blocks *b)
{
    for (size_t i = 0; e->ok && i < b->n; i++) {
        if (b->v[i].kind == DX_PARA)
            emit_para(e, &b->v[i]);
        else
            emit_table(e, b->v[i].table);
    }
}

bool dx_emit(const dx_blocks *body, bool grid, nb_doc *doc)
{
    emitter e = {.doc = doc, .grid = grid, .ok = true};
    emit_blocks(&e, body);
    return e.ok;
}
