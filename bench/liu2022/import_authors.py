#!/usr/bin/env python3
"""Convert the released outcomes of Liu et al. 2022 (arXiv:2205.10343) into small CSV files.

Reads the one-number text files under toy/results/ of the authors' repository
(ejmichaud/grokking-squared) as data, from a git directory at a given commit, and writes
docs/data/liu2022/fig{3,4,5a,5b,5c,5d}.csv. Each CSV starts with '#' lines naming the source.

Their conventions (toy/train_add.py, toy/Figure5.ipynb, toy/Figure5d_permutation.ipynb):
a step is 0-based and recorded after that step's update; a threshold never reached is
recorded as steps - 1 (9999), written here as an empty field. Phases follow their notebook:
both reached and t_test - t_train > delta: grokking (delta 2000 in Fig. 5a, 1000 in 5b-5d),
otherwise comprehension; only train reached: memorization; neither: confusion.

usage: import_authors.py GIT_DIR [--commit C] [-o docs/data/liu2022]
"""
import argparse
import os
import subprocess

REPO = "ejmichaud/grokking-squared"
LRS = [10 ** (-5 + 3 * i / 9) for i in range(10)]  # 10^linspace(-5, -2, 10)
SIZES = [5, 10, 15, 20, 25, 30, 35, 40, 45, 50, 54]
STEPS = 10000


def number(git_dir, commit, path):
    # argument list, no shell: the path is built here from numbers, never from the data
    text = subprocess.run(["git", "--git-dir", git_dir, "show", f"{commit}:{path}"],
                          check=True, capture_output=True, text=True).stdout
    return float(text.split()[0])


def step(x):
    return "" if int(x) >= STEPS - 1 else str(int(x))


def phase(t_train, t_test, delta):
    train, test = t_train < STEPS - 1, t_test < STEPS - 1
    if train and test:
        return "grokking" if t_test - t_train > delta else "comprehension"
    if train:
        return "memorization"
    if test:  # their notebook's formula gives this case the comprehension color
        return "comprehension"
    return "confusion"


def write(out, name, commit, note, header, rows):
    with open(os.path.join(out, name), "w") as f:
        f.write(f"# Liu et al. 2022 (arXiv:2205.10343), released outcomes: github.com/{REPO}\n")
        f.write(f"# commit {commit}, {note}\n")
        f.write(",".join(header) + "\n")
        for r in rows:
            f.write(",".join(str(v) for v in r) + "\n")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("git_dir")
    ap.add_argument("--commit", default="HEAD")
    ap.add_argument("-o", "--out", default="docs/data/liu2022")
    a = ap.parse_args()
    commit = subprocess.run(["git", "--git-dir", a.git_dir, "rev-parse", a.commit],
                            check=True, capture_output=True, text=True).stdout.strip()
    os.makedirs(a.out, exist_ok=True)
    g = lambda path: number(a.git_dir, commit, "toy/results/" + path)

    rows = [(n, s, g(f"fig3/realacc_num_{n}_seed_{s}.txt"), g(f"fig3/predacc_num_{n}_seed_{s}.txt"))
            for n in SIZES for s in range(3)]
    write(a.out, "fig3.csv", commit, "toy/results/fig3/{realacc,predacc}_num_N_seed_S.txt; 5000 steps; "
          "final_acc over all 55 samples, pred_acc from their effective theory",
          ["task.train_count", "seed", "final_acc", "pred_acc"], rows)

    rows = [(n, s, step(g(f"fig4/rqistep_num_{n}_seed_{s}.txt"))) for n in SIZES for s in range(3)]
    write(a.out, "fig4.csv", commit, "toy/results/fig4/rqistep_num_N_seed_S.txt; 10^4 steps; "
          "t_rqi: first step with RQI > 0.95, empty if never", ["task.train_count", "seed", "t_rqi"], rows)

    def grid(name, xkey, ykey, xs, ys, path, seed, delta, note):
        rows = []
        for x in xs:
            for y in ys:
                tr, te = g(path(x, y, "train")), g(path(x, y, "test"))
                rows.append((f"{x:.6g}", f"{y:.6g}", seed, step(tr), step(te), phase(tr, te, delta)))
        write(a.out, name, commit, note, [xkey, ykey, "seed", "t_train", "t_test", "phase"], rows)

    grid("fig5a.csv", "optim.encoder_lr", "optim.decoder_lr", LRS, LRS,
         lambda x, y, k: f"fig5a/{k}step_eta1_{x:.5f}_eta2_{y:.5f}.txt", 58, 2000,
         "toy/results/fig5a/{train,test}step_eta1_X_eta2_Y.txt; 10^4 steps; phase with delta 2000")
    grid("fig5b.csv", "optim.decoder_lr", "optim.decoder_wd", LRS, range(11),
         lambda x, y, k: f"fig5b/{k}step_eta_{x:.5f}_wd_{y:.5f}.txt", 58, 1000,
         "toy/results/fig5b/{train,test}step_eta_X_wd_Y.txt; 10^4 steps, MSE; phase with delta 1000")
    grid("fig5c.csv", "optim.decoder_lr", "optim.decoder_wd", LRS, range(11),
         lambda x, y, k: f"fig5c/{k}step_eta_{x:.5f}_wd_{y:.5f}.txt", 1, 1000,
         "toy/results/fig5c/{train,test}step_eta_X_wd_Y.txt; 10^4 steps, cross-entropy; phase with delta 1000")
    grid("fig5d.csv", "optim.decoder_lr", "optim.decoder_wd", LRS, [0, 1, 2, 3, 5, 10, 20, 30, 50, 100, 200],
         lambda x, y, k: f"fig5d/{k}_eta2_{x:.5f}_wd_{float(y):.1f}.txt", 0, 1000,
         "toy/results/fig5d/{train,test}_eta2_X_wd_Y.txt; S_3, 10^4 steps; phase with delta 1000")


if __name__ == "__main__":
    main()
