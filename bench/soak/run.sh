#!/usr/bin/env bash
# keygate-mock soaks, each TOTAL requests (1,000,000) at concurrency 100 against the release
# binary with its default options otherwise (auth presence, one INFO log line per request,
# here to /dev/null), each on a mock of its own:
#
#   mix       bench/soak/mix.lua: every operation of every vendor, success and error paths,
#             each request a documented answer. It expects replay answers (CreateSecret
#             answering the documented id, every read the sample), so its mock runs with
#             --state off, as a pure replay mock: the soak means what it meant before the mock
#             kept state.
#   stateful  bench/soak/stateful.lua: each wrk thread takes its own resources of every vendor
#             through their whole life on the default store (--state memory, or STATE=...):
#             create, read, list, update and rotate, refusals (quota, duplicate name, stale
#             ETag, enabled key), delete, not found; every answer checked against what the
#             thread stored (see the script's header). It stays within every quota: a
#             thread owns SLOTS (80) resources of each kind and deletes them each cycle
#             (about 2,800 requests), and stops at the end of a cycle once it has its share of
#             TOTAL: the store ends as it started, but for one subscription per thread that
#             the fillers read (idle connections, while a wave's last answers are awaited;
#             counted apart: about 15% of the requests at -c100).
#
#   bash bench/soak/run.sh                  # both, the issue's figures
#   bash bench/soak/run.sh stateful         # one of them: mix or stateful
#   TOTAL=100000 WARMUP=20000 bash bench/soak/run.sh   # quicker
#
# Asserts for each, and exits non-zero when one fails:
#   - zero unexpected responses: every response is the one its request expects (the wrk
#     script counts per kind of request in wrk's response() hook), no socket errors;
#   - resident memory flat after warm-up: RSS at the end at most RSS after warm-up plus
#     RSS_SLACK_KIB (default 2048) or 10%, whichever is larger;
#   - no growth in open file descriptors: /proc/PID/fd at the end (once wrk's connections
#     are closed) no more than at the start.
#
# The runs are bounded: wrk's threads stop after their share of TOTAL responses, with
# -d${MAX_SECONDS}s (default 900) as a backstop. Needs wrk (installed with apt-get when
# missing). Listens on 127.0.0.1 only. Raw output goes to bench/out/soak/ (stateful-*.txt for
# the stateful soak).
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
OUT="$ROOT/bench/out/soak"
MODE="${1:-all}"
TOTAL="${TOTAL:-1000000}"
WARMUP="${WARMUP:-100000}"
THREADS="${THREADS:-2}"
CONNECTIONS="${CONNECTIONS:-100}"
MAX_SECONDS="${MAX_SECONDS:-900}"
SAMPLE_SECONDS="${SAMPLE_SECONDS:-5}"
RSS_SLACK_KIB="${RSS_SLACK_KIB:-2048}"
PORT="${PORT:-4720}"
STATE="${STATE:-memory}"   # the stateful soak's store (memory, or redis://HOST:PORT/DB)
SLOTS="${SLOTS:-80}"       # resources of each kind per wrk thread in the stateful soak
case "$MODE" in
  mix | stateful | all) ;;
  *) echo "usage: $0 [mix|stateful|all]" >&2; exit 2 ;;
esac
# Tencent's quota, 400 keys in the account, holds two runs' (warm-up, soak) keys of every
# thread at most, and the 2 documented ones.
if [ "$MODE" != mix ] && [ $(( THREADS * SLOTS * 2 + 2 )) -gt 400 ]; then
  echo "THREADS x SLOTS x 2 + 2 must be at most 400 (Tencent's key quota): lower SLOTS" >&2
  exit 2
fi
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
# One wrk run of $3 requests with script $2; output in $OUT/$1.txt; fails unless the script
# says PASS. $4 numbers the run for the stateful script (mix.lua ignores it), so that what
# one run leaves mid-cycle does not meet the next one's names.
# wrk's threads stop at their quota, but its main thread sleeps until -d: it is woken with
# SIGINT once every thread has left its marker file.
drive() {
  local name="$1" script="$2" requests="$3" run="$4" markers="$OUT/markers"
  rm -rf "$markers"; mkdir -p "$markers"
  wrk -t"$THREADS" -c"$CONNECTIONS" -d"${MAX_SECONDS}s" --timeout 10s -s "$script" \
    "http://127.0.0.1:$PORT" -- "$requests" "$THREADS" "$markers" "$run" "$SLOTS" > "$OUT/$name.txt" 2>&1 &
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

# Drops a process that has been stopped from the list the exit trap kills.
forget() {
  local kept=() p
  for p in "${PIDS[@]}"; do [ "$p" = "$1" ] || kept+=("$p"); done
  PIDS=("${kept[@]}")
}

FAILED=0
SUMMARIES=()
# One soak: a mock of its own (options $3...), WARMUP then TOTAL requests of script $2, the
# assertions, and a summary. Files are prefixed $1 (empty for mix, as before).
soak() {
  local label="$1" script="$2"; shift 2
  local prefix="${label:+$label-}" failed=0
  "$MOCK_BIN" --port "$PORT" "$@" > "$OUT/${prefix}mock.out" 2>/dev/null &
  local pid=$!; PIDS+=("$pid")
  wait_ready "$OUT/${prefix}mock.out"
  local rss_start fd_start rss_warm
  rss_start=$(rss_kib "$pid")
  fd_start=$(fd_count "$pid")

  echo "${label:-mix}: warm-up, $WARMUP requests"
  drive "${prefix}warmup" "$script" "$WARMUP" 1 || { cat "$OUT/${prefix}warmup.txt"; echo "FAIL: ${label:-mix} warm-up" >&2; exit 1; }
  rss_warm=$(rss_kib "$pid")

  echo "${label:-mix}: soak, $TOTAL requests, wrk -t$THREADS -c$CONNECTIONS, RSS sampled every ${SAMPLE_SECONDS}s"
  : > "$OUT/${prefix}rss.txt"
  ( while kill -0 "$pid" 2>/dev/null; do
      echo "$(date +%s) $(rss_kib "$pid") $(fd_count "$pid")" >> "$OUT/${prefix}rss.txt"
      sleep "$SAMPLE_SECONDS"
    done ) &
  local sampler=$!; PIDS+=("$sampler")
  local start_s soak_ok=1 elapsed rss_end rss_max fd_end
  start_s=$(date +%s)
  drive "${prefix}soak" "$script" "$TOTAL" 2 || soak_ok=0
  elapsed=$(( $(date +%s) - start_s ))
  kill "$sampler" 2>/dev/null || true
  rss_end=$(rss_kib "$pid")
  rss_max=$(awk 'BEGIN {m = 0} $2 > m {m = $2} END {print m}' "$OUT/${prefix}rss.txt")

  # wrk has exited; the server closes its side as the FINs arrive. Give that a moment.
  fd_end=$(fd_count "$pid")
  for _ in $(seq 1 50); do
    [ "$fd_end" -le "$fd_start" ] && break
    sleep 0.1
    fd_end=$(fd_count "$pid")
  done
  kill "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  forget "$pid"; forget "$sampler"

  sed -n '/^template/,/^SOAK_RESULT/p' "$OUT/${prefix}soak.txt"
  grep -E '^unexpected response' "$OUT/${prefix}soak.txt" || true
  local responses unexpected rps rss_limit
  responses=$(sed -n 's/^SOAK_RESPONSES=//p' "$OUT/${prefix}soak.txt")
  unexpected=$(sed -n 's/^SOAK_UNEXPECTED=//p' "$OUT/${prefix}soak.txt")
  rps=$(awk '/^Requests\/sec:/ {print $2}' "$OUT/${prefix}soak.txt")

  rss_limit=$(( rss_warm + (rss_warm / 10 > RSS_SLACK_KIB ? rss_warm / 10 : RSS_SLACK_KIB) ))
  [ "$soak_ok" = 1 ] || { echo "FAIL: ${label:-mix}: unexpected responses or socket errors (see $OUT/${prefix}soak.txt)"; failed=1; }
  [ "$rss_end" -le "$rss_limit" ] || { echo "FAIL: ${label:-mix}: RSS grew after warm-up: $rss_warm -> $rss_end KiB (limit $rss_limit)"; failed=1; }
  [ "$fd_end" -le "$fd_start" ] || { echo "FAIL: ${label:-mix}: open fds grew: $fd_start -> $fd_end"; failed=1; }
  [ "$failed" = 0 ] || FAILED=1

  local what
  if [ -z "$label" ]; then
    what="$(grep -c '^  {' "$script") request templates, every operation of every vendor; --state off"
  else
    what="$(awk '/^template/ {f = 1; next} f && NF == 0 {exit} f {n++} END {print n}' "$OUT/${prefix}soak.txt") kinds of request, the whole lives of $SLOTS resources of each kind per wrk thread; --state $STATE_SHOWN"
  fi
  SUMMARIES+=("$(cat <<SUMMARY

== keygate-mock ${label:+$label }soak ($(nproc) cores; $what) ==
requests answered: ${responses:-?} in ${elapsed}s (${rps:-?} req/s), unexpected: ${unexpected:-?}$([ -n "$label" ] && echo ", wrong: $(sed -n 's/^SOAK_WRONG=//p' "$OUT/${prefix}soak.txt"), fillers sent: $(sed -n 's/^SOAK_FILLERS=//p' "$OUT/${prefix}soak.txt")")
RSS: start $rss_start KiB, after warm-up ($WARMUP requests) $rss_warm KiB, end $rss_end KiB, max sampled $rss_max KiB (limit $rss_limit)
open fds: start $fd_start, end $fd_end
result: $([ "$failed" = 0 ] && echo PASS || echo FAIL)
SUMMARY
)")
}

# The store's URL is shown without a password.
STATE_SHOWN="$(printf '%s' "$STATE" | sed 's#//[^@/]*@#//***@#')"
if [ "$MODE" = mix ] || [ "$MODE" = all ]; then
  soak "" "$ROOT/bench/soak/mix.lua" --state off
fi
if [ "$MODE" = stateful ] || [ "$MODE" = all ]; then
  # The store's URL goes by the environment: command lines show in `ps`.
  export KEYGATE_MOCK_STATE="$STATE"
  soak stateful "$ROOT/bench/soak/stateful.lua"
  unset KEYGATE_MOCK_STATE
fi
printf '%s\n' "${SUMMARIES[@]}"
exit "$FAILED"
