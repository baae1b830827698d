/* fuzz_text.c - text decoding (UTF-8, UTF-16, GB18030, repair) and
 * line/cell splitting: what every text reader does first. */
#include "fuzz_common.h"
#include "nianbao/doc.h"
#include "nianbao/text.h"
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > FUZZ_MAX_INPUT)
        size = FUZZ_MAX_INPUT;
    char *text = NULL;
    size_t len = 0;
    const char *enc = NULL;
    nb_error err;
    nb_error_clear(&err);
    if (nb_text_decode((const char *)data, size, &text, &len, &enc, &err) != NB_OK)
        return 0;
    if (!enc || strlen(text) > len || !nb_utf8_valid(text, strlen(text)))
        fuzz_fail("decoded text is not UTF-8 of the stated length");
    nb_utf8_len(text);
    nb_doc *d = nb_doc_new("fuzz");
    if (d) {
        nb_doc_split_text(d, text, len, NB_SPLIT_TABS | NB_SPLIT_GAPS | NB_SPLIT_PIPES);
        nb_doc_free(d);
    }
    nb_free(text);
    return 0;
}
