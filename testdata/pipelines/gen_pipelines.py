# Regenerate with: cd testdata/pipelines && /usr/bin/python3 gen_pipelines.py
# The three competition pipelines (age, gender, mask) as Albumentations 1.3.1's
# A.save writes them: json.dump of A.to_dict, one line, default separators.
# Albumentations is not installable here, so the dicts are written out by hand
# in to_dict's key order (REFERENCE section 2); json.dump does the formatting.
import json

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
pipelines = {
    "age": compose(
        t("CenterCrop", height=384, width=384),
        t("RandomResizedCrop", height=384, width=384, scale=[0.8, 1.0], ratio=[0.75, 4 / 3], interpolation=1),
        t("Sharpen", p=0.5, alpha=[0.5, 1], lightness=[0.5, 1.0]),
        t("HorizontalFlip", p=0.3), normalize, to_tensor),
    "gender": compose(
        t("ToGray", p=0.5), t("CenterCrop", height=384, width=384),
        t("HorizontalFlip", p=0.5), normalize, to_tensor),
    "mask": compose(
        t("__main__.UnderCrop", height=384, width=384),
        t("Sharpen", p=0.5, alpha=[0.2, 0.5], lightness=[0.5, 1.0]),
        t("HorizontalFlip", p=0.5), t("Resize", p=1, height=224, width=224, interpolation=1),
        normalize, to_tensor),
}
for name, d in pipelines.items():
    with open(name + ".json", "w") as f:
        json.dump(d, f)
