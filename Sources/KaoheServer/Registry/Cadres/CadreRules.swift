import Foundation
import OfficeDocuments

/// The rules of a cadre's fields, in one pure place for the cadre form and the roster import, so both say the
/// same thing (`「列名」：原因`, with `第 N 行` in a file). Database checks — a unique 干部编号, units that exist
/// and are in the account's scope — are the callers'. Each function reads its columns from the row, records the
/// problems in it and returns what it read; a caller uses the result only when the row has no problems.
enum CadreRules {
    static let maxCodeLength = 64
    static let maxNameLength = 64
    static let maxTitleLength = 100
    /// 挂职层级 (R-E5): the level that sent a seconded cadre.
    static let secondmentLevels = ["中央", "省", "市", "县"]
    static let years = 1990...2100
    static let leaveDays = 0...366
    static let secondmentMonths = 0...12

    /// What a cell says to clear a stored value (a blank cell keeps it).
    static let clearMarker = "（清空）"

    /// Personal data and standing status facts as a form gives them: every field (blank is empty); 姓名 and 性别
    /// required.
    static func personal(_ row: inout SheetRow<RosterColumn>) -> CadreFields {
        let patch = personalPatch(&row)
        for column in patch.missingForNew where row.text(column).isEmpty { row.problem(column, "必填，不能为空") }
        return patch.applied(to: nil)
    }

    /// Personal data and standing status facts as a roster row gives them: a blank cell is "not given" (the stored
    /// value stays), 「（清空）」 clears a value. 干部编号 is always required; 姓名 and 性别 only for a new cadre
    /// (`CadrePatch.missingForNew`, checked where it is known whether the cadre exists).
    static func personalPatch(_ row: inout SheetRow<RosterColumn>) -> CadrePatch {
        let code = row.required(.code)
        if code.count > maxCodeLength { row.problem(.code, "最长 \(maxCodeLength) 个字符") }
        func edit(_ column: RosterColumn, clearable: Bool = true, _ read: (inout SheetRow<RosterColumn>) -> String?) -> CadrePatch.Edit<String> {
            let raw = row.text(column)
            if raw.isEmpty { return .keep }
            if SheetText.halfWidth(raw) == SheetText.halfWidth(clearMarker) {
                if clearable { return .clear }
                row.problem(column, "不能清空")
                return .keep
            }
            return read(&row).map { .set($0) } ?? .keep
        }
        func flag(_ column: RosterColumn) -> CadrePatch.Edit<Bool> {
            if row.text(column).isEmpty { return .keep }
            if SheetText.halfWidth(row.text(column)) == SheetText.halfWidth(clearMarker) { return .set(false) }
            return .set(row.yesNo(column))
        }
        let name = edit(.name, clearable: false) { row in
            let v = SheetText.personName(row.text(.name))
            if v.count > maxNameLength { row.problem(.name, "最长 \(maxNameLength) 个字符") }
            return v
        }
        let gender = edit(.gender, clearable: false) { row in
            let v = row.choice(.gender, ["男": "男", "男性": "男", "女": "女", "女性": "女"], blank: "") { "「\($0)」应填「男」或「女」" }
            return v.isEmpty ? nil : v
        }
        let birthDate = edit(.birthDate) { $0.date(.birthDate, monthAllowed: true) }
        let record = CadreFields.recordFields.map { f -> CadrePatch.Edit<String> in
            switch f.kind {
            case .text:
                return edit(f.column) { row in
                    let v = row.text(f.column)
                    if v.count > 64 { row.problem(f.column, "最长 64 个字符"); return nil }
                    return v
                }
            case .monthDate:
                return edit(f.column) { $0.date(f.column, monthAllowed: true) }
            case .idNumber:
                return edit(f.column) { row in
                    switch IDNumber.validate(row.text(f.column)) {
                    case .failure(let p): row.problem(f.column, p.message); return nil
                    case .success(let n):
                        // The birth date it carries must agree with 出生日期 when the row gives one.
                        if case .set(let b) = birthDate, let born = IDNumber.birthDate(of: n), !born.hasPrefix(b) {
                            row.problem(f.column, "号码中的出生日期 \(born) 与「出生日期」\(b) 不一致")
                        }
                        return n
                    }
                }
            }
        }
        return CadrePatch(
            code: code, name: name, gender: gender, birthDate: birthDate,
            politicalStatus: edit(.politicalStatus) { $0.text(.politicalStatus) }, education: edit(.education) { $0.text(.education) },
            rank: edit(.rank) { $0.text(.rank) }, retiredOn: edit(.retiredOn) { $0.date(.retiredOn) },
            underInvestigation: flag(.underInvestigation), villageTeam: flag(.villageTeam), awaitingAssignment: flag(.awaitingAssignment),
            record: record)
    }

    /// A post as entered: 职务 (required), 职务排序号 (blank: the title's default rank, or the stored number),
    /// 主要负责人, 职责 (主职/兼职, blank 主职), 任职日期 (blank: the caller's today).
    struct PostEntry: Sendable, Equatable {
        var title: String
        var principal: Bool
        /// Whether 主要负责人 was filled in (a blank keeps a stored post's flag; a new post is then 否).
        var principalGiven = true
        var mainDuty: Bool
        var startDate: String?
        var orderNumber: Int? = nil
    }

    static func post(_ row: inout SheetRow<RosterColumn>) -> PostEntry {
        let title = SheetText.personName(row.required(.title))  // 「纪委 书记」 → 纪委书记, as names
        if title.count > maxTitleLength { row.problem(.title, "最长 \(maxTitleLength) 个字符") }
        let principal = row.yesNo(.principal)
        let principalGiven = !row.text(.principal).isEmpty
        let mainDuty = row.choice(.mainDuty, ["主职": true, "主要职务": true, "主": true, "兼职": false, "兼任": false, "兼": false],
                                  blank: true) { "「\($0)」应填「主职」或「兼职」" }
        return PostEntry(title: title, principal: principal, principalGiven: principalGiven, mainDuty: mainDuty,
                         startDate: row.date(.startDate), orderNumber: row.integer(.orderNumber, PostOrder.numbers))
    }

    /// One year's facts as entered (R-E3 leave, R-E4/R-E5 secondment); the host unit is resolved by the caller.
    struct YearFactEntry: Sendable, Equatable {
        var year: Int
        var leaveDays: Int?
        var secondmentLevel: String?
        var secondmentMonths: Int?
        /// 挂职层级 「（清空）」: the year's secondment is removed.
        var clearSecondment = false

        /// The year's facts after this row, on what is stored (an import): blank cells keep the stored values.
        func applied(to old: YearFactFields?, cadreID: UUID, hostID: UUID?) -> YearFactFields {
            var f = old ?? YearFactFields(cadreID: cadreID, year: year, leaveDays: 0)
            if let leaveDays { f.leaveDays = leaveDays }
            if clearSecondment {
                f.secondmentLevel = nil; f.secondmentHostUnitID = nil; f.secondmentMonths = nil
            } else if let secondmentLevel {
                let same = old?.secondmentLevel == secondmentLevel && old?.secondmentHostUnitID == hostID
                f.secondmentMonths = secondmentMonths ?? (same ? old?.secondmentMonths : nil)
                f.secondmentLevel = secondmentLevel; f.secondmentHostUnitID = hostID
            }
            return f
        }
    }

    /// 年度, 请假天数, 挂职层级, 挂职月数, and whether a host unit (挂职单位编码) was given. Nil when no year was
    /// given (then nothing else may be, unless `yearRequired` says the year must be there anyway).
    static func yearFact(_ row: inout SheetRow<RosterColumn>, hostGiven: Bool, yearRequired: Bool = false) -> YearFactEntry? {
        let before = row.problems.count
        let year = row.integer(.year, years)
        let leave = row.integer(.leaveDays, leaveDays)
        var level: String?
        let rawLevel = SheetText.halfWidth(row.text(.secondmentLevel))
        let clear = rawLevel == SheetText.halfWidth(clearMarker)
        if clear {
            if hostGiven { row.problem(.secondmentHost, "清空挂职时不填挂职单位") }
        } else if !rawLevel.isEmpty {
            let normalised = rawLevel.hasSuffix("级") ? String(rawLevel.dropLast()) : rawLevel
            if secondmentLevels.contains(normalised) { level = normalised } else {
                row.problem(.secondmentLevel, "「\(rawLevel)」应为 中央、省、市 或 县")
            }
        }
        let months = row.integer(.secondmentMonths, secondmentMonths)
        let anyYearly = leave != nil || !rawLevel.isEmpty || hostGiven || months != nil
        guard let year else {
            if (anyYearly || yearRequired) && row.text(.year).isEmpty {
                row.problem(.year, yearRequired ? "必填，不能为空" : "填写了请假天数或挂职信息时必填")
            }
            return nil
        }
        if !clear, (level == nil) != !hostGiven, row.problems.count == before {
            row.problem(level == nil ? .secondmentLevel : .secondmentHost, "挂职层级和挂职单位须同时填写")
        }
        if months != nil && level == nil && !hostGiven { row.problem(.secondmentMonths, "填写挂职月数时须填写挂职层级和挂职单位") }
        if clear && months != nil { row.problem(.secondmentMonths, "清空挂职时不填挂职月数") }
        return YearFactEntry(year: year, leaveDays: leave, secondmentLevel: level, secondmentMonths: months, clearSecondment: clear)
    }
}
