#!/usr/bin/env bash
# Registry alias lookup p50/p99 and req/s under concurrent load, next to a bare JDK HttpServer
# answering the same bytes (same client, same run), manifest -> long-poll answered latency, and
# publish -> serving replica swapped (SWAPS=10 versions).
# Writes bench/target/registry-bench/results.md.
#
#   bench/run-registry-bench.sh [workers=16] [seconds=8] [rounds=2] [publishes=15]
#
# Environment: JAVA (default: java on PATH), SKIP_BUILD=1 to reuse the last build.
set -euo pipefail
cd "$(dirname "$0")/.."
if [[ "${SKIP_BUILD:-0}" != "1" ]]; then
  mvn -B -q -Dspotless.check.skip=true -DskipTests -f bench/pom.xml package
fi
CP="bench/target/classes:$(cat bench/target/classpath.txt)"
"${JAVA:-java}" -Xms1g -Xmx1g -XX:+UseParallelGC -cp "$CP" \
  dev.freshet.bench.registry.RegistryBenchmark "$@"
# Publish -> replica swapped, with the trainer's conditions (one intra-op thread, DJL offline).
MKL_CBWR=AUTO,STRICT OMP_NUM_THREADS=1 "${JAVA:-java}" -Xms1g -Xmx2g -XX:+UseParallelGC \
  -Dai.djl.offline=true -Dai.djl.pytorch.num_threads=1 -cp "$CP" \
  dev.freshet.bench.registry.SwapBenchmark "${SWAPS:-10}"
