# How tests/data/engine was made (transformers 5.17, on the device machine): OUT=tests/data/engine python3 make_tiny_models.py
# Tiny random models of each architecture the forward pass claims, saved with transformers, and their fp32 logits.
import json, os, torch
from safetensors.torch import save_file
from transformers import (LlamaConfig, LlamaForCausalLM, MistralConfig, MistralForCausalLM, Qwen2Config, Qwen2ForCausalLM,
                          Qwen3Config, Qwen3ForCausalLM)
torch.manual_seed(0)
torch.backends.cuda.matmul.allow_tf32 = False
out = os.environ["OUT"]
common = dict(vocab_size=256, hidden_size=64, intermediate_size=160, num_hidden_layers=2, num_attention_heads=4,
              num_key_value_heads=2, max_position_embeddings=256, rms_norm_eps=1e-6, tie_word_embeddings=False)
cases = {
  "qwen2": (Qwen2Config, Qwen2ForCausalLM, dict(rope_theta=1000000.0)),
  "qwen3": (Qwen3Config, Qwen3ForCausalLM, dict(head_dim=16, rope_theta=1000000.0, tie_word_embeddings=True)),
  "mistral": (MistralConfig, MistralForCausalLM, dict(sliding_window=16, rope_theta=10000.0)),
  "llama3-rope": (LlamaConfig, LlamaForCausalLM, dict(rope_theta=500000.0, rope_scaling={"rope_type": "llama3", "factor": 8.0,
                   "low_freq_factor": 1.0, "high_freq_factor": 4.0, "original_max_position_embeddings": 64})),
  "llama-yarn": (LlamaConfig, LlamaForCausalLM, dict(rope_theta=10000.0, rope_scaling={"rope_type": "yarn", "factor": 4.0,
                   "original_max_position_embeddings": 64})),
}
ids = torch.randint(0, 256, (1, 48), generator=torch.Generator().manual_seed(1))
summary = {}
for name, (C, M, extra) in cases.items():
    kw = dict(common); kw.update(extra)
    cfg = C(**kw)
    if name == "mistral":
        cfg._attn_implementation = "eager"
    model = M(cfg).float().eval()
    with torch.no_grad():
        for p in model.parameters():  # larger than init so differences show; norms around 1
            if p.dim() == 1:
                p.copy_(1 + 0.1 * torch.randn_like(p))
            else:
                p.copy_(0.08 * torch.randn_like(p))
        if name == "qwen2":
            for l in model.model.layers:
                for proj in (l.self_attn.q_proj, l.self_attn.k_proj, l.self_attn.v_proj):
                    proj.bias.copy_(0.2 * torch.randn_like(proj.bias))
    d = os.path.join(out, name)
    model.save_pretrained(d, safe_serialization=True)
    with torch.no_grad():
        logits = model(ids).logits[0].float()
    save_file({"logits": logits.contiguous(), "input_ids": ids[0].to(torch.int32).contiguous()}, os.path.join(d, "reference_logits.safetensors"))
    summary[name] = {"files": sorted(os.listdir(d)), "logit_absmax": float(logits.abs().max())}
import transformers
summary["transformers"] = transformers.__version__
json.dump(summary, open(os.path.join(out, "summary.json"), "w"), indent=1)
print(json.dumps(summary, indent=1))
