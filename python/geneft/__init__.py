"""geneft from Python: stores as pandas DataFrames, training and sweeps, the theory functions.

    import geneft
    run = geneft.train("examples/liu2022-toy.toml", db="results.db", optim__decoder_wd=0.1)
    store = geneft.Store("results.db")
    store.curves(run).plot(x="step", y=["train_acc", "test_acc"], logx=True)

Configs are a TOML path or a dict shaped like the TOML file ({"task": {"kind": "plain_add"}, ...}).
Keyword overrides are `--set key=value`: `optim__decoder_wd=0.5` (or `**{"optim.decoder_wd": 0.5}`).
Errors carry the command line's message: ConfigError for bad input, StoreError for a store that
is missing, not a geneft store, or damaged; both are geneft.Error.
"""
import os
import sys

import numpy as np
import pandas as pd

from . import _geneft
from ._geneft import ConfigError, Error, StoreError

__all__ = [
    "Store", "train", "sweep", "config", "llc", "Error", "ConfigError", "StoreError",
    "description_length", "critical_fraction", "base_rate", "known_fraction", "f_ub", "oracle_accuracy",
    "repon_p_generalize", "parallelogram_p_determined", "validation_lambda",
]


def _source(config):
    """A config argument as the C++ side takes it: a dict, or a path as str."""
    return config if isinstance(config, dict) else os.fspath(config)


def _frame(columns, numeric=()):
    """A DataFrame from name -> list; `numeric` columns are float even when every value is NaN."""
    df = pd.DataFrame(columns)
    for c in numeric:
        if c in df:
            df[c] = df[c].astype(float)
    return df


class Store:
    """A geneft store (SQLite file), read-only unless writable=True.

    Tables come back as pandas DataFrames: NULL (not measured) is NaN, the canonical config of a
    run is flattened into one dotted column per key ("optim.encoder_lr", "task.kind", ...).
    """

    _CURVE = list(_geneft.curve_columns)

    def __init__(self, path, writable=False):
        self._store = _geneft.Store(os.fspath(path), writable)

    @property
    def path(self):
        return self._store.path

    def __repr__(self):
        return f"geneft.Store({self.path!r})"

    def runs(self):
        """One row per run: id, status, task, seed, phase, steps, final metrics, the config's keys."""
        numeric = ["t_train", "t_test", "diverged_step", "wall_seconds"] + ["final_" + c for c in self._CURVE]
        return _frame(self._store.runs(), numeric)

    def curves(self, run_ids=None, sweep=None):
        """One row per run and eval step: run_id, step, losses, accuracies, norms, RQI.

        run_ids: an id (a unique prefix is enough) or a list of them; sweep: the runs of a sweep;
        neither: every run in the store.
        """
        if run_ids is not None and sweep is not None:
            raise ConfigError("give run_ids or sweep, not both")
        if sweep is not None:
            ids = self._store.sweep_run_ids(sweep)
        elif run_ids is None:
            ids = self._store.run_ids()
        else:
            ids = [run_ids] if isinstance(run_ids, str) else list(run_ids)
        df = _frame(self._store.curves(ids), self._CURVE)
        if df.empty:
            df = pd.DataFrame({c: pd.Series(dtype=t) for c, t in
                               [("run_id", object), ("step", "int64")] + [(c, float) for c in self._CURVE]})
        return df

    def sweeps(self):
        """One row per sweep: name, axes (comma-separated keys), runs linked, definition (JSON)."""
        return _frame(self._store.sweeps())

    def sweep(self, name):
        """The tidy table of `geneft export --sweep NAME`: one row per finished run with the axis
        values, seed, status, phase (by the sweep's own options), t_train, t_test, final metrics."""
        return _frame(self._store.sweep(name), ["wall_seconds", *_geneft.sweep_metrics])

    def embeddings(self, run, step=None):
        """The embedding matrix (symbols, embed_dim) as a float32 array at `step`;
        step=None: a dict {step: array} of every stored step."""
        snaps = self._store.embeddings(run)
        if step is None:
            return snaps
        if step not in snaps:
            raise StoreError(f"{self.path}: run {run} has no embedding at step {step} "
                             f"(steps: {','.join(map(str, snaps)) or 'none'})")
        return snaps[step]

    def checkpoints(self, run):
        """One row per checkpoint: step, dtype, and the encoder and decoder weights (float64 arrays,
        values exact in the model's dtype)."""
        return _frame(self._store.checkpoints(run))

    def llc(self, run):
        """The λ̂ estimates stored for a run's checkpoints (geneft llc / geneft.llc)."""
        return _frame(self._store.llc(run), ["llc", "llc_std", "nbeta", "loss_at_center", "mala_acceptance",
                                             "fraction_below_center", "trend", "wall_seconds"])


def _interactive():
    """Progress bars on a terminal or in a notebook (an IPython kernel), silent otherwise."""
    if "ipykernel" in sys.modules:
        return True
    try:
        return sys.stderr.isatty()
    except (AttributeError, ValueError):
        return False


class _Progress:
    """A tqdm bar fed with (done, total) from the waiting thread; created on the first call."""

    def __init__(self, enabled, desc, unit):
        self.enabled, self.desc, self.unit, self.bar = enabled, desc, unit, None

    def __call__(self, done, total):
        if not self.enabled:
            return
        if self.bar is None:
            from tqdm import tqdm
            # a notebook keeps every redraw in its output: fewer of them there
            self.bar = tqdm(total=total, desc=self.desc, unit=self.unit, file=sys.stderr, dynamic_ncols=True,
                            mininterval=1.0 if "ipykernel" in sys.modules else 0.1)
        self.bar.update(done - self.bar.n)

    def close(self):
        if self.bar is not None:
            self.bar.close()


def train(config, db="results.db", force=False, progress=None, **overrides):
    """Train one run of `config` (TOML path or dict) into the store `db`; returns the run id.

    The run id is the hash of the canonical config, as on the command line: a run already in the
    store is not trained again unless force=True. Training runs in C++ without the GIL; Ctrl-C
    raises KeyboardInterrupt after the run is stored as "interrupted" (it is rerun next time).
    progress: a tqdm bar (default: on a terminal or in a notebook).
    """
    bar = _Progress(_interactive() if progress is None else progress, "train", "step")
    try:
        return _geneft.train(_source(config), overrides, os.fspath(db), force, bar)
    finally:
        bar.close()


def sweep(sweep_config, db="results.db", jobs=None, progress=None, **overrides):
    """Train a sweep (TOML path or dict with a "sweep" table) on `jobs` threads (default: all
    cores); runs already in the store are skipped. Returns the sweep's tidy table
    (Store(db).sweep(name)). Ctrl-C lets in-flight runs end as "interrupted", then raises
    KeyboardInterrupt; calling sweep again finishes the rest."""
    if jobs is None:
        jobs = os.cpu_count() or 1
    bar = _Progress(_interactive() if progress is None else progress, "sweep", "run")
    try:
        name = _geneft.sweep(_source(sweep_config), overrides, os.fspath(db), int(jobs), bar)
    finally:
        bar.close()
    return Store(db).sweep(name)


def config(config, **overrides):
    """The run id and canonical config (TOML text) of a config, as `geneft train --print-config`."""
    return _geneft.config(_source(config), overrides)


def llc(db, run, checkpoints="all", **sampler):
    """λ̂ by SGLD (Lau et al. 2023) at a stored run's checkpoints ("all", "last" or a list of
    steps), stored in the store like `geneft llc`; returns one row per checkpoint.
    Sampler options as in `geneft llc`: epsilon, gamma, nbeta, chains, draws, burn_in, thin,
    batch_size, sampler ("sgld" or "rmsprop"), seed, threads."""
    return _frame(_geneft.llc(os.fspath(db), run, checkpoints, sampler), ["llc", "llc_std", "nbeta"])


# ---- theory (predictions from a task description alone) ----------------------------------------

def description_length(config, **overrides):
    """Description length b of a relation task (Baek, Liu, Tegmark 2024, Sec. 3.1): a dict of the
    exact count, the paper's approximation and the relabellings n!/|Aut G|, in bits and as formulas."""
    return _geneft.description_length(_source(config), overrides)


def critical_fraction(config, alpha=0.9, bits="exact", **overrides):
    """Critical train fraction m_c / n^2 of balls into buckets, m_c = log(1 - alpha) / log(1 - 1/b),
    with b the exact, approximate ("approx") or relabelling ("graph") description length."""
    return _geneft.critical_fraction(_source(config), alpha, bits, overrides)


def base_rate(config, **overrides):
    """Fraction p* of related pairs of a relation task."""
    return _geneft.base_rate(_source(config), overrides)


def known_fraction(bits, samples):
    """Balls into buckets: f(m) = 1 - (1 - 1/b)^m."""
    return np.vectorize(_geneft.known_fraction, otypes=[float])(bits, samples)[()]


def f_ub(known_fraction, base_rate):
    """Accuracy bound f_UB = f + max(p*, 1 - p*)(1 - f) (Baek, Liu, Tegmark 2024, Sec. 3.1)."""
    return np.vectorize(_geneft.f_ub, otypes=[float])(known_fraction, base_rate)[()]


def oracle_accuracy(config, train_fractions, splits=100, **overrides):
    """Test accuracy of the oracle learner (closure under the family's axioms) at each train
    fraction: mean and standard error over the splits seeds 0..splits-1 draw."""
    return _frame(_geneft.oracle_accuracy(_source(config), list(map(float, np.atleast_1d(train_fractions))),
                                          int(splits), overrides))


def repon_p_generalize(eta_enc, eta_dec, sigma_a=1.0, sigma_c=1.0):
    """Two-repon P(generalize) = (2/pi) arctan((sigma_a/sigma_c) sqrt(eta_enc / (2 eta_dec)))
    (Baek, Liu, Tegmark 2024, Sec. 4); arrays broadcast."""
    return np.vectorize(_geneft.repon_p_generalize, otypes=[float])(eta_enc, eta_dec, sigma_a, sigma_c)[()]


def parallelogram_p_determined(config, train_counts, sets=200, **overrides):
    """Liu et al. 2022 (Sec. 3.4) for plain_add: over `sets` random training sets of each size, the
    probability that the representation is determined and the predicted test accuracy."""
    return _frame(_geneft.parallelogram_p_determined(_source(config), [int(c) for c in np.atleast_1d(train_counts)],
                                                     int(sets), overrides))


def validation_lambda(model, k=(), h=(), input=0, hidden=0, output=0, rank=0, widths=()):
    """The true learning coefficient λ of a built-in validation model (normal-crossing, regular,
    rrr, dln; options as in `geneft llc --model`): a pair (λ, its formula and reference)."""
    return _geneft.validation_lambda(model, list(k), list(h), input, hidden, output, rank, list(widths))
