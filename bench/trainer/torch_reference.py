#!/usr/bin/env python3
"""PyTorch eager reference for the trainer benchmark.

Trains the multi-task ranking model (missing-value layer, mean-pooled sparse fields,
optional projected embedding features, DCNv2 full-rank cross network, MLP, weighted
multi-task BCE) on a dataset directory written by the Java benchmark, and prints ONE
JSON line with the measured training throughput on stdout. Everything else goes to stderr.

  /usr/bin/python3 bench/trainer/torch_reference.py --data DIR --batch 512 --steps 50 \
      --warmup 5 --embedding-optimizer dense-adam|sparse-adam [--threads 1] [--seed 1]

Dataset format: see make_fake_dataset.py next to this file. Exit code 2 = bad dataset.

Batching: the data is read as a cyclic stream; step s (warm-up steps included, s = 0, 1, ...)
trains on samples (s*B + j) mod N, j = 0..B-1, so every batch has exactly B samples and
a batch that runs past the end continues at sample 0. All distinct batches are turned into
tensors before the clock starts; only zero_grad/forward/loss/backward/step are timed.
"""
import argparse
import os
import sys


def parse_args(argv):
    p = argparse.ArgumentParser(description="PyTorch eager reference benchmark for the trainer")
    p.add_argument("--data", required=True, help="dataset directory (meta.json + .npy files)")
    p.add_argument("--batch", type=int, default=512)
    p.add_argument("--steps", type=int, default=50, help="timed steps")
    p.add_argument("--warmup", type=int, default=5, help="untimed steps before the timed ones")
    p.add_argument("--embedding-optimizer", choices=["dense-adam", "sparse-adam"],
                   default="dense-adam")
    p.add_argument("--threads", type=int, default=1)
    p.add_argument("--seed", type=int, default=1)
    a = p.parse_args(argv)
    if a.batch < 1 or a.steps < 1 or a.warmup < 0 or a.threads < 1:
        p.error("--batch, --steps and --threads must be >= 1, --warmup >= 0")
    return a


ARGS = parse_args(sys.argv[1:])
# Must happen before torch (and numpy's BLAS) are loaded.
for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_var] = str(ARGS.threads)

import json  # noqa: E402
import math  # noqa: E402
import re  # noqa: E402
import time  # noqa: E402

import numpy as np  # noqa: E402
import torch  # noqa: E402
import torch.nn as nn  # noqa: E402
import torch.nn.functional as F  # noqa: E402


class BadDataset(Exception):
    pass


# ----------------------------------------------------------------------------- data loading

def _load_npy(data_dir, name, dtype, shape):
    """Loads DIR/name, checks dtype ('<f4'/'<i8') and shape (None = any size on that axis)."""
    path = os.path.join(data_dir, name)
    if not os.path.isfile(path):
        raise BadDataset("missing file %s" % path)
    try:
        arr = np.load(path, allow_pickle=False)
    except Exception as e:  # noqa: BLE001 - any parse error is a bad dataset
        raise BadDataset("cannot read %s: %s" % (path, e))
    if arr.dtype.str != np.dtype(dtype).str:
        raise BadDataset("%s: dtype %s, expected %s" % (name, arr.dtype.str, np.dtype(dtype).str))
    if arr.ndim != len(shape) or any(s is not None and s != a for s, a in zip(shape, arr.shape)):
        want = "[" + ", ".join("?" if s is None else str(s) for s in shape) + "]"
        raise BadDataset("%s: shape %s, expected %s" % (name, list(arr.shape), want))
    return np.ascontiguousarray(arr)


def _req(meta, key, kind):
    if key not in meta:
        raise BadDataset("meta.json: missing key %r" % key)
    v = meta[key]
    if kind == "int" and not (isinstance(v, int) and not isinstance(v, bool)):
        raise BadDataset("meta.json: %r must be an integer, got %r" % (key, v))
    if kind == "num" and not (isinstance(v, (int, float)) and not isinstance(v, bool)):
        raise BadDataset("meta.json: %r must be a number, got %r" % (key, v))
    if kind == "list" and not isinstance(v, list):
        raise BadDataset("meta.json: %r must be a list, got %r" % (key, v))
    if kind == "bool" and not isinstance(v, bool):
        raise BadDataset("meta.json: %r must be true/false, got %r" % (key, v))
    return v


def load_dataset(data_dir):
    meta_path = os.path.join(data_dir, "meta.json")
    if not os.path.isdir(data_dir):
        raise BadDataset("dataset directory %s does not exist" % data_dir)
    if not os.path.isfile(meta_path):
        raise BadDataset("missing file %s" % meta_path)
    try:
        with open(meta_path) as fh:
            meta = json.load(fh)
    except ValueError as e:
        raise BadDataset("meta.json is not valid JSON: %s" % e)
    if not isinstance(meta, dict):
        raise BadDataset("meta.json must hold an object")

    n = _req(meta, "n", "int")
    d = _req(meta, "dense", "int")
    fields = _req(meta, "fields", "list")
    k = _req(meta, "embedding_dim", "int")
    embs = _req(meta, "embeddings", "list")
    tasks = _req(meta, "tasks", "list")
    task_weights = _req(meta, "task_weights", "list")
    cross_layers = _req(meta, "cross_layers", "int")
    mlp = _req(meta, "mlp", "list")
    concat_input = _req(meta, "concat_input", "bool")
    for key in ("dense_lr", "embedding_lr", "eps"):
        _req(meta, key, "num")
    betas = _req(meta, "betas", "list")
    if n < 1 or d < 0 or k < 1 or cross_layers < 0:
        raise BadDataset("meta.json: need n >= 1, dense >= 0, embedding_dim >= 1, cross_layers >= 0")
    if not tasks or len(task_weights) != len(tasks):
        raise BadDataset("meta.json: need >= 1 task and one task_weight per task (%d tasks, %d weights)"
                         % (len(tasks), len(task_weights)))
    if len(betas) != 2:
        raise BadDataset("meta.json: betas must have 2 entries")
    for i, fd in enumerate(fields):
        if not isinstance(fd, dict) or not isinstance(fd.get("rows"), int) or fd["rows"] < 1:
            raise BadDataset("meta.json: fields[%d] needs an integer rows >= 1, got %r" % (i, fd))
    for j, ed in enumerate(embs):
        if not isinstance(ed, dict) or not isinstance(ed.get("dim"), int) or ed["dim"] < 1:
            raise BadDataset("meta.json: embeddings[%d] needs an integer dim >= 1, got %r" % (j, ed))
        pd = ed.get("projected_dim")
        if pd is not None and not (isinstance(pd, int) and pd >= 1):
            raise BadDataset("meta.json: embeddings[%d].projected_dim must be null or >= 1" % j)
    for h in mlp:
        if not isinstance(h, int) or h < 1:
            raise BadDataset("meta.json: mlp sizes must be integers >= 1, got %r" % (mlp,))

    nf = len(fields)
    ntasks = len(tasks)
    emb_total = sum(ed["dim"] for ed in embs)

    dense = _load_npy(data_dir, "dense.npy", "<f4", (n, d))
    missing = _load_npy(data_dir, "dense_missing.npy", "<f4", (n, d))
    ids = _load_npy(data_dir, "sparse_ids.npy", "<i8", (None,))
    offsets = _load_npy(data_dir, "sparse_offsets.npy", "<i8", (n * nf + 1,))
    if emb_total > 0:
        emb = _load_npy(data_dir, "embeddings.npy", "<f4", (n, emb_total))
    else:
        emb = np.zeros((n, 0), dtype=np.float32)
    labels = _load_npy(data_dir, "labels.npy", "<f4", (n, ntasks))
    weights = _load_npy(data_dir, "weights.npy", "<f4", (n,))

    # content checks
    if not np.isfinite(dense).all():
        raise BadDataset("dense.npy holds NaN/Inf (missing values must be 0 with dense_missing=1)")
    if not np.isin(missing, (0.0, 1.0)).all():
        raise BadDataset("dense_missing.npy must hold only 0 and 1")
    if emb.size and not np.isfinite(emb).all():
        raise BadDataset("embeddings.npy holds NaN/Inf")
    if not (np.isfinite(labels).all() and (labels >= 0).all() and (labels <= 1).all()):
        raise BadDataset("labels.npy must hold values in [0, 1]")
    if not (np.isfinite(weights).all() and (weights >= 0).all()):
        raise BadDataset("weights.npy must hold finite values >= 0")
    if offsets[0] != 0 or offsets[-1] != ids.shape[0]:
        raise BadDataset("sparse_offsets.npy must start at 0 and end at len(sparse_ids) = %d (got %d..%d)"
                         % (ids.shape[0], offsets[0], offsets[-1]))
    lengths = np.diff(offsets)
    if nf and (lengths < 1).any():
        bad = int(np.argmax(lengths < 1))
        raise BadDataset("sparse_offsets.npy: bag of sample %d field %d has %d ids (need >= 1)"
                         % (bad // nf, bad % nf, lengths[bad]))
    if nf:
        rows = np.array([fd["rows"] for fd in fields], dtype=np.int64)
        id_field = np.repeat(np.tile(np.arange(nf), n), lengths)
        bad = (ids < 0) | (ids >= rows[id_field])
        if bad.any():
            p = int(np.argmax(bad))
            raise BadDataset("sparse_ids.npy[%d] = %d is outside field %d's table (rows=%d)"
                             % (p, ids[p], id_field[p], rows[id_field[p]]))
    return dict(meta=meta, n=n, dense=dense, missing=missing, ids=ids, offsets=offsets,
                emb=emb, labels=labels, weights=weights)


def build_batches(ds, batch, total_steps):
    """Tensors for every distinct batch of the cyclic stream that total_steps steps touch."""
    n = ds["n"]
    nf = len(ds["meta"]["fields"])
    emb_dims = [ed["dim"] for ed in ds["meta"]["embeddings"]]
    period = n // math.gcd(n, batch)  # batch s and batch s + period start at the same sample
    count = min(total_steps, period)
    ids_all, off_all = ds["ids"], ds["offsets"]
    out = []
    for s in range(count):
        idx = (s * batch + np.arange(batch, dtype=np.int64)) % n
        b = {
            "dense": torch.from_numpy(ds["dense"][idx]),
            "missing": torch.from_numpy(ds["missing"][idx]),
            "labels": torch.from_numpy(ds["labels"][idx]),
            "weights": torch.from_numpy(ds["weights"][idx]),
        }
        inputs, offs = [], []
        for f in range(nf):
            bag = idx * nf + f
            start, end = off_all[bag], off_all[bag + 1]
            ln = end - start
            bag_off = np.zeros(batch, dtype=np.int64)
            np.cumsum(ln[:-1], out=bag_off[1:])
            total = int(ln.sum())
            pos = np.repeat(start - bag_off, ln) + np.arange(total, dtype=np.int64)
            inputs.append(torch.from_numpy(ids_all[pos]))
            offs.append(torch.from_numpy(bag_off))
        b["sparse_input"], b["sparse_offsets"] = inputs, offs
        embs, c = [], 0
        for e in emb_dims:
            embs.append(torch.from_numpy(np.ascontiguousarray(ds["emb"][idx, c:c + e])))
            c += e
        b["embeddings"] = embs
        out.append(b)
    return out


# ----------------------------------------------------------------------------- model

def l2_normalize(x):
    return x / torch.sqrt((x * x).sum(dim=1, keepdim=True) + 1e-12)


class RankingModel(nn.Module):
    def __init__(self, meta, sparse):
        super().__init__()
        d = meta["dense"]
        k = meta["embedding_dim"]
        self.delta = nn.Parameter(torch.zeros(d))
        bound = math.sqrt(3.0 / k)
        self.tables = nn.ModuleList()
        for fd in meta["fields"]:
            t = nn.EmbeddingBag(fd["rows"], k, mode="mean", sparse=sparse)
            nn.init.uniform_(t.weight, -bound, bound)
            self.tables.append(t)
        self.projections = nn.ModuleList()
        x0 = d + k * len(meta["fields"])
        for ed in meta["embeddings"]:
            if ed.get("projected_dim") is None:
                self.projections.append(nn.Identity())
                x0 += ed["dim"]
            else:
                self.projections.append(nn.Linear(ed["dim"], ed["projected_dim"], bias=False))
                x0 += ed["projected_dim"]
        if x0 < 1:
            raise BadDataset("model input x0 is empty (no dense, sparse or embedding features)")
        self.x0_dim = x0
        self.cross = nn.ModuleList(nn.Linear(x0, x0) for _ in range(meta["cross_layers"]))
        self.concat_input = meta["concat_input"]
        layers = []
        width = 2 * x0 if self.concat_input else x0
        for h in meta["mlp"]:
            layers += [nn.Linear(width, h), nn.ReLU()]
            width = h
        layers.append(nn.Linear(width, len(meta["tasks"])))
        self.mlp = nn.Sequential(*layers)
        for m in self.modules():
            if isinstance(m, nn.Linear):
                nn.init.xavier_uniform_(m.weight)
                if m.bias is not None:
                    nn.init.zeros_(m.bias)

    def table_parameters(self):
        return [t.weight for t in self.tables]

    def dense_parameters(self):
        table_ids = {id(p) for p in self.table_parameters()}
        return [p for p in self.parameters() if id(p) not in table_ids]

    def forward(self, dense, missing, sparse_input, sparse_offsets, embeddings):
        parts = [dense * (1 - missing) + missing * self.delta]
        for table, inp, off in zip(self.tables, sparse_input, sparse_offsets):
            parts.append(l2_normalize(table(inp, off)))
        for proj, e in zip(self.projections, embeddings):
            parts.append(l2_normalize(proj(e)))
        x0 = torch.cat(parts, dim=1)
        x = x0
        for lin in self.cross:
            x = x0 * lin(x) + x
        h = torch.cat([x, x0], dim=1) if self.concat_input else x
        return self.mlp(h)


def multitask_loss(logits, labels, weights, task_weights):
    bce = F.binary_cross_entropy_with_logits(logits, labels, reduction="none")  # [B, K]
    per_task = (weights.unsqueeze(1) * bce).sum(dim=0) / weights.sum()       # [K]
    return (per_task * task_weights).sum()


# ----------------------------------------------------------------------------- misc

def blas_string():
    """BLAS_INFO from torch's build config, plus the BLAS library actually mapped (Debian's
    torch is built against the generic libblas.so.3 and gets whichever alternative is set)."""
    try:
        cfg = torch.__config__.show()
    except Exception:  # noqa: BLE001
        cfg = ""
    m = re.search(r"BLAS_INFO=([^,\s]+)", cfg)
    info = m.group(1) if m else None
    lib = None
    try:
        with open("/proc/self/maps") as fh:
            paths = {line.split()[-1] for line in fh if "/" in line}
        for p in sorted(paths):
            base = os.path.basename(p)
            if base.startswith(("libopenblas", "libmkl_core", "libblis", "libblas.so")):
                real = os.path.realpath(p)
                cand = "%s/%s" % (os.path.basename(os.path.dirname(real)), os.path.basename(real))
                if lib is None or "libblas.so" in lib:  # prefer the concrete implementation
                    lib = cand
    except OSError:
        pass
    if info and lib:
        return "%s (%s)" % (info, lib)
    return info or lib or "unknown"


def main():
    args = ARGS
    try:
        torch.set_num_threads(args.threads)
    except Exception as e:  # noqa: BLE001
        print("warning: set_num_threads failed: %s" % e, file=sys.stderr)
    try:
        torch.set_num_interop_threads(1)
    except Exception as e:  # noqa: BLE001
        print("warning: set_num_interop_threads failed: %s" % e, file=sys.stderr)
    torch.manual_seed(args.seed)

    try:
        ds = load_dataset(args.data)
        meta = ds["meta"]
        sparse = args.embedding_optimizer == "sparse-adam"
        model = RankingModel(meta, sparse=sparse)
    except BadDataset as e:
        print("torch_reference.py: bad dataset %s: %s" % (args.data, e), file=sys.stderr)
        return 2

    total = args.warmup + args.steps
    batches = build_batches(ds, args.batch, total)
    del ds
    task_weights = torch.tensor(meta["task_weights"], dtype=torch.float32)

    tables = model.table_parameters()
    rest = model.dense_parameters()
    betas = tuple(float(b) for b in meta["betas"])
    eps = float(meta["eps"])
    if sparse:
        optimizers = [torch.optim.Adam(rest, lr=meta["dense_lr"], betas=betas, eps=eps)]
        if tables:
            optimizers.append(torch.optim.SparseAdam(tables, lr=meta["embedding_lr"],
                                                     betas=betas, eps=eps))
    else:
        groups = [{"params": rest, "lr": meta["dense_lr"]}]
        if tables:
            groups.append({"params": tables, "lr": meta["embedding_lr"]})
        optimizers = [torch.optim.Adam(groups, betas=betas, eps=eps)]

    def step(b):
        for opt in optimizers:
            opt.zero_grad(set_to_none=True)
        logits = model(b["dense"], b["missing"], b["sparse_input"], b["sparse_offsets"],
                       b["embeddings"])
        loss = multitask_loss(logits, b["labels"], b["weights"], task_weights)
        loss.backward()
        for opt in optimizers:
            opt.step()
        return loss

    model.train()
    nb = len(batches)
    for s in range(args.warmup):
        step(batches[s % nb])
    loss = None
    t0 = time.perf_counter()
    c0 = time.process_time()
    for s in range(args.warmup, total):
        loss = step(batches[s % nb])
    seconds = time.perf_counter() - t0
    # CPU seconds of the whole process: the number that survives other load on a shared machine.
    cpu_seconds = time.process_time() - c0
    final_loss = float(loss.item())
    if not math.isfinite(final_loss):
        print("warning: final loss is %r (all sample weights 0 in a batch?)" % final_loss,
              file=sys.stderr)

    result = {
        "impl": "pytorch",
        "torch": torch.__version__,
        "embedding_optimizer": args.embedding_optimizer,
        "batch": args.batch,
        "steps": args.steps,
        "seconds": seconds,
        "samples_per_second": args.batch * args.steps / seconds,
        "ms_per_step": 1000.0 * seconds / args.steps,
        "cpu_seconds": cpu_seconds,
        "samples_per_cpu_second": args.batch * args.steps / cpu_seconds,
        "final_loss": final_loss,
        "params_dense": sum(p.numel() for p in rest),
        "table_rows": sum(fd["rows"] for fd in meta["fields"]),
        "threads": torch.get_num_threads(),
        "blas": blas_string(),
    }
    sys.stdout.write(json.dumps(result) + "\n")
    sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
