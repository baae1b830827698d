/* fuzz_input.c - one input plugin, in process: built once per plugin with
 * FUZZ_FORMAT set (fuzz_in_txt, fuzz_in_archive, ...), and once without
 * (fuzz_run: detection by content, the whole run with JSON output). */
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
#ifdef FUZZ_FORMAT
    fuzz_run_bytes(data, size, "input", FUZZ_FORMAT, NULL);
#else
    fuzz_run_bytes(data, size, "input", NULL, "json");
#endif
    return 0;
}
