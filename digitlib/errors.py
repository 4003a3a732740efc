"""Error types of digitlib, one per kind of failure.

Each message is written for a teacher: it says what went wrong and what to do,
and never needs a traceback to be understood.
"""

from digitlib.language.catalogs import N_
from digitlib.language.messages import Message


class DigitsError(Exception):
    """Base class of every error that digitlib raises on purpose.

    Raise it with a message marked ``N_("… {name} …")`` and the placeholders' values as keywords: the message
    is translated, and its numbers written, in the language of whoever reads it (``str(error)``).
    """

    def __init__(self, message="", **values):
        self.message = message if isinstance(message, Message) else Message(str(message), **values)
        super().__init__(message)

    def __str__(self) -> str:
        return str(self.message)


class DataFileError(DigitsError):
    """A data file is missing, damaged or not MNIST-shaped."""

    def __init__(self, path, problem):
        self.path = str(path)
        self.problem = problem
        super().__init__(N_("Cannot use the data file '{path}': {problem}"), path=self.path, problem=problem)


class DataSourceUnavailable(DigitsError):
    """A data source cannot be reached (for example no network for keras)."""


class ModelCacheError(DigitsError):
    """A saved model on disk is damaged, from another version, or untrusted."""


class ShippedModelError(ModelCacheError):
    """A model file shipped in the repository (``digitlib/assets/models``) is damaged."""


class BlankDrawingError(DigitsError):
    """The drawing holds too little ink to be read as a digit."""


class InvalidSettingError(DigitsError):
    """A setting (sample size, test size, index, SVM parameter) is out of range."""


class ClassCodeError(DigitsError):
    """A class code is malformed, or no class has it."""


class NotTeacherError(DigitsError):
    """An action needs the teacher's link, and the session does not hold a valid one."""


class ClassLimitError(DigitsError):
    """A class limit was reached: too many drawings in the class, or too many saves in a minute."""


class JoinThrottledError(ClassLimitError):
    """Too many wrong class codes were tried from one place or on the whole server; wait, then join."""


class ClassClosedError(DigitsError):
    """The teacher has closed the class to new students, or paused saving in it."""


class StorageUnavailableError(DigitsError):
    """The class database cannot be reached or written; nothing already saved is lost."""


class ClassFileError(DigitsError):
    """A class-set file to import is damaged or not in the expected layout."""


class NeuralUnavailableError(DigitsError):
    """This server cannot train a neural network: TensorFlow is missing, or memory is too short."""


class NeuralTrainingError(DigitsError):
    """The neural network's worker process failed, ran out of its memory budget, or stopped."""


class NeuralBusyError(DigitsError):
    """Too many neural networks are training or waiting on this server; try again later."""


class UnreadableDrawingError(DigitsError):
    """What the browser sent as a drawing is not the canvas's own small PNG; it was not decoded."""


class UnreadablePhotoError(DigitsError):
    """An uploaded photo cannot be read: not an image, damaged, in an unsupported format, or too big.

    The check happens before its pixels are decoded; the message says which problem, with the numbers."""


class NoDigitsFoundError(DigitsError):
    """A photo or wide drawing holds no digit: a blank page, a photo of a screen, only lines or specks."""


class TooManyDigitsError(DigitsError):
    """A photo or wide drawing holds more digits than a number the app reads (``digitlib.paper.MAX_DIGITS``)."""
