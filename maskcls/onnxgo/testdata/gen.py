# Regenerate: cd maskcls/onnxgo/testdata && /usr/bin/python3 gen.py
#
# Writes the small models maskcls/onnxgo's tests run through onnx-go v0.5.0 with
# gorgonnx, and PyTorch's outputs for them (the reference the Go tests compare with):
#   gemm_op13.onnx      Flatten + Linear, the shape of a classifier head
#   convnet_op13.onnx   Conv-BN-ReLU-MaxPool-Conv-ReLU-GlobalAveragePool-Flatten-Linear
#   softmax_op11.onnx   Conv-Softmax(channels)-GlobalAveragePool-Flatten-Linear at opset 11
#                       (torch exports the channel softmax with Transposes around it)
#   softmax_op13.onnx   the same at opset 13, one Softmax with axis 1, which gorgonnx
#                       runs with the pre-13 meaning: wrong numbers, so the adapter refuses
#   fullbias_op13.onnx  Flatten + Gemm whose C is a [2, 18] initializer, built with
#                       onnx.helper (torch never exports one): gorgonnx overwrites such
#                       a bias in place at batch 2
#   hugedecl_op13.onnx  a few hundred bytes declaring a [100000000 192] weight without data
# and index.json: for each model its inputs (batch 1 and 3, seeded normal) and torch's
# outputs in float32, written as the doubles they widen to (exact).
# torch 1.13 (Debian's python3-torch), onnx 1.12, dynamic batch axis.
import io
import json

import numpy as np
import onnx
import torch
from onnx import helper, numpy_helper, TensorProto
from torch import nn

torch.manual_seed(15)
C, H, W, K = 3, 8, 8, 18


def export(model, name, opset):
    model.eval()
    x = torch.zeros(2, C, H, W)
    torch.onnx.export(model, x, name, opset_version=opset, input_names=["input"], output_names=["logits"],
                      dynamic_axes={"input": {0: "batch"}, "logits": {0: "batch"}})
    onnx.checker.check_model(onnx.load(name))


class ConvNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv2d(C, 8, 3, padding=1), nn.BatchNorm2d(8), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(8, 16, 3, padding=1), nn.ReLU(), nn.AdaptiveAvgPool2d(1), nn.Flatten())
        self.head = nn.Linear(16, K)

    def forward(self, x):
        return self.head(self.features(x))


gemm = nn.Sequential(nn.Flatten(), nn.Linear(C * H * W, K))
conv = ConvNet()
with torch.no_grad():  # non-trivial batch-norm statistics
    bn = conv.features[1]
    bn.running_mean.uniform_(-0.5, 0.5)
    bn.running_var.uniform_(0.5, 2)
    bn.weight.uniform_(0.5, 1.5)
    bn.bias.uniform_(-0.2, 0.2)
# Softmax over the channels of a 4-D tensor: opset 13 normalises axis 1 alone, the
# older Softmax (gorgonnx's) coerces [N C H W] to [N, C*H*W] and normalises that.
softmax = nn.Sequential(nn.Conv2d(C, 4, 1), nn.Softmax(dim=1), nn.AdaptiveAvgPool2d(1), nn.Flatten(),
                        nn.Linear(4, K))

models = {
    "gemm_op13.onnx": (gemm, 13),
    "convnet_op13.onnx": (conv, 13),
    "softmax_op11.onnx": (softmax, 11),
    "softmax_op13.onnx": (softmax, 13),
}
for name, (m, opset) in models.items():
    export(m, name, opset)

# Gemm with a full rows x cols bias (batch fixed at 2 by the model itself).
w = np.random.default_rng(15).standard_normal((K, C * H * W)).astype(np.float32) * 0.05
cbias = np.random.default_rng(16).standard_normal((2, K)).astype(np.float32)
g = helper.make_graph(
    [helper.make_node("Flatten", ["input"], ["flat"], axis=1),
     helper.make_node("Gemm", ["flat", "W", "C"], ["logits"], transB=1)],
    "fullbias",
    [helper.make_tensor_value_info("input", TensorProto.FLOAT, [2, C, H, W])],
    [helper.make_tensor_value_info("logits", TensorProto.FLOAT, [2, K])],
    [numpy_helper.from_array(w, "W"), numpy_helper.from_array(cbias, "C")])
fb = helper.make_model(g, opset_imports=[helper.make_opsetid("", 13)])
fb.ir_version = 7
onnx.checker.check_model(fb)
onnx.save(fb, "fullbias_op13.onnx")

# A 300-byte file declaring a [100000000, 192] weight with no data: onnx-go would
# allocate 77 GB for it before noticing; the adapter must refuse it first.
wt = TensorProto(name="W", data_type=TensorProto.FLOAT, dims=[100000000, C * H * W])
g = helper.make_graph(
    [helper.make_node("Flatten", ["input"], ["flat"], axis=1),
     helper.make_node("Gemm", ["flat", "W"], ["logits"], transB=1)],
    "hugedecl",
    [helper.make_tensor_value_info("input", TensorProto.FLOAT, [2, C, H, W])],
    [helper.make_tensor_value_info("logits", TensorProto.FLOAT, [2, 100000000])], [wt])
hd = helper.make_model(g, opset_imports=[helper.make_opsetid("", 13)])
hd.ir_version = 7
onnx.save(hd, "hugedecl_op13.onnx")

rng = np.random.default_rng(1915)
inputs = {n: rng.standard_normal((n, C, H, W)).astype(np.float32) for n in (1, 3)}


def f32(a):
    return [float(v) for v in a.ravel()]  # each float32 exactly, as the double it widens to


index = {"torch": torch.__version__, "onnx": onnx.__version__, "shape": [C, H, W], "classes": K,
         "inputs": {str(n): f32(x) for n, x in inputs.items()}, "models": []}
for name, (m, opset) in models.items():
    outs = {}
    with torch.no_grad():
        for n, x in inputs.items():
            outs[str(n)] = f32(m(torch.from_numpy(x)).numpy())
    index["models"].append({"file": name, "opset": opset, "outputs": outs})
# fullbias at batch 2 in numpy: y = flat @ W^T + C (the ONNX Gemm definition).
x2 = inputs[3][:2]
index["fullbias"] = {"file": "fullbias_op13.onnx", "input": f32(x2),
                     "output": f32(x2.reshape(2, -1) @ w.T + cbias)}
with open("index.json", "w") as f:
    json.dump(index, f, indent=1)
    f.write("\n")
