/* html_tree.c - tokens to a small element tree, the way a browser would
 * for the pages we meet: implied </p>, </li>, </td>, </tr>; an end tag
 * with no open element is ignored; an end tag does not close across a
 * table cell; void elements have no content.  Nesting deeper than
 * HT_MAX_DEPTH is flattened into the deepest open element.  Also finds the
 * article container among the page chrome. */
#include "html_priv.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

bool ht_is(const ht_node *n, const char *tag) { return n && strcmp(n->tag, tag) == 0; }

static bool in_list(const char *tag, const char *const *v)
{
    for (int i = 0; v[i]; i++)
        if (strcmp(v[i], tag) == 0)
            return true;
    return false;
}

static const char *const void_tags[] = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link",
                                        "meta", "param", "source", "track", "wbr", "keygen", "basefont",
                                        "bgsound", "frame", "image", NULL};

/* Raw-text elements the tokenizer already skipped; they have no content. */
static const char *const empty_tags[] = {"script", "style", "textarea", "xmp", "noembed", "noframes",
                                         "iframe", "plaintext", NULL};

/* Start tags that close an open <p>. */
static const char *const closes_p[] = {"address", "article", "aside", "blockquote", "center", "details",
                                       "dialog", "dir", "div", "dl", "fieldset", "figcaption", "figure",
                                       "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header",
                                       "hgroup", "hr", "li", "main", "menu", "nav", "ol", "p", "pre",
                                       "section", "summary", "ul", "dd", "dt", NULL};

/* Elements whose content is never report text. */
static const char *const dropped_tags[] = {"script", "style", "noscript", "nav", "footer", "head",
                                           "template", "iframe", "select", "option", "button",
                                           "textarea", "svg", "object", "applet", "canvas", "audio",
                                           "video", "map", "datalist", NULL};

bool ht_dropped(const ht_node *n)
{
    if (!n->tag[0])
        return false;
    if (n->hidden || in_list(n->tag, dropped_tags))
        return true;
    if (ht_is(n, "header")) {
        /* a page's <header> is chrome; an <article>'s <header> holds its title */
        for (const ht_node *p = n->parent; p; p = p->parent)
            if (ht_is(p, "article"))
                return false;
        return true;
    }
    return false;
}

/* Builder ------------------------------------------------------------- */

typedef struct builder {
    ht_tree *tr;
    ht_node *stack[HT_MAX_DEPTH];
    size_t depth;       /* stack[0] is the root */
    bool seen_body, in_title, ok;
} builder;

static ht_node *new_node(builder *b, const char *tag, int line)
{
    ht_tree *tr = b->tr;
    if (tr->n == tr->cap) {
        size_t cap = tr->cap ? tr->cap * 2 : 256;
        ht_node **v = realloc(tr->all, cap * sizeof *v);
        if (!v) {
            b->ok = false;
            return NULL;
        }
        tr->all = v;
        tr->cap = cap;
    }
    ht_node *n = calloc(1, sizeof *n);
    if (!n) {
        b->ok = false;
        return NULL;
    }
    snprintf(n->tag, sizeof n->tag, "%s", tag);
    n->rowspan = n->colspan = 1;
    n->line = line;
    tr->all[tr->n++] = n;
    return n;
}

static void append(ht_node *parent, ht_node *child)
{
    child->parent = parent;
    if (parent->last)
        parent->last->next = child;
    else
        parent->first = child;
    parent->last = child;
}

static ht_node *top(const builder *b) { return b->stack[b->depth - 1]; }

static void pop_through(builder *b, size_t i) /* pops stack[i] and above */
{
    if (i >= 1 && i < b->depth)
        b->depth = i;
}

/* Index of the nearest open tag (from the top), stopping at any of stop;
 * 0 when none. */
static size_t find_open(const builder *b, const char *tag, const char *const *stop)
{
    for (size_t i = b->depth; i-- > 1;) {
        if (strcmp(b->stack[i]->tag, tag) == 0)
            return i;
        if (stop && in_list(b->stack[i]->tag, stop))
            return 0;
    }
    return 0;
}

static const char *const scope_stop[] = {"td", "th", "table", "caption", "button", "object", "marquee",
                                         "template", NULL};
static const char *const list_stop[] = {"td", "th", "table", "caption", "ul", "ol", NULL};
static const char *const table_stop[] = {"table", "template", NULL};
static const char *const row_stop[] = {"table", "tbody", "thead", "tfoot", "template", NULL};
static const char *const cell_stop[] = {"table", "tbody", "thead", "tfoot", "tr", "template", NULL};

static int span_value(const char *v, int dflt, int lo, int hi)
{
    if (!v)
        return dflt;
    while (*v == ' ' || *v == '\t' || *v == '\n' || *v == '"' || *v == '\'')
        v++;
    if (*v < '0' || *v > '9')
        return dflt;
    long x = 0;
    while (*v >= '0' && *v <= '9' && x < 1000000)
        x = x * 10 + (*v++ - '0');
    if (x < lo)
        return lo;
    return x > hi ? hi : (int)x;
}

static bool style_hidden(const char *style)
{
    if (!style)
        return false;
    char compact[256];
    size_t k = 0;
    for (const char *p = style; *p && k < sizeof compact - 1; p++)
        if (*p != ' ' && *p != '\t' && *p != '\n' && *p != '\r')
            compact[k++] = *p;
    compact[k] = '\0';
    return strcasestr(compact, "display:none") != NULL || strcasestr(compact, "visibility:hidden") != NULL;
}

static void set_attrs(builder *b, ht_node *n, const ht_token *t)
{
    const char *cls = ht_token_attr(t, "class"), *id = ht_token_attr(t, "id");
    if (cls || id) {
        strbuf s = {0};
        if (!strbuf_add(&s, cls ? cls : "", cls ? strlen(cls) : 0) || !strbuf_add(&s, " ", 1) ||
            !strbuf_add(&s, id ? id : "", id ? strlen(id) : 0)) {
            strbuf_free(&s);
            b->ok = false;
            return;
        }
        n->cls = s.s;
    }
    n->rowspan = span_value(ht_token_attr(t, "rowspan"), 1, 0, 65534);
    n->colspan = span_value(ht_token_attr(t, "colspan"), 1, 1, HT_MAX_COLSPAN);
    n->hidden = ht_token_attr(t, "hidden") != NULL || style_hidden(ht_token_attr(t, "style"));
}

static void open_element(builder *b, const ht_token *t, bool leaf)
{
    ht_node *n = new_node(b, t->name, t->line);
    if (!n)
        return;
    set_attrs(b, n, t);
    append(top(b), n);
    if (!leaf && b->depth < HT_MAX_DEPTH)
        b->stack[b->depth++] = n;
}

static void start_tag(builder *b, const ht_token *t)
{
    const char *name = t->name;
    if (strcmp(name, "html") == 0)
        return;
    if (strcmp(name, "title") == 0) {
        b->in_title = true;
        return;
    }
    if (strcmp(name, "body") == 0) {
        size_t h = find_open(b, "head", NULL);
        if (h)
            pop_through(b, h);
        if (b->seen_body)
            return;
        b->seen_body = true;
    }
    if (strcmp(name, "head") == 0 && (b->seen_body || find_open(b, "head", NULL)))
        return;
    if (in_list(name, closes_p)) {
        size_t p = find_open(b, "p", scope_stop);
        if (p)
            pop_through(b, p);
    }
    if (strcmp(name, "li") == 0) {
        size_t li = find_open(b, "li", list_stop);
        if (li)
            pop_through(b, li);
    } else if (strcmp(name, "dd") == 0 || strcmp(name, "dt") == 0) {
        size_t d = find_open(b, "dd", list_stop), t2 = find_open(b, "dt", list_stop);
        size_t m = d > t2 ? d : t2;
        if (m)
            pop_through(b, m);
    } else if (strcmp(name, "td") == 0 || strcmp(name, "th") == 0) {
        size_t c1 = find_open(b, "td", cell_stop), c2 = find_open(b, "th", cell_stop);
        size_t m = c1 > c2 ? c1 : c2;
        if (m)
            pop_through(b, m);
        if (in_list(top(b)->tag, row_stop) && strcmp(top(b)->tag, "template") != 0) {
            ht_token tr = {.kind = HT_TOK_START, .line = t->line};
            strcpy(tr.name, "tr");
            open_element(b, &tr, false);
        }
    } else if (strcmp(name, "tr") == 0) {
        size_t r = find_open(b, "tr", row_stop);
        if (r)
            pop_through(b, r);
        else {
            /* a <tr> inside a cell that was never closed belongs to the cell's table */
            size_t c1 = find_open(b, "td", table_stop), c2 = find_open(b, "th", table_stop);
            size_t m = c1 > c2 ? c1 : c2;
            size_t tb = find_open(b, "table", NULL);
            if (m && m > tb)
                pop_through(b, m);
            r = find_open(b, "tr", row_stop);
            if (r)
                pop_through(b, r);
        }
    } else if (strcmp(name, "tbody") == 0 || strcmp(name, "thead") == 0 || strcmp(name, "tfoot") == 0) {
        size_t tb = find_open(b, "table", NULL);
        if (tb)
            pop_through(b, tb + 1);
    }
    bool leaf = t->self_closing || in_list(name, void_tags) || in_list(name, empty_tags);
    open_element(b, t, leaf);
}

static void end_tag(builder *b, const ht_token *t)
{
    const char *name = t->name;
    if (strcmp(name, "html") == 0 || strcmp(name, "body") == 0)
        return;
    if (strcmp(name, "title") == 0) {
        b->in_title = false;
        return;
    }
    if (strcmp(name, "br") == 0) { /* </br> is <br> */
        ht_token br = {.kind = HT_TOK_START, .line = t->line};
        strcpy(br.name, "br");
        open_element(b, &br, true);
        return;
    }
    size_t i;
    if (strcmp(name, "table") == 0)
        i = find_open(b, "table", NULL);
    else if (in_list(name, (const char *const[]){"td", "th", "tr", "tbody", "thead", "tfoot", "caption", NULL}))
        i = find_open(b, name, table_stop);
    else if (strcmp(name, "head") == 0)
        i = find_open(b, "head", NULL);
    else
        i = find_open(b, name, scope_stop);
    if (i)
        pop_through(b, i);
}

static void text_token(builder *b, const ht_token *t)
{
    if (!t->text.len)
        return;
    if (b->in_title) {
        if (!b->tr->title) {
            b->tr->title = malloc(t->text.len + 1);
            if (!b->tr->title) {
                b->ok = false;
                return;
            }
            memcpy(b->tr->title, t->text.s, t->text.len + 1);
            b->tr->title_line = t->line;
        }
        return;
    }
    ht_node *n = new_node(b, "", t->line);
    if (!n)
        return;
    n->text = malloc(t->text.len + 1);
    if (!n->text) {
        b->ok = false;
        return;
    }
    memcpy(n->text, t->text.s, t->text.len + 1);
    n->textlen = t->text.len;
    append(top(b), n);
}

bool ht_tree_build(ht_tree *tr, const char *text, size_t len)
{
    memset(tr, 0, sizeof *tr);
    builder b = {.tr = tr, .ok = true};
    tr->root = new_node(&b, "#root", 1);
    if (!tr->root)
        return false;
    b.stack[b.depth++] = tr->root;
    ht_lexer lx;
    ht_lex_init(&lx, text, len);
    ht_token t = {0};
    while (b.ok) {
        if (!ht_lex_next(&lx, &t)) {
            b.ok = false;
            break;
        }
        if (t.kind == HT_TOK_EOF)
            break;
        if (t.kind == HT_TOK_TEXT)
            text_token(&b, &t);
        else if (t.kind == HT_TOK_START)
            start_tag(&b, &t);
        else
            end_tag(&b, &t);
    }
    ht_token_free(&t);
    return b.ok;
}

void ht_tree_free(ht_tree *tr)
{
    for (size_t i = 0; i < tr->n; i++) {
        free(tr->all[i]->text);
        free(tr->all[i]->cls);
        free(tr->all[i]);
    }
    free(tr->all);
    free(tr->title);
    memset(tr, 0, sizeof *tr);
}

/* Measures and the article ------------------------------------------- */

static size_t visible_bytes(const char *s, size_t n)
{
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f')
            continue;
        if (c == 0xC2 && i + 1 < n && (unsigned char)s[i + 1] == 0xA0) { /* NBSP */
            i++;
            continue;
        }
        k++;
    }
    return k;
}

void ht_tree_measure(ht_tree *tr)
{
    for (size_t i = 0; i < tr->n; i++) {
        ht_node *n = tr->all[i];
        n->ntext = n->text ? visible_bytes(n->text, n->textlen) : 0;
        n->ncells = ht_is(n, "td") || ht_is(n, "th");
        n->ntables = ht_is(n, "table");
    }
    /* children come after their parents in document order */
    for (size_t i = tr->n; i-- > 1;) {
        ht_node *n = tr->all[i];
        if (!n->parent || ht_dropped(n))
            continue;
        n->parent->ntext += n->ntext;
        n->parent->ncells += n->ncells;
        n->parent->ntables += n->ntables;
    }
}

static bool is_candidate(const ht_node *n)
{
    static const char *const words[] = {"trs_editor", "article", "content", "zoom", "main", "正文",
                                        NULL};
    static const char *const not_words[] = {"nav", "menu", "header", "footer", "sidebar", "breadcrumb",
                                            NULL};
    if (!n->tag[0] || ht_dropped(n))
        return false;
    if (ht_is(n, "article") || ht_is(n, "main"))
        return true;
    if (!n->cls)
        return false;
    for (int i = 0; not_words[i]; i++)
        if (strcasestr(n->cls, not_words[i]))
            return false;
    for (int i = 0; words[i]; i++)
        if (strcasestr(n->cls, words[i]))
            return true;
    return false;
}

static bool inside_dropped(const ht_node *n)
{
    for (const ht_node *p = n; p; p = p->parent)
        if (ht_dropped(p))
            return true;
    return false;
}

/* The tightest container that still holds most of the page's table cells
 * and a fair part of its text; the body (or the whole tree) when none. */
const ht_node *ht_tree_article(const ht_tree *tr)
{
    const ht_node *whole = tr->root;
    for (size_t i = 0; i < tr->n; i++)
        if (ht_is(tr->all[i], "body")) {
            whole = tr->all[i];
            break;
        }
    const ht_node *best = NULL;
    for (size_t i = 0; i < tr->n; i++) {
        const ht_node *n = tr->all[i];
        if (!is_candidate(n) || inside_dropped(n))
            continue;
        bool cells = whole->ncells ? n->ncells * 5 >= whole->ncells * 4 : true;
        bool text = whole->ncells ? n->ntext * 4 >= whole->ntext : n->ntext * 2 >= whole->ntext;
        if (!cells || !text || !n->ntext)
            continue;
        if (!best || n->ntext < best->ntext)
            best = n;
    }
    return best ? best : whole;
}
