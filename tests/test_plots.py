import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
from matplotlib import font_manager

import helpers


def test_plot_history_draws_train_and_validation():
    hist = {
        "loss": [1.0, 0.5],
        "val_loss": [1.1, 0.7],
        "accuracy": [0.6, 0.8],
        "val_accuracy": [0.5, 0.7],
    }
    fig = helpers.plot_history(hist, metric="accuracy", baseline=0.9)
    assert len(fig.axes) == 2
    assert len(fig.axes[0].lines) == 3
    plt.close(fig)


def test_confusion_matrix_counts():
    fig = helpers.plot_confusion_matrix([0, 0, 1, 1, 1], [0, 1, 1, 1, 0])
    texts = sorted(t.get_text().split("\n")[0] for t in fig.axes[0].texts)
    assert texts == ["1", "1", "1", "2"]
    plt.close(fig)


def test_korean_font_has_hangul_glyphs():
    name = helpers.use_korean_font()
    path = font_manager.findfont(
        font_manager.FontProperties(family=name), fallback_to_default=False
    )
    from matplotlib.ft2font import FT2Font

    font = FT2Font(path)
    assert font.get_char_index(ord("한")) != 0
