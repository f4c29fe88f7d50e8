#!/usr/bin/env python3
"""Writes a synthetic dataset in the format torch_reference.py reads (numpy only).

This documents the dataset-directory contract between the Java trainer benchmark and
torch_reference.py; the Java side writes the same files from real training data.

  DIR/meta.json
      {"n": N, "dense": D,
       "fields": [{"name": "f0", "rows": R0}, ...],          # F sparse fields; ids are 0..R-1
       "embedding_dim": k,
       "embeddings": [{"name": "e0", "dim": E0, "projected_dim": P0 or null}, ...],
       "tasks": ["click", ...], "task_weights": [...],         # K tasks
       "cross_layers": L, "mlp": [256, 128], "concat_input": true,
       "dense_lr": 0.001, "embedding_lr": 0.01, "betas": [0.9, 0.999], "eps": 1e-8}
  DIR/dense.npy           float32 [N, D]   (0 where missing)
  DIR/dense_missing.npy   float32 [N, D]   (1 = missing, else 0)
  DIR/sparse_ids.npy      int64   [nnz]
  DIR/sparse_offsets.npy  int64   [N*F + 1]  CSR over bags in sample-major order: the bag of
                          sample i, field f is sparse_ids[off[i*F+f] : off[i*F+f+1]];
                          every bag holds >= 1 id (empty fields carry a reserved "absent" id)
  DIR/embeddings.npy      float32 [N, sum(E_j)]  (absent when "embeddings" is empty)
  DIR/labels.npy          float32 [N, K]
  DIR/weights.npy         float32 [N]

All .npy files are NumPy format v1.0, little-endian, C order (np.save writes exactly that
for these sizes).

Example:
  /usr/bin/python3 bench/trainer/make_fake_dataset.py --out /tmp/ds --n 20000 --rows 16385
"""
import argparse
import json
import os
import sys

import numpy as np


def parse_args(argv):
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--out", required=True, help="dataset directory to create/overwrite")
    p.add_argument("--n", type=int, default=20000, help="samples")
    p.add_argument("--dense", type=int, default=8, help="dense features D")
    p.add_argument("--fields", type=int, default=6, help="sparse fields F")
    p.add_argument("--rows", type=int, default=16385,
                   help="table rows per field (last row is used as the 'absent' id)")
    p.add_argument("--k", type=int, default=16, help="embedding_dim")
    p.add_argument("--emb-dims", default="64",
                   help="comma-separated dims of the embedding features ('' for none)")
    p.add_argument("--proj-dims", default="16",
                   help="comma-separated projected dims, 'null' for no projection ('' for none)")
    p.add_argument("--tasks", default="click,save,hide")
    p.add_argument("--task-weights", default="1.0,0.5,0.25")
    p.add_argument("--cross-layers", type=int, default=2)
    p.add_argument("--mlp", default="256,128")
    p.add_argument("--no-concat-input", action="store_true")
    p.add_argument("--missing-frac", type=float, default=0.1, help="fraction of missing dense values")
    p.add_argument("--absent-frac", type=float, default=0.05, help="fraction of bags with the absent id")
    p.add_argument("--max-bag", type=int, default=3, help="multi-valued bags hold 1..max-bag ids")
    p.add_argument("--multi-frac", type=float, default=0.3, help="fraction of bags that are multi-valued")
    p.add_argument("--id-dist", choices=["uniform", "skewed"], default="uniform",
                   help="uniform ids, or skewed towards low ids (id = floor((R-1) * u^3))")
    p.add_argument("--seed", type=int, default=1)
    return p.parse_args(argv)


def _csv(s, conv):
    s = s.strip()
    return [conv(x.strip()) for x in s.split(",")] if s else []


def main(argv=None):
    a = parse_args(sys.argv[1:] if argv is None else argv)
    rng = np.random.default_rng(a.seed)
    n, d, f = a.n, a.dense, a.fields
    if n <= 0 or d < 0 or f < 0 or a.rows < 2 or a.max_bag < 1:
        sys.exit("bad sizes")
    emb_dims = _csv(a.emb_dims, int)
    proj_dims = _csv(a.proj_dims, lambda x: None if x.lower() in ("null", "none") else int(x))
    if len(proj_dims) != len(emb_dims):
        sys.exit("--proj-dims needs one entry per --emb-dims entry")
    tasks = _csv(a.tasks, str)
    task_weights = _csv(a.task_weights, float)
    if len(tasks) != len(task_weights):
        sys.exit("--task-weights needs one entry per task")
    os.makedirs(a.out, exist_ok=True)

    # dense + missing mask
    dense = rng.standard_normal((n, d), dtype=np.float32)
    missing = (rng.random((n, d)) < a.missing_frac).astype(np.float32)
    dense[missing == 1.0] = 0.0

    # sparse bags, sample-major: bag b = i*F + f
    nbags = n * f
    lengths = np.ones(nbags, dtype=np.int64)
    multi = rng.random(nbags) < a.multi_frac
    if a.max_bag > 1:
        lengths[multi] = rng.integers(1, a.max_bag + 1, size=int(multi.sum()))
    absent = rng.random(nbags) < a.absent_frac
    lengths[absent] = 1
    offsets = np.zeros(nbags + 1, dtype=np.int64)
    np.cumsum(lengths, out=offsets[1:])
    nnz = int(offsets[-1])
    real_rows = a.rows - 1  # ids 0..rows-2 are values, rows-1 is "absent"
    u = rng.random(nnz)
    if a.id_dist == "skewed":
        u = u ** 3
    ids = np.minimum((u * real_rows).astype(np.int64), real_rows - 1)
    ids[offsets[:-1][absent]] = a.rows - 1

    emb = rng.standard_normal((n, sum(emb_dims)), dtype=np.float32)

    # labels loosely tied to the features so the loss moves
    k = len(tasks)
    logits = dense[:, : min(d, k)].sum(axis=1, keepdims=True) * 0.5 + rng.standard_normal((n, k))
    labels = (logits > 1.0).astype(np.float32)
    weights = rng.uniform(0.5, 2.0, size=n).astype(np.float32)

    meta = {
        "n": n,
        "dense": d,
        "fields": [{"name": "f%d" % i, "rows": a.rows} for i in range(f)],
        "embedding_dim": a.k,
        "embeddings": [{"name": "e%d" % j, "dim": e, "projected_dim": p}
                       for j, (e, p) in enumerate(zip(emb_dims, proj_dims))],
        "tasks": tasks,
        "task_weights": task_weights,
        "cross_layers": a.cross_layers,
        "mlp": _csv(a.mlp, int),
        "concat_input": not a.no_concat_input,
        "dense_lr": 0.001,
        "embedding_lr": 0.01,
        "betas": [0.9, 0.999],
        "eps": 1e-8,
    }

    def save(name, arr, dtype):
        np.save(os.path.join(a.out, name), np.ascontiguousarray(arr, dtype=np.dtype(dtype)))

    save("dense.npy", dense, "<f4")
    save("dense_missing.npy", missing, "<f4")
    save("sparse_ids.npy", ids, "<i8")
    save("sparse_offsets.npy", offsets, "<i8")
    emb_path = os.path.join(a.out, "embeddings.npy")
    if emb_dims:
        save("embeddings.npy", emb, "<f4")
    elif os.path.exists(emb_path):
        os.remove(emb_path)
    save("labels.npy", labels, "<f4")
    save("weights.npy", weights, "<f4")
    with open(os.path.join(a.out, "meta.json"), "w") as fh:
        json.dump(meta, fh, indent=1)
    print("wrote %s: n=%d dense=%d fields=%d rows=%d nnz=%d embeddings=%s tasks=%d"
          % (a.out, n, d, f, a.rows, nnz, emb_dims, k), file=sys.stderr)


if __name__ == "__main__":
    main()
