"""helpers.config: profiles, pick, seeding of every generator, the setup banner, folders."""

import random

import numpy as np
import pytest

import helpers
from helpers import config
from helpers.config import get_profile, pick, set_seed


def test_profile_default_is_full(monkeypatch):
    monkeypatch.delenv("COURSE_PROFILE")
    assert get_profile() == "full"
    assert not helpers.is_smoke()
    assert pick(full=10, smoke=1) == 10


@pytest.mark.parametrize("value", ["", "  "])
def test_empty_profile_means_full(monkeypatch, value):
    monkeypatch.setenv("COURSE_PROFILE", value)
    assert get_profile() == "full"


@pytest.mark.parametrize("value", ["smoke", "Smoke", " SMOKE "])
def test_smoke_profile_picks_smoke_value(monkeypatch, value):
    monkeypatch.setenv("COURSE_PROFILE", value)
    assert get_profile() == "smoke"
    assert helpers.is_smoke()
    assert pick(full=10, smoke=1) == 1


def test_pick_returns_the_very_object_of_each_profile(monkeypatch):
    full, smoke = (
        [1, 2, 3],
        None,
    )  # any type, None included (06: N_MAX = pick(full=None, smoke=600))
    monkeypatch.setenv("COURSE_PROFILE", "full")
    assert pick(full=full, smoke=smoke) is full
    monkeypatch.setenv("COURSE_PROFILE", "smoke")
    assert pick(full=full, smoke=smoke) is None


@pytest.mark.parametrize(
    "call", [get_profile, helpers.is_smoke, lambda: pick(full=1, smoke=2), lambda: config.setup(1)]
)
def test_unknown_profile_is_a_clear_error(monkeypatch, call):
    monkeypatch.setenv("COURSE_PROFILE", "fast")
    with pytest.raises(
        ValueError, match=r"Unknown COURSE_PROFILE='fast'\. Use one of \('full', 'smoke'\)"
    ):
        call()


def _draws() -> tuple:
    """One draw from each generator the course uses: Python, NumPy's global RNG, Keras and TF."""
    keras = pytest.importorskip("keras")
    tf = pytest.importorskip("tensorflow")
    layer = keras.layers.Dense(4)
    layer.build((None, 3))  # weights from Keras's seeded initialiser
    return (
        random.random(),
        np.random.rand(3).tolist(),  # noqa: NPY002  (set_seed also seeds the legacy global RNG)
        keras.random.normal((3,)).numpy().tolist(),
        tf.random.uniform((3,)).numpy().tolist(),
        layer.kernel.numpy().tolist(),
    )


def test_set_seed_makes_python_numpy_keras_and_tf_reproducible():
    assert set_seed(7) == 7
    first = _draws()
    set_seed(7)
    again = _draws()
    for name, a, b in zip(
        ("random", "numpy", "keras.random", "tf.random", "Dense init"), first, again, strict=False
    ):
        assert a == b, f"{name} draws differ after set_seed(7) twice"
    set_seed(8)
    other = _draws()
    for name, a, b in zip(
        ("random", "numpy", "keras.random", "tf.random", "Dense init"), first, other, strict=False
    ):
        assert a != b, f"{name} draws do not depend on the seed"


def test_set_seed_leaves_pythonhashseed_alone(monkeypatch):
    monkeypatch.delenv("PYTHONHASHSEED", raising=False)
    set_seed(3)
    assert "PYTHONHASHSEED" not in __import__("os").environ  # it only matters when Python starts


@pytest.fixture
def determinism_calls(monkeypatch):
    """Record calls to TF's op determinism switch instead of flipping it for the whole test session."""
    tf = pytest.importorskip("tensorflow")
    calls = []
    monkeypatch.setattr(tf.config.experimental, "enable_op_determinism", lambda: calls.append(True))
    return calls


def test_setup_in_full_prints_one_banner_line(monkeypatch, capsys, determinism_calls):
    monkeypatch.setenv("COURSE_PROFILE", "full")
    assert helpers.setup(seed=5) == 5
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 1, lines
    assert lines[0].startswith("profile: full  seed: 5  numpy ")
    assert "tensorflow " in lines[0]
    assert "keras " in lines[0]
    assert determinism_calls == [True]


def test_setup_in_smoke_adds_the_loud_warning(capsys, determinism_calls):
    helpers.setup(seed=42)
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 2
    assert lines[0].startswith("profile: smoke  seed: 42  numpy ")
    assert lines[1] == config.SMOKE_BANNER
    assert lines[1].startswith("SMOKE PROFILE")
    assert "NOT" in lines[1]


def test_setup_seeds_like_set_seed(capsys, determinism_calls):
    helpers.setup(seed=11)
    first = _draws()
    set_seed(11)
    assert _draws() == first


def test_setup_can_leave_op_determinism_off(capsys, determinism_calls):
    helpers.setup(seed=1, deterministic=False)
    assert determinism_calls == []


def test_setup_quiets_tensorflow_python_logging(capsys, determinism_calls):
    import logging

    logger = logging.getLogger("tensorflow")
    before = logger.level
    try:
        logger.setLevel(logging.INFO)
        helpers.setup(seed=1)
        assert logger.level == logging.ERROR
    finally:
        logger.setLevel(before)


def test_data_dir_follows_environment(isolated):
    assert helpers.data_dir() == isolated / "data"
    assert helpers.data_dir().is_dir()


def test_data_dir_that_is_a_file_is_a_clear_error(monkeypatch, tmp_path):
    (tmp_path / "file").write_text("x")
    monkeypatch.setenv("COURSE_DATA_DIR", str(tmp_path / "file"))
    with pytest.raises(NotADirectoryError, match="point COURSE_DATA_DIR to a folder"):
        helpers.data_dir()


def test_results_dir_follows_environment(isolated, monkeypatch):
    assert config.results_dir() == isolated / "results"
    monkeypatch.delenv("COURSE_RESULTS_DIR")
    assert config.results_dir() == config.repo_root() / "results"
