"""What the tests and the benchmarks share (import as ``tests.support.…`` from the repository's root).

* ``paths``: the repository's root.
* ``browser``: a real app server on 127.0.0.1 and headless Debian chromium (Playwright).
* ``databases``: the class space's databases: SQLite files and a private PostgreSQL server.
* ``classroom_worker``: separate processes that each use a ``ClassStore``, for concurrency tests.
* ``fake_workers``: stand-ins for the neural network's TensorFlow worker.
"""
