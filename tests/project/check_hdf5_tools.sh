#!/usr/bin/env bash
# A Quantscope project read by tools that are not Quantscope: h5dump shows filter 32015 on the datasets, h5dump
# reads the data through the standalone plugin, and a raw compressed chunk taken out with h5py and decompressed by
# the zstd command-line tool (an independent Zstandard implementation) gives the same floats.
set -euo pipefail
cli=$1 plugins=$2 demo=$3
for tool in h5dump zstd /usr/bin/python3; do
    command -v "$tool" >/dev/null || { echo "SKIPPED: $tool is not installed"; exit 77; }
done
/usr/bin/python3 -c 'import h5py, numpy' 2>/dev/null || { echo "SKIPPED: python3-h5py/numpy are not installed"; exit 77; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
project="$work/demo.qsproj"
"$cli" analyze "$demo" --formats q4_k,int4-g128-asym --project "$project" >/dev/null 2>&1
dataset=/analysis/tensors/00000/formats/0/heatmap/mean_abs

h5dump -p -H "$project" >"$work/header.txt"
grep -q "FILTER_ID 32015" "$work/header.txt" || { echo "h5dump -p shows no filter 32015"; exit 1; }
echo "h5dump -p: $(grep -c 'FILTER_ID 32015' "$work/header.txt") datasets compressed with filter 32015"

if h5dump -d "$dataset" "$project" >/dev/null 2>&1; then
    echo "h5dump read the data without the zstd plugin: it is not compressed"; exit 1
fi
HDF5_PLUGIN_PATH="$plugins" h5dump -d "$dataset" "$project" >"$work/data.txt"
values=$(grep -cE '^\s+\([0-9]+,[0-9]+\):' "$work/data.txt")
[ "$values" -gt 0 ] || { echo "h5dump printed no values"; exit 1; }
echo "h5dump with HDF5_PLUGIN_PATH read $values values"

HDF5_PLUGIN_PATH="$plugins" /usr/bin/python3 - "$project" "$dataset" <<'PY'
import subprocess, sys
import h5py, numpy as np
path, name = sys.argv[1], sys.argv[2]
with h5py.File(path, "r") as f:
    d = f[name]
    assert "32015" in d._filters or 32015 in d._filters, d._filters
    decoded = d[...]
    mask, raw = d.id.read_direct_chunk((0, 0))
    chunk_rows = d.chunks[0]
plain = subprocess.run(["zstd", "-d", "-c"], input=raw, capture_output=True, check=True).stdout
independent = np.frombuffer(plain, dtype="<f4").reshape(chunk_rows, -1)
rows = min(chunk_rows, decoded.shape[0])
assert np.array_equal(independent[:rows], decoded[:rows]), "zstd CLI and HDF5 disagree"
print(f"zstd CLI decompressed a {len(raw)}-byte chunk to {plain.__len__()} bytes, equal to what HDF5 reads")
PY
