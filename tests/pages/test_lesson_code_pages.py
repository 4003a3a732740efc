"""The code expander and the script downloads on each page (AppTest): the lesson's Python with the
page's settings filled in."""

from tests.support.apptest import page


def code_in_expander(at):
    [expander] = [e for e in at.expander if e.label == "The code"]
    return "\n".join(c.value for c in expander.code)


def test_explore_shows_the_loader_imshow_and_reshape_for_the_image_on_screen():
    at = page("pages/1_Explore.py", split="test", index="6")
    code = code_in_expander(at)
    assert not at.exception
    assert "tf.keras.datasets.mnist.load_data()" in code and "plt.imshow(x_test[6])" in code
    assert "reshape(60000, 784)" in code


def test_evaluate_shows_the_session_settings_and_offers_both_downloads():
    at = page("pages/3_Evaluate.py", n="300", mode="balanced", seed="7", C="3", test="500", index="17")
    code = code_in_expander(at)
    assert not at.exception
    assert "svm.SVC(C=3)" in code and "accuracy_score" in code and "heatmap" in code
    assert "[:500]" in code and "x_test[17]" in code
    labels = [b.label for b in at.get("download_button")]
    assert "Download recognition.py" in labels and "Download notebook" in labels


def test_the_lesson_step_reads_like_the_lesson():
    at = page("pages/3_Evaluate.py", n="100")
    code = code_in_expander(at)
    assert "svm.SVC()" in code and "x_train[:100]" in code and "x_test[:100]" in code


def test_train_shows_the_slice_fit_and_countplot_for_its_n():
    at = page("pages/2_Train.py", n="200")
    code = code_in_expander(at)
    assert not at.exception
    assert "x_train[:200]" in code and "svm.SVC()" in code and "countplot" in code and "accuracy_score" in code
