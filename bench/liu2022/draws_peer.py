#!/usr/bin/env python3
"""Runs of the Liu et al. 2022 toy drawn by PyTorch the way the authors' code draws them, beside
geneft's own draws, compared as distributions (Fisher's exact test, Kolmogorov-Smirnov).

Parity tests replay geneft's initial weights, so they cannot see a difference in how runs are
drawn; this can. The peer draws everything from its own seed in the order of the authors'
toy/train_add.py (ejmichaud/grokking-squared), written here from its description:
numpy: 30-d targets N(0, 1) for the 19 sums, then the 45 training pairs of 55 without
replacement; torch: embeddings U(-1/2, 1/2), then the three Linear layers (PyTorch's default
init); AdamW per group with weight decay 0; full batch MSE in float32. It evaluates every
`eval_every` steps and stops as geneft does (draws.toml): at the budget, or once train and test
accuracy are both >= 0.9 at one evaluation.

usage: draws_peer.py GENEFT_EXPORT.csv [--seeds 30] [--out peer.csv]
  GENEFT_EXPORT.csv: `geneft export DB --sweep liu2022-draws` (its cells and settings are
  bench/liu2022/draws.toml's, repeated here as the defaults).
       draws_peer.py - --encoder-lr 1e-3 --decoder-lr 2.1544e-5 --steps 10000 --seeds 4
  "-": the peer's draws alone, one line per seed (any cell, any budget).
"""
import argparse
import csv
import sys
import time

import numpy as np
import torch
from scipy import stats

P, TARGET_DIM, WIDTH, TRAIN = 10, 30, 200, 45
ENCODER_LR, STEPS, EVAL_EVERY, THRESHOLD, DELTA = 1e-2, 3000, 10, 0.9, 2000
DECODER_LRS = [0.0004641588833612782, 0.0021544346900318843]
GENERALIZING = ("comprehension", "grokking")


def draw_run(seed, decoder_lr):
    np.random.seed(seed)
    torch.manual_seed(seed)
    targets = torch.tensor(np.random.normal(0, 1, size=(2 * P - 1, TARGET_DIM)), dtype=torch.float32)
    pairs = np.array([(i, j) for i in range(P) for j in range(i, P)])
    train = np.random.choice(len(pairs), TRAIN, replace=False)
    test = np.array(sorted(set(range(len(pairs))) - set(train)))
    emb = torch.nn.Parameter(torch.rand(P, 1) - 0.5)
    dec = torch.nn.Sequential(torch.nn.Linear(1, WIDTH), torch.nn.Tanh(), torch.nn.Linear(WIDTH, WIDTH),
                              torch.nn.Tanh(), torch.nn.Linear(WIDTH, TARGET_DIM))
    opt_enc = torch.optim.AdamW([emb], lr=ENCODER_LR, weight_decay=0.0)
    opt_dec = torch.optim.AdamW(dec.parameters(), lr=decoder_lr, betas=(0.9, 0.999), weight_decay=0.0)
    a = {k: torch.tensor(pairs[idx, 0]) for k, idx in (("train", train), ("test", test))}
    b = {k: torch.tensor(pairs[idx, 1]) for k, idx in (("train", train), ("test", test))}
    label = {k: torch.tensor(pairs[idx].sum(1)) for k, idx in (("train", train), ("test", test))}

    def accuracy(k):
        with torch.no_grad():
            out = dec(emb[a[k]] + emb[b[k]])
            nearest = torch.cdist(out, targets).argmin(1)  # nearest target predicts (Liu et al. 2022)
            return (nearest == label[k]).double().mean().item()

    t_train = t_test = None
    for step in range(STEPS + 1):
        if step % EVAL_EVERY == 0 or step == STEPS:
            tr, te = accuracy("train"), accuracy("test")
            t_train = step if t_train is None and tr >= THRESHOLD else t_train
            t_test = step if t_test is None and te >= THRESHOLD else t_test
            if tr >= THRESHOLD and te >= THRESHOLD:
                break
        if step == STEPS:
            break
        opt_enc.zero_grad()
        opt_dec.zero_grad()
        loss = ((dec(emb[a["train"]] + emb[b["train"]]) - targets[label["train"]]) ** 2).mean()
        loss.backward()
        opt_enc.step()
        opt_dec.step()
    return t_train, t_test


def phase(t_train, t_test):
    if t_train is None:
        return "confusion"
    if t_test is None:
        return "memorization"
    return "grokking" if t_test - t_train > DELTA else "comprehension"


def read_geneft(path):
    with open(path, newline="") as f:
        rows = list(csv.DictReader(f))
    for col in ("optim.decoder_lr", "phase", "t_train"):
        if not rows or col not in rows[0]:
            sys.exit(f"draws_peer.py: {path}: no column '{col}' (is it `geneft export --sweep liu2022-draws`?)")
    cells = {lr: [r for r in rows if abs(float(r["optim.decoder_lr"]) / lr - 1) < 1e-6] for lr in DECODER_LRS}
    return cells


def main():
    global ENCODER_LR, STEPS, DECODER_LRS
    ap = argparse.ArgumentParser()
    ap.add_argument("geneft")
    ap.add_argument("--seeds", type=int, default=30)
    ap.add_argument("--out", default="")
    ap.add_argument("--encoder-lr", type=float, default=ENCODER_LR)
    ap.add_argument("--decoder-lr", type=float, action="append")
    ap.add_argument("--steps", type=int, default=STEPS)
    ap.add_argument("--from", dest="peer_csv", default="", help="the peer's draws from an earlier --out, not drawn again")
    a = ap.parse_args()
    ENCODER_LR, STEPS, DECODER_LRS = a.encoder_lr, a.steps, a.decoder_lr or DECODER_LRS
    torch.set_num_threads(1)
    if a.geneft == "-":
        for lr in DECODER_LRS:
            for seed in range(a.seeds):
                tr, te = draw_run(seed, lr)
                print(f"encoder lr {ENCODER_LR:g} decoder lr {lr:g} seed {seed}: t_train {tr} t_test {te} "
                      f"{phase(tr, te)}", flush=True)
        return
    geneft = read_geneft(a.geneft)
    peer_rows = []
    t0 = time.time()
    if a.peer_csv:
        with open(a.peer_csv, newline="") as f:
            peer_rows = [dict(r, **{"optim.decoder_lr": float(r["optim.decoder_lr"])}) for r in csv.DictReader(f)]
    for lr in DECODER_LRS if not a.peer_csv else []:
        for seed in range(a.seeds):
            tr, te = draw_run(seed, lr)
            peer_rows.append({"optim.decoder_lr": lr, "seed": seed, "phase": phase(tr, te),
                              "t_train": "" if tr is None else tr, "t_test": "" if te is None else te})
    wall = time.time() - t0
    if a.out:
        with open(a.out, "w", newline="") as f:
            w = csv.DictWriter(f, fieldnames=list(peer_rows[0]))
            w.writeheader()
            w.writerows(peer_rows)

    print(f"encoder lr {ENCODER_LR:g}, budget {STEPS} steps, eval every {EVAL_EVERY}, {a.seeds} peer seeds per cell "
          f"(peer wall {wall:.0f} s)\n")
    print("| decoder lr | runs geneft / peer | phases geneft | phases peer | Fisher p (generalizing) "
          "| t_train median geneft / peer | KS p (t_train) | test first geneft / peer |")
    print("|---|---|---|---|---|---|---|---|")
    for lr in DECODER_LRS:
        ours = geneft[lr]
        peer = [r for r in peer_rows if r["optim.decoder_lr"] == lr]
        count = lambda rows: {p: sum(r["phase"] == p for r in rows) for p in
                              ("comprehension", "grokking", "memorization", "confusion")}
        gen = lambda rows: sum(r["phase"] in GENERALIZING for r in rows)
        table = [[gen(ours), len(ours) - gen(ours)], [gen(peer), len(peer) - gen(peer)]]
        fisher_p = stats.fisher_exact(table)[1]
        tt = lambda rows: [float(r["t_train"]) for r in rows if r["t_train"] != ""]
        ks_p = stats.ks_2samp(tt(ours), tt(peer)).pvalue if tt(ours) and tt(peer) else float("nan")
        show = lambda c: ", ".join(f"{k[0].upper()} {v}" for k, v in c.items() if v)
        # runs that pass test 0.9 strictly before train 0.9, of those that pass both
        both = lambda rows: [r for r in rows if r["t_train"] != "" and r["t_test"] != ""]
        first = lambda rows: f"{sum(float(r['t_test']) < float(r['t_train']) for r in both(rows))}/{len(both(rows))}"
        print(f"| {lr:.3g} | {len(ours)} / {len(peer)} | {show(count(ours))} | {show(count(peer))} | {fisher_p:.3g} "
              f"| {np.median(tt(ours)):.0f} / {np.median(tt(peer)):.0f} | {ks_p:.3g} | {first(ours)} / {first(peer)} |")


if __name__ == "__main__":
    main()
