import Foundation
import Testing

@testable import OfficeDocuments

/// Files made to hurt the reader: each is refused with a clear error (or read), never a trap, never unbounded
/// memory or time (issue 7, "Crashes and exhaustion").
@Suite struct HostileInputTests {
    static let workbookXML = "<workbook xmlns=\"\(sheetMainNS)\" xmlns:r=\"\(relNS)\"><sheets><sheet name=\"S\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>"

    static func sheet(_ sheetData: String) -> String {
        "<worksheet xmlns=\"\(sheetMainNS)\"><sheetData>\(sheetData)</sheetData></worksheet>"
    }

    @Test("A cell reference of sixteen letters is no column (it used to overflow and trap)")
    func longColumnLetters() throws {
        let data = try makePackage([
            ("xl/workbook.xml", Self.workbookXML),
            ("xl/worksheets/sheet1.xml", Self.sheet(
                "<row r=\"1\"><c r=\"AAAAAAAAAAAAAAAA1\"><v>1</v></c><c r=\"\(String(repeating: "Z", count: 40))1\"><v>2</v></c><c r=\"C1\"><v>3</v></c></row>")),
        ])
        var rows: [[CellValue]] = []
        try XLSXReader.forEachRow(data, sheetIndex: 0) { _, cells in rows.append(cells) }
        #expect(rows.count == 1 && rows[0].last == .number(3) && rows[0].count == 3)
    }

    @Test("A row number past Excel's last row is an error, not an allocation")
    func hugeRowNumber() throws {
        let data = try makePackage([
            ("xl/workbook.xml", Self.workbookXML),
            ("xl/worksheets/sheet1.xml", Self.sheet("<row r=\"99999999999999999999\"><c r=\"A1\"><v>1</v></c></row><row r=\"2000000\"><c><v>1</v></c></row>")),
        ])
        #expect(throws: OfficeDocumentError.self) { _ = try XLSXReader.read(data, sheet: "S") }
    }

    @Test("Rows without a number may not count on past Excel's last row")
    func implicitRowsPastTheEnd() throws {
        let data = try makePackage([
            ("xl/workbook.xml", Self.workbookXML),
            ("xl/worksheets/sheet1.xml", Self.sheet("<row r=\"1048576\"><c><v>1</v></c></row><row><c><v>2</v></c></row>")),
        ])
        #expect(throws: OfficeDocumentError.self) { try XLSXReader.forEachRow(data, sheetIndex: 0) { _, _ in } }
    }

    @Test("One package opened once serves several sheets (what is inflated counts once against the limits)")
    func packageOpenedOnce() throws {
        let data = try makePackage([("xl/workbook.xml", Self.workbookXML), ("xl/worksheets/sheet1.xml", Self.sheet("<row r=\"1\"><c><v>7</v></c></row>"))])
        let package = try XLSXPackage(data)
        #expect(package.sheetNames == ["S"])
        var values: [CellValue] = []
        try package.forEachRow(sheetIndex: 0) { _, cells in values += cells }
        #expect(values == [.number(7)])
    }

    @Test("A zip bomb in a part read whole is refused once it passes the part limit")
    func bombInWholePart() throws {
        let bomb = "<sst xmlns=\"\(sheetMainNS)\"><si><t>" + String(repeating: " ", count: 3 << 20) + "</t></si></sst>"
        let data = try makePackage([
            ("xl/workbook.xml", Self.workbookXML),
            ("xl/_rels/workbook.xml.rels", """
                <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>
                """),
            ("xl/sharedStrings.xml", bomb),
            ("xl/worksheets/sheet1.xml", Self.sheet("<row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c></row>")),
        ])
        #expect(data.count < 100_000)  // 3 MB of spaces deflate to a few KB
        var limits = OfficeLimits()
        limits.maxPartBytes = 1 << 20
        #expect(throws: OfficeDocumentError.self) { _ = try XLSXReader.read(data, sheet: "S", limits: limits) }
        var ratio = OfficeLimits()
        ratio.maxRatio = 100
        do {
            _ = try XLSXReader.read(data, sheet: "S", limits: ratio)
            Issue.record("a 3 MB part from a few KB was read")
        } catch let error as OfficeDocumentError {
            #expect(error.description.contains("压缩比"))
        }
        // Under the standard limits the same file is fine: the limits stop bombs, not real rosters.
        #expect(try XLSXReader.read(data, sheet: "S")?.rows.count == 1)
    }

    @Test("Everything inflated from one package counts: a streamed sheet stops at the total")
    func totalLimit() throws {
        let rows = (1...20_000).map { "<row r=\"\($0)\"><c r=\"A\($0)\"><v>\($0)</v></c></row>" }.joined()
        let data = try makePackage([("xl/workbook.xml", Self.workbookXML), ("xl/worksheets/sheet1.xml", Self.sheet(rows))])
        var limits = OfficeLimits()
        limits.maxTotalBytes = 200_000
        var seen = 0
        #expect(throws: OfficeDocumentError.self) {
            try XLSXReader.forEachRow(data, sheetIndex: 0, limits: limits) { _, _ in seen += 1 }
        }
        #expect(seen < 20_000)
    }

    @Test("Too many parts in the archive are refused before any is read")
    func tooManyEntries() throws {
        let parts = [("xl/workbook.xml", Self.workbookXML), ("xl/worksheets/sheet1.xml", Self.sheet(""))]
            + (1...10).map { ("junk/\($0).xml", "<x/>") }
        var limits = OfficeLimits()
        limits.maxEntries = 5
        do {
            _ = try XLSXReader.sheetNames(try makePackage(parts), limits: limits)
            Issue.record("accepted")
        } catch let error as OfficeDocumentError {
            #expect(error == .tooLarge("压缩包中的部件超过 5 个"))
        }
    }

    @Test("A row that never ends cannot grow the pending buffer without bound")
    func rowWithoutEnd() throws {
        let endless = "<row r=\"1\">" + String(repeating: "<c><v>1</v></c>", count: 40_000)  // ~600 KB, no </row>
        let data = try makePackage([("xl/workbook.xml", Self.workbookXML), ("xl/worksheets/sheet1.xml", Self.sheet(endless))])
        var limits = OfficeLimits()
        limits.maxRowBytes = 64 << 10
        do {
            try XLSXReader.forEachRow(data, sheetIndex: 0, limits: limits) { _, _ in }
            Issue.record("accepted")
        } catch let error as OfficeDocumentError {
            #expect(error.description.contains("有一行超过"))
        }
    }

    @Test("CSV records stream one at a time, exactly as `read` returns them (blank lines kept, trailing ones dropped)")
    func csvStreaming() throws {
        for text in ["a,b\n\nc,d\n\n\n", "x\r\n\"q\"\"\",\"multi\nline\"\r\n", "sep=;\na;b\n;\n", "", "\n\n", "only"] {
            var streamed: [[String]] = []
            var numbers: [Int] = []
            try CSVReader.forEachRecord(Data(text.utf8)) { n, fields in numbers.append(n); streamed.append(fields) }
            #expect(streamed == (try CSVReader.read(Data(text.utf8))), "\(text.debugDescription)")
            #expect(numbers == Array(1...max(1, streamed.count)).prefix(streamed.count).map { $0 })
        }
    }
}
