#!/usr/bin/env bash
# Builds the four servers, measures them on loopback and prints a Markdown table (see README.md).
# Server pinned to CPU 0, load generator (wrk / curl) to CPU 1. Each server runs in its own JVM,
# one at a time; servers are interleaved within every round so background noise hits all.
# Knobs (environment): SERVERS, SMALL_ROUNDS, LARGE_RUNS, DURATION, WARMUP, CONNS, LARGE_BYTES.
set -euo pipefail
cd "$(dirname "$0")"

SERVERS=${SERVERS:-"jdk jetty undertow netty"}
SMALL_ROUNDS=${SMALL_ROUNDS:-2}     # wrk rounds (each: every server x GET/PUT x CONNS)
LARGE_RUNS=${LARGE_RUNS:-3}         # 1 GiB download + upload runs per server
DURATION=${DURATION:-15}            # seconds measured per wrk run
WARMUP=${WARMUP:-5}                 # seconds of wrk warm-up before each measured run
CONNS=${CONNS:-"1 16 64"}
LARGE_BYTES=${LARGE_BYTES:-1073741824}
SERVER_CPU=${SERVER_CPU:-0}
LOAD_CPU=${LOAD_CPU:-1}
PORT=${PORT:-18480}
JAVA_OPTS=${JAVA_OPTS:-"-Xms512m -Xmx512m -XX:+UseG1GC -XX:+AlwaysPreTouch -Dsun.net.httpserver.nodelay=true"}

command -v wrk >/dev/null || { echo "wrk is needed (apt-get install -y wrk)" >&2; exit 1; }
command -v jcmd >/dev/null || { echo "jcmd is needed (a JDK)" >&2; exit 1; }

mvn -q -B package -DskipTests
CP="target/classes:target/lib/*"

OUT=${OUT:-results/$(date +%Y%m%d-%H%M%S)}
mkdir -p "$OUT"
SMALL_CSV=$OUT/small.csv LARGE_CSV=$OUT/large.csv LOAD_LOG=$OUT/uptime.log
echo "server,round,op,conns,ops_per_s,p50_ms,p99_ms,errors" > "$SMALL_CSV"
echo "server,run,dir,mib_per_s,heap_base_mib,heap_peak_live_mib,heap_used_nogc_mib,heap_after_mib,gcs,rss_before_mib,rss_after_mib" > "$LARGE_CSV"
UPLOAD_FILE=/dev/shm/server-choice-upload.bin
[ "$(stat -c %s "$UPLOAD_FILE" 2>/dev/null || echo 0)" = "$LARGE_BYTES" ] || head -c "$LARGE_BYTES" /dev/zero > "$UPLOAD_FILE"
cat > "$OUT/put.lua" <<'LUA'
wrk.method = "PUT"
wrk.body = string.rep("x", 1024)
wrk.headers["Content-Type"] = "application/json"
LUA

class_of() {
  case $1 in
    jdk) echo io.hybridstorage.bench.servers.JdkServer ;;
    jetty) echo io.hybridstorage.bench.servers.JettyServer ;;
    undertow) echo io.hybridstorage.bench.servers.UndertowServer ;;
    netty) echo io.hybridstorage.bench.servers.NettyServer ;;
  esac
}

SPID=""
start_server() { # name round
  GCLOG=$OUT/gc-$1-$2.log
  # shellcheck disable=SC2086
  taskset -c "$SERVER_CPU" java $JAVA_OPTS -Xlog:gc:file="$GCLOG" -cp "$CP" "$(class_of "$1")" "$PORT" \
    > "$OUT/server-$1-$2.log" 2>&1 &
  SPID=$!
  for _ in $(seq 1 100); do
    curl -sf -o /dev/null "http://127.0.0.1:$PORT/small" && return 0
    sleep 0.1
  done
  echo "server $1 did not start" >&2; cat "$OUT/server-$1-$2.log" >&2; exit 1
}
stop_server() {
  kill "$SPID" 2>/dev/null || true
  wait "$SPID" 2>/dev/null || true
  SPID=""
}
trap stop_server EXIT

to_ms() { # wrk latency like 123.45us / 1.23ms / 1.02s
  awk -v v="$1" 'BEGIN { n = v + 0; if (v ~ /us$/) n /= 1000; else if (v ~ /ms$/) n = n; else if (v ~ /s$/) n *= 1000; printf "%.3f", n }'
}

small_run() { # name round op conns
  local url="http://127.0.0.1:$PORT/small" script=() out
  [ "$3" = put ] && script=(-s "$OUT/put.lua")
  taskset -c "$LOAD_CPU" wrk -t1 -c"$4" -d"${WARMUP}s" "${script[@]}" "$url" > /dev/null
  out=$(taskset -c "$LOAD_CPU" wrk -t1 -c"$4" -d"${DURATION}s" --latency "${script[@]}" "$url")
  echo "$out" > "$OUT/wrk-$1-$2-$3-$4.txt"
  local rps p50 p99 errs
  rps=$(echo "$out" | awk '/Requests\/sec/ { print $2 }')
  p50=$(to_ms "$(echo "$out" | awk '$1 == "50%" { print $2 }')")
  p99=$(to_ms "$(echo "$out" | awk '$1 == "99%" { print $2 }')")
  errs=$(echo "$out" | awk '/Non-2xx/ { n += $NF } /Socket errors/ { gsub(",", ""); n += $4 + $6 + $8 + $10 } END { print n + 0 }')
  echo "$1,$2,$3,$4,$rps,$p50,$p99,$errs" >> "$SMALL_CSV"
  echo "  $1 $3 c=$4: $rps ops/s p50=${p50}ms p99=${p99}ms errors=$errs"
}

heap_used_mib() { # after a full GC when $2 = gc
  [ "${2:-}" = gc ] && jcmd "$1" GC.run > /dev/null
  jcmd "$1" GC.heap_info | awk '/used/ { for (i = 1; i <= NF; i++) if ($i == "used") { v = $(i + 1); gsub(/[K,]/, "", v); printf "%.1f", v / 1024; exit } }'
}
rss_mib() { awk '/VmRSS/ { printf "%.1f", $2 / 1024 }' "/proc/$1/status"; }

large_run() { # name run dir(down|up)
  local base rss0 lines0 secs usedraw after rss1 peak gcs code
  base=$(heap_used_mib "$SPID" gc)
  rss0=$(rss_mib "$SPID")
  lines0=$(wc -l < "$GCLOG")
  if [ "$3" = down ]; then
    read -r code secs < <(taskset -c "$LOAD_CPU" curl -s -o /dev/null -w '%{http_code} %{time_total}\n' \
      "http://127.0.0.1:$PORT/large?bytes=$LARGE_BYTES")
  else
    read -r code secs < <(taskset -c "$LOAD_CPU" curl -s -o "$OUT/up-answer.json" -H 'Expect:' -T "$UPLOAD_FILE" \
      -w '%{http_code} %{time_total}\n' "http://127.0.0.1:$PORT/large")
    grep -q "\"bytes\":$LARGE_BYTES}" "$OUT/up-answer.json" || { echo "upload count wrong: $(cat "$OUT/up-answer.json")" >&2; code=0; }
  fi
  [ "$code" = 200 ] || { echo "$1 $3 answered $code" >&2; exit 1; }
  # live heap after each young GC during the transfer (G1's "before->after(total)" of -Xlog:gc)
  read -r peak gcs < <(tail -n +"$((lines0 + 1))" "$GCLOG" | awk -v base="$base" '
    /Pause/ && !/System.gc/ { if (match($0, /[0-9]+M->[0-9]+M/)) { s = substr($0, RSTART, RLENGTH); split(s, a, "->"); v = a[2] + 0; if (v > m) m = v; n++ } }
    END { if (m < base) m = base; printf "%.1f %d\n", m, n }')
  rss1=$(rss_mib "$SPID")
  usedraw=$(heap_used_mib "$SPID")
  after=$(heap_used_mib "$SPID" gc)
  local mibs
  mibs=$(awk -v b="$LARGE_BYTES" -v s="$secs" 'BEGIN { printf "%.0f", b / 1048576 / s }')
  echo "$1,$2,$3,$mibs,$base,$peak,$usedraw,$after,$gcs,$rss0,$rss1" >> "$LARGE_CSV"
  echo "  $1 $3 run $2: ${mibs} MiB/s heap base=${base} peakLive=${peak} usedNoGc=${usedraw} after=${after} MiB gcs=$gcs rss ${rss0}->${rss1} MiB"
}

set -- $SERVERS
NSERVERS=$#
ROUNDS=$(( SMALL_ROUNDS > LARGE_RUNS ? SMALL_ROUNDS : LARGE_RUNS ))
echo "start: $(uptime)" | tee -a "$LOAD_LOG"
for round in $(seq 1 "$ROUNDS"); do
  # rotate the order every round so no server always goes first
  order=()
  for i in $(seq 0 $((NSERVERS - 1))); do
    idx=$(( (i + round - 1) % NSERVERS + 1 ))
    order+=("${!idx}")
  done
  for name in "${order[@]}"; do
    echo "round $round $name: $(uptime)" | tee -a "$LOAD_LOG"
    start_server "$name" "$round"
    if [ "$round" -le "$SMALL_ROUNDS" ]; then
      for op in get put; do
        for c in $CONNS; do small_run "$name" "$round" "$op" "$c"; done
      done
    fi
    if [ "$round" -le "$LARGE_RUNS" ]; then
      # warm the large paths (JIT) with 128 MiB each way, unmeasured
      taskset -c "$LOAD_CPU" curl -s -o /dev/null "http://127.0.0.1:$PORT/large?bytes=134217728"
      head -c 134217728 "$UPLOAD_FILE" | taskset -c "$LOAD_CPU" curl -s -o /dev/null -H 'Expect:' -T - "http://127.0.0.1:$PORT/large"
      large_run "$name" "$round" down
      large_run "$name" "$round" up
    fi
    stop_server
  done
done
echo "end: $(uptime)" | tee -a "$LOAD_LOG"

# dependency footprint: the jars each server adds (the JDK server adds none)
{
  echo "server,jars,mib"
  for name in $SERVERS; do
    case $name in
      jdk) pat='^$' ;;
      jetty) pat='^(jetty-|slf4j-api)' ;;
      undertow) pat='^(undertow-|xnio-|jboss-|wildfly-|smallrye-)' ;;
      netty) pat='^netty-' ;;
    esac
    ls target/lib | { grep -E "$pat" || true; } | sed 's|^|target/lib/|' | xargs -r stat -c %s | awk -v n="$name" '{ s += $1; c++ } END { printf "%s,%d,%.2f\n", n, c, s / 1048576 }'
  done
} > "$OUT/footprint.csv"

python3 report.py "$OUT" | tee "$OUT/table.md"
