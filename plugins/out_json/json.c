/* json.c - the json (one array) and ndjson (one report per line) outputs.
 * Built twice from this file: NB_JSON_LINES selects the ndjson flavour.
 * Skipped and failed inputs are written as nianbao.failure/1 records so
 * the output accounts for every input (option failures=false drops them),
 * and the run's own findings (cross-year checks on a report written
 * earlier) as nianbao.finding/1 records at the end (findings=false). */
#include "nianbao/plugin.h"
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <sys/stat.h>
#include <unistd.h>

#ifdef NB_JSON_LINES
#define FMT_NAME "ndjson"
#define FMT_DESC "One report per line (JSON Lines): the pipe format"
static const char *const exts[] = {".ndjson", ".jsonl", NULL};
#else
#define FMT_NAME "json"
#define FMT_DESC "JSON: one report as an object, several as an array"
static const char *const exts[] = {".json", NULL};
#endif

static const nb_option_def options[] = {
    {"provenance", NB_OPT_BOOL, "false", "add raw token, status, line and cell of every value"},
    {"sections", NB_OPT_BOOL, "true", "include the narrative text of the six sections"},
    {"failures", NB_OPT_BOOL, "true", "write skipped/failed inputs as nianbao.failure/1 records"},
    {"findings", NB_OPT_BOOL, "true",
     "write the run's findings (cross-year checks on earlier reports) as nianbao.finding/1 records"},
    {0}};

typedef struct out_json {
    FILE *fp;
    unsigned flags;
    bool failures, findings;
    size_t n;        /* records written */
    bool streaming;  /* to a pipe, socket or terminal: flushed per record */
    char *first;     /* json only: held back until we know whether to wrap in an array */
} out_json;

static nb_status oj_create(const nb_host *h, const nb_options *o, void **inst, nb_error *err)
{
    (void)h;
    out_json *j = calloc(1, sizeof *j);
    if (!j) {
        nb_error_set(err, NB_E_INTERNAL, FMT_NAME, "out of memory");
        return NB_FATAL;
    }
    j->flags = (nb_options_get_bool(o, "provenance") ? NB_JSON_PROVENANCE : 0) |
               (nb_options_get_bool(o, "sections") ? 0 : NB_JSON_NO_SECTIONS);
#ifdef NB_JSON_LINES
    j->flags |= NB_JSON_COMPACT;
#endif
    j->failures = nb_options_get_bool(o, "failures");
    j->findings = nb_options_get_bool(o, "findings");
    *inst = j;
    return NB_OK;
}

static void oj_destroy(void *inst)
{
    out_json *j = inst;
    if (j)
        nb_free(j->first);
    free(j);
}

/* Whether a reader may be waiting for each record as it comes: a pipe, a
 * socket or a terminal.  A file (a temp file renamed at the end, or
 * stdout redirected to one) and /dev/null take the sink's large blocks:
 * a write call per report cost as much as a small report's formatting. */
static bool live_reader(FILE *fp)
{
    struct stat st;
    int fd = fp ? fileno(fp) : -1;
    if (fd < 0 || fstat(fd, &st) != 0)
        return true; /* unknown: as before, per record */
    return S_ISFIFO(st.st_mode) || S_ISSOCK(st.st_mode) || isatty(fd);
}

static nb_status oj_begin(void *inst, nb_sink *out, nb_error *err)
{
    (void)err;
    out_json *j = inst;
    j->fp = nb_sink_file(out);
    j->streaming = nb_sink_path(out) == NULL && live_reader(j->fp);
    return NB_OK;
}

/* Writes the record text, then frees it; false on a write error. */
static bool dump(out_json *j, char *rec)
{
    bool ok = fputs(rec, j->fp) != EOF;
    nb_free(rec);
    return ok;
}

static nb_status put(out_json *j, char *rec, nb_error *err)
{
    if (!rec) {
        nb_error_set(err, NB_E_INTERNAL, FMT_NAME, "out of memory");
        return NB_FATAL;
    }
    int rc = 0;
#ifdef NB_JSON_LINES
    rc = dump(j, rec) && fputc('\n', j->fp) != EOF ? 0 : -1;
#else
    /* A lone report is an object, several are an array: hold the first. */
    if (j->n == 0) {
        j->first = rec;
        j->n++;
        return NB_OK;
    }
    if (j->first) {
        fputs("[\n", j->fp);
        rc = dump(j, j->first) ? 0 : -1;
        j->first = NULL;
    }
    if (rc == 0 && fputs(",\n", j->fp) != EOF)
        rc = dump(j, rec) ? 0 : -1;
    else
        nb_free(rec);
#endif
    j->n++;
    if (rc != 0 || ferror(j->fp)) {
        nb_error_set(err, NB_E_IO, FMT_NAME, "write error: %s", strerror(errno));
        return NB_FATAL;
    }
    /* Flush per record so a pipe consumer sees reports as they come (a
     * temp file has no reader before it is renamed). */
    if (j->streaming)
        fflush(j->fp);
    return NB_OK;
}

/* The record text alone: reads only the flags set at create, so worker
 * threads may call it at once (-j N). */
static char *oj_format(const void *inst, const nb_report *r)
{
    const out_json *j = inst;
    return nb_report_to_json_text(r, j->flags);
}

/* Findings added after oj_format: its text with the diagnostics' end
 * made again (nb_report_json_amend). */
static char *oj_amend(const void *inst, const nb_report *r, const char *text, size_t from)
{
    const out_json *j = inst;
    return nb_report_json_amend(r, j->flags, text, from);
}

static nb_status oj_write(void *inst, const nb_report *r, nb_error *err)
{
    return put(inst, oj_format(inst, r), err);
}

static nb_status oj_write_text(void *inst, const nb_report *r, char *text, nb_error *err)
{
    (void)r;
    return put(inst, text, err);
}

static nb_status oj_failure(void *inst, const nb_failure *f, nb_error *err)
{
    out_json *j = inst;
    return j->failures ? put(j, nb_failure_to_json_text(f, j->flags), err) : NB_OK;
}

static nb_status oj_end(void *inst, const nb_summary *s, nb_error *err)
{
    out_json *j = inst;
    for (size_t i = 0; j->findings && i < nb_summary_run_diag_count(s); i++) {
        nb_status st = put(j, nb_finding_to_json_text(nb_summary_run_diag_source(s, i),
                                                      nb_summary_run_diag_at(s, i), j->flags), err);
        if (st != NB_OK)
            return st;
    }
    int rc = 0;
#ifndef NB_JSON_LINES
    if (j->first) {
        rc = dump(j, j->first) && fputc('\n', j->fp) != EOF ? 0 : -1;
        j->first = NULL;
    } else
        rc = fputs(j->n ? "\n]\n" : "[]\n", j->fp) == EOF;
#endif
    if (rc != 0 || ferror(j->fp)) {
        nb_error_set(err, NB_E_IO, FMT_NAME, "write error: %s", strerror(errno));
        return NB_FATAL;
    }
    return NB_OK;
}

static const nb_plugin plugin = {
    .abi_version = NB_ABI_VERSION,
    .struct_size = sizeof(nb_plugin),
    .name = FMT_NAME,
    .version = "1.0",
    .description = FMT_DESC,
    .kind = NB_PLUGIN_OUTPUT,
    .extensions = exts,
    .options = options,
    .create = oj_create,
    .destroy = oj_destroy,
    .begin = oj_begin,
    .write = oj_write,
    .failure = oj_failure,
    .end = oj_end,
    .format = oj_format,
    .write_text = oj_write_text,
    .amend = oj_amend,
};

NB_PLUGIN_EXPORT const nb_plugin *nb_plugin_entry(uint32_t host_abi)
{
    (void)host_abi;
    return &plugin;
}
