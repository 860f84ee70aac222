#!/usr/bin/env bash
# Prints how many CPU instructions one iteration of a benchmark executes,
# counted with valgrind's callgrind: unlike wall time on a shared machine,
# the count repeats to within a fraction of a percent.
#
#   scripts/instructions.sh ./yookassa BenchmarkCreatePayment BenchmarkCreatePaymentBaseline
#
# It runs each benchmark for 1 and for N+1 iterations (N=2000 unless
# ITERATIONS says otherwise) and divides the difference by N, so setup cost
# cancels out. Needs valgrind (Debian: apt-get install valgrind).
#
# A benchmark that talks to a server in another process (BenchmarkHotPath's
# "loopback" cases start one) is counted on the client's side only: valgrind
# does not follow the child, so the server's work is not in the count.
#
#   scripts/instructions.sh ./yookassa 'BenchmarkHotPath/create/loopback/yookassa-go' \
#       'BenchmarkHotPath/create/loopback/hand-typed' 'BenchmarkHotPath/create/loopback/hand-plain'
set -euo pipefail
pkg=${1:?usage: $0 <package> <Benchmark>...}
shift
n=${ITERATIONS:-2000}
bin=$(mktemp)
out=$(mktemp)
trap 'rm -f "$bin" "$out"' EXIT
go test -c -o "$bin" "$pkg"
# callgrind and Go's signal-based preemption do not mix; one P keeps the
# count independent of scheduling; valgrind cannot run RDTSCP, which the
# runtime's lock spinning would otherwise use.
count() {
  GODEBUG=asyncpreemptoff=1,cpu.rdtscp=off GOMAXPROCS=1 valgrind --tool=callgrind --callgrind-out-file="$out" \
    "$bin" -test.run '^$' -test.bench "^$1\$" -test.benchtime "$2" >/dev/null 2>&1
  awk '/^(summary|totals):/ {print $2; exit}' "$out"
}
(cd "$pkg" && for b in "$@"; do
  one=$(count "$b" 1x)
  many=$(count "$b" "$((n + 1))x")
  printf '%-40s %d instructions/op\n' "$b" $(((many - one) / n))
done)
