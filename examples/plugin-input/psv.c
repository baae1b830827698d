/* psv.c - an example input plugin: reports whose tables were exported as
 * pipe-separated text ("行政许可 | 416 | |"), files named *.psv.
 *
 * A text format only has to say how lines split into cells; the installed
 * helper <nianbao/text_reader.h> reads and decodes the stream (UTF-8, GBK,
 * UTF-16) and the host's recogniser finds the template's tables in it. */
#include <nianbao/plugin.h>
#include <nianbao/text_reader.h>
#include <string.h>

static const char *const psv_extensions[] = {".psv", NULL};

/* Bids on content when the extension says nothing: a report's text with
 * pipes between cells.  0 = not mine, higher = more sure. */
static int psv_probe(const unsigned char *head, size_t len)
{
    size_t pipes = 0;
    for (size_t i = 0; i < len; i++)
        pipes += head[i] == '|';
    return pipes >= 8 && nb_doc_probe_report_text(head, len) > 0 ? 30 : 0;
}

NB_TEXT_READER(psv, "Pipe-separated report text (example plugin)", psv_extensions, psv_probe, NB_SPLIT_PIPES)
