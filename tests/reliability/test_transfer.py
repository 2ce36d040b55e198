"""Export and import of facts: round trips, private files, and imports that validate
the whole file first and write nothing on any error."""

from __future__ import annotations

import json
import os
import stat

import pytest

from assistant.cli import main
from assistant.errors import InputError
from assistant.facts import AddFact, CorrectionInput, RemoveFact
from assistant.store.database import open_database
from assistant.store.graph_store import GraphStore
from assistant.store.transfer import export_facts, import_facts

from .test_bad_input import snapshot

WEIRD = 'Robert\'); DROP TABLE facts;-- 🐶 مرحبا, "quoted"'


@pytest.fixture
def taught(store):
    """A graph with replaced facts, aliases and awkward text."""
    first = store.apply_correction(
        CorrectionInput("What does my dog Bruno eat?", "meat", "Bruno", aliases=("my dog",)),
        [AddFact("eats", "meat", -1, -1)],
    )
    store.apply_correction(
        CorrectionInput("What does Bruno eat?", "vegetables", "Bruno"),
        [AddFact("diet", "vegetables", -1, -1), RemoveFact(first.added[0].id, -5, -5)],
    )
    store.apply_correction(
        CorrectionInput("Who is it?", WEIRD, WEIRD), [AddFact("is", WEIRD, -1, -1)]
    )
    return store


def rows(store):
    return sorted(
        (f.subject, f.relation, f.object, f.created_at, f.invalid_at)
        for f in store.facts(include_invalid=True)
    )


def new_store(tmp_path, name):
    return GraphStore(open_database(tmp_path / name / "assistant.db"))


@pytest.mark.parametrize("fmt", ["json", "csv"])
def test_a_round_trip_into_an_empty_home_gives_the_same_facts(taught, tmp_path, fmt):
    path = tmp_path / f"facts.{fmt}"
    exported = export_facts(taught, path)
    target = new_store(tmp_path, "empty")
    imported = import_facts(target, path)
    assert imported.facts == exported.facts == 3
    assert rows(target) == rows(taught)
    assert any(r[4] for r in rows(target))  # the replaced fact kept its invalid_at
    if fmt == "json":
        assert target.alias_map()["my dog"] == "Bruno"
        assert imported.aliases == 1


def test_importing_the_same_file_twice_adds_nothing_the_second_time(taught, tmp_path):
    path = tmp_path / "facts.json"
    export_facts(taught, path)
    target = new_store(tmp_path, "other")
    import_facts(target, path)
    again = import_facts(target, path)
    assert (again.facts, again.skipped, again.aliases) == (0, 3, 0)
    assert rows(target) == rows(taught)


def test_exports_are_readable_by_the_user_only(taught, tmp_path):
    old_umask = os.umask(0o022)
    try:
        path = tmp_path / "facts.csv"
        path.write_text("old")
        os.chmod(path, 0o644)
        export_facts(taught, path)
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
        export_facts(taught, tmp_path / "new.json")
        assert stat.S_IMODE((tmp_path / "new.json").stat().st_mode) == 0o600
    finally:
        os.umask(old_umask)
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []


def export_with(tmp_path, facts, aliases=(), **header):
    data = {
        "format": "kgt-assistant-facts",
        "version": 1,
        "facts": facts,
        "aliases": list(aliases),
        **header,
    }
    path = tmp_path / "in.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


GOOD = {
    "subject": "Anna",
    "relation": "works at",
    "object": "Google",
    "created_at": "2024-05-01T10:00:00+00:00",
    "invalid_at": None,
}


@pytest.mark.parametrize(
    "bad, message",
    [
        ({"object": ""}, "fact 3: object is empty"),
        ({"object": "   \n "}, "fact 3: object is empty"),
        ({"subject": None}, "fact 3: subject is missing or not text"),
        ({"relation": 42}, "fact 3: relation is missing or not text"),
        ({"object": "ok\x1b[2Jbad"}, r"fact 3: object contains the control character U\+001B"),
        ({"object": "x" * 5000}, "fact 3: object is longer than 2000 characters"),
        ({"created_at": "yesterday"}, "fact 3: created_at 'yesterday' is not an ISO-8601 time"),
        ({"created_at": ""}, "fact 3: created_at is missing"),
        ({"invalid_at": "2020-01-01"}, "fact 3: invalid_at .* is before created_at"),
    ],
)
def test_one_bad_row_stops_the_import_before_anything_is_written(store, tmp_path, bad, message):
    before = snapshot(store)
    path = export_with(tmp_path, [GOOD, {**GOOD, "object": "Apple"}, {**GOOD, **bad}])
    with pytest.raises(InputError, match=message):
        import_facts(store, path)
    assert snapshot(store) == before


def test_an_alias_owned_by_another_entity_stops_the_whole_import(store, tmp_path):
    store.add_alias("Rex", "my dog")
    before = snapshot(store)
    path = export_with(tmp_path, [GOOD], [{"entity": "Bruno", "alias": "my dog"}])
    with pytest.raises(InputError, match="'my dog' already names 'Rex'"):
        import_facts(store, path)
    assert snapshot(store) == before


@pytest.mark.parametrize(
    "content, message",
    [
        ("not json at all", "is not valid JSON"),
        ('{"facts": []}', "is not an export of facts"),
        ('{"format": "kgt-assistant-facts", "version": 99, "facts": []}', "export version 99"),
        ('{"format": "kgt-assistant-facts", "version": 1, "facts": {}}', "must be lists"),
        ('{"format": "kgt-assistant-facts", "version": 1, "facts": ["x"]}', "fact 1: expected"),
    ],
)
def test_files_that_are_not_exports_are_refused(store, tmp_path, content, message):
    path = tmp_path / "in.json"
    path.write_text(content)
    with pytest.raises(InputError, match=message):
        import_facts(store, path)


@pytest.mark.parametrize(
    "content, message",
    [
        ("name,age\nBruno,3\n", "no column subject, relation, object, created_at"),
        (
            "subject,relation,object,created_at,invalid_at\nA,r,o,2024-01-01,,extra\n",
            "line 2: more cells than columns",
        ),
        (
            "subject,relation,object,created_at,invalid_at\nA,r,o,2024-01-01,\nB,r,,2024-01-01,\n",
            "line 3: object is empty",
        ),
    ],
)
def test_bad_csv_files_name_the_line(store, tmp_path, content, message):
    path = tmp_path / "in.csv"
    path.write_text(content)
    before = snapshot(store)
    with pytest.raises(InputError, match=message):
        import_facts(store, path)
    assert snapshot(store) == before


def test_binary_and_missing_files_get_one_clear_error(store, tmp_path):
    (tmp_path / "blob.json").write_bytes(b"\xff\xfe\x00garbage")
    with pytest.raises(InputError, match="not UTF-8"):
        import_facts(store, tmp_path / "blob.json")
    with pytest.raises(InputError, match="no such file"):
        import_facts(store, tmp_path / "missing.json")


def test_times_are_stored_as_utc_with_microseconds(store, tmp_path):
    path = export_with(
        tmp_path,
        [{**GOOD, "created_at": "2024-05-01 12:00", "invalid_at": "2024-05-02T12:00:00+02:00"}],
    )
    import_facts(store, path)
    (fact,) = store.facts(include_invalid=True)
    assert fact.created_at == "2024-05-01T12:00:00.000000+00:00"
    assert fact.invalid_at == "2024-05-02T10:00:00.000000+00:00"
    assert fact.correction_id is None


def run_cli(capsys, *argv):
    code = main(list(argv), model_loader=None)
    out, err = capsys.readouterr()
    return code, out, err


def test_the_cli_exports_and_imports(capsys, tmp_path, private_home):
    home = GraphStore(open_database(private_home / "assistant.db"))
    home.apply_correction(
        CorrectionInput("Where does Anna work?", "Google", "Anna"),
        [AddFact("works at", "Google", -1, -1)],
    )
    path = tmp_path / "out.csv"
    code, out, _ = run_cli(capsys, "facts", "export", str(path), "--json")
    assert code == 0 and json.loads(out) == {"file": str(path), "facts": 1, "aliases": 0}
    code, out, _ = run_cli(capsys, "--home", str(tmp_path / "h2"), "facts", "import", str(path))
    assert code == 0 and out.startswith("Imported 1 facts")
    code, out, err = run_cli(
        capsys, "--home", str(tmp_path / "h2"), "facts", "import", str(tmp_path / "nope.json")
    )
    assert code == 1 and out == "" and err.count("\n") == 1 and "no such file" in err
