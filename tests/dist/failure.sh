#!/usr/bin/env bash
# ctest dist_failure: a rank that fails ends the whole job within 30 s with an
# error naming it: bad data on rank 1 alone, other data on rank 2 alone, rank 1
# killed mid-training. The last checkpoint then loads, and resuming it (on 2
# ranks) gives the weights of an uninterrupted run, byte for byte.
# Usage: failure.sh DAGPROP WORKDIR
. "$(dirname "$0")/common.sh"
make_data 300 good.csv
make_data 301 other.csv
{ head -5 good.csv; echo "0.5,oops,0.1,0.2,1"; } > bad.csv
new_net start.dpn 3
train=(train start.dpn --class-column last --threads 1)

# job_fails LIMIT EXPECTED NP ARGS...: mpirun -np NP ARGS fails within LIMIT
# seconds and its standard error holds EXPECTED.
job_fails() {
  local limit=$1 expected=$2
  shift 2
  local t0=$SECONDS rc=0
  timeout 120 mpirun --oversubscribe -np "$@" > job.out 2> job.err || rc=$?
  ((rc != 0)) || fail "the job succeeded; expected '$expected'"
  ((rc != 124)) || fail "the job was still running after 120 s"
  ((SECONDS - t0 <= limit)) || fail "the job took $((SECONDS - t0)) s to end (limit $limit s)"
  grep -q -- "$expected" job.err || fail "no '$expected' in: $(cat job.err)"
}

# Rank 1 alone reads a damaged file.
cat > by_rank.sh <<SH
#!/bin/sh
# rank-dependent data for the test: rank \$OMPI_COMM_WORLD_RANK gets its own file when one exists.
data=good.csv
[ -f "data_\$OMPI_COMM_WORLD_RANK.csv" ] && data="data_\$OMPI_COMM_WORLD_RANK.csv"
echo \$\$ > "pid_\$OMPI_COMM_WORLD_RANK"
exec "$dagprop" "\$@" --data "\$data"
SH
chmod +x by_rank.sh
cp bad.csv data_1.csv
job_fails 30 "dagprop: error: rank 1 of 2: .*oops" 2 ./by_rank.sh "${train[@]}" -o x.dpn
rm data_1.csv

# Rank 2 alone reads other (valid) data: every rank refuses, naming rank 2.
cp other.csv data_2.csv
job_fails 30 "differ between the ranks: rank 2 holds" 3 ./by_rank.sh "${train[@]}" -o x.dpn
rm data_2.csv
[[ ! -e x.dpn ]] || fail "a failed job wrote the model"

# Ranks given other training options (--epochs, --batch, --patience, --precision)
# or another network: every rank refuses at once, where they once trained
# different numbers of steps and waited on each other for ever (or died in MPI).
"$dagprop" new --layers 4,12,3 --hidden tanh --seed 3 -o other_shape.dpn > /dev/null
for other in "--epochs 5" "--epochs 3 --batch 7" "--epochs 3 --validation 0.2 --patience 1" \
  "--epochs 3 --precision double"; do
  # shellcheck disable=SC2086
  job_fails 30 "differ between the ranks: rank 1 holds" 1 "$dagprop" "${train[@]}" --data good.csv \
    --epochs 3 -o x.dpn : -np 1 "$dagprop" "${train[@]}" --data good.csv $other -o x.dpn
  grep -q "the training options" job.err || fail "$other: the error does not say what: $(cat job.err)"
done
job_fails 30 "differ between the ranks: rank 1 holds" 1 "$dagprop" "${train[@]}" --data good.csv \
  -o x.dpn : -np 1 "$dagprop" train other_shape.dpn --class-column last --threads 1 \
  --data good.csv -o x.dpn
[[ ! -e x.dpn ]] || fail "a job of mismatched options wrote the model"

# Rank 1 killed mid-training: the job ends, the checkpoint of the last epoch loads.
rm -f pid_* ckpt.dpc
mpi 2 ./by_rank.sh "${train[@]}" --epochs 100000 --checkpoint ckpt.dpc -o x.dpn \
  > kill.out 2> kill.err &
job=$!
for _ in $(seq 600); do [[ -s ckpt.dpc && -s pid_1 ]] && break; sleep 0.1; done
[[ -s ckpt.dpc && -s pid_1 ]] || fail "no checkpoint after 60 s"
sleep 0.5
kill -9 "$(cat pid_1)"
t0=$SECONDS rc=0
wait $job || rc=$?
((rc != 0)) || fail "the job went on after rank 1 was killed"
((SECONDS - t0 <= 30)) || fail "the job took $((SECONDS - t0)) s to end after the kill"
grep -qi "rank 1" kill.err || fail "the job's error does not name rank 1: $(cat kill.err)"
done_epochs=$("$dagprop" inspect ckpt.dpc | sed -n 's/^epochs completed //p')
[[ $done_epochs -ge 1 ]] || fail "the checkpoint after the kill does not load: $done_epochs"

# Resume it on 2 ranks to 3 more epochs: the weights of an uninterrupted run.
epochs=$((done_epochs + 3))
mpi 2 "$dagprop" train --resume ckpt.dpc --data good.csv --class-column last --epochs $epochs \
  -o resumed.dpn > resume.out 2> resume.err || fail "resume: $(cat resume.err)"
"$dagprop" train start.dpn --data good.csv --class-column last --threads 1 --epochs $epochs \
  -o straight.dpn > straight.out
same_file straight.dpn resumed.dpn "resumed after the kill at epoch $done_epochs"
echo "dist_failure: passed (killed after $done_epochs epochs)"
