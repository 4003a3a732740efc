"""The class load test: a class against one real server, or several behind nginx. ``python -m bench.loadtest --help``.

Its modules, in the order a run uses them:

* ``__main__``: the command line (``python -m bench.loadtest --students 30 --duration 90 --class-space``).
* ``database``: the class database of a --class-space run: a fresh SQLite file, --database-url, or a
  private PostgreSQL server (``tests.support.databases``).
* ``scenario``: the lesson against the server: the students, the teacher, the sampler, the report.
* ``lesson``: what each student does, in a loop until the lesson ends (the lesson, the class's, --mix).
* ``light_student``: a light-client student's (or teacher's) actions on each page.
* ``browser_student``: the same actions in headless chromium (``--browsers K``).
* ``pages``: what the pages show: their labels, and what "answered" means on each.
* ``samples``: one timed action (``Sample``), and the fragment auto-reruns a client timed.
* ``processes``: the servers, the neural worker, PostgreSQL and nginx as /proc shows them.
* ``report``: what the run prints: times per page, errors, CPU and memory, the class read back.
* ``client``: the light client: Streamlit's websocket protocol without a browser
  (``StreamlitClient``); ``runs``: what it records of a session; ``canvas``: the canvas values
  it sends for a drawing (and crafted ones, for bench.crafted_inputs and the tests); ``routing``: what
  it does over plain HTTP as a browser would (the page's HTML, images) and the cookies it keeps, such as
  nginx's route cookie (--servers N).
"""
