#!/usr/bin/env bash
# Benchmark: measured bit allocation against llama.cpp's presets at the same bytes, on sotu-llama (issue 14's goal).
# In one run: the sensitivity of every weight in every candidate format, measured on calibration text with the
# importance matrix (never on the held-out text it is judged on); then for each preset a plan of no more tensor
# bytes (quantscope-cli optimize --budget PRESET); then both evaluated by the engine under llama.cpp's protocol on the
# held-out text, quantized with the importance matrix: perplexity and mean KLD against the BF16 model. Prints a table
# of bytes, PPL and KLD for preset and plan, and the time the measurement and each allocation took. Then both are
# exported as GGUF files (with the importance matrix) and llama.cpp itself (node-llama-cpp, tests/runtime/perplexity.mjs)
# measures their perplexity on the held-out text: a second table of file bytes and llama.cpp PPL, with the reference
# PPL of the preset from ../shared/reference/ppl.json where it has one (the whole text, so equal when LC_WINDOWS=0).
#
#   tests/bench/bench_allocation.sh BUILD_DIR
#
# Environment: SHARED (../shared), WORK (/tmp/qs-bench-alloc), PRESETS ("Q2_K Q3_K_M Q4_K_M IQ4_XS Q5_K_M Q6_K"),
# FORMATS (the candidates), WINDOWS (evaluation windows of 512 tokens, 0: the whole held-out text; default 64),
# SENS_WINDOWS (8), THREADS (default: every hardware thread), LC_WINDOWS (llama.cpp's chunks, 0: the whole text;
# default 0), LLAMACPP (1; 0 skips the GGUF export and llama.cpp), QUANTSCOPE_NODE_RUNTIME (BUILD_DIR/runtime, which
# installer/dev.sh test installs), CALIBRATED (quantize flags, e.g. "--compensate" or "--awq-scales --compensate": each
# plan is also exported calibrated on SAMPLES (32) x 512 tokens of the calibration text, and that file's engine PPL and
# KLD, llama.cpp PPL and the time it took are printed too). Needs zstd and bc: installer/dev.sh bench installs them.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
build=${1:?usage: bench_allocation.sh BUILD_DIR}
shared=${SHARED:-$(cd "$root/.." && pwd)/shared}
work=${WORK:-/tmp/qs-bench-alloc}
presets=${PRESETS:-Q2_K Q3_K_M Q4_K_M IQ4_XS Q5_K_M Q6_K}
formats=${FORMATS:-q2_k,q3_k,iq4_xs,q4_k,q5_k,q6_k,q8_0}
windows=${WINDOWS:-64}
lc_windows=${LC_WINDOWS:-0}
llamacpp=${LLAMACPP:-1}
runtime=${QUANTSCOPE_NODE_RUNTIME:-$build/runtime}
sens_windows=${SENS_WINDOWS:-8}
calibrated=${CALIBRATED:-}
samples=${SAMPLES:-32}
threads=()
[ -n "${THREADS:-}" ] && threads=(--threads "$THREADS")
cli="$build/app/quantscope-cli"
model="$shared/models/sotu-llama"
imatrix="$shared/golden/sotu-llama/imatrix.gguf"
[ -x "$cli" ] || { echo "no $cli: build quantscope-cli first" >&2; exit 1; }
[ -d "$model" ] || { echo "no $model: this benchmark needs ../shared" >&2; exit 1; }
if [ "$llamacpp" = 1 ]; then
    [ -d "$runtime/node_modules/node-llama-cpp" ] || { echo "no node-llama-cpp in $runtime: run installer/dev.sh test once, or LLAMACPP=0" >&2; exit 1; }
    # llama.cpp loads the best CPU variant it finds; the AMX one is advertised here but cannot run (installer/dev.sh removes it)
    if ls "$runtime"/node_modules/@node-llama-cpp/linux-x64/bins/linux-x64/libggml-cpu-sapphirerapids.so > /dev/null 2>&1; then
        echo "$runtime still has the AMX (sapphirerapids) CPU variant of llama.cpp; install it with installer/dev.sh" >&2
        exit 1
    fi
fi
mkdir -p "$work"

echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
zstd -dcq "$shared/data/corpus/sotu_2011_2021.txt.zst" > "$work/heldout.txt"
# the calibration text's last 300,000 characters (as llama.cpp's tools take a slice): measured on, never judged on
zstd -dcq "$shared/data/corpus/sotu_1790_2010.txt.zst" | tail -c 300000 | iconv -f utf-8 -t utf-8 -c > "$work/calib.txt"

t0=$(date +%s.%N)
"$cli" sensitivity "$model" --formats "$formats" --imatrix "$imatrix" --text "$work/calib.txt" --windows "$sens_windows" \
    "${threads[@]}" --project "$work/sotu-llama.qsproj" > /dev/null 2> "$work/sensitivity.log"
t1=$(date +%s.%N)
echo "sensitivity of every weight in $formats on $sens_windows x 512 calibration tokens: $(echo "$t1 - $t0" | bc) s"

eval_json() { # PLAN-ARGS... -> "ppl kld"
    local w=()
    [ "$windows" -gt 0 ] && w=(--windows "$windows")
    "$cli" eval "$model" "$@" --imatrix "$imatrix" --protocol llama.cpp --text "$work/heldout.txt" --base "$model" "${w[@]}" \
        "${threads[@]}" --json 2> /dev/null | python3 -c 'import json,sys; o=json.load(sys.stdin); print(o["ppl"], o["kld_mean"])'
}
printf '\n%-8s | %12s %10s %10s | %12s %10s %10s | %8s %9s | %s\n' preset "bytes" PPL KLD "plan bytes" PPL KLD "ΔPPL %" "KLD ratio" "optimize s"
for p in $presets; do
    o0=$(date +%s.%N)
    "$cli" optimize "$model" --project "$work/sotu-llama.qsproj" --budget "$p" --imatrix "$imatrix" -o "$work/plan-$p.json" > "$work/optimize-$p.log" 2>&1
    o1=$(date +%s.%N)
    read -r pp pk <<< "$(eval_json --preset "$p")"
    read -r qp qk <<< "$(eval_json --plan "$work/plan-$p.json")"
    # optimize says both: the preset's tensor bytes (the budget) and the plan's
    pb=$(sed -n 's/^budget: .* takes \([0-9]*\) tensor bytes.*/\1/p' "$work/optimize-$p.log")
    qb=$(sed -n 's/.*; tensors \([0-9]*\) bytes.*/\1/p' "$work/optimize-$p.log")
    printf '%-8s | %12d %10.4f %10.6f | %12d %10.4f %10.6f | %+8.3f %9.3f | %.2f\n' "$p" "$pb" "$pp" "$pk" "$qb" "$qp" "$qk" \
        "$(echo "100 * ($qp - $pp) / $pp" | bc -l)" "$(echo "$qk / $pk" | bc -l)" "$(echo "$o1 - $o0" | bc)"
done
echo
echo "PPL and KLD: the engine, llama.cpp protocol, ${windows} windows of the held-out text (0: all), quantized with $imatrix."
echo "bytes: tensor data as the exporter writes it (the GGUF adds its header). Plans and logs in $work."

[ "$llamacpp" = 1 ] || exit 0
# perplexity.mjs imports node-llama-cpp: resolve it from the installed runtime without writing into it
ln -sfn "$runtime/node_modules" "$work/node_modules"
cp "$root/tests/runtime/perplexity.mjs" "$work/"
lc_ppl() { # GGUF -> llama.cpp's PPL
    local c=()
    [ "$lc_windows" -gt 0 ] && c=(--chunks "$lc_windows")
    node "$work/perplexity.mjs" "$1" "$work/heldout.txt" --ctx 512 "${c[@]}" --threads "${THREADS:-$(nproc)}" --logits scored |
        python3 -c 'import json,sys; o=json.load(sys.stdin); print(o["ppl"], o["chunks"])'
}
ref_ppl() { # PRESET -> llama-perplexity's PPL of PRESET+imatrix in ppl.json (or "-")
    python3 -c 'import json,sys; r=json.load(open(sys.argv[1]))["llama_cpp_protocol"]["results"]; e=r.get(sys.argv[2]+"+imatrix"); print(e["ppl"] if e else "-")' \
        "$shared/reference/ppl.json" "$1"
}
echo
echo "llama.cpp (node-llama-cpp $(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["version"])' "$runtime/node_modules/node-llama-cpp/package.json")) on the exported GGUF files:"
printf '%-8s | %12s %10s %10s | %12s %10s | %8s | %s' preset "file bytes" PPL "ref PPL" "plan file" PPL "ΔPPL %" chunks
[ -n "$calibrated" ] && printf ' | %10s %10s %10s %8s %9s' "cal. PPL" "engine PPL" "engine KLD" "ΔPPL %" "seconds"
echo
for p in $presets; do
    "$cli" quantize "$model" --preset "$p" --imatrix "$imatrix" "${threads[@]}" -o "$work/$p.gguf" > /dev/null 2>&1
    "$cli" quantize "$model" --plan "$work/plan-$p.json" --imatrix "$imatrix" "${threads[@]}" -o "$work/plan-$p.gguf" > /dev/null 2>&1
    ref=$(ref_ppl "$p")
    read -r lq chunks <<< "$(lc_ppl "$work/plan-$p.gguf")"
    # the preset's file is llama-quantize's byte for byte: with the whole text, ppl.json already has its PPL, unless
    # LC_PRESETS=1 asks to measure it again
    if [ "$ref" != "-" ] && [ "$lc_windows" = 0 ] && [ "${LC_PRESETS:-0}" != 1 ]; then
        lp=$ref
    else
        read -r lp _ <<< "$(lc_ppl "$work/$p.gguf")"
    fi
    printf '%-8s | %12d %10.4f %10s | %12d %10.4f | %+8.3f | %s' "$p" "$(stat -c %s "$work/$p.gguf")" "$lp" "$ref" \
        "$(stat -c %s "$work/plan-$p.gguf")" "$lq" "$(echo "100 * ($lq - $lp) / $lp" | bc -l)" "$chunks"
    if [ -n "$calibrated" ]; then
        c0=$(date +%s.%N)
        # shellcheck disable=SC2086 # the flags are words
        "$cli" quantize "$model" --plan "$work/plan-$p.json" $calibrated --imatrix "$imatrix" --calib "$work/calib.txt" --samples "$samples" \
            --seqlen 512 "${threads[@]}" -o "$work/plan-cal-$p.gguf" > "$work/plan-cal-$p.log" 2>&1
        c1=$(date +%s.%N)
        read -r lc _ <<< "$(lc_ppl "$work/plan-cal-$p.gguf")"
        w=()
        [ "$windows" -gt 0 ] && w=(--windows "$windows")
        read -r ep ek <<< "$("$cli" eval "$work/plan-cal-$p.gguf" --protocol llama.cpp --text "$work/heldout.txt" --base "$model" "${w[@]}" \
            "${threads[@]}" --json 2> /dev/null | python3 -c 'import json,sys; o=json.load(sys.stdin); print(o["ppl"], o["kld_mean"])')"
        printf ' | %10.4f %10.4f %10.6f %+8.3f %9.1f' "$lc" "$ep" "$ek" "$(echo "100 * ($lc - $lp) / $lp" | bc -l)" "$(echo "$c1 - $c0" | bc)"
    fi
    echo
done
echo
echo "llama.cpp's PPL: $lc_windows chunks of 512 (0: the whole held-out text), second halves scored, as llama-perplexity -c 512."
echo "ref PPL: ../shared/reference/ppl.json (llama-perplexity on the whole text, preset + imatrix), where it has the preset;"
echo "with the whole text the preset's PPL column is that reference (its file is llama-quantize's); LC_PRESETS=1 measures it too."
[ -z "$calibrated" ] || echo "cal.: the plan exported with $calibrated on $samples x 512 calibration tokens (same bytes as the plan file): llama.cpp's
PPL, the engine's PPL and KLD on $windows windows (0: all), ΔPPL against the preset, and the seconds the calibrated export took."
