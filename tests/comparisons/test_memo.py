"""The comparison's cached properties: worked out once per instance, on frozen values too."""

from __future__ import annotations

from dataclasses import dataclass, field

from comparisons.memo import cached_property


@dataclass(frozen=True)
class Frozen:
    value: int
    calls: list[int] = field(default_factory=list)

    @cached_property
    def doubled(self) -> int:
        """Twice the value."""
        self.calls.append(self.value)
        return 2 * self.value


def test_worked_out_once_per_instance():
    one, other = Frozen(1), Frozen(5)
    assert (one.doubled, one.doubled, other.doubled) == (2, 2, 10)
    assert (one.calls, other.calls) == ([1], [5])


def test_the_class_gives_the_descriptor_with_its_doc():
    assert isinstance(Frozen.doubled, cached_property)
    assert Frozen.doubled.__doc__ == "Twice the value."
