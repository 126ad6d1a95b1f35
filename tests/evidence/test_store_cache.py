"""Results cached per version of the store are dropped the moment a load swaps in a new version."""

from vrhub.evidence import selectors, store
from vrhub.evidence.loaders.mps import load_mps

ROBBERY = "MajorText,MinorText,BoroughName,202301,202302\nROBBERY,PERSONAL PROPERTY,Havering,10,20\n"
BURGLARY = "MajorText,MinorText,BoroughName,202301,202302\nBURGLARY,RESIDENTIAL,Havering,3,4\n"


def test_measures_are_read_once_per_version_and_again_after_a_load(write, monkeypatch):
    load_mps(paths=[write("robbery.csv", ROBBERY)])
    first = {m.qualified for m in selectors.measures_list()}
    assert "mps:ROBBERY/PERSONAL PROPERTY" in first

    calls = []
    real = selectors._measures_list
    monkeypatch.setattr(selectors, "_measures_list", lambda: calls.append(1) or real())
    assert {m.qualified for m in selectors.measures_list()} == first
    assert calls == []  # served from this version's cache

    load_mps(paths=[write("burglary.csv", BURGLARY)])
    after = {m.qualified for m in selectors.measures_list()}
    assert calls == [1]  # a new version: read again
    assert after - first == {"mps:BURGLARY", "mps:BURGLARY/RESIDENTIAL"}


def test_a_cached_result_cannot_be_changed_by_its_caller(write):
    load_mps(paths=[write("robbery.csv", ROBBERY)])
    profile = selectors.headline_trends(code="E09000016")
    profile["rows"].append("tampered")
    assert "tampered" not in selectors.headline_trends(code="E09000016")["rows"]


def test_the_cache_is_bounded(write, monkeypatch):
    load_mps(paths=[write("robbery.csv", ROBBERY)])
    monkeypatch.setattr(store, "MEMO_MAX", 3)
    for n in range(10):
        assert store.cached(("n", n), lambda n=n: n * 2) == n * 2
    with store.connect():
        assert len(store._current_generation.get().memo) <= 3
