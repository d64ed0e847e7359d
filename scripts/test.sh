#!/usr/bin/env bash
# The whole suite, as `make test` runs it: SQLite, PostgreSQL (throwaway cluster), browser.
#
#   scripts/test.sh [PYTEST ARGS...]
#
# Every stage runs even if an earlier one failed; the script fails if any stage failed,
# and pytest's "no tests collected" (exit 5) counts as a failure like any other.
# TEST_JOBS sets the number of parallel pytest processes (default 2).
set -uo pipefail
cd "$(dirname "$0")/.."

jobs="${TEST_JOBS:-2}"
pytest=(.venv/bin/pytest)
declare -a names=() results=()

stage() {
  local name="$1"
  shift
  echo
  echo "== $name =="
  local start=$SECONDS
  "$@"
  local status=$?
  names+=("$name")
  if [ "$status" -eq 0 ]; then
    results+=("ok ($((SECONDS - start)) s)")
  else
    results+=("FAILED (exit $status)")
    failed=1
  fi
}

failed=0
mkdir -p test-artifacts
rm -f test-artifacts/junit-*.xml
stage "SQLite" "${pytest[@]}" -n "$jobs" -m "not browser" \
  --junitxml=test-artifacts/junit-sqlite.xml "$@"
stage "PostgreSQL" bash scripts/with-postgres.sh "${pytest[@]}" -n "$jobs" -m "not browser" \
  --junitxml=test-artifacts/junit-postgresql.xml "$@"
stage "browser (Chromium)" "${pytest[@]}" -m browser \
  --junitxml=test-artifacts/junit-browser.xml "$@"

echo
echo "== summary =="
for i in "${!names[@]}"; do
  printf '  %-20s %s\n' "${names[$i]}" "${results[$i]}"
done
# One closing line over all stages, counted from the JUnit reports.
.venv/bin/python - <<'PY'
import glob
import xml.etree.ElementTree as ET

passed = failed = skipped = 0
for path in glob.glob("test-artifacts/junit-*.xml"):
    for suite in ET.parse(path).getroot().iter("testsuite"):
        tests, skip = int(suite.get("tests", 0)), int(suite.get("skipped", 0))
        bad = int(suite.get("failures", 0)) + int(suite.get("errors", 0))
        passed += tests - skip - bad
        failed += bad
        skipped += skip
print(f"{passed} passed, {failed} failed, {skipped} skipped")
PY
exit "$failed"
