/* cli_cpus.h - -j's default (cli_cpus.c).  Apart from cli.h: the unit
 * test and the benchmark compile cli_cpus.c without the rest of the CLI. */
#ifndef NIANBAO_CLI_CPUS_H
#define NIANBAO_CLI_CPUS_H

/* The CPUs this process may use: its affinity mask, lowered to its cgroup
 * CPU quota; 1 to 64. */
int cli_default_jobs(void);
/* The CPUs the cgroup quota of this process (or of a cgroup above it)
 * allows, rounded up; 0 when none is set.  root prefixes /proc and the
 * cgroup mount points ("" for the real ones; tests give a tree of their
 * own). */
int cli_cpu_quota(const char *root);
/* CPUs from a quota and a period in microseconds, rounded up; 0 for no
 * limit ("max", -1) or text that is not a number. */
int cli_quota_cpus(const char *quota, const char *period);

#endif
