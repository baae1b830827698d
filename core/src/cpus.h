/* cpus.h - a run's default thread count (cpus.c).  nb_default_jobs itself
 * is public (nianbao.h); these are its parts, for the unit test. */
#ifndef NB_CPUS_H
#define NB_CPUS_H

#include "nianbao/nianbao.h"

/* The CPUs the cgroup quota of this process (or of a cgroup above it)
 * allows, rounded up; 0 when none is set.  root prefixes /proc and the
 * cgroup mount points ("" for the real ones; tests give a tree of their
 * own). */
int nb_cpu_quota(const char *root);
/* CPUs from a quota and a period in microseconds, rounded up; 0 for no
 * limit ("max", -1) or text that is not a number. */
int nb_quota_cpus(const char *quota, const char *period);

#endif
