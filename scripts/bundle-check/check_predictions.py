#!/usr/bin/env python3
"""
Recomputes a run's test figures from its predictions.npz alone, with NumPy, and compares them with
the studio's evaluation_metrics_<id>.json downloads: accuracy and the confusion matrix of every
model and ensemble (prediction = first class of highest probability), and, for the result the
backtest traded, total return, trade count and Sharpe ratio from the per-bar returns.

    python3 scripts/bundle-check/check_predictions.py predictions.npz METRICS.json [...] [--traded ID]

Columns (see lib/export/predictions.ts): part ("val", "test", "backtest"), label, time_ms,
<prefix>_p_strong_sell .. <prefix>_p_strong_buy per result (prefix: the result id with "-" as "_";
evaluation_metrics names the forest "random_forest"), entry, bar_return.
Prints one JSON line per check and exits 1 when any figure differs.
"""
import json
import sys

import numpy as np

CLASSES = ["strong_sell", "sell", "buy", "strong_buy"]
YEAR_MS = 365 * 24 * 3600 * 1000


def prefix(model: str) -> str:
    return {"random_forest": "forest"}.get(model, model).replace("-", "_")


def main(argv):
    traded = None
    if "--traded" in argv:
        i = argv.index("--traded")
        traded = argv[i + 1]
        argv = argv[:i] + argv[i + 2 :]
    z = np.load(argv[0])  # no pickle: every column is a plain dtype
    part = z["part"]
    test = part == "test"
    labels = z["label"][test].astype(np.int64)
    ok = True
    for path in argv[1:]:
        with open(path, encoding="utf-8") as f:
            m = json.load(f)
        p = prefix(m["model"])
        probs = np.stack([z[f"{p}_p_{c}"][test] for c in CLASSES], axis=1)
        pred = probs.argmax(axis=1)  # first maximum, like the studio's argmax
        cm = np.zeros((4, 4), np.int64)
        np.add.at(cm, (labels, pred), 1)
        acc = float((pred == labels).mean())
        good = cm.tolist() == m["confusion_matrix"] and abs(acc - m["test_accuracy"]) < 1e-12
        good = good and int(test.sum()) == m["test_samples"]
        print(json.dumps({"model": m["model"], "check": "accuracy+confusion", "accuracy": acc, "ok": good}))
        ok = ok and good
        if traded is not None and prefix(traded) == p and m.get("backtest"):
            bt = m["backtest"]
            span = part != "val"
            r = z["bar_return"][span]
            t = z["time_ms"][span]
            total = float(np.prod(1 + r) - 1)
            bar_ms = float(np.median(np.diff(t)))
            sharpe = float(r.mean() / r.std(ddof=1) * np.sqrt(YEAR_MS / bar_ms)) if r.std(ddof=1) > 1e-15 else 0.0
            trades = int(z["entry"][span].sum())
            good = (
                abs(total - bt["total_return"]) < 1e-9
                and trades == bt["trades"]
                and abs(sharpe - bt["sharpe_ratio"]) < 1e-6 * max(1.0, abs(bt["sharpe_ratio"]))
            )
            print(
                json.dumps(
                    {
                        "model": m["model"],
                        "check": "backtest",
                        "total_return": total,
                        "trades": trades,
                        "sharpe": sharpe,
                        "ok": good,
                    }
                )
            )
            ok = ok and good
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
