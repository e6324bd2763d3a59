"""A headless Chromium tab on `offscreen serve`, driven by Selenium, that can read its screen.

The page's terminal is xterm.js drawing on a canvas, and textual-serve's script keeps its
terminal object to itself, so the text cannot be read from the page. Instead a script added
before the page's own (through the DevTools protocol) records every frame the game sends on
the websocket, and `serve_client.Screen` (a terminal emulator) replays them: the text the
tab shows, and where, so a test can press a key or click a choice by its words.

`chromium()` finds the browser and its driver, or says why not; tests skip with that reason.
"""

from __future__ import annotations

import base64
import json
import shutil
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webelement import WebElement
from serve_client import Screen

FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--disable-extensions", "--window-size=1100,700")

RECORDER = """
(() => {
  const Native = window.WebSocket;
  const record = window.__offscreen = {chunks: [], size: null, sockets: 0};
  window.WebSocket = class extends Native {
    constructor(...args) {
      super(...args);
      const socket = ++record.sockets;
      this.addEventListener("message", (event) => {
        if (typeof event.data === "string") return;
        const bytes = new Uint8Array(event.data);
        let text = "";
        for (let i = 0; i < bytes.length; i += 8192) {
          text += String.fromCharCode.apply(null, bytes.subarray(i, i + 8192));
        }
        record.chunks.push([socket, btoa(text)]);
      });
    }
    send(data) {
      try {
        const message = JSON.parse(data);
        if (message[0] === "resize") record.size = message[1];
      } catch (error) {}
      return super.send(data);
    }
  };
})();
"""

DRAIN = """
const record = window.__offscreen;
if (!record) return null;
const chunks = record.chunks; record.chunks = [];
return {chunks: chunks, size: record.size, closed: document.body.classList.contains("-closed")};
"""


def chromium() -> tuple[str, str] | str:
    """(browser, driver) paths, or the reason there are none."""
    browser = next((found for name in ("chromium", "chromium-browser", "google-chrome")
                    if (found := shutil.which(name))), None)
    driver = shutil.which("chromedriver")
    if browser is None or driver is None:
        return ("no headless Chromium here (Debian: apt-get install chromium chromium-driver; "
                ".ci/run installs them when it runs as root)")
    return browser, driver


class Tab:
    """One browser profile (its own cookies) with one tab on the game."""

    def __init__(self, browser: str, driver: str, shots: Path) -> None:
        self.profile = tempfile.mkdtemp(prefix="offscreen-chromium-")
        options = webdriver.ChromeOptions()
        options.binary_location = browser
        for flag in FLAGS:
            options.add_argument(flag)
        options.add_argument(f"--user-data-dir={self.profile}")
        options.set_capability("goog:loggingPrefs", {"performance": "ALL"})
        self.driver = webdriver.Chrome(options=options, service=Service(driver))
        self.driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument",
                                    {"source": RECORDER})
        self.shots = shots
        self.screen = Screen()
        self.socket = 0
        self.closed = False

    def close(self) -> None:
        self.driver.quit()
        shutil.rmtree(self.profile, ignore_errors=True)

    def open(self, url: str) -> None:
        self.driver.get(url)

    def reload(self) -> None:
        self.driver.refresh()

    # -- reading -----------------------------------------------------------------------

    def read(self) -> Screen:
        """Bring the screen up to date with what the tab has received."""
        record = self.driver.execute_script(DRAIN)
        if not record:
            return self.screen
        if record["size"]:
            self.screen.resize(record["size"]["width"], record["size"]["height"])
        for socket, data in record["chunks"]:
            if socket != self.socket:  # a reload: a new game process, a new screen
                self.socket = socket
                size = record["size"] or {"width": 100, "height": 30}
                self.screen = Screen(size["width"], size["height"])
            self.screen.feed(base64.b64decode(data))
        self.closed = bool(record["closed"])
        return self.screen

    def wait_for(self, text: str, timeout: float = 20.0) -> None:
        deadline = time.monotonic() + timeout
        while text not in self.read().text:
            if time.monotonic() > deadline:
                self.shot("timeout")
                raise TimeoutError(f"{text!r} not in the tab after {timeout} s:\n"
                                   f"{self.screen.text}")
            time.sleep(0.1)

    def wait_closed(self, timeout: float = 20.0) -> None:
        """Until the page shows that its game has ended (textual.js marks the body)."""
        deadline = time.monotonic() + timeout
        while self.read() is not None and not self.closed:
            if time.monotonic() > deadline:
                raise TimeoutError("the game did not end")
            time.sleep(0.1)

    def visible_text(self) -> str:
        """The page's own words (dialogs), not the terminal's."""
        return str(self.driver.find_element(By.TAG_NAME, "body").text)

    def requested(self) -> list[str]:
        """Every URL the tab asked for so far (from Chromium's network log)."""
        urls = []
        for entry in self.driver.get_log("performance"):
            message = json.loads(entry["message"])["message"]
            if message["method"] == "Network.requestWillBeSent":
                urls.append(message["params"]["request"]["url"])
            elif message["method"] == "Network.webSocketCreated":
                urls.append(message["params"]["url"])
        return urls

    def cookie(self, name: str) -> dict[str, object] | None:
        return self.driver.get_cookie(name)

    # -- acting ------------------------------------------------------------------------

    def terminal(self) -> WebElement:
        return self.driver.find_element(By.CSS_SELECTOR, ".xterm-screen")

    def press(self, keys: str) -> None:
        """Type into the terminal, as a player would with it focused."""
        self.driver.execute_script("document.querySelector('.xterm-helper-textarea').focus()")
        ActionChains(self.driver).send_keys(keys).perform()

    def click(self, text: str) -> None:
        """Click the middle of `text` where the terminal shows it."""
        where = self.read().find(text)
        assert where is not None, f"{text!r} is not on screen:\n{self.screen.text}"
        row, column = where
        element = self.terminal()
        width, height = element.size["width"], element.size["height"]
        cell_w = width / self.screen.screen.columns
        cell_h = height / self.screen.screen.lines
        x = (column + len(text) / 2) * cell_w
        y = (row + 0.5) * cell_h
        ActionChains(self.driver).move_to_element_with_offset(
            element, int(x - width / 2), int(y - height / 2)).click().perform()

    def shot(self, name: str) -> Path:
        self.shots.mkdir(parents=True, exist_ok=True)
        path = self.shots / f"{name}.png"
        self.driver.save_screenshot(str(path))
        return path


@contextmanager
def tab(browser: str, driver: str, shots: Path) -> Iterator[Tab]:
    opened = Tab(browser, driver, shots)
    try:
        yield opened
    finally:
        opened.close()
