/* doc_internal.h - the layout of a document.  Private to the library:
 * plugins build and read documents with the functions of nianbao/doc.h. */
#ifndef NB_DOC_INTERNAL_H
#define NB_DOC_INTERNAL_H

#include "nianbao/doc.h"

typedef struct nb_doc_line {
    nb_line_kind kind;
    int level;        /* heading level, 0 otherwise */
    int lineno;       /* 1-based line in the decoded source */
    char **cells;
    size_t ncells;
} nb_doc_line;

/* The lines' cells (pointer array and strings) live in chunks the
 * document owns: a line costs no allocation of its own. */
typedef struct nb_doc_chunk nb_doc_chunk;

/* Lines, and cells, a document holds at most.  A report has a few
 * thousand cells (a long PDF some tens of thousands); the document and
 * the recogniser keep some 300 bytes a cell, so a page of millions of tiny
 * cells (a 6 MB text of "1<TAB>2" lines, or a small zip holding one) would
 * take gigabytes.  Lines past it are dropped and the document is marked. */
#define NB_DOC_MAX_CELLS 262144u

struct nb_doc {
    char *name;       /* source path for messages */
    char *encoding;   /* what the bytes were decoded from */
    nb_doc_line *lines;
    size_t nlines, cap;
    size_t ncells;    /* cells of all lines (the recogniser sizes its units by it) */
    bool over;        /* lines were dropped at NB_DOC_MAX_CELLS: no report */
    nb_doc_chunk *chunks; /* the newest first */
};

#endif
