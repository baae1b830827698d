/* report_json_nest.h - the nesting of one table's key paths ("a.b.c" ->
 * {"a": {"b": {"c": ...}}}) in the order and with the overwrite rules of
 * the jansson objects report_json.c builds, for the direct JSON writer. */
#ifndef NB_REPORT_JSON_NEST_H
#define NB_REPORT_JSON_NEST_H

#include <stdbool.h>
#include <stddef.h>

enum { NEST_OBJECT = -1, NEST_EXTRA = -2 };

typedef struct nest_node {
    const char *name;
    size_t nlen;
    long field;                      /* field index, or NEST_OBJECT / NEST_EXTRA */
    long first, last, next;          /* children and sibling, -1 for none */
    bool plain;                      /* the name needs no JSON escape (jw_plain) */
} nest_node;

typedef struct nest_tree {
    nest_node *n;
    size_t len, cap;
    bool failed;                     /* out of memory */
} nest_tree;

/* Node 0 is the table object itself. */
bool nest_init(nest_tree *t, size_t cap_hint);
void nest_free(nest_tree *t);
/* nest_free and free of a heap tree (NULL-safe). */
void nest_tree_release(nest_tree *t);
/* Places field `field` at the dotted path (empty parts skipped, as strtok
 * does); has_value false leaves the leaf unset (its value was refused)
 * while the objects on the way still appear. */
void nest_put(nest_tree *t, const char *path, long field, bool has_value);
/* Sets the root's member `name` to a special value (NEST_EXTRA). */
void nest_put_root(nest_tree *t, const char *name, long special);

#endif
