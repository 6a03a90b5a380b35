#!/usr/bin/env bash
# The whole test suite: installs what it needs, runs every test project, prints the conformance summary
# and one closing line "N passed, N failed, N skipped". Exit code 0 only when every test passed.
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

bash scripts/install-test-deps.sh

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
log=$(mktemp)
dotnet build OpenAutoGlm.slnx -c Release -nologo -v q 2>&1 | tail -n 20
build_rc=${PIPESTATUS[0]}
if [ "$build_rc" != 0 ]; then
  echo "build failed"
  echo "0 passed, 1 failed"
  exit 1
fi

dotnet test OpenAutoGlm.slnx -c Release --no-build -nologo 2>&1 | tee "$log"
test_rc=${PIPESTATUS[0]}

# The conformance suite once more with every optimizer pass on: the expected-pass list must hold at both levels.
AUTOGLM_CONFORMANCE_LEVEL=all dotnet test tests/Conformance.Tests -c Release --no-build -nologo \
  --filter "FullyQualifiedName~ConformanceTests|FullyQualifiedName~ZooTests" 2>&1 | tee -a "$log"
all_rc=${PIPESTATUS[0]}
if [ "$all_rc" != 0 ]; then test_rc=$all_rc; fi

for f in artifacts/conformance/summary.md artifacts/conformance-all/summary.md artifacts/zoo/summary.md artifacts/zoo-all/summary.md; do
  [ -f "$f" ] && { echo; cat "$f"; }
done

# Sum the per-project summaries ("Passed!  - Failed: 0, Passed: 12, Skipped: 0, ...").
read -r passed failed skipped < <(grep -E '(Passed|Failed)! +- +Failed: ' "$log" | \
  sed -E 's/.*Failed: +([0-9]+), Passed: +([0-9]+), Skipped: +([0-9]+).*/\2 \1 \3/' | \
  awk '{p+=$1; f+=$2; s+=$3} END {print p+0, f+0, s+0}')
rm -f "$log"
if [ "$test_rc" != 0 ] && [ "${failed:-0}" = 0 ]; then failed=1; fi
echo
echo "${passed:-0} passed, ${failed:-0} failed, ${skipped:-0} skipped"
exit "$test_rc"
