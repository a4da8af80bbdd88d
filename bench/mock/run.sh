#!/usr/bin/env bash
# keygate-mock throughput, memory and start-up, against a minimal hyper server that returns
# the same bytes (mock-server/examples/baseline.rs), in the same run.
#
#   bash bench/mock/run.sh            # the issue's figures: wrk -t2 -c50 -d10s, 1,000,000 requests
#   DURATION=5s ROUNDS=1 TOTAL=200000 bash bench/mock/run.sh   # quicker
#
# The baseline and the mock are measured alternately, ROUNDS times, so that load from other
# processes on a shared machine hits both alike; the ratio reported is the median of the
# per-round ratios. Two mocks run: with default options (auth presence, one INFO log line per
# request, to /dev/null) and with request logging filtered out (RUST_LOG=warn).
#
# Needs wrk (installed with apt-get when missing). Everything listens on 127.0.0.1 only.
# Prints a summary; raw wrk output goes to bench/out/mock/.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
OUT="$ROOT/bench/out/mock"
THREADS="${THREADS:-2}"
CONNECTIONS="${CONNECTIONS:-50}"
DURATION="${DURATION:-10s}"
ROUNDS="${ROUNDS:-3}"
TOTAL="${TOTAL:-1000000}"
PATH_LIST="/v2/77b6a44cba5143ab91d13ab9a8ff44fd/apigw/instances/eddc4d25480b4cd6b512f270a1b8b341/apps/9ed8b7fe84224de681e7d7a5587e76dc/ai-api-keys"
MOCK_PORT="${MOCK_PORT:-4710}"
BASE_PORT="${BASE_PORT:-4711}"
QUIET_PORT="${QUIET_PORT:-4712}"
mkdir -p "$OUT"

if ! command -v wrk >/dev/null; then
  echo "installing wrk"
  (apt-get install -y wrk || (apt-get update && apt-get install -y wrk)) >/dev/null
fi

echo "building (release)"
cargo build --release --quiet -p keygate-mock --bin keygate-mock --example baseline --manifest-path "$ROOT/Cargo.toml"
TARGET="$(cargo metadata --format-version 1 --no-deps --manifest-path "$ROOT/Cargo.toml" | sed -n 's/.*"target_directory":"\([^"]*\)".*/\1/p')"
MOCK_BIN="$TARGET/release/keygate-mock"
BASE_BIN="$TARGET/release/examples/baseline"

PIDS=()
cleanup() { for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done; }
trap cleanup EXIT

now_ns() { date +%s%N; }
rss_kib() { awk '/^VmRSS/ {print $2}' "/proc/$1/status"; }
# Waits (busy, bounded to 10 s) for a ready line in a file; prints nothing.
wait_ready() {
  local file="$1" deadline=$(( $(date +%s) + 10 ))
  until grep -q "listening on" "$file" 2>/dev/null; do
    [ "$(date +%s)" -lt "$deadline" ] || { echo "server did not start: $(cat "$file")" >&2; exit 1; }
  done
}
# Requests/sec of one wrk run; its full output is kept in $OUT/$2.txt.
wrk_rps() {
  local url="$1" name="$2" duration="$3"
  wrk -t"$THREADS" -c"$CONNECTIONS" -d"$duration" -H "X-Auth-Token: bench" "$url" > "$OUT/$name.txt"
  awk '/^Requests\/sec:/ {print $2}' "$OUT/$name.txt"
}
wrk_requests() { awk '/requests in/ {print $1}' "$OUT/$1.txt"; }

echo "start-up: time from exec to the 'listening on' line, all embedded specs (5 runs)"
STARTUPS=()
for i in 1 2 3 4 5; do
  : > "$OUT/startup.out"
  start=$(now_ns)
  "$MOCK_BIN" --port 0 > "$OUT/startup.out" 2>/dev/null &
  pid=$!
  wait_ready "$OUT/startup.out"
  STARTUPS+=("$(( ($(now_ns) - start) / 1000000 ))")
  kill -TERM "$pid"; wait "$pid" || true
done
CHECK_START=$(now_ns); "$MOCK_BIN" --check > /dev/null; CHECK_MS=$(( ($(now_ns) - CHECK_START) / 1000000 ))

echo "starting the mock (default options: auth presence, INFO request logs to /dev/null) and the baseline"
"$MOCK_BIN" --port "$MOCK_PORT" > "$OUT/mock.out" 2>/dev/null &
MOCK_PID=$!; PIDS+=("$MOCK_PID")
"$BASE_BIN" "$BASE_PORT" > "$OUT/baseline.out" 2>/dev/null &
BASE_PID=$!; PIDS+=("$BASE_PID")
RUST_LOG=warn "$MOCK_BIN" --port "$QUIET_PORT" > "$OUT/quiet.out" 2>/dev/null &
QUIET_PID=$!; PIDS+=("$QUIET_PID")
wait_ready "$OUT/mock.out"; wait_ready "$OUT/baseline.out"; wait_ready "$OUT/quiet.out"
MOCK_URL="http://127.0.0.1:$MOCK_PORT$PATH_LIST"
BASE_URL="http://127.0.0.1:$BASE_PORT$PATH_LIST"
QUIET_URL="http://127.0.0.1:$QUIET_PORT$PATH_LIST"

status=$(curl -s -o /dev/null -w '%{http_code}' -H 'X-Auth-Token: bench' "$MOCK_URL")
[ "$status" = 200 ] || { echo "mock answered $status, not 200" >&2; exit 1; }
cmp <(curl -s "$BASE_URL") <(curl -s -H 'X-Auth-Token: bench' "$MOCK_URL") || { echo "bodies differ" >&2; exit 1; }

RSS_IDLE=$(rss_kib "$MOCK_PID")
echo "warm-up (2 s each)"
wrk_rps "$MOCK_URL" warmup-mock 2s > /dev/null
wrk_rps "$BASE_URL" warmup-baseline 2s > /dev/null
RSS_WARM=$(rss_kib "$MOCK_PID")

echo "measuring: wrk -t$THREADS -c$CONNECTIONS -d$DURATION, baseline / mock / quiet mock, $ROUNDS rounds"
BASES=(); MOCKS=(); QUIETS=(); RATIOS=(); QUIET_RATIOS=()
SERVED=$(wrk_requests warmup-mock)
for r in $(seq 1 "$ROUNDS"); do
  b=$(wrk_rps "$BASE_URL" "baseline-$r" "$DURATION")
  m=$(wrk_rps "$MOCK_URL" "mock-$r" "$DURATION")
  q=$(wrk_rps "$QUIET_URL" "quiet-$r" "$DURATION")
  SERVED=$(( SERVED + $(wrk_requests "mock-$r") ))
  BASES+=("$b"); MOCKS+=("$m"); QUIETS+=("$q")
  RATIOS+=("$(echo "$m $b" | awk '{printf "%.3f", $1 / $2}')")
  QUIET_RATIOS+=("$(echo "$q $b" | awk '{printf "%.3f", $1 / $2}')")
  echo "  round $r: baseline $b, mock $m (${RATIOS[-1]}), quiet mock $q (${QUIET_RATIOS[-1]})"
done
median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }

echo "memory: driving the mock to $TOTAL requests in total"
round=0
while [ "$SERVED" -lt "$TOTAL" ]; do
  round=$((round + 1))
  wrk_rps "$MOCK_URL" "soak-$round" 10s > /dev/null
  SERVED=$(( SERVED + $(wrk_requests "soak-$round") ))
done
RSS_END=$(rss_kib "$MOCK_PID")

RATIO=$(median "${RATIOS[@]}")
QUIET_RATIO=$(median "${QUIET_RATIOS[@]}")

cat <<SUMMARY

== keygate-mock benchmark ($(nproc) cores; ListAiApiKeys happy path) ==
baseline (bare hyper, same bytes), req/s: ${BASES[*]}
keygate-mock, defaults (auth presence, request log on), req/s: ${MOCKS[*]}
keygate-mock, RUST_LOG=warn, req/s: ${QUIETS[*]}
ratio mock / baseline, median of rounds: $RATIO (logs on), $QUIET_RATIO (logs off)   (goal >= 0.8)
RSS: idle $RSS_IDLE KiB, after warm-up $RSS_WARM KiB, after $SERVED requests $RSS_END KiB   (goal < 32768 KiB, flat)
start-up to 'listening on' (ms, 5 runs): ${STARTUPS[*]}   (goal < 100)
--check (load + index all specs, exit): $CHECK_MS ms
SUMMARY
