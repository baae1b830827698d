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

/* Chinese numerals of headings and row ordinals (一 … 十). */
static const char *const cn_numerals[] = {"一", "二", "三", "四", "五", "六", "七", "八", "九", "十", NULL};

/* "三、…" or "（三）…": a heading between tables. */
static bool is_heading(const lo_line *ln)
{
    if (ln->n != 1)
        return false;
    const char *s = ln->cells[0].text;
    for (size_t i = 0; cn_numerals[i]; i++)
        if (!strncmp(s, cn_numerals[i], 3) && !strncmp(s + 3, "、", 3))
            return true;
    return false;
}

static size_t ordinal_len(const char *s)
{
    static const char *const after[] = {"、", "．", ".", NULL};
    size_t n = 0;
    bool paren = !strncmp(s, "（", 3) || *s == '(';
    const char *p = s + (paren ? (*s == '(' ? 1 : 3) : 0);
    while (*p >= '0' && *p <= '9')
        p++, n++;
    for (size_t i = 0; !n && cn_numerals[i]; i++)
        if (!strncmp(p, cn_numerals[i], 3))
            p += 3, n++, i = (size_t)-1;
    if (!n)
        return 0;
    if (paren)
        return !strncmp(p, "）", 3) || *p == ')' ? 1 : 0;
    for (size_t i = 0; after[i]; i++)
        if (!strncmp(p, after[i], strlen(after[i])))
            return 1;
    return 0;
}

static double centre(const lo_line *ln) { return (ln->y0 + ln->y1) / 2; }

/* Distance from line i to the nearest line with numbers on its page. */
static double to_numbers(const nb_layout *L, size_t a, size_t b, size_t i)
{
    double best = INFINITY;
    for (size_t j = a; j < b; j++)
        if (j != i && L->lines[j].page == L->lines[i].page && has_number(&L->lines[j]))
            best = fmin(best, fabs(centre(&L->lines[j]) - centre(&L->lines[i])));
    return best;
}

/* The distance between rows: the smallest between consecutive rows with
 * numbers (blank rows between them only make it larger). */
static double row_pitch(const nb_layout *L, size_t a, size_t b)
{
    double best = INFINITY;
    size_t prev = b;
    for (size_t j = a; j < b; j++) {
        if (!has_number(&L->lines[j]))
            continue;
        double d = prev < b && L->lines[prev].page == L->lines[j].page
                       ? centre(&L->lines[j]) - centre(&L->lines[prev])
                       : INFINITY;
        if (d > 0.5 * L->lines[j].size)
            best = fmin(best, d);
        prev = j;
    }
    return isfinite(best) ? best : 1.5 * L->lines[a].size;
}

/* A label alone inside a table, as far from every row with numbers as
 * rows are from each other, is a row whose cells are all blank (a piece
 * of a wrapped label sits closer to its row).  After the table's last
 * row only a numbered label counts: a caption may follow a table. */
static bool is_blank_row(const nb_layout *L, size_t a, size_t b, size_t i, const grid *g,
                         size_t last_row)
{
    const lo_line *ln = &L->lines[i];
    if (!g->n || has_number(ln) || ln->cells[ln->n - 1].x1 >= g->col[0].x0)
        return false;
    if (i > last_row && !ordinal_len(ln->cells[0].text))
        return false;
    return to_numbers(L, a, b, i) >= 0.8 * row_pitch(L, a, b);
}

/* Lines that end a table: a heading row (several words, no number) or a
 * section heading. */
static bool ends_block(const lo_line *ln)
{
    return !has_number(ln) && ((ln->n >= 2 && !ordinal_len(ln->cells[0].text)) || is_heading(ln));
}

static int by_x0(const void *a, const void *b)
{
    const span *x = a, *y = b;
    return (x->x0 > y->x0) - (x->x0 < y->x0);
}

static bool overlaps(span s, double x0, double x1) { return x0 <= s.x1 && x1 >= s.x0; }

static bool overlaps_any(const grid *g, double x0, double x1)
{
    for (size_t j = 0; j < g->n; j++)
        if (overlaps(g->col[j], x0, x1))
            return true;
    return false;
}

static bool add_span(span **v, size_t *n, size_t *cap, double x0, double x1)
{
    if (*n == *cap) {
        size_t nc = *cap ? *cap * 2 : 16;
        span *p = realloc(*v, nc * sizeof *p);
        if (!p)
            return false;
        *v = p, *cap = nc;
    }
    (*v)[(*n)++] = (span){x0, x1};
    return true;
}

/* Columns where numbers are: their extents merged where they overlap. */
static bool number_columns(const nb_layout *L, size_t a, size_t b, grid *g)
{
    size_t cap = 0;
    for (size_t i = a; i < b; i++)
        for (size_t c = 0; c < L->lines[i].n; c++)
            if (!L->lines[i].drop && L->lines[i].cells[c].num &&
                !add_span(&g->col, &g->n, &cap, L->lines[i].cells[c].x0, L->lines[i].cells[c].x1))
                return false;
    if (!g->n)
        return true;
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

static int by_width(const void *a, const void *b)
{
    const span *x = a, *y = b;
    double wx = x->x1 - x->x0, wy = y->x1 - y->x0;
    return (wx > wy) - (wx < wy);
}

/* The stretch of a heading cell up to half way to its neighbours. */
static span territory(const lo_line *ln, size_t c)
{
    const lo_cell *x = &ln->cells[c];
    double half = (x->x1 - x->x0) / 2;
    return (span){c > 0 ? (ln->cells[c - 1].x1 + x->x0) / 2 : x->x0 - half,
                  c + 1 < ln->n ? (x->x1 + ln->cells[c + 1].x0) / 2 : x->x1 + half};
}

static bool holds_column(const grid *g, span t)
{
    for (size_t j = 0; j < g->n; j++) {
        double mid = (g->col[j].x0 + g->col[j].x1) / 2;
        if (mid >= t.x0 && mid <= t.x1)
            return true;
    }
    return false;
}

/* A column left blank on every row still has its heading: a heading cell
 * right of every row label whose stretch holds no number column is a
 * column too (narrowest first, so a heading spanning several adds none). */
static bool heading_columns(const nb_layout *L, size_t a, size_t b, grid *g)
{
    double label_end = -INFINITY;
    size_t n = 0, cap = 0;
    span *h = NULL;
    bool ok = true;
    for (size_t i = a; i < b; i++) {
        const lo_line *ln = &L->lines[i];
        for (size_t c = 0; c < ln->n && has_number(ln) && !ln->cells[c].num; c++)
            label_end = fmax(label_end, ln->cells[c].x1);
    }
    if (!isfinite(label_end)) /* rows without labels: no column before the first number */
        label_end = g->col[0].x0;
    for (size_t i = a; i < b && ok && !has_number(&L->lines[i]); i++)
        for (size_t c = 0; c < L->lines[i].n && ok; c++)
            if (L->lines[i].cells[c].x0 > label_end && !holds_column(g, territory(&L->lines[i], c)))
                ok = add_span(&h, &n, &cap, L->lines[i].cells[c].x0, L->lines[i].cells[c].x1);
    if (n)
        qsort(h, n, sizeof *h, by_width);
    size_t gcap = g->n;
    for (size_t i = 0; i < n && ok; i++)
        if (!overlaps_any(g, h[i].x0, h[i].x1))
            ok = add_span(&g->col, &g->n, &gcap, h[i].x0, h[i].x1);
    free(h);
    if (ok)
        qsort(g->col, g->n, sizeof *g->col, by_x0);
    return ok;
}

static bool build_grid(const nb_layout *L, size_t a, size_t b, grid *g)
{
    g->n = 0;
    g->col = NULL;
    if (!number_columns(L, a, b, g))
        return false;
    return !g->n || heading_columns(L, a, b, g);
}

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

/* Line i just above the table's first row with numbers, its label where
 * that row's label is: the table's first row, blank. */
static bool opens_table(const nb_layout *L, size_t i, size_t first_row)
{
    const lo_line *ln = &L->lines[i], *r = &L->lines[first_row];
    return i + 1 == first_row && fabs(ln->cells[0].x0 - r->cells[0].x0) < 0.5 * r->size;
}

static nb_status emit_block(nb_layout *L, nb_doc *doc, size_t a, size_t b, grid *g, int *lineno)
{
    nb_status st = NB_OK;
    size_t first_row = b, last_row = a;
    for (size_t i = a; i < b; i++)
        if (has_number(&L->lines[i]))
            first_row = first_row < i ? first_row : i, last_row = i;
    for (size_t i = a; i < b && st == NB_OK; i++) {
        const lo_line *ln = &L->lines[i];
        if (ln->drop)
            continue;
        bool row = has_number(ln) || (first_row < b && (i > first_row || opens_table(L, i, first_row)) &&
                                      is_blank_row(L, a, b, i, g, last_row));
        st = g->n && row ? emit_row(doc, ++*lineno, ln, g) : emit_plain(doc, ++*lineno, ln);
    }
    return st;
}

/* A table: its heading rows, then its rows up to the next heading row. */
static size_t block_end(const nb_layout *L, size_t a)
{
    bool rows = has_number(&L->lines[a]);
    size_t b = a + 1;
    for (; b < L->n; b++) {
        const lo_line *ln = &L->lines[b];
        if (ends_block(ln) && (rows || is_heading(ln)))
            break;
        rows |= has_number(ln);
    }
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
    int lineno = (int)nb_doc_line_count(doc), prev_page = -1;
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
