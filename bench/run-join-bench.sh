#!/usr/bin/env bash
# Label-join throughput: our DataStream job vs the same join in Flink SQL, through a real Kafka
# broker with exactly-once output. Writes bench/target/join-bench/results.md.
#
#   bench/run-join-bench.sh [--impressions 200000] [--warmup-impressions 50000] [--runs 2]
#                           [--parallelism 1] [--profile ours|sql|both|none] [--help] ...
#   bench/run-join-bench.sh stages [impressions]     CPU per event of parse / join / encode, no Kafka
#   bench/run-join-bench.sh hotspots FILE.jfr [top]  summary of a --profile recording
#
# Environment: JAVA (default: java on PATH), BENCH_JVM_OPTS (the parent JVM: broker, load, reader),
# SKIP_BUILD=1 to reuse the last build.
set -euo pipefail
cd "$(dirname "$0")/.."

if [[ "${SKIP_BUILD:-0}" != "1" ]]; then
  # -f instead of -pl: builds the bench module against the installed sibling modules, without
  # reading (or building) the rest of the reactor.
  mvn -B -q -Dspotless.check.skip=true -DskipTests -f bench/pom.xml package
fi

JAVA="${JAVA:-java}"
# Snapshot the Freshet jars: other modules get re-installed into ~/.m2 while we run, and the job
# JVMs start minutes apart. The report names the flink-jobs jar by hash.
LIB=bench/target/join-bench-lib
rm -rf "$LIB" && mkdir -p "$LIB"
CP=bench/target/classes
IFS=: read -r -a ENTRIES < bench/target/classpath.txt || true  # no trailing newline
for e in "${ENTRIES[@]}"; do
  case "$e" in
    */dev/freshet/*) cp -p "$e" "$LIB/" && e="$LIB/$(basename "$e")" ;;
  esac
  CP="$CP:$e"
done
MAIN=dev.freshet.bench.JoinBenchmark
case "${1:-}" in
  stages) MAIN=dev.freshet.bench.JoinStageTimings; shift ;;
  hotspots) MAIN=dev.freshet.bench.JfrHotspots; shift ;;
esac
exec "$JAVA" ${BENCH_JVM_OPTS:--Xms2g -Xmx3g -XX:+UseG1GC} \
  --add-opens=java.base/java.util=ALL-UNNAMED --add-opens=java.base/java.lang=ALL-UNNAMED \
  -Dlog4j2.configurationFile=freshet-bench-log4j2.properties \
  -cp "$CP" "$MAIN" "$@"
