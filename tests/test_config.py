import numpy as np
import pytest

import helpers
from helpers.config import get_profile, pick, set_seed


def test_profile_default_is_full(monkeypatch):
    monkeypatch.delenv("COURSE_PROFILE")
    assert get_profile() == "full"
    assert pick(full=10, smoke=1) == 10


def test_smoke_profile_picks_smoke_value(monkeypatch):
    monkeypatch.setenv("COURSE_PROFILE", "Smoke")
    assert helpers.is_smoke()
    assert pick(full=10, smoke=1) == 1


def test_unknown_profile_is_a_clear_error(monkeypatch):
    monkeypatch.setenv("COURSE_PROFILE", "fast")
    with pytest.raises(ValueError, match="Unknown COURSE_PROFILE='fast'"):
        pick(full=1, smoke=2)


def test_set_seed_makes_numpy_reproducible():
    set_seed(7)
    a = np.random.rand(3)
    set_seed(7)
    assert np.array_equal(a, np.random.rand(3))


def test_data_dir_follows_environment(isolated):
    assert helpers.data_dir() == isolated / "data"
    assert helpers.data_dir().is_dir()
