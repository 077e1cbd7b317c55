#!/usr/bin/env bash
# Quantscope's developer entry point on Debian 12. Every command installs what it needs first (idempotently).
#
#   installer/dev.sh studio   build, then open the studio on the built-in demo model
#                             (with no display, run the same job through quantscope-cli)
#   installer/dev.sh test     build, then run the whole test suite (CI runs exactly this)
#   installer/dev.sh deps     only install the Debian packages
#   installer/dev.sh build    only configure and build (into build/)
#   installer/dev.sh bench    build, then run the GPTQ benchmark against the PyTorch reference
#                             (tests/bench/bench_gptq.sh; installs python3-torch, which nothing else needs)
#   installer/dev.sh packages print the Debian packages the commands above install, one per line
#                             (not the benchmark's: the build and the tests must not need them)
#
# Environment: BUILD_DIR (default build), QUANTSCOPE_SHARED_DIR (default ../shared beside the checkout),
# JOBS (default: number of cores).
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build_dir=${BUILD_DIR:-$root/build}
shared_dir=${QUANTSCOPE_SHARED_DIR:-$(cd "$root/.." && pwd)/shared}
jobs=${JOBS:-$(nproc)}

packages=(
    # toolchain
    g++ cmake ninja-build pkg-config dpkg-dev
    # the stack: Qt 6 Widgets, Charts, Test, Linguist; OpenBLAS + LAPACKE; HDF5; zstd
    # Qt6Charts' CMake package needs Qt6OpenGL; Debian only *recommends* libqt6opengl6-dev (from qt6-base-dev)
    qt6-base-dev qt6-charts-dev libqt6opengl6-dev qt6-tools-dev qt6-tools-dev-tools qt6-l10n-tools qt6-translations-l10n
    libgl-dev libopenblas-dev liblapacke-dev libhdf5-dev hdf5-tools libzstd-dev
    # checks the test suite runs (desktop files, HDF5 tools reading our projects), and a virtual display
    desktop-file-utils appstream zstd python3-h5py python3-numpy xvfb xauth
    # pdftotext reads the PDF reports back in the tests
    poppler-utils
    # CPack's DEB generator runs `file` to find the ELF files for dpkg-shlibdeps (nothing Depends on it)
    file
    # a CJK font, so the Chinese interface renders (and its screenshots can be checked) on a bare machine
    fonts-wqy-microhei
)
# Node.js for the llama.cpp runtime tests: `test` installs these when node or npm is missing (always so on a fresh
# Debian 12 machine). tests/package/check_package_closure.py reads both lists through `dev.sh packages`.
runtime_packages=(nodejs npm)
# The reference GPTQ that tests/bench/bench_gptq.sh times Quantscope against (tests/bench/gptq_reference.py):
# PyTorch on the CPU. Only `bench` installs these; `packages` leaves them out, so the package-closure test
# (tests/package) fails if the build or a test ever starts to need them.
bench_packages=(python3-torch python3-numpy bc)

say() { printf '\n== %s\n' "$*"; }

install_packages() {
    local missing=()
    for p in "$@"; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
    done
    if [ ${#missing[@]} -eq 0 ]; then
        echo "All $# Debian packages needed are installed."
        return
    fi
    say "Installing ${#missing[@]} Debian packages: ${missing[*]}"
    local sudo=()
    [ "$(id -u)" -eq 0 ] || sudo=(sudo)
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -q
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"
}

install_deps() { install_packages "${packages[@]}"; }

build() {
    say "Configuring and building in $build_dir"
    cmake -S "$root" -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
        -DQUANTSCOPE_SHARED_DIR="$shared_dir" >"$build_dir.configure.log" 2>&1 ||
        { cat "$build_dir.configure.log"; exit 1; }
    cmake --build "$build_dir" --parallel "$jobs"
}

run_studio() {
    if [ -n "${DISPLAY:-}" ] || [ -n "${WAYLAND_DISPLAY:-}" ]; then
        say "Opening the studio on the built-in demo model"
        exec "$build_dir/app/quantscope" --demo
    fi
    say "No display: running the same job through the CLI (quantscope-cli inspect --demo)"
    "$build_dir/app/quantscope-cli" inspect --demo
}

# llama.cpp itself, to load our exports: node-llama-cpp from npm (pinned in tests/runtime/package*.json, CPU
# binaries only) needs Node.js 20 or newer. Debian 12's own nodejs is 18: then the runtime tests are skipped, loudly.
install_runtime() {
    local runtime="$build_dir/runtime"
    if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
        install_packages "${runtime_packages[@]}"
    fi
    local major
    major=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)
    if [ "$major" -lt 20 ]; then
        echo "SKIPPED: Node.js $(node --version 2>/dev/null || echo missing) is older than 20; the llama.cpp runtime tests will be skipped."
        return
    fi
    mkdir -p "$runtime"
    cp "$root/tests/runtime/package.json" "$root/tests/runtime/package-lock.json" "$root/tests/runtime/generate.mjs" "$runtime/"
    if [ ! -d "$runtime/node_modules/node-llama-cpp" ] || ! cmp -s "$root/tests/runtime/package-lock.json" "$runtime/.installed-lock"; then
        say "Installing node-llama-cpp (llama.cpp for the runtime tests) into $runtime"
        if ! (cd "$runtime" && npm install --no-audit --no-fund --omit=optional --loglevel=error); then
            echo "FAILED: could not install node-llama-cpp from the npm registry (see above)." >&2
            exit 1
        fi
        cp "$runtime/package-lock.json" "$runtime/.installed-lock"
    fi
    # llama.cpp loads the best CPU variant it finds; the Sapphire Rapids one uses AMX, which these machines advertise
    # but cannot run. Without it llama.cpp picks an AVX-512 or AVX2 variant.
    rm -f "$runtime"/node_modules/@node-llama-cpp/linux-x64/bins/linux-x64/libggml-cpu-sapphirerapids.so
    export QUANTSCOPE_NODE_RUNTIME="$runtime"
}

run_tests() {
    local args=(--test-dir "$build_dir" --output-on-failure --parallel "$jobs")
    install_runtime
    if [ -d "$shared_dir/models" ]; then
        say "Running every test (test data found in $shared_dir)"
        ctest "${args[@]}"
    else
        cat <<EOF

########################################################################################
#  SKIPPED: the tests labelled 'shared' did not run, because the test data folder     #
#  $shared_dir is missing.
#  Put the shared/ folder beside the checkout (or set QUANTSCOPE_SHARED_DIR) to run them.
########################################################################################
EOF
        ctest "${args[@]}" --label-exclude shared
        echo "SKIPPED: $(ctest --test-dir "$build_dir" -N -L shared | grep -c 'Test *#') tests labelled 'shared' (no $shared_dir)."
    fi
}

run_bench() {
    install_packages "${bench_packages[@]}"
    say "Building bench_gptq in $build_dir"
    cmake --build "$build_dir" --parallel "$jobs" --target bench_gptq
    say "GPTQ: Quantscope against the PyTorch reference (tests/bench/bench_gptq.sh)"
    "$root/tests/bench/bench_gptq.sh" "$build_dir" "${1:-all}"
}

case "${1:-}" in
    deps) install_deps ;;
    build) install_deps; build ;;
    studio) install_deps; build; run_studio ;;
    test) install_deps; build; run_tests ;;
    bench) install_deps; build; run_bench "${2:-all}" ;;
    packages) printf '%s\n' "${packages[@]}" "${runtime_packages[@]}" ;;
    *) sed -n '2,15p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 2 ;;
esac
