#!/usr/bin/python3
"""Opens a lesson's --html page in headless Chromium and checks it.

With a trace: presses "next" until the violation's step, and checks that the
page shows there what the run's jsonl trace says: the violating thread marked
on its source line, the buffer's items and the lock holder.

With --story, for the page of a failed run with one producer, at 1280x720:
the report hidden until the last step (or "show the report"), the lanes'
legend, the wakeup that decides the run drawn red and the others not, "1
producer", and a step counter that counts the steps the page holds.

With --class, for grade's class page of ROWS submissions, at 1280x800: the
summary and a row each; a click on "time" sorts the rows by time, a second
the other way; each failure's link opens its step-through page.

Each saves a screenshot and checks that it is not blank.

usage: check_page.py PAGE TRACE_JSONL SCREENSHOT_PNG
       check_page.py --story PAGE SCREENSHOT_PNG
       check_page.py --class PAGE ROWS SCREENSHOT_PNG"""
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


def chromium(width, height):
    options = webdriver.ChromeOptions()
    for argument in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                     "--window-size=%d,%d" % (width, height)):
        options.add_argument(argument)
    return webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)


def check_not_blank(screenshot):
    with open(screenshot, "rb") as png:
        colours = distinct_bytes(png.read())
    assert colours > 20, "the screenshot looks blank (%d byte values)" % colours


ALARM = "#d50000"  # markup.hpp's alarm_colour


def check_story(page, screenshot):
    browser = chromium(1280, 720)
    try:
        browser.get("file://" + page)
        scope = browser.find_element(By.CSS_SELECTOR, "p.scope").text
        assert scope.startswith("1 producer, "), "the scope says %r" % scope
        legend = browser.find_element(By.ID, "legend").text
        for meaning in ("holds the lock", "waits", "who woke whom", "the wakeup that decides"):
            assert meaning in legend, "%r not in the legend %r" % (meaning, legend)
        report = browser.find_element(By.ID, "report")
        assert not report.is_displayed(), "the report shows at the first step"
        rows = len(browser.find_elements(By.CSS_SELECTOR, "#trace tr[id^=row]"))
        where = browser.find_element(By.ID, "where").text
        assert where.endswith("(1 of %d steps)" % rows), "%r, for %d rows" % (where, rows)
        red_at = None
        for press in range(1, rows):
            browser.find_element(By.ID, "next").click()
            where = browser.find_element(By.ID, "where").text
            assert report.is_displayed() == (press == rows - 1), "the report at %r" % where
            if red_at is None and browser.find_elements(By.CSS_SELECTOR, "path.decisive"):
                red_at = press
                browser.save_screenshot(screenshot)
        assert red_at is not None, "no wakeup drawn as deciding the run"
        decisive = browser.find_elements(By.CSS_SELECTOR, "path.decisive")
        assert len(decisive) == 1, "%d wakeups drawn as deciding" % len(decisive)
        assert decisive[0].get_attribute("stroke") == ALARM, decisive[0].get_attribute("stroke")
        others = {p.get_attribute("stroke") for p in
                  browser.find_elements(By.CSS_SELECTOR, "path.wakeup:not(.decisive)")}
        assert ALARM not in others, "the other wakeups are drawn %r" % others
        assert browser.find_elements(By.ID, "failure"), "no button to the failure"
        browser.get("file://" + page)
        browser.find_element(By.ID, "reveal").click()
        assert browser.find_element(By.ID, "report").is_displayed(), "show the report shows none"
    finally:
        browser.quit()
    check_not_blank(screenshot)
    print("checked: the report hidden until %s; legend %r; the deciding wakeup red after %d "
          "presses; screenshot %s" % (where, legend, red_at, screenshot))


def check_class(page, rows, screenshot):
    browser = chromium(1280, 800)
    try:
        browser.get("file://" + page)
        summary = browser.find_element(By.ID, "summary").text
        assert summary.startswith("%s submissions: " % rows), "the summary says %r" % summary
        body = "#grades tbody tr"
        assert len(browser.find_elements(By.CSS_SELECTOR, body)) == int(rows), "rows"
        browser.save_screenshot(screenshot)

        def times():
            return [float(cell.get_attribute("data-key")) for cell in
                    browser.find_elements(By.CSS_SELECTOR, body + " td.time")]
        heading = browser.find_elements(By.CSS_SELECTOR, "#grades th")[4]
        heading.click()
        assert times() == sorted(times()), "not sorted by time: %r" % times()
        heading.click()
        assert times() == sorted(times(), reverse=True), "not sorted back: %r" % times()
        links = [a.get_attribute("href") for a in
                 browser.find_elements(By.CSS_SELECTOR, body + " a")]
        assert links, "no failure links its page"
        for link in links:
            browser.get(link)
            assert browser.find_elements(By.ID, "next"), "%s is not a step-through page" % link
    finally:
        browser.quit()
    check_not_blank(screenshot)
    print("checked: %r; sorted by time both ways; %d failure pages open; screenshot %s" %
          (summary, len(links), screenshot))


def main(page, trace_path, screenshot):
    violation, holder = expected_at_violation(trace_path)
    browser = chromium(1280, 1000)
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
    check_not_blank(screenshot)
    print("checked: step %d after %d presses of next; %s; buffer %d; lock %s; screenshot %s" %
          (violation["step"], presses, line.strip(), len(items), holder, screenshot))


if __name__ == "__main__":
    if sys.argv[1] == "--story":
        check_story(*sys.argv[2:4])
    elif sys.argv[1] == "--class":
        check_class(*sys.argv[2:5])
    else:
        main(*sys.argv[1:4])
