/* json_internal.h - the report as a jansson value, both ways.  A report
 * written as text with NB_JSON_PROVENANCE and read back is the same report.
 * Private to the library (no jansson type in the public headers); plugins
 * use the text forms of nianbao/report.h (nb_report_to_json_text ...). */
#ifndef NB_JSON_INTERNAL_H
#define NB_JSON_INTERNAL_H

#include <jansson.h>
#include "plugin_internal.h"

/* New reference.  Decimals are JSON reals, doubles: json_dumps writes
 * 12.50 as 12.5 (nb_json_dump_flags).  The text writer,
 * nb_report_to_json_text, writes the digits themselves. */
json_t *nb_report_to_json(const nb_report *r, unsigned flags);
/* (report_json_read.c) A real in j is read as its shortest decimal. */
nb_report *nb_report_from_json(const nb_templates *t, json_t *j, nb_error *err);
json_t *nb_failure_to_json(const nb_failure *f);
/* Flags for json_dumpf: 15 significant digits, which print any double
 * made from a decimal of up to 15 digits back as that decimal, less its
 * trailing zeros. */
size_t nb_json_dump_flags(bool compact);

#endif
