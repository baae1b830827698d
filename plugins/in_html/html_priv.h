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
#define HT_MAX_ATTRS 256     /* per tag; attribute floods: the rest are ignored */

/* Growable string; bump allocator ---------------------------------- */
#include "../common/strbuf.h"
#include "../common/arena.h"

/* Tag names --------------------------------------------------------- */
/* What a tag does for the tree builder and the readers. */
enum {
    HT_F_VOID = 1 << 0,     /* no content and no end tag */
    HT_F_EMPTY = 1 << 1,    /* raw text the tokenizer skipped: no content */
    HT_F_CLOSES_P = 1 << 2, /* its start tag closes an open <p> */
    HT_F_DROP = 1 << 3,     /* its content is never report text */
    HT_F_SCOPE = 1 << 4,    /* an end tag does not close across it */
    HT_F_LIST = 1 << 5,     /* <li>, <dd>, <dt> do not close across it */
    HT_F_TABLE = 1 << 6,    /* table parts do not close across it */
    HT_F_ROW = 1 << 7,      /* <tr> does not close across it */
    HT_F_CELL = 1 << 8,     /* <td>, <th> do not close across it */
    HT_F_LINE = 1 << 9,     /* a block: a line of its own outside tables */
    HT_F_BLOCK = 1 << 10,   /* a block: a soft break inside a table cell */
    HT_F_RAW = 1 << 11,     /* its content is raw text (script, style, title) */
    HT_F_TEND = 1 << 12     /* a table part: its end tag stops at the table */
};

/* Every tag treated specially, in strcmp order (ht_tag_id searches it);
 * common inline tags (flags 0) are listed so that they need no name copy. */
#define HT_TAGS(X) \
    X(a, 0) \
    X(address, HT_F_CLOSES_P | HT_F_LINE | HT_F_BLOCK) \
    X(applet, HT_F_DROP) \
    X(area, HT_F_VOID) \
    X(article, HT_F_CLOSES_P | HT_F_LINE | HT_F_BLOCK) \
    X(aside, HT_F_CLOSES_P | HT_F_LINE | HT_F_BLOCK) \
    X(audio, HT_F_DROP) \
    X(b, 0) \
    X(base, HT_F_VOID) \
    X(basefont, HT_F_VOID) \
    X(bgsound, HT_F_VOID) \
    X(blockquote, HT_F_CLOSES_P | HT_F_LINE | HT_F_BLOCK) \
    X(body, HT_F_LINE) \
    X(br, HT_F_VOID) \
    X(button, HT_F_DROP | HT_F_SCOPE) \
    X(canvas, HT_F_DROP) \
    X(caption, HT_F_SCOPE | HT_F_LIST | HT_F_LINE | HT_F_BLOCK | HT_F_TEND) \
    X(center, HT_F_CLOSES_P | HT_F_LINE | HT_F_BLOCK) \
    X(col, HT_F_VOID) \
    X(datalist, HT_F_DROP) \
    X(dd, HT_F_CLOSES_P | HT_F_LINE | HT_F_BLOCK) \
    X(details, HT_F_CLOSES_P) \
    X(dialog, HT_F_CLOSES_P) \
    X(dir, HT_F_CLOSES_P) \
    X(div, HT_F_CLOSES_P | HT_F_LINE | HT_F_BLOCK) \
    X(dl, HT_F_CLOSES_P | HT_F_LINE | HT_F_BLOCK) \
    X(dt, HT_F_CLOSES_P | HT_F_LINE | HT_F_BLOCK) \
    X(em, 0) \
    X(embed, HT_F_VOID) \
    X(fieldset, HT_F_CLOSES_P | HT_F_LINE | HT_F_BLOCK) \
    X(figcaption, HT_F_CLOSES_P | HT_F_LINE | HT_F_BLOCK) \
    X(figure, HT_F_CLOSES_P | HT_F_LINE | HT_F_BLOCK) \
    X(font, 0) \
    X(footer, HT_F_CLOSES_P | HT_F_DROP) \
    X(form, HT_F_CLOSES_P | HT_F_LINE | HT_F_BLOCK) \
    X(frame, HT_F_VOID) \
    X(h1, HT_F_CLOSES_P | HT_F_BLOCK) \
    X(h2, HT_F_CLOSES_P | HT_F_BLOCK) \
    X(h3, HT_F_CLOSES_P | HT_F_BLOCK) \
    X(h4, HT_F_CLOSES_P | HT_F_BLOCK) \
    X(h5, HT_F_CLOSES_P | HT_F_BLOCK) \
    X(h6, HT_F_CLOSES_P | HT_F_BLOCK) \
    X(head, HT_F_DROP) \
    X(header, HT_F_CLOSES_P | HT_F_LINE | HT_F_BLOCK) \
    X(hgroup, HT_F_CLOSES_P) \
    X(hr, HT_F_VOID | HT_F_CLOSES_P | HT_F_LINE | HT_F_BLOCK) \
    X(html, 0) \
    X(i, 0) \
    X(iframe, HT_F_EMPTY | HT_F_DROP | HT_F_RAW) \
    X(image, HT_F_VOID) \
    X(img, HT_F_VOID) \
    X(input, HT_F_VOID) \
    X(keygen, HT_F_VOID) \
    X(label, 0) \
    X(legend, HT_F_LINE | HT_F_BLOCK) \
    X(li, HT_F_CLOSES_P | HT_F_LINE | HT_F_BLOCK) \
    X(link, HT_F_VOID) \
    X(main, HT_F_CLOSES_P | HT_F_LINE | HT_F_BLOCK) \
    X(map, HT_F_DROP) \
    X(marquee, HT_F_SCOPE) \
    X(menu, HT_F_CLOSES_P) \
    X(meta, HT_F_VOID) \
    X(nav, HT_F_CLOSES_P | HT_F_DROP) \
    X(noembed, HT_F_EMPTY | HT_F_RAW) \
    X(noframes, HT_F_EMPTY | HT_F_RAW) \
    X(noscript, HT_F_DROP) \
    X(object, HT_F_DROP | HT_F_SCOPE) \
    X(ol, HT_F_CLOSES_P | HT_F_LIST | HT_F_LINE | HT_F_BLOCK) \
    X(option, HT_F_DROP) \
    X(p, HT_F_CLOSES_P | HT_F_LINE | HT_F_BLOCK) \
    X(param, HT_F_VOID) \
    X(plaintext, HT_F_EMPTY | HT_F_RAW) \
    X(pre, HT_F_CLOSES_P | HT_F_LINE | HT_F_BLOCK) \
    X(script, HT_F_EMPTY | HT_F_DROP | HT_F_RAW) \
    X(section, HT_F_CLOSES_P | HT_F_LINE | HT_F_BLOCK) \
    X(select, HT_F_DROP) \
    X(small, 0) \
    X(source, HT_F_VOID) \
    X(span, 0) \
    X(strong, 0) \
    X(style, HT_F_EMPTY | HT_F_DROP | HT_F_RAW) \
    X(sub, 0) \
    X(summary, HT_F_CLOSES_P) \
    X(sup, 0) \
    X(svg, HT_F_DROP) \
    X(table, HT_F_SCOPE | HT_F_LIST | HT_F_TABLE | HT_F_ROW | HT_F_CELL | HT_F_LINE | HT_F_BLOCK) \
    X(tbody, HT_F_ROW | HT_F_CELL | HT_F_LINE | HT_F_BLOCK | HT_F_TEND) \
    X(td, HT_F_SCOPE | HT_F_LIST | HT_F_LINE | HT_F_BLOCK | HT_F_TEND) \
    X(template, HT_F_DROP | HT_F_SCOPE | HT_F_TABLE | HT_F_ROW | HT_F_CELL) \
    X(textarea, HT_F_EMPTY | HT_F_DROP | HT_F_RAW) \
    X(tfoot, HT_F_ROW | HT_F_CELL | HT_F_LINE | HT_F_BLOCK | HT_F_TEND) \
    X(th, HT_F_SCOPE | HT_F_LIST | HT_F_LINE | HT_F_BLOCK | HT_F_TEND) \
    X(thead, HT_F_ROW | HT_F_CELL | HT_F_LINE | HT_F_BLOCK | HT_F_TEND) \
    X(title, HT_F_RAW) \
    X(tr, HT_F_CELL | HT_F_LINE | HT_F_BLOCK | HT_F_TEND) \
    X(track, HT_F_VOID) \
    X(u, 0) \
    X(ul, HT_F_CLOSES_P | HT_F_LIST | HT_F_LINE | HT_F_BLOCK) \
    X(video, HT_F_DROP) \
    X(wbr, HT_F_VOID) \
    X(xmp, HT_F_EMPTY | HT_F_RAW)

#define HT_TAG_ENUM(name, flags) HT_##name,
typedef enum ht_tag { HT_OTHER = 0, HT_TAGS(HT_TAG_ENUM) HT_NTAGS } ht_tag;
#undef HT_TAG_ENUM

extern const unsigned short ht_tag_flags[HT_NTAGS];
/* The id of a lower-case tag name; HT_OTHER for any other name. */
ht_tag ht_tag_id(const char *name);
/* Tag names by id, "" for HT_OTHER (static strings). */
extern const char *const ht_tag_names[HT_NTAGS];
/* The name of a tag other than HT_OTHER (a static string). */
static inline const char *ht_tag_name(ht_tag id) { return id > HT_OTHER && id < HT_NTAGS ? ht_tag_names[id] : ""; }

/* Tokens ------------------------------------------------------------ */
typedef enum ht_tok_kind { HT_TOK_EOF = 0, HT_TOK_TEXT, HT_TOK_START, HT_TOK_END } ht_tok_kind;

/* An attribute as the page spells it: not lower-cased, not decoded (the
 * tree builder decodes the few it reads). */
typedef struct ht_attr {
    const char *name, *value;
    size_t nlen, vlen;
} ht_attr;

/* Fields a token's kind does not name keep what an earlier token left. */
typedef struct ht_token {
    ht_tok_kind kind;
    char name[HT_TAG_MAX]; /* START, END: lower case tag name, set when id is HT_OTHER */
    ht_tag id;             /* START, END: of the tag's name */
    bool self_closing;     /* START */
    ht_attr *attrs;        /* START: the first HT_MAX_ATTRS attributes */
    size_t nattrs, capattrs;
    bool picks;            /* START, with nattrs: some attribute's name begins
                            * with c, h, i, r or s (any case), so it may be
                            * one the tree reads (class, hidden, id, rowspan,
                            * style, colspan); else they need no look */
    const char *tx;        /* TEXT: decoded text, in the page when it needs */
    size_t txlen;          /* no decoding, else in text; not NUL-terminated */
    bool in_page;          /* tx points into the page */
    size_t visible;        /* TEXT: bytes of tx neither blank nor no-break space */
    strbuf text;
    int line;              /* all: 1-based source line where the token starts */
} ht_token;

typedef struct ht_lexer {
    const char *s;
    size_t len, pos;
    size_t next_nl;  /* the first '\n' not counted in line yet (len: none) */
    int line;
    bool nuls;       /* the page holds a NUL somewhere */
    ht_tag raw;      /* inside <script>/<style>/<title>...: its id, else HT_OTHER */
    /* tag names seen, to ids: short names as spelt, packed in a uint64_t (0: empty) */
    uint64_t seen_key[64];
    ht_tag seen_id[64];
    ht_tag seen_short[64]; /* seen_id, HT_OTHER for raw text elements: the
                            * ids the short tag path takes */
} ht_lexer;

void ht_lex_init(ht_lexer *lx, const char *s, size_t len);
/* Next token into *t.  false: out of memory. */
bool ht_lex_next(ht_lexer *lx, ht_token *t);
void ht_token_free(ht_token *t);
/* Appends s[0..n) to b with character references decoded. */
bool ht_decode_entities(strbuf *b, const char *s, size_t n);
/* Bytes of s[0..n) that are not white space (' ', \t, \n, \r, \f) and
 * not part of a no-break space (C2 A0). */
size_t ht_visible_bytes(const char *s, size_t n);
/* Whether an attribute's name, lower-cased and cut as a tag name is (and
 * at a NUL, as a C string), is name (lower case, len < HT_TAG_MAX - 1
 * bytes).  Inline, without a copy: a NUL inside the first len bytes
 * fails the comparison, one right after them ends the name there. */
static inline bool ht_attr_is(const ht_attr *a, const char *name, size_t len)
{
    if (a->nlen < len || (a->nlen > len && a->name[len] != '\0'))
        return false;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)a->name[i];
        if ((c | ((unsigned)(c - 'A') < 26u) << 5) != (unsigned char)name[i])
            return false;
    }
    return true;
}

/* Tree -------------------------------------------------------------- */
typedef struct ht_node ht_node;
/* Nodes come from arena blocks and new_node (html_tree.c) sets each field
 * by name, without clearing: a field added here must be set there too. */
struct ht_node {
    const char *tag;      /* "" for a text node, "#root" for the root; not owned */
    ht_tag id;            /* of tag; HT_OTHER for text, root and unknown tags */
    const char *text;     /* text node: decoded text, not NUL-terminated; in
                           * the page when it needed no decoding */
    size_t textlen;
    char *cls;            /* class and id, for finding the article (may be NULL) */
    int rowspan, colspan; /* cells: >= 1 (rowspan 0 = to the end) */
    bool hidden;          /* style="display:none" or the hidden attribute */
    bool para;            /* text node standing for a <p> that held only it
                           * (html_tree.c): read with a block around it */
    /* set when the node joins the tree (its ancestors never change) */
    bool dropped;         /* see ht_dropped */
    bool in_dropped;      /* this node or an ancestor is dropped */
    bool in_article;      /* some ancestor is an <article> */
    int line;
    ht_node *parent, *first, *last, *next;
    /* counted as the tree is built */
    size_t ntext;         /* visible text bytes below */
    size_t ncells;        /* table cells below */
    size_t ntables;       /* tables below (this one included) */
};

typedef struct ht_tree {
    ht_node *root;
    ht_node *body;  /* the <body>, NULL when the page has none */
    ht_node **cands; /* the article's candidates in document order: elements
                      * not dropped with a class or id, <article>, <main> */
    arena mem;      /* owns the nodes and their strings */
    size_t ncands, capcands;
    char *title;   /* <title> text, NULL when none */
    int title_line;
    bool over;     /* the page has more than HT_MAX_NODES nodes: not built */
} ht_tree;

/* Nodes (elements and texts) a page may have.  A report's page has a few
 * thousand; a node takes some 130 bytes, so a page of millions of tiny
 * elements (60 MB of <p>a</p> took 1 GB) is refused instead.  Twice the
 * document's own limit of cells (doc_internal.h), which such a page would
 * pass anyway. */
#define HT_MAX_NODES (1u << 19)

/* Builds the tree of decoded UTF-8 text, which text nodes may point into:
 * it must outlive the tree; counts text and cells below every node.
 * false: out of memory, or tr->over. */
bool ht_tree_build(ht_tree *tr, const char *text, size_t len);
void ht_tree_free(ht_tree *tr);
static inline bool ht_is(const ht_node *n, ht_tag id) { return n && n->id == id; }
static inline bool ht_has(const ht_node *n, unsigned flag) { return (ht_tag_flags[n->id] & flag) != 0; }
/* Elements whose content is never report text (script, nav, footer ...). */
static inline bool ht_dropped(const ht_node *n) { return n->dropped; }
/* The article container (or the body / root when there is none). */
const ht_node *ht_tree_article(const ht_tree *tr);

/* Text collection --------------------------------------------------- */
/* White space is collapsed; a block boundary inside the text (<p>, <br>,
 * <div>) joins two CJK characters with nothing and anything else with a
 * space, as does a white-space run holding a line break. */
typedef struct ht_text {
    strbuf b;
    size_t start;   /* b's bytes before start belong to earlier texts */
    uint32_t last;  /* last code point written */
    bool space;     /* white space seen since */
    bool newline;   /* ... holding a line break */
    bool brk;       /* block boundary since */
    int line;       /* line of the first character, 0 when empty */
} ht_text;

bool ht_text_add(ht_text *t, const char *s, size_t n, int line);
void ht_text_break(ht_text *t);
/* Empties t. */
void ht_text_reset(ht_text *t);
/* Starts a new text after what t->b holds, which is kept. */
void ht_text_begin(ht_text *t);

/* Tables ------------------------------------------------------------ */
/* A table holding another table is a layout table: read as blocks. */
bool ht_table_is_layout(const ht_node *table);
/* Scratch a document's tables share (*scratch NULL before the first;
 * ht_tables_free after the last). */
typedef struct ht_tables ht_tables;
void ht_tables_free(ht_tables *s);
/* Adds one NB_LINE_ROW per <tr> of a data table: cells on the expanded
 * grid, a merged cell's text in its first position.  false: out of memory. */
bool ht_table_emit(const ht_node *table, ht_tables **scratch, nb_doc *doc);
/* The same with one cell per printed <td> (positions a span covers left
 * out), as a copy from a word processor gives them: option spans=cells. */
bool ht_table_emit_cells(const ht_node *table, ht_tables **scratch, nb_doc *doc);
/* Collects a node's text (cell mode: blocks become soft breaks). */
bool ht_collect_text(const ht_node *n, ht_text *t, int depth);

#endif
