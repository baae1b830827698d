/* speed_run.c - see speed_run.h. */
#include "speed_run.h"
#include <fcntl.h>
#include <limits.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

double cpu_now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* Waits for the child pid started at t0: wall and CPU time, peak RSS. */
timing reap(pid_t pid, double t0)
{
    timing t = {0, 0, 0, 0, -1};
    struct rusage ru;
    int st = 0;
    if (pid > 0 && wait4(pid, &st, 0, &ru) == pid) {
        t.wall = now() - t0;
        t.cpu = (double)ru.ru_utime.tv_sec + (double)ru.ru_stime.tv_sec +
                ((double)ru.ru_utime.tv_usec + (double)ru.ru_stime.tv_usec) / 1e6;
        t.rss_kib = ru.ru_maxrss;
        t.faults = ru.ru_minflt + ru.ru_majflt;
        t.status = WIFEXITED(st) ? WEXITSTATUS(st) : 128;
    }
    return t;
}

/* Starts argv (stdout to out, or /dev/null) without waiting for it. */
pid_t spawn(char *const argv[], const char *out)
{
    pid_t pid = fork();
    if (pid == 0) {
        FILE *o = freopen(out ? out : "/dev/null", "w", stdout);
        FILE *e = freopen("/dev/null", "w", stderr);
        (void)o;
        (void)e;
        execvp(argv[0], argv);
        _exit(127);
    }
    return pid;
}

/* Runs argv (stdout to out, or /dev/null); wall and CPU time, peak RSS. */
timing run(char *const argv[], const char *out)
{
    fflush(stdout); /* or the child's freopen would print our buffer again */
    double t0 = now();
    return reap(spawn(argv, out), t0);
}

/* Starts argv as spawn does, with posix_spawn (vfork): for start-up
 * figures.  A forked child of this process copies its page tables (tens
 * of MB by then) and faults its pages in again before exec; on a VM that
 * added 2-3 ms to each start-up measured (8.7 ms for one report where a
 * shell loop sees 6).  Its peak RSS is this process's, so none is kept. */
static pid_t spawn_small(char *const argv[])
{
    posix_spawn_file_actions_t fa;
    pid_t pid = -1;
    if (posix_spawn_file_actions_init(&fa) != 0)
        return -1;
    if (posix_spawn_file_actions_addopen(&fa, STDOUT_FILENO, "/dev/null", O_WRONLY, 0) != 0 ||
        posix_spawn_file_actions_addopen(&fa, STDERR_FILENO, "/dev/null", O_WRONLY, 0) != 0 ||
        posix_spawnp(&pid, argv[0], &fa, NULL, argv, environ) != 0)
        pid = -1;
    posix_spawn_file_actions_destroy(&fa);
    return pid;
}

static timing run_small(char *const argv[])
{
    double t0 = now();
    timing t = reap(spawn_small(argv), t0);
    t.rss_kib = -1;
    return t;
}

int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static int cmp_long(const void *a, const void *b)
{
    long x = *(const long *)a, y = *(const long *)b;
    return x < y ? -1 : x > y;
}

/* Median of k runs (the machine may be shared). */
timing median_run(char *const argv[], const char *out, int k)
{
    double w[16], c[16];
    timing t = {0};
    long rss = 0;
    for (int i = 0; i < k && i < 16; i++) {
        t = run(argv, out);
        w[i] = t.wall;
        c[i] = t.cpu;
        rss = t.rss_kib > rss ? t.rss_kib : rss;
    }
    qsort(w, (size_t)k, sizeof *w, cmp_double);
    qsort(c, (size_t)k, sizeof *c, cmp_double);
    t.wall = w[k / 2];
    t.cpu = c[k / 2];
    t.rss_kib = rss;
    return t;
}

void median_starts(char *const *const argvs[], int n, int k, timing *out)
{
    enum { MAXK = 64 };
    double w[8][MAXK], c[8][MAXK];
    long f[8][MAXK];
    k = k < MAXK ? k : MAXK;
    n = n < 8 ? n : 8;
    for (int i = 0; i < k; i++) /* in rounds: a drift in the VM's speed meets every command alike */
        for (int j = 0; j < n; j++) {
            timing t = run_small(argvs[j]);
            w[j][i] = t.wall;
            c[j][i] = t.cpu;
            f[j][i] = t.faults;
        }
    for (int j = 0; j < n; j++) {
        qsort(w[j], (size_t)k, sizeof w[j][0], cmp_double);
        qsort(c[j], (size_t)k, sizeof c[j][0], cmp_double);
        qsort(f[j], (size_t)k, sizeof f[j][0], cmp_long);
        out[j] = (timing){w[j][k / 2], c[j][k / 2], -1, f[j][k / 2], 0};
    }
}

/* Median, least and greatest of v[0..n-1] (sorted in place). */
void spread(double *v, int n, double out[3])
{
    qsort(v, (size_t)n, sizeof *v, cmp_double);
    out[0] = v[n / 2];
    out[1] = v[0];
    out[2] = v[n - 1];
}

/* k pairs of runs of a and b side by side in time (the order swapped every
 * pair); per pair, a's time over b's by wall and by CPU.  A shared VM's
 * speed drifts by tens of percent within minutes, so ratios of medians
 * taken minutes apart mean little; a pair's two runs meet the same load. */
int paired(char *const a[], char *const b[], const char *out, int k, double wall[3], double cpu[3])
{
    double w[16], c[16];
    int n = 0;
    for (int i = 0; i < k && i < 16; i++) {
        timing ta, tb;
        if (i % 2) {
            tb = run(b, out);
            ta = run(a, out);
        } else {
            ta = run(a, out);
            tb = run(b, out);
        }
        if (ta.wall > 0 && tb.wall > 0 && ta.cpu > 0 && tb.cpu > 0) {
            w[n] = ta.wall / tb.wall;
            c[n++] = ta.cpu / tb.cpu;
        }
    }
    if (n) {
        spread(w, n, wall);
        spread(c, n, cpu);
    }
    return n;
}

/* The whole file, NUL-terminated (not counted in *len); NULL on failure. */
char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *b = n >= 0 ? malloc((size_t)n + 1) : NULL;
    *len = b ? fread(b, 1, (size_t)n, f) : 0;
    if (b)
        b[*len] = '\0';
    fclose(f);
    return b;
}

bool write_file(const char *path, const char *text, size_t len)
{
    FILE *f = fopen(path, "wb");
    if (!f)
        return false;
    bool ok = fwrite(text, 1, len, f) == len;
    return fclose(f) == 0 && ok;
}

/* Ratios to the floor by wall and by CPU time: on a shared machine only
 * the CPU ratio is comparable from run to run. */
void line(const char *what, timing t, double mb, int n, timing floor)
{
    printf("  %-34s %7.3f s wall %7.3f s cpu %8.0f reports/s %6.1f MB/s  RSS %6ld KiB", what, t.wall,
           t.cpu, t.wall > 0 ? n / t.wall : 0, t.wall > 0 ? mb / t.wall : 0, t.rss_kib);
    if (floor.wall > 0 && floor.cpu > 0)
        printf("  %5.1fx floor wall, %5.1fx CPU", t.wall / floor.wall, t.cpu / floor.cpu);
    if (t.status != 0 && t.status != 1)
        printf("  (exit %d)", t.status);
    printf("\n");
}

/* NB_BENCH_ONLY=TEXT: only the whole runs whose name contains TEXT. */
bool wanted(const char *what)
{
    const char *only = getenv("NB_BENCH_ONLY");
    return !only || !*only || strstr(what, only) != NULL;
}

timing run_in_child(void (*fn)(const void *arg), const void *arg)
{
    fflush(stdout);
    double t0 = now();
    pid_t pid = fork();
    if (pid == 0) {
        fn(arg);
        _exit(0);
    }
    return reap(pid, t0);
}

void jobs_args(char **argv, const char *n, bool jobs)
{
    argv[0] = jobs ? "-j" : "-q";
    argv[1] = jobs ? (char *)n : "-q";
}

void remove_tree(const char *dir)
{
    char sh[PATH_MAX + 16];
    snprintf(sh, sizeof sh, "rm -rf '%s'", dir);
    if (system(sh) != 0)
        fprintf(stderr, "bench_speed: could not remove %s\n", dir);
}
