# How tests/data/rope_reference.json was made: transformers 5.17 (on the device machine, which has it) computing
# inverse RoPE frequencies for default, linear, llama3 and yarn scaling. Run: OUT=dir python3 make_rope_reference.py
import json, os, torch
from transformers import LlamaConfig
from transformers.modeling_rope_utils import ROPE_INIT_FUNCTIONS
import transformers
out = {"transformers": transformers.__version__, "cases": []}
cases = [
  ("default", dict(rope_theta=10000.0), None),
  ("linear", dict(rope_theta=10000.0), {"rope_type": "linear", "factor": 4.0}),
  ("llama3", dict(rope_theta=500000.0, max_position_embeddings=131072), {"rope_type": "llama3", "factor": 8.0, "low_freq_factor": 1.0, "high_freq_factor": 4.0, "original_max_position_embeddings": 8192}),
  ("yarn", dict(rope_theta=1000000.0, max_position_embeddings=131072), {"rope_type": "yarn", "factor": 4.0, "original_max_position_embeddings": 32768}),
]
for name, kw, scaling in cases:
    cfg = LlamaConfig(hidden_size=1024, num_attention_heads=8, head_dim=128, **kw)
    if scaling is not None:
        try:
            cfg.rope_scaling = scaling
        except Exception:
            pass
        rp = dict(scaling); rp["rope_theta"] = kw["rope_theta"]
        try:
            cfg.rope_parameters = rp
        except Exception:
            pass
    rtype = scaling["rope_type"] if scaling else "default"
    fn = ROPE_INIT_FUNCTIONS[rtype] if rtype != "default" else None
    if fn is None:
        from transformers.models.llama.modeling_llama import LlamaRotaryEmbedding
        emb = LlamaRotaryEmbedding(cfg)
        inv, att = emb.inv_freq, emb.attention_scaling
    else:
        inv, att = fn(cfg, "cpu")
    out["cases"].append({"name": name, "config": {**kw, "scaling": scaling, "head_dim": 128}, "inv_freq": [float(x) for x in inv], "attention_scaling": float(att)})
os.makedirs(os.environ["OUT"], exist_ok=True)
json.dump(out, open(os.path.join(os.environ["OUT"], "rope_ref.json"), "w"))
print("ok", transformers.__version__, [ (c["name"], c["inv_freq"][:3], c["attention_scaling"]) for c in out["cases"]])
