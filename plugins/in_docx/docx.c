/* docx.c - the "docx" input plugin: Word reports (.docx) from Word, WPS,
 * LibreOffice, python-docx, pandoc ...
 *
 * open() reads the main document part out of the package
 * (docx_package.c), walks its XML into paragraphs and tables
 * (docx_xml.c) and turns those into document lines (docx_emit.c); next()
 * hands the document out once.  Headers, footers, footnotes and comments
 * are not read: the report is in the body. */
#include <stdlib.h>
#include <string.h>
#include <libxml/parser.h>
#include "nianbao/nianbao.h"
#include "docx_priv.h"

static const char *const docx_extensions[] = {".docx", ".docm", NULL};

static const nb_option_def docx_options[] = {
    {"spans", NB_OPT_STRING, "cells",
     "cells: one cell per Word table cell (a merged cell is one cell); "
     "grid: one cell per grid column, a merged cell's text in its first column, the others empty"},
    {0}};

typedef struct docx_reader {
    nb_doc *doc; /* read by open(), handed out once by next() */
    bool grid;   /* spans=grid */
} docx_reader;

static bool has(const unsigned char *h, size_t len, const char *needle)
{
    size_t n = strlen(needle);
    for (size_t i = 0; i + n <= len; i++)
        if (memcmp(h + i, needle, n) == 0)
            return true;
    return false;
}

/* A zip whose leading entries are an OPC package's ([Content_Types].xml or
 * _rels/.rels) with a word/ part: above the archive plugin's bid for zips. */
static int docx_probe(const unsigned char *h, size_t len)
{
    if (len < 30 || memcmp(h, "PK\x03\x04", 4) != 0)
        return 0;
    bool opc = has(h, len, "[Content_Types].xml") || has(h, len, "_rels/.rels");
    return opc && has(h, len, "word/") ? 95 : 0;
}

static nb_status docx_create(const nb_host *host, const nb_options *opts, void **inst, nb_error *err)
{
    (void)host;
    const char *spans = opts ? nb_options_get(opts, "spans") : NULL;
    if (spans && strcmp(spans, "grid") != 0 && strcmp(spans, "cells") != 0) {
        nb_error_set(err, NB_E_USAGE, NULL, "docx.spans must be grid or cells, not '%s'", spans);
        return NB_FATAL;
    }
    docx_reader *r = calloc(1, sizeof *r);
    if (!r) {
        nb_error_set(err, NB_E_INTERNAL, "docx", "out of memory");
        return NB_FATAL;
    }
    /* Idempotent and thread-safe; the matching xmlCleanupParser() belongs to
     * the process's end, not to a plugin another plugin may share libxml2 with. */
    xmlInitParser();
    r->grid = spans && strcmp(spans, "grid") == 0;
    *inst = r;
    return NB_OK;
}

static void docx_destroy(void *inst)
{
    docx_reader *r = inst;
    if (r)
        nb_doc_free(r->doc);
    free(r);
}

static nb_status docx_open(void *inst, nb_stream *in, nb_error *err)
{
    docx_reader *r = inst;
    nb_doc_free(r->doc);
    r->doc = NULL;
    const char *name = nb_stream_name(in);
    char *xml = NULL;
    size_t len = 0;
    nb_status st = dx_package_read(in, (size_t)nb_limits_default().max_member_bytes, &xml, &len, err);
    if (st != NB_OK)
        return st;
    dx_blocks body = {0};
    st = dx_xml_parse(xml, len, name, &body, err);
    free(xml);
    nb_doc *d = st == NB_OK ? nb_doc_new(name) : NULL;
    if (st == NB_OK && (!d || !dx_emit(&body, r->grid, d))) {
        nb_error_set(err, NB_E_INTERNAL, name, "out of memory");
        st = NB_FATAL;
    }
    dx_blocks_free(&body);
    if (st != NB_OK) {
        nb_doc_free(d);
        return st;
    }
    nb_doc_set_encoding(d, "UTF-8");
    r->doc = d;
    return NB_OK;
}

static nb_status docx_next(void *inst, nb_item *item, nb_error *err)
{
    (void)err;
    docx_reader *r = inst;
    if (!r->doc)
        return NB_EOF;
    nb_item_set_doc(item, r->doc);
    r->doc = NULL;
    return NB_OK;
}

static const nb_plugin docx_plugin = {
    .abi_version = NB_ABI_VERSION,
    .struct_size = sizeof(nb_plugin),
    .name = "docx",
    .version = "1.0",
    .description = "Word documents (.docx): paragraphs as lines, tables as grids",
    .kind = NB_PLUGIN_INPUT,
    .caps = NB_CAP_REENTRANT,
    .extensions = docx_extensions,
    .options = docx_options,
    .probe = docx_probe,
    .create = docx_create,
    .destroy = docx_destroy,
    .open = docx_open,
    .next = docx_next,
};

NB_PLUGIN_EXPORT const nb_plugin *nb_plugin_entry(uint32_t host_abi)
{
    (void)host_abi; /* the host checks the version and reports mismatches */
    return &docx_plugin;
}
