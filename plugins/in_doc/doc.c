/* doc.c - the "doc" input: legacy .doc and Kingsoft .wps reports.  The
 * core hands it every OLE2 word-processing file (core/src/detect.c).  It
 * fails them with a reason that says how to proceed, unless the user opted
 * in to the converter route: then the DOCX that soffice made is handed
 * back to the core as a member, which the docx reader reads. */
#include "doc_priv.h"
#include <stdlib.h>
#include <string.h>

#define HOWTO "save it as DOCX (Word or WPS: Save As, .docx), or convert it with -I doc.convert=soffice"

static const char *const exts[] = {".doc", ".wps", ".dot", ".wpt", NULL};

static const nb_option_def options[] = {
    {"convert", NB_OPT_STRING, "none",
     "none: .doc/.wps fail with advice; soffice: convert them with LibreOffice (must be on PATH)"},
    {"timeout", NB_OPT_INT, "120", "seconds soffice may take for one file"},
    {0},
};

typedef struct doc_reader {
    const char *tmpdir;
    bool soffice;
    long timeout;
    char *dir, *docx, *name; /* the conversion, removed by destroy/open */
    nb_stream *member;
    bool handed;
} doc_reader;

static int doc_probe(const unsigned char *head, size_t len)
{
    static const unsigned char ole2[8] = {0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1};
    return len >= 8 && !memcmp(head, ole2, 8) ? 40 : 0;
}

static void clear(doc_reader *r)
{
    nb_stream_free(r->member);
    doc_remove_tree(r->dir);
    free(r->dir), free(r->docx), free(r->name);
    r->member = NULL, r->dir = r->docx = r->name = NULL;
    r->handed = false;
}

static nb_status doc_create(const nb_host *h, const nb_options *o, void **inst, nb_error *err)
{
    doc_reader *r = calloc(1, sizeof *r);
    if (!r) {
        nb_error_set(err, NB_E_INTERNAL, NULL, "out of memory");
        return NB_FATAL;
    }
    const char *conv = nb_options_get(o, "convert");
    if (conv && strcmp(conv, "none") && strcmp(conv, "soffice")) {
        nb_error_set(err, NB_E_USAGE, NULL, "doc.convert must be none or soffice, not '%s'", conv);
        free(r);
        return NB_FAILED;
    }
    r->soffice = conv && !strcmp(conv, "soffice");
    r->timeout = nb_options_get_int(o, "timeout");
    r->timeout = r->timeout > 0 ? r->timeout : 120;
    r->tmpdir = h ? nb_host_tmpdir(h) : NULL;
    *inst = r;
    return NB_OK;
}

static void doc_destroy(void *inst)
{
    if (inst)
        clear(inst);
    free(inst);
}

static char *docx_name(const char *src)
{
    const char *base = strrchr(src, '/');
    base = base ? base + 1 : src;
    const char *dot = strrchr(base, '.');
    size_t n = dot ? (size_t)(dot - base) : strlen(base);
    char *s = malloc(n + 6);
    if (s)
        memcpy(s, base, n), memcpy(s + n, ".docx", 6);
    return s;
}

static nb_status doc_open(void *inst, nb_stream *in, nb_error *err)
{
    doc_reader *r = inst;
    clear(r);
    if (!r->soffice) {
        nb_error_set(err, NB_E_DATA, NULL, "legacy Word/WPS document (.doc/.wps) not read: " HOWTO);
        return NB_FAILED;
    }
    const char *path = nb_stream_path(in);
    if (!path) {
        nb_error_set(err, NB_E_DATA, NULL, "legacy Word/WPS document: no file to convert");
        return NB_FAILED;
    }
    nb_status st = doc_soffice_convert(path, r->tmpdir, r->timeout, &r->dir, &r->docx, err);
    if (st != NB_OK)
        return st;
    nb_error e;
    r->name = docx_name(nb_stream_name(in));
    r->member = r->name ? nb_stream_open_file(r->docx, &e) : NULL;
    if (!r->member) {
        nb_error_set(err, NB_E_IO, NULL, "cannot read the converted DOCX");
        return NB_FAILED;
    }
    return NB_OK;
}

static nb_status doc_next(void *inst, nb_item *item, nb_error *err)
{
    (void)err;
    doc_reader *r = inst;
    if (!r->member || r->handed)
        return NB_EOF;
    r->handed = true;
    nb_item_set_member(item, r->member, r->name);
    return NB_OK;
}

static const nb_plugin doc_plugin = {
    .abi_version = NB_ABI_VERSION,
    .struct_size = sizeof(nb_plugin),
    .name = "doc",
    .version = "1.0",
    .description = "Legacy Word .doc and WPS .wps (fail with advice, or convert with soffice)",
    .kind = NB_PLUGIN_INPUT,
    .caps = NB_CAP_NEEDS_SEEK | NB_CAP_CONTAINER,
    .extensions = exts,
    .options = options,
    .probe = doc_probe,
    .create = doc_create,
    .destroy = doc_destroy,
    .open = doc_open,
    .next = doc_next,
};

NB_PLUGIN_EXPORT const nb_plugin *nb_plugin_entry(uint32_t host_abi)
{
    (void)host_abi;
    return &doc_plugin;
}
