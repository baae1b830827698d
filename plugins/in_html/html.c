/* html.c - HTML reports: saved pages, CMS scrapes, Word "save as web page".
 *
 * Bytes are decoded (BOM; valid UTF-8; else the declared <meta> charset;
 * else GB18030), parsed into a small tree (html_tree.c), the article
 * container is picked out of the page chrome, and the tree becomes a
 * document: each <tr> of a data table one NB_LINE_ROW on the expanded grid
 * (html_table.c), each block outside tables (p, div, li, br ...) one
 * NB_LINE_TEXT, h1-h6 NB_LINE_HEADING.  Inline elements (span, font, a ...)
 * are joined without separators. */
#include "nianbao/plugin.h"
#include "nianbao/stream.h"
#include "nianbao/text.h"
#include "html_priv.h"
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define HTML_MAX_BYTES (64u << 20)

static const char *const exts[] = {".html", ".htm", ".shtml", NULL};

/* Probe ------------------------------------------------------------------ */

static bool has_ci(const unsigned char *h, size_t len, const char *needle)
{
    size_t n = strlen(needle);
    for (size_t i = 0; i + n <= len; i++)
        if (strncasecmp((const char *)h + i, needle, n) == 0)
            return true;
    return false;
}

static int html_probe(const unsigned char *head, size_t len)
{
    if (has_ci(head, len, "<!doctype html") || has_ci(head, len, "<html"))
        return 70;
    if (has_ci(head, len, "<table") || has_ci(head, len, "<body"))
        return 55;
    /* a fragment (a CMS field): markup around report text */
    if ((has_ci(head, len, "<p") || has_ci(head, len, "<div") || has_ci(head, len, "<br")) &&
        nb_doc_probe_report_text(head, len))
        return 45;
    return 0;
}

/* Charset --------------------------------------------------------------- */

/* The charset a <meta> declares (charset=... or content="...; charset=..."),
 * lower case into out; false when there is none. */
static bool declared_charset(const char *s, size_t n, char out[32])
{
    size_t lim = n < (1u << 20) ? n : (1u << 20);
    for (size_t i = 0; i + 5 < lim; i++) {
        if (s[i] != '<' || strncasecmp(s + i + 1, "meta", 4) != 0)
            continue;
        size_t e = i + 5;
        while (e < lim && s[e] != '>')
            e++;
        for (size_t j = i + 5; j + 7 < e; j++) {
            if (strncasecmp(s + j, "charset", 7) != 0)
                continue;
            size_t k = j + 7;
            while (k < e && (s[k] == ' ' || s[k] == '\t'))
                k++;
            if (k >= e || s[k] != '=')
                continue;
            k++;
            while (k < e && (s[k] == ' ' || s[k] == '"' || s[k] == '\''))
                k++;
            size_t o = 0;
            while (k < e && o < 31 && (isalnum((unsigned char)s[k]) || s[k] == '-' || s[k] == '_' || s[k] == '.'
                                       || s[k] == ':'))
                out[o++] = (char)tolower((unsigned char)s[k++]);
            out[o] = '\0';
            if (o)
                return true;
        }
        i = e;
    }
    return false;
}

static bool is_big5(const char *cs) { return strncmp(cs, "big5", 4) == 0 || strcmp(cs, "cp950") == 0; }

/* Decodes the page: a BOM or valid UTF-8 wins over any declaration (pages
 * declare gb2312 and are UTF-8, or both); GB2312/GBK/unknown go to GB18030,
 * their superset; Big5 only when declared.  The usual decoding comes
 * first: when it finds valid UTF-8 (most pages) the bytes are not checked
 * again, and only a page that is not UTF-8 is asked for a Big5 meta. */
static nb_status decode(const char *bytes, size_t len, char **text, size_t *tlen, const char **enc,
                        nb_error *err)
{
    bool bom = (len >= 3 && memcmp(bytes, "\xEF\xBB\xBF", 3) == 0) ||
               (len >= 2 && ((unsigned char)bytes[0] == 0xFF || (unsigned char)bytes[0] == 0xFE));
    nb_status st = nb_text_decode(bytes, len, text, tlen, enc, err);
    if (bom || (st == NB_OK && strcmp(*enc, "UTF-8") == 0))
        return st;
    char cs[32], *big5 = NULL;
    size_t blen = 0;
    nb_error scratch; /* a failed Big5 attempt leaves the first outcome as it was */
    if (nb_utf8_valid(bytes, len) || !declared_charset(bytes, len, cs) || !is_big5(cs) ||
        nb_text_convert("BIG5", "UTF-8", bytes, len, &big5, &blen, &scratch) != NB_OK)
        return st;
    if (st == NB_OK)
        free(*text);
    else
        nb_error_clear(err);
    *text = big5;
    *tlen = blen;
    *enc = "BIG5";
    return NB_OK;
}

/* Document ------------------------------------------------------------- */

typedef struct walker {
    nb_doc *doc;
    ht_text line;
    ht_tables *tables; /* the data tables' scratch */
    int level; /* inside <hN> */
    bool cells; /* spans=cells */
    bool ok;
} walker;

static void flush(walker *w)
{
    if (w->ok && w->line.b.len)
        w->ok = nb_doc_add_text(w->doc, w->level ? NB_LINE_HEADING : NB_LINE_TEXT, w->level,
                                w->line.line, w->line.b.s, w->line.b.len) == NB_OK;
    ht_text_reset(&w->line);
}

static int heading_level(const ht_node *n)
{
    if (n->id >= HT_h1 && n->id <= HT_h6) /* contiguous: the table is in name order */
        return (int)(n->id - HT_h1) + 1;
    return 0;
}

static void walk(walker *w, const ht_node *n, int depth)
{
    if (!w->ok || depth > HT_MAX_DEPTH + 8)
        return;
    if (!n->tag[0]) { /* a para text: the breaks of its <p> around it */
        if (n->para)
            flush(w);
        if (w->ok)
            w->ok = ht_text_add(&w->line, n->text, n->textlen, n->line);
        if (n->para)
            flush(w);
        return;
    }
    if (ht_dropped(n))
        return;
    if (ht_is(n, HT_br)) {
        flush(w);
        return;
    }
    if (ht_is(n, HT_table) && !ht_table_is_layout(n)) {
        flush(w);
        if (w->ok)
            w->ok = w->cells ? ht_table_emit_cells(n, &w->tables, w->doc)
                             : ht_table_emit(n, &w->tables, w->doc);
        return;
    }
    int level = heading_level(n);
    bool block = level || ht_has(n, HT_F_LINE);
    if (block)
        flush(w);
    int saved = w->level;
    if (level)
        w->level = level;
    for (const ht_node *c = n->first; c && w->ok; c = c->next)
        walk(w, c, depth + 1);
    if (block)
        flush(w);
    w->level = saved;
}

/* A heading just before the article container (the page's <h1> title sits
 * beside the content div more often than inside it). */
static const ht_node *title_before(const ht_node *article)
{
    for (const ht_node *a = article; a && a->parent; a = a->parent) {
        const ht_node *found = NULL;
        for (const ht_node *c = a->parent->first; c && c != a; c = c->next)
            if (c->tag[0] && heading_level(c) && heading_level(c) <= 3 && c->ntext && !ht_dropped(c))
                found = c;
        if (found)
            return found;
        if (a->parent->ntext > article->ntext + 400) /* far from the article: chrome */
            break;
    }
    return NULL;
}

/* NB_FAILED (err set): more nodes than a page of a report has;
 * NB_FATAL: out of memory. */
static nb_status build_doc(const char *text, size_t len, bool cells, nb_doc *doc, nb_error *err)
{
    ht_tree tr;
    if (!ht_tree_build(&tr, text, len)) {
        bool over = tr.over;
        ht_tree_free(&tr);
        if (!over)
            return NB_FATAL;
        nb_error_set(err, NB_E_DATA, NULL,
                     "more than %u elements and texts, far more than a report's page has: not a report",
                     HT_MAX_NODES);
        return NB_FAILED;
    }
    const ht_node *article = ht_tree_article(&tr);
    walker w = {.doc = doc, .cells = cells, .ok = true};
    const ht_node *head = article->parent ? title_before(article) : NULL;
    if (head)
        walk(&w, head, 0);
    else if (tr.title) {
        w.ok = ht_text_add(&w.line, tr.title, strlen(tr.title), tr.title_line);
        w.level = 1;
        flush(&w);
        w.level = 0;
    }
    walk(&w, article, 0);
    flush(&w);
    strbuf_free(&w.line.b);
    ht_tables_free(w.tables);
    ht_tree_free(&tr);
    return w.ok ? NB_OK : NB_FATAL;
}

/* Plugin ---------------------------------------------------------------- */

static const nb_option_def html_options[] = {
    {"spans", NB_OPT_STRING, "grid",
     "grid: a merged cell's text in its first grid position, the positions it covers empty; "
     "cells: one cell per printed <td>, covered positions left out"},
    {0}};

typedef struct html_reader {
    nb_doc *doc;
    bool cells;
} html_reader;

static nb_status html_create(const nb_host *h, const nb_options *o, void **inst, nb_error *err)
{
    (void)h;
    const char *spans = o ? nb_options_get(o, "spans") : NULL;
    if (spans && strcmp(spans, "grid") != 0 && strcmp(spans, "cells") != 0) {
        nb_error_set(err, NB_E_USAGE, NULL, "html.spans must be grid or cells, not '%s'", spans);
        return NB_FATAL;
    }
    html_reader *r = calloc(1, sizeof *r);
    if (!r) {
        nb_error_set(err, NB_E_INTERNAL, NULL, "out of memory");
        return NB_FATAL;
    }
    r->cells = spans && strcmp(spans, "cells") == 0;
    *inst = r;
    return NB_OK;
}

static void html_destroy(void *inst)
{
    html_reader *r = inst;
    if (r)
        nb_doc_free(r->doc);
    free(r);
}

static nb_status html_open(void *inst, nb_stream *in, nb_error *err)
{
    html_reader *r = inst;
    nb_doc_free(r->doc);
    r->doc = NULL;
    char *bytes = NULL, *text = NULL;
    size_t len = 0, tlen = 0;
    const char *enc = NULL;
    nb_status st = nb_stream_read_all(in, HTML_MAX_BYTES, &bytes, &len, err);
    if (st != NB_OK)
        return st;
    st = decode(bytes, len, &text, &tlen, &enc, err);
    free(bytes);
    if (st != NB_OK)
        return st;
    nb_doc *d = nb_doc_new(nb_stream_name(in));
    st = d ? build_doc(text, tlen, r->cells, d, err) : NB_FATAL;
    if (st != NB_OK) {
        nb_doc_free(d);
        free(text);
        if (st == NB_FATAL)
            nb_error_set(err, NB_E_INTERNAL, nb_stream_name(in), "out of memory");
        return st;
    }
    free(text);
    nb_doc_set_encoding(d, enc);
    r->doc = d;
    return NB_OK;
}

static nb_status html_next(void *inst, nb_item *item, nb_error *err)
{
    (void)err;
    html_reader *r = inst;
    if (!r->doc)
        return NB_EOF;
    nb_item_set_doc(item, r->doc);
    r->doc = NULL;
    return NB_OK;
}

static const nb_plugin html_plugin = {
    .abi_version = NB_ABI_VERSION,
    .struct_size = sizeof(nb_plugin),
    .name = "html",
    .version = "1.0",
    .description = "HTML pages (saved pages, CMS scrapes, Word web pages): tables as grids",
    .kind = NB_PLUGIN_INPUT,
    .caps = NB_CAP_REENTRANT,
    .extensions = exts,
    .options = html_options,
    .probe = html_probe,
    .create = html_create,
    .destroy = html_destroy,
    .open = html_open,
    .next = html_next,
};

NB_PLUGIN_EXPORT const nb_plugin *nb_plugin_entry(uint32_t host_abi)
{
    (void)host_abi;
    return &html_plugin;
}
