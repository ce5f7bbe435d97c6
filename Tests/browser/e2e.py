#!/usr/bin/env python3
"""The web pages in a real headless browser (Debian's chromium and chromium-driver, selenium).

A leader signs in on a 390 px window, logs a session on the phone form; the district viewer
signs in on a 1280 px window and sees the hamlet's figure on the dashboard go up by what the
leader logged. With --screenshots DIR it also saves the phone form and the dashboard there.

    python3 Tests/browser/e2e.py [--binary .build/debug/outreach] [--screenshots docs/screenshots]

Exit status 0 when every check passed; each failed check is printed.
"""
import argparse, os, re, shutil, socket, subprocess, sys, tempfile, time

from selenium import webdriver
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By

failures = []


def check(condition, what):
    print(("ok      " if condition else "FAILED  ") + what)
    if not condition:
        failures.append(what)


def browser(width, height):
    """Headless Chromium showing pages `width` CSS pixels wide (a window is at least 500 px wide
    in headless mode, so narrower screens are emulated as a phone's)."""
    options = Options()
    options.binary_location = shutil.which("chromium") or "/usr/bin/chromium"
    for flag in ["--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu", f"--window-size={max(width, 500)},{height}"]:
        options.add_argument(flag)
    if width < 500:
        options.add_experimental_option("mobileEmulation", {"deviceMetrics": {"width": width, "height": height, "pixelRatio": 1}})
    return webdriver.Chrome(service=Service(shutil.which("chromedriver") or "/usr/bin/chromedriver"), options=options)


def wait_for(condition, seconds=15):
    end = time.time() + seconds
    while time.time() < end:
        if condition():
            return True
        time.sleep(0.2)
    return False


def sign_in(driver, base, name, password):
    driver.get(base + "/login")
    driver.find_element(By.ID, "name").send_keys(name)
    driver.find_element(By.ID, "password").send_keys(password)
    driver.find_element(By.CSS_SELECTOR, "form button[type=submit]").click()
    wait_for(lambda: not driver.current_url.endswith("/login"))


def hamlet_value(driver, base, code):
    driver.get(base + "/dashboard?campaign=de-an-06&under=16282")
    for row in driver.find_elements(By.CSS_SELECTOR, "table tr"):
        cells = row.find_elements(By.TAG_NAME, "td")
        if cells and f"({code})" in cells[0].text:
            return int(re.sub(r"[^0-9]", "", cells[1].text) or "0")
    return None


def main():
    parser = argparse.ArgumentParser()
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    parser.add_argument("--binary", default=os.path.join(root, ".build/debug/outreach"))
    parser.add_argument("--screenshots")
    args = parser.parse_args()

    work = tempfile.mkdtemp(prefix="outreach-e2e-")
    demo = subprocess.run([args.binary, "demo", "--dir", os.path.join(work, "d")], capture_output=True, text=True, cwd=work)
    check(demo.returncode == 0, "outreach demo builds the demo workspace")
    passwords = dict(re.findall(r"^  ([a-z-]+) / ([a-z0-9]+) — ", demo.stdout, re.M))
    check({"to-truong", "can-bo-xa", "phong-huyen"} <= set(passwords), "the demo prints a leader, an officer and a viewer with passwords")

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen([args.binary, "serve", "--db", os.path.join(work, "d", "outreach.sqlite"), "--listen", f"127.0.0.1:{port}",
                               "--campaigns", os.path.join(work, "d", "Campaigns")], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                              text=True, cwd=work)
    try:
        line = server.stdout.readline()
        check(base in line, f"serve prints where it listens ({line.strip()})")

        viewer = browser(1280, 900)
        sign_in(viewer, base, "phong-huyen", passwords.get("phong-huyen", ""))
        before = hamlet_value(viewer, base, "16282-01")
        check(before is not None, f"the viewer sees Thôn 1 (16282-01) on the dashboard: {before}")

        phone = browser(390, 844)
        sign_in(phone, base, "to-truong", passwords.get("to-truong", ""))
        phone.get(base + "/entry")
        check("Ghi buổi" in phone.title, "the leader reaches the phone form")
        width = phone.execute_script("return document.documentElement.scrollWidth")
        check(width <= 390, f"the form fits a 390 px screen without scrolling sideways ({width} px)")
        check(phone.find_element(By.ID, "m_eid_l2").get_attribute("inputmode") == "numeric", "counts open the numeric keypad")
        if args.screenshots:
            os.makedirs(args.screenshots, exist_ok=True)
            phone.save_screenshot(os.path.join(args.screenshots, "entry-390.png"))
        phone.find_element(By.CSS_SELECTOR, "#area option[value='16282-01']").click()
        phone.find_element(By.ID, "m_eid_l2").send_keys("7")
        phone.find_element(By.ID, "m_people_reached").send_keys("30")
        phone.find_element(By.CSS_SELECTOR, "#entry button[type=submit]").click()
        saved = wait_for(lambda: "Đã lưu buổi" in phone.page_source)
        check(saved and "Hủy buổi này" in phone.page_source, "the form says the session was saved, with an undo")
        if args.screenshots:
            phone.save_screenshot(os.path.join(args.screenshots, "entry-saved-390.png"))

        after = hamlet_value(viewer, base, "16282-01")
        check(before is not None and after == before + 7, f"the viewer sees Thôn 1 go from {before} to {after} (+7)")

        # Without a connection the entry is kept on the phone, and sent when it returns.
        phone.get(base + "/entry")
        phone.execute_cdp_cmd("Network.enable", {})
        phone.execute_cdp_cmd("Network.emulateNetworkConditions",
                              {"offline": True, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1})
        wait_for(lambda: phone.execute_script("return navigator.onLine") is False, 5)
        phone.find_element(By.CSS_SELECTOR, "#area option[value='16282-01']").click()
        phone.find_element(By.ID, "m_eid_l2").send_keys("5")
        phone.find_element(By.CSS_SELECTOR, "#entry button[type=submit]").click()
        kept = wait_for(lambda: "đang được giữ trên điện thoại" in phone.find_element(By.ID, "offline").text, 5)
        check(kept, "offline, the page says the entry is kept on the phone")
        check(hamlet_value(viewer, base, "16282-01") == after, "nothing reached the server while offline")
        phone.execute_cdp_cmd("Network.emulateNetworkConditions",
                              {"offline": False, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1})
        sent = wait_for(lambda: "đã được gửi" in phone.find_element(By.ID, "offline").text, 15)
        check(sent, "back online, the page says the kept entry was sent")
        check(wait_for(lambda: hamlet_value(viewer, base, "16282-01") == after + 5, 10),
              f"the viewer sees the kept entry arrive once (+5): {hamlet_value(viewer, base, '16282-01')}")
        if args.screenshots:
            viewer.get(base + "/dashboard?campaign=de-an-06&under=16282")
            viewer.set_window_size(1280, 1600)
            viewer.save_screenshot(os.path.join(args.screenshots, "dashboard-1280.png"))
            narrow = browser(390, 844)
            sign_in(narrow, base, "phong-huyen", passwords.get("phong-huyen", ""))
            narrow.get(base + "/dashboard?campaign=de-an-06&under=16282")
            narrow.save_screenshot(os.path.join(args.screenshots, "dashboard-390.png"))
            narrow.quit()
        phone.quit()
        viewer.quit()
    finally:
        server.terminate()
        server.wait(timeout=20)
        check(server.returncode == 0, f"serve stops cleanly on SIGTERM (exit {server.returncode})")
        shutil.rmtree(work, ignore_errors=True)
    print(f"{len(failures)} failed" if failures else "browser test: all passed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
