/* hello.c - the smallest useful nianbao output plugin.
 *
 * Writes one line per report:  agency <TAB> year <TAB> 新收申请总计
 * (requests.new_received.total).  It shows everything a plugin needs: one
 * descriptor, one exported entry point, options declared as data, and the
 * begin/write/end calls of an output.  Build: see Makefile (pkg-config only). */
#include <nianbao/plugin.h>
#include <stdio.h>
#include <stdlib.h>

/* The core parses and type-checks these before create() runs:
 * `nianbao convert ... -t hello -O header=true`. */
static const nb_option_def options[] = {
    {"header", NB_OPT_BOOL, "false", "print a header line first"},
    {0}};

static const char *const extensions[] = {".hello", NULL}; /* -o out.hello picks this plugin */

typedef struct hello {
    bool header;
    FILE *out; /* borrowed from the sink; the core opens, commits and closes it */
} hello;

static nb_status hello_create(const nb_host *host, const nb_options *opts, void **inst, nb_error *err)
{
    (void)host;
    hello *h = calloc(1, sizeof *h);
    if (!h) {
        nb_error_set(err, NB_E_INTERNAL, "hello", "out of memory");
        return NB_FATAL;
    }
    h->header = nb_options_get_bool(opts, "header");
    *inst = h;
    return NB_OK;
}

static void hello_destroy(void *inst) { free(inst); }

static nb_status write_error(nb_error *err)
{
    nb_error_set(err, NB_E_IO, "hello", "write error");
    return NB_FATAL;
}

static nb_status hello_begin(void *inst, nb_sink *out, nb_error *err)
{
    hello *h = inst;
    h->out = nb_sink_file(out);
    if (h->header && fputs("agency\tyear\tnew_received\n", h->out) == EOF)
        return write_error(err);
    return NB_OK;
}

/* The report is borrowed: read it, do not keep pointers into it. */
static nb_status hello_write(void *inst, const nb_report *r, nb_error *err)
{
    hello *h = inst;
    /* Everything is read through accessors: the model's layout is private. */
    nb_num n;
    char total[64] = ""; /* empty when the value is missing or ambiguous */
    if (nb_report_get_num(r, "requests.new_received.total", &n))
        nb_num_format(n, total, sizeof total);
    char year[16] = "";
    if (nb_report_year(r))
        snprintf(year, sizeof year, "%d", nb_report_year(r));
    const char *agency = nb_report_agency(r);
    if (fprintf(h->out, "%s\t%s\t%s\n", agency ? agency : "", year, total) < 0)
        return write_error(err);
    return NB_OK;
}

static nb_status hello_end(void *inst, const nb_summary *s, nb_error *err)
{
    (void)inst;
    (void)s;
    (void)err;
    return NB_OK; /* nothing buffered; the core flushes and renames the file */
}

static const nb_plugin plugin = {
    .abi_version = NB_ABI_VERSION, /* the ABI of the headers this was built with */
    .struct_size = sizeof(nb_plugin),
    .name = "hello",
    .version = "1.0",
    .description = "one line per report: agency, year, new requests",
    .kind = NB_PLUGIN_OUTPUT,
    .caps = 0,
    .extensions = extensions,
    .options = options,
    .create = hello_create,
    .destroy = hello_destroy,
    .begin = hello_begin,
    .write = hello_write,
    .end = hello_end,
    /* .failure left NULL: skipped and failed inputs are not written */
};

/* The only symbol the plugin exports (everything else is hidden by the
 * -fvisibility=hidden that pkg-config's Cflags carry). */
NB_PLUGIN_EXPORT const nb_plugin *nb_plugin_entry(uint32_t host_abi)
{
    (void)host_abi; /* the host checks our abi_version against its own */
    return &plugin;
}
