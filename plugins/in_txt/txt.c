/* txt.c - plain text reports: Word/web copies and pdftotext output.
 * Tabs separate cells; everything else is left to the recogniser. */
#include "nianbao/plugin.h"
#include "text_reader.h"

static const char *const exts[] = {".txt", ".text", NULL};

static int txt_probe(const unsigned char *head, size_t len) { return nb_doc_probe_report_text(head, len); }

NB_TEXT_READER(txt, "Plain text (Word, web page or pdftotext copies)", exts, txt_probe,
               NB_SPLIT_TABS | NB_SPLIT_PIPES | NB_SPLIT_MDHEAD)
