/* plugin.h - the plugin ABI.  The only header a third-party plugin needs
 * besides the ones it includes (report.h, doc.h, stream.h).
 *
 * A plugin is a shared object named nianbao-<in|out>-<name>.so exporting one
 * symbol, nb_plugin_entry, which returns a const descriptor.  The host checks
 *   - abi_version: same major as the host, minor <= the host's;
 *   - struct_size: the host reads only min(struct_size, sizeof) bytes, so
 *     fields are append-only within a major version.
 * Build with -fvisibility=hidden and NB_PLUGIN_EXPORT on the entry only.
 *
 * Versioning policy (docs/plugin-abi.md): adding a field at the end of a
 * struct or a new function to the core library bumps the minor; anything
 * else bumps the major. */
#ifndef NIANBAO_PLUGIN_H
#define NIANBAO_PLUGIN_H

#include <stdint.h>
#include <stddef.h>
#include <stdbool.h>
#include "nianbao/version.h"
#include "status.h"
#include "template.h"
#include "report.h"
#include "doc.h"
#include "stream.h"

#ifdef __cplusplus
extern "C" {
#endif

/* NB_ABI_MAJOR, NB_ABI_MINOR, NB_ABI_VERSION: see version.h (generated). */
#define NB_PLUGIN_ENTRY_SYMBOL "nb_plugin_entry"
#define NB_PLUGIN_EXPORT __attribute__((visibility("default")))

typedef enum nb_plugin_kind { NB_PLUGIN_INPUT = 1, NB_PLUGIN_OUTPUT = 2 } nb_plugin_kind;

enum {
    NB_CAP_NEEDS_SEEK = 1u << 0, /* input: core spools non-seekable streams to a temp file */
    NB_CAP_CONTAINER  = 1u << 1, /* input: yields members for other plugins (archives) */
    NB_CAP_BINARY     = 1u << 2, /* output: refused on a terminal unless -o - */
    NB_CAP_NEEDS_PATH = 1u << 3, /* output: writes a file by name (nb_sink_path) */
    NB_CAP_MULTI      = 1u << 4, /* input: one stream may hold many reports */
    NB_CAP_REENTRANT  = 1u << 5, /* input: instances share no mutable state and give no
                                    members, so -j N may read inputs on worker threads */
    NB_CAP_NO_SOURCE_HASH = 1u << 6 /* output (ABI 2.3): never reads nb_report_source_sha256,
                                    so a run without an on_report callback skips hashing */
};

/* Options ------------------------------------------------------------
 * A plugin declares its options; the core rejects unknown keys (listing the
 * valid ones) and type-checks values before create() sees them. */
typedef enum nb_option_type { NB_OPT_STRING = 0, NB_OPT_BOOL, NB_OPT_INT } nb_option_type;

typedef struct nb_option_def {
    const char *name;
    nb_option_type type;
    const char *default_value; /* may be NULL */
    const char *help;
} nb_option_def;                /* arrays end with a {0} entry */

typedef struct nb_options nb_options;
NB_API const char *nb_options_get(const nb_options *o, const char *name); /* value or default */
NB_API bool nb_options_get_bool(const nb_options *o, const char *name);
NB_API long nb_options_get_int(const nb_options *o, const char *name);

/* Host services passed to create(): read with nb_host_*() below. */
typedef struct nb_host nb_host;

/* Inputs: open() takes a stream, then next() yields items until NB_EOF. */
typedef enum nb_item_kind {
    NB_ITEM_DOC = 1,  /* a text document for the recogniser (doc owned by the host after) */
    NB_ITEM_REPORT,   /* a finished report (json input); owned by the host after */
    NB_ITEM_MEMBER,   /* a member stream for another plugin; borrowed until next() */
    NB_ITEM_SKIP,     /* a member that is not a report (name + reason) */
    NB_ITEM_FAIL      /* a member that is a report but could not be read */
} nb_item_kind;

/* What next() fills: set with nb_item_set_*() below. */
typedef struct nb_item nb_item;

#define NB_FAILURE_SCHEMA "nianbao.failure/1"
#define NB_FINDING_SCHEMA "nianbao.finding/1"

/* Outputs see reports, failures and the closing summary. */
typedef struct nb_failure nb_failure; /* read with nb_failure_*() below */
typedef struct nb_summary nb_summary; /* read with nb_summary_*() below */

typedef struct nb_plugin {
    uint32_t abi_version;          /* NB_ABI_VERSION */
    uint32_t struct_size;          /* sizeof(nb_plugin) */
    const char *name;              /* format name used with -f / -t: "txt" */
    const char *version;
    const char *description;
    nb_plugin_kind kind;
    uint32_t caps;                 /* NB_CAP_* */
    const char *const *extensions; /* NULL-terminated, lower case, with dot: ".md" */
    const nb_option_def *options;  /* {0}-terminated, may be NULL */

    /* 0..100: how sure the plugin is that these leading bytes are its format. */
    int (*probe)(const unsigned char *head, size_t len);
    nb_status (*create)(const nb_host *host, const nb_options *opts, void **inst, nb_error *err);
    void (*destroy)(void *inst);

    /* inputs */
    nb_status (*open)(void *inst, nb_stream *in, nb_error *err);
    nb_status (*next)(void *inst, nb_item *item, nb_error *err);

    /* outputs: begin once, write per report (borrowed), failure per lost
     * input, end once.  Return NB_FATAL to abort the run. */
    nb_status (*begin)(void *inst, nb_sink *out, nb_error *err);
    nb_status (*write)(void *inst, const nb_report *r, nb_error *err);
    nb_status (*failure)(void *inst, const nb_failure *f, nb_error *err);
    nb_status (*end)(void *inst, const nb_summary *s, nb_error *err);

    /* Since ABI 2.2, optional, outputs (both or neither).  format makes the
     * text of one report; with -j N the host calls it on worker threads,
     * several at once, so it may read inst's settings but must change
     * nothing.  write_text then writes such a text, in input order, in place
     * of write(); it owns the text (free it with nb_free).  A report that
     * changed after format (cross-year findings) goes to write() instead. */
    char *(*format)(const void *inst, const nb_report *r);
    nb_status (*write_text)(void *inst, const nb_report *r, char *text, nb_error *err);

    /* Since ABI 2.6, optional, outputs with format.  A report formatted on
     * a worker may gain findings afterwards, on the writing thread (the
     * cross-year checks, in input order); amend gets the text format made
     * when the report had only its first `from` diagnostics (the new ones
     * follow them) and returns the text format would make now, or NULL to
     * have the report written with write().  The caller keeps `text`. */
    char *(*amend)(const void *inst, const nb_report *r, const char *text, size_t from);
} nb_plugin;

typedef const nb_plugin *(*nb_plugin_entry_fn)(uint32_t host_abi);

/* ====================================================================
 * Accessors (ABI 2) for what the host hands a plugin.  A plugin uses these
 * instead of the struct fields above, which will leave this header.
 * NULL handles give NULL / 0 / false; strings are borrowed for the call.
 * ==================================================================== */

/* Host services (valid from create() until destroy()). */
NB_API const nb_templates *nb_host_templates(const nb_host *h);
NB_API const char *nb_host_tmpdir(const nb_host *h);
/* A diagnostic line for the user (stderr), prefixed with the plugin name. */
NB_API void nb_host_log(const nb_host *h, const char *plugin, const char *msg);

/* What next() hands back: call exactly one of these per NB_OK.  Documents
 * and reports become the host's; streams, names and reasons stay the
 * plugin's and must stay valid until the next call of next() or destroy(). */
NB_API void nb_item_set_doc(nb_item *it, nb_doc *doc);
NB_API void nb_item_set_report(nb_item *it, nb_report *r, const char *name);
NB_API void nb_item_set_member(nb_item *it, nb_stream *member, const char *name);
NB_API void nb_item_set_skip(nb_item *it, const char *name, const char *reason);
NB_API void nb_item_set_fail(nb_item *it, const char *name, const char *reason);

/* A lost input, as given to an output's failure(). */
NB_API const char *nb_failure_source(const nb_failure *f); /* "bundle.zip!/x.png" */
NB_API bool nb_failure_skipped(const nb_failure *f);       /* not a report (else failed) */
NB_API const char *nb_failure_reason(const nb_failure *f);
/* The nianbao.failure/1 JSON record (NB_JSON_COMPACT honoured); free with nb_free. */
NB_API char *nb_failure_to_json_text(const nb_failure *f, unsigned flags);

/* The closing summary given to an output's end().  Counters the host does
 * not know (a newer header's) read as 0. */
typedef enum nb_summary_counter {
    NB_SUM_CONVERTED = 0, NB_SUM_SKIPPED, NB_SUM_FAILED, NB_SUM_WITH_ERRORS, NB_SUM_WITH_WARNINGS
} nb_summary_counter;
NB_API size_t nb_summary_count(const nb_summary *s, nb_summary_counter which);
/* Findings that involve several reports (cross-year checks), with the
 * source path of the report each concerns. */
NB_API size_t nb_summary_run_diag_count(const nb_summary *s);
NB_API const nb_diag *nb_summary_run_diag_at(const nb_summary *s, size_t i);
NB_API const char *nb_summary_run_diag_source(const nb_summary *s, size_t i);
/* (2.4) Such a finding as a nianbao.finding/1 JSON record: "schema",
 * "source" (the report it concerns), then the members of a report's
 * diagnostic (NB_JSON_COMPACT honoured); free with nb_free. */
NB_API char *nb_finding_to_json_text(const char *source, const nb_diag *d, unsigned flags);

#ifdef __cplusplus
}
#endif
#endif
