#!/usr/bin/env bash
# Benchmark: calibrated GGUF files (GPTQ-compensated blocks, AWQ scales folded into the norms, both) against plain
# quantization of sotu-llama, preset by preset, at identical bytes (the same types for every tensor). For each preset:
# the time plain quantization takes and the time each variant takes (calibration, the layer-by-layer search and solve
# and the write), then every file evaluated by the engine
# under llama.cpp's protocol on the held-out text: perplexity and mean KLD against the BF16 model. Calibration uses the
# last 300,000 characters of the training corpus (never the held-out text); both quantize with the importance matrix.
#
#   tests/bench/bench_gptq_gguf.sh BUILD_DIR
#
# Environment: SHARED (../shared), WORK (/tmp/qs-bench-gptq-gguf), PRESETS ("Q2_K Q3_K_M Q4_K_M IQ4_XS"), VARIANTS
# ("comp scales both"), WINDOWS
# (evaluation windows of 512 tokens, 0: the whole held-out text; default 32), SAMPLES (calibration windows of 512
# tokens; default 64), IMATRIX (default ../shared/golden/sotu-llama/imatrix.gguf; "none" for none), THREADS (default:
# every hardware thread), QUANTSCOPE_NODE_RUNTIME (node-llama-cpp as installer/dev.sh test installs it: then llama.cpp's
# own perplexity of both files on the same windows is printed as well). Needs zstd and bc: installer/dev.sh bench
# installs them.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
build=${1:?usage: bench_gptq_gguf.sh BUILD_DIR}
shared=${SHARED:-$(cd "$root/.." && pwd)/shared}
work=${WORK:-/tmp/qs-bench-gptq-gguf}
presets=${PRESETS:-Q2_K Q3_K_M Q4_K_M IQ4_XS}
variants=${VARIANTS:-comp scales both}
windows=${WINDOWS:-32}
samples=${SAMPLES:-64}
imatrix=${IMATRIX:-$shared/golden/sotu-llama/imatrix.gguf}
threads=()
[ -n "${THREADS:-}" ] && threads=(--threads "$THREADS")
im=()
[ "$imatrix" != none ] && im=(--imatrix "$imatrix")
cli="$build/app/quantscope-cli"
model="$shared/models/sotu-llama"
[ -x "$cli" ] || { echo "no $cli: build quantscope-cli first" >&2; exit 1; }
[ -d "$model" ] || { echo "no $model: this benchmark needs ../shared" >&2; exit 1; }
mkdir -p "$work"

echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
zstd -dcq "$shared/data/corpus/sotu_2011_2021.txt.zst" > "$work/heldout.txt"
zstd -dcq "$shared/data/corpus/sotu_1790_2010.txt.zst" | tail -c 300000 | iconv -f utf-8 -t utf-8 -c > "$work/calib.txt"

runtime=${QUANTSCOPE_NODE_RUNTIME:-}
if [ -n "$runtime" ] && [ -d "$runtime/node_modules/node-llama-cpp" ]; then
    # perplexity.mjs imports node-llama-cpp: resolve it from the installed runtime without writing into it
    ln -sfn "$runtime/node_modules" "$work/node_modules"
    cp "$root/tests/runtime/perplexity.mjs" "$work/"
else
    runtime=
fi
llama_ppl() { # GGUF -> llama.cpp's perplexity on the same windows, or "-"
    [ -n "$runtime" ] || { echo -; return; }
    node "$work/perplexity.mjs" "$1" "$work/heldout.txt" --ctx 512 --chunks "$windows" --threads "$(nproc)" 2> /dev/null |
        node -e 'console.log(JSON.parse(require("fs").readFileSync(0, "utf8")).ppl)'
}
eval_json() { # GGUF -> "ppl kld"
    local w=()
    [ "$windows" -gt 0 ] && w=(--windows "$windows")
    "$cli" eval "$1" --protocol llama.cpp --text "$work/heldout.txt" --base "$model" "${w[@]}" "${threads[@]}" --json 2> /dev/null |
        python3 -c 'import json,sys; o=json.load(sys.stdin); print(o["ppl"], o["kld_mean"])'
}
variant_flags() { # variant -> quantize flags
    case $1 in
    comp) echo --compensate ;;
    scales) echo --awq-scales ;;
    both) echo --awq-scales --compensate ;;
    *) echo "unknown variant $1 (comp, scales, both)" >&2; exit 2 ;;
    esac
}
printf '\n%-8s %-7s | %10s %6s | %8s %10s %10s | %8s %9s | %10s\n' preset variant "file B" "+meta" seconds PPL KLD "ΔPPL %" "KLD ratio" "lcpp PPL"
for p in $presets; do
    t0=$(date +%s.%N)
    "$cli" quantize "$model" --preset "$p" "${im[@]}" "${threads[@]}" -o "$work/plain-$p.gguf" > /dev/null 2>&1
    t1=$(date +%s.%N)
    a=$(stat -c %s "$work/plain-$p.gguf")
    read -r pp pk <<< "$(eval_json "$work/plain-$p.gguf")"
    printf '%-8s %-7s | %10d %+6d | %8.2f %10.4f %10.6f | %8s %9s | %10.10s\n' "$p" plain "$a" 0 "$(echo "$t1 - $t0" | bc)" "$pp" "$pk" - - \
        "$(llama_ppl "$work/plain-$p.gguf")"
    for v in $variants; do
        # shellcheck disable=SC2046 # the flags are words
        t1=$(date +%s.%N)
        "$cli" quantize "$model" --preset "$p" $(variant_flags "$v") "${im[@]}" --calib "$work/calib.txt" --samples "$samples" --seqlen 512 \
            "${threads[@]}" -o "$work/$v-$p.gguf" > "$work/$v-$p.log" 2>&1
        t2=$(date +%s.%N)
        # the same tensors in the same types; the metadata also names the scaled and compensated tensors
        b=$(stat -c %s "$work/$v-$p.gguf")
        read -r cp ck <<< "$(eval_json "$work/$v-$p.gguf")"
        printf '%-8s %-7s | %10d %+6d | %8.2f %10.4f %10.6f | %+8.3f %9.3f | %10.10s\n' "$p" "$v" "$b" "$((b - a))" "$(echo "$t2 - $t1" | bc)" \
            "$cp" "$ck" "$(echo "100 * ($cp - $pp) / $pp" | bc -l)" "$(echo "$ck / $pk" | bc -l)" "$(llama_ppl "$work/$v-$p.gguf")"
    done
done
echo
echo "variants: plain quantization; comp: GPTQ-compensated blocks; scales: AWQ scales for the planned types folded into the norms;"
echo "both: scales, then compensation on the scaled model. file B: the plain file's bytes; +meta: what a variant's file adds (the"
echo "metadata naming its scaled and compensated tensors). seconds: plain quantization, or calibration on $samples x 512 tokens, the"
echo "search and solve and the write. PPL and KLD: the engine, llama.cpp protocol, $windows windows of the held-out text (0: all),"
echo "against BF16; ΔPPL and KLD ratio against plain. lcpp PPL: llama.cpp's own perplexity of the file on the same windows"
echo "(node-llama-cpp; - without it). Importance matrix: $imatrix. Files in $work."
