#!/usr/bin/env bash
# Trainer throughput next to PyTorch eager (Debian python3-torch), same model, same samples, one
# thread each: batch 512 and 4096, and step time as the embedding tables grow 16k -> 1M rows.
# Writes bench/target/trainer-bench/results.md.
#
#   bench/run-trainer-bench.sh [--samples 40960] [--steps 60] [--warmup 40] [--runs 2]
#                              [--batches 512,4096] [--rows 16384,131072,1048576] [--help]
#   bench/run-trainer-bench.sh service [--backlog 60000] [--rate 2000] [--seconds 60]
#                              [--interval 10s] [--batch 512]
#       the trainer inside its service (real Kafka broker and S3Proxy in this JVM): samples/s
#       next to the bare training loop, and event -> published freshness p50/p99 at a steady rate
#
# Needs /usr/bin/python3 with torch and numpy: apt-get install python3-torch libopenblas0-pthread
# (without OpenBLAS Debian's torch falls back to the reference BLAS, ~15x slower).
# Environment: JAVA (default: java on PATH), SKIP_BUILD=1 to reuse the last build.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! /usr/bin/python3 -c 'import torch, numpy' 2>/dev/null; then
  echo "run-trainer-bench: /usr/bin/python3 has no torch/numpy;" \
       "apt-get install python3-torch python3-numpy libopenblas0-pthread" >&2
  exit 2
fi
if [[ "${SKIP_BUILD:-0}" != "1" ]]; then
  mvn -B -q -Dspotless.check.skip=true -DskipTests -f bench/pom.xml package
fi
# Same conditions as the trainer: one intra-op thread, MKL's reproducible mode, DJL offline.
export MKL_CBWR=AUTO,STRICT OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1
MAIN=dev.freshet.bench.trainer.TrainerBenchmark
if [[ "${1:-}" == "service" ]]; then
  MAIN=dev.freshet.bench.trainer.ServiceBenchmark
  shift
fi
exec "${JAVA:-java}" -Xms3g -Xmx3g -XX:+UseParallelGC \
  -Dai.djl.offline=true -Dai.djl.pytorch.num_threads=1 \
  -cp "bench/target/classes:$(cat bench/target/classpath.txt)" \
  "$MAIN" "$@"
