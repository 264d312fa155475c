"""The body store: bodies written by several processes read back whole, and a reset empties it."""

import time

from markupsafe import Markup

from site_builder.engine.texts import BodyHtml, BodyStore
from site_builder.parallel import parallel_map


def _put(store: BodyStore, number: int):
    time.sleep(0.002)  # long enough that both workers take chunks
    return store.put(f"<p>body {number} ✓ 智谱</p>" * (number % 7 + 1))


def test_bodies_put_by_forked_workers_read_back_exactly(tmp_path):
    store = BodyStore(tmp_path / "bodies")
    places = parallel_map(_put, range(200), 2, store)
    assert len({place.pack for place in places}) >= 2  # each worker appended to its own pack
    for number, place in enumerate(places):
        body = BodyHtml("digest", str(store.folder / place.pack), place.start, place.size)
        assert body.text == f"<p>body {number} ✓ 智谱</p>" * (number % 7 + 1)
        assert Markup(body) == body.text


def test_one_process_appends_to_one_pack_and_places_do_not_move(tmp_path):
    store = BodyStore(tmp_path / "bodies")
    first, second = store.put("<p>one</p>"), store.put("<p>two</p>")
    assert first.pack == second.pack and second.start == first.start + first.size
    store.put("<p>three</p>")
    body = BodyHtml("d", str(store.folder / first.pack), first.start, first.size)
    assert body.text == "<p>one</p>"


def test_a_new_identity_empties_the_store(tmp_path):
    store = BodyStore(tmp_path / "bodies")
    token = store.mark()
    place = store.put("<p>old</p>")
    assert store.matches(token)
    other = store.mark()
    assert not store.matches(token) and store.matches(other)
    assert not (store.folder / place.pack).exists()
    assert store.put("<p>new</p>").pack != place.pack


def test_compacting_keeps_only_the_named_bodies_and_says_where_they_went(tmp_path, monkeypatch):
    store = BodyStore(tmp_path / "bodies")
    gone, kept = store.put("<p>gone</p>" * 100), store.put("<p>kept</p>")
    monkeypatch.setattr("site_builder.engine.texts.SLACK", 0)
    assert store.compact([gone, kept]) == {}  # everything is named: nothing to do
    moved = store.compact([kept])
    assert set(moved) == {kept}
    place = moved[kept]
    assert [p.name for p in store.folder.glob("*.pack")] == [place.pack]
    assert BodyHtml("d", str(store.folder / place.pack), place.start, place.size).text \
        == "<p>kept</p>"


def test_a_store_holds_its_places_until_a_pack_is_lost_or_cut_short(tmp_path):
    store = BodyStore(tmp_path / "bodies")
    places = [store.put("<p>one</p>"), store.put("<p>two</p>")]
    assert store.holds(places)
    pack = store.folder / places[0].pack
    pack.write_bytes(pack.read_bytes()[:-1])
    assert not store.holds(places)
    pack.unlink()
    assert not store.holds(places)
