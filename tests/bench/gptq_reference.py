#!/usr/bin/env python3
"""The reference GPTQ solver, ported to PyTorch on the CPU, as the baseline of tests/bench/bench_gptq.sh.

It follows IST-DASLab's gptq.py and AutoGPTQ's quantization/gptq.py + quantizer.py (fasterquant) step for step, so
that timing it times what people run:
  - per channel: the min-max grid of the original weights, before dead columns are zeroed;
  - dead columns (zero Hessian diagonal): H[c, c] = 1 and W[:, c] = 0;
  - static groups: every group's grid from the (dead-zeroed) weights in the original column order;
  - act-order: columns by torch.argsort(diag H, descending=True);
  - damping percdamp * mean(diag H), after the permutation;
  - torch.linalg.cholesky, torch.cholesky_inverse, torch.linalg.cholesky(upper=True): the upper factor of H^-1;
  - lazy blocks of 128 columns; inside a block the rank-1 updates go to its copy W1, and a group's grid is found on
    W (which those updates have not reached) at the group's first column in sweep order;
  - torch.round (half to even), clamp to [0, maxq], everything in f32.
The reference returns dequantized weights; the codes are round(w / scale) + zero, clamped, taken at the same step.

  gptq_reference.py check GOLDEN_DIR                 every config of GOLDEN_DIR/manifest.json against its codes
  gptq_reference.py solve FILE W_NAME H_FILE H_NAME [--bits 4] [--group 128] [--sym] [--act-order] [--static-groups]
                          [--threads 2] [--repeat 1]  time the solve of one layer (prints 'seconds <s>' per repeat)
  gptq_reference.py synth DIR [--seed 0]              write the 8B-shaped layers (W and H = 2/N X^T X) as f32 safetensors
"""
import argparse
import json
import math
import os
import struct
import sys
import time

import numpy as np
import torch

_NP = {"F32": np.float32, "I32": np.int32, "U8": np.uint8, "BF16": None}


def read_safetensors(path):
    """name -> numpy array (a copy), for the dtypes the goldens use."""
    with open(path, "rb") as f:
        n = struct.unpack("<Q", f.read(8))[0]
        header = json.loads(f.read(n))
        base = 8 + n
        out = {}
        for name, t in header.items():
            if name == "__metadata__":
                continue
            a, b = t["data_offsets"]
            f.seek(base + a)
            out[name] = np.frombuffer(f.read(b - a), dtype=_NP[t["dtype"]]).reshape(t["shape"]).copy()
        return out


def write_safetensors(path, tensors):
    header, off = {}, 0
    for name, a in tensors.items():
        assert a.dtype == np.float32
        header[name] = {"dtype": "F32", "shape": list(a.shape), "data_offsets": [off, off + a.nbytes]}
        off += a.nbytes
    h = json.dumps(header).encode()
    h += b" " * (-len(h) % 8)
    with open(path + ".tmp", "wb") as f:
        f.write(struct.pack("<Q", len(h)))
        f.write(h)
        for a in tensors.values():
            f.write(np.ascontiguousarray(a).tobytes())
    os.replace(path + ".tmp", path)


class MinMaxGrid:
    """quantizer.py's Quantizer with perchannel=True, mse=False: scale and zero per row of x."""

    def __init__(self, bits, sym):
        self.maxq = torch.tensor(2**bits - 1)
        self.sym = sym
        self.scale = torch.zeros(1)
        self.zero = torch.zeros(1)

    def ready(self):
        return bool(torch.all(self.scale != 0))

    def find_params(self, x):
        x = x.flatten(1)
        zero_row = torch.zeros(x.shape[0])
        lo = torch.minimum(x.min(1)[0], zero_row)
        hi = torch.maximum(x.max(1)[0], zero_row)
        if self.sym:
            hi = torch.maximum(torch.abs(lo), hi)
            neg = lo < 0
            if torch.any(neg):
                lo[neg] = -hi[neg]
        flat = (lo == 0) & (hi == 0)
        lo[flat] = -1
        hi[flat] = +1
        self.scale = (hi - lo) / self.maxq
        if self.sym:
            self.zero = torch.full_like(self.scale, (self.maxq + 1) / 2)
        else:
            self.zero = torch.round(-lo / self.scale)
        self.scale = self.scale.reshape(-1, 1)
        self.zero = self.zero.reshape(-1, 1)

    def codes(self, x):
        return torch.clamp(torch.round(x / self.scale) + self.zero, 0, self.maxq)

    def quantize(self, x):
        return self.scale * (self.codes(x) - self.zero)


def fasterquant(W, H, bits=4, group_size=128, sym=False, act_order=False, static_groups=False, percdamp=0.01, blocksize=128):
    """W: rows x columns f32 tensor, H: columns x columns (consumed). Returns codes (original column order, uint8),
    scales and zeros (rows x groups, groups in sweep order), g_idx, loss."""
    W = W.clone().float()
    rows, columns = W.shape
    quantizer = MinMaxGrid(bits, sym)
    if not quantizer.ready():
        quantizer.find_params(W)

    dead = torch.diag(H) == 0
    H[dead, dead] = 1
    W[:, dead] = 0

    scale, zero = [], []
    now_idx = 1
    if static_groups:
        groups = []
        for i in range(0, columns, group_size):
            g = MinMaxGrid(bits, sym)
            g.find_params(W[:, i:i + group_size])
            scale.append(g.scale)
            zero.append(g.zero)
            groups.append(g)

    if act_order:
        perm = torch.argsort(torch.diag(H), descending=True)
        W = W[:, perm]
        H = H[perm][:, perm]
        invperm = torch.argsort(perm)

    Losses = torch.zeros_like(W)
    Q = torch.zeros_like(W)
    C = torch.zeros_like(W)  # codes, in sweep order

    damp = percdamp * torch.mean(torch.diag(H))
    diag = torch.arange(columns)
    H[diag, diag] += damp
    H = torch.linalg.cholesky(H)
    H = torch.cholesky_inverse(H)
    H = torch.linalg.cholesky(H, upper=True)
    Hinv = H

    for i1 in range(0, columns, blocksize):
        i2 = min(i1 + blocksize, columns)
        count = i2 - i1
        W1 = W[:, i1:i2].clone()
        Q1 = torch.zeros_like(W1)
        C1 = torch.zeros_like(W1)
        Err1 = torch.zeros_like(W1)
        Losses1 = torch.zeros_like(W1)
        Hinv1 = Hinv[i1:i2, i1:i2]
        for i in range(count):
            w = W1[:, i]
            d = Hinv1[i, i]
            if group_size != -1:
                if not static_groups:
                    if (i1 + i) % group_size == 0:
                        quantizer.find_params(W[:, (i1 + i):(i1 + i + group_size)])
                    if ((i1 + i) // group_size) - now_idx == -1:
                        scale.append(quantizer.scale)
                        zero.append(quantizer.zero)
                        now_idx += 1
                else:
                    idx = i1 + i
                    if act_order:
                        idx = perm[idx]
                    quantizer = groups[idx // group_size]
            c = quantizer.codes(w.unsqueeze(1))
            q = (quantizer.scale * (c - quantizer.zero)).flatten()
            C1[:, i] = c.flatten()
            Q1[:, i] = q
            Losses1[:, i] = (w - q) ** 2 / d**2
            err1 = (w - q) / d
            W1[:, i:] -= err1.unsqueeze(1).matmul(Hinv1[i, i:].unsqueeze(0))
            Err1[:, i] = err1
        Q[:, i1:i2] = Q1
        C[:, i1:i2] = C1
        Losses[:, i1:i2] = Losses1 / 2
        W[:, i2:] -= Err1.matmul(Hinv[i1:i2, i2:])

    gs = group_size if group_size != -1 else columns
    if static_groups and act_order:
        g_idx = torch.tensor([int(perm[i]) // gs for i in range(columns)], dtype=torch.int32)
    else:
        g_idx = torch.tensor([i // gs for i in range(columns)], dtype=torch.int32)
    if act_order:
        C = C[:, invperm]
        g_idx = g_idx[invperm]
    if scale == []:
        scale.append(quantizer.scale)
        zero.append(quantizer.zero)
    return {
        "codes": C.to(torch.uint8),
        "scales": torch.cat(scale, dim=1),
        "zeros": torch.cat(zero, dim=1).to(torch.int32),
        "g_idx": g_idx,
        "loss": float(torch.sum(Losses, dtype=torch.float64)),
    }


def cmd_check(args):
    d = args.golden
    manifest = json.load(open(os.path.join(d, "manifest.json")))
    files = {}
    for f in ("gptq_q.safetensors", "gptq_down.safetensors", "gptq_down_H.safetensors"):
        files.update(read_safetensors(os.path.join(d, f)))
    torch.set_num_threads(args.threads)
    worst = 1.0
    for c in manifest["configs"]:
        t, name = c["tensor"], c["config"]
        r = fasterquant(torch.from_numpy(files[t + ".W"]), torch.from_numpy(files[t + ".H"].copy()), c["bits"], c["group_size"], c["sym"],
                        c["act_order"], c["static_groups"], c["damp"], c["block"])
        want = {k: files[f"{t}.{name}.{k}"] for k in ("codes", "scales", "zeros", "g_idx")}
        same = float(np.mean(r["codes"].numpy() == want["codes"]))
        srel = float(np.max(np.abs(r["scales"].numpy() - want["scales"]) / np.abs(want["scales"])))
        zeq = bool(np.array_equal(r["zeros"].numpy(), want["zeros"]))
        geq = bool(np.array_equal(r["g_idx"].numpy(), want["g_idx"]))
        lrel = abs(r["loss"] - c["loss"]) / c["loss"]
        worst = min(worst, same)
        print(f"{t} {name:28s} codes identical {same * 100:8.4f}%  scales max rel {srel:.1e}  zeros {'=' if zeq else '!='}  "
              f"g_idx {'=' if geq else '!='}  loss {r['loss']:.6f} (golden {c['loss']:.6f}, rel {lrel:.1e})")
    print(f"worst: {worst * 100:.4f}% of codes identical to the golden")
    return 0 if worst == 1.0 else 1


def cmd_solve(args):
    torch.set_num_threads(args.threads)
    W = torch.from_numpy(read_safetensors(args.file)[args.w_name])
    H0 = read_safetensors(args.h_file)[args.h_name]
    for _ in range(args.repeat):
        H = torch.from_numpy(H0.copy())
        t0 = time.perf_counter()
        r = fasterquant(W, H, args.bits, args.group, args.sym, args.act_order, args.static_groups)
        secs = time.perf_counter() - t0
        print(f"seconds {secs:.3f} loss {r['loss']:.6g}", flush=True)
    return 0


def cmd_synth(args):
    """Two 8B-shaped Linears (q_proj-like 4096x4096 and down_proj-like 4096x14336) with random weights and a random
    SPD Hessian 2/N X^T X of N = 4096 rows whose channels have log-normal magnitudes (as real activations do), so
    the solver sees realistic conditioning; damping makes the rank-deficient 14336 one positive definite."""
    torch.manual_seed(args.seed)
    torch.set_num_threads(args.threads)
    os.makedirs(args.dir, exist_ok=True)
    for name, rows, cols in (("q", 4096, 4096), ("down", 4096, 14336)):
        path = os.path.join(args.dir, f"synth_{name}.safetensors")
        if os.path.exists(path):
            continue
        W = (torch.randn(rows, cols) * 0.02).numpy()
        n = 4096
        X = torch.randn(n, cols) * torch.exp(0.5 * torch.randn(cols))
        H = (X.t() @ X) * (2.0 / n)
        write_safetensors(path, {"W": W, "H": H.numpy()})
        print(f"wrote {path}: W {rows}x{cols}, H {cols}x{cols}", flush=True)
    return 0


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = p.add_subparsers(dest="cmd", required=True)
    c = sub.add_parser("check")
    c.add_argument("golden")
    c.add_argument("--threads", type=int, default=2)
    s = sub.add_parser("solve")
    s.add_argument("file")
    s.add_argument("w_name")
    s.add_argument("h_file")
    s.add_argument("h_name")
    s.add_argument("--bits", type=int, default=4)
    s.add_argument("--group", type=int, default=128)
    s.add_argument("--sym", action="store_true")
    s.add_argument("--act-order", action="store_true")
    s.add_argument("--static-groups", action="store_true")
    s.add_argument("--threads", type=int, default=2)
    s.add_argument("--repeat", type=int, default=1)
    y = sub.add_parser("synth")
    y.add_argument("dir")
    y.add_argument("--seed", type=int, default=0)
    y.add_argument("--threads", type=int, default=2)
    a = p.parse_args()
    return {"check": cmd_check, "solve": cmd_solve, "synth": cmd_synth}[a.cmd](a)


if __name__ == "__main__":
    sys.exit(main())
