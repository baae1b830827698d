/* access_plugin.c - the ABI 2 accessors of what the host hands a plugin:
 * host services, the item next() fills, failures and the summary. */
#include "plugin_internal.h"

const nb_templates *nb_host_templates(const nb_host *h) { return h ? h->templates : NULL; }
const char *nb_host_tmpdir(const nb_host *h) { return h ? h->tmpdir : NULL; }

void nb_host_log(const nb_host *h, const char *plugin, const char *msg)
{
    if (h && h->log && msg)
        h->log(h->ctx, plugin ? plugin : "", msg);
}

/* Items ------------------------------------------------------------------- */

static void item_set(nb_item *it, nb_item_kind kind, const char *name, const char *reason)
{
    *it = (nb_item){.kind = kind, .name = name, .reason = reason};
}

void nb_item_set_doc(nb_item *it, nb_doc *doc)
{
    if (!it)
        return;
    item_set(it, NB_ITEM_DOC, NULL, NULL);
    it->doc = doc;
}

void nb_item_set_report(nb_item *it, nb_report *r, const char *name)
{
    if (!it)
        return;
    item_set(it, NB_ITEM_REPORT, name, NULL);
    it->report = r;
}

void nb_item_set_member(nb_item *it, nb_stream *member, const char *name)
{
    if (!it)
        return;
    item_set(it, NB_ITEM_MEMBER, name, NULL);
    it->member = member;
}

void nb_item_set_skip(nb_item *it, const char *name, const char *reason)
{
    if (it)
        item_set(it, NB_ITEM_SKIP, name, reason);
}

void nb_item_set_fail(nb_item *it, const char *name, const char *reason)
{
    if (it)
        item_set(it, NB_ITEM_FAIL, name, reason);
}

/* Failures and the summary --------------------------------------------------- */

const char *nb_failure_source(const nb_failure *f) { return f ? f->source : NULL; }
bool nb_failure_skipped(const nb_failure *f) { return f && f->skipped; }
const char *nb_failure_reason(const nb_failure *f) { return f ? f->reason : NULL; }

size_t nb_summary_count(const nb_summary *s, nb_summary_counter which)
{
    if (!s)
        return 0;
    switch (which) {
    case NB_SUM_CONVERTED: return s->converted;
    case NB_SUM_SKIPPED: return s->skipped;
    case NB_SUM_FAILED: return s->failed;
    case NB_SUM_WITH_ERRORS: return s->with_errors;
    case NB_SUM_WITH_WARNINGS: return s->with_warnings;
    }
    return 0;
}

size_t nb_summary_run_diag_count(const nb_summary *s) { return s ? s->nrun_diags : 0; }

const nb_diag *nb_summary_run_diag_at(const nb_summary *s, size_t i)
{
    return s && i < s->nrun_diags ? &s->run_diags[i] : NULL;
}

const char *nb_summary_run_diag_source(const nb_summary *s, size_t i)
{
    return s && i < s->nrun_diags && s->run_diag_sources ? s->run_diag_sources[i] : NULL;
}
