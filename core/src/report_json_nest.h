/* report_json_nest.h - the nesting of one table's key paths ("a.b.c" ->
 * {"a": {"b": {"c": ...}}}) in the order and with the overwrite rules of
 * the jansson objects report_json.c builds, for the direct JSON writer. */
#ifndef NB_REPORT_JSON_NEST_H
#define NB_REPORT_JSON_NEST_H

#include <stdbool.h>
#include <stdint.h>
#include <stddef.h>
#include "json_writer.h"

enum { NEST_OBJECT = -1, NEST_EXTRA = -2 };

typedef struct nest_node {
    const char *name;
    size_t nlen;
    long field;                      /* field index, or NEST_OBJECT / NEST_EXTRA */
    long first, last, next;          /* children and sibling, -1 for none */
    bool plain;                      /* the name needs no JSON escape (jw_plain) */
} nest_node;

/* A table object's JSON text with holes for its values, for one layout:
 * step i writes text[at, at + len) and then the value of `field` (the
 * last step has field -1: the closing text).  Built by report_json_plan.c
 * on the cached tree only. */
typedef struct nest_step {          /* 16 bytes: a table's plan has hundreds */
    uint32_t at, len;                /* its piece of the plan's text */
    int32_t field;                   /* -1: the last step, text only */
    bool unit;                       /* the field is a unit (a string), not a figure */
} nest_step;

typedef struct nest_plan {
    char *text;
    nest_step *steps;
    size_t nsteps;
    size_t room;                     /* its text, 20 a step for an integer, a chunk to spare */
} nest_plan;

/* A plan's text is followed by this many readable bytes, so its pieces
 * can be copied in whole chunks of that size. */
enum { NEST_PLAN_PAD = 16 };

typedef struct nest_tree {
    nest_node *n;
    size_t len, cap;
    bool failed;                     /* out of memory */
    /* On the cached tree of a definition (NULL/0 elsewhere): */
    nest_plan plan[2];               /* indented, compact; for depth NEST_PLAN_DEPTH */
    long *shadowed;                  /* fields no step writes (a path set twice) */
    size_t nshadowed;
    char *quoted;                    /* each field's path as a JSON string ... */
    size_t *quoted_at;               /* ... at quoted_at[i] up to quoted_at[i + 1]; empty: not UTF-8 */
    size_t quoted_longest;           /* the longest of them */
    bool name_plain;                 /* the definition's name needs no escape (a key as it is) */
    size_t name_len;
    char *variant_q;                 /* its variant as a JSON string; NULL: not UTF-8 */
    size_t variant_qlen;
} nest_tree;

/* A report's tables are members of its top-level object. */
enum { NEST_PLAN_DEPTH = 1 };

/* Node 0 is the table object itself. */
bool nest_init(nest_tree *t, size_t cap_hint);
void nest_free(nest_tree *t);
/* nest_free and free of a heap tree (NULL-safe). */
void nest_tree_release(nest_tree *t);
/* Places field `field` at the dotted path (empty parts skipped, as strtok
 * does); has_value false leaves the leaf unset (its value was refused)
 * while the objects on the way still appear. */
void nest_put(nest_tree *t, const char *path, long field, bool has_value);
/* n's name as a key (checked for escapes once, when the node was made). */
void nest_key(jw *w, const nest_node *n);
/* Sets the root's member `name` to a special value (NEST_EXTRA). */
void nest_put_root(nest_tree *t, const char *name, long special);

#endif
