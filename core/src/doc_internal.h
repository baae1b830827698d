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

struct nb_doc {
    char *name;       /* source path for messages */
    char *encoding;   /* what the bytes were decoded from */
    nb_doc_line *lines;
    size_t nlines, cap;
    size_t ncells;    /* cells of all lines (the recogniser sizes its units by it) */
    nb_doc_chunk *chunks; /* the newest first */
};

#endif
