"""Exercise checks: each ``check_...`` runs a reader's attempt against ``nnlib`` and says
what is right or, precisely, what is wrong.

Every check returns a :class:`Feedback` (truthy when the attempt passes) whose text is
shown in the notebook; it never raises on a wrong answer, only explains it.
"""

from __future__ import annotations

