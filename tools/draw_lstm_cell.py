"""Draw the LSTM cell used in notebook 04 and save it as images/04_lstm_cell.{svg,png}.

Run from the repository root: `.venv/bin/python tools/draw_lstm_cell.py`.
"""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
from matplotlib.patches import Circle, FancyBboxPatch

OUT = Path(__file__).resolve().parent.parent / "images"
GATE_COLOR = {"σ": "#f6d7a7", "tanh": "#cfe3f3"}


def arrow(ax, start, end, color="black", lw=1.4):
    """Draw an arrow from start to end (data coordinates)."""
    ax.annotate(
        "",
        xy=end,
        xytext=start,
        arrowprops=dict(arrowstyle="-|>", color=color, lw=lw, shrinkA=0, shrinkB=0),
    )


def line(ax, xs, ys, color="black", lw=1.4):
    """Draw a plain polyline."""
    ax.plot(xs, ys, color=color, lw=lw, solid_capstyle="round")


def gate(ax, x, y, fn, name):
    """A gate box (σ or tanh layer) with its name underneath-right."""
    ax.add_patch(
        FancyBboxPatch(
            (x - 0.45, y - 0.3),
            0.9,
            0.6,
            boxstyle="round,pad=0.02",
            fc=GATE_COLOR[fn],
            ec="black",
            lw=1.2,
        )
    )
    ax.text(x, y, fn, ha="center", va="center", fontsize=13)
    ax.text(x + 0.55, y - 0.55, name, ha="left", va="center", fontsize=12, color="#7a3b00")


def node(ax, x, y, symbol):
    """A point-wise operation (× or +) drawn as a circle."""
    ax.add_patch(Circle((x, y), 0.27, fc="white", ec="black", lw=1.2, zorder=3))
    ax.text(x, y, symbol, ha="center", va="center", fontsize=13, zorder=4)


def draw() -> plt.Figure:
    """Return the figure of one LSTM cell with its four gates and two states."""
    fig, ax = plt.subplots(figsize=(9, 5.4))
    ax.add_patch(
        FancyBboxPatch(
            (1.0, 0.9), 10.0, 5.0, boxstyle="round,pad=0.1", fc="#f7f7f7", ec="#888888", lw=1.2
        )
    )
    cell_y, bus_y, gate_y = 5.2, 1.6, 2.9
    xf, xi, xg, xo, xout = 3.0, 4.7, 6.0, 7.9, 9.4
    # cell state highway
    line(ax, [0.0, xf - 0.27], [cell_y, cell_y], color="#b22222", lw=2.5)
    line(ax, [xf + 0.27, xg - 0.27], [cell_y, cell_y], color="#b22222", lw=2.5)
    arrow(ax, (xg + 0.27, cell_y), (12.0, cell_y), color="#b22222", lw=2.5)
    ax.text(-0.1, cell_y + 0.35, "$c_{t-1}$", fontsize=14, color="#b22222")
    ax.text(11.5, cell_y + 0.35, "$c_t$", fontsize=14, color="#b22222")
    node(ax, xf, cell_y, "×")
    node(ax, xg, cell_y, "+")
    # inputs: h_{t-1} from the left, x_t from below, joined on a bus
    line(ax, [0.0, 1.6], [bus_y, bus_y])
    ax.text(-0.1, bus_y + 0.3, "$h_{t-1}$", fontsize=14)
    line(ax, [1.6, 1.6], [0.0, bus_y])
    ax.text(1.75, 0.1, "$x_t$", fontsize=14)
    line(ax, [1.6, xo], [bus_y, bus_y])
    ax.text(1.7, bus_y - 0.45, "$[h_{t-1}, x_t]$", fontsize=10, color="#555555")
    for x, fn, name in (
        (xf, "σ", "$f_t$"),
        (xi, "σ", "$i_t$"),
        (xg, "tanh", "$g_t$"),
        (xo, "σ", "$o_t$"),
    ):
        arrow(ax, (x, bus_y), (x, gate_y - 0.3))
        gate(ax, x, gate_y, fn, name)
    # forget gate scales the old cell state
    arrow(ax, (xf, gate_y + 0.3), (xf, cell_y - 0.27))
    # input gate times candidate, added to the cell state
    node(ax, xg, 4.1, "×")
    line(ax, [xi, xi], [gate_y + 0.3, 4.1])
    arrow(ax, (xi, 4.1), (xg - 0.27, 4.1))
    arrow(ax, (xg, gate_y + 0.3), (xg, 4.1 - 0.27))
    arrow(ax, (xg, 4.1 + 0.27), (xg, cell_y - 0.27))
    # output: o_t ⊙ tanh(c_t)
    line(ax, [xout, xout], [cell_y, 4.55])
    ax.add_patch(
        FancyBboxPatch(
            (xout - 0.42, 3.95),
            0.84,
            0.55,
            boxstyle="round,pad=0.02",
            fc="#e6e6e6",
            ec="black",
            lw=1.0,
            ls="--",
        )
    )
    ax.text(xout, 4.22, "tanh", ha="center", va="center", fontsize=11)
    node(ax, xout, gate_y, "×")
    arrow(ax, (xout, 3.95), (xout, gate_y + 0.27))
    arrow(ax, (xo + 0.45, gate_y), (xout - 0.27, gate_y))
    out_y = 2.05  # h_t leaves above the input bus, so the two lines do not look connected
    line(ax, [xout, xout], [gate_y - 0.27, out_y])
    arrow(ax, (xout, out_y), (12.0, out_y))
    line(ax, [10.3, 10.3], [out_y, 5.9])
    arrow(ax, (10.3, 5.9), (10.3, 6.8))
    ax.text(11.5, out_y + 0.3, "$h_t$", fontsize=14)
    ax.text(10.45, 6.55, "$h_t$ (output)", fontsize=12)
    ax.text(
        6.0,
        6.45,
        "cell state: only × and + along this line",
        ha="center",
        fontsize=10,
        color="#b22222",
    )
    ax.text(
        6.0,
        0.35,
        "σ: sigmoid layer   tanh: tanh layer   ×, +: element-wise   (dashed: no weights)",
        ha="center",
        fontsize=9,
        color="#444444",
    )
    ax.set(xlim=(-0.4, 12.4), ylim=(-0.1, 7.1), aspect="equal")
    ax.axis("off")
    fig.tight_layout()
    return fig


if __name__ == "__main__":
    OUT.mkdir(exist_ok=True)
    figure = draw()
    figure.savefig(OUT / "04_lstm_cell.svg", metadata={"Date": None})
    figure.savefig(OUT / "04_lstm_cell.png", dpi=110)
    print(f"wrote {OUT.name}/04_lstm_cell.svg and .png")
