/* out_html.c - the `html` output: the plugin callbacks and the page around
 * the parts (see html.h).  One file, UTF-8, inline CSS and SVG, no script
 * and no reference to anything outside it, so it opens offline from an
 * email attachment and prints as shown. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "c_locale_scope.h"
#include "html.h"

static const char style[] =
    "body{font-family:'Noto Sans CJK SC','Source Han Sans SC','Microsoft YaHei','PingFang SC',sans-serif;"
    "margin:0 auto;max-width:1100px;padding:16px;color:#212121;display:flex;flex-direction:column}"
    "h1{font-size:22px;margin:8px 0}h2{font-size:18px;border-bottom:2px solid #1565c0;padding-bottom:4px}"
    "section{margin-bottom:18px}#summary{order:1}#charts{order:2}#overview{order:3}#findings{order:4}"
    "#failures{order:5}#reports{order:6}"
    ".counts{display:flex;flex-wrap:wrap;gap:10px}.counts div{border:1px solid #cfd8dc;border-radius:6px;"
    "padding:8px 14px;min-width:110px}.counts b{display:block;font-size:22px}"
    "table{border-collapse:collapse;font-size:13px;margin:6px 0}th,td{border:1px solid #cfd8dc;padding:2px 6px}"
    "th{background:#e3f2fd;text-align:left;font-weight:normal}td.n,td.v{text-align:right}"
    "caption{text-align:left;font-weight:bold;padding:4px 0}"
    "td.err,li.err,tr.err td:first-child{background:#ffcdd2;color:#b71c1c}"
    "td.warn,li.warn,tr.warn td:first-child{background:#fff3c4;color:#8d5400}"
    "span.err{color:#b71c1c;font-weight:bold}span.warn{color:#8d5400;font-weight:bold}"
    "td.b{color:#9e9e9e;font-style:italic}td.i{color:#1f4e79;font-style:italic}td.m{background:#eeeeee}"
    ".src{color:#757575;font-size:12px;word-break:break-all}"
    "details.report{border:1px solid #cfd8dc;border-radius:6px;margin:6px 0;padding:4px 8px}"
    "details summary{cursor:pointer}svg.chart{width:100%;max-width:640px;height:auto;display:block;margin:8px 0}"
    "svg .axis{stroke:#9e9e9e}svg .lbl{font-size:12px;text-anchor:middle;fill:#212121}"
    "svg .lbl.end{text-anchor:end}svg .lbl.start{text-anchor:start}svg .lbl.in{fill:#fff}"
    "svg .leg{font-size:12px;fill:#212121}ul.items{margin:4px 0;padding-left:20px}"
    "@media print{details.report{break-inside:avoid}}";

static nb_status oom(nb_error *err)
{
    nb_error_set(err, NB_E_INTERNAL, PLUGIN_NAME, "out of memory");
    return NB_FATAL;
}

static nb_status io_check(html_out *h, nb_error *err)
{
    if (ferror(h->fp)) {
        nb_error_set(err, NB_E_IO, PLUGIN_NAME, "write error: %s", strerror(errno));
        return NB_FATAL;
    }
    return NB_OK;
}

static nb_status ht_create(const nb_host *host, const nb_options *opts, void **inst, nb_error *err)
{
    (void)opts;
    html_out *h = calloc(1, sizeof *h);
    if (!h)
        return oom(err);
    h->host = host;
    *inst = h;
    return NB_OK;
}

static void ht_destroy(void *inst)
{
    html_out *h = inst;
    if (!h)
        return;
    html_stats_free(h);
    hb_free(&h->overview);
    hb_free(&h->failures);
    free(h);
}

/* The reports are streamed into their section as they come; the summary
 * parts are written after it and shown before it (CSS order). */
static nb_status ht_begin(void *inst, nb_sink *out, nb_error *err)
{
    html_out *h = inst;
    h->fp = nb_sink_file(out);
    if (!h->fp) {
        nb_error_set(err, NB_E_INTERNAL, PLUGIN_NAME, "no output stream");
        return NB_FATAL;
    }
    fprintf(h->fp, "<!DOCTYPE html>\n<html lang=\"zh-CN\"><head><meta charset=\"utf-8\">"
                   "<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">"
                   "<title>政府信息公开工作年度报告 · 检查结果</title><style>%s</style></head>\n<body>\n"
                   "<h1>政府信息公开工作年度报告 · 检查结果</h1>\n"
                   "<section id=\"reports\"><h2>各报告数据（标红：错误，标黄：警告；悬停看说明）</h2>\n",
            style);
    return io_check(h, err);
}

static nb_status ht_write(void *inst, const nb_report *r, nb_error *err)
{
    html_out *h = inst;
    if (!html_report(h, r))
        return oom(err);
    return io_check(h, err);
}

static nb_status ht_failure(void *inst, const nb_failure *f, nb_error *err)
{
    html_out *h = inst;
    hbuf *b = &h->failures;
    bool skipped = nb_failure_skipped(f);
    hb_addf(b, "<tr class=\"%s\"><td>", skipped ? "" : "err");
    hb_esc(b, nb_failure_source(f));
    hb_addf(b, "</td><td>%s</td><td>", skipped ? "跳过（非年报）" : "失败（无法读取）");
    hb_esc(b, nb_failure_reason(f));
    hb_add(b, "</td></tr>\n");
    h->nfailures++;
    return b->oom ? oom(err) : NB_OK;
}

static void write_summary(html_out *h, const nb_summary *s)
{
    FILE *f = h->fp;
    struct { const char *key, *label; size_t n; const char *cls; } counts[] = {
        {"converted", "已转换的报告", s ? nb_summary_count(s, NB_SUM_CONVERTED) : h->nreports, ""},
        {"with_errors", "有错误", nb_summary_count(s, NB_SUM_WITH_ERRORS), "err"},
        {"with_warnings", "仅有警告", nb_summary_count(s, NB_SUM_WITH_WARNINGS), "warn"},
        {"skipped", "跳过（非年报）", nb_summary_count(s, NB_SUM_SKIPPED), ""},
        {"failed", "失败（无法读取）", nb_summary_count(s, NB_SUM_FAILED), "err"}};
    fputs("<section id=\"summary\"><h2>概况</h2><div class=\"counts\">", f);
    for (size_t i = 0; i < sizeof counts / sizeof *counts; i++)
        fprintf(f, "<div><b class=\"%s\" data-count=\"%s\">%zu</b>%s</div>", counts[i].cls, counts[i].key,
                counts[i].n, counts[i].label);
    fputs("</div></section>\n", f);
}

/* The charts print their coordinates and shares with %f: under a host
 * program's comma-decimal locale (setlocale in a GTK front end) SVG would
 * get "12,5" and draw nothing.  This thread writes them in "C". */
static void write_charts(html_out *h)
{
    c_locale_scope l = c_locale_enter();
    FILE *f = h->fp;
    fputs("<section id=\"charts\"><h2>图表</h2><h3>本年新收政府信息公开申请（按年度）</h3>\n", f);
    html_chart_received(f, h);
    fputs("<h3>办理结果占比（按年度）</h3>\n", f);
    html_chart_outcomes(f, h);
    if (h->nrules) {
        fputs("<h3>最常见的问题（按规则，错误与警告）</h3>\n", f);
        html_chart_rules(f, h);
    }
    fputs("</section>\n", f);
    c_locale_leave(l);
}

static void write_overview(html_out *h)
{
    FILE *f = h->fp;
    fputs("<section id=\"overview\"><h2>报告一览</h2><table><thead><tr><th>机关</th><th>年度</th><th>模板</th>"
          "<th>错误</th><th>警告</th><th>本年新收申请</th><th>来源文件</th></tr></thead><tbody>\n", f);
    if (h->overview.s)
        fputs(h->overview.s, f);
    fputs("</tbody></table></section>\n", f);
}

static void write_findings(html_out *h)
{
    FILE *f = h->fp;
    fprintf(f, "<section id=\"findings\"><h2>检查发现（按规则，共 %zu 条规则）</h2>\n", h->nrules);
    if (!h->nrules)
        fputs("<p>没有错误或警告。</p>\n", f);
    for (size_t i = 0; i < h->nrules; i++) {
        const html_rule *r = &h->rules[i];
        fputs("<details id=\"rule-", f);
        html_esc(f, r->rule);
        fprintf(f, "\" class=\"rule\"><summary><span class=\"%s\">", r->severity == NB_SEV_ERROR ? "err" : "warn");
        html_esc(f, r->rule);
        fprintf(f, "</span> · %zu 处</summary><ul class=\"items\">\n%s</ul></details>\n", r->count,
                r->items.s ? r->items.s : "");
    }
    fputs("</section>\n", f);
}

static void write_failures(html_out *h)
{
    FILE *f = h->fp;
    fprintf(f, "<section id=\"failures\"><h2>未转换的文件（%zu）</h2>\n", h->nfailures);
    if (h->nfailures)
        fprintf(f, "<table><thead><tr><th>文件</th><th>结果</th><th>原因</th></tr></thead><tbody>\n%s</tbody></table>\n",
                h->failures.s);
    else
        fputs("<p>全部输入都已转换。</p>\n", f);
    fputs("</section>\n", f);
}

static nb_status ht_end(void *inst, const nb_summary *s, nb_error *err)
{
    html_out *h = inst;
    for (size_t i = 0; i < nb_summary_run_diag_count(s); i++)
        if (!html_run_diag(h, nb_summary_run_diag_source(s, i), nb_summary_run_diag_at(s, i)))
            return oom(err);
    fputs("</section>\n", h->fp); /* #reports */
    write_summary(h, s);
    write_charts(h);
    write_overview(h);
    write_findings(h);
    write_failures(h);
    fputs("</body></html>\n", h->fp);
    return io_check(h, err);
}

static const char *const ht_extensions[] = {".html", ".htm", NULL};

static const nb_plugin html_plugin = {
    .abi_version = NB_ABI_VERSION,
    .struct_size = sizeof(nb_plugin),
    .name = PLUGIN_NAME,
    .version = "1.0.0",
    .description = "Findings page: one self-contained HTML file with summary, charts, findings and every value",
    .kind = NB_PLUGIN_OUTPUT,
    .caps = NB_CAP_NO_SOURCE_HASH,
    .extensions = ht_extensions,
    .options = NULL,
    .create = ht_create,
    .destroy = ht_destroy,
    .begin = ht_begin,
    .write = ht_write,
    .failure = ht_failure,
    .end = ht_end,
};

NB_PLUGIN_EXPORT const nb_plugin *nb_plugin_entry(uint32_t host_abi);
NB_PLUGIN_EXPORT const nb_plugin *nb_plugin_entry(uint32_t host_abi)
{
    (void)host_abi;
    return &html_plugin;
}
