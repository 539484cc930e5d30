"""Exercise checks: each ``check_...`` runs a reader's attempt against ``nnlib`` and says
what is right or, precisely, what is wrong.

Every check returns a :class:`Feedback` (truthy when the attempt passes) whose text is
shown in the notebook; a wrong answer is explained, never raised.

The checks of each chapter live in their own submodule
(:mod:`~nnlib.exercises.ch01_neural_networks` ... :mod:`~nnlib.exercises.ch09_putting_it_together`);
all of them are imported from here: ``from nnlib.exercises import check_neuron``.
"""

from . import (
    ch01_neural_networks,
    ch02_training_sgd,
    ch03_activations,
    ch04_forward_backward,
    ch05_fully_connected,
    ch06_convolutions,
    ch07_overfitting,
    ch08_cross_entropy,
    ch09_putting_it_together,
)
from ._answers import Mistake, ValueAnswer
from ._feedback import Feedback
from ._form import AnswerForm, answer_form
from .ch01_neural_networks import (
    COUNT_PREDICTION_SIZES,
    FORWARD_EXERCISE,
    NEURON_EXERCISE,
    check_collapse,
    check_count_prediction,
    check_forward_by_hand,
    check_forward_pass,
    check_neuron,
    check_parameter_count,
)
from .ch02_training_sgd import (
    EPOCH_EXERCISE,
    LR_EXERCISE_ETAS,
    LR_REGIMES,
    SGD_STEP_EXERCISE,
    check_batch_indices,
    check_epoch_batches,
    check_lr_regimes,
    check_sgd_step,
    check_sgd_step_by_hand,
)
from .ch03_activations import (
    DEAD_UNITS_EXERCISE,
    SLOPES_EXERCISE_Z,
    check_dead_units,
    check_dead_units_by_hand,
    check_sigmoid_depth,
    check_slopes,
    check_stable_sigmoid,
    check_tanh_grad,
)
from .ch03_activations import _ch03_dead_cases as _ch03_dead_cases
from .ch04_forward_backward import (
    DEAD_EXAMPLE,
    MUL_NODE_EXERCISE,
    SIGMOID_EXAMPLE,
    check_dead_example_gradient,
    check_mul_backward,
    check_mul_node_gradients,
    check_sigmoid_backward,
    check_sigmoid_gradients,
)
from .ch04_forward_backward import _ch04_sigmoid_example as _ch04_sigmoid_example
from .ch05_fully_connected import (
    BACKWARD_SHAPES_EXERCISE,
    LAYER_SHAPES_EXERCISE,
    STD_GROWTH_EXERCISE,
    check_backward_shapes,
    check_layer_shapes,
    check_linear_backward,
    check_relu_variance_gain,
    check_std_growth,
)
from .ch06_convolutions import (
    CONV_SIZE_EXERCISE,
    EDGE_PATCH_EXERCISE,
    MAX_POOL_EXERCISE,
    check_conv_backward_loops,
    check_conv_output_sizes,
    check_convolve2d_loops,
    check_edge_patch,
    check_max_pool,
)
from .ch07_overfitting import (
    EARLY_STOP_BY_HAND,
    EARLY_STOPPING_CASES,
    LAMBDA_TABLE,
    WEIGHT_DECAY_EXERCISE,
    check_choose_lambda,
    check_early_stop_by_hand,
    check_early_stopping,
    check_inverted_dropout,
    check_weight_decay_step,
    lambda_table_digits,
)
from .ch07_overfitting import _early_stopping_reference as _early_stopping_reference
from .ch07_overfitting import _weight_decay_reference as _weight_decay_reference
from .ch08_cross_entropy import _TARGET_KINDS as _TARGET_KINDS
from .ch08_cross_entropy import (
    CE_EXERCISE,
    CE_GRAD_EXERCISE,
    TARGETS_EXERCISE,
    check_ce_grad_by_hand,
    check_cross_entropy_value,
    check_multi_label,
    check_softmax_ce_grad,
    check_stable_softmax,
)
from .ch09_putting_it_together import (
    CONFUSED_EXERCISE,
    CONFUSION_EXERCISE,
    PR_EXERCISE,
    check_confusion_by_hand,
    check_confusion_matrix,
    check_majority_baseline,
    check_most_confused,
    check_most_confused_by_hand,
    check_precision_recall,
    check_precision_recall_by_hand,
)

VALUE_ANSWERS: dict[str, ValueAnswer] = {
    answer.exercise: answer
    for chapter in (ch01_neural_networks, ch02_training_sgd, ch03_activations,
                    ch04_forward_backward, ch05_fully_connected, ch06_convolutions,
                    ch07_overfitting, ch08_cross_entropy, ch09_putting_it_together)
    for answer in getattr(chapter, "VALUE_ANSWERS", ())
}
"""Every exercise whose answer is a value, by its number in the book (``"6.2"``): the
truth that its ``check_...`` and its HTML answer form (:func:`answer_form`) share."""

# The ``_name as _name`` imports above re-export private names that the tests use;
# ``__all__`` lists the public ones.

__all__ = [
    # _feedback, _answers, _form
    "Feedback", "ValueAnswer", "Mistake", "VALUE_ANSWERS", "AnswerForm", "answer_form",
    # ch01_neural_networks
    "NEURON_EXERCISE", "check_neuron", "check_forward_pass", "check_parameter_count",
    "check_collapse", "COUNT_PREDICTION_SIZES", "check_count_prediction", "FORWARD_EXERCISE",
    "check_forward_by_hand",
    # ch02_training_sgd
    "SGD_STEP_EXERCISE", "LR_EXERCISE_ETAS", "LR_REGIMES", "check_sgd_step", "check_batch_indices",
    "check_lr_regimes", "check_epoch_batches", "check_sgd_step_by_hand", "EPOCH_EXERCISE",
    # ch03_activations
    "check_stable_sigmoid", "check_tanh_grad", "check_dead_units", "check_sigmoid_depth",
    "SLOPES_EXERCISE_Z", "check_slopes", "DEAD_UNITS_EXERCISE", "check_dead_units_by_hand",
    # ch04_forward_backward
    "SIGMOID_EXAMPLE", "DEAD_EXAMPLE", "check_sigmoid_backward", "check_dead_example_gradient",
    "check_mul_backward", "check_sigmoid_gradients", "MUL_NODE_EXERCISE",
    "check_mul_node_gradients",
    # ch05_fully_connected
    "LAYER_SHAPES_EXERCISE", "check_layer_shapes", "check_linear_backward",
    "check_relu_variance_gain", "BACKWARD_SHAPES_EXERCISE", "check_backward_shapes",
    "STD_GROWTH_EXERCISE", "check_std_growth",
    # ch06_convolutions
    "CONV_SIZE_EXERCISE", "EDGE_PATCH_EXERCISE", "MAX_POOL_EXERCISE", "check_conv_output_sizes",
    "check_edge_patch", "check_max_pool", "check_convolve2d_loops", "check_conv_backward_loops",
    # ch07_overfitting
    "EARLY_STOPPING_CASES", "check_early_stopping", "WEIGHT_DECAY_EXERCISE",
    "check_weight_decay_step", "check_inverted_dropout", "LAMBDA_TABLE", "lambda_table_digits",
    "check_choose_lambda", "EARLY_STOP_BY_HAND", "check_early_stop_by_hand",
    # ch08_cross_entropy
    "check_stable_softmax", "CE_EXERCISE", "check_cross_entropy_value", "check_softmax_ce_grad",
    "TARGETS_EXERCISE", "check_multi_label", "CE_GRAD_EXERCISE", "check_ce_grad_by_hand",
    # ch09_putting_it_together
    "check_confusion_matrix", "check_precision_recall", "check_most_confused",
    "check_majority_baseline", "CONFUSION_EXERCISE", "check_confusion_by_hand", "PR_EXERCISE",
    "check_precision_recall_by_hand", "CONFUSED_EXERCISE", "check_most_confused_by_hand",
]
