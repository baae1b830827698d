/* detect.c - file kinds by content (see detect.h). */
#include "detect.h"
#include "util.h"
#include <stdint.h>
#include <string.h>

static const unsigned char OLE2_MAGIC[8] = {0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1};
#define ODF_MIME "application/vnd.oasis.opendocument."

static bool is_pdf(const unsigned char *h, size_t len)
{
    size_t lim = len < 1024 ? len : 1024; /* readers accept junk before the header */
    /* memchr finds each '%' (text has few): not a memcmp at every offset */
    for (const unsigned char *p = h, *end = h + lim; (p = memchr(p, '%', (size_t)(end - p))); p++)
        if (end - p >= 5 && !memcmp(p, "%PDF-", 5))
            return true;
    return false;
}

/* An ASCII name as OLE2 directories store it: UTF-16LE. */
static bool has_utf16(const unsigned char *h, size_t len, const char *s)
{
    size_t n = strlen(s);
    for (size_t i = 0; i + 2 * n <= len; i++) {
        size_t k = 0;
        while (k < n && h[i + 2 * k] == (unsigned char)s[k] && h[i + 2 * k + 1] == 0)
            k++;
        if (k == n)
            return true;
    }
    return false;
}

static bool has_ext(const char *name, const char *const *exts)
{
    for (; *exts; exts++)
        if (name && nb_has_suffix_ci(name, *exts))
            return true;
    return false;
}

static nb_kind ole2_kind(const unsigned char *h, size_t len, const char *name)
{
    static const char *const words[] = {".doc", ".dot", ".wps", ".wpt", NULL};
    static const char *const sheets[] = {".xls", ".xlt", ".et", NULL};
    static const char *const slides[] = {".ppt", ".pps", ".dps", NULL};
    if (has_utf16(h, len, "WordDocument") || has_ext(name, words))
        return NB_KIND_WORD_OLE2;
    if (has_utf16(h, len, "Workbook") || has_ext(name, sheets))
        return NB_KIND_SHEET_OLE2;
    if (has_utf16(h, len, "PowerPoint Document") || has_ext(name, slides))
        return NB_KIND_SLIDES_OLE2;
    return NB_KIND_OTHER; /* Thumbs.db, installers ...: not a document */
}

static uint16_t le16(const unsigned char *p) { return (uint16_t)(p[0] | p[1] << 8); }

typedef struct zip_names {
    bool content_types, rels, word, xl, ppt, odf, odt;
} zip_names;

static bool name_is(const unsigned char *n, size_t nl, const char *s)
{
    return nl == strlen(s) && !memcmp(n, s, nl);
}

static bool name_starts(const unsigned char *n, size_t nl, const char *s)
{
    return nl >= strlen(s) && !memcmp(n, s, strlen(s));
}

/* Looks at every local file header in head (sizes may be unknown until a
 * data descriptor, so headers are found by signature, not by walking). */
static void scan_zip_names(const unsigned char *h, size_t len, zip_names *z)
{
    for (size_t i = 0; i + 30 <= len; i++) {
        if (memcmp(h + i, "PK\3\4", 4))
            continue;
        size_t nl = le16(h + i + 26), xl = le16(h + i + 28);
        const unsigned char *n = h + i + 30;
        if (i + 30 + nl > len)
            break;
        z->content_types |= name_is(n, nl, "[Content_Types].xml");
        z->rels |= name_starts(n, nl, "_rels/");
        z->word |= name_starts(n, nl, "word/");
        z->xl |= name_starts(n, nl, "xl/");
        z->ppt |= name_starts(n, nl, "ppt/");
        if (name_is(n, nl, "mimetype") && i + 30 + nl + xl + strlen(ODF_MIME) <= len) {
            const unsigned char *m = n + nl + xl;
            z->odf |= !memcmp(m, ODF_MIME, strlen(ODF_MIME));
            z->odt |= z->odf && i + 30 + nl + xl + strlen(ODF_MIME) + 4 <= len &&
                      !memcmp(m + strlen(ODF_MIME), "text", 4);
        }
    }
}

static nb_kind zip_kind(const unsigned char *h, size_t len, const char *name)
{
    static const char *const words[] = {".docx", ".docm", ".dotx", ".wpsx", NULL};
    zip_names z = {0};
    scan_zip_names(h, len, &z);
    if (z.odf)
        return z.odt ? NB_KIND_ODT : NB_KIND_ODF_OTHER;
    bool ooxml = z.content_types || z.rels;
    /* named .docx: the DOCX reader says what is wrong with it (no
     * word/document.xml ...), rather than a guess from the parts seen */
    if ((ooxml && z.word) || has_ext(name, words))
        return NB_KIND_DOCX;
    if (ooxml && z.xl)
        return NB_KIND_XLSX;
    if (ooxml && z.ppt)
        return NB_KIND_PPTX;
    return ooxml ? NB_KIND_OOXML_OTHER : NB_KIND_OTHER; /* OTHER: a plain zip archive */
}

nb_kind nb_detect_kind(const unsigned char *head, size_t len, const char *name)
{
    /* containers first: a zip whose first member is a stored PDF shows %PDF early */
    if (len >= sizeof OLE2_MAGIC && !memcmp(head, OLE2_MAGIC, sizeof OLE2_MAGIC))
        return ole2_kind(head, len, name);
    if (len >= 4 && !memcmp(head, "PK\3\4", 4))
        return zip_kind(head, len, name);
    return is_pdf(head, len) ? NB_KIND_PDF : NB_KIND_OTHER;
}

#define DOC_HOW "save it as DOCX (Word or WPS: Save As, .docx), or convert it with -I doc.convert=soffice"

static const nb_kind_route routes[] = {
    [NB_KIND_OTHER] = {NULL, NULL, false},
    [NB_KIND_PDF] = {"pdf", "PDF reader not built (it needs poppler-glib, see README)", true},
    [NB_KIND_WORD_OLE2] = {"doc", "legacy Word/WPS document (.doc/.wps) not read: " DOC_HOW, true},
    [NB_KIND_SHEET_OLE2] = {NULL, "not a report: spreadsheet (Excel/ET workbook)", false},
    [NB_KIND_SLIDES_OLE2] = {NULL, "not a report: presentation", false},
    [NB_KIND_DOCX] = {"docx", "DOCX reader not built", true},
    [NB_KIND_XLSX] = {NULL, "not a report: spreadsheet (Excel workbook)", false},
    [NB_KIND_PPTX] = {NULL, "not a report: presentation", false},
    [NB_KIND_OOXML_OTHER] = {NULL, "office package of an unknown kind (no word/, xl/ or ppt/ part)", true},
    [NB_KIND_ODT] = {NULL, "OpenDocument text (.odt) not read: save it as DOCX", true},
    [NB_KIND_ODF_OTHER] = {NULL, "not a report: OpenDocument spreadsheet or presentation", false},
};

const nb_kind_route *nb_kind_route_of(nb_kind k)
{
    if ((size_t)k >= sizeof routes / sizeof routes[0])
        k = NB_KIND_OTHER;
    return &routes[k];
}
