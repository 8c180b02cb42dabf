#!/usr/bin/env python3
"""A real browser against the running binary (headless Chromium via Selenium), as a clerk and on a phone.

    scripts/browser.py BASE_URL ADMIN_PASSWORD ROSTER.xlsx SCREENSHOT_DIR

Logs in through the form (changing the first password), uploads a roster through the import page, reads the
preview and confirms it, then opens the main pages at a phone's width (390 px) and checks that none of them
scrolls sideways; screenshots of each go to SCREENSHOT_DIR. Exits non-zero naming the first failure.
"""
import re
import sys

from selenium import webdriver
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

base, password, roster, shots = sys.argv[1:5]
new_password = "Browser-Own-Pass-8"


def driver(width, height):
    o = Options()
    o.binary_location = "/usr/bin/chromium"
    for a in ("--headless=new", "--no-sandbox", "--disable-gpu", f"--window-size={width},{height}", "--lang=zh-CN"):
        o.add_argument(a)
    return webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=o)


def fail(message):
    print("FAIL:", message)
    sys.exit(1)


def submit(d, form_css):
    d.find_element(By.CSS_SELECTOR, form_css + " button[type=submit]").click()


def wait_for(d, text, seconds=60):
    """Until the page shows `text` (a click returns before the next page has loaded)."""
    try:
        WebDriverWait(d, seconds).until(lambda drv: text in drv.page_source)
    except Exception:
        pass


d = driver(1280, 900)
try:
    d.get(base + "/login")
    d.find_element(By.NAME, "username").send_keys("admin")
    d.find_element(By.NAME, "password").send_keys(password)
    submit(d, "form")
    WebDriverWait(d, 30).until(lambda drv: "/login" not in drv.current_url)
    if "/password" in d.current_url:  # the first password must be changed
        d.find_element(By.NAME, "current").send_keys(password)
        d.find_element(By.NAME, "new").send_keys(new_password)
        d.find_element(By.NAME, "confirm").send_keys(new_password)
        submit(d, "main form")
        wait_for(d, "密码已修改")
    if "系统管理员" not in d.page_source:
        fail("not logged in: " + d.current_url)

    # Upload → preview (nothing written yet) → confirm.
    d.get(base + "/roster/import")
    d.find_element(By.CSS_SELECTOR, "input[type=file]").send_keys(roster)
    submit(d, "main form.stack")
    wait_for(d, "花名册导入预览")
    page = d.page_source
    if "花名册导入预览" not in page or "尚未写入" not in page or "新增 3 人" not in page:
        fail("no preview after the upload: " + d.current_url + " " + re.sub(r"<[^>]+>", " ", page)[:400])
    d.save_screenshot(f"{shots}/preview-desktop.png")
    preview_url = d.current_url
    d.find_element(By.XPATH, "//button[text()='确认导入']").click()
    wait_for(d, "导入成功")
    if "导入成功：新增 3 人" not in d.page_source:
        fail("confirming the preview did not import: " + re.sub(r"<[^>]+>", " ", d.page_source)[:400])
    cookies = d.get_cookies()
finally:
    d.quit()

# A phone: the same session, every main page, nothing wider than the screen.
p = driver(390, 844)
p.set_window_size(390, 844)
try:
    p.get(base + "/login")
    for c in cookies:
        p.add_cookie({k: v for k, v in c.items() if k in ("name", "value", "path", "secure", "httpOnly")})
    p.get(base + "/cadres")
    cadre = p.find_element(By.CSS_SELECTOR, "main table a").get_attribute("href")
    p.get(base + "/units")
    unit = p.find_element(By.CSS_SELECTOR, "main table a").get_attribute("href")
    pages = {"home": "/", "cadres": "/cadres", "units": "/units", "unit": unit, "cadre": cadre, "cadre-edit": cadre + "/edit",
             "import": "/roster/import", "audit": "/audit", "accounts": "/accounts", "groups": "/groups", "password": "/password"}
    for name, path in pages.items():
        p.get(path if path.startswith("http") else base + path)
        width = p.execute_script("return document.documentElement.scrollWidth")
        inner = p.execute_script("return window.innerWidth")
        p.set_window_size(390, max(844, p.execute_script("return document.body.scrollHeight") + 100))
        p.save_screenshot(f"{shots}/phone-{name}.png")
        p.set_window_size(390, 844)
        if width > inner:
            fail(f"{name} ({path}) scrolls sideways on a 390 px phone: page {width} px wide")
        print(f"ok: {name} fits {inner} px")
finally:
    p.quit()
print("browser test passed")
