#!/usr/bin/env bash
# Installs every system package geneft needs, from Debian, idempotently.
# This is the one place where system packages are listed.
set -euo pipefail

PACKAGES=(
  build-essential cmake pkg-config     # toolchain (g++ 12, CMake)
  libeigen3-dev                        # linear algebra in the numeric core
  libsqlite3-dev                       # the results store
  libtomlplusplus-dev                  # config files
  libcli11-dev                         # command line
  nlohmann-json3-dev                   # JSON export and weight dumps
  libssl-dev                           # SHA-256 for run ids
  libgtest-dev googletest              # unit tests
  python3 python3-torch python3-numpy  # the PyTorch peer for parity tests and benchmarks
  libopenblas0-pthread                 # the peer's BLAS: without it Debian's torch uses the reference BLAS
  gnuplot-nox                          # figures
  dataset-fashion-mnist zlib1g-dev     # Fashion-MNIST IDX files (gzipped) for the Omnigrok image task
  libopenmpi-dev openmpi-bin           # MPI sweeps across ranks and machines (docs/scale-out.md)
)

missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "setup: all ${#PACKAGES[@]} system packages present"
  exit 0
fi
echo "setup: installing ${missing[*]}"
SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
