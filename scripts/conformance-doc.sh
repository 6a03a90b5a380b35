#!/usr/bin/env bash
# Regenerates docs/conformance.md: runs the conformance harness (all 1072 libonnx-testdata tests, CPU provider)
# and writes the per-folder counts beside ONNX Runtime 1.30's, plus every test that does not pass with its reason.
#   bash scripts/conformance-doc.sh
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
dotnet test tests/Conformance.Tests -c Release --filter "FullyQualifiedName~ConformanceTests" -nologo >/dev/null || true
results=artifacts/conformance/results.tsv
[ -f "$results" ] || { echo "no results at $results" >&2; exit 1; }

count() { awk -F'\t' -v s="$1" -v st="$2" 'index($1, s"/")==1 && (st=="" || $2==st) {n++} END {print n+0}' "$results"; }
row() {
  local suite=$1 ort=$2 total pass
  total=$(count "$suite" "")
  pass=$(count "$suite" pass)
  printf '| %s | %s | %s (%.1f%%) | %s | %s | %s | %s (%.1f%%) |\n' "$suite" "$total" "$pass" "$(awk -v a="$pass" -v b="$total" 'BEGIN{print 100*a/b}')" \
    "$(count "$suite" fail)" "$(count "$suite" error)" "$(count "$suite" unsupported)" "$ort" "$(awk -v a="$ort" -v b="$total" 'BEGIN{print 100*a/b}')"
}

{
  echo "# ONNX conformance"
  echo
  echo "Every test folder of Debian's libonnx-testdata 1.12 (\`/usr/share/libonnx-testdata/data\`), run through"
  echo "\`InferenceSession\` on the managed CPU provider (optimization level basic; \`scripts/test.sh\` runs it again at level all, results in \`artifacts/conformance-all/\`) and compared with the expected outputs"
  echo "(rtol 1e-3, atol 1e-5; exceptions are listed in tests/Conformance.Tests/Exceptions.cs). ONNX Runtime 1.30's counts"
  echo "on the same data and tolerance come from ../shared/zoo/README.md (\`ort_conformance.js\`)."
  echo
  echo "Regenerate: \`bash scripts/conformance-doc.sh\` (generated $(date -u +%Y-%m-%d))."
  echo
  echo "| suite | tests | Open-AutoGLM pass | fail | error | unsupported | ONNX Runtime 1.30 pass |"
  echo "|---|---:|---:|---:|---:|---:|---:|"
  row node 863
  row pytorch-converted 59
  row pytorch-operator 24
  row simple 21
  echo
  echo "CI fails when a test listed in \`tests/Conformance.Tests/expected-pass.txt\` ($(grep -c . tests/Conformance.Tests/expected-pass.txt) tests) stops passing."
  echo
  echo "Real models: every model of ../shared/zoo (20 models, opsets 13 and 17, all reference sets) matches ONNX Runtime;"
  echo "see [zoo.md](zoo.md). Hostile inputs: \`HostileInputTests\` reruns every node model with out-of-range integer"
  echo "inputs and NaN/±1e30 float inputs and requires a result or a typed error."
  echo
  echo "## Tests that do not pass"
  echo
  echo "Reasons come from \`tests/Conformance.Tests/known-failures.tsv\` where one is recorded, else from the harness's message."
  echo
  echo "| test | status | reason |"
  echo "|---|---|---|"
  awk -F'\t' 'FNR==NR { if ($0 !~ /^#/ && NF >= 2) known[$1]=$2; next }
    $2 != "pass" { r=($1 in known) ? known[$1] " (" $4 ")" : $4; gsub(/\|/, "\\|", r); if (length(r) > 300) r=substr(r,1,300) "…"; print "| " $1 " | " $2 " | " r " |" }' \
    tests/Conformance.Tests/known-failures.tsv "$results"
} > docs/conformance.md
echo "wrote docs/conformance.md"
