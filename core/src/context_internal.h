/* context_internal.h - the context's private layout, shared by the files
 * that implement it (context.c, loader.c). */
#ifndef NB_CONTEXT_INTERNAL_H
#define NB_CONTEXT_INTERNAL_H

#include "nianbao/nianbao.h"
#include "plugin_internal.h"

typedef struct nb_loaded {
    nb_plugin desc;     /* our copy: min(struct_size, sizeof) bytes, rest zero */
    nb_plugin_info info;
    void *handle;       /* dlopen handle */
    char *path;
} nb_loaded;

typedef struct nb_problem {
    char *path, *message;
} nb_problem;

struct nb_context {
    nb_templates *templates;
    nb_ruleset *rules;
    char *formats_path, *pipelines_path, *tmpdir;
    nb_host host;
    nb_log_fn log;
    void *log_ctx;
    nb_loaded *plugins;
    size_t nplugins, capplugins;
    nb_problem *problems;
    size_t nproblems;
    nb_load_problem *problem_view;
};

void nb_context_add_problem(nb_context *c, const char *path, const char *msg);
/* Scans a directory for nianbao-{in,out}-*.so; problems are recorded. */
void nb_context_scan_dir(nb_context *c, const char *dir);
void nb_context_unload_all(nb_context *c);
/* True when the running executable lives in the build tree. */
bool nb_running_from_build_tree(void);

#endif
