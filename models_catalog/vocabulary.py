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

# The seven capability flags: field name, admin label, and the words prose uses.
CAPABILITY_VOCABULARY: tuple[tuple[str, str, str], ...] = (
    ("vision", "Vision", "vision"),
    ("multimodal", "Multimodal", "multimodal input"),
    ("reasoning", "Reasoning", "reasoning mode"),
    ("function_calling", "Function calling", "function calling"),
    ("tool_use", "Tool use", "tool use"),
    ("structured_outputs", "Structured outputs", "structured outputs"),
    ("code_execution", "Code execution", "code execution"),
)

# Pair pages are /compare/<a>-vs-<b>/, so no slug may contain it.
PAIR_SEPARATOR = "-vs-"


def pair_slug(x: str, y: str) -> str:
    """The canonical pair slug: the two slugs in alphabetical order."""
    return PAIR_SEPARATOR.join(sorted((x, y)))
