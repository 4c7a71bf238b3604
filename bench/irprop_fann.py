#!/usr/bin/python3
"""dagprop's irprop- against FANN 2.2's FANN_TRAIN_RPROP from the same start: builds
bench/irprop_fann.c (cc, into a temporary folder), which makes each problem's network,
seeded weights and data, writes them for dagprop and trains FANN; then imports the
network into dagprop and trains it full batch (--batch above the rows, FANN's way) with
--optimizer irprop- in float on 1 thread, both with the same constants. Prints, per
problem and engine, the first epoch whose MSE reaches the target (the MSE of an epoch is
that of the weights before its update, in both), the training time to it (epoch times
only, no loading) and the MSE after the last epoch run; the MSE of epoch 1 shows that
both start from the same network. Asserts nothing.

With several --seeds (of the initial weights; the data stay) the table gives how many
runs reached the target and the medians over the seeds (epochs and seconds over those
that reached it).

  /usr/bin/python3 bench/irprop_fann.py                      # sincos and parity6, seed 1
  /usr/bin/python3 bench/irprop_fann.py --seeds 1,2,3,4,5 --epochs 2000
  /usr/bin/python3 bench/irprop_fann.py --problems sincos --target 0.002 --epochs 3000
"""
import argparse, csv, json, os, statistics, subprocess, sys, tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
OUTPUTS = 1  # both problems have one output


def run(cmd, cwd):
    p = subprocess.run(cmd, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    if p.returncode != 0:
        sys.exit("failed (%d): %s\n%s" % (p.returncode, " ".join(cmd), p.stdout))
    return p.stdout


def fann(exe, problem, work, epochs, target, seed):
    out = run([exe, problem, work, str(epochs), str(target), str(seed)], work)
    curve = [(int(f[1]), float(f[3]), float(f[5])) for f in
             (line.split() for line in out.splitlines() if line.startswith("epoch "))]
    return curve


def dagprop(cli, work, epochs, repeats):
    """Curve of the fastest of `repeats` runs: (epoch, MSE, cumulative seconds)."""
    run([cli, "import", "net.dot", "-o", "net.dpn"], work)
    best = None
    for _ in range(repeats):
        run([cli, "train", "net.dpn", "--data", "data.csv", "--optimizer", "irprop-",
             "--batch", "16777216", "--epochs", str(epochs), "--precision", "float",
             "--threads", "1", "--log", "log.csv", "-o", "trained.dpn"], work)
        with open(os.path.join(work, "log.csv")) as f:
            rows = list(csv.DictReader(f))
        curve, seconds = [], 0.0
        for r in rows:
            seconds += float(r["seconds"])
            # dagprop's loss is the mean over runs of sum 0.5 (y - t)^2; FANN's MSE is
            # sum (y - t)^2 / (runs * outputs).
            curve.append((int(r["epoch"]), 2 * float(r["loss"]) / OUTPUTS, seconds))
        if best is None or curve[-1][2] < best[-1][2]:
            best = curve
    return best


def summary(curve, target):
    hit = next((c for c in curve if c[1] <= target), None)
    return {"epochs": hit[0] if hit else None, "seconds": hit[2] if hit else None,
            "first_mse": curve[0][1],
            "last_mse": curve[-1][1], "last_epoch": curve[-1][0],
            "ms_per_epoch": 1e3 * curve[-1][2] / curve[-1][0]}


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--problems", default="sincos,parity6")
    ap.add_argument("--target", type=float, default=None,
                    help="MSE to reach (default: sincos 0.001, parity6 0.01)")
    ap.add_argument("--epochs", type=int, default=2000, help="at most this many epochs")
    ap.add_argument("--repeats", type=int, default=3, help="dagprop runs; the fastest counts")
    ap.add_argument("--seeds", default="1", help="seeds of the initial weights, e.g. 1,2,3")
    ap.add_argument("--dagprop", default=os.path.join(ROOT, "build", "release", "tools", "dagprop"))
    a = ap.parse_args()
    defaults = {"sincos": 0.001, "parity6": 0.01}
    with tempfile.TemporaryDirectory() as tmp:
        exe = os.path.join(tmp, "irprop_fann")
        run(["cc", "-O2", "-o", exe, os.path.join(HERE, "irprop_fann.c"), "-lfloatfann", "-lm"], tmp)
        rows = []
        for problem in a.problems.split(","):
            target = a.target if a.target is not None else defaults[problem]
            runs = {}
            for seed in [int(x) for x in a.seeds.split(",")]:
                work = os.path.join(tmp, "%s-%d" % (problem, seed))
                os.mkdir(work)
                # FANN runs all epochs here (target 0): the whole curve, like dagprop's.
                curves = {"FANN 2.2 FANN_TRAIN_RPROP": fann(exe, problem, work, a.epochs, 0.0, seed),
                          "dagprop irprop-": dagprop(a.dagprop, work, a.epochs, a.repeats)}
                starts = [c[0][1] for c in curves.values()]
                if abs(starts[0] - starts[1]) > 1e-5 * abs(starts[0]):
                    print("WARNING: %s seed %d: the epoch-1 MSEs differ (%g, %g): not the same "
                          "start" % (problem, seed, starts[0], starts[1]), flush=True)
                for engine, curve in curves.items():
                    s = summary(curve, target)
                    runs.setdefault(engine, []).append(s)
                    print("RESULT " + json.dumps({"problem": problem, "engine": engine, "seed": seed,
                                                  "target": target, **s}), flush=True)
            rows += [(problem, target, engine, r) for engine, r in runs.items()]
    print("\n| problem | engine | MSE at epoch 1 | MSE target | reached | epochs to target "
          "| seconds to target | MSE after %d epochs | ms per epoch |" % a.epochs)
    print("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    med = statistics.median
    for problem, target, engine, r in rows:
        hit = [s for s in r if s["epochs"]]
        print("| %s | %s | %.6f | %g | %d/%d | %s | %s | %.3g | %.3f |" % (
            problem, engine, med(s["first_mse"] for s in r), target, len(hit), len(r),
            "%g" % med(s["epochs"] for s in hit) if hit else "-",
            "%.3f" % med(s["seconds"] for s in hit) if hit else "-",
            med(s["last_mse"] for s in r), med(s["ms_per_epoch"] for s in r)))


if __name__ == "__main__":
    main()
