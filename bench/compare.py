#!/usr/bin/python3
"""Runs dagprop_bench, the PyTorch anchor and the FANN anchor on the workloads of
bench/anchors/WORKLOADS.md, alternating the engines, and prints one markdown table:
samples/s, CUPS, GFLOP/s, ratio to dagprop, fraction of the machine's measured sgemm
rate (1024^3, OpenBLAS, same threads) and peak memory of each child (wait4 ru_maxrss).
It builds nothing but the FANN anchor (cc, into a temporary folder) and asserts nothing.

  /usr/bin/python3 bench/compare.py --workloads w2,w3 --threads 1 --epochs 3
  /usr/bin/python3 bench/compare.py --workloads w1 --epochs 2 --fann none
  /usr/bin/python3 bench/compare.py --workloads w1 --threads 1,2,4,8,16 --batch 256 --chunk 16 \
      --fann none --torch-devices cpu,cuda      # the scaling curve (bench/README.md)
"""
import argparse, json, os, platform, shutil, statistics, subprocess, sys, tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
ANCHORS = os.path.join(HERE, "anchors")
PY = "/usr/bin/python3" if os.access("/usr/bin/python3", os.X_OK) else "python3"

SGEMM_CODE = r"""
import json, sys, time, torch, numpy as np
n, threads = 1024, int(sys.argv[1])
torch.set_num_threads(threads)
def best(f, reps=8):
    f(); ts = []
    for _ in range(reps):
        t0 = time.perf_counter(); f(); ts.append(time.perf_counter() - t0)
    return 2.0 * n ** 3 / min(ts) / 1e9
a, b = torch.rand(n, n), torch.rand(n, n)
an, bn = a.numpy(), b.numpy()
print(json.dumps({"torch": best(lambda: torch.mm(a, b)), "numpy": best(lambda: an @ bn)}))
"""


# OPENBLAS_CORETYPE for PyTorch and the sgemm rate: None (OpenBLAS's own
# choice) unless best_coretype() found that a core type this CPU supports runs
# sgemm faster (OpenBLAS 0.3.21 takes some newer CPUs, such as Intel Xeons of
# model 207, for a "Prescott" and runs SSE3 kernels: 30 instead of 145 GFLOP/s).
CORETYPE = None
# --avx2: PyTorch as on a CPU without AVX-512 (ATen's avx2 kernels as well).
AVX2_ONLY = False


def torch_env(threads, coretype=None):
    """PyTorch at its best (WORKLOADS.md): no forced OpenBLAS core type or L2 size
    (other than the one best_coretype() chose), the same thread count everywhere,
    passive OpenMP waiting with 2+ threads."""
    env = dict(os.environ)
    env.pop("OPENBLAS_CORETYPE", None)
    env.pop("OPENBLAS_L2_SIZE", None)
    coretype = coretype or CORETYPE
    if coretype:
        env["OPENBLAS_CORETYPE"] = coretype
    if AVX2_ONLY:
        env["ATEN_CPU_CAPABILITY"] = "avx2"
    env["OMP_NUM_THREADS"] = env["OPENBLAS_NUM_THREADS"] = str(threads)
    if threads >= 2:
        env["OMP_WAIT_POLICY"] = "PASSIVE"
    return env


AVX2_HELP = ("as on a CPU without AVX-512: PyTorch and the sgemm rate with OpenBLAS's HASWELL "
             "kernels and ATEN_CPU_CAPABILITY=avx2; dagprop from an x86-64-v3 build "
             "(-DDAGPROP_NATIVE=OFF -DCMAKE_CXX_FLAGS=-march=x86-64-v3)")


def hold_to_avx2():
    """--avx2: PyTorch (torch_env) as on a CPU without AVX-512, instead of best_coretype()."""
    global CORETYPE, AVX2_ONLY
    CORETYPE, AVX2_ONLY = "HASWELL", True
    print("OpenBLAS core type: HASWELL, ATEN_CPU_CAPABILITY=avx2 (--avx2)", flush=True)


def best_coretype(python):
    """Sets CORETYPE to the fastest of OpenBLAS's own choice and the core type
    matching this CPU's vector unit (SkylakeX with AVX-512, Haswell with AVX2),
    by sgemm on one thread; prints what it found."""
    global CORETYPE
    flags = next((l for l in open("/proc/cpuinfo") if l.startswith("flags")), "").split()
    candidates = [None] + (["SKYLAKEX"] if "avx512f" in flags else []) + \
        (["HASWELL"] if "avx2" in flags else [])
    rates = {}
    for c in candidates:
        out = subprocess.run([python, "-c", SGEMM_CODE, "1"], env=torch_env(1, c),
                             capture_output=True, text=True)
        if out.returncode == 0:
            r = json.loads(out.stdout.strip().splitlines()[-1])
            rates[c] = max(r["torch"], r["numpy"])
    if not rates:
        return
    best = max(rates, key=rates.get)
    if best and rates[best] > 1.2 * rates.get(None, 0):
        CORETYPE = best
    print("OpenBLAS core type: %s (sgemm on 1 thread: %s)" % (
        CORETYPE or "OpenBLAS's own choice",
        ", ".join("%s %.0f GFLOP/s" % (c or "own choice", v) for c, v in rates.items())),
        flush=True)


def run_child(label, cmd, env=None, echo=True):
    """Runs cmd, echoing its lines; returns (RESULT dict or None, all lines, peak RSS MB)."""
    print("$ " + " ".join(cmd), flush=True)
    p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=env,
                         text=True, cwd=ROOT)
    lines, result = [], None
    for line in p.stdout:
        lines.append(line.rstrip("\n"))
        if echo:
            print("  [%s] %s" % (label, line.rstrip("\n")), flush=True)
        if line.startswith("RESULT "):
            result = json.loads(line[len("RESULT "):])
    p.stdout.close()
    _, status, usage = os.wait4(p.pid, 0)  # this child's own rusage
    p.returncode = os.waitstatus_to_exitcode(status)
    if p.returncode != 0 or result is None:
        print("  [%s] FAILED (exit %d, %s)" % (label, p.returncode,
              "no RESULT line" if result is None else "RESULT printed"), flush=True)
        return None, lines, usage.ru_maxrss / 1024.0
    return result, lines, usage.ru_maxrss / 1024.0


def build_fann(tmp):
    src = os.path.join(ANCHORS, "fann_anchor.c")
    exe = os.path.join(tmp, "fann_anchor")
    for libs in (["-lfloatfann", "-lz", "-lm"], ["-lfann", "-lz", "-lm"]):
        cmd = ["cc", "-O3", "-march=native", "-o", exe, src] + libs
        if subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode == 0:
            print("built FANN anchor: " + " ".join(cmd), flush=True)
            return exe
    print("could not build the FANN anchor (libfann-dev, zlib1g-dev installed?)", flush=True)
    return None


def measure_sgemm(python, threads):
    out = subprocess.run([python, "-c", SGEMM_CODE, str(threads)], env=torch_env(threads),
                         capture_output=True, text=True)
    if out.returncode != 0:
        print("sgemm measurement failed:\n" + out.stderr, flush=True)
        return None
    r = json.loads(out.stdout.strip().splitlines()[-1])
    print("sgemm 1024^3, %d thread(s): torch %.1f GFLOP/s, numpy %.1f GFLOP/s"
          % (threads, r["torch"], r["numpy"]), flush=True)
    return max(r["torch"], r["numpy"])


def last_epoch_value(lines, key):
    """The number after `key` on the last epoch line (torch: last-batch-loss, FANN: MSE)."""
    for line in reversed(lines):
        words = line.split()
        if words and words[0] == "epoch" and key in words:
            return float(words[words.index(key) + 1])
    return None


def quality(engine, workload, res, lines):
    if workload == "w1":
        acc = res.get("test_acc")
        if isinstance(acc, dict) and acc:
            return "acc %.4f" % acc[max(acc, key=int)]
        v = last_epoch_value(lines, "test-acc")
        return "acc %.4f" % v if v is not None else "-"
    if engine == "dagprop":
        return "E %.5f" % res["final_loss"]
    if engine == "torch":
        v = last_epoch_value(lines, "last-batch-loss")
        return "E_last %.5f" % v if v is not None else "-"
    v = last_epoch_value(lines, "MSE")
    return "MSE %.5f" % v if v is not None else "-"


def engine_cmds(a, w, epochs, threads, fann_exe):
    """(engine, label, threads, command, env) for every engine that runs on workload w
    with `threads` threads (FANN, single-threaded, only with the first thread count)."""
    out = []
    cmd = [a.bench, w, "--threads", str(threads), "--epochs", str(epochs)]
    if a.chunk:
        cmd += ["--chunk", str(a.chunk)]
    if a.batch:
        cmd += ["--batch", str(a.batch)]
    if a.fmnist:
        cmd += ["--fmnist", a.fmnist]
    if w == "w1":
        cmd.append("--eval")
    out.append(("dagprop", "dagprop", threads, cmd, None))
    for device in a.torch_devices:
        tcmd = [a.python, os.path.join(ANCHORS, "torch_anchors.py"), w, "--threads", str(threads),
                "--epochs", str(epochs), "--eval", ""]
        if a.batch:
            tcmd += ["--batch", str(a.batch)]
        label = "torch" if device == "cpu" else "torch " + device
        if w == "w3":
            tcmd += ["--variant", a.torch_w3_variant]
            label += " (%s)" % a.torch_w3_variant
        env = torch_env(threads)
        env["ANCHOR_DEVICE"] = device
        if a.fmnist:
            env["FMNIST_DIR"] = os.path.join(a.fmnist, "")
        out.append(("torch", label, threads, tcmd, env))
    if fann_exe and threads == a.threads[0]:
        for algo in a.fann:
            label = "FANN %s" % algo + (" (layered approx.)" if w == "w3" else "")
            out.append(("fann", label, 1, [fann_exe, w, algo, str(epochs)], None))
    return out


def print_scaling(rows):
    """Per workload and engine: samples/s at each thread count and the speed-up over the
    same engine's figure at the smallest thread count measured."""
    print("\nscaling (speed-up over the same engine at the fewest threads measured):")
    print("| workload | engine | threads | samples/s | speed-up | vs dagprop |")
    print("| --- | --- | ---: | ---: | ---: | ---: |")
    first = {}
    for w, label, threads, r in rows:
        if r is None or label.startswith("FANN"):
            continue
        base = first.setdefault((w, label), (threads, r["sps"]))
        print("| %s | %s | %d | %s | %.2f× (of %d) | %.2f |"
              % (w, label, threads, format(round(r["sps"]), ","), r["sps"] / base[1], base[0],
                 r["ratio"]))


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--workloads", default="w1,w2,w3")
    p.add_argument("--threads", default="1", help="a thread count or a list: 1,2,4,8,16")
    p.add_argument("--epochs", type=int, default=3, help="epochs for W2 and W3 (median after the first)")
    p.add_argument("--w1-epochs", type=int, default=2)
    p.add_argument("--repeats", type=int, default=1, help="rounds; the engine order rotates each round")
    p.add_argument("--chunk", type=int, default=0, help="dagprop --chunk (default: its own)")
    p.add_argument("--batch", type=int, default=0, help="mini-batch for every engine (default: the workload's)")
    p.add_argument("--bench", default=None, help="dagprop_bench executable")
    p.add_argument("--fmnist", default=None, help="Fashion-MNIST folder (default: Debian's)")
    p.add_argument("--python", default=PY, help="the python3 that imports torch")
    p.add_argument("--fann", default="incremental", help="incremental,batch or none")
    p.add_argument("--no-torch", action="store_true")
    p.add_argument("--torch-devices", default="cpu", help="cpu, cuda or cpu,cuda")
    p.add_argument("--torch-w3-variant", default="gather", choices=["gather", "dense", "sparse"])
    p.add_argument("--quiet", action="store_true", help="do not echo the children's output")
    p.add_argument("--avx2", action="store_true", help=AVX2_HELP + "; give it as --bench")
    a = p.parse_args()
    a.fann = [] if a.fann == "none" else a.fann.split(",")
    a.torch_devices = [] if a.no_torch else [d for d in a.torch_devices.split(",") if d]
    try:
        a.threads = sorted({int(t) for t in a.threads.split(",")})
    except ValueError:
        sys.exit("compare.py: --threads takes a number or a list like 1,2,4,8,16, got " + a.threads)
    if not a.threads or a.threads[0] < 1:
        sys.exit("compare.py: thread counts must be at least 1")
    if a.bench is None:
        for d in ("build/release", "build-bench", "build"):
            cand = os.path.join(ROOT, d, "bench", "dagprop_bench")
            if os.access(cand, os.X_OK):
                a.bench = cand
                break
    if not a.bench or not os.access(a.bench, os.X_OK):
        sys.exit("compare.py: dagprop_bench not found; build it (ninja dagprop_bench) or pass --bench")

    cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")),
               platform.processor())
    flags = next((l for l in open("/proc/cpuinfo") if l.startswith("flags")), "")
    print("machine: %s, %d cores, %s; python %s" % (cpu, os.cpu_count(),
          "AVX-512" if " avx512f" in flags else "no AVX-512", platform.python_version()), flush=True)
    print("environment: OPENBLAS_CORETYPE=%s OPENBLAS_L2_SIZE=%s (both unset for PyTorch, but for a core type best_coretype chooses)"
          % (os.environ.get("OPENBLAS_CORETYPE"), os.environ.get("OPENBLAS_L2_SIZE")), flush=True)
    if a.avx2:
        hold_to_avx2()
    else:
        best_coretype(a.python)
    sgemm = {t: measure_sgemm(a.python, t) for t in a.threads}

    tmp = tempfile.mkdtemp(prefix="dagprop_compare_")
    try:
        fann_exe = build_fann(tmp) if a.fann else None
        rows = []
        for w in a.workloads.split(","):
            epochs = a.w1_epochs if w == "w1" else a.epochs
            for threads in a.threads:
                rows += measure(a, w, epochs, threads, fann_exe, sgemm)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)

    print()
    print("sgemm 1024^3 (OpenBLAS via torch/numpy, best): "
          + ", ".join("%d thread(s) %.0f GFLOP/s" % (t, g) for t, g in sgemm.items() if g))
    if a.batch:
        print("mini-batch %d for every engine" % a.batch)
    print("| workload | engine | threads | samples/s | MCUPS | GFLOP/s | vs dagprop | % of sgemm "
          "| peak MB | quality |")
    print("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |")
    for w, label, threads, r in rows:
        if r is None:
            print("| %s | %s | %d | failed | | | | | | |" % (w, label, threads))
            continue
        print("| %s | %s | %d | %s | %s | %.2f | %.2f | %.1f%% | %.0f | %s |"
              % (w, label, threads, format(round(r["sps"]), ","), format(round(r["mcups"]), ","),
                 r["gflops"], r["ratio"], 100 * r["frac"], r["rss"], r["quality"]))
    print("\nquality: W1 test accuracy after the last epoch; W2/W3 dagprop: mean E per run over "
          "the last epoch; torch: E of the last mini-batch; FANN: its MSE (mean over outputs).")
    if len(a.threads) > 1:
        print_scaling(rows)


def measure(a, w, epochs, threads, fann_exe, sgemm):
    """Runs every engine on workload w with `threads` threads, a.repeats rounds with the
    engine order rotating; returns the table rows (median samples/s over the rounds)."""
    engines = engine_cmds(a, w, epochs, threads, fann_exe)
    runs = {e[1]: [] for e in engines}
    for rep in range(a.repeats):
        k = rep % len(engines)
        for engine, label, t, cmd, env in engines[k:] + engines[:k]:
            res, lines, rss = run_child(label, cmd, env, echo=not a.quiet)
            if res:
                runs[label].append((res, lines, rss))
    rows, base = [], None
    for engine, label, t, cmd, env in engines:
        if not runs[label]:
            rows.append((w, label, t, None))
            continue
        sps = statistics.median(r[0]["samples_per_s"] for r in runs[label])
        res, lines, _ = runs[label][-1]
        conns = res["connections"]
        gflops = 6 * sps * conns / 1e9
        if engine == "dagprop":
            base = sps
        on_cpu = engine != "torch" or "cuda" not in label
        rows.append((w, label, t, dict(
            sps=sps, mcups=sps * conns / 1e6, gflops=gflops,
            ratio=sps / base if base else float("nan"),
            frac=gflops / sgemm[t] if on_cpu and sgemm.get(t) else float("nan"),
            rss=max(r[2] for r in runs[label]), quality=quality(engine, w, res, lines))))
    return rows


if __name__ == "__main__":
    main()
