#!/usr/bin/env python3
"""Cross-checks OfficeDocuments against openpyxl and python-docx (used by verify-office.sh).

    verify_office.py make-fixture OUT.xlsx   write an .xlsx with openpyxl; ExternalToolTests
                                             asserts its exact contents, so keep both in sync
    verify_office.py check-samples DIR       open DIR/sample.xlsx and DIR/sample.docx written by
                                             ExternalToolTests and check what they contain
"""
import datetime
import sys
import warnings


def make_fixture(path):
    import openpyxl
    from openpyxl.styles import Font

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "花名册"
    ws.append(["干部编号", "姓名", "出生日期", "入职时间", "得分", "在编", "备注", "公式"])
    for cell in ws[1]:
        cell.font = Font(bold=True)
    ws.append(["00123", "张三", datetime.date(1975, 6, 30), datetime.datetime(2001, 7, 1, 8, 30),
               95.5, True, 'A&B <c> "引号"', "=E2+1"])
    ws.append(["00124", "李四", datetime.date(1982, 12, 1), None, 88, False, "第一行\n第二行"])
    ws.append(["0", "  前后空格 "])
    # Row 5 is left out entirely.
    ws["C6"] = 45292
    ws["C6"].number_format = '[$-804]yyyy"年"m"月"d"日"'
    ws["D6"] = 0.5
    ws["D6"].number_format = "h:mm"
    ws["E6"] = 1234567.891
    ws["E6"].number_format = "#,##0.00"
    try:  # rich text (openpyxl >= 3.1); plain text otherwise, same value
        from openpyxl.cell.rich_text import CellRichText, TextBlock
        from openpyxl.cell.text import InlineFont
        ws["A7"] = CellRichText([TextBlock(InlineFont(b=True), "富"), "文本"])
    except ImportError:
        ws["A7"] = "富文本"
    ws["B7"] = -7
    ws.freeze_panes = "A2"
    other = wb.create_sheet("附表")
    other["A1"] = "附表内容"
    wb.move_sheet("附表", offset=-1)
    wb.save(path)
    print(f"openpyxl {openpyxl.__version__}: wrote {path}")


def fail(msg):
    print(f"FAIL: {msg}", file=sys.stderr)
    sys.exit(1)


def expect(cond, msg):
    if not cond:
        fail(msg)


def check_xlsx(path):
    import openpyxl

    with warnings.catch_warnings():
        warnings.simplefilter("error")  # e.g. "Workbook contains no default style" would fail
        wb = openpyxl.load_workbook(path)
    expect(wb.sheetnames == ["花名册", "说明"], f"sheet names {wb.sheetnames}")
    ws = wb["花名册"]
    rows = [list(r) for r in ws.iter_rows(values_only=True)]
    expect(rows[0] == ["干部编号", "姓名", "出生日期", "得分", "是否在编", "备注"], f"header {rows[0]}")
    expect(rows[1][0] == "00123" and rows[1][1] == "张三", f"row 2 {rows[1]}")
    expect(rows[1][2] == datetime.datetime(1975, 6, 30), f"date {rows[1][2]!r}")
    expect(rows[1][3] == 95.5 and rows[1][4] is True and rows[1][5] == "A&B <c>", f"row 2 {rows[1]}")
    expect(rows[2][3] == 88 and rows[2][4] is False and rows[2][5] == "第一行\n第二行", f"row 3 {rows[2]}")
    expect(rows[3][:4] == ["00125", "王五", None, -1.25], f"row 4 {rows[3]}")
    expect(ws["A1"].font.b, "header not bold")
    expect(not ws["A2"].font.b, "body bold")
    expect(ws.freeze_panes == "A2", f"freeze panes {ws.freeze_panes}")
    expect(abs(ws.column_dimensions["F"].width - 30) < 0.01, f"width F {ws.column_dimensions['F'].width}")
    expect(ws["C2"].is_date and "yy" in ws["C2"].number_format, f"date format {ws['C2'].number_format}")
    expect(ws["F3"].alignment.wrap_text, "multi-line text not wrapped")
    expect(wb["说明"]["A1"].value == "本表由考核系统生成", "second sheet")
    expect(wb["说明"].freeze_panes is None, "second sheet should not be frozen")
    print(f"openpyxl {openpyxl.__version__}: {path} OK")


def check_docx(path):
    import docx
    from docx.shared import Cm

    d = docx.Document(path)
    sec = d.sections[0]
    expect(abs(sec.page_width - Cm(21.0)) < Cm(0.01) and abs(sec.page_height - Cm(29.7)) < Cm(0.01),
           f"page size {sec.page_width} x {sec.page_height}")
    expect(abs(sec.left_margin - Cm(2.0)) < Cm(0.01) and abs(sec.top_margin - Cm(2.5)) < Cm(0.01), "margins")
    texts = [p.text for p in d.paragraphs]
    expect(texts[0] == "2024年度公务员考核登记表", f"title {texts[0]!r}")
    expect(d.paragraphs[0].style.name == "Title", f"title style {d.paragraphs[0].style.name}")
    expect(d.paragraphs[1].style.name == "Heading 1", f"heading style {d.paragraphs[1].style.name}")
    expect("本人一年来认真履行岗位职责。" in texts, f"paragraphs {texts}")
    expect(len(d.tables) == 1, f"tables {len(d.tables)}")
    t = d.tables[0]
    expect(len(t.rows) == 4 and len(t.columns) == 4, f"table {len(t.rows)}x{len(t.columns)}")
    expect(t.cell(0, 0).text == "姓名" and t.cell(0, 3).text == "男", "row 1 cells")
    expect(t.cell(1, 1).text == "认真学习，\n扎实工作。", f"spanned cell {t.cell(1, 1).text!r}")
    expect(t.cell(1, 1)._tc is t.cell(1, 3)._tc, "gridSpan not merged")
    expect(t.cell(2, 0)._tc is t.cell(3, 0)._tc, "vMerge not merged")
    total = sum(c.width for c in t.columns)
    expect(total <= sec.page_width - sec.left_margin - sec.right_margin, f"table wider than text: {total}")
    last = d.paragraphs[-1] if d.paragraphs[-1].text else d.paragraphs[-2]
    expect(last.runs[0].bold and last.runs[1].underline and last.text == "签字：张三", f"runs {last.text!r}")
    normal = d.styles["Normal"].element.xml
    expect("仿宋" in normal, "Normal style lacks 仿宋")
    print(f"python-docx: {path} OK")


def main(argv):
    if len(argv) == 3 and argv[1] == "make-fixture":
        make_fixture(argv[2])
    elif len(argv) == 3 and argv[1] == "check-samples":
        check_xlsx(f"{argv[2]}/sample.xlsx")
        check_docx(f"{argv[2]}/sample.docx")
    else:
        print(__doc__, file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
