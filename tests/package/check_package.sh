#!/usr/bin/env bash
# Builds the DEB and TGZ packages with CPack and checks what they install: both executables, the desktop file,
# the AppStream metainfo, the icon and the demo model. Then unpacks the DEB into a scratch root and runs the
# packaged quantscope-cli on the packaged demo model, proving the installed layout works.
set -euo pipefail
build_dir=$1
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$build_dir"
cpack -G "DEB;TGZ" -B "$work/out" >"$work/cpack.log" 2>&1 || { cat "$work/cpack.log"; exit 1; }
deb=$(ls "$work"/out/*.deb)
tgz=$(ls "$work"/out/*.tar.gz)
dpkg-deb -c "$deb" >"$work/contents.txt"
status=0
for f in ./usr/bin/quantscope ./usr/bin/quantscope-cli \
         ./usr/share/applications/org.quantscope.Quantscope.desktop \
         ./usr/share/metainfo/org.quantscope.Quantscope.metainfo.xml \
         ./usr/share/icons/hicolor/scalable/apps/org.quantscope.Quantscope.svg \
         ./usr/share/quantscope/demo/sotu-mini/config.json \
         ./usr/share/quantscope/demo/sotu-mini/model.safetensors \
         ./usr/share/quantscope/hardware/hardware.json \
         ./usr/share/quantscope/schemas/inspect.schema.json; do
    if ! grep -q " $f\$" "$work/contents.txt"; then echo "missing from the DEB: $f"; status=1; fi
done
dpkg-deb -f "$deb" Package Version Depends
dpkg-deb -f "$deb" Depends | grep -q libqt6widgets6 || { echo "DEB does not depend on Qt 6 Widgets"; status=1; }
tar -tzf "$tgz" >"$work/tgz.txt"
grep -q 'bin/quantscope-cli$' "$work/tgz.txt" || { echo "TGZ lacks bin/quantscope-cli"; status=1; }
# The packaged CLI finds the packaged demo model relative to itself.
dpkg-deb -x "$deb" "$work/root"
out=$("$work/root/usr/bin/quantscope-cli" inspect --demo)
grep -q "Parameters    2,622,720" <<<"$out" || { echo "packaged CLI did not describe the packaged demo model"; echo "$out" | head; status=1; }
out=$("$work/root/usr/bin/quantscope-cli" fit --demo --device rtx-4090)
grep -q "GeForce RTX 4090 (rtx-4090" <<<"$out" || { echo "packaged CLI could not fit the demo model on a listed device"; echo "$out" | head; status=1; }
[ $status -eq 0 ] && echo "DEB and TGZ contents OK: $(wc -l <"$work/contents.txt") entries in $(basename "$deb")"
exit $status
