/* loader_manifest.c - a plugin's descriptor read from PLUGIN.so.manifest,
 * written at build time by core/tools/plugin_manifest.c.  With it the host
 * lists and chooses the plugin without opening the .so; the .so (and the
 * libraries it links: poppler, libxml2, libarchive ...) is opened when its
 * format is first needed, as GDAL's deferred driver loading does.  A
 * missing, stale (other file size) or malformed manifest is not an error:
 * the plugin then loads at start-up as before. */
#include "context_internal.h"
#include "util.h"
#include "jdoc.h"
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static const char *opt_str(const jd *o, const char *key)
{
    return jd_str(jd_get(o, key)); /* NULL for null or absent */
}

static bool read_extensions(const jd *a, nb_loaded *L)
{
    size_t n = jd_len(a);
    L->m_exts = calloc(n + 1, sizeof *L->m_exts);
    for (size_t i = 0; L->m_exts && i < n; i++)
        if (!(L->m_exts[i] = jd_str(jd_at(a, i))))
            return false;
    L->desc.extensions = L->m_exts;
    return L->m_exts != NULL;
}

static bool read_options(const jd *a, nb_loaded *L)
{
    size_t n = jd_len(a);
    L->m_opts = calloc(n + 1, sizeof *L->m_opts);
    for (size_t i = 0; L->m_opts && i < n; i++) {
        const jd *o = jd_at(a, i);
        long long type = jd_int(jd_get(o, "type"));
        if (!opt_str(o, "name") || type < NB_OPT_STRING || type > NB_OPT_INT)
            return false;
        L->m_opts[i] = (nb_option_def){opt_str(o, "name"), (nb_option_type)type, opt_str(o, "default"),
                                       opt_str(o, "help")};
    }
    L->desc.options = L->m_opts;
    return L->m_opts != NULL;
}

/* The descriptor's metadata from the manifest; callbacks stay NULL. */
static bool read_descriptor(const jd *m, nb_loaded *L)
{
    L->desc.abi_version = (uint32_t)jd_int(jd_get(m, "abi_version"));
    L->desc.struct_size = (uint32_t)jd_int(jd_get(m, "struct_size"));
    L->desc.name = opt_str(m, "name");
    L->desc.version = opt_str(m, "version");
    L->desc.description = opt_str(m, "description");
    L->desc.kind = (nb_plugin_kind)jd_int(jd_get(m, "kind"));
    L->desc.caps = (uint32_t)jd_int(jd_get(m, "caps"));
    L->m_probes = jd_is_true(jd_get(m, "probe"));
    /* a manifest that cannot say what it describes is not used: the
     * plugin itself is opened, and judged, instead */
    bool named = L->desc.name && *L->desc.name &&
                 (L->desc.kind == NB_PLUGIN_INPUT || L->desc.kind == NB_PLUGIN_OUTPUT);
    return named && read_extensions(jd_get(m, "extensions"), L) &&
           read_options(jd_get(m, "options"), L);
}

/* `text` is the manifest, `so_size` the size of the .so it must describe
 * (a manifest written for another build of the file is stale). */
bool nb_manifest_parse(const char *text, size_t len, off_t so_size, nb_loaded *L)
{
    const jd *m = jd_load_text(text, len, false, NULL);
    const char *schema = opt_str(m, "schema");
    bool ok = schema && strcmp(schema, "nianbao.plugin-manifest/1") == 0 &&
              jd_int(jd_get(m, "file_size")) == (long long)so_size;
    L->manifest = m;
    if (ok && read_descriptor(m, L))
        return true;
    nb_manifest_free(L);
    memset(&L->desc, 0, sizeof L->desc);
    return false;
}

void nb_manifest_free(nb_loaded *L)
{
    free(L->m_exts);
    free(L->m_opts);
    jd_free(L->manifest);
    L->m_exts = NULL;
    L->m_opts = NULL;
    L->manifest = NULL;
}
