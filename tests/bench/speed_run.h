/* speed_run.h - how bench_speed times a process: fork (posix_spawn for
 * start-up) and exec, wall and CPU time and peak RSS from wait4, medians
 * and alternated pairs (a shared VM's speed drifts by tens of percent
 * within minutes).  Shared by
 * bench_speed.c and speed_docs.c. */
#ifndef NB_SPEED_RUN_H
#define NB_SPEED_RUN_H
#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

typedef struct timing {
    double wall, cpu;
    long rss_kib;
    long faults; /* minor + major page faults, fork to exit */
    int status;
} timing;

double now(void);
double cpu_now(void);
timing reap(pid_t pid, double t0);
pid_t spawn(char *const argv[], const char *out);
timing run(char *const argv[], const char *out);
int cmp_double(const void *a, const void *b);
timing median_run(char *const argv[], const char *out, int k);
/* Medians of k start-ups of each of the n (at most 8) commands argvs[j]
 * into out[j], output to /dev/null: spawned as a shell loop would, not
 * forked from this large process, in k rounds of all n; rss_kib is -1. */
void median_starts(char *const *const argvs[], int n, int k, timing *out);
void spread(double *v, int n, double out[3]);
int paired(char *const a[], char *const b[], const char *out, int k, double wall[3], double cpu[3]);
char *slurp(const char *path, size_t *len);
bool write_file(const char *path, const char *text, size_t len);
void line(const char *what, timing t, double mb, int n, timing floor);
bool wanted(const char *what);
/* fn(arg) in a forked child, which exits after it: its time and peak RSS
 * stay out of this process, whose peak every later child inherits. */
timing run_in_child(void (*fn)(const void *arg), const void *arg);
/* argv[0..1]: "-j N", or "-q -q" for an executable from before -j existed. */
void jobs_args(char **argv, const char *n, bool jobs);
/* rm -rf dir, saying so on stderr when it fails. */
void remove_tree(const char *dir);

#endif
