#!/usr/bin/env bash
# Registry alias lookup p50/p99 and req/s under concurrent load, next to a bare JDK HttpServer
# answering the same bytes (same client, same run), and manifest -> long-poll answered latency.
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
exec "${JAVA:-java}" -Xms1g -Xmx1g -XX:+UseParallelGC \
  -cp "bench/target/classes:$(cat bench/target/classpath.txt)" \
  dev.freshet.bench.registry.RegistryBenchmark "$@"
