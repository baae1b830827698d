/* docx_priv.h - what the docx plugin's files share: the small model the
 * XML walk builds (paragraphs and tables, tables as rows of cells with
 * their spans and merges) and the steps that lead from a package to a
 * document.  Nothing here is exported. */
#ifndef NB_IN_DOCX_PRIV_H
#define NB_IN_DOCX_PRIV_H

#include <stdbool.h>
#include <stddef.h>
#include "nianbao/plugin.h"

/* Bounds that keep a hostile document from costing more than a large real
 * one: grid columns per row and tables inside tables. */
#define DX_MAX_COLS 256u
#define DX_MAX_FRAMES 64u

#include "strbuf.h"


typedef struct dx_table dx_table;

typedef enum dx_block_kind { DX_PARA = 1, DX_TABLE } dx_block_kind;

/* dx_block.level of a table-of-contents entry: not a line of the document. */
#define DX_LEVEL_TOC (-1)

/* A paragraph's text keeps '\t' for w:tab and '\n' for w:br / w:cr. */
typedef struct dx_block {
    dx_block_kind kind;
    int level;       /* heading level from the paragraph style, 0 otherwise, or DX_LEVEL_TOC */
    char *text;      /* DX_PARA, owned */
    size_t len;
    dx_table *table; /* DX_TABLE, owned */
} dx_block;

typedef struct dx_blocks {
    dx_block *v;
    size_t n, cap;
} dx_blocks;

typedef enum dx_merge { DX_MERGE_NONE = 0, DX_MERGE_RESTART, DX_MERGE_CONTINUE } dx_merge;

typedef struct dx_cell {
    unsigned span;    /* w:gridSpan, at least 1 */
    dx_merge vmerge;  /* w:vMerge */
    dx_blocks body;
} dx_cell;

typedef struct dx_row {
    unsigned before;  /* w:gridBefore: empty grid columns before the first cell */
    bool deleted;     /* tracked deletion of the whole row (w:trPr/w:del) */
    dx_cell *v;
    size_t n, cap;
} dx_row;

struct dx_table {
    size_t ncols;     /* w:tblGrid columns */
    bool holds_table; /* a cell holds a table: a layout table, read as blocks */
    dx_row *v;
    size_t n, cap;
};

/* docx_model.c: growing and freeing the model.  The add functions take
 * ownership of what they are given (also on failure) and return false only
 * when out of memory. */
bool dx_blocks_add_para(dx_blocks *b, char *text, size_t len, int level);
bool dx_blocks_add_table(dx_blocks *b, dx_table *t);
bool dx_blocks_move(dx_blocks *dst, dx_blocks *src); /* appends src, empties it */
void dx_blocks_free(dx_blocks *b);
dx_row *dx_table_add_row(dx_table *t);
dx_cell *dx_row_add_cell(dx_row *r);
void dx_table_free(dx_table *t);

/* docx_package.c: the main document part (word/document.xml, or whatever
 * _rels/.rels names) read out of the package, at most max bytes.  On
 * failure err names the stream and says why (not a zip, encrypted, no
 * document part, too large, damaged member). */
nb_status dx_package_read(nb_stream *in, size_t max, char **xml, size_t *len, nb_error *err);

/* docx_xml.c: the body of a WordprocessingML document as blocks. */
nb_status dx_xml_parse(const char *xml, size_t len, const char *name, dx_blocks *out, nb_error *err);

/* docx_emit.c: blocks as document lines (paragraphs as text lines, data
 * tables as rows, layout tables as the blocks in their cells); grid: one
 * cell per grid column instead of one per w:tc. */
bool dx_emit(const dx_blocks *body, bool grid, nb_doc *doc);

#endif
