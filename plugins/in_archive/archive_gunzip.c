/* archive_gunzip.c - gzip is inflated here, by zlib, and libarchive reads
 * the result, instead of running its own gzip filter.
 *
 * That filter never checks a member's trailer (its source: "XXX TODO:
 * Verify the length and CRC"), so a flipped bit in a .tar.gz or a .txt.gz
 * decodes into other text without a word, and validation then blames the
 * report for what was a bad read.  zlib checks every member's CRC-32 and
 * length; a mismatch, like data that breaks off, becomes a read error that
 * names the archive.  zlib also hands out every byte it could inflate
 * before a break, so the whole members of a truncated .tar.gz are read.
 *
 * Members follow one another as gzip(1) reads them; bytes after the last
 * member that do not start another one (tape padding) are ignored, as
 * gzip and libarchive do. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>
#include "archive_priv.h"

struct arc_gz {
    z_stream z;
    unsigned char in[ARC_READ_BUF], out[ARC_READ_BUF];
    uint64_t read;     /* compressed bytes read from the stream */
    bool input_done;   /* the stream said EOF */
    bool member_done;  /* inflate reached a member's end (trailer checked) */
    bool done;         /* no more output: the end, or an error */
    bool logged;       /* the break was told to the host once */
    char why[800];     /* the error, once there is one (an nb_error text fits) */
};

bool arc_gz_magic(nb_stream *in)
{
    const unsigned char *h;
    nb_error e;
    nb_error_clear(&e);
    return nb_stream_peek(in, &h, 3, &e) >= 3 && h[0] == 0x1F && h[1] == 0x8B && h[2] == 8;
}

static arc_gz *gz_new(void)
{
    arc_gz *g = calloc(1, sizeof *g);
    if (g && inflateInit2(&g->z, 16 + MAX_WBITS) != Z_OK) {
        free(g);
        return NULL;
    }
    return g;
}

void arc_gz_free(arc_gz *g)
{
    if (!g)
        return;
    inflateEnd(&g->z);
    free(g);
}

uint64_t arc_gz_bytes_in(const arc_gz *g)
{
    return g ? g->read - g->z.avail_in : 0; /* (zlib's total_in restarts with each member) */
}

/* At least `want` bytes of input (1 or 2), fewer only at its end; false
 * when there are none, or on an error (g->why set). */
static bool refill(arc *x, arc_gz *g, size_t want)
{
    while (g->z.avail_in < want && !g->input_done) {
        size_t keep = g->z.avail_in; /* a byte of a member's magic, split by a read */
        if (keep)
            memmove(g->in, g->z.next_in, keep);
        ssize_t n = nb_stream_read(x->in, g->in + keep, sizeof g->in - keep, &x->in_err);
        if (n < 0) {
            snprintf(g->why, sizeof g->why, "%s", x->in_err.text[0] ? x->in_err.text : "read error");
            g->done = true;
            return false;
        }
        if (n == 0)
            g->input_done = true;
        g->read += (uint64_t)n;
        g->z.next_in = g->in;
        g->z.avail_in = (uInt)(keep + (size_t)n);
    }
    return g->z.avail_in > 0;
}

/* After a member: another one starts here, or the data is over. */
static void next_member(arc *x, arc_gz *g)
{
    if (!refill(x, g, 2)) {
        g->done = true;
        return;
    }
    if (g->z.avail_in >= 2 && g->z.next_in[0] == 0x1F && g->z.next_in[1] == 0x8B) {
        inflateReset(&g->z);
        g->member_done = false;
        return;
    }
    g->done = true; /* padding after the last member */
    g->z.avail_in = 0;
}

static void fail(arc_gz *g, const char *what, const char *detail)
{
    snprintf(g->why, sizeof g->why, "damaged or truncated compressed data: %s%s", what, detail ? detail : "");
    g->done = true;
}

/* zlib's words for a member's trailer, said for people; others as zlib
 * puts them ("invalid distance too far back"). */
static const char *data_error(const char *msg)
{
    if (!msg)
        return "invalid data";
    if (strcmp(msg, "incorrect data check") == 0)
        return "its checksum (CRC-32) does not match: some bytes are wrong";
    if (strcmp(msg, "incorrect length check") == 0)
        return "its length does not match: bytes are missing or extra";
    return msg;
}

/* Inflates into g->out; the bytes made (0: none more, or an error). */
static size_t inflate_some(arc *x, arc_gz *g)
{
    g->z.next_out = g->out;
    g->z.avail_out = sizeof g->out;
    while (!g->done && g->z.avail_out == sizeof g->out) {
        if (g->member_done) {
            next_member(x, g);
            continue;
        }
        if (!refill(x, g, 1)) {
            if (!g->done)
                fail(g, "the gzip data is cut short", NULL);
            break;
        }
        int r = inflate(&g->z, Z_NO_FLUSH);
        if (r == Z_STREAM_END)
            g->member_done = true;
        else if (r == Z_DATA_ERROR)
            fail(g, "gzip: ", data_error(g->z.msg));
        else if (r == Z_BUF_ERROR && g->z.avail_in > 0) /* no progress with room on both sides */
            fail(g, "gzip: ", "inflate made no progress");
        else if (r == Z_MEM_ERROR)
            fail(g, "out of memory", NULL);
        else if (r != Z_OK && r != Z_BUF_ERROR)
            fail(g, "gzip: ", g->z.msg ? g->z.msg : "inflate failed");
    }
    return sizeof g->out - g->z.avail_out;
}

/* Tells the host once, naming the archive, when the break comes after
 * members were handed out: they were read, which the failures that follow
 * (the member cut, the archive) do not say. */
static void log_break(arc *x, arc_gz *g)
{
    if (g->logged || !x->host || x->nentries == 0)
        return;
    g->logged = true;
    char msg[1200];
    snprintf(msg, sizeof msg, "%s: %s; the members before it are read", nb_stream_name(x->in), g->why);
    nb_host_log(x->host, "archive", msg);
}

/* libarchive's read callback: the inflated bytes.  Bytes made before an
 * error are handed out first; the error comes with the next call. */
static la_ssize_t gz_read_cb(struct archive *a, void *ctx, const void **buf)
{
    arc *x = ctx;
    arc_gz *g = x->gz;
    size_t n = inflate_some(x, g);
    *buf = g->out;
    if (n > 0 || !g->why[0])
        return (la_ssize_t)n;
    log_break(x, g);
    archive_set_error(a, EIO, "%s", g->why);
    return -1;
}

int arc_gz_open(arc *x)
{
    if (!x->gz && !(x->gz = gz_new()))
        return ARCHIVE_FATAL;
    nb_error_clear(&x->in_err);
    return archive_read_open(x->a, x, NULL, gz_read_cb, NULL);
}

const char *arc_gz_error(const arc_gz *g)
{
    return g && g->why[0] ? g->why : NULL;
}

/* At the archive's end: the tar's end marker may come before the gzip
 * trailer, which must still be read and checked.  What follows the end
 * marker is a record's padding (kilobytes); more than ARC_GZ_TAIL_MAX of
 * it is not inflated (a bomb's tail).  NULL when all is well, else why. */
const char *arc_gz_check_end(arc *x)
{
    arc_gz *g = x->gz;
    if (!g)
        return NULL;
    uint64_t tail = 0;
    while (!g->done) { /* (an error sets done too) */
        tail += inflate_some(x, g);
        if (tail > ARC_GZ_TAIL_MAX) {
            snprintf(g->why, sizeof g->why, "more than %u MB of data after the archive's end "
                     "(decompression bomb?); its checksum is not checked", (unsigned)(ARC_GZ_TAIL_MAX >> 20));
            g->done = true;
        }
    }
    return arc_gz_error(g);
}
