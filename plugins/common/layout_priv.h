/* layout_priv.h - the layout module's lines, shared by its two steps:
 * layout_page.c (a page's characters into lines of cells) and
 * layout_doc.c (lines of all pages into the document). */
#ifndef NB_LAYOUT_PRIV_H
#define NB_LAYOUT_PRIV_H

#include "layout.h"
#include <stdbool.h>

typedef struct lo_cell {
    double x0, x1;
    char *text; /* UTF-8 */
    bool num;   /* a number (digits, separators, full-width digits) */
} lo_cell;

typedef struct lo_line {
    int page;
    double y0, y1;  /* extent on its page */
    double size;    /* typical character height: the font size */
    double page_h;
    lo_cell *cells;
    size_t n;
    bool first, last; /* first or last line of its page */
    bool drop;        /* a running header, footer or page number */
} lo_line;

struct nb_layout {
    lo_line *lines;
    size_t n, cap;
    int pages;
    size_t glyphs;
};

/* Appends a line (takes the cells); false when out of memory. */
bool lo_push_line(nb_layout *L, const lo_line *ln);
bool lo_is_number(const char *s);
void lo_drop_running(nb_layout *L);

#endif
