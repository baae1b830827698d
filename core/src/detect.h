/* detect.h - what a file is by its leading bytes, before its name: PDF by
 * %PDF, OLE2 containers (legacy .doc, Kingsoft .wps, .xls) by D0 CF 11 E0,
 * and zip files that are office packages (DOCX, XLSX, ODT ...) by their
 * member names, so that an office file is never opened as an archive.
 * One place, used for named files and archive members alike. */
#ifndef NB_DETECT_H
#define NB_DETECT_H

#include <stdbool.h>
#include <stddef.h>

typedef enum nb_kind {
    NB_KIND_OTHER = 0,     /* none of the below: extension and probes decide */
    NB_KIND_PDF,
    NB_KIND_WORD_OLE2,     /* .doc, .wps: Word 97-2003 or Kingsoft WPS */
    NB_KIND_SHEET_OLE2,    /* .xls, .et */
    NB_KIND_SLIDES_OLE2,   /* .ppt, .dps */
    NB_KIND_DOCX,          /* OOXML with word/ */
    NB_KIND_XLSX,          /* OOXML with xl/ */
    NB_KIND_PPTX,          /* OOXML with ppt/ */
    NB_KIND_OOXML_OTHER,   /* [Content_Types].xml but no known main part seen */
    NB_KIND_ODT,           /* OpenDocument text */
    NB_KIND_ODF_OTHER      /* OpenDocument spreadsheet, presentation ... */
} nb_kind;

/* head: the first bytes (as many as the stream lends); name: used only to
 * tell apart OLE2 files whose directory is beyond head. */
nb_kind nb_detect_kind(const unsigned char *head, size_t len, const char *name);

/* How a run treats a kind. */
typedef struct nb_kind_route {
    const char *plugin;  /* input plugin that reads it, NULL: none */
    const char *reason;  /* why it is not read (plugin absent, or no reader at all) */
    bool report;         /* a report format: failed when not read, never skipped */
} nb_kind_route;

const nb_kind_route *nb_kind_route_of(nb_kind k);

#endif
