// libFuzzer entry point for the GPTQ / AWQ / pack-quantized checkpoint reader (built with -DQUANTSCOPE_BUILD_FUZZERS=ON
// and clang): build-fuzz/tests/fuzz/fuzz_group_checkpoint -max_total_time=60 tests/fuzz/corpus/group_checkpoint
#include "fuzz_targets.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    qs::fuzz::groupCheckpoint(data, size);
    return 0;
}
