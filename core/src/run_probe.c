/* run_probe.c - content detection that sees what the decoder will see.
 * Probes are offered the leading bytes as they are (magic numbers of
 * archives and office files) and, when those bytes decode to different
 * text (a BOM, UTF-16, GB18030), also that UTF-8 text: a UTF-16 report
 * named r16.dat is then recognised just as it would be read as r16.txt. */
#include "run_internal.h"
#include "nianbao/text.h"
#include <stdlib.h>
#include <string.h>

const nb_plugin_info *nb_run_probe(const nb_context *c, const unsigned char *head, size_t len,
                                   int *score)
{
    int raw_score = 0, text_score = 0;
    const nb_plugin_info *raw = nb_context_probe(c, head, len, &raw_score);
    char *text = NULL;
    size_t tlen = 0;
    const char *enc = NULL;
    nb_error e;
    nb_error_clear(&e);
    const nb_plugin_info *dec = NULL;
    if (nb_text_decode((const char *)head, len, &text, &tlen, &enc, &e) == NB_OK &&
        (tlen != len || memcmp(text, head, len) != 0))
        dec = nb_context_probe(c, (const unsigned char *)text, tlen, &text_score);
    free(text);
    /* ties go to the raw bytes: a format recognised by its magic stays so */
    if (dec && text_score > raw_score) {
        *score = text_score;
        return dec;
    }
    *score = raw_score;
    return raw;
}
