"""Walking input folders never aborts: links, loops, FIFOs and unreadable entries become rejects with a reason."""
from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from storyline.read import count_records, iter_documents, walk_inputs
from storyline.records import RawDocument, Reject

TEXT = ("The city council approved the new transit budget on Tuesday after a long debate, officials said, "
        "and construction is expected to begin next spring.")


def outcome(root: Path) -> dict[str, str]:
    """{path relative to root: 'doc' or the reject reason} for everything read under root."""
    found = {}
    for item in iter_documents([str(root)]):
        key = os.path.relpath(item.source.split(":")[0], root)
        found[key] = "doc" if isinstance(item, RawDocument) else item.reason  # type: ignore[union-attr]
    return found


def test_links_loops_and_special_files_are_rejects_and_the_good_files_are_read(tmp_path: Path) -> None:
    root = tmp_path / "in"
    (root / "sub").mkdir(parents=True)
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "elsewhere" / "far.txt").write_text(TEXT)
    (root / "good.txt").write_text(TEXT)
    (root / "sub" / "deep.txt").write_text(TEXT)
    os.symlink("loop_b", root / "loop_a")                  # file-symlink loop: ELOOP on open
    os.symlink("loop_a", root / "loop_b")
    os.symlink("nowhere.txt", root / "dangling")
    os.symlink("..", root / "sub" / "up")                  # a folder link back to an ancestor: a cycle
    os.symlink("../elsewhere", root / "linked")            # a folder link: followed once
    os.symlink("../../elsewhere", root / "sub" / "again")  # a second link to the same folder: not read twice
    os.symlink("good.txt", root / "alias.txt")             # a file link: read through the link
    os.mkfifo(root / "pipe")                               # reading a FIFO would block forever
    assert outcome(root) == {
        "alias.txt": "doc", "good.txt": "doc", "linked/far.txt": "doc", "sub/deep.txt": "doc",
        "loop_a": "symlink-loop", "loop_b": "symlink-loop", "dangling": "dangling-link",
        "sub/up": "symlink-loop", "sub/again": "already-read", "pipe": "not-a-file"}
    assert count_records([str(root)]) == 10


def test_an_unreadable_folder_and_file_are_rejects(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Permission errors are simulated (tests may run as root, who reads everything)."""
    root = tmp_path / "in"
    (root / "locked").mkdir(parents=True)
    (root / "good.txt").write_text(TEXT)
    (root / "secret.txt").write_text(TEXT)
    real_scandir, real_open = os.scandir, open

    def scandir(path: object) -> object:
        if str(path).endswith("locked"):
            raise PermissionError(13, "Permission denied")
        return real_scandir(path)  # type: ignore[arg-type]

    def fake_open(file: object, *args: object, **kwargs: object) -> object:
        if str(file).endswith("secret.txt"):
            raise PermissionError(13, "Permission denied")
        return real_open(file, *args, **kwargs)  # type: ignore[call-overload]

    monkeypatch.setattr(os, "scandir", scandir)
    monkeypatch.setattr("builtins.open", fake_open)
    assert outcome(root) == {"good.txt": "doc", "locked": "unreadable", "secret.txt": "unreadable"}


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads files whatever their mode")
def test_an_unreadable_file_by_mode_is_a_reject(tmp_path: Path) -> None:
    (tmp_path / "good.txt").write_text(TEXT)
    (tmp_path / "secret.txt").write_text(TEXT)
    (tmp_path / "secret.txt").chmod(0)
    assert outcome(tmp_path) == {"good.txt": "doc", "secret.txt": "unreadable"}


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-be", "utf-32"])
def test_wide_unicode_with_a_bom_is_decoded(tmp_path: Path, encoding: str) -> None:
    bom = {"utf-16": b"", "utf-16-be": b"\xfe\xff", "utf-32": b""}[encoding]
    text = " date 2021-04-07 Zürich: " + TEXT
    (tmp_path / "a.txt").write_bytes(bom + text.encode(encoding))
    (tmp_path / "b.jsonl").write_bytes(bom + "\n".join(
        json.dumps({"id": f"j{i}", "text": f"{TEXT} ({i}) Zürich"}, ensure_ascii=False) for i in range(3)).encode(encoding))
    docs = list(iter_documents([str(tmp_path)]))
    assert all(isinstance(d, RawDocument) for d in docs), docs
    assert [d.id for d in docs] == ["a", "j0", "j1", "j2"]                       # type: ignore[union-attr]
    assert docs[0].text.startswith("Zürich: ") and docs[0].date == "2021-04-07"  # type: ignore[union-attr]
    assert docs[3].text.endswith("(2) Zürich")                                    # type: ignore[union-attr]


def test_utf16_without_a_bom_and_wrong_bom_bytes_are_still_rejected(tmp_path: Path) -> None:
    (tmp_path / "nobom.txt").write_bytes(TEXT.encode("utf-16-le"))
    (tmp_path / "badbom.txt").write_bytes(b"\xff\xfe" + b"\x00\xd8" * 10)         # lone surrogates
    reasons = {Path(d.source).name: d.reason for d in iter_documents([str(tmp_path)]) if isinstance(d, Reject)}
    assert reasons == {"nobom.txt": "binary", "badbom.txt": "undecodable"}


def test_walk_inputs_of_a_file_is_the_file(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(TEXT)
    assert list(walk_inputs(tmp_path / "a.txt")) == [tmp_path / "a.txt"]
