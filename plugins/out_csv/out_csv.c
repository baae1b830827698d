/* out_csv.c - the `csv` output: RFC 4180 (CRLF, fields quoted when they
 * hold a comma, quote, CR or LF).
 *
 * Forms (option form=):
 *   wide  one row per report: source, agency, year, template, errors,
 *         warnings, then every value of nb_templates_columns() by key path;
 *   long  one row per value: source, agency, year, table, row, column, value.
 * table=diagnostics / table=failures write those records instead, so each
 * can be its own CSV.  Rows are written as reports arrive: memory is flat.
 *
 * Values: exact decimals from nb_num_format; blank cells are 0 (the model
 * already says so); null (missing, ambiguous) is an empty field.
 * Encoding: UTF-8, optionally with a BOM, or GB18030 for Excel on Chinese
 * Windows, which reads BOM-less CSV in the ANSI code page (936). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "nianbao/plugin.h"
#include "nianbao/text.h"
#include "flat.h"

#define PLUGIN_NAME "csv"

typedef enum { FORM_WIDE, FORM_LONG } csv_form;
typedef enum { TABLE_REPORTS, TABLE_DIAGNOSTICS, TABLE_FAILURES } csv_table;

typedef struct csv_buf {
    char *p;
    size_t len, cap;
} csv_buf;

typedef struct csv_out {
    const nb_host *host;
    nbf_flat flat;
    csv_form form;
    csv_table table;
    bool labels, bom, gb18030;
    FILE *fp;
    csv_buf line;       /* the record being built */
    size_t nfields;     /* fields in the current record */
    size_t keep, keep_fields; /* a record's first bytes and fields kept for the next (long form) */
    csv_buf *text;      /* format(): finished records gathered here, not written */
} csv_out;

static const nb_option_def csv_options[] = {
    {"form", NB_OPT_STRING, "wide", "wide (one row per report) or long (one row per value)"},
    {"labels", NB_OPT_BOOL, "false", "wide form: add a second header row of Chinese labels"},
    {"bom", NB_OPT_BOOL, "false", "start the file with a UTF-8 byte order mark (Excel)"},
    {"encoding", NB_OPT_STRING, "utf-8", "utf-8 or gb18030 (Excel on Chinese Windows)"},
    {"table", NB_OPT_STRING, "reports", "reports, diagnostics or failures"},
    {0}};

/* Record building ------------------------------------------------------ */

/* Room for n more bytes and a NUL at the end of b; NULL when out of memory. */
static char *buf_room(csv_buf *b, size_t n)
{
    if (b->len + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 1024;
        while (cap < b->len + n + 1)
            cap *= 2;
        char *p = realloc(b->p, cap);
        if (!p)
            return NULL;
        b->p = p;
        b->cap = cap;
    }
    return b->p + b->len;
}

static bool buf_put(csv_buf *b, const char *s, size_t n)
{
    if (!buf_room(b, n))
        return false;
    memcpy(b->p + b->len, s, n);
    b->len += n;
    b->p[b->len] = '\0';
    return true;
}

static bool needs_quotes(const char *s)
{
    return strpbrk(s, ",\"\r\n") != NULL;
}

/* Appends one field; quotes are doubled inside a quoted field (RFC 4180 §2.7).
 * A field needing none goes with its comma in one copy. */
static bool field(csv_out *o, const char *s)
{
    if (!s || !needs_quotes(s)) {
        size_t n = s ? strlen(s) : 0;
        char *at = buf_room(&o->line, n + 1);
        if (!at)
            return false;
        if (o->nfields++ > 0)
            *at++ = ',';
        memcpy(at, s ? s : "", n + 1);
        o->line.len = (size_t)(at + n - o->line.p);
        return true;
    }
    bool ok = true;
    if (o->nfields++ > 0)
        ok = buf_put(&o->line, ",", 1);
    ok = ok && buf_put(&o->line, "\"", 1);
    for (const char *q; ok && (q = strchr(s, '"')) != NULL; s = q + 1)
        ok = buf_put(&o->line, s, (size_t)(q - s)) && buf_put(&o->line, "\"\"", 2);
    return ok && buf_put(&o->line, s, strlen(s)) && buf_put(&o->line, "\"", 1);
}

static nb_status oom(nb_error *err)
{
    nb_error_set(err, NB_E_INTERNAL, PLUGIN_NAME, "out of memory");
    return NB_FATAL;
}

static nb_status put_bytes(csv_out *o, const char *p, size_t n, nb_error *err)
{
    if (n && fwrite(p, 1, n, o->fp) != n) {
        nb_error_set(err, NB_E_IO, PLUGIN_NAME, "cannot write the output: %s", strerror(errno));
        return NB_FATAL;
    }
    return NB_OK;
}

/* A finished record: written, or gathered by format(). */
static nb_status put_record(csv_out *o, const char *p, size_t n, nb_error *err)
{
    if (!o->text)
        return put_bytes(o, p, n, err);
    return buf_put(o->text, p, n) ? NB_OK : oom(err);
}

/* Ends the record with CRLF and writes it, converted when asked to. */
static nb_status end_record(csv_out *o, nb_error *err)
{
    if (!buf_put(&o->line, "\r\n", 2))
        return oom(err);
    nb_status st;
    if (o->gb18030) {
        char *conv = NULL;
        size_t clen = 0;
        st = nb_text_convert("UTF-8", "GB18030", o->line.p, o->line.len, &conv, &clen, err);
        if (st == NB_OK)
            st = put_record(o, conv, clen, err);
        else
            st = NB_FATAL;
        free(conv);
    } else {
        st = put_record(o, o->line.p, o->line.len, err);
    }
    o->line.len = o->keep;
    o->nfields = o->keep_fields;
    return st;
}

/* Records ---------------------------------------------------------------- */

static nb_status header(csv_out *o, nb_error *err)
{
    static const char *const diag_cols[] = {"source", "agency", "year", "rule", "severity",
                                            "skipped", "where", "expected", "found", "message"};
    static const char *const fail_cols[] = {"source", "outcome", "reason"};
    static const char *const long_cols[] = {"source", "agency", "year", "table",
                                            "row", "column", "value"};
    bool ok = true;
    if (o->table == TABLE_DIAGNOSTICS) {
        for (size_t i = 0; i < sizeof diag_cols / sizeof *diag_cols; i++)
            ok = ok && field(o, diag_cols[i]);
    } else if (o->table == TABLE_FAILURES) {
        for (size_t i = 0; i < sizeof fail_cols / sizeof *fail_cols; i++)
            ok = ok && field(o, fail_cols[i]);
    } else if (o->form == FORM_LONG) {
        for (size_t i = 0; i < sizeof long_cols / sizeof *long_cols; i++)
            ok = ok && field(o, long_cols[i]);
    } else {
        for (size_t i = 0; i < NBF_NID; i++)
            ok = ok && field(o, nbf_id_keys[i]);
        for (size_t c = 0; c < o->flat.ncols; c++)
            ok = ok && field(o, nb_field_path(o->flat.cols[c]));
    }
    if (!ok)
        return oom(err);
    nb_status st = end_record(o, err);
    if (st != NB_OK || o->table != TABLE_REPORTS || o->form != FORM_WIDE || !o->labels)
        return st;
    for (size_t i = 0; i < NBF_NID; i++)
        ok = ok && field(o, nbf_id_labels[i]);
    for (size_t c = 0; c < o->flat.ncols; c++)
        ok = ok && field(o, nb_field_label(o->flat.cols[c]));
    return ok ? end_record(o, err) : oom(err);
}

/* source, agency, year: the start of every long and diagnostics row. */
static bool ident(csv_out *o, const nb_report *r)
{
    char buf[32];
    return field(o, nbf_id_value(r, 0, buf, sizeof buf)) &&
           field(o, nbf_id_value(r, 1, buf, sizeof buf)) &&
           field(o, nbf_id_value(r, 2, buf, sizeof buf));
}

/* ',' and the value of cell k of tab (a mapped number column) at `at`;
 * returns its end, or NULL when nbf_mapped_number leaves the value to
 * nbf_row_value's way. */
static char *put_number(char *at, const nb_table *tab, long k)
{
    *at = ',';
    return nbf_mapped_number(tab, k, at + 1);
}

/* Columns [c, end) of one table's numbers through its map: the table and
 * map looked up once for the run, not per column. */
static char *put_run(char *at, const nbf_row *row, const nbf_flat *f, size_t *c, size_t end)
{
    size_t ti = f->table_of[*c];
    const long *idx = row->idx[ti];
    const nb_table *tab = row->tab[ti];
    if (!idx)
        return at;
    for (; *c < end; ++*c) {
        char *next = put_number(at, tab, idx[*c]);
        if (!next)
            return at;
        at = next;
    }
    return at;
}

/* Columns from..ncols of a row, each after its comma.  A number's text
 * goes straight to the record: room for every remaining column is made
 * at once, so a cell is a lookup and a few stores; after a unit's text
 * (through field(), a tail call: one level per unit column) the rest
 * again.  False when out of memory. */
static bool put_values(csv_out *o, const nbf_row *row, size_t from)
{
    nbf_flat view = o->flat; /* a copy: o's fields would be read again after every store */
    size_t nc = view.ncols, c = from;
    char *at = buf_room(&o->line, (nc - from) * (1 + NBF_VALUE_ROOM));
    for (; at && c < nc; c++) {
        if (view.run_end[c] > c) {
            at = put_run(at, row, &view, &c, view.run_end[c]);
            if (c == nc)
                break;
        }
        size_t n;
        const char *v = nbf_row_value(&view, row, c, at + 1, &n);
        if (v != at + 1) { /* a unit's text: maybe quoted */
            o->nfields += c - from;
            o->line.len = (size_t)(at - o->line.p);
            o->line.p[o->line.len] = '\0';
            return field(o, v) && put_values(o, row, c + 1);
        }
        *at = ',';
        at += 1 + n;
    }
    o->nfields += c - from;
    if (!at)
        return false;
    *at = '\0'; /* a run's values have none after them */
    o->line.len = (size_t)(at - o->line.p);
    return true;
}

static nb_status write_wide(csv_out *o, const nb_report *r, nb_error *err)
{
    char buf[64];
    bool ok = true;
    for (size_t i = 0; i < NBF_NID; i++)
        ok = ok && field(o, nbf_id_value(r, i, buf, sizeof buf));
    nbf_row row;
    nbf_row_init(&o->flat, r, &row); /* maps built at create */
    return ok && put_values(o, &row, 0) ? end_record(o, err) : oom(err);
}

/* Row and column keys from a key path "table.row[.sub].column": the path
 * is the contract, and a unit field shares its column definition with the
 * amount it belongs to, so the column key comes from the path.  The row
 * key is cut into a local buffer (an allocation a value otherwise). */
static bool long_keys(csv_out *o, const nb_field_def *fd, size_t tlen)
{
    const char *row = nb_field_path(fd) + tlen + 1;
    const char *dot = strrchr(row, '.');
    if (!dot || dot < row)
        return field(o, row) && field(o, NULL);
    size_t n = (size_t)(dot - row);
    char local[256];
    char *r = n < sizeof local ? memcpy(local, row, n) : strndup(row, n);
    if (!r)
        return false;
    r[n] = '\0';
    bool ok = field(o, r) && field(o, dot + 1);
    if (r != local)
        free(r);
    return ok;
}

/* Long form: the report's own fields, table by table in template order.
 * Every row of a table starts with the same source, agency, year and
 * table name: written once, kept in the record buffer for each row
 * (end_record keeps them). */
static nb_status write_long(csv_out *o, const nb_report *r, nb_error *err)
{
    char buf[64];
    if (!ident(o, r))
        return oom(err);
    size_t head = o->line.len, head_fields = o->nfields;
    nb_status st = NB_OK;
    for (size_t t = 0; st == NB_OK && t < nb_report_table_count(r); t++) {
        const nb_table *tab = nb_report_table_at(r, t);
        const char *name = nb_table_name(tab);
        size_t tlen = strlen(name);
        o->line.len = head;
        o->nfields = head_fields;
        if (!field(o, name)) {
            st = oom(err);
            break;
        }
        o->keep = o->line.len;
        o->keep_fields = o->nfields;
        for (size_t i = 0; st == NB_OK && i < nb_table_cell_count(tab); i++) {
            const nb_field_def *fd = nb_table_field_at(tab, i);
            bool ok = long_keys(o, fd, tlen) &&
                      field(o, nbf_value(fd, nb_table_cell_at(tab, i), buf, sizeof buf));
            st = ok ? end_record(o, err) : oom(err);
        }
    }
    o->keep = o->keep_fields = 0;
    o->line.len = 0;
    o->nfields = 0;
    return st;
}

static nb_status diag_row(csv_out *o, const nb_report *r, const char *source,
                          const nb_diag *d, nb_error *err)
{
    bool ok = r ? ident(o, r) : (field(o, source) && field(o, NULL) && field(o, NULL));
    ok = ok && field(o, nb_diag_rule(d)) && field(o, nb_severity_name(nb_diag_severity(d))) &&
         field(o, nb_diag_skipped(d) ? "true" : "false") && field(o, nb_diag_where(d)) &&
         field(o, nb_diag_expected(d)) && field(o, nb_diag_found(d)) && field(o, nb_diag_message(d));
    return ok ? end_record(o, err) : oom(err);
}

/* Plugin callbacks ------------------------------------------------------ */

static nb_status bad_value(nb_error *err, const char *opt, const char *val, const char *valid)
{
    nb_error_set(err, NB_E_USAGE, PLUGIN_NAME, "option %s: unknown value '%s' (valid: %s)",
                 opt, val ? val : "", valid);
    return NB_FAILED;
}

static nb_status parse_options(csv_out *o, const nb_options *opts, nb_error *err)
{
    const char *form = nb_options_get(opts, "form");
    const char *enc = nb_options_get(opts, "encoding");
    const char *table = nb_options_get(opts, "table");
    if (!form || strcasecmp(form, "wide") == 0)
        o->form = FORM_WIDE;
    else if (strcasecmp(form, "long") == 0)
        o->form = FORM_LONG;
    else
        return bad_value(err, "form", form, "wide, long");
    if (!enc || strcasecmp(enc, "utf-8") == 0 || strcasecmp(enc, "utf8") == 0)
        o->gb18030 = false;
    else if (strcasecmp(enc, "gb18030") == 0)
        o->gb18030 = true;
    else
        return bad_value(err, "encoding", enc, "utf-8, gb18030");
    if (!table || strcasecmp(table, "reports") == 0)
        o->table = TABLE_REPORTS;
    else if (strcasecmp(table, "diagnostics") == 0)
        o->table = TABLE_DIAGNOSTICS;
    else if (strcasecmp(table, "failures") == 0)
        o->table = TABLE_FAILURES;
    else
        return bad_value(err, "table", table, "reports, diagnostics, failures");
    o->labels = nb_options_get_bool(opts, "labels");
    o->bom = nb_options_get_bool(opts, "bom");
    if (o->bom && o->gb18030) {
        nb_error_set(err, NB_E_USAGE, PLUGIN_NAME,
                     "option bom=true is for UTF-8; GB18030 files have no BOM");
        return NB_FAILED;
    }
    return NB_OK;
}

static void csv_destroy(void *inst)
{
    csv_out *o = inst;
    if (!o)
        return;
    nbf_free(&o->flat);
    free(o->line.p);
    free(o);
}

static nb_status csv_create(const nb_host *host, const nb_options *opts, void **inst,
                            nb_error *err)
{
    csv_out *o = calloc(1, sizeof *o);
    if (!o)
        return oom(err);
    o->host = host;
    nb_status st = parse_options(o, opts, err);
    if (st == NB_OK)
        st = nbf_init(&o->flat, nb_host_templates(host), err);
    if (st == NB_OK)
        nbf_prepare(&o->flat); /* nbf_cell_ro then never changes it */
    if (st != NB_OK) {
        csv_destroy(o);
        return st;
    }
    *inst = o;
    return NB_OK;
}

static nb_status csv_begin(void *inst, nb_sink *out, nb_error *err)
{
    csv_out *o = inst;
    o->fp = nb_sink_file(out);
    if (!o->fp) {
        nb_error_set(err, NB_E_INTERNAL, PLUGIN_NAME, "no output stream");
        return NB_FATAL;
    }
    if (o->bom) {
        nb_status st = put_bytes(o, "\xEF\xBB\xBF", 3, err);
        if (st != NB_OK)
            return st;
    }
    return header(o, err);
}

static nb_status csv_write(void *inst, const nb_report *r, nb_error *err)
{
    csv_out *o = inst;
    switch (o->table) {
    case TABLE_DIAGNOSTICS:
        for (size_t i = 0; i < nb_report_diag_count(r); i++) {
            nb_status st = diag_row(o, r, NULL, nb_report_diag_at(r, i), err);
            if (st != NB_OK)
                return st;
        }
        return NB_OK;
    case TABLE_FAILURES:
        return NB_OK;
    case TABLE_REPORTS:
    default:
        return o->form == FORM_LONG ? write_long(o, r, err) : write_wide(o, r, err);
    }
}

/* A writer of its own over o's settings, into text: nothing of o
 * changes, so worker threads may use one each at once. */
static csv_out text_writer(const csv_out *o, csv_buf *text)
{
    return (csv_out){.host = o->host, .flat = o->flat, .form = o->form, .table = o->table,
                     .labels = o->labels, .bom = o->bom, .gb18030 = o->gb18030, .text = text};
}

/* The text of one report's records; NULL when something failed (write()
 * then says what). */
static char *csv_format(const void *inst, const nb_report *r)
{
    const csv_out *o = inst;
    csv_buf text = {0};
    csv_out w = text_writer(o, &text);
    nb_error e;
    nb_error_clear(&e);
    bool ok = csv_write(&w, r, &e) == NB_OK && (text.p || buf_put(&text, "", 0));
    free(w.line.p);
    if (!ok) {
        free(text.p);
        return NULL;
    }
    return text.p;
}

/* A wide row's identifying fields (source to warnings) as the record
 * writes them, counting r's first `upto` findings: NULL when out of
 * memory. */
static char *wide_head(const csv_out *o, const nb_report *r, size_t upto, size_t *len)
{
    csv_buf none = {0};
    csv_out w = text_writer(o, &none);
    char buf[64];
    bool ok = true;
    for (size_t i = 0; i < NBF_NID; i++)
        ok = ok && field(&w, nbf_id_value_upto(r, i, buf, sizeof buf, upto));
    char *head = ok ? w.line.p : NULL;
    *len = ok ? w.line.len : 0;
    if (!ok) {
        free(w.line.p);
    } else if (o->gb18030) { /* a character at a time: the head converts as the row's start */
        nb_error e;
        char *conv = NULL;
        if (nb_text_convert("UTF-8", "GB18030", head, *len, &conv, len, &e) != NB_OK)
            conv = NULL;
        free(head);
        head = conv;
    }
    return head;
}

/* A wide row counts errors and warnings in its identifying fields: they
 * are made again, with the earlier findings and with all of them, and the
 * first replaced when the row starts with it (NULL otherwise: write()). */
static char *amend_wide(const csv_out *o, const nb_report *r, const char *text, size_t from)
{
    size_t wl, nl, len = strlen(text);
    char *was = wide_head(o, r, from, &wl), *now = was ? wide_head(o, r, SIZE_MAX, &nl) : NULL;
    char *out = NULL;
    if (now && wl < len && memcmp(text, was, wl) == 0 && (text[wl] == ',' || text[wl] == '\r') &&
        (out = malloc(nl + len - wl + 1))) {
        memcpy(out, now, nl);
        memcpy(out + nl, text + wl, len - wl + 1);
    }
    free(was);
    free(now);
    return out;
}

/* Findings added after csv_format: a wide row gets its counts again
 * (amend_wide), the long form's rows stay as they were, and the
 * diagnostics table's text, only the report's findings, is made afresh. */
static char *csv_amend(const void *inst, const nb_report *r, const char *text, size_t from)
{
    const csv_out *o = inst;
    if (o->table != TABLE_REPORTS)
        return csv_format(inst, r);
    if (o->form != FORM_LONG)
        return amend_wide(o, r, text, from);
    return strdup(text);
}

static nb_status csv_write_text(void *inst, const nb_report *r, char *text, nb_error *err)
{
    (void)r;
    nb_status st = put_bytes(inst, text, strlen(text), err);
    nb_free(text);
    return st;
}

static nb_status csv_failure(void *inst, const nb_failure *f, nb_error *err)
{
    csv_out *o = inst;
    if (o->table != TABLE_FAILURES)
        return NB_OK;
    bool ok = field(o, nb_failure_source(f)) &&
              field(o, nb_failure_skipped(f) ? "skipped" : "failed") && field(o, nb_failure_reason(f));
    return ok ? end_record(o, err) : oom(err);
}

static nb_status csv_end(void *inst, const nb_summary *s, nb_error *err)
{
    csv_out *o = inst;
    if (o->table == TABLE_DIAGNOSTICS && s) {
        for (size_t i = 0; i < nb_summary_run_diag_count(s); i++) {
            nb_status st = diag_row(o, NULL, nb_summary_run_diag_source(s, i),
                                    nb_summary_run_diag_at(s, i), err);
            if (st != NB_OK)
                return st;
        }
    }
    if (fflush(o->fp) != 0 || ferror(o->fp)) {
        nb_error_set(err, NB_E_IO, PLUGIN_NAME, "cannot write the output: %s", strerror(errno));
        return NB_FATAL;
    }
    return NB_OK;
}

static const char *const csv_extensions[] = {".csv", NULL};

static const nb_plugin csv_plugin = {
    .abi_version = NB_ABI_VERSION,
    .struct_size = sizeof(nb_plugin),
    .name = PLUGIN_NAME,
    .version = "1.0.0",
    .description = "CSV (RFC 4180): wide or long form, UTF-8/BOM/GB18030, diagnostics",
    .kind = NB_PLUGIN_OUTPUT,
    .caps = NB_CAP_NO_SOURCE_HASH,
    .extensions = csv_extensions,
    .options = csv_options,
    .create = csv_create,
    .destroy = csv_destroy,
    .begin = csv_begin,
    .write = csv_write,
    .failure = csv_failure,
    .end = csv_end,
    .format = csv_format,
    .write_text = csv_write_text,
    .amend = csv_amend,
};

NB_PLUGIN_EXPORT const nb_plugin *nb_plugin_entry(uint32_t host_abi);
NB_PLUGIN_EXPORT const nb_plugin *nb_plugin_entry(uint32_t host_abi)
{
    (void)host_abi;
    return &csv_plugin;
}
