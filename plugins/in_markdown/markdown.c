/* markdown.c - markdown reports: # headings at any level, pipe tables,
 * tab-separated tables pasted inside markdown. */
#include "nianbao/plugin.h"
#include "text_reader.h"
#include <string.h>

static const char *const exts[] = {".md", ".markdown", NULL};

static int md_probe(const unsigned char *head, size_t len)
{
    int base = nb_doc_probe_report_text(head, len);
    if (!base)
        return 0;
    /* a heading or a pipe table at the start of a line */
    for (size_t i = 0; i + 1 < len; i++)
        if ((i == 0 || head[i - 1] == '\n') && ((head[i] == '#' && (head[i + 1] == '#' || head[i + 1] == ' ')) ||
                                                 head[i] == '|'))
            return base + 10;
    return 0;
}

NB_TEXT_READER(markdown, "Markdown (headings, pipe tables, tab-separated tables)", exts, md_probe,
               NB_SPLIT_TABS | NB_SPLIT_PIPES | NB_SPLIT_MDHEAD)
