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
# # 03 · Vanishing and exploding gradients
#
# Backpropagation through time multiplies one Jacobian per step, and a product of many matrices
# rarely stays the same size: it shrinks towards zero or blows up. This notebook measures both
# effects, first in a NumPy RNN whose recurrent matrix we control, then in a Keras `SimpleRNN`, and
# shows the standard cure for the exploding side, gradient clipping.
#
# **You will learn**
# - why the size of $\partial h_t / \partial h_k$ is governed by the recurrent matrix and the activation's derivative;
# - the difference between the spectral radius and the largest singular value, and which one Pascanu et al.'s conditions use;
# - how the gradient norm decays or grows with the time lag;
# - how strongly a trained `SimpleRNN` feels an input 100 steps back;
# - what gradient norm clipping does, measured update by update, and how to switch it on in Keras (`global_clipnorm`, `clipnorm`).
#
# **Prerequisites**: [02 · RNNs and BPTT](02_rnn_and_bptt.ipynb) (the Jacobian product of section 3
# there); eigenvalues, singular values and matrix norms.
#
# **Time to run**: about 21 s in the full profile and 12 s in the smoke profile (CPU time on
# 2 cores, TensorFlow import included; on a machine shared with other jobs the wall time is longer).

# %% [markdown] tags=["colab-badge"]
# [![Open In Colab](https://colab.research.google.com/assets/colab-badge.svg)](https://colab.research.google.com/github/lstm-course/lstm-course/blob/v1.0/notebooks/03_vanishing_and_exploding_gradients.ipynb)

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

from helpers.tasks import make_adding_data, make_first_sign_data, mean_baseline_mse
from helpers.training import EpochLogger

SEED = helpers.setup(seed=42)

# %% [markdown]
# ## 1. A product of Jacobians
#
# For the vanilla RNN $h_t = \tanh(x_t W + h_{t-1} U + b)$ of notebook 02, write
# $J_j = \partial h_j/\partial h_{j-1}$ for the Jacobian of one step (rows indexed by $h_j$, columns by
# $h_{j-1}$). By the chain rule, a state $k$ steps back reaches $h_t$ through the product of $t-k$ of them,
# **newest on the left**:
#
# $$\frac{\partial h_t}{\partial h_k} = J_t\, J_{t-1} \cdots J_{k+1}, \qquad
# J_j = \operatorname{diag}\!\big(\tanh'(a_j)\big)\,U^\top, \qquad 0 < \tanh'(a) = 1 - \tanh^2(a) \le 1 ,$$
#
# and the row-vector error of notebook 02 travels back as
# $\partial E/\partial h_k = (\partial E/\partial h_t)\, J_t \cdots J_{k+1}$. Two things set the size:
#
# - **the recurrent matrix.** Without the activation the product is $(U^\top)^{t-k}$. Its norm grows or
#   decays like $\rho(U)^{t-k}$ in the long run, where the **spectral radius** $\rho(U)$ is the largest
#   $|\lambda|$ among the eigenvalues of $U$ (Gelfand's formula: $\lVert M^k \rVert^{1/k} \to \rho(M)$).
# - **its largest singular value** $\sigma_{\max}(U) = \lVert U \rVert_2$, the most one multiplication can
#   stretch a vector. Since $\lVert \operatorname{diag}(\tanh') \rVert_2 \le 1$, every factor has norm at
#   most $\sigma_{\max}(U)$, so $\lVert \partial h_t/\partial h_k \rVert_2 \le \sigma_{\max}(U)^{t-k}$.
#
# Bengio, Simard & Frasconi (1994) showed that vanishing gradients are unavoidable for a network that
# stores information robustly. Pascanu, Mikolov & Bengio (2013) stated the conditions with the
# **largest singular value**, not the spectral radius: $\sigma_{\max}(U) < 1$ (with $|\tanh'| \le 1$) is
# *sufficient* for vanishing, $\sigma_{\max}(U) > 1$ is *necessary* for exploding (for an activation whose
# derivative is bounded by $\gamma$ the threshold is $1/\gamma$; only for linear units do they state it with
# the spectral radius). The two numbers can be
# far apart: $\rho \le \sigma_{\max}$ always, with equality for symmetric or orthogonal matrices, but for a
# random Gaussian matrix $\sigma_{\max}$ is about **twice** $\rho$. We measure all of it: a random
# $64 \times 64$ matrix rescaled to a chosen spectral radius, random inputs, and
# $\lVert \partial h_T/\partial h_{T-k} \rVert_2$ for every lag $k$.

# %%
# long-cell: one experiment that runs as a unit
H, T_LAG = 64, 60
rng = np.random.default_rng(SEED)  # this section's random matrix, weights and inputs
U0 = rng.normal(size=(H, H)) / np.sqrt(H)
U0 /= np.max(np.abs(np.linalg.eigvals(U0)))  # spectral radius exactly 1
W_in = rng.normal(scale=0.3, size=(1, H))
x_seq = rng.normal(size=(T_LAG, 1))


def jacobian_norms(U, activation):
    """‖∂h_T/∂h_{T-k}‖₂ for k = 1..T of an RNN driven by x_seq, with 'tanh' or 'linear' units."""
    h, derivs = np.zeros(H), []
    for x in x_seq:
        a = x @ W_in + h @ U
        h = np.tanh(a) if activation == "tanh" else a
        derivs.append(1 - h**2 if activation == "tanh" else np.ones(H))
    M, norms = np.eye(H), []
    for d in reversed(derivs):  # M = J_T J_{T-1} ⋯: each older Jacobian multiplies on the right
        M = M @ (d[:, None] * U.T)
        norms.append(np.linalg.norm(M, 2))
    return np.array(norms)


radii = [0.8, 0.9, 1.0, 1.1, 1.3]
print(f"σ_max(U) / ρ(U) for this random matrix: {np.linalg.norm(U0, 2):.2f}")
norms = {(act, r): jacobian_norms(r * U0, act) for act in ("linear", "tanh") for r in radii}
for (act, r), n in norms.items():
    print(
        f"{act:6s} ρ(U) = {r:.1f}, σ_max(U) = {np.linalg.norm(r * U0, 2):.2f}:  "
        f"lag 1: {n[0]:.2e}   lag 20: {n[19]:.2e}   lag {T_LAG}: {n[-1]:.2e}"
    )

# %%
# extra code: gradient norm against time lag, log scale
fig, axes = plt.subplots(1, 2, figsize=(12, 3.8), sharey=True)
colors = plt.cm.coolwarm(np.linspace(0, 1, len(radii)))
for ax, act in zip(axes, ("linear", "tanh"), strict=True):
    for r, col in zip(radii, colors, strict=True):
        ax.semilogy(
            np.arange(1, T_LAG + 1), norms[(act, r)], color=col, lw=2, label=rf"$\rho(U) = {r}$"
        )
    ax.set(title=f"{act} units", xlabel=r"time lag $k$ (from $h_{T-k}$ to $h_T$)")
    ax.grid(alpha=0.3, which="both")
axes[0].set_ylabel(r"$\|\partial h_T / \partial h_{T-k}\|_2$  (log)")
axes[1].legend(loc="lower left", fontsize=8)
plt.tight_layout()
plt.show()

# %% [markdown]
# With linear units each curve is, after the first few lags, close to a straight line on the log scale
# with slope $\log \rho$: falling for $\rho < 1$, rising for $\rho > 1$, roughly level at $\rho = 1$. The
# printed lag-1 values equal $\sigma_{\max}(U)$, about twice $\rho$ (the first printed line), so the
# first few steps can *amplify* the gradient even when $\rho < 1$ and it vanishes in the long run. Note
# what this means for Pascanu et al.'s conditions: for $\rho = 0.8$ and $0.9$ the gradient vanishes
# although $\sigma_{\max}(U) > 1$, because their sufficient condition is far from necessary.
#
# With tanh units the curves here lie below their linear counterparts, and for $\rho > 1$ saturating
# units tame the growth. It is tempting to explain this by "each factor $\tanh' \le 1$ can only shrink
# the product", but that argument is **not valid** for non-normal matrices such as ours (matrices with
# $U U^\top \ne U^\top U$, whose eigenvectors are not orthogonal): putting a contracting diagonal matrix
# between two factors can make a product *larger*. (The tanh run also visits different states from the
# linear one, so the two curves are not even products of the same matrices.) A two-by-two example:

# %%
N2 = np.array([[1.0, 1.0], [-1.0, -1.0]])  # non-normal: N2 @ N2 = 0
D2 = np.diag([1.0, 0.5])  # a contraction, like diag(tanh')
print(
    f"‖N N‖₂ = {np.linalg.norm(N2 @ N2, 2):.2f}   ‖N D N‖₂ = {np.linalg.norm(N2 @ D2 @ N2, 2):.2f}   (‖D‖₂ = 1)"
)

# %% [markdown]
# Inserting the contraction turned a zero product into one of norm 1. What *is* guaranteed is the
# singular-value bound $\lVert \partial h_t/\partial h_k \rVert_2 \le \sigma_{\max}(U)^{t-k}$ (Exercise 2
# checks it). Whatever the error signal is at step $T$, its influence on a weight update 60 steps back
# is scaled by these numbers.
#
# ## 2. Gradients with respect to the inputs in a Keras `SimpleRNN`
#
# Now a real Keras layer with its default initialisation, on the **first-sign task**: each input $x_t$
# is Gaussian noise ($T = 100$ steps), and the label is $1$ if $x_1 > 0$, else $0$. Every later step is a
# distraction. The data come from `helpers.tasks.make_first_sign_data` with fixed seeds (train, validation
# and test drawn separately). For the binary cross-entropy loss we compute, with `tf.GradientTape`, the
# average norm $\lVert \partial \text{loss} / \partial x_t \rVert$ for every $t$: how much the loss can
# feel each input.

# %%
# long-cell: one experiment that runs as a unit
T_SEQ = helpers.pick(full=100, smoke=20)
n_sign = {
    "train": helpers.pick(full=2000, smoke=128),
    "val": helpers.pick(full=500, smoke=64),
    "test": helpers.pick(full=1000, smoke=64),
}
(x_tr, y_tr), (x_va, y_va), (x_te, y_te) = (
    make_first_sign_data(n_sign[s], T_SEQ, seed=seed)
    for s, seed in (("train", 11), ("val", 12), ("test", 13))
)
helpers.set_seed(0)
rnn = keras.Sequential(
    [
        keras.Input((T_SEQ, 1)),
        keras.layers.SimpleRNN(32),
        keras.layers.Dense(1, activation="sigmoid"),
    ]
)
rnn.compile(
    optimizer=keras.optimizers.Adam(3e-3, global_clipnorm=1.0),
    loss="binary_crossentropy",
    metrics=["accuracy"],
)


def input_grad_norms(model, x, y):
    """Mean over examples of ‖∂loss/∂x_t‖ for every step t."""
    x = tf.constant(x)
    with tf.GradientTape() as tape:
        tape.watch(x)
        loss = tf.reduce_mean(keras.losses.binary_crossentropy(y[:, None], model(x)))
    return np.linalg.norm(tape.gradient(loss, x).numpy(), axis=2).mean(axis=0)


grads_init = input_grad_norms(rnn, x_va[:256], y_va[:256])
print(
    f"untrained SimpleRNN: ‖∂loss/∂x_1‖ = {grads_init[0]:.1e}   ‖∂loss/∂x_T‖ = {grads_init[-1]:.1e}   "
    f"ratio first/last = {grads_init[0] / grads_init[-1]:.1e}"
)

# %% [markdown]
# Next we train it with Adam (its gradient norm clipped at 1, a safeguard section 3 explains), with
# early stopping on the validation loss (patience 2, best weights restored, at most 10 epochs;
# validation data drawn separately, test sequences kept for the end), and measure the gradients again.

# %%
# long-cell: one experiment that runs as a unit
EPOCHS = helpers.pick(full=10, smoke=1)
stop = keras.callbacks.EarlyStopping(patience=2, restore_best_weights=True)
hist = rnn.fit(
    x_tr,
    y_tr,
    validation_data=(x_va, y_va),
    epochs=EPOCHS,
    batch_size=64,
    verbose=0,
    callbacks=[EpochLogger(every=1, metrics=("loss", "val_loss", "val_accuracy")), stop],
)
grads_trained = input_grad_norms(rnn, x_va[:256], y_va[:256])
majority = float(
    y_tr.mean() >= 0.5
)  # the baseline: the majority class of the *training* labels ...
baseline_acc = helpers.stats.bootstrap_ci(
    y_te, np.full_like(y_te, majority)
)  # ... scored on the test set
rnn_acc = helpers.stats.bootstrap_ci(
    y_te, (rnn.predict(x_te, verbose=0)[:, 0] > 0.5).astype("float32")
)
print(f"test accuracy on {n_sign['test']} sequences of length {T_SEQ} (95 % bootstrap intervals):")
print(f"  baseline, always predict the training majority class ({majority:.0f}): {baseline_acc}")
print(f"  SimpleRNN(32), {len(hist.history['loss'])} epochs, best weights kept:      {rnn_acc}")
print(
    f"trained SimpleRNN: ‖∂loss/∂x_1‖ = {grads_trained[0]:.1e}   ‖∂loss/∂x_T‖ = {grads_trained[-1]:.1e}"
)

# %%
# extra code: gradient norm per input step, before and after training
fig, ax = plt.subplots(figsize=(6.5, 3.6))
for label, g in (("untrained", grads_init), ("trained", grads_trained)):
    ax.semilogy(np.arange(1, T_SEQ + 1), g, lw=2, label=label)
ax.set(
    title=r"SimpleRNN: $\|\partial\,\mathrm{loss}/\partial x_t\|$",
    xlabel="input step $t$ (the label depends on $t = 1$)",
    ylabel="mean gradient norm (log)",
)
ax.grid(alpha=0.3, which="both")
ax.legend()
plt.show()

# %% [markdown]
# Read the plot from right to left, from the last input back to the first. The untrained `SimpleRNN`
# feels $x_1$, the only input that matters, hundreds of thousands of times more weakly than $x_T$, which is
# pure noise (the printed ratio): the signal that would teach it to look at $x_1$ has vanished on its
# way back through 99 Jacobians. Training does not change the picture: the validation loss never
# improved on its first epoch, early stopping ended the run (the log), the gradient at $x_1$ is still
# tiny next to the one at $x_T$, and the test accuracy (slightly *below* the baseline's) has an interval
# that overlaps the baseline's widely: a tie with always predicting the training majority class. This is one seed; whether a `SimpleRNN` escapes
# depends on its initial weights, and notebook 04 (section 8) repeats the experiment with three
# seeds, next to a cell built to keep this signal alive.
#
# ## 3. Exploding gradients and clipping
#
# The opposite failure: when $\sigma_{\max}(U) > 1$ and the units do not saturate, the gradient can
# grow exponentially with the lag, and a single huge step throws the weights far away; the loss jumps
# to `inf` or `nan` and training is over. ReLU units, whose derivative is exactly 1 when active, make
# this easy to provoke. We train a `SimpleRNN(32, activation="relu")` with the recurrent matrix
# initialised orthogonal with gain 1.5 (so every singular value, and $\rho$, is 1.5) on the **adding
# problem** of Hochreiter & Schmidhuber (1997), in the simplified form common today (their experiment draws
# the values from $[-1, 1]$ and scales the target; `helpers.tasks.make_adding_data`, the one definition the course
# uses): two input channels, a marker that is 1 at two distinct random steps among the $T = 50$ and 0
# elsewhere, and a value drawn uniformly from $[0, 1]$ at every step; the target is the sum of the two
# marked values.
# The baseline predicts the mean of the training targets; its error is about the variance of the
# target, $1/6$.
#
# Pascanu, Mikolov & Bengio (2013) proposed a simple fix: if the gradient norm exceeds a threshold
# $\tau$, rescale it to norm $\tau$, keeping its direction:
#
# $$g \leftarrow \frac{\tau}{\lVert g \rVert}\, g \quad \text{if } \lVert g \rVert > \tau .$$
#
# Keras optimizers do this with `global_clipnorm=τ` (the norm of all gradients together, as in the
# paper) or `clipnorm=τ` (each weight tensor separately). `clipvalue` instead clips every component,
# which changes the direction. To *see* the explosion we write the training step ourselves and record
# the global gradient norm $\lVert g \rVert$ (before clipping) at every update.

# %%
T_ADD, n_add = 50, helpers.pick(full=2000, smoke=256)
(xa_tr, ya_tr), (xa_va, ya_va), (xa_te, ya_te) = (
    make_adding_data(n, T_ADD, seed=seed)
    for n, seed in ((n_add, 21), (n_add // 4, 22), (n_add // 2, 23))
)
add_baseline = {"val": mean_baseline_mse(ya_tr, ya_va), "test": mean_baseline_mse(ya_tr, ya_te)}
print(
    f"baseline (predict the training mean {ya_tr.mean():.3f}): validation MSE {add_baseline['val']:.4f}, "
    f"test MSE {add_baseline['test']:.4f}"
)


def relu_rnn():
    helpers.set_seed(SEED)
    return keras.Sequential(
        [
            keras.Input((T_ADD, 2)),
            keras.layers.SimpleRNN(
                32, activation="relu", recurrent_initializer=keras.initializers.Orthogonal(gain=1.5)
            ),
            keras.layers.Dense(1),
        ]
    )

# %%
# long-cell: one experiment that runs as a unit
def train_recording_norms(clip, epochs, batch_size=32):
    """SGD(0.01) on the adding problem.

    Returns the model, the global gradient norm and loss per update, and the val MSE per epoch.
    """
    model, opt = relu_rnn(), keras.optimizers.SGD(learning_rate=0.01, global_clipnorm=clip)

    @tf.function(reduce_retracing=True)
    def step(xb, yb):
        with tf.GradientTape() as tape:
            loss = tf.reduce_mean((model(xb, training=True)[:, 0] - yb) ** 2)
        grads = tape.gradient(loss, model.trainable_variables)
        opt.apply_gradients(
            zip(grads, model.trainable_variables, strict=False)
        )  # clips inside when clip is set
        return loss, tf.linalg.global_norm(grads)

    order_rng, norms, losses, val = np.random.default_rng(SEED), [], [], []
    for _ in range(epochs):
        for idx in np.array_split(order_rng.permutation(n_add), n_add // batch_size):
            loss, norm = step(xa_tr[idx], ya_tr[idx])
            norms.append(float(norm))
            losses.append(float(loss))
        val.append(float(np.mean((model(xa_va)[:, 0] - ya_va) ** 2)))
    return model, np.array(norms), np.array(losses), np.array(val)


EPOCHS_ADD = helpers.pick(full=12, smoke=2)
runs = {clip: train_recording_norms(clip, EPOCHS_ADD) for clip in (None, 1.0)}
for clip, (_, g_norms, losses, _val) in runs.items():
    bad = np.flatnonzero(~np.isfinite(losses) | ~np.isfinite(g_norms))
    print(
        f"global_clipnorm = {clip}: {len(g_norms)} updates; largest finite gradient norm "
        f"{np.nanmax(np.where(np.isfinite(g_norms), g_norms, np.nan)):.2e}; "
        f"first non-finite loss or norm at update {bad[0] + 1 if len(bad) else 'none'}"
    )

# %%
# long-cell: a figure built in one piece
# extra code: the gradient norm per update and the validation error per epoch
fig, axes = plt.subplots(1, 2, figsize=(12.5, 3.8))
updates_per_epoch = len(runs[1.0][1]) // EPOCHS_ADD
for clip, color in ((None, "tab:red"), (1.0, "tab:blue")):
    _, g_norms, losses, val = runs[clip]
    axes[0].semilogy(
        np.arange(1, len(g_norms) + 1),
        g_norms,
        color=color,
        lw=0.8,
        label=f"global_clipnorm = {clip}",
    )
    bad = np.flatnonzero(~np.isfinite(g_norms))
    if len(bad):
        axes[0].axvline(bad[0] + 1, color=color, ls="--", lw=1)
        axes[0].annotate(
            f"non-finite from update {bad[0] + 1}",
            (bad[0] + 1, 1.0),
            xytext=(60, 1e3),
            color=color,
            arrowprops=dict(arrowstyle="->", color=color),
            fontsize=8,
        )
    finite = np.isfinite(val)
    axes[1].plot(
        np.arange(1, EPOCHS_ADD + 1)[finite],
        val[finite],
        "o-",
        color=color,
        label=f"global_clipnorm = {clip}",
    )
axes[0].axhline(1.0, color="black", ls=":", lw=1, label=r"threshold $\tau = 1$")
axes[0].set(
    xlabel="update",
    ylabel=r"global gradient norm $\|g\|$ before clipping (log)",
    title="Gradient norm per update",
)
axes[1].axhline(
    add_baseline["val"], color="grey", ls=":", label="baseline: predict the training mean"
)
axes[1].set(
    xlabel="epoch",
    ylabel="validation MSE",
    title="Validation error (unclipped run: no finite value)",
)
for ax in axes:
    ax.legend(fontsize=8)
    ax.grid(alpha=0.3)
plt.tight_layout()
plt.show()

# %%
clipped_model, _, _, clipped_val = runs[1.0]
below = clipped_val < add_baseline["val"]
print("clipped run, validation MSE per epoch: " + " ".join(f"{v:.4f}" for v in clipped_val))
print(f"epochs below the baseline's {add_baseline['val']:.4f}: {int(below.sum())} of {EPOCHS_ADD}")
pred_te = clipped_model.predict(xa_te, verbose=0)[:, 0]
mse = lambda y, p: float(np.mean((y - p) ** 2))  # noqa: E731
clip_test = helpers.stats.bootstrap_ci(ya_te, pred_te, mse)
vs_baseline = helpers.stats.paired_bootstrap(ya_te, pred_te, np.full_like(ya_te, ya_tr.mean()), mse)
print(
    f"test MSE on {len(ya_te)} sequences: clipped ReLU RNN {clip_test}, baseline {add_baseline['test']:.4f}"
)
print(f"clipped RNN minus baseline: {vs_baseline}")

# %% [markdown]
# Without clipping, the very first update has a global gradient norm of about $10^4$ (the largest
# finite value printed); the step it takes throws the weights so far that the loss and the gradient are
# non-finite from the update printed above on, and the run never recovers: it has no finite validation
# error at all (the dashed line in the left panel, the missing curve on the right). With
# `global_clipnorm=1.0` the same first gradient is scaled down to norm 1, and training stays finite for
# all updates, although the gradient norm stays above $\tau$ at almost every update (mostly between 1
# and 100, left panel): clipping is active nearly all the time, cutting every step to norm 1.
#
# Does the clipped run *learn* the adding problem? Measured against the baseline over all epochs, no:
# its validation MSE wanders up and down around the baseline's (below it in only the printed number of
# epochs), and it ends on its highest value of all. The test set is scored with the
# weights after that last epoch (no early stopping and no best-weights restore in this hand-written
# loop), and that final test MSE is *worse* than predicting the training mean, with a paired bootstrap
# interval of the difference that excludes 0. The weights of a better epoch might have tied or beaten
# the baseline on test, but no epoch comes anywhere near solving the task (an MSE close to 0). Clipping rescued training from the blow-up; it did not
# make this ReLU network solve the task in 12 epochs. It also does nothing against *vanishing*
# gradients, which is the job of the LSTM's gates (notebook 04).
#
# ## Summary
#
# - BPTT multiplies one Jacobian $J_j = \operatorname{diag}(\tanh'(a_j))\,U^\top$ per step, newest on the left: $\partial h_t/\partial h_k = J_t \cdots J_{k+1}$; gradients change exponentially with the lag.
# - The spectral radius $\rho(U)$ sets the long-run rate; the largest singular value $\sigma_{\max}(U)$ bounds every step. Pascanu et al.: $\sigma_{\max} < 1$ is sufficient for vanishing, $\sigma_{\max} > 1$ necessary for exploding. For random matrices $\sigma_{\max} \approx 2\rho$.
# - "tanh' ≤ 1 can only shrink the product" is false for non-normal matrices; only the bound $\sigma_{\max}(U)^{t-k}$ is guaranteed.
# - A `SimpleRNN` barely feels an input 100 steps back; notebook 04 builds a cell that keeps this signal.
# - Exploding gradients make the loss jump to `nan`; clipping the global norm (`global_clipnorm`) keeps the direction and bounds the step, but it does not make the model learn the task.
#
# ## Exercises
#
# 1. **An orthogonal recurrent matrix.** Replace `U0` by a random orthogonal matrix (the Q of a QR
#    decomposition) and compute the norms with linear units. What do you expect, and what do you get?
# 2. **Check the bound.** For tanh units and $\rho = 1.3$, verify numerically that
#    $\lVert \partial h_T/\partial h_{T-k}\rVert_2 \le \sigma_{\max}(U)^k$ for every lag $k$.
# 3. **Value clipping changes the direction.** Take a gradient vector with one huge component, clip it
#    by norm (to 1) and by value (to ±1), and print the cosine similarity of each with the original.

# %% [markdown] tags=["solution"]
# ## Solutions

# %% tags=["solution"]
# Exercise 1
Q, _ = np.linalg.qr(np.random.default_rng(1).normal(size=(H, H)))
n_orth = jacobian_norms(Q, "linear")
print(f"orthogonal U, linear units: min norm {n_orth.min():.6f}, max norm {n_orth.max():.6f}")

# %% [markdown] tags=["solution"]
# Every power of an orthogonal matrix is orthogonal, so all singular values stay exactly 1 and the
# norm is 1 at every lag: nothing vanishes or explodes. This is the idea behind orthogonal
# initialisation (Keras' default `recurrent_initializer` for `SimpleRNN` and `LSTM`) and unitary RNNs;
# with tanh units the product can then only shrink or stay level, because every factor
# $\operatorname{diag}(\tanh')\,Q^\top$ has norm $\max \tanh' \le 1$ (the bound of section 1 with $\sigma_{\max} = 1$;
# for an orthogonal matrix the non-normal effect of section 1 cannot occur).

# %% tags=["solution"]
# Exercise 2
U13 = 1.3 * U0
sigma_max = np.linalg.norm(U13, 2)
bound = sigma_max ** np.arange(1, T_LAG + 1)
print(
    f"σ_max(U) = {sigma_max:.3f} (ρ(U) = 1.3);  bound holds at every lag: "
    f"{np.all(norms[('tanh', 1.3)] <= bound * (1 + 1e-9))}"
)

# %% tags=["solution"]
# Exercise 3
g = np.array([0.3, -0.2, 50.0, 0.1])
by_norm = g * min(1.0, 1.0 / np.linalg.norm(g))
by_value = np.clip(g, -1.0, 1.0)
for name, v in (("clip by norm", by_norm), ("clip by value", by_value)):
    print(
        f"{name:13s}: {np.round(v, 3)}  cosine with the original = {g @ v / np.linalg.norm(g) / np.linalg.norm(v):.3f}"
    )

# %% [markdown] tags=["solution"]
# Norm clipping keeps the direction (cosine 1) and only shortens the step; value clipping lets the
# small components weigh as much as the huge one and turns the step away from the gradient.

# %%
# long-cell: one experiment that runs as a unit
helpers.record_results(
    "03_vanishing_and_exploding_gradients",
    data_sizes={
        "first_sign_train": n_sign["train"],
        "first_sign_test": n_sign["test"],
        "adding_train": n_add,
        "adding_test": len(ya_te),
    },
    headline={
        "first_sign_test_acc_simplernn": rnn_acc.as_dict(),
        "first_sign_test_acc_baseline": baseline_acc.as_dict(),
        "adding_test_mse_clipped": clip_test.as_dict(),
        "adding_test_mse_baseline": add_baseline["test"],
    },
    sigma_max_over_rho=float(np.linalg.norm(U0, 2)),
    grad_first_input_simplernn={
        "untrained": float(grads_init[0]),
        "trained": float(grads_trained[0]),
    },
    adding_clipped_minus_baseline={
        "difference": vs_baseline.difference,
        "ci95": [vs_baseline.low, vs_baseline.high],
        "p_value": vs_baseline.p_value,
    },
    adding_unclipped_first_nonfinite_update=int(np.flatnonzero(~np.isfinite(runs[None][2]))[0] + 1)
    if not np.isfinite(runs[None][2]).all()
    else None,
    adding_val_mse_clipped_per_epoch=[float(v) for v in clipped_val],
)

# %% [markdown]
# ## Further reading
#
# - Bengio, Simard & Frasconi (1994), *Learning long-term dependencies with gradient descent is
#   difficult*, IEEE Trans. Neural Networks 5(2).
# - Hochreiter (1991), *Untersuchungen zu dynamischen neuronalen Netzen* (diploma thesis), and
#   Hochreiter & Schmidhuber (1997), *Long short-term memory*, Neural Computation 9(8).
# - Pascanu, Mikolov & Bengio (2013), *On the difficulty of training recurrent neural networks*, ICML.
# - Trefethen & Embree (2005), *Spectra and Pseudospectra: the behavior of nonnormal matrices and
#   operators*, Princeton University Press — why eigenvalues alone mislead for non-normal matrices.
