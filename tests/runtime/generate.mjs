// Greedy generation with llama.cpp (CPU) through node-llama-cpp.
//   node generate.mjs PROMPT N MODEL.gguf [MODEL.gguf...]
// Prints one line per model: {"model": "...", "tokens": [...], "text": "..."}; tests/shared/tst_runtime_llamacpp.cpp
// reads them. One process serves several models so llama.cpp starts only once.
import {getLlama} from "node-llama-cpp";

const [prompt, n, ...models] = process.argv.slice(2);
const llama = await getLlama({gpu: false, build: "never", logLevel: "error"});
for (const modelPath of models) {
    const model = await llama.loadModel({modelPath});
    // one thread: llama.cpp's default spins its threads against each other on a 2-core machine (7.9 s for 32
    // tokens of the demo model instead of 0.03 s), and a single thread is deterministic anyway
    const context = await model.createContext({contextSize: 256, threads: 1});
    const sequence = context.getSequence();
    const tokens = [];
    for await (const token of sequence.evaluate(model.tokenize(prompt), {temperature: 0})) {
        tokens.push(token);
        if (tokens.length >= Number(n)) break;
    }
    console.log(JSON.stringify({model: modelPath, tokens, text: model.detokenize(tokens)}));
    await context.dispose();
    await model.dispose();
}
await llama.dispose();
