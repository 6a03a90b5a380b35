#!/bin/bash
# Before/after latency of two autoglm builds on another (quiet) machine, 2 pinned cores, no .NET SDK needed there.
#
# Here:   dotnet publish src/Cli -c Release -r linux-x64 --self-contained -p:PublishTrimmed=true \
#           -p:TreatWarningsAsErrors=false -p:WarningsAsErrors= -o /tmp/pubnew      (and /tmp/pubold from the old commit)
#         mkdir -p artifacts/device && tar czf artifacts/device/new.tgz -C /tmp pubnew && tar czf artifacts/device/old.tgz -C /tmp pubold
#         cp benchmarks/device-ab.sh artifacts/device/run.sh; cp <zoo>/mobilenet_v2_op17/model.onnx artifacts/device/mobilenet_v2.onnx (same for squeezenet1_1)
# There:  bash artifacts/device/run.sh      (results in $OUT/results.txt: model, batch, round, build, median ms, min ms)
# resnet50 and efficientnet_b0 are exported there from torchvision (random weights, the zoo's architectures) when
# torch + torchvision are installed. "old" runs with tiered compilation on (as it shipped), "new" with it off (as the
# CLI now ships), "newtiered" is the new build with DOTNET_TieredCompilation=1.
cd "$(dirname "$0")"
OUT=${OUT:-$PWD}
tar xzf old.tgz; tar xzf new.tgz
nproc; lscpu | grep -E "Model name|L2|L3" | cut -c1-200
python3 - <<'PY' 2>&1 | tail -5
import torch, torchvision
print("torch", torch.__version__, "torchvision", torchvision.__version__)
torch.manual_seed(0)
for arch in ["resnet50", "efficientnet_b0"]:
    m = getattr(torchvision.models, arch)(weights=None).eval()
    x = torch.randn(1, 3, 224, 224)
    kw = dict(opset_version=17, input_names=["input"], output_names=["output"], dynamic_axes={"input": {0: "batch"}, "output": {0: "batch"}})
    try:
        torch.onnx.export(m, (x,), f"{arch}.onnx", dynamo=False, **kw)
    except TypeError:
        torch.onnx.export(m, (x,), f"{arch}.onnx", **kw)
    print("exported", arch)
PY
for model in resnet50 mobilenet_v2 efficientnet_b0 squeezenet1_1; do
  [ -f $model.onnx ] || continue
  for batch in 1 8; do
    for round in 1 2 3; do
      for v in old new newtiered; do
        [ $v = newtiered ] && [ $batch != 1 ] && continue
        bin=$v; tc=0; [ $v = newtiered ] && { bin=new; tc=1; }
        [ $v = old ] && tc=1
        r=$(DOTNET_TieredCompilation=$tc taskset -c 2,3 ./pub$bin/OpenAutoGlm.Cli bench $model.onnx --threads 2 --batch $batch --runs 20 --warmup 2 --level all --json 2>&1 | tail -1)
        echo "$model b$batch r$round $v $(echo "$r" | python3 -c 'import json,sys; d=json.loads(sys.stdin.read()); print(d["median_ms"], d["min_ms"])' 2>&1 | tail -1)" | tee -a $OUT/results.txt
      done
    done
  done
done
