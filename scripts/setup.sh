#!/usr/bin/env bash
# Installs every system package geneft needs, from Debian, idempotently.
# This is the one place where system packages are listed.
set -euo pipefail

PACKAGES=(
  build-essential cmake pkg-config     # toolchain (g++ 12, CMake)
  libeigen3-dev                        # linear algebra in the numeric core
  libxsmm-dev                          # JIT kernels for its small matrix products (src/nn/gemm.cpp)
  libsqlite3-dev                       # the results store
  libtomlplusplus-dev                  # config files
  libcli11-dev                         # command line
  nlohmann-json3-dev                   # JSON export and weight dumps
  libssl-dev                           # SHA-256 for run ids
  libgtest-dev googletest              # unit tests
  python3 python3-torch python3-numpy python3-scipy  # the PyTorch peer for parity tests and benchmarks (scipy: bench/liu2022 statistics)
  libopenblas0-pthread                 # the peer's BLAS: without it Debian's torch uses the reference BLAS
  libopenblas-pthread-dev              # the same OpenBLAS for geneft's products where it is faster (src/nn/gemm.cpp)
  linux-perf                           # per-function profiles of the step (docs/performance.md, bench/profile_transformer.sh)
  gnuplot-nox                          # figures
  dataset-fashion-mnist zlib1g-dev     # Fashion-MNIST IDX files (gzipped) for the Omnigrok image task
  libopenmpi-dev openmpi-bin           # MPI sweeps across ranks and machines (docs/scale-out.md)
  slurmctld slurmd slurm-client munge  # a real Slurm job array in the tests (tests/cli/slurm_array.sh)
  pybind11-dev python3-dev             # the Python module (python/)
  python3-pandas python3-tqdm          # its DataFrames and progress bars
  python3-matplotlib python3-pytest    # the example notebook's figures; the Python tests
  python3-nbclient python3-ipykernel   # runs examples/notebooks/ headless in the tests
  libcpp-httplib-dev                   # geneft serve: the dashboard's HTTP server
  chromium chromium-driver python3-selenium  # the browser test of the dashboard and the report
)
# npm fetches the dashboard's plotting library (web/package-lock.json); a Node.js that brings its
# own npm (NodeSource) is used as it is.
command -v npm > /dev/null || PACKAGES+=(npm)

missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "setup: all ${#PACKAGES[@]} system packages present"
else
  echo "setup: installing ${missing[*]}"
  SUDO=""
  [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# plotly.js for geneft serve, at the version pinned in web/package-lock.json (copied into build/web
# by CMake; not committed).
web="$(dirname "$0")/../web"
if [ ! -f "$web/node_modules/plotly.js-dist-min/plotly.min.js" ]; then
  echo "setup: npm ci in web/ (plotly.js for the dashboard)"
  (cd "$web" && npm ci --no-audit --no-fund --loglevel=error)
fi
