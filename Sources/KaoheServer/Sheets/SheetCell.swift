import AssessmentCore
import OfficeDocuments

/// Cell parsers: each returns the value or a Chinese reason. The same parsers read form fields (as text cells).
enum SheetCell {
    enum Parsed<T> { case empty, value(T), invalid(String) }

    /// Dates: date cells; `2022-03-05`, `2022/3/5`, `2022.3.5`, `20220305`, `2022年3月5日`, Excel serial numbers.
    static func date(_ cell: CellValue) -> Parsed<String> {
        switch cell {
        case .empty: return .empty
        case .date(let y, let m, let d):
            return valid(y, m, d).map { .value($0) } ?? .invalid("日期无效")
        case .number(let n):
            if n == n.rounded(), n >= 1_000_0101, n <= 9999_1231 { return date(.text(String(Int(n)))) }
            if n == n.rounded(), n >= 10_000, n <= 80_000 {  // an Excel serial date (1927–2119) left without a date format
                let excelEpoch = Day(year: 1899, month: 12, day: 30)!.daysSinceEpoch
                return .value(Day(daysSinceEpoch: excelEpoch + Int(n)).description)
            }
            return .invalid("「\(cell.textValue)」不是日期，应写作 2022-03-05")
        case .bool:
            return .invalid("「\(cell.textValue)」不是日期，应写作 2022-03-05")
        case .text:
            let raw = SheetText.halfWidth(SheetText.text(cell))
            if raw.isEmpty { return .empty }
            var s = raw
            if let space = s.firstIndex(where: { $0 == " " || $0 == "T" }) { s = String(s[..<space]) }  // drop a time
            if s.hasSuffix("日") { s.removeLast() }
            s = s.replacingOccurrences(of: "年", with: "-").replacingOccurrences(of: "月", with: "-")
                .replacingOccurrences(of: "/", with: "-").replacingOccurrences(of: ".", with: "-")
            var parts = s.split(separator: "-", omittingEmptySubsequences: false).map(String.init)
            if parts.count == 1, s.count == 8, s.allSatisfy(\.isASCII) {
                parts = [String(s.prefix(4)), String(s.dropFirst(4).prefix(2)), String(s.suffix(2))]
            }
            guard parts.count == 3, parts[0].count == 4, (1...2).contains(parts[1].count), (1...2).contains(parts[2].count),
                  let y = Int(parts[0]), let m = Int(parts[1]), let d = Int(parts[2]) else {
                return .invalid("「\(raw)」不是日期，应写作 2022-03-05")
            }
            return valid(y, m, d).map { .value($0) } ?? .invalid("「\(raw)」不是有效日期")
        }
    }

    /// A real calendar day in a plausible range, as `yyyy-MM-dd` (the calendar is AssessmentCore's `Day`).
    private static func valid(_ y: Int, _ m: Int, _ d: Int) -> String? {
        guard (1900...2200).contains(y), let day = Day(year: y, month: m, day: d) else { return nil }
        return day.description
    }

    /// 是/否 (also TRUE/FALSE cells, Y/N, 1/0, a checked box's `on`).
    static func yesNo(_ cell: CellValue) -> Parsed<Bool> {
        if case .bool(let b) = cell { return .value(b) }
        let s = SheetText.halfWidth(SheetText.text(cell)).uppercased()
        switch s {
        case "": return .empty
        case "是", "Y", "YES", "TRUE", "1", "√", "ON": return .value(true)
        case "否", "N", "NO", "FALSE", "0", "×": return .value(false)
        default: return .invalid("「\(SheetText.text(cell))」应填「是」或「否」")
        }
    }

    static func integer(_ cell: CellValue, _ range: ClosedRange<Int>) -> Parsed<Int> {
        let s = SheetText.halfWidth(SheetText.text(cell))
        if s.isEmpty { return .empty }
        let n: Int?
        if let d = cell.numberValue ?? Double(s), d == d.rounded(), abs(d) < 1e9 { n = Int(d) } else { n = nil }
        guard let n, range.contains(n) else {
            return .invalid("「\(s)」应为 \(range.lowerBound)–\(range.upperBound) 的整数")
        }
        return .value(n)
    }
}

extension SheetCell {
    /// A date field of a form that is not a sheet column (e.g. 结束日期); a problem reads `「结束日期」：原因`.
    static func formDate(_ raw: String?, label: String, problems: inout [String]) -> String? {
        switch date(.text(raw ?? "")) {
        case .empty: return nil
        case .value(let v): return v
        case .invalid(let why): problems.append(SheetProblem(row: 0, column: label, message: why).description); return nil
        }
    }
}
