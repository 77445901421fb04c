"""Subword tokens: a SentencePiece model (BPE or unigram LM) trained on a list of texts, in memory.

Introduced in 07 (NSMC), where it is the fourth tokenizer of the race next to whitespace words,
Kiwi morphemes and syllables. The model is learned from the training split only, like every
other statistic of the course; `SubwordModel.encode` turns a text into pieces joined by spaces
(`'▁영화 가 ▁재밌 었어요'`), the format `TextVectorization(split='whitespace')` reads.

BPE (Sennrich et al., 2016) is the default: on NSMC's 131k training reviews SentencePiece trains
it in seconds, the unigram LM (Kudo, 2018) in about half a minute or more.

Korean detail: SentencePiece's default normaliser is NFKC, which rewrites compatibility jamo
(ㅋㅋ, ㅠㅠ, typed as U+3131..U+318E) into conjoining jamo (U+1100..), so ㅋ would no longer
match the ㅋ of the other tokenizers. We normalise to NFC ourselves (`korean.clean_review`) and
train with `normalization_rule_name="identity"`.
"""

from __future__ import annotations

import io
import os
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

SPACE = "▁"  # SentencePiece marks the start of a space-separated word with U+2581
MODEL_TYPES = ("bpe", "unigram")


def _spm() -> Any:
    try:
        import sentencepiece
    except ImportError as err:  # pragma: no cover - depends on the environment
        raise ImportError(
            "sentencepiece is not installed: `pip install -r requirements.txt`."
        ) from err
    return sentencepiece


def sentencepiece_version() -> str:
    """The installed sentencepiece version (a clear ImportError if it is missing)."""
    return str(_spm().__version__)


def _check_texts(texts: Iterable[str]) -> list[str]:
    if isinstance(texts, str):
        raise TypeError(
            "Pass a list of texts, not one str (a str would be read character by character)."
        )
    items = list(texts)
    for i, t in enumerate(items):
        if not isinstance(t, str):
            raise TypeError(f"Text #{i} is {type(t).__name__}, not str: {t!r:.60}")
    return items


@dataclass(frozen=True)
class SubwordModel:
    """A trained SentencePiece model (its serialized bytes) with the settings it was trained with."""

    proto: bytes
    settings: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if not isinstance(self.proto, (bytes, bytearray)) or not self.proto:
            raise ValueError(
                "SubwordModel needs the serialized model bytes (from train_subword or a .model file)."
            )

    @property
    def processor(self) -> Any:
        """The sentencepiece.SentencePieceProcessor (built once, then reused)."""
        proc = self.__dict__.get("_processor")
        if proc is None:
            proc = _spm().SentencePieceProcessor(model_proto=bytes(self.proto))
            object.__setattr__(self, "_processor", proc)  # frozen dataclass: cache by hand
        return proc

    @property
    def vocab_size(self) -> int:
        """Number of pieces, the special <unk>, <s>, </s> included."""
        return int(self.processor.get_piece_size())

    def pieces(self, text: str) -> list[str]:
        """The pieces of one text: '영화가 재밌었어요' -> ['▁영화', '가', '▁재밌', '었어요']."""
        if not isinstance(text, str):
            raise TypeError(f"pieces expects a str, got {type(text).__name__}.")
        return list(self.processor.encode(unicodedata.normalize("NFC", text), out_type=str))

    def encode(self, texts: str | Iterable[str]) -> list[str]:
        """Pieces of each text joined by single spaces (one string per text; '' for an empty text)."""
        items = [texts] if isinstance(texts, str) else _check_texts(texts)
        items = [unicodedata.normalize("NFC", t) for t in items]
        return [" ".join(p) for p in self.processor.encode(items, out_type=str)]

    def save(self, path: str | Path) -> Path:
        """Write the model to a .model file (readable by any SentencePiece tool); atomic."""
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
        tmp.write_bytes(bytes(self.proto))
        os.replace(tmp, path)
        return path

    @classmethod
    def load(cls, path: str | Path) -> SubwordModel:
        """Read a .model file written by `save` (or by spm_train)."""
        path = Path(path)
        if not path.is_file():
            raise FileNotFoundError(
                f"No SentencePiece model at {path.name!r}; train one with train_subword()."
            )
        return cls(path.read_bytes(), {"loaded_from": path.name})


def train_subword(
    texts: Sequence[str],
    vocab_size: int = 8000,
    *,
    model_type: str = "bpe",
    character_coverage: float = 0.9995,
    seed: int = 0,
    num_threads: int = 1,
    hard_vocab_limit: bool = False,
) -> SubwordModel:
    """Train a SentencePiece model on `texts` (the training split only) and return it, in memory.

    `character_coverage` < 1 maps the rarest characters to <unk> (0.9995 is SentencePiece's advice
    for languages with large character sets such as Korean). `num_threads=1` and `seed` make the
    result the same on every run; `hard_vocab_limit=False` lets a small corpus end with fewer pieces.
    """
    items = [t for t in _check_texts(texts) if t.strip()]
    if not items:
        raise ValueError("No non-empty texts to train a subword model on.")
    if model_type not in MODEL_TYPES:
        raise ValueError(f"model_type must be one of {MODEL_TYPES}, got {model_type!r}.")
    if vocab_size < 8:
        raise ValueError(
            f"vocab_size={vocab_size} is too small; use a few thousand for a real corpus."
        )
    if not 0.9 <= character_coverage <= 1.0:
        raise ValueError(f"character_coverage must be in [0.9, 1], got {character_coverage}.")
    spm = _spm()
    spm.set_random_generator_seed(seed)
    settings = {
        "vocab_size": vocab_size,
        "model_type": model_type,
        "character_coverage": character_coverage,
        "seed": seed,
        "hard_vocab_limit": hard_vocab_limit,
        "normalization_rule_name": "identity",
        "sentencepiece": sentencepiece_version(),
        "n_texts": len(items),
    }
    buffer = io.BytesIO()
    try:
        spm.SentencePieceTrainer.train(
            sentence_iterator=iter(items),
            model_writer=buffer,
            vocab_size=vocab_size,
            model_type=model_type,
            character_coverage=character_coverage,
            normalization_rule_name="identity",
            hard_vocab_limit=hard_vocab_limit,
            num_threads=num_threads,
            input_sentence_size=0,
            shuffle_input_sentence=False,
            minloglevel=2,
        )
    except RuntimeError as err:
        raise ValueError(
            f"SentencePiece could not train on {len(items):,} texts with vocab_size={vocab_size}: "
            f"{err}. Adjust vocab_size (at least the number of distinct characters kept, at most what "
            "the text supports) or character_coverage."
        ) from err
    return SubwordModel(buffer.getvalue(), settings)
