/* bench_recognise.c - the recogniser's cost as inputs grow: a report
 * repeated N times in one document, and a single line of N bytes (the
 * shape of flattened web pages).  Prints CPU seconds per size (the
 * machine may be shared; the recogniser runs on this thread) and MB/s;
 * the seconds should grow linearly.  Not a test: nothing is asserted.
 *   bench_recognise [formats-dir]   (default: the source tree's formats) */
#include "nianbao/nianbao.h"
#include "nianbao/recognise.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const char *const report =
    "示例县统计局2023年政府信息公开工作年度报告\n一、总体情况\n本年度共收到申请3件。\n"
    "二、主动公开政府信息情况\n第二十条第（一）项\n信息内容\t本年制发件数\t本年废止件数\t现行有效件数\n"
    "规章\t0\t0\t0\n行政规范性文件\t2\t1\t20\n"
    "三、收到和处理政府信息公开申请情况\n一、本年新收政府信息公开申请数量\t3\t0\t0\t0\t0\t0\t3\n"
    "二、上年结转政府信息公开申请数量\t0\t0\t0\t0\t0\t0\t0\n（一）予以公开\t3\t0\t0\t0\t0\t0\t3\n"
    "（七）总计\t3\t0\t0\t0\t0\t0\t3\n四、结转下年度继续办理\t0\t0\t0\t0\t0\t0\t0\n"
    "四、政府信息公开行政复议、行政诉讼情况\n行政复议\t行政诉讼\n0\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0\n"
    "五、存在的主要问题及改进情况\n无。\n六、其他需要报告的事项\n无。\n";

static double seconds(void)
{
    struct timespec t;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static double time_text(const nb_templates *t, const char *text, size_t len)
{
    nb_doc *d = nb_doc_new("bench");
    nb_doc_split_text(d, text, len, NB_SPLIT_TABS);
    nb_error err;
    nb_error_clear(&err);
    double t0 = seconds();
    nb_report *r = nb_recognise(t, d, &err);
    double dt = seconds() - t0;
    nb_report_free(r);
    nb_doc_free(d);
    return dt;
}

int main(int argc, char **argv)
{
    char dir[4096];
    snprintf(dir, sizeof dir, "%s/templates", argc > 1 ? argv[1] : NB_BENCH_FORMATS);
    nb_error err;
    nb_error_clear(&err);
    nb_templates *t = nb_templates_load(dir, &err);
    if (!t) {
        fprintf(stderr, "bench_recognise: %s: %s\n", err.where, err.text);
        return 1;
    }
    printf("%-28s %12s %10s %8s\n", "input", "bytes", "cpu s", "MB/s");
    for (size_t n = 1; n <= 64; n *= 4) {
        size_t rl = strlen(report), len = rl * n;
        char *buf = malloc(len + 1);
        for (size_t i = 0; i < n; i++)
            memcpy(buf + i * rl, report, rl);
        buf[len] = '\0';
        double dt = time_text(t, buf, len);
        printf("report x %-19zu %12zu %10.4f %8.2f\n", n, len, dt, dt > 0 ? (double)len / 1e6 / dt : 0);
        free(buf);
    }
    for (size_t len = 1u << 16; len <= (1u << 22); len <<= 2) {
        char *buf = malloc(len + 1);
        for (size_t i = 0; i < len; i++)
            buf[i] = "规章0行政许可12x"[i % 19];
        buf[len] = '\0';
        double dt = time_text(t, buf, len);
        printf("one line of %-16zu %12zu %10.4f %8.2f\n", len, len, dt, dt > 0 ? (double)len / 1e6 / dt : 0);
        free(buf);
    }
    nb_templates_free(t);
    return 0;
}
