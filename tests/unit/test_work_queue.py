"""A run's new documents shared out among its extraction workers (store/work_queue.py): each file
is taken by exactly one worker, however many ask at once, and big files go first."""

from __future__ import annotations

import multiprocessing
from pathlib import Path

from dagster_project.assets.documents import extraction_workers
from store.plan import InboxFile
from store.publish import Workspace
from store.work_queue import claims_folder, claims_root, largest_first, take


def _file(name: str, size: int) -> InboxFile:
    return InboxFile(f"/inbox/{name}", name, f"{size:064x}", size, 0)


def _take_all(folder: str, ids: list[str], taken: multiprocessing.Queue) -> None:
    taken.put([i for i in ids if take(Path(folder), i)])


def test_each_document_is_taken_once_by_racing_workers(tmp_path: Path) -> None:
    folder = claims_folder(tmp_path / "budget.duckdb.building", "run-1")
    ids = [f"doc{i:03d}" for i in range(200)]
    taken: multiprocessing.Queue = multiprocessing.get_context("fork").Queue()
    workers = [
        multiprocessing.get_context("fork").Process(target=_take_all, args=(str(folder), ids, taken))
        for _ in range(4)
    ]
    for worker in workers:
        worker.start()
    shares = [taken.get(timeout=60) for _ in workers]
    for worker in workers:
        worker.join(timeout=60)
    every = [i for share in shares for i in share]
    assert sorted(every) == ids  # each once: none lost, none twice
    assert not take(folder, "doc000")


def test_largest_first() -> None:
    files = [_file("a.pdf", 10), _file("b.pdf", 300), _file("c.pdf", 20), _file("d.pdf", 300)]
    assert [f.file_name for f in largest_first(files)] == ["b.pdf", "d.pdf", "c.pdf", "a.pdf"]


def test_claims_go_with_the_working_copy(tmp_path: Path) -> None:
    workspace = Workspace(tmp_path / "budget.duckdb")
    workspace.claim("run-1")
    assert take(claims_folder(workspace.building, "run-1"), "doc")
    workspace.claim("run-1")  # the run's own claim again: nothing discarded
    workspace.begin("run-1")  # the store step: extraction is over, the claims go
    assert not claims_root(workspace.building).exists()
    workspace.release("run-1")


def test_workers_follow_the_executor() -> None:
    multiprocess = {"execution": {"config": {"multiprocess": {"max_concurrent": 3}}}}
    assert extraction_workers(multiprocess, 17) == 3
    assert extraction_workers(multiprocess, 2) == 2  # never more than documents
    assert extraction_workers({"execution": {"config": {"in_process": {}}}}, 17) == 1
    k8s = {"execution": {"config": {"job_image": "budget", "max_concurrent": 32}}}
    assert extraction_workers(k8s, 100) == 32
    celery = {"execution": {"config": {"broker": {"env": "BROKER"}, "backend": "rpc://"}}}
    assert extraction_workers(celery, 17) == 17  # its workers set their own concurrency
    assert 1 <= extraction_workers({}, 17) <= 17
