/* testutil.h - helpers shared by the Check suites. */
#ifndef NB_TESTUTIL_H
#define NB_TESTUTIL_H

#include <check.h>
#include <stddef.h>
#include "nianbao/nianbao.h"
#include "nianbao/recognise.h"
/* Tests link nianbao_internal and may read the model's layout. */
#include "plugin_internal.h"
#include "text_internal.h"
#include "util.h"

/* Directories from the environment set by tests/CMakeLists.txt. */
const char *tu_source_dir(void);
const char *tu_build_dir(void);
/* ../shared/<sub> when it exists, else NULL (callers skip with a message). */
const char *tu_shared_dir(void);
const char *tu_bin(void);              /* the nianbao executable */

/* A context on the source tree's formats and the build tree's plugins. */
nb_context *tu_context(void);
/* A new context on the source formats/ and the plugin folder dir (caller frees). */
nb_context *tu_context_plugins(const char *dir);
const nb_templates *tu_templates(void);/* shared, loaded once per process */

/* Reads a whole file (NUL-terminated); NULL on error. Caller frees. */
char *tu_read_file(const char *path, size_t *len);
int tu_write_file(const char *path, const void *buf, size_t len);
/* Copies a file byte for byte (a copy, unlike a symlink, keeps its own
 * path after realpath()); 0 or -1. */
int tu_copy_file(const char *from, const char *to);
/* A fresh empty directory under $TMPDIR; caller removes with tu_rmrf. */
char *tu_tempdir(void);
/* 15 random bits from a seeded linear congruential generator: the same
 * sequence on every machine, so a failing generated input can be rebuilt. */
unsigned tu_rand(unsigned *state);
/* What a pattern (or other input) named what derived: got equals want, or
 * both are NULL ("none"); the message names what, got and want. */
void tu_expect_derived(const char *what, const char *got, const char *want);
/* A piece of text for generated inputs: tests join random pieces so that
 * the bytes a fast path treats specially meet in every order. */
typedef struct tu_piece {
    const char *s;
    size_t n;
} tu_piece;
#define TU_PIECE(lit) {lit, sizeof(lit) - 1}
void tu_rmrf(const char *path);
char *tu_path(const char *dir, const char *name);   /* dir/name, caller frees */

/* Runs a shell command line; captures stdout and stderr (caller frees).
 * Returns the exit status (or 128+signal). */
int tu_run(const char *cmdline, const char *stdin_data, char **out, char **err);

/* Runs `nianbao convert PATH -t json -q` and returns the parsed output
 * (new reference); fails the test when the CLI or the JSON fails. */
struct json_t;
struct json_t *tu_convert_json(const char *path);

/* Recognises a text document from memory with the txt reader's rules. */
nb_report *tu_recognise_text(const char *text, nb_error *err);
/* How many findings of rule r has (skipped ones too). */
size_t tu_count_diags(const nb_report *r, const char *rule);

/* Runs the suite; returns 0/1 for main.  Honours CK_RUN_CASE. */
int tu_main(Suite *s);

#define TU_SKIP_CODE 77

#endif
