/* text_internal.h - text normalisation for matching labels and headings.
 * Used by the recogniser, templates and validation; not exported. */
#ifndef NB_TEXT_INTERNAL_H
#define NB_TEXT_INTERNAL_H

#include "nianbao/text.h"

/* Width folding for matching: full-width ASCII to ASCII, ideographic space
 * and NBSP to space, curly quotes to nothing.  Returns a new string. */
char *nb_text_fold(const char *s);
/* Key for label matching: fold, drop all white space and quotes, drop a
 * leading ordinal (一、 （三） 3. 七) —、) and bracketed notes.  New string. */
char *nb_text_label_key(const char *s);
/* Same without dropping the ordinal or notes (for headings, markers). */
char *nb_text_compact(const char *s);
/* Byte length of a leading ordinal (一、 —、 (三) 七) 3. 1、) of a compacted
 * string, 0 when there is none. */
size_t nb_text_ordinal_len(const char *s);
/* Edit distance in code points, capped at cap+1. */
size_t nb_text_distance(const char *a, const char *b, size_t cap);

#endif
