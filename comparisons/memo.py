"""`cached_property` for the comparison's frozen values, without a lock.

Python 3.11's functools.cached_property takes one lock per property, shared by every
instance: two threads working out two different pages wait on each other, and a page asks
for dozens of these values. Here a value worked out twice by two threads is the same value
(the instances are frozen), so no lock is needed; Python 3.12 dropped it for that reason.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Generic, TypeVar, overload

T = TypeVar("T")


class cached_property(Generic[T]):  # named as the functools one it stands in for
    def __init__(self, func: Callable[[Any], T]) -> None:
        self.func = func
        self.name = func.__name__
        self.__doc__ = func.__doc__

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    @overload
    def __get__(self, instance: None, owner: type | None = None) -> cached_property[T]: ...

    @overload
    def __get__(self, instance: object, owner: type | None = None) -> T: ...

    def __get__(self, instance: object | None, owner: type | None = None) -> Any:
        if instance is None:
            return self
        # Kept in the instance's __dict__, where it is found before this descriptor next time.
        value = instance.__dict__[self.name] = self.func(instance)
        return value
