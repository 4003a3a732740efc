"""The benchmarks: each prints the figures the README quotes. Run them from the repository's root.

* ``accessibility``: axe-core's WCAG 2.1 A/AA violations per page and impact (issue 19), Draw after a stroke,
  Class with a class. ``python -m bench.accessibility [--pages Draw Evaluate]``
* ``action_cpu``: the server's CPU per lesson action (one light client, a warm server), the images each
  makes the browser fetch, and how it changes with sessions held open. ``python -m bench.action_cpu [--idle 0 100]``
* ``class_set``: a class set drawn in chromium; the default model's accuracy on it, and "MNIST + our
  class" for each N. ``python -m bench.class_set [--students 6] [--per-digit 2] [--sizes 500 5000]``
* ``crafted_inputs``: crafted Draw canvas values (issue 16) against a fresh server: its peak memory
  and answer time for each. ``python -m bench.crafted_inputs [--repeat 1]``
* ``draw``: how well drawn digits are read, per preprocessing variant, and how fast (``--neural``:
  the CNN against the SVM). ``python -m bench.draw [--per-digit 30] [--sizes 10000 60000]``
* ``draw_latency``: one chromium student on Draw: pen-up to prediction, the server's CPU per
  stroke; ``--fresh-pages K``: the first stroke on K freshly opened pages apart.
  ``python -m bench.draw_latency [--strokes 20] [--fresh-pages 6]``
* ``first_answers``: a fresh server's first answers (issue 20), each on its own new server: first Home,
  /Train?n=100, /Evaluate, /Draw, the first stroke on a fresh Draw page.
  ``python -m bench.first_answers [--runs 3] [--client light] [--think 3]``
* ``install``: install size and time of tensorflow against tensorflow-cpu, each in a fresh venv.
  ``python -m bench.install [--version 2.21.0] [--packages tensorflow-cpu]``
* ``lesson_memory``: the server's memory at the lesson's heaviest moments, 30 students at once each (Draw
  and save, Evaluate at 10,000 test images with the 60,000-image model, the neural comparison, "MNIST + our
  class", a model each). ``python -m bench.lesson_memory [--students 30] [--moments evaluate neural]``
* ``loadtest``: a whole class against one server or several behind nginx (light websocket clients,
  chromium students, the class space, a neural network training meanwhile, --mix).
  ``python -m bench.loadtest --students 30 --duration 90 --class-space``;
  ``python -m bench.loadtest --mix --students 100 --servers 2``
* ``memory``: the app's start time and memory with the 60,000-image model loaded.
  ``python -m bench.memory [--n 60000]``
* ``neural``: the SVM against the small CNN in one table, and the network's targets.
  ``python -m bench.neural [--sizes 500 10000 60000]``
* ``neural_progress``: sessions staying on /Neural while the network trains: what its progress
  costs the server. ``python -m bench.neural_progress [--n 60000] [--sessions 30]``
* ``paper``: numbers read from photographed paper (issue 18): the naive pipeline against
  digitlib.paper, per paper kind, pen and writer, and CPU per photo; ``--memory``: peak memory on huge photos.
  ``python -m bench.paper [--split held-out] [--count 120] [--neural] [--memory] [--darkness opencv]``
* ``shipped``: time and memory of loading each shipped model in a fresh process.
  ``python -m bench.shipped [--sizes 60000]``
* ``slider``: server time of the Train page when the slider moves (AppTest).
  ``python -m bench.slider [--sizes 750 1500 3000 5000]``
* ``speed``: fit and predict times against plain scikit-learn, labels and support vectors compared.
  ``python -m bench.speed [--sizes 500 1000 5000 10000 20000]``
* ``support_vectors``: what Draw's "Why this answer?" costs per stroke.
  ``python -m bench.support_vectors [--sizes 10000 60000]``
* ``train_memory``: peak memory of training, each size in a fresh process.
  ``python -m bench.train_memory [--memory-mb 300] [--sizes 20000]``

``--help`` on each gives its options and what it prints.
"""
