/* fuzz_validate.c - the validation stage on any report the JSON reader
 * accepts (huge figures, odd statuses, long narratives), then the report
 * written back and read again: the round trip must not fail. */
#include "fuzz_common.h"
#include "nianbao/report.h"
#include "nianbao/validate.h"
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > FUZZ_MAX_INPUT)
        size = FUZZ_MAX_INPUT;
    nb_context *c = fuzz_context();
    nb_error err;
    nb_error_clear(&err);
    nb_report *r = nb_report_from_json_text(nb_context_templates(c), (const char *)data, size, &err);
    if (!r)
        return 0;
    nb_validate(nb_context_rules(c), r);
    char *back = nb_report_to_json_text(r, 0);
    if (!back)
        fuzz_fail("a validated report cannot be written as JSON");
    nb_report *again = nb_report_from_json_text(nb_context_templates(c), back, strlen(back), &err);
    if (!again)
        fuzz_fail("a report written by nianbao cannot be read back");
    nb_report_free(again);
    nb_free(back);
    nb_report_free(r);
    return 0;
}
