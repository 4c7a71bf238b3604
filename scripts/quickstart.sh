#!/usr/bin/env bash
# The README's first command: install what is missing, build, and run the
# main sample (Fashion-MNIST, 784-256-128-10 ReLU, about two minutes on 2 cores).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/deps.sh
cmake --preset release
cmake --build --preset release
exec build/release/samples/fashion_mnist "$@"
