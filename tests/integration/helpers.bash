# Shared helpers for the bats suites.

# run_split CMD...: like bats' run, but keeps stdout and stderr apart in
# $stdout and $stderr.
run_split() {
  local out err
  out=$(mktemp "$BATS_TEST_TMPDIR/out.XXXXXX")
  err=$(mktemp "$BATS_TEST_TMPDIR/err.XXXXXX")
  status=0
  "$@" >"$out" 2>"$err" || status=$?
  stdout=$(cat "$out")
  stderr=$(cat "$err")
  rm -f "$out" "$err"
}
