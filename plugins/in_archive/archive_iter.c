/* archive_iter.c - next(): one archive entry per item.
 *
 * Every entry becomes exactly one item (directories excepted): MEMBER with
 * a stream the core reads, SKIP (not a report), or FAIL (a member that
 * could not be read).  A damaged archive ends the walk with NB_FAILED once;
 * later calls say NB_EOF so a caller looping on next() cannot spin. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "archive_priv.h"

/* Skipping an entry the core did not read to the end costs a full
 * decompression in compressed tars, 7z and rar.  The core's limits only
 * see bytes it reads itself, so a bomb that is skipped (named *.png, or
 * abandoned at the member limit) is guarded here: past ARC_SKIP_FREE
 * bytes, an expansion above ARC_SKIP_RATIO stops the archive. */
#define ARC_SKIP_FREE (64ull << 20)
#define ARC_SKIP_RATIO 100u
#define ARC_MAX_RETRY 8

static void set_owned(char **dst, char *s)
{
    free(*dst);
    *dst = s;
}

void arc_release_member(arc *x)
{
    nb_stream_free(x->m.stream);
    x->m.stream = NULL;
    x->m.head_len = x->m.head_pos = 0;
    x->m.eof = false;
}

static const char *arc_errstr(struct archive *a, const char *fallback)
{
    const char *s = archive_error_string(a);
    return s && *s ? s : fallback;
}

/* Data ------------------------------------------------------------------ */

static la_ssize_t data_read(arc *x, void *buf, size_t len)
{
    la_ssize_t n;
    int tries = 0;
    do
        n = archive_read_data(x->a, buf, len);
    while (n == ARCHIVE_RETRY && ++tries < ARC_MAX_RETRY);
    if (n <= 0) { /* end, or an error: either way this entry is done */
        x->m.eof = true;
        x->m.pending = false;
    }
    return n;
}

static ssize_t member_read(void *ctx, void *buf, size_t len, nb_error *err)
{
    arc *x = ctx;
    arc_member *m = &x->m;
    if (m->head_pos < m->head_len) {
        size_t n = m->head_len - m->head_pos;
        if (n > len)
            n = len;
        memcpy(buf, m->head + m->head_pos, n);
        m->head_pos += n;
        return (ssize_t)n;
    }
    if (m->eof || len == 0)
        return 0;
    la_ssize_t n = data_read(x, buf, len);
    if (n < 0) {
        nb_error_set(err, NB_E_DATA, "", "damaged member: %s", arc_errstr(x->a, "read error"));
        return -1;
    }
    return (ssize_t)n;
}

static bool is_compressed_stream(const arc *x)
{
    struct archive *a = x->a;
    if (x->gz)
        return true;
    int fmt = archive_format(a) & ARCHIVE_FORMAT_BASE_MASK;
    if (fmt == ARCHIVE_FORMAT_ZIP)
        return false; /* libarchive skips zip entries by seeking or by compressed size */
    if (fmt == ARCHIVE_FORMAT_7ZIP || fmt == ARCHIVE_FORMAT_RAR || fmt == ARCHIVE_FORMAT_RAR_V5)
        return true;
    return archive_filter_count(a) > 1 || archive_filter_code(a, 0) != ARCHIVE_FILTER_NONE;
}

/* Compressed bytes read so far (libarchive's count of what it read is of
 * inflated bytes when archive_gunzip.c inflates). */
static int64_t raw_bytes(const arc *x)
{
    return x->gz ? (int64_t)arc_gz_bytes_in(x->gz) : archive_filter_bytes(x->a, -1);
}

static nb_status die(arc *x, nb_error *err, const char *what, const char *detail)
{
    x->dead = true;
    /* no "where": the core files the failure under the archive's own name */
    nb_error_set(err, NB_E_DATA, NULL, "%s%s", what, detail);
    return NB_FAILED;
}

/* Consumes the rest of an entry the core left unread, watching the ratio.
 * The counts run over the whole archive, not one entry: many skipped
 * members just under the free allowance are a bomb as well. */
static nb_status drain(arc *x, nb_error *err)
{
    if (!is_compressed_stream(x))
        return NB_OK;
    int64_t raw0 = raw_bytes(x);
    for (;;) {
        const void *blk;
        size_t n;
        la_int64_t off;
        int r = archive_read_data_block(x->a, &blk, &n, &off);
        int64_t raw = raw_bytes(x) - raw0;
        raw0 += raw;
        x->skipped_raw += (uint64_t)(raw > 0 ? raw : 0);
        if (r != ARCHIVE_OK && r != ARCHIVE_WARN)
            return NB_OK; /* end of entry, or an error the next header read reports */
        x->skipped_out += n;
        uint64_t in = x->skipped_raw ? x->skipped_raw : 1;
        if (x->skipped_out > ARC_SKIP_FREE && x->skipped_out / in > ARC_SKIP_RATIO)
            return die(x, err, "stopped reading the archive (the rest is not converted): "
                               "skipping members expanded it more than 100 times "
                               "(decompression bomb?), at ",
                       x->name ? x->name : "?");
    }
}

static nb_status finish_previous(arc *x, nb_error *err)
{
    arc_release_member(x);
    if (!x->m.pending)
        return NB_OK;
    x->m.pending = false;
    return drain(x, err);
}

/* Items ----------------------------------------------------------------- */

/* A skipped or failed entry, named by x->name. */
static nb_status emit(arc *x, nb_item *item, nb_item_kind kind, const char *reason)
{
    if (kind == NB_ITEM_SKIP)
        nb_item_set_skip(item, x->name, reason);
    else
        nb_item_set_fail(item, x->name, reason);
    return NB_OK;
}

static nb_status emit_owned(arc *x, nb_item *item, nb_item_kind kind, const char *prefix,
                            const char *detail)
{
    size_t n = strlen(prefix) + strlen(detail) + 1;
    char *s = malloc(n);
    if (s)
        snprintf(s, n, "%s%s", prefix, detail);
    set_owned(&x->reason, s);
    return emit(x, item, kind, s ? s : prefix);
}

static const char *special_reason(struct archive_entry *e)
{
    if (archive_entry_hardlink(e))
        return "not a report: hard link";
    switch (archive_entry_filetype(e)) {
    case 0:
    case AE_IFREG: return NULL;
    case AE_IFLNK: return "not a report: symbolic link";
    default: return "not a report: special file";
    }
}

/* Reads the first bytes so empty and unreadable members are told apart
 * before anyone else sees them. */
static nb_status lend_member(arc *x, struct archive_entry *e, nb_item *item, nb_error *err)
{
    la_ssize_t n = data_read(x, x->m.head, sizeof x->m.head);
    if (n < 0)
        return emit_owned(x, item, NB_ITEM_FAIL, "damaged member: ",
                          arc_errstr(x->a, "read error"));
    if (n == 0)
        return emit(x, item, NB_ITEM_SKIP, "empty file");
    x->m.head_len = (size_t)n;
    int64_t hint = archive_entry_size_is_set(e) ? archive_entry_size(e) : -1;
    x->m.stream = nb_stream_new(x->name, member_read, x, hint);
    if (!x->m.stream) {
        nb_error_set(err, NB_E_INTERNAL, x->name, "out of memory");
        return NB_FATAL;
    }
    nb_item_set_member(item, x->m.stream, x->name);
    return NB_OK;
}

static nb_status classify(arc *x, struct archive_entry *e, nb_item *item, nb_error *err)
{
    const char *why = special_reason(e);
    if (!why)
        why = arc_junk_reason(x->name);
    if (why)
        return emit(x, item, NB_ITEM_SKIP, why);
    if (archive_entry_is_encrypted(e))
        return emit(x, item, NB_ITEM_FAIL, "encrypted (password-protected members are not supported)");
    if (archive_entry_size_is_set(e) && archive_entry_size(e) == 0)
        return emit(x, item, NB_ITEM_SKIP, "empty file");
    return lend_member(x, e, item, err);
}

/* Headers --------------------------------------------------------------- */

static int read_header(arc *x, struct archive_entry **e)
{
    int r, tries = 0;
    locale_t old = arc_locale_enter(x);
    do
        r = archive_read_next_header(x->a, e);
    while (r == ARCHIVE_RETRY && ++tries < ARC_MAX_RETRY);
    arc_locale_leave(old);
    return r;
}

static bool is_zip(const arc *x)
{
    return (archive_format(x->a) & ARCHIVE_FORMAT_BASE_MASK) == ARCHIVE_FORMAT_ZIP;
}

/* The raw name of the current zip entry from the central directory, when
 * libarchive dropped it (a UTF-8 flag on GBK bytes); NULL when the
 * directory cannot vouch for it (not a file, or the sizes disagree). */
static const char *zip_raw_name(arc *x, struct archive_entry *e, size_t *len)
{
    if (!is_zip(x) || x->nentries == 0)
        return NULL;
    if (!x->zipdir && !(x->zipdir = arc_zipdir_read(nb_stream_path(x->in), true)))
        return NULL;
    const arc_zipent *z = arc_zipdir_entry(x->zipdir, x->nentries - 1);
    if (!z || (archive_entry_size_is_set(e) && z->size != 0xFFFFFFFFu &&
               (uint64_t)archive_entry_size(e) != z->size))
        return NULL;
    *len = z->len;
    return z->name;
}

static char *entry_name(arc *x, struct archive_entry *e)
{
    if (!x->single && x->gz && (archive_format(x->a) & ARCHIVE_FORMAT_BASE_MASK) == ARCHIVE_FORMAT_RAW)
        x->single = arc_single_name(nb_stream_name(x->in)); /* one gzipped report */
    if (x->single) /* libarchive's raw format calls its one entry "data" */
        return strdup(x->single);
    locale_t old = arc_locale_enter(x);
    const char *raw = archive_entry_pathname(e);
    if (!raw)
        raw = archive_entry_pathname_utf8(e);
    arc_locale_leave(old);
    size_t len = raw ? strlen(raw) : 0;
    x->name_recovered = false;
    if (!raw)
        x->name_recovered = (raw = zip_raw_name(x, e, &len)) != NULL;
    if (raw)
        return arc_name_decode(raw, len, x->name_charset);
    char tmp[48];
    snprintf(tmp, sizeof tmp, "(entry %" PRIu64 ", name unreadable)", x->nentries);
    return strdup(tmp);
}

static void log_warning(arc *x)
{
    if (!x->host)
        return;
    char msg[1024];
    snprintf(msg, sizeof msg, "%s!/%s: %s", nb_stream_name(x->in), x->name ? x->name : "?",
             arc_errstr(x->a, "warning"));
    nb_host_log(x->host, "archive", msg);
}

/* At the end of a zip: entries its directory lists that never came out
 * (several entries sharing one data block come out once) are one failure
 * that says how many, not a silent loss. */
static nb_status unreached_entries(arc *x, nb_item *item)
{
    if (x->end_checked || !is_zip(x))
        return NB_EOF;
    x->end_checked = true;
    x->dead = true; /* nothing follows: next() says EOF from now on */
    if (!x->zipdir)
        x->zipdir = arc_zipdir_read(nb_stream_path(x->in), false);
    uint64_t listed = arc_zipdir_listed(x->zipdir);
    if (listed <= x->nentries)
        return NB_EOF;
    char what[160];
    snprintf(what, sizeof what, "%" PRIu64 " of the %" PRIu64 " entries the zip's directory lists "
             "were not read (entries sharing data with others, or unreachable)",
             listed - x->nentries, listed);
    set_owned(&x->name, strdup("(zip directory)"));
    return emit_owned(x, item, NB_ITEM_FAIL, what, "");
}

nb_status arc_next(void *inst, nb_item *item, nb_error *err)
{
    arc *x = inst;
    if (!x->a || x->dead)
        return NB_EOF;
    nb_status st = finish_previous(x, err);
    if (st != NB_OK)
        return st;
    /* one compressed report: its member's read met any break already */
    if (x->single && x->nentries > 0 && arc_gz_error(x->gz))
        return NB_EOF;
    for (;;) {
        struct archive_entry *e = NULL;
        int r = read_header(x, &e);
        if (r == ARCHIVE_EOF) {
            const char *why = arc_gz_check_end(x);
            if (why) /* after the last member: what was read is unchecked */
                return die(x, err, why, x->nentries ? "; the members read from it may hold wrong bytes" : "");
            return unreached_entries(x, item);
        }
        if (r < ARCHIVE_FAILED || r == ARCHIVE_RETRY || !e) /* RETRY: gave up retrying */
            return die(x, err, "damaged archive: ", arc_errstr(x->a, "unreadable entry"));
        x->nentries++;
        set_owned(&x->name, entry_name(x, e));
        if (!x->name) {
            nb_error_set(err, NB_E_INTERNAL, nb_stream_name(x->in), "out of memory");
            return NB_FATAL;
        }
        if (r == ARCHIVE_FAILED) /* this entry is lost, the next may be fine */
            return emit_owned(x, item, NB_ITEM_FAIL, "damaged entry: ",
                              arc_errstr(x->a, "unreadable"));
        if (r == ARCHIVE_WARN && !x->name_recovered)
            log_warning(x);
        if (archive_entry_filetype(e) == AE_IFDIR)
            continue;
        x->m.pending = true;
        return classify(x, e, item, err);
    }
}
