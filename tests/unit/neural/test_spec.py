import math

import pytest

from digitlib.errors import InvalidSettingError
from digitlib.mnist import sampling
from digitlib.neural import spec as spec_module
from digitlib.neural import worker
from digitlib.neural.spec import MAX_ALLOWED_EPOCHS, NetSpec, epochs_for

FP = "0123456789abcdef"


def test_epochs_for_stays_between_6_and_50():
    assert epochs_for(1) == epochs_for(100) == epochs_for(1_000) == 50  # 60 passes would be too many
    assert epochs_for(60_000) == epochs_for(30_000) == epochs_for(10_000) == 6
    assert epochs_for(0) == 50  # no division by zero
    for n in range(1, 70_001, 97):
        assert 6 <= epochs_for(n) <= 50


def test_epochs_for_sees_about_60000_images_between_the_bounds():
    assert epochs_for(1_500) == 40 and epochs_for(2_000) == 30 and epochs_for(7_000) == 9
    for n in range(1_200, 10_001, 37):  # where neither bound applies
        e = epochs_for(n)
        assert n * e >= 60_000 > n * (e - 1)  # the fewest passes that reach 60,000 images
    previous = math.inf
    for n in range(1, 70_001, 113):  # bigger samples never get more passes
        assert epochs_for(n) <= previous
        previous = epochs_for(n)


def test_passes_default_to_epochs_for_n_unless_given():
    assert NetSpec(n=3_000).passes == epochs_for(3_000) == 20
    assert NetSpec(n=3_000, epochs=4).passes == 4


@pytest.mark.parametrize(("n", "batch"),
                         [(1, 32), (2_000, 32), (2_001, 64), (10_000, 64), (10_001, 128), (60_000, 128)])
def test_batch_size_grows_with_the_sample(n, batch):
    assert NetSpec(n=n).batch_size == batch


def test_key_is_stable():
    s = NetSpec(n=500, mode="balanced", seed=3, augment=True, epochs=7)
    assert s.key(FP) == NetSpec(n=500, mode="balanced", seed=3, augment=True, epochs=7).key(FP)
    assert s.key(FP) == s.key(FP)


@pytest.mark.parametrize("change", [
    {"augment": True}, {"n": 501}, {"mode": "balanced"}, {"mode": "random"}, {"epochs": 8}])
def test_key_differs_for_each_field(change):
    base = dict(n=500, mode="first", seed=0, augment=False, epochs=7)
    assert NetSpec(**{**base, **change}).key(FP) != NetSpec(**base).key(FP)


def test_key_differs_for_seed_when_the_seed_chooses_the_sample():
    for mode in ("balanced", "random"):
        assert NetSpec(n=500, mode=mode, seed=1).key(FP) != NetSpec(n=500, mode=mode, seed=2).key(FP)


def test_key_differs_for_the_data():
    assert NetSpec().key(FP) != NetSpec().key("fedcba9876543210")


def test_key_changes_when_n_changes_the_batch_size():
    # same passes (6) either side of 10,000 images, different batch size
    assert NetSpec(n=10_000).passes == NetSpec(n=10_001).passes
    assert NetSpec(n=10_000).key(FP) != NetSpec(n=10_001).key(FP)


def test_seed_is_ignored_for_first():
    assert NetSpec(n=500, mode="first", seed=0).key(FP) == NetSpec(n=500, mode="first", seed=99).key(FP)
    assert NetSpec(mode="first", seed=5).sample_seed == 0
    assert NetSpec(mode="random", seed=5).sample_seed == 5


def test_epochs_given_as_the_default_names_the_same_network():
    assert NetSpec(n=1_000).key(FP) == NetSpec(n=1_000, epochs=epochs_for(1_000)).key(FP)


def test_key_changes_with_the_formats(monkeypatch):
    before = NetSpec().key(FP)
    monkeypatch.setattr(spec_module, "FORMAT_VERSION", spec_module.FORMAT_VERSION + 1)
    assert NetSpec().key(FP) != before


@pytest.mark.parametrize("settings", [
    {"mode": "best"}, {"mode": ""}, {"n": 0}, {"n": -5}, {"epochs": 0}, {"epochs": -1},
    {"epochs": MAX_ALLOWED_EPOCHS + 1}])
def test_invalid_settings_raise(settings):
    with pytest.raises(InvalidSettingError):
        NetSpec(**settings)


def test_invalid_setting_messages_name_the_problem():
    with pytest.raises(InvalidSettingError, match="'best'.*first, balanced, random"):
        NetSpec(mode="best")
    with pytest.raises(InvalidSettingError, match="at least one training image"):
        NetSpec(n=0)
    with pytest.raises(InvalidSettingError, match=f"between 1 and {MAX_ALLOWED_EPOCHS}; got 101"):
        NetSpec(epochs=101)


def test_edge_settings_are_allowed():
    assert NetSpec(n=1, epochs=1).passes == 1
    assert NetSpec(epochs=MAX_ALLOWED_EPOCHS).passes == MAX_ALLOWED_EPOCHS


@pytest.mark.parametrize("mode", sampling.MODES)
@pytest.mark.parametrize("augment", [False, True])
@pytest.mark.parametrize("n", [1, 500, 60_000])
def test_key_matches_what_the_worker_accepts(mode, augment, n):
    key = NetSpec(n=n, mode=mode, seed=4, augment=augment).key(FP)
    assert worker.KEY.match(key), key
    assert key.startswith(f"cnn-{mode}-{n}-" if not augment else f"cnn-{mode}-{n}-aug-")


def test_worker_refuses_keys_that_are_not_names():
    for bad in ("../cnn-first-5-0123456789abcdef", "cnn-first-5-0123456789abcdef/x", "cnn-first-5-0123"):
        assert not worker.KEY.match(bad)


def test_describe():
    assert NetSpec(n=1_000, epochs=3).describe() == "3 passes, on the first 1,000 training images"
    assert NetSpec(n=1_000, epochs=3, augment=True).describe().startswith("3 passes, augmented, on the ")
