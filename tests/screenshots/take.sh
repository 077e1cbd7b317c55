#!/usr/bin/env bash
# Screenshots of the studio's main views, in a real window under Xvfb:
#   tests/screenshots/take.sh [MODEL] [OUTDIR]   (defaults: ../shared/models/sotu-llama, resources/screenshots)
# Each run opens MODEL, analyses it, selects the tensor that suffers most and saves the window with one details view.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
model=${1:-$root/../shared/models/sotu-llama}
out=${2:-$root/resources/screenshots}
studio=${STUDIO:-$root/build/app/quantscope}
command -v xvfb-run >/dev/null || { echo "xvfb-run is missing: apt-get install xvfb xauth"; exit 1; }
mkdir -p "$out"
for view in histogram errormap modelmap; do
    xvfb-run -a -s "-screen 0 1400x900x24" "$studio" "$model" --analyze --tab "$view" --screenshot "$out/studio-$view.png"
    echo "wrote $out/studio-$view.png"
done
xvfb-run -a -s "-screen 0 1400x900x24" "$studio" "$model" --analyze --group --rule 'ffn_down=Q6_K' --screenshot "$out/studio-layers.png"
echo "wrote $out/studio-layers.png"
xvfb-run -a -s "-screen 0 1400x900x24" "$studio" --demo --screenshot "$out/studio-demo.png"
echo "wrote $out/studio-demo.png"
# the Chinese interface, with rules and the signed error map (needs a CJK font: installer/dev.sh installs one)
cfg=$(mktemp -d)
XDG_CONFIG_HOME=$cfg LANG=zh_CN.UTF-8 LC_ALL=zh_CN.UTF-8 xvfb-run -a -s "-screen 0 1400x900x24" "$studio" "$model" --analyze \
    --tab errormap --measure signed --rule 'ffn_down=Q6_K' --rule 'ffn_down=Q8_0' --screenshot "$out/studio-zh_CN.png"
rm -rf "$cfg"
echo "wrote $out/studio-zh_CN.png"
