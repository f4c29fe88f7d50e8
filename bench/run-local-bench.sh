#!/usr/bin/env bash
# The whole local stack (bin/freshet local) for a few minutes at the simulator's rate, then a
# report: start-up per component, each stage's throughput against the one feeding it, version
# freshness against its ceiling, the newest version's AUC against the simulator's true
# probabilities, the clean stop and the peak RSS. Writes bench/target/local-bench/results.md.
#
#   bench/run-local-bench.sh [minutes=6] [rate=2000]
#
# Uses the default ports (9092, 9093, 9000, 8080, 8081, 9464): nothing else may hold them.
# Environment: SKIP_BUILD=1 to reuse the last build.
set -euo pipefail
cd "$(dirname "$0")/.."
MINUTES="${1:-6}"
RATE="${2:-2000}"
OUT=bench/target/local-bench
if [[ "${SKIP_BUILD:-0}" != "1" ]]; then
  mvn -B -q -Dspotless.check.skip=true -DskipTests -f pom.xml install -pl bench -am
fi
rm -rf "$OUT" && mkdir -p "$OUT"
bin/freshet local --dir "$OUT/stack" --duration "${MINUTES}m" --rate "$RATE" \
  > "$OUT/stdout.txt" 2> "$OUT/stderr.txt" &
PID=$!   # bin/freshet execs java: this is the stack's JVM
PEAK=0
while kill -0 "$PID" 2>/dev/null; do
  RSS=$(awk '/^VmRSS:/ {print $2}' "/proc/$PID/status" 2>/dev/null || echo 0)
  (( ${RSS:-0} > PEAK )) && PEAK=$RSS
  sleep 2
done
wait "$PID" || { echo "the stack failed; see $OUT/stdout.txt and $OUT/stderr.txt" >&2; exit 1; }
CP="bench/target/classes:$(cat bench/target/classpath.txt)"
java -cp "$CP" dev.freshet.bench.local.LocalStackReport "$OUT/stack" "$OUT/stdout.txt" "$PEAK" \
  > "$OUT/results.md"
cat "$OUT/results.md"
