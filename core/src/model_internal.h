/* model_internal.h - the layout of the report model.  Private to the
 * library (and its tests): plugins and applications use the accessors of
 * nianbao/report.h, so these structs may change in any release. */
#ifndef NB_MODEL_INTERNAL_H
#define NB_MODEL_INTERNAL_H

#include "nianbao/report.h"
#include "template_internal.h"
#include "report_texts.h"

struct nb_cell {
    nb_cell_status status;
    bool has_value;   /* false: null in JSON */
    nb_num num;
    char *raw;        /* token as printed (in the report's cell_texts), NULL when none */
    char *text;       /* NB_TYPE_UNIT fields: the unit string (owned) */
    int line;         /* 1-based source line, 0 unknown */
    int cell;         /* 0-based cell index within the line, -1 unknown */
};

typedef struct nb_extra_row {   /* a row the template does not know */
    char *label;
    char **values; size_t nvalues;
    int line;
} nb_extra_row;

struct nb_table {
    const nb_table_def *def;    /* NULL: table not found in the report */
    nb_cell *cells;             /* def->nfields cells */
    nb_extra_row *extra; size_t nextra;
    const char *name;           /* borrowed from the templates */
    nb_row *rows; size_t nrows; /* one per def->rows: a report's made on first use
                                 * (nb_table_row_at), NULL before; nrows is set
                                 * by nb_table_build_rows / nb_table_copy_rows
                                 * (a report's table counts def->nrows) */
};

typedef struct nb_section {
    int no;                     /* 1..6 */
    char *title;                /* heading as printed (without numeral), NULL if absent */
    char *text;                 /* narrative text, NULL if absent */
    int line;
} nb_section;

struct nb_diag {
    char *rule;       /* "R-T2-BALANCE" */
    nb_severity severity;
    bool skipped;     /* rule could not be evaluated (values missing) */
    char *where;      /* key path, may contain '*' */
    char *expected;   /* may be NULL */
    char *found;      /* may be NULL */
    char *message;    /* human text, Chinese labels */
};

typedef struct nb_fact {        /* free-form key/value found in the text */
    char *key;                  /* "other_matters.processing_fee_yuan" */
    char *value;
} nb_fact;

typedef struct nb_source {
    char *path;       /* "bundle.zip!/年报/渠县.txt" */
    char *format;     /* input plugin name */
    char *encoding;   /* "UTF-8", "GB18030", "UTF-16LE" */
    uint64_t bytes;
    char sha256[65];  /* hex, "" when unknown */
} nb_source;

struct nb_report {
    const nb_templates *templates;
    nb_source source;
    char *agency, *title, *published; /* published: YYYY-MM-DD */
    int year;                         /* 0 unknown */
    char *template_id;                /* "gb2021", "gb2019", "mixed", "unknown" */
    nb_section sections[6];
    nb_table *tables; size_t ntables; /* one per nb_templates_table_name() */
    nb_diag *diags; size_t ndiags, capdiags;
    nb_fact *facts; size_t nfacts;
    struct nb_readings *readings;     /* undecided rows (readings_internal.h), NULL none */
    char *out_text;                   /* the output's text made on a worker (run.c), NULL none */
    char *out_stale;                  /* an out_text made stale by later findings: freed with the
                                         report, on the thread that built it (nb_run_unformat) */
    bool out_amended;                 /* out_text made on the writing thread (nb_run_amend) */
    struct nb_report *next;           /* nb_recognise_all: the document's next report, NULL none */
    int part_line;                    /* a later report of a document: its first line there, else 0 */
    nb_texts cell_texts;              /* every cell's raw text, freed with the report */
};

/* Library-only operations on the model (not exported). */
nb_table *nb_report_table(nb_report *r, const char *name);
/* Cell by full key path "requests.granted.total"; NULL when the path is not
 * part of the table's variant. */
nb_cell *nb_report_cell(nb_report *r, const char *path);
/* Sets one of r's cells; raw is copied into r's cell_texts (it may be the
 * cell's own raw). */
void nb_cell_set(nb_report *r, nb_cell *c, nb_cell_status st, nb_num v, const char *raw,
                 int line, int cell);
/* nb_cell_set inlined, for the table reader's every cell (a call with
 * seven arguments cost about what the cell's own stores do). */
static inline void nb_cell_put(nb_report *r, nb_cell *c, nb_cell_status st, nb_num v, const char *raw, int line,
                               int cell)
{
    c->raw = raw ? nb_texts_put_fast(&r->cell_texts, c->raw, raw) : NULL; /* what nb_texts_put gives for NULL */
    c->status = st;
    c->has_value = !(st == NB_CELL_MISSING || st == NB_CELL_AMBIGUOUS);
    c->num = c->has_value ? v : (nb_num){0, 0};
    c->line = line;
    c->cell = cell;
}
/* Sets only a cell's raw text, as nb_cell_set does. */
void nb_cell_set_raw(nb_report *r, nb_cell *c, const char *raw);
void nb_cell_clear(nb_cell *c);
/* Computes derived rows (group subtotals) from their leaves. */
void nb_report_derive(nb_report *r);
/* Recomputes template_id from the table variants. */
void nb_report_update_template(nb_report *r);
void nb_report_add_extra(nb_report *r, const char *table, const char *label,
                                char **values, size_t nvalues, int line);

#endif
