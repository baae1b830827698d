/* stream.h - byte sources for inputs and sinks for outputs.
 *
 * Streams are owned by whoever created them.  The core creates one per
 * input file (or stdin); a container plugin (archive) creates one per member
 * with nb_stream_new() and keeps ownership.  A stream may be backed by a
 * regular file, in which case nb_stream_path() names it (plugins that need
 * to seek use it); otherwise it is read once, front to back. */
#ifndef NIANBAO_STREAM_H
#define NIANBAO_STREAM_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>
#include "status.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct nb_stream nb_stream;

/* Returns bytes read, 0 at end, -1 on error (with err filled). */
typedef ssize_t (*nb_stream_read_fn)(void *ctx, void *buf, size_t len, nb_error *err);

NB_API nb_stream *nb_stream_new(const char *name, nb_stream_read_fn fn, void *ctx,
                                int64_t size_hint);
NB_API nb_stream *nb_stream_open_file(const char *path, nb_error *err); /* "-" = stdin */
NB_API nb_stream *nb_stream_from_memory(const char *name, const void *buf, size_t len);
NB_API void nb_stream_free(nb_stream *s);

NB_API const char *nb_stream_name(const nb_stream *s);
/* A seekable regular file holding exactly this stream's bytes, or NULL. */
NB_API const char *nb_stream_path(const nb_stream *s);
NB_API int64_t nb_stream_size_hint(const nb_stream *s); /* -1 unknown */

NB_API ssize_t nb_stream_read(nb_stream *s, void *buf, size_t len, nb_error *err);
/* Peeks at up to len leading bytes without consuming them (for probing). */
NB_API ssize_t nb_stream_peek(nb_stream *s, const unsigned char **head, size_t len, nb_error *err);
/* Reads the rest of the stream into a new NUL-terminated buffer (caller frees).
 * Fails with NB_FAILED when the stream is larger than max bytes. */
NB_API nb_status nb_stream_read_all(nb_stream *s, size_t max, char **buf, size_t *len,
                                    nb_error *err);
/* Copies the rest of the stream to a temporary file so it becomes seekable;
 * afterwards nb_stream_path() names that file (removed by nb_stream_free). */
NB_API nb_status nb_stream_spool(nb_stream *s, const char *tmpdir, uint64_t max, nb_error *err);

/* Output sink: the core opens it (temp file beside the target, or stdout)
 * and commits or discards it after the output plugin is done. */
typedef struct nb_sink nb_sink;
NB_API FILE *nb_sink_file(nb_sink *s);        /* NULL for NB_CAP_NEEDS_PATH plugins */
NB_API const char *nb_sink_path(nb_sink *s);  /* file to write for NB_CAP_NEEDS_PATH */
NB_API const char *nb_sink_target(nb_sink *s);/* what the user asked for ("-" = stdout) */

#ifdef __cplusplus
}
#endif
#endif
