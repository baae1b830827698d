/* pipeline.c - named pipelines as data (see pipeline.h, docs/pipelines.md).
 *
 * The format is deliberately tiny, `key: value` lines, so a user can write
 * one without reading code and every mistake can be pointed at by file and
 * line. */
#include "nianbao/pipeline.h"
#include "plugin_internal.h"
#include "util.h"

#include <ctype.h>
#include <stdarg.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#define KEYS "name, description, input, output, validate, strict, provenance, option, steps"

typedef struct parser {
    const char *path;
    int line;
    nb_pipeline *p;
    unsigned seen;      /* bit per single-valued key */
    nb_error *err;
} parser;

static void pl_error(parser *ps, const char *fmt, ...) NB_PRINTF(2, 3);
static void pl_error(parser *ps, const char *fmt, ...)
{
    char where[512];
    snprintf(where, sizeof where, "%s:%d", ps->path, ps->line);
    va_list ap;
    va_start(ap, fmt);
    nb_error_setv(ps->err, NB_E_CONFIG, where, fmt, ap);
    va_end(ap);
}

void nb_pipeline_free(nb_pipeline *p)
{
    if (!p)
        return;
    free(p->name);
    free(p->description);
    free(p->path);
    free(p->input);
    free(p->output);
    for (size_t i = 0; i < p->noptions; i++)
        free(p->options[i]);
    free(p->options);
    free(p);
}

/* The default name: the file name without directory and ".pipe". */
static char *name_from_path(const char *path)
{
    const char *slash = strrchr(path, '/');
    const char *base = slash ? slash + 1 : path;
    size_t n = strlen(base), el = strlen(NB_PIPELINE_EXT);
    if (n > el && strcmp(base + n - el, NB_PIPELINE_EXT) == 0)
        n -= el;
    return nb_strndup(base, n);
}

static bool valid_name(const char *s)
{
    if (!*s)
        return false;
    for (; *s; s++)
        if (!isalnum((unsigned char)*s) && *s != '-' && *s != '_' && *s != '.')
            return false;
    return true;
}

static bool parse_bool(const char *v, bool *out)
{
    static const char *const yes[] = {"true", "yes", "on", "1"};
    static const char *const no[] = {"false", "no", "off", "0"};
    for (size_t i = 0; i < 4; i++) {
        if (strcasecmp(v, yes[i]) == 0)
            return (*out = true), true;
        if (strcasecmp(v, no[i]) == 0)
            return (*out = false), true;
    }
    return false;
}

static bool add_option(nb_pipeline *p, const char *kv)
{
    char **v = realloc(p->options, (p->noptions + 2) * sizeof *v);
    if (!v)
        return false;
    p->options = v;
    if (!(v[p->noptions] = nb_strdup(kv)))
        return false;
    v[++p->noptions] = NULL;
    return true;
}

/* A format name or "auto": what -f / -t accept. */
static bool valid_format(const char *s)
{
    return valid_name(s) && strchr(s, '.') == NULL;
}

static bool set_input(parser *ps, const char *v)
{
    if (!valid_format(v)) {
        pl_error(ps, "input: '%s' is not a format name (or auto)", v);
        return false;
    }
    free(ps->p->input);
    ps->p->input = strcasecmp(v, "auto") == 0 ? NULL : nb_strdup(v);
    return true;
}

static bool set_output(parser *ps, const char *v)
{
    if (!valid_format(v)) {
        pl_error(ps, "output: '%s' is not a format name", v);
        return false;
    }
    free(ps->p->output);
    ps->p->output = nb_strdup(v);
    return ps->p->output != NULL;
}

/* "auto then validate then xlsx": first the input, last the output, and
 * `validate` anywhere between. */
static bool parse_steps(parser *ps, const char *v)
{
    char *copy = nb_strdup(v), *save = NULL;
    char *tok[16];
    size_t n = 0;
    bool ok = copy != NULL;
    for (char *t = copy ? strtok_r(copy, " \t", &save) : NULL; t && ok;
         t = strtok_r(NULL, " \t", &save)) {
        if (n % 2 == 1) {  /* every other word must be "then" */
            if (strcmp(t, "then") != 0) {
                pl_error(ps, "steps: expected 'then' before '%s'", t);
                ok = false;
            }
        } else if (n / 2 < sizeof tok / sizeof *tok) {
            tok[n / 2] = t;
        } else {
            pl_error(ps, "steps: too many steps");
            ok = false;
        }
        n++;
    }
    size_t nsteps = (n + 1) / 2;
    if (ok && (n % 2 == 0 || nsteps < 2)) {
        pl_error(ps, "steps: write INPUT then [validate then] OUTPUT "
                     "('then' must have a step after it)");
        ok = false;
    }
    for (size_t i = 1; ok && i + 1 < nsteps; i++) {
        if (strcmp(tok[i], "validate") != 0) {
            pl_error(ps, "steps: unknown step '%s' (only validate goes between input and output)",
                     tok[i]);
            ok = false;
        }
        ps->p->validate = true;
    }
    ok = ok && set_input(ps, tok[0]) && set_output(ps, tok[nsteps - 1]);
    free(copy);
    return ok;
}

static bool set_bool(parser *ps, const char *key, const char *v, bool *dst)
{
    if (parse_bool(v, dst))
        return true;
    pl_error(ps, "%s: '%s' is not true or false", key, v);
    return false;
}

static bool set_key(parser *ps, const char *key, const char *v)
{
    static const char *const single[] = {"name", "description", "input", "output", "validate",
                                         "strict", "provenance", "steps"};
    nb_pipeline *p = ps->p;
    for (unsigned i = 0; i < sizeof single / sizeof *single; i++) {
        if (strcmp(key, single[i]) != 0)
            continue;
        if (ps->seen & (1u << i)) {
            pl_error(ps, "%s: given twice", key);
            return false;
        }
        ps->seen |= 1u << i;
    }
    if (strcmp(key, "name") == 0) {
        if (strcmp(v, p->name) == 0)
            return true;
        pl_error(ps, "name: '%s' does not match the file name '%s' (NAME.pipe)", v, p->name);
        return false;
    }
    if (strcmp(key, "description") == 0) {
        free(p->description);
        return (p->description = nb_strdup(v)) != NULL;
    }
    if (strcmp(key, "input") == 0)
        return set_input(ps, v);
    if (strcmp(key, "output") == 0)
        return set_output(ps, v);
    if (strcmp(key, "steps") == 0)
        return parse_steps(ps, v);
    if (strcmp(key, "validate") == 0)
        return set_bool(ps, key, v, &p->validate);
    if (strcmp(key, "strict") == 0)
        return set_bool(ps, key, v, &p->strict);
    if (strcmp(key, "provenance") == 0)
        return set_bool(ps, key, v, &p->provenance);
    if (strcmp(key, "option") == 0) {
        const char *eq = strchr(v, '=');
        if (!eq || eq == v) {
            pl_error(ps, "option: '%s' is not key=value", v);
            return false;
        }
        return add_option(p, v);
    }
    pl_error(ps, "unknown key '%s' (valid: %s)", key, KEYS);
    return false;
}

static char *trim(char *s)
{
    while (*s == ' ' || *s == '\t')
        s++;
    size_t n = strlen(s);
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r'))
        s[--n] = '\0';
    return s;
}

/* A trailing " # comment" is allowed on every key but description, whose
 * text may well contain '#'. */
static void strip_comment(const char *key, char *v)
{
    if (strcmp(key, "description") == 0)
        return;
    for (char *h = strchr(v, '#'); h; h = strchr(h + 1, '#'))
        if (h == v || h[-1] == ' ' || h[-1] == '\t') {
            *h = '\0';
            return;
        }
}

static bool parse_line(parser *ps, char *line)
{
    char *s = trim(line);
    if (!*s || *s == '#')
        return true;
    char *colon = strchr(s, ':');
    if (!colon) {
        pl_error(ps, "expected 'key: value', got '%s'", s);
        return false;
    }
    *colon = '\0';
    char *key = trim(s);
    for (char *k = key; *k; k++)
        *k = (char)tolower((unsigned char)*k);
    char *v = colon + 1;
    strip_comment(key, v);
    v = trim(v);
    if (!*v && strcmp(key, "description") != 0) {
        pl_error(ps, "%s: missing value", key);
        return false;
    }
    return set_key(ps, key, v);
}

static nb_pipeline *new_pipeline(const char *path)
{
    nb_pipeline *p = calloc(1, sizeof *p);
    if (!p)
        return NULL;
    p->path = nb_strdup(path);
    p->name = name_from_path(path);
    p->description = nb_strdup("");
    p->options = calloc(1, sizeof *p->options);
    if (!p->path || !p->name || !p->description || !p->options) {
        nb_pipeline_free(p);
        return NULL;
    }
    return p;
}

nb_pipeline *nb_pipeline_parse(const char *path, const char *text, size_t len, nb_error *err)
{
    nb_pipeline *p = new_pipeline(path);
    if (!p) {
        nb_error_set(err, NB_E_INTERNAL, path, "out of memory");
        return NULL;
    }
    parser ps = {path, 0, p, 0, err};
    if (!valid_name(p->name)) {
        pl_error(&ps, "'%s' is not a usable pipeline name (letters, digits, - _ .)", p->name);
        nb_pipeline_free(p);
        return NULL;
    }
    const char *s = text, *end = text + len;
    bool ok = true;
    while (ok && s < end) {
        const char *nl = memchr(s, '\n', (size_t)(end - s));
        size_t n = nl ? (size_t)(nl - s) : (size_t)(end - s);
        char *line = nb_strndup(s, n);
        ps.line++;
        ok = line && parse_line(&ps, line);
        free(line);
        s += n + 1;
    }
    if (ok && !p->output) {
        ps.line = 0;
        nb_error_set(err, NB_E_CONFIG, path, "no output: add 'output: FORMAT' or 'steps: … then FORMAT'");
        ok = false;
    }
    if (!ok) {
        nb_pipeline_free(p);
        return NULL;
    }
    return p;
}

nb_pipeline *nb_pipeline_load(const char *path, nb_error *err)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        nb_error_set(err, errno == ENOENT ? NB_E_USAGE : NB_E_NOINPUT, path,
                     "cannot open pipeline: %s", strerror(errno));
        return NULL;
    }
    nb_buf b = {0};
    char chunk[4096];
    size_t n;
    bool ok = true;
    while (ok && (n = fread(chunk, 1, sizeof chunk, f)) > 0)
        ok = nb_buf_add(&b, chunk, n) && b.len < (1u << 20);
    bool bad = ferror(f);
    fclose(f);
    if (!ok || bad) {
        nb_buf_free(&b);
        nb_error_set(err, NB_E_CONFIG, path, bad ? "read error" : "pipeline file too large");
        return NULL;
    }
    nb_pipeline *p = nb_pipeline_parse(path, b.s ? b.s : "", b.len, err);
    nb_buf_free(&b);
    return p;
}

void nb_pipeline_apply(const nb_pipeline *p, nb_run_config *cfg)
{
    cfg->from = p->input;
    cfg->to = p->output;
    cfg->validate = p->validate;
    cfg->provenance = p->provenance;
    cfg->out_options = (const char *const *)p->options;
}

/* Listing ----------------------------------------------------------------- */

static int cmp_entry(const void *a, const void *b)
{
    const nb_pipeline_entry *x = a, *y = b;
    int c = strcmp(x->name, y->name);
    return c ? c : (x->shadowed - y->shadowed);
}

static bool seen_name(const nb_pipeline_list *l, const char *name)
{
    for (size_t i = 0; i < l->n; i++)
        if (strcmp(l->v[i].name, name) == 0)
            return true;
    return false;
}

static bool add_entry(nb_pipeline_list *l, size_t *cap, const char *path)
{
    if (!nb_grow((void **)&l->v, cap, l->n, sizeof *l->v))
        return false;
    nb_pipeline_entry *e = &l->v[l->n];
    memset(e, 0, sizeof *e);
    e->path = nb_strdup(path);
    e->name = name_from_path(path);
    if (!e->path || !e->name) {
        free(e->path);
        free(e->name);
        return false;
    }
    e->shadowed = seen_name(l, e->name);
    nb_error err;
    nb_error_clear(&err);
    e->pipeline = nb_pipeline_load(path, &err);
    if (!e->pipeline)
        e->problem = nb_strfmt("%s: %s", err.where[0] ? err.where : path, err.text);
    l->n++;
    return true;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The *.pipe files of one directory, sorted so listings are stable. */
static bool scan_dir(const char *dir, nb_pipeline_list *l, size_t *cap)
{
    DIR *d = opendir(dir);
    if (!d)
        return true;  /* a missing directory is simply empty */
    char **names = NULL;
    size_t n = 0, ncap = 0;
    bool ok = true;
    for (struct dirent *de; ok && (de = readdir(d)) != NULL;) {
        if (de->d_name[0] == '.' || !nb_has_suffix_ci(de->d_name, NB_PIPELINE_EXT))
            continue;
        ok = nb_grow((void **)&names, &ncap, n, sizeof *names) &&
             (names[n] = nb_strfmt("%s/%s", dir, de->d_name)) != NULL;
        n += ok;
    }
    closedir(d);
    if (n)
        qsort(names, n, sizeof *names, cmp_str);
    for (size_t i = 0; i < n; i++) {
        struct stat st;
        if (ok && stat(names[i], &st) == 0 && S_ISREG(st.st_mode))
            ok = add_entry(l, cap, names[i]);
        free(names[i]);
    }
    free(names);
    return ok;
}

/* Calls fn for each distinct non-empty directory of a ':' list. */
static bool each_dir(const char *dirs, bool (*fn)(const char *dir, void *ctx), void *ctx)
{
    char *copy = nb_strdup(dirs ? dirs : "");
    if (!copy)
        return false;
    bool ok = true;
    char *save = NULL;
    nb_buf done = {0};
    nb_buf_adds(&done, ":");
    for (char *d = strtok_r(copy, ":", &save); d && ok; d = strtok_r(NULL, ":", &save)) {
        char *key = nb_strfmt(":%s:", d);
        bool dup = key && done.s && strstr(done.s, key) != NULL;
        free(key);
        if (dup)
            continue;
        nb_buf_printf(&done, "%s:", d);
        ok = fn(d, ctx);
    }
    nb_buf_free(&done);
    free(copy);
    return ok;
}

typedef struct list_ctx {
    nb_pipeline_list *l;
    size_t cap;
} list_ctx;

static bool list_one(const char *dir, void *ctx)
{
    list_ctx *lc = ctx;
    return scan_dir(dir, lc->l, &lc->cap);
}

nb_status nb_pipelines_list(const char *dirs, nb_pipeline_list *out, nb_error *err)
{
    memset(out, 0, sizeof *out);
    list_ctx lc = {out, 0};
    if (!each_dir(dirs, list_one, &lc)) {
        nb_pipeline_list_free(out);
        nb_error_set(err, NB_E_INTERNAL, NULL, "out of memory");
        return NB_FATAL;
    }
    if (out->n)
        qsort(out->v, out->n, sizeof *out->v, cmp_entry);
    return NB_OK;
}

void nb_pipeline_list_free(nb_pipeline_list *l)
{
    for (size_t i = 0; i < l->n; i++) {
        nb_pipeline_free(l->v[i].pipeline);
        free(l->v[i].name);
        free(l->v[i].path);
        free(l->v[i].problem);
    }
    free(l->v);
    memset(l, 0, sizeof *l);
}

/* Finding ----------------------------------------------------------------- */

typedef struct find_ctx {
    const char *name;
    char *found;
} find_ctx;

static bool find_one(const char *dir, void *ctx)
{
    find_ctx *fc = ctx;
    if (fc->found)
        return true;
    char *path = nb_strfmt("%s/%s%s", dir, fc->name, NB_PIPELINE_EXT);
    struct stat st;
    if (path && stat(path, &st) == 0 && S_ISREG(st.st_mode))
        fc->found = path;
    else
        free(path);
    return true;
}

static void not_found(const char *dirs, const char *name, nb_error *err)
{
    nb_pipeline_list l;
    nb_error e2;
    nb_buf names = {0};
    if (nb_pipelines_list(dirs, &l, &e2) == NB_OK) {
        for (size_t i = 0; i < l.n; i++)
            if (!l.v[i].shadowed)
                nb_buf_printf(&names, "%s%s", names.len ? ", " : "", l.v[i].name);
        nb_pipeline_list_free(&l);
    }
    nb_error_set(err, NB_E_USAGE, name, "no such pipeline (known: %s; see `nianbao pipelines`)",
                 names.len ? names.s : "none");
    nb_buf_free(&names);
}

nb_pipeline *nb_pipeline_find(const char *dirs, const char *name, nb_error *err)
{
    if (strchr(name, '/') || nb_has_suffix_ci(name, NB_PIPELINE_EXT))
        return nb_pipeline_load(name, err);
    if (!valid_name(name)) {
        nb_error_set(err, NB_E_USAGE, name, "not a pipeline name");
        return NULL;
    }
    find_ctx fc = {name, NULL};
    each_dir(dirs, find_one, &fc);
    if (!fc.found) {
        not_found(dirs, name, err);
        return NULL;
    }
    nb_pipeline *p = nb_pipeline_load(fc.found, err);
    free(fc.found);
    return p;
}

char *nb_pipelines_search_path(const nb_context *c, const char *extra)
{
    const char *xdg = getenv("XDG_CONFIG_HOME");
    const char *home = getenv("HOME");
    nb_buf b = {0};
    if (extra && *extra)
        nb_buf_printf(&b, "%s:", extra);
    if (xdg && *xdg == '/')
        nb_buf_printf(&b, "%s/nianbao/pipelines:", xdg);
    else if (home && *home)
        nb_buf_printf(&b, "%s/.config/nianbao/pipelines:", home);
    const char *cp = c ? nb_context_pipelines_path(c) : NULL;
    if (cp)
        nb_buf_adds(&b, cp);
    return nb_buf_steal(&b);
}
