"""Gold files (``../shared/eval/FORMAT.md``) written by the scripts that build the project's held-out documents."""

from __future__ import annotations

import json
from pathlib import Path

LABELS = {"d": "duty", "r": "right", "l": "liability", "q": "requirement", "o": "other"}


class Gold:
    """Instruction and clause records in document order; ``clause`` takes a label's letter (``LABELS``)."""

    def __init__(self) -> None:
        self.records: list[dict] = []
        self.instruction = 0

    def start(self, title: str, position: str, alt: list[str] | None = None) -> None:
        self.instruction += 1
        rec = {"type": "instruction", "instruction": self.instruction, "title": title, "position": position}
        if alt:
            rec["position_alt"] = alt
        self.records.append(rec)

    def clause(self, number: str, text: str, label: str) -> None:
        self.records.append({"type": "clause", "instruction": self.instruction, "number": number,
                             "text": text, "label": LABELS[label]})

    def write(self, path: Path) -> None:
        path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in self.records), "utf-8")
