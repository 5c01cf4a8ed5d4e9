#!/usr/bin/python3
"""Opens a lesson's --html page in headless Chromium, presses "next" until the
violation's step, and checks that the page shows there what the run's jsonl
trace says: the violating thread marked on its source line, the buffer's items
and the lock holder. Saves a screenshot and checks that it is not blank.

usage: check_page.py PAGE TRACE_JSONL SCREENSHOT_PNG"""
import json
import struct
import sys
import zlib

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By


def expected_at_violation(trace_path):
    with open(trace_path) as trace:
        records = [json.loads(line) for line in trace if line.strip()]
    violation = next(r for r in records if r["action"] == "violation")
    holder = [name for name, state in violation["states"].items() if state.startswith("[")]
    return violation, holder[0] if holder else "free"


def distinct_bytes(png):
    """How many byte values the decoded pixel rows hold: a blank page has few."""
    at, data = 8, b""
    while at < len(png):
        length, kind = struct.unpack(">I4s", png[at:at + 8])
        if kind == b"IDAT":
            data += png[at + 8:at + 8 + length]
        at += 12 + length
    return len(set(zlib.decompress(data)))


def main(page, trace_path, screenshot):
    violation, holder = expected_at_violation(trace_path)
    options = webdriver.ChromeOptions()
    for argument in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                     "--window-size=1280,1000"):
        options.add_argument(argument)
    browser = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
    try:
        browser.get("file://" + page)
        where = browser.find_element(By.ID, "where")
        presses = 0
        while not where.text.startswith("step %d " % violation["step"]):
            browser.find_element(By.ID, "next").click()
            presses += 1
            assert presses < 200, "no step %d: at %r" % (violation["step"], where.text)
        marked = [row.text for row in browser.find_elements(By.CSS_SELECTOR, "#code .here")]
        line = "%s > %3d" % (violation["thread"], violation["line"])
        assert any(line in row for row in marked), "%r not in %r" % (line, marked)
        items = [slot.text for slot in browser.find_elements(By.CSS_SELECTOR, "#slots span")
                 if "empty" not in slot.get_attribute("class")]
        assert len(items) == violation["buffer_size"], "buffer %r" % items
        shown_holder = browser.find_element(By.ID, "holder").text
        assert shown_holder == holder, "holder %r, the trace says %r" % (shown_holder, holder)
        browser.save_screenshot(screenshot)
    finally:
        browser.quit()
    with open(screenshot, "rb") as png:
        colours = distinct_bytes(png.read())
    assert colours > 20, "the screenshot looks blank (%d byte values)" % colours
    print("checked: step %d after %d presses of next; %s; buffer %d; lock %s; screenshot %s" %
          (violation["step"], presses, line.strip(), len(items), holder, screenshot))


if __name__ == "__main__":
    main(*sys.argv[1:4])
