# Shared by the command-line tests of bad input.
# expect_error NAME PATTERN -- COMMAND...: COMMAND exits 2 with a message matching PATTERN;
# otherwise `fail NAME` (the sourcing script defines fail).
expect_error() {
  local name=$1 pattern=$2
  shift 3
  local out rc
  out=$("$@" 2>&1)
  rc=$?
  if [ $rc -ne 2 ] || ! grep -q -- "$pattern" <<< "$out"; then
    fail "$name (exit $rc, wanted a message matching '$pattern'): $out"
  fi
}
