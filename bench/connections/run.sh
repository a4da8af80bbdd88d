#!/usr/bin/env bash
# keygate-mock's memory under many half-open connections, and its throughput, with the
# system's malloc (glibc: keygate-mock without its default `jemalloc` feature), mimalloc (its
# `mimalloc` feature) and jemalloc (the default), in the same run.
#
#   bash bench/connections/run.sh                       # 8,000 connections, 3 rounds
#   N=2000 ROUNDS=1 DURATION=3s bash bench/connections/run.sh   # quicker
#
# Each round, for each allocator of $ALLOCATORS in turn (so that load from other
# processes on a shared machine hits both alike), a fresh mock is started with
# --header-read-timeout $HEADER_TIMEOUT and --max-connections above N, and:
#   before   RSS (VmRSS of /proc/PID/status) after a warm-up (wrk, 2 s);
#   during   RSS with N half-open connections held: a small python3 client opens them, sends
#            each an unfinished request head, and waits until the mock holds N more open
#            sockets (/proc/PID/fd) and its RSS has settled;
#   after    RSS once the mock has closed them all at its header timeout (the client sees
#            every one end) and $SETTLE seconds have passed;
#   req/s    wrk -t$THREADS -c$CONNECTIONS -d$DURATION on Huawei's ListAiApiKeys, after that.
# Reported: each figure per round and the median over rounds. Then one more run per
# allocator with the default --max-connections (1,024) and CAPPED_N connections (default
# 2,000: the rest fit the mock's listen backlog of 1,024), showing that the cap bounds "during":
# the connections past it wait in the kernel's backlog, and are accepted (then closed at the
# header timeout in turn) only as slots free.
#
# Needs wrk (installed with apt-get when missing) and python3. Listens on 127.0.0.1 only.
# Raw output goes to bench/out/connections/.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
OUT="$ROOT/bench/out/connections"
N="${N:-8000}"
ALLOCATORS="${ALLOCATORS:-glibc mimalloc jemalloc}"
CAPPED_N="${CAPPED_N:-2000}"
ROUNDS="${ROUNDS:-3}"
THREADS="${THREADS:-2}"
CONNECTIONS="${CONNECTIONS:-50}"
DURATION="${DURATION:-5s}"
HEADER_TIMEOUT="${HEADER_TIMEOUT:-10}"  # seconds (the default): long enough to open N connections first
SETTLE="${SETTLE:-12}"                  # seconds between the last close and "after" (jemalloc purges over 10 s)
PORT=""   # the mock's, a free one it picks (--port 0), read from its ready line
PATH_LIST="/v2/77b6a44cba5143ab91d13ab9a8ff44fd/apigw/instances/eddc4d25480b4cd6b512f270a1b8b341/apps/9ed8b7fe84224de681e7d7a5587e76dc/ai-api-keys"
mkdir -p "$OUT"

if ! command -v wrk >/dev/null; then
  echo "installing wrk"
  (apt-get install -y wrk || (apt-get update && apt-get install -y wrk)) >/dev/null
fi
# The client and the mock both hold N sockets.
ulimit -n "$(( N * 2 + 4096 ))" 2>/dev/null || ulimit -n "$(ulimit -Hn)"

TARGET="$(cargo metadata --format-version 1 --no-deps --manifest-path "$ROOT/Cargo.toml" | sed -n 's/.*"target_directory":"\([^"]*\)".*/\1/p')"
for alloc in $ALLOCATORS; do
  echo "building (release) with $alloc"
  # jemalloc is the default feature: the others build without it.
  case "$alloc" in
    jemalloc) features=() ;;
    glibc) features=(--no-default-features --features wiremock) ;;
    *) features=(--no-default-features --features "wiremock,$alloc") ;;
  esac
  cargo build --release --quiet -p keygate-mock --bin keygate-mock "${features[@]}" --manifest-path "$ROOT/Cargo.toml"
  cp "$TARGET/release/keygate-mock" "$OUT/keygate-mock-$alloc"
done

PID=""
cleanup() { [ -z "$PID" ] || kill "$PID" 2>/dev/null || true; }
trap cleanup EXIT

# The client: opens $N connections to the mock on $PORT, each with an unfinished head, waits
# for the mock ($PID) to hold them, prints "before during after" RSS in KiB.
CLIENT="$OUT/half_open.py"
cat > "$CLIENT" <<'PY'
import os, selectors, socket, sys, time

pid, port, n, settle = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4])

def rss_kib():
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])

def sockets():
    count = 0
    for fd in os.listdir(f"/proc/{pid}/fd"):
        try:
            if os.readlink(f"/proc/{pid}/fd/{fd}").startswith("socket:"):
                count += 1
        except OSError:
            pass
    return count

def settle_rss():
    # Until two readings 200 ms apart agree within 1%.
    last = rss_kib()
    while True:
        time.sleep(0.2)
        now = rss_kib()
        if abs(now - last) <= last / 100:
            return now
        last = now

idle = sockets()
before = rss_kib()
head = b"GET /v2/index.php HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Unfinished: "
held = []
for _ in range(n):
    s = socket.socket()
    # A full backlog drops SYNs, retried after 1 s: past the cap and the backlog, stop.
    s.settimeout(3.0)
    try:
        s.connect(("127.0.0.1", port))
        s.sendall(head)
    except OSError:
        s.close()
        break
    held.append(s)
# Wait for the mock to have accepted what it will accept: its socket count stops changing.
last, stable = -1, 0
while stable < 10:
    time.sleep(0.1)
    now = sockets()
    stable = stable + 1 if now == last else 0
    last = now
accepted = last - idle
during = settle_rss()
# The header timeout closes every accepted connection; those waiting in the backlog past a
# cap are accepted as slots free, and closed in turn.
selector = selectors.DefaultSelector()
for s in held:
    s.setblocking(False)
    selector.register(s, selectors.EVENT_READ)
open_ = len(held)
while open_ > 0:
    for key, _ in selector.select():
        try:
            data = key.fileobj.recv(4096)
        except OSError:
            data = b""
        if not data:
            selector.unregister(key.fileobj)
            key.fileobj.close()
            open_ -= 1
time.sleep(settle)
after = rss_kib()
print(before, during, after, len(held), accepted)
PY

# Starts the mock binary $1 with extra options, into PID and PORT; waits for its ready line.
start_mock() {
  local binary="$1"; shift
  : > "$OUT/mock.out"
  RUST_LOG=warn "$binary" --port 0 --auth off --header-read-timeout "$HEADER_TIMEOUT" "$@" \
    > "$OUT/mock.out" 2>"$OUT/mock.err" &
  PID=$!
  local deadline=$(( $(date +%s) + 10 ))
  until grep -q "listening on" "$OUT/mock.out" 2>/dev/null; do
    [ "$(date +%s)" -lt "$deadline" ] || { echo "mock did not start: $(cat "$OUT/mock.err")" >&2; exit 1; }
    sleep 0.05
  done
  PORT=$(sed -n 's|^keygate-mock listening on http://127.0.0.1:\([0-9]*\).*|\1|p' "$OUT/mock.out")
}
stop_mock() { kill -TERM "$PID"; wait "$PID" || true; PID=""; }
wrk_rps() {
  wrk -t"$THREADS" -c"$CONNECTIONS" -d"$2" "http://127.0.0.1:$PORT$PATH_LIST" > "$OUT/$1.txt"
  awk '/^Requests\/sec:/ {print $2}' "$OUT/$1.txt"
}
median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }
mib() { awk -v k="$1" 'BEGIN {printf "%.1f", k / 1024}'; }

declare -A BEFORE DURING AFTER RPS
for r in $(seq 1 "$ROUNDS"); do
  for alloc in $ALLOCATORS; do
    start_mock "$OUT/keygate-mock-$alloc" --max-connections "$(( N + 1024 ))"
    wrk_rps "warmup-$alloc-$r" 2s > /dev/null
    read -r b d a opened accepted < <(python3 "$CLIENT" "$PID" "$PORT" "$N" "$SETTLE")
    [ "$accepted" -ge "$N" ] || { echo "only $accepted of $N connections accepted ($opened opened)" >&2; exit 1; }
    rps=$(wrk_rps "$alloc-$r" "$DURATION")
    stop_mock
    BEFORE[$alloc]+="$b "; DURING[$alloc]+="$d "; AFTER[$alloc]+="$a "; RPS[$alloc]+="$rps "
    echo "  round $r, $alloc: RSS before $(mib "$b") MiB, during $(mib "$d") MiB ($accepted held), after $(mib "$a") MiB; $rps req/s"
  done
done

echo "the default cap (--max-connections not given), $CAPPED_N connections"
CAPPED=()
for alloc in $ALLOCATORS; do
  start_mock "$OUT/keygate-mock-$alloc"
  read -r b d a opened accepted < <(python3 "$CLIENT" "$PID" "$PORT" "$CAPPED_N" "$SETTLE")
  stop_mock
  CAPPED+=("| $alloc, default cap, $CAPPED_N connections | $(mib "$b") (no warm-up) | $(mib "$d") ($accepted accepted of $opened connected) | $(mib "$a") | |")
done

cat <<SUMMARY

== keygate-mock, $N half-open connections (header timeout ${HEADER_TIMEOUT}s), $ROUNDS rounds, $(nproc) cores ==
RSS in MiB, req/s of wrk -t$THREADS -c$CONNECTIONS -d$DURATION; median of rounds (per round in brackets)

| allocator | RSS before | RSS during | RSS after | req/s |
|---|---|---|---|---|
SUMMARY
for alloc in $ALLOCATORS; do
  # shellcheck disable=SC2086
  echo "| $alloc | $(mib "$(median ${BEFORE[$alloc]})") | $(mib "$(median ${DURING[$alloc]})") | $(mib "$(median ${AFTER[$alloc]})") | $(median ${RPS[$alloc]}) ($(echo ${RPS[$alloc]})) |"
done
printf '%s\n' "${CAPPED[@]}"
