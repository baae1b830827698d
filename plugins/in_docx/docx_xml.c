/* docx_xml.c - word/document.xml read with libxml2's SAX2 parser into
 * paragraphs and tables (docx_priv.h).  SAX, not xmlTextReader: the reader
 * builds and frees a node for every element, which cost twice the parse.
 *
 * Elements are matched by namespace URI and local name, so any prefix
 * bound to WordprocessingML (w:, a default namespace, the ISO "strict"
 * URI) reads the same.  What is read and what is not:
 *   - text of w:t; w:tab as '\t'; w:br and w:cr as '\n'; w:noBreakHyphen;
 *   - runs inside w:hyperlink, w:smartTag, w:sdt content, w:ins, w:moveTo,
 *     w:fldSimple, w:customXml: read (they only wrap runs);
 *   - w:del, w:moveFrom, w:delText (deleted text), w:instrText (a field's
 *     instruction; its result runs are read): not read;
 *   - mc:AlternateContent: the first mc:Choice, else the mc:Fallback, never
 *     both (a text box is stored twice, as DrawingML and as VML);
 *   - text boxes (w:txbxContent): their paragraphs follow the paragraph
 *     that anchors them;
 *   - table-of-contents entries (styles TOC1.., Contents 1..): not read
 *     (the headings again, with page numbers);
 *   - properties (w:pPr, w:rPr, w:tcPr ...): only the paragraph style, the
 *     cell's gridSpan/vMerge and the row's gridBefore and deletion
 *     mark are read; hidden text marks and the like are ignored.
 * No DTD is accepted, entities are not substituted and nothing is fetched
 * from the network. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include "docx_priv.h"

#define W_NS "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
#define W_STRICT_NS "http://purl.oclc.org/ooxml/wordprocessingml/main"
#define MC_NS "http://schemas.openxmlformats.org/markup-compatibility/2006"
#define MC_MAX 32

typedef enum fkind { F_TABLE = 1, F_ROW, F_CELL, F_PARA, F_TXBX } fkind;

typedef struct frame {
    fkind kind;
    int depth;        /* depth of the element that opened it (the root's is 0) */
    dx_table *table;  /* F_TABLE: owned until the table closes */
    dx_row *row;      /* F_ROW: borrowed from the enclosing table */
    dx_cell *cell;    /* F_CELL: borrowed from the enclosing row */
    strbuf text;      /* F_PARA */
    int level;        /* F_PARA */
    dx_blocks after;  /* F_PARA: text boxes anchored in it; F_TXBX: its blocks */
} frame;

/* The namespaces an element can be in, as far as this reader cares. */
typedef enum ns { NS_OTHER, NS_W, NS_MC } ns;

typedef struct walk {
    xmlParserCtxtPtr ctxt;
    dx_blocks *body;
    int depth;        /* of the element being started or ended */
    int open;         /* elements open (the next start tag's depth) */
    int skip_depth;   /* a skipped subtree's element, -1: none */
    const xmlChar **attrs; /* the start tag's: SAX2's five pointers each */
    int nattrs;
    const xmlChar *last_uri; /* the last element's namespace URI and what it is: */
    ns last_ns;              /* the parser hands every URI out of its dictionary,
                                so one pointer stands for one URI in a parse */
    frame f[DX_MAX_FRAMES];
    int nf;
    int props_depth;  /* depth of the outermost open *Pr element, -1: none */
    const char *props;/* its local name */
    int t_depth;      /* depth of the open w:t, -1: none */
    struct { int depth; bool taken; } mc[MC_MAX];
    int nmc;
    bool oom;
    bool too_deep;    /* more open tables, rows, cells and paragraphs than DX_MAX_FRAMES */
    char err[200];    /* first parser error */
} walk;

/* Names ------------------------------------------------------------------ */

/* The element's namespace.  A document that forgot to declare its
 * prefixes still reads: "w:p" without a namespace is w:p. */
static ns node_ns(const xmlChar *uri, const xmlChar *prefix)
{
    if (uri)
        return xmlStrEqual(uri, BAD_CAST W_NS) || xmlStrEqual(uri, BAD_CAST W_STRICT_NS) ? NS_W
               : xmlStrEqual(uri, BAD_CAST MC_NS)                                        ? NS_MC
                                                                                         : NS_OTHER;
    if (!prefix || xmlStrEqual(prefix, BAD_CAST "w"))
        return NS_W;
    return xmlStrEqual(prefix, BAD_CAST "mc") ? NS_MC : NS_OTHER;
}

/* Of the start tag's attributes, the first with local name local that
 * match: in the WordprocessingML namespace, or its strict one, or without
 * a prefix, or with the prefix w: (bound to anything, or to nothing). */
static const xmlChar **find_attr(const walk *w, const char *local, int how)
{
    for (int i = 0; i < w->nattrs; i++) {
        const xmlChar **a = w->attrs + 5 * i; /* localname, prefix, URI, value, end */
        if (!xmlStrEqual(a[0], BAD_CAST local))
            continue;
        bool hit = how == 0   ? a[2] && xmlStrEqual(a[2], BAD_CAST W_NS)
                   : how == 1 ? a[2] && xmlStrEqual(a[2], BAD_CAST W_STRICT_NS)
                   : how == 2 ? !a[1]
                              : a[1] && xmlStrEqual(a[1], BAD_CAST "w");
        if (hit)
            return a;
    }
    return NULL;
}

/* A WordprocessingML attribute, however the producer qualified it; caller
 * frees it.  Without entity substitution the parser passes an '&' on as
 * "&#38;" (for a tree builder to read again), every other reference
 * decoded; the values read here are style ids, numbers and "restart",
 * which an '&' never makes match, so the value is taken as it comes. */
static char *w_attr(const walk *w, const char *local)
{
    for (int how = 0; how < 4; how++) {
        const xmlChar **a = find_attr(w, local, how);
        if (a)
            return strndup((const char *)a[3], (size_t)(a[4] - a[3]));
    }
    return NULL;
}

static unsigned w_attr_uint(const walk *w, const char *local, unsigned dflt, unsigned max)
{
    char *v = w_attr(w, local);
    if (!v)
        return dflt;
    char *end;
    unsigned long n = strtoul(v, &end, 10);
    bool none = end == v;
    free(v);
    if (none)
        return dflt;
    return n > max ? max : (unsigned)n;
}

static bool is_props(const char *local)
{
    size_t n = strlen(local);
    return (n > 2 && strcmp(local + n - 2, "Pr") == 0) || (n > 4 && strcmp(local + n - 4, "PrEx") == 0) ||
           (n > 8 && strcmp(local + n - 8, "PrChange") == 0);
}

/* What a paragraph style id says: a heading level (Heading1, heading 2,
 * 标题3, Title), DX_LEVEL_TOC for a table-of-contents entry (TOC1,
 * Contents 2: the headings again, with page numbers), else 0. */
static bool digits_only(const char *p)
{
    while (*p == ' ' || *p == '_' || *p == '-')
        p++;
    if (*p == '\0')
        return true;
    return *p >= '1' && *p <= '9' && p[1] == '\0';
}

static int style_level(const char *style)
{
    const char *p = NULL;
    if ((style[0] == 'H' || style[0] == 'h') && strncmp(style + 1, "eading", 6) == 0)
        p = style + 7;
    else if (strncmp(style, "\xE6\xA0\x87\xE9\xA2\x98", 6) == 0) /* 标题 */
        p = style + 6;
    else if (strcmp(style, "Title") == 0)
        return 1;
    else if (strncmp(style, "TOC", 3) == 0 || strncmp(style, "toc", 3) == 0)
        return digits_only(style + 3) ? DX_LEVEL_TOC : 0;
    else if (strncmp(style, "Contents", 8) == 0)
        return digits_only(style + 8) ? DX_LEVEL_TOC : 0;
    if (!p || !digits_only(p))
        return 0;
    while (*p == ' ' || *p == '_' || *p == '-')
        p++;
    return *p ? *p - '0' : 1;
}

/* Frames ----------------------------------------------------------------- */

static frame *top(walk *w) { return w->nf ? &w->f[w->nf - 1] : NULL; }

static frame *nearest(walk *w, fkind k)
{
    for (int i = w->nf - 1; i >= 0; i--)
        if (w->f[i].kind == k)
            return &w->f[i];
    return NULL;
}

/* Where a finished paragraph or table goes: the innermost open cell, text
 * box, anchoring paragraph (for text boxes) or the body. */
static dx_blocks *container(walk *w)
{
    for (int i = w->nf - 1; i >= 0; i--) {
        frame *f = &w->f[i];
        if (f->kind == F_CELL)
            return &f->cell->body;
        if (f->kind == F_TXBX || f->kind == F_PARA)
            return &f->after;
    }
    return w->body;
}

static frame *push(walk *w, fkind k)
{
    if (w->nf == (int)DX_MAX_FRAMES) {
        w->too_deep = true;
        return NULL;
    }
    frame *f = &w->f[w->nf++];
    memset(f, 0, sizeof *f);
    f->kind = k;
    f->depth = w->depth;
    return f;
}

static void frame_free(frame *f)
{
    strbuf_free(&f->text);
    dx_blocks_free(&f->after);
    if (f->kind == F_TABLE)
        dx_table_free(f->table);
    f->table = NULL;
}

/* Closes the top frame, handing what it built to its container. */
static void pop(walk *w)
{
    frame f = w->f[--w->nf];
    bool ok = true;
    if (f.kind == F_PARA) {
        dx_blocks *to = container(w);
        ok = dx_blocks_add_para(to, f.text.s, f.text.len, f.level);
        f.text.s = NULL;
        ok = ok && dx_blocks_move(to, &f.after);
    } else if (f.kind == F_TXBX) {
        ok = dx_blocks_move(container(w), &f.after);
    } else if (f.kind == F_TABLE) {
        ok = dx_blocks_add_table(container(w), f.table);
        f.table = NULL;
    }
    if (!ok)
        w->oom = true;
    frame_free(&f);
}

/* Opening elements ------------------------------------------------------- */

static void open_table(walk *w)
{
    frame *outer = nearest(w, F_TABLE);
    frame *f = push(w, F_TABLE);
    if (!f)
        return;
    if (!(f->table = calloc(1, sizeof *f->table))) {
        w->oom = true;
        w->nf--;
        return;
    }
    if (outer)
        outer->table->holds_table = true;
}

static void open_row(walk *w)
{
    frame *t = top(w);
    if (!t || t->kind != F_TABLE)
        return; /* a row outside a table is read as its paragraphs */
    dx_row *r = dx_table_add_row(t->table);
    frame *f = r ? push(w, F_ROW) : NULL;
    if (!r)
        w->oom = true;
    else if (f)
        f->row = r;
}

static void open_cell(walk *w)
{
    frame *t = top(w);
    if (!t || t->kind != F_ROW)
        return;
    dx_cell *c = dx_row_add_cell(t->row);
    frame *f = c ? push(w, F_CELL) : NULL;
    if (!c)
        w->oom = true;
    else if (f)
        f->cell = c;
}

/* A property the model keeps, read when it is a direct child of the
 * outermost open *Pr element (a *PrChange inside holds the old values). */
static void read_property(walk *w, const char *local)
{
    frame *t = top(w);
    if (!t || w->depth != w->props_depth + 1)
        return;
    if (t->kind == F_PARA && strcmp(w->props, "pPr") == 0 && strcmp(local, "pStyle") == 0) {
        char *v = w_attr(w, "val");
        t->level = v ? style_level(v) : 0;
        free(v);
    } else if (t->kind == F_CELL && strcmp(w->props, "tcPr") == 0) {
        if (strcmp(local, "gridSpan") == 0) {
            unsigned span = w_attr_uint(w, "val", 1, DX_MAX_COLS);
            t->cell->span = span ? span : 1;
        } else if (strcmp(local, "vMerge") == 0) {
            char *v = w_attr(w, "val");
            t->cell->vmerge = v && strcmp(v, "restart") == 0 ? DX_MERGE_RESTART : DX_MERGE_CONTINUE;
            free(v);
        }
    } else if (t->kind == F_ROW && strcmp(w->props, "trPr") == 0) {
        if (strcmp(local, "gridBefore") == 0)
            t->row->before = w_attr_uint(w, "val", 0, DX_MAX_COLS);
        else if (strcmp(local, "del") == 0)
            t->row->deleted = true;
    }
}

static void add_text(walk *w, const char *s, size_t n)
{
    frame *t = top(w);
    if (t && t->kind == F_PARA && !strbuf_add(&t->text, s, n))
        w->oom = true;
}

/* Markup compatibility: true when this mc element's subtree is skipped.
 * (An empty element's end follows at once and undoes what its start did.) */
static bool mc_element(walk *w, const char *local)
{
    int d = w->depth;
    if (strcmp(local, "AlternateContent") == 0) {
        if (w->nmc < MC_MAX) {
            w->mc[w->nmc].depth = d;
            w->mc[w->nmc++].taken = false;
            return false;
        }
        return true;
    }
    if (w->nmc == 0 || w->mc[w->nmc - 1].depth != d - 1)
        return false;
    bool *taken = &w->mc[w->nmc - 1].taken;
    if (strcmp(local, "Choice") == 0 || strcmp(local, "Fallback") == 0) {
        if (*taken)
            return true;
        *taken = true;
    }
    return false;
}

/* The W elements a start tag acts on (w_element).  Most elements are
 * none of them (w:r, w:proofErr, bookmarks ...): the first byte rules out
 * nearly all names before any comparison. */
typedef enum w_name_kind {
    WN_OTHER, WN_SKIP, WN_P, WN_TBL, WN_TR, WN_TC, WN_TXBX, WN_GRIDCOL, WN_T, WN_TAB, WN_BREAK, WN_HYPHEN
} w_name_kind;

static w_name_kind w_name(const char *local)
{
    switch (local[0]) {
    case 'b': return strcmp(local, "br") == 0 ? WN_BREAK : WN_OTHER;
    case 'c': return strcmp(local, "cr") == 0 ? WN_BREAK : WN_OTHER;
    case 'd': /* deleted text: del, delText, delInstrText */
        return strcmp(local, "del") == 0 || strcmp(local, "delText") == 0 || strcmp(local, "delInstrText") == 0
                   ? WN_SKIP
                   : WN_OTHER;
    case 'g': return strcmp(local, "gridCol") == 0 ? WN_GRIDCOL : WN_OTHER;
    case 'i': return strcmp(local, "instrText") == 0 ? WN_SKIP : WN_OTHER;
    case 'm': return strcmp(local, "moveFrom") == 0 ? WN_SKIP : WN_OTHER;
    case 'n': return strcmp(local, "noBreakHyphen") == 0 ? WN_HYPHEN : WN_OTHER;
    case 'p': return local[1] == '\0' ? WN_P : WN_OTHER;
    case 't':
        if (local[1] == '\0')
            return WN_T;
        return strcmp(local, "tbl") == 0           ? WN_TBL
               : strcmp(local, "tr") == 0          ? WN_TR
               : strcmp(local, "tc") == 0          ? WN_TC
               : strcmp(local, "tab") == 0         ? WN_TAB
               : strcmp(local, "txbxContent") == 0 ? WN_TXBX
                                                   : WN_OTHER;
    default: return WN_OTHER;
    }
}

/* Handles a W element's start tag; true when its subtree is skipped. */
static bool w_element(walk *w, const char *local)
{
    if (w->props_depth >= 0) {
        read_property(w, local);
        return false;
    }
    if (is_props(local)) {
        w->props_depth = w->depth;
        w->props = strcmp(local, "pPr") == 0 ? "pPr" : strcmp(local, "tcPr") == 0 ? "tcPr"
                   : strcmp(local, "trPr") == 0 ? "trPr" : "";
        return false;
    }
    switch (w_name(local)) {
    case WN_SKIP: return true;
    case WN_P: return !push(w, F_PARA);
    case WN_TBL: open_table(w); break;
    case WN_TR: open_row(w); break;
    case WN_TC: open_cell(w); break;
    case WN_TXBX: return !push(w, F_TXBX);
    case WN_GRIDCOL: {
        frame *t = top(w);
        if (t && t->kind == F_TABLE)
            t->table->ncols++;
        break;
    }
    case WN_T: w->t_depth = w->depth; break;
    case WN_TAB: add_text(w, "\t", 1); break;
    case WN_BREAK: add_text(w, "\n", 1); break;
    case WN_HYPHEN: add_text(w, "-", 1); break;
    case WN_OTHER: break;
    }
    return false;
}

/* Closes whatever the element at this depth opened. */
static void end_element(walk *w, int depth)
{
    if (w->props_depth == depth)
        w->props_depth = -1;
    if (w->t_depth == depth)
        w->t_depth = -1;
    if (w->nmc && w->mc[w->nmc - 1].depth == depth)
        w->nmc--;
    frame *t = top(w);
    if (t && t->depth == depth)
        pop(w);
}

/* The walk ----------------------------------------------------------------- */

static void on_error(void *ctx, xmlErrorPtr e)
{
    walk *w = ctx;
    if (!e || e->level < XML_ERR_ERROR || w->err[0])
        return;
    const char *m = e->message ? e->message : "malformed XML";
    size_t n = strlen(m);
    while (n && (m[n - 1] == '\n' || m[n - 1] == ' '))
        n--;
    snprintf(w->err, sizeof w->err, "line %d: %.*s", e->line, (int)n, m);
}

/* Whether the walk ends here: a parse error, no memory, too deep. */
static bool halted(walk *w)
{
    if (!w->err[0] && !w->oom && !w->too_deep)
        return false;
    xmlStopParser(w->ctxt);
    return true;
}

static void on_start(void *ctx, const xmlChar *local, const xmlChar *prefix, const xmlChar *uri, int nns,
                     const xmlChar **nss, int nattrs, int ndefaulted, const xmlChar **attrs)
{
    (void)nns;
    (void)nss;
    (void)ndefaulted;
    walk *w = ctx;
    w->depth = w->open++;
    if (w->skip_depth >= 0 || halted(w))
        return;
    w->attrs = attrs;
    w->nattrs = nattrs;
    ns n;
    if (uri && uri == w->last_uri) {
        n = w->last_ns;
    } else {
        n = node_ns(uri, prefix);
        w->last_uri = uri;
        w->last_ns = n;
    }
    bool skip = n == NS_W ? w_element(w, (const char *)local) : n == NS_MC && mc_element(w, (const char *)local);
    w->attrs = NULL;
    w->nattrs = 0;
    if (skip)
        w->skip_depth = w->depth;
    halted(w);
}

static void on_end(void *ctx, const xmlChar *local, const xmlChar *prefix, const xmlChar *uri)
{
    (void)local;
    (void)prefix;
    (void)uri;
    walk *w = ctx;
    w->depth = --w->open;
    if (w->skip_depth >= 0) { /* a skipped element closes nothing it opened */
        if (w->skip_depth == w->depth)
            w->skip_depth = -1;
        return;
    }
    end_element(w, w->depth);
    halted(w);
}

/* Text, CDATA and white space alike, inside an open w:t. */
static void on_text(void *ctx, const xmlChar *s, int len)
{
    walk *w = ctx;
    if (w->skip_depth < 0 && w->t_depth >= 0 && w->props_depth < 0 && len > 0) {
        add_text(w, (const char *)s, (size_t)len);
        halted(w);
    }
}

static void on_doctype(void *ctx, const xmlChar *name, const xmlChar *ext, const xmlChar *sys)
{
    (void)name;
    (void)ext;
    (void)sys;
    walk *w = ctx;
    if (!w->err[0])
        snprintf(w->err, sizeof w->err, "a document type declaration (never in a Word document)");
    halted(w);
}

nb_status dx_xml_parse(const char *xml, size_t len, const char *name, dx_blocks *out, nb_error *err)
{
    if (len > (size_t)INT32_MAX) {
        nb_error_set(err, NB_E_DATA, name, "word/document.xml is too large");
        return NB_FAILED;
    }
    if (len == 0) { /* which xmlCreateMemoryParserCtxt refuses like a failed allocation */
        nb_error_set(err, NB_E_DATA, name, "word/document.xml is not well-formed XML: the part is empty");
        return NB_FAILED;
    }
    walk *w = calloc(1, sizeof *w);
    xmlParserCtxtPtr ctxt = w ? xmlCreateMemoryParserCtxt(xml, (int)len) : NULL;
    if (!ctxt) {
        free(w);
        nb_error_set(err, NB_E_INTERNAL, name, "out of memory");
        return NB_FATAL;
    }
    w->ctxt = ctxt;
    w->body = out;
    w->props_depth = w->t_depth = w->skip_depth = -1;
    xmlCtxtUseOptions(ctxt, XML_PARSE_NONET); /* before the handler: options may set parts of it */
    xmlSAXHandler *h = ctxt->sax;
    memset(h, 0, sizeof *h);
    h->initialized = XML_SAX2_MAGIC;
    h->startElementNs = on_start;
    h->endElementNs = on_end;
    h->characters = h->ignorableWhitespace = h->cdataBlock = on_text;
    h->internalSubset = on_doctype;
    h->serror = on_error;
    ctxt->userData = w;
    int ret = xmlParseDocument(ctxt);
    bool formed = ret == 0 && ctxt->wellFormed;
    xmlFreeParserCtxt(ctxt);
    if (!w->oom)
        while (w->nf) /* a truncated document keeps what was read */
            pop(w);
    for (int i = 0; i < w->nf; i++)
        frame_free(&w->f[i]);
    nb_status st = NB_OK;
    if (w->oom) {
        nb_error_set(err, NB_E_INTERNAL, name, "out of memory");
        st = NB_FATAL;
    } else if (w->too_deep) {
        nb_error_set(err, NB_E_DATA, name, "word/document.xml nests tables, cells and paragraphs more than %u "
                     "levels deep: not read", DX_MAX_FRAMES);
        st = NB_FAILED;
    } else if (!formed || w->err[0]) {
        nb_error_set(err, NB_E_DATA, name, "word/document.xml is not well-formed XML: %s",
                     w->err[0] ? w->err : "parse error");
        st = NB_FAILED;
    }
    free(w);
    return st;
}
