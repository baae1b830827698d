/* layout_grid.c - table rows onto one column grid, then the document.
 *
 * Inside a table the numbers of one column line up; their horizontal
 * extents, merged where they overlap, are the table's columns.  Each row
 * is written as its label cells and then one cell per column, empty where
 * the column is blank, so that a blank keeps its position (domain.md §5.4).
 * A table that goes on at the top of the next page keeps the grid it had
 * when its rows there fit it (a continuation may have a blank column). */
#include "layout_priv.h"
#include <math.h>
#include <stdlib.h>
#include <string.h>

typedef struct span {
    double x0, x1;
} span;

typedef struct grid {
    span *col;
    size_t n;
} grid;

static bool has_number(const lo_line *ln)
{
    for (size_t c = 0; c < ln->n; c++)
        if (ln->cells[c].num)
            return true;
    return false;
}

/* "三、…" or "（三）…": a heading between tables. */
static bool is_heading(const lo_line *ln)
{
    static const char *const nums[] = {"一", "二", "三", "四", "五", "六", "七", "八", "九", "十", NULL};
    if (ln->n != 1)
        return false;
    const char *s = ln->cells[0].text;
    for (size_t i = 0; nums[i]; i++)
        if (!strncmp(s, nums[i], 3) && !strncmp(s + 3, "、", 3))
            return true;
    return false;
}

/* Lines that end a table: a heading row (several words, no number) or a
 * section heading. */
static bool ends_block(const lo_line *ln) { return !has_number(ln) && (ln->n >= 2 || is_heading(ln)); }

static int by_x0(const void *a, const void *b)
{
    const span *x = a, *y = b;
    return (x->x0 > y->x0) - (x->x0 < y->x0);
}

static bool build_grid(const nb_layout *L, size_t a, size_t b, grid *g)
{
    size_t n = 0;
    for (size_t i = a; i < b; i++)
        for (size_t c = 0; c < L->lines[i].n; c++)
            n += !L->lines[i].drop && L->lines[i].cells[c].num;
    g->n = 0;
    g->col = malloc((n ? n : 1) * sizeof *g->col);
    if (!g->col)
        return false;
    for (size_t i = a; i < b; i++)
        for (size_t c = 0; c < L->lines[i].n; c++)
            if (!L->lines[i].drop && L->lines[i].cells[c].num)
                g->col[g->n++] = (span){L->lines[i].cells[c].x0, L->lines[i].cells[c].x1};
    qsort(g->col, g->n, sizeof *g->col, by_x0);
    size_t k = 0;
    for (size_t i = 0; i < g->n; i++) {
        if (k && g->col[i].x0 <= g->col[k - 1].x1)
            g->col[k - 1].x1 = fmax(g->col[k - 1].x1, g->col[i].x1);
        else
            g->col[k++] = g->col[i];
    }
    g->n = k;
    return true;
}

static bool overlaps(span s, double x0, double x1) { return x0 <= s.x1 && x1 >= s.x0; }

/* Every column of g meets a column of prev: the same table, with blanks. */
static bool fits(const grid *g, const grid *prev)
{
    if (!prev->n || g->n > prev->n)
        return false;
    for (size_t i = 0; i < g->n; i++) {
        bool hit = false;
        for (size_t j = 0; j < prev->n && !hit; j++)
            hit = overlaps(prev->col[j], g->col[i].x0, g->col[i].x1);
        if (!hit)
            return false;
    }
    return true;
}

static size_t nearest_col(const grid *g, double x0, double x1)
{
    size_t best = 0;
    double bd = INFINITY, xc = (x0 + x1) / 2;
    for (size_t j = 0; j < g->n; j++) {
        if (overlaps(g->col[j], x0, x1))
            return j;
        double d = fabs((g->col[j].x0 + g->col[j].x1) / 2 - xc);
        if (d < bd)
            bd = d, best = j;
    }
    return best;
}

static nb_status add_cells(nb_doc *doc, int lineno, const char *const *cells, size_t n)
{
    return nb_doc_add(doc, n >= 2 ? NB_LINE_ROW : NB_LINE_TEXT, 0, lineno, cells, n);
}

/* A row: label cells left of the grid, then one cell per column. */
static nb_status emit_row(nb_doc *doc, int lineno, const lo_line *ln, const grid *g)
{
    size_t label = 0;
    while (label < ln->n && !ln->cells[label].num && ln->cells[label].x1 < g->col[0].x0)
        label++;
    size_t n = label + g->n;
    char **cells = calloc(n, sizeof *cells);
    nb_status st = cells ? NB_OK : NB_FATAL;
    for (size_t c = 0; st == NB_OK && c < ln->n; c++) {
        size_t slot = c < label ? c : label + nearest_col(g, ln->cells[c].x0, ln->cells[c].x1);
        const char *t = ln->cells[c].text;
        char *joined = malloc(strlen(t) + (cells[slot] ? strlen(cells[slot]) + 2 : 1));
        if (!joined) {
            st = NB_FATAL;
            break;
        }
        if (cells[slot])
            strcat(strcat(strcpy(joined, cells[slot]), " "), t);
        else
            strcpy(joined, t);
        free(cells[slot]);
        cells[slot] = joined;
    }
    for (size_t i = 0; st == NB_OK && i < n; i++)
        if (!cells[i] && !(cells[i] = calloc(1, 1)))
            st = NB_FATAL;
    if (st == NB_OK)
        st = add_cells(doc, lineno, (const char *const *)cells, n);
    for (size_t i = 0; cells && i < n; i++)
        free(cells[i]);
    free(cells);
    return st;
}

static nb_status emit_plain(nb_doc *doc, int lineno, const lo_line *ln)
{
    const char **cells = malloc(ln->n * sizeof *cells);
    if (!cells)
        return NB_FATAL;
    for (size_t c = 0; c < ln->n; c++)
        cells[c] = ln->cells[c].text;
    nb_status st = add_cells(doc, lineno, cells, ln->n);
    free(cells);
    return st;
}

static nb_status emit_block(nb_layout *L, nb_doc *doc, size_t a, size_t b, grid *g, int *lineno)
{
    nb_status st = NB_OK;
    for (size_t i = a; i < b && st == NB_OK; i++) {
        const lo_line *ln = &L->lines[i];
        if (ln->drop)
            continue;
        st = g->n && has_number(ln) ? emit_row(doc, ++*lineno, ln, g) : emit_plain(doc, ++*lineno, ln);
    }
    return st;
}

static size_t block_end(const nb_layout *L, size_t a)
{
    size_t b = a + 1;
    while (b < L->n && !ends_block(&L->lines[b]))
        b++;
    return b;
}

/* The first kept line of [a, b) starts its page: a table going on. */
static bool starts_page(const nb_layout *L, size_t a, size_t b, int prev_page)
{
    for (size_t i = a; i < b; i++)
        if (!L->lines[i].drop)
            return L->lines[i].page > prev_page;
    return false;
}

nb_status nb_layout_emit(nb_layout *L, nb_doc *doc, nb_error *err)
{
    lo_drop_running(L);
    grid prev = {0}, g = {0};
    int lineno = (int)doc->nlines, prev_page = -1;
    nb_status st = NB_OK;
    for (size_t a = 0; a < L->n && st == NB_OK;) {
        size_t b = block_end(L, a);
        if (!build_grid(L, a, b, &g)) {
            st = NB_FATAL;
            break;
        }
        if (starts_page(L, a, b, prev_page) && fits(&g, &prev)) {
            free(g.col);
            g = prev, prev.col = NULL;
        }
        st = emit_block(L, doc, a, b, &g, &lineno);
        if (g.n) {
            free(prev.col);
            prev = g, g.col = NULL;
            prev_page = L->lines[b - 1].page;
        }
        free(g.col);
        g.col = NULL;
        a = b;
    }
    free(prev.col);
    if (st != NB_OK)
        nb_error_set(err, NB_E_INTERNAL, NULL, "out of memory");
    return st;
}
