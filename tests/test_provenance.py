"""No vocabulary entry written from one shared document's wording (issue 13): every entry that fires in exactly
one ``../shared/eval`` document and in no document written for the project is either removed or judged general
in ``evaluation/provenance_reviewed.tsv``, with why."""

from __future__ import annotations

import pytest

from evaluation.provenance import ROOT, provenance, shared_documents

SHARED = ROOT.parent / "shared"
REVIEWED = ROOT / "evaluation" / "provenance_reviewed.tsv"


def reviewed() -> set[tuple[str, str]]:
    rows = [line.split("\t") for line in REVIEWED.read_text(encoding="utf-8").splitlines()
            if line.strip() and not line.startswith("#")]
    return {(row[0], "\t".join(row[1:-1]).strip()) for row in rows}


@pytest.mark.skipif(not (SHARED / "eval" / "dev").is_dir(), reason="../shared/eval is not next to this checkout")
def test_no_entry_fires_only_in_one_shared_document():
    assert shared_documents(SHARED) >= 10
    judged = reviewed()
    suspects = [(e.file, e.text, e.shared[0]) for e in provenance(SHARED)
                if e.suspect and (e.file, e.text.strip()) not in judged]
    assert suspects == [], "entries of one shared document: remove them or judge them general in " + str(REVIEWED)


def test_every_reviewed_entry_still_exists():
    from evaluation.provenance import vocabulary

    present = {(e.file, e.text.strip()) for e in vocabulary()}
    assert reviewed() <= present


def test_the_provenance_of_an_entry_is_found():
    entries = {(e.file, e.text.split("\t")[0]): e for e in provenance(SHARED)}
    navigation = entries[("navigation.txt", "читайте также")]
    assert any(name.startswith("samples/") for name in navigation.project)
