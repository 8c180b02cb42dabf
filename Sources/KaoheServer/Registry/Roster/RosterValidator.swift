import Foundation
import OfficeDocuments

// The pure part of the roster (花名册) import: rows validated one at a time as the file streams by, then the
// checks that span rows. Nothing here touches the database; `RosterCommit` does, in one transaction.

/// One valid row of the 干部 sheet.
struct RosterCadreRow: Sendable, Equatable {
    var row: Int
    /// Personal fields as the row gives them (blank: keep the stored value).
    var patch: CadrePatch
    var unitCode: String
    var post: CadreRules.PostEntry
    var yearFact: CadreRules.YearFactEntry?
    var secondmentHostCode: String?

    var code: String { patch.code }
}

/// One valid row of the 单位 sheet.
struct RosterUnitRow: Sendable, Equatable {
    var row: Int
    var code: String
    var name: String
    var category: String?
    var parentCode: String?
}

/// Validates rows one at a time (so that a 100,000-row sheet is streamed, not held twice), then checks
/// what spans rows: duplicate 干部编号, unit codes, the importer's scope.
struct RosterValidator: Sendable {
    private(set) var problems: [SheetProblem] = []
    private(set) var cadres: [RosterCadreRow] = []
    private(set) var units: [RosterUnitRow] = []
    /// When the file was last saved (an .xlsx's core properties); nil for CSV. Values edited in the system after
    /// this are warned about in the preview.
    var savedAt: Date?
    private var header: SheetHeader<RosterColumn>?
    private var unitHeader: SheetHeader<RosterUnitColumn>?
    /// The unit references of every data row, valid or not, so that they are checked too (every problem is reported).
    private var references: [Reference] = []
    private struct Reference: Sendable { var row: Int; var code: String; var unitCode: String; var hostCode: String }
    /// Per 干部编号: its first row, its main-duty row, its 兼职 rows by unit and title, and its personal fields so far.
    private var firstRowOfCode: [String: Int] = [:]
    private var mainRowOfCode: [String: Int] = [:]
    private var concurrentRowOfCode: [String: [String: Int]] = [:]
    private var patchOfCode: [String: (patch: CadrePatch, rows: [RosterColumn: Int])] = [:]
    private var factRowOfCode: [String: [Int: (fact: CadreRules.YearFactEntry, host: String, row: Int)]] = [:]

    /// The personal fields of each 干部编号, merged from all its rows (a file may hold a cadre's main post and
    /// concurrent posts as separate rows; blank cells on one row are filled from another).
    var mergedPatches: [String: CadrePatch] { patchOfCode.mapValues(\.patch) }
    private var firstRowOfUnitCode: [String: Int] = [:]
    /// Stop collecting after this many problems: a wholly wrong file must not produce a million lines.
    static let maxProblems = 1000
    /// Data rows a roster may have (both sheets): a county has thousands, a province about 100,000.
    static let defaultMaxRows = 200_000
    var maxRows = RosterValidator.defaultMaxRows
    private var dataRows = 0
    private var tooManyRows = false

    /// Whether reading the file should stop: too many rows (reported once) or too many problems.
    var shouldStop: Bool { tooManyRows || tooManyProblems }

    /// Counts a data row; false (and one problem) once the file has more than `maxRows`.
    private mutating func countRow() -> Bool {
        dataRows += 1
        guard dataRows <= maxRows else {
            if !tooManyRows {
                add(SheetProblem(row: 0, column: RosterSheet.cadres,
                                 message: "文件超过 \(maxRows) 行，请拆分为几个文件分别导入"))
            }
            tooManyRows = true
            return false
        }
        return true
    }

    /// The 干部编号 of every data row (valid or not), for the database look-ups of the cross-row checks.
    var referencedCadreCodes: [String] { references.map(\.code).filter { !$0.isEmpty } }

    /// The template's example rows (干部编号/单位编码 starting with 示例) are skipped.
    static func isExample(_ code: String) -> Bool { code.hasPrefix("示例") }

    var tooManyProblems: Bool { problems.count >= Self.maxProblems }

    private mutating func add(_ p: SheetProblem) {
        if problems.count < Self.maxProblems { problems.append(p) }
    }

    // MARK: 干部 sheet

    /// Feeds one row of the 干部 sheet. The first non-empty row is the header.
    mutating func cadreRow(_ number: Int, _ cells: [CellValue]) {
        if cells.allSatisfy(\.isEmpty) { return }
        guard let header else {
            let h = SheetHeader<RosterColumn>(cells, row: number, required: RosterColumn.required, sheet: nil)
            h.problems.forEach { add($0) }
            self.header = h
            return
        }
        if !header.problems.isEmpty { return }  // columns missing: rows cannot be read meaningfully
        if Self.isExample(SheetText.text(header.cell(.code, in: cells))) { return }
        guard countRow() else { return }
        var row = SheetRow(number: number, cells: cells, header: header)
        let patch = CadreRules.personalPatch(&row)
        let unitCode = row.required(.unitCode)
        let post = CadreRules.post(&row)
        let host = row.text(.secondmentHost)
        let fact = CadreRules.yearFact(&row, hostGiven: !host.isEmpty)
        let code = patch.code
        if !code.isEmpty {
            // One cadre may have several rows: one main post and any 兼职; the rows must agree on personal fields.
            var duplicate = false
            if post.mainDuty {
                if let first = mainRowOfCode[code] {
                    row.problem(.code, "干部编号「\(code)」与第 \(first) 行重复（同一干部只能有一行主职，其他行的职责应为兼职）")
                    duplicate = true
                } else {
                    mainRowOfCode[code] = number
                }
            } else {
                let key = unitCode + "\u{1}" + post.title
                if let first = concurrentRowOfCode[code]?[key] {
                    row.problem(.code, "干部编号「\(code)」与第 \(first) 行重复（同一兼职写了两次）")
                    duplicate = true
                } else {
                    concurrentRowOfCode[code, default: [:]][key] = number
                }
            }
            if !duplicate, let (earlier, rows) = patchOfCode[code] {
                for column in earlier.conflicts(with: patch) {
                    row.problem(column, "与第 \(rows[column] ?? firstRowOfCode[code] ?? 0) 行不一致（同一干部的各行应相同，或留空）")
                }
            }
            if let fact, let earlier = factRowOfCode[code]?[fact.year], earlier.fact != fact || earlier.host != host {
                row.problem(.year, "\(fact.year) 年度的情况与第 \(earlier.row) 行不一致")
            }
            if firstRowOfCode[code] == nil { firstRowOfCode[code] = number }
        }
        references.append(Reference(row: number, code: code, unitCode: unitCode, hostCode: host))
        row.problems.forEach { add($0) }
        guard !row.hasProblems else { return }
        var merged = patchOfCode[code] ?? (patch, [:])
        merged.patch = merged.patch.merged(with: patch)
        for column in patch.givenColumns where merged.rows[column] == nil { merged.rows[column] = number }
        patchOfCode[code] = merged
        if let fact, factRowOfCode[code]?[fact.year] == nil { factRowOfCode[code, default: [:]][fact.year] = (fact, host, number) }
        cadres.append(RosterCadreRow(row: number, patch: patch, unitCode: unitCode, post: post, yearFact: fact,
                                     secondmentHostCode: host.isEmpty ? nil : host))
    }

    /// Call after the last row of the 干部 sheet.
    mutating func finishCadres() {
        if header == nil {
            add(SheetProblem(row: 0, column: RosterSheet.cadres, message: "文件中没有表头和数据（第一行应为表头：干部编号、姓名、性别……）"))
        }
    }

    // MARK: 单位 sheet

    mutating func unitRow(_ number: Int, _ cells: [CellValue]) {
        if cells.allSatisfy(\.isEmpty) { return }
        let sheet = RosterSheet.units
        guard let unitHeader else {
            let h = SheetHeader<RosterUnitColumn>(cells, row: number, required: [.code, .name], sheet: sheet)
            h.problems.forEach { add($0) }
            self.unitHeader = h
            return
        }
        if !unitHeader.problems.isEmpty { return }
        if Self.isExample(SheetText.text(unitHeader.cell(.code, in: cells))) { return }
        guard countRow() else { return }
        var row = SheetRow(number: number, cells: cells, header: unitHeader, sheet: sheet)
        let code = row.required(.code), name = row.required(.name)
        if !code.isEmpty {
            if let first = firstRowOfUnitCode[code] {
                row.problem(.code, "单位编码「\(code)」与第 \(first) 行重复")
            } else {
                firstRowOfUnitCode[code] = number
            }
        }
        let parent = row.text(.parentCode)
        if !parent.isEmpty && parent == code { row.problem(.parentCode, "上级单位不能是本单位") }
        row.problems.forEach { add($0) }
        guard !row.hasProblems else { return }
        let category = row.text(.category)
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
        /// For existing cadres: the unit codes of their open main posts (a scoped account may not end one outside its scope).
        var currentMainUnitCodesOfCadre: [String: Set<String>] = [:]
        /// 干部编号 already in the database (a new cadre's row must give 姓名 and 性别; an existing one's may leave them blank).
        var existingCadreCodes: Set<String> = []
    }

    /// Checks references: unit codes (DB or 单位 sheet), categories, parent units, scope.
    mutating func checkReferences(_ context: Context) {
        let fileUnitCodes = Set(units.map(\.code))
        let known = context.existingUnitCodes.union(fileUnitCodes)
        let sheet = RosterSheet.units
        if !units.isEmpty && !context.mayImportUnits {
            add(SheetProblem(row: units[0].row, column: RosterUnitColumn.code.rawValue,
                              message: "您的账号不能导入单位（单位只能由组织部或系统管理员维护），请删除「单位」工作表中的行", sheet: sheet))
        }
        for u in units where context.mayImportUnits {
            if let c = u.category {
                if !context.categories.contains(c) {
                    add(SheetProblem(row: u.row, column: RosterUnitColumn.category.rawValue,
                                      message: "未知的单位类别「\(c)」（可选：\(context.categories.sorted().joined(separator: "、"))）", sheet: sheet))
                }
            } else if !context.existingUnitCodes.contains(u.code) {
                add(SheetProblem(row: u.row, column: RosterUnitColumn.category.rawValue, message: "新单位必须填写单位类别", sheet: sheet))
            }
            if let p = u.parentCode, !known.contains(p) {
                add(SheetProblem(row: u.row, column: RosterUnitColumn.parentCode.rawValue,
                                  message: "上级单位编码「\(p)」不存在（系统中和「单位」工作表中都没有）", sheet: sheet))
            }
        }
        for c in references {
            // (An empty unit code is reported as a missing required field.)
            if let allowed = context.allowedUnitCodes, !c.unitCode.isEmpty, !allowed.contains(c.unitCode) {
                // Said the same whether or not the unit exists: a scoped account learns nothing outside its scope.
                add(SheetProblem(row: c.row, column: RosterColumn.unitCode.rawValue,
                                 message: "单位编码「\(c.unitCode)」不能使用（只能导入本单位的干部）"))
            } else if !c.unitCode.isEmpty, !known.contains(c.unitCode) {
                add(SheetProblem(row: c.row, column: RosterColumn.unitCode.rawValue,
                                  message: "单位编码「\(c.unitCode)」不存在（系统中和「单位」工作表中都没有）"))
            }
            // An existing cadre is the scoped account's only while holding an open post in its scope (not one
            // retired, awaiting assignment or in another unit).
            if !c.code.isEmpty, let allowed = context.allowedUnitCodes, let current = context.currentUnitCodesOfCadre[c.code],
               current.isDisjoint(with: allowed) {
                add(SheetProblem(row: c.row, column: RosterColumn.code.rawValue, message: "干部编号「\(c.code)」不能使用（不在您的管理范围内）"))
            }
            if let allowed = context.allowedUnitCodes, !c.hostCode.isEmpty, !allowed.contains(c.hostCode) {
                add(SheetProblem(row: c.row, column: RosterColumn.secondmentHost.rawValue,
                                 message: "单位编码「\(c.hostCode)」不能使用（只能填写本单位）"))
            } else if !c.hostCode.isEmpty, !known.contains(c.hostCode) {
                add(SheetProblem(row: c.row, column: RosterColumn.secondmentHost.rawValue,
                                  message: "单位编码「\(c.hostCode)」不存在（系统中和「单位」工作表中都没有）"))
            }
        }
        // A new cadre needs a name and a gender; an existing one keeps its stored values when the cells are blank.
        for (code, merged) in patchOfCode where !context.existingCadreCodes.contains(code) {
            for column in merged.patch.missingForNew {
                add(SheetProblem(row: firstRowOfCode[code] ?? 0, column: column.rawValue, message: "新干部必填，不能为空"))
            }
        }
        // A scoped account never ends a post outside its scope: a new main post of a cadre whose main post is elsewhere
        // is the organisation department's to record.
        if let allowed = context.allowedUnitCodes {
            for r in cadres where r.post.mainDuty {
                let mains = context.currentMainUnitCodesOfCadre[r.code] ?? []
                let inScope = !(context.currentUnitCodesOfCadre[r.code]?.isDisjoint(with: allowed) ?? false)
                if inScope && !mains.isSubset(of: allowed) {
                    add(SheetProblem(row: r.row, column: RosterColumn.mainDuty.rawValue,
                                     message: "该干部的现任主职不在您的管理范围内，不能由您变更主职（可作为兼职导入，或请组织部调整）"))
                }
            }
        }
        // By sheet, row, then column in template order.
        func order(_ p: SheetProblem) -> Int {
            RosterColumn.allCases.firstIndex { $0.rawValue == p.column }
                ?? RosterUnitColumn.allCases.firstIndex { $0.rawValue == p.column } ?? 0
        }
        problems.sort { ($0.sheet ?? "", $0.row, order($0)) < ($1.sheet ?? "", $1.row, order($1)) }
    }
}
