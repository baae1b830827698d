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
    arc_gz_free(x->gz);
    x->gz = NULL;
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

/* The name a compressed file's content goes by: its own name without the
 * compression's extension ("年报.txt.gz" holds "年报.txt"); the content
 * decides when nothing is left of an extension. */
char *arc_single_name(const char *name)
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

/* Every libarchive filter but gzip.  libarchive's gzip filter never checks
 * a member's CRC-32 or length (archive_gunzip.c), and at the top of a
 * stream gzip goes to zlib instead; a gzip layer below another one
 * (report.txt.gz.gz, report.txt.gz.xz) was still taken by that filter,
 * so a changed byte in it decoded into other text without a word.
 * Without the filter such a layer is one raw member, and the core hands
 * it back to this plugin, where zlib reads and checks it. */
static void arc_support_filters(struct archive *a)
{
    archive_read_support_filter_bzip2(a);
    archive_read_support_filter_compress(a);
    archive_read_support_filter_lzip(a);
    archive_read_support_filter_lzma(a);
    archive_read_support_filter_xz(a);
    archive_read_support_filter_uu(a);
    archive_read_support_filter_rpm(a);
    archive_read_support_filter_lrzip(a);
    archive_read_support_filter_lzop(a);
    archive_read_support_filter_grzip(a);
    archive_read_support_filter_lz4(a);
    archive_read_support_filter_zstd(a);
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
    arc_support_filters(a);
    archive_read_support_format_raw(a);
    struct archive_entry *e;
    bool ok = archive_read_open_filename(a, path, ARC_READ_BUF) == ARCHIVE_OK &&
              archive_read_next_header(a, &e) == ARCHIVE_OK && archive_filter_count(a) > 1 &&
              archive_filter_code(a, 0) != ARCHIVE_FILTER_NONE;
    archive_read_free(a);
    if (!ok || !(x->single = arc_single_name(nb_stream_name(x->in))))
        return false;
    /* opened again, so that the first header is the core's to read */
    archive_read_free(x->a);
    if ((x->a = archive_read_new())) {
        arc_support_filters(x->a);
        archive_read_support_format_raw(x->a);
        if (archive_read_open_filename(x->a, path, ARC_READ_BUF) == ARCHIVE_OK)
            return true;
    }
    free(x->single);
    x->single = NULL;
    return false;
}

/* gzip (.tar.gz, .txt.gz) is inflated by archive_gunzip.c, which checks
 * its trailers; the raw format takes a compressed file that holds no
 * archive (one report), as arc_open_single does for other filters. */
static int arc_open_gzip(arc *x)
{
    arc_support_filters(x->a);
    archive_read_support_format_all(x->a);
    archive_read_support_format_raw(x->a);
    return arc_gz_open(x);
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
    locale_t old = arc_locale_enter(x);
    int r;
    if (arc_gz_magic(in)) {
        r = arc_open_gzip(x);
    } else {
        arc_support_filters(x->a);
        archive_read_support_format_all(x->a);
        r = arc_open_source(x, nb_stream_path(in));
        /* a file that decompresses whole but is no archive is one compressed report */
        if (r != ARCHIVE_OK && r != ARCHIVE_WARN && arc_open_single(x, nb_stream_path(in)))
            r = ARCHIVE_OK;
    }
    arc_locale_leave(old);
    if (r != ARCHIVE_OK && r != ARCHIVE_WARN && arc_gz_error(x->gz)) { /* it began to inflate, then broke */
        nb_error_set(err, NB_E_DATA, nb_stream_name(in), "%s", arc_gz_error(x->gz));
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
