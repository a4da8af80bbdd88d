#!/usr/bin/env bash
# keygate-mock soak: TOTAL requests (1,000,000) mixed across every operation of every vendor,
# success and error paths, at concurrency 100, against the release binary with its default
# options (auth presence, one INFO log line per request, here to /dev/null).
#
#   bash bench/soak/run.sh                  # the issue's figures
#   TOTAL=100000 WARMUP=20000 bash bench/soak/run.sh   # quicker
#
# Asserts, and exits non-zero when one fails:
#   - zero unexpected responses: every response is the one its request template expects
#     (bench/soak/mix.lua counts per template in wrk's response() hook), no socket errors;
#   - resident memory flat after warm-up: RSS at the end at most RSS after warm-up plus
#     RSS_SLACK_KIB (default 2048) or 10%, whichever is larger;
#   - no growth in open file descriptors: /proc/PID/fd at the end (once wrk's connections
#     are closed) no more than at the start.
#
# The run is bounded: wrk's threads stop after their share of TOTAL responses, with
# -d${MAX_SECONDS}s (default 900) as a backstop. Needs wrk (installed with apt-get when
# missing). Listens on 127.0.0.1 only. Raw output goes to bench/out/soak/.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
OUT="$ROOT/bench/out/soak"
TOTAL="${TOTAL:-1000000}"
WARMUP="${WARMUP:-100000}"
THREADS="${THREADS:-2}"
CONNECTIONS="${CONNECTIONS:-100}"
MAX_SECONDS="${MAX_SECONDS:-900}"
SAMPLE_SECONDS="${SAMPLE_SECONDS:-5}"
RSS_SLACK_KIB="${RSS_SLACK_KIB:-2048}"
PORT="${PORT:-4720}"
SCRIPT="$ROOT/bench/soak/mix.lua"
mkdir -p "$OUT"

if ! command -v wrk >/dev/null; then
  echo "installing wrk"
  (apt-get install -y wrk || (apt-get update && apt-get install -y wrk)) >/dev/null
fi

echo "building (release)"
cargo build --release --quiet -p keygate-mock --bin keygate-mock --manifest-path "$ROOT/Cargo.toml"
TARGET="$(cargo metadata --format-version 1 --no-deps --manifest-path "$ROOT/Cargo.toml" | sed -n 's/.*"target_directory":"\([^"]*\)".*/\1/p')"
MOCK_BIN="$TARGET/release/keygate-mock"

PIDS=()
cleanup() { for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done; }
trap cleanup EXIT

rss_kib() { awk '/^VmRSS/ {print $2}' "/proc/$1/status"; }
fd_count() { find "/proc/$1/fd" -mindepth 1 -maxdepth 1 | wc -l; }
# Waits (bounded to 10 s) for the ready line.
wait_ready() {
  local file="$1" deadline=$(( $(date +%s) + 10 ))
  until grep -q "listening on" "$file" 2>/dev/null; do
    [ "$(date +%s)" -lt "$deadline" ] || { echo "server did not start: $(cat "$file")" >&2; exit 1; }
  done
}
# One wrk run of $2 requests; output in $OUT/$1.txt; fails unless the script says PASS.
# wrk's threads stop at their quota, but its main thread sleeps until -d: it is woken with
# SIGINT once every thread has left its marker file.
drive() {
  local name="$1" requests="$2" markers="$OUT/markers"
  rm -rf "$markers"; mkdir -p "$markers"
  wrk -t"$THREADS" -c"$CONNECTIONS" -d"${MAX_SECONDS}s" --timeout 10s -s "$SCRIPT" \
    "http://127.0.0.1:$PORT" -- "$requests" "$THREADS" "$markers" > "$OUT/$name.txt" 2>&1 &
  local wrk_pid=$!
  while kill -0 "$wrk_pid" 2>/dev/null; do
    if [ "$(find "$markers" -name 'done-*' | wc -l)" -ge "$THREADS" ]; then
      kill -INT "$wrk_pid" 2>/dev/null || true
      break
    fi
    sleep 0.2
  done
  wait "$wrk_pid" || true
  grep -q '^SOAK_RESULT=PASS' "$OUT/$name.txt"
}

"$MOCK_BIN" --port "$PORT" > "$OUT/mock.out" 2>/dev/null &
PID=$!; PIDS+=("$PID")
wait_ready "$OUT/mock.out"
RSS_START=$(rss_kib "$PID")
FD_START=$(fd_count "$PID")

echo "warm-up: $WARMUP requests"
drive warmup "$WARMUP" || { cat "$OUT/warmup.txt"; echo "FAIL: warm-up" >&2; exit 1; }
RSS_WARM=$(rss_kib "$PID")

echo "soak: $TOTAL requests, wrk -t$THREADS -c$CONNECTIONS, RSS sampled every ${SAMPLE_SECONDS}s"
: > "$OUT/rss.txt"
( while kill -0 "$PID" 2>/dev/null; do
    echo "$(date +%s) $(rss_kib "$PID") $(fd_count "$PID")" >> "$OUT/rss.txt"
    sleep "$SAMPLE_SECONDS"
  done ) &
SAMPLER=$!; PIDS+=("$SAMPLER")
START_S=$(date +%s)
SOAK_OK=1
drive soak "$TOTAL" || SOAK_OK=0
ELAPSED=$(( $(date +%s) - START_S ))
kill "$SAMPLER" 2>/dev/null || true
RSS_END=$(rss_kib "$PID")
RSS_MAX=$(awk 'BEGIN {m = 0} $2 > m {m = $2} END {print m}' "$OUT/rss.txt")

# wrk has exited; the server closes its side as the FINs arrive. Give that a moment.
FD_END=$(fd_count "$PID")
for _ in $(seq 1 50); do
  [ "$FD_END" -le "$FD_START" ] && break
  sleep 0.1
  FD_END=$(fd_count "$PID")
done

sed -n '/^template/,/^SOAK_RESULT/p' "$OUT/soak.txt"
grep -E '^unexpected response' "$OUT/soak.txt" || true
RESPONSES=$(sed -n 's/^SOAK_RESPONSES=//p' "$OUT/soak.txt")
UNEXPECTED=$(sed -n 's/^SOAK_UNEXPECTED=//p' "$OUT/soak.txt")
RPS=$(awk '/^Requests\/sec:/ {print $2}' "$OUT/soak.txt")

RSS_LIMIT=$(( RSS_WARM + (RSS_WARM / 10 > RSS_SLACK_KIB ? RSS_WARM / 10 : RSS_SLACK_KIB) ))
FAILED=0
[ "$SOAK_OK" = 1 ] || { echo "FAIL: unexpected responses or socket errors (see $OUT/soak.txt)"; FAILED=1; }
[ "$RSS_END" -le "$RSS_LIMIT" ] || { echo "FAIL: RSS grew after warm-up: $RSS_WARM -> $RSS_END KiB (limit $RSS_LIMIT)"; FAILED=1; }
[ "$FD_END" -le "$FD_START" ] || { echo "FAIL: open fds grew: $FD_START -> $FD_END"; FAILED=1; }

cat <<SUMMARY

== keygate-mock soak ($(nproc) cores; $(grep -c '^  {' "$SCRIPT") request templates, every operation of every vendor) ==
requests answered: ${RESPONSES:-?} in ${ELAPSED}s (${RPS:-?} req/s), unexpected: ${UNEXPECTED:-?}
RSS: start $RSS_START KiB, after warm-up ($WARMUP requests) $RSS_WARM KiB, end $RSS_END KiB, max sampled $RSS_MAX KiB (limit $RSS_LIMIT)
open fds: start $FD_START, end $FD_END
result: $([ "$FAILED" = 0 ] && echo PASS || echo FAIL)
SUMMARY
exit "$FAILED"
