#!/usr/bin/env bash
# keygate-mock against other mock servers, in one run, with the same wrk settings, all answering
# the same request: Huawei ListAiApiKeys of the documented app (the request of bench/mock/run.sh),
# with its documented sample.
#
#   bash bench/compare/run.sh                        # wrk -t2 -c50 -d5s, 3 rounds (~2 minutes)
#   DURATION=10s ROUNDS=5 bash bench/compare/run.sh    # longer (wiremock's memory: see below)
#
# The servers, each on 127.0.0.1 only, on a free port:
#   hyper            bare hyper returning the exact bytes keygate-mock sends, with no routing,
#                    auth, validation or logging (mock-server/examples/baseline.rs): the ceiling;
#   keygate-mock     default options (--state memory, auth presence, one INFO log line per
#                    request, to /dev/null): the documented app, untouched, answers its sample;
#   keygate-mock     --state off (pure replay), otherwise default options;
#   keygate-mock     --state memory, after one key was created in the app, so the list is
#                    answered from the store (3 keys: the 2 documented and the new one);
#   wiremock-rs      the same bytes as one Mock with a plain ResponseTemplate, request recording
#                    off (bench/compare/src/bin/wiremock-list.rs). wiremock 0.6 still keeps a copy
#                    of every request its Mock matched: its RSS grows by a few KiB per request
#                    served (GiBs over a long run; the table's note gives the figure);
#   Prism            @stoplight/prism-cli (PRISM_VERSION) `prism mock` on spec/huawei-apig.yaml,
#                    default options (its request log to /dev/null).
# Each answer is checked once before measuring: 200 everywhere, the same bytes as hyper's for
# the replaying servers (Prism's body is compared and the result reported).
#
# The servers are measured in turn, ROUNDS times, the first one changing every round, so that
# load from other processes on a shared machine hits all alike. Reported per server: req/s,
# p50 and p99 latency (wrk --latency; medians over rounds), the ratio of req/s to hyper's of
# the same round (median over rounds), RSS (of the server and its children) after start-up
# and after the run. Any non-2xx answer or socket error fails the script, after the table.
#
# Needs wrk (installed with apt-get when missing), node and npm (Debian's nodejs and npm, with
# apt-get, when node is missing); Prism is installed with npm into bench/.prism (gitignored)
# when it is not there (5.16.0 declares Node >= 24.18 but runs on Debian's Node 20; npm warns). Output in bench/out/compare/: table.md, chart.svg, results.tsv, raw
# wrk output; the table is printed.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
OUT="$ROOT/bench/out/compare"
THREADS="${THREADS:-2}"
CONNECTIONS="${CONNECTIONS:-50}"
DURATION="${DURATION:-5s}"
ROUNDS="${ROUNDS:-3}"
WARMUP="${WARMUP:-2s}"
PRISM_VERSION="${PRISM_VERSION:-5.16.0}"
PRISM_DIR="$ROOT/bench/.prism"
PRISM_PORT="${PRISM_PORT:-4720}"   # the first one tried; the next free one is taken
SPEC="$ROOT/spec/huawei-apig.yaml"
PATH_LIST="/v2/77b6a44cba5143ab91d13ab9a8ff44fd/apigw/instances/eddc4d25480b4cd6b512f270a1b8b341/apps/9ed8b7fe84224de681e7d7a5587e76dc/ai-api-keys"
TOKEN="X-Auth-Token: bench"
mkdir -p "$OUT"
rm -f "$OUT"/*.txt "$OUT"/*.out

SUDO=""
if [ "$(id -u)" -ne 0 ] && sudo -n true 2>/dev/null; then SUDO=sudo; fi
apt_install() {
  echo "installing $* (apt-get)"
  ($SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" \
    || ($SUDO apt-get update -qq && $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@")) >/dev/null
}
command -v wrk >/dev/null || apt_install wrk
command -v node >/dev/null || apt_install nodejs npm
PRISM_BIN="$PRISM_DIR/node_modules/.bin/prism"
if [ ! -x "$PRISM_BIN" ]; then
  echo "installing @stoplight/prism-cli@$PRISM_VERSION into bench/.prism (npm)"
  mkdir -p "$PRISM_DIR"
  npm install --prefix "$PRISM_DIR" --no-audit --no-fund --loglevel error \
    "@stoplight/prism-cli@$PRISM_VERSION" >/dev/null
fi
PRISM_INSTALLED=$(node -p "require('$PRISM_DIR/node_modules/@stoplight/prism-cli/package.json').version")
NODE_VERSION=$(node --version)

echo "building (release)"
cargo build --release --quiet --manifest-path "$ROOT/Cargo.toml" \
  -p keygate-mock --bin keygate-mock --example baseline \
  -p keygate-bench-compare --bin wiremock-list --bin compare-chart
TARGET="$(cargo metadata --format-version 1 --no-deps --manifest-path "$ROOT/Cargo.toml" | sed -n 's/.*"target_directory":"\([^"]*\)".*/\1/p')"
MOCK_BIN="$TARGET/release/keygate-mock"
BASE_BIN="$TARGET/release/examples/baseline"
WIREMOCK_BIN="$TARGET/release/wiremock-list"
CHART_BIN="$TARGET/release/compare-chart"

PIDS=()
# A process and its descendants, deepest first (Prism's node may start workers).
tree_pids() {
  local child
  for child in $(ps -o pid= --ppid "$1" 2>/dev/null); do tree_pids "$child"; done
  echo "$1"
}
cleanup() {
  local pid p
  for pid in "${PIDS[@]}"; do
    for p in $(tree_pids "$pid"); do kill "$p" 2>/dev/null || true; done
  done
}
trap cleanup EXIT

# RSS in KiB of a process and its descendants.
rss_kib() {
  local total=0 p kib
  for p in $(tree_pids "$1"); do
    kib=$(awk '/^VmRSS/ {print $2}' "/proc/$p/status" 2>/dev/null || true)
    total=$(( total + ${kib:-0} ))
  done
  echo "$total"
}
# Waits (bounded) for a ready line in a file, then prints the URL it names.
wait_url() {
  local file="$1" pid="$2" deadline=$(( $(date +%s) + $3 ))
  until grep -q "listening on" "$file" 2>/dev/null; do
    kill -0 "$pid" 2>/dev/null || { echo "server exited: $(cat "$file")" >&2; exit 1; }
    [ "$(date +%s)" -lt "$deadline" ] || { echo "server did not start: $(cat "$file")" >&2; exit 1; }
    sleep 0.05
  done
  grep -o 'http://127\.0\.0\.1:[0-9]*' "$file" | head -1
}
port_busy() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# The servers, in table order: key, label, URL, pid.
KEYS=(hyper default off memory wiremock prism)
declare -A LABEL=(
  [hyper]="hyper (bare, same bytes; ceiling)"
  [default]="keygate-mock, defaults"
  [off]="keygate-mock --state off"
  [memory]="keygate-mock --state memory, list from the store"
  [wiremock]="wiremock-rs 0.6"
  [prism]="Prism $PRISM_INSTALLED"
)
declare -A URL PID
start() {
  local key="$1" timeout="$2"; shift 2
  "$@" > "$OUT/$key.out" 2>/dev/null &
  PID[$key]=$!; PIDS+=("$!")
  URL[$key]="$(wait_url "$OUT/$key.out" "${PID[$key]}" "$timeout")$PATH_LIST"
}
echo "starting the servers"
start hyper 10 "$BASE_BIN" 0
start default 10 "$MOCK_BIN" --port 0
start off 10 "$MOCK_BIN" --port 0 --state off
start memory 10 "$MOCK_BIN" --port 0 --state memory
start wiremock 10 "$WIREMOCK_BIN" 0
port="$PRISM_PORT"
while port_busy "$port"; do port=$((port + 1)); done
start prism 120 "$PRISM_BIN" mock --host 127.0.0.1 --port "$port" "$SPEC"

# The stateful list: the documented app, once a key was created in it.
status=$(curl -s -o /dev/null -w '%{http_code}' -X POST -H "$TOKEN" \
  -H 'Content-Type: application/json' -d '{"alias":"bench"}' "${URL[memory]}")
[ "$status" = 200 ] || { echo "create on the stateful mock answered $status, not 200" >&2; exit 1; }
curl -s -H "$TOKEN" "${URL[memory]}" | grep -q '^{"total":3,"size":3,' \
  || { echo "the stateful list does not show the created key: $(curl -s -H "$TOKEN" "${URL[memory]}")" >&2; exit 1; }

echo "checking each answer once"
declare -A BYTES
for key in "${KEYS[@]}"; do
  status=$(curl -s -o "$OUT/$key.body" -w '%{http_code}' -H "$TOKEN" "${URL[$key]}")
  [ "$status" = 200 ] || { echo "${LABEL[$key]} answered $status, not 200: $(cat "$OUT/$key.body")" >&2; exit 1; }
  BYTES[$key]=$(wc -c < "$OUT/$key.body")
done
for key in default off wiremock; do
  cmp -s "$OUT/hyper.body" "$OUT/$key.body" || { echo "${LABEL[$key]}: body differs from hyper's" >&2; exit 1; }
done
if cmp -s "$OUT/hyper.body" "$OUT/prism.body"; then PRISM_SAME="the same bytes as the others"
else PRISM_SAME="NOT the same bytes as the others (see bench/out/compare/prism.body)"; fi

declare -A RSS_START RSS_END
for key in "${KEYS[@]}"; do RSS_START[$key]=$(rss_kib "${PID[$key]}"); done

ERRORS=()
# One wrk run: req/s, p50 and p99 (ms) into RPS, P50, P99; full output in $OUT/$2.txt.
to_ms() { awk -v v="$1" 'BEGIN { n = v + 0; u = v; sub(/^[0-9.]+/, "", u);
  if (u == "us") n /= 1000; else if (u == "s") n *= 1000; else if (u == "m") n *= 60000; printf "%.3f", n }'; }
run_wrk() {
  local url="$1" name="$2" duration="$3" file="$OUT/$2.txt"
  wrk -t"$THREADS" -c"$CONNECTIONS" -d"$duration" --latency -H "$TOKEN" "$url" > "$file"
  RPS=$(awk '/^Requests\/sec:/ {print $2}' "$file")
  P50=$(to_ms "$(awk '$1 == "50%" {print $2}' "$file")")
  P99=$(to_ms "$(awk '$1 == "99%" {print $2}' "$file")")
  if grep -qE 'Non-2xx|Socket errors' "$file"; then
    ERRORS+=("$name: $(grep -E 'Non-2xx|Socket errors' "$file" | xargs)")
  fi
}

echo "warm-up ($WARMUP each)"
for key in "${KEYS[@]}"; do run_wrk "${URL[$key]}" "warmup-$key" "$WARMUP"; done

echo "measuring: wrk -t$THREADS -c$CONNECTIONS -d$DURATION --latency, ${#KEYS[@]} servers in turn, $ROUNDS rounds"
# Per server, the rounds' figures, space-separated; RPS_AT: req/s by "server,round".
declare -A RPS_R P50_R P99_R RATIO_R RPS_AT
for r in $(seq 1 "$ROUNDS"); do
  # The first server of the round moves along by one each round.
  order=()
  for i in "${!KEYS[@]}"; do order+=("${KEYS[$(( (i + r - 1) % ${#KEYS[@]} ))]}"); done
  for key in "${order[@]}"; do
    run_wrk "${URL[$key]}" "$key-$r" "$DURATION"
    RPS_R[$key]+="$RPS "; P50_R[$key]+="$P50 "; P99_R[$key]+="$P99 "
    RPS_AT["$key,$r"]=$RPS
  done
  line="  round $r (order: ${order[*]}):"
  for key in "${KEYS[@]}"; do
    RATIO_R[$key]+="$(awk -v a="${RPS_AT[$key,$r]}" -v b="${RPS_AT[hyper,$r]}" 'BEGIN { printf "%.3f", a / b }') "
    line="$line $key ${RPS_AT[$key,$r]}"
  done
  echo "$line"
done
for key in "${KEYS[@]}"; do RSS_END[$key]=$(rss_kib "${PID[$key]}"); done

median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }
# shellcheck disable=SC2086 # the per-round lists are space-separated on purpose
{
  printf 'server\treq_s\tratio\tp50_ms\tp99_ms\trss_start_kib\trss_end_kib\n'
  for key in "${KEYS[@]}"; do
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "${LABEL[$key]}" "$(median ${RPS_R[$key]})" \
      "$(median ${RATIO_R[$key]})" "$(median ${P50_R[$key]})" "$(median ${P99_R[$key]})" \
      "${RSS_START[$key]}" "${RSS_END[$key]}"
  done
} > "$OUT/results.tsv"

WIREMOCK_SERVED=$(cat "$OUT"/*wiremock*.txt | awk '/requests in/ {n += $1} END {print n}')
WIREMOCK_GROWTH=$(awk -v a="${RSS_START[wiremock]}" -v b="${RSS_END[wiremock]}" -v n="$WIREMOCK_SERVED" \
  'BEGIN { printf "%.1f", (b - a) / n }')
CPU=$(awk -F': ' '/^model name/ {print $2; exit}' /proc/cpuinfo)
WHEN=$(date -u '+%Y-%m-%d %H:%M UTC')
{
  echo "| Server | req/s | vs hyper | p50 (ms) | p99 (ms) | RSS start (MiB) | RSS after (MiB) | body (bytes) |"
  echo "|---|---:|---:|---:|---:|---:|---:|---:|"
  i=0
  tail -n +2 "$OUT/results.tsv" | while IFS=$'\t' read -r name rps ratio p50 p99 rs re; do
    key=${KEYS[$i]}; i=$((i + 1))
    awk -v n="$name" -v rps="$rps" -v ratio="$ratio" -v p50="$p50" -v p99="$p99" -v rs="$rs" \
      -v re="$re" -v b="${BYTES[$key]}" 'BEGIN {
        printf "| %s | %.0f | %.2f | %.2f | %.2f | %.1f | %.1f | %s |\n", n, rps, ratio, p50, p99, rs / 1024, re / 1024, b }'
  done
  echo
  echo "wrk -t$THREADS -c$CONNECTIONS -d$DURATION --latency, $ROUNDS rounds, servers in turn; req/s, p50, p99:"
  echo "medians over rounds; vs hyper: median of the per-round ratios of req/s. RSS: of the server"
  echo "(and its children) after start-up, and after warm-up and all rounds. $WHEN, $(nproc) cores"
  echo "($CPU), node $NODE_VERSION. Prism's body: $PRISM_SAME. The stateful mock lists 3 keys"
  echo "(one created first), hence its longer body. wiremock-rs keeps a copy of every request its"
  echo "Mock matched, request recording off or not: $WIREMOCK_SERVED requests served, RSS up by"
  echo "$WIREMOCK_GROWTH KiB per request."
} > "$OUT/table.md"

"$CHART_BIN" "$OUT/results.tsv" "$OUT/chart.svg" \
  "Huawei ListAiApiKeys, wrk -t$THREADS -c$CONNECTIONS -d$DURATION x $ROUNDS rounds, $(nproc) cores, $WHEN"

echo
echo "== mock servers compared (bench/out/compare/table.md, chart.svg) =="
cat "$OUT/table.md"

if [ "${#ERRORS[@]}" -gt 0 ]; then
  echo
  echo "FAIL: runs answered with errors:"
  printf '  %s\n' "${ERRORS[@]}"
  exit 1
fi
