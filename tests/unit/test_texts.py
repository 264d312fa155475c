"""The text store: texts written by several processes read back whole, moved by compaction."""

import os
from pathlib import Path

from markupsafe import Markup

from site_builder.engine.pool import parallel_map
from site_builder.engine.texts import TextStore


def _text(number: int) -> str:
    return f"<p>body {number} ✓ 智谱</p>" * (number % 7 + 1)


def test_texts_put_by_forked_workers_read_back_exactly(tmp_path):
    store = TextStore(tmp_path / "texts")
    stored = parallel_map(lambda number: (store.put(_text(number)), os.getpid()), range(200), 2)
    assert len({pid for _, pid in stored}) >= 2
    assert len({text.pack for text, _ in stored}) >= 2  # each worker appended to its own pack
    for number, (text, _) in enumerate(stored):
        assert text.text == _text(number) == str(text)
        assert Markup(text) == _text(number)


def test_one_process_appends_to_one_pack_and_places_do_not_move(tmp_path):
    store = TextStore(tmp_path / "texts")
    first, second = store.put("<p>one</p>"), store.put("<p>two</p>")
    assert first.pack == second.pack and second.start == first.start + first.size
    store.put("<p>three</p>")
    assert first.text == "<p>one</p>"


def test_a_stored_text_is_known_by_its_content(tmp_path):
    store = TextStore(tmp_path / "texts")
    first, again = store.put("<p>same</p>"), store.put("<p>same</p>")
    assert first != again and repr(first) == repr(again) and first.digest == again.digest
    assert first.digest != store.put("<p>other</p>").digest


def test_compacting_keeps_only_the_named_texts_and_says_where_they_went(tmp_path, monkeypatch):
    store = TextStore(tmp_path / "texts")
    gone, kept = store.put("<p>gone</p>" * 100), store.put("<p>kept</p>")
    monkeypatch.setattr("site_builder.engine.texts.SLACK", 0)
    assert store.compact([gone, kept]) == {}  # everything is named: nothing to do
    moved = store.compact([kept])
    assert set(moved) == {kept}
    assert [str(p) for p in store.folder.glob("*.pack")] == [moved[kept].pack]
    assert moved[kept].text == "<p>kept</p>"


def test_a_store_holds_its_texts_until_a_pack_is_lost_or_cut_short(tmp_path):
    store = TextStore(tmp_path / "texts")
    texts = [store.put("<p>one</p>"), store.put("<p>two</p>")]
    sizes = store.sizes()
    assert sizes == {texts[0].pack: texts[1].start + texts[1].size} and store.holds(sizes)
    store.put("<p>three</p>")
    assert store.holds(sizes)
    pack = Path(texts[0].pack)
    pack.write_bytes(pack.read_bytes()[:texts[1].start])
    assert not store.holds(sizes)
    pack.unlink()
    assert not store.holds(sizes)
    store.reset()
    assert not store.folder.exists()
