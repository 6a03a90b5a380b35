#!/usr/bin/env bash
# Checks the models built by ../shared/zoo against ONNX Runtime's reference outputs, through the API
# (Conformance.Tests/ZooTests) and through `autoglm run --output-dir` (Cli.Tests/ZooCliTests).
#   bash scripts/zoo-check.sh                       # the CI subset (built if missing)
#   ZOO_DIR=/path/to/zoo-cache bash scripts/zoo-check.sh   # an existing, larger zoo cache
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
[ -n "${ZOO_DIR:-}" ] || bash scripts/install-test-deps.sh
dotnet test tests/Conformance.Tests -c Release --filter "FullyQualifiedName~ZooTests" -nologo
api=$?
dotnet test tests/Cli.Tests -c Release --filter "FullyQualifiedName~ZooCliTests" -nologo
cli=$?
[ -f artifacts/zoo/summary.md ] && cat artifacts/zoo/summary.md
[ "$api" = 0 ] && [ "$cli" = 0 ]
