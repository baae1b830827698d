/* cpus.c - how many threads a run starts when it is not told
 * (NB_JOBS_AUTO, the CLI's -j default): the CPUs this process may run on,
 * not the machine's.  Counted when a run's second input arrives, not at
 * start: the cgroup files cost a one-file run 0.15-0.2 ms on the VM of
 * docs/performance.md.
 *
 * sysconf's count of online CPUs is the machine's.  A process confined by
 * taskset or a container's cpuset, or held to a CPU quota (docker --cpus,
 * Kubernetes limits, systemd CPUQuota), gets fewer, and every thread more
 * than it gets makes -j slower than -j 1: on the 2-vCPU VM of
 * docs/performance.md, 10 000 reports took 0.56-0.60 s at -j 1 and
 * 0.67-0.73 s at -j 2 under a one-CPU quota, 1.04-1.08 s at -j 8.  So the
 * count is the affinity mask's, lowered to the quota of the process's
 * cgroup or of any cgroup above it (v2 cpu.max, v1 cpu.cfs_quota_us over
 * cpu.cfs_period_us), a fractional quota rounded up: the scheduler stops
 * all of a group's threads together when its quota is spent, so the
 * thread for the fraction is not preempted while the others run. */
#include "cpus.h"
#include <errno.h>
#include <limits.h>
#include <sched.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define NB_JOBS_MAX 64 /* the default's ceiling; -j itself takes up to 256 */

/* CPUs in the affinity mask, however many the kernel knows of (the mask is
 * grown until it holds them all); sysconf's count when it cannot be read. */
static int affinity_cpus(void)
{
    for (int n = 1024; n <= (1 << 20); n *= 2) {
        cpu_set_t *set = CPU_ALLOC((size_t)n);
        if (!set)
            break;
        size_t size = CPU_ALLOC_SIZE((size_t)n);
        CPU_ZERO_S(size, set);
        int rc = sched_getaffinity(0, size, set), count = rc == 0 ? CPU_COUNT_S(size, set) : 0;
        int e = errno;
        CPU_FREE(set);
        if (rc == 0 && count > 0)
            return count;
        if (rc != 0 && e != EINVAL) /* EINVAL: a mask too small for the kernel's CPUs */
            break;
    }
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n < 1 ? 1 : n > INT_MAX ? INT_MAX : (int)n;
}

/* CPUs that quota microseconds every period give, rounded up; 0: no limit
 * (a quota of -1 or "max", or anything that does not parse). */
int nb_quota_cpus(const char *quota, const char *period)
{
    char *end;
    errno = 0;
    long long q = strtoll(quota, &end, 10);
    if (errno || end == quota || (*end && *end != '\n') || q <= 0)
        return 0;
    long long p = strtoll(period, &end, 10);
    if (errno || end == period || (*end && *end != '\n') || p <= 0)
        return 0;
    long long cpus = q / p + (q % p != 0);
    return cpus > INT_MAX ? INT_MAX : (int)cpus;
}

/* The whole (small) file at path into buf, NUL-ended; false when it cannot be read. */
static bool read_small(const char *path, char *buf, size_t size)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return false;
    size_t n = fread(buf, 1, size - 1, f);
    fclose(f);
    buf[n] = '\0';
    return n > 0;
}

/* cgroup v2's cpu.max: "QUOTA PERIOD" or "max PERIOD". */
static int cpu_max_cpus(const char *dir)
{
    char path[PATH_MAX], text[128];
    if (snprintf(path, sizeof path, "%s/cpu.max", dir) >= (int)sizeof path || !read_small(path, text, sizeof text))
        return 0;
    char *sp = strchr(text, ' ');
    if (!sp)
        return 0;
    *sp = '\0';
    return nb_quota_cpus(text, sp + 1);
}

/* cgroup v1's cpu controller: cpu.cfs_quota_us over cpu.cfs_period_us. */
static int cfs_cpus(const char *dir)
{
    char path[PATH_MAX], quota[64], period[64];
    if (snprintf(path, sizeof path, "%s/cpu.cfs_quota_us", dir) >= (int)sizeof path ||
        !read_small(path, quota, sizeof quota))
        return 0;
    snprintf(path, sizeof path, "%s/cpu.cfs_period_us", dir);
    return read_small(path, period, sizeof period) ? nb_quota_cpus(quota, period) : 0;
}

/* The lowest limit of dir and every directory above it up to top (the
 * hierarchy's mount point); 0 when none sets one. */
static int lowest_limit(char *dir, size_t top, int (*limit)(const char *))
{
    int best = 0;
    for (;;) {
        int n = limit(dir);
        if (n > 0 && (best == 0 || n < best))
            best = n;
        char *slash = strrchr(dir, '/');
        if (!slash || (size_t)(slash - dir) < top)
            return best;
        *slash = '\0';
    }
}

/* mountinfo escapes blanks and backslashes in paths as \ooo: decoded in place. */
static void unescape(char *s)
{
    char *o = s;
    for (char *p = s; *p; p++) {
        if (p[0] == '\\' && p[1] >= '0' && p[1] <= '3' && p[2] >= '0' && p[2] <= '7' && p[3] >= '0' && p[3] <= '7') {
            *o++ = (char)((p[1] - '0') * 64 + (p[2] - '0') * 8 + (p[3] - '0'));
            p += 3;
        } else {
            *o++ = *p;
        }
    }
    *o = '\0';
}

/* Is item one of the comma-separated list's items? */
static bool has_item(const char *list, const char *item)
{
    size_t n = strlen(item);
    for (const char *p = list;; p++) {
        if (strncmp(p, item, n) == 0 && (p[n] == ',' || p[n] == '\0' || p[n] == '\n'))
            return true;
        if (!(p = strchr(p, ',')))
            return false;
    }
}

/* The two hierarchies that can hold a CPU quota: v2, and v1's cpu
 * controller.  Each: the process's group (from /proc/self/cgroup), the
 * mount point (prefixed by root) and the part of the hierarchy the mount
 * shows (from /proc/self/mountinfo). */
typedef struct hierarchy {
    char group[PATH_MAX], point[PATH_MAX], shown[PATH_MAX];
} hierarchy;

enum { H_V2, H_V1, H_N };

/* root/proc/self/name, open for reading; NULL when it is not there. */
static FILE *open_self(const char *root, const char *name)
{
    char path[PATH_MAX];
    return snprintf(path, sizeof path, "%s/proc/self/%s", root, name) < (int)sizeof path ? fopen(path, "r") : NULL;
}

/* The process's group in each hierarchy: lines ID:CONTROLLERS:PATH, v2's
 * being 0::PATH. */
static void read_groups(const char *root, hierarchy h[H_N])
{
    char line[4096];
    FILE *f = open_self(root, "cgroup");
    if (!f)
        return;
    while (fgets(line, sizeof line, f)) {
        char *c1 = strchr(line, ':'), *c2 = c1 ? strchr(c1 + 1, ':') : NULL;
        if (!c2)
            continue;
        *c2 = '\0';
        bool v2 = strcmp(line, "0:") == 0 && c1[1] == '\0';
        hierarchy *to = v2 ? &h[H_V2] : has_item(c1 + 1, "cpu") ? &h[H_V1] : NULL;
        if (to && !to->group[0]) {
            c2[1 + strcspn(c2 + 1, "\n")] = '\0';
            snprintf(to->group, sizeof to->group, "%s", c2 + 1);
        }
    }
    fclose(f);
}

/* The mounts of both hierarchies, from one pass over mountinfo:
 * ID PARENT MAJ:MIN ROOT POINT OPTIONS [OPTIONAL...] - FSTYPE SOURCE SUPER
 * (v2: fstype cgroup2; v1's cpu: fstype cgroup, "cpu" among SUPER). */
static void read_mounts(const char *root, hierarchy h[H_N])
{
    char line[4096];
    FILE *f = open_self(root, "mountinfo");
    if (!f)
        return;
    while (fgets(line, sizeof line, f)) {
        char *dash = strstr(line, " - ");
        if (!dash)
            continue;
        *dash = '\0';
        char *save, *fields[5] = {0};
        char *t = strtok_r(line, " ", &save);
        for (int i = 0; t && i < 5; i++, t = strtok_r(NULL, " ", &save))
            fields[i] = t;
        char *type = strtok_r(dash + 3, " ", &save);
        strtok_r(NULL, " ", &save); /* source */
        char *super = strtok_r(NULL, " \n", &save);
        if (!fields[4] || !type)
            continue;
        hierarchy *to = strcmp(type, "cgroup2") == 0                                       ? &h[H_V2]
                        : strcmp(type, "cgroup") == 0 && super && has_item(super, "cpu") ? &h[H_V1]
                                                                                          : NULL;
        if (!to || to->point[0])
            continue;
        unescape(fields[3]);
        unescape(fields[4]);
        if (snprintf(to->point, sizeof to->point, "%s%s", root, fields[4]) >= (int)sizeof to->point ||
            snprintf(to->shown, sizeof to->shown, "%s", fields[3]) >= (int)sizeof to->shown)
            to->point[0] = '\0';
    }
    fclose(f);
}

/* The lowest limit in one hierarchy, from the process's group up to the
 * mount; 0 when it has none or is not there. */
static int hierarchy_limit(const hierarchy *h, int (*limit)(const char *))
{
    if (!h->group[0] || !h->point[0])
        return 0;
    /* the group below what the mount shows (a container sees its own
     * cgroup as the mount's root; a path outside it: the mount point) */
    size_t sl = strcmp(h->shown, "/") == 0 ? 0 : strlen(h->shown);
    const char *below = strncmp(h->group, h->shown, sl) == 0 && (h->group[sl] == '/' || h->group[sl] == '\0')
                            ? h->group + sl
                            : "";
    char dir[PATH_MAX];
    if (snprintf(dir, sizeof dir, "%s%s", h->point, strcmp(below, "/") == 0 ? "" : below) >= (int)sizeof dir)
        return 0;
    return lowest_limit(dir, strlen(h->point), limit);
}

int nb_cpu_quota(const char *root)
{
    hierarchy *h = calloc(H_N, sizeof *h); /* 12 KB each */
    if (!h)
        return 0;
    read_groups(root, h);
    int v2 = 0, v1 = 0;
    if (h[H_V2].group[0] || h[H_V1].group[0]) {
        read_mounts(root, h);
        v2 = hierarchy_limit(&h[H_V2], cpu_max_cpus);
        v1 = hierarchy_limit(&h[H_V1], cfs_cpus);
    }
    free(h);
    return v2 > 0 && (v1 == 0 || v2 < v1) ? v2 : v1;
}

int nb_default_jobs(void)
{
    int n = affinity_cpus();
    if (n > 1) { /* one CPU: no quota can lower it, and /proc is not read */
        int q = nb_cpu_quota("");
        if (q > 0 && q < n)
            n = q;
    }
    return n < 1 ? 1 : n > NB_JOBS_MAX ? NB_JOBS_MAX : n;
}
