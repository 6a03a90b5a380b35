#!/usr/bin/env bash
# Installs what the test suite needs on a fresh Debian 12 machine (idempotent):
#   - libonnx-testdata (the ONNX conformance suite), via apt, when running as root;
#   - a small subset of the model zoo from ../shared/zoo (PyTorch-exported models + ONNX Runtime reference
#     outputs) into ../zoo-cache, unless AUTOGLM_SKIP_ZOO=1.
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

log() { echo "== [install-test-deps $(date +%H:%M:%S)] $*"; }

if ! dpkg -s libonnx-testdata >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ]; then
    log "apt-get install libonnx-testdata"
    apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q libonnx-testdata >/dev/null \
      || log "WARNING: could not install libonnx-testdata; conformance tests will be skipped"
  else
    log "WARNING: libonnx-testdata missing and not root; conformance tests will be skipped"
  fi
fi

ZOO_SUBSET="${AUTOGLM_ZOO_SUBSET:-squeezenet1_1,gpt2_tiny,bert_small,resnet18,mobilenet_v2}"
if [ "${AUTOGLM_SKIP_ZOO:-0}" != 1 ] && [ -f ../shared/zoo/build_zoo.sh ]; then
  missing=0
  IFS=',' read -ra models <<< "$ZOO_SUBSET"
  for m in "${models[@]}"; do
    ls ../zoo-cache/models/"${m}"_op17/test_data_set_0/output_0.pb >/dev/null 2>&1 || missing=1
  done
  if [ "$missing" = 1 ]; then
    log "building zoo subset $ZOO_SUBSET (opset 17) into ../zoo-cache"
    ZOO_ONLY="$ZOO_SUBSET" ZOO_OPSETS=17 ZOO_STEPS="deps export ref" \
      bash ../shared/zoo/build_zoo.sh "$(realpath -m ../zoo-cache)" > artifacts-zoo-build.log 2>&1 \
      || log "WARNING: zoo build failed (see artifacts-zoo-build.log); zoo tests will be skipped"
    tail -n 3 artifacts-zoo-build.log 2>/dev/null
    rm -f artifacts-zoo-build.log
  fi
  # Opset-13 exports of the transformers: LayerNormalization and GELU arrive decomposed there (optimizer tests).
  ZOO_SUBSET13="${AUTOGLM_ZOO_SUBSET13:-bert_small,gpt2_tiny}"
  if [ -n "$ZOO_SUBSET13" ] && ! ls ../zoo-cache/models/{bert_small,gpt2_tiny}_op13/test_data_set_0/output_0.pb >/dev/null 2>&1; then
    log "building zoo subset $ZOO_SUBSET13 (opset 13) into ../zoo-cache"
    ZOO_ONLY="$ZOO_SUBSET13" ZOO_OPSETS=13 ZOO_STEPS="export ref" \
      bash ../shared/zoo/build_zoo.sh "$(realpath -m ../zoo-cache)" > artifacts-zoo-build.log 2>&1 \
      || log "WARNING: opset-13 zoo build failed (see artifacts-zoo-build.log); those tests will be skipped"
    tail -n 1 artifacts-zoo-build.log 2>/dev/null
    rm -f artifacts-zoo-build.log
  fi
fi
exit 0
