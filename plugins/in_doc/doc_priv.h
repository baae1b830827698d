/* doc_priv.h - legacy Word (.doc) and Kingsoft WPS (.wps) files: OLE2
 * containers no library here reads well.  By default they fail with a
 * reason saying how to proceed; with -I doc.convert=soffice LibreOffice
 * converts them to DOCX in a private temp directory (soffice.c). */
#ifndef NB_DOC_PRIV_H
#define NB_DOC_PRIV_H

#include "nianbao/plugin.h"

/* Converts src to DOCX with soffice within timeout_s seconds; on success
 * *out is the path of the DOCX inside *dir (both new, caller frees and
 * removes dir with doc_remove_tree). */
nb_status doc_soffice_convert(const char *src, const char *tmpdir, long timeout_s, char **dir,
                              char **out, nb_error *err);
void doc_remove_tree(const char *dir);

#endif
