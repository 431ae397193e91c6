"""numpy side of npyWrapper's benchmark harness (io.npywrapper.bench).

A long-lived worker driven by the Java harness so that numpy's runs can be interleaved with
ours: it reads one JSON request per line on stdin and answers one JSON line on stdout. Times
are measured here with time.perf_counter_ns around the numpy calls only (no IPC, no imports).

Requests ({"op": ...}):
  hello                          -> versions
  open  {path, reps}             -> open_ns: list, one np.load(mmap_mode='r') + release each
  sum   {path}                   -> ns, value: np.load(mmap_mode='r').sum(), then release
  load  {path}                   -> ns: np.load(path) into memory, kept for "save"
  save  {path, fsync}            -> ns: np.save of the loaded array (fsync: flush + os.fsync)
  save_chunked {path, fsync, chunk_bytes}
                                 -> ns: the same file written as np.save's header, then the
                                    data in chunk_bytes writes (a reference, not numpy's API)
  drop                           -> frees the loaded array
  quit                           -> exits
Any failure answers {"error": "..."}.
"""

import json
import os
import platform
import sys
import time

import numpy as np

_loaded = None


def _open(path, reps):
    out = []
    for _ in range(reps):
        t0 = time.perf_counter_ns()
        a = np.load(path, mmap_mode="r")
        del a  # CPython frees the memmap (and unmaps) at once
        out.append(time.perf_counter_ns() - t0)
    return {"open_ns": out}


def _sum(path):
    t0 = time.perf_counter_ns()
    a = np.load(path, mmap_mode="r")
    s = a.sum()
    del a
    ns = time.perf_counter_ns() - t0
    return {"ns": ns, "value": float(s)}


def _load(path):
    global _loaded
    _loaded = None
    t0 = time.perf_counter_ns()
    _loaded = np.load(path)
    return {"ns": time.perf_counter_ns() - t0, "shape": list(_loaded.shape)}


def _save(path, fsync):
    if _loaded is None:
        raise RuntimeError("save before load")
    t0 = time.perf_counter_ns()
    if fsync:
        with open(path, "wb") as f:
            np.save(f, _loaded)
            f.flush()
            os.fsync(f.fileno())
    else:
        np.save(path, _loaded)
    return {"ns": time.perf_counter_ns() - t0}


def _save_chunked(path, fsync, chunk):
    if _loaded is None:
        raise RuntimeError("save before load")
    t0 = time.perf_counter_ns()
    with open(path, "wb", buffering=0) as f:
        header = np.lib.format.header_data_from_array_1_0(_loaded)
        np.lib.format.write_array_header_1_0(f, header)
        data = memoryview(_loaded.reshape(-1)).cast("B")
        for off in range(0, len(data), chunk):
            part = data[off : off + chunk]
            while len(part):
                part = part[f.write(part) :]
        if fsync:
            os.fsync(f.fileno())
    return {"ns": time.perf_counter_ns() - t0}


def _handle(req):
    global _loaded
    op = req["op"]
    if op == "hello":
        return {
            "numpy": np.__version__,
            "python": platform.python_version(),
            "executable": sys.executable,
        }
    if op == "open":
        return _open(req["path"], int(req["reps"]))
    if op == "sum":
        return _sum(req["path"])
    if op == "load":
        return _load(req["path"])
    if op == "save":
        return _save(req["path"], bool(req["fsync"]))
    if op == "save_chunked":
        return _save_chunked(req["path"], bool(req["fsync"]), int(req["chunk_bytes"]))
    if op == "drop":
        _loaded = None
        return {}
    raise ValueError("unknown op " + repr(op))


def main():
    for line in sys.stdin:
        line = line.strip()
        if not line:
            continue
        req = json.loads(line)
        if req.get("op") == "quit":
            print(json.dumps({"bye": True}), flush=True)
            return
        try:
            resp = _handle(req)
        except Exception as e:  # report, keep serving
            resp = {"error": type(e).__name__ + ": " + str(e)}
        print(json.dumps(resp), flush=True)


if __name__ == "__main__":
    main()
