# Regenerate with: cd testdata/models && /usr/bin/python3 train_default.py   (about 3 minutes of one core)
#
# The default model set of maskkit, trained the way a team would: PyTorch,
# Albumentations-format pipeline JSON, ONNX export. It trains three small
# MobileNetV3-like per-task models (mask, gender, age) on the committed
# synthetic train set (../synth/train), each with its own eval crop, and
# writes:
#   mask.onnx gender.onnx age.onnx         the models (opset 17, dynamic batch)
#   mask_eval.json gender_eval.json age_eval.json
#                                          the eval pipelines, as A.save (1.3.1) writes them
#   ensemble.json                          the maskcls ensemble config over them
#   eval_pixels.npy                        the eval photos as cv2.imread decodes them
#                                          (RGB uint8, stacked to [N*64, 48, 3], info.csv order)
#   eval_predictions.csv                   the PyTorch-side ensemble answer per eval photo:
#                                          per-task probabilities, the 18-class distribution, its argmax
#   train_log.txt                          per-epoch losses and the eval scores
#
# Albumentations cannot be installed here, so the eval transforms are applied
# by reading the pipeline JSON and doing in cv2/numpy exactly what
# Albumentations 1.3.x does (maskkit's REFERENCE section 2): crops as numpy
# views with floor offsets, cv2.resize INTER_LINEAR, Normalize in float32
# with m = f32(mean)*f32(255) and d = 1/(f32(std)*f32(255)), ToTensorV2 as
# HWC -> CHW. The Go side decodes JPEG with Go's image/jpeg, which differs
# from libjpeg by a level here and there, so the parity test feeds both
# sides the same pixels through eval_pixels.npy.
import csv
import json
import os

import cv2
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

HERE = os.path.dirname(os.path.abspath(__file__))
SYNTH = os.path.join(HERE, "..", "synth")
H, W = 64, 48  # the synthetic photo size (height, width)
OPSET = 17
SEED = 0
EPOCHS = 25

torch.manual_seed(SEED)
torch.set_num_threads(1)  # the machines that run this are shared; one thread is faster there
rng = np.random.default_rng(SEED)

# ---- pipelines (Albumentations 1.3.1 to_dict layout, REFERENCE section 2) ----
# t() and compose() write dicts as ../pipelines/gen_pipelines.py does; that
# script writes its files when imported, so the two small helpers are
# repeated here rather than imported.

def t(name, p=1.0, always=False, **args):
    d = {"__class_fullname__": name, "always_apply": always, "p": p}
    d.update(args)
    return d

def compose(*ts):
    return {"__version__": "1.3.1", "transform": {
        "__class_fullname__": "Compose", "p": 1.0, "transforms": list(ts),
        "bbox_params": None, "keypoint_params": None, "additional_targets": {}, "is_check_shapes": True}}

normalize = t("Normalize", mean=[0.485, 0.456, 0.406], std=[0.229, 0.224, 0.225], max_pixel_value=255.0)
to_tensor = t("ToTensorV2", always=True, transpose_mask=False)
# Every pipeline first resizes the photo to the training size, as a Python
# user's eval transform would, so that the competition's 384x512 photo (or
# any other size) is seen whole rather than cropped at fixed pixel
# positions; at the training size the Resize returns its input unchanged.
fit = t("Resize", p=1, height=H, width=W, interpolation=1)
PIPELINES = {
    # The mask sits on the lower face: the seed's UnderCrop, then a small resize.
    "mask": compose(fit, t("__main__.UnderCrop", height=48, width=48),
                    t("Resize", p=1, height=32, width=32, interpolation=1), normalize, to_tensor),
    # Hair length and width: the centre, full size.
    "gender": compose(fit, t("CenterCrop", height=56, width=48), normalize, to_tensor),
    # Hair colour and forehead lines: the top, resized.
    "age": compose(fit, t("Crop", x_min=0, y_min=0, x_max=48, y_max=48),
                   t("Resize", p=1, height=40, width=40, interpolation=1), normalize, to_tensor),
}
FLIP_TTA = {"mask": False, "gender": True, "age": False}
NUM_CLASSES = {"mask": 3, "gender": 2, "age": 3}


def apply_eval(d, img):
    """Applies an eval pipeline dict to an RGB uint8 HWC image and returns
    float32 CHW. Only deterministic transforms (p=1) are accepted."""
    x = img
    for tr in d["transform"]["transforms"]:
        name = tr["__class_fullname__"].split(".")[-1]
        if tr["p"] < 1 and not tr["always_apply"]:
            raise ValueError("eval pipeline with a random transform: %s p=%s" % (name, tr["p"]))
        h, w = x.shape[:2]
        if name == "CenterCrop":
            y1, x1 = (h - tr["height"]) // 2, (w - tr["width"]) // 2
            x = x[y1:y1 + tr["height"], x1:x1 + tr["width"]]
        elif name == "UnderCrop":  # the seed's custom crop: bottom, centred horizontally
            y1, x1 = h - tr["height"], (w - tr["width"]) // 2
            x = x[y1:y1 + tr["height"], x1:x1 + tr["width"]]
        elif name == "Crop":
            x = x[tr["y_min"]:tr["y_max"], tr["x_min"]:tr["x_max"]]
        elif name == "Resize":
            if (h, w) != (tr["height"], tr["width"]):
                assert tr["interpolation"] == 1
                x = cv2.resize(np.ascontiguousarray(x), (tr["width"], tr["height"]), interpolation=cv2.INTER_LINEAR)
        elif name == "Normalize":
            mpv = np.float32(tr["max_pixel_value"])
            m = np.array(tr["mean"], np.float32) * mpv
            dd = np.float32(1) / (np.array(tr["std"], np.float32) * mpv)
            x = (x.astype(np.float32) - m) * dd
        elif name == "ToTensorV2":
            x = np.ascontiguousarray(x.transpose(2, 0, 1))
        else:
            raise ValueError("transform %s not in the eval subset" % name)
    assert x.dtype == np.float32 and x.ndim == 3
    return x


def read_rgb(path):
    bgr = cv2.imread(path, cv2.IMREAD_COLOR)
    if bgr is None:
        raise IOError("cannot read " + path)
    return cv2.cvtColor(bgr, cv2.COLOR_BGR2RGB)

# ---- data ----

STEMS = {"mask1": 0, "mask2": 0, "mask3": 0, "mask4": 0, "mask5": 0, "incorrect_mask": 1, "normal": 2}


def age_group(a):
    return 0 if a < 30 else (1 if a < 60 else 2)


def load_train():
    imgs, labels = [], []
    with open(os.path.join(SYNTH, "train", "train.csv")) as f:
        for row in csv.DictReader(f):
            folder = os.path.join(SYNTH, "train", "images", row["path"])
            g = {"male": 0, "female": 1}[row["gender"].lower()]
            a = age_group(int(row["age"]))
            for name in sorted(os.listdir(folder)):
                stem = os.path.splitext(name)[0]
                if stem not in STEMS:
                    continue
                imgs.append(read_rgb(os.path.join(folder, name)))
                labels.append((STEMS[stem], g, a))
    return np.stack(imgs), np.array(labels)


def load_eval():
    with open(os.path.join(SYNTH, "eval", "info.csv")) as f:
        ids = [r["ImageID"] for r in csv.DictReader(f)]
    with open(os.path.join(SYNTH, "eval", "labels.csv")) as f:
        cls = {r["ImageID"]: int(r["class"]) for r in csv.DictReader(f)}
    imgs = np.stack([read_rgb(os.path.join(SYNTH, "eval", "images", i)) for i in ids])
    return ids, imgs, np.array([cls[i] for i in ids])


def augment(img):
    """Training-time augmentation on the full photo: a shift of up to 3
    pixels, a horizontal flip, brightness and contrast jitter."""
    dx, dy = rng.integers(-3, 4, size=2)
    m = np.float32([[1, 0, dx], [0, 1, dy]])
    x = cv2.warpAffine(img, m, (W, H), borderMode=cv2.BORDER_REPLICATE)
    if rng.random() < 0.5:
        x = x[:, ::-1]
    a, b = rng.uniform(0.8, 1.2), rng.uniform(-20, 20)
    return np.clip(x.astype(np.float32) * a + b, 0, 255).astype(np.uint8)

# ---- model: MobileNetV3-like (depthwise convs, HardSwish, squeeze-excite) ----

class SE(nn.Module):
    def __init__(self, c):
        super().__init__()
        h = max(8, c // 4)
        self.pool = nn.AdaptiveAvgPool2d(1)
        self.fc1, self.fc2 = nn.Conv2d(c, h, 1), nn.Conv2d(h, c, 1)
        self.gate = nn.Hardsigmoid()

    def forward(self, x):
        return x * self.gate(self.fc2(F.relu(self.fc1(self.pool(x)))))


class Block(nn.Module):
    """MobileNetV3's inverted residual: expand 1x1, depthwise kxk, SE, project 1x1."""

    def __init__(self, cin, exp, cout, k, stride, se, act):
        super().__init__()
        layers = []
        if exp != cin:
            layers += [nn.Conv2d(cin, exp, 1, bias=False), nn.BatchNorm2d(exp), act()]
        layers += [nn.Conv2d(exp, exp, k, stride, k // 2, groups=exp, bias=False), nn.BatchNorm2d(exp), act()]
        if se:
            layers.append(SE(exp))
        layers += [nn.Conv2d(exp, cout, 1, bias=False), nn.BatchNorm2d(cout)]
        self.body = nn.Sequential(*layers)
        self.residual = stride == 1 and cin == cout

    def forward(self, x):
        y = self.body(x)
        return x + y if self.residual else y


class TinyMobileNetV3(nn.Module):
    def __init__(self, classes):
        super().__init__()
        RE, HS = nn.ReLU, nn.Hardswish
        self.features = nn.Sequential(
            nn.Conv2d(3, 16, 3, 2, 1, bias=False), nn.BatchNorm2d(16), nn.Hardswish(),
            Block(16, 16, 16, 3, 1, True, RE),
            Block(16, 48, 24, 3, 2, False, RE),
            Block(24, 72, 24, 3, 1, False, RE),
            Block(24, 96, 40, 5, 2, True, HS),
            Block(40, 120, 40, 5, 1, True, HS),
            nn.Conv2d(40, 96, 1, bias=False), nn.BatchNorm2d(96), nn.Hardswish(),
        )
        self.pool = nn.AdaptiveAvgPool2d(1)
        self.head = nn.Sequential(nn.Linear(96, 128), nn.Hardswish(), nn.Dropout(0.2), nn.Linear(128, classes))

    def forward(self, x):
        return self.head(torch.flatten(self.pool(self.features(x)), 1))

# ---- training ----

def train(task, k, imgs, y, log):
    pipe = PIPELINES[task]
    model = TinyMobileNetV3(k)
    opt = torch.optim.AdamW(model.parameters(), lr=3e-3, weight_decay=1e-4)
    steps = EPOCHS * ((len(imgs) + 31) // 32)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=3e-3, total_steps=steps)
    yt = torch.from_numpy(y[:, k_index(task)]).long()
    for epoch in range(EPOCHS):
        model.train()
        perm = rng.permutation(len(imgs))
        total, n = 0.0, 0
        for lo in range(0, len(perm), 32):
            idx = perm[lo:lo + 32]
            x = torch.from_numpy(np.stack([apply_eval(pipe, augment(imgs[i])) for i in idx]))
            loss = F.cross_entropy(model(x), yt[idx], label_smoothing=0.05)
            opt.zero_grad()
            loss.backward()
            opt.step()
            sched.step()
            total += loss.item() * len(idx)
            n += len(idx)
        log("%s epoch %d loss %.4f" % (task, epoch + 1, total / n))
    model.eval()
    return model


def k_index(task):
    return {"mask": 0, "gender": 1, "age": 2}[task]


def export(model, task):
    c, h, w = apply_eval(PIPELINES[task], np.zeros((H, W, 3), np.uint8)).shape
    path = os.path.join(HERE, task + ".onnx")
    torch.onnx.export(model, torch.zeros(1, c, h, w), path, opset_version=OPSET,
                      input_names=["input"], output_names=["logits"],
                      dynamic_axes={"input": {0: "N"}, "logits": {0: "N"}}, do_constant_folding=True)
    import onnx
    onnx.checker.check_model(onnx.load(path))
    return path


def macro_f1(y, p, k):
    f1 = []
    for c in range(k):
        tp = np.sum((p == c) & (y == c))
        fp = np.sum((p == c) & (y != c))
        fn = np.sum((p != c) & (y == c))
        f1.append(0.0 if tp == 0 else 2 * tp / (2 * tp + fp + fn))
    return float(np.mean(f1))


def main():
    lines = []

    def log(s):
        print(s, flush=True)
        lines.append(s)

    for task, d in PIPELINES.items():
        with open(os.path.join(HERE, task + "_eval.json"), "w") as f:
            json.dump(d, f)
    imgs, y = load_train()
    log("train: %d photos of %d people" % (len(imgs), len(imgs) // 7))
    models = {}
    for task in ("mask", "gender", "age"):
        models[task] = train(task, NUM_CLASSES[task], imgs, y, log)
        path = export(models[task], task)
        log("%s: %d parameters, %s is %d bytes" % (task, sum(p.numel() for p in models[task].parameters()),
                                                     os.path.basename(path), os.path.getsize(path)))
    cfg = {"input": {"height": H, "width": W}, "members": [
        {"name": task, "task": task, "model": {"kind": "onnx", "path": task + ".onnx"},
         "pipeline": task + "_eval.json", "weight": 1, "flip_tta": FLIP_TTA[task]}
        for task in ("mask", "gender", "age")]}
    with open(os.path.join(HERE, "ensemble.json"), "w") as f:
        json.dump(cfg, f, indent=2)
        f.write("\n")

    # The PyTorch-side ensemble on the eval photos: per task the softmax
    # (averaged with the mirrored input's where flip_tta is on), then the
    # 18-class distribution as the product of the three, and its argmax.
    ids, ev, truth = load_eval()
    np.save(os.path.join(HERE, "eval_pixels.npy"), np.ascontiguousarray(ev.reshape(-1, W, 3)))
    probs = {}
    with torch.no_grad():
        for task, m in models.items():
            x = torch.from_numpy(np.stack([apply_eval(PIPELINES[task], im) for im in ev]))
            p = torch.softmax(m(x).double(), 1)
            if FLIP_TTA[task]:
                p = (p + torch.softmax(m(torch.flip(x, dims=[3])).double(), 1)) / 2
            probs[task] = p.numpy()
    p18 = np.zeros((len(ids), 18))
    for c in range(18):
        p18[:, c] = probs["mask"][:, (c // 6) % 3] * probs["gender"][:, (c // 3) % 2] * probs["age"][:, c % 3]
    cls = p18.argmax(1)
    with open(os.path.join(HERE, "eval_predictions.csv"), "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["ImageID", "class"] + ["mask_%d" % i for i in range(3)] + ["gender_%d" % i for i in range(2)]
                   + ["age_%d" % i for i in range(3)] + ["p_%d" % i for i in range(18)])
        for i, name in enumerate(ids):
            vals = list(probs["mask"][i]) + list(probs["gender"][i]) + list(probs["age"][i]) + list(p18[i])
            w.writerow([name, int(cls[i])] + [repr(float(v)) for v in vals])
    for task in ("mask", "gender", "age"):
        tt = {"mask": (truth // 6) % 3, "gender": (truth // 3) % 2, "age": truth % 3}[task]
        pp = probs[task].argmax(1)
        log("eval %s: accuracy %.3f macro_f1 %.3f" % (task, np.mean(pp == tt), macro_f1(tt, pp, NUM_CLASSES[task])))
    log("eval 18 classes: accuracy %.3f macro_f1 %.3f" % (np.mean(cls == truth), macro_f1(truth, cls, 18)))
    with open(os.path.join(HERE, "train_log.txt"), "w") as f:
        f.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
