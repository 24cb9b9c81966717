"""Shared by the geneft serve tests: a store, a server on a free loopback port, raw requests."""
import os
import select
import socket
import subprocess
import time


def start_server(geneft, db, timeout=60):
    """Starts `geneft serve DB --port 0`, retrying while the store is still being created;
    returns (process, port)."""
    deadline = time.time() + timeout
    while True:
        proc = subprocess.Popen([geneft, "serve", db, "--port", "0"], stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True)
        ready, _, _ = select.select([proc.stdout], [], [], max(1.0, deadline - time.time()))
        line = proc.stdout.readline() if ready else ""
        if line.startswith("serving http://127.0.0.1:"):
            return proc, int(line.split(":")[2].split("/")[0])
        proc.kill()
        err = proc.communicate()[1]
        if time.time() > deadline:
            raise RuntimeError("geneft serve did not start: " + line + err)
        time.sleep(0.5)


def complete(answer):
    """True once the headers and Content-Length bytes of body have arrived (keep-alive: the
    server would hold the connection open)."""
    head, sep, rest = answer.partition(b"\r\n\r\n")
    if not sep:
        return False
    if not head.startswith(b"HTTP/1.1 2"):
        return True  # an error: its headers are enough
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            return len(rest) >= int(value)
    return False


def raw_request(port, data, timeout=15):
    """Sends bytes, returns the HTTP status of the answer (None if the server closed without one)
    and the answer. A request that is cut off waits for the server's read timeout (5 s)."""
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as s:
        try:
            s.sendall(data)
        except (BrokenPipeError, ConnectionResetError):
            pass
        answer = b""
        try:
            while len(answer) < 1 << 24 and not complete(answer):
                chunk = s.recv(65536)
                if not chunk:
                    break
                answer += chunk
        except (ConnectionResetError, socket.timeout):
            pass
    if not answer.startswith(b"HTTP/1."):
        return None, answer
    return int(answer.split(b" ")[1]), answer


def get(port, path):
    return raw_request(port, b"GET " + path.encode() + b" HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")


def body(answer):
    return answer.split(b"\r\n\r\n", 1)[1] if b"\r\n\r\n" in answer else b""
