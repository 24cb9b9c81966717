"""The Python module against the command line: same run ids and numbers, the same tables as
`geneft export`, the same error messages; hostile stores raise and never crash; Ctrl-C leaves
the store as the command line does."""
import io
import json
import math
import shutil
import signal
import sqlite3
import threading
import time

import numpy as np
import pandas as pd
import pytest

import geneft
from conftest import ROOT, SHORT, SWEEP, TOY

RELATION = ROOT / "examples" / "geneft-relation.toml"


def cli_error(process):
    """The message of `geneft: error: MESSAGE` (exit status 2)."""
    assert process.returncode == 2, process.stderr
    line = process.stderr.strip().splitlines()[-1]
    assert line.startswith("geneft: error: "), line
    return line[len("geneft: error: "):]


def run_id_of(stdout):
    return next(line.split()[1] for line in stdout.splitlines() if line.startswith("run "))


# ---- train and sweep agree with the command line ----------------------------------------------

def test_train_gives_the_cli_run_id_and_numbers(cli, tmp_path):
    cli_db, py_db = tmp_path / "cli.db", tmp_path / "py.db"
    out = cli("train", TOY, "--set", "train.steps=300", "--set", "train.eval_every=20", "--db", cli_db, "-q").stdout
    run = geneft.train(TOY, db=py_db, progress=False, **SHORT)
    assert run == run_id_of(out)
    # the export of the CLI's store is the Python curve of the Python-trained store, bit for bit
    exported = pd.read_csv(io.StringIO(cli("export", cli_db, "--run", run, "--format", "csv").stdout))
    mine = geneft.Store(py_db).curves(run)
    assert len(mine) == 16  # steps 0, 20, ..., 300
    pd.testing.assert_frame_equal(mine.drop(columns="run_id"), exported)
    assert (mine.run_id == run).all()


def test_a_dict_config_is_the_same_run_as_its_file(tmp_path):
    as_file = geneft.config(TOY, **SHORT)
    as_dict = geneft.config({
        "seed": 0,
        "task": {"kind": "plain_add", "p": 10, "train_count": 45},
        "model": {"dtype": "float32", "embed_dim": 1, "embed_init": "uniform", "embed_scale": 1.0, "combiner": "sum",
                  "width": 200, "depth": 2, "activation": "tanh", "head": "mse", "target_dim": 30},
        "optim": {"kind": "adamw", "encoder_lr": 1e-3, "decoder_lr": 1e-4, "encoder_wd": 0.0, "decoder_wd": 0.0,
                  "batch_size": 0},
        "train": {"steps": 5000, "eval_every": 50},
    }, **{"train.steps": 300, "train.eval_every": 20})
    assert as_dict == as_file
    assert geneft.config(TOY, optim__decoder_wd=0.5)[0] != geneft.config(TOY)[0]


def test_training_again_is_skipped_unless_forced(toy_store):
    db, run = toy_store
    before = geneft.Store(db).runs().set_index("id").loc[run, "ended_at"]
    assert geneft.train(TOY, db=db, progress=False, train__checkpoint_every=5, **SHORT) == run
    assert geneft.Store(db).runs().set_index("id").loc[run, "ended_at"] == before


def test_sweep_table_is_the_export(cli, sweep_store):
    db, table = sweep_store
    exported = pd.read_csv(io.StringIO(cli("export", db, "--sweep", "py-lr").stdout), dtype={"id": str})
    assert len(table) == 8
    pd.testing.assert_frame_equal(table, exported)
    assert set(table.phase) <= {"comprehension", "grokking", "memorization", "confusion", "diverged"}
    assert table["optim.encoder_lr"].dtype == float and table.seed.dtype == np.int64


def test_sweep_again_skips_what_is_stored(sweep_store):
    db, table = sweep_store
    ended = geneft.Store(db).runs().set_index("id").ended_at
    again = geneft.sweep(SWEEP, db=db, jobs=2, progress=False)
    pd.testing.assert_frame_equal(again, table)
    pd.testing.assert_series_equal(geneft.Store(db).runs().set_index("id").ended_at, ended)


def test_curves_of_a_sweep_and_of_all_runs(sweep_store):
    db, table = sweep_store
    store = geneft.Store(db)
    by_sweep = store.curves(sweep="py-lr")
    assert set(by_sweep.run_id) == set(table.id)
    assert len(store.curves()) == len(by_sweep) == 8 * 16
    assert store.curves(table.id.iloc[0][:10]).run_id.unique().tolist() == [table.id.iloc[0]]
    with pytest.raises(geneft.StoreError, match="no sweep named 'nope'"):
        store.curves(sweep="nope")
    with pytest.raises(geneft.StoreError, match="no run with id 'ffff'"):
        store.curves("ffff")


def test_sweeps_list(sweep_store):
    sweeps = geneft.Store(sweep_store[0]).sweeps()
    assert sweeps.name.tolist() == ["py-lr"] and sweeps.runs.tolist() == [8]
    assert sweeps["axes"].iloc[0] == "optim.encoder_lr,optim.decoder_lr"
    assert json.loads(sweeps.definition.iloc[0])["seeds"] == [0, 1]


# ---- the store's tables -----------------------------------------------------------------------

def test_runs_are_typed_with_the_config_flattened(toy_store, tmp_path):
    db, run = toy_store
    # a run with an empty test set: its test metrics are NULL in the store, NaN here
    empty = geneft.train(TOY, db=tmp_path / "empty.db", progress=False, task__train_count=55, **SHORT)
    runs = geneft.Store(tmp_path / "empty.db").runs()
    assert runs.id.tolist() == [empty]
    assert math.isnan(runs.final_test_acc[0]) and runs.final_train_acc[0] >= 0
    runs = geneft.Store(db).runs()
    row = runs.set_index("id").loc[run]
    assert row.status == "completed" and row.steps_done == 300 and row["task.kind"] == "plain_add"
    assert runs["optim.encoder_lr"].dtype == float and runs["train.steps"].dtype == np.int64
    assert runs.final_test_acc.dtype == float and runs.seed.dtype == np.int64
    assert "config" not in runs and "seed" in runs


def test_embeddings_and_checkpoints_match_the_json_export(cli, toy_store):
    db, run = toy_store
    store = geneft.Store(db)
    exported = json.loads(cli("export", db, "--run", run, "--format", "json", "--embeddings").stdout)
    snaps = store.embeddings(run)
    assert list(snaps) == [e["step"] for e in exported["embeddings"]]
    last = exported["embeddings"][-1]
    array = store.embeddings(run, step=last["step"])
    assert array.shape == (10, 1) and array.dtype == np.float32
    np.testing.assert_array_equal(array.ravel(), np.float32(last["values"]))
    with pytest.raises(geneft.StoreError, match="no embedding at step 7"):
        store.embeddings(run, step=7)
    checkpoints = store.checkpoints(run)
    assert checkpoints.step.tolist()[0] == 0 and checkpoints.step.tolist()[-1] == 300
    assert checkpoints.dtype.unique().tolist() == ["float32"]
    # the encoder is the embedding table: the same numbers at the same step
    np.testing.assert_array_equal(checkpoints.set_index("step").encoder[300], array.ravel().astype(float))


def test_llc_at_stored_checkpoints(toy_store):
    db, run = toy_store
    assert geneft.Store(db).llc(run).empty
    est = geneft.llc(db, run, checkpoints="last", chains=2, draws=20, burn_in=20, threads=1)
    assert est.step.tolist() == [300] and np.isfinite(est.llc[0])
    stored = geneft.Store(db).llc(run)
    assert stored.step.tolist() == [300] and stored.llc[0] == est.llc[0]
    with pytest.raises(geneft.ConfigError, match="unknown sampler option 'chainz'"):
        geneft.llc(db, run, chainz=2)
    with pytest.raises(geneft.StoreError, match="no checkpoint at step 7"):
        geneft.llc(db, run, checkpoints=[7])


def test_store_is_read_only_unless_asked(toy_store, tmp_path):
    db, run = toy_store
    copy = tmp_path / "copy.db"
    shutil.copy(db, copy)
    before = copy.read_bytes()
    store = geneft.Store(copy)
    store.runs(), store.curves(), store.embeddings(run), store.checkpoints(run), store.llc(run)
    assert copy.read_bytes() == before
    # an older store is upgraded in place when first opened, as the command line does (an old
    # store opens, lists and resumes: docs/trust.md)
    with sqlite3.connect(copy) as c:
        c.executescript("DROP TABLE llc_traces; DROP TABLE llc_estimates; DROP TABLE checkpoints; PRAGMA user_version = 2;")
    assert geneft.Store(copy).runs().id.tolist() == [run]  # migrated
    assert geneft.Store(copy).checkpoints(run).empty


# ---- errors: the command line's messages as exceptions -----------------------------------------

def test_bad_config_raises_config_error_with_the_cli_message(cli, tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text('[task]\nkind = "plain_add"\np = 10\nwidht = 3\n')
    message = cli_error(cli("train", bad, "--db", tmp_path / "x.db", check=False))
    with pytest.raises(geneft.ConfigError) as e:
        geneft.train(bad, db=tmp_path / "x.db", progress=False)
    assert str(e.value) == message and "widht" in message
    message = cli_error(cli("train", TOY, "--set", "optim.encoder_lr=-1", "--db", tmp_path / "x.db", check=False))
    with pytest.raises(geneft.ConfigError) as e:
        geneft.train(TOY, db=tmp_path / "x.db", progress=False, optim__encoder_lr=-1)
    assert str(e.value) == message
    assert not (tmp_path / "x.db").exists()  # nothing touched
    with pytest.raises(geneft.ConfigError, match="not a config value"):
        geneft.config({"task": {"p": None}})
    assert isinstance(e.value, geneft.Error)


def test_missing_and_foreign_stores_raise_store_error(cli, tmp_path):
    missing = tmp_path / "missing.db"
    with pytest.raises(geneft.StoreError) as e:
        geneft.Store(missing)
    assert str(e.value) == cli_error(cli("runs", missing, check=False))
    text = tmp_path / "notes.db"
    text.write_text("not a database at all, just some words that are long enough " * 20)
    with pytest.raises(geneft.StoreError) as e:
        geneft.Store(text)
    assert str(e.value) == cli_error(cli("runs", text, check=False))
    other = tmp_path / "other.db"
    with sqlite3.connect(other) as c:
        c.execute("CREATE TABLE t (x)")
    with pytest.raises(geneft.StoreError, match="not a geneft store"):
        geneft.Store(other)
    with pytest.raises(geneft.StoreError, match="not a geneft store"):
        geneft.train(TOY, db=other, progress=False, **SHORT)


def hostile_copy(store, tmp_path, sql):
    db, run = store
    copy = tmp_path / "hostile.db"
    shutil.copy(db, copy)
    with sqlite3.connect(copy) as c:
        c.executescript(sql)
    return copy, run


@pytest.mark.parametrize("version", [-1, 0, 99], ids=lambda v: f"user_version_{v}")
def test_bad_schema_version_raises(toy_store, tmp_path, version):
    copy, _ = hostile_copy(toy_store, tmp_path, f"PRAGMA user_version = {version};")
    for writable in (False, True):
        with pytest.raises(geneft.StoreError, match="schema version"):
            geneft.Store(copy, writable=writable)


def test_hostile_rows_raise_and_never_crash(toy_store, tmp_path):
    copy, run = hostile_copy(toy_store, tmp_path, """
        UPDATE embeddings SET data = substr(data, 1, 4) WHERE step = 0;
        UPDATE embeddings SET rows = -3 WHERE step = 20;
        UPDATE runs SET config = 'seed = "zero"';""")
    store = geneft.Store(copy)
    with pytest.raises(geneft.StoreError, match=r"\(10 x 1\): a 4-byte blob, its shape needs 10 elements"):
        store.embeddings(run)
    with pytest.raises(geneft.StoreError, match="seed"):
        store.runs()
    assert len(store.curves(run)) == 16


def test_a_short_checkpoint_blob_raises_before_sampling(toy_store, tmp_path):
    copy, run = hostile_copy(toy_store, tmp_path, "UPDATE checkpoints SET decoder = substr(decoder, 1, 8);")
    with pytest.raises(geneft.StoreError, match="weights, the run's model"):
        geneft.llc(copy, run, checkpoints="last", chains=2, draws=20, burn_in=20, threads=1)


@pytest.mark.parametrize("definition", ["{", "[1, 2]", '{"axes": 3}'], ids=["truncated", "a_list", "axes_a_number"])
def test_a_hostile_sweep_definition_raises(sweep_store, tmp_path, definition):
    copy, _ = hostile_copy(sweep_store, tmp_path, f"UPDATE sweeps SET definition = '{definition}';")
    store = geneft.Store(copy)
    for read in (store.sweeps, lambda: store.sweep("py-lr")):
        with pytest.raises(geneft.StoreError):
            read()


# ---- Ctrl-C and the GIL -----------------------------------------------------------------------

def interrupt_after(seconds):
    timer = threading.Timer(seconds, signal.raise_signal, args=(signal.SIGINT,))
    timer.start()
    return timer


def test_ctrl_c_stores_the_run_as_interrupted(tmp_path):
    db = tmp_path / "int.db"
    start = time.monotonic()
    interrupt_after(1.0)
    with pytest.raises(KeyboardInterrupt):
        geneft.train(TOY, db=db, progress=False, train__steps=10_000_000)
    assert time.monotonic() - start < 10
    runs = geneft.Store(db).runs()
    assert runs.status.tolist() == ["interrupted"] and 0 < runs.steps_done[0] < 10_000_000


def test_ctrl_c_in_a_sweep_leaves_in_flight_runs_interrupted(tmp_path):
    db = tmp_path / "int.db"
    interrupt_after(1.0)
    with pytest.raises(KeyboardInterrupt):
        geneft.sweep({"sweep": {"name": "long", "base": str(TOY), "seeds": 6}, "train": {"steps": 10_000_000}},
                     db=db, jobs=2, progress=False)
    runs = geneft.Store(db).runs()
    assert runs.status.tolist() == ["interrupted", "interrupted"]


def test_training_releases_the_gil(tmp_path):
    ticks = []
    done = threading.Event()

    def count():
        while not done.is_set():
            ticks.append(1)
            time.sleep(0.01)

    t = threading.Thread(target=count)
    t.start()
    geneft.train(TOY, db=tmp_path / "gil.db", progress=False, train__steps=3000)
    done.set()
    t.join()
    assert len(ticks) >= 10


def test_progress_bar_counts_steps_and_is_silent_off_a_terminal(tmp_path, capsys):
    geneft.train(TOY, db=tmp_path / "bar.db", progress=True, **SHORT)
    err = capsys.readouterr().err
    assert "train" in err and "300/300" in err
    geneft.train(TOY, db=tmp_path / "bar.db", force=True, **SHORT)  # stderr is captured here: not a terminal
    assert capsys.readouterr().err == ""


# ---- theory -----------------------------------------------------------------------------------

def log2_stirling2(n, k):
    return math.log2(sum((-1) ** j * math.comb(k, j) * (k - j) ** n for j in range(k + 1)) // math.factorial(k))


def test_statics_of_a_relation_task():
    b = geneft.description_length(RELATION)
    assert b["exact_bits"] == pytest.approx(log2_stirling2(30, 3), rel=1e-12)
    assert b["exact_formula"] and "equivalence" in b["relation"]
    p = geneft.base_rate(RELATION)
    assert p == pytest.approx((3 * 10 * 10) / 900)
    m_c = math.log(1 - 0.9) / math.log(1 - 1 / b["exact_bits"])
    assert geneft.critical_fraction(RELATION, alpha=0.9) == pytest.approx(m_c / 900, rel=1e-12)
    assert geneft.known_fraction(b["exact_bits"], m_c) == pytest.approx(0.9)
    np.testing.assert_allclose(geneft.f_ub(np.array([0.0, 1.0]), p), [1 - p, 1.0])
    oracle = geneft.oracle_accuracy(RELATION, [0.1, 0.5, 0.9], splits=5)
    assert oracle.train_fraction.tolist() == [0.1, 0.5, 0.9]
    assert oracle.accuracy.is_monotonic_increasing and oracle.accuracy.iloc[-1] > 0.95
    with pytest.raises(geneft.ConfigError, match="rel_equiv, rel_greater, rel_bipartite"):
        geneft.description_length(TOY)
    with pytest.raises(geneft.ConfigError, match="alpha"):
        geneft.critical_fraction(RELATION, alpha=1.5)


def test_repons_and_parallelograms_and_validation_lambda():
    eta = np.array([1e-4, 1e-3, 1e-2])
    expected = 2 / np.pi * np.arctan(2.0 * np.sqrt(eta / (2 * 1e-3)))
    np.testing.assert_allclose(geneft.repon_p_generalize(eta, 1e-3, sigma_a=2.0), expected, rtol=1e-12)
    assert isinstance(geneft.repon_p_generalize(1e-3, 1e-3), float)
    curve = geneft.parallelogram_p_determined(TOY, [5, 30, 54], sets=20)
    assert curve.train_count.tolist() == [5, 30, 54] and curve.sets.tolist() == [20] * 3
    assert curve.p_determined.iloc[0] < curve.p_determined.iloc[-1] == 1.0
    lam, source = geneft.validation_lambda("normal-crossing", k=[1, 2])
    assert lam == pytest.approx(0.25) and source
    with pytest.raises(geneft.ConfigError, match="plain_add"):
        geneft.parallelogram_p_determined(RELATION, [10])
