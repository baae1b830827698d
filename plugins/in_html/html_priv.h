/* html_priv.h - the html reader's parts: a tolerant tokenizer
 * (html_lex.c), a small element tree (html_tree.c), tables as cell grids
 * (html_table.c), and the reader that turns the tree into a document
 * (html.c).  Nothing here is exported from the plugin. */
#ifndef NB_HTML_PRIV_H
#define NB_HTML_PRIV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "nianbao/doc.h"

/* Limits: deeper nesting is flattened into the deepest element, larger
 * spans are clamped.  They keep recursion and grids bounded on any input. */
#define HT_MAX_DEPTH 128     /* open elements */
#define HT_MAX_COLSPAN 64
#define HT_MAX_COLS 256      /* grid columns per table */
#define HT_MAX_GRID (1u << 20) /* grid positions per table */
#define HT_TAG_MAX 24        /* longer tag names are kept truncated */

/* Growable string --------------------------------------------------- */
#include "strbuf.h"


/* Tokens ------------------------------------------------------------ */
typedef enum ht_tok_kind { HT_TOK_EOF = 0, HT_TOK_TEXT, HT_TOK_START, HT_TOK_END } ht_tok_kind;

typedef struct ht_attr {
    char name[HT_TAG_MAX];
    char *value; /* entity-decoded, owned */
} ht_attr;

typedef struct ht_token {
    ht_tok_kind kind;
    char name[HT_TAG_MAX]; /* lower case tag name */
    bool self_closing;
    ht_attr *attrs;
    size_t nattrs, capattrs;
    strbuf text;           /* TEXT: entity-decoded text */
    int line;              /* 1-based source line where the token starts */
} ht_token;

typedef struct ht_lexer {
    const char *s;
    size_t len, pos;
    size_t line_pos; /* newlines counted up to here */
    int line;
    char raw[HT_TAG_MAX]; /* inside <script>/<style>/<title>...: its name */
} ht_lexer;

void ht_lex_init(ht_lexer *lx, const char *s, size_t len);
/* Next token into *t (its old contents are cleared).  false: out of memory. */
bool ht_lex_next(ht_lexer *lx, ht_token *t);
void ht_token_free(ht_token *t);
const char *ht_token_attr(const ht_token *t, const char *name);
/* Appends s[0..n) to b with character references decoded. */
bool ht_decode_entities(strbuf *b, const char *s, size_t n);

/* Tree -------------------------------------------------------------- */
typedef struct ht_node ht_node;
struct ht_node {
    char tag[HT_TAG_MAX]; /* "" for a text node, "#root" for the root */
    char *text;           /* text node: decoded text */
    size_t textlen;
    char *cls;            /* class and id, for finding the article (may be NULL) */
    int rowspan, colspan; /* cells: >= 1 (rowspan 0 = to the end) */
    bool hidden;          /* style="display:none" or the hidden attribute */
    int line;
    ht_node *parent, *first, *last, *next;
    /* filled by ht_tree_measure */
    size_t ntext;         /* visible text bytes below */
    size_t ncells;        /* table cells below */
    size_t ntables;       /* tables below (this one included) */
};

typedef struct ht_tree {
    ht_node *root;
    ht_node **all; /* every node in document order; owns them */
    size_t n, cap;
    char *title;   /* <title> text, NULL when none */
    int title_line;
} ht_tree;

/* Builds the tree of decoded UTF-8 text.  false: out of memory. */
bool ht_tree_build(ht_tree *tr, const char *text, size_t len);
void ht_tree_free(ht_tree *tr);
bool ht_is(const ht_node *n, const char *tag);
/* Elements whose content is never report text (script, nav, footer ...). */
bool ht_dropped(const ht_node *n);
/* Counts text and cells below every node. */
void ht_tree_measure(ht_tree *tr);
/* The article container (or the body / root when there is none). */
const ht_node *ht_tree_article(const ht_tree *tr);

/* Text collection --------------------------------------------------- */
/* White space is collapsed; a block boundary inside the text (<p>, <br>,
 * <div>) joins two CJK characters with nothing and anything else with a
 * space, as does a white-space run holding a line break. */
typedef struct ht_text {
    strbuf b;
    uint32_t last;  /* last code point written */
    bool space;     /* white space seen since */
    bool newline;   /* ... holding a line break */
    bool brk;       /* block boundary since */
    int line;       /* line of the first character, 0 when empty */
} ht_text;

bool ht_text_add(ht_text *t, const char *s, size_t n, int line);
void ht_text_break(ht_text *t);
void ht_text_reset(ht_text *t);

/* Tables ------------------------------------------------------------ */
/* A table holding another table is a layout table: read as blocks. */
bool ht_table_is_layout(const ht_node *table);
/* Adds one NB_LINE_ROW per <tr> of a data table: cells on the expanded
 * grid, a merged cell's text in its first position.  false: out of memory. */
bool ht_table_emit(const ht_node *table, nb_doc *doc);
/* The same with one cell per printed <td> (positions a span covers left
 * out), as a copy from a word processor gives them: option spans=cells. */
bool ht_table_emit_cells(const ht_node *table, nb_doc *doc);
/* Collects a node's text (cell mode: blocks become soft breaks). */
bool ht_collect_text(const ht_node *n, ht_text *t, int depth);

#endif
