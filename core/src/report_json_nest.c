/* report_json_nest.c - see report_json_nest.h. */
#include "report_json_nest.h"
#include "json_writer.h"
#include <stdlib.h>
#include <string.h>

bool nest_init(nest_tree *t, size_t cap_hint)
{
    memset(t, 0, sizeof *t);
    t->cap = cap_hint ? cap_hint : 8;
    t->n = malloc(t->cap * sizeof *t->n);
    t->len = t->n ? 1 : 0;
    t->failed = !t->n;
    if (t->n)
        t->n[0] = (nest_node){"", 0, NEST_OBJECT, -1, -1, -1, true};
    return !t->failed;
}

void nest_free(nest_tree *t)
{
    for (int i = 0; i < 2; i++) {
        free(t->plan[i].text);
        free(t->plan[i].steps);
    }
    free(t->shadowed);
    free(t->quoted);
    free(t->quoted_at);
    free(t->variant_q);
    free(t->n);
    memset(t, 0, sizeof *t);
}

void nest_tree_release(nest_tree *t)
{
    if (t)
        nest_free(t);
    free(t);
}

static long find_child(const nest_tree *t, long parent, const char *name, size_t nlen)
{
    for (long c = t->n[parent].first; c >= 0; c = t->n[c].next)
        if (t->n[c].nlen == nlen && memcmp(t->n[c].name, name, nlen) == 0)
            return c;
    return -1;
}

static long append_child(nest_tree *t, long parent, const char *name, size_t nlen, long field)
{
    if (t->len == t->cap) {
        nest_node *n = realloc(t->n, 2 * t->cap * sizeof *n);
        if (!n) {
            t->failed = true;
            return -1;
        }
        t->n = n;
        t->cap *= 2;
    }
    long c = (long)t->len++;
    t->n[c] = (nest_node){name, nlen, field, -1, -1, -1, jw_plain(name, nlen)};
    if (t->n[parent].last >= 0)
        t->n[t->n[parent].last].next = c;
    else
        t->n[parent].first = c;
    t->n[parent].last = c;
    return c;
}

/* An existing member keeps its place when its value is replaced. */
static long set_child(nest_tree *t, long parent, const char *name, size_t nlen, long field)
{
    long c = find_child(t, parent, name, nlen);
    if (c < 0)
        return append_child(t, parent, name, nlen, field);
    t->n[c].field = field;
    t->n[c].first = t->n[c].last = -1;
    return c;
}

/* The next non-empty part of a dotted path from *p; false at the end. */
static bool next_part(const char **p, const char **part, size_t *len)
{
    while (**p == '.')
        (*p)++;
    if (!**p)
        return false;
    *part = *p;
    while (**p && **p != '.')
        (*p)++;
    *len = (size_t)(*p - *part);
    return true;
}

void nest_put(nest_tree *t, const char *path, long field, bool has_value)
{
    const char *p = path, *part, *next;
    size_t len, nlen;
    long cur = 0;
    if (t->failed || !next_part(&p, &part, &len))
        return;
    while (next_part(&p, &next, &nlen)) {
        long c = find_child(t, cur, part, len);
        if (c < 0 || t->n[c].field != NEST_OBJECT)
            c = set_child(t, cur, part, len, NEST_OBJECT);
        if (c < 0)
            return;
        cur = c;
        part = next;
        len = nlen;
    }
    if (has_value)
        set_child(t, cur, part, len, field);
}

void nest_put_root(nest_tree *t, const char *name, long special)
{
    if (!t->failed)
        set_child(t, 0, name, strlen(name), special);
}

void nest_key(jw *w, const nest_node *n)
{
    if (n->plain)
        jw_key_plain(w, n->name, n->nlen);
    else
        jw_keyn(w, n->name, n->nlen);
}
