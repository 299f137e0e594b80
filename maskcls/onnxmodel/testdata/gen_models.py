# Regenerate: cd maskcls/onnxmodel/testdata && /usr/bin/python3 gen_models.py
#   (full-size torchvision models for timing only, not committed:
#    /usr/bin/python3 gen_models.py --full /tmp/onnxfull)
#
# Exports small, seeded random-weight instances of the four model families the seed
# ensembled (torchvision 0.14 classes, narrower and shallower, same operators) with
# torch.onnx.export (torch 1.13) at opsets 11, 13 and 17, with a dynamic batch axis, into
# models/<family>_op<N>.onnx, with PyTorch's outputs models/<family>_op<N>.b1.out.npy and
# .b3.out.npy for two float32 inputs shared by every model (models/input224.b1.npy and
# models/input224.b3.npy: one copy instead of eight keeps the fixtures at ~9 MB), and
# models/index.json and models/ops_used.json (operator counts read from each graph).
# Each exported graph is also run by onnxref.py (numpy, batch 1) as a cross-check of
# the export itself; check_ort.js adds onnxruntime as a third opinion.
import io
import json
import os
import sys
import time
from collections import Counter
from functools import partial

import numpy as np
import onnx
import torch
import torchvision
from torch import nn
from torchvision.models import mobilenetv3, efficientnet, vision_transformer, swin_transformer

import onnxref

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "models")
OPSETS = (11, 13, 17)  # 11: what older torch and timm exports default to
NUM_CLASSES = 18  # the mask competition's classes
ATOL, RTOL = 1e-4, 1e-4


def mobilenetv3_small_narrow():
    # mobilenet_v3_small's structure (torchvision _mobilenet_v3_conf("mobilenet_v3_small")) with
    # 5 of its 11 bottlenecks and a 256-wide head: SE and no-SE blocks, ReLU and Hardswish, 3x3
    # and 5x5 depthwise convolutions, stride 1 and 2, residual and plain.
    c = partial(mobilenetv3.InvertedResidualConfig, width_mult=1.0)
    setting = [
        c(16, 3, 16, 16, True, "RE", 2, 1),
        c(16, 3, 72, 24, False, "RE", 2, 1),
        c(24, 3, 88, 24, False, "RE", 1, 1),
        c(24, 5, 96, 40, True, "HS", 2, 1),
        c(40, 5, 120, 40, True, "HS", 1, 1),
    ]
    return mobilenetv3.MobileNetV3(setting, last_channel=256, num_classes=NUM_CLASSES)


def efficientnetv2_s_narrow():
    # efficientnet_v2_s's structure (torchvision _efficientnet_conf("efficientnet_v2_s")): FusedMBConv
    # stages (expand 1 and 4) then MBConv stages with squeeze-excitation (SiLU, Sigmoid),
    # BatchNorm eps 1e-3, with fewer layers per stage, narrower channels and a 320-wide head.
    setting = [
        efficientnet.FusedMBConvConfig(1, 3, 1, 16, 16, 1),
        efficientnet.FusedMBConvConfig(4, 3, 2, 16, 24, 2),
        efficientnet.FusedMBConvConfig(4, 3, 2, 24, 32, 1),
        efficientnet.MBConvConfig(4, 3, 2, 32, 48, 2),
        efficientnet.MBConvConfig(6, 3, 1, 48, 64, 1),
        efficientnet.MBConvConfig(6, 3, 2, 64, 80, 1),
    ]
    return efficientnet.EfficientNet(setting, dropout=0.2, stochastic_depth_prob=0.2, num_classes=NUM_CLASSES,
                                     norm_layer=partial(nn.BatchNorm2d, eps=1e-03), last_channel=320)


def vit_tiny():
    # torchvision VisionTransformer: 2 encoder layers, hidden 64, 4 heads, MLP 256, patch 16 at 224x224.
    return vision_transformer.VisionTransformer(image_size=224, patch_size=16, num_layers=2, num_heads=4,
                                                hidden_dim=64, mlp_dim=256, num_classes=NUM_CLASSES)


def swin_tiny():
    # torchvision SwinTransformer (v1 blocks, as swin_t): depths (2, 2), embed_dim 24, heads (2, 4),
    # window 7x7 (shifted windows in every second block), patch 4, at 224x224.
    return swin_transformer.SwinTransformer(patch_size=[4, 4], embed_dim=24, depths=[2, 2], num_heads=[2, 4],
                                            window_size=[7, 7], stochastic_depth_prob=0.2,
                                            num_classes=NUM_CLASSES)


FAMILIES = {
    "mobilenetv3": (mobilenetv3_small_narrow, 224),
    "efficientnetv2": (efficientnetv2_s_narrow, 224),
    "vit": (vit_tiny, 224),
    "swin": (swin_tiny, 224),
}

FULL = {
    "mobilenet_v3_small": torchvision.models.mobilenet_v3_small,
    "efficientnet_v2_s": torchvision.models.efficientnet_v2_s,
}


def randomize(model, gen):
    """Gives every parameter and buffer that torchvision initialises to a constant (BatchNorm
    statistics and affine, LayerNorm affine, zero-initialised heads, class token, biases) seeded
    random values, so that no operator of the fixture is a no-op and the logits are O(1)."""
    with torch.no_grad():
        for m in model.modules():
            if isinstance(m, nn.BatchNorm2d):
                m.running_mean.uniform_(-0.2, 0.2, generator=gen)
                m.running_var.uniform_(0.5, 1.5, generator=gen)
                m.weight.uniform_(0.6, 1.4, generator=gen)
                m.bias.uniform_(-0.2, 0.2, generator=gen)
            elif isinstance(m, nn.LayerNorm):
                m.weight.uniform_(0.6, 1.4, generator=gen)
                m.bias.uniform_(-0.2, 0.2, generator=gen)
            elif isinstance(m, nn.Linear):
                bound = 1.0 / np.sqrt(m.in_features)
                m.weight.uniform_(-bound, bound, generator=gen)
                if m.bias is not None:
                    m.bias.uniform_(-bound, bound, generator=gen)
        for name, p in model.named_parameters():
            if name in ("class_token",) or "relative_position_bias_table" in name:
                p.normal_(0.0, 0.5, generator=gen)
    return model


def export(model, x, opset):
    buf = io.BytesIO()
    torch.onnx.export(model, x, buf, opset_version=opset, input_names=["input"], output_names=["logits"],
                      dynamic_axes={"input": {0: "batch"}, "logits": {0: "batch"}}, do_constant_folding=True)
    return buf.getvalue()


def maxdiff(a, b):
    return float(np.max(np.abs(a.astype(np.float64) - b.astype(np.float64))))


def shared_inputs():
    """The float32 inputs at batch 1 and 3 shared by every model fixture."""
    g = torch.Generator().manual_seed(300)
    return torch.randn(1, 3, 224, 224, generator=g), torch.randn(3, 3, 224, 224, generator=g)


def build(fam, x3):
    """The seeded eval-mode instance of family fam (a key of FAMILIES) that models/ holds."""
    fi = list(FAMILIES).index(fam)
    torch.manual_seed(100 + fi)
    model = randomize(FAMILIES[fam][0](), torch.Generator().manual_seed(200 + fi)).eval()
    with torch.no_grad():
        # scale the classifier so that the logits are O(1): the 1e-4 tolerance then means
        # something for every family
        head = [m for m in model.modules() if isinstance(m, nn.Linear)][-1]
        s = 2.0 / float(model(x3).std())
        head.weight.mul_(s)
        head.bias.mul_(s)
    return model


def full_model(name):
    """A full-size torchvision architecture (FULL) with seeded random weights, eval mode."""
    torch.manual_seed(0)
    return randomize(FULL[name](), torch.Generator().manual_seed(0)).eval()


def full(outdir):
    """Full-size torchvision architectures (random weights, 1000 classes) for timing only."""
    os.makedirs(outdir, exist_ok=True)
    for name, ctor in FULL.items():
        m = full_model(name)
        x = torch.randn(1, 3, 224, 224, generator=torch.Generator().manual_seed(1))
        for opset in OPSETS:
            data = export(m, x, opset)
            path = os.path.join(outdir, f"{name}_op{opset}.onnx")
            with open(path, "wb") as f:
                f.write(data)
            print(f"{path}: {len(data)} bytes")


def main():
    if len(sys.argv) == 3 and sys.argv[1] == "--full":
        full(sys.argv[2])
        return
    os.makedirs(OUT, exist_ok=True)
    for f in os.listdir(OUT):
        os.remove(os.path.join(OUT, f))
    index, used = [], {}
    x1, x3 = shared_inputs()
    in1, in3 = "input224.b1.npy", "input224.b3.npy"
    np.save(os.path.join(OUT, in1), x1.numpy())
    np.save(os.path.join(OUT, in3), x3.numpy())
    for fam, (ctor, size) in FAMILIES.items():
        assert size == 224, "the shared inputs are 224x224"
        model = build(fam, x3)
        params = sum(p.numel() for p in model.parameters())
        with torch.no_grad():
            y1, y3 = model(x1).numpy(), model(x3).numpy()
        for opset in OPSETS:
            name = f"{fam}_op{opset}"
            data = export(model, x1, opset)
            m = onnx.load_from_string(data)
            onnx.checker.check_model(m, full_check=True)
            base = os.path.join(OUT, name)
            with open(base + ".onnx", "wb") as f:
                f.write(data)
            np.save(base + ".b1.out.npy", y1)
            np.save(base + ".b3.out.npy", y3)
            counts = Counter(n.op_type for n in m.graph.node)
            used[name] = dict(sorted(counts.items()))
            t0 = time.time()
            ref1 = onnxref.run(m, {"input": x1.numpy()})[0]
            ref3 = onnxref.run(m, {"input": x3.numpy()})[0]
            d1, d3 = maxdiff(ref1, y1), maxdiff(ref3, y3)
            if not (np.allclose(ref1, y1, atol=ATOL, rtol=RTOL) and np.allclose(ref3, y3, atol=ATOL, rtol=RTOL)):
                raise SystemExit(f"{name}: numpy reference and torch disagree: {d1} {d3}")
            print(f"{name}: {len(data)} bytes, {params} params, {len(m.graph.node)} nodes, "
                  f"numpy vs torch max abs {d1:.2e}/{d3:.2e} ({time.time() - t0:.0f}s), "
                  f"logit scale {np.abs(y3).max():.2f}", flush=True)
            index.append({
                "name": name, "family": fam, "opset": opset, "model": name + ".onnx", "bytes": len(data),
                "params": params, "nodes": len(m.graph.node), "image_size": size, "num_classes": NUM_CLASSES,
                "input": "input", "output": "logits", "atol": ATOL, "rtol": RTOL,
                "numpy_vs_torch_maxabs": max(d1, d3),
                "runs": [
                    {"label": "b1", "batch": 1, "input": in1, "output": name + ".b1.out.npy"},
                    {"label": "b3", "batch": 3, "input": in3, "output": name + ".b3.out.npy"},
                ],
            })
    with open(os.path.join(OUT, "index.json"), "w") as f:
        json.dump({"about": "small random-weight model families; see ../README.md",
                   "torch": torch.__version__, "torchvision": torchvision.__version__, "models": index}, f, indent=1)
    covered = set()
    ops_index = os.path.join(HERE, "ops", "index.json")
    if os.path.exists(ops_index):
        covered = {o for c in json.load(open(ops_index))["cases"] for o in c["ops"]}
    all_ops = sorted({o for c in used.values() for o in c})
    with open(os.path.join(OUT, "ops_used.json"), "w") as f:
        json.dump({"models": used, "all": all_ops,
                   "not_in_ops_fixtures": [o for o in all_ops if o not in covered]}, f, indent=1)
    print("operators:", " ".join(all_ops))
    print("not covered by ops/ fixtures:", [o for o in all_ops if o not in covered])


if __name__ == "__main__":
    main()
