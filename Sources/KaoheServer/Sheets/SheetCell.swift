import AssessmentCore
import OfficeDocuments

/// Cell parsers: each returns the value or a Chinese reason. The same parsers read form fields (as text cells).
enum SheetCell {
    enum Parsed<T> { case empty, value(T), invalid(String) }

    /// Dates: date cells; `2022-03-05`, `2022/3/5`, `2022.3.5`, `20220305`, `2022年3月5日`, Excel serial numbers.
    static func date(_ cell: CellValue, monthAllowed: Bool = false) -> Parsed<String> {
        switch cell {
        case .empty: return .empty
        case .date(let y, let m, let d):
            return valid(y, m, d).map { .value($0) } ?? .invalid("日期无效")
        case .number(let n):
            if n == n.rounded(), n >= 1_000_0101, n <= 9999_1231 { return date(.text(String(Int(n))), monthAllowed: monthAllowed) }
            if monthAllowed, n == n.rounded(), n >= 1900_01, n <= 2200_12 { return date(.text(String(Int(n))), monthAllowed: true) }
            if monthAllowed, n >= 1900, n < 2201, n != n.rounded() {
                // 1978.05 typed into a General cell is the number 1978.05; 1978.10 became 1978.1, as did 1978.1.
                let year = Int(n), month = Int(((n - Double(year)) * 100).rounded())
                if month == 10 {
                    return .invalid("「\(cell.textValue)」是数字，分不清 1 月还是 10 月：请把单元格设为文本，写 \(year).01 或 \(year).10")
                }
                if (1...12).contains(month), abs(n - (Double(year) + Double(month) / 100)) < 1e-9 {
                    return .value(String(year) + (month < 10 ? "-0" : "-") + String(month))
                }
            }
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
            let example = monthAllowed ? "2022-03-05 或 1978.05" : "2022-03-05"
            guard let n = dateNumbers(raw) else { return .invalid("「\(raw)」不是日期，应写作 \(example)") }
            if let d = n.day { return valid(n.year, n.month, d).map { .value($0) } ?? .invalid("「\(raw)」不是有效日期") }
            guard monthAllowed else { return .invalid("「\(raw)」不是日期，应写作 2022-03-05（须有日）") }
            guard (1900...2200).contains(n.year), (1...12).contains(n.month) else { return .invalid("「\(raw)」不是有效年月") }
            return .value(String(n.year) + (n.month < 10 ? "-0" : "-") + String(n.month))
        }
    }

    /// The numbers of a date as people write it: 2022-03-05, 2022/3/5, 2022.3.5, 20220305, 2022年3月5日 (a time after
    /// a space or `T` is ignored), or a year and month: 1978.05, 1978-5, 1978年5月, 197805. Nil for anything else.
    /// Read byte by byte: a 100,000-row roster has several dates per row.
    static func dateNumbers(_ s: String) -> (year: Int, month: Int, day: Int?)? {
        var groups: [(value: Int, digits: Int)] = []
        var value = 0, digits = 0
        /// The separator just read (0 after a digit): only 月 or 日 may end a date.
        var lastSeparator: UInt32 = 0
        var scalars = s.unicodeScalars.makeIterator()
        func close() -> Bool {
            guard digits > 0 else { return false }
            groups.append((value, digits)); value = 0; digits = 0
            return groups.count <= 3
        }
        while let u = scalars.next() {
            switch u.value {
            case 0x30...0x39:
                guard digits < 8, lastSeparator != 0x65E5 else { return nil }
                value = value * 10 + Int(u.value - 0x30); digits += 1; lastSeparator = 0
            case 0x2D, 0x2F, 0x2E, 0x5E74, 0x6708, 0x65E5:  // - / . 年 月 日
                guard lastSeparator == 0, close() else { return nil }
                lastSeparator = u.value
            case 0x20, 0x54:  // a time follows: the date ends here
                if digits > 0 { guard close() else { return nil } }
                guard lastSeparator == 0 || lastSeparator == 0x6708 || lastSeparator == 0x65E5, !groups.isEmpty else { return nil }
                while scalars.next() != nil {}
                return shape(groups)
            default:
                return nil
            }
        }
        if digits > 0 { guard close() else { return nil } }
        // A trailing separator only after 年…月 (「1978年5月」) or 日.
        guard lastSeparator == 0 || lastSeparator == 0x6708 || lastSeparator == 0x65E5 else { return nil }
        return shape(groups)
    }

    private static func shape(_ groups: [(value: Int, digits: Int)]) -> (year: Int, month: Int, day: Int?)? {
        switch groups.count {
        case 1 where groups[0].digits == 8:
            let v = groups[0].value
            return (v / 10_000, v / 100 % 100, v % 100)
        case 1 where groups[0].digits == 6:
            let v = groups[0].value
            return (v / 100, v % 100, nil)
        case 2 where groups[0].digits == 4 && (1...2).contains(groups[1].digits):
            return (groups[0].value, groups[1].value, nil)
        case 3 where groups[0].digits == 4 && (1...2).contains(groups[1].digits) && (1...2).contains(groups[2].digits):
            return (groups[0].value, groups[1].value, groups[2].value)
        default:
            return nil
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

extension SheetCell.Parsed: Equatable where T: Equatable {}
