#!/usr/bin/env python3
"""Opens every document `kaohe demo`'s campaign links in third-party readers (issue 12).

Usage: verify_documents.py BASE_URL ADMIN_PASSWORD OUT_DIR

Logs in as admin (changing the first password), walks the demo campaign's pages as a user would — the campaign, its
documents page, each unit's files, each special report, every evaluation session's 测评结果统计表, the archive export —
downloads every .xlsx and .docx linked there into OUT_DIR and opens each with openpyxl or python-docx, checking what
it must say: the stamp (campaign, data date, 草稿), the structure of the 考核报告 (seed 003 §五(三)2) with its charts as
pictures, the 登记表's fields, the 建议表's columns, the ranking's header, the tally's counts. Prints one line per file.
"""
import html
import http.cookiejar
import os
import re
import sys
import urllib.parse
import urllib.request

import docx
import openpyxl

BASE, PASSWORD, OUT = sys.argv[1], sys.argv[2], sys.argv[3]
NEW_PASSWORD = "Verify-Docs-Pass-9"
jar = http.cookiejar.CookieJar()
opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
failures = []


def fail(msg):
    failures.append(msg)
    print("FAIL: " + msg)


def expect(cond, msg):
    if not cond:
        fail(msg)


def get(path):
    with opener.open(BASE + path) as r:
        return r.read(), r.headers.get("Content-Type", "")


def page(path):
    return get(path)[0].decode("utf-8")


def csrf(text):
    return re.search(r'name="_csrf" value="([^"]+)"', text).group(1)


def post(path, fields):
    data = urllib.parse.urlencode(fields).encode()
    with opener.open(BASE + path, data) as r:
        return r.geturl(), r.read().decode("utf-8")


def links(text, pattern):
    out = []
    for href in re.findall(r'href="([^"]+)"', text):
        href = html.unescape(href)
        if re.search(pattern, href) and href not in out:
            out.append(href)
    return out


def login():
    token = csrf(page("/login"))
    url, body = post("/login", {"_csrf": token, "username": "admin", "password": PASSWORD})
    if url.endswith("/password"):
        post("/password", {"_csrf": csrf(body), "current": PASSWORD, "new": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    expect("系统管理员" in page("/"), "login as admin")


def download(path, name):
    data, kind = get(path)
    target = os.path.join(OUT, name)
    with open(target, "wb") as f:
        f.write(data)
    return target, kind


def docx_text(document):
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    return "\n".join(parts)


def header_text(document):
    return "\n".join(p.text for s in document.sections for p in s.header.paragraphs)


def check_xlsx(path, label, must=()):
    book = openpyxl.load_workbook(path)
    cells = []
    for sheet in book.worksheets:
        for row in sheet.iter_rows(values_only=True):
            cells.extend("" if v is None else str(v) for v in row)
    text = "\n".join(cells)
    expect(len(book.worksheets) >= 1 and cells, f"{label}: a sheet with cells")
    for m in must:
        expect(m in text, f"{label}: says {m!r}")
    print(f"ok  {label}: {len(book.worksheets)} sheets, {len(cells)} cells ({os.path.basename(path)})")
    return book, text


def check_docx(path, label, must=(), pictures=0):
    document = docx.Document(path)
    text = docx_text(document)
    for m in must:
        expect(m in text or m in header_text(document), f"{label}: says {m!r}")
    shapes = len(document.inline_shapes)
    expect(shapes >= pictures, f"{label}: at least {pictures} pictures (found {shapes})")
    for shape in document.inline_shapes:
        blob = document.part.related_parts[shape._inline.graphic.graphicData.pic.blipFill.blip.embed].blob
        expect(blob[:8] == b"\x89PNG\r\n\x1a\n", f"{label}: a picture is a PNG")
    print(f"ok  {label}: {len(document.paragraphs)} paragraphs, {len(document.tables)} tables, {shapes} pictures ({os.path.basename(path)})")
    return document, text


def main():
    os.makedirs(OUT, exist_ok=True)
    login()
    # The demo's annual campaign: of those listed, the one with the most evaluation sessions.
    shows = [(page(l), l) for l in links(page("/campaigns"), r"^/campaigns/[0-9a-fA-F-]{36}$")]
    expect(shows, "the demo campaigns are listed")
    show, campaign = max(shows, key=lambda s: len(links(s[0], r"^/sessions/[0-9a-fA-F-]{36}$")))
    documents = next(iter(links(show, r"/documents$")), None)
    expect(documents is not None, "the campaign page links its documents")
    index = page(documents)
    stamp = re.search(r"页眉注明：([^<]+)</p>", index).group(1).strip()
    expect("草稿" in stamp and "数据日期" in stamp, "the stamp says 草稿 and the data date")
    n = 0

    def name(kind):
        nonlocal n
        n += 1
        return f"{n:02d}-{kind}"

    for href in links(index, r"proposals\.xlsx"):
        path, _ = download(href, name("proposals.xlsx"))
        book, text = check_xlsx(path, "考核等次建议表" + (" (全县)" if "unit=" not in href else ""),
                                must=("引擎建议", "组织部确定", "违反的规则", "数据日期", "草稿"))
    for href in links(index, r"ranking\.xlsx"):
        path, _ = download(href, name("ranking.xlsx"))
        check_xlsx(path, "排名表", must=("测评得分排名", "姓名", "等次"))
    for href in links(index, r"/documents/ranking\?"):
        text = page(href)
        expect("<svg" in text and "排名表" in text, "ranking print has its chart")
    for href in links(index, r"(?<!special-)report\.docx"):
        path, _ = download(href, name("report.docx"))
        check_docx(path, "考核报告", pictures=1, must=("一、考核工作基本情况", "班子成员主要表现", "【请考核组补充】", "图例", "数据日期"))
    for href in links(index, r"special-report\.docx"):
        path, _ = download(href, name("special-report.docx"))
        check_docx(path, "专题报告", must=("专题报告", "结论和处理建议"))
    for href in links(index, r"registration\.docx")[:3]:
        path, _ = download(href, name("registration.docx"))
        check_docx(path, "干部年度考核登记表", must=("年度考核登记表", "个人总结", "党委（党组）确定的考核等次意见"))
    for href in links(show, r"^/sessions/[0-9a-fA-F-]{36}$")[:3]:
        session = page(href)
        for sheet in links(session, r"tally\.xlsx"):
            path, _ = download(sheet, name("tally.xlsx"))
            check_xlsx(path, "民主测评结果统计表", must=("测评结果统计表", "票数", "占比"))
        for printed in links(session, r"/tally$"):
            expect("<svg" in page(printed), "the tally print has its charts")
    path, _ = download("/archive/export.xlsx", name("archive.xlsx"))
    check_xlsx(path, "考核档案导出")
    files = [f for f in os.listdir(OUT) if f.endswith((".xlsx", ".docx"))]
    expect(any("report" in f for f in files) and any("proposals" in f for f in files), "report and proposals downloaded")
    print(f"{len(files)} files opened with openpyxl and python-docx")
    if failures:
        sys.exit(1)


main()
