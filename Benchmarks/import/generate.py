#!/usr/bin/env python3
"""Generates a synthetic roster (花名册) for the import benchmark, with the template's Chinese headers.

    generate.py OUT.xlsx [--csv OUT.csv] [--rows 100000] [--units 500] [--change-every N]

The .xlsx is written with openpyxl (a third-party writer, write-only mode) when it is importable, otherwise
with a minimal zipfile writer; sheets 「干部」 (all rows) and 「单位」 (the units). The .csv holds the same
干部 rows, encoded GB18030 as Excel/WPS in China save it. Deterministic (fixed seed). With --change-every N the
same roster is written with 学历 changed on every N-th row (N=100: a re-import with 1% changes).
"""
import argparse
import csv
import datetime as dt
import io
import random
import zipfile
from xml.sax.saxutils import escape

HEADERS = ["干部编号", "姓名", "性别", "出生日期", "政治面貌", "学历", "职级", "单位编码", "单位名称", "职务",
           "主要负责人(是/否)", "职责(主职/兼职)", "任职日期", "退休日期", "立案审查(是/否)", "驻村工作队(是/否)",
           "免职待安排(是/否)", "年度", "请假天数", "挂职层级(中央/省/市/县)", "挂职单位编码", "挂职月数"]
UNIT_HEADERS = ["单位编码", "单位名称", "单位类别", "上级单位编码"]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华建国志红玉兰海燕云飞鹏辉宇浩然子轩欣怡晨阳文博俊杰思远佳琪"
TITLES = ["党委书记", "镇长", "党委副书记", "副镇长", "纪委书记", "组织委员", "宣传委员", "武装部长", "局长", "副局长", "主任", "副主任"]
CATEGORIES = ["乡镇街道", "县直单位", "企业", "学校医院"]


def units(n):
    out = []
    for i in range(n):
        code = f"U{i + 1:04d}"
        cat = CATEGORIES[i % len(CATEGORIES)]
        suffix = {"乡镇街道": "镇", "县直单位": "局", "企业": "公司", "学校医院": "中学"}[cat]
        parent = "" if i < 20 else f"U{(i % 20) + 1:04d}"
        out.append([code, f"第{i + 1}{suffix}", cat, parent])
    return out


def rows(n, unit_list, rnd):
    date_formats = [lambda d: d.isoformat(), lambda d: f"{d.year}/{d.month}/{d.day}", lambda d: f"{d.year}.{d.month}.{d.day}",
                    lambda d: d.strftime("%Y%m%d"), lambda d: f"{d.year}年{d.month}月{d.day}日"]
    for i in range(n):
        unit = unit_list[i % len(unit_list)]
        principal = (i // len(unit_list)) == 0
        birth = dt.date(1960, 1, 1) + dt.timedelta(days=rnd.randrange(0, 365 * 35))
        start = dt.date(2015, 1, 1) + dt.timedelta(days=rnd.randrange(0, 365 * 10))
        name = rnd.choice(SURNAMES) + rnd.choice(GIVEN) + (rnd.choice(GIVEN) if rnd.random() < 0.6 else "")
        row = [f"G{i + 1:06d}", name, "男" if rnd.random() < 0.7 else "女", birth,
               rnd.choice(["中共党员", "中共党员", "中共党员", "群众", "民主党派"]), rnd.choice(["大学本科", "研究生", "大学专科"]),
               rnd.choice(["正科", "副科", "一级主任科员", "二级主任科员"]), unit[0], unit[1],
               TITLES[0] if principal else rnd.choice(TITLES[1:]), "是" if principal else "否", "主职",
               rnd.choice(date_formats)(start), "", "是" if rnd.random() < 0.002 else "否",
               "是" if rnd.random() < 0.02 else "否", "是" if rnd.random() < 0.005 else "否", "", "", "", "", ""]
        if rnd.random() < 0.1:  # yearly facts for one cadre in ten
            row[17] = 2025
            row[18] = rnd.randrange(0, 200)
            if rnd.random() < 0.3:
                row[19] = rnd.choice(["中央", "省", "市", "县"])
                row[20] = unit_list[rnd.randrange(len(unit_list))][0]
                row[21] = rnd.randrange(1, 13)
        yield row


def write_openpyxl(path, cadre_rows, unit_rows):
    import openpyxl
    wb = openpyxl.Workbook(write_only=True)
    ws = wb.create_sheet("干部")
    ws.append(HEADERS)
    for r in cadre_rows:
        ws.append(r)
    wu = wb.create_sheet("单位")
    wu.append(UNIT_HEADERS)
    for r in unit_rows:
        wu.append(r)
    wb.save(path)


def write_zip(path, cadre_rows, unit_rows):
    """Minimal SpreadsheetML with inline strings; dates as ISO text."""
    def col(i):
        s = ""
        i += 1
        while i:
            i, r = divmod(i - 1, 26)
            s = chr(65 + r) + s
        return s

    def sheet(all_rows):
        buf = io.StringIO()
        buf.write('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>')
        for ri, r in enumerate(all_rows, 1):
            buf.write(f'<row r="{ri}">')
            for ci, v in enumerate(r):
                if v == "" or v is None:
                    continue
                ref = f"{col(ci)}{ri}"
                if isinstance(v, int):
                    buf.write(f'<c r="{ref}"><v>{v}</v></c>')
                else:
                    text = v.isoformat() if isinstance(v, dt.date) else str(v)
                    buf.write(f'<c r="{ref}" t="inlineStr"><is><t>{escape(text)}</t></is></c>')
            buf.write("</row>")
        buf.write("</sheetData></worksheet>")
        return buf.getvalue()

    ns = "http://schemas.openxmlformats.org"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", f'<?xml version="1.0" encoding="UTF-8"?><Types xmlns="{ns}/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/worksheets/sheet2.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>')
        z.writestr("_rels/.rels", f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{ns}/package/2006/relationships"><Relationship Id="rId1" Type="{ns}/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>')
        z.writestr("xl/workbook.xml", f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{ns}/spreadsheetml/2006/main" xmlns:r="{ns}/officeDocument/2006/relationships"><sheets><sheet name="干部" sheetId="1" r:id="rId1"/><sheet name="单位" sheetId="2" r:id="rId2"/></sheets></workbook>')
        z.writestr("xl/_rels/workbook.xml.rels", f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{ns}/package/2006/relationships"><Relationship Id="rId1" Type="{ns}/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="{ns}/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet2.xml"/></Relationships>')
        z.writestr("xl/worksheets/sheet1.xml", sheet([HEADERS] + list(cadre_rows)))
        z.writestr("xl/worksheets/sheet2.xml", sheet([UNIT_HEADERS] + unit_rows))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("xlsx")
    ap.add_argument("--csv")
    ap.add_argument("--rows", type=int, default=100_000)
    ap.add_argument("--units", type=int, default=500)
    ap.add_argument("--change-every", type=int, default=0)
    a = ap.parse_args()
    unit_list = units(a.units)
    data = list(rows(a.rows, unit_list, random.Random(20261124)))
    if a.change_every:
        for i in range(a.change_every - 1, len(data), a.change_every):
            data[i][5] = "博士研究生" if data[i][5] != "博士研究生" else "研究生"
    try:
        import openpyxl  # noqa: F401
        write_openpyxl(a.xlsx, data, unit_list)
        writer = "openpyxl"
    except ImportError:
        write_zip(a.xlsx, data, unit_list)
        writer = "zipfile"
    if a.csv:
        with open(a.csv, "w", encoding="gb18030", newline="") as f:
            w = csv.writer(f)
            w.writerow(HEADERS)
            for r in data:
                w.writerow([v.isoformat() if isinstance(v, dt.date) else v for v in r])
    print(f"wrote {a.rows} rows, {a.units} units to {a.xlsx} ({writer})" + (f" and {a.csv}" if a.csv else ""))


if __name__ == "__main__":
    main()
