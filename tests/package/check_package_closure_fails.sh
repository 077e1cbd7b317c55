#!/usr/bin/env bash
# Shows that check_package_closure.py can fail: it runs the check against installer/dev.sh's package list without
# libqt6opengl6-dev (the package whose absence broke configure on a fresh Debian 12 machine: Qt6Charts' CMake
# package needs Qt6OpenGL, which qt6-charts-dev only recommends) and expects it to fail, naming that package and a
# Qt6OpenGL file the build used.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
build_dir=$1
drop=libqt6opengl6-dev
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
bash "$here/../../installer/dev.sh" packages >"$work/all.txt"
grep -qx "$drop" "$work/all.txt" || { echo "installer/dev.sh packages does not list $drop"; exit 1; }
grep -vx "$drop" "$work/all.txt" >"$work/without.txt"
status=0
"$here/check_package_closure.py" "$build_dir" --packages "$work/without.txt" >"$work/out.txt" 2>&1 || status=$?
cat "$work/out.txt"
echo "-- the check above ran without $drop and ended with exit status $status"
[ "$status" -ne 77 ] || exit 77
[ "$status" -eq 1 ] || { echo "FAILED: expected exit status 1 without $drop"; exit 1; }
grep -qx "  $drop\( .*\)\{0,1\}" "$work/out.txt" || { echo "FAILED: the check did not name $drop"; exit 1; }
grep -q '/Qt6OpenGL/' "$work/out.txt" || { echo "FAILED: the check named no Qt6OpenGL file"; exit 1; }
echo "OK: without $drop the check fails and names it, with the Qt6OpenGL files that pulled it in"
