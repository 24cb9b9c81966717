#!/usr/bin/env python3
"""Copies the tables of bench/RESULTS.md into README.md between its benchmark markers."""
import os
import re

root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
results = open(os.path.join(root, "bench", "RESULTS.md")).read()
tables = "\n".join(l for l in results.splitlines() if l.startswith("|") or l.startswith(("Sweep throughput", "Time to a figure")) or not l.strip())
tables = re.sub(r"\n{3,}", "\n\n", tables).strip()
readme_path = os.path.join(root, "README.md")
readme = open(readme_path).read()
readme = re.sub(r"<!-- bench:begin -->.*<!-- bench:end -->",
                "<!-- bench:begin -->\n" + tables + "\n<!-- bench:end -->", readme, flags=re.S)
open(readme_path, "w").write(readme)
