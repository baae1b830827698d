/* options.c - plugin options: declared by the plugin, checked by the core,
 * so a typo is an error listing the valid keys and never silently ignored. */
#include "nianbao/nianbao.h"
#include "util.h"
#include <stdlib.h>
#include <string.h>
#include <errno.h>

struct nb_options {
    const nb_option_def *defs;
    size_t n;
    char **values; /* set values, NULL = default */
};

nb_options *nb_options_new(const nb_option_def *defs)
{
    nb_options *o = calloc(1, sizeof *o);
    if (!o)
        return NULL;
    o->defs = defs;
    while (defs && defs[o->n].name)
        o->n++;
    o->values = calloc(o->n ? o->n : 1, sizeof *o->values);
    if (!o->values) {
        free(o);
        return NULL;
    }
    return o;
}

void nb_options_free(nb_options *o)
{
    if (!o)
        return;
    for (size_t i = 0; i < o->n; i++)
        free(o->values[i]);
    free(o->values);
    free(o);
}

static long find(const nb_options *o, const char *name, size_t len)
{
    for (size_t i = 0; i < o->n; i++)
        if (strlen(o->defs[i].name) == len && strncmp(o->defs[i].name, name, len) == 0)
            return (long)i;
    return -1;
}

static bool parse_bool(const char *v, bool *out)
{
    static const char *const yes[] = {"1", "true", "yes", "on"}, *const no[] = {"0", "false", "no", "off"};
    for (int i = 0; i < 4; i++) {
        if (strcmp(v, yes[i]) == 0)
            return *out = true, true;
        if (strcmp(v, no[i]) == 0)
            return *out = false, true;
    }
    return false;
}

static void list_keys(const nb_options *o, nb_buf *b)
{
    for (size_t i = 0; i < o->n; i++)
        nb_buf_printf(b, "%s%s", i ? ", " : "", o->defs[i].name);
    if (o->n == 0)
        nb_buf_adds(b, "(none)");
}

nb_status nb_options_set(nb_options *o, const char *plugin, const char *kv, nb_error *err)
{
    const char *eq = strchr(kv, '=');
    size_t klen = eq ? (size_t)(eq - kv) : strlen(kv);
    const char *val = eq ? eq + 1 : "true"; /* a bare key switches a flag on */
    long i = find(o, kv, klen);
    if (i < 0) {
        nb_buf b = {0};
        list_keys(o, &b);
        nb_error_set(err, NB_E_USAGE, plugin, "unknown option \"%.*s\"; valid options: %s", (int)klen,
                     kv, b.s ? b.s : "");
        nb_buf_free(&b);
        return NB_FAILED;
    }
    const nb_option_def *d = &o->defs[i];
    bool bv;
    char *end = NULL;
    errno = 0;
    if (d->type == NB_OPT_BOOL && !parse_bool(val, &bv)) {
        nb_error_set(err, NB_E_USAGE, plugin, "option %s takes true or false, not \"%s\"", d->name, val);
        return NB_FAILED;
    }
    if (d->type == NB_OPT_INT && (strtol(val, &end, 10), errno || !*val || *end)) {
        nb_error_set(err, NB_E_USAGE, plugin, "option %s takes a whole number, not \"%s\"", d->name, val);
        return NB_FAILED;
    }
    nb_set_str(&o->values[i], val);
    return NB_OK;
}

const char *nb_options_get(const nb_options *o, const char *name)
{
    if (!o)
        return NULL;
    long i = find(o, name, strlen(name));
    if (i < 0)
        return NULL;
    return o->values[i] ? o->values[i] : o->defs[i].default_value;
}

bool nb_options_get_bool(const nb_options *o, const char *name)
{
    const char *v = nb_options_get(o, name);
    bool b = false;
    return v && parse_bool(v, &b) && b;
}

long nb_options_get_int(const nb_options *o, const char *name)
{
    const char *v = nb_options_get(o, name);
    return v ? strtol(v, NULL, 10) : 0;
}
