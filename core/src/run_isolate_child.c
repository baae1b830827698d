/* run_isolate_child.c - the child's side of an isolated read
 * (run_isolate.c): instead of validating and writing, the child sends
 * every outcome to the parent through a pipe, with notes saying which
 * stream is being read by which plugin, so that when the child dies the
 * parent can name what killed it.
 *
 * A message is one type byte, a 32-bit length in host order (both ends
 * are the same program) and that many bytes. */
#include "run_isolate.h"
#include "readings_internal.h"
#include "util.h"
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static bool write_all(int fd, const void *buf, size_t len)
{
    const char *p = buf;
    while (len > 0) {
        ssize_t n = write(fd, p, len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return false;
        p += n;
        len -= (size_t)n;
    }
    return true;
}

/* Parts are joined with NUL bytes between them. */
static nb_status send_parts(nb_run *run, char type, const char *const *parts, size_t nparts,
                            nb_error *err)
{
    size_t len = 0;
    for (size_t i = 0; i < nparts; i++)
        len += strlen(parts[i]) + (i + 1 < nparts);
    if (len > UINT32_MAX) {
        nb_error_set(err, NB_E_INTERNAL, NULL, "isolated read: message too large");
        return NB_FATAL;
    }
    uint32_t n32 = (uint32_t)len;
    bool ok = write_all(run->iso.fd, &type, 1) && write_all(run->iso.fd, &n32, sizeof n32);
    for (size_t i = 0; ok && i < nparts; i++)
        ok = write_all(run->iso.fd, parts[i], strlen(parts[i]) + (i + 1 < nparts));
    if (ok)
        return NB_OK;
    nb_error_set(err, NB_E_IO, NULL, "isolated read: the parent process is gone");
    return NB_FATAL;
}

nb_status nb_iso_send_report(nb_run *run, nb_report *r, nb_error *err)
{
    char *json = nb_report_to_json_text(r, NB_JSON_PROVENANCE | NB_JSON_COMPACT);
    char *readings = nb_readings_to_text(r->readings); /* undecided rows: not in the JSON */
    nb_report_free(r);
    if (!json || !readings) {
        free(json);
        free(readings);
        nb_error_set(err, NB_E_INTERNAL, NULL, "out of memory");
        return NB_FATAL;
    }
    const char *parts[] = {json, readings};
    nb_status st = send_parts(run, NB_ISO_REPORT, parts, 2, err);
    free(json);
    free(readings);
    return st;
}

nb_status nb_iso_send_failure(nb_run *run, const char *source, bool skipped, const char *reason,
                              nb_error *err)
{
    const char *parts[] = {skipped ? "s" : "f", source ? source : "", reason ? reason : ""};
    return send_parts(run, NB_ISO_FAILURE, parts, 3, err);
}

void nb_iso_note_start(nb_run *run, int depth, const char *plugin, const char *name)
{
    if (run->iso.fd < 0)
        return;
    char d[16];
    snprintf(d, sizeof d, "%d", depth);
    const char *parts[] = {d, plugin, name};
    nb_error e;
    send_parts(run, NB_ISO_START, parts, 3, &e); /* a lost note only blurs a later message */
}

void nb_iso_note_end(nb_run *run, int depth)
{
    if (run->iso.fd < 0)
        return;
    char d[16];
    snprintf(d, sizeof d, "%d", depth);
    const char *parts[] = {d};
    nb_error e;
    send_parts(run, NB_ISO_END, parts, 1, &e);
}

void nb_iso_note_item(nb_run *run, int depth)
{
    if (run->iso.fd < 0 || depth != 0)
        return;
    const char *parts[] = {""};
    nb_error e;
    send_parts(run, NB_ISO_ITEM, parts, 1, &e);
}

bool nb_iso_skip_item(nb_run *run, int depth, nb_item *it)
{
    if (run->iso.fd < 0 || depth != 0 || run->iso.skip == 0)
        return false;
    run->iso.skip--;
    if (it->kind == NB_ITEM_DOC)
        nb_doc_free(it->doc);
    else if (it->kind == NB_ITEM_REPORT)
        nb_report_free(it->report);
    return true;
}

void nb_iso_send_done(nb_run *run, nb_status st, const nb_error *e)
{
    char code[32];
    snprintf(code, sizeof code, "%d %d", (int)st, (int)e->cls);
    const char *parts[] = {code, e->where, e->text};
    nb_error ignored;
    send_parts(run, NB_ISO_DONE, parts, 3, &ignored);
}
