#!/usr/bin/env python3
"""bench/liu2022/agreement.py on synthetic exports whose agreement is known by hand."""
import contextlib
import io
import os
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "bench", "liu2022"))
import agreement  # noqa: E402

LR = "2.1544346900318823e-05"  # geneft writes full precision, the authors' CSV 6 digits


def write(folder, name, text):
    path = os.path.join(folder, name)
    with open(path, "w") as f:
        f.write(text)
    return path


class Agreement(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.dir = self.tmp.name

    def tearDown(self):
        self.tmp.cleanup()

    def run_tool(self, *args):
        out, err = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            rc = agreement.main(list(args))
        return rc, out.getvalue(), err.getvalue()

    def summary(self, text):
        return {k: v for k, _, v in (l.partition(": ") for l in text.splitlines() if ": " in l)}

    def test_phase_cells(self):
        # (1,a): theirs C, ours C C G -> majority match, 2/3 of seeds agree, pairs agree 1/3
        # (1,b): theirs M, ours X X X -> mismatch, both non-generalizing, 0 seeds, pairs 1
        # (2,a): theirs G, ours G M   -> tie: half a match, half a generalizing match, pairs 0
        # (2,b): theirs X, ours X     -> match, one seed (no pairs)
        geneft = write(self.dir, "g.csv", "id,seed,x,y,phase\n" + "".join(
            f"r{i},{s},{x},{y},{p}\n" for i, (s, x, y, p) in enumerate([
                (0, 1, LR, "comprehension"), (1, 1, LR, "comprehension"), (2, 1, LR, "grokking"),
                (0, 1, 0.5, "confusion"), (1, 1, 0.5, "confusion"), (2, 1, 0.5, "confusion"),
                (0, 2, LR, "grokking"), (1, 2, LR, "memorization"),
                (0, 2, 0.5, "confusion")])))
        authors = write(self.dir, "a.csv", "# a comment\nx,y,seed,phase\n1,2.15443e-05,58,comprehension\n"
                        "1,0.5,58,memorization\n2,2.15443e-05,58,grokking\n2,0.5,58,confusion\n3,0.5,58,grokking\n")
        rc, out, _ = self.run_tool("phase", geneft, authors, "--keys", "x,y")
        self.assertEqual(rc, 0)
        s = self.summary(out)
        self.assertEqual(s["cells"], "4")
        self.assertEqual(s["missing"], "1 of the authors' cells, e.g. (3.0, 0.5)")
        self.assertAlmostEqual(float(s["majority_agreement"]), 2.5 / 4, places=3)
        self.assertAlmostEqual(float(s["generalizing_agreement"]), 3.5 / 4, places=3)
        self.assertAlmostEqual(float(s["seed_vs_authors"]), (2 / 3 + 0 + 0.5 + 1) / 4, places=3)
        self.assertAlmostEqual(float(s["seed_vs_seed"]), (1 / 3 + 1 + 0) / 3, places=3)
        self.assertAlmostEqual(float(s["unanimous"]), 0.5, places=3)
        self.assertIn("| 1 | C/CCG | **M/XXX** |", out)

    def test_accuracy_per_size(self):
        geneft = write(self.dir, "g.csv", "task.train_count,seed,final_acc\n"
                       "5,0,0.1\n5,1,0.2\n5,2,0.3\n10,0,1\n10,1,1\n10,2,1\n")
        authors = write(self.dir, "a.csv", "task.train_count,seed,final_acc\n5,0,0.2\n5,1,0.2\n5,2,0.2\n"
                        "10,0,0.5\n10,1,0.5\n10,2,0.5\n")
        rc, out, _ = self.run_tool("accuracy", geneft, authors, "--key", "task.train_count")
        self.assertEqual(rc, 0)
        s = self.summary(out)
        self.assertAlmostEqual(float(s["mean_abs_difference"]), 0.25, places=3)
        self.assertAlmostEqual(float(s["within_seed_spread"]), 0.5, places=3)  # size 5 within, size 10 not

    def test_step_reached(self):
        geneft = write(self.dir, "g.csv", "task.train_count,t_rqi\n5,\n5,\n5,100\n10,10\n10,20\n10,30\n")
        authors = write(self.dir, "a.csv", "task.train_count,t_rqi\n5,\n5,\n5,\n10,\n10,5\n10,\n")
        rc, out, _ = self.run_tool("step", geneft, authors, "--key", "task.train_count")
        self.assertEqual(rc, 0)
        self.assertAlmostEqual(float(self.summary(out)["majority_reached_agreement"]), 0.5, places=3)
        self.assertIn("| 10 | 1/3 | 5 | 3/3 | 20 |", out)

    def test_bad_input_names_file_and_column(self):
        geneft = write(self.dir, "g.csv", "x,y,seed\n1,2,0\n")
        authors = write(self.dir, "a.csv", "x,y,phase\n1,2,confusion\n")
        rc, _, err = self.run_tool("phase", geneft, authors, "--keys", "x,y")
        self.assertEqual(rc, 2)
        self.assertIn("g.csv: no column 'phase'", err)
        rc, _, err = self.run_tool("phase", os.path.join(self.dir, "absent.csv"), authors, "--keys", "x,y")
        self.assertEqual(rc, 2)
        self.assertIn("absent.csv", err)


if __name__ == "__main__":
    unittest.main()
