/* xlsx_quiet.c - libxlsxwriter prints "[ERROR] ..." lines of its own on
 * stderr when writing the workbook fails at close (disk full, a file too
 * large, a folder gone), besides returning an error code.  nianbao's
 * messages say it once, in its own words: while the workbook is closed the
 * library's stderr goes to an anonymous temp file, and the system error
 * it names becomes the detail of our message.  Closing is the last step
 * of a run, when no other thread prints. */
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "xlsx.h"

bool xl_quiet_begin(xl_quiet *q)
{
    q->saved = -1;
    q->cap = tmpfile(); /* unlinked at once: nothing is left behind */
    if (!q->cap)
        return false;
    fflush(stderr);
    q->saved = dup(STDERR_FILENO);
    if (q->saved < 0 || dup2(fileno(q->cap), STDERR_FILENO) < 0) {
        if (q->saved >= 0)
            close(q->saved);
        fclose(q->cap);
        q->saved = -1;
        q->cap = NULL;
        return false;
    }
    return true;
}

/* The text after "System error = " in what was caught, else "". */
static void system_error(FILE *f, char *detail, size_t len)
{
    char line[1024];
    static const char tag[] = "System error = ";
    detail[0] = '\0';
    rewind(f);
    while (fgets(line, sizeof line, f)) {
        const char *at = strstr(line, tag);
        if (!at)
            continue;
        snprintf(detail, len, "%s", at + sizeof tag - 1);
        detail[strcspn(detail, "\r\n")] = '\0';
        return;
    }
}

void xl_quiet_end(xl_quiet *q, char *detail, size_t len)
{
    if (len)
        detail[0] = '\0';
    if (!q->cap)
        return;
    fflush(stderr);
    dup2(q->saved, STDERR_FILENO);
    close(q->saved);
    if (len)
        system_error(q->cap, detail, len);
    fclose(q->cap);
    q->cap = NULL;
}
