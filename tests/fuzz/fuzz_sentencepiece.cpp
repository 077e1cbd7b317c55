// libFuzzer entry point for the SentencePiece model parser (built with -DQUANTSCOPE_BUILD_FUZZERS=ON and clang).
#include "fuzz_targets.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    qs::fuzz::sentencePiece(data, size);
    return 0;
}
