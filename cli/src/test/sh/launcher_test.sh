#!/usr/bin/env bash
# Smoke test of the ./rnnlab launcher (which unit tests cannot reach): run it the way a person does, from
# another folder, and check exit codes, that standard error carries exactly the error line (the JVM's incubator
# warning filtered out), that RNNLAB_JAVA_OPTS reaches the JVM, and that a terminal is detected as one.
# Needs the jar built (mvn package or verify); run from anywhere: bash cli/src/test/sh/launcher_test.sh
set -uo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../../.." && pwd)"
launcher="$root/rnnlab"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cd "$work" || exit 1

failures=0
checks=0
check() { # check NAME CONDITION-COMMAND...
  local name="$1"
  shift
  checks=$((checks + 1))
  if "$@"; then
    printf '  ok    %s\n' "$name"
  else
    printf '  FAIL  %s\n' "$name"
    failures=$((failures + 1))
  fi
}
run() { # run ARGS...: sets rc, out, err
  "$launcher" "$@" >"$work/out" 2>"$work/err"
  rc=$?
  out="$(cat "$work/out")"
  err="$(cat "$work/err")"
}

run info
check "info exits 0" test "$rc" -eq 0
check "info prints the vector species" grep -q '^vector species  Species\[float, ' "$work/out"
check "info leaves stderr empty (no incubator warning)" test -z "$err"
check "info sees a pipe, not a terminal" grep -q -- '-Drnnlab.tty=false' "$work/out"

run info --bogus
check "an unknown option exits 2" test "$rc" -eq 2
check "an unknown option is one line on stderr" test "$(wc -l <"$work/err")" -eq 1
check "the line names the problem" grep -q "^rnnlab: unknown option: '--bogus'. See 'rnnlab info --help'.$" "$work/err"
check "nothing on stdout after an error" test -z "$out"

run --version
check "--version exits 0" test "$rc" -eq 0
check "--version names rnnlab" grep -q '^rnnlab [0-9]' "$work/out"

RNNLAB_JAVA_OPTS="-Drnnlab.simd=false -Xmx256m" run info
check "RNNLAB_JAVA_OPTS reaches the JVM (simd off)" grep -q '^simd  *off' "$work/out"

if command -v script >/dev/null 2>&1; then
  script -qec "$launcher info" /dev/null >"$work/tty" 2>&1
  rc=$?
  check "on a terminal: exit 0" test "$rc" -eq 0
  check "on a terminal: detected as one" grep -q -- '-Drnnlab.tty=true' "$work/tty"
  check "on a terminal: no incubator warning" bash -c "! grep -q 'incubator modules' '$work/tty'"
fi

printf 'launcher test: %d checks, %d failed\n' "$checks" "$failures"
[ "$failures" -eq 0 ]
