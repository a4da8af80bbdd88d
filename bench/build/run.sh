#!/usr/bin/env bash
# Clean-build time of keygate-sdk with all four vendors against one vendor, in the same run.
#
#   bash bench/build/run.sh                          # all vs huawei, 2 rounds (~10 minutes)
#   VENDORS="alibaba tencent huawei azure" RUNS=3 bash bench/build/run.sh
#
# Each build is `cargo build -p keygate-sdk` (debug profile, the lib only) into a fresh, empty
# CARGO_TARGET_DIR that is removed afterwards; the crates come from cargo's download cache, so
# nothing is fetched. The configurations take turns within a round, and the first one changes
# every round, so that load from other processes on a shared machine hits them alike: compare
# the ratios of one run, not times across runs.
#
# Reported per configuration (bench/build/summary.py): the wall time of each round, their
# median and its ratio to the all-vendor one; the same for the sum of the units' times in
# cargo's --timings report without aws-lc-sys's build script (that C build is the largest and
# the noisiest unit, and the same in every configuration), and the keygate units' own times;
# what the build compiled (unit count, keygate-auth and keygate-sdk features, the crates the
# all-vendor build compiles and this one does not). Output in bench/out/build/: results.tsv
# (one line per build), summary.md (printed), and per build the cargo output and the --timings
# HTML report.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
OUT="$ROOT/bench/out/build"
RUNS="${RUNS:-2}"
VENDORS="${VENDORS:-huawei}"
# Fresh target dirs go here (one at a time): a roomy disk, outside the source tree.
SCRATCH="${SCRATCH:-${TMPDIR:-/tmp}}"

mkdir -p "$OUT"
rm -f "$OUT"/results.tsv "$OUT"/*.log "$OUT"/*.html
target=""
cleanup() { if [ -n "$target" ]; then rm -rf "$target"; fi; }
trap cleanup EXIT

# A compiler wrapper (sccache) would turn a clean build into a cache read.
export RUSTC_WRAPPER="" CARGO_BUILD_RUSTC_WRAPPER=""
unset CARGO_TARGET_DIR CARGO_INCREMENTAL

configs=(all $VENDORS)
cd "$ROOT"
cargo --version
echo "rounds: $RUNS; configurations: ${configs[*]}; cores: $(nproc); load: $(cut -d' ' -f1-3 /proc/loadavg)"
# Downloads, if any, before the first timed build.
cargo fetch --locked >/dev/null

features_of() {
  case "$1" in
    all) echo "" ;;
    *) echo "--no-default-features --features $1" ;;
  esac
}

printf 'round\tconfig\tseconds\tunits\n' >"$OUT/results.tsv"
n=${#configs[@]}
for round in $(seq 1 "$RUNS"); do
  for i in $(seq 0 $((n - 1))); do
    config=${configs[$(((i + round - 1) % n))]}
    target=$(mktemp -d "$SCRATCH/keygate-build-bench.XXXXXX")
    log="$OUT/$config-$round.log"
    start=$(date +%s.%N)
    # shellcheck disable=SC2046 # the features are separate words
    CARGO_TARGET_DIR="$target" cargo build --locked -p keygate-sdk $(features_of "$config") \
      --timings >"$log" 2>&1 || { tail -20 "$log"; exit 1; }
    end=$(date +%s.%N)
    cp "$target/cargo-timings/cargo-timing.html" "$OUT/$config-$round.html"
    rm -rf "$target"
    target=""
    units=$(grep -c '"i": *[0-9]' "$OUT/$config-$round.html" || true)
    seconds=$(awk -v a="$start" -v b="$end" 'BEGIN { print b - a }')
    printf '%s\t%s\t%.1f\t%s\n' "$round" "$config" "$seconds" "$units" >>"$OUT/results.tsv"
    printf 'round %s  %-8s %6.1f s  %s units\n' "$round" "$config" "$seconds" "$units"
  done
done

python3 "$ROOT/bench/build/summary.py" "$OUT" "${configs[@]}" | tee "$OUT/summary.md"
