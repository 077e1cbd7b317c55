#!/usr/bin/env python3
"""An all-zero GGUF file shaped like a Hugging Face config, for measuring llama.cpp's memory on a GPU.

Memory does not depend on weight values, so the tensors are zeros: every 2-D weight in Q4_K except the output
matrix in Q6_K unless it is tied to the embedding (the sizes Quantscope's estimator must reproduce with the plan "Q4_K_M, pure, output Q6_K"), norms
in F32 (ones), and a SentencePiece-style vocabulary of byte tokens plus fillers so prompts tokenize.
Needs llama.cpp's gguf-py on PYTHONPATH.   python3 make_synthetic_gguf.py config.json out.gguf [Q4_K|Q8_0]
(the optional type replaces Q4_K for every matrix but the untied output: same layers, other bytes, for speed fits)
"""
import json, sys

import numpy as np
import gguf

cfg = json.load(open(sys.argv[1]))
out = sys.argv[2]
E, F, L = cfg["hidden_size"], cfg["intermediate_size"], cfg["num_hidden_layers"]
H, KV, V = cfg["num_attention_heads"], cfg["num_key_value_heads"], cfg["vocab_size"]
hd = cfg.get("head_dim") or E // H
Q4K, Q6K = gguf.GGMLQuantizationType.Q4_K, gguf.GGMLQuantizationType.Q6_K
if len(sys.argv) > 3:
    Q4K = gguf.GGMLQuantizationType[sys.argv[3]]  # the matrices' type (the name Q4K is kept for the default)

w = gguf.GGUFWriter(out, "llama")
w.add_name("synthetic")
w.add_context_length(cfg.get("max_position_embeddings", 4096))
w.add_embedding_length(E)
w.add_block_count(L)
w.add_feed_forward_length(F)
w.add_head_count(H)
w.add_head_count_kv(KV)
w.add_key_length(hd)
w.add_value_length(hd)
w.add_rope_dimension_count(hd)
w.add_rope_freq_base(cfg.get("rope_theta", 10000.0))
w.add_layer_norm_rms_eps(cfg.get("rms_norm_eps", 1e-5))
w.add_file_type(15)  # Q4_K_M
tokens = [f"<0x{i:02X}>".encode() for i in range(256)] + [b"<unk>", b"<s>", b"</s>"]
tokens += [f"t{i}".encode() for i in range(V - len(tokens))]
types = [gguf.TokenType.BYTE] * 256 + [gguf.TokenType.UNKNOWN, gguf.TokenType.CONTROL, gguf.TokenType.CONTROL]
types += [gguf.TokenType.NORMAL] * (V - len(types))
w.add_tokenizer_model("llama")
w.add_token_list(tokens)
w.add_token_scores([0.0] * V)
w.add_token_types(types)
w.add_unk_token_id(256)
w.add_bos_token_id(257)
w.add_eos_token_id(258)


def quant(name, rows, cols, qtype):
    block, size = gguf.GGML_QUANT_SIZES[qtype]
    w.add_tensor(name, np.zeros((rows, cols // block * size), dtype=np.uint8), raw_dtype=qtype)


def norm(name, n):
    w.add_tensor(name, np.ones(n, dtype=np.float32))


quant("token_embd.weight", V, E, Q4K)
if not cfg.get("tie_word_embeddings", False):
    quant("output.weight", V, E, Q6K)
norm("output_norm.weight", E)
for l in range(L):
    p = f"blk.{l}."
    norm(p + "attn_norm.weight", E)
    quant(p + "attn_q.weight", H * hd, E, Q4K)
    quant(p + "attn_k.weight", KV * hd, E, Q4K)
    quant(p + "attn_v.weight", KV * hd, E, Q4K)
    quant(p + "attn_output.weight", E, H * hd, Q4K)
    norm(p + "ffn_norm.weight", E)
    quant(p + "ffn_gate.weight", F, E, Q4K)
    quant(p + "ffn_up.weight", F, E, Q4K)
    quant(p + "ffn_down.weight", E, F, Q4K)
w.write_header_to_file()
w.write_kv_data_to_file()
w.write_tensors_to_file()
w.close()
print("wrote", out)
