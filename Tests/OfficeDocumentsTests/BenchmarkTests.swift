import Foundation
import Testing

import OfficeDocuments

/// Timing of the 100,000 × 20 import case; runs only when `KAOHE_OFFICE_BENCH` is set:
///
///     KAOHE_OFFICE_BENCH=1 swift test -c release --filter OfficeDocumentsTests.BenchmarkTests
///
/// Set `KAOHE_OFFICE_BENCH` to a path of an .xlsx to time reading that file instead.
@Suite struct BenchmarkTests {
    static let setting = ProcessInfo.processInfo.environment["KAOHE_OFFICE_BENCH"]

    static func seconds(_ body: () throws -> Void) rethrows -> Double {
        let start = DispatchTime.now().uptimeNanoseconds
        try body()
        return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    }

    @Test(.enabled(if: setting != nil)) func readHundredThousandRows() throws {
        let data: Data
        if let path = Self.setting, path.hasSuffix(".xlsx") {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } else {
            var rows: [[CellValue]] = [(0..<20).map { .text("列\($0)") }]
            for r in 0..<100_000 {
                rows.append((0..<20).map { c -> CellValue in
                    switch c % 5 {
                    case 0: return .text(String(repeating: "0", count: 6 - String(r).count) + String(r))
                    case 1: return .text("干部\(r)号\(c)")
                    case 2: return .number(Double(r) * 1.25)
                    case 3: return .date(year: 1960 + r % 40, month: 1 + r % 12, day: 1 + r % 28)
                    default: return .text("中共某某县委组织部第\(r % 500)科")
                    }
                })
            }
            var wb = XLSXWorkbook()
            wb.addSheet(name: "花名册", rows: rows)
            var written = Data()
            let t = try Self.seconds { written = try wb.data() }
            print("XLSXWorkbook.data(): 100,001 rows × 20 in \(String(format: "%.2f", t)) s, \(written.count / 1024) KiB")
            data = written
        }
        var cells = 0
        var rowCount = 0
        let t = try Self.seconds {
            try XLSXReader.forEachRow(data, sheetIndex: 0) { _, row in
                rowCount += 1
                cells += row.count
            }
        }
        print("XLSXReader.forEachRow: \(rowCount) rows, \(cells) cells in \(String(format: "%.2f", t)) s")
        #expect(rowCount > 0)
    }
}
