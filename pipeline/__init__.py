"""jobclauses: Russian job descriptions (должностные инструкции) into structured, classified clauses.

The stages, each a function from records to records::

    read(path) -> Document
    structure(document) -> Structure (instructions, sections, clauses, spans)
    classifier.predict(clauses) -> clauses with label, confidence, reason
"""

from .readers import ReadError, read
from .records import LABELS, SECTION_TYPES, Block, Clause, Document, Instruction, Section, Span, Structure

__all__ = [
    "LABELS",
    "SECTION_TYPES",
    "Block",
    "Clause",
    "Document",
    "Instruction",
    "ReadError",
    "Section",
    "Span",
    "Structure",
    "read",
]
__version__ = "0.1.0"
