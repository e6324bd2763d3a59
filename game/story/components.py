"""Strongly connected components, written once: the exhaustive search's growth check runs
it over the state graph (game/tools/growth.py), the checker over the calls between scenes
(game/story/calls.py)."""

from __future__ import annotations

from collections.abc import Callable, Iterable


def components(n: int, successors: Callable[[int], Iterable[int]]) -> list[int]:
    """Strongly connected components (Tarjan's, with an explicit stack: no recursion limit
    on long chains of states): for each node 0..n-1, the number of its component."""
    index = [-1] * n
    low = [0] * n
    comp = [-1] * n
    on_stack = [False] * n
    stack: list[int] = []
    counter = 0
    found = 0
    for root in range(n):
        if index[root] >= 0:
            continue
        work = [(root, iter(successors(root)))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack[root] = True
        while work:
            v, children = work[-1]
            for w in children:
                if index[w] < 0:
                    index[w] = low[w] = counter
                    counter += 1
                    stack.append(w)
                    on_stack[w] = True
                    work.append((w, iter(successors(w))))
                    break
                if on_stack[w]:
                    low[v] = min(low[v], index[w])
            else:
                work.pop()
                if work:
                    u = work[-1][0]
                    low[u] = min(low[u], low[v])
                if low[v] == index[v]:
                    while True:
                        w = stack.pop()
                        on_stack[w] = False
                        comp[w] = found
                        if w == v:
                            break
                    found += 1
    return comp
