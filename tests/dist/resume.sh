#!/usr/bin/env bash
# ctest dist_resume: a checkpoint written on 2 ranks resumes on 3 ranks, one
# written on 3 ranks resumes in one process without MPI, and each ends with
# the model file of an uninterrupted run in one process, byte for byte.
# Usage: resume.sh DAGPROP WORKDIR
. "$(dirname "$0")/common.sh"
make_data 500 data.csv
new_net start.dpn 5
flags=(--data data.csv --class-column last --batch 100 --optimizer adam --loss softmax-ce)

"$dagprop" train start.dpn "${flags[@]}" --epochs 6 -o straight.dpn > straight.out
mpi 2 "$dagprop" train start.dpn "${flags[@]}" --epochs 2 --checkpoint a.dpc -o a.dpn > a.out
mpi 3 "$dagprop" train --resume a.dpc "${flags[@]}" --epochs 4 --checkpoint b.dpc -o b.dpn > b.out
"$dagprop" train --resume b.dpc "${flags[@]}" --epochs 6 -o resumed.dpn > resumed.out
same_file straight.dpn resumed.dpn "2 ranks, then 3, then one process"
echo "dist_resume: passed"
