/* run_read.c - from a stream to reports: choosing the reader (-f, then
 * the extension, then the content probe), driving it, recognising its
 * documents, and opening containers member by member within the limits. */
#include "run_isolate.h"
#include "detect.h"
#include "nianbao/recognise.h"
#include "report_internal.h"
#include "util.h"
#include <stdlib.h>
#include <string.h>

#define PROBE_MIN 30 /* bids below this are guesses, not detection */

/* Whether d is a finding of one of the rules, which validation makes anew. */
static bool not_a_rule(const nb_diag *d, const void *ctx)
{
    const nb_ruleset *rs = ctx;
    for (size_t i = 0, n = nb_ruleset_count(rs); i < n; i++)
        if (strcmp(nb_ruleset_rule_id(rs, i), d->rule) == 0)
            return false;
    return true;
}

/* A report read back (JSON, NDJSON) is validated again, so that its
 * findings match the rules in force: the rules' findings go, to be made
 * anew; the reading's own (PARSE-GLUED and the like, which only the
 * recogniser that read the text could make) stay, so a chain of
 * conversions keeps them. */
static void drop_rule_diags(const nb_run *run, nb_report *r)
{
    nb_report_filter_diags(r, not_a_rule, nb_context_rules(run->ctx));
}

static nb_status handle_doc(nb_run *run, nb_doc *doc, nb_stream *s, const char *name,
                            const nb_plugin *p, nb_error *err)
{
    if (nb_run_jobs(run))
        return nb_jobs_doc(run->jobs, doc, s, name, p->name, err);
    nb_error e;
    nb_error_clear(&e);
    nb_report *r = nb_recognise_all(nb_context_templates(run->ctx), doc, &e);
    if (!r) {
        nb_status st = nb_run_record_failure(run, name, false, e.text, err);
        nb_doc_free(doc);
        return st;
    }
    char sha256[65];
    nb_stream_sha256(s, sha256);
    bool named = nb_run_set_source(r, name, p->name, doc->encoding, nb_stream_consumed(s), sha256);
    nb_doc_free(doc);
    if (!named) {
        nb_report_free(r);
        nb_error_set(err, NB_E_INTERNAL, name, "out of memory");
        return NB_FATAL;
    }
    return nb_run_hand_on(run, r, nb_run_deliver, err); /* the text's reports, in order */
}

/* Readers ------------------------------------------------------------------ */

typedef struct container {
    const char *name;
    int depth;
    uint64_t expanded;   /* bytes read from all members */
    uint64_t packed;     /* size of the container, 0 unknown */
    uint64_t members;
} container;

/* Name of an item a plain reader (ndjson) failed or forwarded: its own
 * "STREAM:LINE" names are re-rooted on the full name of what it reads (an
 * archive member knows only its own name); forwarded sources stay. */
static char *reader_item_name(const container *ct, const nb_stream *s, const char *item)
{
    const char *own = nb_stream_name(s);
    size_t n = own ? strlen(own) : 0;
    if (n && strncmp(item, own, n) == 0 && item[n] == ':' && strcmp(own, ct->name) != 0)
        return nb_strfmt("%s%s", ct->name, item + n);
    return nb_strdup(item);
}

static nb_status handle_member(nb_run *run, container *ct, const nb_stream *s, nb_item *it,
                               bool container_plugin, nb_error *err)
{
    /* A container's members are named inside it; a reader that forwards
     * failures it read (ndjson) already has their full source. */
    bool forwarded = !container_plugin && it->kind != NB_ITEM_MEMBER && it->name;
    char *name = forwarded ? reader_item_name(ct, s, it->name)
                           : nb_strcat3(ct->name, "!/", it->name ? it->name : "?");
    nb_status st = NB_OK;
    if (!name) {
        nb_error_set(err, NB_E_INTERNAL, ct->name, "out of memory");
        return NB_FATAL;
    }
    if (++ct->members > run->lim.max_members) {
        /* every entry counts, junk too: millions of empty entries are an attack as well */
        st = nb_run_record_failure(run, name, false, "too many members in one archive", err);
        if (st == NB_OK)
            st = NB_FAILED; /* stop reading this container */
    } else if (it->kind == NB_ITEM_SKIP || it->kind == NB_ITEM_FAIL) {
        st = nb_run_record_failure(run, name, it->kind == NB_ITEM_SKIP, it->reason ? it->reason : "", err);
    } else if (ct->depth + 1 > run->lim.max_depth) {
        char *why = nb_strfmt("archives nested deeper than %d levels", run->lim.max_depth);
        st = nb_run_record_failure(run, name, false, why ? why : "nested too deep", err);
        free(why);
    } else {
        nb_stream_set_limit(it->member, run->lim.max_member_bytes, &ct->expanded,
                            run->lim.max_total_bytes, "member larger than the size limit");
        nb_stream_set_ratio(it->member, ct->packed, run->lim.max_ratio);
        /* its reader knows it only by its name in the archive */
        if (!nb_stream_rename(it->member, name)) {
            free(name);
            nb_error_set(err, NB_E_INTERNAL, ct->name, "out of memory");
            return NB_FATAL;
        }
        st = nb_run_process_stream(run, it->member, name, ct->depth + 1, false, err);
        if (st == NB_OK && ct->packed && ct->expanded / ct->packed > run->lim.max_ratio) {
            /* the member's reads stopped at the guard; say why the rest is lost */
            char *why = nb_strfmt("expands more than %llu times its size (zip bomb?); rest not read",
                                  (unsigned long long)run->lim.max_ratio);
            st = nb_run_record_failure(run, ct->name, false, why ? why : "expansion limit", err);
            free(why);
            if (st == NB_OK)
                st = NB_FAILED;
        }
    }
    free(name);
    return st;
}

/* What is wrong with an item a plugin handed out, NULL when it is whole:
 * a plugin's bug must be a failure of its input, not a crash of the run. */
static const char *malformed(const nb_item *it)
{
    switch (it->kind) {
    case NB_ITEM_DOC: return it->doc ? NULL : "a document item without a document";
    case NB_ITEM_REPORT: return it->report ? NULL : "a report item without a report";
    case NB_ITEM_MEMBER: return it->member ? NULL : "a member item without a stream";
    case NB_ITEM_SKIP: case NB_ITEM_FAIL: return NULL;
    default: return "an item of unknown kind";
    }
}

static nb_status reader_bug(nb_run *run, const nb_plugin *p, const char *name, const char *what,
                            nb_error *err)
{
    char *why = nb_strfmt("plugin %s gave %s; the rest of this input is not read", p->name, what);
    nb_status st = nb_run_record_failure(run, name, false, why ? why : what, err);
    free(why);
    return st;
}

/* Drives one input plugin over a stream until it is exhausted. */
nb_status nb_run_read_with(nb_run *run, const nb_plugin *p, nb_stream *s, const char *name, int depth,
                           nb_error *err)
{
    void *inst = NULL;
    nb_error e;
    nb_error_clear(&e);
    /* Where a stream meets its reader, on the reading thread or a worker:
     * before its first byte is delivered (a peek hashes nothing), so an
     * output that never prints the hash never pays for it. */
    if (!run->hash_sources)
        nb_stream_skip_hash(s);
    if ((p->caps & NB_CAP_NEEDS_SEEK) && !nb_stream_path(s)) {
        nb_status st = nb_stream_spool(s, nb_context_tmpdir(run->ctx), run->lim.max_total_bytes, &e);
        if (st != NB_OK)
            return st == NB_FATAL ? (*err = e, NB_FATAL) : nb_run_record_failure(run, name, false, e.text, err);
    }
    nb_options *opts = nb_run_input_options(run, p, &e);
    nb_run_host_init(run); /* the context's host as it is now */
    if (!opts || p->create(&run->host, opts, &inst, &e) != NB_OK) {
        if (opts && e.cls == NB_E_USAGE) { /* a -I value it refuses: so would every input it reads */
            nb_options_free(opts);
            *err = e;
            return NB_FATAL;
        }
        char *why = nb_strfmt("plugin %s failed to initialise: %s", p->name, e.text);
        nb_status st = nb_run_record_failure(run, name, false, why ? why : e.text, err);
        free(why);
        nb_options_free(opts);
        return st;
    }
    nb_iso_note_start(run, depth, p->name, name);
    container ct = {name, depth, 0, 0, 0};
    if (nb_stream_size_hint(s) > 0)
        ct.packed = (uint64_t)nb_stream_size_hint(s);
    nb_status st = nb_run_plugin_status(run, p->name, name, p->open(inst, s, &e), &e);
    nb_status out = NB_OK;
    bool produced = false;
    while (st == NB_OK && out == NB_OK) {
        nb_item it = {0};
        nb_error_clear(&e);
        st = nb_run_plugin_status(run, p->name, name, p->next(inst, &it, &e), &e);
        if (st != NB_OK)
            break;
        produced = true;
        if (nb_iso_skip_item(run, depth, &it)) { /* handled by an earlier child */
            ct.members++;
            continue;
        }
        const char *bad = malformed(&it);
        if (!bad && run->rec && it.kind == NB_ITEM_MEMBER) /* members are opened on the run's thread */
            bad = "a member item, which a reentrant reader may not give";
        if (bad) {
            out = reader_bug(run, p, name, bad, err);
            st = NB_EOF; /* a reader that broke its contract is not asked again */
            break;
        }
        if (it.kind == NB_ITEM_DOC)
            out = handle_doc(run, it.doc, s, name, p, err);
        else if (it.kind == NB_ITEM_REPORT) {
            if (!it.report->source.path)
                nb_set_str(&it.report->source.path, name);
            if (run->cfg.validate)
                drop_rule_diags(run, it.report);
            out = nb_run_deliver(run, it.report, err);
        } else
            out = handle_member(run, &ct, s, &it, (p->caps & NB_CAP_CONTAINER) != 0, err);
        nb_iso_note_item(run, depth);
    }
    if (out == NB_FAILED) /* a member asked to stop this container */
        out = NB_OK;
    if (out == NB_OK && st == NB_FATAL) { /* the reader says the run cannot go on */
        *err = e;
        if (!err->where[0])
            snprintf(err->where, sizeof err->where, "%s", name);
        out = NB_FATAL;
    } else if (out == NB_OK && st != NB_OK && st != NB_EOF) {
        /* the reader may name the member itself; do not say it twice */
        size_t nl = strlen(name), wl = strlen(e.where);
        bool same = !e.where[0] || strcmp(e.where, name) == 0 ||
                    (wl + 2 <= nl && strcmp(name + nl - wl, e.where) == 0 && name[nl - wl - 1] == '/' &&
                     name[nl - wl - 2] == '!');
        const char *where = same ? NULL : e.where;
        char *why = where ? nb_strfmt("%s: %s", where, e.text) : nb_strdup(e.text);
        out = nb_run_record_failure(run, name, false, why && *why ? why : "unreadable", err);
        free(why);
    } else if (out == NB_OK && !produced)
        out = nb_run_record_failure(run, name, true, "empty: nothing in it", err);
    p->destroy(inst);
    nb_options_free(opts);
    return out;
}

/* -f applies to what the user named and to the files of named folders;
 * archive members (depth > 0) are always detected one by one.  Content
 * comes before the name: an office package is never an archive, a PDF is
 * a PDF whatever it is called.  A kind with no reader loaded comes back as
 * *route, whose reason says why. */
static const nb_plugin_info *choose_reader(nb_run *run, nb_stream *s, const char *name, int depth,
                                           nb_error *err, bool *empty, const nb_kind_route **route)
{
    *empty = false;
    *route = NULL;
    if (depth == 0 && run->cfg.from)
        return nb_context_find_plugin(run->ctx, NB_PLUGIN_INPUT, run->cfg.from);
    const char *base = strrchr(name, '/');
    base = base ? base + 1 : name;
    const unsigned char *head = NULL;
    ssize_t n = nb_stream_peek(s, &head, 4096, err);
    if (n < 0)
        return NULL;
    *empty = n == 0;
    nb_kind kind = nb_detect_kind(head, (size_t)n, base);
    if (kind != NB_KIND_OTHER) {
        const nb_kind_route *r = nb_kind_route_of(kind);
        const nb_plugin_info *pi =
            r->plugin ? nb_context_find_plugin(run->ctx, NB_PLUGIN_INPUT, r->plugin) : NULL;
        if (!pi)
            *route = r;
        return pi;
    }
    const nb_plugin_info *pi = nb_context_plugin_for_name(run->ctx, NB_PLUGIN_INPUT, base);
    if (pi || n == 0)
        return pi;
    int score = 0;
    pi = nb_run_probe(run->ctx, head, (size_t)n, &score);
    return score >= PROBE_MIN ? pi : NULL;
}

static nb_status process_stream(nb_run *run, nb_stream *s, const char *name, int depth, bool top,
                                nb_error *err);

/* In an isolated child the parent is told which stream is being read, so
 * that it can name it if the child dies. */
nb_status nb_run_process_stream(nb_run *run, nb_stream *s, const char *name, int depth, bool top,
                                nb_error *err)
{
    nb_iso_note_start(run, depth, "", name);
    nb_status st = process_stream(run, s, name, depth, top, err);
    nb_iso_note_end(run, depth);
    return st;
}

static nb_status process_stream(nb_run *run, nb_stream *s, const char *name, int depth, bool top,
                                nb_error *err)
{
    nb_error e;
    nb_error_clear(&e);
    /* nothing at all is skipped whatever reader the name or -f points to */
    const unsigned char *head = NULL;
    ssize_t n = nb_stream_peek(s, &head, 1, &e);
    if (n < 0)
        return nb_run_record_failure(run, name, false, e.text, err);
    if (n == 0 && nb_stream_consumed(s) == 0)
        return nb_run_record_failure(run, name, true, "empty file", err);
    bool empty;
    const nb_kind_route *route;
    const nb_plugin_info *pi = choose_reader(run, s, name, depth, &e, &empty, &route);
    if (!pi) {
        if (depth == 0 && run->cfg.from) {
            nb_error_set(err, NB_E_USAGE, run->cfg.from, "unknown input format (see: nianbao plugins)");
            return NB_FATAL;
        }
        if (e.text[0])
            return nb_run_record_failure(run, name, false, e.text, err);
        if (route) /* reports not read are failures; other office files are skipped in bundles */
            return nb_run_record_failure(run, name, !route->report && !top, route->reason, err);
        if (empty)
            return nb_run_record_failure(run, name, true, "empty file", err);
        return nb_run_record_failure(run, name, !top,
                              top ? "unknown format: no reader recognises it (use -f FORMAT)"
                                  : "not a report: unsupported format",
                              err);
    }
    if (nb_jobs_can_read(run, pi->plugin, s) && nb_run_jobs(run) &&
        nb_jobs_has_room(run->jobs, nb_stream_size_hint(s)))
        return nb_jobs_read(run->jobs, pi->plugin, s, name, depth, err);
    return nb_run_read_with(run, pi->plugin, s, name, depth, err);
}

nb_status nb_run_stream(nb_run *run, nb_stream *s, const char *name, nb_error *err)
{
    return nb_run_process_stream(run, s, name, 0, true, err);
}

