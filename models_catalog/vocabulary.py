"""Names shared by the catalog's models and the pure page code (no Django here)."""

from __future__ import annotations

# The conditions a score may record; a benchmark may declare which of them must match.
SCORE_CONDITIONS: tuple[str, ...] = (
    "variant",
    "shots",
    "reasoning",
    "reasoning_effort",
    "attempts",
    "harness",
)

# The reader's tasks a benchmark can speak to, with the words the FAQ uses for them.
TASKS: tuple[tuple[str, str], ...] = (
    ("coding", "coding"),
    ("math", "math"),
    ("reasoning-knowledge", "reasoning and knowledge"),
    ("tool-use", "tool use"),
    ("long-context", "long context"),
    ("vision", "vision"),
)
