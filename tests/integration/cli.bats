#!/usr/bin/env bats
# The command line: help, errors, exit codes, output formats.

load helpers

@test "wcr --help lists the commands and the global options" {
  run "$WCR" --help
  [ "$status" -eq 0 ]
  [[ "${lines[0]}" == "Usage: wcr [OPTIONS] COMMAND [ARG...]" ]]
  [[ "$output" == *"  version"* ]]
  [[ "$output" == *"--namespace NAME"* ]]
  [[ "$output" == *"--format text|json"* ]]
}

@test "wcr with no command prints the help" {
  run "$WCR"
  [ "$status" -eq 0 ]
  [[ "${lines[0]}" == "Usage: wcr [OPTIONS] COMMAND [ARG...]" ]]
}

@test "help CMD, CMD --help and CMD -h print the same text for every command" {
  run "$WCR" --help
  cmds=$(printf '%s\n' "$output" | sed -n '/^Commands:/,/^$/p' | awk 'NF>1 && $1!="Commands:" {print $1}')
  [ -n "$cmds" ]
  for c in $cmds; do
    a=$("$WCR" help "$c")
    b=$("$WCR" "$c" --help)
    c2=$("$WCR" "$c" -h)
    [ "$a" = "$b" ] || { echo "help $c differs from $c --help"; return 1; }
    [ "$a" = "$c2" ] || { echo "help $c differs from $c -h"; return 1; }
    [[ "$a" == "Usage: wcr $c"* ]] || { echo "help $c: bad first line"; return 1; }
  done
}

@test "an unknown command is one error line naming it, with a suggestion, exit 125" {
  run_split "$WCR" verison
  [ "$status" -eq 125 ]
  [ -z "$stdout" ]
  [ "$(printf '%s\n' "$stderr" | wc -l)" -eq 1 ]
  [[ "$stderr" == 'wcr: unknown command "verison" (did you mean "version"?)'* ]]
}

@test "an unknown command with nothing close gets no suggestion" {
  run_split "$WCR" zzzzzz
  [ "$status" -eq 125 ]
  [[ "$stderr" == 'wcr: unknown command "zzzzzz" (see '\''wcr --help'\'')' ]]
}

@test "an unknown flag names it and suggests the nearest, exit 125" {
  run_split "$WCR" version --formt json
  [ "$status" -eq 125 ]
  [ -z "$stdout" ]
  [[ "$stderr" == "wcr: version: unknown flag --formt (did you mean --format?)"* ]]
}

@test "an unknown short flag is named" {
  run_split "$WCR" version -q
  [ "$status" -eq 125 ]
  [[ "$stderr" == "wcr: version: unknown flag -q"* ]]
}

@test "a flag without its value is an error" {
  run_split "$WCR" version --format
  [ "$status" -eq 125 ]
  [[ "$stderr" == *"flag --format needs a value (text|json)"* ]]
}

@test "an unknown output format is refused" {
  run_split "$WCR" --format yaml version
  [ "$status" -eq 125 ]
  [[ "$stderr" == *'unknown format "yaml" for --format: use text or json'* ]]
}

@test "surplus arguments are refused" {
  run_split "$WCR" version extra
  [ "$status" -eq 125 ]
  [[ "$stderr" == *'version: takes no arguments, got "extra"'* ]]
}

@test "help for an unknown command is an error" {
  run_split "$WCR" help nothing
  [ "$status" -eq 125 ]
  [[ "$stderr" == *'no help for "nothing"'* ]]
}

@test "wcr --version prints one line with the version" {
  run "$WCR" --version
  [ "$status" -eq 0 ]
  [[ "$output" =~ ^wcr\ version\ [0-9]+\.[0-9]+\.[0-9]+,\ revision\ [0-9a-f]+|unknown$ ]]
}

@test "wcr version without containerd prints the client part, then fails" {
  run_split env CONTAINERD_ADDRESS=/nonexistent/c.sock "$WCR" version
  [ "$status" -eq 125 ]
  [[ "$stdout" == *"Client:"* ]]
  [[ "$stdout" =~ Version:\ +[0-9]+\.[0-9]+\.[0-9]+ ]]
  [[ "$stdout" == *"OS/Arch:   linux/"* ]]
  [[ "$stderr" == "wcr: cannot reach containerd: connect to /nonexistent/c.sock: "* ]]
}

@test "wcr version --format json prints valid JSON with the client version" {
  env CONTAINERD_ADDRESS=/nonexistent/c.sock "$WCR" version --format json >"$BATS_TEST_TMPDIR/v.json" || true
  "$JSONCHECK" "$BATS_TEST_TMPDIR/v.json"
  grep -q '"version": "[0-9]*\.[0-9]*\.[0-9]*"' "$BATS_TEST_TMPDIR/v.json"
}

@test "global flags work after the command too" {
  a=$(env CONTAINERD_ADDRESS=/nonexistent/c.sock "$WCR" --format json version 2>/dev/null || true)
  b=$(env CONTAINERD_ADDRESS=/nonexistent/c.sock "$WCR" version --format=json 2>/dev/null || true)
  [ -n "$a" ]
  [ "$a" = "$b" ]
}

@test "--debug adds the error's kind" {
  run_split "$WCR" --debug verison
  [ "$status" -eq 125 ]
  [[ "$stderr" == *"[usage]" ]]
}
