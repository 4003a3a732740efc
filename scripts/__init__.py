"""The scripts that make what the repository ships. Run them from the repository's root.

* ``bundle_mnist``: rebuild digitlib/assets/mnist.npz from the original IDX files, each checked
  against its published sha256. ``python -m scripts.bundle_mnist [FOLDER]``
* ``screenshots``: the README's screenshots from the running app in headless chromium (docs/).
  ``python -m scripts.screenshots [--only draw explore evaluate class pages neural]``
* ``ship_models``: train the lesson's model at every learning-curve size into
  digitlib/assets/models. ``python -m scripts.ship_models [--sizes 100 500]``
* ``ship_networks``: train the neural networks that ship with the app into digitlib/assets/neural.
  ``python -m scripts.ship_networks [--sizes 100 500] [--cache DIR]``
"""
