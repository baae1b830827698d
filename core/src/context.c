/* context.c - templates, rules and plugins for a run, found the same way
 * every time: explicit configuration, then the environment, then the build
 * tree (when the binary runs from it) or the install prefix. */
#include "context_internal.h"
#include "recognise_relations.h"
#include "util.h"
#include <dlfcn.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

const char *nb_version(void) { return NB_VERSION; }

void nb_context_add_problem(nb_context *c, const char *path, const char *msg)
{
    nb_problem *p = realloc(c->problems, (c->nproblems + 1) * sizeof *p);
    if (!p)
        return;
    c->problems = p;
    p[c->nproblems].path = nb_strdup(path);
    p[c->nproblems].message = nb_strdup(msg);
    c->nproblems++;
}

static void host_log(void *ctx, const char *plugin, const char *msg)
{
    nb_context *c = ctx;
    if (c->log)
        c->log(c->log_ctx, plugin, msg);
    else
        fprintf(stderr, "nianbao: %s: %s\n", plugin ? plugin : "", msg);
}

/* "<root>/templates:<root2>/templates" from "<root>:<root2>". */
static char *subdirs(const char *roots, const char *sub)
{
    nb_buf b = {0};
    char *copy = nb_strdup(roots);
    for (char *save = NULL, *r = strtok_r(copy, ":", &save); r; r = strtok_r(NULL, ":", &save))
        nb_buf_printf(&b, "%s%s/%s", b.len ? ":" : "", r, sub);
    free(copy);
    return nb_buf_steal(&b);
}

/* Any object of the library: dladdr() on it names the library's file. */
static const char library_anchor = 0;

/* An install directory as it is now.  The NB_INSTALL_* paths are compiled
 * in for CMAKE_INSTALL_PREFIX, but `cmake --install --prefix P`, staging
 * for a package or a moved tree put the files elsewhere.  When the library
 * itself lives in <P>/<libdir>, the same P is the prefix of its data and
 * plugins; otherwise (or if that cannot be told) the compiled path holds.
 * The answer comes from the library's own location, never from the cwd.
 * Caller frees. */
static char *install_path(const char *compiled)
{
    const char *prefix = NB_INSTALL_PREFIX, *libdir = NB_INSTALL_LIBDIR;
    size_t pl = strlen(prefix);
    Dl_info info;
    char lib[PATH_MAX];
    if (pl < 2 || strncmp(compiled, prefix, pl) != 0 || strncmp(libdir, prefix, pl) != 0 ||
        !dladdr(&library_anchor, &info) || !info.dli_fname || info.dli_fname[0] != '/' ||
        !realpath(info.dli_fname, lib))
        return nb_strdup(compiled);
    *strrchr(lib, '/') = '\0'; /* the library's directory */
    const char *rel = libdir + pl; /* "/lib" or "/lib/x86_64-linux-gnu" */
    size_t ll = strlen(lib), rl = strlen(rel);
    if (ll <= rl || strcmp(lib + ll - rl, rel) != 0)
        return nb_strdup(compiled);
    return nb_strfmt("%.*s%s", (int)(ll - rl), lib, compiled + pl);
}

static bool load_data(nb_context *c, const nb_context_config *cfg, bool build, nb_error *err)
{
    const char *env = getenv("NIANBAO_FORMATS_PATH");
    c->formats_path = cfg && cfg->formats_path ? nb_strdup(cfg->formats_path)
                      : env && *env            ? nb_strdup(env)
                      : build                  ? nb_strdup(NB_SOURCE_FORMATS_DIR)
                                               : install_path(NB_INSTALL_FORMATS_DIR);
    const char *formats = c->formats_path;
    const char *penv = getenv("NIANBAO_PIPELINES_PATH");
    nb_buf pp = {0};
    if (cfg && cfg->pipelines_path)
        nb_buf_printf(&pp, "%s:", cfg->pipelines_path);
    if (penv && *penv)
        nb_buf_printf(&pp, "%s:", penv);
    char *pdir = build ? nb_strdup(NB_SOURCE_PIPELINES_DIR) : install_path(NB_INSTALL_PIPELINES_DIR);
    nb_buf_adds(&pp, pdir);
    free(pdir);
    c->pipelines_path = nb_buf_steal(&pp);

    char *tdirs = subdirs(formats, "templates");
    c->templates = nb_templates_load(tdirs, err);
    free(tdirs);
    if (!c->templates)
        return false;
    char *rdirs = subdirs(formats, "rules");
    c->rules = nb_ruleset_load(rdirs, c->templates, err);
    if (c->rules && !rc_relations_from_rules(c->templates, c->rules)) {
        nb_error_set(err, NB_E_INTERNAL, NULL, "out of memory");
        nb_ruleset_free(c->rules);
        c->rules = NULL;
    }
    free(rdirs);
    return c->rules != NULL;
}

static void load_plugins(nb_context *c, const nb_context_config *cfg, bool build)
{
    char *dflt = build ? nb_strdup(NB_BUILD_PLUGIN_DIR) : install_path(NB_INSTALL_PLUGIN_DIR);
    /* Built-ins first: a user's folder adds formats, it cannot silently
     * replace a built-in reader (same name: "already loaded from"). */
    const char *lists[3] = {dflt, cfg ? cfg->plugin_path : NULL, getenv("NIANBAO_PLUGIN_PATH")};
    for (int i = 0; i < 3; i++) {
        if (!lists[i] || !*lists[i])
            continue;
        char *copy = nb_strdup(lists[i]);
        for (char *save = NULL, *d = strtok_r(copy, ":", &save); d; d = strtok_r(NULL, ":", &save))
            nb_context_scan_dir(c, d);
        free(copy);
    }
    free(dflt);
}

nb_context *nb_context_new(const nb_context_config *cfg, nb_error *err)
{
    nb_context *c = calloc(1, sizeof *c);
    if (!c) {
        nb_error_set(err, NB_E_INTERNAL, NULL, "out of memory");
        return NULL;
    }
    pthread_mutex_init(&c->open_mu, NULL);
    c->log = cfg ? cfg->log : NULL;
    c->log_ctx = cfg ? cfg->log_ctx : NULL;
    const char *tmp = cfg && cfg->tmpdir ? cfg->tmpdir : getenv("TMPDIR");
    c->tmpdir = nb_strdup(tmp && *tmp ? tmp : "/tmp");
    bool build = nb_running_from_build_tree(); /* asked once: a readlink per path component */
    if (!load_data(c, cfg, build, err)) {
        nb_context_free(c);
        return NULL;
    }
    c->host = (nb_host){NB_ABI_VERSION, sizeof(nb_host), c->templates, c->tmpdir, c, host_log};
    load_plugins(c, cfg, build);
    return c;
}

void nb_context_free(nb_context *c)
{
    if (!c)
        return;
    nb_context_unload_all(c);
    for (size_t i = 0; i < c->nproblems; i++) {
        free(c->problems[i].path);
        free(c->problems[i].message);
    }
    free(c->problems);
    free(c->problem_view);
    nb_ruleset_free(c->rules);
    nb_templates_free(c->templates);
    free(c->formats_path);
    free(c->pipelines_path);
    free(c->tmpdir);
    pthread_mutex_destroy(&c->open_mu);
    free(c);
}

const nb_templates *nb_context_templates(const nb_context *c) { return c->templates; }
const nb_ruleset *nb_context_rules(const nb_context *c) { return c->rules; }
const char *nb_context_formats_path(const nb_context *c) { return c->formats_path; }
const char *nb_context_pipelines_path(const nb_context *c) { return c->pipelines_path; }
const char *nb_context_tmpdir(const nb_context *c) { return c->tmpdir; }
const nb_host *nb_context_host(const nb_context *c) { return &c->host; }
size_t nb_context_plugin_count(const nb_context *c) { return c->nplugins; }

/* Every lookup hands out an opened plugin (its callbacks usable); plugins
 * listed from a manifest are opened here, on first use (loader.c). */
const nb_plugin_info *nb_context_plugin(const nb_context *c, size_t i)
{
    if (i >= c->nplugins)
        return NULL;
    nb_context_open(c, &c->plugins[i]); /* a broken one stays listed: its problem says why */
    return &c->plugins[i].info;
}

static const nb_plugin_info *opened(const nb_context *c, nb_loaded *L)
{
    return L && nb_context_open(c, L) ? &L->info : NULL;
}

const nb_plugin_info *nb_context_find_plugin(const nb_context *c, nb_plugin_kind k, const char *name)
{
    for (size_t i = 0; i < c->nplugins; i++)
        if (c->plugins[i].desc.kind == k && !c->plugins[i].broken &&
            strcasecmp(c->plugins[i].desc.name, name) == 0)
            return opened(c, &c->plugins[i]);
    return NULL;
}

static int lower_ascii(int ch) { return ch >= 'A' && ch <= 'Z' ? ch - 'A' + 'a' : ch; }

/* The name's length and last byte are taken once and an extension's last
 * byte is compared before the whole of it: every input is looked up here,
 * against every extension of every reader. */
static nb_loaded *best_for_name(const nb_context *c, nb_plugin_kind k, const char *filename)
{
    nb_loaded *best = NULL;
    size_t best_len = 0, n = strlen(filename);
    int last = n ? lower_ascii((unsigned char)filename[n - 1]) : -1;
    for (size_t i = 0; i < c->nplugins; i++) {
        const nb_plugin *p = &c->plugins[i].desc;
        if (p->kind != k || !p->extensions || c->plugins[i].broken)
            continue;
        for (const char *const *e = p->extensions; *e; e++) {
            size_t m = strlen(*e);
            if (m > best_len && m <= n && m && lower_ascii((unsigned char)(*e)[m - 1]) == last &&
                strcasecmp(filename + n - m, *e) == 0) {
                best = &c->plugins[i];
                best_len = m;
            }
        }
    }
    return best;
}

const nb_plugin_info *nb_context_plugin_for_name(const nb_context *c, nb_plugin_kind k,
                                                 const char *filename)
{
    /* one that cannot be opened is marked broken: the next best is tried */
    for (nb_loaded *best; (best = best_for_name(c, k, filename));)
        if (nb_context_open(c, best))
            return &best->info;
    return NULL;
}

const nb_plugin_info *nb_context_probe(const nb_context *c, const unsigned char *head, size_t len,
                                       int *score)
{
    const nb_plugin_info *best = NULL;
    int bs = 0;
    for (size_t i = 0; i < c->nplugins; i++) {
        nb_loaded *L = &c->plugins[i];
        if (L->desc.kind != NB_PLUGIN_INPUT || (!L->handle && !L->m_probes) || !opened(c, L) ||
            !L->desc.probe)
            continue;
        int s = L->desc.probe(head, len);
        if (s > bs) {
            bs = s;
            best = &L->info;
        }
    }
    if (score)
        *score = bs;
    return best;
}

size_t nb_context_load_problems(const nb_context *c, const nb_load_problem **out)
{
    nb_context *m = (nb_context *)c; /* the view is a cache of problems[] */
    free(m->problem_view);
    m->problem_view = calloc(c->nproblems ? c->nproblems : 1, sizeof *m->problem_view);
    if (!m->problem_view)
        return 0;
    for (size_t i = 0; i < c->nproblems; i++)
        m->problem_view[i] = (nb_load_problem){c->problems[i].path, c->problems[i].message};
    *out = m->problem_view;
    return c->nproblems;
}
