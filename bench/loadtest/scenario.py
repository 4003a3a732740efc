"""The lesson against the servers: the students (light and chromium), the teacher, the sampler, the report."""

from __future__ import annotations

import asyncio
import os
import resource
import time
from dataclasses import replace

import numpy as np

from bench.loadtest import routing
from bench.loadtest.browser_student import Chromium
from bench.loadtest.lesson import student
from bench.loadtest.light_student import Light
from bench.loadtest.pages import PEN
from bench.loadtest.processes import (
    Server,
    Worker,
    maps_naming,
    postgres_cpu,
    proc_stats,
    sample_servers,
    tree_cpu,
)
from bench.loadtest.report import check_class, report, report_neural
from bench.loadtest.samples import Sample, auto_samples
from digitlib.drawing import handwriting, preprocess
from tests.support.browser import CHROMIUM, CHROMIUM_ARGS


async def classroom(servers, base, args, klass=None, pg_data=None, proxy=None):
    """The lesson against ``servers`` (``ServerURL``s), the students connecting to ``base``: the one server,
    or nginx in front of them (``proxy``, a ``ProxyURL``); ``klass``: (store, NewClass) for --class-space."""
    pid = servers[0].pid
    rng = np.random.default_rng(args.seed)
    drawings = [replace(d, width=PEN) for d in handwriting.drawing_set(per_digit=10, seed=args.seed)]
    rng.shuffle(drawings)
    # What each drawing becomes on the server (pages/4_Draw.py prepares the canvas's PNG the same way).
    pixels = [preprocess.prepare(handwriting.render(d)).centred.tobytes() for d in drawings] if klass else None
    samples: list[Sample] = []
    code = klass[1].code if klass else None
    proxied = proxy is not None
    actors = [Light(base, args.timeout, code, proxied=proxied) for _ in range(args.students)]
    playwright = browser = None
    if args.browsers:
        from playwright.async_api import async_playwright

        playwright = await async_playwright().start()
        browser = await playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for _ in range(args.browsers):
            context = await browser.new_context(viewport={"width": 1280, "height": 900})
            actors.append(Chromium(base, args.timeout, context))
    load0 = os.getloadavg()[0]
    own0 = resource.getrusage(resource.RUSAGE_SELF)
    watched = [Server(s.pid, int(s.rsplit(":", 1)[1])) for s in servers]
    for server in watched:
        server.start()
    pg0 = postgres_cpu(pg_data) if pg_data else 0.0
    proxy0 = tree_cpu(proxy.pid) if proxied else 0.0
    stop = asyncio.Event()
    worker = Worker(pid) if args.neural else None
    sampler = asyncio.ensure_future(sample_servers(watched, stop, worker))
    t0 = time.perf_counter()
    deadline = t0 + args.duration
    tasks = [student(a, np.random.default_rng([args.seed, i]), drawings, args, deadline, samples, pixels, i)
             for i, a in enumerate(actors)]
    head = click = network = None  # the teacher; the click on "Train the neural network"; waiting for it
    if klass:  # the teacher opens the class and asks a question before the students come in
        head = Light(base, args.timeout, code, kind="teacher", proxied=proxied)
        samples.append(await head.join(klass[1].token))
        if head.c.errors or not any(el.label == "Ask the class" for el in head.c.elements.values()):
            raise SystemExit(f"the teacher's link did not open the teacher's page: {head.c.errors}")
        samples.append(await head.ask())
        tasks.append(asyncio.sleep(max(0.0, deadline - time.perf_counter())))  # keeps the page open
    elif args.neural:  # the teacher starts the training before the students come in, and waits for it
        head = Light(base, args.timeout, kind="teacher", proxied=proxied)
        samples.append(await head.neural(args.neural, "Teacher Neural"))
        click = await head.train_network()
        samples.append(click)
        network = asyncio.ensure_future(head.await_network(args.neural, click.at + args.neural_wait, samples))
    if head is not None:
        actors.append(head)
    shown = lesson_end = tensorflow = None
    try:
        longest = args.duration + args.timeout * (4 if args.mix else 1) + args.linger[1] + 30  # --mix: a whole round
        await asyncio.wait_for(asyncio.gather(*tasks), longest)
        lesson_end = time.perf_counter()
        seconds = lesson_end - t0
        for server in watched:
            server.end()
        pg1 = postgres_cpu(pg_data) if pg_data else 0.0
        proxy1 = tree_cpu(proxy.pid) if proxied else 0.0
        if network is not None:  # the network may come after the lesson
            shown = await network
    finally:
        if network is not None:
            network.cancel()
        for server in watched:  # the peak until now (--neural: the network's arrival too)
            server.peak = proc_stats(server.pid)[2]
        if args.neural:  # the server's, and the worker's to show that the check sees TensorFlow where it is
            tensorflow = maps_naming(pid, "tensorflow"), worker.pid and maps_naming(worker.pid, "tensorflow")
        stop.set()
        await sampler
        if head is not None:
            await head.close()
        if browser is not None:
            await browser.close()
            await playwright.stop()
    for actor in actors:
        if isinstance(actor, Light):
            samples.extend(auto_samples(actor))
    own = resource.getrusage(resource.RUSAGE_SELF)
    if proxied:  # which server each student's route cookie reached, from nginx's access log
        at = routing.upstreams(proxy.folder / "access.log")
        for server in watched:
            server.actions = sum(not x.failed and at.get(x.route) == server.port for x in samples)
    report(samples, args, watched, seconds, t0)
    if pg_data:
        print(f"PostgreSQL server: CPU {pg1 - pg0:.1f} s (all its processes)")
    if proxied:
        print(f"nginx: CPU {proxy1 - proxy0:.1f} s (master and workers)")
    own = own.ru_utime + own.ru_stime - own0.ru_utime - own0.ru_stime
    print(f"this script's own CPU during the lesson (the light clients): {own:.1f} s ({own / seconds:.2f} cores)")
    print(f"machine load average (1 min; {os.cpu_count()} cores, shared): {load0:.1f} at the start, "
          f"{os.getloadavg()[0]:.1f} at the end")
    if args.neural:
        return report_neural(args, samples, head, click, shown, lesson_end, worker, pid, tensorflow)
    return check_class(klass[0], code, samples) if klass else True
