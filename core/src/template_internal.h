/* template_internal.h - the layout of loaded templates.  Private to the
 * library: plugins read definitions with the accessors of nianbao/template.h. */
#ifndef NB_TEMPLATE_INTERNAL_H
#define NB_TEMPLATE_INTERNAL_H

#include "nianbao/template.h"
#include "lexicon.h"
#include <stdbool.h>

typedef struct nb_strlist {
    char **v;
    size_t n;
    /* Matching forms of v[i], computed once at load so that the recogniser
     * does not re-normalise the template for every report:
     * nb_text_compact(v[i]) and nb_text_label_key(v[i]). */
    char **compact;
    char **key;
} nb_strlist;

typedef struct nb_col_def {
    char *key;           /* "natural_person" */
    nb_strlist labels;   /* first is canonical */
    nb_value_type type;
    char *unit_key;      /* AMOUNT only: key of the sibling unit field */
} nb_col_def;

typedef struct nb_row_def {
    char *key;           /* "withheld.state_secret" */
    nb_strlist labels;   /* label variants; first is canonical */
    char *group;         /* "withheld", or NULL */
    bool printed;        /* false: exists in the model, never in this variant's text */
    bool derived;        /* subtotal computed from the group's leaves */
    size_t block;        /* index into nb_table_def.blocks */
} nb_row_def;

typedef struct nb_block_def {
    nb_strlist caption;  /* "第二十条第（一）项"; may be empty */
    size_t col_first, ncols; /* columns of this block: cols[col_first..] */
} nb_block_def;

/* One field = one value of the model (row x column), in output order. */
struct nb_field_def {
    char *path;          /* full key path "requests.withheld.state_secret.total" */
    char *label;         /* Chinese label path for people "（三）不予公开/1.属于国家秘密/总计" */
    size_t row, col;     /* indexes into rows / cols */
    nb_value_type type;
};

/* A per-column relation of a table: Σ lhs rows = Σ rhs rows, in every
 * column.  "group.*" stands for the group's leaves (or its printed
 * subtotal when the leaves are not printed).  Taken from the rule files
 * when they are loaded (recognise_relations.c); the recogniser uses these
 * to choose between readings of glued or short rows. */
typedef struct nb_column_check {
    nb_strlist lhs, rhs;
} nb_column_check;

typedef enum nb_table_layout {
    NB_LAYOUT_ROWS = 0,  /* label then values, one row per key */
    NB_LAYOUT_SINGLE_ROW /* one unlabelled data row holding every row's values (table 3) */
} nb_table_layout;

/* How loosely the recogniser matches labels and reads rows: the
 * template's "match" object (docs/templates.md), the same for its tables. */
typedef struct nb_match_limits {
    int row_window;        /* rows ahead of the expected one a label may name */
    int typo_min_chars;    /* a label this long (characters) may carry typos */
    int chars_per_typo;    /* one typo per so many characters (at least one) */
    int fragment_min_chars;/* a fragment or prefix this long may name a row alone */
    int lost_total_ratio;  /* blank 总计 cells are lost when printed ones are this many times more */
} nb_match_limits;

struct nb_table_def {
    char *name;          /* "requests" */
    char *title;         /* Chinese display name */
    char *variant;       /* the template id it belongs to: "gb2021" */
    int section;         /* 2, 3 or 4 */
    nb_table_layout layout;
    char *row_total;     /* column that is the sum of the row's other columns, or NULL */
    nb_column_check *checks; size_t nchecks;
    nb_match_limits match;
    nb_strlist markers;  /* header words that identify this variant */
    nb_strlist ignore;   /* group labels, header words: never data */
    nb_block_def *blocks; size_t nblocks;
    nb_col_def *cols; size_t ncols;
    nb_row_def *rows; size_t nrows;
    nb_field_def *fields; size_t nfields; /* their paths and labels live in the templates' arena */
    /* The recogniser's grammar of this table (recognise_table.c): it
     * depends only on the templates, so it is built on first use, published
     * atomically (worker threads share it) and freed with the definition. */
    struct rc_grammar *grammar;
    /* The JSON nesting of its key paths (report_json_write.c), likewise
     * built on first use and freed with the definition. */
    struct nest_tree *json_nest;
    /* The subtotal cells' leaves (report_derive.c), likewise. */
    struct nb_derive_plan *derive;
    /* The path index (template_paths.c): field indexes sorted by path
     * (ties by index), NULL: search; and a hash of its runs of equal paths,
     * in the same block as by_path. */
    size_t *by_path;
    struct nb_path_slot *path_slots;
    size_t path_mask;
};

void rc_grammar_free(struct rc_grammar *g);
void nb_derive_plan_free(struct nb_derive_plan *p);
void nest_tree_release(struct nest_tree *t);

typedef struct nb_section_def {
    int no;              /* 1..6 */
    char *key;           /* "overview" */
    char *title;         /* canonical heading text without numeral */
    nb_strlist variants; /* heading texts without numeral */
    /* The variants as the heading search reads them (recognise_sections.c):
     * they depend only on the template, so they are made at load, in the
     * templates' arena, and shared read-only by every report's search. */
    struct rc_headings *headings;
} nb_section_def;

/* The heading search's forms of section sec's (0..5) variants (compacted)
 * and of the lexicon's other numberings for it, in arena a; NULL when out
 * of memory (recognise_sections.c). */
struct nb_arena;
struct rc_headings *rc_headings_build(const nb_strlist *variants, const nb_lexicon *lex, int sec,
                                      struct nb_arena *a);

struct nb_template {
    char *id;            /* "gb2021" */
    char *name;
    int year_from, year_to;  /* report years it applies to (inclusive) */
    nb_section_def sections[6];
    nb_table_def *tables; size_t ntables;
    nb_lexicon lexicon;  /* the "lexicon" object: words the recogniser knows */
    char *path;          /* file it was read from */
};

/* Library-only (not exported). */
nb_templates *nb_templates_load_file(const char *path, nb_error *err);
/* Builds d's path index (by_path and its hash) from d->fields; false when
 * out of memory.  Freed with free(d->by_path). */
bool nb_table_def_index_paths(nb_table_def *d);
/* The fields whose path is exactly `path`: *idx points at their indexes in
 * d->by_path (ascending); needs the index (d->by_path non-NULL). */
size_t nb_table_def_path_range(const nb_table_def *d, const char *path, const size_t **idx);
long nb_table_def_row_index(const nb_table_def *d, const char *row_key);
/* Every table variant of every template, for filling in what the rules
 * give them when the rules are loaded (recognise_relations.c); up to max. */
size_t nb_templates_table_defs(nb_templates *t, nb_table_def **out, size_t max);

#endif
