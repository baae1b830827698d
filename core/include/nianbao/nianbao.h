/* nianbao.h - the library API used by the CLI: a context (templates, rules,
 * plugins) and a run (inputs -> recognise -> validate -> output). */
#ifndef NIANBAO_H
#define NIANBAO_H

#include <stdbool.h>
#include <stdint.h>
#include "nianbao/version.h"
#include "status.h"
#include "template.h"
#include "report.h"
#include "doc.h"
#include "stream.h"
#include "plugin.h"
#include "validate.h"

#ifdef __cplusplus
extern "C" {
#endif

/* NB_VERSION: version.h (generated from the project version). */
NB_API const char *nb_version(void);

typedef void (*nb_log_fn)(void *ctx, const char *plugin, const char *msg);

typedef struct nb_context_config {
    const char *formats_path;   /* ':'-list; NULL: NIANBAO_FORMATS_PATH, else default */
    const char *plugin_path;    /* extra ':'-list searched before the defaults */
    const char *pipelines_path; /* extra ':'-list for named pipelines */
    const char *tmpdir;         /* NULL: $TMPDIR or /tmp */
    nb_log_fn log; void *log_ctx;
} nb_context_config;

typedef struct nb_context nb_context;

typedef struct nb_plugin_info {
    const nb_plugin *plugin;
    const char *path;           /* file it was loaded from */
} nb_plugin_info;

typedef struct nb_load_problem {
    const char *path;
    const char *message;
} nb_load_problem;

NB_API nb_context *nb_context_new(const nb_context_config *cfg, nb_error *err);
NB_API void nb_context_free(nb_context *c);
NB_API const nb_templates *nb_context_templates(const nb_context *c);
NB_API const nb_ruleset *nb_context_rules(const nb_context *c);
NB_API const char *nb_context_formats_path(const nb_context *c);
NB_API const char *nb_context_pipelines_path(const nb_context *c);
NB_API const char *nb_context_tmpdir(const nb_context *c);
NB_API const nb_host *nb_context_host(const nb_context *c);

NB_API size_t nb_context_plugin_count(const nb_context *c);
NB_API const nb_plugin_info *nb_context_plugin(const nb_context *c, size_t i);
NB_API const nb_plugin_info *nb_context_find_plugin(const nb_context *c, nb_plugin_kind k,
                                                    const char *name);
/* By file extension (longest match, case-insensitive), NULL when none. */
NB_API const nb_plugin_info *nb_context_plugin_for_name(const nb_context *c, nb_plugin_kind k,
                                                        const char *filename);
/* Best content probe of input plugins; *score gets the bid (0 when none). */
NB_API const nb_plugin_info *nb_context_probe(const nb_context *c, const unsigned char *head,
                                              size_t len, int *score);
NB_API size_t nb_context_load_problems(const nb_context *c, const nb_load_problem **out);

/* Loads one plugin file (for tests and --plugin FILE): distinct messages for
 * cannot open, no entry point, ABI mismatch, bad descriptor. */
NB_API nb_status nb_context_load_plugin(nb_context *c, const char *path, nb_error *err);

/* Options --------------------------------------------------------------- */
NB_API nb_options *nb_options_new(const nb_option_def *defs);
NB_API void nb_options_free(nb_options *o);
/* "key=value"; unknown key or bad type -> NB_FAILED with the valid keys listed. */
NB_API nb_status nb_options_set(nb_options *o, const char *plugin, const char *kv, nb_error *err);

/* Runs ------------------------------------------------------------------- */
/* What an application sees of a run's results.  (Plugins receive the
 * same values as const pointers and read them with the nb_failure_* and
 * nb_summary_* accessors of plugin.h, never through these fields.) */
struct nb_failure {
    const char *source;  /* "bundle.zip!/x.png" */
    bool skipped;        /* true: not a report; false: failed */
    const char *reason;
};

struct nb_summary {
    size_t converted, skipped, failed;
    size_t with_errors, with_warnings;
    /* findings that involve several reports (cross-year checks) */
    const nb_diag *run_diags; size_t nrun_diags;
    const char *const *run_diag_sources; /* source path per run diag */
};


typedef struct nb_progress {
    size_t done;           /* reports converted so far */
    size_t skipped, failed;
    const char *current;   /* source being read */
    double elapsed;        /* seconds since the run started */
} nb_progress;

typedef struct nb_limits {
    int max_depth;             /* archives inside archives */
    uint64_t max_member_bytes; /* one member, expanded */
    uint64_t max_total_bytes;  /* all members of one input, expanded */
    uint64_t max_ratio;        /* expanded / compressed for one input */
    uint64_t max_members;      /* members of one input */
} nb_limits;

typedef struct nb_run_config {
    const char *from;          /* forced input format, NULL: detect */
    const char *to;            /* output plugin name; NULL: no output */
    const char *output;        /* file or "-" */
    const char *const *out_options; /* "key=value", NULL-terminated, may be NULL */
    bool validate;             /* run the validation stage */
    bool provenance;           /* ask outputs for per-cell provenance */
    bool force_tty;            /* allow binary output on a terminal */
    nb_limits limits;          /* zeros: defaults */
    /* Called for each finished report before it is written (may be NULL). */
    void (*on_report)(void *ctx, const nb_report *r);
    /* Called for each skipped/failed input (may be NULL). */
    void (*on_failure)(void *ctx, const nb_failure *f);
    void (*on_progress)(void *ctx, const nb_progress *p);
    void *cb_ctx;
    /* Input plugin options, "PLUGIN.key=value" (e.g. "archive.name_charset=BIG5"). */
    const char *const *in_options;
    /* Threads that recognise and validate documents: N-1 workers while
     * the caller's thread reads and writes (and works too when they are
     * behind); 0 or 1: none; NB_JOBS_AUTO (any negative value): as many
     * as nb_default_jobs(), counted when a second input arrives, so that a
     * one-document run costs no more than with 1.  The output and the
     * accounting are the same for every value. */
    int jobs;
} nb_run_config;

#define NB_JOBS_AUTO (-1)
/* (2.5) The CPUs this process may use: its affinity mask, lowered to the
 * CPU quota of its cgroup or of any above it; 1 to 64.  Reads /proc and
 * cgroup files at each call. */
NB_API int nb_default_jobs(void);

typedef struct nb_run nb_run;

NB_API nb_run *nb_run_new(nb_context *c, const nb_run_config *cfg, nb_error *err);
/* A file, a directory (walked recursively, sorted) or "-" (stdin).  Bad
 * documents are counted as failures and reported; the status is NB_FATAL
 * only when the run cannot go on (output broken). */
NB_API nb_status nb_run_input(nb_run *run, const char *path, nb_error *err);
NB_API nb_status nb_run_stream(nb_run *run, nb_stream *s, const char *name, nb_error *err);
/* Ends the output and commits the file (rename).  Fills the summary. */
NB_API nb_status nb_run_finish(nb_run *run, nb_summary *sum, nb_error *err);
NB_API void nb_run_free(nb_run *run); /* discards an uncommitted output */
/* The hidden temp file the output is written to until it is committed,
 * NULL when there is none (stdout written directly) or when it has no
 * name left to remove (a binary output on stdout).  Stable for the life
 * of the run, so a signal handler may copy it beforehand and unlink it. */
NB_API const char *nb_run_temp_path(const nb_run *run);
/* Reads each input named to nb_run_input in a child process, stopped when
 * it makes no progress (starts or ends no reader, hands out no outcome) for
 * `seconds` (0, the default: in this process).  A reader that crashes or
 * hangs then fails the input, or the archive member it was reading (and
 * the rest of the archive is read by a new child), and the run goes on.
 * Outputs are the same as without; it costs a process per input.  Streams
 * given to nb_run_stream are always read in this process. */
NB_API nb_status nb_run_set_isolation(nb_run *run, unsigned seconds, nb_error *err);
/* The children's private temp folder (made by nb_run_set_isolation, removed
 * by nb_run_free), NULL without isolation: empty between children, so a
 * signal handler may rmdir() it. */
NB_API const char *nb_run_isolation_dir(const nb_run *run);

/* Default limits used where nb_limits fields are zero. */
NB_API nb_limits nb_limits_default(void);

#ifdef __cplusplus
}
#endif
#endif
