"""Executes a notebook headless (nbclient) in a fresh folder; fails if any cell fails.

    run_notebook.py NOTEBOOK [OUTPUT.ipynb]

The notebook finds the examples through GENEFT_EXAMPLES (set here to the repository's examples/)
and writes its store into the working directory, a temporary folder.
"""
import os
import pathlib
import sys
import tempfile
import time

import nbclient
import nbformat

notebook = pathlib.Path(sys.argv[1]).resolve()
os.environ["GENEFT_EXAMPLES"] = str(notebook.parents[1])
# the kernel starts in another folder: PYTHONPATH=build/python must not be relative
os.environ["PYTHONPATH"] = os.pathsep.join(str(pathlib.Path(p).resolve())
                                           for p in os.environ.get("PYTHONPATH", "").split(os.pathsep) if p)
os.environ["PYDEVD_DISABLE_FILE_VALIDATION"] = "1"  # ipykernel's debugger warns about frozen modules otherwise
nb = nbformat.read(notebook, as_version=4)
start = time.monotonic()
with tempfile.TemporaryDirectory(prefix="geneft-notebook-") as work:
    try:
        nbclient.NotebookClient(nb, timeout=120, kernel_name="python3", resources={"metadata": {"path": work}}).execute()
    except nbclient.exceptions.CellExecutionError as e:
        print(f"{notebook}: a cell failed\n{e}", file=sys.stderr)
        sys.exit(1)
if len(sys.argv) > 2:
    nbformat.write(nb, sys.argv[2])
print(f"{notebook.name}: {sum(c.cell_type == 'code' for c in nb.cells)} code cells ran in {time.monotonic() - start:.1f} s")
