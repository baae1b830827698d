/* recognise.c - from a document to a report: sections, title and agency,
 * then each table read with every template variant, the best kept.
 * Templates are chosen per table (a report may mix one format's headings
 * with another's rows); a tie goes to the template of the report's year. */
#include "recognise_internal.h"
#include "readings_internal.h"
#include "report_internal.h"
#include "util.h"
#include <stdlib.h>
#include <string.h>

/* The region a table is read from: its section, or, when the heading was
 * not found, the stretch between the neighbouring headings found. */
static void table_region(const rc_doc *d, int sec, rc_pos *a, rc_pos *b)
{
    if (d->sec_found[sec]) {
        *a = d->sec_body[sec];
        *b = rc_section_end(d, sec);
        return;
    }
    *a = (rc_pos){0, 0};
    for (int k = sec - 1; k >= 0; k--)
        if (d->sec_found[k]) {
            *a = d->sec_body[k];
            break;
        }
    *b = rc_section_end(d, sec);
}

/* The index among v[0..i) of the variant v[i] reads alike (rc_read_alike), or -1. */
static long alike_index(const nb_table_def *const *v, size_t i, const nb_templates *t)
{
    const nb_table_def *same = rc_read_alike(v[i], t);
    for (size_t j = 0; same && j < i; j++)
        if (v[j] == same)
            return (long)j;
    return -1;
}

/* The best variant; *best_log gets the matches of its scoring read.  A
 * variant that reads alike an earlier one has its score without a read;
 * a read stops once it cannot win (rc_score_table: a tie wins only for
 * the variant of the report's year, and a score of 0 never). */
static const nb_table_def *choose_variant(const nb_templates *t, const nb_table_def *const *v, size_t n,
                                          const rc_toks *toks, nb_report *r, rc_match_log *best_log)
{
    const nb_template *yt = r->year ? nb_templates_for_year(t, r->year) : NULL;
    const nb_table_def *best = NULL;
    int best_score = 0, score[16];
    rc_match_log log = {0};
    /* room for a read's matches (about one per text token) at once, not
     * grown from nothing in every read (a failure here only defers it) */
    nb_grow((void **)&log.v, &log.cap, toks->n, sizeof *log.v);
    nb_grow((void **)&best_log->v, &best_log->cap, toks->n, sizeof *best_log->v);
    for (size_t i = 0; i < n; i++) {
        bool year_match = yt && strcmp(v[i]->variant, yt->id) == 0;
        long j = alike_index(v, i, t);
        if (j >= 0 && score[j] == RC_SCORE_CUT)
            j = -1; /* its score is not known: read this one */
        int s = j >= 0 ? score[j] : 0;
        bool wins = s > best_score || (s == best_score && s > 0 && year_match);
        if (j >= 0 && (!wins || best == v[j])) {
            score[i] = s; /* read alike: the best's log holds the same matches */
            best = wins ? v[i] : best;
            continue;
        }
        log.n = 0;
        log.broken = false;
        int beat = year_match && best_score > 0 ? best_score - 1 : best_score;
        s = score[i] = rc_score_table(v[i], toks, r, &log, i ? beat : -1);
        if (s > best_score || (s == best_score && s > 0 && year_match)) {
            best = v[i];
            best_score = s;
            rc_match_log kept = *best_log;
            *best_log = log;
            log = kept;
        }
    }
    rc_match_log_free(&log);
    return best;
}

/* The index of the variant of the report's year, else 0: the likely winner. */
static size_t likely_variant(const nb_templates *t, const nb_table_def *const *v, size_t n, const nb_report *r)
{
    const nb_template *yt = r->year ? nb_templates_for_year(t, r->year) : NULL;
    for (size_t i = 0; yt && i < n; i++)
        if (strcmp(v[i]->variant, yt->id) == 0)
            return i;
    return 0;
}

/* The variant choose_variant would choose if the table is found, when
 * every variant reads alike (they all score the same): the one of the
 * report's year, else the first.  NULL when some variant reads otherwise. */
static const nb_table_def *sole_reading(const nb_templates *t, const nb_table_def *const *v, size_t n,
                                        const nb_report *r)
{
    for (size_t i = 1; i < n; i++)
        if (alike_index(v, i, t) < 0)
            return NULL;
    return n ? v[likely_variant(t, v, n, r)] : NULL;
}

static bool diag_before(const nb_diag *d, const void *end)
{
    return d < (const nb_diag *)end;
}

/* Undoes a committed read of table name: its cells and extras, and the
 * findings and readings it added (ndiags findings and had_readings:
 * the report's before it). */
static void undo_commit(nb_report *r, const char *name, size_t ndiags, bool had_readings)
{
    nb_error err;
    nb_error_clear(&err);
    nb_report_set_variant(r, name, NULL, &err);
    if (r->ndiags > ndiags) /* none added: r->diags may be NULL, and NULL + 0 is no pointer */
        nb_report_filter_diags(r, diag_before, r->diags + ndiags);
    if (r->readings)
        nb_readings_drop_table(r->readings, name);
    if (!had_readings && r->readings && !r->readings->n) {
        nb_readings_free(r->readings); /* as if never asked for */
        r->readings = NULL;
    }
}

/* rc_read_variants: the likely winner c committed at once, scored; each
 * other variant only scored, with a bar it must pass (a tie never moves
 * the table: c is the year's variant, or the first when there is none).
 * When one passes, c's commit is undone and the winner read again to
 * commit it.  A variant reading alike one scored before scores no more. */
static bool read_committing_first(const nb_templates *t, const nb_table_def *const *v, size_t n,
                                  const rc_toks *toks, nb_report *r)
{
    size_t c = likely_variant(t, v, n, r), ndiags = r->ndiags;
    bool had_readings = r->readings != NULL;
    /* the variants read: c, and the others but those that read alike one
     * scored before (it passed no bar, or is the best); their markers in
     * one pass */
    const nb_table_def *read[16];
    size_t at[16], nr = 0;
    read[nr] = v[c];
    at[nr++] = c;
    for (size_t i = 0; i < n && nr < 16; i++)
        if (i != c && alike_index(v, i, t) < 0) {
            read[nr] = v[i];
            at[nr++] = i;
        }
    int markers[16];
    rc_markers_scores(read, nr, toks, markers);
    int s = rc_commit_scored(v[c], toks, r, markers[0]);
    int best_score = s > 0 ? s : 0;
    long best = s > 0 ? (long)c : -1;
    /* no match log: another variant seldom wins, and then it is read again
     * whole (a replay would save that read, at a log kept in every one) */
    for (size_t k = 1; k < nr; k++) {
        s = rc_score_table_m(read[k], toks, r, NULL, best_score, markers[k]);
        if (s > best_score) {
            best = (long)at[k];
            best_score = s;
        }
    }
    bool found = best >= 0;
    if (best != (long)c) {
        undo_commit(r, v[c]->name, ndiags, had_readings);
        found = best >= 0 && rc_read_table(v[best], toks, r, true, NULL) > 0;
    }
    return found;
}

bool rc_read_variants(const nb_templates *t, const nb_table_def *const *v, size_t n, const rc_toks *toks,
                      nb_report *r, bool plain)
{
    if (!n)
        return false;
    if (!plain)
        return read_committing_first(t, v, n, toks, r);
    rc_match_log log = {0};
    const nb_table_def *def = choose_variant(t, v, n, toks, r, &log);
    log.replay = !log.broken;
    bool found = def && rc_read_table(def, toks, r, true, &log) > 0;
    rc_match_log_free(&log);
    return found;
}

/* The table's region was read up to line lineno only (RC_MAX_TOKENS):
 * what follows there, the table's cells too if they do, is not read. */
static void warn_region_cut(nb_report *r, const nb_table_def *def, int lineno)
{
    nb_report_add_diag(r, NB_RULE_REGION_CUT, NB_SEV_WARNING, false, def->name, NULL, NULL,
                       "“%s”所在的区域超过 %u 个单元格或词，远多于一张表，只读到第 %d 行，其后未读取",
                       def->title ? def->title : def->name, RC_MAX_TOKENS, lineno);
}

/* Reads every table; *secs gets rc_table_sections(t), from the variants
 * asked here anyway. */
static bool read_tables(const rc_doc *d, const nb_templates *t, nb_report *r, unsigned *secs)
{
    bool any = false;
    *secs = 0;
    for (size_t i = 0; i < nb_templates_table_count(t); i++) {
        const nb_table_def *v[16]; /* the table's variants, asked once */
        size_t nv = nb_templates_variants(t, nb_templates_table_name(t, i), v, 16);
        if (!nv)
            continue;
        int sec = v[0]->section - 1;
        if (sec < 0 || sec > 5)
            continue;
        *secs |= 1u << sec;
        rc_pos a, b;
        table_region(d, sec, &a, &b);
        rc_toks toks = {0};
        if (!rc_tokenise(d, a, b, &toks)) {
            rc_toks_free(&toks);
            *secs = rc_table_sections(t); /* the tables not reached too */
            return false;
        }
        if (toks.cut)
            warn_region_cut(r, v[0], toks.cut_lineno);
        const nb_table_def *sole = sole_reading(t, v, nv, r);
        if (sole) {
            any |= rc_read_table_once(sole, &toks, r) > 0;
            rc_toks_free(&toks);
            continue;
        }
        any |= rc_read_variants(t, v, nv, &toks, r, false);
        rc_toks_free(&toks);
    }
    return any;
}

/* Adds from..stop up to its last sentence end, found in place, if any. */
static void add_prose(nb_buf *out, const char *from, const char *stop)
{
    const char *last = nb_text_last_full_stop(from, stop);
    if (last) {
        if (out->len)
            nb_buf_addc(out, '\n');
        nb_buf_add(out, from, (size_t)(last + 3 - from));
    }
}

/* Narrative of a table section: only its prose lines, not the cells.
 * The units before b's are read to their end: most are cells too short
 * to hold a full stop (3 bytes), told by their length alone. */
static char *prose_only(const rc_doc *d, rc_pos a, rc_pos b)
{
    nb_buf out = {0};
    size_t whole_end = b.unit < d->n ? b.unit : d->n;
    if (a.unit < whole_end && d->u[a.unit].len >= a.off + 3) /* the first from a.off */
        add_prose(&out, d->u[a.unit].text + a.off, d->u[a.unit].text + d->u[a.unit].len);
    /* through a pointer: d's fields are not loaded again for every unit
     * (add_prose's calls may write memory, as far as the compiler knows) */
    if (a.unit + 1 < whole_end)
        for (const rc_unit *u = d->u + a.unit + 1, *end = d->u + whole_end; u < end; u++)
            if (u->len >= 3)
                add_prose(&out, u->text, u->text + u->len);
    if (a.unit <= b.unit && b.unit < d->n) {
        const rc_unit *u = &d->u[b.unit];
        size_t s = b.unit == a.unit ? a.off : 0;
        if (b.off > s)
            add_prose(&out, u->text + s, u->text + b.off);
    }
    return out.len ? nb_buf_steal(&out) : (nb_buf_free(&out), NULL);
}

unsigned rc_table_sections(const nb_templates *t)
{
    unsigned set = 0;
    for (size_t k = 0; k < nb_templates_table_count(t); k++) {
        const nb_table_def *v[1];
        if (nb_templates_variants(t, nb_templates_table_name(t, k), v, 1) && v[0]->section >= 1 &&
            v[0]->section <= 6)
            set |= 1u << (v[0]->section - 1);
    }
    return set;
}

/* tables: the sections tables are read from (rc_table_sections). */
static void read_sections(const rc_doc *d, unsigned tables, nb_report *r)
{
    for (int i = 0; i < 6; i++) {
        if (!d->sec_found[i])
            continue;
        nb_set_str(&r->sections[i].title, d->sec_title[i]);
        r->sections[i].line = d->u[d->sec_start[i].unit].lineno;
        rc_pos a = d->sec_body[i], b = rc_section_end(d, i);
        char *text = tables >> i & 1 ? prose_only(d, a, b) : rc_region_text(d, a, b);
        if (text && *text)
            r->sections[i].text = text;
        else
            free(text);
    }
}

/* Whether the tables' cells read so far hold more values than cells left
 * undecided (ambiguous). */
static bool reads_cleanly(const nb_report *r)
{
    size_t read = 0, undecided = 0;
    for (size_t i = 0; i < r->ntables; i++) {
        const nb_table *t = &r->tables[i];
        for (size_t f = 0; t->def && f < t->def->nfields; f++) {
            const nb_cell *c = &t->cells[f];
            undecided += c->status == NB_CELL_AMBIGUOUS;
            read += c->has_value && c->status != NB_CELL_DERIVED;
        }
    }
    return read > undecided;
}

/* Where a later report of the same text starts: its first line in the
 * document, that line's number, and its title's text (owned). */
typedef struct rc_part {
    size_t line;
    int lineno;
    char *title;
    bool unread; /* known to be no report: a report cut short the text starts with */
} rc_part;

/* "第 N 行起是另一份报告…未读取" on r: the text from there was not read,
 * as nb_recognise reads one report, or (tried) as it is none. */
static void warn_unread(nb_report *r, int lineno, const char *title, bool tried)
{
    if (tried)
        nb_report_add_diag(r, "PARSE-SECOND-REPORT", NB_SEV_WARNING, false, "source", NULL, title,
                           "第 %d 行起像是另一份报告“%s”，但其后没有表格或章节，读不出报告，未读取",
                           lineno, title ? title : "");
    else
        nb_report_add_diag(r, "PARSE-SECOND-REPORT", NB_SEV_WARNING, false, "source", NULL, title,
                           "第 %d 行起是另一份报告“%s”，未读取：只读了第一份报告，请将各报告分成单独的文件",
                           lineno, title ? title : "");
}

/* The starts of the reports after the first (at d->end), found on the
 * first's units in one pass: each one's section 六, then a title and
 * section 一 again after it (rc_second_report_at).  At most
 * NB_RECOGNISE_MAX_PARTS; the last part then holds the rest, and its own
 * reading warns of it.  *parts is grown (caller frees); false: out of
 * memory, with the parts found until then. */
static bool later_reports(rc_doc *d, const nb_template *tp, size_t title, rc_part **parts, size_t *n)
{
    size_t cap = 0;
    for (size_t at = d->end; at < d->n && *n < NB_RECOGNISE_MAX_PARTS;) {
        if (!nb_grow((void **)parts, &cap, *n, sizeof **parts))
            return false;
        (*parts)[(*n)++] = (rc_part){d->u[at].line, d->u[at].lineno, rc_ascii_copy(d->u[title].text, true), false};
        if (!rc_find_section_from(d, tp, 5, at))
            break;
        /* a report cut short: the next one starts before the 六 found,
         * which is the next one's */
        size_t next_title, next = rc_report_start_in(d, tp, title + 1, d->sec_start[5].unit, true, &next_title);
        if (next < d->n) {
            at = next;
            title = next_title;
            continue;
        }
        at = rc_second_report_at(d, tp, &title);
    }
    return true;
}

/* A report cut short (a page that kept only its title and section 一),
 * then the next report's title and section 一, before this one's last
 * heading found: the headings from there on are the next report's, and
 * are dropped from this one.  Returns where the next starts (d->n:
 * nowhere), *title its title's unit. */
static size_t next_report_inside(rc_doc *d, const nb_template *tp, size_t *title)
{
    *title = d->n;
    size_t last = 0;
    for (int k = 1; k < 6; k++)
        if (d->sec_found[k] && d->sec_start[k].unit > last)
            last = d->sec_start[k].unit;
    if (!d->sec_found[0] || last <= d->sec_body[0].unit)
        return d->n;
    size_t at = rc_report_start_in(d, tp, d->sec_body[0].unit + 1, last, true, title);
    for (int k = 1; at < d->n && k < 6; k++)
        if (d->sec_found[k] && d->sec_start[k].unit >= at) {
            free(d->sec_title[k]);
            d->sec_title[k] = NULL;
            d->sec_found[k] = false;
        }
    return at;
}

/* The reports after a first that is none (cut short): the first part is
 * it, unread, and the others are found as after a report.  false: out of
 * memory. */
static bool reports_after_none(rc_doc *d, const nb_template *tp, const char *title, size_t second_title,
                               rc_part **parts, size_t *n)
{
    size_t cap = 0;
    if (!nb_grow((void **)parts, &cap, *n, sizeof **parts))
        return false;
    (*parts)[(*n)++] = (rc_part){0, d->n ? d->u[0].lineno : 1, title ? nb_strdup(title) : NULL, true};
    return later_reports(d, tp, second_title, parts, n);
}

/* nb_recognise, and when parts is not NULL the starts of the reports that
 * follow the first in the same text (*nparts of them in *parts, which the
 * caller frees): the first then does not warn of them, its caller reads
 * them. */
static nb_report *recognise(const nb_templates *t, const nb_doc *doc, nb_error *err, rc_part **parts,
                            size_t *nparts)
{
    rc_doc d;
    const nb_template *tp = nb_templates_get(t, 0); /* the newest: its headings and lexicon */
    if (doc->over) { /* the document was cut short there (doc_internal.h) */
        nb_error_set(err, NB_E_DATA, doc->name, "more than %u lines or cells, far more than a report has: not a report "
                     "(several hundred reports in one text: split it)",
                     NB_DOC_MAX_CELLS);
        return NULL;
    }
    if (!rc_doc_build(&d, doc, tp ? &tp->lexicon : NULL) || !tp || !rc_find_sections(&d, tp)) {
        rc_doc_free(&d);
        nb_error_set(err, NB_E_INTERNAL, doc->name, "out of memory");
        return NULL;
    }
    nb_report *r = nb_report_new(t);
    if (!r) {
        rc_doc_free(&d);
        nb_error_set(err, NB_E_INTERNAL, doc->name, "out of memory");
        return NULL;
    }
    size_t second_title, inside = next_report_inside(&d, tp, &second_title);
    rc_find_meta(&d, r);
    d.end = inside < d.n ? inside : rc_second_report_at(&d, tp, &second_title);
    unsigned table_secs;
    bool tables = read_tables(&d, t, r, &table_secs);
    int sections = 0;
    for (int i = 0; i < 6; i++)
        sections += d.sec_found[i];
    /* Rows with nothing around them (no title, year or agency, no section
     * heading) are a report only when they read as one: a note or a README
     * that quotes a few counts ("新收 5 (自然人 3), 上年结转 1") leaves more
     * cells undecided than it fills, and would be blamed with errors of a
     * report it is not; a table pasted alone reads cleanly. */
    bool named = r->title || r->year || r->agency;
    if ((!tables && sections < 2) || (!named && sections == 0 && !reads_cleanly(r))) {
        nb_error_set(err, NB_E_DATA, doc->name,
                     tables ? "no report found: a few counts that do not read as a table, and no title, year, agency or section heading"
                            : "no report found: none of the template's tables or section headings is in it");
        if (d.end < d.n && parts && !reports_after_none(&d, tp, r->title, second_title, parts, nparts))
            nb_error_set(err, NB_E_INTERNAL, doc->name, "out of memory");
        nb_report_free(r);
        rc_doc_free(&d);
        return NULL;
    }
    read_sections(&d, table_secs, r);
    if (d.end < d.n && parts && !later_reports(&d, tp, second_title, parts, nparts)) {
        nb_report_free(r);
        rc_doc_free(&d);
        nb_error_set(err, NB_E_INTERNAL, doc->name, "out of memory");
        return NULL;
    } else if (d.end < d.n && !parts) { /* named, never dropped without a word */
        char *title = rc_ascii_copy(d.u[second_title].text, true);
        warn_unread(r, d.u[d.end].lineno, title, false);
        free(title);
    }
    rc_narrative_decide(r, &tp->lexicon); /* the prose as evidence: sections and tables are read */
    nb_report_derive(r);
    nb_report_update_template(r);
    rc_doc_free(&d);
    return r;
}

/* A text that opens with a report cut short holds a report all the same:
 * its first whole one is returned, as nb_recognise_all reads it, with the
 * warnings that name the cut one and the one after it. */
nb_report *nb_recognise(const nb_templates *t, const nb_doc *doc, nb_error *err)
{
    nb_report *r = recognise(t, doc, err, NULL, NULL);
    if (r)
        return r;
    nb_error e;
    nb_error_clear(&e);
    if (!(r = nb_recognise_all(t, doc, &e)))
        return NULL; /* err is the first reading's */
    nb_error_clear(err);
    if (r->next) {
        warn_unread(r, r->next->part_line, r->next->title, false);
        nb_report_free(r->next);
        r->next = NULL;
    }
    return r;
}

/* The lines from..to of doc, as a document of its own that borrows them. */
static nb_doc doc_part(const nb_doc *doc, size_t from, size_t to)
{
    nb_doc v = *doc;
    v.lines = doc->lines + from;
    v.nlines = to - from;
    v.cap = 0;
    v.chunks = NULL;
    v.ncells = 0;
    for (size_t i = from; i < to; i++)
        v.ncells += doc->lines[i].ncells;
    return v;
}

nb_report *nb_recognise_all(const nb_templates *t, const nb_doc *doc, nb_error *err)
{
    rc_part *parts = NULL;
    size_t n = 0, unread = 0; /* parts[0..unread) not read before any report was */
    nb_report *first = recognise(t, doc, err, &parts, &n), *last = first;
    /* each later report read on its own lines: the text is read about
     * twice in all, however many reports it holds */
    for (size_t i = 0; i < n; i++) {
        nb_report *r = NULL;
        if (!parts[i].unread) {
            nb_doc part = doc_part(doc, parts[i].line, i + 1 < n ? parts[i + 1].line : doc->nlines);
            nb_error e;
            nb_error_clear(&e);
            r = recognise(t, &part, &e, NULL, NULL);
        }
        if (r) {
            r->part_line = parts[i].lineno;
            if (last)
                last->next = r;
            else { /* the text began with a report cut short: named on this one */
                first = r;
                nb_error_clear(err);
                for (; unread > 0; unread--)
                    warn_unread(r, parts[i - unread].lineno, parts[i - unread].title, true);
            }
            last = r;
        } else if (last) { /* not a report after all: named on the one before */
            warn_unread(last, parts[i].lineno, parts[i].title, true);
        } else
            unread++;
    }
    for (size_t i = 0; i < n; i++)
        free(parts[i].title);
    free(parts);
    return first;
}
