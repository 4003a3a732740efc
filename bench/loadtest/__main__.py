"""A classroom against one real server: S students, each acting every 2-6 s, for a bounded time.

Usage (from the repository root):
       python -m bench.loadtest [--students 30] [--duration 120] [--browsers 0] [--pretrain]
       python -m bench.loadtest --class-space [--postgres | --database-url URL] [--students 30] [--duration 120]
       python -m bench.loadtest --neural 60000 [--students 30] [--duration 120]
       python -m bench.loadtest --mix [--servers 2] [--class-space [--postgres]] [--students 100] [--duration 120]

It starts ``streamlit run app.py`` on 127.0.0.1 (a free port, background training off, models
kept in --cache-dir; --pretrain first trains the learning-curve sizes up to 10,000 there). Each
student follows the lesson in a loop, waiting a seeded 2-6 s between actions: opens Home, opens
Train?n=100 and Train?n=500 by their links, moves the slider one step, follows the sidebar to
Evaluate and to Draw, and draws three digits (stroke by stroke, Clear between them).

Students are light clients (bench/loadtest/client.py: the browser's websocket protocol, no
browser), plus --browsers K headless chromium pages (Playwright) doing the same, to check the
light client against real browsers. It prints, per client and page, p50/p95 of the time until the
answer is on screen (light: the answer's delta arrived; chromium: visible and the run finished)
and until the run finished; for Draw the pen-up-to-prediction time; the drawings answered and
read right; every exception or error box seen; and the server's CPU-seconds per action, its
sampled RSS and peak RSS (/proc/<pid>/stat, VmRSS, VmHWM). It stops by itself: after --duration
each student finishes its action (at most --timeout more) and the server is stopped.

--mix: the students arrive within --arrive seconds (default 20); each opens Home, then Train and
Evaluate at a size of its own (100, 500, 1,000, 2,000 or 5,000 images, the first N, by its place in
the class), then Draw with 4 drawings (Clear between them), a round each student finishes even after
--duration. Then, until the lesson ends, the lesson's mix by place: half keep drawing (Clear, a
drawing, three times a round), a quarter train (Train at one of those sizes, the slider one step,
Evaluate), a quarter read the class board on Our class (with --class-space, where the teacher's
board is open too; without it they train).

--servers N: N app servers on 127.0.0.1 sharing the model folder (and, with --class-space, the
class database), behind Debian's nginx on loopback as deploy/nginx/digits.conf configures it
(tests/support/nginx.py); --nginx puts nginx in front of a single server too. Students then load
each page's HTML before its websocket, as a browser does, and keep nginx's route cookie, so each
student's websocket and images stay on one server. The report gives each server's CPU and memory
(and its share of the actions, from nginx's access log), the machine's total, and nginx's CPU.

--class-space: the whole class uses the class space. The bench starts a class itself
(``ClassStore.create_class()`` on the server's database: a fresh SQLite file in a new
DIGITS_DATA_DIR, or --database-url, or --postgres: a private PostgreSQL server on 127.0.0.1
started from Debian's binaries as tests/support/databases.py does, stopped at the end). A teacher
session opens /Class?class=CODE&teacher=TOKEN, asks the class a question and keeps the page open
(its board refreshes every 5 s, its guesses every 4 s). Each student, in a loop: opens the
students' link /Class?class=CODE and submits a guess; opens /Train?class=CODE&n=100 and n=500
(each model lands on the board) and moves the slider; follows the sidebar to Evaluate and to Draw;
draws three digits, each followed by "Save to our class set" (correcting "The digit I drew" first
if the model misread it); follows the sidebar to Our class and stays there --linger seconds, while
its board (every 15 s) and guesses (every 10 s) refresh themselves. Fragment auto-reruns are
timed too ("(auto)"). Afterwards the bench reads the class back from the database: the saves the
page acknowledged must be there, each once, pixel for pixel; so must the models the pages said were
on the board and the guesses acknowledged. The server's log is searched for tracebacks.

--neural N: a neural network is trained during the lesson. Before the students come in, a teacher
light client opens /Neural?n=N and presses "Train the neural network", then keeps the page open
(its progress fragment reruns every second and reruns the page when the network is ready; the
page is opened again only if it stops refreshing itself) until the metric "Neural network
accuracy" is on it, however long after the lesson that is (at most --neural-wait). Each student,
on its first round, opens /Neural?n=N once after Home ("Neural": until the page's title, or the
accuracy if it is there); the bench counts what those visits showed (progress, the accuracy, or a
training button: then the page did not see the teacher's training). Afterwards: the time from the
click to the accuracy on the teacher's page, both accuracies, the worker's peak RSS and CPU (the
child of the server whose command line names digitlib.neural.worker, sampled with the server), the
networks trained (cnn-*.json in <cache-dir>/neural/: 1 expected) and whether the server ever
loaded TensorFlow (its /proc/<pid>/maps at the end).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import time
from contextlib import ExitStack
from pathlib import Path

from bench.loadtest.database import class_database
from bench.loadtest.report import log_problems
from bench.loadtest.scenario import classroom


def pretrain(folder: Path, largest: int) -> None:
    from digitlib.mnist import data
    from digitlib.svm.model_spec import CURVE_SIZES, ModelSpec
    from digitlib.svm.registry import Registry

    start = time.perf_counter()
    registry = Registry(data.load(), folder)
    sizes = [n for n in CURVE_SIZES if n <= largest]
    for n in sizes:
        registry.ensure(ModelSpec(n=n))
    print(f"learning-curve models {', '.join(f'{n:,}' for n in sizes)} in {folder} "
          f"({time.perf_counter() - start:.1f} s)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--students", type=int, default=30, help="light-client students (default 30)")
    parser.add_argument("--browsers", type=int, default=0, help="headless chromium students besides them")
    parser.add_argument("--duration", type=float, default=120, help="seconds of lesson (default 120)")
    parser.add_argument("--think", type=float, nargs=2, default=[2.0, 6.0], help="pause between actions, s")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--timeout", type=float, default=120, help="longest wait for one answer, s")
    parser.add_argument("--cache-dir", type=Path, default=Path("/tmp/digits-classroom/models"))
    parser.add_argument("--pretrain", action="store_true", help="train the curve sizes up to 10,000 first")
    parser.add_argument("--warmup", action="store_true", help="let the server train the learning curve too")
    parser.add_argument("--slow", type=float, help="list every action that took longer than this, s")
    parser.add_argument("--class-space", action="store_true",
                        help="the students join one class: save drawings, post models, read the board")
    parser.add_argument("--linger", type=float, nargs=2, default=[16.0, 20.0],
                        help="--class-space: seconds a student stays on Our class (default 16-20)")
    parser.add_argument("--neural", type=int, metavar="N",
                        help="a teacher trains the neural network on N images during the lesson; students look once")
    parser.add_argument("--mix", action="store_true",
                        help="each student at a size of its own, then drawing, training or the board")
    parser.add_argument("--arrive", type=float, default=20, help="--mix: the students arrive within this, s")
    parser.add_argument("--servers", type=int, default=1, help="app servers behind nginx (default 1: no nginx)")
    parser.add_argument("--nginx", action="store_true", help="nginx in front of a single server too")
    parser.add_argument("--neural-wait", type=float, default=600,
                        help="--neural: longest wait for the network after the click, s (default 600)")
    db = parser.add_mutually_exclusive_group()
    db.add_argument("--database-url",
                    help="--class-space: the class database, on 127.0.0.1 (default: a new SQLite file)")
    db.add_argument("--postgres", action="store_true",
                    help="--class-space: start a private PostgreSQL server on 127.0.0.1 for the run")
    args = parser.parse_args()
    if (args.database_url or args.postgres) and not args.class_space:
        parser.error("--database-url and --postgres go with --class-space")
    if args.class_space and args.browsers:
        parser.error("--class-space drives light clients only")
    if args.neural and (args.class_space or args.mix or args.servers > 1):
        parser.error("--neural goes with the plain lesson on one server")
    if args.servers < 1 or (args.browsers and (args.servers > 1 or args.nginx)):
        parser.error("--servers: 1 or more; chromium students talk to one server without nginx")
    if args.database_url:  # a load test talks to this machine only
        from sqlalchemy.engine import make_url

        if make_url(args.database_url).host not in (None, "", "127.0.0.1", "localhost", "::1"):
            parser.error("--database-url must name a database on 127.0.0.1 (a load test stays on this machine)")
    args.cache_dir.mkdir(parents=True, exist_ok=True)
    if args.pretrain:
        pretrain(args.cache_dir, 10_000)
    proxy_wanted = args.servers > 1 or args.nginx
    print(f"classroom: {args.students} light students + {args.browsers} chromium"
          + (" in one class, with a teacher" if args.class_space else "")
          + (f", a teacher training the neural network on {args.neural:,} images" if args.neural else "")
          + (f", the mix arriving within {args.arrive:g} s" if args.mix else "")
          + (f", {args.servers} server{'s' * (args.servers > 1)} behind nginx" if proxy_wanted else "")
          + f", {args.duration:.0f} s, a pause of {args.think[0]:g}-{args.think[1]:g} s between actions, "
          f"seed {args.seed}")
    with ExitStack() as stack:
        env, pg_data, klass = {}, None, None
        if args.class_space:
            env, pg_data = stack.enter_context(class_database(args))
            os.environ.update(env)  # the bench opens the same database as the server
            from digitlib.classroom import database
            from digitlib.classroom.store import ClassStore

            store = ClassStore(database.default_url())
            stack.callback(store.close)
            klass = (store, store.create_class())
            print(f"class {klass[1].code} started in {store.where}")
        from tests.support.nginx import app_servers, nginx_proxy

        servers = stack.enter_context(app_servers(args.servers, args.cache_dir,
                                                  DIGITS_WARMUP="1" if args.warmup else "0", **env))
        for server in servers:
            print(f"server {server} (pid {server.pid}), models in {args.cache_dir}")
        proxy = None
        if proxy_wanted:
            proxy = stack.enter_context(nginx_proxy([s.port for s in servers]))
            print(f"nginx {proxy} (pid {proxy.pid}) in front of them, configured from deploy/nginx/digits.conf")
        ok = asyncio.run(classroom(servers, proxy or servers[0], args, klass, pg_data, proxy))
        for server in servers:
            log_problems(args.cache_dir.parent / f"streamlit-{server.port}.log")
    if not ok:
        raise SystemExit("the neural network was not trained once, beside the server" if args.neural
                         else "the class's data does not match what the pages acknowledged")


if __name__ == "__main__":
    main()
