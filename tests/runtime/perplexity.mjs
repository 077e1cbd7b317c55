// llama.cpp's perplexity (llama-perplexity -c CTX -b CTX) through node-llama-cpp's low-level context, timed.
//   node perplexity.mjs MODEL.gguf TEXT [--ctx 512] [--chunks N] [--threads 2] [--logits all|scored]
// Prints one JSON line: chunks, scored tokens, ppl (+/- as llama.cpp prints it), decode seconds and tokens/s.
//
// Follows tools/perplexity/perplexity.cpp (perplexity()): one trailing newline dropped from the file (common/arg.cpp
// -f), the text tokenized without special-token parsing and with BOS first when the vocabulary adds one, chunks of CTX
// tokens whose first token is replaced by BOS (when it adds one), the KV cache cleared per chunk, and the
// log-probability of the next token scored at positions CTX/2 .. CTX-2 of each chunk. One chunk per decode (batch =
// CTX), so every chunk is one llama_decode of CTX tokens, as `-b 512` runs it. With --logits all (the default) the
// output head runs for every position, as an evaluation that needs every position's logits (KLD) does; --logits scored
// asks only for the second half, as llama-perplexity itself does.
//
// The log-softmax comes from the addon's sampleToken with a greedy sampler: it reports the logits of the filtered
// token (the next one) and of the selected one (the argmax) and Σ exp(logit - max), so no vocabulary-sized array
// crosses into JavaScript. That scoring is timed apart from the decode; tokens_per_second counts the decode only
// (chunks * CTX / decode seconds), which is what llama.cpp itself spends on the model.
import {getLlama} from "node-llama-cpp";
import {readFileSync} from "node:fs";

const args = process.argv.slice(2);
const opt = (name, fallback) => {
    const i = args.indexOf(name);
    if (i < 0) return fallback;
    const v = args[i + 1];
    args.splice(i, 2);
    return v;
};
const nCtx = Number(opt("--ctx", "512"));
const maxChunks = Number(opt("--chunks", "0"));
const threads = Number(opt("--threads", "2"));
const logitsMode = opt("--logits", "all");
const [modelPath, textPath] = args;
if (!modelPath || !textPath || !(nCtx >= 4) || !["all", "scored"].includes(logitsMode)) {
    console.error("usage: node perplexity.mjs MODEL.gguf TEXT [--ctx 512] [--chunks N] [--threads 2] [--logits all|scored]");
    process.exit(2);
}

let text = readFileSync(textPath, "utf8");
if (text.endsWith("\n")) text = text.slice(0, -1);

const llama = await getLlama({gpu: false, build: "never", logLevel: "error"});
const model = await llama.loadModel({modelPath});
const addBos = model.tokens.shouldPrependBosToken;
const bos = model.tokens.bos;
const tokens = model.tokenize(text, false);
if (addBos) tokens.unshift(bos);
if (tokens.length < 2 * nCtx) {
    console.error(`the text tokenizes to ${tokens.length} tokens; llama-perplexity needs at least ${2 * nCtx}`);
    process.exit(1);
}
const nChunkMax = Math.floor(tokens.length / nCtx);
const nChunk = maxChunks > 0 ? Math.min(maxChunks, nChunkMax) : nChunkMax;

const context = await model.createContext({contextSize: nCtx, batchSize: nCtx, sequences: 1, threads});
const ctx = context._ctx; // the addon context: initBatch / addToBatch / decodeBatch / sampleToken
const sampler = new llama._bindings.AddonSampler(model._model);
sampler.applyConfig({temperature: 0}); // greedy: the chain leaves the logits as they are and selects the argmax

const first = nCtx / 2;
const logitPositions = Uint32Array.from({length: logitsMode === "all" ? nCtx : nCtx - first},
                                        (_, i) => (logitsMode === "all" ? i : first + i));
let nll = 0, nll2 = 0, count = 0, decodeSeconds = 0;
const t0 = process.hrtime.bigint();
for (let c = 0; c < nChunk; ++c) {
    const chunk = Uint32Array.from(tokens.slice(c * nCtx, (c + 1) * nCtx));
    if (addBos) chunk[0] = bos;
    ctx.disposeSequence(0); // llama_memory_seq_rm: the chunk starts from an empty cache
    ctx.initBatch(nCtx);
    const batchIndex = ctx.addToBatch(0, 0, chunk, logitPositions);
    const d0 = process.hrtime.bigint();
    await ctx.decodeBatch();
    decodeSeconds += Number(process.hrtime.bigint() - d0) / 1e9;
    for (let j = first; j < nCtx - 1; ++j) {
        const next = tokens[c * nCtx + j + 1];
        const outIndex = logitsMode === "all" ? j : j - first;
        // [token, probabilities, confidence, logits (id, value pairs), Σ exp(logit - max)]
        const [selected, , , logits, sumExp] = await ctx.sampleToken(batchIndex[outIndex], sampler, false, false,
                                                                    [[next], false, false, true, 0], true);
        let lNext = NaN, lMax = NaN;
        for (let k = 0; k < logits.length; k += 2) {
            if (logits[k] === next) lNext = logits[k + 1];
            if (logits[k] === selected) lMax = logits[k + 1];
        }
        const logProb = lNext - lMax - Math.log(sumExp);
        nll -= logProb;
        nll2 += logProb * logProb;
        ++count;
    }
}
const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
const mean = nll / count;
const ppl = Math.exp(mean);
const variance = nll2 / count - mean * mean;
const pplError = variance > 0 ? Math.sqrt(variance / (count - 1)) * ppl : NaN;
console.log(JSON.stringify({
    model: modelPath, context: nCtx, chunks: nChunk, text_tokens: tokens.length, tokens: count, add_bos: addBos,
    logits: logitsMode, threads, ppl, ppl_error: pplError, decode_seconds: decodeSeconds, seconds,
    tokens_per_second: nChunk * nCtx / decodeSeconds, tokens_per_second_with_scoring: nChunk * nCtx / seconds,
}));
sampler.dispose();
await context.dispose();
await model.dispose();
await llama.dispose();
