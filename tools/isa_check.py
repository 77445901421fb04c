"""Show why results differ between CPUs: the same tiny training under different oneDNN ISA caps.

    .venv/bin/python tools/isa_check.py        # about 30 s; prints one line per setting

TensorFlow's CPU matrix products go through oneDNN, which picks its kernels by the instruction set
the CPU offers (AVX-512, AVX2, SSE4.1). `ONEDNN_MAX_CPU_ISA` caps that choice, so running the same
seeded training under several caps on one machine imitates running it on several machines. The
default run is repeated to show that one machine repeats itself exactly.
"""

from __future__ import annotations

import os
import subprocess
import sys

TRAIN = """
import helpers
helpers.setup(0)
import numpy as np, keras
rng = np.random.default_rng(0)
X, y = rng.integers(1, 500, size=(512, 60)), rng.integers(0, 2, 512)
model = keras.Sequential([keras.Input((60,)), keras.layers.Embedding(500, 16), keras.layers.LSTM(16),
                          keras.layers.Dense(1, activation="sigmoid")])
model.compile("adam", "binary_crossentropy")
model.fit(X, y, batch_size=32, epochs=3, verbose=0)
print(repr(float(sum(np.sum(w.astype("float64")) for w in model.get_weights()))))
"""

SETTINGS = ("", "", "AVX2", "SSE41")  # "" = oneDNN's own choice for this CPU (run twice)


def main() -> int:
    seen = {}
    for isa in SETTINGS:
        env = os.environ | {"ONEDNN_MAX_CPU_ISA": isa}
        out = subprocess.run(
            [sys.executable, "-c", TRAIN], env=env, capture_output=True, text=True, check=True
        )
        total = out.stdout.strip().splitlines()[-1]
        label = isa or "default"
        print(f"ONEDNN_MAX_CPU_ISA={label:8s} sum of the trained weights {total}")
        seen.setdefault(label, []).append(total)
    values = {v for runs in seen.values() for v in runs}
    print(
        f"default repeated identically: {len(set(seen['default'])) == 1}; "
        f"distinct results over {len(SETTINGS)} runs: {len(values)}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
