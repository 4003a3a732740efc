"""What the pages show, computed without streamlit.

* ``charts``: Vega-Lite charts drawn in the browser (curves, votes, heatmaps, the class board).
* ``plots``: the lesson's matplotlib figures (``imshow``, the countplot, the confusion heatmap).
* ``lesson_code``: the lesson's Python for what a page shows, with its settings filled in.
* ``magnify``: small images enlarged for the screen, square pixels kept.
* ``model_links``: a model's settings as URL parameters, so a link opens the same model.
"""
