import Foundation
import Testing

@testable import OfficeDocuments

/// The streamed .xlsx (issue 15: a province's roster downloads while it is read) holds what the whole-file writer holds.
@Suite struct XLSXStreamTests {
    /// Collects what a stream sends, chunk by chunk.
    actor Sink {
        var chunks: [Data] = []
        func add(_ d: Data) { chunks.append(d) }
        var data: Data { chunks.reduce(into: Data()) { $0.append($1) } }
    }

    @Test("Rows appended in batches read back as written: text inline (escaped, spaces kept), numbers, dates, booleans")
    func roundTrip() async throws {
        let header: [CellValue] = ["干部编号", "姓名", "出生日期", "得分", "在编", "备注"]
        var rows: [[CellValue]] = [header]
        for i in 0..<2_500 {
            rows.append([.text(String(format: "%06d", i)), .text("干部\(i)"), .date(year: 1960 + i % 40, month: 1 + i % 12, day: 1 + i % 28),
                         .number(Double(i) / 4), .bool(i % 2 == 0), .text(i % 7 == 0 ? " A&B <c>\n第二行 " : "")])
        }
        let sink = Sink()
        let stream = XLSXSheetStream(title: "干部花名册", sheetName: "干部", headerRows: 1) { await sink.add($0) }
        // MUT: three batches, the header in the first
        for start in stride(from: 0, to: rows.count, by: 1_000) { try await stream.append(Array(rows[start..<min(rows.count, start + 1_000)])) }
        try await stream.finish()
        let data = await sink.data
        #expect(await sink.chunks.count > 3)  // sent as it was made, not at the end
        let sheet = try #require(try XLSXReader.read(data, sheet: "干部"))
        #expect(sheet.rows.count == rows.count)
        #expect(sheet.rows[0] == header)
        #expect(sheet.rows[8][5] == .text(" A&B <c>\n第二行 "))
        #expect(sheet.rows[2500][0] == .text("002499") && sheet.rows[2500][3] == .number(2499.0 / 4))
        #expect(sheet.rows[1][2] == .date(year: 1960, month: 1, day: 1) && sheet.rows[1][4] == .bool(true))
        let parts = try OfficePackage.unzip(data, format: ".xlsx")
        #expect(Set(parts.keys) == ["[Content_Types].xml", "_rels/.rels", "docProps/app.xml", "docProps/core.xml", "xl/workbook.xml",
                                    "xl/_rels/workbook.xml.rels", "xl/styles.xml", "xl/worksheets/sheet1.xml", "xl/sharedStrings.xml"])
    }

    @Test("A ZIP entry larger than the deflate buffer, of bytes that do not compress, unzips with its CRC checked")
    func largeEntry() async throws {
        var generator = SystemRandomNumberGenerator()
        let bytes = Data((0..<(600 * 1024)).map { _ in UInt8.random(in: 0...255, using: &generator) })
        let sink = Sink()
        let zip = ZIPStreamWriter { await sink.add($0) }
        try await zip.beginEntry("a.bin")
        for start in stride(from: 0, to: bytes.count, by: 100_000) { try await zip.write(bytes[start..<min(bytes.count, start + 100_000)]) }
        try await zip.endEntry()
        try await zip.entry("empty.txt", Data())
        try await zip.finish()
        let parts = try OfficePackage.unzip(await sink.data)
        #expect(parts["a.bin"] == bytes)
        #expect(parts["empty.txt"] == Data())
    }

    @Test("A batch over Excel's limits is refused before any of it is written (32,767 characters a cell)")
    func limitsChecked() async throws {
        let sink = Sink()
        let stream = XLSXSheetStream(title: nil, sheetName: "干部", headerRows: 1) { await sink.add($0) }
        try await stream.append([["干部编号", "职务"], ["001", "党委书记"]])
        let before = await sink.data.count
        await #expect(throws: OfficeDocumentError.self) {
            try await stream.append([["002", .text(String(repeating: "长", count: 40_000))]])
        }
        #expect(await sink.data.count == before)
    }
}
