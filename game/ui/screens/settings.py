"""Settings: theme, text speed, and whether quitting asks first. Saved in the profile.

Every change applies and is saved at once (no OK button to forget).
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Footer, Label, Select, Static, Switch

from game.ui.screens.base import Overlay

SPEEDS: list[tuple[str, int]] = [
    ("Instant", 0),
    ("Fast (120 characters a second)", 120),
    ("Normal (60 characters a second)", 60),
    ("Slow (30 characters a second)", 30),
]


SWITCHES = {
    "confirm_quit": "Ask before quitting",
    "skip_read": "Show text already read at once",
    "reduced_motion": "Reduce motion",
}
"""The on/off settings, by their field in `Settings`, with the words beside each switch."""


class SettingsScreen(Overlay):
    CSS_PATH = "settings.tcss"

    def compose(self) -> ComposeResult:
        settings = self.session.settings
        themes = sorted(self.app.available_themes)
        speeds = list(SPEEDS)
        if settings.text_speed not in {value for _, value in speeds}:
            speeds.append((f"Custom ({settings.text_speed} characters a second)",
                           settings.text_speed))
        yield Static(Text("Settings", style="bold"), id="settings-head")
        with VerticalScroll(id="settings-body"):
            yield Label("Theme")
            yield Select([(name, name) for name in themes], allow_blank=False,
                         value=self.app.theme if self.app.theme in themes else themes[0],
                         id="theme", compact=True)
            yield Label("Text speed")
            yield Select(speeds, allow_blank=False, value=settings.text_speed, id="speed",
                         compact=True)
            if self.app.animation_level == "none":
                yield Static("Animations are off (TEXTUAL_ANIMATIONS=none), so text always "
                             "appears at once.", classes="note")
            for field, label in SWITCHES.items():
                with Horizontal(classes="switch-row"):
                    yield Switch(value=getattr(settings, field), id=field.replace("_", "-"))
                    yield Label(label)
            yield Static("Settings are saved as soon as you change them.", classes="note")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#theme", Select).focus()

    def on_select_changed(self, event: Select.Changed) -> None:
        event.stop()
        if event.select.id == "theme":
            if isinstance(event.value, str) and event.value != self.app.theme:
                self.app.theme = event.value
                self.game.persist_theme()
        elif event.select.id == "speed" and isinstance(event.value, int):
            settings = self.session.settings
            if event.value != settings.text_speed:
                self.session.save_settings(replace(settings, text_speed=event.value))

    def on_switch_changed(self, event: Switch.Changed) -> None:
        event.stop()
        field = (event.switch.id or "").replace("-", "_")
        settings = self.session.settings
        if field in SWITCHES and event.value != getattr(settings, field):
            changes: dict[str, Any] = {field: event.value}
            self.session.save_settings(replace(settings, **changes))
            self.game.apply_motion()
