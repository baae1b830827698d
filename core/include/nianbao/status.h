/* status.h - status codes and the error value every fallible call fills.
 *
 * Modelled on libarchive: an int status ladder plus a message.  Library
 * code never prints and never exits; it returns a status and, on failure,
 * fills an nb_error the caller owns (usually on its stack). */
#ifndef NIANBAO_STATUS_H
#define NIANBAO_STATUS_H

#include <stdarg.h>
#include <stdbool.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(__GNUC__)
#define NB_API __attribute__((visibility("default")))
#define NB_PRINTF(a, b) __attribute__((format(printf, a, b)))
#else
#define NB_API
#define NB_PRINTF(a, b)
#endif

typedef enum nb_status {
    NB_OK = 0,
    NB_EOF = 1,      /* iterator exhausted */
    NB_WARN = -20,   /* succeeded, but the error text says something */
    NB_FAILED = -25, /* this item is lost; the run may continue */
    NB_FATAL = -30   /* the handle is unusable */
} nb_status;

/* Error classes; the CLI maps them to exit codes (docs/cli.md). */
typedef enum nb_errclass {
    NB_E_NONE = 0,
    NB_E_USAGE,    /* bad option or argument */
    NB_E_DATA,     /* input could not be parsed */
    NB_E_NOINPUT,  /* input missing or unreadable */
    NB_E_PLUGIN,   /* plugin missing, ABI mismatch, init failure */
    NB_E_INTERNAL, /* out of memory, bug */
    NB_E_CANTCREAT,/* cannot create output */
    NB_E_IO,       /* read/write error */
    NB_E_CONFIG    /* bad format / rule / pipeline definition */
} nb_errclass;

typedef struct nb_error {
    nb_errclass cls;
    char where[512]; /* file[!member][:line] or plugin name; may be empty */
    char text[768];
} nb_error;

NB_API void nb_error_clear(nb_error *e);
NB_API void nb_error_set(nb_error *e, nb_errclass cls, const char *where,
                         const char *fmt, ...) NB_PRINTF(4, 5);
NB_API void nb_error_setv(nb_error *e, nb_errclass cls, const char *where,
                          const char *fmt, va_list ap) NB_PRINTF(4, 0);
/* Reading an error (ABI 2 accessors): a plugin never looks inside the
 * struct.  where and message are "" (never NULL) when unset. */
NB_API nb_errclass nb_error_class(const nb_error *e);
NB_API const char *nb_error_where(const nb_error *e);
NB_API const char *nb_error_message(const nb_error *e);
NB_API bool nb_error_is_set(const nb_error *e);  /* a class or a message was set */
NB_API void nb_error_copy(nb_error *dst, const nb_error *src);


#ifdef __cplusplus
}
#endif
#endif
