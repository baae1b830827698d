/* archive.c - the "archive" input plugin: zip, tar (plain, gz, bz2, xz,
 * zstd), 7z and rar through libarchive, read as a stream and never
 * extracted.  It is a container: next() yields one member stream at a time
 * and the core sends each to the plugin that fits it (archives inside
 * archives come back here, in a new instance).
 *
 * This file holds the descriptor, probe, create/destroy and open();
 * archive_iter.c walks the entries and archive_names.c decodes names. */
#include <errno.h>
#include <iconv.h>
#include <stdlib.h>
#include <string.h>
#include "archive_priv.h"
#include <stdio.h>
#include <zlib.h>

static const char *const arc_extensions[] = {
    ".zip", ".tar", ".tgz", ".tar.gz", ".tar.bz2", ".tbz2", ".tbz", ".tar.xz", ".txz",
    ".tar.zst", ".tzst", ".7z", ".rar", NULL};

static const nb_option_def arc_options[] = {
    {"name_charset", NB_OPT_STRING, "GB18030",
     "encoding of member names that are not valid UTF-8 (zips made on Chinese Windows)"},
    {0}};

/* Probe ----------------------------------------------------------------- */

static bool has_magic(const unsigned char *h, size_t len, size_t off, const char *m, size_t n)
{
    return len >= off + n && memcmp(h + off, m, n) == 0;
}

/* Self-describing containers bid high.  Bare compression filters bid lower:
 * a .gz may hold a single text file, which libarchive (without the "raw"
 * format, left out on purpose so that garbage is never taken for a
 * one-member archive) cannot open; a text plugin would not want it either. */
static int arc_probe(const unsigned char *h, size_t len)
{
    if (has_magic(h, len, 0, "7z\xBC\xAF\x27\x1C", 6) || has_magic(h, len, 0, "Rar!\x1A\x07", 6))
        return 95;
    if (has_magic(h, len, 257, "ustar", 5))
        return 90;
    if (has_magic(h, len, 0, "PK\x03\x04", 4) || has_magic(h, len, 0, "PK\x05\x06", 4) ||
        has_magic(h, len, 0, "PK\x07\x08", 4))
        return 90;
    if (has_magic(h, len, 0, "\x1F\x8B", 2) || has_magic(h, len, 0, "\xFD" "7zXZ\0", 6) ||
        has_magic(h, len, 0, "\x28\xB5\x2F\xFD", 4))
        return 60;
    if (has_magic(h, len, 0, "BZh", 3) && len >= 4 && h[3] >= '1' && h[3] <= '9')
        return 60;
    return 0;
}

/* Lifecycle -------------------------------------------------------------- */

static void arc_close_archive(arc *x)
{
    arc_release_member(x);
    if (x->a) {
        archive_read_free(x->a);
        x->a = NULL;
    }
    x->in = NULL;
    x->dead = false;
    x->end_checked = false;
    x->nentries = 0;
    x->skipped_out = x->skipped_raw = 0;
    free(x->salvage);
    x->salvage = NULL;
    free(x->single);
    x->single = NULL;
    arc_zipdir_free(x->zipdir);
    x->zipdir = NULL;
}

/* Whether iconv knows cs, so a misspelt -I archive.name_charset is a usage
 * error instead of names decoded as something else without a word. */
static bool known_charset(const char *cs)
{
    iconv_t cd = iconv_open("UTF-8", cs);
    if (cd == (iconv_t)-1)
        return false;
    iconv_close(cd);
    return true;
}

static nb_status arc_create(const nb_host *host, const nb_options *opts, void **inst, nb_error *err)
{
    const char *cs = opts ? nb_options_get(opts, "name_charset") : NULL;
    if (cs && *cs && !known_charset(cs)) {
        nb_error_set(err, NB_E_USAGE, NULL, "archive.name_charset: unknown character set '%s' (iconv -l lists them)",
                     cs);
        return NB_FATAL;
    }
    arc *x = calloc(1, sizeof *x);
    if (x)
        x->name_charset = strdup(cs && *cs ? cs : "GB18030");
    if (!x || !x->name_charset) {
        free(x);
        nb_error_set(err, NB_E_INTERNAL, "archive", "out of memory");
        return NB_FATAL;
    }
    x->host = host;
    /* libarchive converts names to the *current* locale's charset and
     * drops UTF-8 / UTF-16 names it cannot convert (all CJK names under
     * LC_CTYPE=C).  setlocale() is process-wide and not ours to touch, so
     * the calls into libarchive run under a thread-local UTF-8 locale
     * (uselocale) instead; without one we fall back to the caller's. */
    x->utf8_locale = newlocale(LC_CTYPE_MASK, "C.UTF-8", (locale_t)0);
    if (x->utf8_locale == (locale_t)0)
        x->utf8_locale = newlocale(LC_CTYPE_MASK, "en_US.UTF-8", (locale_t)0);
    *inst = x;
    return NB_OK;
}

static void arc_destroy(void *inst)
{
    arc *x = inst;
    if (!x)
        return;
    arc_close_archive(x);
    if (x->utf8_locale != (locale_t)0)
        freelocale(x->utf8_locale);
    free(x->rbuf);
    free(x->name_charset);
    free(x->name);
    free(x->reason);
    free(x);
}

/* Callback mode: the stream is not a file (stdin that the core did not
 * spool, a member of a streamed tar).  Works for tar and streamable zip;
 * 7z fails cleanly with libarchive's "need seek" message. */
static la_ssize_t arc_read_cb(struct archive *a, void *ctx, const void **buf)
{
    arc *x = ctx;
    ssize_t n = nb_stream_read(x->in, x->rbuf, ARC_READ_BUF, &x->in_err);
    if (n < 0) {
        archive_set_error(a, EIO, "%s", x->in_err.text[0] ? x->in_err.text : "read error");
        return -1;
    }
    *buf = x->rbuf;
    return n;
}

static nb_status arc_fail_open(arc *x, nb_error *err)
{
    const char *msg = archive_error_string(x->a);
    nb_error_set(err, NB_E_DATA, nb_stream_name(x->in), "not a readable archive: %s",
                 msg && *msg ? msg : "unrecognized or damaged data");
    archive_read_free(x->a);
    x->a = NULL;
    return NB_FAILED;
}

static int arc_open_source(arc *x, const char *path)
{
    if (path)
        return archive_read_open_filename(x->a, path, ARC_READ_BUF);
    if (!x->rbuf && !(x->rbuf = malloc(ARC_READ_BUF)))
        return ARCHIVE_FATAL;
    nb_error_clear(&x->in_err);
    return archive_read_open(x->a, x, NULL, arc_read_cb, NULL);
}

/* The bytes a gzip stream gives before it breaks off, at most
 * ARC_SALVAGE_MAX.  libarchive's gzip filter drops a partly filled buffer
 * when its input ends early, so a small truncated .tar.gz fails while the
 * format is being detected although its first members are whole; zlib
 * hands out everything it could inflate. */
static size_t salvage_gzip(const char *path, unsigned char **out)
{
    *out = NULL;
    FILE *f = fopen(path, "rb");
    if (!f)
        return 0;
    z_stream z;
    memset(&z, 0, sizeof z);
    size_t len = 0, cap = 0;
    unsigned char in[16384];
    bool more = inflateInit2(&z, 16 + MAX_WBITS) == Z_OK;
    bool live = more;
    while (more && (z.avail_in = (uInt)fread(in, 1, sizeof in, f)) > 0) {
        z.next_in = in;
        while (more && z.avail_in > 0) {
            if (len == cap) {
                size_t ncap = cap ? cap * 2 : 65536;
                unsigned char *p = ncap <= ARC_SALVAGE_MAX ? realloc(*out, ncap) : NULL;
                if (!p)
                    break;
                *out = p;
                cap = ncap;
            }
            z.next_out = *out + len;
            z.avail_out = (uInt)(cap - len);
            int r = inflate(&z, Z_NO_FLUSH);
            len = cap - z.avail_out;
            more = r == Z_OK || r == Z_BUF_ERROR;
        }
        if (len == cap && cap >= ARC_SALVAGE_MAX)
            break;
    }
    if (live)
        inflateEnd(&z);
    fclose(f);
    return len;
}

/* Opens what could be decompressed of a damaged .tar.gz, so its whole
 * members are read and the loss is reported where it starts. */
static int arc_open_salvaged(arc *x, const char *path)
{
    size_t len = path ? salvage_gzip(path, &x->salvage) : 0;
    if (len == 0)
        return ARCHIVE_FATAL;
    archive_read_free(x->a);
    if (!(x->a = archive_read_new()))
        return ARCHIVE_FATAL;
    archive_read_support_format_all(x->a);
    int r = archive_read_open_memory(x->a, x->salvage, len);
    if (r == ARCHIVE_OK && x->host) { /* an archive it was: say what is lost */
        char msg[512];
        snprintf(msg, sizeof msg, "%s: damaged or truncated compressed data; reading the %zu bytes "
                 "that could be recovered", nb_stream_name(x->in), len);
        nb_host_log(x->host, "archive", msg);
    }
    return r;
}

/* The name a compressed file's content goes by: its own name without the
 * compression's extension ("年报.txt.gz" holds "年报.txt"); the content
 * decides when nothing is left of an extension. */
static char *single_name(const char *name)
{
    static const char *const comp[] = {".gz", ".bz2", ".xz", ".zst", ".z", NULL};
    const char *base = strrchr(name, '/');
    base = base ? base + 1 : name;
    size_t n = strlen(base);
    for (size_t i = 0; comp[i]; i++) {
        size_t k = strlen(comp[i]);
        if (n > k && strcasecmp(base + n - k, comp[i]) == 0) {
            n -= k;
            break;
        }
    }
    return strndup(base, n);
}

/* A file that a compression filter takes but no archive format does: one
 * compressed report (report.txt.gz), read as an archive of one member
 * through libarchive's raw format.  Only for a file (it is opened again),
 * and only when a filter really decoded it: raw takes anything. */
static bool arc_open_single(arc *x, const char *path)
{
    struct archive *a = path ? archive_read_new() : NULL;
    if (!a)
        return false;
    archive_read_support_filter_all(a);
    archive_read_support_format_raw(a);
    struct archive_entry *e;
    bool ok = archive_read_open_filename(a, path, ARC_READ_BUF) == ARCHIVE_OK &&
              archive_read_next_header(a, &e) == ARCHIVE_OK && archive_filter_count(a) > 1 &&
              archive_filter_code(a, 0) != ARCHIVE_FILTER_NONE;
    archive_read_free(a);
    if (!ok || !(x->single = single_name(nb_stream_name(x->in))))
        return false;
    /* opened again, so that the first header is the core's to read */
    archive_read_free(x->a);
    if ((x->a = archive_read_new())) {
        archive_read_support_filter_all(x->a);
        archive_read_support_format_raw(x->a);
        if (archive_read_open_filename(x->a, path, ARC_READ_BUF) == ARCHIVE_OK)
            return true;
    }
    free(x->single);
    x->single = NULL;
    return false;
}

static nb_status arc_open(void *inst, nb_stream *in, nb_error *err)
{
    arc *x = inst;
    arc_close_archive(x);
    x->in = in;
    x->a = archive_read_new();
    if (!x->a) {
        nb_error_set(err, NB_E_INTERNAL, nb_stream_name(in), "out of memory");
        return NB_FATAL;
    }
    archive_read_support_filter_all(x->a);
    archive_read_support_format_all(x->a);
    locale_t old = arc_locale_enter(x);
    int r = arc_open_source(x, nb_stream_path(in));
    /* a cut archive is read as far as it goes; failing that, a file that
     * decompresses whole but is no archive is one compressed report */
    if (r != ARCHIVE_OK && r != ARCHIVE_WARN &&
        (arc_open_salvaged(x, nb_stream_path(in)) == ARCHIVE_OK || arc_open_single(x, nb_stream_path(in))))
        r = ARCHIVE_OK;
    arc_locale_leave(old);
    if (r != ARCHIVE_OK && r != ARCHIVE_WARN && x->salvage) { /* it began to decompress, then broke */
        nb_error_set(err, NB_E_DATA, nb_stream_name(in), "damaged or truncated compressed data: not a readable archive");
        archive_read_free(x->a);
        x->a = NULL;
        return NB_FAILED;
    }
    if (r != ARCHIVE_OK && r != ARCHIVE_WARN)
        return arc_fail_open(x, err);
    return NB_OK;
}

static const nb_plugin arc_plugin = {
    .abi_version = NB_ABI_VERSION,
    .struct_size = sizeof(nb_plugin),
    .name = "archive",
    .version = "0.1.0",
    .description = "zip, tar (gz, bz2, xz, zst), 7z and rar bundles; members go to the other inputs",
    .kind = NB_PLUGIN_INPUT,
    .caps = NB_CAP_CONTAINER | NB_CAP_NEEDS_SEEK,
    .extensions = arc_extensions,
    .options = arc_options,
    .probe = arc_probe,
    .create = arc_create,
    .destroy = arc_destroy,
    .open = arc_open,
    .next = arc_next,
};

NB_PLUGIN_EXPORT const nb_plugin *nb_plugin_entry(uint32_t host_abi)
{
    (void)host_abi; /* the host checks the version and reports mismatches */
    return &arc_plugin;
}
