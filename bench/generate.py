"""Generate a realistic briefing project of any size in the content format, from a seed."""

from __future__ import annotations

import argparse
import random
import shutil
from pathlib import Path

WORDS = ("model chip export control compute cluster data centre lithography wafer yield policy "
         "investor listing valuation research efficiency inference training token benchmark "
         "supply chain subsidy capacity talent researcher startup regulator market share "
         "revenue quarter forecast analyst memory bandwidth software ecosystem open source "
         "deployment latency energy grid province ministry approval licence tariff").split()
TAGS = [f"topic-{i}" for i in range(40)] + ["chips", "export-controls", "compute", "ipo",
                                             "lithography", "policy", "research", "talent"]
SYLLABLES = ["zhi", "pu", "mi", "ni", "max", "ten", "ali", "ba", "nv", "dia", "sen", "tao",
             "hua", "wei", "kun", "lun", "yue", "xin", "bai", "du", "qi", "lin", "an", "ro"]


def _sentence(rng: random.Random, names: list[str]) -> str:
    words = rng.choices(WORDS, k=rng.randint(8, 18))
    if rng.random() < 0.35:
        words.insert(rng.randrange(len(words)), rng.choice(names))
    return words[0].capitalize() + " " + " ".join(words[1:]) + "."


def _company_names(rng: random.Random, count: int) -> list[str]:
    names: list[str] = []
    while len(names) < count:
        name = "".join(rng.choices(SYLLABLES, k=rng.randint(2, 3))).capitalize()
        name += rng.choice(["", " AI", " Tech", " Labs", " Semiconductor"])
        if name not in names:
            names.append(name)
    return names


def _slug(name: str) -> str:
    return name.lower().replace(" ", "-")


def generate(root: Path, briefs: int, companies: int, seed: int = 7, extras: bool = False) -> None:
    """Write `root` as a project with the given numbers of briefs and companies.

    Without `extras` the project turns off the search index and the link-preview cards, so
    that it builds the same kind of site as the Hugo and Pelican copies of it.
    """
    rng = random.Random(seed)
    if root.exists():
        shutil.rmtree(root)
    (root / "content" / "briefs").mkdir(parents=True)
    (root / "content" / "companies").mkdir(parents=True)
    (root / "site.yaml").write_text("title: Generated Briefing\ndescription: A generated "
                                    "briefing.\nbase_url: https://example.github.io/bench/\n"
                                    "language: en\nauthor: Bench\n"
                                    + ("" if extras else "search: false\ncards: false\n"))
    names = _company_names(rng, companies)
    for index, name in enumerate(names):
        people = f"people:\n  - {{name: Person {index}, role: Founder}}\n" if index % 3 == 0 else ""
        (root / "content" / "companies" / f"{_slug(name)}.md").write_text(
            f"---\nname: {name}\naliases: [{name} Group]\ncountry: CN\nhq: City\n"
            f"{people}summary: {name} in one line.\n---\n\n"
            + "\n\n".join(_sentence(rng, names) for _ in range(4)) + "\n")
    for number in range(briefs):
        _write_brief(root, rng, number, names)


def _write_brief(root: Path, rng: random.Random, number: int, names: list[str]) -> None:
    year = 2016 + number * 10 // max(1, 10_000)
    date = f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
    named = rng.sample(names, k=rng.randint(2, 6))
    events = "".join(
        f"  - {{date: {year}-{rng.randint(1, 12):02d}, title: Event {number}-{e} on "
        f"{rng.choice(WORDS)}, companies: [{_slug(rng.choice(named))}]}}\n"
        for e in range(rng.randint(0, 3)))
    paragraphs = []
    words = 0
    target = rng.randint(600, 1500)
    while words < target:
        paragraph = " ".join(_sentence(rng, named) for _ in range(rng.randint(3, 6)))
        words += len(paragraph.split())
        paragraphs.append(paragraph)
        if rng.random() < 0.15:
            paragraphs.append(f"## Section {len(paragraphs)}")
    if number > 0:
        paragraphs.append(f"See also [[brief:brief-{number - 1:05d}]] and [[{named[0]}]].")
    folder = root / "content" / "briefs" / str(year)
    folder.mkdir(exist_ok=True)
    (folder / f"brief-{number:05d}.md").write_text(
        f"---\ntitle: Brief {number} on {' '.join(rng.choices(WORDS, k=4))}\ndate: {date}\n"
        f"summary: {_sentence(rng, named)}\ncompanies: [{', '.join(_slug(n) for n in named)}]\n"
        f"tags: [{', '.join(rng.sample(TAGS, k=rng.randint(1, 4)))}]\n"
        f"takeaways:\n  - {_sentence(rng, named)}\n  - {_sentence(rng, named)}\n"
        f"sources:\n  - {{title: Source {number}, publisher: Wire, url: 'https://example.com/"
        f"{number}', date: {date}}}\n" + (f"events:\n{events}" if events else "")
        + (f"updates:\n  - {{date: {date}, note: Corrected source {number}.}}\n"
           if number % 20 == 7 else "")
        + "---\n\n" + "\n\n".join(paragraphs) + "\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("root", type=Path, help="the project folder to (re)create")
    parser.add_argument("--briefs", type=int, default=1000)
    parser.add_argument("--companies", type=int, default=200)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--extras", action="store_true",
                        help="keep the search index and the link-preview cards on")
    args = parser.parse_args()
    generate(args.root, args.briefs, args.companies, args.seed, args.extras)


if __name__ == "__main__":
    main()
