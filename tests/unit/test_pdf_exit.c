/* test_pdf_exit.c - a process that read a PDF ends cleanly with the PDF
 * reader still loaded.
 *
 * The reader keeps one poppler document open for as long as it is loaded,
 * so that poppler builds its shared tables (GlobalParams) once a run and
 * not once a PDF.  A library caller that never frees its context, or a
 * fuzzer, exits with the plugin loaded: letting that document go after
 * poppler's own static destructors (an ELF destructor runs after them)
 * freed the tables twice and crashed at exit.  The work is done in a child
 * that calls exit() with its context still open; the parent checks how it
 * ended.  Closing the context first (nb_context_free unloads the plugin)
 * must end as cleanly. */
#include "testutil.h"
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

/* A valid one-page PDF without text (the reader fails it as a scan, after
 * poppler has parsed it and built its tables). */
static const char pdf[] = "%PDF-1.4\n"
                          "1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
                          "2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
                          "3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 8 8]>>endobj\n"
                          "xref\n0 4\n0000000000 65535 f \n0000000009 00000 n \n"
                          "0000000052 00000 n \n0000000101 00000 n \n"
                          "trailer<</Size 4/Root 1 0 R>>\nstartxref\n160\n%%EOF\n";

static nb_context *kept; /* a root for the leak checker: kept open on purpose */

/* Reads the PDF twice through the reader; false when it is not built. */
static bool read_pdf(nb_context *c)
{
    const nb_plugin_info *pi = c ? nb_context_find_plugin(c, NB_PLUGIN_INPUT, "pdf") : NULL;
    if (!pi)
        return false;
    const nb_plugin *p = pi->plugin;
    for (int i = 0; i < 2; i++) {
        nb_options *o = nb_options_new(p->options);
        nb_error err;
        nb_error_clear(&err);
        void *inst = NULL;
        if (p->create(nb_context_host(c), o, &inst, &err) != NB_OK)
            _exit(3);
        nb_stream *s = nb_stream_from_memory("blank.pdf", pdf, sizeof pdf - 1);
        nb_status st = p->open(inst, s, &err);
        if (st != NB_FAILED || !strstr(err.text, "scanned PDF"))
            _exit(4); /* the document was not read as a PDF at all */
        nb_stream_free(s);
        p->destroy(inst);
        nb_options_free(o);
    }
    return true;
}

/* How a child that read the PDF ended: its exit status, 77 when the
 * reader is not built, -signal when it was killed. */
static int child_status(bool close_context)
{
    pid_t pid = fork();
    ck_assert_int_ge(pid, 0);
    if (pid == 0) {
        kept = tu_context();
        if (!read_pdf(kept))
            _exit(77);
        if (close_context) {
            nb_context_free(kept);
            kept = NULL;
        }
        exit(0); /* atexit handlers and static destructors run */
    }
    int status = 0;
    ck_assert_int_eq(waitpid(pid, &status, 0), pid);
    return WIFSIGNALED(status) ? -WTERMSIG(status) : WEXITSTATUS(status);
}

START_TEST(exit_with_the_reader_loaded)
{
    int st = child_status(false);
    if (st == 77)
        return; /* said by main */
    ck_assert_msg(st == 0, "the process ended with %d (negative: a signal) instead of 0", st);
}
END_TEST

START_TEST(exit_after_the_reader_is_unloaded)
{
    int st = child_status(true);
    if (st == 77)
        return;
    ck_assert_msg(st == 0, "the process ended with %d (negative: a signal) instead of 0", st);
}
END_TEST

int main(void)
{
    nb_context *c = tu_context();
    bool built = c && nb_context_find_plugin(c, NB_PLUGIN_INPUT, "pdf");
    nb_context_free(c);
    if (!built) {
        printf("test_pdf_exit: SKIPPED - the pdf reader is not built (needs poppler-glib)\n");
        return TU_SKIP_CODE;
    }
    Suite *s = suite_create("pdf_exit");
    TCase *tc = tcase_create("exit");
    tcase_add_test(tc, exit_with_the_reader_loaded);
    tcase_add_test(tc, exit_after_the_reader_is_unloaded);
    suite_add_tcase(s, tc);
    return tu_main(s);
}
