"""helpers.language_model: data, vocabulary, chunking, n-gram, metrics, sampling, the Keras LM."""

import gzip
import math

import numpy as np
import pytest

from helpers import language_model as lm


@pytest.fixture(scope="module")
def text() -> str:
    return lm.load_shakespeare()


def test_load_shakespeare_is_the_published_text(text):
    assert len(text) == lm.SHAKESPEARE_CHARS
    assert len(set(text)) == 65
    assert text.startswith("First Citizen:")


def test_load_shakespeare_rejects_a_damaged_copy(tmp_path, text):
    bad = tmp_path / "input.txt.gz"
    bad.write_bytes(gzip.compress(text[:-1].encode("utf-8")))
    with pytest.raises(ValueError, match="does not match"):
        lm.load_shakespeare(bad)
    with pytest.raises(FileNotFoundError, match="download"):
        lm.load_shakespeare(tmp_path / "missing.txt")
    good = tmp_path / "input.txt"
    good.write_text(text, encoding="utf-8")
    assert lm.load_shakespeare(good) == text


def test_split_is_positional_and_complete(text):
    train, val, test = lm.split_text(text)
    assert train + val + test == text
    assert len(train) == round(0.9 * len(text))
    assert abs(len(val) - len(test)) <= 1
    with pytest.raises(ValueError, match="empty"):
        lm.split_text("")
    with pytest.raises(ValueError, match="fractions"):
        lm.split_text("abc", (0.5, 0.5, 0.5))


def test_vocab_round_trip_and_errors():
    vocab = lm.CharVocab.from_text("hello world")
    assert len(vocab) == 8
    ids = vocab.encode("hello")
    assert ids.dtype == np.int32
    assert vocab.decode(ids) == "hello"
    with pytest.raises(ValueError, match=r"not in the vocabulary.*'Z'"):
        vocab.encode("Zed")
    with pytest.raises(ValueError, match="empty"):
        vocab.encode("")
    with pytest.raises(ValueError, match="empty"):
        lm.CharVocab.from_text("")
    syllables = lm.CharVocab.from_text(["가", "나", "가"])  # token sequences work too
    assert syllables.decode(syllables.encode(["나", "가"])) == "나가"


def test_random_chunks_targets_are_inputs_shifted():
    ids = np.arange(1000)
    x, y = lm.random_chunks(ids, 20, 50, seed=0)
    assert x.shape == y.shape == (50, 20)
    assert np.all(y == x + 1)
    assert np.array_equal(x, lm.random_chunks(ids, 20, 50, seed=0)[0])
    with pytest.raises(ValueError, match="too short"):
        lm.random_chunks(np.arange(10), 20, 1, seed=0)


def test_stream_batches_continue_row_by_row():
    ids = np.arange(1000)
    x, y = lm.stream_batches(ids, seq_len=10, batch_size=4)
    n_batches = len(x) // 4
    assert x.shape == (n_batches * 4, 10) and np.all(y == x + 1)
    for k in range(n_batches - 1):  # row j of batch k+1 starts where row j of batch k ended
        assert np.all(x[(k + 1) * 4 : (k + 2) * 4, 0] == x[k * 4 : (k + 1) * 4, -1] + 1)
    assert lm.stream_batches(ids, 10, 4, offset=3)[0][0, 0] == 3


def test_uniform_model_has_perplexity_equal_to_vocab_size():
    V = 65
    nll = np.full(1234, math.log(V))
    assert lm.perplexity(nll) == pytest.approx(V)
    assert lm.bits_per_char(nll) == pytest.approx(math.log2(V))
    assert 2 ** lm.bits_per_char([0.3, 1.7]) == pytest.approx(lm.perplexity([0.3, 1.7]))


def test_chunk_means_and_lzma():
    assert lm.chunk_means(np.arange(10), 3).tolist() == [1.0, 4.0, 7.0]
    with pytest.raises(ValueError, match="no block"):
        lm.chunk_means(np.arange(2), 3)
    assert lm.lzma_bpc("to be or not to be " * 50) < 8.0  # repetitive text compresses
    assert lm.lzma_bpc("abc " * 200, context="abc " * 200) < lm.lzma_bpc("abc " * 200)


@pytest.fixture(scope="module")
def kn(text):
    vocab = lm.CharVocab.from_text(text)
    return vocab, lm.KneserNeyLM(len(vocab), max_order=5).fit(vocab.encode(text[:20000]))


@pytest.mark.parametrize("order", [1, 2, 3, 5])
@pytest.mark.parametrize("context", ["", "ROMEO:\nI ", "qqqzzz", "the k"])
def test_ngram_probabilities_sum_to_one_for_any_context(kn, order, context):
    vocab, model = kn
    p = model.next_probs(vocab.encode(context) if context else [], order)
    assert p.shape == (len(vocab),)
    assert p.min() > 0
    assert p.sum() == pytest.approx(1.0, abs=1e-9)


def test_ngram_nll_matches_next_probs_and_higher_order_helps(kn, text):
    vocab, model = kn
    ids = vocab.encode(text[20000:21000])
    nll = model.nll(ids, 3)
    assert nll.shape == (len(ids) - 1,)
    for t in (1, 2, 57):
        assert nll[t - 1] == pytest.approx(-math.log(model.next_probs(ids[:t], 3)[ids[t]]))
    assert (
        lm.bits_per_char(model.nll(ids, 3))
        < lm.bits_per_char(model.nll(ids, 1))
        < math.log2(len(vocab))
    )


def test_ngram_rejects_bad_input(kn):
    vocab, model = kn
    with pytest.raises(ValueError, match="order"):
        model.nll(vocab.encode("hello"), 6)
    with pytest.raises(RuntimeError, match="fit"):
        lm.KneserNeyLM(65, 3).nll(np.array([1, 2, 3]), 2)
    with pytest.raises(ValueError, match="too short"):
        lm.KneserNeyLM(65, 3).fit(np.array([1, 2]))
    with pytest.raises(ValueError, match="overflow"):
        lm.KneserNeyLM(5000, 6)


def test_temperature_to_zero_is_argmax_and_top_k_restricts():
    rng = np.random.default_rng(0)
    logits = rng.normal(size=(20, 65))
    for row in logits:
        assert lm.sample_next(row, rng, temperature=1e-4) == int(np.argmax(row))
    p = lm.softmax_with_temperature(logits[0], 1.0, top_k=5)
    assert np.count_nonzero(p) == 5 and p.sum() == pytest.approx(1.0)
    assert set(np.flatnonzero(p)) == set(np.argsort(logits[0])[-5:])
    hot, cold = (
        lm.softmax_with_temperature(logits[0], 2.0),
        lm.softmax_with_temperature(logits[0], 0.5),
    )
    entropy = lambda q: -np.sum(q * np.log(q))  # noqa: E731
    assert entropy(cold) < entropy(lm.softmax_with_temperature(logits[0])) < entropy(hot)


@pytest.mark.parametrize("temperature", [0.0, -1.0])
def test_temperature_must_be_positive(temperature):
    with pytest.raises(ValueError, match="temperature must be > 0"):
        lm.softmax_with_temperature(np.zeros(3), temperature)
    with pytest.raises(ValueError, match="top_k"):
        lm.softmax_with_temperature(np.zeros(3), 1.0, top_k=4)


def test_keras_char_lm_trains_scores_and_samples():
    keras = pytest.importorskip("keras")
    text = "to be or not to be, that is the question. " * 60
    vocab = lm.CharVocab.from_text(text)
    ids = vocab.encode(text)
    train, val = ids[:2000], ids[2000:]
    model = lm.build_char_lm(len(vocab), units=8, layers=2, embed_dim=4, dropout=0.1, cell="gru")
    assert model.output_shape == (None, None, len(vocab))
    with pytest.raises(ValueError, match="batch_size"):
        lm.build_char_lm(len(vocab), units=8, stateful=True)
    with pytest.raises(ValueError, match="cell"):
        lm.build_char_lm(len(vocab), units=8, cell="rnn")
    for stateful in (False, True):
        cfg = lm.LMConfig(
            units=16,
            embed_dim=8,
            seq_len=20,
            batch_size=8,
            stateful=stateful,
            cosine_decay=stateful,
            jit_compile=False,
        )
        res = lm.train_char_lm(
            cfg,
            train,
            val,
            vocab_size=len(vocab),
            epochs=2,
            steps_per_epoch=5,
            seed=0,
            verbose=False,
        )
        assert res.epochs_run == len(res.history["val_bpc"]) <= 2
        assert res.val_bpc == pytest.approx(min(res.history["val_bpc"]))
        assert res.val_bpc == pytest.approx(lm.evaluate_bpc(res.model, val, seq_len=20), rel=1e-4)
        assert res.model.layers[1].name == "embed" and not res.model.get_layer("lstm_0").stateful
        assert res.params == res.model.count_params() and res.updates == 5 * res.epochs_run
    nll_c = lm.char_nll(res.model, val, carry_state=True, seq_len=20)
    nll_r = lm.char_nll(res.model, val, carry_state=False, seq_len=20)
    assert nll_c.shape == nll_r.shape == (len(val) - 1,)
    # the first chunk starts from a zero state in both modes
    assert np.allclose(nll_c[:19], nll_r[:19], atol=1e-4)
    sample = lm.generate(res.model, vocab, "to be", 30, temperature=0.8, seed=1)
    assert len(sample) == 30 and set(sample) <= set(vocab.chars)
    assert sample == lm.generate(res.model, vocab, "to be", 30, temperature=0.8, seed=1)
    with pytest.raises(ValueError, match="prime"):
        lm.generate(res.model, vocab, "", 5)
    with pytest.raises(ValueError, match="temperature"):
        lm.generate(res.model, vocab, "to", 5, temperature=0)
    h = lm.hidden_states(res.model, val[:50])
    assert h.shape == (50, 16)
    assert isinstance(res.model, keras.Model)


def test_input_dropout_adds_a_weightless_layer_after_the_embedding():
    """input_dropout drops embedding features in training only; the weights are the same as without it."""
    plain = lm.build_char_lm(10, units=4, embed_dim=3)
    dropped = lm.build_char_lm(10, units=4, embed_dim=3, input_dropout=0.3)
    assert dropped.layers[2].name == "input_dropout"
    assert [w.shape for w in plain.get_weights()] == [w.shape for w in dropped.get_weights()]
    with pytest.raises(ValueError, match="input_dropout"):
        lm.build_char_lm(10, units=4, input_dropout=1.0)
    assert lm.LMConfig().input_dropout == 0.0


def test_seed_study_records_every_seed_and_loads_only_for_the_same_data_and_settings(tmp_path):
    import json

    rng = np.random.default_rng(0)
    train, val, test = (rng.integers(0, 6, n).astype(np.int32) for n in (400, 120, 120))
    cfg = lm.LMConfig(units=4, embed_dim=3, seq_len=10, batch_size=4, jit_compile=False)
    study = lm.seed_study(
        cfg, train, val, test, vocab_size=6, epochs=1, seeds=(1, 2), block=25, quiet=True
    )
    assert [r["seed"] for r in study["runs"]] == [1, 2]
    assert all(len(r["test_block_bpc"]) == (len(test) - 1) // 25 for r in study["runs"])
    assert all(0 < r["test_bpc"] < 10 for r in study["runs"])
    path = tmp_path / "study.json"
    path.write_text(json.dumps(study), encoding="utf-8")
    assert lm.load_seed_study(path, cfg, train, val, test, epochs=1, block=25) == study
    assert lm.load_seed_study(path, cfg, train, val, test, epochs=2, block=25) is None
    assert lm.load_seed_study(path, cfg, train, val, test[::-1].copy(), epochs=1, block=25) is None
    assert lm.load_seed_study(tmp_path / "missing.json", cfg, train, val, test, epochs=1) is None


def test_short_stateful_epochs_do_not_always_read_the_start_of_the_streams(monkeypatch):
    import keras

    starts = []
    real_fit = keras.Model.fit

    def spy(self, X, *args, **kwargs):
        starts.append(int(np.asarray(X)[0, 0]))  # ids are positions: where the first chunk starts
        return real_fit(self, X, *args, **kwargs)

    monkeypatch.setattr(keras.Model, "fit", spy)
    ids = np.arange(4000, dtype=np.int32)
    cfg = lm.LMConfig(
        units=4, embed_dim=3, seq_len=10, batch_size=4, stateful=True, jit_compile=False
    )
    lm.train_char_lm(
        cfg, ids, ids[:200], vocab_size=4000, epochs=3, steps_per_epoch=5, patience=3, verbose=False
    )
    # streams of about 1,000 ids; five batches read 50 of each: the start moves by more than the
    # random offset (< seq_len) alone could move it
    assert max(starts) - min(starts) > cfg.seq_len
