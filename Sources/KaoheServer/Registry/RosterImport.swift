import AssessmentCore
import Foundation
import OfficeDocuments

// The pure part of the roster (花名册) import: header mapping, cell parsing, row validation.
// Nothing here touches the database; `RosterCommit` (RosterCommit.swift) does, in one transaction.

/// One problem of an uploaded roster, reported as `第 N 行「列名」：原因` with N the spreadsheet row number.
struct RosterProblem: Equatable, Sendable, CustomStringConvertible {
    /// Spreadsheet row number (1-based, as Excel/WPS show it); 0 for problems of the whole file.
    var row: Int
    var column: String
    var message: String
    /// The sheet, when it is not the 干部 sheet (e.g. 「单位」).
    var sheet: String?

    init(row: Int, column: String, message: String, sheet: String? = nil) {
        self.row = row; self.column = column; self.message = message; self.sheet = sheet
    }

    var description: String {
        let prefix = sheet.map { "「\($0)」工作表" } ?? ""
        if row == 0 { return "\(prefix)「\(column)」：\(message)" }
        return "\(prefix)第 \(row) 行「\(column)」：\(message)"
    }
}

/// The columns of the 干部 sheet, by their Chinese header.
enum RosterColumn: String, CaseIterable, Sendable {
    case code = "干部编号"
    case name = "姓名"
    case gender = "性别"
    case birthDate = "出生日期"
    case politicalStatus = "政治面貌"
    case education = "学历"
    case rank = "职级"
    case unitCode = "单位编码"
    case unitName = "单位名称"
    case title = "职务"
    case principal = "主要负责人"
    case mainDuty = "职责"
    case startDate = "任职日期"
    case retiredOn = "退休日期"
    case underInvestigation = "立案审查"
    case villageTeam = "驻村工作队"
    case awaitingAssignment = "免职待安排"
    case year = "年度"
    case leaveDays = "请假天数"
    case secondmentLevel = "挂职层级"
    case secondmentHost = "挂职单位编码"
    case secondmentMonths = "挂职月数"

    static let required: [RosterColumn] = [.code, .name, .gender, .unitCode, .title]

    /// The header written in the template (with the allowed values where there are few).
    var templateHeader: String {
        switch self {
        case .principal: "主要负责人(是/否)"
        case .mainDuty: "职责(主职/兼职)"
        case .underInvestigation: "立案审查(是/否)"
        case .villageTeam: "驻村工作队(是/否)"
        case .awaitingAssignment: "免职待安排(是/否)"
        case .secondmentLevel: "挂职层级(中央/省/市/县)"
        default: rawValue
        }
    }

    /// What the 说明 sheet says about the column.
    var explanation: String {
        switch self {
        case .code: "必填。干部的唯一编号，重新导入时按此编号更新，不会重复新增。"
        case .name: "必填。"
        case .gender: "必填。男 或 女。"
        case .birthDate: "日期，如 1975-03-05、1975/3/5、1975.3.5、19750305、1975年3月5日，或 Excel 日期单元格。"
        case .politicalStatus: "如 中共党员、群众、民主党派。"
        case .education: "如 大学本科、研究生。"
        case .rank: "如 正科、副科、一级主任科员。"
        case .unitCode: "必填。须为系统中已有的单位编码，或本文件「单位」工作表中的单位编码。单位管理员只能导入本单位。"
        case .unitName: "仅供核对，导入时不使用（单位名称以「单位」工作表或系统为准）。"
        case .title: "必填。现任职务，如 党委书记、局长、副镇长。"
        case .principal: "是 或 否（空白为否）。是否为本单位主要负责人（党政正职）。"
        case .mainDuty: "主职 或 兼职（空白为主职）。主职变化时，原主职自动以新的任职日期结束，历史保留。"
        case .startDate: "日期。现任职务的任职日期；空白时取导入当天。"
        case .retiredOn: "日期。已退休或预定退休日期，未退休留空。"
        case .underInvestigation: "是 或 否（空白为否）。是否被立案审查且尚未结案。"
        case .villageTeam: "是 或 否（空白为否）。是否为驻村工作队队员。"
        case .awaitingAssignment: "是 或 否（空白为否）。是否免职待安排。"
        case .year: "可选。以下年度信息所属年度，如 2025；填写了请假天数或挂职信息时必填。"
        case .leaveDays: "可选。该年度病假、事假天数（0–366 的整数）。"
        case .secondmentLevel: "可选。挂职干部的派出层级：中央、省、市 或 县。"
        case .secondmentHost: "可选。挂职所在单位（接收单位）的单位编码。"
        case .secondmentMonths: "可选。该年度在挂职单位工作的月数（0–12 的整数）。"
        }
    }
}

/// The columns of the 单位 sheet.
enum RosterUnitColumn: String, CaseIterable, Sendable {
    case code = "单位编码"
    case name = "单位名称"
    case category = "单位类别"
    case parentCode = "上级单位编码"

    var explanation: String {
        switch self {
        case .code: "必填。单位的唯一编码；已存在的单位按编码更新。"
        case .name: "必填。"
        case .category: "新单位必填。须为系统中已有的单位类别，如 乡镇街道、县直单位、企业、学校医院。"
        case .parentCode: "可选。上级单位的单位编码（系统中已有或本工作表中的）。"
        }
    }
}

enum RosterSheet {
    static let cadres = "干部"
    static let units = "单位"
    static let help = "说明"
    static let secondmentLevels = ["中央", "省", "市", "县"]
}

/// One valid row of the 干部 sheet.
struct RosterCadreRow: Sendable, Equatable {
    var row: Int
    var code: String
    var name: String
    var gender: String
    var birthDate: String?
    var politicalStatus: String
    var education: String
    var rank: String
    var unitCode: String
    var title: String
    var principal: Bool
    var mainDuty: Bool
    var startDate: String?
    var retiredOn: String?
    var underInvestigation: Bool
    var villageTeam: Bool
    var awaitingAssignment: Bool
    var yearFact: YearFact?

    struct YearFact: Sendable, Equatable {
        var year: Int
        var leaveDays: Int?
        var secondmentLevel: String?
        var secondmentHostCode: String?
        var secondmentMonths: Int?
    }
}

/// One valid row of the 单位 sheet.
struct RosterUnitRow: Sendable, Equatable {
    var row: Int
    var code: String
    var name: String
    var category: String?
    var parentCode: String?
}

/// Text normalisation shared by header matching and cell parsing.
enum RosterText {
    /// Full-width ASCII (Ａ, （, ／, ０…) → half-width; ideographic space → space; trimmed.
    static func halfWidth(_ s: String) -> String {
        // Fast path: nothing full-width and nothing to trim (most cells of a roster).
        if !s.unicodeScalars.contains(where: { $0.value == 0x3000 || (0xFF01...0xFF5E).contains($0.value) }) {
            return trim(s)
        }
        var out = String.UnicodeScalarView()
        for u in s.unicodeScalars {
            if u.value == 0x3000 { out.append(" ") }
            else if (0xFF01...0xFF5E).contains(u.value), let h = Unicode.Scalar(u.value - 0xFEE0) { out.append(h) }
            else { out.append(u) }
        }
        return trim(String(out))
    }

    /// A header cell reduced to its name: half-width, no spaces, no `(…)` hint, no required-mark `*`.
    static func headerKey(_ s: String) -> String {
        var t = halfWidth(s)
        if let open = t.firstIndex(of: "(") { t = String(t[..<open]) }
        t.removeAll { $0 == "*" || $0.isWhitespace }
        return t
    }

    /// A cell as trimmed text; integral numbers without fraction.
    static func text(_ cell: CellValue) -> String {
        switch cell {
        case .text(let s): return halfWidthTrim(s)
        default: return cell.textValue
        }
    }

    /// Trims (also ideographic spaces) but keeps full-width characters of names.
    static func halfWidthTrim(_ s: String) -> String { trim(s) }

    /// Trims whitespace, newlines, ideographic spaces and BOMs; returns `s` itself when there is nothing to trim.
    static func trim(_ s: String) -> String {
        guard let first = s.unicodeScalars.first, let last = s.unicodeScalars.last else { return s }
        if !isSpace(first) && !isSpace(last) { return s }
        let scalars = s.unicodeScalars
        guard let start = scalars.firstIndex(where: { !isSpace($0) }) else { return "" }
        let end = scalars.lastIndex(where: { !isSpace($0) })!
        return String(scalars[start...end])
    }

    private static func isSpace(_ u: Unicode.Scalar) -> Bool {
        u.properties.isWhitespace || u.value == 0xFEFF || u.value == 0x3000
    }
}

/// Cell parsers: each returns the value or a Chinese reason.
enum RosterCell {
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
            let raw = RosterText.halfWidth(RosterText.text(cell))
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

    /// 是/否 (also TRUE/FALSE cells, Y/N, 1/0).
    static func yesNo(_ cell: CellValue) -> Parsed<Bool> {
        if case .bool(let b) = cell { return .value(b) }
        let s = RosterText.halfWidth(RosterText.text(cell)).uppercased()
        switch s {
        case "": return .empty
        case "是", "Y", "YES", "TRUE", "1", "√": return .value(true)
        case "否", "N", "NO", "FALSE", "0", "×": return .value(false)
        default: return .invalid("「\(RosterText.text(cell))」应填「是」或「否」")
        }
    }

    static func integer(_ cell: CellValue, _ range: ClosedRange<Int>) -> Parsed<Int> {
        let s = RosterText.halfWidth(RosterText.text(cell))
        if s.isEmpty { return .empty }
        let n: Int?
        if let d = cell.numberValue ?? Double(s), d == d.rounded(), abs(d) < 1e9 { n = Int(d) } else { n = nil }
        guard let n, range.contains(n) else {
            return .invalid("「\(s)」应为 \(range.lowerBound)–\(range.upperBound) 的整数")
        }
        return .value(n)
    }
}

/// Maps a header row to column positions by header name, in any column order.
struct RosterHeader<Column: RawRepresentable & CaseIterable & Hashable & Sendable>: Sendable where Column.RawValue == String {
    var positions: [Column: Int] = [:]
    var problems: [RosterProblem] = []

    init(_ cells: [CellValue], row: Int, required: [Column], sheet: String?) {
        var seen: [String: Int] = [:]
        for (i, cell) in cells.enumerated() {
            let key = RosterText.headerKey(cell.textValue)
            guard let column = Column.allCases.first(where: { $0.rawValue == key }) else { continue }
            if let first = seen[key] {
                problems.append(RosterProblem(row: row, column: column.rawValue,
                                              message: "列名重复（第 \(first + 1) 列和第 \(i + 1) 列）", sheet: sheet))
                continue
            }
            seen[key] = i
            positions[column] = i
        }
        for column in required where positions[column] == nil {
            problems.append(RosterProblem(row: row, column: column.rawValue, message: "缺少必需的列（表头应有「\(column.rawValue)」）", sheet: sheet))
        }
    }

    func cell(_ column: Column, in cells: [CellValue]) -> CellValue {
        guard let i = positions[column], i < cells.count else { return .empty }
        return cells[i]
    }
}

/// Validates rows one at a time (so that a 100,000-row sheet is streamed, not held twice), then checks
/// what spans rows: duplicate 干部编号, unit codes, the importer's scope.
struct RosterValidator: Sendable {
    private(set) var problems: [RosterProblem] = []
    private(set) var cadres: [RosterCadreRow] = []
    private(set) var units: [RosterUnitRow] = []
    private var header: RosterHeader<RosterColumn>?
    private var unitHeader: RosterHeader<RosterUnitColumn>?
    /// The unit references of every data row, valid or not, so that they are checked too (every problem is reported).
    private var references: [Reference] = []
    private struct Reference: Sendable { var row: Int; var code: String; var unitCode: String; var hostCode: String }
    private var firstRowOfCode: [String: Int] = [:]
    private var firstRowOfUnitCode: [String: Int] = [:]
    /// Stop collecting after this many problems: a wholly wrong file must not produce a million lines.
    static let maxProblems = 1000

    /// The 干部编号 of every data row (valid or not), for the database look-ups of the cross-row checks.
    var referencedCadreCodes: [String] { references.map(\.code).filter { !$0.isEmpty } }

    /// The template's example rows (干部编号/单位编码 starting with 示例) are skipped.
    static func isExample(_ code: String) -> Bool { code.hasPrefix("示例") }

    var tooManyProblems: Bool { problems.count >= Self.maxProblems }

    private mutating func add(_ p: RosterProblem) {
        if problems.count < Self.maxProblems { problems.append(p) }
    }

    // MARK: 干部 sheet

    /// Feeds one row of the 干部 sheet. The first non-empty row is the header.
    mutating func cadreRow(_ number: Int, _ cells: [CellValue]) {
        if cells.allSatisfy(\.isEmpty) { return }
        guard let header else {
            let h = RosterHeader<RosterColumn>(cells, row: number, required: RosterColumn.required, sheet: nil)
            h.problems.forEach { add($0) }
            self.header = h
            return
        }
        if !header.problems.isEmpty { return }  // columns missing: rows cannot be read meaningfully
        if Self.isExample(RosterText.text(header.cell(.code, in: cells))) { return }
        let before = problems.count
        func text(_ c: RosterColumn) -> String { RosterText.text(header.cell(c, in: cells)) }
        func problem(_ c: RosterColumn, _ message: String) { add(RosterProblem(row: number, column: c.rawValue, message: message)) }
        func required(_ c: RosterColumn) -> String {
            let s = text(c)
            if s.isEmpty { problem(c, "必填，不能为空") }
            return s
        }
        func date(_ c: RosterColumn) -> String? {
            switch RosterCell.date(header.cell(c, in: cells)) {
            case .empty: return nil
            case .value(let v): return v
            case .invalid(let why): problem(c, why); return nil
            }
        }
        func yesNo(_ c: RosterColumn) -> Bool {
            switch RosterCell.yesNo(header.cell(c, in: cells)) {
            case .empty: return false
            case .value(let v): return v
            case .invalid(let why): problem(c, why); return false
            }
        }
        func integer(_ c: RosterColumn, _ range: ClosedRange<Int>) -> Int? {
            switch RosterCell.integer(header.cell(c, in: cells), range) {
            case .empty: return nil
            case .value(let v): return v
            case .invalid(let why): problem(c, why); return nil
            }
        }

        let code = required(.code)
        let name = required(.name)
        var gender = required(.gender)
        if !gender.isEmpty {
            switch gender {
            case "男", "男性": gender = "男"
            case "女", "女性": gender = "女"
            default: problem(.gender, "「\(gender)」应填「男」或「女」")
            }
        }
        let unitCode = required(.unitCode)
        let title = required(.title)
        if code.count > 64 { problem(.code, "最长 64 个字符") }
        if name.count > 64 { problem(.name, "最长 64 个字符") }
        let birthDate = date(.birthDate)
        let startDate = date(.startDate)
        let retiredOn = date(.retiredOn)
        let principal = yesNo(.principal)
        var mainDuty = true
        switch RosterText.halfWidth(text(.mainDuty)) {
        case "", "主职", "主要职务", "主": mainDuty = true
        case "兼职", "兼任", "兼": mainDuty = false
        case let other: problem(.mainDuty, "「\(other)」应填「主职」或「兼职」")
        }
        let investigation = yesNo(.underInvestigation)
        let village = yesNo(.villageTeam)
        let awaiting = yesNo(.awaitingAssignment)

        var fact: RosterCadreRow.YearFact?
        let year = integer(.year, 1990...2100)
        let leave = integer(.leaveDays, 0...366)
        var level: String? = RosterText.halfWidth(text(.secondmentLevel))
        if level == "" { level = nil }
        if let l = level {
            let normalised = l.hasSuffix("级") ? String(l.dropLast()) : l
            if RosterSheet.secondmentLevels.contains(normalised) { level = normalised } else {
                problem(.secondmentLevel, "「\(l)」应为 中央、省、市 或 县")
            }
        }
        let host = text(.secondmentHost)
        let months = integer(.secondmentMonths, 0...12)
        let anyYearly = leave != nil || level != nil || !host.isEmpty || months != nil
        if anyYearly && year == nil && text(.year).isEmpty { problem(.year, "填写了请假天数或挂职信息时必填") }
        if let year {
            if (level == nil) != host.isEmpty, problems.count == before {
                problem(level == nil ? .secondmentLevel : .secondmentHost, "挂职层级和挂职单位编码须同时填写")
            }
            if months != nil && level == nil && host.isEmpty { problem(.secondmentMonths, "填写挂职月数时须填写挂职层级和挂职单位编码") }
            fact = .init(year: year, leaveDays: leave, secondmentLevel: level, secondmentHostCode: host.isEmpty ? nil : host,
                         secondmentMonths: months)
        }

        if !code.isEmpty {
            if let first = firstRowOfCode[code] {
                problem(.code, "干部编号「\(code)」与第 \(first) 行重复")
            } else {
                firstRowOfCode[code] = number
            }
        }
        references.append(Reference(row: number, code: code, unitCode: unitCode, hostCode: host))
        guard problems.count == before else { return }
        cadres.append(RosterCadreRow(
            row: number, code: code, name: name, gender: gender, birthDate: birthDate,
            politicalStatus: text(.politicalStatus), education: text(.education), rank: text(.rank),
            unitCode: unitCode, title: title, principal: principal, mainDuty: mainDuty, startDate: startDate,
            retiredOn: retiredOn, underInvestigation: investigation, villageTeam: village, awaitingAssignment: awaiting,
            yearFact: fact))
    }

    /// Call after the last row of the 干部 sheet.
    mutating func finishCadres() {
        if header == nil {
            add(RosterProblem(row: 0, column: RosterSheet.cadres, message: "文件中没有表头和数据（第一行应为表头：干部编号、姓名、性别……）"))
        }
    }

    // MARK: 单位 sheet

    mutating func unitRow(_ number: Int, _ cells: [CellValue]) {
        if cells.allSatisfy(\.isEmpty) { return }
        let sheet = RosterSheet.units
        guard let unitHeader else {
            let h = RosterHeader<RosterUnitColumn>(cells, row: number, required: [.code, .name], sheet: sheet)
            h.problems.forEach { add($0) }
            self.unitHeader = h
            return
        }
        if !unitHeader.problems.isEmpty { return }
        if Self.isExample(RosterText.text(unitHeader.cell(.code, in: cells))) { return }
        let before = problems.count
        func text(_ c: RosterUnitColumn) -> String { RosterText.text(unitHeader.cell(c, in: cells)) }
        let code = text(.code), name = text(.name)
        if code.isEmpty { add(RosterProblem(row: number, column: RosterUnitColumn.code.rawValue, message: "必填，不能为空", sheet: sheet)) }
        if name.isEmpty { add(RosterProblem(row: number, column: RosterUnitColumn.name.rawValue, message: "必填，不能为空", sheet: sheet)) }
        if !code.isEmpty {
            if let first = firstRowOfUnitCode[code] {
                add(RosterProblem(row: number, column: RosterUnitColumn.code.rawValue, message: "单位编码「\(code)」与第 \(first) 行重复", sheet: sheet))
            } else {
                firstRowOfUnitCode[code] = number
            }
        }
        let parent = text(.parentCode)
        if !parent.isEmpty && parent == code {
            add(RosterProblem(row: number, column: RosterUnitColumn.parentCode.rawValue, message: "上级单位不能是本单位", sheet: sheet))
        }
        guard problems.count == before else { return }
        let category = text(.category)
        units.append(RosterUnitRow(row: number, code: code, name: name, category: category.isEmpty ? nil : category,
                                   parentCode: parent.isEmpty ? nil : parent))
    }

    // MARK: Cross-row checks

    /// What the database knows, and what the importing account may do.
    struct Context: Sendable {
        /// Unit codes in the database.
        var existingUnitCodes: Set<String>
        /// Unit category names in the database.
        var categories: Set<String>
        /// `nil`: every unit; otherwise the unit codes this account may import cadres into.
        var allowedUnitCodes: Set<String>?
        /// Whether the account may create/update units (the 单位 sheet).
        var mayImportUnits: Bool
        /// For existing cadres (by 干部编号): the unit codes of their open posts (scope check of re-imports).
        var currentUnitCodesOfCadre: [String: Set<String>]
    }

    /// Checks references: unit codes (DB or 单位 sheet), categories, parent units, scope.
    mutating func checkReferences(_ context: Context) {
        let fileUnitCodes = Set(units.map(\.code))
        let known = context.existingUnitCodes.union(fileUnitCodes)
        let sheet = RosterSheet.units
        if !units.isEmpty && !context.mayImportUnits {
            add(RosterProblem(row: units[0].row, column: RosterUnitColumn.code.rawValue,
                              message: "您的账号不能导入单位（单位只能由组织部或系统管理员维护），请删除「单位」工作表中的行", sheet: sheet))
        }
        for u in units where context.mayImportUnits {
            if let c = u.category {
                if !context.categories.contains(c) {
                    add(RosterProblem(row: u.row, column: RosterUnitColumn.category.rawValue,
                                      message: "未知的单位类别「\(c)」（可选：\(context.categories.sorted().joined(separator: "、"))）", sheet: sheet))
                }
            } else if !context.existingUnitCodes.contains(u.code) {
                add(RosterProblem(row: u.row, column: RosterUnitColumn.category.rawValue, message: "新单位必须填写单位类别", sheet: sheet))
            }
            if let p = u.parentCode, !known.contains(p) {
                add(RosterProblem(row: u.row, column: RosterUnitColumn.parentCode.rawValue,
                                  message: "上级单位编码「\(p)」不存在（系统中和「单位」工作表中都没有）", sheet: sheet))
            }
        }
        for c in references {
            if c.unitCode.isEmpty {
                // reported as a missing required field
            } else if !known.contains(c.unitCode) {
                add(RosterProblem(row: c.row, column: RosterColumn.unitCode.rawValue,
                                  message: "单位编码「\(c.unitCode)」不存在（系统中和「单位」工作表中都没有）"))
            } else if let allowed = context.allowedUnitCodes, !allowed.contains(c.unitCode) {
                add(RosterProblem(row: c.row, column: RosterColumn.unitCode.rawValue,
                                  message: "您只能导入本单位的干部，不能导入单位「\(c.unitCode)」的干部"))
            }
            if !c.code.isEmpty, let allowed = context.allowedUnitCodes, let current = context.currentUnitCodesOfCadre[c.code],
               !current.isEmpty, current.isDisjoint(with: allowed) {
                add(RosterProblem(row: c.row, column: RosterColumn.code.rawValue,
                                  message: "干部编号「\(c.code)」是其他单位的干部，您无权修改"))
            }
            if !c.hostCode.isEmpty, !known.contains(c.hostCode) {
                add(RosterProblem(row: c.row, column: RosterColumn.secondmentHost.rawValue,
                                  message: "单位编码「\(c.hostCode)」不存在（系统中和「单位」工作表中都没有）"))
            }
        }
        // By sheet, row, then column in template order.
        func order(_ p: RosterProblem) -> Int {
            RosterColumn.allCases.firstIndex { $0.rawValue == p.column }
                ?? RosterUnitColumn.allCases.firstIndex { $0.rawValue == p.column } ?? 0
        }
        problems.sort { ($0.sheet ?? "", $0.row, order($0)) < ($1.sheet ?? "", $1.row, order($1)) }
    }
}
