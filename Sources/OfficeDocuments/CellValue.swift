import Foundation

/// One spreadsheet cell as read from or written to an .xlsx sheet.
public enum CellValue: Sendable, Equatable, Hashable {
    case empty
    case text(String)
    case number(Double)
    case bool(Bool)
    /// A calendar date (time of day, if any, is dropped).
    case date(year: Int, month: Int, day: Int)

    /// The cell as display text, trimmed of surrounding whitespace:
    /// integral numbers without a fraction (`12.0` → `"12"`), dates as `yyyy-MM-dd`,
    /// booleans as `TRUE`/`FALSE`, empty as `""`.
    public var textValue: String {
        switch self {
        case .empty:
            return ""
        case .text(let s):
            return s.trimmingCharacters(in: .whitespacesAndNewlines)
        case .number(let d):
            return CellValue.display(number: d)
        case .bool(let b):
            return b ? "TRUE" : "FALSE"
        case .date(let y, let m, let d):
            return CellValue.format(year: y, month: m, day: d)
        }
    }

    /// `true` for `.empty` and for text that is empty or only whitespace.
    public var isEmpty: Bool {
        switch self {
        case .empty: return true
        case .text(let s): return s.allSatisfy { $0.isWhitespace }
        default: return false
        }
    }

    /// The numeric value of a `.number`, or of `.text` that parses as a number.
    public var numberValue: Double? {
        switch self {
        case .number(let d): return d
        case .text(let s): return Double(s.trimmingCharacters(in: .whitespacesAndNewlines))
        default: return nil
        }
    }

    /// Shortest round-trippable text of a number; integral values without a fraction.
    static func format(number d: Double) -> String {
        if d.isNaN { return "NaN" }
        if d.isInfinite { return d < 0 ? "-Infinity" : "Infinity" }
        if d == d.rounded(), abs(d) < 1e15 {
            return String(Int64(d))
        }
        return "\(d)"
    }

    /// Like Excel's General format: at most 15 significant digits, so `0.1 + 0.2` shows as `0.3`.
    static func display(number d: Double) -> String {
        if !d.isFinite || (d == d.rounded() && abs(d) < 1e15) { return format(number: d) }
        var s = String(format: "%.15g", d)
        if s.contains("e") {
            return s
        }
        if s.contains(".") {
            while s.hasSuffix("0") { s.removeLast() }
            if s.hasSuffix(".") { s.removeLast() }
        }
        return s
    }

    /// `yyyy-MM-dd`.
    static func format(year: Int, month: Int, day: Int) -> String {
        func pad(_ v: Int, _ width: Int) -> String {
            let s = String(abs(v))
            let padded = s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
            return v < 0 ? "-" + padded : padded
        }
        return "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))"
    }
}

extension CellValue: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByFloatLiteral,
    ExpressibleByBooleanLiteral
{
    public init(stringLiteral value: String) { self = .text(value) }
    public init(integerLiteral value: Int) { self = .number(Double(value)) }
    public init(floatLiteral value: Double) { self = .number(value) }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
}

extension CellValue: CustomStringConvertible {
    public var description: String { textValue }
}

// MARK: - Excel serial dates

enum ExcelDate {
    /// Days from 1970-01-01 to the civil date (proleptic Gregorian). Howard Hinnant's algorithm.
    static func daysFromCivil(_ y0: Int, _ m: Int, _ d: Int) -> Int {
        let y = m <= 2 ? y0 - 1 : y0
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (m + 9) % 12
        let doy = (153 * mp + 2) / 5 + d - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146097 + doe - 719468
    }

    static func civilFromDays(_ z0: Int) -> (year: Int, month: Int, day: Int) {
        let z = z0 + 719468
        let era = (z >= 0 ? z : z - 146096) / 146097
        let doe = z - era * 146097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365
        let y = yoe + era * 400
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (m <= 2 ? y + 1 : y, m, d)
    }

    static let epoch1900 = daysFromCivil(1899, 12, 30)  // serial 0 for serials >= 61
    static let epoch1904 = daysFromCivil(1904, 1, 1)

    /// Converts an Excel serial number (fraction = time of day, dropped) into a date.
    static func date(fromSerial serial: Double, date1904: Bool) -> CellValue {
        guard serial.isFinite, serial > -1_000_000, serial < 10_000_000 else { return .number(serial) }
        let whole = Int(serial.rounded(.down))
        if date1904 {
            let c = civilFromDays(epoch1904 + whole)
            return .date(year: c.year, month: c.month, day: c.day)
        }
        if whole < 1 { return .date(year: 1899, month: 12, day: 31) }  // Excel shows 1900-01-00
        if whole == 60 { return .date(year: 1900, month: 2, day: 29) }  // Lotus bug day; keep as Excel shows it
        let c = civilFromDays(epoch1900 + (whole < 60 ? whole + 1 : whole))
        return .date(year: c.year, month: c.month, day: c.day)
    }

    /// The 1900-system serial number of a date.
    static func serial(year: Int, month: Int, day: Int) -> Double {
        if year == 1900, month == 2, day == 29 { return 60 }
        let days = daysFromCivil(year, month, day) - epoch1900
        return Double(days < 61 ? days - 1 : days)
    }
}
