/* loader.c - dlopen'ing plugins and checking their ABI; listing them from
 * their manifests (loader_manifest.c) and opening them on first use.
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
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <stddef.h>
#include <sys/stat.h>
#include <unistd.h>

/* need_calls: the callbacks must be there (a manifest has none to show). */
static bool check_descriptor(const nb_plugin *p, const char *file_kind, nb_error *err,
                             const char *path, bool need_calls)
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
    bool ok = !need_calls ||
              (p->create && p->destroy &&
               (p->kind == NB_PLUGIN_INPUT ? p->open && p->next : p->begin && p->write && p->end));
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

static bool check_abi(const nb_plugin *p, const char *path, nb_error *err)
{
    if (NB_ABI_VERSION_MAJOR(p->abi_version) != NB_ABI_MAJOR ||
        NB_ABI_VERSION_MINOR(p->abi_version) > NB_ABI_MINOR) {
        unsigned major = NB_ABI_VERSION_MAJOR(p->abi_version);
        nb_error_set(err, NB_E_PLUGIN, path, "ABI mismatch (plugin %u.%u, host %u.%u): %s", major,
                     NB_ABI_VERSION_MINOR(p->abi_version), NB_ABI_MAJOR, NB_ABI_MINOR,
                     major < NB_ABI_MAJOR ? "built for an older nianbao; rebuild it against this "
                                            "nianbao's SDK (pkg-config nianbao)"
                                          : "built for a newer nianbao than this one");
        return false;
    }
    /* Every field of ABI 2.0 must be there; later minors only append. */
    if (p->struct_size < offsetof(nb_plugin, end) + sizeof p->end) {
        nb_error_set(err, NB_E_PLUGIN, path, "bad descriptor: struct_size %u too small",
                     p->struct_size);
        return false;
    }
    return true;
}

/* dlopen, entry point, descriptor with a compatible ABI, copied into *out. */
static nb_status open_so(const char *path, void **handle, nb_plugin *out, nb_error *err)
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
    const nb_plugin *p = entry ? entry(NB_ABI_VERSION) : NULL;
    if (!entry)
        nb_error_set(err, NB_E_PLUGIN, path, "not a nianbao plugin: no entry point %s",
                     NB_PLUGIN_ENTRY_SYMBOL);
    else if (!p)
        nb_error_set(err, NB_E_PLUGIN, path, "the entry point returned no descriptor");
    if (!p || !check_abi(p, path, err)) {
        dlclose(h);
        return NB_FAILED;
    }
    memset(out, 0, sizeof *out);
    memcpy(out, p, p->struct_size < sizeof *out ? p->struct_size : sizeof *out);
    *handle = h;
    return NB_OK;
}

/* Checks L's descriptor and appends it; the caller releases L on failure. */
static nb_status admit(nb_context *c, nb_loaded *L, const char *kind, const char *path, nb_error *err)
{
    if (!check_descriptor(&L->desc, kind, err, path, L->handle != NULL))
        return NB_FAILED;
    for (size_t i = 0; i < c->nplugins; i++)
        if (c->plugins[i].desc.kind == L->desc.kind && strcmp(c->plugins[i].desc.name, L->desc.name) == 0) {
            /* An earlier directory wins; the built-ins come first. */
            nb_error_set(err, NB_E_PLUGIN, path, "plugin %s already loaded from %s", L->desc.name,
                         c->plugins[i].path);
            return NB_WARN;
        }
    if (!nb_grow((void **)&c->plugins, &c->capplugins, c->nplugins, sizeof *c->plugins)) {
        nb_error_set(err, NB_E_INTERNAL, path, "out of memory");
        return NB_FATAL;
    }
    L->path = nb_strdup(path);
    c->plugins[c->nplugins++] = *L;
    for (size_t i = 0; i < c->nplugins; i++) { /* the array moved: refresh views */
        c->plugins[i].info.plugin = &c->plugins[i].desc;
        c->plugins[i].info.path = c->plugins[i].path;
    }
    return NB_OK;
}

static nb_status load_checked(nb_context *c, const char *path, const char *kind, nb_error *err)
{
    nb_loaded L = {0};
    nb_status st = open_so(path, &L.handle, &L.desc, err);
    if (st == NB_OK && (st = admit(c, &L, kind, path, err)) != NB_OK)
        dlclose(L.handle);
    return st;
}

static bool trusted_stat(const struct stat *st, const char *path, const char *what, nb_error *err);

/* A folder's plugin index as read (loader_index.c); text NULL when none. */
typedef struct nb_index_text {
    char *text;
    size_t len;
    size_t hint; /* where the next look-up starts */
} nb_index_text;

/* A manifest's (or the folder index's) text, judged (trusted_stat) on the
 * descriptor it is read from: one open, fstat, read and close.  NULL: none,
 * untrusted or unreadable. */
static char *read_manifest(const char *mpath, size_t *len)
{
    int fd = open(mpath, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return NULL;
    struct stat st;
    nb_error terr;
    nb_error_clear(&terr);
    char *buf = NULL;
    if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0 && st.st_size < (1 << 20) &&
        trusted_stat(&st, mpath, "manifest", &terr) && (buf = malloc((size_t)st.st_size + 1))) {
        if (read(fd, buf, (size_t)st.st_size) == st.st_size) {
            buf[st.st_size] = '\0';
            *len = (size_t)st.st_size;
        } else {
            free(buf);
            buf = NULL;
        }
    }
    close(fd);
    return buf;
}

/* Lists the plugin from its manifest's text without opening it.  NB_EOF: no
 * usable manifest, load the .so now. */
static nb_status list_from_text(nb_context *c, const char *path, off_t so_size, const char *kind,
                                const char *text, size_t len, nb_error *err)
{
    nb_loaded L = {0};
    if (!text || !nb_manifest_parse(text, len, so_size, &L))
        return NB_EOF;
    nb_status st = check_abi(&L.desc, path, err) ? admit(c, &L, kind, path, err) : NB_FAILED;
    if (st != NB_OK)
        nb_manifest_free(&L);
    return st;
}

/* The folder index's entry for the file when it is current, else the
 * plugin's own PLUGIN.so.manifest. */
static nb_status list_from_manifest(nb_context *c, const char *path, const struct stat *so,
                                    const char *kind, nb_index_text *ix, nb_error *err)
{
    size_t len = 0;
    const char *slash = strrchr(path, '/');
    const char *m = ix ? nb_plugin_index_find(ix->text, ix->len, slash ? slash + 1 : path, so, &len, &ix->hint)
                        : NULL;
    if (m)
        return list_from_text(c, path, so->st_size, kind, m, len, err);
    char *mpath = nb_strfmt("%s.manifest", path);
    char *text = mpath ? read_manifest(mpath, &len) : NULL;
    free(mpath);
    nb_status st = list_from_text(c, path, so->st_size, kind, text, len, err);
    free(text);
    return st;
}

/* The opened descriptor must be the one the manifest announced. */
static bool same_plugin(const nb_plugin *real, const nb_plugin *listed, const char *path, nb_error *err)
{
    if (real->kind == listed->kind && strcmp(real->name, listed->name) == 0)
        return true;
    nb_error_set(err, NB_E_PLUGIN, path, "bad descriptor: plugin %s does not match its manifest (%s); rebuild it",
                 real->name, listed->name);
    return false;
}

static bool open_listed(nb_context *c, nb_loaded *L)
{
    nb_error err;
    nb_error_clear(&err);
    const char *kind = L->desc.kind == NB_PLUGIN_INPUT ? "in" : "out";
    void *h = NULL;
    nb_plugin real;
    if (open_so(L->path, &h, &real, &err) == NB_OK) {
        if (check_descriptor(&real, kind, &err, L->path, true) && same_plugin(&real, &L->desc, L->path, &err)) {
            L->desc = real;
            L->handle = h;
            return true;
        }
        dlclose(h);
    }
    L->broken = true;
    nb_context_add_problem(c, err.where, err.text);
    if (c->log) { /* said when it happens, as refusals at start-up are */
        char *msg = nb_strfmt("%s (plugin not loaded)", err.text);
        c->log(c->log_ctx, err.where, msg ? msg : err.text);
        free(msg);
    }
    return false;
}

bool nb_context_open(const nb_context *cc, nb_loaded *L)
{
    nb_context *c = (nb_context *)cc; /* opening fills in what the listing announced */
    pthread_mutex_lock(&c->open_mu);
    bool ok = L->handle || (!L->broken && open_listed(c, L));
    pthread_mutex_unlock(&c->open_mu);
    return ok;
}

/* Code is loaded only from files and folders that no one but the user (or
 * root) can change: owned by them, not writable by others, nor by a group
 * other than the user's own.  Otherwise anyone with write access could
 * plant a reader that runs as the user. */
static bool trusted_stat(const struct stat *st, const char *path, const char *what, nb_error *err)
{
    if (st->st_uid != 0 && st->st_uid != geteuid()) {
        nb_error_set(err, NB_E_PLUGIN, path, "refused: %s owned by another user (uid %u)", what,
                     (unsigned)st->st_uid);
        return false;
    }
    if ((st->st_mode & S_IWOTH) || ((st->st_mode & S_IWGRP) && st->st_gid != getegid())) {
        nb_error_set(err, NB_E_PLUGIN, path, "refused: %s writable by others (mode %03o)", what,
                     (unsigned)(st->st_mode & 0777));
        return false;
    }
    return true;
}

static bool trusted(const char *path, const char *what, nb_error *err)
{
    struct stat st;
    if (stat(path, &st) != 0)
        return true; /* the open that follows says what is wrong */
    return trusted_stat(&st, path, what, err);
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

/* A folder's plugin: listed from its manifest when it has one, else opened.
 * `abs` is its canonical path when the scan knows it (a regular file in a
 * canonical folder), else NULL and realpath finds it. */
static nb_status add_from_dir(nb_context *c, const char *path, const char *abs, nb_index_text *ix,
                              nb_error *err)
{
    char buf[PATH_MAX];
    if (!abs && !(abs = realpath(path, buf)))
        return nb_context_load_plugin(c, path, err);
    struct stat st;
    if (stat(abs, &st) != 0)
        return nb_context_load_plugin(c, path, err);
    if (!trusted_stat(&st, abs, "plugin file", err))
        return NB_FAILED;
    const char *slash = strrchr(abs, '/');
    const char *kind = file_kind(slash ? slash + 1 : abs);
    nb_status rc = kind ? list_from_manifest(c, abs, &st, kind, ix, err) : NB_EOF;
    return rc == NB_EOF ? nb_context_load_plugin(c, path, err) : rc;
}

/* By file name: the order plugins are admitted in (an earlier one wins). */
static int cmp_name(const void *a, const void *b)
{
    const char *x = *(char *const *)a, *y = *(char *const *)b;
    if (!x || !y)
        return !x - !y;
    const char *bx = strrchr(x, '/'), *by = strrchr(y, '/');
    return strcmp(bx ? bx : x, by ? by : y);
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
    char rdir[PATH_MAX];
    bool canon = realpath(dir, rdir) != NULL;
    DIR *d = opendir(dir);
    if (!d)
        return;
    char **names = NULL;
    size_t n = 0, cap = 0;
    /* a name is kept as "D<path>" when it is a regular file of the
     * canonical folder (its canonical path is known), "?<path>" otherwise:
     * a symlink is followed by realpath as before */
    for (struct dirent *e; (e = readdir(d));)
        if (file_kind(e->d_name) && nb_grow((void **)&names, &cap, n, sizeof *names))
            names[n++] = canon && e->d_type == DT_REG ? nb_strfmt("D%s/%s", rdir, e->d_name)
                                                     : nb_strfmt("?%s/%s", dir, e->d_name);
    closedir(d);
    if (n)
        qsort(names, n, sizeof *names, cmp_name);
    /* the index describes files of the canonical folder only */
    nb_index_text ix = {0};
    char *ipath = n && canon ? nb_strfmt("%s/%s", rdir, NB_PLUGIN_INDEX_NAME) : NULL;
    ix.text = ipath ? read_manifest(ipath, &ix.len) : NULL;
    free(ipath);
    for (size_t i = 0; i < n; i++) {
        nb_error err;
        nb_error_clear(&err);
        bool in_canon = names[i] && names[i][0] == 'D';
        if (names[i] && add_from_dir(c, names[i] + 1, in_canon ? names[i] + 1 : NULL, in_canon ? &ix : NULL,
                                     &err) != NB_OK)
            nb_context_add_problem(c, err.where, err.text);
        free(names[i]);
    }
    free(ix.text);
    free(names);
}

void nb_context_unload_all(nb_context *c)
{
    for (size_t i = 0; i < c->nplugins; i++) {
        if (c->plugins[i].handle)
            dlclose(c->plugins[i].handle);
        nb_manifest_free(&c->plugins[i]);
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
    /* the kernel's name of the executable is canonical: when it is the
     * build folder's name as written, that name is canonical too, and
     * realpath (a readlink per path component) has nothing to add */
    if (strcmp(exe, NB_BUILD_BIN_DIR) == 0)
        return true;
    char build[PATH_MAX];
    return realpath(NB_BUILD_BIN_DIR, build) && strcmp(exe, build) == 0;
}
