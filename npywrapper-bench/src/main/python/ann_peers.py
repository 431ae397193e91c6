"""hnswlib and FAISS on the benchmark's .npy files, for npyw-bench.jar's `ann` command.

Runs with Debian's python3 (/usr/bin/python3: python3-hnswlib, python3-faiss, python3-numpy).
Everything single-threaded (OMP_NUM_THREADS=1, hnswlib num_threads=1), one query per call.
For every sweep point it saves the returned ids, (queries, k) int64 padded with -1, to
OUT_DIR and prints one JSON line; the Java harness computes recall from those files with the
same code as for every other library. A library whose module is missing is skipped with a
{"skip": ..., "reason": ...} line.

  /usr/bin/python3 ann_peers.py --train T.npy --queries Q.npy --out-dir DIR --k 10 \
      --efs 10,20,40 --nprobes 1,4,16 --reps 3 --libs hnswlib,faiss-hnsw,faiss-ivf,faiss-flat
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


def emit(**fields):
    print(json.dumps(fields), flush=True)


def ints(text):
    return [int(x) for x in text.split(",") if x]


def timed_runs(search, queries, k, reps):
    """Returns (qps of each run, ids of the first run) searching one query per call."""
    for q in queries[:WARMUP]:
        search(q)
    runs = []
    first = None
    for _ in range(reps):
        found = []
        t = time.perf_counter()
        for q in queries:
            found.append(search(q))
        runs.append(len(queries) / (time.perf_counter() - t))
        if first is None:
            first = found
    ids = np.full((len(queries), k), -1, dtype=np.int64)
    for i, r in enumerate(first):
        r = np.asarray(r, dtype=np.int64).ravel()[:k]
        ids[i, : len(r)] = r
    return runs, ids


def report(args, library, variant, param, value, runs, ids, build_s, index_bytes):
    path = os.path.join(args.out_dir, "%s-%s-%s%d.npy" % (library, variant_tag(variant), param, value))
    np.save(path, ids)
    emit(library=library, variant=variant, param=param, value=value, qps_runs=runs,
         build_s=build_s, index_bytes=index_bytes, ids=path)


def variant_tag(variant):
    return "".join(c if c.isalnum() else "_" for c in variant)


def run_hnswlib(args, train, queries):
    try:
        import hnswlib
    except ImportError as e:
        emit(skip="hnswlib", reason="module hnswlib not importable (%s): apt-get install python3-hnswlib" % e)
        return
    n, d = train.shape
    index = hnswlib.Index(space="l2", dim=d)
    t = time.perf_counter()
    index.init_index(max_elements=n, ef_construction=EF_CONSTRUCTION, M=M)
    index.set_num_threads(1)
    index.add_items(train, np.arange(n), num_threads=1)
    build_s = time.perf_counter() - t
    with tempfile.TemporaryDirectory(dir=args.out_dir) as tmp:
        f = os.path.join(tmp, "hnswlib.bin")
        index.save_index(f)
        index_bytes = os.path.getsize(f)
    variant = "HNSW M=%d efC=%d" % (M, EF_CONSTRUCTION)
    k = args.k
    for ef in args.efs:
        index.set_ef(max(ef, k))
        runs, ids = timed_runs(lambda q: index.knn_query(q, k=k, num_threads=1)[0], queries, k, args.reps)
        report(args, "hnswlib", variant, "ef", ef, runs, ids, build_s, index_bytes)


def import_faiss():
    try:
        import faiss
    except ImportError as e:
        emit(skip="faiss", reason="module faiss not importable (%s): apt-get install python3-faiss" % e)
        return None
    faiss.omp_set_num_threads(1)
    return faiss


def faiss_bytes(faiss, index):
    return int(faiss.serialize_index(index).nbytes)


def run_faiss_hnsw(args, faiss, train, queries):
    d = train.shape[1]
    index = faiss.IndexHNSWFlat(d, M)
    index.hnsw.efConstruction = EF_CONSTRUCTION
    t = time.perf_counter()
    index.add(train)
    build_s = time.perf_counter() - t
    index_bytes = faiss_bytes(faiss, index)
    k = args.k
    variant = "HNSWFlat M=%d efC=%d" % (M, EF_CONSTRUCTION)
    for ef in args.efs:
        index.hnsw.efSearch = max(ef, k)
        runs, ids = timed_runs(lambda q: index.search(q.reshape(1, -1), k)[1][0], queries, k, args.reps)
        report(args, "faiss", variant, "ef", ef, runs, ids, build_s, index_bytes)


def run_faiss_ivf(args, faiss, train, queries):
    n, d = train.shape
    nlist = max(1, int(round(math.sqrt(n))))
    quantizer = faiss.IndexFlatL2(d)
    index = faiss.IndexIVFFlat(quantizer, d, nlist)
    t = time.perf_counter()
    index.train(train)
    index.add(train)
    build_s = time.perf_counter() - t
    index_bytes = faiss_bytes(faiss, index)
    k = args.k
    variant = "IVFFlat nlist=%d" % nlist
    for nprobe in args.nprobes:
        if nprobe > nlist:
            continue
        index.nprobe = nprobe
        runs, ids = timed_runs(lambda q: index.search(q.reshape(1, -1), k)[1][0], queries, k, args.reps)
        report(args, "faiss", variant, "nprobe", nprobe, runs, ids, build_s, index_bytes)


def run_faiss_flat(args, faiss, train, queries):
    d = train.shape[1]
    index = faiss.IndexFlatL2(d)
    t = time.perf_counter()
    index.add(train)
    build_s = time.perf_counter() - t
    k = args.k
    runs, ids = timed_runs(lambda q: index.search(q.reshape(1, -1), k)[1][0], queries, k, 1)
    report(args, "faiss", "FlatL2", "exact", 0, runs, ids, build_s, faiss_bytes(faiss, index))


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--train", required=True)
    p.add_argument("--queries", required=True)
    p.add_argument("--out-dir", required=True)
    p.add_argument("--k", type=int, default=10)
    p.add_argument("--efs", type=ints, default=[10, 20, 40, 80, 160, 320])
    p.add_argument("--nprobes", type=ints, default=[1, 2, 4, 8, 16, 32, 64])
    p.add_argument("--reps", type=int, default=3)
    p.add_argument("--libs", default="hnswlib,faiss-hnsw,faiss-ivf,faiss-flat")
    args = p.parse_args()
    train = np.ascontiguousarray(np.load(args.train, mmap_mode="r"), dtype=np.float32)
    queries = np.ascontiguousarray(np.load(args.queries), dtype=np.float32)
    if train.ndim != 2 or queries.ndim != 2 or train.shape[1] != queries.shape[1]:
        sys.exit("train %s and queries %s must be 2-d with the same dimension" % (train.shape, queries.shape))
    os.makedirs(args.out_dir, exist_ok=True)
    emit(info="numpy %s, python %s" % (np.__version__, sys.version.split()[0]))
    libs = [x for x in args.libs.split(",") if x]
    unknown = set(libs) - {"hnswlib", "faiss-hnsw", "faiss-ivf", "faiss-flat"}
    if unknown:
        sys.exit("unknown --libs %s" % sorted(unknown))
    if "hnswlib" in libs:
        run_hnswlib(args, train, queries)
    faiss_libs = [x for x in libs if x.startswith("faiss-")]
    if faiss_libs:
        faiss = import_faiss()
        if faiss is not None:
            emit(info="faiss %s" % faiss.__version__)
            if "faiss-hnsw" in faiss_libs:
                run_faiss_hnsw(args, faiss, train, queries)
            if "faiss-ivf" in faiss_libs:
                run_faiss_ivf(args, faiss, train, queries)
            if "faiss-flat" in faiss_libs:
                run_faiss_flat(args, faiss, train, queries)


if __name__ == "__main__":
    main()
