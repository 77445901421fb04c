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
# # 01 · Gradient descent
#
# Every network in this course, from a single neuron to a stacked LSTM, is trained by the same
# one-line rule: take a small step against the gradient of the error. This notebook builds that
# rule from scratch, shows what the learning rate does to it, checks that our hand-written
# version produces exactly the numbers TensorFlow produces, and ends with backpropagation: how the
# chain rule delivers the gradient of a network, node by node.
#
# **You will learn**
# - where the update rule $w \leftarrow w - \eta\,\nabla E(w)$ comes from;
# - how the iterates move on a 1-D and a 2-D error surface;
# - why a learning rate that is too small crawls and one that is too large diverges;
# - how to compute gradients by hand and with `tf.GradientTape`, and that they agree;
# - what mini-batch stochastic gradient descent (SGD) changes;
# - backpropagation on a computational graph, and the shape rules of matrix calculus
#   ($\partial E/\partial W = X^\top \delta$ for a row-vector layout), checked against `tf.GradientTape`.
#
# **Prerequisites**: derivatives and the chain rule, NumPy arrays. No earlier notebook.
#
# **Time to run**: about 10 s in the full profile and 10 s in the smoke profile (CPU time on
# 2 cores, TensorFlow import included; on a machine shared with other jobs the wall time is longer).

# %% [markdown] tags=["colab-badge"]
# [![Open In Colab](https://colab.research.google.com/assets/colab-badge.svg)](https://colab.research.google.com/github/lstm-course/lstm-course/blob/v1.0/notebooks/01_gradient_descent.ipynb)

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

import itertools

import keras
import matplotlib.pyplot as plt
import numpy as np
import tensorflow as tf

from helpers.tasks import mean_baseline_mse

SEED = helpers.setup(seed=42)

# %% [markdown]
# ## 1. The update rule
#
# Training a model means choosing weights $w$ that make an error function $E(w)$ small. Near the
# current point, a first-order Taylor expansion says how $E$ changes when we move by a small step
# $\Delta w$:
#
# $$E(w + \Delta w) \approx E(w) + \nabla E(w)^\top \Delta w .$$
#
# Among all steps of a fixed small length, the inner product $\nabla E^\top \Delta w$ is most
# negative when $\Delta w$ points exactly opposite the gradient. Taking $\Delta w = -\eta\,\nabla E(w)$
# with a small **learning rate** $\eta > 0$ gives
#
# $$E(w - \eta \nabla E) \approx E(w) - \eta\,\lVert \nabla E(w) \rVert^2 \le E(w),$$
#
# so each step lowers the error as long as $\eta$ is small enough for the linear approximation to
# hold. Repeating it is **gradient descent**: $w_{k+1} = w_k - \eta\,\nabla E(w_k)$.
#
# We start in one dimension with a non-convex error $E(w) = w^4/4 - w^2 + 0.3\,w$, whose derivative
# is $E'(w) = w^3 - 2w + 0.3$.

# %%
def E1(w):
    return w**4 / 4 - w**2 + 0.3 * w


def dE1(w):
    return w**3 - 2 * w + 0.3


def descend(grad, w0, eta, steps):
    """Run gradient descent from w0; return every iterate (steps + 1 rows)."""
    path = [np.asarray(w0, dtype=float)]
    for _ in range(steps):
        path.append(path[-1] - eta * grad(path[-1]))
    return np.array(path)


for w0 in (2.0, -0.5):
    path = descend(dE1, w0, eta=0.1, steps=30)
    print(
        f"start w0={w0:+.1f}: after 30 steps w={path[-1]:+.4f}, E={E1(path[-1]):+.4f}, E'={dE1(path[-1]):+.1e}"
    )

# %%
# extra code: draw the two descents on the curve
ws = np.linspace(-2.2, 2.2, 400)
fig, ax = plt.subplots(figsize=(6.5, 3.6))
ax.plot(ws, E1(ws), color="black", lw=1)
for w0, color in ((2.0, "tab:blue"), (-0.5, "tab:orange")):
    p = descend(dE1, w0, eta=0.1, steps=30)
    ax.plot(p, E1(p), "o-", color=color, ms=4, lw=0.8, label=f"start at $w_0 = {w0:+.1f}$")
ax.set(xlabel="$w$", ylabel="$E(w)$", title=r"Gradient descent on a 1-D error, $\eta = 0.1$")
ax.legend()
ax.grid(alpha=0.3)
plt.show()

# %% [markdown]
# Both runs stop where $E'(w) = 0$ (the printed derivative is essentially zero), but in
# *different* minima: the start at $+2$ rolls into the shallow right-hand valley, the start at
# $-0.5$ into the deeper left-hand one. Gradient descent only follows the local slope; it finds
# a stationary point near where it starts, not the global minimum. The steps also shrink on
# their own as the slope flattens, even though $\eta$ is constant.
#
# ## 2. A 2-D error surface
#
# With two weights the gradient is a vector, perpendicular to the contour lines of $E$. We use
# an elongated quadratic bowl
#
# $$E(w) = \tfrac12\, w^\top A\, w, \qquad A = \begin{pmatrix} 1 & 0 \\ 0 & 10 \end{pmatrix},
# \qquad \nabla E(w) = A w,$$
#
# whose minimum is at the origin. The curvature is 10 times larger along $w_2$ than along $w_1$,
# which is typical of real networks, where some directions are much steeper than others.

# %%
A = np.diag([1.0, 10.0])


def E2(w):
    return 0.5 * np.einsum("...i,ij,...j->...", w, A, w)


def dE2(w):
    return w @ A


w_start = np.array([-4.5, 1.8])
path2 = descend(dE2, w_start, eta=0.15, steps=40)
for k in (0, 1, 2, 5, 10, 20, 40):
    print(f"step {k:2d}: w = ({path2[k, 0]:+.3f}, {path2[k, 1]:+.3f})  E = {E2(path2[k]):.5f}")

# %%
# extra code: contour plot with the path of the iterates
g1, g2 = np.meshgrid(np.linspace(-5, 5, 200), np.linspace(-2.5, 2.5, 200))
grid = np.stack([g1, g2], axis=-1)
fig, ax = plt.subplots(figsize=(7, 3.8))
ax.contour(g1, g2, E2(grid), levels=np.geomspace(0.05, 40, 14), cmap="viridis", linewidths=0.8)
ax.plot(
    path2[:, 0], path2[:, 1], "o-", color="tab:red", ms=3, lw=0.9, label=r"iterates, $\eta = 0.15$"
)
ax.plot(0, 0, "k*", ms=10, label="minimum")
ax.set(
    xlabel="$w_1$",
    ylabel="$w_2$",
    title="Gradient descent on $E = (w_1^2 + 10 w_2^2)/2$",
    aspect="equal",
)
ax.legend(loc="upper right")
plt.show()

# %% [markdown]
# The printed iterates show the two directions behaving differently. Along the steep axis $w_2$ the
# step overshoots: each update multiplies $w_2$ by $1 - 10\eta = -0.5$, so it flips sign and halves
# (the zig-zag in the plot). Along the flat axis $w_1$ it is multiplied by $1 - \eta = 0.85$ and
# creeps towards zero. For a quadratic, each eigen-direction with curvature $\lambda$ is multiplied
# by $(1 - \eta\lambda)$ per step; that single factor explains the next section.
#
# ## 3. Too small, good, too large
#
# From the factor $(1 - \eta\lambda)$: the iterates converge only if $|1 - \eta\lambda| < 1$ for
# every curvature $\lambda$ of the surface, that is $\eta < 2/\lambda_{\max}$. On our bowl
# $\lambda_{\max} = 10$, so $\eta < 0.2$. Below that bound, a tiny $\eta$ wastes steps; above it,
# the steep direction grows by $|1 - \eta\lambda_{\max}| > 1$ per step and the run diverges.

# %%
etas = {"too small (η = 0.01)": 0.01, "good (η = 0.15)": 0.15, "too large (η = 0.21)": 0.21}
runs = {name: descend(dE2, w_start, eta, steps=40) for name, eta in etas.items()}
print(f"stability bound 2/λ_max = {2 / np.linalg.eigvalsh(A).max():.2f}")
for name, p in runs.items():
    print(f"{name:22s} E after 40 steps = {E2(p[-1]):.3e}   (start E = {E2(p[0]):.2f})")

# %%
# extra code: the three runs side by side
fig, axes = plt.subplots(1, 3, figsize=(13, 3.4), sharey=True)
for ax, (name, p) in zip(axes, runs.items(), strict=True):
    ax.contour(g1, g2, E2(grid), levels=np.geomspace(0.05, 40, 14), cmap="viridis", linewidths=0.6)
    p_shown = p[
        np.all(np.abs(p) < [5, 2.5], axis=1).cumprod().astype(bool)
    ]  # stop when leaving the frame
    ax.plot(p_shown[:, 0], p_shown[:, 1], "o-", color="tab:red", ms=2.5, lw=0.8)
    ax.plot(0, 0, "k*", ms=9)
    ax.set(title=name, xlabel="$w_1$", xlim=(-5, 5), ylim=(-2.5, 2.5))
axes[0].set_ylabel("$w_2$")
plt.tight_layout()
plt.show()

# %% [markdown]
# The printed errors tell the story: with $\eta = 0.01$ the error after 40 steps is still far
# from zero (the flat direction shrinks by only $0.99$ per step); with
# $\eta = 0.15$ it is close to zero; with $\eta = 0.21$, just past the bound of $0.2$, the steep
# coordinate is multiplied by $-1.1$ per step, so the error *grows* and the run diverges. In
# practice we pick $\eta$ by trying a few values on a log scale and watching the training loss.
#
# ## 4. Gradient descent by hand on a linear regression
#
# Now a real (if small) model: $\hat y = w\,x + b$ with the mean-squared error over $N$ examples
#
# $$E(w, b) = \frac{1}{N}\sum_{n=1}^{N} (w x_n + b - y_n)^2, \qquad
# \frac{\partial E}{\partial w} = \frac{2}{N}\sum_n (w x_n + b - y_n)\,x_n, \qquad
# \frac{\partial E}{\partial b} = \frac{2}{N}\sum_n (w x_n + b - y_n).$$
#
# We generate data from $y = 3x - 1$ plus noise, hold out a test set, and run 100 full-batch
# steps with $\eta = 0.1$, starting from $w = b = 0$.

# %%
def make_linear_data(n, seed):
    """x uniform on [-1, 1], y = 3x - 1 + Gaussian noise of standard deviation 0.3 (float32)."""
    rng = np.random.default_rng(seed)
    x = rng.uniform(-1, 1, size=n).astype("float32")
    return x, (3 * x - 1 + rng.normal(scale=0.3, size=n)).astype("float32")


n_train, n_test = helpers.pick(full=200, smoke=60), helpers.pick(full=1000, smoke=100)
(x_tr, y_tr), (x_te, y_te) = make_linear_data(n_train, seed=1), make_linear_data(n_test, seed=2)

ETA, STEPS = 0.1, 100
w, b = np.float32(0.0), np.float32(0.0)
numpy_losses = []
for _ in range(STEPS):
    err = w * x_tr + b - y_tr
    numpy_losses.append(float(np.mean(err**2)))
    w, b = w - ETA * np.float32(2 * np.mean(err * x_tr)), b - ETA * np.float32(2 * np.mean(err))
print(
    f"NumPy by hand: w = {w:.5f}, b = {b:.5f}  (data made with w = 3, b = -1; {n_train} train examples)"
)

# %% [markdown]
# The same loop in TensorFlow: `tf.GradientTape` records the forward computation and returns
# $\partial E/\partial w$ and $\partial E/\partial b$ by automatic differentiation; the Keras
# optimizer `SGD(learning_rate=0.1)` applies exactly $w \leftarrow w - \eta\,\partial E/\partial w$.

# %%
w_tf, b_tf = tf.Variable(0.0), tf.Variable(0.0)
opt = keras.optimizers.SGD(learning_rate=ETA)
tf_losses = []
for _ in range(STEPS):
    with tf.GradientTape() as tape:
        loss = tf.reduce_mean((w_tf * x_tr + b_tf - y_tr) ** 2)
    tf_losses.append(float(loss))
    opt.apply_gradients(zip(tape.gradient(loss, [w_tf, b_tf]), [w_tf, b_tf], strict=True))
print(f"TF + Keras SGD: w = {float(w_tf):.5f}, b = {float(b_tf):.5f}")
gap = max(
    abs(float(w_tf) - w), abs(float(b_tf) - b), np.max(np.abs(np.subtract(tf_losses, numpy_losses)))
)
print(f"max |Δ| between the two runs (weights and all {STEPS} losses): {gap:.1e}")

# %%
# NBVAL_CHECK_OUTPUT
print(
    f"hand-written gradient descent and tf.GradientTape + SGD agree (max |Δ| < 1e-5): {gap < 1e-5}"
)

# %% [markdown]
# Both runs produce the same weights and the same loss at every step (they differ only by float32
# rounding). As a sanity check we compare with the exact least-squares solution and with the
# simplest baseline, predicting the training mean of $y$, on the held-out **test** set.

# %%
w_ls, b_ls = np.polyfit(x_tr.astype(float), y_tr.astype(float), deg=1)
mse = {
    "baseline: predict mean of y_train": mean_baseline_mse(y_tr, y_te),
    f"gradient descent ({STEPS} steps)": np.mean((w * x_te + b - y_te) ** 2),
    "exact least squares": np.mean((w_ls * x_te + b_ls - y_te) ** 2),
}
for name, value in mse.items():
    print(f"{name:34s} test MSE = {value:.4f}   (n_test = {n_test})")

# %%
# extra code: loss curves of the two implementations
fig, ax = plt.subplots(figsize=(6, 3.4))
ax.semilogy(numpy_losses, lw=3, alpha=0.5, label="NumPy by hand")
ax.semilogy(tf_losses, "k--", lw=1, label="tf.GradientTape + SGD")
ax.set(xlabel="step", ylabel="training MSE (log scale)", title="The two implementations overlap")
ax.legend()
ax.grid(alpha=0.3)
plt.show()

# %% [markdown]
# Gradient descent reaches the test error of the exact solution (the remaining error is the noise
# we added, variance $0.3^2 = 0.09$), far below the mean-only baseline.
#
# ## 5. Mini-batch stochastic gradient descent
#
# Computing $\nabla E$ over all $N$ examples costs a full pass over the data for a *single* step.
# **Mini-batch SGD** instead estimates the gradient on a random batch of $B \ll N$ examples,
#
# $$w \leftarrow w - \eta\, \frac{1}{B}\sum_{n \in \text{batch}} \nabla E_n(w),$$
#
# which is an unbiased but noisy estimate of the full gradient. One **epoch** (a pass over the
# shuffled data) then makes $N/B$ updates instead of one. This is what `model.fit(batch_size=32)`
# does in Keras. Below: the same number of epochs, full batch vs batches of 16.

# %%
def fit_linear(batch_size, epochs, eta=ETA, seed=SEED):
    """Mini-batch SGD on the linear model; return the training MSE after each epoch."""
    r = np.random.default_rng(seed)
    w, b, history = 0.0, 0.0, []
    for _ in range(epochs):
        order = r.permutation(n_train)
        for start in range(0, n_train, batch_size):
            idx = order[start : start + batch_size]
            err = w * x_tr[idx] + b - y_tr[idx]
            w, b = w - eta * 2 * np.mean(err * x_tr[idx]), b - eta * 2 * np.mean(err)
        history.append(np.mean((w * x_tr + b - y_tr) ** 2))
    return np.array(history)


EPOCHS = 10
for bs in (n_train, 16):
    h = fit_linear(bs, EPOCHS)
    print(
        f"batch size {bs:4d}: {int(np.ceil(n_train / bs)):3d} updates/epoch, train MSE after epochs 1, 5, 10:"
        f" {h[0]:.4f}  {h[4]:.4f}  {h[9]:.4f}"
    )

# %% [markdown]
# For the same number of passes over the data, batches of 16 reach a far lower training error
# than full-batch descent, which makes a single update per epoch. The price is noise:
# the mini-batch loss does not settle exactly at the minimum but jitters around it by an amount
# that shrinks with a smaller $\eta$ or a larger batch. Deep-learning optimizers (momentum, Adam)
# build on this same noisy step.
#
# ## 6. Backpropagation: the chain rule on a computational graph
#
# For the linear model we wrote the gradient by hand. A network is a chain of such pieces, and
# **backpropagation** computes its gradient by walking the chain backwards once. Take a two-layer
# network in the row-vector layout Keras uses (one example per row of $X$, $N$ rows):
#
# $$Z = X W_1 + b_1, \qquad A = \tanh(Z), \qquad \hat Y = A W_2 + b_2, \qquad
# E = \frac{1}{2N} \sum_{n} (\hat y_n - y_n)^2 ,$$
#
# with $X$ of shape $(N, D)$, $W_1$ $(D, H)$, $b_1$ $(H,)$, $W_2$ $(H, 1)$, $b_2$ $(1,)$. Each line is a
# node of a **computational graph**: it takes inputs, produces an output, and knows its own local
# derivative.

# %%
# long-cell: a figure built in one piece
# extra code: the computational graph of the two-layer network
fig, ax = plt.subplots(figsize=(11, 2.6))
nodes = [
    ("$X$", 0.5),
    (r"$Z = XW_1 + b_1$", 2.4),
    (r"$A = \tanh Z$", 4.5),
    (r"$\hat Y = AW_2 + b_2$", 6.6),
    ("$E$", 8.6),
]
for label, xc in nodes:
    ax.add_patch(
        plt.Rectangle(
            (xc - 0.75, 0.7), 1.5, 0.6, fc="#fde2c8" if label != "$X$" else "#dbe9f6", ec="black"
        )
    )
    ax.text(xc, 1.0, label, ha="center", va="center", fontsize=11)
for (_, a), (_, b) in itertools.pairwise(nodes):
    ax.annotate("", (b - 0.75, 1.1), (a + 0.75, 1.1), arrowprops=dict(arrowstyle="->"))
    ax.annotate(
        "", (a + 0.75, 0.85), (b - 0.75, 0.85), arrowprops=dict(arrowstyle="->", color="tab:red")
    )
for label, xc in ((r"$W_1, b_1$", 2.4), (r"$W_2, b_2$", 6.6)):
    ax.text(xc, 1.75, label, ha="center", fontsize=10)
    ax.annotate("", (xc, 1.3), (xc, 1.65), arrowprops=dict(arrowstyle="->"))
ax.text(
    4.5,
    0.35,
    r"forward (black): values;   backward (red): $\partial E/\partial(\cdot)$, one local derivative per node",
    ha="center",
    fontsize=10,
    color="tab:red",
)
ax.set(xlim=(-0.4, 9.5), ylim=(0.2, 2.0))
ax.axis("off")
plt.show()

# %% [markdown]
# **The chain rule, node by node.** Start at the end and hand each node the gradient of $E$ with respect
# to its output; the node multiplies it by its local derivative and passes the result on. Writing
# $\delta_{V} = \partial E/\partial V$ for any intermediate $V$ (same shape as $V$):
#
# $$
# \begin{aligned}
# \delta_{\hat Y} &= (\hat Y - Y)/N &&(N, 1)\\
# \partial E/\partial W_2 &= A^\top \delta_{\hat Y}, \quad \partial E/\partial b_2 = \textstyle\sum_n \delta_{\hat Y, n}, \quad \delta_A = \delta_{\hat Y} W_2^\top &&(H, 1),\ (1,),\ (N, H)\\
# \delta_Z &= \delta_A \odot (1 - A^2) &&(N, H)\ \text{(tanh acts element-wise)}\\
# \partial E/\partial W_1 &= X^\top \delta_Z, \quad \partial E/\partial b_1 = \textstyle\sum_n \delta_{Z, n} &&(D, H),\ (H,)
# \end{aligned}
# $$
#
# **Shape rules.** A gradient always has the shape of the quantity it is taken with respect to, and for a
# product $Z = XW$ the shapes leave only one way to write it. Entry by entry, $Z_{nj} = \sum_i X_{ni} W_{ij}$,
# so $W_{ij}$ touches row $n$ of $Z$ through $X_{ni}$ for *every* example $n$:
#
# $$\frac{\partial E}{\partial W_{ij}} = \sum_n X_{ni}\, \frac{\partial E}{\partial Z_{nj}} = (X^\top \delta_Z)_{ij},
# \qquad \frac{\partial E}{\partial X_{ni}} = \sum_j \frac{\partial E}{\partial Z_{nj}}\, W_{ij} = (\delta_Z W^\top)_{ni}.$$
#
# $X^\top \delta_Z$ is $(D, N)(N, H) = (D, H)$, the shape of $W$; the sum over $n$ is the matrix product
# itself. A bias is added to every row, so its gradient sums $\delta$ over the rows. One backward pass
# costs about as much as the forward pass and yields *all* gradients at once. We code it and compare with
# `tf.GradientTape`, in float64.

# %%
# long-cell: one experiment that runs as a unit
def two_layer_backprop(X, Y, W1, b1, W2, b2):
    """Loss and gradients of E = (1/2N) Σ (tanh(X W1 + b1) W2 + b2 − Y)², by the chain rule."""
    A = np.tanh(X @ W1 + b1)  # forward, keeping what the backward pass needs
    Y_hat = A @ W2 + b2
    d_Yhat = (Y_hat - Y) / len(X)  # δ_Ŷ
    d_Z = (d_Yhat @ W2.T) * (1 - A**2)  # δ_A, then through tanh
    grads = {"W1": X.T @ d_Z, "b1": d_Z.sum(0), "W2": A.T @ d_Yhat, "b2": d_Yhat.sum(0)}
    return 0.5 * np.sum((Y_hat - Y) ** 2) / len(X), grads


rng_bp = np.random.default_rng(3)
X_bp, Y_bp = rng_bp.normal(size=(64, 3)), rng_bp.normal(size=(64, 1))
net = {
    "W1": rng_bp.normal(size=(3, 5)),
    "b1": rng_bp.normal(size=5),
    "W2": rng_bp.normal(size=(5, 1)),
    "b2": rng_bp.normal(size=1),
}
loss_bp, grads_bp = two_layer_backprop(X_bp, Y_bp, **net)
tf_vars = {k: tf.Variable(v) for k, v in net.items()}
with tf.GradientTape() as tape:
    Y_tf = tf.tanh(X_bp @ tf_vars["W1"] + tf_vars["b1"]) @ tf_vars["W2"] + tf_vars["b2"]
    loss_tf = 0.5 * tf.reduce_sum((Y_tf - Y_bp) ** 2) / len(X_bp)
tape_grads = dict(zip(net, tape.gradient(loss_tf, list(tf_vars.values())), strict=True))
bp_rel = {
    k: np.linalg.norm(grads_bp[k] - tape_grads[k]) / np.linalg.norm(tape_grads[k]) for k in net
}
for k in net:
    print(
        f"∂E/∂{k}: shape {grads_bp[k].shape} (like {k}: {net[k].shape}); "
        f"relative error vs tf.GradientTape {bp_rel[k]:.1e}"
    )

# %%
# NBVAL_CHECK_OUTPUT
print(
    f"backpropagation by hand matches tf.GradientTape (relative error < 1e-10): {max(bp_rel.values()) < 1e-10}"
)

# %% [markdown]
# Every hand-derived gradient has the shape of its weight and agrees with automatic differentiation to
# float64 rounding (the printed errors). `tf.GradientTape` does exactly this: it records the graph during
# the forward pass and applies each node's local derivative in reverse. Notebook 02 applies the same
# chain rule to a recurrent network unrolled in time, where it is called backpropagation through time.
#
# ## Summary
#
# - Gradient descent: $w_{k+1} = w_k - \eta\,\nabla E(w_k)$, the steepest local decrease of $E$.
# - It stops at a stationary point near the start; on a non-convex error this may be a poor local minimum.
# - On a quadratic, each curvature direction $\lambda$ is scaled by $(1 - \eta\lambda)$ per step: convergence needs $\eta < 2/\lambda_{\max}$.
# - Too small a learning rate crawls, too large a one diverges; try values on a log scale.
# - `tf.GradientTape` + `keras.optimizers.SGD` compute exactly the hand-written update.
# - Mini-batch SGD makes many cheap, noisy updates per epoch instead of one exact one.
# - Backpropagation: walk the computational graph backwards, multiplying by each node's local derivative; for $Z = XW$, $\partial E/\partial W = X^\top \delta_Z$ and $\partial E/\partial X = \delta_Z W^\top$ (a gradient has the shape of its variable).
#
# ## Exercises
#
# 1. **The stability bound.** On the 2-D bowl, run 40 steps with $\eta = 0.19$ and $\eta = 0.2$.
#    Which one converges? What happens *exactly* at $\eta = 2/\lambda_{\max}$?
# 2. **Momentum.** Add a velocity $v \leftarrow \mu v - \eta \nabla E(w)$, $w \leftarrow w + v$
#    with $\mu = 0.9$ to the descent on the 2-D bowl with $\eta = 0.02$. Compare $E$ after 40 steps
#    with plain gradient descent at the same $\eta$.
# 3. **Keras does it too.** Fit the linear regression with a `keras.Sequential([keras.Input((1,)),
#    keras.layers.Dense(1)])`, loss `"mse"`, `SGD(0.1)` and `batch_size=16` for 10 epochs, and
#    compare its test MSE with the exact least-squares solution.
# 4. **ReLU instead of tanh.** Replace $\tanh$ by $\operatorname{ReLU}(z) = \max(z, 0)$ in the two-layer
#    network of section 6. Which single line of the backward pass changes? Check your version against
#    `tf.GradientTape`.

# %% [markdown] tags=["solution"]
# ## Solutions

# %% tags=["solution"]
# Exercise 1
for eta in (0.19, 0.2):
    p = descend(dE2, w_start, eta, steps=40)
    print(
        f"η = {eta}: E after 40 steps = {E2(p[-1]):.3e}, last two w2 values: {p[-2, 1]:+.3f}, {p[-1, 1]:+.3f}"
    )

# %% [markdown] tags=["solution"]
# At $\eta = 0.19$ the steep coordinate is multiplied by $1 - 1.9 = -0.9$ per step: it zig-zags but
# shrinks. At exactly $\eta = 0.2$ the factor is $-1$: $w_2$ bounces between $+1.8$ and $-1.8$ for
# ever, so the error stays at $\tfrac{10}{2} \cdot 1.8^2 = 16.2$ plus the (shrinking) $w_1$ part.

# %% tags=["solution"]
# Exercise 2
def momentum(grad, w0, eta, mu, steps):
    """Gradient descent with (heavy-ball) momentum; return the final iterate."""
    w, v = np.asarray(w0, dtype=float), np.zeros_like(w0, dtype=float)
    for _ in range(steps):
        v = mu * v - eta * grad(w)
        w = w + v
    return w


plain = descend(dE2, w_start, eta=0.02, steps=40)[-1]
heavy = momentum(dE2, w_start, eta=0.02, mu=0.9, steps=40)
print(f"plain GD, η=0.02: E = {E2(plain):.4f}    momentum 0.9, η=0.02: E = {E2(heavy):.4f}")

# %% [markdown] tags=["solution"]
# Momentum accumulates speed along the flat $w_1$ direction, where successive gradients agree,
# and reaches a much lower error in the same 40 steps than plain descent with the same $\eta$.

# %% tags=["solution"]
# Exercise 3
helpers.set_seed(SEED)
lin = keras.Sequential([keras.Input((1,)), keras.layers.Dense(1)])
lin.compile(optimizer=keras.optimizers.SGD(0.1), loss="mse")
lin.fit(x_tr[:, None], y_tr, batch_size=16, epochs=10, verbose=0)
w_k, b_k = (float(v.ravel()[0]) for v in lin.get_weights())
test_mse_keras = lin.evaluate(x_te[:, None], y_te, verbose=0)
print(
    f"Keras Dense: w = {w_k:.3f}, b = {b_k:.3f}, test MSE = {test_mse_keras:.4f} "
    f"(least squares: {mse['exact least squares']:.4f})"
)

# %% tags=["solution"]
# Exercise 4: only the local derivative of the activation changes: ReLU'(z) = 1 where z > 0, else 0
Z_bp = X_bp @ net["W1"] + net["b1"]
A_relu = np.maximum(Z_bp, 0)
d_Yhat = (A_relu @ net["W2"] + net["b2"] - Y_bp) / len(X_bp)
d_Z_relu = (d_Yhat @ net["W2"].T) * (Z_bp > 0)  # was: * (1 - A**2)
with tf.GradientTape() as tape:
    loss_relu = (
        0.5
        * tf.reduce_sum(
            (
                tf.nn.relu(X_bp @ tf_vars["W1"] + tf_vars["b1"]) @ tf_vars["W2"]
                + tf_vars["b2"]
                - Y_bp
            )
            ** 2
        )
        / len(X_bp)
    )
g_W1 = tape.gradient(loss_relu, tf_vars["W1"]).numpy()
print(
    f"ReLU network, ∂E/∂W1: relative error vs tf.GradientTape "
    f"{np.linalg.norm(X_bp.T @ d_Z_relu - g_W1) / np.linalg.norm(g_W1):.1e}"
)

# %%
helpers.record_results(
    "01_gradient_descent",
    data_sizes={"train": n_train, "test": n_test},
    headline={
        "test_mse_gd": mse[f"gradient descent ({STEPS} steps)"],
        "test_mse_baseline_mean": mse["baseline: predict mean of y_train"],
    },
    test_mse_least_squares=mse["exact least squares"],
    max_abs_diff_numpy_vs_tf=gap,
    backprop_rel_error_vs_tape=max(bp_rel.values()),
    weights_gd={"w": float(w), "b": float(b)},
)

# %% [markdown]
# ## Further reading
#
# - Rumelhart, Hinton & Williams (1986), *Learning representations by back-propagating errors*,
#   Nature 323 — gradient descent on the error of a multi-layer network, with the gradient
#   computed by back-propagation.
# - Bottou, Curtis & Nocedal (2018), *Optimization methods for large-scale machine learning*,
#   SIAM Review 60 — why mini-batch SGD works, and its step-size rules.
# - Goodfellow, Bengio & Courville (2016), *Deep Learning*, chapters 4.3 and 8 — gradient-based
#   optimization, momentum and the role of curvature.
