# Regenerate: cd maskcls/testdata/ref && /usr/bin/python3 gen_metrics.py > metrics.json
"""Golden metrics from scikit-learn (Debian's python3-sklearn) for maskcls's
Confusion, MacroF1, Accuracy and classification report.

The competition's metric is classification_report(labels=arange(18),
zero_division=0)'s macro F1 (REFERENCE section 1). Each case holds random
label vectors (some classes absent from the truth, the predictions or both)
and what sklearn says about them. The 18-class cases also hold their mask,
gender and age reductions, decoded with the competition's formulas
(mask = c // 6 % 3, gender = c // 3 % 2, age = c % 3), with sklearn's metrics
for each.
"""
import json
import sys

import numpy as np
import sklearn
from sklearn.metrics import (accuracy_score, classification_report,
                             confusion_matrix, f1_score,
                             precision_recall_fscore_support)


def metrics(y_true, y_pred, k, names=None):
    labels = np.arange(k)
    p, r, f, s = precision_recall_fscore_support(
        y_true, y_pred, labels=labels, zero_division=0)
    rep = classification_report(y_true, y_pred, labels=labels, digits=4,
                                zero_division=0, output_dict=True,
                                target_names=names)
    text = classification_report(y_true, y_pred, labels=labels, digits=4,
                                 zero_division=0, target_names=names)
    acc = accuracy_score(y_true, y_pred)
    return {
        "num_classes": k,
        "y_true": [int(v) for v in y_true],
        "y_pred": [int(v) for v in y_pred],
        "precision": p.tolist(),
        "recall": r.tolist(),
        "f1": f.tolist(),
        "support": [int(v) for v in s],
        "macro_f1": float(f1_score(y_true, y_pred, labels=labels,
                                   average="macro", zero_division=0)),
        "report_macro_f1": rep["macro avg"]["f1-score"],
        "weighted_f1": rep["weighted avg"]["f1-score"],
        "accuracy": float(acc),
        "confusion": confusion_matrix(y_true, y_pred, labels=labels).tolist(),
        "names": names,
        "report": text,
    }


def case(name, y_true, y_pred, k, names=None):
    y_true, y_pred = np.asarray(y_true), np.asarray(y_pred)
    c = {"name": name, **metrics(y_true, y_pred, k, names)}
    if k == 18:
        c["tasks"] = {
            "mask": metrics(y_true // 6 % 3, y_pred // 6 % 3, 3),
            "gender": metrics(y_true // 3 % 2, y_pred // 3 % 2, 2),
            "age": metrics(y_true % 3, y_pred % 3, 3),
        }
    return c


def main():
    rng = np.random.default_rng(20261127)
    cases = []
    # Skewed 18-class labels like the real data, predictions mostly right.
    for i, n in enumerate([1, 7, 50, 200, 1000]):
        p = rng.dirichlet(np.full(18, 0.7))
        t = rng.choice(18, size=n, p=p)
        pred = np.where(rng.random(n) < 0.7, t, rng.integers(0, 18, size=n))
        cases.append(case(f"skewed18_n{n}", t, pred, 18))
    # Classes absent from the truth but predicted, and absent from both.
    t = rng.choice([0, 1, 3, 4, 12, 13], size=120)
    pred = rng.choice([0, 1, 2, 3, 4, 12, 14], size=120)
    cases.append(case("absent18", t, pred, 18))
    cases.append(case("perfect18", t, t, 18))
    cases.append(case("all_wrong3", [0, 1, 2, 0], [1, 2, 0, 2], 3))
    t = rng.integers(0, 3, size=40)
    cases.append(case("named3", t, rng.integers(0, 3, size=40), 3,
                      ["wear", "incorrect", "not_wear"]))
    json.dump({"sklearn": sklearn.__version__, "numpy": np.__version__,
               "cases": cases}, sys.stdout, indent=1)
    sys.stdout.write("\n")


main()
