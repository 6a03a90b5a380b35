#!/usr/bin/env bash
# Latency of Open-AutoGLM vs ONNX Runtime on zoo models, measured alternately on the same inputs.
#
#   benchmarks/compare-ort.sh [--models-root DIR] [--rounds N] [--runs N] [--warmup N] [--threads N]
#                             [--max-seconds S] [--level none|basic|extended|all] [--out FILE.md] [--json FILE.json]
#                             [MODEL[:PROFILE] ...]
#
# - installs onnxruntime-node@1.30.0 into benchmarks/.node (git-ignored) if it is missing, with
#   ONNXRUNTIME_NODE_INSTALL=skip (its postinstall would try to download CUDA binaries);
# - builds the CLI once (dotnet build src/Cli -c Release) unless AUTOGLM_DLL names a built
#   OpenAutoGlm.Cli.dll, and runs that dll directly (no `dotnet run` per round);
# - runs benchmarks/ort_side.js: per model and profile, seeded inputs written as .npy and fed to both sides,
#   ORT in-process (2 intra-op threads by default, its default graph optimization level 'all') and
#   `autoglm bench --json --level L` (default all, the same footing) alternating for --rounds rounds;
# - prints a markdown table (model, profile, batch, ORT median ms, ours median ms, ORT/ours) and writes it
#   to --out when given.
# Models default to the zoo list below; the root defaults to /work/zoo-full/models if it exists, else
# ../zoo-cache/models (override with --models-root or ZOO_MODELS). Profiles come from each model's
# meta.json "bench" entries (b1, b8, decode_past127, ...); bN means batch N.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/.." && pwd)"
node_dir="$here/.node"
ort_version="1.30.0"

root="${ZOO_MODELS:-}"
if [[ -z "$root" ]]; then
  if [[ -d /work/zoo-full/models ]]; then root=/work/zoo-full/models; else root="$repo/../zoo-cache/models"; fi
fi

pass=()
models=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    --models-root) root="$2"; shift 2 ;;
    --rounds|--runs|--warmup|--threads|--max-seconds|--out|--json|--inputs-dir|--level) pass+=("$1" "$2"); shift 2 ;;
    -h|--help) sed -n '2,20p' "$0"; exit 0 ;;
    -*) echo "compare-ort.sh: unknown option $1" >&2; exit 2 ;;
    *) models+=("$1"); shift ;;
  esac
done
if [[ ${#models[@]} -eq 0 ]]; then
  models=(resnet50:b1 resnet50:b8 mobilenet_v2:b1 mobilenet_v2:b8 efficientnet_b0:b1 efficientnet_b0:b8
          squeezenet1_1:b1 squeezenet1_1:b8 bert_base:b1 bert_base:b8 gpt2_small:decode_past127)
fi

if [[ ! -f "$node_dir/node_modules/onnxruntime-node/package.json" ]]; then
  echo "installing onnxruntime-node@$ort_version into $node_dir" >&2
  mkdir -p "$node_dir"
  ONNXRUNTIME_NODE_INSTALL=skip npm install --prefix "$node_dir" --no-audit --no-fund --loglevel=error \
    "onnxruntime-node@$ort_version" >&2
fi

dll="${AUTOGLM_DLL:-}"
if [[ -z "$dll" ]]; then
  echo "building the CLI (Release)" >&2
  dotnet build "$repo/src/Cli" -c Release --nologo -v quiet >&2
  dll="$repo/src/Cli/bin/Release/net10.0/OpenAutoGlm.Cli.dll"
fi
[[ -f "$dll" ]] || { echo "compare-ort.sh: $dll not found" >&2; exit 1; }

exec node "$here/ort_side.js" --dll "$dll" --models-root "$root" "${pass[@]}" "${models[@]}"
