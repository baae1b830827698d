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
 * malloc settings win.
 *
 * The main heap's first 2 MB are also asked for as one transparent huge
 * page.  A run that converts one report touches about 190 fresh heap
 * pages; on a VM each first touch is a fault costing 7-19 us, 2-3 ms of
 * a 9 ms process, while one huge-page fault (zeroing 2 MB) takes about
 * 0.1 ms.  This is what glibc's own glibc.malloc.hugetlb=1 tunable does,
 * which a program cannot set for itself once started.  Where the kernel
 * gives no huge page (THP off, memory fragmented) the pages fault in one
 * by one as before.  Only commands that read reports ask for it: for a
 * listing or --version the huge page's 2 MB are more to clear than the
 * few pages they touch. */
#include "cli.h"
#include <stdlib.h>
#include <string.h>
#ifdef __GLIBC__
#include <malloc.h>
#include <stdint.h>
#include <sys/mman.h>
#include <unistd.h>
#endif

#define HUGE_PAGE ((uintptr_t)2 << 20)

#if defined(__GLIBC__) && defined(MADV_HUGEPAGE)
/* A huge page is only used for an aligned 2 MB range no small page of
 * which was touched before madvise.  So the heap is made to begin one page
 * below a 2 MB boundary (glibc writes its first chunk header there), and a
 * block spanning the range is allocated (glibc writes only the headers
 * outside it), marked, and freed.  The top pad of 2 MB keeps glibc from
 * ever trimming the heap back into the range. */
static void heap_huge_page(void)
{
    uintptr_t page = (uintptr_t)sysconf(_SC_PAGESIZE);
    uintptr_t cur = (uintptr_t)sbrk(0);
    if (cur == (uintptr_t)-1 || page == 0 || page >= HUGE_PAGE)
        return;
    uintptr_t start = (cur + page + HUGE_PAGE - 1) & ~(HUGE_PAGE - 1);
    if (sbrk((intptr_t)(start - page - cur)) == (void *)-1)
        return;
    mallopt(M_MMAP_THRESHOLD, 4 << 20); /* the block below comes from the heap */
    void *volatile block = malloc(HUGE_PAGE + 2 * page); /* volatile: not optimised away */
    uintptr_t end = (uintptr_t)sbrk(0);
    if (block && (uintptr_t)block < start && end >= start + HUGE_PAGE)
        madvise((void *)start, HUGE_PAGE, MADV_HUGEPAGE);
    free(block);
    mallopt(M_MMAP_THRESHOLD, 1 << 20);
}
#endif

void cli_tune_malloc(bool huge_heap)
{
#ifdef __GLIBC__
    const char *t = getenv("GLIBC_TUNABLES");
    if (t && strstr(t, "glibc.malloc."))
        return;
    /* Setting the trim threshold fixes the mmap threshold too (glibc stops
     * raising it), so both are set. */
    mallopt(M_TRIM_THRESHOLD, 1 << 20);
    mallopt(M_MMAP_THRESHOLD, 1 << 20);
    mallopt(M_TOP_PAD, (int)HUGE_PAGE);
#ifdef MADV_HUGEPAGE
    if (huge_heap)
        heap_huge_page();
#else
    (void)huge_heap;
#endif
#endif
}
