/* fuzz_common.h - shared set-up of the libFuzzer targets (tests/fuzz).
 *
 * The context (templates, rules, plugins) is built once per process, so
 * an execution costs only the code under test.  A broken invariant
 * aborts, which libFuzzer reports as a crash with the input saved. */
#ifndef NB_FUZZ_COMMON_H
#define NB_FUZZ_COMMON_H

#include <stddef.h>
#include <stdint.h>
#include "nianbao/nianbao.h"

/* Inputs larger than this are cut: small inputs, many executions. */
#define FUZZ_MAX_INPUT (64u * 1024u)

/* The process-wide context; aborts when it cannot be built. */
nb_context *fuzz_context(void);
/* A private, empty folder for temp and output files. */
const char *fuzz_tmpdir(void);
/* Runs the bytes as one input: format forced when `from` is set, else
 * detected; written with output plugin `to` (NULL: none, and no
 * validation).  Aborts unless
 * every input the run saw ended converted, skipped or failed exactly once
 * (callbacks agree with the summary, at least one outcome) and no temp
 * file is left in fuzz_tmpdir(). */
void fuzz_run_bytes(const uint8_t *data, size_t size, const char *name, const char *from,
                    const char *to);
/* Aborts with a message on stderr. */
void fuzz_fail(const char *what);

#endif
