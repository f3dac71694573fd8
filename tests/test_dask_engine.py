"""The Dask engine on a real LocalCluster (two worker processes) gives what one process gives.

The reference is ``process_file`` over the same files in this process, turned into rows as
``jobclauses extract`` writes them. Inputs: the sample corpus, a dozen generated documents
(.txt in three encodings, .docx with automatic numbering, .html), a file no reader accepts and a
missing path, split into batches of three so that several tasks and Parquet parts are involved.
"""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

import distributed
import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

import corpus  # noqa: E402

from pipeline import classify  # noqa: E402
from pipeline.batch import collect_inputs, process_file  # noqa: E402
from pipeline.catalogue import build  # noqa: E402
from pipeline.catalogue.state import Catalogue  # noqa: E402
from pipeline.engines.dask import build_dask, result_rows, run_dask  # noqa: E402

BATCH = 3


@pytest.fixture(scope="module")
def cluster():
    with distributed.LocalCluster(n_workers=2, processes=True, threads_per_worker=1,
                                  dashboard_address=None) as cluster:
        yield cluster


@pytest.fixture(scope="module")
def inputs(tmp_path_factory) -> list[str]:
    folder = tmp_path_factory.mktemp("inputs")
    corpus.generate(folder / "generated", 12, seed=7)
    (folder / "broken.docx").write_bytes(b"PK\x03\x04 not really a zip")
    return [str(ROOT / "corpora" / "samples"), str(folder), str(folder / "missing.txt")]


@pytest.fixture(scope="module")
def results(inputs) -> list:
    files, early = collect_inputs(inputs)
    model = classify.load("auto")
    return sorted([process_file(f, model) for f in files] + early, key=lambda r: r.path)


@pytest.fixture(scope="module")
def expected(results) -> dict[str, list[dict]]:
    tables: dict[str, list[dict]] = {"clauses": [], "instructions": [], "manifest": []}
    for r in results:
        clauses, instructions = result_rows(r)
        tables["clauses"] += clauses
        tables["instructions"] += instructions
        tables["manifest"].append(r.manifest())
    # As `jobclauses extract` gives them: the canonical ids of the single-process catalogue of the run.
    clauses, positions = all_clauses(results)
    built, _ = build(clauses, positions)
    for row, clause in zip(tables["clauses"], built, strict=True):
        row["canonical_id"] = clause.canonical_id
    return tables


def all_clauses(results) -> tuple[list, dict]:
    positions = {(i.source, i.index): i.position for r in results for i in r.instructions}
    return [c for r in results for c in r.clauses], positions


@pytest.fixture(scope="module")
def dask_run(cluster, inputs, tmp_path_factory) -> tuple[Path, dict]:
    out = tmp_path_factory.mktemp("dask-out")
    summary = run_dask(inputs, out, scheduler=cluster.scheduler_address, batch_size=BATCH)
    return out, summary


def read_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def read_parquet(folder: Path) -> list[dict]:
    import pyarrow.dataset as ds

    return ds.dataset(folder, format="parquet").to_table().to_pylist()


def by_place(rows: list[dict]) -> list[dict]:
    return sorted(rows, key=lambda r: (r["source"], r["start"], r.get("stop", 0)))


def test_reference_is_not_trivial(expected):
    statuses = {row["status"] for row in expected["manifest"]}
    assert statuses == {"ok", "failed"}
    assert len(expected["clauses"]) > 500


@pytest.mark.parametrize("table", ["clauses", "instructions", "manifest"])
def test_jsonl_equals_single_process_run(dask_run, expected, table):
    out, _ = dask_run
    assert read_jsonl(out / f"{table}.jsonl") == expected[table]


@pytest.mark.parametrize("table", ["clauses", "instructions"])
def test_parquet_equals_single_process_run_by_source_and_start(dask_run, expected, table):
    out, _ = dask_run
    assert by_place(read_parquet(out / "parquet" / table)) == by_place(expected[table])


def test_parquet_manifest_has_every_file_once(dask_run, expected):
    out, _ = dask_run
    rows = read_parquet(out / "parquet" / "manifest")
    assert sorted(rows, key=lambda r: r["path"]) == expected["manifest"]


def test_parquet_is_partitioned_one_part_per_batch(dask_run, expected):
    out, summary = dask_run
    files = len(expected["manifest"]) - 1  # the missing path never becomes a task
    parts = sorted(p.name for p in (out / "parquet" / "manifest").glob("part-*.parquet"))
    assert summary["batches"] == -(-files // BATCH) > 2
    assert len(parts) >= summary["batches"]


def test_summary_counts(dask_run, expected):
    _, summary = dask_run
    assert summary["workers"] == 2
    assert summary["clauses"] == len(expected["clauses"])
    assert summary["files"] == len(expected["manifest"])
    assert summary["failed"] == sum(r["status"] == "failed" for r in expected["manifest"])


def test_csv_has_a_row_per_clause(dask_run, expected):
    import csv

    out, _ = dask_run
    with open(out / "clauses.csv", encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert [r["text"].lstrip("'") for r in rows] == [r["text"] for r in expected["clauses"]]


def test_rows_carry_canonical_ids(dask_run, expected):
    out, summary = dask_run
    rows = read_jsonl(out / "clauses.jsonl")
    assert all(r["canonical_id"] for r in rows)
    assert summary["canonical"] == len({r["canonical_id"] for r in rows}) < len(rows)


# The catalogue alone on the cluster: band keys per partition, a shuffle on them, pairs verified on the
# workers, the verified pairs walked on the client, then the provision pairs scored per block key. Same catalogue as
# catalogue.build.build, from scratch or grown.


@pytest.fixture(scope="module")
def client(cluster):
    with distributed.Client(cluster) as client:
        yield client


@pytest.mark.parametrize("partitions", [1, 5])
def test_dask_catalogue_equals_single_process(client, results, partitions):
    clauses, positions = all_clauses(results)
    local, local_catalogue = build(clauses, positions)
    remote, remote_catalogue = build_dask(clauses, positions, partitions=partitions)
    assert [c.canonical_id for c in remote] == [c.canonical_id for c in local]
    assert remote_catalogue.provisions == local_catalogue.provisions
    assert remote_catalogue.variants == local_catalogue.variants
    assert remote_catalogue.keys == local_catalogue.keys
    assert len(local_catalogue) < len(local_catalogue.variants) < len(clauses)  # both levels merged something


def test_dask_catalogue_grows_an_existing_one_like_single_process(client, results):
    clauses, positions = all_clauses(results)
    half = len(clauses) // 2
    _, existing = build(clauses[:half], positions)
    local, local_catalogue = build(clauses[half:], positions, existing)
    remote, remote_catalogue = build_dask(clauses[half:], positions, existing)
    assert [c.canonical_id for c in remote] == [c.canonical_id for c in local]
    assert remote_catalogue.provisions == local_catalogue.provisions
    assert remote_catalogue.variants == local_catalogue.variants
    assert len(existing) < len(remote_catalogue)
    assert set(existing.provisions) <= set(remote_catalogue.provisions)
    assert isinstance(existing, Catalogue) and len(existing.variants) < len(remote_catalogue.variants)


def test_a_rerun_into_the_same_folder_replaces_every_part(cluster, dask_run, tmp_path):
    """Parts are written under a hidden temporary name and renamed; a rerun with fewer batches leaves none of
    the earlier run's parts (nor a part a killed run left half-written) in the dataset."""
    first, _ = dask_run
    out = tmp_path / "out"
    shutil.copytree(first, out)
    left_by_a_kill = out / "parquet" / "manifest" / ".part-00099.parquet.x1y2.tmp"
    left_by_a_kill.write_bytes(b"PAR1 half a part")
    few = [str(p) for p in sorted((ROOT / "corpora" / "samples").glob("*.txt"))][:2]
    summary = run_dask(few, out, scheduler=cluster.scheduler_address, batch_size=1)
    assert summary["batches"] == 2
    for table in ("clauses", "instructions", "manifest"):
        names = sorted(p.name for p in (out / "parquet" / table).iterdir())
        assert names == ["part-00000.parquet", "part-00001.parquet"], table
    assert sorted(r["path"] for r in read_parquet(out / "parquet" / "manifest")) == few
    assert by_place(read_parquet(out / "parquet" / "clauses")) == by_place(read_jsonl(out / "clauses.jsonl"))
