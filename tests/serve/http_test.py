#!/usr/bin/python3
"""geneft serve on loopback: the page, its assets and the JSON API answer; a path outside the
assets, an unknown route and malformed requests get a 4xx (or a closed connection), never a
crash; the store is not written."""
import json
import os
import shutil
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor

from serve_common import body, get, raw_request, start_server

geneft = sys.argv[1]
work = tempfile.mkdtemp(prefix="geneft-serve-")
failures = []


def check(cond, what):
    if not cond:
        failures.append(what)
        print("FAIL", what)


try:
    db = os.path.join(work, "a.db")
    subprocess.run([geneft, "train", "examples/liu2022-toy.toml", "--set", "train.steps=200", "--db", db, "-q"],
                   check=True, stdout=subprocess.DEVNULL)
    before = open(db, "rb").read()
    proc, port = start_server(geneft, db)

    status, answer = get(port, "/")
    check(status == 200 and b"geneft dashboard" in answer, "GET / serves the page")
    status, answer = get(port, "/assets/plotly.min.js")
    check(status == 200 and len(body(answer)) > 100000, "plotly.js is served from the build")
    # As a browser asks for it: sent as it is, not compressed on the fly (brotli at its highest
    # quality took a minute of CPU for plotly.js on every page load).
    status, answer = raw_request(port, b"GET /assets/plotly.min.js HTTP/1.1\r\nHost: x\r\n"
                                 b"Accept-Encoding: gzip, deflate, br\r\nConnection: close\r\n\r\n")
    plotly = os.path.join(os.path.dirname(os.path.abspath(geneft)), "web", "plotly.min.js")
    check(status == 200 and b"content-encoding" not in answer.split(b"\r\n\r\n")[0].lower()
          and body(answer) == open(plotly, "rb").read(), "plotly.js is sent uncompressed, byte for byte")
    status, answer = get(port, "/api/runs")
    runs = json.loads(body(answer)) if status == 200 else []
    check(len(runs) == 1 and runs[0]["status"] == "completed", "GET /api/runs lists the run")
    status, answer = get(port, "/api/run?id=" + runs[0]["id"][:6] if runs else "/api/run?id=x")
    check(status == 200 and len(json.loads(body(answer))["curve"]) > 1, "GET /api/run has the curve")
    for path in ["/api/run?id=zzz", "/api/run", "/api/sweep?name=nope", "/api/sweep", "/nope",
                 "/assets/missing.js"]:
        check(get(port, path)[0] == 404, path + " is 404")

    # Paths that try to leave the assets folder: never 200, never a file's contents.
    for path in ["/assets/../CMakeCache.txt", "/assets/..%2f..%2fCMakeLists.txt", "/../../etc/passwd",
                 "//etc/passwd", "/assets/%2e%2e/%2e%2e/etc/passwd", "/assets/.%00./x", "/assets/"]:
        status, answer = get(port, path)
        check(status is not None and 400 <= status < 500 and b"root:" not in answer, path + " is refused: %s" % status)

    malformed = [
        b"garbage\r\n\r\n",
        b"GET\r\n\r\n",
        b"GET / HTTP/9.9\r\n\r\n",
        b"\x00\xff" * 4096,
        b"GET /" + b"a" * 100000 + b" HTTP/1.1\r\n\r\n",
        b"GET / HTTP/1.1\r\nX: " + b"b" * 100000 + b"\r\n\r\n",
        b"POST /api/runs HTTP/1.1\r\nContent-Length: 999999999\r\n\r\nxx",
        b"POST /api/runs HTTP/1.1\r\nContent-Length: -5\r\n\r\n",
        b"GET /api/run?id=%ZZ%ff HTTP/1.1\r\n\r\n",
        b"DELETE /api/runs HTTP/1.1\r\n\r\n",
        b"POST /api/runs HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
        b"GET / HTTP/1.1\r\nHost: x",  # cut off
    ]
    # All at once, each on its own connection: the cut-off ones wait out the server's 5 s read
    # timeout together (at most 8 connections are served at a time), not one after another.
    with ThreadPoolExecutor(max_workers=len(malformed)) as pool:
        answers = list(pool.map(lambda req: raw_request(port, req)[0], malformed))
    for req, status in zip(malformed, answers):
        check(status is None or 400 <= status < 500, "malformed %r... gets %s" % (req[:30], status))
    check(proc.poll() is None, "server alive after the malformed requests")
    check(get(port, "/api/status")[0] == 200, "still answering after the malformed requests")
    proc.kill()
    proc.wait(timeout=10)
    check(open(db, "rb").read() == before, "the store is unchanged")
finally:
    shutil.rmtree(work, ignore_errors=True)

print("%d failure(s)" % len(failures))
sys.exit(1 if failures else 0)
