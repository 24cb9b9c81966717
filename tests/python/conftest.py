"""Fixtures for the Python module's tests: the geneft binary (for comparisons with the command
line) and small stores trained once per session."""
import os
import pathlib
import subprocess

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
TOY = ROOT / "examples" / "liu2022-toy.toml"
# A short toy run: the comparisons need the same numbers, not a generalized network.
SHORT = {"train__steps": 300, "train__eval_every": 20}


@pytest.fixture(scope="session")
def geneft_bin():
    path = pathlib.Path(os.environ.get("GENEFT_BIN", ROOT / "build" / "geneft"))
    assert path.exists(), f"{path}: no geneft binary (set GENEFT_BIN)"
    return path


@pytest.fixture(scope="session")
def cli(geneft_bin):
    """Runs `geneft ARGS`; returns the completed process (stdout, stderr as text)."""
    def run(*args, check=True):
        p = subprocess.run([str(geneft_bin), *map(str, args)], capture_output=True, text=True)
        if check:
            assert p.returncode == 0, p.stderr
        return p
    return run


@pytest.fixture(scope="session")
def toy_store(tmp_path_factory):
    """A store with one short toy run (with checkpoints) trained from Python; (path, run id)."""
    import geneft
    db = tmp_path_factory.mktemp("toy") / "toy.db"
    run = geneft.train(TOY, db=db, progress=False, train__checkpoint_every=5, **SHORT)
    return db, run


# A 2 x 2 learning-rate sweep of the short toy, two seeds.
SWEEP = {
    "sweep": {"name": "py-lr", "base": str(TOY), "seeds": 2,
              "axis": [{"key": "optim.encoder_lr", "log_range": [1e-3, 1e-1, 2]},
                       {"key": "optim.decoder_lr", "values": [1e-4, 1e-2]}],
              "phase": {"threshold": 0.9, "delta": 100}},
    "train": {"steps": 300, "eval_every": 20, "store_embeddings": False},
}


@pytest.fixture(scope="session")
def sweep_store(tmp_path_factory):
    """A store with SWEEP trained from Python; (path, its table)."""
    import geneft
    db = tmp_path_factory.mktemp("sweep") / "sweep.db"
    return db, geneft.sweep(SWEEP, db=db, jobs=2, progress=False)
