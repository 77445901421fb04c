"""The built course site (`make site`) in a real browser: every page loads from 127.0.0.1 with no
console error, no request leaving the machine, no broken internal link or image, maths typeset,
Hangul drawn with a real font on 07's page, previous/next links in course order."""

from __future__ import annotations

import json
import re
import shutil
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = [p.stem for p in sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))]
HANGUL = re.compile(r"[\uac00-\ud7a3]")

RAW_MATH_JS = r"""() => {
  const root = document.querySelector('article') || document.body;
  const clone = root.cloneNode(true);
  clone.querySelectorAll('pre, code, script, style, mjx-container, .highlight').forEach(e => e.remove());
  const text = clone.textContent;
  const raw = text.match(/\$[^$\s][^$\n]{0,80}?\$|\\\(|\\\)|\\\[|\\\]|\\begin\{/g) || [];
  const untypeset = [...document.querySelectorAll('.math')].filter(e => !e.querySelector('mjx-container'));
  const typeset = document.querySelectorAll('mjx-container').length;
  return {raw: raw.slice(0, 5), untypeset: untypeset.length, typeset: typeset};
}"""

PAGE_JS = r"""() => ({
  links: [...document.querySelectorAll('a[href]')].map(a => a.href),
  images: [...document.images].map(i => ({src: i.currentSrc || i.src, ok: i.complete && i.naturalWidth > 0,
                                          lazy: i.loading === 'lazy'})),
  prev: document.querySelector('a.left-prev')?.getAttribute('href') || null,
  next: document.querySelector('a.right-next')?.getAttribute('href') || null,
  text: (document.querySelector('article') || document.body).innerText,
})"""


@dataclass
class Page:
    path: str
    console_errors: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    external: list[str] = field(default_factory=list)
    info: dict = field(default_factory=dict)
    math: dict = field(default_factory=dict)
    seconds: float = 0.0


def _pages(site_dir: Path) -> list[str]:
    return sorted(
        str(p.relative_to(site_dir)) for p in site_dir.rglob("*.html") if "_static" not in p.parts
    )


@pytest.fixture(scope="session")
def crawl(browser, site_dir: Path, site_url: str) -> dict[str, Page]:
    """Visit every page once; record what the tests below check."""
    pages: dict[str, Page] = {}
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    for path in _pages(site_dir):
        page, rec = context.new_page(), Page(path)
        page.on(
            "console", lambda m, rec=rec: m.type == "error" and rec.console_errors.append(m.text)
        )
        page.on("pageerror", lambda e, rec=rec: rec.console_errors.append(f"uncaught: {e}"))
        page.on("requestfailed", lambda r, rec=rec: rec.failed.append(f"{r.url} ({r.failure})"))
        page.on(
            "response",
            lambda r, rec=rec: r.status >= 400 and rec.failed.append(f"{r.url} (HTTP {r.status})"),
        )
        page.on(
            "request",
            lambda r, rec=rec: (
                r.url.startswith(("http:", "https:", "ws:", "wss:"))
                and not r.url.startswith(site_url)
                and rec.external.append(r.url)
            ),
        )
        start = time.perf_counter()
        page.goto(f"{site_url}/{path}", wait_until="networkidle")
        page.evaluate(
            "async () => { if (window.MathJax?.startup?.promise) await MathJax.startup.promise; "
            "await document.fonts.ready; }"
        )
        rec.math = page.evaluate(RAW_MATH_JS)
        rec.info = page.evaluate(PAGE_JS)
        rec.seconds = time.perf_counter() - start
        pages[path] = rec
        page.close()
    context.close()
    (site_dir / "_screenshots").mkdir(exist_ok=True)
    (site_dir / "_screenshots" / "crawl.json").write_text(
        json.dumps(
            {
                p: {"seconds": round(r.seconds, 2), "typeset": r.math.get("typeset")}
                for p, r in pages.items()
            },
            indent=1,
        )
    )
    return pages


def test_every_page_was_visited(crawl: dict[str, Page]):
    expected = {"index.html"} | {f"notebooks/{nb}.html" for nb in NOTEBOOKS}
    assert expected <= set(crawl), f"pages missing from the site: {sorted(expected - set(crawl))}"


def test_no_console_errors(crawl: dict[str, Page]):
    bad = {p: r.console_errors for p, r in crawl.items() if r.console_errors}
    assert not bad, f"console errors: {bad}"


def test_nothing_is_fetched_from_outside(crawl: dict[str, Page]):
    bad = {p: r.external for p, r in crawl.items() if r.external}
    assert not bad, f"pages load from outside 127.0.0.1 (CDN?): {bad}"


def test_no_failed_requests_or_broken_images(crawl: dict[str, Page]):
    failed = {p: r.failed for p, r in crawl.items() if r.failed}
    broken = {
        p: [i["src"] for i in r.info["images"] if not i["ok"] and not i["lazy"]]
        for p, r in crawl.items()
    }
    broken = {p: srcs for p, srcs in broken.items() if srcs}
    assert not failed and not broken, f"failed requests: {failed}; images not drawn: {broken}"
    assert sum(len(r.info["images"]) for r in crawl.values()) >= 20, (
        "the notebooks' figures are missing"
    )


def test_no_broken_internal_links(crawl: dict[str, Page], site_url: str):
    checked: dict[str, str | None] = {}
    bad = []
    for path, rec in crawl.items():
        for href in rec.info["links"]:
            if not href.startswith(site_url):
                continue
            url, _, fragment = href.partition("#")
            if url not in checked:
                try:
                    with urllib.request.urlopen(url, timeout=10) as response:
                        checked[url] = response.read().decode("utf-8", "replace")
                except (urllib.error.URLError, OSError) as exc:
                    checked[url] = None
                    bad.append(f"{path} -> {href} ({exc})")
                    continue
            body = checked[url]
            if (
                body is not None
                and fragment
                and url.endswith(".html")
                and f'id="{fragment}"' not in body
            ):
                bad.append(f"{path} -> {href} (no element with id {fragment!r})")
    assert not bad, "broken internal links:\n" + "\n".join(sorted(set(bad)))


def test_maths_is_typeset(crawl: dict[str, Page]):
    raw = {p: r.math["raw"] for p, r in crawl.items() if r.math["raw"]}
    untypeset = {p: r.math["untypeset"] for p, r in crawl.items() if r.math["untypeset"]}
    assert not raw and not untypeset, (
        f"raw LaTeX left: {raw}; math elements not typeset: {untypeset}"
    )
    assert crawl["notebooks/04_lstm_gates.html"].math["typeset"] >= 20, (
        "04's equations were not typeset"
    )


def test_prev_next_links_follow_the_course_order(crawl: dict[str, Page]):
    order = ["index.html"] + [f"notebooks/{nb}.html" for nb in NOTEBOOKS]
    for before, page, after in zip(order, order[1:], [*order[2:], None], strict=False):
        info = crawl[page].info
        assert info["prev"] and Path(info["prev"]).name == Path(before).name, (
            f"{page}: previous is {info['prev']}"
        )
        if after:
            assert info["next"] and Path(info["next"]).name == Path(after).name, (
                f"{page}: next is {info['next']}"
            )
    assert Path(crawl["index.html"].info["next"]).name == f"{NOTEBOOKS[0]}.html"


def test_home_page_is_the_course_map_with_the_results_table(crawl: dict[str, Page]):
    text = crawl["index.html"].info["text"]
    assert "The notebooks" in text
    assert "Results" in text
    for result in sorted((ROOT / "results").glob("*.json")):
        assert result.stem in text, f"results table lacks {result.stem}"
    links = crawl["index.html"].info["links"]
    for nb in NOTEBOOKS:
        assert any(link.split("#")[0].endswith(f"notebooks/{nb}.html") for link in links), (
            f"no link to {nb}"
        )


def _hangul_fonts(page) -> set[str]:
    """Fonts Chromium actually used to draw the first Hangul text of the page (DevTools protocol)."""
    page.evaluate(r"""() => {
      const walker = document.createTreeWalker(document.querySelector('article'), NodeFilter.SHOW_TEXT);
      for (let n = walker.nextNode(); n; n = walker.nextNode()) {
        if (/[\uac00-\ud7a3]/.test(n.textContent) && !n.parentElement.closest('pre, code')) {
          n.parentElement.setAttribute('data-hangul-probe', ''); return; }
      }
    }""")
    cdp = page.context.new_cdp_session(page)
    cdp.send("DOM.enable")
    cdp.send("CSS.enable")
    root = cdp.send("DOM.getDocument")["root"]["nodeId"]
    node = cdp.send("DOM.querySelector", {"nodeId": root, "selector": "[data-hangul-probe]"})[
        "nodeId"
    ]
    fonts = cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]
    return {f["familyName"] for f in fonts if f["glyphCount"] > 0}


def test_hangul_is_drawn_with_a_hangul_font_on_07(browser, site_url: str, site_dir: Path):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(f"{site_url}/notebooks/07_nsmc_korean_sentiment.html", wait_until="networkidle")
    page.evaluate("() => document.fonts.ready")
    text = page.inner_text("article")
    assert len(HANGUL.findall(text)) > 100, "07's page shows almost no Hangul"
    loaded = page.evaluate("""async () => { await document.fonts.load('16px "Course Hangul"', '한국어');
                              return document.fonts.check('16px "Course Hangul"', '한국어'); }""")
    assert loaded, "the bundled Hangul font did not load"
    fonts = _hangul_fonts(page)
    assert any("Nanum" in f for f in fonts), (
        f"Hangul drawn with {fonts}, not the bundled NanumGothic"
    )
    page.close()


def test_screenshots(browser, site_url: str, site_dir: Path):
    """Home page and two notebook pages, saved under the site folder (`_screenshots/`)."""
    out = site_dir / "_screenshots"
    out.mkdir(exist_ok=True)
    page = browser.new_page(viewport={"width": 1280, "height": 860})
    for name, path in [
        ("home", "index.html"),
        ("07_nsmc_korean_sentiment", "notebooks/07_nsmc_korean_sentiment.html"),
        ("04_lstm_gates", "notebooks/04_lstm_gates.html"),
    ]:
        page.goto(f"{site_url}/{path}", wait_until="networkidle")
        page.evaluate(
            "async () => { if (window.MathJax?.startup?.promise) await MathJax.startup.promise; "
            "await document.fonts.ready; }"
        )
        page.screenshot(path=str(out / f"{name}.png"))
        assert (out / f"{name}.png").stat().st_size > 20_000
    page.close()
    if shutil.which("true"):  # keep the names stable for the README's copies in images/
        assert {p.name for p in out.glob("*.png")} >= {"home.png", "07_nsmc_korean_sentiment.png"}
