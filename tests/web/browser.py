"""Headless Chromium driving kurir's web client (selenium + chromedriver,
Debian's packages): the helpers the cases share."""

import os
import re
import signal
import subprocess
import tempfile

from selenium import webdriver
from selenium.common.exceptions import (StaleElementReferenceException,
                                        TimeoutException)
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
WAIT_S = 30  # an upper bound for each condition, not a pause


class Broker:
    """A kurird child on free ports (or the given web port)."""

    def __init__(self, kurird, data_dir, web_port=0):
        self.kurird = kurird
        self.data_dir = data_dir
        self.web_port = web_port
        self.proc = None
        self.start()

    def start(self):
        self.proc = subprocess.Popen(
            [self.kurird, "--port=0", f"--web-port={self.web_port}",
             "--hash-cost=min", "--max-rate=0", f"--data-dir={self.data_dir}"],
            stdout=subprocess.PIPE, text=True)
        line = self.proc.stdout.readline()
        m = re.search(r"web on http://127\.0\.0\.1:(\d+)/", line)
        if not m:
            raise RuntimeError(f"kurird did not start: {line!r}")
        self.web_port = int(m.group(1))
        self.url = f"http://127.0.0.1:{self.web_port}/"

    def kill(self):
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait()

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            self.proc.wait(timeout=30)


class Page:
    """One browser (its own profile) with the web client open."""

    def __init__(self, url, shots, who):
        self.who = who
        self.shots = shots
        self.profile = tempfile.TemporaryDirectory()
        opts = webdriver.ChromeOptions()
        opts.binary_location = CHROMIUM
        for a in ("--headless=new", "--no-sandbox", "--disable-gpu",
                  "--disable-dev-shm-usage", "--disable-quic",
                  "--no-first-run", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync",
                  "--window-size=900,640",
                  f"--user-data-dir={self.profile.name}"):
            opts.add_argument(a)
        opts.set_capability("goog:loggingPrefs", {"browser": "ALL"})
        self.d = webdriver.Chrome(service=Service(CHROMEDRIVER), options=opts)
        self.d.get(url)

    def close(self):
        if self.d is None:
            return
        self.d.quit()
        self.d = None
        self.profile.cleanup()

    # -- waiting on what the page shows -------------------------------------

    def wait(self, cond, what):
        def probe(_):
            try:
                return cond()
            except StaleElementReferenceException:
                return False
        try:
            return WebDriverWait(self.d, WAIT_S, poll_frequency=0.05).until(
                probe)
        except TimeoutException:
            self.shot(f"FAILED-{self.who}")
            raise AssertionError(
                f"{self.who}: {what} (status: {self.text('status')!r}, "
                f"errors: {self.errors()!r}, console: {self.console()!r})")

    def text(self, elem_id):
        return self.d.find_element(By.ID, elem_id).text

    def errors(self):
        return [e.text for e in self.d.find_elements(By.CSS_SELECTOR,
                                                     "#errors .error span")]

    def console(self):
        try:
            return [e["message"] for e in self.d.get_log("browser")][-5:]
        except Exception:  # not every driver keeps the log
            return []

    def shot(self, name):
        os.makedirs(self.shots, exist_ok=True)
        self.d.save_screenshot(os.path.join(self.shots, f"{name}.png"))

    # -- doing what a person does --------------------------------------------

    def enter(self, name, password, register):
        self.wait(lambda: self.d.find_element(By.ID, "name").is_displayed(),
                  "the login form shows")
        self.d.find_element(By.ID, "name").send_keys(name)
        self.d.find_element(By.ID, "password").send_keys(password)
        self.d.find_element(By.ID, "register" if register else "login").click()
        self.wait_online()

    def wait_online(self):
        self.wait(lambda: self.text("status") == "online", "comes online")

    def conv_item(self, key):
        items = self.d.find_elements(By.CSS_SELECTOR,
                                     f'#conversations li[data-key="{key}"]')
        return items[0] if items else None

    def unread(self, key):
        item = self.conv_item(key)
        if item is None:
            return None
        badge = item.find_elements(By.CSS_SELECTOR, ".unread")
        return int(badge[0].text) if badge else 0

    def open(self, key):
        self.wait(lambda: self.conv_item(key) is not None, f"{key} is listed")
        self.conv_item(key).click()
        title = key.split(":", 1)[1]
        self.wait(lambda: self.text("conv-title").lstrip("#") == title,
                  f"{key} is open")

    def new_chat(self, peer):
        self.d.find_element(By.ID, "new-peer").send_keys(peer, Keys.ENTER)
        self.wait(lambda: self.text("conv-title") == peer, f"chat with {peer}")

    def new_group(self, group):
        self.d.find_element(By.ID, "new-group-name").send_keys(group,
                                                              Keys.ENTER)
        self.wait(lambda: self.text("conv-title") == f"#{group}",
                  f"group {group} is open")

    def add_member(self, user):
        self.wait(lambda: self.d.find_element(By.ID, "add-member")
                  .is_displayed(), "the add-member form shows")
        self.d.find_element(By.ID, "member-name").send_keys(user, Keys.ENTER)
        self.wait(lambda: user in self.text("conv-info").split("members ")[-1],
                  f"{user} is a member")

    def send(self, body):
        box = self.d.find_element(By.ID, "body")
        box.send_keys(body)
        box.send_keys(Keys.ENTER)

    def messages(self):
        """(body, state) of every message shown, oldest first."""
        out = []
        for li in self.d.find_elements(By.CSS_SELECTOR, "#messages li"):
            body = li.find_element(By.CSS_SELECTOR, ".body").text
            st = li.find_elements(By.CSS_SELECTOR, ".state")
            out.append((body, st[0].text if st else ""))
        return out

    def bodies(self):
        return [b for b, _ in self.messages()]

    def wait_stored(self, body):
        self.wait(lambda: (body, "stored") in self.messages(),
                  f"{body!r} is stored")

    def wait_body(self, body):
        self.wait(lambda: body in self.bodies(), f"{body!r} arrives")
