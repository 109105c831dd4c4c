"""scikit-learn's classification metrics for the probabilities and labels on stdin (JSON), as JSON on stdout."""
import json
import sys

import numpy as np
from sklearn.metrics import (accuracy_score, average_precision_score, confusion_matrix,
                             precision_recall_fscore_support, roc_auc_score, top_k_accuracy_score)

request = json.load(sys.stdin)
k = request["classes"]
y = np.array(request["labels"], dtype=np.int64)
p = np.array(request["probabilities"], dtype=np.float32).reshape(len(y), k)
pred = p.argmax(axis=1)
precision, recall, f1, support = precision_recall_fscore_support(y, pred, labels=list(range(k)), zero_division=0)
roc, ap = [], []
for c in range(k):
    positive = y == c
    both = positive.any() and (~positive).any()
    roc.append(float(roc_auc_score(positive, p[:, c].astype(np.float64))) if both else None)
    ap.append(float(average_precision_score(positive, p[:, c].astype(np.float64))) if positive.any() else None)
thresholds = []
for t in request["thresholds"]:
    chosen = p >= t
    hits = chosen[np.arange(len(y)), y].sum()
    thresholds.append([float(chosen.sum()), float(hits / chosen.sum()) if chosen.sum() else 1.0, float(hits / len(y))])
reply = {
    "accuracy": float(accuracy_score(y, pred)),
    "top5": float(top_k_accuracy_score(y, p, k=5, labels=list(range(k)))) if k > 5 else None,
    "precision": precision.tolist(), "recall": recall.tolist(), "f1": f1.tolist(), "support": support.tolist(),
    "macro_f1": float(precision_recall_fscore_support(y, pred, labels=list(range(k)), average="macro", zero_division=0)[2]),
    "weighted_f1": float(precision_recall_fscore_support(y, pred, labels=list(range(k)), average="weighted", zero_division=0)[2]),
    "confusion": confusion_matrix(y, pred, labels=list(range(k))).tolist(),
    "roc_auc": roc, "average_precision": ap, "thresholds": thresholds,
}
json.dump(reply, sys.stdout)
