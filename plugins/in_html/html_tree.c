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

/* Builder ------------------------------------------------------------- */

typedef struct builder {
    ht_tree *tr;
    ht_node *stack[HT_MAX_DEPTH];
    size_t depth;       /* stack[0] is the root */
    bool seen_body, in_title, ok;
    bool nuls; /* the page holds a NUL (the lexer's) */
    strbuf vals; /* scratch: a decoded attribute value */
    ht_node *spare; /* nodes allocated, not yet used */
    size_t nspare;
    size_t nodes_left; /* of HT_MAX_NODES, in blocks not yet allocated */
} builder;

/* Keeps n among the article's candidates; out of line, few nodes are. */
static void add_candidate(builder *b, ht_node *n)
{
    ht_tree *tr = b->tr;
    if (tr->ncands == tr->capcands) {
        size_t cap = tr->capcands ? tr->capcands * 2 : 64;
        ht_node **v = realloc(tr->cands, cap * sizeof *v);
        if (!v) {
            b->ok = false;
            return;
        }
        tr->cands = v;
        tr->capcands = cap;
    }
    tr->cands[tr->ncands++] = n;
}

/* Nodes come from the arena a block at a time: the usual new node is a
 * pointer bump with no chunk check. */
#define NODE_BLOCK 128

static bool refill(builder *b)
{
    if (b->nodes_left < NODE_BLOCK) {
        b->tr->over = true;
        return false;
    }
    b->nodes_left -= NODE_BLOCK;
    b->spare = arena_alloc_raw(&b->tr->mem, NODE_BLOCK * sizeof *b->spare);
    b->nspare = b->spare ? NODE_BLOCK : 0;
    return b->spare != NULL;
}

/* Sets every field of a node taken from the spares. */
static inline void fill_node(ht_node *n, const char *tag, ht_tag id, int line)
{
    /* field by field: a whole-struct initialiser became a rep stos */
    n->tag = tag;
    n->id = id;
    n->text = NULL;
    n->textlen = 0;
    n->cls = NULL;
    n->rowspan = n->colspan = 1;
    n->hidden = n->para = n->dropped = n->in_dropped = n->in_article = false;
    n->line = line;
    n->parent = n->first = n->last = n->next = NULL;
    n->ntext = n->ncells = n->ntables = 0;
}

/* tag: not copied (a static string or one in the tree's arena). */
static inline ht_node *new_node(builder *b, const char *tag, ht_tag id, int line)
{
    if (!b->nspare && !refill(b)) {
        b->ok = false;
        return NULL;
    }
    ht_node *n = b->spare++;
    b->nspare--;
    fill_node(n, tag, id, line);
    return n;
}

/* Elements whose content is never report text: a page's <header> is
 * chrome, an <article>'s <header> holds its title. */
static void mark_dropped(ht_node *n)
{
    const ht_node *p = n->parent;
    n->in_article = p->in_article || p->id == HT_article;
    n->dropped = n->tag[0] && (n->hidden || ht_has(n, HT_F_DROP) || (n->id == HT_header && !n->in_article));
    n->in_dropped = n->dropped || p->in_dropped;
}

static inline void link_child(ht_node *parent, ht_node *child)
{
    child->parent = parent;
    if (parent->last)
        parent->last->next = child;
    else
        parent->first = child;
    parent->last = child;
}

static void append(ht_node *parent, ht_node *child)
{
    link_child(parent, child);
    mark_dropped(child);
}

static ht_node *top(const builder *b) { return b->stack[b->depth - 1]; }

/* A node that takes no more children adds its counts to its parent's (a
 * dropped one does not): the measures come out of the build, with no walk
 * over the finished tree. */
static void finish(const ht_node *n)
{
    ht_node *p = n->parent;
    if (p && !n->dropped) {
        p->ntext += n->ntext;
        p->ncells += n->ncells;
        p->ntables += n->ntables;
    }
}

static void pop_through(builder *b, size_t i) /* pops stack[i] and above */
{
    if (i >= 1 && i < b->depth) {
        for (size_t j = b->depth; j-- > i;) /* children before their parents */
            finish(b->stack[j]);
        b->depth = i;
    }
}

/* Index of the nearest open element with this tag (id, or name when the
 * id is HT_OTHER), stopping at any element with a stop flag; 0 when none. */
static size_t find_open(const builder *b, ht_tag id, const char *name, unsigned stop)
{
    for (size_t i = b->depth; i-- > 1;) {
        const ht_node *n = b->stack[i];
        if (n->id == id && (id != HT_OTHER || (name && strcmp(n->tag, name) == 0)))
            return i;
        if (ht_has(n, stop))
            return 0;
    }
    return 0;
}

/* A rowspan/colspan value v[0..n) (NULL: absent), as a browser reads it:
 * leading blanks and quotes skipped, digits up to the first other byte. */
static int span_value(const char *v, size_t n, int dflt, int lo, int hi)
{
    if (!v)
        return dflt;
    const char *e = v + n;
    while (v < e && (*v == ' ' || *v == '\t' || *v == '\n' || *v == '"' || *v == '\''))
        v++;
    if (v == e || *v < '0' || *v > '9')
        return dflt;
    long x = 0;
    while (v < e && *v >= '0' && *v <= '9' && x < 1000000)
        x = x * 10 + (*v++ - '0');
    if (x < lo)
        return lo;
    return x > hi ? hi : (int)x;
}

static char ascii_lower(char c) { return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c; }

/* Whether hay holds needle (lower case), ASCII letters matched without
 * case: strcasestr in the C locale, without its set-up per call (these
 * strings are short and searched for several words). */
static bool has_ci(const char *hay, const char *needle)
{
    for (; *hay; hay++) {
        size_t k = 0;
        while (needle[k] && ascii_lower(hay[k]) == needle[k])
            k++;
        if (!needle[k])
            return true;
    }
    return false;
}

/* Whether s[0..n) is word (lower case), ASCII letters matched without case. */
static bool is_ci(const char *s, const char *word, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (ascii_lower(s[i]) != word[i])
            return false;
    return true;
}

/* Whether the white-space-free style c[0..n) holds "prop:value" anywhere
 * (as has_ci would find it): each ':' is tried, and a style has few. */
static bool has_decl(const char *c, size_t n, const char *prop, const char *value)
{
    size_t pl = strlen(prop), vl = strlen(value);
    for (const char *q = c; (q = memchr(q, ':', (size_t)(c + n - q))) != NULL; q++) {
        size_t at = (size_t)(q - c);
        if (at >= pl && n - at - 1 >= vl && is_ci(q - pl, prop, pl) && is_ci(q + 1, value, vl))
            return true;
    }
    return false;
}

/* Whether some ':' of s[0..n) is followed, past blanks, by an n or an h:
 * has_decl can find "display:none" or "visibility:hidden" nowhere else,
 * and most styles (font-family:仿宋) settle here without a copy. */
static bool may_hide(const char *s, size_t n)
{
    for (const char *q = s, *e = s + n; (q = memchr(q, ':', (size_t)(e - q))) != NULL;) {
        while (++q < e && (*q == ' ' || *q == '\t' || *q == '\n' || *q == '\r'))
            ;
        if (q < e && ((*q | 0x20) == 'n' || (*q | 0x20) == 'h'))
            return true;
    }
    return false;
}

/* Whether the style s[0..n) (NULL: absent) hides its element. */
static bool style_hidden(const char *style, size_t n)
{
    if (!style || !may_hide(style, n))
        return false;
    char compact[256];
    size_t k = 0;
    for (const char *p = style, *e = style + n; p < e && k < sizeof compact - 1; p++)
        if (*p != ' ' && *p != '\t' && *p != '\n' && *p != '\r')
            compact[k++] = *p;
    compact[k] = '\0';
    return has_decl(compact, k, "display", "none") || has_decl(compact, k, "visibility", "hidden");
}

/* The attributes the reader uses, each the first of its name. */
typedef struct attrs {
    const ht_attr *cls, *id, *rowspan, *colspan, *style;
    bool hidden;
} attrs;

static attrs pick_attrs(const ht_token *t)
{
    attrs a = {0};
    if (!t->picks) /* no name the switch below takes (the lexer looked) */
        return a;
    for (size_t i = 0; i < t->nattrs; i++) {
        const ht_attr *at = &t->attrs[i];
        const ht_attr **slot = NULL;
        switch (at->nlen ? at->name[0] | 0x20 : 0) {
        case 'c':
            slot = ht_attr_is(at, "class", 5) ? &a.cls : ht_attr_is(at, "colspan", 7) ? &a.colspan : NULL;
            break;
        case 'h':
            a.hidden |= ht_attr_is(at, "hidden", 6);
            break;
        case 'i':
            slot = ht_attr_is(at, "id", 2) ? &a.id : NULL;
            break;
        case 'r':
            slot = ht_attr_is(at, "rowspan", 7) ? &a.rowspan : NULL;
            break;
        case 's':
            slot = ht_attr_is(at, "style", 5) ? &a.style : NULL;
            break;
        default:
            break;
        }
        if (slot && !*slot)
            *slot = at;
    }
    return a;
}

/* Whether an attribute's value reads the same decoded: no reference, no
 * NUL (the usual value: "center", "2", "MsoNormal").  A long one (a Word
 * style of a hundred bytes) is searched with memchr, for a NUL only when
 * the page holds one. */
static bool plain_value(const builder *b, const ht_attr *a)
{
    if (a->vlen >= 16)
        return !memchr(a->value, '&', a->vlen) && !(b->nuls && memchr(a->value, '\0', a->vlen));
    for (size_t i = 0; i < a->vlen; i++)
        if (a->value[i] == '&' || a->value[i] == '\0')
            return false;
    return true;
}

/* Appends the decoded value of a picked attribute (nothing when absent)
 * to b->vals. */
static void add_value(builder *b, const ht_attr *a)
{
    if (b->ok && !(a ? ht_decode_entities(&b->vals, a->value, a->vlen) : strbuf_add(&b->vals, "", 0)))
        b->ok = false;
}

/* The decoded value of a picked attribute (NULL when absent): the page's
 * bytes when they need no decoding, else in b->vals (valid until the next
 * call). */
static const char *attr_value(builder *b, const ht_attr *a, size_t *n)
{
    *n = 0;
    if (!a)
        return NULL;
    if (plain_value(b, a)) {
        *n = a->vlen;
        return a->value;
    }
    b->vals.len = 0;
    add_value(b, a);
    if (!b->ok)
        return "";
    *n = b->vals.len;
    return b->vals.s;
}

/* "class id" of the node, for finding the article. */
static void set_class(builder *b, ht_node *n, const ht_attr *cls, const ht_attr *id)
{
    if ((!cls || plain_value(b, cls)) && (!id || plain_value(b, id))) { /* straight into the arena */
        size_t cl = cls ? cls->vlen : 0, il = id ? id->vlen : 0;
        char *p = arena_alloc_raw(&b->tr->mem, cl + il + 2);
        if (!p) {
            b->ok = false;
            return;
        }
        if (cl)
            memcpy(p, cls->value, cl);
        p[cl] = ' ';
        if (il)
            memcpy(p + cl + 1, id->value, il);
        p[cl + 1 + il] = '\0';
        n->cls = p;
        return;
    }
    b->vals.len = 0;
    add_value(b, cls);
    if (b->ok && !strbuf_add(&b->vals, " ", 1))
        b->ok = false;
    add_value(b, id);
    if (b->ok && !(n->cls = arena_strndup(&b->tr->mem, b->vals.s, b->vals.len)))
        b->ok = false;
}

static void set_attrs(builder *b, ht_node *n, const ht_token *t)
{
    attrs a = pick_attrs(t);
    if (!a.cls && !a.id && !a.rowspan && !a.colspan && !a.style && !a.hidden)
        return; /* <p align=center>: nothing the reader uses, the defaults stand */
    if (a.cls || a.id)
        set_class(b, n, a.cls, a.id);
    size_t len;
    const char *v = attr_value(b, a.rowspan, &len);
    n->rowspan = span_value(v, len, 1, 0, 65534);
    v = attr_value(b, a.colspan, &len);
    n->colspan = span_value(v, len, 1, 1, HT_MAX_COLSPAN);
    v = attr_value(b, a.style, &len);
    n->hidden = a.hidden || style_hidden(v, len);
}

/* Opens the element of n (its attributes read): links it, counts its
 * cell or table, pushes it.  Candidates and the body are the caller's. */
static inline void place_element(builder *b, ht_node *n, bool leaf)
{
    n->ncells = n->id == HT_td || n->id == HT_th;
    n->ntables = n->id == HT_table;
    if (!leaf && b->depth < HT_MAX_DEPTH)
        b->stack[b->depth++] = n;
    else
        finish(n);
}

static void open_element_any(builder *b, const ht_token *t, bool leaf);

/* The usual element (a known tag with no attribute the tree reads, not
 * <body>, <article> or <main>, a node spare) makes no call. */
static void open_element(builder *b, const ht_token *t, bool leaf)
{
    ht_tag id = t->id;
    if (id == HT_OTHER || (t->nattrs && t->picks) || !b->nspare || id == HT_body || id == HT_article ||
        id == HT_main) {
        open_element_any(b, t, leaf);
        return;
    }
    ht_node *n = b->spare++;
    b->nspare--;
    fill_node(n, ht_tag_names[id], id, t->line);
    append(top(b), n); /* no class or id: no candidate */
    place_element(b, n, leaf);
}

/* open_element's general path. */
static __attribute__((noinline)) void open_element_any(builder *b, const ht_token *t, bool leaf)
{
    const char *tag = t->id != HT_OTHER ? ht_tag_names[t->id] : arena_strndup(&b->tr->mem, t->name, strlen(t->name));
    if (!tag) {
        b->ok = false;
        return;
    }
    ht_node *n = new_node(b, tag, t->id, t->line);
    if (!n)
        return;
    if (t->nattrs && t->picks)
        set_attrs(b, n, t);
    append(top(b), n);
    if ((n->cls || n->id == HT_article || n->id == HT_main) && !n->dropped)
        add_candidate(b, n);
    if (n->id == HT_body && !b->tr->body)
        b->tr->body = n;
    place_element(b, n, leaf);
}

/* Opens a start tag the page left out (the <tr> around a bare cell). */
static void open_implied(builder *b, ht_tag id, const char *name, int line, bool leaf)
{
    ht_token t = {.kind = HT_TOK_START, .id = id, .line = line};
    strcpy(t.name, name);
    open_element(b, &t, leaf);
}

/* find_open for either of two known tags, in one pass: the nearer. */
static size_t find_open_either(const builder *b, ht_tag x, ht_tag y, unsigned stop)
{
    for (size_t i = b->depth; i-- > 1;) {
        const ht_node *n = b->stack[i];
        if (n->id == x || n->id == y)
            return i;
        if (ht_has(n, stop))
            return 0;
    }
    return 0;
}

/* Whether a start tag opens an element without content. */
static bool is_leaf(const ht_token *t)
{
    return t->self_closing || (ht_tag_flags[t->id] & (HT_F_VOID | HT_F_EMPTY));
}

/* A bare cell: the <tr> around it the page left out, then the cell.  Out
 * of line, so that start_tag's usual path makes no call but its last. */
static __attribute__((noinline)) void open_in_implied_row(builder *b, const ht_token *t)
{
    open_implied(b, HT_tr, "tr", t->line, false);
    open_element(b, t, is_leaf(t));
}

static void start_tag(builder *b, const ht_token *t)
{
    ht_tag id = t->id;
    switch (id) { /* switches: one jump per tag instead of a chain of tests */
    case HT_html:
        return;
    case HT_title:
        b->in_title = true;
        return;
    case HT_body: {
        size_t h = find_open(b, HT_head, NULL, 0);
        if (h)
            pop_through(b, h);
        if (b->seen_body)
            return;
        b->seen_body = true;
        break;
    }
    case HT_head:
        if (b->seen_body || find_open(b, HT_head, NULL, 0))
            return;
        break;
    default:
        break;
    }
    if (ht_tag_flags[id] & HT_F_CLOSES_P) {
        size_t p = find_open(b, HT_p, NULL, HT_F_SCOPE);
        if (p)
            pop_through(b, p);
    }
    switch (id) {
    case HT_li: {
        size_t li = find_open(b, HT_li, NULL, HT_F_LIST);
        if (li)
            pop_through(b, li);
        break;
    }
    case HT_dd:
    case HT_dt: {
        size_t m = find_open_either(b, HT_dd, HT_dt, HT_F_LIST);
        if (m)
            pop_through(b, m);
        break;
    }
    case HT_td:
    case HT_th: {
        size_t m = find_open_either(b, HT_td, HT_th, HT_F_CELL);
        if (m)
            pop_through(b, m);
        if (ht_has(top(b), HT_F_ROW) && top(b)->id != HT_template) {
            open_in_implied_row(b, t);
            return;
        }
        break;
    }
    case HT_tr: {
        size_t r = find_open(b, HT_tr, NULL, HT_F_ROW);
        if (r)
            pop_through(b, r);
        else {
            /* a <tr> inside a cell that was never closed belongs to the cell's table */
            size_t m = find_open_either(b, HT_td, HT_th, HT_F_TABLE);
            size_t tb = find_open(b, HT_table, NULL, 0);
            if (m && m > tb)
                pop_through(b, m);
            r = find_open(b, HT_tr, NULL, HT_F_ROW);
            if (r)
                pop_through(b, r);
        }
        break;
    }
    case HT_tbody:
    case HT_thead:
    case HT_tfoot: {
        size_t tb = find_open(b, HT_table, NULL, 0);
        if (tb)
            pop_through(b, tb + 1);
        break;
    }
    default:
        break;
    }
    open_element(b, t, is_leaf(t));
}

static void end_tag_any(builder *b, const ht_token *t);

/* An end tag of a known name other than </br> (the usual one) makes no
 * call: its search compares ids only. */
static void end_tag(builder *b, const ht_token *t)
{
    ht_tag id = t->id;
    if (id == HT_OTHER || id == HT_br) {
        end_tag_any(b, t);
        return;
    }
    size_t i;
    switch (id) {
    case HT_html:
    case HT_body:
        return;
    case HT_title:
        b->in_title = false;
        return;
    case HT_table:
    case HT_head:
        i = find_open(b, id, NULL, 0);
        break;
    default:
        i = find_open(b, id, NULL, ht_tag_flags[id] & HT_F_TEND ? HT_F_TABLE : HT_F_SCOPE);
        break;
    }
    if (i)
        pop_through(b, i);
}

/* end_tag's rare path, the only end tags it passes on: </br> (read as
 * <br>) and a name of no known tag (HT_OTHER: matched by its name). */
static __attribute__((noinline)) void end_tag_any(builder *b, const ht_token *t)
{
    if (t->id == HT_br) {
        open_implied(b, HT_br, "br", t->line, true);
        return;
    }
    size_t i = find_open(b, t->id, t->name, HT_F_SCOPE);
    if (i)
        pop_through(b, i);
}

/* Links a text node under the open element: append and finish for a
 * text node, never dropped itself and without cells. */
static inline void link_text(builder *b, ht_node *n)
{
    ht_node *p = top(b);
    link_child(p, n);
    n->in_article = p->in_article || p->id == HT_article;
    n->in_dropped = p->in_dropped;
    p->ntext += n->ntext;
}

/* Whether every reader breaks at both ends of n: a line of its own in
 * html.c's walk and a block in a cell's text (both flags), a heading, a
 * <br>, a para text; never a dropped element, which is skipped unread. */
static bool breaks_around(const ht_node *n)
{
    if (!n->tag[0])
        return n->para;
    unsigned f = ht_tag_flags[n->id];
    return !n->dropped && ((f & (HT_F_LINE | HT_F_BLOCK)) == (HT_F_LINE | HT_F_BLOCK) || n->id == HT_br ||
                           (n->id >= HT_h1 && n->id <= HT_h6));
}

/* Whether a text of blanks only (the newline between </tr> and <tr>, a
 * cell's &nbsp;) would join the open element where no reader can see it:
 * right after the element's start or a sibling's end that every reader
 * breaks at.  A blank only separates what comes before it from what
 * follows, and there nothing comes before it (a line, a cell text just
 * begun) or the break already separates (ht_text_add: a break wins over
 * blanks), so the document is the same without its node. */
static bool blank_unread(const builder *b)
{
    const ht_node *p = top(b);
    return p->last ? breaks_around(p->last) : breaks_around(p);
}

static ht_node *text_token_any(builder *b, const ht_token *t);

/* The text node of a TEXT token (NULL when it makes none).  The usual
 * text (in the page, a node spare, not the title) makes no call. */
static ht_node *text_token(builder *b, const ht_token *t)
{
    if (!t->txlen || (!t->visible && !b->in_title && blank_unread(b)))
        return NULL;
    if (b->in_title || !t->in_page || !b->nspare)
        return text_token_any(b, t);
    ht_node *n = b->spare++;
    b->nspare--;
    fill_node(n, "", HT_OTHER, t->line);
    n->text = t->tx;
    n->textlen = t->txlen;
    n->ntext = t->visible;
    link_text(b, n);
    return n;
}

/* text_token's general path. */
static __attribute__((noinline)) ht_node *text_token_any(builder *b, const ht_token *t)
{
    if (b->in_title) {
        if (!b->tr->title) {
            b->tr->title = malloc(t->txlen + 1);
            if (!b->tr->title) {
                b->ok = false;
                return NULL;
            }
            memcpy(b->tr->title, t->tx, t->txlen);
            b->tr->title[t->txlen] = '\0';
            b->tr->title_line = t->line;
        }
        return NULL;
    }
    ht_node *n = new_node(b, "", HT_OTHER, t->line);
    if (!n)
        return NULL;
    n->text = t->in_page ? t->tx : arena_strndup(&b->tr->mem, t->tx, t->txlen);
    if (!n->text) {
        b->ok = false;
        return NULL;
    }
    n->textlen = t->txlen;
    n->ntext = t->visible;
    link_text(b, n);
    return n;
}

static void feed(builder *b, const ht_token *t)
{
    if (t->kind == HT_TOK_TEXT)
        text_token(b, t);
    else if (t->kind == HT_TOK_START)
        start_tag(b, t);
    else if (t->kind == HT_TOK_END)
        end_tag(b, t);
}

/* Whether a start tag may be a wrapper: an inline element with no
 * attributes (<span>, <font>, <b> ...) opened below the depth limit.  When
 * its whole content is one text (<span>0</span>), the text stands for it:
 * the element adds nothing a reader sees (no block, never dropped, no
 * class or id, no heading, no cells) and its end tag closes exactly it, so
 * the document is the same without its node, which is not made. */
static bool wrapper(const builder *b, const ht_token *t)
{
    return t->kind == HT_TOK_START && t->id != HT_OTHER && t->id != HT_html && ht_tag_flags[t->id] == 0 &&
           !t->nattrs && !t->self_closing && b->depth < HT_MAX_DEPTH && !b->in_title;
}

/* Whether tok[k..k+2] are a wrapper, its one text and its end tag, the
 * wrapper opened below `below` elements not on the stack yet. */
static bool wrapped(const builder *b, const ht_token *tok, size_t k, size_t below)
{
    return wrapper(b, &tok[k]) && b->depth + below < HT_MAX_DEPTH && tok[k + 1].kind == HT_TOK_TEXT &&
           tok[k + 2].kind == HT_TOK_END && tok[k + 2].id == tok[k].id;
}

/* Whether a start tag may be a paragraph of one text: a <p> without the
 * attributes that could hide it or make it the article.  Its whole
 * content one text (maybe in a wrapper), <p align=center>0</p> becomes
 * that text's node marked para: every reader reads it with the block
 * breaks the <p> gave (html.c's walk, ht_collect_text), the <p> being a
 * block and nothing else to them, and its end tag closes exactly it. */
static bool para(const builder *b, const ht_token *t)
{
    if (t->kind != HT_TOK_START || t->id != HT_p || t->self_closing || b->in_title)
        return false;
    if (!t->nattrs || !t->picks)
        return true;
    attrs a = pick_attrs(t);
    return !a.cls && !a.id && !a.style && !a.hidden;
}

/* Reads tokens into tok[*n..want); false when out of memory. */
static bool read_to(ht_lexer *lx, ht_token *tok, size_t *n, size_t want)
{
    while (*n < want)
        if (!ht_lex_next(lx, &tok[(*n)++]))
            return false;
    return true;
}

/* Feeds tok[0..n) in order, a wrapper with its text as its text. */
static void feed_run(builder *b, const ht_token *tok, size_t n)
{
    for (size_t i = 0; i < n && b->ok;)
        if (i + 3 <= n && wrapped(b, tok, i, 0)) {
            text_token(b, &tok[i + 1]);
            i += 3;
        } else
            feed(b, &tok[i++]);
}

/* A <p> for which para() holds, tok[0], the tokens after it read into
 * tok[1..) as needed (*n counts them): the <p> closes an open one as
 * start_tag does, then either its text stands for it or it opens. */
static bool start_para(builder *b, ht_lexer *lx, ht_token *tok, size_t *n)
{
    size_t p = find_open(b, HT_p, NULL, HT_F_SCOPE); /* start_tag's part for a <p> */
    if (p)
        pop_through(b, p);
    ht_node *text = NULL;
    if (b->depth < HT_MAX_DEPTH) {
        if (!read_to(lx, tok, n, 3))
            return false;
        if (tok[1].kind == HT_TOK_TEXT && tok[1].txlen && tok[2].kind == HT_TOK_END && tok[2].id == HT_p)
            text = text_token(b, &tok[1]);
        else {
            if (!read_to(lx, tok, n, 5))
                return false;
            if (wrapped(b, tok, 1, 1) && tok[2].txlen && tok[4].kind == HT_TOK_END && tok[4].id == HT_p)
                text = text_token(b, &tok[2]);
        }
    }
    if (text) {
        text->para = true;
        return true;
    }
    open_element(b, &tok[0], false);
    feed_run(b, tok + 1, *n - 1);
    return true;
}

bool ht_tree_build(ht_tree *tr, const char *text, size_t len)
{
    memset(tr, 0, sizeof *tr);
    builder b = {.tr = tr, .ok = true, .nodes_left = HT_MAX_NODES};
    tr->root = new_node(&b, "#root", HT_OTHER, 1);
    if (!tr->root)
        return false;
    b.stack[b.depth++] = tr->root;
    ht_lexer lx;
    ht_lex_init(&lx, text, len);
    b.nuls = lx.nuls;
    ht_token tok[5] = {{0}}; /* tok[0]; after a wrapper or a <p>, the tokens read ahead */
    while (b.ok) {
        if (!ht_lex_next(&lx, &tok[0])) {
            b.ok = false;
            break;
        }
        if (tok[0].kind == HT_TOK_EOF)
            break;
        size_t n = 1;
        if (wrapper(&b, &tok[0])) {
            if (!read_to(&lx, tok, &n, 3))
                b.ok = false;
            else
                feed_run(&b, tok, n);
        } else if (para(&b, &tok[0])) {
            if (!start_para(&b, &lx, tok, &n))
                b.ok = false;
        } else
            feed(&b, &tok[0]);
    }
    pop_through(&b, 1); /* the elements left open are finished too */
    for (size_t i = 0; i < sizeof tok / sizeof tok[0]; i++)
        ht_token_free(&tok[i]);
    strbuf_free(&b.vals);
    return b.ok;
}

void ht_tree_free(ht_tree *tr)
{
    arena_free(&tr->mem);
    free(tr->cands);
    free(tr->title);
    memset(tr, 0, sizeof *tr);
}

/* The article ------------------------------------------------------- */

static bool is_candidate(const ht_node *n)
{
    static const char *const words[] = {"trs_editor", "article", "content", "zoom", "main", "正文",
                                        NULL};
    static const char *const not_words[] = {"nav", "menu", "header", "footer", "sidebar", "breadcrumb",
                                            NULL};
    if (!n->tag[0] || ht_dropped(n))
        return false;
    if (ht_is(n, HT_article) || ht_is(n, HT_main))
        return true;
    if (!n->cls)
        return false;
    for (int i = 0; not_words[i]; i++)
        if (has_ci(n->cls, not_words[i]))
            return false;
    for (int i = 0; words[i]; i++)
        if (has_ci(n->cls, words[i]))
            return true;
    return false;
}

/* The tightest container that still holds most of the page's table cells
 * and a fair part of its text; the body (or the whole tree) when none. */
const ht_node *ht_tree_article(const ht_tree *tr)
{
    const ht_node *whole = tr->body ? tr->body : tr->root;
    const ht_node *best = NULL;
    for (size_t i = 0; i < tr->ncands; i++) {
        const ht_node *n = tr->cands[i];
        /* the sizes first: most nodes fail them, and cost no class search */
        bool cells = whole->ncells ? n->ncells * 5 >= whole->ncells * 4 : true;
        bool text = whole->ncells ? n->ntext * 4 >= whole->ntext : n->ntext * 2 >= whole->ntext;
        if (!cells || !text || !n->ntext || n->in_dropped || !is_candidate(n))
            continue;
        if (!best || n->ntext < best->ntext)
            best = n;
    }
    return best ? best : whole;
}
