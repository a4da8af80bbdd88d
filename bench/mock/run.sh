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
# Stateful runs, in the same rounds, on two more mocks with default options: one with
# --state memory, one with --state redis://… (a redis-server of this script's own, on a free
# loopback port, without persistence, stopped at the end; where redis-server is not installed
# the Redis runs are skipped, with a loud line):
#   list    the same ListAiApiKeys request, of the documented app after one key was created in
#           it, so it is answered from the store (2 documented keys and the new one);
#   create  bench/mock/create.lua: a write per request, within every quota: each connection
#           creates an Azure subscription (PUT of a new sid, 201) and deletes it (DELETE, 200),
#           in turn.
# Their ratios are to the stateless list run of the same round (the mock with default options,
# answering the documented sample of an app nothing was written to), median over rounds.
#
# Needs wrk (installed with apt-get when missing); redis-server for the Redis runs. Everything
# listens on 127.0.0.1 only.
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
SMEM_PORT="${SMEM_PORT:-4713}"
SREDIS_PORT="${SREDIS_PORT:-4714}"
REDIS_PORT="${REDIS_PORT:-4716}"   # the first one tried; the next free one is taken
CREATE_SCRIPT="$ROOT/bench/mock/create.lua"
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
  wrk -t"$THREADS" -c"$CONNECTIONS" -d"$duration" --latency -H "X-Auth-Token: bench" "$url" > "$OUT/$name.txt"
  awk '/^Requests\/sec:/ {print $2}' "$OUT/$name.txt"
}
# The p99 latency of a wrk run, in microseconds.
wrk_p99_us() {
  awk '$1 == "99%" { v = $2; n = v + 0; u = v; sub(/^[0-9.]+/, "", u);
    if (u == "ms") n *= 1000; else if (u == "s") n *= 1000000; printf "%.0f", n }' "$OUT/$1.txt"
}
wrk_requests() { awk '/requests in/ {print $1}' "$OUT/$1.txt"; }
# Stateful runs that answered anything but success; reported, and the script fails.
STATEFUL_ERRORS=()
# Like wrk_rps, for a stateful list run, into RPS (not a subshell: it records errors): any
# non-2xx answer is an error.
wrk_list() {
  RPS=$(wrk_rps "$@")
  if grep -q 'Non-2xx' "$OUT/$2.txt"; then STATEFUL_ERRORS+=("$2: $(grep 'Non-2xx' "$OUT/$2.txt" | xargs)"); fi
}
# Requests/sec of one create run against port $1 (bench/mock/create.lua, run number $4), into
# RPS; an answer other than the expected 201 or 200 is an error.
wrk_create() {
  local port="$1" name="$2" duration="$3" run="$4"
  wrk -t"$THREADS" -c"$CONNECTIONS" -d"$duration" -s "$CREATE_SCRIPT" "http://127.0.0.1:$port" -- "$run" > "$OUT/$name.txt" 2>&1
  if ! grep -q '^CREATE_RESULT=PASS' "$OUT/$name.txt"; then
    STATEFUL_ERRORS+=("$name: $(grep -E '^(created|unexpected response)' "$OUT/$name.txt" | head -3 | xargs)")
  fi
  RPS=$(awk '/^Requests\/sec:/ {print $2}' "$OUT/$name.txt")
}
# Whether something answers on loopback port $1 (in a subshell: a failed redirection must
# not end the script).
port_busy() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
# Whether the Redis on port $1 answers PING.
redis_ping() {
  (
    exec 3<>"/dev/tcp/127.0.0.1/$1" || exit 1
    printf 'PING\r\n' >&3
    read -r -t 1 reply <&3 || exit 1
    [ "${reply%$'\r'}" = "+PONG" ]
  ) 2>/dev/null
}

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

echo "starting the stateful mocks (default options otherwise): --state memory, and --state redis://"
"$MOCK_BIN" --port "$SMEM_PORT" --state memory > "$OUT/state-memory.out" 2>/dev/null &
SMEM_PID=$!; PIDS+=("$SMEM_PID")
wait_ready "$OUT/state-memory.out"
REDIS_URL=""
if command -v redis-server >/dev/null; then
  port="$REDIS_PORT"
  while port_busy "$port"; do port=$((port + 1)); done
  redis-server --port "$port" --bind 127.0.0.1 --save '' --appendonly no --daemonize no \
    --loglevel warning > "$OUT/redis.out" 2>&1 &
  REDIS_PID=$!; PIDS+=("$REDIS_PID")
  deadline=$(( $(date +%s) + 10 ))
  until redis_ping "$port"; do
    [ "$(date +%s)" -lt "$deadline" ] || { echo "redis-server did not start: $(cat "$OUT/redis.out")" >&2; exit 1; }
    sleep 0.05
  done
  REDIS_URL="redis://127.0.0.1:$port/0"
  # The URL by the environment, as one with a password would be (command lines show in `ps`).
  KEYGATE_MOCK_STATE="$REDIS_URL" "$MOCK_BIN" --port "$SREDIS_PORT" --state-namespace keygate-bench \
    > "$OUT/state-redis.out" 2>/dev/null &
  SREDIS_PID=$!; PIDS+=("$SREDIS_PID")
  wait_ready "$OUT/state-redis.out"
else
  echo
  echo "!!!!!! SKIPPING the Redis runs: redis-server is not installed (apt-get install redis-server) !!!!!!"
  echo
fi
MOCK_URL="http://127.0.0.1:$MOCK_PORT$PATH_LIST"
BASE_URL="http://127.0.0.1:$BASE_PORT$PATH_LIST"
QUIET_URL="http://127.0.0.1:$QUIET_PORT$PATH_LIST"

status=$(curl -s -o /dev/null -w '%{http_code}' -H 'X-Auth-Token: bench' "$MOCK_URL")
[ "$status" = 200 ] || { echo "mock answered $status, not 200" >&2; exit 1; }
cmp <(curl -s "$BASE_URL") <(curl -s -H 'X-Auth-Token: bench' "$MOCK_URL") || { echo "bodies differ" >&2; exit 1; }

# The list of the stateful runs: the documented app, once a key was created in it.
stateful_list_ready() {
  local port="$1" url="http://127.0.0.1:$1$PATH_LIST" status
  status=$(curl -s -o /dev/null -w '%{http_code}' -X POST -H 'X-Auth-Token: bench' \
    -H 'Content-Type: application/json' -d '{"alias":"bench"}' "$url")
  [ "$status" = 200 ] || { echo "create on port $port answered $status, not 200" >&2; exit 1; }
  curl -s -H 'X-Auth-Token: bench' "$url" | grep -q '^{"total":3,"size":3,' \
    || { echo "the list on port $port does not show the created key: $(curl -s -H 'X-Auth-Token: bench' "$url")" >&2; exit 1; }
}
stateful_list_ready "$SMEM_PORT"
SMEM_URL="http://127.0.0.1:$SMEM_PORT$PATH_LIST"
if [ -n "$REDIS_URL" ]; then
  stateful_list_ready "$SREDIS_PORT"
  SREDIS_URL="http://127.0.0.1:$SREDIS_PORT$PATH_LIST"
fi

RSS_IDLE=$(rss_kib "$MOCK_PID")
echo "warm-up (2 s each)"
wrk_rps "$MOCK_URL" warmup-mock 2s > /dev/null
wrk_rps "$BASE_URL" warmup-baseline 2s > /dev/null
RSS_WARM=$(rss_kib "$MOCK_PID")
wrk_list "$SMEM_URL" warmup-list-memory 2s
wrk_create "$SMEM_PORT" warmup-create-memory 2s 0
if [ -n "$REDIS_URL" ]; then
  wrk_list "$SREDIS_URL" warmup-list-redis 2s
  wrk_create "$SREDIS_PORT" warmup-create-redis 2s 0
fi

echo "measuring: wrk -t$THREADS -c$CONNECTIONS -d$DURATION, baseline / mock / quiet mock / stateful list and create, $ROUNDS rounds"
BASES=(); MOCKS=(); QUIETS=(); RATIOS=(); QUIET_RATIOS=(); P99_RATIOS=(); LIST_MEM_B=()
LIST_MEM=(); LIST_REDIS=(); CREATE_MEM=(); CREATE_REDIS=()
LIST_MEM_R=(); LIST_REDIS_R=(); CREATE_MEM_R=(); CREATE_REDIS_R=()
ratio() { echo "$1 $2" | awk '{printf "%.3f", $1 / $2}'; }
SERVED=$(wrk_requests warmup-mock)
for r in $(seq 1 "$ROUNDS"); do
  b=$(wrk_rps "$BASE_URL" "baseline-$r" "$DURATION")
  m=$(wrk_rps "$MOCK_URL" "mock-$r" "$DURATION")
  q=$(wrk_rps "$QUIET_URL" "quiet-$r" "$DURATION")
  SERVED=$(( SERVED + $(wrk_requests "mock-$r") ))
  BASES+=("$b"); MOCKS+=("$m"); QUIETS+=("$q")
  RATIOS+=("$(echo "$m $b" | awk '{printf "%.3f", $1 / $2}')")
  P99_RATIOS+=("$(ratio "$(wrk_p99_us "mock-$r")" "$(wrk_p99_us "baseline-$r")")")
  QUIET_RATIOS+=("$(echo "$q $b" | awk '{printf "%.3f", $1 / $2}')")
  echo "  round $r: baseline $b, mock $m (${RATIOS[-1]}), quiet mock $q (${QUIET_RATIOS[-1]})"
  wrk_list "$SMEM_URL" "list-memory-$r" "$DURATION"; lm=$RPS
  wrk_create "$SMEM_PORT" "create-memory-$r" "$DURATION" "$r"; cm=$RPS
  LIST_MEM+=("$lm"); LIST_MEM_R+=("$(ratio "$lm" "$m")"); LIST_MEM_B+=("$(ratio "$lm" "$b")")
  CREATE_MEM+=("$cm"); CREATE_MEM_R+=("$(ratio "$cm" "$m")")
  line="  round $r, stateful: list memory $lm (${LIST_MEM_R[-1]}), create memory $cm (${CREATE_MEM_R[-1]})"
  if [ -n "$REDIS_URL" ]; then
    wrk_list "$SREDIS_URL" "list-redis-$r" "$DURATION"; lr=$RPS
    wrk_create "$SREDIS_PORT" "create-redis-$r" "$DURATION" "$r"; cr=$RPS
    LIST_REDIS+=("$lr"); LIST_REDIS_R+=("$(ratio "$lr" "$m")")
    CREATE_REDIS+=("$cr"); CREATE_REDIS_R+=("$(ratio "$cr" "$m")")
    line="$line, list Redis $lr (${LIST_REDIS_R[-1]}), create Redis $cr (${CREATE_REDIS_R[-1]})"
  fi
  echo "$line"
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
RSS_SMEM=$(rss_kib "$SMEM_PID")
if [ -n "$REDIS_URL" ]; then
  # Done with Redis: stop it (the exit trap would too).
  kill "$REDIS_PID" 2>/dev/null || true
  wait "$REDIS_PID" 2>/dev/null || true
fi

RATIO=$(median "${RATIOS[@]}")
QUIET_RATIO=$(median "${QUIET_RATIOS[@]}")

if [ -n "$REDIS_URL" ]; then
  REDIS_LINES="list, Redis, req/s: ${LIST_REDIS[*]}   ratio to the stateless list: $(median "${LIST_REDIS_R[@]}")
create, Redis, req/s: ${CREATE_REDIS[*]}   ratio to the stateless list: $(median "${CREATE_REDIS_R[@]}")"
else
  REDIS_LINES="Redis runs: SKIPPED, redis-server is not installed"
fi

cat <<SUMMARY

== keygate-mock benchmark ($(nproc) cores; ListAiApiKeys happy path) ==
baseline (bare hyper, same bytes), req/s: ${BASES[*]}
keygate-mock, defaults (auth presence, request log on), req/s: ${MOCKS[*]}
keygate-mock, RUST_LOG=warn, req/s: ${QUIETS[*]}
ratio mock / baseline, median of rounds: $RATIO (logs on), $QUIET_RATIO (logs off)   (goal >= 0.85 with logs on)
p99 latency, mock (logs on) / baseline, median of rounds: $(median "${P99_RATIOS[@]}")   (goal <= 1.5)
RSS: idle $RSS_IDLE KiB, after warm-up $RSS_WARM KiB, after $SERVED requests $RSS_END KiB   (goal < 32768 KiB, flat)
start-up to 'listening on' (ms, 5 runs): ${STARTUPS[*]}   (goal < 100)
--check (load + index all specs, exit): $CHECK_MS ms

== stateful runs (defaults otherwise; ratios to the stateless list run, the mock's defaults row above, of the same round, median of rounds) ==
list, memory (ListAiApiKeys served from the store), req/s: ${LIST_MEM[*]}   ratio to the stateless list: $(median "${LIST_MEM_R[@]}"), to the baseline: $(median "${LIST_MEM_B[@]}") (goal >= 0.6)
create, memory (Azure PUT new subscription / DELETE it, in turn), req/s: ${CREATE_MEM[*]}   ratio to the stateless list: $(median "${CREATE_MEM_R[@]}")
$REDIS_LINES
RSS of the --state memory mock at the end: $RSS_SMEM KiB
SUMMARY

if [ "${#STATEFUL_ERRORS[@]}" -gt 0 ]; then
  echo
  echo "FAIL: stateful runs answered with errors:"
  printf '  %s\n' "${STATEFUL_ERRORS[@]}"
  exit 1
fi
