#!/usr/bin/env python3
"""geneft against PyTorch eager on the same models, data sizes and steps, in one run.

For each case: µs per training step in geneft (single-threaded) and in a PyTorch eager
reference written the way researchers write it (torch.set_num_threads(1), one optimizer with
encoder and decoder parameter groups), their ratio, FLOPs per step counted from the shapes,
and, from build/gemm_shapes in the same run, how geneft's step compares with the best measured
kernel (Eigen, OpenBLAS or libxsmm, whichever is fastest per product) for the products its step
computes, and with the machine's GEMM peak. Also sweep throughput with --jobs 1 and 2, peak
memory, store size per run, and (--figure-sweep) the wall and CPU time of a 128-run sweep.
Writes bench/RESULTS.md and prints the table.

usage: bench/perf_bench.py [--geneft build/geneft] [--quick] [--only KEY] [--figure-sweep [--baseline OLD_GENEFT]]
"""
import argparse
import datetime
import os
import platform
import re
import statistics
import subprocess
import sys
import tempfile
import time

import torch

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

# name, config (TOML), steps for geneft, steps for torch, targets (ratio)
CASES = [
    ("1. Liu toy: p=10 add, d=1, sum, 200-200 tanh, MSE, 45 samples", "liu", 12.0, """
[task]
kind = "plain_add"
p = 10
train_count = 45
[model]
embed_dim = 1
combiner = "sum"
width = 200
depth = 2
activation = "tanh"
head = "mse"
target_dim = 30
[optim]
kind = "adamw"
encoder_lr = 1e-3
decoder_lr = 1e-4
""", 4000, 1000),
    ("2. GenEFT relation: n=30, d=2, concat, 3x50 tanh, binary, 30%", "relation", 12.0, """
[task]
kind = "rel_equiv"
n = 30
k = 3
train_fraction = 0.3
[model]
embed_dim = 2
combiner = "concat"
width = 50
depth = 3
activation = "tanh"
head = "binary"
[optim]
kind = "adam"
""", 8000, 2000),
    ("3. Mod-add MLP: p=59, d=32, concat, 2x128 relu, CE, 50%", "modadd", 4.0, """
[task]
kind = "mod_add"
p = 59
train_fraction = 0.5
[model]
embed_dim = 32
embed_init = "normal"
combiner = "concat"
width = 128
depth = 2
activation = "relu"
head = "cross_entropy"
[optim]
kind = "adamw"
encoder_wd = 1.0
decoder_wd = 1.0
""", 1500, 300),
    ("4. Larger: p=113, d=128, concat, 512 wide, CE, 30%", "large", 5.0, """
[task]
kind = "mod_add"
p = 113
train_fraction = 0.3
[model]
embed_dim = 128
embed_init = "normal"
combiner = "concat"
width = 512
depth = 1
activation = "relu"
head = "cross_entropy"
[optim]
kind = "adamw"
encoder_wd = 1.0
decoder_wd = 1.0
""", 150, 40),
    ("5. Transformer: p=113, Nanda et al. 2023, d_model 128, 4x32 heads, MLP 512, 30%", "transformer", 4.0, """
[task]
kind = "mod_add"
p = 113
train_fraction = 0.3
[model]
arch = "transformer"
d_model = 128
n_heads = 4
d_head = 32
d_mlp = 512
[optim]
kind = "adamw"
encoder_wd = 1.0
decoder_wd = 1.0
beta1 = 0.9
beta2 = 0.98
warmup_steps = 10
""", 60, 20),
]


def parse_toml_min(text):
    """The few keys the reference needs from a case's TOML (flat, simple values)."""
    out, section = {}, ""
    for line in text.splitlines():
        line = line.split("#")[0].strip()
        if not line:
            continue
        if line.startswith("["):
            section = line.strip("[]")
            continue
        k, v = (s.strip() for s in line.split("=", 1))
        out[f"{section}.{k}"] = v.strip('"')
    return out


def dataset(cfg):
    kind = cfg["task.kind"]
    if kind == "plain_add":
        p = int(cfg["task.p"])
        pairs = [(a, b, a + b) for a in range(p) for b in range(a, p)]
        classes = 2 * p - 1
    elif kind == "mod_add":
        p = int(cfg["task.p"])
        pairs = [(a, b, (a + b) % p) for a in range(p) for b in range(p)]
        classes = p
    else:
        n, k = int(cfg["task.n"]), int(cfg["task.k"])
        pairs = [(a, b, int(a % k == b % k)) for a in range(n) for b in range(n)]
        p, classes = n, 2
    g = torch.Generator().manual_seed(0)
    perm = torch.randperm(len(pairs), generator=g)
    m = int(cfg["task.train_count"]) if "task.train_count" in cfg else round(float(cfg["task.train_fraction"]) * len(pairs))
    idx = perm[:m]
    t = torch.tensor(pairs)[idx]
    return p, classes, t[:, 0], t[:, 1], t[:, 2]


def transformer_step_fn(cfg):
    """Nanda et al. 2023's one-layer transformer in PyTorch eager, as their code writes it
    (einsums over all three positions, causal mask, loss at the last position)."""
    p, classes, a, b, y = dataset(cfg)
    d, H, dh, M = (int(cfg[k]) for k in ("model.d_model", "model.n_heads", "model.d_head", "model.d_mlp"))
    n = lambda *shape, fan: torch.nn.Parameter(torch.randn(*shape) / fan ** 0.5)
    W_E, W_pos = n(p + 1, d, fan=d), n(3, d, fan=d)
    W_Q, W_K, W_V, W_O = n(H, dh, d, fan=d), n(H, dh, d, fan=d), n(H, dh, d, fan=d), n(d, H * dh, fan=d)
    W_in, b_in, W_out, b_out = n(M, d, fan=d), torch.nn.Parameter(torch.zeros(M)), n(d, M, fan=d), torch.nn.Parameter(torch.zeros(d))
    W_U = n(d, classes, fan=p + 1)
    mask = torch.tril(torch.ones(3, 3))
    tok = torch.stack([a, b, torch.full_like(a, p)], dim=1)
    groups = [{"params": [W_E, W_pos], "weight_decay": 1.0},
              {"params": [W_Q, W_K, W_V, W_O, W_in, b_in, W_out, b_out, W_U], "weight_decay": 1.0}]
    opt = torch.optim.AdamW(groups, lr=1e-3, betas=(0.9, 0.98))
    sched = torch.optim.lr_scheduler.LambdaLR(opt, lambda s: min(s / 10, 1))

    def step():
        opt.zero_grad()
        x = W_E[tok] + W_pos
        k = torch.einsum("ihd,bpd->biph", W_K, x)
        q = torch.einsum("ihd,bpd->biph", W_Q, x)
        v = torch.einsum("ihd,bpd->biph", W_V, x)
        scores = torch.einsum("biph,biqh->biqp", k, q) / dh ** 0.5
        att = torch.softmax(torch.tril(scores) - 1e10 * (1 - mask), dim=-1)
        z = torch.einsum("biph,biqp->biqh", v, att)
        x = x + torch.einsum("df,bqf->bqd", W_O, z.permute(0, 2, 1, 3).reshape(len(y), 3, H * dh))
        x = x + torch.einsum("dm,bpm->bpd", W_out, torch.relu(torch.einsum("md,bpd->bpm", W_in, x) + b_in)) + b_out
        loss = torch.nn.functional.cross_entropy((x @ W_U)[:, -1], y)
        loss.backward()
        opt.step()
        sched.step()

    B = len(y)
    # forward 2*in*out per product and position that geneft computes (Q, W_O, MLP, unembedding at
    # the last position; K, V at all three), times 3 for forward and backward
    flops = 3 * 2 * B * (3 * 2 * d * H * dh + 2 * d * H * dh + 2 * d * M + d * classes)
    return step, flops, B


def reference_step_fn(cfg):
    """The PyTorch eager model, loss and optimizer of a case; returns (step function, FLOPs/step)."""
    if cfg.get("model.arch") == "transformer":
        return transformer_step_fn(cfg)
    V, classes, a, b, y = dataset(cfg)
    d, width, depth = int(cfg["model.embed_dim"]), int(cfg["model.width"]), int(cfg["model.depth"])
    comb = cfg["model.combiner"]
    head = cfg["model.head"]
    out_dim = {"mse": int(cfg.get("model.target_dim", 30)), "binary": 1}.get(head, classes)
    act = {"tanh": torch.nn.Tanh, "relu": torch.nn.ReLU}[cfg["model.activation"]]
    E = torch.nn.Parameter(torch.rand(V, d) - 0.5)
    layers, fan_in = [], 2 * d if comb == "concat" else d
    dims = []
    for _ in range(depth):
        layers += [torch.nn.Linear(fan_in, width), act()]
        dims.append((fan_in, width))
        fan_in = width
    layers.append(torch.nn.Linear(fan_in, out_dim))
    dims.append((fan_in, out_dim))
    net = torch.nn.Sequential(*layers)
    targets = torch.randn(classes, out_dim)
    kind = cfg["optim.kind"]
    groups = [{"params": [E], "weight_decay": float(cfg.get("optim.encoder_wd", 0))},
              {"params": list(net.parameters()), "weight_decay": float(cfg.get("optim.decoder_wd", 0))}]
    opt = (torch.optim.AdamW if kind == "adamw" else torch.optim.Adam)(groups, lr=1e-3)
    yf = y.float()

    def step():
        opt.zero_grad()
        x = torch.cat([E[a], E[b]], dim=1) if comb == "concat" else E[a] + E[b]
        out = net(x)
        if head == "mse":
            loss = ((out - targets[y]) ** 2).mean()
        elif head == "binary":
            loss = torch.nn.functional.binary_cross_entropy_with_logits(out[:, 0], yf)
        else:
            loss = torch.nn.functional.cross_entropy(out, y)
        loss.backward()
        opt.step()

    B = len(y)
    flops = sum(6 * B * i * o for i, o in dims)  # forward 2BIO, backward 4BIO per Linear
    return step, flops, B


def time_torch(cfg, steps):
    step, flops, B = reference_step_fn(cfg)
    for _ in range(max(3, steps // 20)):
        step()
    t0 = time.process_time()
    for _ in range(steps):
        step()
    return (time.process_time() - t0) / steps * 1e6, flops, B


def run_with_rss(cmd):
    """Runs a geneft command; returns (stdout, its peak resident memory in MiB as it reports it)."""
    p = subprocess.run(cmd, capture_output=True, text=True)
    if p.returncode != 0:
        sys.exit(f"failed: {' '.join(cmd)}\n{p.stdout}\n{p.stderr}")
    return p.stdout, float(re.search(r"^memory\s+([0-9.]+) MiB", p.stdout, re.M).group(1))


def time_geneft(geneft, toml_text, steps, work):
    cfg_path = os.path.join(work, "case.toml")
    with open(cfg_path, "w") as f:
        f.write(toml_text)
    before = os.times()
    out, rss = run_with_rss([geneft, "train", cfg_path, "--db", os.path.join(work, "bench.db"), "--force", "-q",
                             "--set", f"train.steps={steps}", "--set", f"train.eval_every={steps}",
                             "--set", "train.store_embeddings=false"])
    after = os.times()
    # CPU time of the whole run (start-up and two evaluations included), as for the peer
    secs = (after.children_user - before.children_user) + (after.children_system - before.children_system)
    return secs / steps * 1e6, rss


def sweep_throughput(geneft, work):
    sweep = os.path.join(work, "sweep.toml")
    with open(sweep, "w") as f:
        f.write(f"""[sweep]
name = "bench"
base = "{os.path.join(ROOT, 'examples', 'liu2022-toy.toml')}"
seeds = 8
[[sweep.axis]]
key = "optim.encoder_lr"
log_range = [1e-3, 1e-2, 4]
[train]
steps = 5000
eval_every = 100
""")
    rows = {}
    for jobs in (1, 2):
        db = os.path.join(work, f"sweep{jobs}.db")
        t0 = time.perf_counter()
        _, rss = run_with_rss([geneft, "sweep", sweep, "--db", db, "--jobs", str(jobs), "-q"])
        rows[jobs] = (time.perf_counter() - t0, rss, os.path.getsize(db))
    return rows


def best_kernels(build, repeat=1):
    """build/gemm_shapes --csv, run `repeat` times: per case key, (FLOPs of the products geneft's
    step computes, µs of the best measured kernel for each of them, summed), float32; the least
    over the runs (each run's figure is already the least of many calls)."""
    rows = {}
    for _ in range(repeat):
        out = subprocess.check_output([os.path.join(build, "gemm_shapes"), "--csv"], text=True)
        print(out, flush=True)
        for line in out.splitlines()[1:]:
            key, dtype, flops, best_us, _ = line.split(",")
            if dtype == "float32":
                prev = rows.get(key, (0, float("inf")))[1]
                rows[key] = (float(flops), min(prev, float(best_us)))
    return rows


def load():
    return open("/proc/loadavg").read().split()[0]


def figure_sweep(geneft, work):
    """Wall and CPU seconds (children's user + system) of the Fig. 5 learning-rate sweep, 128 runs."""
    db = os.path.join(work, f"fig5-{os.getpid()}-{time.monotonic_ns()}.db")
    before, t0, l0 = os.times(), time.perf_counter(), load()
    subprocess.run([geneft, "sweep", os.path.join(ROOT, "examples", "liu2022-fig5-lr.toml"), "--jobs", "2",
                    "--db", db, "-q"], check=True, capture_output=True)
    after = os.times()
    cpu = (after.children_user - before.children_user) + (after.children_system - before.children_system)
    return time.perf_counter() - t0, cpu, l0, load()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--geneft", default=os.path.join(ROOT, "build", "geneft"))
    ap.add_argument("--quick", action="store_true", help="fewer steps (a smoke test, numbers are rougher)")
    ap.add_argument("--only", help="run only the case with this key (liu, relation, modadd, large, transformer); "
                    "prints its row, writes nothing")
    ap.add_argument("--repeat", type=int, default=1,
                    help="time each case this many times, geneft and PyTorch alternated, and report the medians "
                    "(the shared machine's speed drifts by tens of percent between minutes)")
    ap.add_argument("--figure-sweep", action="store_true",
                    help="also time `geneft sweep examples/liu2022-fig5-lr.toml --jobs 2` (128 runs)")
    ap.add_argument("--baseline", help="with --figure-sweep: the same sweep with this (older) geneft, for before/after")
    args = ap.parse_args()
    if args.repeat < 1:
        ap.error(f"--repeat {args.repeat}: must be at least 1")
    torch.set_num_threads(1)
    os.environ["OPENBLAS_NUM_THREADS"] = "1"
    scale = 0.2 if args.quick else 1.0
    build = os.path.dirname(args.geneft)
    kernels = best_kernels(build, args.repeat)
    # the machine's GEMM peak: Eigen on 1024² or the best small-kernel rate, whichever is higher
    peak = max([float(subprocess.check_output([os.path.join(build, "gemm_peak")]).strip())] +
               [f / us / 1e3 for f, us in kernels.values()])
    # the core's FMA throughput: no product of any library passes it (the roofline's compute roof)
    fma = float(subprocess.check_output([os.path.join(build, "gemm_peak"), "--fma"]).strip())
    cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), platform.processor())

    lines = [f"# geneft benchmarks\n",
             f"{datetime.date.today()} · {cpu} · {os.cpu_count()} cores · torch {torch.__version__} (1 thread) · "
             f"single-core float GEMM peak {peak:.1f} GFLOP/s (the higher of Eigen on 1024², `build/gemm_peak`, "
             f"and the best small-kernel rate of `build/gemm_shapes`) · FMA peak {fma:.1f} GFLOP/s (`build/gemm_peak --fma`: "
             f"independent fused multiply-adds on registers) · load average {load()} at the start\n",
             f"Command: `bench/perf_bench.sh{f' --repeat {args.repeat}' if args.repeat > 1 else ''}`"
             f"{f' (each case timed {args.repeat} times, geneft and PyTorch alternated: the medians of the step times and of the speed-ups; best kernel: the least of {args.repeat} runs of gemm_shapes)' if args.repeat > 1 else ''}. "
             "*FLOPs/step* counts the Linear layers of the plain computation "
             "(6·B·in·out each: forward and both backward products), what PyTorch computes; *computed* is what "
             "geneft's step computes (its first layer per symbol: V rows instead of B), and *per-symbol saving* "
             "their ratio, an effective speed-up that no kernel gives. *GFLOP/s* and *% of GEMM peak* count the "
             "computed FLOPs, so they cannot exceed the machine. *% of best kernel* is the time the best "
             "measured kernel per product (`build/gemm_shapes`: Eigen, OpenBLAS or libxsmm, least CPU time of "
             "many calls) needs for the step's products, over geneft's whole step. Steps are timed in CPU time "
             "(geneft: the whole `geneft train` process, start-up and two evaluations included; PyTorch: the "
             "process's CPU time over its steps): the machine is shared, and CPU time is what other processes "
             "inflate least. The two *bound* columns are the highest speed-up a step computing these FLOPs could "
             "reach: PyTorch's step over the best kernels' time for its products alone, and over its computed "
             "FLOPs at the FMA peak (every multiply-add at the core's limit, nothing else in the step).\n",
             "| case | batch | FLOPs/step | computed | PyTorch µs/step | geneft µs/step | speed-up | target | "
             "geneft GFLOP/s | % of GEMM peak | best kernel µs | % of best kernel | per-symbol saving | geneft peak RSS | "
             "bound: best kernel | bound: FMA peak |",
             "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|"]
    with tempfile.TemporaryDirectory() as work:
        for name, key, target, toml_text, g_steps, t_steps in CASES:
            if args.only and key != args.only:
                continue
            cfg = parse_toml_min(toml_text)
            runs = []
            for _ in range(args.repeat):
                g_us, rss_run = time_geneft(args.geneft, toml_text, max(10, int(g_steps * scale)), work)
                t_us, flops, B = time_torch(cfg, max(5, int(t_steps * scale)))
                runs.append((g_us, t_us, rss_run))
            g_us, t_us = (statistics.median(r[i] for r in runs) for i in (0, 1))
            rss = max(r[2] for r in runs)
            computed, best_us = kernels[key]
            gflops = computed / g_us / 1e3
            lines.append(f"| {name} | {B} | {flops / 1e6:.1f} M | {computed / 1e6:.1f} M | {t_us:.0f} | {g_us:.0f} | "
                         f"{statistics.median(t / g for g, t, _ in runs):.1f}x | ≥ {target:g}x | {gflops:.1f} | {100 * gflops / peak:.0f}% | "
                         f"{best_us:.0f} | {100 * best_us / g_us:.0f}% | {flops / computed:.2f}x | {rss:.0f} MiB | "
                         f"{t_us / best_us:.1f}x | {t_us / (computed / fma / 1e3):.1f}x |")
            print(lines[-1], flush=True)
        if args.only:
            return
        sweeps = sweep_throughput(args.geneft, work)
        figure = {}
        if args.figure_sweep:
            for label, binary in ([("before", args.baseline)] if args.baseline else []) + [("geneft", args.geneft)]:
                figure[label] = figure_sweep(binary, work)
    t1 = sweeps[1][0]
    lines += ["", "Sweep throughput: 32 runs of the Liu toy × 5000 steps (`geneft sweep --jobs N`).", "",
              "| jobs | wall (s) | runs/s | speed-up | peak RSS | store size |", "|---|---|---|---|---|---|"]
    for jobs, (wall, rss, size) in sweeps.items():
        lines.append(f"| {jobs} | {wall:.1f} | {32 / wall:.2f} | {t1 / wall:.2f}x | {rss:.0f} MiB | {size / 1024:.0f} KiB |")
    if figure:
        lines += ["", "Time to a figure: `geneft sweep examples/liu2022-fig5-lr.toml --jobs 2` (128 runs × 5000 steps), "
                  "wall and CPU time (user + system of the sweep; less affected by the machine's load).", "",
                  "| binary | wall (s) | CPU (s) | load average at start, end |", "|---|---|---|---|"]
        for label, (wall, cpu, l0, l1) in figure.items():
            lines.append(f"| {label} | {wall:.1f} | {cpu:.1f} | {l0}, {l1} |")
    per_run = sweeps[2][2] / 32
    lines += ["", f"Store size: {per_run / 1024:.1f} KiB per run with 51 evaluations and embeddings, so a 10,000-run "
              f"sweep of such runs is about {per_run * 10000 / 2**20:.0f} MiB (curves grow with evaluations per run; "
              "`train.store_embeddings = false` leaves out the embeddings)."]
    text = "\n".join(lines) + "\n"
    print("\n".join(lines[-12:]))
    if not args.quick:
        with open(os.path.join(ROOT, "bench", "RESULTS.md"), "w") as f:
            f.write(text)
        print("wrote bench/RESULTS.md")
        subprocess.run([sys.executable, os.path.join(ROOT, "bench", "quote_results.py")], check=True)
        print("quoted it in README.md")


if __name__ == "__main__":
    main()
