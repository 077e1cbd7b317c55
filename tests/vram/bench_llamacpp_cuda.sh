#!/usr/bin/env bash
# Speed ground truth for the fit estimate: llama-bench (prompt 512, 128 generated tokens, every layer on the GPU,
# flash attention, at depths $DEPTHS of context already in the cache) on synthetic GGUFs. Run on the GPU machine:
#   bash tests/vram/bench_llamacpp_cuda.sh LLAMA_SRC OUT_DIR CONFIG.json[:TYPE]...   (TYPE: Q4_K (default) or Q8_0)
set -euo pipefail
src=$1 out=$2
shift 2
build=${LLAMACPP_BUILD:-/tmp/llamacpp-cuda-build}
cmake -S "$src" -B "$build" -DGGML_CUDA=ON -DCMAKE_CUDA_ARCHITECTURES=90 -DGGML_NATIVE=OFF -DLLAMA_CURL=OFF \
    -DLLAMA_OPENSSL=OFF -DLLAMA_BUILD_EXAMPLES=OFF -DLLAMA_BUILD_TESTS=OFF -DLLAMA_BUILD_SERVER=OFF \
    -DCMAKE_BUILD_TYPE=Release >"$out/configure.log" 2>&1
cmake --build "$build" --target llama-bench -j "$(nproc)" >"$out/build.log" 2>&1
bench=$(find "$build" -name llama-bench -type f | head -1)
for spec in "$@"; do
    config=${spec%%:*}
    type=Q4_K
    [ "$spec" != "$config" ] && type=${spec#*:}
    name=$(basename "$config" .json)-$type
    gguf=/tmp/$name.gguf
    PYTHONPATH="$src/gguf-py" python3 "$(dirname "$0")/make_synthetic_gguf.py" "$config" "$gguf" "$type"
    "$bench" -m "$gguf" -p 512 -n 128 -d "${DEPTHS:-0}" -ngl 99 -fa 1 -o json >"$out/$name.bench.json" 2>>"$out/bench.log"
    rm -f "$gguf"
done
