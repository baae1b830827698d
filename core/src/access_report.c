/* access_report.c - the ABI 2 accessors of reports: metadata, sources,
 * sections, values by key path, diagnostics and facts.  Tables, rows and
 * cells are in access_table.c.  Every function tolerates NULL handles. */
#include "model_internal.h"
#include "util.h"
#include <stdlib.h>
#include <string.h>

#define NB_NSECTIONS 6

const nb_templates *nb_report_templates(const nb_report *r) { return r ? r->templates : NULL; }
const char *nb_report_agency(const nb_report *r) { return r ? r->agency : NULL; }
const char *nb_report_title(const nb_report *r) { return r ? r->title : NULL; }
const char *nb_report_published(const nb_report *r) { return r ? r->published : NULL; }
int nb_report_year(const nb_report *r) { return r ? r->year : 0; }
const char *nb_report_template_id(const nb_report *r) { return r ? r->template_id : NULL; }

void nb_report_set_agency(nb_report *r, const char *agency)
{
    if (r)
        nb_set_str(&r->agency, agency);
}

void nb_report_set_title(nb_report *r, const char *title)
{
    if (r)
        nb_set_str(&r->title, title);
}

void nb_report_set_published(nb_report *r, const char *date)
{
    if (r)
        nb_set_str(&r->published, date);
}

void nb_report_set_year(nb_report *r, int year)
{
    if (r)
        r->year = year;
}

/* Sources ---------------------------------------------------------------- */

const char *nb_report_source_path(const nb_report *r) { return r ? r->source.path : NULL; }
const char *nb_report_source_format(const nb_report *r) { return r ? r->source.format : NULL; }
const char *nb_report_source_encoding(const nb_report *r) { return r ? r->source.encoding : NULL; }
uint64_t nb_report_source_bytes(const nb_report *r) { return r ? r->source.bytes : 0; }
const char *nb_report_source_sha256(const nb_report *r) { return r ? r->source.sha256 : ""; }

static bool is_sha256_hex(const char *s)
{
    size_t n = strlen(s);
    return n == 64 && strspn(s, "0123456789abcdefABCDEF") == n;
}

void nb_report_set_source(nb_report *r, const char *path, const char *format,
                          const char *encoding, uint64_t bytes, const char *sha256)
{
    if (!r)
        return;
    if (path)
        nb_set_str(&r->source.path, path);
    if (format)
        nb_set_str(&r->source.format, format);
    if (encoding)
        nb_set_str(&r->source.encoding, encoding);
    r->source.bytes = bytes;
    if (sha256)
        memcpy(r->source.sha256, is_sha256_hex(sha256) ? sha256 : "", is_sha256_hex(sha256) ? 65 : 1);
}

/* Sections --------------------------------------------------------------- */

static const nb_section *section(const nb_report *r, int no)
{
    return r && no >= 1 && no <= NB_NSECTIONS ? &r->sections[no - 1] : NULL;
}

int nb_report_section_count(const nb_report *r) { return r ? NB_NSECTIONS : 0; }

const char *nb_report_section_title(const nb_report *r, int no)
{
    const nb_section *s = section(r, no);
    return s ? s->title : NULL;
}

const char *nb_report_section_text(const nb_report *r, int no)
{
    const nb_section *s = section(r, no);
    return s ? s->text : NULL;
}

int nb_report_section_line(const nb_report *r, int no)
{
    const nb_section *s = section(r, no);
    return s ? s->line : 0;
}

nb_status nb_report_set_section(nb_report *r, int no, const char *title, const char *text,
                                int line, nb_error *err)
{
    nb_section *s = (nb_section *)section(r, no);
    if (!s) {
        nb_error_set(err, NB_E_INTERNAL, NULL, "no section %d (sections are 1..%d)", no, NB_NSECTIONS);
        return NB_FAILED;
    }
    nb_set_str(&s->title, title);
    nb_set_str(&s->text, text);
    s->line = line;
    return NB_OK;
}

/* Values by key path ------------------------------------------------------ */

bool nb_report_get_num(const nb_report *r, const char *path, nb_num *out)
{
    return nb_cell_get_num(r && path ? nb_report_cell_c(r, path) : NULL, out);
}

static nb_cell *settable_cell(nb_report *r, const char *path, nb_error *err)
{
    nb_cell *c = r && path ? nb_report_cell(r, path) : NULL;
    if (!c)
        nb_error_set(err, NB_E_DATA, NULL, "%s is not a field of the table's variant",
                     path ? path : "(null)");
    return c;
}

nb_status nb_report_set_num(nb_report *r, const char *path, nb_cell_status st, nb_num v,
                            const char *raw, int line, int cell, nb_error *err)
{
    nb_cell *c = settable_cell(r, path, err);
    if (!c)
        return NB_FAILED;
    nb_cell_set(r, c, st, v, raw, line, cell);
    return NB_OK;
}

nb_status nb_report_set_unit(nb_report *r, const char *path, const char *unit, nb_error *err)
{
    nb_cell *c = settable_cell(r, path, err);
    if (!c)
        return NB_FAILED;
    nb_set_str(&c->text, unit);
    return NB_OK;
}

/* Diagnostics and facts ------------------------------------------------------ */

size_t nb_report_diag_count(const nb_report *r) { return r ? r->ndiags : 0; }

const nb_diag *nb_report_diag_at(const nb_report *r, size_t i)
{
    return r && i < r->ndiags ? &r->diags[i] : NULL;
}

const char *nb_diag_rule(const nb_diag *d) { return d ? d->rule : NULL; }
nb_severity nb_diag_severity(const nb_diag *d) { return d ? d->severity : NB_SEV_INFO; }
bool nb_diag_skipped(const nb_diag *d) { return d && d->skipped; }
const char *nb_diag_where(const nb_diag *d) { return d ? d->where : NULL; }
const char *nb_diag_expected(const nb_diag *d) { return d ? d->expected : NULL; }
const char *nb_diag_found(const nb_diag *d) { return d ? d->found : NULL; }
const char *nb_diag_message(const nb_diag *d) { return d ? d->message : NULL; }

size_t nb_report_fact_count(const nb_report *r) { return r ? r->nfacts : 0; }

const char *nb_report_fact_key(const nb_report *r, size_t i)
{
    return r && i < r->nfacts ? r->facts[i].key : NULL;
}

const char *nb_report_fact_value(const nb_report *r, size_t i)
{
    return r && i < r->nfacts ? r->facts[i].value : NULL;
}

void nb_free(void *p) { free(p); }
