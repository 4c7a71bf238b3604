#!/usr/bin/env bash
# ctest dist_bit_identical: `dagprop train` under mpirun on 1, 2 and 3 ranks
# writes the same model file, byte for byte, as one process without MPI, for
# batches of 2 to 94 chunks (fewer chunks than ranks, uneven shares, waves),
# float and double, several optimizers, a network whose gradient goes in
# several messages; rank 0 alone prints and writes.
# Usage: bit_identical.sh DAGPROP WORKDIR
. "$(dirname "$0")/common.sh"
make_data 3000 data.csv
new_net start.dpn 3
# 20,000 parameters and more: the chain's messages go in several segments.
"$dagprop" new --layers 4,160,120,3 --seed 4 -o wide.dpn > /dev/null

configs=(
  "start.dpn --batch 64 --epochs 2 --threads 1"
  "start.dpn --precision double --batch 300 --optimizer adam --loss softmax-ce --dropout 0.1 --epochs 2"
  "start.dpn --batch 3000 --epochs 2 --lr 0.001 --threads 1"
  "start.dpn --optimizer momentum --clip-norm 0.5 --batch 100 --reduction mean --schedule step:1:0.5 --epochs 2"
  "wide.dpn --batch 200 --epochs 2 --loss softmax-ce --lr 0.001"
)
i=0
for config in "${configs[@]}"; do
  # shellcheck disable=SC2086 # the flags split into words
  "$dagprop" train --data data.csv --class-column last $config -o one_$i.dpn > one_$i.txt
  for np in 1 2 3; do
    mpi $np "$dagprop" train --data data.csv --class-column last $config -o np${np}_$i.dpn --log log.csv \
      > np${np}_$i.txt 2> np${np}_$i.err || fail "mpirun -np $np ($config): $(cat np${np}_$i.err)"
    same_file one_$i.dpn np${np}_$i.dpn "-np $np, $config"
    threads=$(sed -n 's/.*--threads \([0-9]*\).*/\1/p' <<< "$config")
    grep -q "^training on $np rank.* × ${threads:-[0-9]*} thread" np${np}_$i.txt ||
      fail "-np $np: no 'training on $np ranks × N threads' line: $(head -2 np${np}_$i.txt)"
    [[ $(grep -c '^epoch 2/2' np${np}_$i.txt) == 1 ]] || fail "-np $np: not one 'epoch 2/2' line"
    [[ $(wc -l < log.csv) == 3 ]] || fail "-np $np: the log has not a header and two epochs"
  done
  i=$((i + 1))
done
# --distributed outside mpirun: a job of one process.
"$dagprop" train --data data.csv --class-column last ${configs[0]} --distributed -o flag.dpn > flag.txt
same_file one_0.dpn flag.dpn "--distributed without mpirun"
echo "dist_bit_identical: passed"
