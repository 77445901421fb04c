# ---
# jupyter:
#   jupytext:
#     formats: ipynb,py:percent
#     text_representation:
#       extension: .py
#       format_name: percent
#       format_version: '1.3'
#       jupytext_version: 1.19.6
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # 03 · Vanishing and exploding gradients
#
# Backpropagation through time multiplies one Jacobian per step, and a product of many matrices
# rarely stays the same size: it shrinks towards zero or blows up. This notebook measures both
# effects, first in a NumPy RNN whose recurrent matrix we control, then in real Keras models, and
# shows the standard cure for the exploding side, gradient clipping.
#
# **You will learn**
# - why the size of $\partial h_t / \partial h_k$ is governed by the recurrent matrix and the activation's derivative;
# - how the gradient norm decays or grows with the time lag as the spectral radius crosses 1;
# - how the gradient with respect to early inputs compares in a `SimpleRNN` and an `LSTM`;
# - what gradient norm clipping does, and how to switch it on in Keras (`clipnorm`, `global_clipnorm`).
#
# **Prerequisites**: [02 · RNNs and BPTT](02_rnn_and_bptt.ipynb) (the Jacobian product of section 3
# there); eigenvalues and matrix norms.
#
# **Time to run**: about 40 s in the full profile, under 30 s in the smoke profile
# (2 CPU cores, TensorFlow import included).

# %%
import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import keras
import matplotlib.pyplot as plt
import numpy as np
import tensorflow as tf

import helpers
from helpers.training import EpochLogger

tf.get_logger().setLevel("ERROR")  # no retracing notices when several small models are trained in a row
SEED = helpers.set_seed(42)
print(f"profile: {helpers.get_profile()}  seed: {SEED}  TensorFlow {tf.__version__}  Keras {keras.__version__}")

# %% [markdown]
# ## 1. A product of Jacobians
#
# For the vanilla RNN $h_t = \tanh(x_t W + h_{t-1} U + b)$ of notebook 02, the error at step $t$
# reaches an earlier state $h_k$ through
#
# $$\frac{\partial h_t}{\partial h_k} = \prod_{j=k+1}^{t} \frac{\partial h_j}{\partial h_{j-1}},
# \qquad \frac{\partial h_j}{\partial h_{j-1}} = \operatorname{diag}\!\big(\tanh'(a_j)\big)\,U^\top,
# \qquad 0 < \tanh'(a) = 1 - \tanh^2(a) \le 1 .$$
#
# Two things set the size of this product of $t-k$ factors:
#
# - **the recurrent matrix.** Without the activation the product is $(U^\top)^{t-k}$, whose norm
#   behaves like $\rho(U)^{t-k}$, where the spectral radius $\rho(U)$ is the largest $|\lambda|$ among
#   the eigenvalues of $U$. So it decays exponentially if $\rho < 1$ and grows exponentially if $\rho > 1$.
# - **the activation's derivative.** Every factor also contains $\operatorname{diag}(\tanh'(a_j))$,
#   which can only shrink: $\lVert \partial h_t/\partial h_k \rVert \le \sigma_{\max}(U)^{t-k}$, with
#   $\sigma_{\max}$ the largest singular value. Saturated units ($|a| \gg 1$, $\tanh' \approx 0$)
#   shrink it further.
#
# Bengio, Simard & Frasconi (1994) showed that this is unavoidable for a network that stores
# information robustly, and Pascanu, Mikolov & Bengio (2013) turned the bound into the condition
# above: $\sigma_{\max}(U) < 1$ is *sufficient* for vanishing, $\sigma_{\max}(U) > 1$ *necessary*
# for exploding. We measure it: a random $64 \times 64$ matrix rescaled to a chosen spectral radius,
# random inputs, and $\lVert \partial h_T/\partial h_{T-k} \rVert_2$ for every lag $k$.

# %%
H, T_LAG = 64, 60
rng = np.random.default_rng(SEED)
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
    for d in reversed(derivs):  # multiply one Jacobian per step, newest first
        M = M @ (d[:, None] * U.T)
        norms.append(np.linalg.norm(M, 2))
    return np.array(norms)


radii = [0.8, 0.9, 1.0, 1.1, 1.3]
norms = {(act, r): jacobian_norms(r * U0, act) for act in ("linear", "tanh") for r in radii}
for (act, r), n in norms.items():
    print(f"{act:6s} ρ(U) = {r:.1f}:  lag 1: {n[0]:.2e}   lag 20: {n[19]:.2e}   lag {T_LAG}: {n[-1]:.2e}")

# %%
# extra code: gradient norm against time lag, log scale
fig, axes = plt.subplots(1, 2, figsize=(12, 3.8), sharey=True)
colors = plt.cm.coolwarm(np.linspace(0, 1, len(radii)))
for ax, act in zip(axes, ("linear", "tanh"), strict=True):
    for r, col in zip(radii, colors, strict=True):
        ax.semilogy(np.arange(1, T_LAG + 1), norms[(act, r)], color=col, lw=2, label=f"ρ(U) = {r}")
    ax.set(title=f"{act} units", xlabel="time lag k (from h_{T−k} to h_T)")
    ax.grid(alpha=0.3, which="both")
axes[0].set_ylabel("‖∂h_T / ∂h_{T−k}‖₂  (log)")
axes[1].legend(loc="lower left", fontsize=8)
plt.tight_layout()
plt.show()

# %% [markdown]
# With linear units the picture is the textbook one: on a log scale each curve is close to a straight
# line with slope $\log \rho$, falling for $\rho < 1$ and rising for $\rho > 1$; at $\rho = 1$ it
# stays within a modest range. With tanh units every curve lies on or below its linear counterpart
# (the derivative factors are at most 1), and for $\rho > 1$ the growth is tamed or reversed because
# large pre-activations saturate the units. The printed lag-20 and lag-60 values show the gap between
# the radii growing with the lag: whatever the error signal is at step $T$, its influence on a weight
# update 60 steps back is scaled by these numbers.
#
# ## 2. Gradients with respect to the inputs in Keras models
#
# Now real Keras layers with their default initialisation, on a task where the answer depends on
# the **first** step of a long sequence: each input $x_t$ is Gaussian noise, and the label is
# $1$ if $x_1 > 0$, else $0$. Every later step is a distraction. For a model $f$ and the binary
# cross-entropy loss we compute, with `tf.GradientTape`, the average norm
# $\lVert \partial \text{loss} / \partial x_t \rVert$ for every $t$: how much the loss can feel each
# input.
#
# Besides `SimpleRNN(32)` and `LSTM(32)` we add an LSTM whose forget-gate bias starts at 3 instead of
# Keras' default 1 (`unit_forget_bias=True` adds 1). Notebook 04 explains why that single number
# matters: along the cell state, the gradient is multiplied by the forget gate $f_t = \sigma(\cdot)$ at
# every step, about $\sigma(1) \approx 0.73$ by default and $\sigma(3) \approx 0.95$ with the larger bias.

# %%
T_SEQ = helpers.pick(full=100, smoke=20)
n_train, n_val, n_test = helpers.pick(full=2000, smoke=128), helpers.pick(full=500, smoke=64), helpers.pick(full=1000, smoke=64)


def first_sign_task(n):
    x = rng.normal(size=(n, T_SEQ, 1)).astype("float32")
    return x, (x[:, 0, 0] > 0).astype("float32")[:, None]


(x_tr, y_tr), (x_va, y_va), (x_te, y_te) = (first_sign_task(n) for n in (n_train, n_val, n_test))


def make_model(kind):
    keras.utils.set_random_seed(SEED)
    layer = keras.layers.SimpleRNN(32) if kind == "SimpleRNN" else keras.layers.LSTM(32)
    model = keras.Sequential([keras.Input((T_SEQ, 1)), layer, keras.layers.Dense(1, activation="sigmoid")])
    if kind == "LSTM, forget bias 3":
        W, U, b = layer.get_weights()
        b[32:64] = 3.0  # the forget-gate block (gate order i, f, c, o)
        layer.set_weights([W, U, b])
    model.compile(optimizer=keras.optimizers.Adam(3e-3), loss="binary_crossentropy", metrics=["accuracy"])
    return model


def input_grad_norms(model, x, y):
    """Mean over examples of ‖∂loss/∂x_t‖ for every step t."""
    x = tf.constant(x)
    with tf.GradientTape() as tape:
        tape.watch(x)
        loss = tf.reduce_mean(keras.losses.binary_crossentropy(y, model(x)))
    return np.linalg.norm(tape.gradient(loss, x).numpy(), axis=2).mean(axis=0)


kinds = ["SimpleRNN", "LSTM", "LSTM, forget bias 3"]
models = {k: make_model(k) for k in kinds}
grads_init = {k: input_grad_norms(m, x_va[:256], y_va[:256]) for k, m in models.items()}
for k, g in grads_init.items():
    print(f"untrained {k:20s} ‖∂loss/∂x_1‖ = {g[0]:.1e}   ‖∂loss/∂x_T‖ = {g[-1]:.1e}   ratio first/last = {g[0] / g[-1]:.1e}")

# %% [markdown]
# Next we train each model for a few epochs on the same data (validation split carved from the
# training distribution, independent test sequences kept for the end) and measure the gradients again.

# %%
EPOCHS = helpers.pick(full=6, smoke=1)
histories = {}
for k, m in models.items():
    print(k)
    histories[k] = m.fit(x_tr, y_tr, validation_data=(x_va, y_va), epochs=EPOCHS, batch_size=64, verbose=0,
                         callbacks=[EpochLogger(every=2, metrics=("loss", "val_accuracy"))])
grads_trained = {k: input_grad_norms(m, x_va[:256], y_va[:256]) for k, m in models.items()}

# %%
# extra code: gradient norm per input step, before and after training
fig, axes = plt.subplots(1, 2, figsize=(12, 3.8), sharey=True)
for ax, (title, g) in zip(axes, (("untrained", grads_init), (f"after {EPOCHS} epochs", grads_trained)), strict=True):
    for k in kinds:
        ax.semilogy(np.arange(1, T_SEQ + 1), g[k], lw=2, label=k)
    ax.set(title=f"‖∂loss/∂x_t‖, {title}", xlabel="input step t (the label depends on t = 1)")
    ax.grid(alpha=0.3, which="both")
axes[0].set_ylabel("mean gradient norm (log)")
axes[0].legend()
plt.tight_layout()
plt.show()

# %%
baseline = max(y_tr.mean(), 1 - y_tr.mean())  # always predict the majority class of the training labels
print(f"test accuracy on {n_test} sequences of length {T_SEQ}:  majority-class baseline {baseline:.3f}")
test_acc = {}
for k, m in models.items():
    test_acc[k] = m.evaluate(x_te, y_te, verbose=0)[1]
    print(f"  {k:20s} {test_acc[k]:.3f}   (‖∂loss/∂x_1‖ after training: {grads_trained[k][0]:.1e})")

# %% [markdown]
# Read the plot from right to left, from the last input back to the first, and compare the printed
# first/last ratios. For the `SimpleRNN` and the default `LSTM` the loss feels $x_1$, the only input
# that matters, far more weakly than the last inputs, which are pure noise: the signal that would
# teach the network to look at $x_1$ has vanished on its way back. The default LSTM is *not* immune:
# its forget gates start near $\sigma(1) \approx 0.73$, and $0.73^{T}$ is tiny for long sequences.
# The LSTM whose forget bias starts at 3 keeps a first/last ratio orders of magnitude larger, and the
# printed test accuracies show which models turned that signal into a solution within the same few
# epochs. The LSTM architecture makes a long memory *possible* (the gradient along $c_t$ is a product
# of forget gates the network can hold near 1); whether it is *used* also depends on initialisation
# and training.
#
# ## 3. Exploding gradients and clipping
#
# The opposite failure: when $\sigma_{\max}(U) > 1$ and the units do not saturate, the gradient can
# grow exponentially with the lag, and a single huge step throws the weights far away; the loss jumps
# to `inf` or `nan` and training is over. ReLU units, whose derivative is exactly 1 when active, make
# this easy to provoke. We train a `SimpleRNN(32, activation="relu")` with recurrent matrix
# initialised orthogonal with gain 1.5 (so $\sigma_{\max}(U) = 1.5$) on the **adding problem**: the
# input has two channels, a value $v_t \sim U(0, 1)$ and a marker that is 1 at two random steps (one in
# each half of the sequence); the target is the sum of the two marked values. The best constant
# prediction has a mean squared error equal to the variance of the target, about $1/6$.
#
# Pascanu, Mikolov & Bengio (2013) proposed a simple fix: if the gradient norm exceeds a threshold
# $\tau$, rescale it to norm $\tau$, keeping its direction:
#
# $$g \leftarrow \frac{\tau}{\lVert g \rVert}\, g \quad \text{if } \lVert g \rVert > \tau .$$
#
# Keras optimizers do this with `clipnorm=τ` (each weight tensor separately) or `global_clipnorm=τ`
# (the norm of all gradients together, as in the paper). `clipvalue` instead clips every component,
# which changes the direction.

# %%
T_ADD = helpers.pick(full=50, smoke=50)
n_add = helpers.pick(full=2000, smoke=256)


def adding_problem(n):
    v = rng.uniform(size=(n, T_ADD))
    marks = np.zeros((n, T_ADD))
    rows = np.arange(n)[:, None]
    marks[rows, np.stack([rng.integers(0, T_ADD // 2, n), rng.integers(T_ADD // 2, T_ADD, n)], axis=1)] = 1
    return np.stack([v, marks], axis=-1).astype("float32"), (v * marks).sum(axis=1, keepdims=True).astype("float32")


(xa_tr, ya_tr), (xa_va, ya_va), (xa_te, ya_te) = (adding_problem(n) for n in (n_add, n_add // 4, n_add // 2))
print(f"baseline (predict the training mean): validation MSE {np.mean((ya_va - ya_tr.mean()) ** 2):.4f}")

# %%
def relu_rnn(clip=None):
    keras.utils.set_random_seed(SEED)
    model = keras.Sequential([
        keras.Input((T_ADD, 2)),
        keras.layers.SimpleRNN(32, activation="relu", recurrent_initializer=keras.initializers.Orthogonal(gain=1.5)),
        keras.layers.Dense(1),
    ])
    model.compile(optimizer=keras.optimizers.SGD(learning_rate=0.01, global_clipnorm=clip), loss="mse")
    return model


EPOCHS_ADD = helpers.pick(full=12, smoke=2)
clip_runs = {}
for clip in (None, 1.0):
    print(f"global_clipnorm = {clip}")
    clip_runs[clip] = relu_rnn(clip).fit(xa_tr, ya_tr, validation_data=(xa_va, ya_va), epochs=EPOCHS_ADD,
                                          batch_size=32, verbose=0, callbacks=[EpochLogger(every=3)]).history

# %%
# extra code: the two loss curves
fig, ax = plt.subplots(figsize=(6.5, 3.6))
for clip, hist in clip_runs.items():
    losses = np.nan_to_num(np.array(hist["val_loss"], dtype=float), nan=np.inf)
    ax.semilogy(np.arange(1, len(losses) + 1), losses, "o-", label=f"global_clipnorm = {clip}")
ax.axhline(np.mean((ya_va - ya_tr.mean()) ** 2), color="grey", ls=":", label="baseline: predict the mean")
ax.set(xlabel="epoch", ylabel="validation MSE (log)", title="ReLU RNN, adding problem: with and without clipping")
ax.legend()
ax.grid(alpha=0.3, which="both")
plt.show()

# %%
mse_baseline = np.mean((ya_va - ya_tr.mean()) ** 2)
for clip, hist in clip_runs.items():
    finite = np.isfinite(hist["loss"]).all()
    print(f"global_clipnorm = {clip}: training loss finite in every epoch: {finite};  "
          f"last validation MSE = {hist['val_loss'][-1]:.4f}  below the baseline {mse_baseline:.4f}: "
          f"{hist['val_loss'][-1] < mse_baseline}")

# %% [markdown]
# Without clipping the loss is `nan` from the first epoch on (a non-finite value has no point on the
# log-scale plot): one exploding step destroyed the weights. With `global_clipnorm=1.0` the same
# model, same data, same learning rate trains; the printed last validation MSE tells whether it also
# beats the predict-the-mean baseline within these few epochs. Clipping only rescues training from
# the spikes; it does nothing against *vanishing* gradients, which is the job of the LSTM's gates.
#
# ## Summary
#
# - BPTT multiplies one Jacobian $\operatorname{diag}(\tanh'(a_j))\,U^\top$ per step, so gradients change exponentially with the time lag.
# - $\sigma_{\max}(U) < 1$ guarantees vanishing; $\sigma_{\max}(U) > 1$ is needed for exploding; saturating activations push towards vanishing.
# - Measured on Keras models: the loss barely feels early inputs; a default LSTM can vanish too, a larger forget-gate bias keeps the path open.
# - Exploding gradients make the loss jump to `nan`; clip the gradient norm (`global_clipnorm` / `clipnorm`) to keep the direction and bound the step.
#
# ## Exercises
#
# 1. **An orthogonal recurrent matrix.** Replace `U0` by a random orthogonal matrix (the Q of a QR
#    decomposition) and compute the norms with linear units. What do you expect, and what do you get?
# 2. **Check the bound.** For tanh units and $\rho = 1.3$, verify numerically that
#    $\lVert \partial h_T/\partial h_{T-k}\rVert_2 \le \sigma_{\max}(U)^k$ for every lag $k$.
# 3. **Value clipping changes the direction.** Take a gradient vector with one huge component, clip it
#    by norm (to 1) and by value (to ±1), and print the cosine similarity of each with the original.
#
# ## Solutions

# %%
# Exercise 1
Q, _ = np.linalg.qr(rng.normal(size=(H, H)))
n_orth = jacobian_norms(Q, "linear")
print(f"orthogonal U, linear units: min norm {n_orth.min():.6f}, max norm {n_orth.max():.6f}")

# %% [markdown]
# Every power of an orthogonal matrix is orthogonal, so all singular values stay exactly 1 and the
# norm is 1 at every lag: nothing vanishes or explodes. This is the idea behind orthogonal
# initialisation (Keras' default `recurrent_initializer` for `SimpleRNN` and `LSTM`) and unitary RNNs;
# with a saturating activation the product still shrinks, as section 1 showed.

# %%
# Exercise 2
U13 = 1.3 * U0
sigma_max = np.linalg.norm(U13, 2)
bound = sigma_max ** np.arange(1, T_LAG + 1)
print(f"σ_max(U) = {sigma_max:.3f} (ρ(U) = 1.3);  bound holds at every lag: {np.all(norms[('tanh', 1.3)] <= bound * (1 + 1e-9))}")

# %%
# Exercise 3
g = np.array([0.3, -0.2, 50.0, 0.1])
by_norm = g * min(1.0, 1.0 / np.linalg.norm(g))
by_value = np.clip(g, -1.0, 1.0)
for name, v in (("clip by norm", by_norm), ("clip by value", by_value)):
    print(f"{name:13s}: {np.round(v, 3)}  cosine with the original = {g @ v / np.linalg.norm(g) / np.linalg.norm(v):.3f}")

# %% [markdown]
# Norm clipping keeps the direction (cosine 1) and only shortens the step; value clipping lets the
# small components weigh as much as the huge one and turns the step away from the gradient.

# %%
_ = helpers.record_results(
    "03_vanishing_and_exploding_gradients",
    data_sizes={"first_sign_train": n_train, "first_sign_test": n_test, "adding_train": n_add},
    headline={f"first_sign_test_acc_{k}": v for k, v in test_acc.items()} | {"baseline": baseline},
    grad_first_input_untrained={k: float(g[0]) for k, g in grads_init.items()},
    grad_first_input_trained={k: float(g[0]) for k, g in grads_trained.items()},
    adding_val_mse={str(c): float(h["val_loss"][-1]) for c, h in clip_runs.items()},
)

# %% [markdown]
# ## Further reading
#
# - Bengio, Simard & Frasconi (1994), *Learning long-term dependencies with gradient descent is
#   difficult*, IEEE Trans. Neural Networks 5(2).
# - Hochreiter (1991), *Untersuchungen zu dynamischen neuronalen Netzen* (diploma thesis), and
#   Hochreiter & Schmidhuber (1997), *Long short-term memory*, Neural Computation 9(8).
# - Pascanu, Mikolov & Bengio (2013), *On the difficulty of training recurrent neural networks*, ICML.
# - Gers, Schmidhuber & Cummins (2000), *Learning to forget: continual prediction with LSTM*,
#   Neural Computation 12(10) — the forget gate.
# - Jozefowicz, Zaremba & Sutskever (2015), *An empirical exploration of recurrent network
#   architectures*, ICML — the forget-gate bias of 1 that Keras uses by default.
