#!/usr/bin/env bash
# Benchmark: evaluation throughput of Quantscope against llama.cpp on the same GGUF files, text and threads.
#
#   tests/bench/bench_eval.sh [BUILD_DIR]
#   env: WINDOWS (16; 0 = the whole text), THREADS (2), REPEAT (1: runs per engine and file, the best is kept),
#        QUANTSCOPE_SHARED_DIR (../shared beside the checkout), QUANTSCOPE_NODE_RUNTIME (BUILD_DIR/runtime: where
#        installer/dev.sh installs node-llama-cpp)
#
# Writes sotu-llama's BF16 and Q4_K_M GGUFs with quantscope-cli (byte-identical to llama-quantize's), cuts the first
# WINDOWS x 512 tokens of the held-out text (sotu_2011_2021), and evaluates each file under llama.cpp's perplexity
# protocol with both engines: `quantscope-cli eval --protocol llama.cpp` and tests/runtime/perplexity.mjs (llama.cpp
# through node-llama-cpp, one 512-token chunk per decode, logits for every position). Prints tokens/s of both, the
# ratio (target >= 0.5x llama.cpp) and both perplexities; ../shared/reference/ppl.json holds llama.cpp's figures for
# the whole text (WINDOWS=0 reproduces those conditions). Prints figures; never passes or fails on them.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
build=$(cd "${1:-$root/build}" && pwd)
shared=${QUANTSCOPE_SHARED_DIR:-$root/../shared}
runtime=${QUANTSCOPE_NODE_RUNTIME:-$build/runtime}
windows=${WINDOWS:-16}
threads=${THREADS:-2}
repeat=${REPEAT:-1}
cli=$build/app/quantscope-cli
model=$shared/models/sotu-llama
corpus=$shared/data/corpus/sotu_2011_2021.txt.zst
reference=$shared/reference/ppl.json

for f in "$cli" "$model/config.json" "$corpus" "$runtime/node_modules/node-llama-cpp/package.json"; do
    if [ ! -e "$f" ]; then
        echo "missing $f (build quantscope-cli; run installer/dev.sh test once for node-llama-cpp, or set QUANTSCOPE_NODE_RUNTIME)" >&2
        exit 1
    fi
done
# llama.cpp loads the best CPU variant it finds; the Sapphire Rapids one uses AMX, which these machines advertise but
# cannot run. installer/dev.sh removes it; a runtime that still has it would crash or measure the wrong thing.
if ls "$runtime"/node_modules/@node-llama-cpp/linux-x64/bins/linux-x64/libggml-cpu-sapphirerapids.so >/dev/null 2>&1; then
    echo "$runtime still has the AMX (sapphirerapids) CPU variant of llama.cpp; install it with installer/dev.sh" >&2
    exit 1
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/quantscope-bench-eval.XXXXXX")
trap 'rm -rf "$work"' EXIT
# perplexity.mjs imports node-llama-cpp: resolve it from the installed runtime without writing into it
ln -s "$runtime/node_modules" "$work/node_modules"
cp "$root/tests/runtime/perplexity.mjs" "$work/"

# the text: the first characters of the held-out corpus, cut at a line end, enough for `windows` chunks
# (~3.6 characters per token with sotu-llama's 4096-token vocabulary; 5 leaves a margin)
zstd -q -dc "$corpus" > "$work/corpus.txt"
if [ "$windows" -gt 0 ]; then
    head -c $((windows * 512 * 5)) "$work/corpus.txt" | sed '$d' > "$work/text.txt"
else
    cp "$work/corpus.txt" "$work/text.txt"
fi
text_tokens=$("$cli" tokenize "$model" --text "$work/text.txt" --count)

for preset in BF16 Q4_K_M; do
    "$cli" quantize "$model" --preset "$preset" -o "$work/$preset.gguf" --threads "$threads" >/dev/null 2>&1
done

json() { node -e 'const o = JSON.parse(require("fs").readFileSync(0, "utf8")); console.log(o[process.argv[1]])' "$1"; }
best() { # the run with the highest tokens_per_second among `repeat` runs of "$@"
    local out bestOut="" bestTps=0 tps
    for ((r = 0; r < repeat; ++r)); do
        out=$("$@")
        tps=$(json tokens_per_second <<<"$out")
        if node -e "process.exit(${tps} > ${bestTps} ? 0 : 1)"; then bestTps=$tps; bestOut=$out; fi
    done
    printf '%s\n' "$bestOut"
}

echo "sotu-llama, $text_tokens tokens of sotu_2011_2021 (first $((windows * 512 * 5)) characters; WINDOWS=$windows), chunks of 512," \
     "llama.cpp protocol, $threads threads, best of $repeat"
echo "llama.cpp: node-llama-cpp $(json version < "$runtime/node_modules/node-llama-cpp/package.json")," \
     "llama.cpp release $(json tag < "$runtime/node_modules/node-llama-cpp/llama/llama.cpp.info.json" 2>/dev/null || echo '?')"
printf '\n%-7s %-11s %7s %8s %10s %9s %9s  %s\n' file engine chunks scored seconds tokens/s PPL "ref PPL (whole text, ppl.json)"
declare -A tps ppl
for preset in BF16 Q4_K_M; do
    gguf=$work/$preset.gguf
    ref=$(node -e 'const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")); console.log(r.llama_cpp_protocol.results[process.argv[2]].ppl)' "$reference" "$preset")
    qs=$(best "$cli" eval "$gguf" --text "$work/text.txt" --protocol llama.cpp --windows "$windows" --threads "$threads" --json 2>/dev/null)
    lc=$(best node "$work/perplexity.mjs" "$gguf" "$work/text.txt" --ctx 512 --chunks "$windows" --threads "$threads")
    tps[$preset,qs]=$(json tokens_per_second <<<"$qs"); ppl[$preset,qs]=$(json ppl <<<"$qs")
    tps[$preset,lc]=$(json tokens_per_second <<<"$lc"); ppl[$preset,lc]=$(json ppl <<<"$lc")
    printf '%-7s %-11s %7s %8s %10.2f %9.1f %9.4f  %s\n' "$preset" quantscope "$(json windows <<<"$qs")" "$(json tokens <<<"$qs")" \
        "$(json seconds <<<"$qs")" "${tps[$preset,qs]}" "${ppl[$preset,qs]}" "$ref"
    printf '%-7s %-11s %7s %8s %10.2f %9.1f %9.4f  %s\n' "$preset" llama.cpp "$(json chunks <<<"$lc")" "$(json tokens <<<"$lc")" \
        "$(json decode_seconds <<<"$lc")" "${tps[$preset,lc]}" "${ppl[$preset,lc]}" "$ref"
    if [ "$(json text_tokens <<<"$lc")" != "$(( text_tokens + $(json add_bos <<<"$lc" | sed 's/true/1/;s/false/0/') ))" ]; then
        echo "        note: llama.cpp tokenized the text to $(json text_tokens <<<"$lc") tokens (with BOS), Quantscope to $text_tokens"
    fi
done
echo
for preset in BF16 Q4_K_M; do
    node -e '
        const [p, q, l, pq, pl] = process.argv.slice(1);
        const ratio = q / l;
        console.log(`${p.padEnd(7)} Quantscope / llama.cpp tokens/s = ${ratio.toFixed(3)}x (target >= 0.5x: ${ratio >= 0.5 ? "met" : "NOT met"});` +
                    ` PPL ${(100 * (pq / pl - 1)).toFixed(3)}% from llama.cpp'"'"'s on the same chunks`);
    ' "$preset" "${tps[$preset,qs]}" "${tps[$preset,lc]}" "${ppl[$preset,qs]}" "${ppl[$preset,lc]}"
done
echo "llama.cpp tokens/s counts its decode only (chunks x 512 / time in llama_decode), not the JavaScript scoring;"
echo "Quantscope's counts the whole evaluation (embedding, layers, head, scoring) as quantscope-cli eval reports it."
