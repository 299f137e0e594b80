# Regenerate with: cd internal/npy/testdata && /usr/bin/python3 gen_npy.py
# (numpy 1.24). Writes small .npy files with numpy's own writer and
# golden.json, which records for each file what numpy reads back from it:
# descr, fortran_order, shape, format version and the data offset.
import json
import os

import numpy as np
from numpy.lib import format as npf

rng = np.random.default_rng(7)
cases = {}


def save(name, a, version=None, **kw):
    path = name + ".npy"
    with open(path, "wb") as f:
        npf.write_array(f, a, version=version, **kw)
    with open(path, "rb") as f:
        major, minor = npf.read_magic(f)
        if (major, minor) == (1, 0):
            shape, fortran, dtype = npf.read_array_header_1_0(f)
        else:
            shape, fortran, dtype = npf.read_array_header_2_0(f)
        offset = f.tell()
    cases[path] = {
        "descr": npf.dtype_to_descr(dtype),
        "fortran_order": fortran,
        "shape": list(shape),
        "version": "%d.%d" % (major, minor),
        "offset": offset,
        "size": os.path.getsize(path),
    }


save("f4_2x3", rng.standard_normal((2, 3)).astype("<f4"))
save("u1_hwc", rng.integers(0, 256, (4, 5, 3)).astype(np.uint8))
save("f8_1d", rng.standard_normal(5))
save("i8_0d", np.array(-42, dtype="<i8"))
save("i4_3d", rng.integers(-9, 9, (2, 3, 4)).astype("<i4"))
save("b1_2x2", np.array([[True, False], [False, True]]))
save("u_0d", np.array("mask\u00e9"))
save("f4_fortran", np.asfortranarray(rng.standard_normal((3, 2)).astype("<f4")))
save("f4_v2", rng.standard_normal((2, 2)).astype("<f4"), version=(2, 0))
save("i2_v3", np.arange(6, dtype="<i2").reshape(3, 2), version=(3, 0))

# Headers on either side of a 64-byte boundary pin the padding rule down:
# numpy writes at least one space before the newline (a full 64 when the
# dict ends on a boundary), after the spare spaces that let the first axis
# (the last, in Fortran order) grow in place. Each shape below is the first
# found where that rule gives another header length than a simpler one.


def total(d, grow, rule):
    if rule == "numpy":
        return 10 + len(d) + grow + 1 + 64 - (10 + len(d) + grow + 1) % 64
    return 10 + len(d) + 1 + (64 - (10 + len(d) + 1) % 64) % 64  # no growth room, pad 0..63


def header(a, fortran):
    d = "{'descr': '%s', 'fortran_order': %r, 'shape': %r, }" % (npf.dtype_to_descr(a.dtype), fortran, a.shape)
    axis = a.shape[-1] if fortran else a.shape[0]
    return d, 21 - len(repr(axis))


def first(kind, candidates):
    for name, a, fortran in candidates:
        d, grow = header(a, fortran)
        ok = {
            "unpadded": total(d, grow, "numpy") != total(d, grow, "naive"),
            "full": (10 + len(d) + grow + 1) % 64 == 0,
            "fortran": total(d, grow, "numpy") != total(d, 21 - len(repr(a.shape[0])), "numpy"),
        }[kind]
        if ok:
            save(name, a)
            return
    raise SystemExit("no case for " + kind)


empties = [("pad_%dd_%d" % (i + j + 2, n), np.zeros((n,) + (10,) * i + (1,) * j + (0,), "<f4"), False)
           for i in range(4) for j in range(28) for n in (1, 10**3, 10**6)]
first("unpadded", empties)
first("full", empties)
first("fortran", [("fortran_%dd" % (j + 2), np.asfortranarray(np.ones((a,) + (1,) * j + (b,), np.uint8)), True)
                  for a, b in ((2, 1000), (1000, 2)) for j in range(30)])

with open("golden.json", "w") as f:
    json.dump(cases, f, indent=1, sort_keys=True)
    f.write("\n")
