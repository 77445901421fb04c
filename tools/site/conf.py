"""Sphinx configuration of the course site (`make site`; see tools/site/build.py).

Sphinx + myst-nb renders the committed, executed notebooks as they are (no execution), with
sphinx-book-theme for the page layout (sidebar course map, previous/next links). Everything the
pages load is local: the theme's own assets, MathJax 3 copied into _static by build.py, and a
Hangul web font (NanumGothic, SIL OFL) so Korean text shows on machines without Korean fonts.
"""

import os

project = "LSTM networks, from gradient descent to real data"
author = "The LSTM course authors"
copyright = "the LSTM course authors, MIT licence"

extensions = ["myst_nb"]
nb_execution_mode = "off"  # render the committed full-profile outputs; never re-execute
nb_merge_streams = True  # one block per stream instead of one per print call
myst_enable_extensions = ["dollarmath", "amsmath", "colon_fence"]
myst_heading_anchors = 3
exclude_patterns = ["_build", "**.ipynb_checkpoints"]
suppress_warnings = ["mystnb.unknown_mime_type"]

html_theme = "sphinx_book_theme"
html_title = "The LSTM course"
html_static_path = ["_static", os.environ.get("COURSE_SITE_STATIC", "_generated_static")]
html_css_files = ["course.css"]
html_favicon = "_static/favicon.svg"  # else browsers ask for /favicon.ico and log a 404
html_context = {"default_mode": "light"}  # an empty mode makes the theme log a console error
html_show_sourcelink = False
html_copy_source = False
html_last_updated_fmt = None
html_theme_options = {
    "show_prev_next": True,
    "home_page_in_toc": True,
    "show_navbar_depth": 1,
    "use_download_button": True,
    "use_fullscreen_button": False,
    "use_repository_button": False,
    "navigation_with_keys": False,
    "show_toc_level": 2,
}

# MathJax 3 from the local copy (build.py puts it under _static/mathjax): no CDN.
mathjax_path = "mathjax/tex-mml-chtml.js"
