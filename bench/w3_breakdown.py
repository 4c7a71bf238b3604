#!/usr/bin/python3
"""Where W3's training time goes, one thread: runs micro_bench's W3 benchmarks
(BackPropagate/w3, Propagate/w3 and the W3Phase/* parts) and the machine's sgemm
(1024^3, OpenBLAS through torch/numpy, as compare.py), and prints one markdown table
per chunk size: each part's time per chunk and per mini-batch of 64 runs, its share of
the batch, GFLOP/s at its flops per connection and run (forward 2, backward 4 = 2 for
p and 2 for Δw; 6 for the whole batch), the % of sgemm, and the memory traffic of the
gathers: rows of runs (chunk x 4 bytes) read or written per connection and their GB/s, the
measure of how close a part is to the rate at which random rows come from the caches (the
gathers alone are that rate: nothing but loads and one FMA each). A batch is what the Trainer
does on one thread: 64 / C chunks of back_propagate, (64 / C - 1) reductions of one
buffer into another, one update. Asserts nothing.

  /usr/bin/python3 bench/w3_breakdown.py --build build/release [--min-time 0.3] [--tables 32/0,32/1,64/0]
"""
import argparse, json, os, subprocess, sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from compare import best_coretype, measure_sgemm  # noqa: E402

BATCH = 64
CONNECTIONS = (2000 + 10) * 32  # W3: 2000 tanh hidden and 10 outputs, fan-in 32 each (WORKLOADS.md)


def run_bench(exe, min_time, repetitions):
    filt = "(Propagate/w3/(32|64)|BackPropagate/w3/(32|64)|W3Phase/.*)$"
    cmd = [exe, "--benchmark_filter=" + filt, "--benchmark_format=json",
           "--benchmark_min_time=%g" % min_time, "--benchmark_repetitions=%d" % repetitions,
           "--benchmark_report_aggregates_only=true"]
    p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    if p.returncode != 0:
        sys.exit("w3_breakdown: %s failed:\n%s" % (" ".join(cmd), p.stderr[-2000:]))
    times = {}  # name -> median CPU time per iteration, µs; "rows" -> rows per connection
    for b in json.loads(p.stdout)["benchmarks"]:
        if b.get("aggregate_name", "median") != "median" and repetitions > 1:
            continue
        name = b.get("run_name", b["name"])
        scale = {"ns": 1e-3, "us": 1.0, "ms": 1e3}[b["time_unit"]]
        times[name] = b["cpu_time"] * scale
        if name.startswith("W3Phase/backward_p/"):
            times["rows"] = b["rows"]
    return times


def table(times, chunk, nv, sgemm, connections):
    """The parts of chunks of `chunk` runs; the W3Phase copies with tiles of nv vectors
    (0: as block.cpp tiles, all of up to 64 lanes in one tile; 1: one vector each)."""
    t = lambda part: times["%s/%d" % (part, chunk) + ("/%d" % nv if "Phase" in part else "")]
    n = BATCH // chunk
    batch = n * t("BackPropagate/w3") + (n - 1) * t("W3Phase/reduce") + t("W3Phase/update")
    backward = t("BackPropagate/w3") - t("Propagate/w3")
    # Rows of runs the backward moves per connection: one (p_i) where the source pulls
    # p, three (y_j, and p_j read and written) where the unit pushes (micro_bench's count).
    back_rows = times["rows"]
    # (label, µs per chunk, chunks per batch, flops per connection and run, rows of runs
    # moved per connection: a read of y_j or p_j is one, p_j <- p_j + ... two)
    rows = [("back_propagate (whole chunk)", t("BackPropagate/w3"), n, 6, 1 + back_rows),
            ("&nbsp; propagate", t("Propagate/w3"), n, 2, 1),
            ("&nbsp; &nbsp; gathers x = Σ w y (alone)", t("W3Phase/gathers"), n, 2, 1),
            ("&nbsp; &nbsp; activation y, v = f, f' (alone)", t("W3Phase/activation"), n, 0, 0),
            ("&nbsp; backward (back_propagate − propagate)", backward, n, 4, back_rows),
            ("&nbsp; &nbsp; p by eq. (14) (alone)", t("W3Phase/backward_p"), n, 2, back_rows),
            ("&nbsp; &nbsp; Δw_ij += Σ_r p_i y_j (alone)", t("W3Phase/backward_dw"), n, 2, 1),
            ("reduce a buffer into another", t("W3Phase/reduce"), n - 1, 0, 0),
            ("update (SGD + finiteness)", t("W3Phase/update"), 1, 0, 0)]
    print("\nchunk %d runs, %d chunk(s) per batch of %d, the parts alone in tiles of %s: "
          "%.1f µs per batch, %.0f samples/s, %.2f GFLOP/s (%.1f %% of sgemm %.0f GFLOP/s)" % (
              chunk, n, BATCH, "%d vector(s)" % nv if nv else "up to 4 vectors", batch, BATCH / batch * 1e6,
              6 * connections * BATCH / batch / 1e3, 600 * connections * BATCH / batch / 1e3 / sgemm
              if sgemm else float("nan"), sgemm or float("nan")))
    print("| part | µs per chunk | µs per batch | share of batch | flops/conn/run | GFLOP/s "
          "| % of sgemm | rows/conn | GB/s of rows |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    row_bytes = chunk * 4  # one unit's float values of the chunk's runs (chunk is a multiple of 16)
    for label, us, times_per_batch, flops, moved in rows:
        gf = flops * connections * chunk / us / 1e3 if flops else None
        gbs = moved * row_bytes * connections / us / 1e3 if moved else None
        print("| %s | %.1f | %.1f | %.1f %% | %s | %s | %s | %s | %s |" % (
            label, us, us * times_per_batch, 100 * us * times_per_batch / batch,
            flops or "-", "%.2f" % gf if gf else "-",
            "%.1f %%" % (100 * gf / sgemm) if gf and sgemm else "-",
            "%.2f" % moved if moved else "-", "%.1f" % gbs if gbs else "-"))

def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--build", default="build/release")
    p.add_argument("--min-time", type=float, default=0.3, help="seconds per benchmark")
    p.add_argument("--repetitions", type=int, default=3, help="medians over this many")
    p.add_argument("--tables", default="32/0,32/1,64/0",
                   help="chunk/vectors per tile of the parts (0: as block.cpp)")
    p.add_argument("--python", default="/usr/bin/python3")
    p.add_argument("--no-sgemm", action="store_true")
    a = p.parse_args()
    exe = os.path.join(os.path.dirname(HERE), a.build, "bench", "micro_bench")
    if not a.no_sgemm:
        best_coretype(a.python)
    sgemm = None if a.no_sgemm else measure_sgemm(a.python, 1)
    times = run_bench(exe, a.min_time, a.repetitions)
    for spec in a.tables.split(","):
        chunk, nv = map(int, spec.split("/"))
        table(times, chunk, nv, sgemm, CONNECTIONS)


if __name__ == "__main__":
    main()
