"""Summary of bench/build/run.sh's builds: `summary.py OUT CONFIG...` (the first CONFIG is the
all-vendor build the ratios are to), read from OUT/results.tsv and OUT/<config>-<round>.html."""

import json
import re
import statistics
import sys

out, configs = sys.argv[1], sys.argv[2:]
rows = [line.rstrip("\n").split("\t") for line in open(f"{out}/results.tsv")][1:]
rounds = {c: [r[0] for r in rows if r[1] == c] for c in configs}


def units(config, round_):
    html = open(f"{out}/{config}-{round_}.html").read()
    return json.loads(re.search(r"const UNIT_DATA = (\[.*?\]);\n", html, re.S).group(1))


def is_aws_lc_build(unit):
    return unit["name"] == "aws-lc-sys" and "build-script (run)" in unit["target"]


def own(unit):
    return unit["name"] in ("keygate-auth", "keygate-sdk") and "build-script" not in unit["target"]


wall, work, keygate = {}, {}, {}
for c in configs:
    wall[c] = [float(r[2]) for r in rows if r[1] == c]
    data = [units(c, r) for r in rounds[c]]
    # Unit times overlap on several cores; their sum is the work, less sensitive to how the
    # machine's other load fell than the wall time.
    work[c] = [sum(u["duration"] for u in d if not is_aws_lc_build(u)) for d in data]
    keygate[c] = [sum(u["duration"] for u in d if own(u)) for d in data]


def cell(values, base):
    med = statistics.median(values)
    return f"{' '.join(f'{v:.1f}' for v in values)} | {med:.1f} | {med / statistics.median(base):.2f}"


base = configs[0]
print("Wall time of `cargo build -p keygate-sdk`, clean, debug (seconds; ratio of medians to "
      f"`{base}`), and the units' summed times without aws-lc-sys's build script:\n")
print("| build | wall, rounds | median | ratio | unit sum, rounds | median | ratio | keygate-auth + keygate-sdk (median) | units |")
print("|---|---|---|---|---|---|---|---|---|")
for c in configs:
    print(f"| {c} | {cell(wall[c], wall[base])} | {cell(work[c], work[base])} "
          f"| {statistics.median(keygate[c]):.1f} | {len(units(c, rounds[c][0]))} |")
print()
all_crates = {f"{u['name']} {u['version']}" for u in units(base, rounds[base][0])}
for c in configs:
    data = units(c, rounds[c][0])
    ours = sorted(f"{u['name']} [{','.join(u['features'])}]" for u in data if own(u))
    aws = statistics.median(
        [sum(u["duration"] for u in units(c, r) if is_aws_lc_build(u)) for r in rounds[c]]
    )
    print(f"- {c}: {'; '.join(ours)}; aws-lc-sys build script {aws:.0f} s (median)")
    if c != base:
        crates = {f"{u['name']} {u['version']}" for u in data}
        print(f"  not compiled (vs {base}): {', '.join(sorted(all_crates - crates)) or 'nothing'}")
