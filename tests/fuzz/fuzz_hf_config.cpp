// libFuzzer entry point for the hf_config parser (built with -DQUANTSCOPE_BUILD_FUZZERS=ON and clang).
#include "fuzz_targets.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    qs::fuzz::hfConfig(data, size);
    return 0;
}
