/* recognise_internal.h - the recogniser's working data.
 *
 * The document is seen as a sequence of "units" (one per cell).  Section
 * headings cut it into regions; each table region becomes a token stream
 * (text, number, blank) that the template grammar consumes. */
#ifndef NB_RECOGNISE_INTERNAL_H
#define NB_RECOGNISE_INTERNAL_H

#include "nianbao/recognise.h"
#include "lexicon.h"
#include "plugin_internal.h"
#include "arena.h"
#include "text_internal.h"
#include "util.h"


typedef struct rc_unit {
    const char *text;   /* original cell text (borrowed from the doc) */
    const char *compact; /* folded, without white space and quotes (in rc_doc.strings,
                            or text itself when compacting leaves it as it is) */
    size_t len, compact_len; /* bytes of text and compact */
    size_t compact_chars; /* code points of compact when it is text (counted by
                             rc_doc_build's pass over it), else RC_CHARS_UNKNOWN */
    int lineno;         /* source line */
    int cell;           /* cell index within the line */
    size_t line;        /* doc line index */
    bool row;           /* the line had several cells (positional structure) */
    bool heading;       /* markup heading */
    bool blank_line;    /* an empty TEXT line: a paragraph break */
    bool fold_same;     /* folding leaves text as it is (nb_text_compact_to) */
    bool compact_folded; /* a compact that is not text: it is nb_text_fold of text too
                            (compacting dropped nothing); else false */
} rc_unit;

#define RC_CHARS_UNKNOWN ((size_t)-1)

/* One heading text of a section with what the heading search asks of it
 * at every position, worked out once (at load) instead of once per
 * position. */
typedef struct heading_form {
    const char *text;   /* compact heading text (the variant's compact form) */
    size_t len, chars;  /* bytes, code points */
    uint32_t first[2];  /* its first two code points (0 where it ends) */
} heading_form;

/* A bucket of a text's first two bytes (s[0] not the NUL): most cells
 * start with a CJK lead byte, which alone tells nothing of a numbering. */
static inline unsigned rc_numbering_bucket(const char *s)
{
    return ((unsigned)(unsigned char)s[0] * 7u + (unsigned char)s[1]) & 255u;
}

/* A section's heading texts (rc_headings_build), in the templates' arena. */
struct rc_headings {
    heading_form *v;
    size_t n;
    uint64_t whole;     /* bit k: a cell of k code points can be one of the
                           texts, exactly or with a typo (all ones: k >= 64 can) */
    size_t whole_min, whole_max; /* its lowest and highest bit */
    /* The lexicon's heading_numbers with this section's numeral and number
     * put in, compacted (第二部分 2. (二)), longest first: a heading so
     * numbered is taken at a line's start. */
    const char **prefix;
    size_t *prefix_len, nprefix;
    uint64_t prefix_pairs[4]; /* rc_numbering_bucket of their first two bytes */
};

typedef struct rc_pos {
    size_t unit;
    size_t off;         /* byte offset into unit text */
} rc_pos;

typedef struct rc_doc {
    const nb_doc *doc;
    const nb_lexicon *lex; /* the template's vocabulary (borrowed) */
    rc_unit *u;
    size_t n;
    rc_pos sec_start[6];  /* where each heading starts (unit n: absent) */
    rc_pos sec_body[6];   /* just after the heading */
    bool sec_found[6];
    char *sec_title[6];
    size_t end;           /* the report's last unit + 1: n, or where a second report starts */
    nb_arena strings;     /* owns every unit's compact */
} rc_doc;

typedef enum rc_tok_kind { RC_TEXT = 0, RC_NUM, RC_BLANK } rc_tok_kind;

/* A token's fields in three parts: those every token sets, then a text's
 * and a number's, each zero in tokens of another kind (put_tok zeroes
 * only the parts the kind leaves unset: the text part ends with ord,
 * which the number part follows). */
typedef struct rc_tok {
    rc_tok_kind kind;
    int lineno, cell;
    bool in_row;        /* came from a multi-cell line */
    bool header;        /* text of a table row without any value: column headings */
    size_t line;        /* doc line index (row structure) */
    char *raw;          /* as printed */
    char *compact;      /* RC_TEXT: compact form with ordinal */
    char *key;          /* RC_TEXT: label key (no ordinal, no notes) */
    size_t key_len, compact_len, key_chars; /* RC_TEXT: bytes, bytes, code points */
    char ord[16];       /* RC_TEXT: nb_text_ordinal_numeral(compact) */
    nb_num num;         /* RC_NUM */
    nb_cell_status st;  /* RC_NUM: ok or na */
    bool glued;         /* RC_NUM: bare digit run that may hold several cells */
    bool overlong;      /* RC_NUM: more digits than one value holds (num is 0):
                           cells glued together, never a value of its own */
    bool has_unit;      /* RC_NUM: written with a unit (元, 万元, 件) */
    char unit[16];
} rc_tok;

/* Tokens one table region is read into at most.  A table has a few
 * hundred (the largest region of the seeds, the corpus and the tests:
 * 365); a region of more holds a dump of figures or text beside its
 * table, and at 150 bytes a token a 4 MB one took 132 MB.  The region is
 * read up to there (cut, cut_lineno) and the report says so. */
#define RC_MAX_TOKENS 65536u

typedef struct rc_toks {
    rc_tok *v;
    size_t n, cap;      /* cap: at most RC_MAX_TOKENS */
    nb_arena strings;   /* owns every token's raw, compact and key */
    bool cut;           /* the region had more tokens: read up to cut_lineno */
    int cut_lineno;
} rc_toks;

/* recognise_units.c */
bool rc_doc_build(rc_doc *d, const nb_doc *doc, const nb_lexicon *lex);
void rc_doc_free(rc_doc *d);
int rc_pos_cmp(rc_pos a, rc_pos b);
/* Compact byte offset -> text byte offset (rc_walk_offset: the character
 * it came from, the text's length at the end), and the first compact
 * offset at or after a text offset (rc_walk_compact_at).  w (start it
 * with unit (size_t)-1) keeps the last answer, and a walk resumes there
 * when it can, so asking along a unit in increasing order costs one pass
 * over it. */
typedef struct rc_walk {
    size_t unit, off, co; /* a place of a walk: text offset, compact bytes before it */
} rc_walk;
size_t rc_walk_offset(const rc_doc *d, rc_walk *w, size_t ui, size_t co);
size_t rc_walk_compact_at(const rc_doc *d, rc_walk *w, size_t ui, size_t off);

/* recognise_sections.c */
/* false: out of memory. */
bool rc_find_sections(rc_doc *d, const nb_template *tp);
/* Finds section sec's heading anew, from unit on (the next report of the
 * same text); false and sec not found when there is none. */
bool rc_find_section_from(rc_doc *d, const nb_template *tp, int sec, size_t unit);
/* Length of section sec's numbering at the start of compact text c: its
 * numeral and 、 or '.', or (others too) one of its other numberings
 * (第一部分 1.); 0 if none. */
size_t rc_heading_number_len(const rc_doc *d, const nb_template *tp, int sec, const char *c, bool others);
/* End of section i's region: the next found heading, or the end. */
rc_pos rc_section_end(const rc_doc *d, int i);
char *rc_region_text(const rc_doc *d, rc_pos a, rc_pos b);

/* recognise_meta.c */
void rc_find_meta(const rc_doc *d, nb_report *r);
/* Where a second report starts in the same text, after section 六 of
 * the first (its title, then section 一 again): its first unit (the
 * agency's line over the title, if any), or d->n; *title_unit: the
 * title's unit, or d->n. */
size_t rc_second_report_at(const rc_doc *d, const nb_template *tp, size_t *title_unit);
/* The same search in units from..to-1 (a report's title, then section 一
 * again within 40 lines): where a report starts there, or d->n.  inside
 * (the units are a report's body): a title is looked for only on a line
 * of its own that ends, or whose next line ends, with a report word. */
size_t rc_report_start_in(const rc_doc *d, const nb_template *tp, size_t from, size_t to, bool inside,
                          size_t *title_unit);
/* Whether unit i is a line naming a report ("XX局2023年政府信息公开工作
 * 年度报告"), with a year if with_year: a title, a page's running header,
 * the next report's title. */
bool rc_unit_names_report(const rc_doc *d, size_t i, bool with_year);
/* A new copy of s with full-width digits and - . / as ASCII; squeeze:
 * white space (ASCII, NBSP, U+3000) dropped too.  NULL: out of memory. */
char *rc_ascii_copy(const char *s, bool squeeze);
/* The first date in s (YYYY年M月D日, YYYY-M-D, in arabic or Chinese
 * numerals, spaced or not) as YYYY-MM-DD into out. */
bool rc_parse_date(const nb_lexicon *lex, const char *s, char out[32]);

/* recognise_tokens.c */
bool rc_tokenise(const rc_doc *d, rc_pos a, rc_pos b, rc_toks *out);
void rc_toks_free(rc_toks *t);

/* recognise_index.c: the items first..first+n-1 grouped by bytes[k]
 * (item first+k's byte); each group lists its items in ascending order. */
typedef struct rc_byte_index {
    size_t start[257];
    size_t *v;
} rc_byte_index;
bool rc_byte_index_build(rc_byte_index *x, const unsigned char *bytes, size_t first, size_t n);
const size_t *rc_byte_index_get(const rc_byte_index *x, unsigned char b, size_t *n);
void rc_byte_index_free(rc_byte_index *x);
/* A set of first bytes (256 bits): rc_label_starts adds those of a
 * label's non-empty key and compact form.  A label a text spells, or
 * begins, starts with the text's first byte: a text whose non-empty forms
 * begin with no byte of the set is neither, and is near a label only
 * with a typo or as a fragment of it. */
void rc_label_starts(uint64_t set[4], const char *key, const char *compact);
/* Does s (len bytes) begin with a byte of the set?  (Not when empty.) */
static inline bool rc_starts_has(const uint64_t set[4], const char *s, size_t len)
{
    unsigned char b = (unsigned char)s[0];
    return len && (set[b >> 6] >> (b & 63) & 1);
}

/* recognise_exact.c: the items first..first+n-1 by their exact string
 * strs[k] of lens[k] bytes (borrowed; they must outlive the index). */
typedef struct rc_exact_index {
    size_t *slot;       /* per distinct string its lowest item - first + 1; 0: empty */
    uint32_t *tag;      /* per slot: its string's hash, high bits (most misses end there) */
    size_t *next;       /* per item: the next item - first + 1 with its string, 0: none */
    size_t mask, first;
    const char **strs;
    size_t *lens;
} rc_exact_index;
bool rc_exact_index_build(rc_exact_index *x, const char *const *strs, const size_t *lens, size_t first,
                          size_t n);
/* The lowest item whose string is s (len bytes) and that ok(item, ctx)
 * accepts; (size_t)-1 none. */
size_t rc_exact_index_first(const rc_exact_index *x, const char *s, size_t len, bool (*ok)(size_t, const void *),
                            const void *ctx);
void rc_exact_index_free(rc_exact_index *x);

/* recognise_table.c */
/* The label matches of one read of a table, in the order they were made.
 * Reading a variant again to commit it makes the very same matches (what
 * the reader decides does not depend on the report it writes), so the
 * scoring read records them and the committing read replays them. */
typedef struct rc_logged_match {
    long hit;
    int kind;
} rc_logged_match;

typedef struct rc_match_log {
    rc_logged_match *v;
    size_t n, cap;
    size_t next;        /* replay position */
    bool replay;        /* replay v instead of matching */
    bool broken;        /* a record was lost (out of memory): replay nothing */
} rc_match_log;
void rc_match_log_free(rc_match_log *log);

/* Reads one table variant from tokens into the report; returns a score
 * (committing: above 0 when the table was found, the markers not counted).
 * log (may be NULL) records the read's matches, or replays them. */
int rc_read_table(const nb_table_def *def, const rc_toks *t, nb_report *r, bool commit, rc_match_log *log);
/* What rc_score_table returns for a read it stopped. */
#define RC_SCORE_CUT (-2)
/* A scoring read (rc_read_table, not committing) that matters only if it
 * scores above beat: it stops, returning RC_SCORE_CUT, as soon as the
 * most it could still score is beat or less (beat < 0: never).  Else its
 * score and log are rc_read_table's. */
int rc_score_table(const nb_table_def *def, const rc_toks *t, nb_report *r, rc_match_log *log, int beat);
/* A committing read without the reader's short cuts (the exact label
 * lookups, a printed line's values taken in one go): the reference the
 * tests compare rc_read_table with. */
int rc_read_table_plain(const nb_table_def *def, const rc_toks *t, nb_report *r);
/* An earlier variant of def's table (in nb_templates_variants order) whose
 * reads give def's score and matches on every token stream, or NULL. */
const nb_table_def *rc_read_alike(const nb_table_def *def, const nb_templates *t);
/* Commits def when it is a table's only reading (every variant reads as
 * it does): one read where scoring and committing would take two.  Returns
 * what a committing read returns; when a scoring read would have scored 0
 * the report's table is left unset. */
int rc_read_table_once(const nb_table_def *def, const rc_toks *t, nb_report *r);
/* A committing read (rc_read_table) that returns what a scoring read of
 * def would score: the markers counted too (markers: their part, from
 * rc_markers_scores), 0 when nothing matched nor valued (the table is
 * then set but empty).  -1: out of memory. */
int rc_commit_scored(const nb_table_def *def, const rc_toks *t, nb_report *r, int markers);
/* rc_score_table with the markers' part of the score known (< 0: not). */
int rc_score_table_m(const nb_table_def *def, const rc_toks *t, nb_report *r, rc_match_log *log, int beat,
                     int markers);
/* out[k]: the markers' part of the score of defs[k] on t (three per
 * marker some text token holds), for the n definitions in one pass. */
void rc_markers_scores(const nb_table_def *const *defs, size_t n, const rc_toks *t, int *out);
/* recognise.c: reads the table whose n variants v read differently from
 * toks into r, the best kept (a tie goes to the variant of r's year, else
 * to the first; a score of 0 leaves the table unset).  The likely winner
 * is committed at once and the others only scored against it; plain: the
 * reference, every variant scored, then the best committed by replaying
 * its scoring read.  Returns whether the table was found. */
bool rc_read_variants(const nb_templates *t, const nb_table_def *const *v, size_t n, const rc_toks *toks,
                      nb_report *r, bool plain);
/* One label match of def's grammar (for t) on a text given in its forms
 * (key: nb_text_label_key, compact: nb_text_compact), as a read makes it
 * at row pos with the rows' done flags (NULL: none): 0 no label near, 1 a
 * label may still be spelt out, 2 *hit is the label (the grammar's
 * index); -1 out of memory.  plain: without the short cuts (the exact
 * lookups and the first-byte rejection), considering every candidate
 * label (tests compare both). */
int rc_match_text(const nb_table_def *def, const nb_templates *t, const bool *done, const char *key,
                  const char *compact, size_t pos, bool ended, bool plain, long *hit);

/* recognise_alike.c: do a and b read every token stream alike? */
bool rc_defs_read_alike(const nb_table_def *a, const nb_table_def *b);

/* recognise_solve.c / recognise_resolve.c */
#define RC_MAX_COLS 32
#define RC_MAX_SOLUTIONS 64

/* Where a row's fields lie in its definition's field list ([first, end):
 * no field of the row is outside), and the column of the row total (-1
 * none): worked out once per grammar instead of per row read. */
typedef struct rc_row_span {
    size_t first, end;
    long total_col;
    /* the row's value cells as rc_place_row lists them (rc_row_plan): */
    bool planned;                 /* false: the fields are too many to list here */
    bool any_sint;
    bool any_amount;              /* some value cell is an amount (its unit cell follows it) */
    uint8_t k;                    /* value columns */
    int8_t total;                 /* which of them is the row total, -1 none */
    uint16_t fields[RC_MAX_COLS]; /* field of each */
    bool sint[RC_MAX_COLS];       /* accepts a sign */
} rc_row_span;
/* Fills span's plan of row (first, end and total_col set before). */
void rc_row_plan(const nb_table_def *d, size_t row, rc_row_span *span);

/* A row whose reading is not unique: every reading that fits the row's own
 * totals, kept until the table's column sums can choose between them. */
typedef struct rc_alt {
    size_t fields[RC_MAX_COLS];
    size_t k;
    int64_t sols[RC_MAX_SOLUTIONS][RC_MAX_COLS];
    size_t nsol;
    const rc_tok *tok;  /* the glued run, for provenance (may be NULL) */
    bool broken;        /* no reading keeps the row totals (the report's own error) */
    uint64_t fit;       /* bit s: reading s is in a combination the column sums
                           accept (rc_resolve_columns); 0: all readings count */
} rc_alt;

typedef struct rc_alts {
    rc_alt *v;
    size_t n, cap;
} rc_alts;

/* Chooses between the alternatives with the table's column relations
 * (taken from the rules, recognise_relations.c);
 * cells every surviving combination agrees on are set. */
void rc_resolve_columns(nb_report *r, nb_table *t, rc_alts *alts);
/* The same, returning the search's node count; plain: every node sums every
 * check afresh instead of keeping the count incrementally (the reference
 * the tests compare it with: same nodes, same answer), with a node bound. */
long rc_resolve_columns_nodes(nb_report *r, nb_table *t, rc_alts *alts, bool plain, long budget);
/* Keeps the readings of rows still undecided on the report
 * (recognise_keep.c), for the cross-year resolver: alts must hold complete
 * lists only (a list cut short at its bound proves nothing). */
void rc_keep_readings(nb_report *r, nb_table *t, const rc_alts *alts);
/* recognise_narrative.c: the lexicon's narrative statements found in the
 * prose narrow the kept readings and settle the cells they agree on. */
void rc_narrative_decide(nb_report *r, const nb_lexicon *lx);
/* recognise.c: the sections that hold one of the templates' tables (bit
 * no - 1 for section no, 1..6). */
unsigned rc_table_sections(const nb_templates *t);
/* Blank 总计 cells that are few among printed ones become null and flagged. */
/* spans: per row of t's definition (NULL: search). */
void rc_lost_totals(nb_report *r, nb_table *t, const rc_row_span *spans);

/* recognise_order.c: the readings of n values (n/group groups of `group`
 * cells, cell `total` of each the sum of the others) taken out of order:
 * every cut into order-keeping subsequences that keep their totals, under
 * every order of the groups.  Returns how many went to sols; *overflow
 * when there were more than max (or the search gave up). */
size_t rc_group_orders(const int64_t *vals, size_t n, size_t group, size_t total, int64_t (*sols)[RC_MAX_COLS],
                       size_t max, bool *overflow);

/* The same for values that came in chunks (runs of values between words,
 * chunk_len[i] values each, in reading order): every way to put the chunks,
 * each whole and in its own order, on consecutive cells, the first chunk
 * at the first cell, that keeps every group total. */
size_t rc_chunk_orders(const int64_t *vals, const size_t *chunk_len, size_t nchunks, size_t group, size_t total,
                       int64_t (*sols)[RC_MAX_COLS], size_t max, bool *overflow);

/* rc_place_row's usual case, for a caller that knows it: span planned,
 * vals span->k numbers (RC_NUM), none of the cells an amount. */
void rc_place_numbers(nb_report *r, nb_table *t, const rc_tok *const *vals, const rc_row_span *span);
/* Places a row's values into its cells; diagnostics go to the report. */
/* exact: the values are one printed row with one cell per column, blanks
 * included, and are placed by position.  span: the row's (NULL: search).
 * A value NULL or not a number (a blank cell's token) is a blank. */
void rc_place_row(nb_report *r, nb_table *t, size_t row, const rc_tok *const *vals, size_t nvals,
                  rc_alts *alts, bool exact, const rc_row_span *span);
/* chunk_start: per value, whether words came before it (NULL: unknown);
 * spans: per row of t's definition (NULL: search). */
void rc_place_single_row(nb_report *r, nb_table *t, const rc_tok *const *vals, size_t nvals,
                         bool structured, const bool *chunk_start, const rc_row_span *spans);

#endif
