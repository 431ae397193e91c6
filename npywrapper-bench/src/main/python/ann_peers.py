"""hnswlib and FAISS on the benchmark's .npy files: a worker driven by npyw-bench.jar's `ann`.

Runs with Debian's python3 (/usr/bin/python3: python3-hnswlib, python3-faiss, python3-numpy).
Everything single-threaded (OMP_NUM_THREADS=1, faiss.omp_set_num_threads(1), hnswlib
num_threads=1), one query per call.

  /usr/bin/python3 ann_peers.py --train T.npy --queries Q.npy --out-dir DIR [--k 10]

reads one JSON request per line on stdin and answers one JSON line on stdout, so that the
Java harness can interleave these libraries' measurements with its own (rounds over every
library, so that all see the same machine load):

  {"cmd": "build", "lib": L}   L in hnswlib, faiss-hnsw, faiss-ivf, faiss-flat
      -> {"library", "variant", "param", "max_value", "build_s", "index_bytes"}
         or {"skip": L, "reason": ...} when the module is missing
  {"cmd": "pass", "lib": L, "value": V, "save": true|false}
      -> {"qps": ..., "ids": PATH or null}: a warm-up over the first 200 queries, then every
         query once, timed; with save, the returned ids, (queries, k) int64 padded with -1,
         saved to PATH for the harness to compute recall with the same code for every library
  {"cmd": "quit"}
"""

import os

os.environ["OMP_NUM_THREADS"] = "1"

import argparse  # noqa: E402
import json  # noqa: E402
import math  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402

import numpy as np  # noqa: E402

M = 16
EF_CONSTRUCTION = 200
WARMUP = 200


def reply(**fields):
    sys.stdout.write(json.dumps(fields) + "\n")
    sys.stdout.flush()


class Peer:
    """One built index: its search function, its parameter setter and what building it cost."""

    def __init__(self, library, variant, param, max_value, build_s, index_bytes, set_value, search):
        self.library = library
        self.variant = variant
        self.param = param
        self.max_value = max_value
        self.build_s = build_s
        self.index_bytes = index_bytes
        self.set_value = set_value
        self.search = search


def build_hnswlib(train, k, out_dir):
    import hnswlib

    n, d = train.shape
    index = hnswlib.Index(space="l2", dim=d)
    t = time.perf_counter()
    index.init_index(max_elements=n, ef_construction=EF_CONSTRUCTION, M=M)
    index.set_num_threads(1)
    index.add_items(train, np.arange(n), num_threads=1)
    build_s = time.perf_counter() - t
    with tempfile.TemporaryDirectory(dir=out_dir) as tmp:
        f = os.path.join(tmp, "hnswlib.bin")
        index.save_index(f)
        index_bytes = os.path.getsize(f)
    return Peer("hnswlib", "HNSW M=%d efC=%d" % (M, EF_CONSTRUCTION), "ef", 1 << 30, build_s,
                index_bytes, lambda v: index.set_ef(max(v, k)),
                lambda q: index.knn_query(q, k=k, num_threads=1)[0])


def faiss_module():
    import faiss

    faiss.omp_set_num_threads(1)
    return faiss


def build_faiss_hnsw(train, k, out_dir):
    faiss = faiss_module()
    index = faiss.IndexHNSWFlat(train.shape[1], M)
    index.hnsw.efConstruction = EF_CONSTRUCTION
    t = time.perf_counter()
    index.add(train)
    build_s = time.perf_counter() - t

    def set_ef(v):
        index.hnsw.efSearch = max(v, k)

    return Peer("faiss", "HNSWFlat M=%d efC=%d" % (M, EF_CONSTRUCTION), "ef", 1 << 30, build_s,
                int(faiss.serialize_index(index).nbytes), set_ef,
                lambda q: index.search(q.reshape(1, -1), k)[1][0])


def build_faiss_ivf(train, k, out_dir):
    faiss = faiss_module()
    n, d = train.shape
    nlist = max(1, int(round(math.sqrt(n))))
    index = faiss.IndexIVFFlat(faiss.IndexFlatL2(d), d, nlist)
    t = time.perf_counter()
    index.train(train)
    index.add(train)
    build_s = time.perf_counter() - t

    def set_nprobe(v):
        index.nprobe = v

    return Peer("faiss", "IVFFlat nlist=%d" % nlist, "nprobe", nlist, build_s,
                int(faiss.serialize_index(index).nbytes), set_nprobe,
                lambda q: index.search(q.reshape(1, -1), k)[1][0])


def build_faiss_flat(train, k, out_dir):
    faiss = faiss_module()
    index = faiss.IndexFlatL2(train.shape[1])
    t = time.perf_counter()
    index.add(train)
    build_s = time.perf_counter() - t
    return Peer("faiss", "FlatL2", "exact", 0, build_s, int(faiss.serialize_index(index).nbytes),
                lambda v: None, lambda q: index.search(q.reshape(1, -1), k)[1][0])


BUILDERS = {
    "hnswlib": (build_hnswlib, "hnswlib", "python3-hnswlib"),
    "faiss-hnsw": (build_faiss_hnsw, "faiss", "python3-faiss"),
    "faiss-ivf": (build_faiss_ivf, "faiss", "python3-faiss"),
    "faiss-flat": (build_faiss_flat, "faiss", "python3-faiss"),
}


def run_pass(peer, queries, k, value, path):
    peer.set_value(value)
    for q in queries[:WARMUP]:
        peer.search(q)
    found = []
    t = time.perf_counter()
    for q in queries:
        found.append(peer.search(q))
    qps = len(queries) / (time.perf_counter() - t)
    if path is None:
        return qps
    ids = np.full((len(queries), k), -1, dtype=np.int64)
    for i, r in enumerate(found):
        r = np.asarray(r, dtype=np.int64).ravel()[:k]
        ids[i, : len(r)] = r
    np.save(path, ids)
    return qps


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--train", required=True)
    p.add_argument("--queries", required=True)
    p.add_argument("--out-dir", required=True)
    p.add_argument("--k", type=int, default=10)
    args = p.parse_args()
    train = np.ascontiguousarray(np.load(args.train, mmap_mode="r"), dtype=np.float32)
    queries = np.ascontiguousarray(np.load(args.queries), dtype=np.float32)
    if train.ndim != 2 or queries.ndim != 2 or train.shape[1] != queries.shape[1]:
        sys.exit("train %s and queries %s must be 2-d with the same dimension"
                 % (train.shape, queries.shape))
    os.makedirs(args.out_dir, exist_ok=True)
    peers = {}
    reply(ready=True, info="python %s, numpy %s" % (sys.version.split()[0], np.__version__))
    for line in sys.stdin:
        req = json.loads(line)
        cmd = req.get("cmd")
        if cmd == "quit":
            return
        lib = req.get("lib")
        if cmd == "build":
            if lib not in BUILDERS:
                sys.exit("unknown library %r, expected one of %s" % (lib, sorted(BUILDERS)))
            build, module, package = BUILDERS[lib]
            try:
                peer = build(train, args.k, args.out_dir)
            except ImportError as e:
                reply(skip=lib, reason="module %s not importable (%s): apt-get install %s"
                      % (module, e, package))
                continue
            peers[lib] = peer
            reply(library=peer.library, variant=peer.variant, param=peer.param,
                  max_value=peer.max_value, build_s=peer.build_s, index_bytes=peer.index_bytes)
        elif cmd == "pass":
            peer = peers[lib]
            value = int(req["value"])
            path = None
            if req.get("save"):
                path = os.path.join(args.out_dir, "%s-%s%d.npy" % (lib, peer.param, value))
            reply(qps=run_pass(peer, queries, args.k, value, path), ids=path)
        else:
            sys.exit("unknown command %r" % cmd)


if __name__ == "__main__":
    main()
