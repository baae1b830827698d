/* test_html_grid.c - the html reader's table layout: tables are laid out
 * a row at a time (column cover ends and row widths, html_table.c); every
 * generated table must read as the plain layout reads it, a grid of
 * positions marked used cell by cell (the layout of earlier rounds, kept
 * here as the reference), in both span modes: spans of every size, rowspan
 * 0 (to the end), overlaps, rows wider than HT_MAX_COLS, grids past
 * HT_MAX_GRID, empty rows and cells, cells inside other elements.  The
 * plugin's sources are compiled in, as test_archive_names.c does. */
#include <check.h>
#include <stdlib.h>
#include <string.h>
#include "testutil.h"
#include "../../plugins/in_html/html_tags.c"
#include "../../plugins/in_html/html_table.c"

/* The reference: a grid of slots per table ------------------------------ */

typedef struct slot {
    size_t text;
    bool has, used;
} slot;

typedef struct grow {
    slot *at;
    size_t width, cap;
} grow;

static bool grow_to(grow *r, size_t w)
{
    if (w <= r->cap) {
        if (w > r->width)
            r->width = w;
        return true;
    }
    size_t cap = r->cap ? r->cap : 8;
    while (cap < w)
        cap *= 2;
    slot *a = realloc(r->at, cap * sizeof *a);
    if (!a)
        return false;
    for (size_t i = r->cap; i < cap; i++)
        a[i] = (slot){0};
    r->at = a;
    r->cap = cap;
    r->width = w;
    return true;
}

static bool ref_emit(const ht_node *table, nb_doc *doc, bool printed_only)
{
    nodes rows = {0}, cells = {0};
    ht_text all = {0};
    bool ok = collect_rows(table, &rows, 0);
    grow *g = calloc(rows.n + 1, sizeof *g);
    size_t marks = 0;
    for (size_t r = 0; ok && r < rows.n; r++) {
        cells.n = 0;
        ok = collect_cells(rows.v[r], &cells, 0);
        size_t col = 0;
        for (size_t i = 0; ok && i < cells.n; i++) {
            const ht_node *c = cells.v[i];
            while (col < g[r].width && g[r].at[col].used)
                col++;
            if (col >= HT_MAX_COLS)
                break;
            size_t cs = (size_t)c->colspan, rs = c->rowspan == 0 ? rows.n - r : (size_t)c->rowspan;
            if (cs > HT_MAX_COLS - col)
                cs = HT_MAX_COLS - col;
            if (rs > rows.n - r)
                rs = rows.n - r;
            if (rs < 1 || marks + rs * cs > HT_MAX_GRID)
                rs = 1;
            for (size_t y = r; ok && y < r + rs; y++) {
                ok = grow_to(&g[y], col + cs);
                for (size_t x = col; ok && x < col + cs; x++)
                    g[y].at[x].used = true;
            }
            marks += rs * cs;
            size_t off;
            ok = ok && cell_text(c, &all, &off);
            if (ok) {
                g[r].at[col].text = off;
                g[r].at[col].has = true;
            }
            col += cs;
        }
    }
    for (size_t r = 0; ok && r < rows.n; r++) {
        bool any = false;
        for (size_t x = 0; x < g[r].width; x++)
            any |= g[r].at[x].has && all.b.s[g[r].at[x].text];
        if (!any)
            continue;
        const char **v = malloc((g[r].width + 1) * sizeof *v);
        size_t nv = 0;
        for (size_t x = 0; x < g[r].width; x++)
            if (g[r].at[x].has || !printed_only)
                v[nv++] = g[r].at[x].has ? all.b.s + g[r].at[x].text : "";
        ok = nb_doc_add(doc, NB_LINE_ROW, 0, rows.v[r]->line, v, nv) == NB_OK;
        free(v);
    }
    for (size_t r = 0; r < rows.n; r++)
        free(g[r].at);
    free(g);
    strbuf_free(&all.b);
    free(rows.v);
    free(cells.v);
    return ok;
}

/* Generated tables --------------------------------------------------------- */

typedef struct pool {
    ht_node *v;
    size_t n, cap;
} pool;

static ht_node *node(pool *p, ht_node *parent, ht_tag id, const char *text, int line)
{
    ck_assert_uint_lt(p->n, p->cap);
    ht_node *n = &p->v[p->n++];
    memset(n, 0, sizeof *n);
    n->tag = text ? "" : ht_tag_name(id);
    n->id = text ? HT_OTHER : id;
    n->text = text;
    n->textlen = text ? strlen(text) : 0;
    n->rowspan = n->colspan = 1;
    n->line = line;
    n->parent = parent;
    if (parent) {
        if (parent->last)
            parent->last->next = n;
        else
            parent->first = n;
        parent->last = n;
    }
    return n;
}

static void assert_same_docs(const nb_doc *a, const nb_doc *b)
{
    ck_assert_uint_eq(nb_doc_line_count(a), nb_doc_line_count(b));
    for (size_t i = 0; i < nb_doc_line_count(a); i++) {
        ck_assert_int_eq(nb_doc_line_number(a, i), nb_doc_line_number(b, i));
        ck_assert_uint_eq(nb_doc_cell_count(a, i), nb_doc_cell_count(b, i));
        for (size_t j = 0; j < nb_doc_cell_count(a, i); j++)
            ck_assert_str_eq(nb_doc_cell(a, i, j), nb_doc_cell(b, i, j));
    }
}

START_TEST(grid_matches_plain_layout)
{
    static const char *const texts[] = {"", "a", "\xe4\xb8\xad", "x y", " ", "12"};
    static const int colspans[] = {1, 1, 1, 2, 3, 5, 64};
    static const int rowspans[] = {1, 1, 1, 2, 3, 0, 7, 65534};
    unsigned seed = 31;
    pool p = {.cap = 1 << 16};
    p.v = malloc(p.cap * sizeof *p.v);
    /* one scratch for every table, as a document's share it: nothing of
     * one table may show in the next */
    ht_tables *scratch = NULL;
    for (int round = 0; round < 2000; round++) {
        p.n = 0;
        bool big = round % 100 == 99; /* thousands of rows: HT_MAX_GRID */
        size_t nrows = big ? 2000 + tu_rand(&seed) % 1000 : 1 + tu_rand(&seed) % 14;
        size_t maxcells = big ? 3 : 1 + tu_rand(&seed) % 8;
        ht_node *table = node(&p, NULL, HT_table, NULL, 1);
        ht_node *body = tu_rand(&seed) % 2 ? node(&p, table, HT_tbody, NULL, 1) : table;
        for (size_t r = 0; r < nrows; r++) {
            ht_node *tr = node(&p, body, HT_tr, NULL, (int)r + 2);
            size_t nc = tu_rand(&seed) % (maxcells + 1);
            for (size_t k = 0; k < nc; k++) {
                /* now and then a cell inside another element (a <form>) */
                ht_node *in = tu_rand(&seed) % 9 == 0 ? node(&p, tr, HT_form, NULL, (int)r + 2) : tr;
                ht_node *td = node(&p, in, tu_rand(&seed) % 5 ? HT_td : HT_th, NULL, (int)r + 2);
                td->colspan = colspans[tu_rand(&seed) % (sizeof colspans / sizeof colspans[0])];
                td->rowspan = rowspans[tu_rand(&seed) % (sizeof rowspans / sizeof rowspans[0])];
                if (big && tu_rand(&seed) % 2)
                    td->rowspan = 0, td->colspan = 64;
                size_t nt = tu_rand(&seed) % 3;
                for (size_t j = 0; j < nt; j++)
                    node(&p, td, HT_OTHER, texts[tu_rand(&seed) % (sizeof texts / sizeof texts[0])], (int)r + 2);
            }
        }
        for (int cells = 0; cells < 2; cells++) {
            nb_doc *a = nb_doc_new("a"), *b = nb_doc_new("b");
            ck_assert(cells ? ht_table_emit_cells(table, &scratch, a)
                            : ht_table_emit(table, &scratch, a));
            ck_assert(ref_emit(table, b, cells));
            assert_same_docs(a, b);
            nb_doc_free(a);
            nb_doc_free(b);
        }
    }
    ht_tables_free(scratch);
    free(p.v);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("html_grid");
    TCase *tc = tcase_create("core");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, grid_matches_plain_layout);
    suite_add_tcase(s, tc);
    return tu_main(s);
}
