"""The game seed: chosen at a new game, kept by every state after it, by `back`, saves,
loading and migration, so nothing ever rolls again (game/engine/dice.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from game.engine import Engine
from game.engine.dice import SEED_LIMIT, fresh_seed, run_seed, valid_seed
from game.engine.migrate import migrate
from game.session import Session
from game.storage.saves import SaveStore
from game.story.model import Story


def test_a_game_keeps_the_seed_it_started_with(example: Story) -> None:
    engine = Engine(example)
    state = engine.start(1234)
    assert state.seed == 1234
    later = engine.choose(engine.choose(state, "take_a_deep_breath"), "hello")
    assert [s.seed for s in later.history()] == [1234, 1234, 1234]
    back = engine.back(later)
    assert back is not None and back.seed == 1234
    assert engine.start().seed == 0  # the tools' default: a fixed game


def test_the_seed_is_part_of_the_value_and_the_key(example: Story) -> None:
    engine = Engine(example)
    assert engine.start(1) != engine.start(2)
    assert engine.start(1).key() != engine.start(2).key()
    assert engine.start(1) == engine.start(1)


def test_migration_keeps_the_seed(example: Story) -> None:
    engine = Engine(example)
    state = engine.choose(engine.start(99), "take_a_deep_breath")
    fitted = migrate(state, example).state
    assert fitted is not None and [s.seed for s in fitted.history()] == [99, 99]


def test_seeds_and_run_seeds() -> None:
    assert valid_seed(0) and valid_seed(SEED_LIMIT - 1)
    assert not any(valid_seed(x) for x in (-1, SEED_LIMIT, True, 1.0, "1", None))
    assert all(valid_seed(fresh_seed()) for _ in range(50))
    assert run_seed(7) == run_seed(7)  # `--seed 7 --runs 1` replays run 0 of `--seed 7`
    assert len({run_seed(i) for i in range(-50, 50)}) == 100
    assert all(valid_seed(run_seed(i)) for i in (-10**30, -1, 0, 10**30))


def test_a_run_seed_is_the_hash_of_its_text() -> None:
    """`run_seed` feeds bytes to a copy of one hasher: the same number as hashing the text
    f"run/{seed}" afresh, which is what it always gave (a fixed seed replays its runs)."""
    from hashlib import blake2b

    for seed in (*range(-300, 300), -10**30, 2**63, 10**30, 4_294_967_295):
        text = f"run/{seed}".encode()
        assert run_seed(seed) == int.from_bytes(blake2b(text, digest_size=4).digest(), "big")


def test_a_roll_is_the_hash_of_its_place() -> None:
    """`roller`'s rolls feed bytes to a copy of one hasher (`ROLL_HASHER`, which the fast
    runner's twins share): the same numbers as hashing the text of the roll's place afresh,
    which is what saves and fixed seeds were made with."""
    from hashlib import blake2b

    from game.engine.dice import roller

    for seed, turn, where, index, name in ((0, 0, "kitchen", 0, "luck"),
                                           (4_294_967_295, 9000, "hall/knock_twice", 3, "x"),
                                           (42, 7, "café/ça", 1, "naïve")):
        roll = roller(seed, turn, where, index, name)
        for offset in (0, 1, 17, 123456):
            for lo, hi in ((1, 6), (-5, 5), (0, 10**12), (7, 7)):
                text = f"{seed}/{turn}/{where}/{index}/{name}/{offset}".encode()
                number = int.from_bytes(blake2b(text, digest_size=16).digest(), "big")
                assert roll(lo, hi, offset) == lo + number % (hi - lo + 1)


def test_a_session_fixes_the_seed_of_every_new_game(example: Story, saves: Path) -> None:
    session = Session(example, saves, seed=42)
    session.new_game()
    assert session.state is not None and session.state.seed == 42
    session.choose("take_a_deep_breath")
    session.new_game()
    assert session.state.seed == 42


def test_a_new_game_picks_a_fresh_seed(example: Story, saves: Path) -> None:
    session = Session(example, saves)
    seeds = set()
    for _ in range(5):
        session.new_game()
        assert session.state is not None
        seeds.add(session.state.seed)
    assert len(seeds) > 1  # 5 draws from 2**32 seeds


@pytest.mark.parametrize("fixed", [None, 5])
def test_back_saving_and_loading_never_roll_again(example: Story, saves: Path,
                                                  fixed: int | None) -> None:
    """A loaded game keeps the seed it was saved with, whatever this session would pick."""
    first = Session(example, saves, seed=777)
    first.new_game()
    first.choose("take_a_deep_breath")
    first.save("mid")
    first.back()
    assert first.state is not None and first.state.seed == 777
    first.flush()
    again = Session(example, saves, seed=fixed)
    again.load("mid")
    assert again.state is not None
    assert [s.seed for s in again.state.history()] == [777, 777]
    again.flush()  # a load is autosaved at once: with the same seed
    assert SaveStore(saves, example).load("autosave").state.seed == 777
    resumed = Session(example, saves, seed=fixed)
    resumed.continue_game()
    assert resumed.state is not None and resumed.state.seed == 777


@pytest.mark.parametrize("bad", [-1, SEED_LIMIT, 2**40, True, 1.5, "7"])
def test_a_session_refuses_a_seed_its_saves_could_not_be_loaded_with(
        example: Story, saves: Path, bad: object) -> None:
    """Such a seed used to be played and saved, and the save was then 'damaged' ('seed'
    must be a whole number from 0 to 4294967295) the moment it was loaded."""
    with pytest.raises(ValueError, match="seed"):
        Session(example, saves, seed=bad)  # type: ignore[arg-type]
    assert not saves.exists() or not list(saves.glob("*.json"))  # nothing written
