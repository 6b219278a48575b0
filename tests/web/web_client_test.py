#!/usr/bin/python3
"""kurir's web client in headless Chromium against a real kurird.

  web_client_test.py --kurird=BIN --out=DIR --case=chat|restart

chat:    two browsers register, chat directly and in a group, an HTML body
         shows as text, and one goes away and catches up (unread counts).
restart: the broker is SIGKILLed and restarted while both pages are open;
         the pages reconnect and nothing is lost or shown twice.
A screenshot of each step goes to DIR (for the README: docs/web-client.png
is the chat case's "group" step).
"""

import argparse
import sys
import tempfile

from browser import Broker, Page


class World:
    """A broker with a fresh data directory and two pages open on it; the
    pages (whichever are open at the end) and the broker go at exit."""

    def __init__(self, kurird, out):
        self.data = tempfile.TemporaryDirectory()
        self.broker = Broker(kurird, self.data.name)
        self.alice = Page(self.broker.url, out, "alice")
        self.bob = Page(self.broker.url, out, "bob")

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.alice.close()
        self.bob.close()
        self.broker.stop()
        self.data.cleanup()


def chat_case(kurird, out):
    with World(kurird, out) as w:
        w.alice.enter("alice", "alice-password", register=True)
        w.bob.enter("Bob", "bob-password", register=True)
        assert w.bob.text("me") == "bob", "names are folded"
        w.alice.shot("01-logged-in")

        # Direct: sending / stored, then the other side sees it.
        w.alice.new_chat("bob")
        w.alice.send("hello bob")
        w.alice.wait_stored("hello bob")
        w.bob.wait(lambda: w.bob.unread("dm:alice") == 1, "bob has 1 unread")
        w.bob.shot("02-unread")
        w.bob.open("dm:alice")
        w.bob.wait_body("hello bob")
        assert w.bob.unread("dm:alice") == 0
        w.bob.send("hi alice; | \\ all fine")
        w.alice.wait_body("hi alice; | \\ all fine")
        w.alice.shot("03-direct")

        # A body of HTML is shown as those characters.
        html = '<img src=x onerror="window.pwned=1">'
        w.alice.send(html)
        w.bob.wait_body(html)
        assert not w.bob.d.find_elements("css selector", "#messages img")
        assert w.bob.d.execute_script("return window.pwned") is None
        w.bob.shot("04-html-as-text")

        # A group: created, a member added (who hears of it), a message.
        w.alice.new_group("crew")
        w.alice.add_member("bob")
        w.bob.wait(lambda: w.bob.conv_item("group:crew") is not None,
                   "bob sees the group")
        w.alice.send("welcome to crew")
        w.alice.wait_stored("welcome to crew")
        w.bob.open("group:crew")
        w.bob.wait_body("welcome to crew")
        w.bob.send("thanks")
        w.alice.wait_body("thanks")
        w.alice.shot("05-group")

        # Bob goes away; alice writes; bob comes back and catches up.
        w.bob.close()
        w.alice.open("dm:bob")
        for i in range(3):
            w.alice.send(f"while you were away {i}")
        for i in range(3):
            w.alice.wait_stored(f"while you were away {i}")
        w.bob = Page(w.broker.url, out, "bob-again")
        w.bob.enter("bob", "bob-password", register=False)
        w.bob.wait(lambda: w.bob.unread("dm:alice") == 3,
                   "bob has 3 unread after coming back")
        w.bob.open("dm:alice")
        for i in range(3):
            w.bob.wait_body(f"while you were away {i}")
        # History pages back to the first message, each message once.
        w.bob.wait(lambda: w.bob.bodies().count("hello bob") == 1,
                   "history shows the first message once")
        w.bob.shot("06-caught-up")


def restart_case(kurird, out):
    with World(kurird, out) as w:
        w.alice.enter("alice", "alice-password", register=True)
        w.bob.enter("bob", "bob-password", register=True)
        w.alice.new_chat("bob")
        w.alice.send("before the crash")
        w.alice.wait_stored("before the crash")
        w.bob.open("dm:alice")
        w.bob.wait_body("before the crash")

        w.broker.kill()
        w.alice.wait(lambda: "disconnected" in w.alice.text("status"),
                   "alice sees the connection drop")
        w.alice.send("during the outage")
        w.alice.wait(lambda: ("during the outage", "sending…")
                   in w.alice.messages(), "the send waits")
        w.alice.shot("10-outage")

        w.broker.start()  # same data, same web port
        w.alice.wait_online()
        w.bob.wait_online()
        w.alice.wait_stored("during the outage")
        w.bob.wait_body("during the outage")
        w.alice.send("after the restart")
        w.bob.wait_body("after the restart")
        for page in (w.alice, w.bob):
            bodies = page.bodies()
            for b in ("before the crash", "during the outage",
                      "after the restart"):
                assert bodies.count(b) == 1, (page.who, b, bodies)
        w.alice.shot("11-after-restart")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--kurird", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--case", choices=["chat", "restart"], required=True)
    args = ap.parse_args()
    {"chat": chat_case, "restart": restart_case}[args.case](args.kurird,
                                                            args.out)
    print(f"web client {args.case}: passed; screenshots in {args.out}")


if __name__ == "__main__":
    sys.exit(main())
