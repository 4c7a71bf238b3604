#!/usr/bin/env bash
# Runs the W1 scaling curve of bench/README.md on the machine it is on, with the
# bundle made by bench/device/bundle.sh: dagprop and PyTorch (CPU, and the GPU
# where torch sees one) at 1, 2, 4, 8, 16 threads and a mini-batch of 256,
# alternating the engines. Arguments go on to bench/compare.py.
set -euo pipefail
cd "$(dirname "$0")/../.."
level=v3
grep -qw avx512f /proc/cpuinfo && grep -qw avx512bw /proc/cpuinfo && level=v4
python=${PYTHON:-python3}
devices=cpu
"$python" -c 'import sys, torch; sys.exit(0 if torch.cuda.is_available() else 1)' 2>/dev/null &&
  devices=cpu,cuda
exec "$python" bench/compare.py --bench ".device/dagprop_bench-$level" --fmnist .device/fmnist \
  --python "$python" --workloads w1 --threads 1,2,4,8,16 --batch 256 --chunk 16 --fann none \
  --torch-devices "$devices" --w1-epochs 3 "$@"
