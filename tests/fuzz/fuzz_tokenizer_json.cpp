// libFuzzer entry point for the tokenizer.json reader and the encoder (built with -DQUANTSCOPE_BUILD_FUZZERS=ON and clang).
#include "fuzz_targets.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    qs::fuzz::tokenizerJson(data, size);
    return 0;
}
