"""The trained model pack (filled in by step 3); until then only its presence is checked."""

from __future__ import annotations

from pathlib import Path

PACK_VERSION = "clauses-v1"
MODELS_DIR = Path(__file__).resolve().parent.parent.parent / "models"


def pack_dir() -> Path:
    return MODELS_DIR / PACK_VERSION


def pack_exists() -> bool:
    return (pack_dir() / "meta.json").exists()


def load_pack():
    raise FileNotFoundError(f"no model pack at {pack_dir()}: run `make train`")
