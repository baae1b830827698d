/* docx_xml.c - word/document.xml walked with libxml2's streaming reader
 * (xmlTextReader) into paragraphs and tables (docx_priv.h).
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
#include <libxml/xmlreader.h>
#include "docx_priv.h"

#define W_NS "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
#define W_STRICT_NS "http://purl.oclc.org/ooxml/wordprocessingml/main"
#define MC_NS "http://schemas.openxmlformats.org/markup-compatibility/2006"
#define MC_MAX 32

typedef enum fkind { F_TABLE = 1, F_ROW, F_CELL, F_PARA, F_TXBX } fkind;

typedef struct frame {
    fkind kind;
    int depth;        /* reader depth of the element that opened it */
    dx_table *table;  /* F_TABLE: owned until the table closes */
    dx_row *row;      /* F_ROW: borrowed from the enclosing table */
    dx_cell *cell;    /* F_CELL: borrowed from the enclosing row */
    strbuf text;      /* F_PARA */
    int level;        /* F_PARA */
    dx_blocks after;  /* F_PARA: text boxes anchored in it; F_TXBX: its blocks */
} frame;

typedef struct walk {
    xmlTextReaderPtr r;
    dx_blocks *body;
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

typedef enum ns { NS_OTHER, NS_W, NS_MC } ns;

/* The element's namespace and local name.  A document that forgot to
 * declare its prefixes still reads: "w:p" without a namespace is w:p. */
static ns node_ns(xmlTextReaderPtr r, const char **local)
{
    const char *uri = (const char *)xmlTextReaderConstNamespaceUri(r);
    *local = (const char *)xmlTextReaderConstLocalName(r);
    if (uri)
        return strcmp(uri, W_NS) == 0 || strcmp(uri, W_STRICT_NS) == 0 ? NS_W
               : strcmp(uri, MC_NS) == 0                              ? NS_MC
                                                                      : NS_OTHER;
    const char *q = (const char *)xmlTextReaderConstName(r);
    if (q && strncmp(q, "w:", 2) == 0) {
        *local = q + 2;
        return NS_W;
    }
    if (q && strncmp(q, "mc:", 3) == 0) {
        *local = q + 3;
        return NS_MC;
    }
    return q && !strchr(q, ':') ? NS_W : NS_OTHER;
}

/* A WordprocessingML attribute, however the producer qualified it; caller
 * frees with xmlFree. */
static char *w_attr(xmlTextReaderPtr r, const char *local)
{
    xmlChar *v = xmlTextReaderGetAttributeNs(r, BAD_CAST local, BAD_CAST W_NS);
    if (!v)
        v = xmlTextReaderGetAttributeNs(r, BAD_CAST local, BAD_CAST W_STRICT_NS);
    if (!v)
        v = xmlTextReaderGetAttribute(r, BAD_CAST local);
    if (!v) {
        char q[40];
        snprintf(q, sizeof q, "w:%s", local);
        v = xmlTextReaderGetAttribute(r, BAD_CAST q);
    }
    return (char *)v;
}

static unsigned w_attr_uint(xmlTextReaderPtr r, const char *local, unsigned dflt, unsigned max)
{
    char *v = w_attr(r, local);
    if (!v)
        return dflt;
    char *end;
    unsigned long n = strtoul(v, &end, 10);
    xmlFree(v);
    if (end == v)
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
    f->depth = xmlTextReaderDepth(w->r);
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
    if (!t || xmlTextReaderDepth(w->r) != w->props_depth + 1)
        return;
    if (t->kind == F_PARA && strcmp(w->props, "pPr") == 0 && strcmp(local, "pStyle") == 0) {
        char *v = w_attr(w->r, "val");
        t->level = v ? style_level(v) : 0;
        xmlFree(v);
    } else if (t->kind == F_CELL && strcmp(w->props, "tcPr") == 0) {
        if (strcmp(local, "gridSpan") == 0) {
            unsigned span = w_attr_uint(w->r, "val", 1, DX_MAX_COLS);
            t->cell->span = span ? span : 1;
        } else if (strcmp(local, "vMerge") == 0) {
            char *v = w_attr(w->r, "val");
            t->cell->vmerge = v && strcmp(v, "restart") == 0 ? DX_MERGE_RESTART : DX_MERGE_CONTINUE;
            xmlFree(v);
        }
    } else if (t->kind == F_ROW && strcmp(w->props, "trPr") == 0) {
        if (strcmp(local, "gridBefore") == 0)
            t->row->before = w_attr_uint(w->r, "val", 0, DX_MAX_COLS);
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

/* Markup compatibility: true when this mc element's subtree is skipped. */
static bool mc_element(walk *w, const char *local, bool empty)
{
    int d = xmlTextReaderDepth(w->r);
    if (strcmp(local, "AlternateContent") == 0) {
        if (!empty && w->nmc < MC_MAX) {
            w->mc[w->nmc].depth = d;
            w->mc[w->nmc++].taken = false;
        }
        return w->nmc >= MC_MAX && !empty;
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

/* Handles a W element's start tag; true when its subtree is skipped. */
static bool w_element(walk *w, const char *local, bool empty)
{
    if (w->props_depth >= 0) {
        read_property(w, local);
        return false;
    }
    if (is_props(local)) {
        if (!empty) {
            w->props_depth = xmlTextReaderDepth(w->r);
            w->props = strcmp(local, "pPr") == 0 ? "pPr" : strcmp(local, "tcPr") == 0 ? "tcPr"
                       : strcmp(local, "trPr") == 0 ? "trPr" : "";
        }
        return false;
    }
    if (strcmp(local, "del") == 0 || strcmp(local, "moveFrom") == 0 || strcmp(local, "delText") == 0 ||
        strcmp(local, "instrText") == 0 || strcmp(local, "delInstrText") == 0)
        return true;
    if (strcmp(local, "p") == 0)
        return !push(w, F_PARA);
    if (strcmp(local, "tbl") == 0)
        open_table(w);
    else if (strcmp(local, "tr") == 0)
        open_row(w);
    else if (strcmp(local, "tc") == 0)
        open_cell(w);
    else if (strcmp(local, "txbxContent") == 0)
        return !push(w, F_TXBX);
    else if (strcmp(local, "gridCol") == 0) {
        frame *t = top(w);
        if (t && t->kind == F_TABLE)
            t->table->ncols++;
    } else if (strcmp(local, "t") == 0)
        w->t_depth = xmlTextReaderDepth(w->r);
    else if (strcmp(local, "tab") == 0)
        add_text(w, "\t", 1);
    else if (strcmp(local, "br") == 0 || strcmp(local, "cr") == 0)
        add_text(w, "\n", 1);
    else if (strcmp(local, "noBreakHyphen") == 0)
        add_text(w, "-", 1);
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

/* One node; true when the subtree under it is skipped. */
static bool step(walk *w)
{
    int type = xmlTextReaderNodeType(w->r);
    if (type == XML_READER_TYPE_DOCUMENT_TYPE) {
        snprintf(w->err, sizeof w->err, "a document type declaration (never in a Word document)");
        return true;
    }
    if (type == XML_READER_TYPE_END_ELEMENT) {
        end_element(w, xmlTextReaderDepth(w->r));
        return false;
    }
    if ((type == XML_READER_TYPE_TEXT || type == XML_READER_TYPE_CDATA ||
         type == XML_READER_TYPE_SIGNIFICANT_WHITESPACE || type == XML_READER_TYPE_WHITESPACE) &&
        w->t_depth >= 0 && w->props_depth < 0) {
        const char *v = (const char *)xmlTextReaderConstValue(w->r);
        if (v)
            add_text(w, v, strlen(v));
        return false;
    }
    if (type != XML_READER_TYPE_ELEMENT)
        return false;
    const char *local;
    ns n = node_ns(w->r, &local);
    bool empty = xmlTextReaderIsEmptyElement(w->r) == 1;
    bool skip = n == NS_W ? w_element(w, local, empty) : n == NS_MC ? mc_element(w, local, empty) : false;
    if (!skip && empty)
        end_element(w, xmlTextReaderDepth(w->r));
    return skip;
}

nb_status dx_xml_parse(const char *xml, size_t len, const char *name, dx_blocks *out, nb_error *err)
{
    if (len > (size_t)INT32_MAX) {
        nb_error_set(err, NB_E_DATA, name, "word/document.xml is too large");
        return NB_FAILED;
    }
    walk *w = calloc(1, sizeof *w);
    if (!w) {
        nb_error_set(err, NB_E_INTERNAL, name, "out of memory");
        return NB_FATAL;
    }
    w->body = out;
    w->props_depth = w->t_depth = -1;
    w->r = xmlReaderForMemory(xml, (int)len, NULL, NULL, XML_PARSE_NONET);
    if (!w->r) {
        free(w);
        nb_error_set(err, NB_E_INTERNAL, name, "out of memory");
        return NB_FATAL;
    }
    xmlTextReaderSetStructuredErrorHandler(w->r, on_error, w);
    int ret;
    while ((ret = xmlTextReaderRead(w->r)) == 1) {
        bool skip = step(w);
        while (skip && !w->err[0] && !w->oom && !w->too_deep && (ret = xmlTextReaderNext(w->r)) == 1)
            skip = step(w);
        if (ret != 1 || w->err[0] || w->oom || w->too_deep)
            break;
    }
    if (!w->oom)
        while (w->nf) /* a truncated document keeps what was read */
            pop(w);
    for (int i = 0; i < w->nf; i++)
        frame_free(&w->f[i]);
    xmlFreeTextReader(w->r);
    nb_status st = NB_OK;
    if (w->oom) {
        nb_error_set(err, NB_E_INTERNAL, name, "out of memory");
        st = NB_FATAL;
    } else if (w->too_deep) {
        nb_error_set(err, NB_E_DATA, name, "word/document.xml nests tables, cells and paragraphs more than %u "
                     "levels deep: not read", DX_MAX_FRAMES);
        st = NB_FAILED;
    } else if (ret < 0 || w->err[0]) {
        nb_error_set(err, NB_E_DATA, name, "word/document.xml is not well-formed XML: %s",
                     w->err[0] ? w->err : "parse error");
        st = NB_FAILED;
    }
    free(w);
    return st;
}
