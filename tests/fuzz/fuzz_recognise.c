/* fuzz_recognise.c - the recogniser on a text document: decoded, split,
 * recognised, turned into JSON (validation: fuzz_validate). */
#include "fuzz_common.h"
#include "nianbao/doc.h"
#include "nianbao/recognise.h"
#include "nianbao/text.h"
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > FUZZ_MAX_INPUT)
        size = FUZZ_MAX_INPUT;
    nb_context *c = fuzz_context();
    char *text = NULL;
    size_t len = 0;
    const char *enc = NULL;
    nb_error err;
    nb_error_clear(&err);
    if (nb_text_decode((const char *)data, size, &text, &len, &enc, &err) != NB_OK)
        return 0;
    nb_doc *d = nb_doc_new("fuzz");
    if (d && nb_doc_split_text(d, text, len, NB_SPLIT_TABS | NB_SPLIT_GAPS) == NB_OK) {
        nb_report *r = nb_recognise(nb_context_templates(c), d, &err);
        if (r) {
            char *j = nb_report_to_json_text(r, 0);
            if (!j)
                fuzz_fail("a recognised report cannot be written as JSON");
            nb_free(j);
            nb_report_free(r);
        }
    }
    nb_doc_free(d);
    nb_free(text);
    return 0;
}
