"""The figures of the book, each a function that returns a matplotlib ``Figure``.

Every explorer of the book is a pure drawing function here (one state in, one figure
out) plus a thin widget in :mod:`nnlib.widgets`. matplotlib is imported inside the
functions, so ``import nnlib`` stays free of it.

The functions live in one submodule per chapter (:mod:`~nnlib.plotting.networks` for
chapter 1 ... :mod:`~nnlib.plotting.evaluation` for chapter 9, :mod:`~nnlib.plotting.graph`
for the computational graph) and one per explorer (``explorer_lr``, ``explorer_conv``, ...);
all of them are imported from here: ``from nnlib.plotting import plot_conv``.
"""

from .activations import (
    plot_activations,
    plot_dead_relu,
    plot_linear_collapse,
    plot_sigmoid_sign,
    plot_vanishing_gradients,
)
from .backprop import plot_relu_kink, plot_sgd_on_example
from .convolution import (
    plot_cnn_filters,
    plot_conv_as_matrix,
    plot_conv_step,
    plot_edge_response,
    plot_edge_scale,
    plot_shift_demo,
)
from .cross_entropy import (
    plot_ce_vs_mse,
    plot_cross_entropy,
    plot_digit_probabilities,
    plot_softmax,
)
from .evaluation import plot_confusion_matrix, plot_misclassified, plot_model_histories
from .explorer_activation import ACTIVATION_DISPLAY_NAMES, plot_activation
from .explorer_batch import (
    BATCH_GRID,
    BATCH_LR_GRID,
    BATCH_SETUP,
    batch_data,
    batch_run,
    plot_batch,
)
from .explorer_conv import CONV_KERNEL_NAMES, conv_kernel, explorer_image, plot_conv
from .explorer_dropout import (
    DROPOUT_GRID,
    OVERFIT_SETUP,
    dropout_run,
    overfit_data,
    plot_dropout_rate,
)
from .explorer_init import (
    INIT_DEPTHS,
    INIT_DISPLAY_NAMES,
    INIT_NAMES,
    INIT_SETUP,
    init_run,
    init_verdict,
    plot_init,
)
from .explorer_lr import (
    LR_BOWL,
    LR_GRID,
    LR_LEFT,
    LR_NETWORK,
    LR_VERDICTS,
    lr_bowl_run,
    lr_critical,
    lr_factors,
    lr_headline,
    lr_network_run,
    lr_verdict,
    plot_lr,
)
from .explorer_patience import PATIENCE_GRID, PATIENCE_TEXT, patience_run, plot_patience
from .explorer_pooling import POOL_EXAMPLE, plot_pooling
from .explorer_temperature import (
    TEMPERATURE_GRID,
    TEMPERATURE_SCORES,
    plot_temperature,
    temperature_run,
)
from .explorer_weight_decay import (
    WEIGHT_DECAY_GRID,
    WEIGHT_DECAY_NOTES,
    WEIGHT_DECAY_SETUP,
    plot_weight_decay,
    weight_decay_run,
    weight_decay_verdict,
)
from .graph import plot_graph
from .initialisation import plot_init_stds
from .networks import plot_digit_pixels, plot_digits, plot_input_output, plot_network
from .overfitting import (
    plot_dropout,
    plot_early_stopping,
    plot_fits,
    plot_lambda_sweep,
    plot_loss_curves,
    plot_overfitting,
)
from .sgd import plot_batch_size_curves, plot_quadratic_gd, plot_sgd_paths

__all__ = [
    # graph
    "plot_graph",
    # networks
    "plot_digits", "plot_digit_pixels", "plot_network", "plot_input_output",
    # sgd
    "plot_sgd_paths", "plot_batch_size_curves", "plot_quadratic_gd",
    # activations
    "plot_sigmoid_sign", "plot_activations", "plot_linear_collapse", "plot_vanishing_gradients",
    "plot_dead_relu",
    # backprop
    "plot_relu_kink", "plot_sgd_on_example",
    # initialisation
    "plot_init_stds",
    # convolution
    "plot_conv_step", "plot_edge_response", "plot_edge_scale", "plot_shift_demo",
    "plot_conv_as_matrix", "plot_cnn_filters",
    # overfitting
    "plot_fits", "plot_loss_curves", "plot_overfitting", "plot_early_stopping",
    "plot_lambda_sweep", "plot_dropout",
    # cross_entropy
    "plot_softmax", "plot_cross_entropy", "plot_ce_vs_mse", "plot_digit_probabilities",
    # evaluation
    "plot_confusion_matrix", "plot_model_histories", "plot_misclassified",
    # explorer_lr
    "LR_GRID", "LR_BOWL", "LR_NETWORK", "LR_LEFT", "LR_VERDICTS", "lr_bowl_run",
    "lr_network_run", "lr_verdict", "lr_factors", "lr_headline",
    "lr_critical", "plot_lr",
    # explorer_batch
    "BATCH_GRID", "BATCH_LR_GRID", "BATCH_SETUP", "batch_data", "batch_run", "plot_batch",
    # explorer_temperature
    "TEMPERATURE_GRID", "TEMPERATURE_SCORES", "temperature_run", "plot_temperature",
    # explorer_weight_decay
    "WEIGHT_DECAY_GRID", "WEIGHT_DECAY_NOTES", "WEIGHT_DECAY_SETUP", "weight_decay_run",
    "weight_decay_verdict", "plot_weight_decay",
    # explorer_dropout
    "DROPOUT_GRID", "OVERFIT_SETUP", "overfit_data", "dropout_run", "plot_dropout_rate",
    # explorer_patience
    "PATIENCE_GRID", "PATIENCE_TEXT", "patience_run", "plot_patience",
    # explorer_conv
    "CONV_KERNEL_NAMES", "conv_kernel", "explorer_image", "plot_conv",
    # explorer_activation
    "ACTIVATION_DISPLAY_NAMES", "plot_activation",
    # explorer_pooling
    "POOL_EXAMPLE", "plot_pooling",
    # explorer_init
    "INIT_NAMES", "INIT_DISPLAY_NAMES", "INIT_DEPTHS", "INIT_SETUP", "init_run", "init_verdict",
    "plot_init",
]
