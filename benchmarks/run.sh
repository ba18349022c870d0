#!/usr/bin/env bash
# Runs the issue-13 benchmarks and the gateway's (issue 14) and makes the results table
# (benchmarks/README.md).
#
#   benchmarks/run.sh short            # ~13 min: 1 warmup x 1 s, 3 x 2 s per case
#   benchmarks/run.sh full             # ~40 min: each class's own warmup and measurement
#   benchmarks/run.sh short -p target=LSH,MEMORY_SITE     # any further JMH options
#   BENCHMARKS=GatewayBenchmark benchmarks/run.sh short    # only some classes (JMH regexps)
#
# Builds in the reactor (never from ~/.m2, whose hybrid-storage snapshots may be stale), runs JMH
# with -prof gc, writes benchmarks/target/results-<pass>.json and benchmarks/target/results-<pass>.md
# (the load average before and after the run in its header) and prints the table.
set -euo pipefail
cd "$(dirname "$0")/.."
pass=${1:-short}
shift || true
case "$pass" in
  short) timing=(-f 1 -wi 1 -w 1s -i 3 -r 2s) ;;
  full) timing=() ;;
  *) echo "usage: $0 short|full [JMH options...]" >&2; exit 2 ;;
esac

mvn -B -q -pl benchmarks -am package dependency:build-classpath -Dmdep.outputFile=target/cp.txt -DskipTests
cp="benchmarks/target/classes:$(cat benchmarks/target/cp.txt)"
json="benchmarks/target/results-$pass.json"
table="benchmarks/target/results-$pass.md"

load() { cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || uptime | sed 's/.*load averages*: //'; }
before=$(load)
read -r -a classes <<< "${BENCHMARKS:-EmbeddedWorldBenchmark LargeWriterBenchmark RoutingLatencyBenchmark GcsGetBenchmark GatewayBenchmark}"
java -cp "$cp" org.openjdk.jmh.Main "${classes[@]}" \
  -prof gc -rf json -rff "$json" "${timing[@]}" "$@"
after=$(load)

java -cp "$cp" io.hybridstorage.benchmarks.ResultsTable "$json" \
  --load "$before before the run, $after after ($pass pass)" --date "$(date -u +%Y-%m-%dT%H:%MZ)" > "$table"
cat "$table"
