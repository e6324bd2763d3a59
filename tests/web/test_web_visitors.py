"""Visitor tokens and folders: the only thing a browser chooses becomes a path, so it is strict."""

from __future__ import annotations

from pathlib import Path

import pytest

from game.web.visitors import TOKEN_LENGTH, folder_name, new_token, valid_token, visitor_folder


def test_new_tokens_are_valid_random_and_128_bits() -> None:
    tokens = {new_token() for _ in range(200)}
    assert len(tokens) == 200
    assert all(valid_token(token) == token for token in tokens)
    assert TOKEN_LENGTH == 22  # 16 bytes of URL-safe base64, unpadded


@pytest.mark.parametrize("bad", [
    None, "", "a" * 21, "a" * 23, "../../../../etc/passwd", "a" * 21 + "/",
    "a" * 21 + ".", "a" * 22 + "\n", "a" * 21 + "\u00e9", "a" * 21 + " ", "a" * 21 + "=",
])
def test_anything_else_is_refused(bad: str | None) -> None:
    assert valid_token(bad) is None


def test_folder_is_inside_the_data_folder_and_named_for_a_hash(tmp_path: Path) -> None:
    token = new_token()
    folder = visitor_folder(tmp_path, token)
    assert folder.parent == tmp_path and folder.is_dir()
    assert folder.name == folder_name(token) and token not in folder.name
    assert visitor_folder(tmp_path, token) == folder  # the same visitor, the same folder
    assert visitor_folder(tmp_path, new_token()) != folder


def test_folder_refuses_a_token_it_did_not_check(tmp_path: Path) -> None:
    with pytest.raises(ValueError):
        visitor_folder(tmp_path, "../escape")
    assert list(tmp_path.iterdir()) == []
