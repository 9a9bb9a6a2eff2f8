#!/usr/bin/env python3
"""
An independent consumer of TradeMate Studio model bundles, written only from the bundle's own
documents (manifest.json, golden.json's note, forest/schema.json, README.md): it normalises the
golden windows, reads forest.bin with its own parser, runs every tflite/*.tflite file in Arm NN's
TFLite parser on its CpuRef backend (Debian's python3-pyarmnn), every onnx/*.onnx file in the
native onnxruntime (each execution provider it has, CUDA included), rebuilds the ensemble from the
manifest's weights, and compares everything with the expected probabilities in golden.json.

    python3 scripts/bundle-check/check_bundle.py BUNDLE.zip [...]

Needs numpy; pyarmnn and onnxruntime are optional (their checks are reported as skipped without them).
Prints one JSON line per check and exits 1 when any difference passes its tolerance.
"""
import json
import struct
import sys
import tempfile
import zipfile

import numpy as np


def read_forest(b: bytes):
    """forest.bin per forest/schema.json: header, importances, meta JSON, preorder trees."""
    assert b[:4] == b"TMRF", "bad magic"
    version, flags, n_classes, reserved = b[4], b[5], b[6], b[7]
    assert reserved == 0, "reserved byte"
    assert version == 1, f"version {version}"
    wide = flags & 1
    n_features, n_trees = struct.unpack_from("<II", b, 8)
    pos = 16 + 4 * n_features
    (meta_len,) = struct.unpack_from("<I", b, pos)
    pos += 4
    meta = json.loads(b[pos : pos + meta_len].decode("utf-8"))
    pos += meta_len
    pure, mixed = (0xFFFFFFF0, 0xFFFFFFFF) if wide else (0xFFF0, 0xFFFF)
    fmt, size = ("<I", 4) if wide else ("<H", 2)
    trees = []
    for _ in range(n_trees):
        (n,) = struct.unpack_from("<I", b, pos)
        pos += 4
        feature = np.full(n, -1, np.int64)
        threshold = np.zeros(n, np.float32)
        right = np.full(n, -1, np.int64)
        value = np.zeros((n, n_classes), np.float32)
        for k in range(n):
            (code,) = struct.unpack_from(fmt, b, pos)
            pos += size
            if code == mixed:
                value[k] = struct.unpack_from(f"<{n_classes}f", b, pos)
                pos += 4 * n_classes
            elif code >= pure:
                value[k, code - pure] = 1.0
            else:
                feature[k] = code
                (threshold[k],) = struct.unpack_from("<f", b, pos)
                pos += 4
                off, shift = 0, 0
                while True:
                    byte = b[pos]
                    pos += 1
                    off |= (byte & 0x7F) << shift
                    shift += 7
                    if byte < 0x80:
                        break
                right[k] = k + off
        trees.append((feature, threshold, right, value))
    assert pos == len(b), "trailing bytes"
    return {"classes": n_classes, "features": n_features, "trees": trees, "meta": meta}


def forest_inputs(window: np.ndarray, view: dict) -> np.ndarray:
    """The forest's input vector from one normalised window [W, F] (float32), per its view."""
    if view["kind"] == "flat":
        return window.reshape(-1)
    w = window.astype(np.float64)
    last, first = w[-1], w[0]
    mean = w.mean(axis=0)
    std = np.sqrt(np.maximum(0.0, (w * w).mean(axis=0) - mean * mean))
    stats = np.stack([last, mean, std, w.min(axis=0), w.max(axis=0), last - first], axis=1)
    return stats.reshape(-1).astype(np.float32)


def forest_proba(forest, x: np.ndarray) -> np.ndarray:
    acc = np.zeros(forest["classes"], np.float64)
    for feature, threshold, right, value in forest["trees"]:
        k = 0
        while feature[k] >= 0:
            k = k + 1 if x[feature[k]] <= threshold[k] else right[k]
        acc += value[k]
    return (acc / len(forest["trees"])).astype(np.float32)


def armnn():
    """pyarmnn (Arm NN's Python API), or None when it is not installed."""
    try:
        import pyarmnn
    except ImportError:
        return None
    return pyarmnn


def armnn_run(ann, data: bytes, x: np.ndarray) -> np.ndarray:
    """Runs a .tflite file on each window of x [N, W, F] with Arm NN's CpuRef backend; returns [N, classes]."""
    with tempfile.NamedTemporaryFile(suffix=".tflite") as f:
        f.write(data)
        f.flush()
        parser = ann.ITfLiteParser()
        network = parser.CreateNetworkFromBinaryFile(f.name)
    inputs = parser.GetNetworkInputBindingInfo(0, parser.GetSubgraphInputTensorNames(0)[0])
    outputs = parser.GetNetworkOutputBindingInfo(0, parser.GetSubgraphOutputTensorNames(0)[0])
    runtime = ann.IRuntime(ann.CreationOptions())
    optimized, _ = ann.Optimize(network, [ann.BackendId("CpuRef")], runtime.GetDeviceSpec(), ann.OptimizerOptions())
    net_id, _ = runtime.LoadNetwork(optimized)
    probs = []
    for window in x:  # the files take one window: [1, W, F]
        out = ann.make_output_tensors([outputs])
        runtime.EnqueueWorkload(net_id, ann.make_input_tensors([inputs], [window[None]]), out)
        probs.append(ann.workload_tensors_to_ndarray(out)[0].reshape(-1))
    runtime.UnloadNetwork(net_id)
    return np.array(probs, np.float32)


def check(path: str) -> bool:
    z = zipfile.ZipFile(path)
    manifest = json.loads(z.read("manifest.json"))
    golden = json.loads(z.read("golden.json"))
    mean = np.array([f["mean"] for f in manifest["features"]], np.float64)
    std = np.array([f["std"] or 1.0 for f in manifest["features"]], np.float64)
    raw = np.array([c["features"] for c in golden["cases"]], np.float64)  # [N, W, F]
    x = ((raw - mean) / std).astype(np.float32)
    expected = {k: np.array([c["expected"][k] for c in golden["cases"]], np.float32) for k in golden["cases"][0]["expected"]}
    float16 = any(m["dtype"] == "float16" for m in manifest["models"])
    ok = True

    def report(model: str, runtime: str, probs, tol: float):
        nonlocal ok
        diff = float(np.max(np.abs(probs - expected[model])))
        good = diff <= tol
        ok &= good
        print(json.dumps({"bundle": path.split("/")[-1], "model": model, "runtime": runtime, "cases": len(probs), "max_abs_diff": diff, "tolerance": tol, "ok": good}))

    ours = {}
    for entry in manifest["models"]:
        if entry["id"] == "forest":
            forest = read_forest(z.read("forest/forest.bin"))
            assert forest["meta"]["featureNames"] == json.loads(z.read("forest/inputs.json"))
            view = forest["meta"].get("view") or {"kind": "flat"}  # no view: inputs are the flattened window
            ours["forest"] = np.stack([forest_proba(forest, forest_inputs(w, view)) for w in x])
            report("forest", "python forest.bin reader", ours["forest"], 1e-5)
    tflite = [(entry, f) for entry in manifest["models"] for f in entry["files"] if f.endswith(".tflite")]
    ann = armnn() if tflite else None
    if tflite and ann is None:
        print(json.dumps({"bundle": path.split("/")[-1], "runtime": "pyarmnn", "skipped": "pyarmnn is not installed (Debian: apt-get install python3-pyarmnn)"}))
    for entry, name in tflite if ann else []:
        runtime = f"pyarmnn {ann.__version__} CpuRef"
        try:
            probs = armnn_run(ann, z.read(name), x)
        except Exception as e:  # the parser's message names the operator it could not read
            error = " ".join(str(e).split())[:300]
            if entry["dtype"] == "float16":
                # Arm NN's TFLite parser (20.08) takes FULLY_CONNECTED weights only as constants; float16
                # files feed them through DEQUANTIZE, as TensorFlow's float16 quantisation writes them.
                print(json.dumps({"bundle": path.split("/")[-1], "model": entry["id"], "runtime": runtime, "file": name, "skipped": "this Arm NN cannot read float16 TFLite files", "error": error}))
            else:
                ok = False
                print(json.dumps({"bundle": path.split("/")[-1], "model": entry["id"], "runtime": runtime, "file": name, "ok": False, "error": error}))
            continue
        # float16 bundles: golden.json holds the float32 model's probabilities.
        report(entry["id"], runtime, probs, 5e-3 if entry["dtype"] == "float16" else 1e-4)
    try:
        import onnxruntime as ort
    except ImportError:
        print(json.dumps({"bundle": path.split("/")[-1], "runtime": "onnxruntime", "skipped": "onnxruntime is not installed"}))
        return ok
    for provider in [p for p in ("CPUExecutionProvider", "CUDAExecutionProvider") if p in ort.get_available_providers()]:
        probs = {}
        for entry in manifest["models"]:
            name = f"onnx/{entry['id']}.onnx"
            if name not in z.namelist():
                continue
            sess = ort.InferenceSession(z.read(name), providers=[provider])
            outputs = [o.name for o in sess.get_outputs()]
            out = "probabilities" if "probabilities" in outputs else outputs[0]
            probs[entry["id"]] = sess.run([out], {sess.get_inputs()[0].name: x})[0].astype(np.float32)
            # float16 bundles: golden.json holds the float32 model's probabilities.
            report(entry["id"], f"onnxruntime {ort.__version__} {provider}", probs[entry["id"]], 5e-3 if float16 and entry["id"] != "forest" else 1e-4)
        weights = {w["model"]: w["weight"] for w in manifest["ensemble"]["weights"] if w["model"] in probs}
        total = sum(weights.values())
        ens = sum(probs[m] * (w / total) for m, w in weights.items())
        report("ensemble", f"onnxruntime {ort.__version__} {provider}", ens, 5e-3 if float16 else 1e-4)
    return ok


if __name__ == "__main__":
    results = [check(p) for p in sys.argv[1:]]
    sys.exit(0 if results and all(results) else 1)
