/* validate_int.h - private structures of the validation stage.
 *
 * A rule file (formats/rules/NAME.json) becomes a list of v_rule.  Every
 * arithmetic rule is a v_relation (two signed sums of key-path patterns and
 * an operator) evaluated by the one engine in validate_linear.c; the other
 * kinds (cell values, text patterns, report-level checks) are small
 * interpreters of their own parameters.  docs/validation.md is the schema. */
#ifndef NB_VALIDATE_INT_H
#define NB_VALIDATE_INT_H

#include "nianbao/validate.h"
#include "arena.h"
#include "plugin_internal.h"
#include <locale.h>
#include <pthread.h>
#include <regex.h>
#include <stdint.h>

typedef enum v_kind {
    VK_LINEAR = 0,   /* lhs op rhs, linear sums of cells */
    VK_VALUES,       /* each cell integer / within bounds */
    VK_OMITTED,      /* a total left blank while its parts are printed */
    VK_RAW,          /* the raw token of a cell matches a pattern */
    VK_UNIT,         /* an amount carries one of the allowed units */
    VK_TEXT,         /* a number (or a fixed value) stated in the narrative vs the table */
    VK_TEXT_PERCENT, /* "N件，占P%" stated vs N / base */
    VK_TEXT_FACT,    /* narrative pattern stored as a report fact */
    VK_YEAR,         /* R-X-YEAR */
    VK_TEMPLATE,     /* R-X-TEMPLATE */
    VK_SECTIONS,     /* R-X-SECTIONS */
    VK_MENTION,      /* a section must mention something (R-X-S6-FEE) */
    VK_DUPLICATE     /* a second report of an agency-year in the run (R-X-DUPLICATE) */
} v_kind;

typedef enum v_op { V_EQ = 0, V_LE, V_GE } v_op;

/* One summand: the first alternative whose cells are all known is used
 * ("withheld.*.{col}|withheld.subtotal.{col}"). */
typedef struct v_term {
    char **alts;   /* full key-path patterns, '*' and '**' segments, {var} */
    size_t nalts;
    int coef;      /* +1 or -1 */
    bool prev;     /* "prev:" - the previous year's report (cross-year rules) */
} v_term;

typedef struct v_sum {
    v_term *t;
    size_t n;
} v_sum;

typedef struct v_relation {
    v_sum lhs, rhs;
    v_op op;
} v_relation;

typedef enum v_cond_kind { VC_RELATION = 0, VC_PRINTED, VC_KNOWN, VC_ANY_KNOWN } v_cond_kind;

typedef struct v_cond {  /* "when": every condition must hold */
    v_cond_kind kind;
    v_relation rel;      /* VC_RELATION */
    v_term cells;        /* VC_PRINTED, VC_KNOWN, VC_ANY_KNOWN */
} v_cond;

typedef struct v_var {   /* for_each variable */
    char *name;
    char *keyword;       /* "columns", "rows", "groups" or NULL */
    char **values;       /* explicit list when keyword is NULL */
    size_t nvalues;
} v_var;

#define V_NEED_ALL 4 /* lists of needed strings kept per pattern */

/* A rule's pattern, prepared and compiled on first use (validate_regex.c). */
typedef struct v_regex {
    char *pat;
    size_t nsub;         /* capture groups */
    int state;           /* atomic: pending, ready (lead, needs, vm set) */
    int re_state;        /* atomic: glibc's compiled form pending, ready, broken */
    regex_t re;
    char *lead;          /* set with a lazy prepare: v_regex_lead, or NULL */
    char *needs;         /* set with a lazy prepare when lead is NULL: v_regex_needs */
    struct v_matcher *vm; /* set with a lazy prepare: our own search (validate_match.h), or NULL */
    uint64_t *leadbit;   /* per string of v_regex_lead(pat), its v_litset bit (0: none), set at
                          * load; NULL: none kept */
    size_t nlead;
    uint64_t needall[V_NEED_ALL]; /* set at load: masks of v_litset bits a piece's strings must
                          * each meet for a match (v_regex_needs_all's lists); 0 ends them */
} v_regex;

typedef struct v_fact_pat {
    v_regex re;
    char *lit;           /* one of these bytes every match contains, or NULL (v_regex_needs) */
    uint64_t litmask;    /* lit as bits of the ruleset's v_litset, 0: none built */
    char *value;         /* fixed value, or NULL: take capture group */
    int group;
} v_fact_pat;

typedef struct v_rule {
    char *id;
    char *file;              /* rule file, for messages */
    nb_severity sev;
    v_kind kind;
    char *table;             /* default table of relative paths, may be NULL */
    char **variants; size_t nvariants; /* empty: any variant of table */
    v_var *vars; size_t nvars;
    v_cond *when; size_t nwhen;
    v_relation rel;          /* VK_LINEAR */
    v_term target;           /* the cell a finding names; nalts 0: none */
    char *formula;           /* Chinese formula for messages ("一+二−四") */
    char *message;           /* message template, NULL: default */
    char *where;             /* where template for findings without a target */
    bool cross_year;
    /* VK_VALUES, VK_OMITTED, VK_RAW, VK_UNIT */
    v_term cells;            /* VK_OMITTED: the parts */
    bool integer, has_min, has_max;
    nb_num min, max;
    char **allowed; size_t nallowed;
    /* patterns (VK_RAW, VK_TEXT*, VK_YEAR, VK_MENTION) */
    v_regex *re; size_t nre;
    char **lits;             /* per pattern: what every match contains (v_regex_needs), or NULL */
    uint64_t *litmask;       /* per pattern: lits as bits of the ruleset's v_litset, or NULL */
    uint64_t litwant;        /* the union of the patterns' (or facts') masks: the pieces worth a look; 0: none built */
    int group, group2;       /* capture groups: number, percent */
    bool has_value;          /* VK_TEXT: the pattern states a fixed value */
    nb_num value;
    v_sum *compare; size_t ncompare; /* alternatives the stated number may equal */
    unsigned sections;       /* bit i: section i+1; 0: all */
    char **approx; size_t napprox; /* markers that make a number approximate */
    char *fact;              /* VK_TEXT_FACT key */
    char *fact_default;
    v_fact_pat *facts; size_t nfacts;
    int from_year;           /* VK_MENTION: applies from this report year */
    nb_severity sev2;        /* VK_SECTIONS: missing table */
} v_rule;

typedef struct v_cache v_cache;
typedef struct v_plans v_plans;
typedef struct v_litset v_litset;

struct nb_ruleset {
    const nb_templates *t;
    v_cache *cache;          /* pattern -> fields, validate_cache.c */
    v_plans *plans;          /* rules compiled per table definition, validate_plan.c */
    v_litset *lits;          /* the strings the text rules need, validate_lits.c; NULL: strstr */
    v_rule *rules;
    size_t n;
    /* The rules' strings and small lists (validate_rules.c): hundreds of
     * pieces that live as long as the set, freed in one call. */
    nb_arena arena;
    locale_t cloc;           /* byte semantics for regcomp/regexec */
    pthread_mutex_t re_mu;   /* patterns compiled on first use */
};

/* Where values come from: one report, or cross-year snapshots. */
typedef struct v_src {
    const nb_table_def *(*def)(const void *ctx, const char *table, bool prev);
    const nb_cell *(*cell)(const void *ctx, const nb_table_def *d, size_t field, bool prev);
    const void *ctx;
    const nb_report *r;      /* the current report when there is one (labels, text) */
    /* Optional: all cells of d at once (NULL: none known), same as cell() per field. */
    const nb_cell *(*cells)(const void *ctx, const nb_table_def *d, bool prev);
} v_src;

/* Where findings go. */
typedef struct v_out {
    void (*emit)(void *ctx, const v_rule *rule, nb_severity sev, bool skipped,
                 const char *where, const char *expected, const char *found, const char *msg);
    void *ctx;
    size_t count;
} v_out;

/* Section texts prepared once per report for all the text rules. */
typedef struct v_texts {
    char *prepared[6];
    bool done[6];
    char *pieces[6];         /* its sentences (windows), each NUL-ended, then "" (in prepared[i]'s block) */
    struct v_piece *held[6]; /* per piece: its length and the v_litset strings it holds, then
                              * one of length 0 (NULL: not known) */
    uint64_t held_any[6];    /* the union of the section's pieces' strings (with held) */
    int settled;             /* sections prepared with their strings known (held, or no piece) */
    uint64_t held_all;       /* the union of their held_any: all six once settled is 6 */
} v_texts;
void v_texts_free(v_texts *t);

/* The last table a rule looked up in the report: rules come grouped by
 * table, so most find theirs here (one entry, per report). */
typedef struct v_memo {
    const char *table;       /* the rule's (interned) table name, NULL: none yet */
    const nb_table_def *d;
    const nb_cell *own;      /* its cells (src->cells) */
} v_memo;

typedef struct v_eval {
    const nb_ruleset *rs;
    const v_src *src;
    v_out *out;
    nb_report *rw;           /* the report facts go to, NULL for cross-year */
    v_texts *texts;          /* cache, NULL: prepare on every use */
    v_memo *memo;            /* cache, NULL: look up on every use */
} v_eval;

/* validate.c */
void v_run_rule(const v_eval *ev, const v_rule *r);

/* validate_rules.c */
void v_rule_free(v_rule *r);
nb_status v_rules_parse_file(nb_ruleset *rs, const char *path, nb_error *err);
nb_status v_rules_check_paths(const nb_ruleset *rs, nb_error *err);

/* validate_paths.c: patterns, bindings and cell sums */
typedef enum v_res { VR_NOFIELD = 0, VR_ABSENT, VR_NULL, VR_OK } v_res;

typedef struct v_val {
    v_res res;
    nb_num sum;
    size_t nfields;              /* cells summed */
    const nb_field_def *field;   /* the single (or first null) cell */
    const nb_cell *cell;
} v_val;

typedef struct v_binding {       /* one value per rule variable */
    const v_rule *rule;
    const char **vals;
} v_binding;

bool v_path_match(const char *pattern, const char *path, const nb_table_def *d,
                  const nb_field_def *f);
/* The same through the recursive matcher alone (what the shortcuts are tested against). */
bool v_path_match_plain(const char *pattern, const char *path, const nb_table_def *d,
                        const nb_field_def *f);
char *v_subst(const char *pattern, const v_binding *b);
/* v_subst into out (cap bytes, NUL-terminated, cut when too small);
 * returns the full length, as snprintf does. */
size_t v_subst_into(const char *pattern, const v_binding *b, char *out, size_t cap);
char *v_table_of(const char *pattern);
/* The substituted pattern (length in *len unless NULL) in buf when it fits
 * in its cap bytes, else on the heap in *heap for the caller to free (NULL
 * there otherwise): the hot callers need no malloc.  NULL: out of memory. */
const char *v_subst_local(const char *pattern, const v_binding *b, char *buf, size_t cap, char **heap,
                          size_t *len);
/* The table name of path (before its first '.'), likewise. */
const char *v_table_local(const char *path, char *buf, size_t cap, char **heap);
v_val v_term_value(const v_eval *ev, const v_term *t, const v_binding *b);
v_val v_pattern_value(const v_eval *ev, const char *pat, bool prev, const v_binding *b);
v_val v_sum_value(const v_eval *ev, const v_sum *s, const v_binding *b);
/* nb_num_add with the common case inline: equal scales, no overflow
 * (the sum is the same: past +-INT64_MAX it is marked overflowed). */
static inline nb_num v_num_add(nb_num a, nb_num b)
{
    int64_t r;
    if (a.scale != b.scale || a.scale == NB_NUM_OVERFLOW || __builtin_add_overflow(a.v, b.v, &r) ||
        r == INT64_MIN)
        return nb_num_add(a, b);
    return (nb_num){r, a.scale};
}
/* One field's cell added to a sum (a null cell makes it VR_NULL). */
void v_val_add(v_val *v, const nb_field_def *f, const nb_cell *cell);
/* True when v is a more informative failure than best (v_term_value). */
bool v_val_better(const v_val *v, const v_val *best);
/* Adds one term's value (coefficient coef) into a running sum (v_sum_value);
 * inline: it runs for every term of every relation. */
static inline void v_sum_fold(v_val *acc, const v_val *v, int coef)
{
    if (v->res != VR_OK) {
        if (acc->res == VR_OK || v->res < acc->res)
            *acc = *v;  /* no-field and absent dominate: the relation does not apply */
        return;
    }
    if (acc->res != VR_OK)
        return;
    nb_num x = v->sum;
    if (coef < 0)
        x.v = -x.v;
    acc->sum = v_num_add(acc->sum, x);
    acc->nfields += v->nfields;
    if (!acc->field) {
        acc->field = v->field;
        acc->cell = v->cell;
    }
}
/* Calls fn for every binding of the rule's variables against table d. */
typedef bool (*v_binding_fn)(void *ctx, const v_binding *b);
bool v_for_each_binding(const v_rule *r, const nb_table_def *d, v_binding_fn fn, void *ctx);
/* Whether pattern pat selects any field of d (stops at the first). */
bool v_any_match(const char *pat, const nb_table_def *d);
/* Calls fn for every field of d matching the pattern. */
void v_for_each_match(const char *pat, const nb_table_def *d,
                      void (*fn)(void *ctx, const nb_field_def *f, size_t i), void *ctx);

/* validate_cache.c: the fields a substituted pattern selects in d, remembered */
v_cache *v_cache_new(void);
void v_cache_free(v_cache *c);
/* The indices of d's fields that pattern p selects, in an array of exactly
 * *n (at least one slot; caller frees); NULL when out of memory. */
size_t *v_match_indices(const char *p, const nb_table_def *d, size_t *n);
void v_each_field(const nb_ruleset *rs, const char *p, const nb_table_def *d,
                  void (*fn)(void *ctx, const nb_field_def *f, size_t i), void *ctx);
/* True when d is one of the ruleset's template definitions (stable address). */
bool v_own_def(const nb_ruleset *rs, const nb_table_def *d);

/* validate_plan.c: linear rules compiled per table definition (validate_plan.h) */
v_plans *v_plans_new(size_t nrules);
void v_plans_free(v_plans *p, size_t nrules);


/* validate_linear.c */
void v_run_linear(const v_eval *ev, const v_rule *r);
void v_run_cells(const v_eval *ev, const v_rule *r);  /* VK_VALUES, VK_OMITTED, VK_RAW, VK_UNIT */

/* validate_text.c */
void v_run_text(const v_eval *ev, const v_rule *r);

/* validate_regex.c: a pattern checked (or compiled, with regcomp's message
 * in msg) at load, compiled on first use when its syntax allowed. */
bool v_regex_init(const nb_ruleset *rs, v_regex *x, const char *pat, char *msg, size_t msglen);
bool v_regex_exec(const nb_ruleset *rs, const v_regex *x, const char *s, size_t nm,
                  regmatch_t *m, int eflags);
/* The same for a caller that reads, besides the whole match, only the
 * groups in read (bit g: group g): those are regexec's, the others may be
 * given as unset, which spares glibc a group the matched bytes leave open. */
bool v_regex_exec_read(const nb_ruleset *rs, const v_regex *x, const char *s, size_t nm,
                       regmatch_t *m, int eflags, unsigned read);
/* The same on (a suffix of) a piece whose v_litset strings are held (0:
 * not known): a lead string the piece lacks is not searched for.  The
 * caller has asked v_needs_met(x, held) first (once a piece, not once a
 * search): a piece that fails it is not searched. */
bool v_regex_exec_held(const nb_ruleset *rs, const v_regex *x, const char *s, size_t nm,
                       regmatch_t *m, int eflags, unsigned read, uint64_t held);
/* Whether a piece holding held (v_litset strings; 0: not known) meets
 * every needed list of x: when not, no match is there, and the search
 * is not called. */
static inline bool v_needs_met(const v_regex *x, uint64_t held)
{
    for (size_t i = 0; held && i < V_NEED_ALL && x->needall[i]; i++)
        if (!(held & x->needall[i]))
            return false;
    return true;
}
/* For a caller that reads groups g1 and g2 (0: none): how many regmatch_t
 * to ask for (at most 10), and the read mask.  Fewer groups let a match
 * skip glibc's submatch pass. */
static inline size_t v_groups_upto(int g1, int g2)
{
    int g = g1 > g2 ? g1 : g2;
    return g <= 0 ? 1 : g >= 9 ? 10 : (size_t)g + 1;
}
static inline unsigned v_group_bit(int g) { return g > 0 && g < 32 ? 1u << g : 0; }
void v_regex_free(v_regex *x);
/* validate_regex_syntax.c: true when regcomp surely accepts the extended
 * regex pat, with its number of groups; false: not sure. */
bool v_regex_syntax_ok(const char *pat, size_t *nsub);
/* validate_literal.c: bytes every match of the extended regex pat must
 * contain (caller frees), or NULL when none is certain. */
char *v_regex_literal(const char *pat);
/* Byte strings one of which every match of pat contains: the certain
 * literal alone, else the alternatives of a top-level group of plain
 * characters ("(件|次)"); each NUL-terminated, the list ended by an empty
 * string (caller frees); NULL when nothing is certain. */
char *v_regex_needs(const char *pat);
/* Byte strings one of which every match of pat starts with (a leading run
 * of plain characters, or a leading group of plain alternatives), in the
 * list form of v_regex_needs; NULL when not certain.  A search then starts
 * at the first of them in the text (validate_regex.c). */
char *v_regex_lead(const char *pat);
/* Every list of byte strings (in v_regex_needs' form) one of which every
 * match of pat contains: each certain run of plain characters at the top
 * level as a list of one, and each top-level group, not quantified, whose
 * alternatives all begin with a certain run, as the list of those runs.
 * The lists follow one another, ended by an empty list; NULL when nothing
 * is certain (caller frees). */
char *v_regex_needs_all(const char *pat);
/* Folded narrative without spaces (caller frees); NULL for NULL. */
char *v_prepare(const char *text);
/* Calls fn(ctx, section no, sentence) for the sections in mask (0: all). */
void v_each_sentence(const v_eval *ev, unsigned mask, void (*fn)(void *, int, char *), void *ctx);
/* Same, skipping the sections for which want(ctx, section no, prepared text)
 * is false (a literal pre-filter on the whole section). */
void v_each_sentence_if(const v_eval *ev, unsigned mask, bool (*want)(void *, int, const char *),
                        void (*fn)(void *, int, char *), void *ctx);

/* validate_lits.c: the distinct strings the text rules need (at most
 * V_LIT_MAX), one bit each; V_LIT_ANY is in every text's mask and stands
 * for a pattern without a needed string. */
#define V_LIT_MAX 62
#define V_LIT_ANY ((uint64_t)1 << 63)
/* In a text's mask when it holds an ASCII digit: the needed lists of a
 * pattern that takes [0-9] (v_regex_needs_all's "0".."9") have it. */
#define V_LIT_DIGIT ((uint64_t)1 << 62)
/* Fills the text rules' litmask and sets rs->lits; leaves both unset when
 * the strings do not fit (the rules then ask strstr). */
void v_litset_build(nb_ruleset *rs);
void v_litset_free(v_litset *ls);
/* The strings of ls that occur in s[0, n), with V_LIT_ANY (and V_LIT_DIGIT
 * when it holds an ASCII digit): strstr's answer for each, in one pass. */
uint64_t v_lits_in(const v_litset *ls, const char *s, size_t n);
/* Calls fn(ctx, section no, piece, its mask) for the pieces of the sections
 * in mask (0: all) whose string mask meets want; the masks need rs->lits. */
void v_each_piece(const v_eval *ev, unsigned mask, uint64_t want,
                  void (*fn)(void *, int, char *, uint64_t), void *ctx);

/* validate_xyear.c, for tests: the field paths the cross-year rules read,
 * and report r's cell at path i as a snapshot reads it (by the indices
 * found at start; nb_report_cell_c's answer). */
size_t v_xcheck_paths(const nb_xcheck *x, const char *const **paths);
const nb_cell *v_xcheck_cell(const nb_xcheck *x, const nb_report *r, size_t i);

/* validate_report.c */
void v_run_report(const v_eval *ev, const v_rule *r);
/* atoi(s) (a year group's digits), without strtol's locale and overflow
 * handling when s starts with at most nine digits. */
int v_year_at(const char *s);

/* validate_msg.c: findings and their Chinese messages */
char *v_label(const nb_field_def *f);               /* "（七）总计 / 自然人" */
char *v_num_str(nb_num n);
void v_emit(const v_eval *ev, const v_rule *r, bool skipped, const char *where,
            const char *expected, const char *found, const char *fmt, ...) NB_PRINTF(7, 8);
/* Same with an explicit severity (rules with two levels). */
void v_emit_sev(const v_eval *ev, const v_rule *r, nb_severity sev, const char *where,
                const char *fmt, ...) NB_PRINTF(5, 6);
/* Fills a message template: {label} {expected} {found} {formula}. */
char *v_fill(const char *tmpl, const char *label, const char *expected, const char *found,
             const char *formula);

/* A skipped rule is reported once per report, naming the first gap. */
typedef struct v_skip {
    size_t n;
    char *where;
    char *label;
    bool table_absent;
    char *table;
} v_skip;
void v_skip_note(v_skip *s, const v_val *v, const char *table);
void v_skip_flush_held(const v_eval *ev, const v_rule *r, v_skip *s);
/* Reports what s noted and frees it; inline for the usual rule that noted
 * nothing and holds nothing (every rule of every report ends here). */
static inline void v_skip_flush(const v_eval *ev, const v_rule *r, v_skip *s)
{
    if (s->n || s->where || s->label || s->table)
        v_skip_flush_held(ev, r, s);
}

#endif
