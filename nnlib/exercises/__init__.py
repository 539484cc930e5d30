"""Exercise checks: each ``check_...`` runs a reader's attempt against ``nnlib`` and says
what is right or, precisely, what is wrong.

Every check returns a :class:`Feedback` (truthy when the attempt passes) whose text is
shown in the notebook; a wrong answer is explained, never raised.

The checks of each chapter live in their own submodule
(:mod:`~nnlib.exercises.ch01_neural_networks` ... :mod:`~nnlib.exercises.ch09_putting_it_together`),
which declares its public names (``__all__``); they are collected here, so a chapter
imports all it needs from one place: ``from nnlib.exercises import check_neuron``.
"""

from __future__ import annotations

from .._collect import collect
from ._answers import Mistake, ValueAnswer
from ._feedback import Feedback
from ._form import AnswerForm, answer_form

#: The chapters' modules, in chapter order.
SUBMODULES, _names = collect(__name__, __path__, globals())

VALUE_ANSWERS: dict[str, ValueAnswer] = {
    answer.exercise: answer for answer in map(globals().get, _names)
    if isinstance(answer, ValueAnswer)
}
"""Every exercise whose answer is a value, by its number in the book (``"6.2"``): the
truth that its ``check_...`` and its HTML answer form (:func:`answer_form`) share."""

__all__ = ["Feedback", "ValueAnswer", "Mistake", "VALUE_ANSWERS", "AnswerForm", "answer_form",
           "SUBMODULES", *_names]
