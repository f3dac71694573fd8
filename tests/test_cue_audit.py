"""The cue audit (evaluation/cues.py): no cue of pipeline/data/cues.txt may come from one evaluation document.

An entry that fires in exactly one evaluation document (../shared/eval dev and gold-seed) and nowhere in the
project's own documents or training rows was, in all likelihood, written from that document; this test lists
such entries. Without ../shared/eval there is nothing to compare with, and the first test checks only that the
audit runs over the project's own corpora.
"""

import json

from evaluation import cues as audit


def test_no_cue_fires_in_one_evaluation_document_only():
    found = audit.audit()
    assert sum(1 for f in found if f.own or f.training) > 0.8 * len(found)  # the audit sees the project's corpora
    assert [f"line {f.cue.line}: {f.cue.group}: {f.cue.text}" for f in found if f.suspect] == []


def test_the_audit_finds_an_entry_written_from_one_document(tmp_path):
    evaluation, own = tmp_path / "eval", tmp_path / "own"
    for folder, texts in ((evaluation, ["Фиолетовый слон танцует на складе.", "Ведёт учёт."]),
                          (own, ["Ведёт журнал учёта.", "Оформляет накладные."])):
        folder.mkdir()
        (folder / "d.txt").write_text("\n".join(texts), encoding="utf-8")
        (folder / "d.gold.jsonl").write_text("\n".join(json.dumps(
            {"type": "clause", "instruction": 1, "number": "", "text": t, "label": "duty"}, ensure_ascii=False)
            for t in texts), encoding="utf-8")
    cue_file = tmp_path / "cues.txt"
    cue_file.write_text("own.duty: фиолетовый слон | Фиолетовый слон везёт поддон.\n"
                        "own.duty: вести учет | Ведёт учёт тары.\n", encoding="utf-8")
    found = {f.cue.text: f for f in audit.audit((evaluation,), (own,), cue_file)}
    assert found["фиолетовый слон"].suspect and len(found["фиолетовый слон"].evaluation) == 1
    assert not found["вести учет"].suspect and found["вести учет"].own
