"""What the tests and the benchmarks share (import as ``tests.support.…`` from the repository's root).

* ``paths``: the repository's root.
* ``browser``: a real app server on 127.0.0.1 and headless Debian chromium (Playwright).
* ``databases``: the class space's databases: SQLite files and a private PostgreSQL server.
* ``classroom_worker``: separate processes that each use a ``ClassStore``, for concurrency tests.
* ``fake_workers``: stand-ins for the neural network's TensorFlow worker.
* ``apptest``: Streamlit's AppTest: open a page with a query, read metrics and labels, click, follow a link.
* ``class_pages``: the Class page under AppTest: drawings to save, the teacher's link opened.
* ``class_store``: the class store's tests: a clock moved by hand, a board row, a plain digit, raw SQL rows.
* ``evaluate_page``: Evaluate's confusion matrix in chromium: click a square; the most frequent mistake.
* ``readme``: the README's code, run as a reader would run it.
"""
