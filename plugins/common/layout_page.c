/* layout_page.c - one page's characters into lines of cells.
 *
 * Sizes are relative to the font size (a character's height), never fixed
 * point counts, so small print and large print split alike. */
#include "layout_priv.h"
#include "nianbao/text.h"
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define SAME_LINE 0.5   /* centres closer than this many heights share a line */
#define CELL_GAP 1.0    /* a gap wider than this many heights starts a cell */
#define NUM_GAP 0.45    /* ... between two digits, a narrower one does */
#define SPACE_GAP 0.25  /* inside a cell, a gap this wide is written as a space */

typedef struct pg_glyph {
    double x0, y0, x1, y1, yc, h;
    uint32_t cp;
} pg_glyph;

static bool is_space(uint32_t cp)
{
    return cp <= 0x20 || cp == 0x3000 || cp == 0xa0 || (cp >= 0x2000 && cp <= 0x200b) || cp == 0xfeff;
}

static bool is_digit(uint32_t cp) { return (cp >= '0' && cp <= '9') || (cp >= 0xff10 && cp <= 0xff19); }

/* Which way the text reads: 0 left to right, 1 downwards, 2 right to left,
 * 3 upwards; voted by neighbouring characters in drawing order. */
static int reading_direction(const nb_glyph *g, size_t n)
{
    size_t votes[4] = {0};
    const nb_glyph *prev = NULL;
    for (size_t i = 0; i < n; i++) {
        if (is_space(g[i].cp))
            continue;
        if (prev) {
            double dx = (g[i].x0 + g[i].x1 - prev->x0 - prev->x1) / 2;
            double dy = (g[i].y0 + g[i].y1 - prev->y0 - prev->y1) / 2;
            double size = fmax(fmin(g[i].x1 - g[i].x0, g[i].y1 - g[i].y0), 1);
            if (fabs(dx) + fabs(dy) < 3 * size && fabs(dx) + fabs(dy) > 0)
                votes[fabs(dx) >= fabs(dy) ? (dx > 0 ? 0 : 2) : (dy > 0 ? 1 : 3)]++;
        }
        prev = &g[i];
    }
    int best = 0;
    for (int d = 1; d < 4; d++)
        if (votes[d] > votes[best])
            best = d;
    return best;
}

/* Turns a point so that the text reads left to right, lines downwards. */
static void turn(int dir, double w, double h, double x, double y, double *ox, double *oy)
{
    switch (dir) {
    case 1: *ox = y; *oy = w - x; break;
    case 2: *ox = w - x; *oy = h - y; break;
    case 3: *ox = h - y; *oy = x; break;
    default: *ox = x; *oy = y; break;
    }
}

static pg_glyph *upright_glyphs(const nb_glyph *g, size_t n, double w, double h, size_t *out_n,
                               double *page_h)
{
    int dir = reading_direction(g, n);
    *page_h = dir % 2 ? w : h;
    pg_glyph *v = malloc((n ? n : 1) * sizeof *v);
    size_t k = 0;
    if (!v)
        return NULL;
    for (size_t i = 0; i < n; i++) {
        if (is_space(g[i].cp))
            continue;
        double ax, ay, bx, by;
        turn(dir, w, h, g[i].x0, g[i].y0, &ax, &ay);
        turn(dir, w, h, g[i].x1, g[i].y1, &bx, &by);
        pg_glyph *p = &v[k];
        p->x0 = fmin(ax, bx), p->x1 = fmax(ax, bx);
        p->y0 = fmin(ay, by), p->y1 = fmax(ay, by);
        p->h = p->y1 - p->y0;
        if (!(p->h > 0) || !isfinite(p->h + p->x0 + p->x1))
            continue; /* degenerate boxes carry no position */
        p->yc = (p->y0 + p->y1) / 2;
        p->cp = g[i].cp;
        k++;
    }
    *out_n = k;
    return v;
}

static int by_centre(const void *a, const void *b)
{
    const pg_glyph *x = a, *y = b;
    return (x->yc > y->yc) - (x->yc < y->yc);
}

static int by_left(const void *a, const void *b)
{
    const pg_glyph *x = a, *y = b;
    return (x->x0 > y->x0) - (x->x0 < y->x0);
}

static double median_height(const pg_glyph *g, size_t n)
{
    double *h = malloc(n * sizeof *h);
    if (!h)
        return g[0].h;
    for (size_t i = 0; i < n; i++)
        h[i] = g[i].h;
    for (size_t i = 1; i < n; i++) /* lines are short: insertion sort */
        for (size_t j = i; j > 0 && h[j - 1] > h[j]; j--) {
            double t = h[j];
            h[j] = h[j - 1];
            h[j - 1] = t;
        }
    double m = h[n / 2];
    free(h);
    return m;
}

typedef struct text_buf {
    char *s;
    size_t n, cap;
} text_buf;

static bool buf_put(text_buf *b, uint32_t cp)
{
    if (b->n + 5 > b->cap) {
        size_t cap = b->cap ? b->cap * 2 : 64;
        char *s = realloc(b->s, cap);
        if (!s)
            return false;
        b->s = s, b->cap = cap;
    }
    b->n += nb_utf8_put(cp, b->s + b->n);
    b->s[b->n] = '\0';
    return true;
}

static bool close_cell(lo_line *ln, size_t *cap, text_buf *b, double x0, double x1)
{
    if (ln->n == *cap) {
        size_t nc = *cap ? *cap * 2 : 8;
        lo_cell *c = realloc(ln->cells, nc * sizeof *c);
        if (!c)
            return false;
        ln->cells = c, *cap = nc;
    }
    ln->cells[ln->n++] = (lo_cell){x0, x1, b->s, lo_is_number(b->s)};
    memset(b, 0, sizeof *b);
    return true;
}

/* One line's glyphs (sorted left to right) into cells. */
static bool build_cells(lo_line *ln, const pg_glyph *g, size_t n)
{
    size_t cap = 0;
    text_buf b = {0};
    double cx0 = g[0].x0, cx1 = g[0].x1;
    if (!buf_put(&b, g[0].cp))
        return false;
    for (size_t i = 1; i < n; i++) {
        const pg_glyph *p = &g[i - 1], *c = &g[i];
        double gap = c->x0 - cx1;
        if (c->cp == p->cp && fabs(c->x0 - p->x0) < 0.2 * ln->size)
            continue; /* drawn twice (fake bold) */
        bool digits = is_digit(p->cp) && is_digit(c->cp);
        if (gap > CELL_GAP * ln->size || (digits && gap > NUM_GAP * ln->size)) {
            if (!close_cell(ln, &cap, &b, cx0, cx1))
                goto oom;
            cx0 = c->x0;
        } else if (gap > SPACE_GAP * ln->size && !buf_put(&b, ' '))
            goto oom;
        if (!buf_put(&b, c->cp))
            goto oom;
        cx1 = fmax(cx1, c->x1);
    }
    if (close_cell(ln, &cap, &b, cx0, cx1))
        return true;
oom:
    free(b.s);
    return false;
}

static bool add_line(nb_layout *L, pg_glyph *g, size_t n, double page_h)
{
    qsort(g, n, sizeof *g, by_left);
    lo_line ln = {.page = L->pages, .y0 = g[0].y0, .y1 = g[0].y1, .page_h = page_h};
    for (size_t i = 1; i < n; i++)
        ln.y0 = fmin(ln.y0, g[i].y0), ln.y1 = fmax(ln.y1, g[i].y1);
    ln.size = median_height(g, n);
    if (!build_cells(&ln, g, n) || !lo_push_line(L, &ln)) {
        for (size_t i = 0; i < ln.n; i++)
            free(ln.cells[i].text);
        free(ln.cells);
        return false;
    }
    return true;
}

nb_status nb_layout_add_page(nb_layout *L, double width, double height, const nb_glyph *g, size_t n,
                             nb_error *err)
{
    size_t k = 0;
    double page_h = height;
    pg_glyph *v = upright_glyphs(g, n, width, height, &k, &page_h);
    bool ok = v != NULL;
    if (ok && k) {
        qsort(v, k, sizeof *v, by_centre);
        size_t first_line = L->n, start = 0;
        for (size_t i = 1; i <= k && ok; i++) {
            double tol = SAME_LINE * fmin(v[start].h, i < k ? v[i].h : 0);
            if (i < k && fabs(v[i].yc - v[start].yc) <= tol)
                continue;
            ok = add_line(L, v + start, i - start, page_h);
            start = i;
        }
        if (ok && L->n > first_line) {
            L->lines[first_line].first = true;
            L->lines[L->n - 1].last = true;
        }
        L->glyphs += k;
    }
    free(v);
    L->pages++;
    if (!ok) {
        nb_error_set(err, NB_E_INTERNAL, NULL, "out of memory");
        return NB_FATAL;
    }
    return NB_OK;
}
