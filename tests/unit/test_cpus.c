/* test_cpus.c - -j's default (core/src/cpus.c, nb_default_jobs): the affinity mask, and
 * the CPU quota of the process's cgroup read from a tree of /proc and
 * cgroup files made here, in the layouts machines have: cgroup v2 alone,
 * v1 alone, both (v1's cpu controller beside an empty v2), a container
 * that sees its own cgroup as the mount's root, a quota set on a parent,
 * and files that are missing or say nothing. */
#include "testutil.h"
#include "cpus.h"
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* Each test's tree of /proc and cgroup files (a checked fixture). */
static char *root;

static void make_root(void) { root = tu_tempdir(); }

static void remove_root(void)
{
    tu_rmrf(root);
    free(root);
    root = NULL;
}

/* Writes text to root/rel, making its folders. */
static void put(const char *rel, const char *text)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", root, rel);
    for (char *p = path + strlen(root) + 1; (p = strchr(p, '/')); p++) {
        *p = '\0';
        mkdir(path, 0700);
        *p = '/';
    }
    ck_assert_int_eq(tu_write_file(path, text, strlen(text)), 0);
}

/* A v1 cpu cgroup's quota and period at root/dir. */
static void put_cfs(const char *dir, const char *quota, const char *period)
{
    char rel[512];
    snprintf(rel, sizeof rel, "%s/cpu.cfs_quota_us", dir);
    put(rel, quota);
    snprintf(rel, sizeof rel, "%s/cpu.cfs_period_us", dir);
    put(rel, period);
}

static const char v2_mount[] = "29 23 0:26 / /sys/fs/cgroup rw,nosuid,nodev,noexec,relatime shared:4 - cgroup2 "
                               "cgroup2 rw,nsdelegate,memory_recursiveprot\n";
static const char v1_mounts[] =
    "31 23 0:28 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755\n"
    "32 31 0:29 / /sys/fs/cgroup/cpu,cpuacct rw,relatime - cgroup cgroup rw,cpu,cpuacct\n"
    "33 31 0:30 / /sys/fs/cgroup/cpuset rw,relatime - cgroup cgroup rw,cpuset\n";

START_TEST(quota_text)
{
    ck_assert_int_eq(nb_quota_cpus("100000", "100000\n"), 1);
    ck_assert_int_eq(nb_quota_cpus("150000", "100000"), 2); /* rounded up */
    ck_assert_int_eq(nb_quota_cpus("400000\n", "100000\n"), 4);
    ck_assert_int_eq(nb_quota_cpus("1000", "100000"), 1);
    ck_assert_int_eq(nb_quota_cpus("max", "100000"), 0);
    ck_assert_int_eq(nb_quota_cpus("-1\n", "100000\n"), 0);
    ck_assert_int_eq(nb_quota_cpus("", "100000"), 0);
    ck_assert_int_eq(nb_quota_cpus("100000", "0"), 0);
    ck_assert_int_eq(nb_quota_cpus("12ab", "100000"), 0);
    ck_assert_int_eq(nb_quota_cpus("99999999999999999999999", "1"), 0); /* out of range */
}
END_TEST

START_TEST(v2_own_cgroup_and_parents)
{
    put("proc/self/cgroup", "0::/user.slice/batch.service\n");
    put("proc/self/mountinfo", v2_mount);
    put("sys/fs/cgroup/cpu.max", "max 100000\n"); /* never in a real root: ignored as "max" */
    put("sys/fs/cgroup/user.slice/cpu.max", "max 100000\n");
    put("sys/fs/cgroup/user.slice/batch.service/cpu.max", "250000 100000\n");
    ck_assert_int_eq(nb_cpu_quota(root), 3);
    /* a lower quota above the process's own group wins */
    put("sys/fs/cgroup/user.slice/cpu.max", "100000 100000\n");
    ck_assert_int_eq(nb_cpu_quota(root), 1);
    /* no quota anywhere */
    put("sys/fs/cgroup/user.slice/cpu.max", "max 100000\n");
    put("sys/fs/cgroup/user.slice/batch.service/cpu.max", "max 100000\n");
    ck_assert_int_eq(nb_cpu_quota(root), 0);
}
END_TEST

START_TEST(v2_container_sees_its_own_root)
{
    /* docker with a cgroup namespace: the container's cgroup is "/" and
     * the mount shows it; its cpu.max is the --cpus limit */
    put("proc/self/cgroup", "0::/\n");
    put("proc/self/mountinfo", v2_mount);
    put("sys/fs/cgroup/cpu.max", "200000 100000\n");
    ck_assert_int_eq(nb_cpu_quota(root), 2);
}
END_TEST

START_TEST(v1_cpu_controller)
{
    put("proc/self/cgroup", "5:cpuset:/\n4:cpu,cpuacct:/docker/abc\n1:name=systemd:/docker/abc\n");
    put("proc/self/mountinfo", v1_mounts);
    put_cfs("sys/fs/cgroup/cpu,cpuacct", "-1\n", "100000\n");
    put_cfs("sys/fs/cgroup/cpu,cpuacct/docker", "-1\n", "100000\n");
    put_cfs("sys/fs/cgroup/cpu,cpuacct/docker/abc", "50000\n", "100000\n");
    ck_assert_int_eq(nb_cpu_quota(root), 1);
    put_cfs("sys/fs/cgroup/cpu,cpuacct/docker/abc", "300000\n", "100000\n");
    ck_assert_int_eq(nb_cpu_quota(root), 3);
}
END_TEST

START_TEST(v1_mount_shows_the_container_cgroup)
{
    /* no cgroup namespace: the path names the container's group, which
     * the mount shows at its point */
    put("proc/self/cgroup", "4:cpu,cpuacct:/docker/abc\n");
    put("proc/self/mountinfo",
        "32 31 0:29 /docker/abc /sys/fs/cgroup/cpu,cpuacct ro,relatime - cgroup cgroup rw,cpu,cpuacct\n");
    put_cfs("sys/fs/cgroup/cpu,cpuacct", "150000\n", "100000\n");
    ck_assert_int_eq(nb_cpu_quota(root), 2);
}
END_TEST

START_TEST(hybrid_takes_the_lower)
{
    /* v1's cpu controller beside a v2 mount without it (systemd's hybrid
     * layout), the mount point spelt with an escaped blank */
    put("proc/self/cgroup", "1:cpu:/jobs\n0::/\n");
    put("proc/self/mountinfo",
        "32 31 0:29 / /sys/fs/cgroup/cpu\\040ctl rw,relatime - cgroup cgroup rw,cpu\n"
        "41 31 0:38 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw\n");
    put_cfs("sys/fs/cgroup/cpu ctl/jobs", "100000\n", "100000\n");
    put("sys/fs/cgroup/unified/cgroup.controllers", "\n");
    ck_assert_int_eq(nb_cpu_quota(root), 1);
    /* both set: the lower */
    put("sys/fs/cgroup/unified/cpu.max", "200000 100000\n");
    ck_assert_int_eq(nb_cpu_quota(root), 1);
    put_cfs("sys/fs/cgroup/cpu ctl/jobs", "800000\n", "100000\n");
    ck_assert_int_eq(nb_cpu_quota(root), 2);
}
END_TEST

START_TEST(nothing_to_read)
{
    ck_assert_int_eq(nb_cpu_quota(root), 0); /* no /proc at all */
    put("proc/self/cgroup", "0::/a\n");
    ck_assert_int_eq(nb_cpu_quota(root), 0); /* no mountinfo */
    put("proc/self/mountinfo", v2_mount);
    ck_assert_int_eq(nb_cpu_quota(root), 0); /* no cpu.max */
    put("sys/fs/cgroup/a/cpu.max", "garbage\n");
    ck_assert_int_eq(nb_cpu_quota(root), 0);
    put("sys/fs/cgroup/a/cpu.max", "100000\n"); /* no period */
    ck_assert_int_eq(nb_cpu_quota(root), 0);
    put("proc/self/cgroup", "12:cpuacct:/a\n11:name=cpu:/a\n"); /* no cpu controller, no v2 */
    ck_assert_int_eq(nb_cpu_quota(root), 0);
}
END_TEST

/* The real default, with this process held to one CPU and then given its
 * mask back: one CPU is one thread whatever the quota says. */
START_TEST(affinity_bounds_the_default)
{
    cpu_set_t all, one;
    ck_assert_int_eq(sched_getaffinity(0, sizeof all, &all), 0);
    int n = CPU_COUNT(&all), first = 0;
    while (!CPU_ISSET(first, &all))
        first++;
    int dflt = nb_default_jobs();
    ck_assert_int_ge(dflt, 1);
    ck_assert_int_le(dflt, n < 64 ? n : 64);
    CPU_ZERO(&one);
    CPU_SET(first, &one);
    ck_assert_int_eq(sched_setaffinity(0, sizeof one, &one), 0);
    ck_assert_int_eq(nb_default_jobs(), 1);
    ck_assert_int_eq(sched_setaffinity(0, sizeof all, &all), 0);
    ck_assert_int_eq(nb_default_jobs(), dflt);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("cpus");
    TCase *tc = tcase_create("cpus");
    tcase_add_checked_fixture(tc, make_root, remove_root);
    tcase_add_test(tc, quota_text);
    tcase_add_test(tc, v2_own_cgroup_and_parents);
    tcase_add_test(tc, v2_container_sees_its_own_root);
    tcase_add_test(tc, v1_cpu_controller);
    tcase_add_test(tc, v1_mount_shows_the_container_cgroup);
    tcase_add_test(tc, hybrid_takes_the_lower);
    tcase_add_test(tc, nothing_to_read);
    tcase_add_test(tc, affinity_bounds_the_default);
    suite_add_tcase(s, tc);
    return tu_main(s);
}
