/* pipeline.h - named pipelines: small data files (pipelines/NAME.pipe)
 * that fix the stages of a run, so `nianbao run excel-report in.zip -o
 * out.xlsx` needs no flags.  Format (docs/pipelines.md):
 *
 *     # comment
 *     description: Any input → validate → Excel workbook
 *     input: auto            # or an input format name (-f)
 *     validate: true         # run the validation stage
 *     output: xlsx           # output format name (-t)
 *     option: labels=true    # output option, repeatable (-O)
 *     strict: false          # validation errors make the exit status 1
 *     provenance: false      # ask outputs for per-cell provenance
 *
 * A one-line shorthand is accepted too, Miller style:
 *     steps: auto then validate then xlsx
 *
 * The name is the file name without ".pipe"; a `name:` line, when present,
 * must agree.  Directories are searched in order and the first file of a
 * name wins, so a user directory listed first can override a shipped one.
 *
 * Ownership: nb_pipeline and nb_pipeline_list own all their strings. */
#ifndef NIANBAO_PIPELINE_H
#define NIANBAO_PIPELINE_H

#include <stdbool.h>
#include <stddef.h>
#include "status.h"
#include "nianbao.h"

#ifdef __cplusplus
extern "C" {
#endif

#define NB_PIPELINE_EXT ".pipe"

typedef struct nb_pipeline {
    char *name;
    char *description;    /* "" when none */
    char *path;           /* file it was read from */
    char *input;          /* input format, NULL: detect */
    char *output;         /* output format (required) */
    bool validate, strict, provenance;
    char **options;       /* "key=value", NULL-terminated (never NULL itself) */
    size_t noptions;
} nb_pipeline;

/* Parses a pipeline text; `path` names it in messages and gives the
 * default name.  Errors are NB_E_CONFIG with where = "path:line". */
NB_API nb_pipeline *nb_pipeline_parse(const char *path, const char *text, size_t len,
                                      nb_error *err);
NB_API nb_pipeline *nb_pipeline_load(const char *path, nb_error *err);
NB_API void nb_pipeline_free(nb_pipeline *p);

/* Fills the stage fields of a run configuration (from, to, validate,
 * provenance, out_options); the pointers stay owned by p. */
NB_API void nb_pipeline_apply(const nb_pipeline *p, nb_run_config *cfg);

/* All pipelines of a ':'-separated directory list, sorted by name; a name
 * found again in a later directory is listed as shadowed.  Files that do
 * not parse are kept as problems instead of stopping the listing. */
typedef struct nb_pipeline_entry {
    nb_pipeline *pipeline;  /* NULL when the file has a problem */
    char *name;             /* from the file name */
    char *path;
    char *problem;          /* "path:line: message" or NULL */
    bool shadowed;          /* an earlier directory has the same name */
} nb_pipeline_entry;

typedef struct nb_pipeline_list {
    nb_pipeline_entry *v;
    size_t n;
} nb_pipeline_list;

NB_API nb_status nb_pipelines_list(const char *dirs, nb_pipeline_list *out, nb_error *err);
NB_API void nb_pipeline_list_free(nb_pipeline_list *l);

/* The first NAME.pipe along dirs.  NAME may also be a path to a .pipe file
 * (it contains '/' or ends in ".pipe").  Not found: NB_E_USAGE listing the
 * known names. */
NB_API nb_pipeline *nb_pipeline_find(const char *dirs, const char *name, nb_error *err);

/* The search path the CLI uses: `extra` (may be NULL), then the user's
 * directory ($XDG_CONFIG_HOME/nianbao/pipelines, else
 * ~/.config/nianbao/pipelines), then the context's path.  Caller frees. */
NB_API char *nb_pipelines_search_path(const nb_context *c, const char *extra);

#ifdef __cplusplus
}
#endif
#endif
