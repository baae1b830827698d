/* context_internal.h - the context's private layout, shared by the files
 * that implement it (context.c, loader.c). */
#ifndef NB_CONTEXT_INTERNAL_H
#define NB_CONTEXT_INTERNAL_H

#include "plugin_index_format.h"
#include "nianbao/nianbao.h"
#include "plugin_internal.h"
#include <pthread.h>
#include <sys/types.h>

struct jd;

typedef struct nb_loaded {
    nb_plugin desc;     /* our copy: min(struct_size, sizeof) bytes, rest zero */
    nb_plugin_info info;
    void *handle;       /* dlopen handle; NULL while only the manifest is read */
    char *path;
    /* Listed from PLUGIN.so.manifest (loader_manifest.c): desc holds its
     * metadata, pointing into these, until the .so is opened on first use. */
    const struct jd *manifest;
    const char **m_exts;
    nb_option_def *m_opts;
    bool m_probes;      /* the plugin has a probe(): opened for content probing */
    bool broken;        /* opening it failed (a load problem says why) */
} nb_loaded;

typedef struct nb_problem {
    char *path, *message;
} nb_problem;

struct nb_context {
    pthread_mutex_t open_mu; /* plugins are opened on first use, from any thread */
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
/* Opens a plugin listed from its manifest (no-op when open); false when it
 * cannot be opened, with a load problem recorded and logged. */
bool nb_context_open(const nb_context *c, nb_loaded *L);
/* Reads a manifest's text into L (metadata only); false: load the .so now. */
bool nb_manifest_parse(const char *text, size_t len, off_t so_size, nb_loaded *L);
void nb_manifest_free(nb_loaded *L);
/* The plugin folder's index (loader_index.c): the manifest recorded for the
 * plugin file `base` when the index was written for the file `st` describes,
 * NULL otherwise (no such entry, another file, or a malformed index).
 * *hint (0 at first) is where the next search starts, any value safe. */
struct stat;
const char *nb_plugin_index_find(const char *text, size_t len, const char *base, const struct stat *st,
                                 size_t *mlen, size_t *hint);
/* True when the running executable lives in the build tree. */
bool nb_running_from_build_tree(void);

#endif
