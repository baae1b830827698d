/* stream_internal.h - what the run pipeline needs of streams beyond the
 * public API: byte limits (zip bombs) and counters. */
#ifndef NB_STREAM_INTERNAL_H
#define NB_STREAM_INTERNAL_H

#include <stdbool.h>
#include "nianbao/stream.h"

/* Reads past max bytes fail with the message "<what> (limit N bytes)";
 * what is kept, not copied (one per member): it must outlive the stream,
 * as a literal does.  *total (may be NULL) accumulates bytes read and
 * fails past total_max. */
void nb_stream_set_limit(nb_stream *s, uint64_t max, uint64_t *total, uint64_t total_max,
                         const char *what);
/* Reads that would bring *total (see above) past max_ratio times packed
 * fail at once, while the member is read, not after it; the bytes that
 * tripped the guard are still added to *total so the container sees it. */
void nb_stream_set_ratio(nb_stream *s, uint64_t packed, uint64_t max_ratio);
uint64_t nb_stream_consumed(const nb_stream *s);
/* Names s anew (a member by its full path, "ARCHIVE!/MEMBER"), so that what
 * its reader says of it names it whole.  False: out of memory (unchanged). */
bool nb_stream_rename(nb_stream *s, const char *name);
/* Bytes read from now on are not hashed: the caller hands them on to
 * another stream (-j N reading on a worker), which hashes them, or no one
 * reads the hash (run.c's hash_sources). */
void nb_stream_skip_hash(nb_stream *s);
/* Hex SHA-256 of the bytes read so far; "" (unknown) once skipped. */
void nb_stream_sha256(const nb_stream *s, char out[65]);
/* The file (or spooled copy) behind s opened again from its start, under
 * s's name; NULL with err set when s is not a file. */
nb_stream *nb_stream_reopen(const nb_stream *s, nb_error *err);

struct nb_sink {
    FILE *fp;           /* where plugins write (NULL for NEEDS_PATH plugins) */
    char *tmp_path;     /* temp file beside the target, NULL when streaming to stdout */
    char *target;       /* "-" or the output path */
    char *dest;         /* the file the temp file replaces: target, or the file
                           a symbolic link named by target points to */
    bool to_stdout;     /* streams to `direct`: stdout, or a device or fifo named by -o */
    FILE *direct;
    bool own_direct;    /* direct was opened here (a device), closed by nb_sink_free */
    char *buf;          /* fp's stdio buffer when the sink gave it one */
    int held_fd;        /* a binary output on stdout: its unlinked temp file, which
                           tmp_path names as /proc/self/fd/N; -1 otherwise */
    bool committed;
};

/* (stream.c) Unlinks the temp file *path, open as fd, and names it by fd
 * (/proc/self/fd/N); true when that cannot be done and it keeps its name. */
bool nb_temp_unname(char **path, int fd);

nb_sink *nb_sink_open(const char *target, bool needs_path, const char *tmpdir, nb_error *err);
/* Flushes, renames the temp file over the target (or copies it to stdout). */
nb_status nb_sink_commit(nb_sink *s, nb_error *err);
void nb_sink_free(nb_sink *s); /* removes an uncommitted temp file */
/* The temp file a signal handler should remove: NULL when there is none,
 * or when it has no name to remove. */
const char *nb_sink_named_temp(const nb_sink *s);

#endif
