/* cli_malloc.c - the allocator's policy for this process.
 *
 * With -j N each worker thread allocates from its own glibc arena, and
 * glibc gives a thread arena's free top back to the kernel as soon as it
 * passes 128 KB: every report then faults its working memory in again.
 * On the 2-vCPU VM of docs/performance.md that tripled a -j 2 run's page
 * faults (989 -> 3 167 for 1 000 reports) and spent more CPU in the kernel
 * than the reports' own work saved.  Keeping up to 1 MB per arena stops
 * it; large blocks (whole documents) are still mapped and unmapped on
 * their own.  A new thread arena also grows a few pages at a time, one
 * mprotect each (150-330 calls for a worker over 1 000 reports, each
 * taking the process's memory map lock against the other threads' page
 * faults); a top pad of 1 MB makes it start with 1 MB mapped, and the
 * main heap grow in 1 MB steps: about 40 calls in all.  This is the
 * program's choice, not the library's: libnianbao leaves process-wide
 * settings to the program that links it.  A user's own GLIBC_TUNABLES
 * malloc settings win. */
#include "cli.h"
#include <stdlib.h>
#include <string.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif

void cli_tune_malloc(void)
{
#ifdef __GLIBC__
    const char *t = getenv("GLIBC_TUNABLES");
    if (t && strstr(t, "glibc.malloc."))
        return;
    /* Setting the trim threshold fixes the mmap threshold too (glibc stops
     * raising it), so both are set. */
    mallopt(M_TRIM_THRESHOLD, 1 << 20);
    mallopt(M_MMAP_THRESHOLD, 1 << 20);
    mallopt(M_TOP_PAD, 1 << 20);
#endif
}
