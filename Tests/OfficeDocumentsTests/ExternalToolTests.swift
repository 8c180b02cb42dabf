import Foundation
import Testing

@testable import OfficeDocuments

/// Tests that talk to other office software through files; driven by `scripts/verify-office.sh`.
///
/// - `KAOHE_OFFICE_SAMPLES_DIR`: write `sample.xlsx` and `sample.docx` there (the script then opens
///   them with openpyxl and python-docx).
/// - `KAOHE_OPENPYXL_FIXTURE`: path of an .xlsx written by `scripts/verify_office.py make-fixture`;
///   its exact contents are asserted here. On success `openpyxl-fixture.ok` is written into the
///   samples directory so the script can tell that the test really ran.
@Suite struct ExternalToolTests {
    static let samplesDir = ProcessInfo.processInfo.environment["KAOHE_OFFICE_SAMPLES_DIR"]
    static let fixture = ProcessInfo.processInfo.environment["KAOHE_OPENPYXL_FIXTURE"]

    static func sampleWorkbook() -> XLSXWorkbook {
        var wb = XLSXWorkbook()
        wb.title = "干部花名册"
        wb.addSheet(
            name: "花名册",
            rows: [
                ["干部编号", "姓名", "出生日期", "得分", "是否在编", "备注"],
                [.text("00123"), "张三", .date(year: 1975, month: 6, day: 30), 95.5, true, "A&B <c>"],
                [.text("00124"), "李四", .date(year: 1982, month: 12, day: 1), 88, false, "第一行\n第二行"],
                [.text("00125"), "王五", .empty, -1.25, .empty, .empty],
            ], columnWidths: [12, 10, 12, 8, 10, 30])
        wb.addSheet(name: "说明", rows: [["本表由考核系统生成"]], headerRows: 0)
        return wb
    }

    static func sampleDocument() -> DOCXDocument {
        var doc = DOCXDocument()
        doc.title = "考核登记表"
        doc.heading("2024年度公务员考核登记表", level: 0)
        doc.heading("一、基本情况", level: 1)
        doc.paragraph("本人一年来认真履行岗位职责。", alignment: .justified, firstLineIndentChars: 2)
        doc.table(
            [
                ["姓名", "张三", "性别", "男"],
                [DOCXCell("个人总结"), DOCXCell("认真学习，\n扎实工作。", gridSpan: 3)],
                [DOCXCell("考核等次", verticalMerge: .restart), DOCXCell("优秀", gridSpan: 3)],
                [DOCXCell("", verticalMerge: .continue), DOCXCell("（主管机关审核）", gridSpan: 3)],
            ], columnWidthsCm: [3, 5, 3, 6], headerRows: 1)
        doc.pageBreak()
        doc.paragraph([DOCXRun("签字：", bold: true), DOCXRun("张三", underline: true)], alignment: .right)
        return doc
    }

    @Test(.enabled(if: samplesDir != nil)) func writeSamples() throws {
        let dir = URL(fileURLWithPath: try #require(Self.samplesDir))
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        try Self.sampleWorkbook().data().write(to: dir.appendingPathComponent("sample.xlsx"))
        try Self.sampleDocument().data().write(to: dir.appendingPathComponent("sample.docx"))
    }

    @Test(.enabled(if: fixture != nil)) func readOpenpyxlFixture() throws {
        let data = try Data(contentsOf: URL(fileURLWithPath: try #require(Self.fixture)))
        // verify_office.py moves 附表 in front of 花名册.
        #expect(try XLSXReader.sheetNames(data) == ["附表", "花名册"])
        let sheet = try #require(try XLSXReader.read(data, sheet: "花名册"))
        let rows = sheet.rows
        #expect(rows.count == 7)
        #expect(rows[0] == ["干部编号", "姓名", "出生日期", "入职时间", "得分", "在编", "备注", "公式"])
        #expect(
            rows[1] == [
                .text("00123"), "张三", .date(year: 1975, month: 6, day: 30), .date(year: 2001, month: 7, day: 1), 95.5, true,
                "A&B <c> \"引号\"",  // the formula has no cached value: empty, trimmed
            ])
        #expect(rows[2] == [.text("00124"), "李四", .date(year: 1982, month: 12, day: 1), .empty, 88, false, "第一行\n第二行"])
        #expect(rows[3] == [.text("0"), "  前后空格 "])
        #expect(rows[4] == [])
        #expect(rows[5] == [.empty, .empty, .date(year: 2024, month: 1, day: 1), .number(0.5), .number(1234567.891)])
        #expect(rows[6] == ["富文本", .number(-7)])
        #expect(rows[1][0].textValue == "00123")
        var numbers: [Int] = []
        try XLSXReader.forEachRow(data, sheetIndex: 1) { n, _ in numbers.append(n) }
        #expect(numbers == [1, 2, 3, 4, 6, 7])
        let other = try #require(try XLSXReader.read(data, sheet: "附表"))
        #expect(other.rows == [["附表内容"]])
        if let dir = Self.samplesDir {
            try Data("ok\n".utf8).write(to: URL(fileURLWithPath: dir).appendingPathComponent("openpyxl-fixture.ok"))
        }
    }
}
