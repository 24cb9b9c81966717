#!/usr/bin/env python3
"""Folds the call chains of `perf script -F ip,sym,dso` onto the call sites of one source file.

Each sample is charged to the first frame, from the leaf up, that addr2line places in FILE
(the innermost inlined frame there), and labelled by that line of FILE; samples that never pass
through FILE are listed by their leaf symbol. A return address is looked up one byte back, so
that it names the call, not the instruction after it. Prints one line per label: share of the
samples, count, line number and source text, in the order of the file.

usage: perf script -F ip,sym,dso | bench/perf_fold.py BINARY FILE
"""
import collections
import os
import re
import subprocess
import sys


def chains(lines):
    """The samples' call chains, each a list of (address, symbol, dso), leaf first."""
    chain = []
    for line in lines:
        m = re.match(r"\s*([0-9a-f]+)\s+(.*?)\s+\((.*)\)$", line.rstrip("\n"))
        if m:
            chain.append((int(m.group(1), 16), m.group(2), m.group(3)))
        elif not line.strip() and chain:
            yield chain
            chain = []
    if chain:
        yield chain


def main():
    binary, target = sys.argv[1], sys.argv[2]
    name = os.path.basename(binary)
    samples = list(chains(sys.stdin))
    lookup = sorted({ip - (i > 0) for c in samples for i, (ip, _, dso) in enumerate(c) if os.path.basename(dso) == name})
    out = subprocess.run(["addr2line", "-i", "-a", "-e", binary] + [hex(a) for a in lookup],
                         capture_output=True, text=True, check=True).stdout
    where, addr = collections.defaultdict(list), None
    for line in out.splitlines():
        if line.startswith("0x"):
            addr = int(line, 16)
        else:
            where[addr].append(line.split(" ")[0])
    source = open(target).read().splitlines()
    count = collections.Counter()
    for c in samples:
        label = None
        for i, (ip, _, dso) in enumerate(c):
            if os.path.basename(dso) != name:
                continue
            for loc in where[ip - (i > 0)]:
                path, _, n = loc.rpartition(":")
                if path.endswith(target) and n.isdigit():
                    label = (int(n), source[int(n) - 1].strip()[:72])
                    break
            if label:
                break
        count[label or (1 << 30, "other: " + c[0][1])] += 1
    total = sum(count.values())
    for (n, text), v in sorted(count.items()):
        print(f"{100 * v / total:5.1f}%  {v:6d}  {'' if n == 1 << 30 else n:>4}  {text}")
    print(f"{total} samples")


if __name__ == "__main__":
    main()
