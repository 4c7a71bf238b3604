# Shared by the tests/dist/*.sh scripts (sourced, not run, with the script's
# arguments DAGPROP WORKDIR): a fresh WORKDIR made the current folder, a
# deterministic CSV data set, small networks, Open MPI's settings for a CI
# machine as root with few cores, and the checks the scripts share. It trains
# nothing by itself.
set -euo pipefail
# Under the ASan preset: Open MPI's allocations left at exit are not dagprop's leaks.
LSAN_OPTIONS="suppressions=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/lsan.supp${LSAN_OPTIONS:+:$LSAN_OPTIONS}"
export LSAN_OPTIONS
dagprop=$(cd "$(dirname "$1")" && pwd)/$(basename "$1") work=$2
rm -rf "$work" && mkdir -p "$work" && cd "$work"

# new_net FILE SEED: a 4-16-8-3 tanh network.
new_net() { "$dagprop" new --layers 4,16,8,3 --hidden tanh --seed "$2" -o "$1" > /dev/null; }

# make_data ROWS FILE: 4 inputs in [-1, 1) and a class 0..2 (the last column)
# from a Park-Miller generator (exact in awk's doubles), the class by the sign
# of x1 + x2 and of x3.
make_data() {
  awk -v n="$1" 'BEGIN {
    s = 12345
    for (r = 0; r < n; ++r) {
      line = ""
      for (k = 1; k <= 4; ++k) {
        s = (s * 16807) % 2147483647
        x[k] = 2 * s / 2147483647 - 1
        line = line sprintf("%.6f,", x[k])
      }
      c = (x[1] + x[2] > 0) ? (x[3] > 0 ? 2 : 1) : 0
      print line c
    }
  }' > "$2"
}

# Open MPI as root, more ranks than cores; no network interface beyond loopback needed.
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
export OMPI_MCA_btl=self,vader OMPI_MCA_rmaps_base_oversubscribe=1
mpi() { mpirun --oversubscribe -np "$@"; }

fail() { echo "FAIL: $*" >&2; exit 1; }

# same_file A B WHAT: the two files hold the same bytes.
same_file() { cmp -s "$1" "$2" || fail "$3: $1 and $2 differ"; }
