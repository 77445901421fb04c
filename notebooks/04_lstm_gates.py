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
# # 04 · The LSTM gates
#
# The long short-term memory cell adds a second state, the cell state $c_t$, that is updated only by
# an element-wise multiplication and an addition, and three gates that decide what to forget, what to
# write and what to show. This notebook writes the cell in NumPy, proves it computes exactly what
# `keras.layers.LSTM` computes, and then opens a trained LSTM to watch its gates at work.
#
# **You will learn**
# - the LSTM equations: forget, input and output gates, candidate, cell state, hidden state;
# - how Keras stores the LSTM weights (kernel, recurrent_kernel, bias; gate order i, f, c, o);
# - how to read gate activations of a trained network over time;
# - why the cell state is a "gradient highway", measured against a `SimpleRNN`;
# - how the GRU simplifies the cell, and what it saves in parameters.
#
# **Prerequisites**: [02 · RNNs and BPTT](02_rnn_and_bptt.ipynb) and
# [03 · Vanishing and exploding gradients](03_vanishing_and_exploding_gradients.ipynb).
#
# **Time to run**: about 30 s in the full profile, under 20 s in the smoke profile
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
from helpers.training import EpochLogger

tf.get_logger().setLevel("ERROR")
SEED = helpers.set_seed(42)
print(f"profile: {helpers.get_profile()}  seed: {SEED}  TensorFlow {tf.__version__}  Keras {keras.__version__}")

# %% [markdown]
# ## 1. The cell equations
#
# At step $t$ the cell reads the input $x_t$ and the previous hidden state $h_{t-1}$ and computes
# four vectors of size $H$ (rows, as in Keras; $\sigma$ is the logistic sigmoid, $\odot$ the
# element-wise product):
#
# $$
# \begin{aligned}
# i_t &= \sigma(x_t W_i + h_{t-1} U_i + b_i) &&\text{input gate: how much of the candidate to write}\\
# f_t &= \sigma(x_t W_f + h_{t-1} U_f + b_f) &&\text{forget gate: how much of the old cell state to keep}\\
# g_t &= \tanh(x_t W_g + h_{t-1} U_g + b_g) &&\text{candidate values}\\
# o_t &= \sigma(x_t W_o + h_{t-1} U_o + b_o) &&\text{output gate: how much of the cell to show}\\
# c_t &= f_t \odot c_{t-1} + i_t \odot g_t &&\text{cell state}\\
# h_t &= o_t \odot \tanh(c_t) &&\text{hidden state (the layer's output)}
# \end{aligned}
# $$
#
# The gates lie in $(0, 1)$ and act as soft switches. The cell state line carries information from
# step to step with only a multiplication by $f_t$ and an addition, as the figure shows (drawn by
# `tools/draw_lstm_cell.py`):
#
# ![The LSTM cell: the red cell-state line runs along the top; four layers (σ, σ, tanh, σ) read
# h_{t-1} and x_t and produce f_t, i_t, g_t, o_t](../images/04_lstm_cell.png)
#
# **How Keras stores it.** `keras.layers.LSTM(H)` keeps three arrays: `kernel` of shape $(D, 4H)$
# holding $[W_i\; W_f\; W_g\; W_o]$ side by side, `recurrent_kernel` of shape $(H, 4H)$ holding
# $[U_i\; U_f\; U_g\; U_o]$, and `bias` of shape $(4H,)$. The gate order is **i, f, c, o**; Keras
# calls the candidate "c", we call it $g_t$ to keep it apart from the cell state. With
# `unit_forget_bias=True` (the default) the forget-gate block of the bias starts at 1.

# %%
def lstm_step(x_t, h_prev, c_prev, kernel, recurrent_kernel, bias):
    """One LSTM step in Keras layout; returns h_t, c_t and the four gate vectors."""
    H = recurrent_kernel.shape[0]
    z = x_t @ kernel + h_prev @ recurrent_kernel + bias  # all four pre-activations at once
    i = 1 / (1 + np.exp(-z[:, :H]))
    f = 1 / (1 + np.exp(-z[:, H : 2 * H]))
    g = np.tanh(z[:, 2 * H : 3 * H])
    o = 1 / (1 + np.exp(-z[:, 3 * H :]))
    c_t = f * c_prev + i * g
    h_t = o * np.tanh(c_t)
    return h_t, c_t, (i, f, g, o)


def lstm_sequence(x, kernel, recurrent_kernel, bias):
    """Run lstm_step over x (batch, T, D) from zero states; return the hidden states (batch, T, H)."""
    H = recurrent_kernel.shape[0]
    h = c = np.zeros((x.shape[0], H))
    out = []
    for t in range(x.shape[1]):
        h, c, _ = lstm_step(x[:, t], h, c, kernel, recurrent_kernel, bias)
        out.append(h)
    return np.stack(out, axis=1)

# %% [markdown]
# ## 2. A task that needs memory
#
# To have gates worth looking at, we train a small LSTM on a **recall task**. Each sequence has
# $T$ steps and two input channels: a value $v_t \sim U(0, 1)$ and a marker that is 1 at exactly one
# step in the first half of the sequence and 0 elsewhere. The target, read after the last step, is the
# value that carried the marker. The network must notice the marker, store that one value, and keep it
# while ignoring everything that follows. The best constant prediction (the mean, $0.5$) has a mean
# squared error of $1/12 \approx 0.083$.
#
# As in notebook 03 we start the LSTM's forget-gate bias at 3 instead of Keras' default 1, so that
# $f_t \approx \sigma(3) \approx 0.95$ at the start of training and the cell state can carry
# information (and gradients) across the sequence from the first epoch on.

# %%
T, H = 30, 8
rng = np.random.default_rng(SEED)


def recall_task(n):
    v = rng.uniform(size=(n, T))
    marker = np.zeros((n, T))
    pos = rng.integers(0, T // 2, size=n)
    marker[np.arange(n), pos] = 1
    return np.stack([v, marker], axis=-1).astype("float32"), v[np.arange(n), pos][:, None].astype("float32")


n_train, n_val, n_test = helpers.pick(full=3000, smoke=200), helpers.pick(full=500, smoke=100), helpers.pick(full=1000, smoke=100)
(x_tr, y_tr), (x_va, y_va), (x_te, y_te) = (recall_task(n) for n in (n_train, n_val, n_test))
EPOCHS = helpers.pick(full=30, smoke=2)


def train(layer, forget_bias=None):
    keras.utils.set_random_seed(SEED)
    model = keras.Sequential([keras.Input((T, 2)), layer, keras.layers.Dense(1)])
    if forget_bias is not None:  # LSTM only: overwrite the f block of the bias (gate order i, f, c, o)
        W, U, b = layer.get_weights()
        b[H : 2 * H] = forget_bias
        layer.set_weights([W, U, b])
    model.compile(optimizer=keras.optimizers.Adam(1e-2), loss="mse")
    model.fit(x_tr, y_tr, validation_data=(x_va, y_va), epochs=EPOCHS, batch_size=64, verbose=0,
              callbacks=[EpochLogger(every=10)])
    return model


lstm_model = train(keras.layers.LSTM(H), forget_bias=3.0)

# %% [markdown]
# For comparison (and for section 5) a `SimpleRNN` of the same width, trained the same way:

# %%
rnn_model = train(keras.layers.SimpleRNN(H))
baseline_mse = float(np.mean((y_te - y_tr.mean()) ** 2))
test_mse = {"baseline: predict the training mean": baseline_mse,
            f"SimpleRNN({H})": rnn_model.evaluate(x_te, y_te, verbose=0),
            f"LSTM({H})": lstm_model.evaluate(x_te, y_te, verbose=0)}
for name, value in test_mse.items():
    print(f"{name:36s} test MSE = {value:.4f}   (n_test = {n_test}, T = {T})")

# %% [markdown]
# ## 3. The NumPy cell reproduces Keras
#
# We copy the trained weights out of the Keras layer and run our `lstm_sequence` on test sequences.
# If the equations above, the weight layout and the gate order are right, the hidden states must agree
# to float32 rounding.

# %%
kernel, recurrent_kernel, bias = lstm_model.layers[0].get_weights()
print("kernel", kernel.shape, " recurrent_kernel", recurrent_kernel.shape, " bias", bias.shape)
seq_layer = keras.layers.LSTM(H, return_sequences=True)  # same layer, but returning every h_t
seq_layer.build((None, T, 2))
seq_layer.set_weights([kernel, recurrent_kernel, bias])
h_keras = np.asarray(seq_layer(x_te[:64]))
h_ours = lstm_sequence(x_te[:64].astype("float64"), kernel, recurrent_kernel, bias)
h_helper, _, _ = numpy_rnn.lstm_forward(x_te[:64], kernel, recurrent_kernel, bias)
max_diff = max(np.abs(h_ours - h_keras).max(), np.abs(h_helper - h_keras).max())
print(f"max |Δ| step-by-step NumPy vs Keras: {np.abs(h_ours - h_keras).max():.1e}")
print(f"max |Δ| helpers.numpy_rnn.lstm_forward vs Keras: {np.abs(h_helper - h_keras).max():.1e}")

# %%
# NBVAL_CHECK_OUTPUT
print(f"NumPy and Keras agree (max |Δ| < 1e-5): {max_diff < 1e-5}")

# %% [markdown]
# The step-by-step cell of section 1 and `helpers.numpy_rnn.lstm_forward` (the same equations, used by
# later notebooks) both reproduce the Keras layer; the difference is float32 rounding. Nothing in an
# LSTM is hidden: six lines of NumPy.
#
# ## 4. Watching the gates
#
# We run the trained LSTM on one test sequence and record $i_t$, $f_t$, $o_t$ and $c_t$ for each of
# the $H = 8$ units (`return_gates=True` returns them from the helper). The dotted line marks the step
# that carries the marker.

# %%
k = 0
x_one = x_te[k : k + 1]
marker_t = int(np.argmax(x_one[0, :, 1]))
_, _, _, gates = numpy_rnn.lstm_forward(x_one, kernel, recurrent_kernel, bias, return_gates=True)
pred = lstm_model.predict(x_one, verbose=0)[0, 0]
print(f"marker at step t = {marker_t + 1}, marked value {x_one[0, marker_t, 0]:.3f}, LSTM prediction {pred:.3f}")

# %%
# extra code: heatmaps of the gates and the cell state over time
fig, axes = plt.subplots(4, 1, figsize=(11, 8.5), sharex=True)
for ax, (key, title, cmap, vlim) in zip(axes, (("i", "input gate $i_t$", "viridis", (0, 1)),
                                             ("f", "forget gate $f_t$", "viridis", (0, 1)),
                                             ("o", "output gate $o_t$", "viridis", (0, 1)),
                                             ("c", "cell state $c_t$", "RdBu_r", None)), strict=True):
    data = gates[key][0].T  # (units, time)
    lim = vlim or (-np.abs(data).max(), np.abs(data).max())
    im = ax.imshow(data, aspect="auto", cmap=cmap, vmin=lim[0], vmax=lim[1], interpolation="nearest",
                   extent=(0.5, T + 0.5, H - 0.5, -0.5))
    ax.axvline(marker_t + 1, color="white" if key != "c" else "black", ls=":", lw=1.5)
    ax.set(ylabel="unit", title=title)
    fig.colorbar(im, ax=ax, pad=0.01)
axes[-1].set_xlabel("time step t (dotted: the marked step)")
plt.tight_layout()
plt.show()

# %% [markdown]
# Rather than trusting the eye, we let the numbers speak, over all test sequences. For every unit:
# (a) the correlation between its final cell state $c_T$ and the target (the remembered value),
# (b) its mean forget gate after the marker, (c) the median over sequences of $\prod f_t$ from the
# marker to the end, i.e. the fraction of the stored value (and of the gradient along the cell) that
# survives, and (d) its mean input gate at the marked step and at all other steps.

# %%
def gate_profile(x, y):
    """Per-unit statistics over sequences x with targets y (see the text above)."""
    _, _, c_T, g = numpy_rnn.lstm_forward(x, kernel, recurrent_kernel, bias, return_gates=True)
    t_star = np.argmax(x[:, :, 1], axis=1)
    after = (np.arange(T)[None, :] > t_star[:, None])[..., None]  # (n, T, 1): steps after the marker
    at = (np.arange(T)[None, :] == t_star[:, None])[..., None]
    return {"corr(c_T, target)": np.array([np.corrcoef(c_T[:, u], y[:, 0])[0, 1] for u in range(H)]),
            "mean f after marker": (g["f"] * after).sum((0, 1)) / after.sum(),
            "median ∏f marker→T": np.median(np.prod(np.where(after, g["f"], 1.0), axis=1), axis=0),
            "mean i at marker": (g["i"] * at).sum((0, 1)) / at.sum(),
            "mean i elsewhere": (g["i"] * ~at).sum((0, 1)) / (~at).sum()}


profile = gate_profile(x_te, y_te)
print("unit " + "".join(f"{name:>22s}" for name in profile))
for u in range(H):
    print(f"{u:4d} " + "".join(f"{vals[u]:22.3f}" for vals in profile.values()))
mem = int(np.argmax(np.abs(profile["corr(c_T, target)"])))
others = np.arange(H) != mem
print(f"\nmemory unit (final cell state most correlated with the target): {mem}, "
      f"correlation {profile['corr(c_T, target)'][mem]:+.3f}")
print(f"  forget gate after the marker: {profile['mean f after marker'][mem]:.3f} "
      f"(other units: {profile['mean f after marker'][others].min():.3f} to {profile['mean f after marker'][others].max():.3f})")
print(f"  median fraction kept from the marker to the end, ∏f: {profile['median ∏f marker→T'][mem]:.3f}")
print(f"  input gate at the marker {profile['mean i at marker'][mem]:.3f} vs elsewhere {profile['mean i elsewhere'][mem]:.3f}")

# %% [markdown]
# **Reading the picture.** The marked step stands out in every gate: it is the one step where the
# gates change abruptly. The last two columns of the table show a *write* unit whose input gate is
# mostly shut on ordinary steps and close to 1 at the marker (the bright spot in the input-gate
# heatmap), and in the forget-gate heatmap several units dip at the same step, clearing old content
# just before the new value comes in. After the marker every unit's forget gate stays above 0.9 on
# average (second column), so the cell states change only slowly from step to step, as the smooth rows
# of the cell-state heatmap show. The memory is *distributed*: the first column lists several units
# whose final cell state is strongly correlated with the remembered value, some positively, some
# negatively, and the most correlated one is summarised below the table. The storage is not a perfect
# copy either: the third column shows how much of what was written survives the product of forget
# gates to the end, and the read-out combines several units to recover the value. Gate pictures of
# real networks rarely show one tidy "memory neuron", but the mechanism is the one in the equations:
# the marker triggers a write, forget gates near 1 hold it, the output at $T$ reads it.
#
# ## 5. The cell state as a gradient highway
#
# Along the cell-state line, $c_t = f_t \odot c_{t-1} + i_t \odot g_t$, so the direct path gives
#
# $$\frac{\partial c_T}{\partial c_t}\Big|_{\text{cell path}} = \operatorname{diag}\Big(\prod_{j=t+1}^{T} f_j\Big),$$
#
# a product of forget gates with **no weight matrix and no squashing derivative** in it. If the network
# holds $f_j \approx 1$, the gradient passes unchanged: Hochreiter & Schmidhuber's *constant error
# carousel* (their original cell had no forget gate, i.e. $f = 1$; Gers et al. 2000 added it). The
# vanilla RNN has $\partial h_T/\partial h_t = \prod_j \operatorname{diag}(1 - h_j^2)\, U^\top$ instead
# (notebook 03). We compare, on the test sequences and averaged over them, the cell-path gradient of the
# LSTM's memory unit with $\lVert \partial h_T/\partial h_t \rVert_2$ of the trained `SimpleRNN`.

# %%
_, _, _, g_all = numpy_rnn.lstm_forward(x_te, kernel, recurrent_kernel, bias, return_gates=True)
f_mem = g_all["f"][:, :, mem]  # (n, T)
lstm_path = np.array([np.prod(f_mem[:, t + 1 :], axis=1).mean() for t in range(T)])  # ∂c_T/∂c_t, memory unit

W_r, U_r, b_r = rnn_model.layers[0].get_weights()
hs, _ = numpy_rnn.rnn_forward(x_te[:200], W_r, U_r, b_r)
rnn_path = np.zeros(T)
for n in range(len(hs)):
    M = np.eye(H)
    rnn_path[T - 1] += 1.0
    for t in range(T - 1, 0, -1):  # M = ∂h_T/∂h_{t-1}, one Jacobian per step back
        M = M @ ((1 - hs[n, t] ** 2)[:, None] * U_r.T)
        rnn_path[t - 1] += np.linalg.norm(M, 2)
rnn_path /= len(hs)
for lag in (1, 5, 10, 20, T - 1):
    print(f"lag {lag:2d}: LSTM cell path ∏f = {lstm_path[T - 1 - lag]:.2e}   SimpleRNN ‖∂h_T/∂h_t‖ = {rnn_path[T - 1 - lag]:.2e}")

# %%
# extra code: the two gradient paths against the lag
lags = np.arange(T)[::-1]
fig, ax = plt.subplots(figsize=(6.5, 3.6))
ax.semilogy(lags, lstm_path, "o-", ms=3, label=f"LSTM, memory unit {mem}: ∂c_T/∂c_t along the cell")
ax.semilogy(lags, rnn_path, "s-", ms=3, label="SimpleRNN: ‖∂h_T/∂h_t‖₂")
ax.set(xlabel="lag T − t", ylabel="gradient factor (log)", title="Gradient through c_t vs through h_t (trained models)")
ax.legend(fontsize=8)
ax.grid(alpha=0.3, which="both")
plt.show()

# %% [markdown]
# The printed lines compare the two paths at a few lags. Over short lags they are similar, but the
# LSTM's cell path decays slowly and still keeps about a tenth of the signal across the whole sequence,
# while the `SimpleRNN`'s Jacobian product keeps more than 40 times less at lag 29. That matches the
# test MSEs of section 2, where the `SimpleRNN` stayed at the baseline and the LSTM solved the task.
# The full LSTM gradient has other paths too (through $h_t$ and the gates), but the cell path alone
# already carries a usable error signal from the end back to the marker.
#
# ## 6. A short look at the GRU
#
# The gated recurrent unit (Cho et al. 2014) merges the cell and hidden states and uses two gates:
#
# $$
# \begin{aligned}
# z_t &= \sigma(x_t W_z + h_{t-1} U_z + b_z) &&\text{update gate}\\
# r_t &= \sigma(x_t W_r + h_{t-1} U_r + b_r) &&\text{reset gate}\\
# \tilde h_t &= \tanh\big(x_t W_h + (r_t \odot h_{t-1}) U_h + b_h\big) &&\text{candidate}\\
# h_t &= z_t \odot h_{t-1} + (1 - z_t) \odot \tilde h_t
# \end{aligned}
# $$
#
# The update gate plays forget and input gate at once ($z_t$ keeps, $1 - z_t$ writes), so the path
# $h_{t-1} \to h_t$ has the same additive, gated shape as the LSTM's cell line. Keras' default
# (`reset_after=True`, the cuDNN variant) applies $r_t$ after the matrix product and keeps two bias
# vectors. Parameter counts for $D$ inputs and $H$ units:

# %%
D = 2
for name, layer, formula in (("SimpleRNN", keras.layers.SimpleRNN(H), D * H + H * H + H),
                             ("GRU", keras.layers.GRU(H), 3 * (D * H + H * H + 2 * H)),
                             ("LSTM", keras.layers.LSTM(H), 4 * (D * H + H * H + H))):
    layer.build((None, T, D))
    print(f"{name:9s} ({H} units, {D} inputs): {layer.count_params():4d} parameters  (formula: {formula})")

# %% [markdown]
# A GRU has three blocks of weights where the LSTM has four, so about three quarters of the parameters
# (the extra bias of `reset_after=True` is small). In practice the two perform similarly on many tasks
# (Chung et al. 2014; Jozefowicz et al. 2015); try both.
#
# ## Summary
#
# - An LSTM cell: gates $i_t, f_t, o_t \in (0,1)$, candidate $g_t$, cell state $c_t = f_t \odot c_{t-1} + i_t \odot g_t$, output $h_t = o_t \odot \tanh(c_t)$.
# - Keras stores `kernel` $(D, 4H)$, `recurrent_kernel` $(H, 4H)$, `bias` $(4H,)$ in gate order i, f, c, o; six lines of NumPy reproduce the layer.
# - In a trained network the gates are readable: an input gate opens at the relevant step and forget gates near 1 hold the value (often spread over several units).
# - Along the cell state the gradient is a product of forget gates only: a highway that a vanilla RNN lacks.
# - A GRU merges cell and hidden state with two gates and about 3/4 of the LSTM's parameters.
#
# ## Exercises
#
# 1. **Shut the forget gate.** Copy the trained weights, set the forget-gate block of the bias to
#    $-10$ (so $f_t \approx 0$), and compute the test MSE of the modified network with
#    `helpers.numpy_rnn.lstm_forward` and the trained `Dense` read-out. What happens, and why?
# 2. **How open must the forget gate be?** With a constant forget gate $f$, the cell path keeps
#    $f^{k}$ of the gradient after $k$ steps. Which $f$ keeps 10 % after 100 steps, and which forget
#    bias $b_f$ gives it when the other inputs to the gate are zero?
# 3. **GRU parameters.** Count the parameters of `keras.layers.GRU(H, reset_after=False)` and explain the
#    difference from the default.
#
# ## Solutions

# %%
# Exercise 1
b_closed = bias.copy()
b_closed[H : 2 * H] = -10.0  # the f block (order i, f, c, o)
_, h_T, _ = numpy_rnn.lstm_forward(x_te, kernel, recurrent_kernel, b_closed)
w_out, b_out = lstm_model.layers[1].get_weights()
mse_closed = float(np.mean((h_T @ w_out + b_out - y_te) ** 2))
print(f"test MSE with the forget gate shut: {mse_closed:.4f}  (trained LSTM {test_mse[f'LSTM({H})']:.4f}, baseline {baseline_mse:.4f})")

# %% [markdown]
# With $f_t \approx 0$ the cell keeps nothing from one step to the next, $c_t \approx i_t \odot g_t$, so
# the value written at the marker is gone by the end; the error rises to (or above) the baseline level.

# %%
# Exercise 2
f_needed = 0.1 ** (1 / 100)
print(f"f = {f_needed:.4f} keeps 10 % after 100 steps; bias b_f = logit(f) = {np.log(f_needed / (1 - f_needed)):.2f}")

# %% [markdown]
# $f = 0.1^{1/100} \approx 0.977$ and $b_f = \log\frac{f}{1-f} \approx 3.8$, far above Keras' default
# of 1 ($\sigma(1) \approx 0.73$ keeps only $0.73^{100} \approx 10^{-14}$). This is why the larger
# forget bias of notebook 03 helped.

# %%
# Exercise 3
for reset_after in (True, False):
    gru = keras.layers.GRU(H, reset_after=reset_after)
    gru.build((None, T, D))
    print(f"GRU reset_after={reset_after!s:5s}: {gru.count_params()} parameters, bias shape {gru.get_weights()[2].shape}")

# %% [markdown]
# With `reset_after=False` (the original formulation of Cho et al.) there is one bias vector of size
# $3H$; the default `reset_after=True` keeps a second one of size $3H$ for the recurrent product,
# $3H$ more parameters.

# %%
_ = helpers.record_results(
    "04_lstm_gates",
    data_sizes={"train": n_train, "val": n_val, "test": n_test},
    headline={"test_mse_lstm": test_mse[f"LSTM({H})"], "test_mse_simplernn": test_mse[f"SimpleRNN({H})"],
              "test_mse_baseline": baseline_mse},
    numpy_vs_keras_max_abs_diff=float(max_diff),
    memory_unit=mem,
    memory_unit_mean_forget_after_marker=float(profile["mean f after marker"][mem]),
    memory_unit_corr_cT_target=float(profile["corr(c_T, target)"][mem]),
    cell_path_full_lag=float(lstm_path[0]),
    simplernn_path_full_lag=float(rnn_path[0]),
)

# %% [markdown]
# ## Further reading
#
# - Hochreiter & Schmidhuber (1997), *Long short-term memory*, Neural Computation 9(8) — the cell and
#   the constant error carousel.
# - Gers, Schmidhuber & Cummins (2000), *Learning to forget: continual prediction with LSTM*, Neural
#   Computation 12(10) — the forget gate.
# - Greff et al. (2017), *LSTM: a search space odyssey*, IEEE TNNLS 28(10) — which parts of the cell matter.
# - Cho et al. (2014), *Learning phrase representations using RNN encoder–decoder for statistical
#   machine translation*, EMNLP — the GRU.
# - Chung et al. (2014), *Empirical evaluation of gated recurrent neural networks on sequence modeling*,
#   and Jozefowicz, Zaremba & Sutskever (2015), *An empirical exploration of recurrent network architectures*, ICML.
