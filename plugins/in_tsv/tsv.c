/* tsv.c - tab-separated copies of the report tables. */
#include "nianbao/plugin.h"
#include "text_reader.h"

static const char *const exts[] = {".tsv", ".tab", NULL};

static int tsv_probe(const unsigned char *head, size_t len)
{
    (void)head;
    (void)len;
    return 0; /* indistinguishable from txt, which reads tabs the same way */
}

NB_TEXT_READER(tsv, "Tab-separated text", exts, tsv_probe, NB_SPLIT_TABS)
