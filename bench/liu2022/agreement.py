#!/usr/bin/env python3
"""Agreement of a geneft sweep with the released outcomes of Liu et al. 2022 (arXiv:2205.10343).

GENEFT is `geneft export DB --sweep NAME --format csv` (one row per run); AUTHORS is one of
docs/data/liu2022/*.csv (one row per run of theirs; '#' lines are comments). Cells are matched
on the axis keys (numbers equal to 1e-4 relative).

  agreement.py phase    GENEFT AUTHORS --keys X,Y   phase diagrams (Figs. 5a-5d)
  agreement.py accuracy GENEFT AUTHORS --key K      final accuracy per size (Fig. 3, final_acc)
  agreement.py step     GENEFT AUTHORS --key K      a step per size (Fig. 4, t_rqi)

Phase agreement: the fraction of cells where geneft's majority phase over seeds equals theirs
(a tie counts half), the same for generalizing (comprehension, grokking) against not
(memorization, confusion), and two references for how much seeds alone explain: the mean
share of geneft's seeds that agree with the authors' one run, beside the mean share of pairs of
geneft's own seeds that agree with each other (cells with two seeds or more). If the first is
as large as the second, the authors' run looks like one more draw from geneft's distribution.
"""
import argparse
import csv
import math
import statistics
import sys
from collections import Counter

GENERALIZING = {"comprehension", "grokking"}
LETTER = {"comprehension": "C", "grokking": "G", "memorization": "M", "confusion": "X", "diverged": "D"}


class InputError(Exception):
    pass


def read_rows(path):
    try:
        with open(path, newline="") as f:
            lines = [l for l in f if not l.startswith("#")]
    except OSError as e:
        raise InputError(f"{path}: {e.strerror}")
    rows = list(csv.DictReader(lines))
    if not rows:
        raise InputError(f"{path}: no rows")
    return rows


def column(rows, path, name):
    if name not in rows[0]:
        raise InputError(f"{path}: no column '{name}' (columns: {', '.join(rows[0])})")
    return name


def number(text, path, name):
    try:
        return float(text)
    except ValueError:
        raise InputError(f"{path}: column '{name}' has '{text}', not a number")


def cell_key(values):
    # numbers rounded to 4 significant digits, so 2.15443e-05 and 2.1544346900318823e-05 meet
    return tuple(float(f"{v:.4g}") for v in values)


def group(rows, path, keys, value):
    for k in keys + [value]:
        column(rows, path, k)
    cells = {}
    for r in rows:
        cells.setdefault(cell_key([number(r[k], path, k) for k in keys]), []).append(r[value])
    return cells


def paired(geneft, authors):
    missing = sorted(set(authors) - set(geneft))
    common = [c for c in sorted(authors) if c in geneft]
    if not common:
        raise InputError("no cell of the authors' grid is in the geneft export (wrong sweep or keys?)")
    return common, missing


def majority(phases):
    """Most frequent phase(s); a tie returns all tied phases."""
    counts = Counter(phases)
    top = max(counts.values())
    return sorted(p for p, n in counts.items() if n == top)


def phase_agreement(geneft, authors):
    common, missing = paired(geneft, authors)
    exact = gen = seed_vs_authors = 0.0
    pair_shares = []
    per_cell = {}
    for c in common:
        ours, theirs = geneft[c], authors[c][0]
        top = majority(ours)
        exact += (theirs in top) / len(top)
        gen_votes = Counter(p in GENERALIZING for p in ours)
        gtop = [g for g, n in gen_votes.items() if n == max(gen_votes.values())]
        gen += ((theirs in GENERALIZING) in gtop) / len(gtop)
        seed_vs_authors += sum(p == theirs for p in ours) / len(ours)
        if len(ours) > 1:
            n = len(ours)
            same = sum(k * (k - 1) for k in Counter(ours).values())
            pair_shares.append(same / (n * (n - 1)))
        per_cell[c] = (theirs, ours, theirs in top)
    n = len(common)
    return {
        "cells": n,
        "missing": missing,
        "majority_agreement": exact / n,
        "generalizing_agreement": gen / n,
        "seed_vs_authors": seed_vs_authors / n,
        "seed_vs_seed": statistics.fmean(pair_shares) if pair_shares else math.nan,
        "cells_with_seeds": len(pair_shares),
        "unanimous": sum(len(set(geneft[c])) == 1 for c in common) / n,
        "per_cell": per_cell,
    }


def phase_grid(per_cell):
    """Markdown grid: rows the first key, columns the second; 'theirs/ours', ours one letter per seed."""
    xs = sorted({c[0] for c in per_cell})
    ys = sorted({c[1] for c in per_cell})
    out = ["| first \\ second | " + " | ".join(f"{y:g}" for y in ys) + " |", "|---" * (len(ys) + 1) + "|"]
    for x in xs:
        cells = []
        for y in ys:
            if (x, y) not in per_cell:
                cells.append("")
                continue
            theirs, ours, match = per_cell[(x, y)]
            text = LETTER[theirs] + "/" + "".join(LETTER.get(p, "?") for p in ours)
            cells.append(text if match else f"**{text}**")
        out.append(f"| {x:g} | " + " | ".join(cells) + " |")
    return "\n".join(out)


def values(cell, path, name):
    return [number(v, path, name) if v != "" else math.nan for v in cell]


def per_size(geneft, authors, gpath, apath, name):
    common, missing = paired(geneft, authors)
    table = []
    for c in common:
        ours, theirs = values(geneft[c], gpath, name), values(authors[c], apath, name)
        table.append((c[0], ours, theirs))
    return table, missing


def stats(xs):
    got = [x for x in xs if not math.isnan(x)]
    mean = statistics.fmean(got) if got else math.nan
    sd = statistics.stdev(got) if len(got) > 1 else math.nan
    return mean, sd, len(got)


def accuracy_report(table):
    diffs, within = [], 0
    lines = ["| size | authors (mean over seeds) | geneft mean | geneft sd | difference |", "|---|---|---|---|---|"]
    for size, ours, theirs in table:
        (m, s, _), (t, _, _) = stats(ours), stats(theirs)
        d = m - t
        diffs.append(abs(d))
        # within two standard errors of the difference of the two means, geneft's seed sd for both
        spread = 2 * s * math.sqrt(1 / len(ours) + 1 / len(theirs)) if not math.isnan(s) else 0.0
        within += abs(d) <= spread
        lines.append(f"| {size:g} | {t:.3f} | {m:.3f} | {s:.3f} | {d:+.3f} |")
    summary = {"sizes": len(table), "mean_abs_difference": statistics.fmean(diffs),
               "within_seed_spread": within / len(table)}
    return "\n".join(lines), summary


def step_report(table):
    lines = ["| size | authors reached | authors median | geneft reached | geneft median |", "|---|---|---|---|---|"]
    reached_agree = 0.0
    for size, ours, theirs in table:
        (_, _, n_ours), (_, _, n_theirs) = stats(ours), stats(theirs)
        med = lambda xs: statistics.median([x for x in xs if not math.isnan(x)]) if any(not math.isnan(x) for x in xs) else math.nan
        reached_agree += (n_ours * 2 > len(ours)) == (n_theirs * 2 > len(theirs))
        lines.append(f"| {size:g} | {n_theirs}/{len(theirs)} | {med(theirs):.0f} | {n_ours}/{len(ours)} | {med(ours):.0f} |")
    return "\n".join(lines), {"sizes": len(table), "majority_reached_agreement": reached_agree / len(table)}


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("mode", choices=["phase", "accuracy", "step"])
    ap.add_argument("geneft")
    ap.add_argument("authors")
    ap.add_argument("--keys", help="phase: the two axis keys, comma-separated")
    ap.add_argument("--key", help="accuracy/step: the size key", default="task.train_count")
    ap.add_argument("--column", help="accuracy: final_acc (default); step: t_rqi (default)")
    a = ap.parse_args(argv)
    try:
        g, t = read_rows(a.geneft), read_rows(a.authors)
        if a.mode == "phase":
            keys = (a.keys or "").split(",")
            if len(keys) != 2 or not all(keys):
                raise InputError("--keys needs two axis keys, e.g. optim.encoder_lr,optim.decoder_lr")
            r = phase_agreement(group(g, a.geneft, keys, "phase"), group(t, a.authors, keys, "phase"))
            print(phase_grid(r["per_cell"]))
            print()
            summary = {k: v for k, v in r.items() if k != "per_cell"}
        else:
            name = a.column or ("final_acc" if a.mode == "accuracy" else "t_rqi")
            table, missing = per_size(group(g, a.geneft, [a.key], name), group(t, a.authors, [a.key], name),
                                      a.geneft, a.authors, name)
            text, summary = (accuracy_report if a.mode == "accuracy" else step_report)(table)
            summary["missing"] = missing
            print(text)
            print()
        for k, v in summary.items():
            if k == "missing":  # the authors' cells geneft has not run (a subsampled sweep)
                v = f"{len(v)} of the authors' cells" + (f", e.g. {v[0]}" if v else "")
            print(f"{k}: {v:.3f}" if isinstance(v, float) else f"{k}: {v}")
    except InputError as e:
        print(f"agreement.py: {e}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
