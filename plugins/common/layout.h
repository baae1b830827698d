/* layout.h - positioned text to lines of cells, for fixed-layout readers
 * (PDF today; any reader that knows where each character is drawn).
 *
 * A reader feeds one page at a time: its size and every character with its
 * box.  The page is rebuilt as the recogniser wants it: characters into
 * lines (y grouping relative to the font size; pages whose text runs
 * vertically or upside down are turned first), lines into cells (split
 * where the gap is wide relative to the font size), running headers,
 * footers and page numbers dropped, and table rows aligned on one column
 * grid per table (a table continued on the next page keeps its grid), so a
 * blank cell stays an empty cell in its column.  Only the lines are kept
 * between pages: the caller may free each page's characters at once.
 *
 * Built as a small static library linked into the plugins that use it; it
 * adds nothing to libnianbao's exported ABI. */
#ifndef NB_LAYOUT_H
#define NB_LAYOUT_H

#include "nianbao/doc.h"
#include <stddef.h>
#include <stdint.h>

/* One drawn character; y grows downwards (top-left origin). */
typedef struct nb_glyph {
    double x0, y0, x1, y1;
    uint32_t cp; /* Unicode code point; white space is ignored */
} nb_glyph;

typedef struct nb_layout nb_layout;

nb_layout *nb_layout_new(void);
void nb_layout_free(nb_layout *L);

/* Adds a page (glyphs in the order the page draws them, which tells the
 * reading direction).  Returns NB_FATAL only when out of memory. */
nb_status nb_layout_add_page(nb_layout *L, double width, double height, const nb_glyph *g, size_t n,
                             nb_error *err);

/* Characters seen so far (0 means no text layer at all). */
size_t nb_layout_glyphs(const nb_layout *L);

/* Appends the document's lines to doc (headers/footers dropped, table
 * rows on their grid).  Returns NB_FATAL only when out of memory. */
nb_status nb_layout_emit(nb_layout *L, nb_doc *doc, nb_error *err);

#endif
