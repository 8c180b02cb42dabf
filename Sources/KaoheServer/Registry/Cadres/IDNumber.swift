import AssessmentCore
import Foundation

/// 公民身份号码 (GB 11643-1999): 17 digits and a check character (0–9 or X). Only the organisation department
/// sees it whole; everyone else sees it masked, and it is never written to a log or to a unit's export.
enum IDNumber {
    static let weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    static let checkCharacters = Array("10X98765432")

    /// The number normalised (half-width, upper-case X), or the problem with it.
    static func validate(_ raw: String) -> Result<String, Problem> {
        let s = SheetText.halfWidth(raw).uppercased().replacingOccurrences(of: " ", with: "")
        let chars = Array(s)
        guard chars.count == 18, chars.prefix(17).allSatisfy({ $0.isASCII && $0.isNumber }),
              chars[17].isASCII && (chars[17].isNumber || chars[17] == "X") else { return .failure(.format) }
        let sum = zip(chars.prefix(17), weights).reduce(0) { $0 + Int(String($1.0))! * $1.1 }
        guard checkCharacters[sum % 11] == chars[17] else { return .failure(.checkDigit) }
        guard birthDate(of: s) != nil else { return .failure(.birthDate) }
        return .success(s)
    }

    enum Problem: Error, Equatable {
        case format, checkDigit, birthDate
        var message: String {
            switch self {
            case .format: "应为 18 位身份证号（17 位数字加校验码 0–9 或 X）"
            case .checkDigit: "校验码不正确，请核对号码"
            case .birthDate: "号码中的出生日期无效"
            }
        }
    }

    /// The birth date a valid number carries, `yyyy-MM-dd`.
    static func birthDate(of s: String) -> String? {
        let chars = Array(s)
        guard chars.count == 18, let y = Int(String(chars[6..<10])), let m = Int(String(chars[10..<12])),
              let d = Int(String(chars[12..<14])), (1900...2100).contains(y), let day = Day(year: y, month: m, day: d) else { return nil }
        return day.description
    }

    /// 「****************3X」: the last two characters only. More would give the number away: whoever sees the mask
    /// also sees 出生日期 (digits 7–14) and can guess the region (digits 1–6) from 籍贯, and the check character
    /// follows from the rest.
    static func masked(_ s: String) -> String {
        guard s.count > 2 else { return String(repeating: "*", count: s.count) }
        return String(repeating: "*", count: s.count - 2) + String(s.suffix(2))
    }
}
