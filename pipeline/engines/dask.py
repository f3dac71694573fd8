"""Extraction on a Dask cluster: one task per batch of files, partitioned Parquet and the usual tables.

    from pipeline.engines.dask import run_dask
    run_dask(["instructions/"], "out/", scheduler="tcp://10.0.0.5:8786")   # an existing cluster
    run_dask(["instructions/"], "out/")                                    # a LocalCluster, one worker a core

The workers read the files themselves, so every worker must see the input paths (a shared or network
file system mounted at the same place); only the records travel back. Each worker process loads the
classifier once and keeps it for every batch it gets. The driver writes, in input order:

- ``parquet/clauses/``, ``parquet/instructions/``, ``parquet/manifest/``: one Parquet file per batch
  (``part-00000.parquet`` ...), a dataset that pyarrow, DuckDB, pandas or Dask read as one table;
- ``clauses.jsonl``, ``clauses.csv``, ``instructions.jsonl``, ``manifest.jsonl``: the same rows, in the
  same order, as ``jobclauses extract`` on one machine.

Batches that finish out of order wait in the driver until those before them are written, so the driver
holds at most the batches that overtook a slow one.

Then the catalogue is built on the cluster (:func:`catalogue_dask`: normalisation and band keys per
partition, a shuffle on the band keys, pairs verified per key on the workers, the verified pairs walked
on the driver; then the new variants' provisions, scored per block key on the workers and walked on the
driver) and each clause row gets its ``canonical_id``: the same ids as the single-process build.
"""

from __future__ import annotations

import csv
import dataclasses
import json
import os
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from contextlib import ExitStack
from pathlib import Path
from typing import Any

from ..atomic import atomic_path, atomic_write
from ..batch import FileResult, collect_inputs, load_classifier, process_group
from ..export.tables import CLAUSE_COLUMNS, clause_row, excel_safe, instruction_row

#: Files per task: large enough that scheduling costs little next to the work (~20 ms a file), small
#: enough that a lost worker redoes little and the cluster stays evenly loaded.
BATCH_SIZE = 64

# ---------------------------------------------------------------------------------------------
# Worker side
# ---------------------------------------------------------------------------------------------


def extract_batch(batch: Sequence[tuple[str, str]], classifier: str = "auto") -> list[dict[str, Any]]:
    """Process (path to open, path to report) pairs; plain dicts back, one per file, in order.

    The file is opened by its absolute path (a worker's working folder is not the driver's) and reported
    under the path the user gave, as the local run does.
    """
    results = process_group([open_path for open_path, _ in batch], load_classifier(classifier))
    return [dataclasses.replace(result, path=given).to_dict() for result, (_, given) in zip(results, batch,
                                                                                             strict=True)]


# ---------------------------------------------------------------------------------------------
# Driver side: tables
# ---------------------------------------------------------------------------------------------


def _schemas() -> dict[str, Any]:
    import pyarrow as pa

    text, integer = pa.string(), pa.int64()
    clause_types = {"instruction": integer, "confidence": pa.float64(), "start": integer, "stop": integer,
                    "needs_review": pa.bool_()}
    return {
        "clauses": pa.schema([(c, clause_types.get(c, text)) for c in CLAUSE_COLUMNS]),
        "instructions": pa.schema([("source", text), ("instruction", integer), ("title", text),
                                   ("position", text), ("start", integer), ("stop", integer)]),
        "manifest": pa.schema([("path", text), ("source", text), ("status", text), ("reason", text),
                               ("format", text), ("reader", text), ("encoding", text), ("sha256", text),
                               ("instructions", integer), ("clauses", integer), ("warnings", pa.list_(text))]),
    }


def result_rows(result: FileResult) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The clause and instruction rows of one file, as the local run writes them (facts beside instructions).

    ``canonical_id`` stays empty here: the catalogue is built over all clauses of a run, not per batch
    (:func:`fill_canonical_ids` fills it once every batch is in).
    """
    positions = {i.index: i.position for i in result.instructions}
    clauses = [clause_row(c, positions.get(c.instruction, ""), result.path) for c in result.clauses]
    facts = {row["instruction"]: row for row in getattr(result, "facts", ())}
    instructions = []
    for i in result.instructions:
        extra = {k: v for k, v in facts.get(i.index, {}).items() if k not in ("source", "instruction", "position")}
        instructions.append(instruction_row(i, result.path) | extra)
    return clauses, instructions


def arrow_type(values: Sequence[Any]) -> Any:
    """The Parquet type of a column the schemas do not name (facts, later manifest fields).

    A column of None alone is taken for a missing number: empty text fields are "" in these rows.
    """
    import pyarrow as pa

    kinds = {type(v) for v in values if v is not None}
    if kinds == {bool}:
        return pa.bool_()
    if kinds == {int}:
        return pa.int64()
    if kinds <= {int, float}:
        return pa.float64()
    return pa.string()


class TableWriter:
    """Writes batches in order: a Parquet part per batch and table, and streamed JSONL/CSV files."""

    def __init__(self, out_dir: Path, early: Sequence[FileResult] = ()):
        import pyarrow.parquet  # noqa: F401  (fail before any work when pyarrow is missing)

        self.out = out_dir
        self.schemas = _schemas()
        # Inputs that failed before any task (missing paths) join the manifest where their path sorts.
        self.early = sorted(early, key=lambda r: r.path)
        self.stack = ExitStack()
        self.counts = {"files": 0, "clauses": 0, "instructions": 0, "ok": 0, "skipped": 0, "failed": 0}
        self.parts = 0
        for table in self.schemas:
            # A rerun replaces the earlier run's parts (and any a killed run left half-written): a part of
            # another run must never join this run's dataset.
            (out_dir / "parquet" / table).mkdir(parents=True, exist_ok=True)
            for old in (*(out_dir / "parquet" / table).glob("part-*.parquet"),
                        *(out_dir / "parquet" / table).glob(".part-*.tmp")):
                old.unlink()
        self.jsonl = {name: self.stack.enter_context(atomic_write(out_dir / f"{name}.jsonl", encoding="utf-8",
                                                                  newline="\n"))
                      for name in ("clauses", "instructions", "manifest")}
        csv_file = self.stack.enter_context(atomic_write(out_dir / "clauses.csv", encoding="utf-8-sig", newline=""))
        self.csv = csv.DictWriter(csv_file, fieldnames=list(CLAUSE_COLUMNS), extrasaction="ignore")
        self.csv.writeheader()

    def write(self, results: Iterable[FileResult]) -> None:
        tables: dict[str, list[dict[str, Any]]] = {name: [] for name in self.schemas}
        for result in results:
            while self.early and self.early[0].path < result.path:
                tables["manifest"].append(self._count(self.early.pop(0)).manifest())
            clauses, instructions = result_rows(self._count(result))
            tables["clauses"] += clauses
            tables["instructions"] += instructions
            tables["manifest"].append(result.manifest())
        self._emit(tables)

    def close(self) -> None:
        if self.early:
            self._emit({"clauses": [], "instructions": [],
                        "manifest": [self._count(r).manifest() for r in self.early]})
            self.early = []
        self.stack.close()  # renames the JSONL and CSV files into place

    def abort(self) -> None:
        self.stack.__exit__(RuntimeError, RuntimeError("aborted"), None)  # temporary files removed

    def _count(self, result: FileResult) -> FileResult:
        self.counts["files"] += 1
        self.counts[result.status] += 1
        self.counts["clauses"] += len(result.clauses)
        self.counts["instructions"] += len(result.instructions)
        return result

    def _emit(self, tables: dict[str, list[dict[str, Any]]]) -> None:
        import pyarrow as pa

        for name, rows in tables.items():
            for row in rows:
                self.jsonl[name].write(json.dumps(row, ensure_ascii=False) + "\n")
            if rows:
                schema = self._schema(name, rows)
                columns = {field.name: [_cell(row.get(field.name), field.type) for row in rows] for field in schema}
                write_part(pa.table(columns, schema=schema),
                           self.out / "parquet" / name / f"part-{self.parts:05d}.parquet")
        for row in tables["clauses"]:
            self.csv.writerow({k: excel_safe(v) for k, v in row.items()})
        self.parts += 1

    def _schema(self, name: str, rows: list[dict[str, Any]]) -> Any:
        """The table's schema, grown by any column first seen in ``rows`` (its type then fixed for all parts)."""
        schema = self.schemas[name]
        for key in dict.fromkeys(k for row in rows for k in row):
            if key not in schema.names:
                schema = schema.append(_field(key, arrow_type([row.get(key) for row in rows])))
        self.schemas[name] = schema
        return schema


def write_part(table: Any, path: Path) -> None:
    """Write a Parquet part under a temporary name beside ``path`` (hidden from dataset readers by its dot)
    and rename it into place once complete: a kill never leaves a half-written part under a part's name."""
    import pyarrow.parquet as pq

    with atomic_path(path) as tmp:
        pq.write_table(table, tmp)


def _field(name: str, type_: Any) -> Any:
    import pyarrow as pa

    return pa.field(name, type_)


def _cell(value: Any, type_: Any) -> Any:
    import pyarrow as pa

    if value is None or not pa.types.is_string(type_) or isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False) if isinstance(value, list | dict) else str(value)


# ---------------------------------------------------------------------------------------------
# The catalogue on Dask: the same variants, provisions and ids as pipeline.catalogue.build.build
# ---------------------------------------------------------------------------------------------
#
# 1. per partition: each clause normalised (lemma key, readable text) and profiled (content and decisive words);
# 2. a groupby on (label, key, profile) counts the keys (and keeps each key's smallest readable text); the
#    client forms the units in the order the single-process build walks them (heaviest first), after the
#    existing anchors;
# 3. per partition of units: their MinHash band keys (``candidates.band_key_matrix``), one row per (unit, key);
#    a groupby on the band key (salted with the label) shuffles each key's units together; each group verifies
#    its pairs (``build.verified_pairs``: every unit against the first BUCKET_CAP units of the key);
# 4. the client walks the units with the (small) list of verified pairs (``build.assign``): the variants;
# 5. the provision walk of each label (``build.walk``) is cut into block-key groups; the workers score each
#    group's pairs (``provisions.pairs_of_group``) and the client walks the variants with them
#    (``provisions.assign``), which gives the provisions the single-process build gives.

_KEYED = {"label": "object", "key": "object", "words": "object", "signature": "object", "readable": "object",
          "context": "int64"}
#: The clause columns the catalogue reads.
CATALOGUE_INPUT = ["label", "text", "lead_in", "position", "source", "instruction", "section_number", "section_title"]


def normalise_partition(frame: Any) -> Any:
    """Clause rows (CATALOGUE_INPUT) -> (label, key, words, signature, readable, context), one row per clause."""
    import pandas as pd

    from ..catalogue.provisions import context_id
    from ..catalogue.variants import profile
    from ..normalise import normalise

    rows = []
    for label, text, lead_in, position, source, instruction, number, title in zip(
            *(frame[c] for c in CATALOGUE_INPUT), strict=True):
        label, position = label or "", position or ""
        norm = normalise(text, position, lead_in or "")
        words, signature = profile(norm.lemmas, label)
        # 0: no known section (see build.clause_context)
        context = (context_id(source or "", int(instruction or 0), number or "", title or "", lead_in or "")
                   if number or title else 0)
        rows.append((label, norm.key, " ".join(sorted(words)), " ".join(sorted(signature)), norm.readable, context))
    return pd.DataFrame(rows, columns=list(_KEYED), index=frame.index).astype(_KEYED)


_BANDED = {"label": "object", "band": "int64", "item": "int64", "words": "object", "signature": "object"}


def band_partition(frame: Any) -> Any:
    """Unit rows (label, item, words, signature) -> one row per band key of each unit."""
    import pandas as pd

    from ..catalogue.candidates import band_key_matrix

    rows = []
    for label, part in frame.groupby("label", sort=True):
        profiles = [(frozenset(w.split()), frozenset(s.split())) for w, s in zip(part["words"], part["signature"],
                                                                                  strict=True)]
        keys = band_key_matrix(profiles, label)
        for row, (item, words, signature) in enumerate(zip(part["item"], part["words"], part["signature"],
                                                           strict=True)):
            rows.extend((label, band, item, words, signature) for band in keys[row].tolist())
    return pd.DataFrame(rows, columns=list(_BANDED)).astype(_BANDED)


_PAIRS = {"label": "object", "earlier": "int64", "later": "int64", "jaccard": "float64"}


def verify_partition(frame: Any) -> Any:
    """The verified pairs of every band key in a partition that holds all the rows of its keys.

    Each key's units are paired as ``build.verified_pairs`` says; a pair met under several keys is
    listed once per key (the client drops the repeats).
    """
    import pandas as pd

    from ..catalogue.build import verified_pairs

    groups: dict[int, list[tuple[int, Any]]] = defaultdict(list)
    labels: dict[int, str] = {}
    for label, band, item, words, signature in zip(frame["label"], frame["band"], frame["item"], frame["words"],
                                                   frame["signature"], strict=True):
        groups[band].append((int(item), (frozenset(words.split()), frozenset(signature.split()))))
        labels[band] = label
    rows = [(labels[band], *pair) for band, members in groups.items() if len(members) > 1
            for pair in verified_pairs(labels[band], members)]
    return pd.DataFrame(rows, columns=list(_PAIRS)).astype(_PAIRS)


_TEXTS = {"label": "object", "key": "object", "readable": "object"}


def _smallest_texts(frame: Any) -> Any:
    """One row per (label, key): its smallest readable text."""
    ordered = frame.sort_values(["label", "key", "readable"], kind="stable")
    return ordered.drop_duplicates(["label", "key"])[list(_TEXTS)].reset_index(drop=True).astype(_TEXTS)


_BLOCKED = {"label": "object", "block": "int64", "item": "int64", "text": "object"}
_SCORED = {"label": "object", "earlier": "int64", "later": "int64", "score": "float64"}


def score_partition(frame: Any) -> Any:
    """The provision pairs of every block key in a partition that holds all the rows of its keys
    (``provisions.pairs_of_group``, with the scorer this worker loads)."""
    import pandas as pd

    from ..catalogue import similarity
    from ..catalogue.provisions import pairs_of_group

    scorer = similarity.load()
    groups: dict[tuple[str, int], list[tuple[int, Any]]] = defaultdict(list)
    for label, block, item, text in zip(frame["label"], frame["block"], frame["item"], frame["text"], strict=True):
        groups[(label, block)].append((int(item), similarity.profile(text, label)))
    rows = [(label, *pair) for (label, _), members in groups.items() if len(members) > 1
            for pair in pairs_of_group(members, scorer)]
    return pd.DataFrame(rows, columns=list(_SCORED)).astype(_SCORED)


def catalogue_dask(clauses: Any, existing: Any = None, partitions: int | None = None) -> tuple[Any, Any]:
    """Build the catalogue of a Dask DataFrame of clause rows (label, text, position) on the current client.

    Returns the (label, key) of every row as a Dask DataFrame (same partitions as ``clauses``) and the
    grown ``Catalogue``; ``existing`` is never modified. Pairs are verified and scored on the workers; the
    client holds one row per distinct (label, key) and per variant, and the pairs.
    """
    import dask.dataframe as dd
    import pandas as pd

    from ..catalogue import similarity
    from ..catalogue.build import (
        assign,
        first_named_guard,
        label_items,
        name_texts,
        new_variants,
        units,
        variant_contexts,
        variant_weights,
        walk,
    )
    from ..catalogue.provisions import assign as assign_provisions
    from ..catalogue.provisions import block_keys
    from ..catalogue.state import Catalogue

    catalogue = existing.copy() if existing is not None else Catalogue()
    # Kept on the workers: the counts below and the ids afterwards both read it (normalised once).
    keyed = clauses[CATALOGUE_INPUT].map_partitions(normalise_partition, meta=_KEYED).persist()
    counts = keyed.groupby(["label", "key", "words", "signature"]).size().compute()
    contexts: dict[tuple[str, str], set[int]] = defaultdict(set)
    for label, key, context in keyed.groupby(["label", "key", "context"]).size().compute().index:
        if context:
            contexts[(label, key)].add(int(context))
    # Each key's smallest readable text (the variant's text, as the single-process build picks it).
    smallest = keyed[["label", "key", "readable"]].map_partitions(_smallest_texts, meta=_TEXTS).compute()
    texts = {(label, key): readable for label, key, readable in _smallest_texts(smallest).itertuples(index=False)}
    per_label: dict[str, tuple[dict[str, int], dict[str, Any]]] = {}
    for (label, key, words, signature), n in counts.items():
        keys, profiles = per_label.setdefault(label, ({}, {}))
        keys[key] = int(n)
        profiles[key] = (frozenset(words.split()), frozenset(signature.split()))
    items = {label: label_items(label, units(label, keys, profiles=profiles), catalogue)
             for label, (keys, profiles) in sorted(per_label.items())}
    table = pd.DataFrame(
        [(label, i, " ".join(sorted(u.profile[0])), " ".join(sorted(u.profile[1])))
         for label, walk_ in items.items() for i, u in enumerate(walk_)],
        columns=["label", "item", "words", "signature"],
    ).astype({"label": "object", "item": "int64", "words": "object", "signature": "object"})
    verified: dict[str, dict[int, list[tuple[int, float]]]] = {label: {} for label in items}
    npartitions = partitions or max(1, clauses.npartitions)
    if len(table):
        units_frame = dd.from_pandas(table, npartitions=npartitions)
        banded = units_frame.map_partitions(band_partition, meta=_BANDED)
        # A shuffle on the band key (salted with the label) brings each key's rows into one partition.
        pairs = banded.shuffle("band").map_partitions(verify_partition, meta=_PAIRS).compute()
        for label, earlier, later, jaccard in pairs.drop_duplicates().itertuples(index=False):
            verified[label].setdefault(int(later), []).append((int(earlier), float(jaccard)))
    scorer = similarity.load()
    for label, walk_ in items.items():
        for pairs_of in verified[label].values():
            pairs_of.sort()
        assign(label, walk_, catalogue, verified=verified[label],
               allowed=first_named_guard(label, walk_, catalogue, texts, scorer))

    # Provisions: the walk per label on the client, its pairs scored per block key on the workers.
    label_counts = {label: keys for label, (keys, _) in per_label.items()}
    new = variant_weights(catalogue, label_counts, new_variants(catalogue, existing))
    name_texts(catalogue, new, texts)
    by_variant = variant_contexts(catalogue, contexts)
    walks = {label: walk(label, catalogue, new, by_variant)
             for label in sorted({catalogue.variants[v].label for v in new})}
    blocked = pd.DataFrame(
        [(label, block, i, catalogue.variants[it.variant].text) for label, walk_ in walks.items()
         for i, it in enumerate(walk_)
         for block in block_keys(it.profile, scorer)],
        columns=list(_BLOCKED)).astype(_BLOCKED)
    scored: dict[str, dict[int, dict[int, float]]] = {label: {} for label in walks}
    if len(blocked):
        frame = dd.from_pandas(blocked, npartitions=npartitions)
        pairs = frame.shuffle("block").map_partitions(score_partition, meta=_SCORED).compute()
        for label, earlier, later, value in pairs.drop_duplicates().itertuples(index=False):
            scored[label].setdefault(int(later), {})[int(earlier)] = float(value)
    for label, walk_ in walks.items():
        assign_provisions(label, walk_, catalogue, scorer, scored[label])
    return keyed[["label", "key"]], catalogue


def canonical_ids(keyed: Any, catalogue: Any) -> list[str]:
    """The canonical id (provision) of every row of ``keyed`` (label, key), in row order."""
    frame = keyed.compute()
    return [catalogue.provision_of_key(label, key) for label, key in zip(frame["label"], frame["key"], strict=True)]


def build_dask(clauses: Sequence[Any], positions: dict[tuple[str, int], str], existing: Any = None,
               partitions: int = 4) -> tuple[list[Any], Any]:
    """``catalogue.build.build`` on the current Dask client: the clauses with their ``canonical_id`` and the
    catalogue."""
    import dask.dataframe as dd
    import pandas as pd

    from ..catalogue.build import with_ids

    frame = pd.DataFrame({"label": [c.label for c in clauses], "text": [c.text for c in clauses],
                          "lead_in": [c.lead_in for c in clauses],
                          "position": [positions.get((c.source, c.instruction), "") for c in clauses],
                          "source": [c.source for c in clauses], "instruction": [c.instruction for c in clauses],
                          "section_number": [c.section_number for c in clauses],
                          "section_title": [c.section_title for c in clauses]}, dtype=object)
    keyed, catalogue = catalogue_dask(dd.from_pandas(frame, npartitions=max(1, min(partitions, len(frame)))),
                                      existing)
    keys = keyed.compute()["key"].tolist() if len(frame) else []
    return with_ids(clauses, keys, catalogue), catalogue



def fill_canonical_ids(out: Path, partitions: int) -> int:
    """Catalogue the clauses of a finished run on the current client and write their ``canonical_id``.

    The clause rows (label, text, position) are read from the run's Parquet parts by the driver and sent
    to the workers, so the output folder need not be shared with them. ``clauses.jsonl``, ``clauses.csv``
    and the Parquet parts are rewritten with the ids, as ``jobclauses extract`` writes them on one
    machine. Returns the number of canonical clauses.
    """
    import dask.dataframe as dd
    import pandas as pd
    import pyarrow as pa
    import pyarrow.parquet as pq

    parts = sorted((out / "parquet" / "clauses").glob("part-*.parquet"))
    frame = pd.concat([pq.read_table(p, columns=CATALOGUE_INPUT).to_pandas() for p in parts],
                      ignore_index=True).astype(object)
    if frame.empty:
        return 0
    keyed, catalogue = catalogue_dask(dd.from_pandas(frame, npartitions=max(1, min(partitions, len(frame)))))
    ids = canonical_ids(keyed, catalogue)
    offset = 0
    for part in parts:
        table = pq.read_table(part)
        column = pa.array(ids[offset: offset + table.num_rows], pa.string())
        offset += table.num_rows
        write_part(table.set_column(table.schema.get_field_index("canonical_id"), "canonical_id", column), part)
    with ExitStack() as stack:
        # Streamed: the old file is read while its replacement is written beside it (renamed at the end).
        lines = stack.enter_context(open(out / "clauses.jsonl", encoding="utf-8"))
        jsonl = stack.enter_context(atomic_write(out / "clauses.jsonl", encoding="utf-8", newline="\n"))
        csv_file = stack.enter_context(atomic_write(out / "clauses.csv", encoding="utf-8-sig", newline=""))
        table_csv = csv.DictWriter(csv_file, fieldnames=list(CLAUSE_COLUMNS), extrasaction="ignore")
        table_csv.writeheader()
        for line, cid in zip(lines, ids, strict=True):
            row = json.loads(line)
            row["canonical_id"] = cid
            jsonl.write(json.dumps(row, ensure_ascii=False) + "\n")
            table_csv.writerow({k: excel_safe(v) for k, v in row.items()})
    return len(catalogue)


# ---------------------------------------------------------------------------------------------
# Driver side: the run
# ---------------------------------------------------------------------------------------------


def batches(files: Sequence[Path], size: int) -> list[list[tuple[str, str]]]:
    pairs = [(os.path.abspath(f), str(f)) for f in files]
    return [pairs[i:i + size] for i in range(0, len(pairs), size)]


def _failed_batch(batch: Sequence[tuple[str, str]], error: BaseException) -> list[FileResult]:
    # A task that kept killing its workers (Dask retries it elsewhere first): its files fail, the run goes on.
    reason = f"dask task failed: {type(error).__name__}: {error}"[:300]
    return [FileResult(path=given, status="failed", reason=reason) for _, given in batch]


def in_order(client: Any, work: list[list[tuple[str, str]]], classifier: str) -> Iterator[list[FileResult]]:
    """Submit every batch, yield their results in submission order as soon as each is next in line."""
    from distributed import as_completed

    futures = client.map(extract_batch, work, classifier=classifier, pure=False)
    index = {f.key: i for i, f in enumerate(futures)}
    ready: dict[int, list[FileResult]] = {}
    following = 0
    for future in as_completed(futures):
        i = index[future.key]
        try:
            ready[i] = [FileResult.from_dict(row) for row in future.result()]
        except Exception as error:
            ready[i] = _failed_batch(work[i], error)
        future.release()
        while following in ready:
            yield ready.pop(following)
            following += 1


def run_dask(
    inputs: Sequence[str | os.PathLike[str]],
    out_dir: str | os.PathLike[str],
    scheduler: str | None = None,
    classifier: str = "auto",
    *,
    batch_size: int = BATCH_SIZE,
    n_workers: int | None = None,
    catalogue: bool = True,
) -> dict[str, Any]:
    """Extract ``inputs`` on the Dask scheduler at ``scheduler`` (or a new LocalCluster) into ``out_dir``.

    With ``catalogue`` (the default) the clauses are then catalogued on the cluster too and every clause
    row gets its ``canonical_id``, as ``jobclauses extract`` gives it on one machine.
    Returns counts: files, ok, skipped, failed, instructions, clauses, batches, workers, canonical.
    """
    from distributed import Client, LocalCluster

    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    files, early = collect_inputs(inputs)
    work = batches(files, batch_size)
    writer = TableWriter(out, early)
    with ExitStack() as stack:
        if scheduler:
            client = stack.enter_context(Client(scheduler))
        else:
            cluster = stack.enter_context(LocalCluster(n_workers=n_workers, threads_per_worker=1, processes=True,
                                                       dashboard_address=None))
            client = stack.enter_context(Client(cluster))
        try:
            for results in in_order(client, work, classifier):
                writer.write(results)
        except BaseException:
            writer.abort()
            raise
        writer.close()
        workers = len(client.scheduler_info().get("workers", {}))
        canonical = fill_canonical_ids(out, partitions=max(1, min(len(work), 4 * workers))) if catalogue else 0
    return {**writer.counts, "batches": len(work), "workers": workers, "canonical": canonical}
