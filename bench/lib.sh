# Shared by the benchmarks: timing and medians.

# now_us: wall clock in microseconds from bash itself ($EPOCHREALTIME):
# an external `date` would add its own fork and exec (milliseconds on a
# slow machine) to every figure.
now_us() { local t=${EPOCHREALTIME/[.,]/}; echo "$t"; }

# time_ms CMD...: run CMD (output discarded), print its wall time in ms
# with three decimals; a failing command stops the benchmark.
time_ms() {
  local t0 t1
  t0=${EPOCHREALTIME/[.,]/}
  "$@" >/dev/null 2>&1 || { echo "benchmark: command failed: $*" >&2; exit 1; }
  t1=${EPOCHREALTIME/[.,]/}
  awk -v d=$((t1 - t0)) 'BEGIN { printf "%.3f\n", d / 1e3 }'
}

# median FILE: the median of the numbers in FILE, one per line.
median() {
  sort -n "$1" | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else printf "%.3f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}
