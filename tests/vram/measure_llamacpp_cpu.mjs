// Ground truth for the llama.cpp part of the VRAM estimator, from llama.cpp itself (CPU backend, through
// node-llama-cpp): the model, KV cache and compute buffer sizes it reports when it creates a context.
//   node measure_llamacpp_cpu.mjs OUT.json MODEL.gguf [MODEL.gguf...]
// Runs every model at contexts 512/2048/8192, micro-batches 512 and 128, KV cache f16/q8_0/q4_0, flash attention
// on (needed for a quantized V cache). Sizes are parsed from llama.cpp's log lines ("... buffer size = X MiB").
import {getLlama, LlamaLogLevel} from "node-llama-cpp";
import {writeFileSync} from "node:fs";

const [out, ...models] = process.argv.slice(2);
let lines = [];
const llama = await getLlama({gpu: false, build: "never", logLevel: LlamaLogLevel.debug,
    logger: (level, message) => { lines.push(message.trim()); }});
// llama.cpp's log reaches the logger asynchronously: let it drain before reading it
const settle = () => new Promise((resolve) => setTimeout(resolve, 300));
const mib = (re) => {
    for (const l of lines) {
        const m = l.match(re);
        if (m) return Math.round(Number(m[1]) * 1048576);
    }
    return null;
};
const result = {runtime: "llama.cpp through node-llama-cpp (the version pinned in tests/runtime/package.json), CPU backend",
                protocol: "createContext({contextSize, batchSize: ubatch, threads: 1, flashAttention: true, experimentalKvCacheKeyType/ValueType}); sizes from llama.cpp's log, MiB to 2 decimals",
                runs: []};
for (const modelPath of models) {
    lines = [];
    const model = await llama.loadModel({modelPath});
    await settle();
    // the weights may sit in several buffers: mapped from the file, and repacked for the CPU's matrix kernels
    const modelBuffers = {};
    for (const l of lines) {
        const m = l.match(/(\S+) model buffer size =\s*([\d.]+) MiB/);
        if (m) modelBuffers[m[1]] = Math.round(Number(m[2]) * 1048576);
    }
    const modelBuffer = Object.values(modelBuffers).reduce((a, b) => a + b, 0);
    for (const kv of ["F16", "Q8_0", "Q4_0"])
        for (const ubatch of [512, 128])
            for (const ctx of [512, 2048, 8192]) {
                lines = [];
                const context = await model.createContext({contextSize: ctx, batchSize: ubatch, threads: 1, flashAttention: true,
                    experimentalKvCacheKeyType: kv, experimentalKvCacheValueType: kv});
                await settle();
                const run = {model: modelPath.split("/").pop(), model_buffer: modelBuffer, model_buffers: modelBuffers, context: ctx, ubatch, kv_type: kv.toLowerCase(),
                             kv_cells: Number((lines.find(l => /cells,/.test(l)) ?? "").match(/\(\s*(\d+) cells/)?.[1] ?? 0),
                             kv_buffer: mib(/CPU KV buffer size =\s*([\d.]+) MiB/),
                             compute_buffer: mib(/CPU compute buffer size =\s*([\d.]+) MiB/),
                             output_buffer: mib(/CPU\s+output buffer size =\s*([\d.]+) MiB/)};
                console.log(JSON.stringify(run));
                result.runs.push(run);
                await context.dispose();
                await settle();
            }
    await model.dispose();
}
await llama.dispose();
writeFileSync(out, JSON.stringify(result, null, 1));
