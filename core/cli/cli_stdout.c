/* cli_stdout.c - the buffer of standard output.
 *
 * stdio gives a pipe or a file the size of its block (4 KB) as buffer: a
 * run writing NDJSON to a file made two write calls per report.  64 KB
 * makes it one per dozen reports (outputs that stream still flush after
 * each record).  A terminal keeps its line buffering, so a person sees
 * each line when it is written. */
#include "cli.h"
#include <stdio.h>
#include <unistd.h>

void cli_buffer_stdout(void)
{
    /* glibc ignores the size unless it is given the buffer; it must live
     * as long as stdout, to exit */
    static char buf[1 << 16];
    if (!isatty(STDOUT_FILENO))
        setvbuf(stdout, buf, _IOFBF, sizeof buf);
}
