/* loader.c - dlopen'ing plugins and checking their ABI.
 *
 * Plugins load from absolute paths in configured directories only, never
 * the current directory, with RTLD_NOW|RTLD_LOCAL so an unresolved symbol
 * fails here and not halfway through a run, and so plugins cannot see each
 * other's symbols.  Every failure has its own message (cannot open, no
 * entry point, ABI mismatch, bad descriptor), as GStreamer and SQLite do. */
#include "context_internal.h"
#include "util.h"
#include <dirent.h>
#include <dlfcn.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <stddef.h>
#include <sys/stat.h>
#include <unistd.h>

static bool check_descriptor(const nb_plugin *p, const char *file_kind, nb_error *err,
                             const char *path)
{
    if (!p->name || !*p->name) {
        nb_error_set(err, NB_E_PLUGIN, path, "bad descriptor: no name");
        return false;
    }
    if (p->kind != NB_PLUGIN_INPUT && p->kind != NB_PLUGIN_OUTPUT) {
        nb_error_set(err, NB_E_PLUGIN, path, "bad descriptor: unknown kind %d", (int)p->kind);
        return false;
    }
    bool want_in = strcmp(file_kind, "in") == 0;
    if (want_in != (p->kind == NB_PLUGIN_INPUT)) {
        nb_error_set(err, NB_E_PLUGIN, path, "bad descriptor: file name says %s, descriptor says %s",
                     want_in ? "input" : "output", want_in ? "output" : "input");
        return false;
    }
    bool ok = p->create && p->destroy &&
              (p->kind == NB_PLUGIN_INPUT ? p->open && p->next : p->begin && p->write && p->end);
    if (!ok)
        nb_error_set(err, NB_E_PLUGIN, path, "bad descriptor: required callbacks missing");
    return ok;
}

/* "nianbao-in-txt.so" -> "in"; NULL when the name is not a plugin file. */
static const char *file_kind(const char *base)
{
    if (strncmp(base, "nianbao-in-", 11) == 0 && nb_has_suffix_ci(base, ".so"))
        return "in";
    if (strncmp(base, "nianbao-out-", 12) == 0 && nb_has_suffix_ci(base, ".so"))
        return "out";
    return NULL;
}

static nb_status load_checked(nb_context *c, const char *path, const char *kind, nb_error *err)
{
    void *h = dlopen(path, RTLD_NOW | RTLD_LOCAL);
    if (!h) {
        const char *e = dlerror();
        nb_error_set(err, NB_E_PLUGIN, path, "cannot open plugin: %s", e ? e : "unknown error");
        return NB_FAILED;
    }
    dlerror();
    nb_plugin_entry_fn entry;
    *(void **)&entry = dlsym(h, NB_PLUGIN_ENTRY_SYMBOL);
    if (!entry) {
        nb_error_set(err, NB_E_PLUGIN, path, "not a nianbao plugin: no entry point %s",
                     NB_PLUGIN_ENTRY_SYMBOL);
        dlclose(h);
        return NB_FAILED;
    }
    const nb_plugin *p = entry(NB_ABI_VERSION);
    if (!p) {
        nb_error_set(err, NB_E_PLUGIN, path, "the entry point returned no descriptor");
        dlclose(h);
        return NB_FAILED;
    }
    if (NB_ABI_VERSION_MAJOR(p->abi_version) != NB_ABI_MAJOR ||
        NB_ABI_VERSION_MINOR(p->abi_version) > NB_ABI_MINOR) {
        unsigned major = NB_ABI_VERSION_MAJOR(p->abi_version);
        nb_error_set(err, NB_E_PLUGIN, path, "ABI mismatch (plugin %u.%u, host %u.%u): %s", major,
                     NB_ABI_VERSION_MINOR(p->abi_version), NB_ABI_MAJOR, NB_ABI_MINOR,
                     major < NB_ABI_MAJOR ? "built for an older nianbao; rebuild it against this "
                                            "nianbao's SDK (pkg-config nianbao)"
                                          : "built for a newer nianbao than this one");
        dlclose(h);
        return NB_FAILED;
    }
    /* Every field of ABI 2.0 must be there; later minors only append. */
    if (p->struct_size < offsetof(nb_plugin, end) + sizeof p->end) {
        nb_error_set(err, NB_E_PLUGIN, path, "bad descriptor: struct_size %u too small",
                     p->struct_size);
        dlclose(h);
        return NB_FAILED;
    }
    nb_loaded L = {0};
    memcpy(&L.desc, p, p->struct_size < sizeof L.desc ? p->struct_size : sizeof L.desc);
    if (!check_descriptor(&L.desc, kind, err, path)) {
        dlclose(h);
        return NB_FAILED;
    }
    for (size_t i = 0; i < c->nplugins; i++)
        if (c->plugins[i].desc.kind == L.desc.kind && strcmp(c->plugins[i].desc.name, L.desc.name) == 0) {
            /* An earlier directory wins; the built-ins come first. */
            nb_error_set(err, NB_E_PLUGIN, path, "plugin %s already loaded from %s", L.desc.name,
                         c->plugins[i].path);
            dlclose(h);
            return NB_WARN;
        }
    if (!nb_grow((void **)&c->plugins, &c->capplugins, c->nplugins, sizeof *c->plugins)) {
        dlclose(h);
        nb_error_set(err, NB_E_INTERNAL, path, "out of memory");
        return NB_FATAL;
    }
    L.handle = h;
    L.path = nb_strdup(path);
    c->plugins[c->nplugins++] = L;
    for (size_t i = 0; i < c->nplugins; i++) { /* the array moved: refresh views */
        c->plugins[i].info.plugin = &c->plugins[i].desc;
        c->plugins[i].info.path = c->plugins[i].path;
    }
    return NB_OK;
}

/* Code is loaded only from files and folders that no one but the user (or
 * root) can change: owned by them, not writable by others, nor by a group
 * other than the user's own.  Otherwise anyone with write access could
 * plant a reader that runs as the user. */
static bool trusted(const char *path, const char *what, nb_error *err)
{
    struct stat st;
    if (stat(path, &st) != 0)
        return true; /* the open that follows says what is wrong */
    if (st.st_uid != 0 && st.st_uid != geteuid()) {
        nb_error_set(err, NB_E_PLUGIN, path, "refused: %s owned by another user (uid %u)", what,
                     (unsigned)st.st_uid);
        return false;
    }
    if ((st.st_mode & S_IWOTH) || ((st.st_mode & S_IWGRP) && st.st_gid != getegid())) {
        nb_error_set(err, NB_E_PLUGIN, path, "refused: %s writable by others (mode %03o)", what,
                     (unsigned)(st.st_mode & 0777));
        return false;
    }
    return true;
}

nb_status nb_context_load_plugin(nb_context *c, const char *path, nb_error *err)
{
    char abs[PATH_MAX];
    if (!realpath(path, abs)) {
        nb_error_set(err, NB_E_PLUGIN, path, "cannot open plugin: no such file");
        return NB_FAILED;
    }
    if (!trusted(abs, "plugin file", err))
        return NB_FAILED;
    const char *slash = strrchr(abs, '/');
    const char *kind = file_kind(slash ? slash + 1 : abs);
    if (!kind) {
        nb_error_set(err, NB_E_PLUGIN, path,
                     "not a plugin file name (nianbao-in-NAME.so or nianbao-out-NAME.so)");
        return NB_FAILED;
    }
    return load_checked(c, abs, kind, err);
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

void nb_context_scan_dir(nb_context *c, const char *dir)
{
    if (!dir || dir[0] != '/')
        return; /* relative directories would depend on the cwd */
    nb_error terr;
    nb_error_clear(&terr);
    if (!trusted(dir, "plugin folder", &terr)) {
        nb_context_add_problem(c, terr.where, terr.text);
        return;
    }
    DIR *d = opendir(dir);
    if (!d)
        return;
    char **names = NULL;
    size_t n = 0, cap = 0;
    for (struct dirent *e; (e = readdir(d));)
        if (file_kind(e->d_name) && nb_grow((void **)&names, &cap, n, sizeof *names))
            names[n++] = nb_strfmt("%s/%s", dir, e->d_name);
    closedir(d);
    if (n)
        qsort(names, n, sizeof *names, cmp_str);
    for (size_t i = 0; i < n; i++) {
        nb_error err;
        nb_error_clear(&err);
        if (nb_context_load_plugin(c, names[i], &err) != NB_OK)
            nb_context_add_problem(c, err.where, err.text);
        free(names[i]);
    }
    free(names);
}

void nb_context_unload_all(nb_context *c)
{
    for (size_t i = 0; i < c->nplugins; i++) {
        dlclose(c->plugins[i].handle);
        free(c->plugins[i].path);
    }
    free(c->plugins);
    c->plugins = NULL;
    c->nplugins = c->capplugins = 0;
}

bool nb_running_from_build_tree(void)
{
    char exe[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n <= 0)
        return false;
    exe[n] = '\0';
    char *slash = strrchr(exe, '/');
    if (!slash)
        return false;
    *slash = '\0';
    char build[PATH_MAX];
    return realpath(NB_BUILD_BIN_DIR, build) && strcmp(exe, build) == 0;
}
