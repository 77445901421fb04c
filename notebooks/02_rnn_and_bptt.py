# ---
# jupyter:
#   jupytext:
#     formats: ipynb,py:percent
#     notebook_metadata_filter: -kernelspec,-jupytext.text_representation.jupytext_version,-jupytext.text_representation.format_version
#     text_representation:
#       extension: .py
#       format_name: percent
# ---

# %% [markdown]
# # 02 · Recurrent networks and backpropagation through time
#
# A recurrent network reads a sequence one step at a time and carries a hidden state from step to
# step, so the same weights are used at every position. To train it with gradient descent we need
# the gradient of a loss summed over all steps, and this notebook derives that gradient
# (backpropagation through time), codes it in NumPy and checks it twice.
#
# **You will learn**
# - the forward pass of a vanilla (Elman) RNN and how Keras stores its weights;
# - the unrolled computational graph and the sequence loss;
# - backpropagation through time (BPTT), derived and implemented in NumPy;
# - how to verify a gradient with finite differences and with `tf.GradientTape`;
# - what truncated BPTT is, in its sliding-window and chunked forms, and which one practitioners use.
#
# **Prerequisites**: [01 · Gradient descent](01_gradient_descent.ipynb) (the update rule,
# `tf.GradientTape`, and backpropagation on a two-layer network with its shape rules); matrix products.
#
# **Time to run**: about 10 s in the full profile and 10 s in the smoke profile (CPU time on
# 2 cores, TensorFlow import included; on a machine shared with other jobs the wall time is longer).

# %% [markdown] tags=["colab-badge"]
# [![Open In Colab](https://colab.research.google.com/assets/colab-badge.svg)](https://colab.research.google.com/github/lstm-course/lstm-course/blob/v1.0/notebooks/02_rnn_and_bptt.ipynb)

# %% tags=["colab"]
# On Google Colab only: fetch the course at a fixed version and install its helpers package.
# The "colab" extra leaves out tensorflow-cpu and keras, so Colab keeps its own GPU TensorFlow.
# Anywhere else (JupyterLab, CI, `make run`) this cell does nothing.
import sys

if "google.colab" in sys.modules:
    import os
    import subprocess

    REPO_URL = "https://github.com/lstm-course/lstm-course"
    REPO_REF = "v1.0"  # the tag or commit these notebooks belong to
    COURSE = "/content/lstm-course"
    if not os.path.isdir(COURSE):
        subprocess.run(["git", "clone", "--quiet", REPO_URL, COURSE], check=True)
        subprocess.run(["git", "-C", COURSE, "checkout", "--quiet", REPO_REF], check=True)
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--quiet", "-e", COURSE + "[colab]"], check=True
    )
    sys.path.insert(0, COURSE)  # importable now, without restarting the runtime
    os.chdir(COURSE + "/notebooks")  # relative paths (images, data, results) as in the repository

# %%
import helpers  # isort: skip  (first: sets TF_CPP_MIN_LOG_LEVEL and TF_ENABLE_ONEDNN_OPTS before TensorFlow loads)

import keras
import matplotlib.pyplot as plt
import numpy as np
import tensorflow as tf

from helpers import numpy_rnn

SEED = helpers.setup(seed=42)

# %% [markdown]
# ## 1. The forward pass
#
# A vanilla RNN keeps a hidden state $h_t \in \mathbb{R}^{H}$. At each step it combines the input
# $x_t \in \mathbb{R}^{D}$ with the previous state, using input weights $W$, recurrent weights $U$
# and a bias $b$ that are **shared across time**:
#
# $$h_t = \tanh\left(x_t W + h_{t-1} U + b\right), \qquad h_0 = 0, \qquad t = 1, \dots, T.$$
#
# We write vectors as rows, as Keras does. `keras.layers.SimpleRNN` stores exactly these three
# arrays: `kernel` $= W$ with shape $(D, H)$, `recurrent_kernel` $= U$ with shape $(H, H)$ and
# `bias` $= b$ with shape $(H,)$. (Gated layers stack one block per gate along the last axis; for an
# LSTM the order is i, f, c, o, see notebook 04.) Here is the loop in NumPy, compared with Keras on
# the same weights:

# %%
def rnn_step_by_step(x, W, U, b):
    """Vanilla RNN over x (batch, T, D); return all hidden states (batch, T, H)."""
    h = np.zeros((x.shape[0], U.shape[0]))
    states = []
    for t in range(x.shape[1]):
        h = np.tanh(x[:, t] @ W + h @ U + b)
        states.append(h)
    return np.stack(states, axis=1)


x_demo = np.random.default_rng(1).normal(size=(2, 5, 3)).astype("float32")  # batch 2, T = 5, D = 3
layer = keras.layers.SimpleRNN(4, return_sequences=True)  # H = 4
keras_states = layer(x_demo).numpy()
W, U, b = layer.get_weights()
print("kernel W", W.shape, " recurrent_kernel U", U.shape, " bias b", b.shape)
ours = rnn_step_by_step(x_demo, W, U, b)
print(f"max |Δ| NumPy vs Keras SimpleRNN: {np.abs(ours - keras_states).max():.1e}")
print(
    f"max |Δ| helpers.numpy_rnn.rnn_forward vs Keras: "
    f"{np.abs(numpy_rnn.rnn_forward(x_demo, W, U, b)[0] - keras_states).max():.1e}"
)

# %% [markdown]
# ## 2. The unrolled graph and the sequence loss
#
# Because the weights are shared, we can draw the network **unrolled** in time: one copy of the
# cell per step, each passing $h_t$ to the next. The unrolled graph is an ordinary feed-forward
# network that is $T$ layers deep, with the twist that all layers use the same $W$, $U$, $b$.
#
# For a sequence-to-sequence task we add a linear read-out $\hat y_t = h_t V + b_y$ at every step
# (weights $V$, output bias $b_y$) and
# sum the squared errors over time (and average over the $N$ sequences of a batch):
#
# $$E = \frac{1}{N}\sum_{n=1}^{N}\sum_{t=1}^{T} E_t^{(n)}, \qquad
# E_t = \tfrac12\,\lVert \hat y_t - y_t \rVert^2 .$$

# %%
# extra code: draw the unrolled RNN
fig, ax = plt.subplots(figsize=(10, 3.3))
steps = ["1", "2", "3", "T"]
for k, s in enumerate(steps):
    xc = 1.6 + 2.2 * k
    for y, label, color in (
        (0, f"$x_{s}$", "#dbe9f6"),
        (1.3, f"$h_{s}$", "#fde2c8"),
        (2.6, f"$E_{s}$", "#e3f1de"),
    ):
        ax.add_patch(plt.Rectangle((xc - 0.4, y - 0.3), 0.8, 0.6, fc=color, ec="black"))
        ax.text(xc, y, label, ha="center", va="center", fontsize=13)
    ax.annotate("", (xc, 1.0), (xc, 0.3), arrowprops=dict(arrowstyle="->"))
    ax.annotate("", (xc, 2.3), (xc, 1.6), arrowprops=dict(arrowstyle="->"))
    ax.text(xc + 0.08, 0.62, "$W$", fontsize=10)
    ax.text(xc + 0.08, 1.9, "$V, b_y$", fontsize=10)
    left = xc - 2.2 + 0.4 if k else 0.35
    ax.annotate("", (xc - 0.4, 1.3), (left, 1.3), arrowprops=dict(arrowstyle="->"))
    ax.text((left + xc - 0.4) / 2, 1.4, "$U$", ha="center", fontsize=10)
ax.text(0.1, 1.3, "$h_0$", ha="center", va="center", fontsize=13)
ax.text(1.6 + 2.2 * 2.5, 0.95, "⋯", ha="center", va="center", fontsize=16)  # steps 4 … T−1
ax.set(xlim=(-0.2, 9.0), ylim=(-0.5, 3.1))
ax.axis("off")
ax.set_title("The RNN unrolled over $T$ steps: the same $W, U, b$ (and $V, b_y$) at every step")
plt.show()

# %% [markdown]
# The only path from $h_1$ to the loss $E_T$ at the last step runs through every hidden state in
# between. That path is what backpropagation through time has to follow: it is the backpropagation
# of notebook 01 (section 6), applied to this deep graph, with one twist: a shared weight collects
# one gradient contribution from every copy.
#
# ## 3. Backpropagation through time, derived
#
# Write $a_t = x_t W + h_{t-1} U + b$ for the pre-activation, so $h_t = \tanh(a_t)$ and
# $\tanh'(a_t) = 1 - h_t^2$. The hidden state $h_t$ affects the loss in two ways: directly through
# $E_t$, and indirectly through $h_{t+1}$, which depends on $h_t$ via $U$. Collect both in
# $\delta_t = \partial E / \partial h_t$ (a row vector):
#
# $$\delta_t = \underbrace{(\hat y_t - y_t)\,V^\top}_{\text{from } E_t}
# \;+\; \underbrace{\big(\delta_{t+1} \odot (1 - h_{t+1}^2)\big)\,U^\top}_{\text{from } h_{t+1}},
# \qquad \delta_{T+1} = 0 .$$
#
# This is a recursion that runs **backwards** in time. With
# $\varepsilon_t = \partial E/\partial a_t = \delta_t \odot (1 - h_t^2)$, every step contributes to
# the shared weights, and BPTT simply **sums** the contributions:
#
# $$\frac{\partial E}{\partial W} = \sum_{t=1}^{T} x_t^\top \varepsilon_t, \qquad
# \frac{\partial E}{\partial U} = \sum_{t=1}^{T} h_{t-1}^\top \varepsilon_t, \qquad
# \frac{\partial E}{\partial b} = \sum_{t=1}^{T} \varepsilon_t, \qquad
# \frac{\partial E}{\partial V} = \sum_{t=1}^{T} h_t^\top (\hat y_t - y_t).$$
#
# Unrolling the recursion shows the chain through the hidden states: the error at step $t$ reaches
# an earlier state $h_k$ through a product of $t-k$ Jacobians $J_j = \partial h_j/\partial h_{j-1}$,
# **newest on the left**:
#
# $$\frac{\partial E_t}{\partial h_k} = \frac{\partial E_t}{\partial h_t}\,
# J_t\, J_{t-1} \cdots J_{k+1}, \qquad
# J_j = \operatorname{diag}(1 - h_j^2)\, U^\top
# \;\text{(acting on row vectors as } g \mapsto (g \odot (1-h_j^2))\,U^\top).$$
#
# Whether this product shrinks or grows with the lag $t-k$ is the subject of notebook 03.
#
# ## 4. BPTT in NumPy
#
# The code follows the equations line by line: one forward loop that stores every $h_t$, one
# backward loop that carries $\delta$ from $t = T$ down to $t = 1$. (For a batch we average over
# sequences, hence the division by $N$.)

# %%
def bptt(x, y, W, U, b, V, b_y):
    """Loss and gradients of E = (1/N) Σ_n Σ_t ½‖h_t V + b_y − y_t‖² for a vanilla RNN."""
    N, T, _ = x.shape
    hs = rnn_step_by_step(x, W, U, b)
    h_prev = np.concatenate([np.zeros_like(hs[:, :1]), hs[:, :-1]], axis=1)  # h_{t-1}
    err = (hs @ V + b_y - y) / N  # ∂E/∂ŷ_t
    g = {
        "W": 0 * W,
        "U": 0 * U,
        "b": 0 * b,
        "V": np.einsum("nth,nto->ho", hs, err),
        "b_y": err.sum((0, 1)),
    }
    delta_next = np.zeros_like(hs[:, 0])  # (δ_{t+1} ⊙ (1 − h_{t+1}²)) U^T, zero after the last step
    for t in reversed(range(T)):
        delta = err[:, t] @ V.T + delta_next  # δ_t
        eps = delta * (1 - hs[:, t] ** 2)  # ε_t = ∂E/∂a_t
        g["W"] += x[:, t].T @ eps
        g["U"] += h_prev[:, t].T @ eps
        g["b"] += eps.sum(0)
        delta_next = eps @ U.T
    loss = 0.5 * np.sum((hs @ V + b_y - y) ** 2) / N
    return loss, g

# %% [markdown]
# We test it on a small problem in float64: $N = 3$ sequences, $T = 8$, $D = 2$ inputs, $H = 5$
# hidden units, one output. The same function lives in the helpers package as
# `helpers.numpy_rnn.rnn_bptt` (which also returns $\partial E/\partial x_t$, used in Exercise 2 below,
# and can truncate, section 8).

# %%
N, T_CHECK, D, H, K = 3, 8, 2, 5, 1
rng = np.random.default_rng(2)  # the weights and data of the gradient checks
params = {
    "W": rng.normal(scale=0.5, size=(D, H)),
    "U": rng.normal(scale=0.5, size=(H, H)),
    "b": rng.normal(scale=0.1, size=H),
    "V": rng.normal(scale=0.5, size=(H, K)),
    "b_y": rng.normal(scale=0.1, size=K),
}
NAMES = ("W", "U", "b", "V", "b_y")
x_chk, y_chk = rng.normal(size=(N, T_CHECK, D)), rng.normal(size=(N, T_CHECK, K))
loss, grads = bptt(x_chk, y_chk, **params)
_, helper_grads = numpy_rnn.rnn_bptt(x_chk, y_chk, *(params[k] for k in NAMES))
print(f"loss = {loss:.6f}")
print(
    "same gradients as helpers.numpy_rnn.rnn_bptt:",
    all(np.allclose(grads[k], helper_grads[k]) for k in grads),
)

# %% [markdown]
# ## 5. Gradient check 1: central finite differences
#
# For every single weight $\theta$ we nudge it by $\pm\epsilon$ and measure the slope of the loss,
#
# $$\frac{\partial E}{\partial \theta} \approx \frac{E(\theta + \epsilon) - E(\theta - \epsilon)}{2\epsilon},$$
#
# whose error is $O(\epsilon^2)$. With $\epsilon = 10^{-6}$ in float64 the estimate is good to about
# $10^{-9}$. We compare the two gradients with the relative error
# $\lVert g_{\text{BPTT}} - g_{\text{num}} \rVert / (\lVert g_{\text{BPTT}} \rVert + \lVert g_{\text{num}} \rVert)$.

# %%
def numerical_grad(name, eps=1e-6):
    """Central finite-difference gradient of the loss with respect to params[name]."""
    out = np.zeros_like(params[name])
    for idx in np.ndindex(out.shape):
        plus = {k: v.copy() for k, v in params.items()}
        minus = {k: v.copy() for k, v in params.items()}
        plus[name][idx] += eps
        minus[name][idx] -= eps
        out[idx] = (bptt(x_chk, y_chk, **plus)[0] - bptt(x_chk, y_chk, **minus)[0]) / (2 * eps)
    return out


def rel_error(a, b):
    return np.linalg.norm(a - b) / (np.linalg.norm(a) + np.linalg.norm(b))


rel_fd = {k: rel_error(grads[k], numerical_grad(k)) for k in params}
for k, e in rel_fd.items():
    print(f"∂E/∂{k}: relative error BPTT vs finite differences = {e:.1e}")

# %%
# NBVAL_CHECK_OUTPUT
print(
    f"BPTT matches central finite differences (relative error < 1e-6): {max(rel_fd.values()) < 1e-6}"
)

# %% [markdown]
# ## 6. Gradient check 2: `tf.GradientTape` on the same weights
#
# Now an independent implementation: a Keras `SimpleRNN` plus a `Dense` read-out, both in float64,
# loaded with *our* weights, and differentiated by TensorFlow's automatic differentiation.

# %%
rnn64 = keras.layers.SimpleRNN(H, return_sequences=True, dtype="float64")
dense64 = keras.layers.Dense(K, dtype="float64")
rnn64.build((None, T_CHECK, D))
dense64.build((None, T_CHECK, H))
rnn64.set_weights([params["W"], params["U"], params["b"]])
dense64.set_weights([params["V"], params["b_y"]])
with tf.GradientTape() as tape:
    y_hat = dense64(rnn64(tf.constant(x_chk)))
    tf_loss = 0.5 * tf.reduce_sum((y_hat - y_chk) ** 2) / N
tf_grads = dict(
    zip(
        NAMES,
        tape.gradient(tf_loss, [*rnn64.trainable_weights, *dense64.trainable_weights]),
        strict=True,
    )
)
print(f"loss: NumPy {loss:.10f}  TensorFlow {float(tf_loss):.10f}")
rel_tf = {k: rel_error(grads[k], tf_grads[k].numpy()) for k in params}
for k, e in rel_tf.items():
    print(f"∂E/∂{k}: relative error BPTT vs tf.GradientTape = {e:.1e}")

# %%
# NBVAL_CHECK_OUTPUT
print(f"BPTT matches tf.GradientTape (relative error < 1e-6): {max(rel_tf.values()) < 1e-6}")

# %% [markdown]
# Against TensorFlow the agreement is at the level of float64 rounding, much tighter than against
# finite differences, whose own truncation and rounding error sets the floor there. Two independent
# checks agree, so we can trust the hand-written BPTT.
#
# ## 7. BPTT + gradient descent: a network that learns to remember
#
# With a correct gradient, training is just notebook 01's update rule. Task: output the input from
# two steps ago, $y_t = x_{t-2}$ (and $0$ for the first two steps), on sequences of $T = 12$ steps. The
# network can only solve it by storing past inputs in $h_t$. We train with mini-batch gradient descent
# and compare with the baseline that always predicts the mean of the training targets, on freshly drawn
# test sequences.

# %%
# long-cell: one experiment that runs as a unit
T_DELAY = 12


def delay_task(n, seed, T=T_DELAY, delay=2):
    """x (n, T, 1) standard normal; y_t = x_{t-delay} (0 for the first `delay` steps)."""
    x = np.random.default_rng(seed).normal(size=(n, T, 1))
    y = np.zeros_like(x)
    y[:, delay:] = x[:, :-delay]
    return x, y


def train_delay(x, y, n_steps, seed, truncate=None, eta=0.05):
    """Mini-batch gradient descent with (optionally truncated, sliding-window) BPTT; return the weights."""
    r = np.random.default_rng(seed)
    theta = {
        "W": r.normal(scale=0.5, size=(1, 16)),
        "U": r.normal(scale=0.25, size=(16, 16)),
        "b": np.zeros(16),
        "V": r.normal(scale=0.1, size=(16, 1)),
        "b_y": np.zeros(1),
    }
    losses = []
    for _ in range(n_steps):
        idx = r.choice(len(x), size=32, replace=False)
        loss_b, g = numpy_rnn.rnn_bptt(
            x[idx], y[idx], *(theta[k] for k in NAMES), truncate=truncate
        )
        theta = {k: theta[k] - eta * g[k] for k in theta}
        losses.append(loss_b * 2 / x.shape[1])  # back to a per-step mean squared error
    return theta, losses


def delay_mse(theta, x, y):
    return float(
        np.mean(
            (
                rnn_step_by_step(x, theta["W"], theta["U"], theta["b"]) @ theta["V"]
                + theta["b_y"]
                - y
            )
            ** 2
        )
    )


n_train, n_test, n_steps = (
    helpers.pick(full=512, smoke=64),
    helpers.pick(full=1000, smoke=100),
    helpers.pick(full=600, smoke=40),
)
(x_tr, y_tr), (x_te, y_te) = delay_task(n_train, seed=3), delay_task(n_test, seed=4)
theta, train_loss = train_delay(x_tr, y_tr, n_steps, seed=5)
test_mse, baseline_mse = delay_mse(theta, x_te, y_te), float(np.mean((y_te - y_tr.mean()) ** 2))
print(
    f"{n_steps} steps: test MSE per step = {test_mse:.4f}   "
    f"baseline 'predict the training mean' = {baseline_mse:.4f}   (n_test = {n_test})"
)

# %%
# extra code: training curve
fig, ax = plt.subplots(figsize=(6, 3.3))
ax.semilogy(train_loss, lw=0.8, label="training mini-batch MSE")
ax.axhline(baseline_mse, color="grey", ls=":", label="baseline: training mean (test)")
ax.axhline(test_mse, color="tab:red", ls="--", label="trained RNN (test)")
ax.set(
    xlabel="gradient step",
    ylabel="MSE per step (log)",
    title="Vanilla RNN trained with NumPy BPTT on $y_t = x_{t-2}$",
)
ax.legend()
ax.grid(alpha=0.3)
plt.show()

# %% [markdown]
# The test error ends far below the baseline (printed above): the network has learned to hold an
# input for two steps.
#
# ## 8. Truncated BPTT
#
# Full BPTT stores every $h_t$ and walks back over all $T$ steps, so memory grows with $T$ and one
# update has to wait for the end of the sequence. For very long sequences (a language model reading
# a whole book, a sensor stream that never ends) this is impractical. **Truncated BPTT** limits how
# far the error flows back. Two versions are in use:
#
# - **sliding window**: the error of *each* loss term $E_t$ is propagated at most $k$ steps, to
#   $h_{t-k+1}$, and dropped beyond. Every term sees exactly $k$ steps of history, but each needs its own
#   backward walk, $k$ steps per term.
# - **chunked**: the long sequence is cut into consecutive chunks of $k$ steps; the hidden state is
#   carried from one chunk to the next (so the forward pass still sees the whole history), but gradients
#   stop at chunk boundaries. One backward walk per chunk, so it costs no more than full BPTT. A term
#   near the start of a chunk sees almost no history, one at its end sees $k$ steps. This is what
#   practitioners use: it is what a Keras `stateful=True` layer trained on consecutive chunks computes,
#   and how language models are trained on long texts (Williams & Peng 1990 describe the general scheme).
#
# By the sliding-window definition, a loss term at step $t$ reaches $h_t, h_{t-1}, \dots, h_{t-k+1}$. The
# delay-2 task needs the input $x_{t-2}$, which enters at $h_{t-2}$: the signal must flow back through
# **three** hidden states, so $k \ge 3$ is the smallest window that can see the dependency.
# `helpers.numpy_rnn.rnn_bptt(..., truncate=k, mode=...)` implements both versions; we measure how far
# the truncated gradient of $U$ is from the exact one on sequences of length 40, with the trained weights.

# %%
x_long, y_long = delay_task(64, seed=6, T=40)
args = (x_long, y_long, *(theta[k] for k in NAMES))
_, exact = numpy_rnn.rnn_bptt(*args)
ks = [1, 2, 3, 4, 6, 8, 12, 20, 40]
trunc_err = {
    mode: [
        rel_error(numpy_rnn.rnn_bptt(*args, truncate=k, mode=mode)[1]["U"], exact["U"]) for k in ks
    ]
    for mode in ("sliding", "chunked")
}
print("  k   relative error of ∂E/∂U:  sliding window   chunked")
for j, k in enumerate(ks):
    print(f"{k:3d}   {'':25s}{trunc_err['sliding'][j]:9.2e}   {trunc_err['chunked'][j]:9.2e}")
for mode, errs in trunc_err.items():
    first_ok = next((k for k, e in zip(ks, errs, strict=True) if e < 0.01), None)
    print(f"{mode}: smallest k in the list with a relative error below 1 %: {first_ok}")

# %% [markdown]
# The sliding window with $k = 1$ or $2$ cannot see the two-step dependency and its gradient is far from
# the exact one; at $k = 3$, the smallest window that reaches $x_{t-2}$, the error drops sharply, to a
# few percent, and it keeps falling with $k$ because the trained network's state also carries weaker,
# longer echoes of past inputs (the last two printed lines give the smallest $k$ in the list below 1 %).
# The chunked version is much further from the exact gradient at every $k$ from 2 to 20, because the terms
# near the start of each chunk see fewer than $k$ steps back. Pick $k$ comfortably longer than the
# longest dependency you want the model to learn, and with chunks remember that only the end of each
# chunk sees all $k$ steps.
#
# ## Summary
#
# - A vanilla RNN: $h_t = \tanh(x_t W + h_{t-1} U + b)$ with the same weights at every step; Keras stores them as `kernel`, `recurrent_kernel`, `bias`.
# - Unrolled, it is a $T$-layer feed-forward network with shared weights; the loss sums $E_t$ over steps.
# - BPTT: carry $\delta_t = \partial E/\partial h_t$ backwards, $\delta_t = (\hat y_t - y_t)V^\top + (\delta_{t+1} \odot (1-h_{t+1}^2))U^\top$, and sum the per-step weight gradients.
# - The error reaches $h_k$ through $J_t J_{t-1} \cdots J_{k+1}$, newest Jacobian on the left.
# - Always check a hand-written gradient: central differences and an autodiff framework.
# - Truncated BPTT cuts the backward pass after $k$ steps, as a sliding window per loss term or (in practice) in chunks; a dependency of $d$ steps needs $k \ge d + 1$.
#
# ## Exercises
#
# 1. **Loss only at the end.** Many tasks (sentiment, notebook 06) have one target per sequence.
#    Change the loss to $E = \frac1N\sum_n \tfrac12\lVert \hat y_T - y_T\rVert^2$ by zeroing the error
#    at all other steps, and check the new gradient against finite differences.
# 2. **The gradient with respect to the inputs.** Using `helpers.numpy_rnn.rnn_bptt`, which returns
#    $\partial E/\partial x_t$ under key `"x"`, verify one entry by finite differences. Then print
#    $\lVert \partial E_T/\partial x_t \rVert$ for each $t$ with the end-only loss of exercise 1: how
#    quickly does it shrink for early $t$?
# 3. **Truncation decides what can be learned.** Train the network of section 7 on a delay-3 task
#    ($y_t = x_{t-3}$) with sliding-window truncation $k = 2$ and $k = 4$, and compare the test MSEs with
#    the baseline. Which $k$ is the smallest that can work, and why?

# %% [markdown] tags=["solution"]
# ## Solutions

# %% tags=["solution"]
# Exercise 1: mask the error at every step but the last
mask = np.zeros((1, T_CHECK, 1))
mask[:, -1] = 1


def bptt_last(x, y, **p):
    """BPTT for the end-only loss: zero the targets' errors before T by moving y onto the prediction."""
    hs = rnn_step_by_step(x, p["W"], p["U"], p["b"])
    y_eff = mask * y + (1 - mask) * (hs @ p["V"] + p["b_y"])  # error is zero wherever mask == 0
    return bptt(x, y_eff, **p)


loss_last, g_last = bptt_last(x_chk, y_chk, **params)
num_U = np.zeros_like(params["U"])
for idx in np.ndindex(num_U.shape):
    pp = {k: v.copy() for k, v in params.items()}
    pm = {k: v.copy() for k, v in params.items()}
    pp["U"][idx] += 1e-6
    pm["U"][idx] -= 1e-6
    hp, hm = (
        rnn_step_by_step(x_chk, q["W"], q["U"], q["b"])[:, -1] @ q["V"] + q["b_y"] for q in (pp, pm)
    )
    num_U[idx] = (
        (0.5 * np.sum((hp - y_chk[:, -1]) ** 2) - 0.5 * np.sum((hm - y_chk[:, -1]) ** 2)) / N / 2e-6
    )
print(
    f"end-only loss: relative error of ∂E/∂U vs finite differences = {rel_error(g_last['U'], num_U):.1e}"
)

# %% [markdown] tags=["solution"]
# Moving the target onto the prediction makes the error exactly zero at the masked steps, so the
# unchanged BPTT code computes the end-only gradient (the substituted $y$ is treated as a constant,
# which is what we want). Since the hidden-to-output error now enters only at $t = T$, every
# gradient flows through the chain of Jacobians of section 3.

# %% tags=["solution"]
# Exercise 2
p_list = [params[k] for k in NAMES]
_, gx = numpy_rnn.rnn_bptt(x_chk, y_chk, *p_list)
xp, xm = x_chk.copy(), x_chk.copy()
xp[0, 2, 1] += 1e-6
xm[0, 2, 1] -= 1e-6
fd = (numpy_rnn.rnn_loss(xp, y_chk, *p_list) - numpy_rnn.rnn_loss(xm, y_chk, *p_list)) / 2e-6
print(f"∂E/∂x[0, 2, 1]: BPTT {gx['x'][0, 2, 1]:+.8f}   finite differences {fd:+.8f}")
hs_chk = numpy_rnn.rnn_forward(x_chk, *p_list[:3])[0]
y_last = mask * y_chk + (1 - mask) * (hs_chk @ params["V"] + params["b_y"])
gx_last = numpy_rnn.rnn_bptt(x_chk, y_last, *p_list)[1]["x"]
norms = np.linalg.norm(gx_last, axis=(0, 2))
print("‖∂E_T/∂x_t‖ for t = 1..T:", np.array2string(norms, precision=4))
print(
    f"mean of the last 3 norms / mean of the first 3: {norms[-3:].mean() / norms[:3].mean():.0f}x"
)

# %% [markdown] tags=["solution"]
# The norms are not monotone (each step's Jacobian differs), but the inputs close to the loss get a
# much stronger signal than the early ones (the printed ratio), because each step back multiplies
# the error by one more Jacobian. Notebook 03 makes this precise.

# %% tags=["solution"]
# Exercise 3
(x3_tr, y3_tr), (x3_te, y3_te) = (
    delay_task(n_train, seed=7, delay=3),
    delay_task(n_test, seed=8, delay=3),
)
baseline3 = float(np.mean((y3_te - y3_tr.mean()) ** 2))
for k in (2, 4):
    theta3, _ = train_delay(x3_tr, y3_tr, n_steps, seed=5, truncate=k)
    print(
        f"delay 3, sliding truncation k = {k}: test MSE {delay_mse(theta3, x3_te, y3_te):.4f}   "
        f"(baseline {baseline3:.4f})"
    )

# %% [markdown] tags=["solution"]
# With $k = 4$ the truncated gradient covers the three-step dependency and the network learns it well.
# With $k = 2$ the test error is clearly worse, yet still far below the baseline: truncation does not
# forbid using a longer memory, because the forward pass still carries $x_{t-3}$ in the state and the
# gradient can strengthen whatever part of it reaches $h_{t-1}$. It only removes the direct training
# signal for the missing steps, so the dependency is learned worse. $k = 4 = d + 1$ is the smallest
# window whose gradient contains the dependency itself.

# %%
helpers.record_results(
    "02_rnn_and_bptt",
    data_sizes={"train": n_train, "test": n_test},
    headline={"delay2_test_mse": test_mse, "delay2_baseline_mse": baseline_mse},
    grad_check_rel_error_finite_differences=max(rel_fd.values()),
    grad_check_rel_error_tf=max(rel_tf.values()),
    truncated_bptt_rel_error={
        mode: {str(k): e for k, e in zip(ks, errs, strict=True)} for mode, errs in trunc_err.items()
    },
)

# %% [markdown]
# ## Further reading
#
# - Rumelhart, Hinton & Williams (1986), *Learning representations by back-propagating errors*,
#   Nature 323 — back-propagation, including its extension to recurrent nets by unrolling.
# - Werbos (1990), *Backpropagation through time: what it does and how to do it*, Proc. IEEE 78(10)
#   — the classic account of BPTT.
# - Williams & Peng (1990), *An efficient gradient-based algorithm for on-line training of recurrent
#   network trajectories*, Neural Computation 2(4) — truncated BPTT.
# - Elman (1990), *Finding structure in time*, Cognitive Science 14 — the simple recurrent network.
