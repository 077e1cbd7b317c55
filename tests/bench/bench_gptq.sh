#!/usr/bin/env bash
# Benchmark: Quantscope's GPTQ solver against the reference (the PyTorch port of AutoGPTQ's fasterquant in
# gptq_reference.py, Debian's python3-torch on the CPU), on the same W, H, settings and thread count, one after the
# other in this script; prints seconds per layer (the solve: H in, codes out) for both and the ratio. Then, with
# `layer` or `all`, one Llama-3-8B-shaped decoder layer end to end through quantizeGroupPlan (time and peak memory).
#
#   tests/bench/bench_gptq.sh BUILD_DIR [solve|layer|all]
#
# Environment: THREADS (2), PYTHON (/usr/bin/python3: Debian's torch, not a pyenv or venv one), WORK (where the
# synthetic 8B-shaped W and H go, ~1.2 GB, kept for the next run: /tmp/qs-bench-gptq), GOLDEN (../shared/golden/gptq),
# CONFIGS ("w4g128-asym w4g128-sym-actorder"), REPEAT (3: the best of REPEAT runs for the small golden layers; the
# 8B-shaped ones run once), WINDOWS (16) and EXTRAPOLATE (128) for the layer: 128 x 512 windows take about 20 minutes
# on 2 shared cores, so by default 16 x 512 are measured and the figures scaled to 128.
# Needs python3-torch and python3-numpy: installer/dev.sh bench installs them (and runs this script).
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
build=${1:?usage: bench_gptq.sh BUILD_DIR [solve|layer|all]}
what=${2:-all}
threads=${THREADS:-2}
python=${PYTHON:-/usr/bin/python3}
work=${WORK:-/tmp/qs-bench-gptq}
golden=${GOLDEN:-$(cd "$root/.." && pwd)/shared/golden/gptq}
configs=${CONFIGS:-w4g128-asym w4g128-sym-actorder}
repeat=${REPEAT:-3}
bench="$build/tests/bench/bench_gptq"
ref="$root/tests/bench/gptq_reference.py"

[ -x "$bench" ] || { echo "no $bench: build the bench_gptq target first" >&2; exit 1; }
"$python" -c 'import torch, numpy' 2>/dev/null ||
    { echo "$python cannot import torch and numpy: run installer/dev.sh bench (installs python3-torch python3-numpy)" >&2; exit 1; }

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "reference: torch $("$python" -c 'import torch; print(torch.__version__)') ($python), torch.set_num_threads($threads); Quantscope: --threads $threads"

# config name -> the flags both programs take
flags_of() {
    local c=$1 f=()
    [[ $c =~ ^w([0-9]+)g(-?[0-9]+) ]] || { echo "bad config $c" >&2; exit 2; }
    f+=(--bits "${BASH_REMATCH[1]}" --group "${BASH_REMATCH[2]}")
    [[ $c == *-sym* ]] && f+=(--sym)
    [[ $c == *actorder* ]] && f+=(--act-order)
    [[ $c == *static* ]] && f+=(--static-groups)
    echo "${f[@]}"
}

# best (smallest) 'seconds' of a run's output
best() { awk '$1 == "seconds" { if (b == "" || $2 < b) b = $2 } END { print b }'; }

solve_benchmarks() {
    mkdir -p "$work"
    echo
    echo "== synthetic 8B-shaped layers in $work (W ~ N(0, 0.02), H = 2/N X^T X, N = 4096, log-normal channel scales)"
    "$python" "$ref" synth "$work" --threads "$threads"
    # name | W file | W tensor | H file | H tensor | repeats
    local layers=(
        "sotu-llama blk.2 q_proj [512x512]|$golden/gptq_q.safetensors|blk.2.attn_q.W|$golden/gptq_q.safetensors|blk.2.attn_q.H|$repeat"
        "sotu-llama blk.2 down_proj [512x1536]|$golden/gptq_down.safetensors|blk.2.ffn_down.W|$golden/gptq_down_H.safetensors|blk.2.ffn_down.H|$repeat"
        "8B-shaped q_proj [4096x4096]|$work/synth_q.safetensors|W|$work/synth_q.safetensors|H|1"
        "8B-shaped down_proj [4096x14336]|$work/synth_down.safetensors|W|$work/synth_down.safetensors|H|1"
    )
    echo
    printf '%-36s %-22s %12s %12s %8s\n' layer config "reference s" "Quantscope s" ratio
    local line name wf wn hf hn rep c f tr tq
    for line in "${layers[@]}"; do
        IFS='|' read -r name wf wn hf hn rep <<<"$line"
        for c in $configs; do
            read -ra f <<<"$(flags_of "$c")"
            tr=$("$python" "$ref" solve "$wf" "$wn" "$hf" "$hn" "${f[@]}" --threads "$threads" --repeat "$rep" | best)
            tq=$("$bench" solve "$wf" "$wn" "$hf" "$hn" "${f[@]}" --threads "$threads" --repeat "$rep" | best)
            printf '%-36s %-22s %12.3f %12.3f %7.2fx\n' "$name" "$c" "$tr" "$tq" "$(awk -v a="$tr" -v b="$tq" 'BEGIN { print a / b }')"
        done
    done
    echo "(seconds per layer: the solve alone, H and W already in memory; ratio = reference / Quantscope, target >= 3x;"
    echo " the small layers take the best of $repeat runs; load average now $(cut -d' ' -f1-3 /proc/loadavg))"
}

layer_benchmark() {
    local windows=${WINDOWS:-16} extra=${EXTRAPOLATE:-128}
    echo
    echo "== one 8B-shaped decoder layer end to end: quantizeGroupPlan with $windows x 512 random-token windows"
    [ "$windows" -lt "$extra" ] && echo "(measured at $windows x 512 and scaled to $extra x 512: the full run would take well over 10 minutes on this machine)"
    "$bench" layer --windows "$windows" --window 512 --threads "$threads" --extrapolate "$extra" --dir "${TMPDIR:-/tmp}"
}

case "$what" in
    solve) solve_benchmarks ;;
    layer) layer_benchmark ;;
    all) solve_benchmarks; layer_benchmark ;;
    *) echo "usage: bench_gptq.sh BUILD_DIR [solve|layer|all]" >&2; exit 2 ;;
esac
