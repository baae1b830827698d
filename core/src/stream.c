/* stream.c - byte sources: files, stdin, memory, plugin callbacks. */
#include "stream_internal.h"
#include "util.h"
#include "sha256.h"
#include "nianbao/report.h"
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define PEEK_MAX 4096
/* A stream whose size hint is at most this gets a peek buffer for all of
 * it (hint + 2: a byte to see the end, one for the NUL), which
 * nb_stream_read_all then keeps as its result: no second buffer and no
 * copy of the peeked bytes per document.  Below glibc's mmap threshold,
 * so a member peeked at and skipped costs no mmap. */
#define PEEK_WHOLE_MAX (64u << 10)
#define STREAM_IOBUF 4096

struct nb_stream {
    char *name;
    nb_stream_read_fn fn;
    void *ctx;
    FILE *fp;
    bool own_fp;
    char *iobuf;         /* fp's stdio buffer, given so stdio need not fstat to size one */
    char *path;          /* seekable file with exactly these bytes */
    bool path_is_temp;
    const unsigned char *mem;
    size_t mem_len, mem_pos;
    int64_t size_hint;
    unsigned char *peek; /* bytes read ahead for probing, returned first */
    size_t peek_len, peek_pos, peek_cap;
    uint64_t consumed, max;
    uint64_t *total, total_max;
    uint64_t packed, max_ratio; /* expansion guard on *total, 0: none */
    const char *limit_what; /* the caller's: a literal (stream_internal.h) */
    nb_sha256 sha;       /* of the bytes delivered so far */
    bool no_hash;        /* the bytes are hashed by the stream they are handed to */
};

static nb_stream *alloc_stream(const char *name)
{
    /* malloc, not calloc: glibc's calloc skips the per-thread cache, and
     * an archive makes a stream per member */
    nb_stream *s = malloc(sizeof *s);
    if (!s)
        return NULL;
    *s = (nb_stream){.name = nb_strdup(name ? name : ""), .size_hint = -1};
    nb_sha256_init(&s->sha);
    return s;
}

nb_stream *nb_stream_new(const char *name, nb_stream_read_fn fn, void *ctx, int64_t size_hint)
{
    nb_stream *s = alloc_stream(name);
    if (s) {
        s->fn = fn;
        s->ctx = ctx;
        s->size_hint = size_hint;
    }
    return s;
}

nb_stream *nb_stream_open_file(const char *path, nb_error *err)
{
    bool std = strcmp(path, "-") == 0;
    nb_stream *s = alloc_stream(std ? "<stdin>" : path);
    if (!s) {
        nb_error_set(err, NB_E_INTERNAL, path, "out of memory");
        return NULL;
    }
    if (std) {
        s->fp = stdin;
        return s;
    }
    s->fp = fopen(path, "rb");
    if (!s->fp) {
        nb_error_set(err, errno == ENOENT ? NB_E_NOINPUT : NB_E_IO, path, "cannot open: %s",
                     strerror(errno));
        nb_stream_free(s);
        return NULL;
    }
    s->own_fp = true;
    /* stdio sizes its buffer with an fstat of its own on the first read:
     * a second system call per input file after the one below */
    if ((s->iobuf = malloc(STREAM_IOBUF)))
        setvbuf(s->fp, s->iobuf, _IOFBF, STREAM_IOBUF);
    struct stat st;
    if (fstat(fileno(s->fp), &st) == 0 && S_ISREG(st.st_mode)) {
        s->path = nb_strdup(path);
        s->size_hint = st.st_size;
    }
    return s;
}

nb_stream *nb_stream_reopen(const nb_stream *s, nb_error *err)
{
    if (!s->path) {
        nb_error_set(err, NB_E_INTERNAL, s->name, "cannot be opened again: not a file");
        return NULL;
    }
    nb_stream *r = nb_stream_open_file(s->path, err);
    if (r) {
        free(r->name);
        r->name = nb_strdup(s->name);
    }
    return r;
}

nb_stream *nb_stream_from_memory(const char *name, const void *buf, size_t len)
{
    nb_stream *s = alloc_stream(name);
    if (s) {
        s->mem = buf;
        s->mem_len = len;
        s->size_hint = (int64_t)len;
    }
    return s;
}

void nb_stream_free(nb_stream *s)
{
    if (!s)
        return;
    if (s->own_fp && s->fp)
        fclose(s->fp);
    free(s->iobuf); /* after the fclose that last used it */
    if (s->path_is_temp && s->path)
        unlink(s->path);
    free(s->path);
    free(s->name);
    free(s->peek);
    free(s);
}

const char *nb_stream_name(const nb_stream *s) { return s->name; }

bool nb_stream_rename(nb_stream *s, const char *name)
{
    char *n = nb_strdup(name);
    if (!n)
        return false;
    free(s->name);
    s->name = n;
    return true;
}

/* A stream that was partly consumed is no longer "exactly this file". */
const char *nb_stream_path(const nb_stream *s) { return s->consumed == 0 ? s->path : NULL; }
int64_t nb_stream_size_hint(const nb_stream *s) { return s->size_hint; }
uint64_t nb_stream_consumed(const nb_stream *s) { return s->consumed; }

void nb_stream_set_limit(nb_stream *s, uint64_t max, uint64_t *total, uint64_t total_max,
                         const char *what)
{
    s->max = max;
    s->total = total;
    s->total_max = total_max;
    s->limit_what = what;
}

void nb_stream_set_ratio(nb_stream *s, uint64_t packed, uint64_t max_ratio)
{
    s->packed = packed;
    s->max_ratio = max_ratio;
}

static ssize_t raw_read(nb_stream *s, void *buf, size_t len, nb_error *err)
{
    if (s->mem) {
        size_t n = s->mem_len - s->mem_pos < len ? s->mem_len - s->mem_pos : len;
        memcpy(buf, s->mem + s->mem_pos, n);
        s->mem_pos += n;
        return (ssize_t)n;
    }
    if (s->fp) {
        size_t n = fread(buf, 1, len, s->fp);
        if (n == 0 && ferror(s->fp)) {
            nb_error_set(err, NB_E_IO, s->name, "read error: %s", strerror(errno));
            return -1;
        }
        return (ssize_t)n;
    }
    if (s->fn)
        return s->fn(s->ctx, buf, len, err);
    return 0;
}

static bool over_limit(nb_stream *s, size_t n, nb_error *err)
{
    if (s->max && s->consumed + n > s->max) {
        nb_error_set(err, NB_E_DATA, s->name, "%s (limit %llu bytes)",
                     s->limit_what ? s->limit_what : "too large", (unsigned long long)s->max);
        return true;
    }
    if (s->total && s->total_max && *s->total + n > s->total_max) {
        nb_error_set(err, NB_E_DATA, s->name, "expanded size of the input exceeds %llu bytes",
                     (unsigned long long)s->total_max);
        return true;
    }
    if (s->total && s->packed && s->max_ratio && (*s->total + n) / s->packed > s->max_ratio) {
        *s->total += n; /* the container sees the guard tripped */
        nb_error_set(err, NB_E_DATA, s->name,
                     "the archive expands more than %llu times its size (zip bomb?)",
                     (unsigned long long)s->max_ratio);
        return true;
    }
    return false;
}

ssize_t nb_stream_read(nb_stream *s, void *buf, size_t len, nb_error *err)
{
    ssize_t n;
    if (s->peek_pos < s->peek_len) {
        size_t avail = s->peek_len - s->peek_pos;
        n = (ssize_t)(avail < len ? avail : len);
        memcpy(buf, s->peek + s->peek_pos, (size_t)n);
        s->peek_pos += (size_t)n;
    } else {
        n = raw_read(s, buf, len, err);
        if (n > 0 && over_limit(s, (size_t)n, err))
            return -1;
        if (n > 0 && s->total)
            *s->total += (uint64_t)n;
    }
    if (n > 0) {
        s->consumed += (uint64_t)n;
        if (!s->no_hash)
            nb_sha256_update(&s->sha, buf, (size_t)n);
    }
    return n;
}

void nb_stream_skip_hash(nb_stream *s)
{
    s->no_hash = true;
}

void nb_stream_sha256(const nb_stream *s, char out[65])
{
    if (s->no_hash) { /* not the empty input's hash: unknown */
        out[0] = '\0';
        return;
    }
    nb_sha256 copy = s->sha;
    nb_sha256_hex(&copy, out);
}

ssize_t nb_stream_peek(nb_stream *s, const unsigned char **head, size_t len, nb_error *err)
{
    if (len > PEEK_MAX)
        len = PEEK_MAX;
    if (s->consumed > 0 && s->peek_pos >= s->peek_len) {
        *head = NULL;
        return 0; /* too late to peek */
    }
    if (!s->peek) {
        int64_t hint = s->size_hint;
        s->peek_cap = hint > PEEK_MAX - 2 && hint <= PEEK_WHOLE_MAX - 2 ? (size_t)hint + 2 : PEEK_MAX;
        if (!(s->peek = malloc(s->peek_cap))) {
            nb_error_set(err, NB_E_INTERNAL, s->name, "out of memory");
            return -1;
        }
    }
    while (s->peek_len < len) {
        ssize_t n = raw_read(s, s->peek + s->peek_len, len - s->peek_len, err);
        if (n < 0)
            return -1;
        if (n == 0)
            break;
        if (over_limit(s, (size_t)n, err))
            return -1;
        if (s->total)
            *s->total += (uint64_t)n;
        s->peek_len += (size_t)n;
    }
    *head = s->peek + s->peek_pos;
    return (ssize_t)(s->peek_len - s->peek_pos);
}

/* The peek buffer, none of it read yet, becomes the start of the result
 * (*cap its size): its bytes are delivered as nb_stream_read would deliver
 * them, counted and hashed, without a copy.  NULL when there is none. */
static char *adopt_peek(nb_stream *s, size_t *n, size_t *cap)
{
    if (!s->peek || s->peek_pos != 0)
        return NULL;
    char *b = (char *)s->peek;
    *n = s->peek_len;
    *cap = s->peek_cap;
    s->peek = NULL;
    s->peek_len = s->peek_pos = s->peek_cap = 0;
    s->consumed += *n;
    if (*n && !s->no_hash)
        nb_sha256_update(&s->sha, b, *n);
    return b;
}

/* Reads go straight into the result, in requests of at most 64 KiB; a
 * size hint within max sizes the buffer once (one spare byte to see the
 * end, one for the NUL) instead of by doubling.  Peeked bytes stay where
 * they are (adopt_peek). */
nb_status nb_stream_read_all(nb_stream *s, size_t max, char **buf, size_t *len, nb_error *err)
{
    const size_t chunk = 65536;
    int64_t hint = nb_stream_size_hint(s);
    size_t want = hint >= 0 && (uint64_t)hint <= max ? (size_t)hint + 2 : chunk, cap = want, n = 0;
    char *b = adopt_peek(s, &n, &cap);
    if (!b)
        b = malloc(cap);
    else if (n > max) {
        free(b);
        nb_error_set(err, NB_E_DATA, s->name, "larger than %zu bytes: not a report", max);
        return NB_FAILED;
    } else if (cap < want) { /* a long stream peeked at: its size at once */
        char *g = realloc(b, want);
        if (g) {
            b = g;
            cap = want;
        }
    }
    for (;;) {
        if (b && cap - n < 2) { /* no room for a byte and the NUL */
            char *g = realloc(b, cap * 2);
            if (!g) {
                free(b);
                b = NULL;
            } else {
                b = g;
                cap *= 2;
            }
        }
        if (!b) {
            nb_error_set(err, NB_E_INTERNAL, s->name, "out of memory");
            return NB_FATAL;
        }
        size_t room = cap - n - 1;
        ssize_t k = nb_stream_read(s, b + n, room < chunk ? room : chunk, err);
        if (k < 0) {
            free(b);
            return NB_FAILED;
        }
        if (k == 0)
            break;
        if (n + (size_t)k > max) {
            free(b);
            nb_error_set(err, NB_E_DATA, s->name, "larger than %zu bytes: not a report", max);
            return NB_FAILED;
        }
        n += (size_t)k;
    }
    b[n] = '\0';
    *len = n;
    *buf = b;
    return NB_OK;
}

/* A temp file is unlinked at once where the open file can be named by
 * its descriptor (Linux: /proc/self/fd/N, which others open as a file):
 * then nothing is left in the temp folder whatever ends the process, a
 * signal, a crash or SIGKILL.  *path becomes that name; false.  Elsewhere
 * the file keeps its name, for its owner to remove: true. */
bool nb_temp_unname(char **path, int fd)
{
    char *byfd = nb_strfmt("/proc/self/fd/%d", fd);
    struct stat a, b;
    if (!byfd || stat(byfd, &a) != 0 || fstat(fd, &b) != 0 || a.st_ino != b.st_ino || a.st_dev != b.st_dev ||
        unlink(*path) != 0) {
        free(byfd);
        return true;
    }
    free(*path);
    *path = byfd;
    return false;
}

nb_status nb_stream_spool(nb_stream *s, const char *tmpdir, uint64_t max, nb_error *err)
{
    if (nb_stream_path(s))
        return NB_OK;
    const char *dir = tmpdir ? tmpdir : "/tmp";
    char *tmpl = nb_strfmt("%s/nianbao-spool-XXXXXX", dir);
    int fd = tmpl ? mkstemp(tmpl) : -1;
    if (fd < 0) {
        nb_error_set(err, NB_E_IO, s->name, "cannot create a temporary file in %s: %s", dir, strerror(errno));
        free(tmpl);
        return NB_FATAL;
    }
    bool named = nb_temp_unname(&tmpl, fd); /* before a byte is written */
    FILE *out = fdopen(fd, "w+b");
    char chunk[65536];
    uint64_t total = 0;
    nb_status st = out ? NB_OK : NB_FATAL;
    while (st == NB_OK) {
        ssize_t n = nb_stream_read(s, chunk, sizeof chunk, err);
        if (n < 0)
            st = NB_FAILED;
        else if (n == 0)
            break;
        else if ((total += (uint64_t)n) > max && max) {
            nb_error_set(err, NB_E_DATA, s->name, "larger than %llu bytes", (unsigned long long)max);
            st = NB_FAILED;
        } else if (fwrite(chunk, 1, (size_t)n, out) != (size_t)n) {
            nb_error_set(err, NB_E_IO, s->name, "cannot write its temporary copy in %s: %s", dir, strerror(errno));
            st = NB_FATAL;
        }
    }
    if (st != NB_OK || fflush(out) != 0 || fseek(out, 0, SEEK_SET) != 0) {
        if (out)
            fclose(out);
        else
            close(fd);
        if (named)
            unlink(tmpl);
        free(tmpl);
        if (st == NB_OK)
            nb_error_set(err, NB_E_IO, s->name, "cannot spool to a temporary file");
        return st == NB_OK ? NB_FATAL : st;
    }
    /* From now on the stream reads the spooled copy from its start. */
    if (s->own_fp && s->fp)
        fclose(s->fp);
    s->fp = out;
    s->own_fp = true;
    s->fn = NULL;
    s->mem = NULL;
    s->peek_len = s->peek_pos = 0;
    s->consumed = 0;
    nb_sha256_init(&s->sha);
    s->max = 0;
    s->total = NULL;
    free(s->path);
    s->path = tmpl;
    s->path_is_temp = named;
    s->size_hint = (int64_t)total;
    return NB_OK;
}
