#!/usr/bin/env bash
# Ground truth for the llama.cpp CUDA part of the VRAM estimator. Run on the GPU machine, with llama.cpp's source in
# $1 (node-llama-cpp ships it as llama/gitRelease.bundle; `git clone` that bundle) and GGUF files after it:
#   bash tests/vram/measure_llamacpp_cuda.sh LLAMA_SRC OUT_DIR MODEL.gguf...
# Builds llama-completion for sm_90 and, for each model, context (512/2048/8192) and cache type (f16/q8_0), creates a
# context with every layer offloaded and flash attention on, generates two tokens, and keeps llama.cpp's own
# buffer-size lines and its memory breakdown (total, free, self = model + context + compute, unaccounted = CUDA
# context, cuBLAS and anything else on the card) in OUT_DIR/llamacpp_cuda.log.
set -euo pipefail
src=$1 out=$2
shift 2
build=${LLAMACPP_BUILD:-/tmp/llamacpp-cuda-build}
cmake -S "$src" -B "$build" -DGGML_CUDA=ON -DCMAKE_CUDA_ARCHITECTURES=90 -DGGML_NATIVE=OFF -DLLAMA_CURL=OFF \
    -DLLAMA_OPENSSL=OFF -DLLAMA_BUILD_EXAMPLES=OFF -DLLAMA_BUILD_TESTS=OFF -DLLAMA_BUILD_SERVER=OFF \
    -DCMAKE_BUILD_TYPE=Release >"$out/configure.log" 2>&1
cmake --build "$build" --target llama-completion -j "$(nproc)" >"$out/build.log" 2>&1
bin=$(find "$build" -name llama-completion -type f | head -1)
log="$out/llamacpp_cuda.log"
: >"$log"
for model in "$@"; do
    for ctx in ${CONTEXTS:-512 2048 8192}; do
        for kv in f16 q8_0; do
            echo "=== model=$(basename "$model") ctx=$ctx kv=$kv ubatch=512" >>"$log"
            "$bin" -m "$model" -c "$ctx" -ngl 99 -fa on -ctk "$kv" -ctv "$kv" -ub 512 -b 2048 -n 2 -p "The" \
                -no-cnv --no-warmup --temp 0 -v 2>&1 </dev/null |
                grep -E "buffer size|llama_kv_cache: size|memory_breakdown|CUDA0|Host" >>"$log" || true
        done
    done
done
nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv >>"$log"
