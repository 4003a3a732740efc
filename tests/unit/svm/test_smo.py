"""digitlib.svm.smo and kernel_rows: libsvm's solver repeated step for step gives libsvm's pair models to the last
bit, on kernel rows made on demand; plans pick the row solver when the blocks do not fit."""

import numpy as np
import pytest

from digitlib.svm import exact_kernel, fast_fit, kernel_rows, plans, smo


@pytest.mark.parametrize(("n", "first", "second"), [(300, 0, 1), (2000, 3, 5), (4000, 4, 9), (4000, 7, 9)])
def test_same_pair_model_as_libsvm_on_the_same_kernel(mnist, n, first, second):
    pixels, y = mnist.x_train[:n].reshape(n, 784), mnist.y_train[:n]
    gamma = fast_fit.resolve_gamma("scale", pixels)
    part = np.concatenate([pixels[y == first], pixels[y == second]])
    n1 = int((y == first).sum())
    K = exact_kernel.rbf_block(part, None, exact_kernel.square_norms(part), None, gamma,
                               np.empty((len(part), len(part)), np.float32))
    for C in (1.0, 0.3):
        ref = fast_fit._solve_precomputed(K.astype(np.float64), n1, len(part) - n1, C)
        ours = smo.solve(n1, len(part), lambda o, solver: K[o], C)
        assert np.array_equal(ours.support, ref.support) and np.array_equal(ours.dual_coef, ref.dual_coef)
        assert ours.intercept == ref.intercept and ours.n_iter == ref.n_iter
        assert ours.rows_fetched < len(part)


def test_rows_are_the_exact_kernel_rows(mnist):
    pixels = mnist.x_train[:600].reshape(600, 784)
    bold = np.full((2, 784), 255, dtype=np.uint8)  # too bold for float32's exact sums
    first, second = np.concatenate([pixels[:250], bold[:1]]), np.concatenate([pixels[250:], bold[1:]])
    gamma = 0.02
    both = np.concatenate([first, second])
    full = exact_kernel.rbf_block(both, None, exact_kernel.square_norms(both), None, gamma,
                                  np.empty((len(both), len(both)), np.float32))
    rows = kernel_rows.PairRows(kernel_rows.Digit(first, gamma, 1e6), kernel_rows.Digit(second, gamma, 0))
    for o in (0, 17, 250, 251, 400, len(both) - 1, 17):  # 17 again: from the kept own rows
        assert np.array_equal(rows(o), full[o])


def test_row_plan_is_the_same_model_as_the_block_plan(mnist):
    pixels, y = mnist.x_train[:3000].reshape(3000, 784), mnist.y_train[:3000]
    blocks, plan_b = fast_fit.fit_with_plan(pixels, y, plan=plans.Plan("blocks", 2, 0, 0))
    rows, plan_r = fast_fit.fit_with_plan(pixels, y, plan=plans.Plan("rows", 2, 0, 0, cache_mb=5))
    assert (plan_b.how, plan_r.how) == ("blocks", "rows")
    for name in ("support_", "_dual_coef_", "_intercept_", "_num_iter"):
        assert np.array_equal(getattr(rows, name), getattr(blocks, name))


def test_plans_within_a_budget():
    """Small sizes: blocks when they fit; large sizes: rows; too little memory: libsvm's own kernel."""
    assert plans.plan_for(5000, 4096, threads=2).how == "blocks"
    big = plans.plan_for(60_000, 1536, threads=2)
    assert big.how == "rows" and big.workers == 2 and big.estimate_mb <= 1536
    assert plans.plan_for(60_000, 4096, threads=2).how == "rows"
    for n in (1000, 5000, 10_000, 20_000):
        plan = plans.plan_for(n, 690, threads=2)
        assert plan.how != "libsvm" and plan.estimate_mb <= 690
    assert plans.plan_for(20_000, 1, threads=2).how == "libsvm"
    assert "worker" in big.describe()


def test_duplicate_images_take_libsvm_tau_path(mnist):
    """Identical images make a zero quadratic coefficient, which libsvm replaces with TAU."""
    pixels, y = mnist.x_train[:1500].reshape(1500, 784), mnist.y_train[:1500]
    first, second = pixels[y == 3], pixels[y == 5]
    part = np.concatenate([first, first[:20], second, first[20:30], second[:15]])
    n1 = len(first) + 20
    K = exact_kernel.rbf_block(part, None, exact_kernel.square_norms(part), None, 0.02,
                               np.empty((len(part), len(part)), np.float32))
    ref = fast_fit._solve_precomputed(K.astype(np.float64), n1, len(part) - n1, 1.0)
    ours = smo.solve(n1, len(part), lambda o, solver: K[o])
    assert np.array_equal(ours.support, ref.support) and np.array_equal(ours.dual_coef, ref.dual_coef)
    assert ours.intercept == ref.intercept and ours.n_iter == ref.n_iter
