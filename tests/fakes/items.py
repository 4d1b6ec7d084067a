"""DynamoDB items in memory: what an UpdateItem's actions do to an item, as DynamoDB does it.

The fakes keep each item as DynamoDB holds it (`Model.serialize()`: attribute name -> `{"S": ...}`),
so a read gives a new model object, as a read from the table does, and nobody shares an object
with the store. `apply` runs PynamoDB's update actions on such an item: SET of a value, REMOVE,
ADD of a number, on a top-level attribute or inside maps. Anything else (list elements, SET of
an expression such as `if_not_exists`) raises NotImplementedError: a fake that guessed would
prove nothing.
"""

from __future__ import annotations

import copy
from decimal import Decimal
from typing import Any

from pynamodb.expressions.operand import Path, Value
from pynamodb.expressions.update import Action, AddAction, RemoveAction, SetAction

Item = dict[str, dict[str, Any]]


def apply(item: Item, actions: list[Action]) -> Item:
    """A copy of `item` with the actions applied (`item` is left as it was).

    Raises ValueError where DynamoDB answers ValidationException: two actions on overlapping
    paths, a path through a map that is not there."""
    paths = [_path(action) for action in actions]
    for i, one in enumerate(paths):
        for other in paths[i + 1 :]:
            if one[: len(other)] == other[: len(one)]:
                raise ValueError(f"two document paths overlap: {'.'.join(one)} and {'.'.join(other)}")
    new = copy.deepcopy(item)
    for action, path in zip(actions, paths, strict=True):
        parent, name = _parent(new, path)
        if isinstance(action, SetAction) and isinstance(action.values[1], Value):
            parent[name] = copy.deepcopy(action.values[1].value)
        elif isinstance(action, RemoveAction):
            parent.pop(name, None)
        elif isinstance(action, AddAction) and "N" in action.values[1].value:
            before = Decimal(parent[name]["N"]) if name in parent else Decimal(0)
            parent[name] = {"N": str(before + Decimal(action.values[1].value["N"]))}
        else:
            raise NotImplementedError(f"the in-memory item does not do {action!s}")
    return new


def _path(action: Action) -> list[str]:
    path = action.values[0]
    if not isinstance(path, Path) or any("[" in part for part in path.path):
        raise NotImplementedError(f"the in-memory item does not do {action!s}")
    return list(path.path)


def _parent(item: Item, path: list[str]) -> tuple[dict[str, Any], str]:
    """The map holding the path's last name (the item itself for a top-level attribute)."""
    here: dict[str, Any] = item
    for name in path[:-1]:
        value = here.get(name)
        if not isinstance(value, dict) or "M" not in value:
            raise ValueError(f"the document path {'.'.join(path)} is not there")
        here = value["M"]
    return here, path[-1]


def number(item: Item | None, name: str) -> int | None:
    """A number attribute of the item (None when the item or the attribute is not there)."""
    if item is None or name not in item:
        return None
    return int(Decimal(item[name]["N"]))
