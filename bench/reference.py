"""numpy's figures for the workloads of src-workers/nn/bench.ts, printed as one JSON document.

Run by bench/run.ts with OPENBLAS_NUM_THREADS=1 (one core, like our one worker thread) and
without OPENBLAS_CORETYPE / OPENBLAS_L2_SIZE (which pin an older, slower kernel on some CPUs).
Float32 throughout, so both sides do the same arithmetic; the two-layer net is the classic
cs231n TwoLayerNet (loss() + train() with batches drawn with replacement), the depth stack is
cs231n's 10 x 500 tanh experiment with a backward pass added.
"""

import ctypes
import glob
import json
import os
import sys
import time

import numpy as np

GEMM_SHAPES = [(1024, 1024, 1024), (200, 3072, 100), (1000, 500, 500)]  # m x k x n


def blas_info():
    """Which BLAS and which OpenBLAS core kernel numpy runs (threadpoolctl if installed)."""
    try:
        from threadpoolctl import threadpool_info

        for lib in threadpool_info():
            if lib.get("user_api") == "blas":
                return {
                    "via": "threadpoolctl",
                    "library": lib.get("internal_api"),
                    "version": lib.get("version"),
                    "corename": lib.get("architecture"),
                    "threads": lib.get("num_threads"),
                }
    except ImportError:
        pass
    # The same query threadpoolctl makes, against the OpenBLAS that numpy's wheel bundles.
    libdir = os.path.join(os.path.dirname(np.__file__), os.pardir, "numpy.libs")
    for path in glob.glob(os.path.join(libdir, "*openblas*.so*")):
        lib = ctypes.CDLL(path)
        for prefix, suffix in (("scipy_openblas", "64_"), ("scipy_openblas", ""), ("openblas", "")):
            try:
                corename = getattr(lib, f"{prefix}_get_corename{suffix}")
                config = getattr(lib, f"{prefix}_get_config{suffix}")
                threads = getattr(lib, f"{prefix}_get_num_threads{suffix}")
            except AttributeError:
                continue
            corename.restype = config.restype = ctypes.c_char_p
            return {
                "via": "ctypes",
                "library": os.path.basename(path),
                "version": config().decode(),
                "corename": corename().decode(),
                "threads": threads(),
            }
    return {"via": "none"}


def median(xs):
    s = sorted(xs)
    n = len(s)
    return s[n // 2] if n % 2 else (s[n // 2 - 1] + s[n // 2]) / 2


def time_it(fn, repeats, min_seconds):
    t0 = time.perf_counter()
    fn()
    once = time.perf_counter() - t0
    reps = max(1, int(np.ceil(min_seconds / max(once, 1e-6)))) if once < min_seconds else 1
    samples = []
    for _ in range(repeats):
        t = time.perf_counter()
        for _ in range(reps):
            fn()
        samples.append((time.perf_counter() - t) / reps)
    return median(samples)


def warm_up(fn, seconds):
    end = time.perf_counter() + seconds
    fn()
    while time.perf_counter() < end:
        fn()


def bench_gemm(m, k, n, repeats):
    rng = np.random.default_rng(m * 31 + k * 7 + n)
    A = rng.uniform(-1, 1, (m, k)).astype(np.float32)
    B = rng.uniform(-1, 1, (k, n)).astype(np.float32)
    C = np.empty((m, n), np.float32)
    run = lambda: np.matmul(A, B, out=C)
    warm_up(run, 0.3)
    seconds = time_it(run, repeats, 0.05)
    return {"shape": f"{m}x{k}x{n}", "gflops": 2 * m * n * k / seconds / 1e9}


class TwoLayerNet:
    """cs231n's two-layer net: affine - relu - affine - softmax, L2 reg * sum(W^2)."""

    def __init__(self, input_size, hidden_size, output_size, std=1e-4, seed=2):
        rng = np.random.default_rng(seed)
        self.params = {
            "W1": (std * rng.standard_normal((input_size, hidden_size))).astype(np.float32),
            "b1": np.zeros(hidden_size, np.float32),
            "W2": (std * rng.standard_normal((hidden_size, output_size))).astype(np.float32),
            "b2": np.zeros(output_size, np.float32),
        }

    def loss(self, X, y, reg):
        W1, b1 = self.params["W1"], self.params["b1"]
        W2, b2 = self.params["W2"], self.params["b2"]
        N = X.shape[0]
        hidden = np.maximum(0, X.dot(W1) + b1)
        scores = hidden.dot(W2) + b2
        scores = scores - scores.max(axis=1, keepdims=True)
        exp = np.exp(scores)
        probs = exp / exp.sum(axis=1, keepdims=True)
        loss = -np.log(probs[np.arange(N), y]).sum() / N
        loss += reg * (np.sum(W1 * W1) + np.sum(W2 * W2))
        dscores = probs
        dscores[np.arange(N), y] -= 1
        dscores /= N
        grads = {
            "W2": hidden.T.dot(dscores) + 2 * reg * W2,
            "b2": dscores.sum(axis=0),
        }
        dhidden = dscores.dot(W2.T)
        dhidden[hidden <= 0] = 0
        grads["W1"] = X.T.dot(dhidden) + 2 * reg * W1
        grads["b1"] = dhidden.sum(axis=0)
        return loss, grads

    def train_steps(self, X, y, steps, rng, lr=np.float32(1e-4), reg=np.float32(0.25), batch=200):
        num_train = X.shape[0]
        loss = None
        for _ in range(steps):
            idx = rng.choice(num_train, batch)
            loss, grads = self.loss(X[idx], y[idx], reg)
            for name in self.params:
                self.params[name] -= lr * grads[name]
        return loss


def bench_epoch(epochs):
    N, D, H, C, batch = 50_000, 3072, 100, 10, 200
    rng = np.random.default_rng(1)
    y = rng.integers(0, C, N)
    X = rng.uniform(-1, 1, (N, D)).astype(np.float32)
    X += ((y - 4.5) * 0.1).astype(np.float32)[:, None]
    net = TwoLayerNet(D, H, C)
    pick = np.random.default_rng(3)
    net.train_steps(X, y, 25, pick)
    samples = []
    for _ in range(epochs):
        t = time.perf_counter()
        loss = net.train_steps(X, y, N // batch, pick)
        samples.append(time.perf_counter() - t)
    assert np.isfinite(loss), loss
    return median(samples)


def bench_depth(repeats):
    N, W, L = 1000, 500, 10
    rng = np.random.default_rng(4)
    X = rng.standard_normal((N, W)).astype(np.float32)
    Ws = [(rng.standard_normal((W, W)) / np.sqrt(W)).astype(np.float32) for _ in range(L)]
    up = rng.standard_normal((N, W)).astype(np.float32)

    def run():
        acts = [X]
        for w in Ws:
            acts.append(np.tanh(acts[-1].dot(w)))
        dH = up
        for l in range(L - 1, -1, -1):
            dZ = dH * (1 - acts[l + 1] * acts[l + 1])
            _dW = acts[l].T.dot(dZ)
            dH = dZ.dot(Ws[l].T)

    warm_up(run, 0.5)
    return time_it(run, repeats, 0) * 1000


def main():
    repeats = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    gemm = [bench_gemm(m, k, n, repeats) for m, k, n in GEMM_SHAPES]
    result = {
        "numpy": np.__version__,
        "blas": blas_info(),
        "env": {k: os.environ.get(k) for k in ("OPENBLAS_NUM_THREADS", "OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE")},
        "gemm": gemm,
        "epochSeconds": bench_epoch(min(repeats, 3)),
        "depthMs": bench_depth(repeats),
    }
    print(json.dumps(result))


if __name__ == "__main__":
    main()
