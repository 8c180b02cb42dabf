import Foundation
import Testing

@testable import OfficeDocuments

@Suite struct XLSXRoundTripTests {
    static let header: [CellValue] = ["干部编号", "姓名", "出生日期", "得分", "是否在编", "备注"]

    static let rows: [[CellValue]] = [
        header,
        [.text("00123"), .text("张三"), .date(year: 1975, month: 6, day: 30), .number(95.5), .bool(true), .text("A&B <c> \"d\" 'e'")],
        [.text("00124"), .text("欧阳 娜娜"), .date(year: 1900, month: 1, day: 1), .number(-3), .bool(false), .text("第一行\n第二行")],
        [.text("0"), .text("  前后空格  "), .date(year: 2024, month: 2, day: 29), .number(0.1), .empty, .text("控制\u{1}字符_x0041_")],
        [],
        [.empty, .empty, .empty, .number(1e-5), .empty, .text("😀 emoji 𠀀")],
        [.text("x"), .number(123_456_789_012), .number(1.5e300), .number(-0.000123), .text("=SUM(A1)"), .text("\r\n")],
    ]

    @Test func roundTripValues() throws {
        var wb = XLSXWorkbook()
        wb.addSheet(name: "干部", rows: Self.rows)
        let data = try wb.data()
        let sheets = try XLSXReader.read(data)
        #expect(sheets.count == 1)
        #expect(sheets[0].name == "干部")
        var expected = Self.rows
        expected[3][5] = .text("控制\u{1}字符_x0041_")
        #expect(sheets[0].rows.count == expected.count)
        for (i, row) in expected.enumerated() {
            #expect(sheets[0].rows[i] == row, "row \(i + 1)")
        }
        #expect(sheets[0].rows[1][0].textValue == "00123")
    }

    @Test func writtenPartsAreWellFormedAndComplete() throws {
        var wb = XLSXWorkbook()
        wb.addSheet(name: "干部", rows: Self.rows, columnWidths: [12, 10, 12, 8, 10, 30])
        wb.addSheet(name: "说明", rows: [["说明"], ["本表由考核系统生成"]], headerRows: 0)
        let data = try wb.data()
        try assertWellFormedParts(data)
        let parts = try OfficePackage.unzip(data)
        for path in [
            "[Content_Types].xml", "_rels/.rels", "docProps/app.xml", "docProps/core.xml", "xl/workbook.xml",
            "xl/_rels/workbook.xml.rels", "xl/styles.xml", "xl/sharedStrings.xml", "xl/worksheets/sheet1.xml",
            "xl/worksheets/sheet2.xml",
        ] {
            #expect(parts[path] != nil, "missing \(path)")
        }
        let sheet1 = try partText(data, "xl/worksheets/sheet1.xml")
        #expect(sheet1.contains("<pane ySplit=\"1\" topLeftCell=\"A2\" activePane=\"bottomLeft\" state=\"frozen\"/>"))
        #expect(sheet1.contains("<col min=\"6\" max=\"6\" width=\"30\" customWidth=\"1\"/>"))
        #expect(sheet1.contains("<c r=\"A1\" s=\"1\" t=\"s\">"))  // bold header style
        #expect(sheet1.contains("<c r=\"C2\" s=\"2\"><v>27575</v></c>"))  // 1975-06-30 with the date style
        #expect(sheet1.contains("<c r=\"F3\" s=\"3\" t=\"s\">"))  // wrapped multi-line text
        #expect(sheet1.contains("<dimension ref=\"A1:F7\"/>"))
        let sheet2 = try partText(data, "xl/worksheets/sheet2.xml")
        #expect(!sheet2.contains("<pane"))
        let styles = try partText(data, "xl/styles.xml")
        #expect(styles.contains("<b/>"))
        #expect(styles.contains("formatCode=\"yyyy\\-mm\\-dd\""))
        #expect(styles.contains("wrapText=\"1\""))
        let sst = try partText(data, "xl/sharedStrings.xml")
        #expect(sst.contains("A&amp;B &lt;c&gt; &quot;d&quot; 'e'"))
        #expect(sst.contains("控制_x0001_字符_x005F_x0041_"))
        #expect(sst.contains("<t xml:space=\"preserve\">  前后空格  </t>"))
        // Shared strings are de-duplicated.
        let distinct = Set(Self.rows.joined().compactMap { c -> String? in
            if case .text(let s) = c, !s.isEmpty { return s }
            return nil
        })
        #expect(sst.components(separatedBy: "<si>").count - 1 == distinct.count + 2)
        let workbook = try partText(data, "xl/workbook.xml")
        #expect(workbook.contains("<sheet name=\"干部\" sheetId=\"1\" r:id=\"rId1\"/>"))
        #expect(workbook.contains("<sheet name=\"说明\" sheetId=\"2\" r:id=\"rId2\"/>"))
    }

    @Test func sheetNamesAreSanitised() throws {
        var wb = XLSXWorkbook()
        wb.addSheet(name: "2024年度[考核]:结果/汇总?*\\", rows: [["a"]])
        wb.addSheet(name: "中共某某市委组织部二〇二四年度公务员年度考核等次建议汇总表（第二批次）", rows: [["b"]])
        wb.addSheet(name: "干部", rows: [["c"]])
        wb.addSheet(name: "干部", rows: [["d"]])
        wb.addSheet(name: "", rows: [["e"]])
        wb.addSheet(name: "'引号'", rows: [["f"]])
        let names = try XLSXReader.sheetNames(wb.data())
        #expect(names[0] == "2024年度_考核__结果_汇总___")
        #expect(names[1].count == 31)
        #expect(names[1].hasPrefix("中共某某市委组织部"))
        #expect(names[2] == "干部")
        #expect(names[3] == "干部 (2)")
        #expect(names[4] == "Sheet5")
        #expect(names[5] == "引号")
        #expect(names == wb.sheetNames)
        for name in names {
            #expect(name.utf16.count <= 31)
        }
    }

    @Test func excelLimitsAreEnforced() throws {
        var wb = XLSXWorkbook()
        wb.addSheet(name: "长文本", rows: [["标题"], [.text(String(repeating: "字", count: 32_768))]])
        #expect(throws: OfficeDocumentError.self) { try wb.data() }
        var wide = XLSXWorkbook()
        wide.addSheet(name: "宽", rows: [Array(repeating: CellValue.number(1), count: 16_385)])
        #expect(throws: OfficeDocumentError.self) { try wide.data() }
        var ok = XLSXWorkbook()
        ok.addSheet(name: "刚好", rows: [[.text(String(repeating: "字", count: 32_767))]])
        #expect(try XLSXReader.read(ok.data())[0].rows[0][0] == .text(String(repeating: "字", count: 32_767)))
    }

    @Test func numbersKeepFullPrecision() throws {
        let values: [Double] = [0.1 + 0.2, 1.0 / 3.0, -1e-300, 9_007_199_254_740_992, 123.456e10, .leastNonzeroMagnitude]
        var wb = XLSXWorkbook()
        wb.addSheet(name: "数", rows: [values.map { CellValue.number($0) }], headerRows: 0)
        #expect(try XLSXReader.read(wb.data())[0].rows[0] == values.map { CellValue.number($0) })
    }

    @Test func emptyWorkbookGetsOneSheet() throws {
        let data = try XLSXWorkbook().data()
        #expect(try XLSXReader.sheetNames(data) == ["Sheet1"])
        #expect(try XLSXReader.read(data)[0].rows == [])
        try assertWellFormedParts(data)
    }

    @Test func multipleHeaderRowsAreFrozen() throws {
        var wb = XLSXWorkbook()
        wb.addSheet(name: "等次", rows: [["标题"], ["姓名", "等次"], ["张三", "优秀"]], headerRows: 2)
        let data = try wb.data()
        let xml = try partText(data, "xl/worksheets/sheet1.xml")
        #expect(xml.contains("ySplit=\"2\" topLeftCell=\"A3\""))
        #expect(xml.contains("<c r=\"B2\" s=\"1\" t=\"s\">"))
        #expect(xml.contains("<c r=\"B3\" t=\"s\">"))
    }

    /// Many rows, so that decompression delivers several chunks and rows straddle chunk borders.
    @Test func streamingLargeSheet() throws {
        let n = 30_000
        var rows: [[CellValue]] = [["编号", "姓名", "单位", "分数", "日期"]]
        for i in 1...n {
            rows.append([
                .text(String(format: "%06d", i)), .text("干部\(i)"), .text("某某县委组织部第\(i % 97)科室（含<&>符号）"),
                .number(Double(i) / 4), .date(year: 1950 + i % 60, month: 1 + i % 12, day: 1 + i % 28),
            ])
        }
        var wb = XLSXWorkbook()
        wb.addSheet(name: "大表", rows: rows)
        let data = try wb.data()
        var expectedNumber = 1
        try XLSXReader.forEachRow(data, sheetIndex: 0) { number, cells in
            #expect(number == expectedNumber)
            if cells != rows[number - 1] {
                Issue.record("row \(number) differs: \(cells)")
            }
            expectedNumber += 1
        }
        #expect(expectedNumber == n + 2)
    }

    @Test func readsTheDataItWroteThroughSheetLookup() throws {
        var wb = XLSXWorkbook()
        wb.addSheet(name: "第一", rows: [["a"]])
        wb.addSheet(name: "第二", rows: [["b", 2]])
        let data = try wb.data()
        #expect(try XLSXReader.read(data, sheet: "第二")?.rows == [["b", 2]])
        var got: [[CellValue]] = []
        try XLSXReader.forEachRow(data, sheetIndex: 1) { _, cells in got.append(cells) }
        #expect(got == [["b", 2]])
    }
}
