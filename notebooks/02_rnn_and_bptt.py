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
# - what truncated BPTT is and when it is used.
#
# **Prerequisites**: [01 · Gradient descent](01_gradient_descent.ipynb) (the update rule and
# `tf.GradientTape`); matrix products and the chain rule.
#
# **Time to run**: about 10 s in the full profile, under 15 s in the smoke profile
# (2 CPU cores, TensorFlow import included).

# %%
import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import keras
import matplotlib.pyplot as plt
import numpy as np
import tensorflow as tf

import helpers
from helpers import numpy_rnn

SEED = helpers.set_seed(42)
print(f"profile: {helpers.get_profile()}  seed: {SEED}  TensorFlow {tf.__version__}  Keras {keras.__version__}")

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


rng = np.random.default_rng(SEED)
x_demo = rng.normal(size=(2, 5, 3)).astype("float32")  # batch 2, T = 5, D = 3
layer = keras.layers.SimpleRNN(4, return_sequences=True)  # H = 4
keras_states = layer(x_demo).numpy()
W, U, b = layer.get_weights()
print("kernel W", W.shape, " recurrent_kernel U", U.shape, " bias b", b.shape)
ours = rnn_step_by_step(x_demo, W, U, b)
print(f"max |Δ| NumPy vs Keras SimpleRNN: {np.abs(ours - keras_states).max():.1e}")
print(f"max |Δ| helpers.numpy_rnn.rnn_forward vs Keras: {np.abs(numpy_rnn.rnn_forward(x_demo, W, U, b)[0] - keras_states).max():.1e}")

# %% [markdown]
# ## 2. The unrolled graph and the sequence loss
#
# Because the weights are shared, we can draw the network **unrolled** in time: one copy of the
# cell per step, each passing $h_t$ to the next. The unrolled graph is an ordinary feed-forward
# network that is $T$ layers deep, with the twist that all layers use the same $W$, $U$, $b$.
#
# For a sequence-to-sequence task we add a linear read-out $\hat y_t = h_t V + c$ at every step and
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
    for y, label, color in ((0, f"$x_{s}$", "#dbe9f6"), (1.3, f"$h_{s}$", "#fde2c8"), (2.6, f"$E_{s}$", "#e3f1de")):
        ax.add_patch(plt.Rectangle((xc - 0.4, y - 0.3), 0.8, 0.6, fc=color, ec="black"))
        ax.text(xc, y, label, ha="center", va="center", fontsize=13)
    ax.annotate("", (xc, 1.0), (xc, 0.3), arrowprops=dict(arrowstyle="->"))
    ax.annotate("", (xc, 2.3), (xc, 1.6), arrowprops=dict(arrowstyle="->"))
    ax.text(xc + 0.08, 0.62, "W", fontsize=10)
    ax.text(xc + 0.08, 1.9, "V, c", fontsize=10)
    left = xc - 2.2 + 0.4 if k else 0.35
    ax.annotate("", (xc - 0.4, 1.3), (left, 1.3), arrowprops=dict(arrowstyle="->"))
    ax.text((left + xc - 0.4) / 2, 1.4, "U", ha="center", fontsize=10)
ax.text(0.1, 1.3, "$h_0$", ha="center", va="center", fontsize=13)
ax.text(1.6 + 2.2 * 2.5, 0.95, "⋯", ha="center", va="center", fontsize=16)  # steps 4 … T−1
ax.set(xlim=(-0.2, 9.0), ylim=(-0.5, 3.1))
ax.axis("off")
ax.set_title("The RNN unrolled over T steps: the same W, U, b (and V, c) at every step")
plt.show()

# %% [markdown]
# The only path from $h_1$ to the loss $E_T$ at the last step runs through every hidden state in
# between. That path is what backpropagation through time has to follow.
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
# an earlier state $h_k$ through a product of $t-k$ Jacobians,
#
# $$\frac{\partial E_t}{\partial h_k} = \frac{\partial E_t}{\partial h_t}
# \prod_{j=t}^{k+1} \frac{\partial h_j}{\partial h_{j-1}}, \qquad
# \frac{\partial h_j}{\partial h_{j-1}} = \operatorname{diag}(1 - h_j^2)\, U^\top
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
def bptt(x, y, W, U, b, V, c):
    """Loss and gradients of E = (1/N) Σ_n Σ_t ½‖h_t V + c − y_t‖² for a vanilla RNN."""
    N, T, _ = x.shape
    hs = rnn_step_by_step(x, W, U, b)
    h_prev = np.concatenate([np.zeros_like(hs[:, :1]), hs[:, :-1]], axis=1)  # h_{t-1}
    err = (hs @ V + c - y) / N  # ∂E/∂ŷ_t
    g = {"W": 0 * W, "U": 0 * U, "b": 0 * b, "V": np.einsum("nth,nto->ho", hs, err), "c": err.sum((0, 1))}
    delta_next = np.zeros_like(hs[:, 0])  # (δ_{t+1} ⊙ (1 − h_{t+1}²)) U^T, zero after the last step
    for t in reversed(range(T)):
        delta = err[:, t] @ V.T + delta_next  # δ_t
        eps = delta * (1 - hs[:, t] ** 2)  # ε_t = ∂E/∂a_t
        g["W"] += x[:, t].T @ eps
        g["U"] += h_prev[:, t].T @ eps
        g["b"] += eps.sum(0)
        delta_next = eps @ U.T
    loss = 0.5 * np.sum((hs @ V + c - y) ** 2) / N
    return loss, g

# %% [markdown]
# We test it on a small problem in float64: $N = 3$ sequences, $T = 8$, $D = 2$ inputs, $H = 5$
# hidden units, one output. The same function lives in the helpers package as
# `helpers.numpy_rnn.rnn_bptt` (which also returns $\partial E/\partial x_t$, used in notebook 03).

# %%
N, T, D, H, K = 3, 8, 2, 5, 1
params = {
    "W": rng.normal(scale=0.5, size=(D, H)),
    "U": rng.normal(scale=0.5, size=(H, H)),
    "b": rng.normal(scale=0.1, size=H),
    "V": rng.normal(scale=0.5, size=(H, K)),
    "c": rng.normal(scale=0.1, size=K),
}
x_chk, y_chk = rng.normal(size=(N, T, D)), rng.normal(size=(N, T, K))
loss, grads = bptt(x_chk, y_chk, **params)
_, helper_grads = numpy_rnn.rnn_bptt(x_chk, y_chk, *(params[k] for k in "WUbVc"))
print(f"loss = {loss:.6f}")
print("same gradients as helpers.numpy_rnn.rnn_bptt:", all(np.allclose(grads[k], helper_grads[k]) for k in grads))

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
print(f"BPTT matches central finite differences (relative error < 1e-6): {max(rel_fd.values()) < 1e-6}")

# %% [markdown]
# ## 6. Gradient check 2: `tf.GradientTape` on the same weights
#
# Now an independent implementation: a Keras `SimpleRNN` plus a `Dense` read-out, both in float64,
# loaded with *our* weights, and differentiated by TensorFlow's automatic differentiation.

# %%
rnn64 = keras.layers.SimpleRNN(H, return_sequences=True, dtype="float64")
dense64 = keras.layers.Dense(K, dtype="float64")
rnn64.build((None, T, D))
dense64.build((None, T, H))
rnn64.set_weights([params["W"], params["U"], params["b"]])
dense64.set_weights([params["V"], params["c"]])
with tf.GradientTape() as tape:
    y_hat = dense64(rnn64(tf.constant(x_chk)))
    tf_loss = 0.5 * tf.reduce_sum((y_hat - y_chk) ** 2) / N
tf_grads = dict(zip("WUbVc", tape.gradient(tf_loss, [*rnn64.trainable_weights, *dense64.trainable_weights]), strict=True))
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
# two steps ago, $y_t = x_{t-2}$ (and $0$ for the first two steps). The network can only solve it by
# storing past inputs in $h_t$. We train with mini-batch gradient descent and compare with the
# baseline that always predicts $0$ (the best constant, since the inputs have mean zero), on freshly
# drawn test sequences.

# %%
def delay_task(n, T=12, delay=2):
    x = rng.normal(size=(n, T, 1))
    y = np.zeros_like(x)
    y[:, delay:] = x[:, :-delay]
    return x, y


n_train, n_test, n_steps = helpers.pick(full=512, smoke=64), helpers.pick(full=1000, smoke=100), helpers.pick(full=600, smoke=40)
x_tr, y_tr = delay_task(n_train)
x_te, y_te = delay_task(n_test)
theta = {"W": rng.normal(scale=0.5, size=(1, 16)), "U": rng.normal(scale=0.25, size=(16, 16)),
         "b": np.zeros(16), "V": rng.normal(scale=0.1, size=(16, 1)), "c": np.zeros(1)}
train_loss = []
for _ in range(n_steps):
    idx = rng.choice(n_train, size=32, replace=False)
    loss_b, g = bptt(x_tr[idx], y_tr[idx], **theta)
    theta = {k: theta[k] - 0.05 * g[k] for k in theta}
    train_loss.append(loss_b / 12 * 2)  # back to a per-step mean squared error
test_mse = np.mean((rnn_step_by_step(x_te, theta["W"], theta["U"], theta["b"]) @ theta["V"] + theta["c"] - y_te) ** 2)
print(f"{n_steps} steps: test MSE per step = {test_mse:.4f}   baseline 'predict 0' = {np.mean(y_te**2):.4f}   (n_test = {n_test})")

# %%
# extra code: training curve
fig, ax = plt.subplots(figsize=(6, 3.3))
ax.semilogy(train_loss, lw=0.8, label="training mini-batch MSE")
ax.axhline(np.mean(y_te**2), color="grey", ls=":", label="baseline: predict 0 (test)")
ax.axhline(test_mse, color="tab:red", ls="--", label="trained RNN (test)")
ax.set(xlabel="gradient step", ylabel="MSE per step (log)", title="Vanilla RNN trained with NumPy BPTT on y_t = x_{t-2}")
ax.legend()
ax.grid(alpha=0.3)
plt.show()

# %% [markdown]
# ## 8. Truncated BPTT
#
# Full BPTT stores every $h_t$ and walks back over all $T$ steps, so memory grows with $T$ and one
# update has to wait for the end of the sequence. For very long sequences (a language model reading
# a whole book, a sensor stream that never ends) this is impractical. **Truncated BPTT** limits how
# far the error flows back: the error of step $t$ is propagated at most $k$ steps, to
# $h_{t-k+1}$, and dropped beyond. The gradient becomes an approximation that ignores dependencies
# longer than $k$ steps, which is also exactly what the network can then learn to use.
#
# In practice the long sequence is cut into chunks of length $k$; the hidden state is carried from
# one chunk to the next (so the forward pass still sees the whole history), but gradients stop at
# chunk boundaries. In Keras this is a `stateful=True` recurrent layer fed consecutive chunks.
# Below, `rnn_bptt(..., truncate=k)` truncates each error term after $k$ steps; we measure how far
# the truncated gradient of $U$ is from the exact one on sequences of length 40.

# %%
x_long, y_long = delay_task(64, T=40)
args = (x_long, y_long, *(theta[k] for k in "WUbVc"))
_, exact = numpy_rnn.rnn_bptt(*args)
ks = [1, 2, 3, 4, 6, 8, 12, 20, 40]
trunc_err = [rel_error(numpy_rnn.rnn_bptt(*args, truncate=k)[1]["U"], exact["U"]) for k in ks]
for k, e in zip(ks, trunc_err, strict=True):
    print(f"truncate after k = {k:2d} steps: relative error of ∂E/∂U = {e:.2e}")

# %% [markdown]
# Truncating after one step gives a gradient far from the exact one (the network trained above relies
# on a two-step memory, and $k = 1$ cannot see it). The printed error falls steeply with $k$;
# once $k$ is a few times longer than the dependencies the trained network relies on, the truncated
# gradient is practically exact (the tail that is cut off has already decayed, the effect notebook 03
# studies). Pick $k$ longer than the longest dependency you want the model to learn.
#
# ## Summary
#
# - A vanilla RNN: $h_t = \tanh(x_t W + h_{t-1} U + b)$ with the same weights at every step; Keras stores them as `kernel`, `recurrent_kernel`, `bias`.
# - Unrolled, it is a $T$-layer feed-forward network with shared weights; the loss sums $E_t$ over steps.
# - BPTT: carry $\delta_t = \partial E/\partial h_t$ backwards, $\delta_t = (\hat y_t - y_t)V^\top + (\delta_{t+1} \odot (1-h_{t+1}^2))U^\top$, and sum the per-step weight gradients.
# - Always check a hand-written gradient: central differences (relative error around $10^{-9}$ here) and an autodiff framework (float64 rounding level here).
# - Truncated BPTT cuts the backward pass after $k$ steps: cheaper and streamable, blind to longer dependencies.
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
# 3. **Truncation vs delay.** Make the delay task harder (`delay=6`) and measure the relative error
#    of the truncated gradient of $U$ for $k = 2$ and $k = 8$ with the trained weights from section 7.
#
# ## Solutions

# %%
# Exercise 1: mask the error at every step but the last
mask = np.zeros((1, T, 1))
mask[:, -1] = 1


def bptt_last(x, y, **p):
    """BPTT for the end-only loss: zero the targets' errors before T by moving y onto the prediction."""
    hs = rnn_step_by_step(x, p["W"], p["U"], p["b"])
    y_eff = mask * y + (1 - mask) * (hs @ p["V"] + p["c"])  # error is zero wherever mask == 0
    return bptt(x, y_eff, **p)


loss_last, g_last = bptt_last(x_chk, y_chk, **params)
num_U = np.zeros_like(params["U"])
for idx in np.ndindex(num_U.shape):
    pp = {k: v.copy() for k, v in params.items()}
    pm = {k: v.copy() for k, v in params.items()}
    pp["U"][idx] += 1e-6
    pm["U"][idx] -= 1e-6
    hp, hm = (rnn_step_by_step(x_chk, q["W"], q["U"], q["b"])[:, -1] @ q["V"] + q["c"] for q in (pp, pm))
    num_U[idx] = (0.5 * np.sum((hp - y_chk[:, -1]) ** 2) - 0.5 * np.sum((hm - y_chk[:, -1]) ** 2)) / N / 2e-6
print(f"end-only loss: relative error of ∂E/∂U vs finite differences = {rel_error(g_last['U'], num_U):.1e}")

# %% [markdown]
# Moving the target onto the prediction makes the error exactly zero at the masked steps, so the
# unchanged BPTT code computes the end-only gradient (the substituted $y$ is treated as a constant,
# which is what we want). Since the hidden-to-output error now enters only at $t = T$, every
# gradient flows through the chain of Jacobians of section 3.

# %%
# Exercise 2
p_list = [params[k] for k in "WUbVc"]
_, gx = numpy_rnn.rnn_bptt(x_chk, y_chk, *p_list)
xp, xm = x_chk.copy(), x_chk.copy()
xp[0, 2, 1] += 1e-6
xm[0, 2, 1] -= 1e-6
fd = (numpy_rnn.rnn_loss(xp, y_chk, *p_list) - numpy_rnn.rnn_loss(xm, y_chk, *p_list)) / 2e-6
print(f"∂E/∂x[0, 2, 1]: BPTT {gx['x'][0, 2, 1]:+.8f}   finite differences {fd:+.8f}")
hs_chk = numpy_rnn.rnn_forward(x_chk, *p_list[:3])[0]
y_last = mask * y_chk + (1 - mask) * (hs_chk @ params["V"] + params["c"])
gx_last = numpy_rnn.rnn_bptt(x_chk, y_last, *p_list)[1]["x"]
norms = np.linalg.norm(gx_last, axis=(0, 2))
print("‖∂E_T/∂x_t‖ for t = 1..T:", np.array2string(norms, precision=4))
print(f"mean of the last 3 norms / mean of the first 3: {norms[-3:].mean() / norms[:3].mean():.0f}x")

# %% [markdown]
# The norms are not monotone (each step's Jacobian differs), but the inputs close to the loss get a
# much stronger signal than the early ones (the printed ratio), because each step back multiplies
# the error by one more Jacobian. Notebook 03 makes this precise.

# %%
# Exercise 3
x6, y6 = delay_task(64, T=40, delay=6)
args6 = (x6, y6, *(theta[k] for k in "WUbVc"))
exact6 = numpy_rnn.rnn_bptt(*args6)[1]["U"]
for k in (2, 8):
    print(f"delay 6, truncate k = {k}: relative error of ∂E/∂U = {rel_error(numpy_rnn.rnn_bptt(*args6, truncate=k)[1]['U'], exact6):.2e}")

# %% [markdown]
# With $k = 2$ the truncated gradient cannot contain the six-step dependency at all; with $k = 8$ it
# can, and the printed error is far smaller.

# %%
_ = helpers.record_results(
    "02_rnn_and_bptt",
    data_sizes={"train": n_train, "test": n_test},
    headline={"delay2_test_mse": test_mse, "delay2_baseline_mse": float(np.mean(y_te**2))},
    grad_check_rel_error_finite_differences=max(rel_fd.values()),
    grad_check_rel_error_tf=max(rel_tf.values()),
    truncated_bptt_rel_error={str(k): e for k, e in zip(ks, trunc_err, strict=True)},
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
