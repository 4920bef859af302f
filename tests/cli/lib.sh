# Shared helpers for the CLI tests: sourced by tests/cli/*.sh (run as: bash test.sh PIMHLS SRC).
set -u
pimhls="$1"
src="$2"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failures=0

# expect_error "what" "pattern" -- command...: exit code 1 and exactly one stderr line matching pattern.
expect_error() {
  local what="$1" pattern="$2"
  shift 2
  local stderr status
  stderr=$("$@" 2>&1 >/dev/null)
  status=$?
  if [ "$status" -ne 1 ]; then
    echo "FAIL $what: exit code $status, expected 1 (stderr: $stderr)"; failures=$((failures + 1))
  elif [ "$(printf '%s\n' "$stderr" | wc -l)" -ne 1 ]; then
    echo "FAIL $what: expected one line, got: $stderr"; failures=$((failures + 1))
  elif ! printf '%s' "$stderr" | grep -Eq -- "$pattern"; then
    echo "FAIL $what: '$stderr' does not match '$pattern'"; failures=$((failures + 1))
  else
    echo "ok   $what: $stderr"
  fi
}

# expect_output "what" "pattern" -- command...: exit code 0 and stdout matching pattern.
expect_output() {
  local what="$1" pattern="$2"
  shift 2
  local stdout status
  stdout=$("$@" 2>&1)
  status=$?
  if [ "$status" -ne 0 ]; then
    echo "FAIL $what: exit code $status: $stdout"; failures=$((failures + 1))
  elif ! printf '%s' "$stdout" | grep -Eq -- "$pattern"; then
    echo "FAIL $what: output does not match '$pattern':"; printf '%s\n' "$stdout" | tail -5
    failures=$((failures + 1))
  else
    echo "ok   $what"
  fi
}

finish() {
  [ "$failures" -eq 0 ] && echo "PASS" && exit 0
  echo "$failures check(s) failed"; exit 1
}
