#!/usr/bin/env bash
# ctest dist_no_mpi (a build without MPI): `dagprop train` as one of several
# mpirun processes, or with --distributed, refuses at once saying the build
# has no MPI, and writes nothing; as the only process it trains.
# Usage: no_mpi.sh DAGPROP WORKDIR
. "$(dirname "$0")/common.sh"
make_data 50 data.csv
"$dagprop" new --layers 4,8,3 --seed 3 -o start.dpn > /dev/null
train=(train start.dpn --data data.csv --class-column last --epochs 1 -o out.dpn)
expect_refusal() {
  local rc=0
  "$@" > out.txt 2> err.txt || rc=$?
  [[ $rc == 1 ]] || fail "exit status $rc, expected 1"
  grep -q "^dagprop: error: this build of dagprop has no MPI" err.txt || fail "$(cat err.txt)"
  [[ ! -e out.dpn ]] || fail "the refused run wrote the model"
}
OMPI_COMM_WORLD_SIZE=2 expect_refusal "$dagprop" "${train[@]}"
grep -q "mpirun started 2" err.txt || fail "the error does not say how many processes: $(cat err.txt)"
expect_refusal "$dagprop" "${train[@]}" --distributed
OMPI_COMM_WORLD_SIZE=1 "$dagprop" "${train[@]}" > out.txt
[[ -s out.dpn ]] || fail "one process under mpirun -np 1 did not train"
echo "dist_no_mpi: passed"
