#!/usr/bin/env python3
"""Ground truth for the VRAM estimator: GPU memory of transformers/PyTorch models in bf16.

Each model is built from its public config.json with random weights (values do not change memory), on the GPU.
For each prompt length it runs one generate-style prefill (DynamicCache, logits for the last position only, as
`generate` does) and records: weight bytes, KV-cache bytes, the allocator's peak during the prefill, and memory in use
on the card as NVML reports it (CUDA context, allocator slack and all). Writes JSON to the path given.

Run on the machine that has the GPU:  python3 tests/vram/measure_transformers.py OUT.json
"""
import json, os, sys, time

import torch
import pynvml
import transformers
from transformers import AutoConfig, AutoModelForCausalLM, DynamicCache

HERE = os.path.dirname(os.path.abspath(__file__))
CONFIGS = os.path.join(HERE, "..", "data", "vram", "configs")
# the calibration set; QS_MODELS=a,b,c measures others (the hold-out set: llama-3.2-3b, qwen2.5-14b, qwen3-0.6b)
MODELS = os.environ.get("QS_MODELS", "llama-3.2-1b,llama-3.1-8b,qwen2.5-7b").split(",")
CONTEXTS = [512, 2048, 8192]


def nvml_used(handle):
    return pynvml.nvmlDeviceGetMemoryInfo(handle).used


def tensor_bytes(t):
    return t.numel() * t.element_size()


def cache_bytes(cache):
    total = 0
    layers = getattr(cache, "layers", None)
    if layers is not None:
        for layer in layers:
            for name in ("keys", "values"):
                t = getattr(layer, name, None)
                if t is not None:
                    total += tensor_bytes(t)
        return total
    for k, v in zip(cache.key_cache, cache.value_cache):
        total += tensor_bytes(k) + tensor_bytes(v)
    return total


def main():
    out_path = sys.argv[1]
    pynvml.nvmlInit()
    handle = pynvml.nvmlDeviceGetHandleByIndex(0)
    before_cuda = nvml_used(handle)
    torch.cuda.init()
    torch.zeros(1, device="cuda")
    torch.cuda.synchronize()
    after_init = nvml_used(handle)
    result = {
        "device": torch.cuda.get_device_name(0),
        "device_total_bytes": pynvml.nvmlDeviceGetMemoryInfo(handle).total,
        "torch": torch.__version__,
        "transformers": transformers.__version__,
        "cuda": torch.version.cuda,
        "nvml_used_before_cuda": before_cuda,
        "cuda_context_bytes": after_init - before_cuda - torch.cuda.memory_reserved(),
        "protocol": "random bf16 weights built on the GPU from config.json; batch 1; one prefill through "
                    "model(input_ids, past_key_values=DynamicCache(), use_cache=True, logits_to_keep=1) under "
                    "torch.no_grad(); sdpa attention; peak = torch.cuda.max_memory_allocated during the prefill; "
                    "card = NVML used memory after it, less what was used before CUDA started",
        "models": [],
    }
    for name in MODELS:
        torch.cuda.empty_cache()
        torch.cuda.reset_peak_memory_stats()
        config = AutoConfig.from_pretrained(os.path.join(CONFIGS, name + ".json"))
        base = torch.cuda.memory_allocated()
        t0 = time.time()
        with torch.device("cuda"):
            model = AutoModelForCausalLM.from_config(config, dtype=torch.bfloat16, attn_implementation="sdpa")
        model.eval()
        torch.cuda.synchronize()
        load_s = time.time() - t0
        params = sum(tensor_bytes(p) for p in model.parameters())
        buffers = sum(tensor_bytes(b) for b in model.buffers())
        weights_alloc = torch.cuda.memory_allocated() - base
        entry = {"name": name, "parameters": sum(p.numel() for p in model.parameters()),
                 "parameter_bytes": params, "buffer_bytes": buffers, "allocated_after_load": weights_alloc,
                 "load_seconds": round(load_s, 2), "contexts": []}
        print(name, "params", entry["parameters"], "bytes", params, "buffers", buffers, "alloc", weights_alloc,
              flush=True)
        with torch.no_grad():  # warm-up: cuBLAS handles and kernels, so timings below are steady
            model(input_ids=torch.zeros((1, 16), dtype=torch.long, device="cuda"), logits_to_keep=1)
        for ctx in CONTEXTS:
            torch.cuda.empty_cache()
            torch.cuda.synchronize()
            torch.cuda.reset_peak_memory_stats()
            start_alloc = torch.cuda.memory_allocated()
            ids = torch.randint(0, config.vocab_size, (1, ctx), device="cuda")
            cache = DynamicCache(config=config) if "config" in DynamicCache.__init__.__code__.co_varnames else DynamicCache()
            with torch.no_grad():
                t0 = time.time()
                out = model(input_ids=ids, past_key_values=cache, use_cache=True, logits_to_keep=1)
                torch.cuda.synchronize()
                prefill_s = time.time() - t0
            kv = cache_bytes(out.past_key_values)
            peak = torch.cuda.max_memory_allocated()
            peak_reserved = torch.cuda.max_memory_reserved()
            card = nvml_used(handle) - before_cuda
            # decode speed: 32 greedy steps on top of this cache
            tok = out.logits[:, -1:].argmax(-1)
            with torch.no_grad():
                torch.cuda.synchronize()
                t0 = time.time()
                cache2 = out.past_key_values
                for _ in range(32):
                    o = model(input_ids=tok, past_key_values=cache2, use_cache=True, logits_to_keep=1)
                    cache2 = o.past_key_values
                    tok = o.logits[:, -1:].argmax(-1)
                torch.cuda.synchronize()
                decode_s = time.time() - t0
            c = {"context": ctx, "kv_cache_bytes": kv, "allocated_before": start_alloc, "peak_allocated": peak,
                 "peak_reserved": peak_reserved, "card_used": card, "prefill_seconds": round(prefill_s, 4),
                 "decode_tokens_per_second": round(32 / decode_s, 1)}
            print(" ", c, flush=True)
            entry["contexts"].append(c)
            del out, cache, cache2, o, ids, tok
        result["models"].append(entry)
        del model
    with open(out_path, "w") as f:
        json.dump(result, f, indent=1)
    print("wrote", out_path)


if __name__ == "__main__":
    main()
