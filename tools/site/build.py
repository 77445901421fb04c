"""Build the course site from the committed, executed notebooks (`make site`).

Steps, all offline once the pinned packages are installed:
1. stage the sources in build/site-src: the notebooks as committed (outputs kept; the Colab-only
   set-up cell dropped and the Colab badge pointed at a local image), images/, TEACHING.md and a
   home page made from README.md (course map, results table);
2. put what the pages load into build/site-static: MathJax 3 (from the npm package `mathjax`,
   installed by `make site` under tools/site/node_modules) and the NanumGothic Hangul font (from
   the PyPI package `koreanize-matplotlib`, which ships it);
3. run Sphinx (myst-nb, execution off) into the output folder (_site by default).

    python tools/site/build.py [--out _site]
"""

from __future__ import annotations

import argparse
import copy
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
NOTEBOOK_GLOB = "[0-9][0-9]_*.ipynb"
HOME_SECTIONS = ("The notebooks", "Results")  # README sections shown on the home page
CODE = re.compile(r"(```.*?```|~~~.*?~~~|`[^`\n]*`)", re.S)
IMAGE = re.compile(r"!\[([^\]\n]*)\]\(([^)\s]+)\)")
LINK = re.compile(
    r"(?<!!)\[((?:!\[[^\]\n]*\]\([^)\s]*\)|[^\]\n])*)\]\(([^)\s]+)\)"
)  # text may hold an image
COLAB_BADGE_IMG = "https://colab.research.google.com/assets/colab-badge.svg"
LOCAL_BADGE = """<svg xmlns="http://www.w3.org/2000/svg" width="117" height="20" role="img" aria-label="Open in Colab">
<rect width="117" height="20" rx="3" fill="#555"/><rect x="34" width="83" height="20" rx="3" fill="#f9ab00"/>
<text x="6" y="14" fill="#fff" font-family="Verdana,sans-serif" font-size="11">CO</text>
<text x="40" y="14" fill="#fff" font-family="Verdana,sans-serif" font-size="11">Open in Colab</text></svg>
"""


def _is_relative(target: str) -> bool:
    return not re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:", target) and not target.startswith(("#", "/"))


def rewrite_links(markdown: str, page_dir: Path, stage: Path) -> str:
    """Keep links and images that resolve inside the staged site; unlink the rest (README's
    CONTRIBUTING.md...); point the Colab badge at a local copy (the site loads nothing from outside)."""

    def exists(target: str) -> bool:
        path = target.split("#", 1)[0]
        return not path or (page_dir / path).resolve().is_file()

    def image(match: re.Match[str]) -> str:
        alt, target = match.groups()
        if target == COLAB_BADGE_IMG:
            return f"![{alt}]({os.path.relpath(stage / 'images' / 'colab-badge.svg', page_dir)})"
        return match.group(0) if not _is_relative(target) or exists(target) else ""

    def link(match: re.Match[str]) -> str:
        text, target = match.groups()
        return match.group(0) if not _is_relative(target) or exists(target) else text

    parts = CODE.split(markdown)  # odd items are code spans and fenced blocks: left as they are
    return "".join(p if i % 2 else LINK.sub(link, IMAGE.sub(image, p)) for i, p in enumerate(parts))


def readme_sections(readme: str) -> tuple[str, dict[str, str]]:
    """Split README.md into its preamble (title + intro) and its '## ' sections."""
    parts = re.split(r"^## +(.+)$", readme, flags=re.M)
    sections = {parts[i].strip(): parts[i + 1].strip() for i in range(1, len(parts) - 1, 2)}
    return parts[0].strip(), sections


def home_page(notebooks: list[Path], extra_pages: list[str]) -> str:
    preamble, sections = readme_sections((ROOT / "README.md").read_text(encoding="utf-8"))
    out = [preamble, ""]
    out.append(
        "This site shows every notebook of the course as it was last executed in the full profile "
        "(the published numbers). To run them yourself, clone the repository and follow "
        "[00 · Start here](notebooks/00_start_here.ipynb); the previous/next links at the bottom of "
        "each page follow the course order.\n"
    )
    for title in HOME_SECTIONS:
        if title in sections:
            body = re.sub(r"<!-- RESULTS:(START|END) -->\n?", "", sections[title])
            out += [f"## {title}", "", body, ""]
    out += ["```{toctree}", ":hidden:", ":maxdepth: 1", ":caption: Notebooks", ""]
    out += [f"notebooks/{nb.stem}" for nb in notebooks]
    out += ["```", ""]
    if extra_pages:
        out += ["```{toctree}", ":hidden:", ":maxdepth: 1", ":caption: For teachers", ""]
        out += [*extra_pages, "```", ""]
    return "\n".join(out)


def stage_notebook(src: Path, dest: Path, stage: Path) -> None:
    """Copy one executed notebook, outputs untouched; drop the Colab-only cell; fix links."""
    nb = json.loads(src.read_text(encoding="utf-8"))
    nb = copy.deepcopy(nb)
    cells = []
    for cell in nb["cells"]:
        if "colab" in cell.get("metadata", {}).get("tags", []) and cell["cell_type"] == "code":
            continue  # the Colab set-up cell does nothing outside Colab: not worth a block on the page
        if cell["cell_type"] == "markdown":
            text = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
            cell["source"] = rewrite_links(text, dest.parent, stage)
        cells.append(cell)
    nb["cells"] = cells
    # A notebook saved before its first run has no language_info: the course is Python throughout.
    nb.setdefault("metadata", {}).setdefault(
        "language_info", {"name": "python", "pygments_lexer": "ipython3"}
    )
    dest.write_text(json.dumps(nb, ensure_ascii=False, indent=1), encoding="utf-8")


def mathjax_dir() -> Path:
    es5 = HERE / "node_modules" / "mathjax" / "es5"
    if not (es5 / "tex-mml-chtml.js").is_file():
        sys.exit(
            f"MathJax not found at {es5.relative_to(ROOT)}. `make site` installs it "
            "(npm install --prefix tools/site mathjax@3, from requirements-site.txt's note)."
        )
    return es5


def font_dir() -> Path:
    import importlib.util

    spec = importlib.util.find_spec("koreanize_matplotlib")  # only its font files are used
    if spec is None or spec.origin is None:
        sys.exit("koreanize-matplotlib (for its NanumGothic font) is missing: run `make site`.")
    return Path(spec.origin).parent / "fonts"


def web_font(src: Path, dest: Path) -> None:
    """Copy a TrueType font without its VTT hinting sources (TSI* tables): browsers' font
    sanitizer (OTS) rejects NanumGothic's zero-length TSI3 table and would show no Hangul."""
    from fontTools.ttLib import TTFont

    font = TTFont(src)
    # TTFont is not a dict: iterating it calls font[0]; keys() lists the table tags
    for tag in [t for t in font.keys() if t.startswith("TSI")]:  # noqa: SIM118
        del font[tag]
    font.save(dest)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Build the course site.")
    parser.add_argument("--out", type=Path, default=ROOT / "_site")
    parser.add_argument("--stage", type=Path, default=ROOT / "build" / "site-src")
    args = parser.parse_args(argv)
    stage, static, out = args.stage.resolve(), (ROOT / "build" / "site-static"), args.out.resolve()

    for folder in (stage, static):
        shutil.rmtree(folder, ignore_errors=True)
    (stage / "notebooks").mkdir(parents=True)
    shutil.copytree(ROOT / "images", stage / "images")
    (stage / "images" / "colab-badge.svg").write_text(LOCAL_BADGE, encoding="utf-8")

    notebooks = sorted((ROOT / "notebooks").glob(NOTEBOOK_GLOB))
    for nb in notebooks:
        stage_notebook(nb, stage / "notebooks" / nb.name, stage)
    extra = []
    if (ROOT / "TEACHING.md").is_file():
        text = (ROOT / "TEACHING.md").read_text(encoding="utf-8")
        (stage / "TEACHING.md").write_text(rewrite_links(text, stage, stage), encoding="utf-8")
        extra.append("TEACHING")
    (stage / "index.md").write_text(
        rewrite_links(home_page(notebooks, extra), stage, stage), encoding="utf-8"
    )

    shutil.copytree(mathjax_dir(), static / "mathjax")
    (static / "fonts").mkdir(parents=True)
    for name in ("NanumGothic.ttf", "NanumGothicBold.ttf"):
        web_font(font_dir() / name, static / "fonts" / name)

    # Sphinx writes into build/site/html (myst-nb keeps its image files beside it, in
    # build/site/jupyter_execute), then the finished site replaces the output folder.
    html = ROOT / "build" / "site" / "html"
    shutil.rmtree(html.parent, ignore_errors=True)
    env = dict(os.environ, COURSE_SITE_STATIC=str(static))
    # Warnings are shown but do not stop the build (a notebook being written may raise one); the
    # browser tests (make e2e) fail on what a reader would see: broken links, images, maths.
    cmd = [
        sys.executable,
        "-m",
        "sphinx",
        "-b",
        "html",
        "-q",
        "--keep-going",
        "-E",
        "-d",
        str(html.parent / "doctrees"),
        "-c",
        str(HERE),
        str(stage),
        str(html),
    ]
    result = subprocess.run(cmd, env=env)
    if result.returncode:
        print(
            "Sphinx reported errors or warnings (above); the site was not written.", file=sys.stderr
        )
        return result.returncode
    shutil.rmtree(out, ignore_errors=True)
    shutil.move(str(html), str(out))
    pages = sorted(
        p.relative_to(out)
        for p in out.rglob("*.html")
        if p.name not in ("genindex.html", "search.html") and "_static" not in p.parts
    )
    print(
        f"Site built: {len(pages)} pages in {os.path.relpath(out, Path.cwd())}/ "
        f"(open {os.path.relpath(out / 'index.html', Path.cwd())}, or serve it: "
        f"python -m http.server -d {os.path.relpath(out, Path.cwd())} -b 127.0.0.1 8000)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
