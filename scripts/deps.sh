#!/usr/bin/env bash
# Installs the Debian 12 packages dagprop needs, only those missing.
# Usage: scripts/deps.sh [--bench] [--fuzz]
#   --bench adds the engines of the comparison, --fuzz clang and libFuzzer.
set -euo pipefail
pkgs=(g++ clang cmake ninja-build clang-format libboost-graph-dev libboost-serialization-dev
      libboost-program-options-dev libboost-iostreams-dev libtbb-dev catch2 zlib1g-dev
      libbenchmark-dev dataset-fashion-mnist librsvg2-bin libboost-mpi-dev openmpi-bin libfann-dev graphviz)
for arg in "$@"; do
  case "$arg" in
    --bench) pkgs+=(libfann-dev python3-torch python3-numpy libopenblas0-pthread) ;;
    --fuzz) pkgs+=(clang libclang-rt-14-dev) ;;
    *) echo "deps.sh: unknown option $arg" >&2; exit 2 ;;
  esac
done
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "installing: ${missing[*]}"
  sudo=""
  [[ $(id -u) -ne 0 ]] && sudo=sudo
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
