/* report_json_plan.c - see report_json_plan.h.  The text is laid out by
 * the JSON writer itself, with a hole (jw_hole) where each value goes, so
 * it is the text write_node would give around the same values. */
#include "report_json_plan.h"
#include "json_writer.h"
#include <stdlib.h>
#include <string.h>

typedef struct builder {
    jw w;
    size_t cut;          /* text before this is in the steps */
    nest_step *steps;
    size_t n, cap;
    bool *written;       /* per field: some step writes it */
    const nb_table_def *def;
    bool failed;
} builder;

/* Ends a step at the writer's end: its text, then the value of field. */
static void cut(builder *b, long field)
{
    if (b->n == b->cap) {
        size_t cap = b->cap ? 2 * b->cap : 16;
        nest_step *s = realloc(b->steps, cap * sizeof *s);
        if (!s) {
            b->failed = true;
            return;
        }
        b->steps = s;
        b->cap = cap;
    }
    bool unit = field >= 0 && b->def->fields[field].type == NB_TYPE_UNIT;
    if (b->w.len > UINT32_MAX || field > INT32_MAX) { /* never for a template: no plan */
        b->failed = true;
        return;
    }
    b->steps[b->n++] = (nest_step){(uint32_t)b->cut, (uint32_t)(b->w.len - b->cut), (int32_t)field, unit};
    b->cut = b->w.len;
}

static void plan_node(builder *b, const nest_tree *nt, long node)
{
    const nest_node *n = &nt->n[node];
    if (n->field >= 0) {
        cut(b, n->field);
        b->written[n->field] = true;
        jw_hole(&b->w);
        return;
    }
    if (n->field != NEST_OBJECT) {
        b->failed = true; /* "extra" is not in a definition's nesting */
        return;
    }
    jw_begin_object(&b->w);
    for (long c = n->first; c >= 0 && !b->failed; c = nt->n[c].next) {
        nest_key(&b->w, &nt->n[c]);
        plan_node(b, nt, c);
    }
    jw_end_object(&b->w);
}

/* One layout's plan; false (nothing kept) when it cannot be built. */
static bool plan_one(nest_plan *p, const nest_tree *nt, const nb_table_def *d, bool compact,
                     bool *written)
{
    builder b = {.written = written, .def = d};
    jw_init_member(&b.w, compact, NEST_PLAN_DEPTH);
    plan_node(&b, nt, 0);
    if (!b.failed && !b.w.failed && b.w.depth == NEST_PLAN_DEPTH)
        cut(&b, -1);
    char *pad = b.w.failed ? NULL : jw_room(&b.w, NEST_PLAN_PAD);
    if (pad)
        memset(pad, 0, NEST_PLAN_PAD);
    if (!pad || b.failed || b.w.depth != NEST_PLAN_DEPTH) {
        free(b.steps);
        jw_free(&b.w);
        return false;
    }
    *p = (nest_plan){b.w.buf, b.steps, b.n, b.w.len + 20 * b.n + NEST_PLAN_PAD};
    return true;
}

static void drop_plans(nest_tree *nt)
{
    for (int i = 0; i < 2; i++) {
        free(nt->plan[i].text);
        free(nt->plan[i].steps);
        nt->plan[i] = (nest_plan){0};
    }
}

/* The fields no step writes: their values are still checked, since a
 * refused one changes the nesting (nest_put). */
static bool list_shadowed(nest_tree *nt, const bool *written, size_t nf)
{
    nt->nshadowed = 0;
    nt->shadowed = malloc((nf ? nf : 1) * sizeof *nt->shadowed);
    if (!nt->shadowed)
        return false;
    for (size_t i = 0; i < nf; i++)
        if (!written[i])
            nt->shadowed[nt->nshadowed++] = (long)i;
    return true;
}

static void plan_layouts(nest_tree *nt, const nb_table_def *d)
{
    size_t nf = d->nfields;
    bool *written = calloc(nf ? nf : 1, sizeof *written);
    bool ok = written && plan_one(&nt->plan[0], nt, d, false, written) &&
              plan_one(&nt->plan[1], nt, d, true, written) && list_shadowed(nt, written, nf);
    if (!ok)
        drop_plans(nt);
    free(written);
}

/* Each path as jw_elem_str writes it, one after another, then 16 bytes
 * of padding. */
static void quote_paths(nest_tree *nt, const nb_table_def *d)
{
    size_t *at = malloc((d->nfields + 1) * sizeof *at);
    if (!at)
        return;
    jw w;
    jw_init(&w, true);
    for (size_t i = 0; i < d->nfields; i++) {
        at[i] = w.len;
        jw_elem_str(&w, d->fields[i].path);
        if (w.len - at[i] > nt->quoted_longest)
            nt->quoted_longest = w.len - at[i];
    }
    at[d->nfields] = w.len;
    char *pad = jw_room(&w, 16); /* readable past the last piece: jw_value_texts16 */
    if (pad)
        memset(pad, 0, 16);
    char *text = jw_finish(&w);
    if (!text && at[d->nfields] > 0) {
        free(at); /* out of memory */
        return;
    }
    nt->quoted = text;
    nt->quoted_at = at;
}

/* The definition's name as a key and its variant as a value, for the
 * report's "variants" and its table members: checked once here. */
static void quote_names(nest_tree *nt, const nb_table_def *d)
{
    nt->name_len = d->name ? strlen(d->name) : 0;
    nt->name_plain = d->name && jw_utf8_ok(d->name, nt->name_len) && jw_plain(d->name, nt->name_len);
    jw w;
    jw_init(&w, true);
    if (!d->variant || !jw_str_valid(&w, d->variant, strlen(d->variant))) {
        jw_free(&w);
        return;
    }
    nt->variant_qlen = w.len;
    nt->variant_q = jw_finish(&w); /* NULL when out of memory */
}

void nest_plan_build(nest_tree *nt, const nb_table_def *d)
{
    plan_layouts(nt, d);
    quote_paths(nt, d);
    quote_names(nt, d);
}
