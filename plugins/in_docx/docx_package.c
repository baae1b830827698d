/* docx_package.c - the main document part out of a .docx package (a zip)
 * with libarchive.  The part is the one _rels/.rels names as the
 * officeDocument (word/document.xml for every producer we know; some
 * write word/document2.xml); nothing is extracted to disk. */
#include <archive.h>
#include <archive_entry.h>
#include <stdlib.h>
#include <string.h>
#include "docx_priv.h"

#define DX_READ_BUF (64u * 1024u)
#define DX_RELS_MAX (1u << 20)
#define DX_DEFAULT_PART "word/document.xml"
/* A package that is not a file (a memory stream) is read whole, up to this. */
#define DX_PACKAGE_MAX (512u << 20)

typedef struct pkg {
    nb_stream *in;
    const char *name;   /* for messages */
    char *mem;          /* the package when it is not a file */
    size_t memlen;
    char target[256];   /* the main part's name */
    bool rels_seen;
} pkg;

static nb_status fail(nb_error *err, const char *where, const char *msg)
{
    nb_error_set(err, NB_E_DATA, where, "%s", msg);
    return NB_FAILED;
}

static const char *arc_err(struct archive *a)
{
    const char *s = archive_error_string(a);
    return s && *s ? s : "damaged data";
}

/* Reads the current entry, at most max bytes; NB_FAILED with the reason. */
static nb_status read_entry(pkg *p, struct archive *a, size_t max, const char *member, char **out,
                            size_t *outlen, nb_error *err)
{
    strbuf b = {0};
    char *chunk = malloc(DX_READ_BUF);
    nb_status st = chunk && strbuf_add(&b, "", 0) ? NB_OK : NB_FATAL;
    while (st == NB_OK) {
        la_ssize_t n = archive_read_data(a, chunk, DX_READ_BUF);
        if (n == 0)
            break;
        if (n < 0) {
            nb_error_set(err, NB_E_DATA, p->name, "cannot read %s from the package: %s", member, arc_err(a));
            st = NB_FAILED;
        } else if (b.len + (size_t)n > max) {
            nb_error_set(err, NB_E_DATA, p->name, "%s is larger than %zu MiB: not read", member, max >> 20);
            st = NB_FAILED;
        } else if (!strbuf_add(&b, chunk, (size_t)n))
            st = NB_FATAL;
    }
    free(chunk);
    if (st == NB_FATAL)
        nb_error_set(err, NB_E_INTERNAL, p->name, "out of memory");
    if (st != NB_OK) {
        strbuf_free(&b);
        return st;
    }
    *out = b.s;
    *outlen = b.len;
    return NB_OK;
}

/* The Target of the officeDocument relationship in _rels/.rels, without a
 * leading '/'.  A plain scan: the part is tiny and machine-written. */
static void rels_target(pkg *p, const char *rels)
{
    for (const char *r = strstr(rels, "<Relationship "); r; r = strstr(r + 1, "<Relationship ")) {
        const char *end = strchr(r, '>');
        const char *type = strstr(r, "/officeDocument\"");
        const char *tgt = strstr(r, "Target=\"");
        if (!end || !type || !tgt || type > end || tgt > end)
            continue;
        tgt += 8;
        while (*tgt == '/')
            tgt++;
        const char *q = strchr(tgt, '"');
        size_t n = q ? (size_t)(q - tgt) : 0;
        if (n && n < sizeof p->target) {
            memcpy(p->target, tgt, n);
            p->target[n] = '\0';
            p->rels_seen = true;
        }
        return;
    }
}

static struct archive *open_zip(pkg *p, nb_error *err)
{
    struct archive *a = archive_read_new();
    if (!a) {
        nb_error_set(err, NB_E_INTERNAL, p->name, "out of memory");
        return NULL;
    }
    archive_read_support_format_zip(a);
    const char *path = nb_stream_path(p->in);
    int r = p->mem ? archive_read_open_memory(a, p->mem, p->memlen)
                   : archive_read_open_filename(a, path, DX_READ_BUF);
    if (r != ARCHIVE_OK && r != ARCHIVE_WARN) {
        nb_error_set(err, NB_E_DATA, p->name, "not a readable Word package (a .docx is a zip): %s", arc_err(a));
        archive_read_free(a);
        return NULL;
    }
    return a;
}

static const char *entry_name(struct archive_entry *e)
{
    const char *n = archive_entry_pathname(e);
    while (n && *n == '/')
        n++;
    return n;
}

/* One pass over the entries; NB_EOF when the main part is not there. */
static nb_status scan(pkg *p, size_t max, char **xml, size_t *len, nb_error *err)
{
    struct archive *a = open_zip(p, err);
    if (!a)
        return nb_error_class(err) == NB_E_INTERNAL ? NB_FATAL : NB_FAILED;
    struct archive_entry *e;
    nb_status st = NB_EOF;
    int r;
    while (st == NB_EOF && (r = archive_read_next_header(a, &e)) == ARCHIVE_OK) {
        const char *n = entry_name(e);
        if (!n)
            continue;
        if (!p->rels_seen && strcmp(n, "_rels/.rels") == 0) {
            char *rels = NULL;
            size_t rl = 0;
            st = read_entry(p, a, DX_RELS_MAX, "_rels/.rels", &rels, &rl, err);
            if (st == NB_OK) {
                rels_target(p, rels);
                st = NB_EOF;
            }
            free(rels);
        } else if (strcmp(n, p->target) == 0)
            st = read_entry(p, a, max, p->target, xml, len, err);
    }
    if (st == NB_EOF && r != ARCHIVE_EOF && r != ARCHIVE_OK) {
        nb_error_set(err, NB_E_DATA, p->name, "damaged Word package: %s", arc_err(a));
        st = NB_FAILED;
    }
    archive_read_free(a);
    return st;
}

/* The package was read by name: read the stream through as well so the
 * report's source size and SHA-256 are those of the file. */
static nb_status drain(nb_stream *in, nb_error *err)
{
    char *chunk = malloc(DX_READ_BUF);
    ssize_t n = chunk ? 1 : -1;
    while (n > 0)
        n = nb_stream_read(in, chunk, DX_READ_BUF, err);
    free(chunk);
    if (!chunk)
        nb_error_set(err, NB_E_INTERNAL, nb_stream_name(in), "out of memory");
    return n == 0 ? NB_OK : chunk ? NB_FAILED : NB_FATAL;
}

static bool is_ole2(const unsigned char *h, size_t n)
{
    return n >= 8 && memcmp(h, "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8) == 0;
}

nb_status dx_package_read(nb_stream *in, size_t max, char **xml, size_t *len, nb_error *err)
{
    pkg p = {.in = in, .name = nb_stream_name(in)};
    const unsigned char *head = NULL;
    ssize_t hn = nb_stream_peek(in, &head, 8, err);
    if (hn < 0)
        return NB_FAILED;
    if (is_ole2(head, (size_t)hn))
        return fail(err, p.name, "an OLE2 file, not a Word package: a password-protected .docx or a "
                                        "renamed .doc; save it as .docx without a password");
    if (hn < 4 || memcmp(head, "PK", 2) != 0)
        return fail(err, p.name, "not a Word package (a .docx is a zip and this is not one)");
    if (!nb_stream_path(in) && nb_stream_read_all(in, DX_PACKAGE_MAX, &p.mem, &p.memlen, err) != NB_OK)
        return NB_FAILED;
    strcpy(p.target, DX_DEFAULT_PART);
    nb_status st = scan(&p, max, xml, len, err);
    if (st == NB_EOF && p.rels_seen && strcmp(p.target, DX_DEFAULT_PART) != 0)
        st = scan(&p, max, xml, len, err); /* .rels came after the part it names */
    if (st == NB_EOF) {
        nb_error_set(err, NB_E_DATA, p.name, "not a Word document: the package has no %s (a spreadsheet, "
                     "a presentation or another zip named .docx?)", p.target);
        st = NB_FAILED;
    }
    if (st == NB_OK && !p.mem && (st = drain(in, err)) != NB_OK) {
        free(*xml);
        *xml = NULL;
    }
    free(p.mem);
    return st;
}
