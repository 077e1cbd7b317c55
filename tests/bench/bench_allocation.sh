#!/usr/bin/env bash
# Benchmark: measured bit allocation against llama.cpp's presets at the same bytes, on sotu-llama (issue 14's goal).
# In one run: the sensitivity of every weight in every candidate format, measured on calibration text with the
# importance matrix (never on the held-out text it is judged on); then for each preset a plan of no more tensor
# bytes (quantscope-cli optimize --budget PRESET); then both evaluated by the engine under llama.cpp's protocol on the
# held-out text, quantized with the importance matrix: perplexity and mean KLD against the BF16 model. Prints a table
# of bytes, PPL and KLD for preset and plan, and the time the measurement and each allocation took.
#
#   tests/bench/bench_allocation.sh BUILD_DIR
#
# Environment: SHARED (../shared), WORK (/tmp/qs-bench-alloc), PRESETS ("Q2_K Q3_K_M Q4_K_M IQ4_XS Q5_K_M Q6_K"),
# FORMATS (the candidates), WINDOWS (evaluation windows of 512 tokens, 0: the whole held-out text; default 64),
# SENS_WINDOWS (8), THREADS (default: every hardware thread). Needs zstd and bc: installer/dev.sh bench installs them.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
build=${1:?usage: bench_allocation.sh BUILD_DIR}
shared=${SHARED:-$(cd "$root/.." && pwd)/shared}
work=${WORK:-/tmp/qs-bench-alloc}
presets=${PRESETS:-Q2_K Q3_K_M Q4_K_M IQ4_XS Q5_K_M Q6_K}
formats=${FORMATS:-q2_k,q3_k,iq4_xs,q4_k,q5_k,q6_k,q8_0}
windows=${WINDOWS:-64}
sens_windows=${SENS_WINDOWS:-8}
threads=()
[ -n "${THREADS:-}" ] && threads=(--threads "$THREADS")
cli="$build/app/quantscope-cli"
model="$shared/models/sotu-llama"
imatrix="$shared/golden/sotu-llama/imatrix.gguf"
[ -x "$cli" ] || { echo "no $cli: build quantscope-cli first" >&2; exit 1; }
[ -d "$model" ] || { echo "no $model: this benchmark needs ../shared" >&2; exit 1; }
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
