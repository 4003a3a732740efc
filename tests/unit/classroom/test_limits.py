"""Rate limits: the sliding window, joining by code, and the store's limits per connection and class."""

import math
import threading

import pytest
from sqlalchemy import event

from digitlib.classroom import codes, limits
from digitlib.classroom.limits import JoinGuard, SlidingWindow
from digitlib.classroom.store import ClassStore
from digitlib.errors import ClassCodeError, ClassLimitError, JoinThrottledError
from tests.support.class_store import BOARD, Clock, digit
from tests.support.threads import ask_from_threads


class Seconds:
    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now


# --- the sliding window -------------------------------------------------------------------

def test_a_window_allows_limit_events_then_says_how_long_to_wait():
    clock = Seconds()
    window = SlidingWindow(3, 60, clock=clock)
    for _ in range(3):
        assert window.take("a") == 0
        clock.now += 10
    assert window.take("a") == pytest.approx(30)  # the first event leaves the window 60 s after it
    assert window.wait("a") == pytest.approx(30) and window.take("b") == 0
    clock.now += 30
    assert window.take("a") == 0
    assert window.wait("a") == pytest.approx(10)


def test_a_refused_take_counts_nothing_and_give_back_undoes_one():
    clock = Seconds()
    window = SlidingWindow(2, 60, clock=clock)
    window.take("a")
    window.take("a")
    for _ in range(5):
        assert window.take("a") > 0
    window.give_back("a")
    assert window.take("a") == 0 and window.take("a") > 0


def test_hit_counts_past_the_limit_and_the_wait_follows_the_newest():
    clock = Seconds()
    window = SlidingWindow(2, 100, clock=clock)
    for _ in range(4):
        window.hit("a")
        clock.now += 10
    assert window.wait("a") == pytest.approx(100 - 20)  # the second-newest of four, 20 s old


def test_memory_is_bounded():
    clock = Seconds()
    window = SlidingWindow(5, 60, max_keys=100, clock=clock)
    for i in range(1000):
        window.take(f"k{i}")
    assert len(window) == 100  # the idlest were forgotten
    assert window.wait("k999") == 0 and window.wait("k0") == 0
    clock.now += 61
    window.take("new")
    assert len(window) == 1  # keys whose events left the window are dropped
    many = SlidingWindow(3, 60, clock=clock)
    for _ in range(1000):
        many.hit("x")
    assert len(many._events["x"]) == 3  # at most `limit` times per key


def test_threads_racing_get_exactly_the_limit():
    window = SlidingWindow(25, 60)
    results = ask_from_threads(100, lambda: window.take("same"))
    assert sum(1 for r in results if r == 0) == 25


@pytest.mark.parametrize("seconds, words", [(0.1, "1 minute"), (60, "1 minute"), (61, "2 minutes"),
                                            (599.5, "10 minutes")])
def test_waits_are_said_in_whole_minutes_rounded_up(seconds, words):
    assert limits.minutes(seconds) == words


def test_the_docstring_arithmetic_holds():
    codes_count = len(codes.ALPHABET) ** codes.CODE_LENGTH
    assert codes_count == 1_099_511_627_776
    one_in = codes_count / 10_000
    assert round(one_in) == 109_951_163
    assert round(one_in / limits.WRONG_CODES_PER_SERVER) == 1_099_512  # minutes
    assert round(one_in / 100 / 1440) == 764 and round(one_in / 100 / 1440 / 365.25, 1) == 2.1
    tries = limits.WRONG_CODES_PER_SERVER * 30 * 1440 * limits.SERVER_WINDOW_S / 60
    assert tries == 4_320_000
    chance = -math.expm1(tries * math.log1p(-1 / one_in))
    assert round(chance, 3) == 0.039
    for text in ("1,099,511,627,776", "109,951,163", "1,099,512 minutes", "4,320,000", "3.9%"):
        assert text in limits.__doc__


# --- joining by code ------------------------------------------------------------------------

def test_a_join_guard_refuses_a_connection_after_ten_wrong_codes_in_ten_minutes():
    clock = Seconds()
    guard = JoinGuard(clock=clock)
    for _ in range(9):
        guard.failed("10.0.0.1")
        clock.now += 30
    guard.check("10.0.0.1")
    guard.failed("10.0.0.1")  # the tenth, 4.5 minutes after the first
    with pytest.raises(JoinThrottledError, match="tried from here; wait 6 minutes and try again"):
        guard.check("10.0.0.1")
    guard.check("10.0.0.2")
    guard.check(None)
    clock.now += 330  # the first wrong code is now ten minutes old
    guard.check("10.0.0.1")


def test_store_join_counts_wrong_codes_and_then_refuses_without_looking(class_db_url):
    clock = Clock()
    store = ClassStore(class_db_url, clock=clock)
    klass = store.create_class()
    for i in range(10):
        with pytest.raises(ClassCodeError, match="No class has the code"):
            store.join(f"ZZZZZZ{codes.ALPHABET[i]}{codes.ALPHABET[i]}", "10.0.0.1")
    for _ in range(20):  # not codes at all: they cannot find a class, so they are not counted
        with pytest.raises(ClassCodeError, match="not a class code"):
            store.join("0000", "10.0.0.2")
    seen = []
    event.listen(store._engine, "before_cursor_execute", lambda *args: seen.append(args[2]))
    for code in ("ZZZZZZZZ", klass.code):  # a right code too: the answer would tell it is right
        with pytest.raises(JoinThrottledError, match="wait 10 minutes") as caught:
            store.join(code, "10.0.0.1")
        assert isinstance(caught.value, ClassLimitError) and code not in str(caught.value)
    assert seen == []  # refused before any lookup
    assert store.join(klass.code, "10.0.0.2").code == klass.code  # another connection is not held up
    clock.advance(601)
    assert store.join(klass.code, "10.0.0.1").code == klass.code
    store.close()


def test_store_join_refuses_everyone_after_too_many_wrong_codes_on_the_server(class_db_url):
    clock = Clock()
    store = ClassStore(class_db_url, clock=clock, wrong_codes_per_server=20)
    klass = store.create_class()
    for i in range(20):  # from twenty places, none over its own limit
        with pytest.raises(ClassCodeError):
            store.join("ZZZZZZZZ", f"10.0.1.{i}")
        clock.advance(1)
    for who in ("10.9.9.9", None):
        with pytest.raises(JoinThrottledError, match="tried on this server; wait 1 minute"):
            store.join(klass.code, who)
    assert store.drawings(klass.code) is not None  # students already in carry on
    store.save_drawing(klass.code, "me", 1, digit())
    clock.advance(41)  # the first wrong code is now a minute old
    assert store.join(klass.code, "10.9.9.9").code == klass.code
    store.close()


def test_the_server_cap_defaults_to_one_hundred_a_minute(class_db_url):
    clock = Clock()
    store = ClassStore(class_db_url, clock=clock)
    for i in range(100):
        with pytest.raises(ClassCodeError):
            store.join("ZZZZZZZZ", f"host-{i}")
    with pytest.raises(JoinThrottledError):
        store.join("ZZZZZZZZ", "host-new")
    store.close()


# --- saves, posts and guesses --------------------------------------------------------------

def test_saves_per_connection(class_db_url):
    clock = Clock()
    store = ClassStore(class_db_url, clock=clock, connection_saves_per_minute=3)
    klass = store.create_class()
    for i in range(3):  # three students behind one school address
        store.save_drawing(klass.code, f"s{i}", 1, digit(), connection="203.0.113.7")
        clock.advance(10)
    with pytest.raises(ClassLimitError, match="saved from here in the last minute") as caught:
        store.save_drawing(klass.code, "s9", 1, digit(), connection="203.0.113.7")
    assert "wait 30 seconds, then save again" in str(caught.value) and "already saved are kept" in str(caught.value)
    store.save_drawing(klass.code, "s9", 1, digit(), connection="198.51.100.1")
    store.save_drawing(klass.code, "s9", 1, digit())  # no connection known: the other limits only
    clock.advance(31)
    store.save_drawing(klass.code, "s9", 1, digit(), connection="203.0.113.7")
    assert store.count(klass.code) == 6
    store.close()


def test_saves_per_class_and_a_refused_save_gives_its_slots_back(class_db_url):
    clock = Clock()
    store = ClassStore(class_db_url, clock=clock, connection_saves_per_minute=2, class_saves_per_minute=1)
    a, b, c = store.create_class(), store.create_class(), store.create_class()
    store.save_drawing(a.code, "me", 1, digit(), connection="x")
    with pytest.raises(ClassLimitError, match="Your class saved 1 drawings in the last minute"):
        store.save_drawing(a.code, "you", 1, digit(), connection="y")
    with pytest.raises(ClassLimitError, match="Your class saved"):
        store.save_drawing(a.code, "me", 1, digit(), connection="x")  # took x's second slot, gave it back
    store.save_drawing(b.code, "me", 1, digit(), connection="x")  # so this one still fits
    with pytest.raises(ClassLimitError, match="saved from here"):
        store.save_drawing(c.code, "me", 1, digit(), connection="x")
    assert [store.count(k.code) for k in (a, b, c)] == [1, 1, 0]
    store.close()


def test_threads_from_one_connection_save_exactly_the_limit(class_db_url):
    store = ClassStore(class_db_url, connection_saves_per_minute=5)
    klass = store.create_class()
    drawers = iter(range(20))

    def save():
        try:
            return store.save_drawing(klass.code, f"d{next(drawers)}", 1, digit(), connection="one")
        except ClassLimitError:
            return "limit"

    results = ask_from_threads(20, save)
    assert results.count("limit") == 15 and store.count(klass.code) == 5
    store.close()


def test_the_same_model_posted_again_is_kept_once(class_db_url):
    store = ClassStore(class_db_url, clock=Clock(), connection_posts_per_minute=2)
    klass = store.create_class()
    first = store.record_experiment(klass.code, "me", **BOARD, nickname="Ada", connection="x")
    again = store.record_experiment(klass.code, "me", **BOARD | dict(accuracy_100=0.5), nickname="Bo", connection="x")
    assert again == first and len(store.experiments(klass.code)) == 1
    assert store.experiments(klass.code)[0].nickname == "Ada"
    other = store.record_experiment(klass.code, "you", **BOARD, connection="x")  # another student
    changed = [dict(n=100), dict(mode="balanced"), dict(seed=3), dict(C=2.0), dict(gamma="auto"), dict(kernel="poly")]
    for change in changed:
        store.record_experiment(klass.code, "me", **BOARD | change)
    assert len({other, first}) == 2 and len(store.experiments(klass.code)) == 2 + len(changed)
    with pytest.raises(ClassLimitError, match="posted from here in the last minute"):
        store.record_experiment(klass.code, "me", **BOARD | dict(n=700), connection="x")
    # A repeat needs no slot: it adds nothing.
    assert store.record_experiment(klass.code, "me", **BOARD, connection="x") == first
    store.close()


def test_posts_per_class_are_counted_in_the_database(class_db_url):
    clock = Clock()
    store = ClassStore(class_db_url, clock=clock, class_posts_per_minute=3)
    klass, other = store.create_class(), store.create_class()
    for n in (1, 2, 3):
        store.record_experiment(klass.code, f"d{n}", **BOARD | dict(n=n), connection=f"c{n}")
    with pytest.raises(ClassLimitError, match="Your class posted 3 models to the board in the last minute"):
        store.record_experiment(klass.code, "d4", **BOARD, connection="c4")
    # Another process sharing the database sees the same count.
    second = ClassStore(class_db_url, clock=clock, class_posts_per_minute=3)
    with pytest.raises(ClassLimitError):
        second.record_experiment(klass.code, "d5", **BOARD)
    second.record_experiment(other.code, "d5", **BOARD)
    clock.advance(61)
    store.record_experiment(klass.code, "d4", **BOARD)
    assert len(store.experiments(klass.code)) == 4
    second.close()
    store.close()


def test_a_question_takes_a_limited_number_of_guessers(class_db_url):
    store = ClassStore(class_db_url, clock=Clock(), max_guessers=2)
    klass = store.create_class()
    store.ask(klass.code, klass.token, 500)
    store.guess(klass.code, "a", 0.5)
    store.guess(klass.code, "b", 0.6)
    with pytest.raises(ClassLimitError, match="already has 2 guesses, the most it takes"):
        store.guess(klass.code, "c", 0.7)
    store.guess(klass.code, "a", 0.9)  # those who guessed may still change their mind
    assert store.question(klass.code).guesses == [0.9, 0.6]
    store.ask(klass.code, klass.token, 100)  # a new question, new guessers
    store.guess(klass.code, "c", 0.7)
    store.close()


def test_guesses_per_connection(class_db_url):
    clock = Clock()
    store = ClassStore(class_db_url, clock=clock, connection_guesses_per_minute=2)
    klass = store.create_class()
    store.ask(klass.code, klass.token, 500)
    store.guess(klass.code, "a", 0.5, connection="x")
    store.guess(klass.code, "a", 0.6, connection="x")
    with pytest.raises(ClassLimitError, match="guesses were sent from here in the last minute"):
        store.guess(klass.code, "b", 0.7, connection="x")
    store.guess(klass.code, "b", 0.7, connection="y")
    clock.advance(60)
    store.guess(klass.code, "c", 0.8, connection="x")
    assert store.question(klass.code).guesses == [0.6, 0.7, 0.8]
    store.close()


def test_long_connection_keys_are_kept_small(class_db_url):
    store = ClassStore(class_db_url, clock=Clock(), connection_saves_per_minute=1)
    klass = store.create_class()
    long_key = "x" * 10_000
    store.save_drawing(klass.code, "me", 1, digit(), connection=long_key)
    with pytest.raises(ClassLimitError):
        store.save_drawing(klass.code, "me", 1, digit(), connection=long_key)
    assert max(len(key) for key in store._connection_saves._events) == 64
    store.close()


def test_threads_guessing_from_one_connection_get_exactly_the_limit(class_db_url):
    lock = threading.Lock()
    store = ClassStore(class_db_url, connection_guesses_per_minute=10)
    klass = store.create_class()
    store.ask(klass.code, klass.token, 500)
    done = []

    def guess():
        try:
            store.guess(klass.code, f"g{threading.get_ident()}", 0.5, connection="one")
            with lock:
                done.append(1)
        except ClassLimitError:
            pass

    ask_from_threads(30, guess)
    assert len(done) == 10 and len(store.question(klass.code).guesses) == 10
    store.close()
