#!/usr/bin/env bash
# Runs benchmarks interleaved (A B C, A B C, ...) and prints, for each, the
# median, minimum and maximum of one metric over the rounds, and the ratio of
# its median to the first benchmark's. A machine that gets busier or quieter
# during the run then weighs on every subject alike.
#
#   scripts/interleave.sh ./yookassa 7 'BenchmarkHotPath/create/loopback/yookassa-go' \
#       'BenchmarkHotPath/create/loopback/hand-typed' 'BenchmarkHotPath/create/loopback/hand-plain'
#
# METRIC picks the unit read from each result line (default ns/op; for
# example calls/s), BENCHTIME the length of one run (default 1s).
set -euo pipefail
pkg=${1:?usage: $0 <package> <rounds> <Benchmark>...}
rounds=${2:?usage: $0 <package> <rounds> <Benchmark>...}
shift 2
metric=${METRIC:-ns/op}
benchtime=${BENCHTIME:-1s}
bin=$(mktemp)
results=$(mktemp)
trap 'rm -f "$bin" "$results"' EXIT
go test -c -o "$bin" "$pkg"
cd "$pkg"
for ((r = 1; r <= rounds; r++)); do
  # Rotate the starting subject each round so none always runs first.
  n=$#
  for ((i = 0; i < n; i++)); do
    idx=$(((i + r) % n + 1))
    b=${!idx}
    value=$("$bin" -test.run '^$' -test.bench "^$b\$" -test.benchtime "$benchtime" -test.benchmem |
      awk -v m="$metric" '/^Benchmark/ {for (k = 2; k <= NF; k++) if ($k == m) {print $(k-1); exit}}')
    [ -n "$value" ] || { echo "no $metric from $b" >&2; exit 1; }
    printf '%s\t%s\n' "$b" "$value" >>"$results"
  done
done
first=""
for b in "$@"; do
  stats=$(awk -F'\t' -v b="$b" '$1 == b {print $2}' "$results" | sort -g |
    awk '{v[NR] = $1} END {m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2; printf "%s %s %s", m, v[1], v[NR]}')
  read -r median min max <<<"$stats"
  [ -n "$first" ] || first=$median
  printf '%-52s median %12.1f  min %12.1f  max %12.1f %s  (%.3fx the first)\n' "$b" "$median" "$min" "$max" "$metric" \
    "$(awk -v a="$median" -v b="$first" 'BEGIN {print a / b}')"
done
