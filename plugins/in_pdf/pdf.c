/* pdf.c - PDF reports through poppler-glib: every character with its box,
 * rebuilt into lines of cells by the layout module (plugins/common).
 * Pages are read and released one at a time; only their lines are kept.
 * Instances share nothing, so with -j N PDFs are read on the workers
 * (NB_CAP_REENTRANT), once poppler's own shared state is built (warm_up). */
#include "nianbao/plugin.h"
#include "layout.h"
#include <poppler.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#define PDF_MAX_BYTES (256u << 20)

static const char *const exts[] = {".pdf", NULL};

typedef struct pdf_reader {
    nb_doc *doc; /* built by open(), handed out once by next() */
} pdf_reader;

static int pdf_probe(const unsigned char *head, size_t len)
{
    /* the header may follow some junk bytes (allowed in the first 1024) */
    size_t lim = len < 1024 ? len : 1024;
    if (len >= 4 && !memcmp(head, "PK\3\4", 4))
        return 0; /* a zip holding a stored PDF */
    for (size_t i = 0; i + 5 <= lim; i++)
        if (!memcmp(head + i, "%PDF-", 5))
            return 100;
    return 0;
}

/* A valid one-page PDF with an empty 8x8 page (xref offsets exact, so
 * poppler reads it without a warning). */
static const char blank_pdf[] = "%PDF-1.4\n"
                                "1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
                                "2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
                                "3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 8 8]>>endobj\n"
                                "xref\n0 4\n0000000000 65535 f \n0000000009 00000 n \n"
                                "0000000052 00000 n \n0000000101 00000 n \n"
                                "trailer<</Size 4/Root 1 0 R>>\nstartxref\n160\n%%EOF\n";

/* poppler builds process-wide state without a lock the first time it is
 * used: the colour profiles (GfxState's sRGB profile, the XYZ transforms)
 * when the first page is drawn.  Readers on two workers doing that at once
 * could each build it and free the other's.  So the first instance opens
 * and draws a blank page of its own, and any other waits until it has
 * (pthread_once); after that poppler's shared caches take their own locks.
 *
 * The blank document is then kept until the plugin is unloaded, because
 * poppler-glib counts its GlobalParams by the documents open: when the
 * last one closes they are freed, and the next document builds them again
 * (a scan of poppler-data's folders and a parse of its name tables).  Read
 * one at a time, as -j 1 does, every PDF paid that: 15-25 % of its CPU. */
static pthread_once_t warmed = PTHREAD_ONCE_INIT;
static PopplerDocument *kept; /* written once under pthread_once, then read-only */

/* Registered with atexit() from this plugin, so it runs at dlclose (while
 * poppler is loaded) or at exit before poppler's own static destructors,
 * which were registered earlier: an ELF destructor would run after them at
 * exit, and free GlobalParams a second time (found by fuzz_in_pdf, whose
 * process exits with the plugin loaded). */
static void let_go(void)
{
    if (kept)
        g_object_unref(kept);
    kept = NULL;
}

static void warm_up(void)
{
    GBytes *bytes = g_bytes_new_static(blank_pdf, sizeof blank_pdf - 1);
    PopplerDocument *pd = poppler_document_new_from_bytes(bytes, NULL, NULL);
    PopplerPage *page = pd ? poppler_document_get_page(pd, 0) : NULL;
    if (page) {
        g_free(poppler_page_get_text(page));
        g_object_unref(page);
    }
    kept = pd;
    g_bytes_unref(bytes);
    if (kept && atexit(let_go) != 0)
        let_go(); /* no way to let go later: poppler rebuilds per document, as before */
}

static nb_status pdf_create(const nb_host *h, const nb_options *o, void **inst, nb_error *err)
{
    (void)h;
    (void)o;
    pthread_once(&warmed, warm_up);
    if (!(*inst = calloc(1, sizeof(pdf_reader)))) {
        nb_error_set(err, NB_E_INTERNAL, NULL, "out of memory");
        return NB_FATAL;
    }
    return NB_OK;
}

static void pdf_destroy(void *inst)
{
    pdf_reader *r = inst;
    if (r)
        nb_doc_free(r->doc);
    free(r);
}

/* Characters of one page in drawing order, with their boxes. */
static nb_glyph *page_glyphs(PopplerPage *page, size_t *n)
{
    PopplerRectangle *rects = NULL;
    guint nrects = 0;
    char *text = poppler_page_get_text(page);
    nb_glyph *g = NULL;
    *n = 0;
    if (text && poppler_page_get_text_layout(page, &rects, &nrects) && nrects > 0 &&
        (g = malloc(nrects * sizeof *g))) {
        const char *p = text;
        for (guint i = 0; i < nrects && *p; i++, p = g_utf8_next_char(p)) {
            gunichar cp = g_utf8_get_char(p);
            g[(*n)++] = (nb_glyph){rects[i].x1, rects[i].y1, rects[i].x2, rects[i].y2, cp};
        }
    }
    g_free(rects);
    g_free(text);
    return g;
}

static nb_status load_pages(PopplerDocument *pd, nb_layout *L, nb_error *err)
{
    int pages = poppler_document_get_n_pages(pd);
    nb_status st = NB_OK;
    for (int i = 0; i < pages && st == NB_OK; i++) {
        PopplerPage *page = poppler_document_get_page(pd, i);
        if (!page)
            continue;
        double w, h;
        size_t n;
        poppler_page_get_size(page, &w, &h);
        nb_glyph *g = page_glyphs(page, &n);
        st = nb_layout_add_page(L, w, h, g, n, err);
        free(g);
        g_object_unref(page);
    }
    return st;
}

static PopplerDocument *open_document(nb_stream *in, nb_error *err)
{
    char *buf = NULL;
    size_t len = 0;
    if (nb_stream_read_all(in, PDF_MAX_BYTES, &buf, &len, err) != NB_OK)
        return NULL;
    GBytes *bytes = g_bytes_new_take(buf, len);
    GError *gerr = NULL;
    PopplerDocument *pd = poppler_document_new_from_bytes(bytes, NULL, &gerr);
    g_bytes_unref(bytes);
    if (!pd) {
        if (gerr && gerr->domain == POPPLER_ERROR && gerr->code == POPPLER_ERROR_ENCRYPTED)
            nb_error_set(err, NB_E_DATA, NULL,
                         "encrypted PDF: it needs a user password (save an unprotected copy)");
        else
            nb_error_set(err, NB_E_DATA, NULL, "not a readable PDF: %s",
                         gerr ? gerr->message : "damaged file");
    }
    if (gerr)
        g_error_free(gerr);
    return pd;
}

static nb_status pdf_open(void *inst, nb_stream *in, nb_error *err)
{
    pdf_reader *r = inst;
    nb_doc_free(r->doc);
    r->doc = NULL;
    PopplerDocument *pd = open_document(in, err);
    if (!pd)
        return nb_error_class(err) == NB_E_INTERNAL ? NB_FATAL : NB_FAILED;
    int pages = poppler_document_get_n_pages(pd);
    nb_layout *L = nb_layout_new();
    nb_doc *doc = nb_doc_new(nb_stream_name(in));
    nb_status st = L && doc ? load_pages(pd, L, err) : NB_FATAL;
    g_object_unref(pd);
    if (st == NB_OK && pages == 0) {
        nb_error_set(err, NB_E_DATA, NULL, "empty PDF: it has no pages");
        st = NB_FAILED;
    } else if (st == NB_OK && nb_layout_glyphs(L) == 0) {
        nb_error_set(err, NB_E_DATA, NULL, "scanned PDF: no text layer (run OCR first)");
        st = NB_FAILED;
    }
    if (st == NB_OK)
        st = nb_layout_emit(L, doc, err);
    nb_layout_free(L);
    if (st == NB_OK) {
        nb_doc_set_encoding(doc, "PDF");
        r->doc = doc;
    } else {
        nb_doc_free(doc);
        if (st == NB_FATAL && !nb_error_is_set(err))
            nb_error_set(err, NB_E_INTERNAL, NULL, "out of memory");
    }
    return st;
}

static nb_status pdf_next(void *inst, nb_item *item, nb_error *err)
{
    (void)err;
    pdf_reader *r = inst;
    if (!r->doc)
        return NB_EOF;
    nb_item_set_doc(item, r->doc);
    r->doc = NULL;
    return NB_OK;
}

static const nb_plugin pdf_plugin = {
    .abi_version = NB_ABI_VERSION,
    .struct_size = sizeof(nb_plugin),
    .name = "pdf",
    .version = "1.0",
    .description = "PDF reports with a text layer (poppler)",
    .kind = NB_PLUGIN_INPUT,
    .caps = NB_CAP_REENTRANT,
    .extensions = exts,
    .probe = pdf_probe,
    .create = pdf_create,
    .destroy = pdf_destroy,
    .open = pdf_open,
    .next = pdf_next,
};

NB_PLUGIN_EXPORT const nb_plugin *nb_plugin_entry(uint32_t host_abi)
{
    (void)host_abi;
    return &pdf_plugin;
}
