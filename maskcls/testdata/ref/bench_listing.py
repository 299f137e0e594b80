# Run: /usr/bin/python3 maskcls/testdata/ref/bench_listing.py   (prints the median time)
"""Reference timing for BenchmarkReadTrain: the baseline's way of listing
the training layout (pstage_01_image_classification v2,
MaskSplitByProfileDataset.setup): os.listdir(images), skip dot-entries,
os.listdir each person folder, os.path.splitext each name, keep the seven
stems, split the folder name on "_" for gender and age, and build the
labels. Same tree as the Go benchmark: 2700 people, 7 empty files each,
extensions cycling .jpg .jpeg .png .JPG, in a temporary directory.
"""
import os
import statistics
import tempfile
import time

STEMS = {"mask1": 0, "mask2": 0, "mask3": 0, "mask4": 0, "mask5": 0,
         "incorrect_mask": 1, "normal": 2}
ORDER = ["mask1", "mask2", "mask3", "mask4", "mask5", "incorrect_mask", "normal"]
EXTS = [".jpg", ".jpeg", ".png", ".JPG"]


def build(root, n=2700):
    rows = ["id,gender,race,age,path"]
    for i in range(n):
        g = "female" if i % 2 else "male"
        pid, age = "%06d" % (2 * i + 1), 18 + (i * 7) % 50
        folder = "%s_%s_Asian_%d" % (pid, g, age)
        rows.append("%s,%s,Asian,%d,%s" % (pid, g, age, folder))
        d = os.path.join(root, "images", folder)
        os.makedirs(d)
        for j, s in enumerate(ORDER):
            open(os.path.join(d, s + EXTS[(i + j) % 4]), "w").close()
    with open(os.path.join(root, "train.csv"), "w") as f:
        f.write("\n".join(rows) + "\n")


def read(root):
    data_dir = os.path.join(root, "images")
    paths, labels = [], []
    for profile in os.listdir(data_dir):
        if profile.startswith("."):
            continue
        folder = os.path.join(data_dir, profile)
        for name in os.listdir(folder):
            stem, _ = os.path.splitext(name)
            if stem not in STEMS:
                continue
            _, gender, _, age = profile.split("_")
            g = {"male": 0, "female": 1}[gender.lower()]
            a = int(age)
            a = 0 if a < 30 else 1 if a < 60 else 2
            paths.append(os.path.join(folder, name))
            labels.append(6 * STEMS[stem] + 3 * g + a)
    return paths, labels


def main():
    with tempfile.TemporaryDirectory() as root:
        build(root)
        times = []
        for _ in range(20):
            t0 = time.perf_counter()
            paths, _ = read(root)
            times.append(time.perf_counter() - t0)
            assert len(paths) == 18900
        print("baseline listing of 2700 people / 18900 files: median %.1f ms (min %.1f ms, 20 runs)"
              % (1e3 * statistics.median(times), 1e3 * min(times)))


main()
