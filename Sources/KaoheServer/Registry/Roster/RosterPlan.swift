import Crypto
import Foundation
import SQLKit

/// One line of a preview: a unit or a cadre that the import creates or changes, with what changes.
struct RosterPreviewItem: Codable, Sendable, Equatable {
    enum Kind: String, Codable, Sendable { case unit = "单位", cadre = "干部" }
    var kind: Kind
    var code: String
    var name: String
    /// The cadre's unit(s) in the file, or a unit's category.
    var unit: String
    /// 新增 or 更新.
    var action: String
    /// The rows of the file it comes from.
    var rows: [Int]
    /// What changes, one line each: 「学历：大学本科 → 研究生」, 「新任：城关镇 镇长（主职，2025-11-01 起）」.
    var changes: [String]
}

/// Something the clerk should look at before confirming: a stale row, a second principal, a move between units.
struct RosterWarning: Codable, Sendable, Equatable, CustomStringConvertible {
    var row: Int
    var code: String
    var name: String
    var message: String

    var description: String {
        let who = code.isEmpty ? "" : "「\(code) \(name)」"
        return (row > 0 ? "第 \(row) 行" : "") + who + "：" + message
    }
}

/// What an import would do, computed from the validated file and the database without writing anything: the
/// preview the clerk confirms, and the writes themselves. A confirmed preview is committed by planning again
/// in the writing transaction: the same `digest` means the same writes (else the data changed in between and
/// the new preview is shown instead).
struct RosterPlan: Sendable {
    struct UnitCreate: Sendable { var id: UUID; var fields: UnitFields }
    struct UnitUpdate: Sendable { var id: UUID; var before: UnitFields; var after: UnitFields }
    struct CadreInsert: Sendable { var id: UUID; var fields: CadreFields }
    struct CadreUpdate: Sendable { var id: UUID; var before: CadreFields; var after: CadreFields }
    struct PostChange: Sendable { var post: PostHistory.StoredPost; var after: PostFields }
    struct PostOpen: Sendable { var id: UUID; var fields: PostFields }
    struct FactInsert: Sendable { var id: UUID; var fields: YearFactFields }
    struct FactUpdate: Sendable { var id: UUID; var before: YearFactFields; var after: YearFactFields }

    /// New units, parents first.
    var unitCreates: [UnitCreate] = []
    var unitUpdates: [UnitUpdate] = []
    var cadreInserts: [CadreInsert] = []
    var cadreUpdates: [CadreUpdate] = []
    /// Open posts corrected in place (start date, 主要负责人) by a row naming the same post.
    var postCorrections: [PostChange] = []
    /// Open main posts ended by a new main post.
    var postEnds: [PostChange] = []
    var postOpens: [PostOpen] = []
    var factInserts: [FactInsert] = []
    var factUpdates: [FactUpdate] = []
    /// Existing cadres the import changes (fields, posts or facts): their record's `updated_at` becomes now.
    var touchedCadres: [UUID] = []

    var summary = RosterImportSummary()
    var items: [RosterPreviewItem] = []
    var warnings: [RosterWarning] = []
    /// SHA-256 over every write with its before values (new records named by their codes, not their fresh ids).
    var digest = ""

    var isEmpty: Bool {
        unitCreates.isEmpty && unitUpdates.isEmpty && cadreInserts.isEmpty && cadreUpdates.isEmpty && postCorrections.isEmpty
            && postEnds.isEmpty && postOpens.isEmpty && factInserts.isEmpty && factUpdates.isEmpty
    }
}

extension RosterPlan {
    static let reason = "花名册导入"

    // Rows read from the database.
    struct UnitRow: Decodable, Sendable {
        var id: UUID; var code: String; var name: String; var category_id: UUID; var parent_id: UUID?
        var fields: UnitFields { UnitFields(code: code, name: name, categoryID: category_id, parentID: parent_id) }
    }
    struct CategoryRow: Decodable, Sendable { var id: UUID; var name: String }
    struct CadreRow: Decodable, Sendable {
        var id: UUID; var code: String; var name: String; var gender: String; var birth_date: String?
        var political_status: String; var education: String; var rank: String; var retired_on: String?
        var under_investigation: Bool; var village_team: Bool; var awaiting_assignment: Bool; var updated_at: Date?
        var ethnicity: String; var native_place: String; var birth_place: String; var work_start: String; var party_joined: String
        var rank_since: String; var full_time_education: String; var full_time_degree: String; var part_time_education: String
        var part_time_degree: String; var id_number: String
        var fields: CadreFields {
            CadreFields(code: code, name: name, gender: gender, birthDate: birth_date, politicalStatus: political_status,
                        education: education, rank: rank, retiredOn: retired_on, underInvestigation: under_investigation,
                        villageTeam: village_team, awaitingAssignment: awaiting_assignment, ethnicity: ethnicity,
                        nativePlace: native_place, birthPlace: birth_place, workStart: work_start, partyJoined: party_joined,
                        rankSince: rank_since, fullTimeEducation: full_time_education, fullTimeDegree: full_time_degree,
                        partTimeEducation: part_time_education, partTimeDegree: part_time_degree, idNumber: id_number)
        }
    }
    struct FactRow: Decodable, Sendable {
        var id: UUID; var cadre_id: UUID; var year: Int; var leave_days: Int; var secondment_level: String?
        var secondment_host_unit_id: UUID?; var secondment_months: Int?
        var fields: YearFactFields {
            YearFactFields(cadreID: cadre_id, year: year, leaveDays: leave_days, secondmentLevel: secondment_level,
                           secondmentHostUnitID: secondment_host_unit_id, secondmentMonths: secondment_months)
        }
    }
    struct PrincipalRow: Decodable, Sendable { var id: UUID; var unit_id: UUID; var title: String; var name: String }

    /// Plans the import of a validated file: reads what it touches, checks references and scope (throws
    /// `RosterRejected` listing every problem), and computes the writes, the preview and the warnings.
    static func make(
        _ v0: RosterValidator, scope: Scope, on sql: any SQLDatabase, clock: OrganisationClock, now: Date
    ) async throws -> RosterPlan {
        var validator = v0
        let today = clock.day(of: now).description
        let categories = try await sql.raw("SELECT id, name FROM unit_categories").all(decoding: CategoryRow.self)
        let categoryID = Dictionary(categories.map { ($0.name, $0.id) }, uniquingKeysWith: { a, _ in a })
        let categoryName = Dictionary(categories.map { ($0.id, $0.name) }, uniquingKeysWith: { a, _ in a })
        let units = try await sql.raw("SELECT id, code, name, category_id, parent_id FROM units").all(decoding: UnitRow.self)
        var unitByCode = Dictionary(units.map { ($0.code, $0) }, uniquingKeysWith: { a, _ in a })
        var unitByID = Dictionary(units.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })

        // Existing cadres of the file, their posts (open and ended), and their yearly facts (IN lists, or for a large
        // file one pass over each table).
        let codes = validator.referencedCadreCodes
        var existing: [String: CadreRow] = [:]
        existing.reserveCapacity(codes.count)
        try await SQLBatch.rows(of: codes, column: "code", decoding: CadreRow.self, on: sql, {
            sql.select().columns(["id", "code", "name", "gender", "birth_date", "political_status", "education", "rank",
                                  "retired_on", "under_investigation", "village_team", "awaiting_assignment", "updated_at"]
                                 + CadreFields.recordFields.map(\.sqlColumn))
                .from("cadres")
        }) { r in existing[r.code] = r }
        let existingIDs = existing.values.map(\.id)
        let history = try await PostHistory.history(of: existingIDs, on: sql)
        var facts: [UUID: [Int: FactRow]] = [:]
        if validator.cadres.contains(where: { $0.yearFact != nil }) {
            try await SQLBatch.rows(of: existingIDs, column: "cadre_id", decoding: FactRow.self, on: sql, {
                sql.select().columns("id", "cadre_id", "year", "leave_days", "secondment_level", "secondment_host_unit_id", "secondment_months")
                    .from("cadre_year_facts")
            }) { r in facts[r.cadre_id, default: [:]][r.year] = r }
        }

        // Scope and references.
        var allowed: Set<String>? = nil
        if case .units(let ids) = scope { allowed = Set(ids.compactMap { unitByID[$0]?.code }) }
        var currentUnits: [String: Set<String>] = [:]
        var currentMainUnits: [String: Set<String>] = [:]
        if allowed != nil {
            for (code, c) in existing {
                let open = (history[c.id] ?? []).filter(\.isOpen)
                currentUnits[code] = Set(open.compactMap { unitByID[$0.unit_id]?.code })
                currentMainUnits[code] = Set(open.filter(\.main_duty).compactMap { unitByID[$0.unit_id]?.code })
            }
        }
        validator.checkReferences(.init(
            existingUnitCodes: Set(unitByCode.keys), categories: Set(categoryID.keys), allowedUnitCodes: allowed,
            mayImportUnits: scope == .all, currentUnitCodesOfCadre: currentUnits, currentMainUnitCodesOfCadre: currentMainUnits,
            existingCadreCodes: Set(existing.keys)))
        if !validator.problems.isEmpty { throw RosterRejected(problems: validator.problems) }
        let parentOf = RosterCommit.parentCodes(validator.units, existing: units)
        let cycles = RosterCommit.parentCycles(validator.units, parentOf: parentOf)
        if !cycles.isEmpty { throw RosterRejected(problems: cycles) }

        var plan = RosterPlan()
        var canonical = Canonical()

        // Units (few): new ones parents first (ids chosen now, so that children and posts can name them), then changes.
        let fileUnits = Dictionary(validator.units.map { ($0.code, $0) }, uniquingKeysWith: { a, _ in a })
        let newCodes = UnitHierarchy.parentsFirst(validator.units.map(\.code).filter { unitByCode[$0] == nil }, parentOf: parentOf)
        for code in newCodes {
            let u = fileUnits[code]!
            let fields = UnitFields(code: code, name: u.name, categoryID: categoryID[u.category!]!,
                                    parentID: u.parentCode.flatMap { unitByCode[$0]?.id })
            let row = UnitRow(id: RandomID.uuid(), code: code, name: fields.name, category_id: fields.categoryID, parent_id: fields.parentID)
            unitByCode[code] = row
            unitByID[row.id] = row
            plan.unitCreates.append(UnitCreate(id: row.id, fields: fields))
            plan.summary.unitsCreated += 1
            canonical.append("U+|\(code)|\(u.name)|\(u.category!)|\(u.parentCode ?? "")")
            let parent = u.parentCode.map { "，上级单位 \(unitByCode[$0]?.name ?? $0)" } ?? ""
            plan.items.append(RosterPreviewItem(kind: .unit, code: code, name: u.name, unit: u.category!, action: "新增",
                                                rows: [u.row], changes: ["新增单位（\(u.category!)\(parent)），同时建立其领导班子"]))
        }
        for u in validator.units {
            guard let old = unitByCode[u.code], !newCodes.contains(u.code) else { continue }
            var fields = old.fields
            fields.name = u.name
            if let c = u.category { fields.categoryID = categoryID[c]! }
            if let p = u.parentCode { fields.parentID = unitByCode[p]?.id }
            guard fields != old.fields else { continue }
            plan.unitUpdates.append(UnitUpdate(id: old.id, before: old.fields, after: fields))
            plan.summary.unitsUpdated += 1
            canonical.append("U~|\(old.id)|\(snapshot(old.fields.auditSnapshot))|\(u.name)|\(u.category ?? "")|\(u.parentCode ?? "")")
            var lines: [String] = []
            if fields.name != old.name { lines.append("单位名称：\(old.name) → \(fields.name)") }
            if fields.categoryID != old.category_id {
                lines.append("单位类别：\(categoryName[old.category_id] ?? "") → \(categoryName[fields.categoryID] ?? "")")
            }
            if fields.parentID != old.parent_id {
                lines.append("上级单位：\(old.parent_id.flatMap { unitByID[$0]?.name } ?? "（无）") → \(fields.parentID.flatMap { unitByID[$0]?.name } ?? "（无）")")
            }
            plan.items.append(RosterPreviewItem(kind: .unit, code: u.code, name: fields.name, unit: u.category ?? categoryName[fields.categoryID] ?? "",
                                                action: "更新", rows: [u.row], changes: lines))
        }

        func unitName(_ id: UUID?) -> String { id.flatMap { unitByID[$0]?.name } ?? "" }
        /// 「大学本科 → 研究生」, an empty value shown as （空）.
        func change(_ old: String, _ new: String) -> String { "\(old.isEmpty ? "（空）" : old) → \(new.isEmpty ? "（空）" : new)" }
        func describe(_ p: PostFields) -> String {
            var attrs = [p.mainDuty ? "主职" : "兼职"]
            if p.principal { attrs.append("主要负责人") }
            if let n = p.orderNumber { attrs.append("排序号 \(n)") }
            return "\(unitName(p.unitID)) \(p.title)（\(attrs.joined(separator: "，"))，\(p.startDate) 起）"
        }

        // Cadres, grouped by 干部编号 in the order of their first row (a cadre may have a main row and 兼职 rows).
        var rowsOfCode: [String: [RosterCadreRow]] = [:]
        var order: [String] = []
        for r in validator.cadres {
            if rowsOfCode[r.code] == nil { order.append(r.code) }
            rowsOfCode[r.code, default: []].append(r)
        }
        let patches = validator.mergedPatches
        var principalUnits: Set<UUID> = []
        var openedPrincipals: [(post: PostFields, code: String, name: String, row: Int)] = []
        var endedOrCorrected: Set<UUID> = []
        plan.cadreInserts.reserveCapacity(order.count)
        plan.postOpens.reserveCapacity(validator.cadres.count)

        for code in order {
            let rows = rowsOfCode[code]!
            let firstRow = rows[0].row
            let old = existing[code]
            let cadreID = old?.id ?? RandomID.uuid()
            let after = patches[code]!.applied(to: old?.fields)
            var lines: [String] = []
            var changed = false
            /// What this import changes of a record someone may have edited after the file was saved.
            var staleChanges: [String] = []
            if let old {
                let before = old.fields
                if before != after {
                    plan.cadreUpdates.append(CadreUpdate(id: cadreID, before: before, after: after))
                    canonical.append("C~|\(cadreID)|\(snapshot(before.auditSnapshot))|\(snapshot(after.auditSnapshot))")
                    let diff = CadreFields.differences(before, after)
                    lines += diff.map { "\($0.label)：\(change($0.old, $0.new))" }
                    changed = true
                    staleChanges += diff.map { "\($0.label)（\(change($0.old, $0.new))）" }
                }
            } else {
                plan.cadreInserts.append(CadreInsert(id: cadreID, fields: after))
                canonical.append("C+|\(after.canonical)")
                let personal = [after.gender, after.birthDate.map { "\($0) 出生" } ?? "", after.politicalStatus, after.education, after.rank]
                    .filter { !$0.isEmpty }
                if !personal.isEmpty { lines.append(personal.joined(separator: "，")) }
            }

            let stored = old.map { history[$0.id] ?? [] } ?? []
            for r in rows {
                let unitID = unitByCode[r.unitCode]!.id
                let p = r.post
                let start = p.startDate ?? today
                let open = stored.filter { $0.isOpen && $0.main_duty == p.mainDuty }
                if let same = open.first(where: { $0.unit_id == unitID && $0.title == p.title }) {
                    // The same post: the row may correct its start date or 主要负责人, never end and reopen it.
                    var corrected = same.fields
                    if let s = p.startDate { corrected.startDate = s }
                    if p.principalGiven { corrected.principal = p.principal }
                    if let n = p.orderNumber { corrected.orderNumber = n }
                    if corrected != same.fields {
                        plan.postCorrections.append(PostChange(post: same, after: corrected))
                        endedOrCorrected.insert(same.id)
                        canonical.append("P~|\(same.id)|\(snapshot(same.fields.auditSnapshot))|\(snapshot(corrected.auditSnapshot))")
                        var what: [String] = []
                        if corrected.startDate != same.start_date { what.append("任职日期 \(same.start_date) → \(corrected.startDate)") }
                        if corrected.principal != same.principal { what.append("主要负责人 \(same.principal ? "是" : "否") → \(corrected.principal ? "是" : "否")") }
                        if corrected.orderNumber != same.order_number {
                            what.append("职务排序号 \(change(same.order_number.map(String.init) ?? "", corrected.orderNumber.map(String.init) ?? ""))")
                        }
                        lines.append("更正职务：\(unitName(unitID)) \(p.title)，\(what.joined(separator: "，"))")
                        staleChanges.append("职务「\(p.title)」\(what.joined(separator: "，"))")
                        if corrected.principal { principalUnits.insert(unitID); openedPrincipals.append((corrected, code, after.name, r.row)) }
                        changed = true
                    }
                    continue
                }
                // The row names a post the history shows as ended: an old file, not a new appointment.
                // Without a 任职日期 the row cannot say it is a new appointment: any ended post of that title is the row's.
                if let ended = stored.first(where: {
                    !$0.isOpen && $0.main_duty == p.mainDuty && $0.unit_id == unitID && $0.title == p.title
                        && (p.startDate == nil || ($0.start_date <= start && (start < $0.end_date! || start == $0.start_date)))
                }) {
                    let hint = p.startDate == nil ? "如确为重新任职，请填写任职日期。" : "文件可能早于系统中最近的任免，请核对。"
                    plan.warnings.append(RosterWarning(
                        row: r.row, code: code, name: after.name,
                        message: "职务「\(unitName(unitID)) \(p.title)」在系统中已于 \(ended.end_date!) 结束（\(ended.start_date) 起），文件中仍为现任；此行职务未导入。\(hint)"))
                    continue
                }
                if p.mainDuty, let newer = open.filter({ $0.start_date >= start }).max(by: { $0.start_date < $1.start_date }) {
                    // Ending the newer post would make it end before (or the day) it began: an old file.
                    plan.warnings.append(RosterWarning(
                        row: r.row, code: code, name: after.name,
                        message: "文件中的主职「\(unitName(unitID)) \(p.title)」任职日期 \(start) 不晚于系统中的现任主职「\(unitName(newer.unit_id)) \(newer.title)」（\(newer.start_date) 起）；此行职务未导入，现任职务保留。文件可能早于系统中最近的任免；确需变更请在干部页面办理。"))
                    continue
                }
                if p.mainDuty {
                    for o in open {
                        var ended = o.fields
                        ended.endDate = start
                        plan.postEnds.append(PostChange(post: o, after: ended))
                        endedOrCorrected.insert(o.id)
                        plan.summary.postsEnded += 1
                        canonical.append("P-|\(o.id)|\(snapshot(o.fields.auditSnapshot))|\(start)")
                        lines.append("结束职务：\(unitName(o.unit_id)) \(o.title)（\(o.start_date) 起，至 \(start)）")
                        if o.unit_id != unitID {
                            plan.warnings.append(RosterWarning(
                                row: r.row, code: code, name: after.name,
                                message: "主职由「\(unitName(o.unit_id))」调至「\(unitName(unitID))」（\(o.title) → \(p.title)，\(start) 起），请核对是否为调动。"))
                        }
                    }
                }
                let post = PostFields(cadreID: cadreID, unitID: unitID, title: p.title, principal: p.principal,
                                      mainDuty: p.mainDuty, startDate: start, orderNumber: p.orderNumber)
                plan.postOpens.append(PostOpen(id: RandomID.uuid(), fields: post))
                plan.summary.postsOpened += 1
                canonical.append("P+|\(code)|\(r.unitCode)|\(p.title)|\(p.principal)|\(p.mainDuty)|\(start)|\(p.orderNumber.map(String.init) ?? "")")
                lines.append("新任职务：\(describe(post))")
                if p.principal { principalUnits.insert(unitID); openedPrincipals.append((post, code, after.name, r.row)) }
                if old != nil { changed = true }
            }

            // Yearly facts: blank cells keep the stored facts of that year; 挂职层级「（清空）」 removes the secondment.
            var factYears: Set<Int> = []
            for r in rows {
                guard let f = r.yearFact, factYears.insert(f.year).inserted else { continue }
                let oldFact = facts[cadreID]?[f.year]
                let hostID = r.secondmentHostCode.flatMap { unitByCode[$0]?.id }
                let new = f.applied(to: oldFact?.fields, cadreID: cadreID, hostID: hostID)
                if let oldFact {
                    guard oldFact.fields != new else { continue }
                    plan.factUpdates.append(FactUpdate(id: oldFact.id, before: oldFact.fields, after: new))
                    canonical.append("F~|\(oldFact.id)|\(snapshot(oldFact.fields.auditSnapshot))|\(snapshot(new.auditSnapshot))")
                    let what = YearFactFields.differences(oldFact.fields, new, unitName: unitName)
                        .map { "\($0.label) \(change($0.old, $0.new))" }.joined(separator: "，")
                    lines.append("\(f.year) 年度：" + what)
                    staleChanges.append("\(f.year) 年度\(what)")
                    changed = true
                } else {
                    plan.factInserts.append(FactInsert(id: RandomID.uuid(), fields: new))
                    canonical.append("F+|\(code)|\(new.year)|\(new.leaveDays)|\(new.secondmentLevel ?? "")|\(r.secondmentHostCode ?? "")|\(new.secondmentMonths.map(String.init) ?? "")")
                    lines.append("\(f.year) 年度：" + new.summary(unitName: unitName))
                    if old != nil { changed = true }
                }
            }

            // A record edited in the system after the file was saved: the file would put older values back.
            if let old, !staleChanges.isEmpty, let saved = validator.savedAt, let edited = old.updated_at, edited > saved {
                plan.warnings.append(RosterWarning(
                    row: firstRow, code: code, name: after.name,
                    message: "系统中该干部的信息于 \(clock.localTime(edited)) 修改过，晚于文件的保存时间 \(clock.localTime(saved))；"
                        + "确认导入将改动：\(staleChanges.joined(separator: "、"))。请核对文件是否为最新版本。"))
            }
            if let old, changed { plan.touchedCadres.append(old.id) }
            if old == nil { plan.summary.created += 1 } else if changed { plan.summary.updated += 1 } else { plan.summary.unchanged += 1 }
            if old == nil || changed {
                var unitNames: [String] = []
                for r in rows where !unitNames.contains(unitByCode[r.unitCode]!.name) { unitNames.append(unitByCode[r.unitCode]!.name) }
                plan.items.append(RosterPreviewItem(kind: .cadre, code: code, name: after.name, unit: unitNames.joined(separator: "、"),
                                                    action: old == nil ? "新增" : "更新", rows: rows.map(\.row), changes: lines))
            }
        }

        // A second 主要负责人 of the same kind (党委书记 and 镇长 are two kinds) in one team after the import.
        if !principalUnits.isEmpty {
            var current: [UUID: [(kind: String, who: String)]] = [:]
            for chunk in SQLBatch.chunks(Array(principalUnits)) {
                let rows = try await sql.select().column(SQLColumn("id", table: "posts")).column(SQLColumn("unit_id", table: "posts"))
                    .column(SQLColumn("title", table: "posts")).column(SQLColumn("name", table: "cadres"))
                    .from("posts").join("cadres", on: SQLColumn("cadre_id", table: "posts"), .equal, SQLColumn("id", table: "cadres"))
                    .where(SQLColumn("end_date", table: "posts"), .is, SQLLiteral.null)
                    .where(SQLColumn("principal", table: "posts"), .equal, SQLLiteral.boolean(true))
                    .where(SQLColumn("unit_id", table: "posts"), .in, SQLBind.group(Array(chunk)))
                    .all(decoding: PrincipalRow.self)
                for r in rows where !endedOrCorrected.contains(r.id) {
                    current[r.unit_id, default: []].append((PostOrder.principalKind(r.title), "\(r.name)（\(r.title)）"))
                }
            }
            var warned: Set<String> = []
            for o in openedPrincipals {
                let kind = PostOrder.principalKind(o.post.title)
                guard warned.insert("\(o.post.unitID)|\(kind)").inserted else { continue }
                let others = (current[o.post.unitID] ?? []).filter { $0.kind == kind }.map(\.who)
                    + openedPrincipals.filter { $0.post.unitID == o.post.unitID && PostOrder.principalKind($0.post.title) == kind && $0.code != o.code }
                        .map { "\($0.name)（\($0.post.title)）" }
                guard !others.isEmpty else { continue }
                plan.warnings.append(RosterWarning(
                    row: o.row, code: o.code, name: o.name,
                    message: "导入后「\(unitName(o.post.unitID))」将有不止一位\(kind)主要负责人：\(([o.name + "（\(o.post.title)）"] + others).joined(separator: "、"))，请核对。"))
            }
        }

        plan.warnings.sort { ($0.row, $0.code) < ($1.row, $1.code) }
        plan.summary.warnings = plan.warnings.count
        plan.digest = canonical.digest
        return plan
    }

    /// The digest of a plan, fed one line per write.
    struct Canonical {
        private var hasher = SHA256()

        mutating func append(_ line: String) {
            var line = line + "\n"
            line.withUTF8 { hasher.update(bufferPointer: UnsafeRawBufferPointer($0)) }
        }

        var digest: String { AuditChain.hex(hasher.finalize()) }
    }

    /// A snapshot as one canonical string: sorted keys, every key and value length-prefixed (no two snapshots share one).
    static func snapshot(_ s: [String: String]) -> String {
        s.sorted { $0.key < $1.key }.map { "\($0.key.utf8.count):\($0.key)=\($0.value.utf8.count):\($0.value);" }.joined()
    }

    /// Writes the plan inside the caller's audited transaction. Every write has its audit record.
    func apply(on sql: any SQLDatabase, audit: AuditRecorder, now: Date) async throws {
        let reason = Self.reason
        for u in unitCreates {
            audit.record(try await UnitWrites.create(u.fields, id: u.id, reason: reason, now: now, on: sql).records)
        }
        for u in unitUpdates {
            try await sql.update("units").set("name", to: SQLBind(u.after.name)).set("category_id", to: SQLBind(u.after.categoryID))
                .set("parent_id", to: SQLBind(u.after.parentID)).set("updated_at", to: SQLBind(now))
                .where("id", .equal, SQLBind(u.id)).run()
            audit.record(.init(action: .update, entity: .unit, entityID: u.id.uuidString, before: u.before.auditSnapshot,
                               after: u.after.auditSnapshot, reason: reason))
        }
        var records: [AuditRecord] = []
        records.reserveCapacity(cadreInserts.count + cadreUpdates.count + postOpens.count + postEnds.count + factInserts.count)
        // Record fields that no new cadre has are left to the column default ('') — most rosters carry few of them.
        let recordFields = CadreFields.recordFields.filter { f in cadreInserts.contains { !$0.fields[keyPath: f.path].isEmpty } }
        try await SQLBatch.insert(sql, "cadres", ["id", "code", "name", "gender", "birth_date", "political_status", "education",
                                                  "rank", "retired_on", "under_investigation", "village_team", "awaiting_assignment",
                                                  "created_at", "updated_at"] + recordFields.map(\.sqlColumn), cadreInserts.map { c in
            let f = c.fields
            return [SQLBind(c.id), SQLBind(f.code), SQLBind(f.name), SQLBind(f.gender), SQLBind(f.birthDate), SQLBind(f.politicalStatus),
                    SQLBind(f.education), SQLBind(f.rank), SQLBind(f.retiredOn), SQLBind(f.underInvestigation), SQLBind(f.villageTeam),
                    SQLBind(f.awaitingAssignment), SQLBind(now), SQLBind(now)] + recordFields.map { SQLBind(f[keyPath: $0.path]) }
        })
        for c in cadreInserts {
            records.append(.init(action: .create, entity: .cadre, entityID: c.id.uuidString, after: c.fields.auditSnapshot, reason: reason))
        }
        for c in cadreUpdates {
            let a = c.after
            let update = sql.update("cadres")
            for f in CadreFields.recordFields { update.set(SQLIdentifier(f.sqlColumn), to: SQLBind(a[keyPath: f.path])) }
            try await update
                .set("name", to: SQLBind(a.name)).set("gender", to: SQLBind(a.gender))
                .set("birth_date", to: SQLBind(a.birthDate)).set("political_status", to: SQLBind(a.politicalStatus))
                .set("education", to: SQLBind(a.education)).set("rank", to: SQLBind(a.rank))
                .set("retired_on", to: SQLBind(a.retiredOn)).set("under_investigation", to: SQLBind(a.underInvestigation))
                .set("village_team", to: SQLBind(a.villageTeam)).set("awaiting_assignment", to: SQLBind(a.awaitingAssignment))
                .set("updated_at", to: SQLBind(now)).where("id", .equal, SQLBind(c.id)).run()
            records.append(.init(action: .update, entity: .cadre, entityID: c.id.uuidString, before: c.before.auditSnapshot,
                                 after: a.auditSnapshot, reason: reason))
        }
        for c in postCorrections {
            records.append(try await PostHistory.correct(c.post, to: c.after, reason: reason + "：更正职务", sql: sql))
        }
        for e in postEnds {
            records.append(try await PostHistory.end(e.post, on: e.after.endDate!, reason: reason + "：主职变动，原职务结束", sql: sql))
        }
        try await SQLBatch.insert(sql, "posts", PostHistory.columns, postOpens.map { PostHistory.values($0.id, $0.fields) })
        for p in postOpens {
            records.append(.init(action: .create, entity: .post, entityID: p.id.uuidString, after: p.fields.auditSnapshot, reason: reason))
        }
        try await SQLBatch.insert(sql, "cadre_year_facts", ["id", "cadre_id", "year", "leave_days", "secondment_level",
                                                            "secondment_host_unit_id", "secondment_months"], factInserts.map { f in
            let n = f.fields
            return [SQLBind(f.id), SQLBind(n.cadreID), SQLBind(n.year), SQLBind(n.leaveDays), SQLBind(n.secondmentLevel),
                    SQLBind(n.secondmentHostUnitID), SQLBind(n.secondmentMonths)]
        })
        for f in factInserts {
            records.append(.init(action: .create, entity: .cadreYearFact, entityID: f.id.uuidString, after: f.fields.auditSnapshot, reason: reason))
        }
        for f in factUpdates {
            let n = f.after
            try await sql.update("cadre_year_facts").set("leave_days", to: SQLBind(n.leaveDays))
                .set("secondment_level", to: SQLBind(n.secondmentLevel)).set("secondment_host_unit_id", to: SQLBind(n.secondmentHostUnitID))
                .set("secondment_months", to: SQLBind(n.secondmentMonths)).where("id", .equal, SQLBind(f.id)).run()
            records.append(.init(action: .update, entity: .cadreYearFact, entityID: f.id.uuidString, before: f.before.auditSnapshot,
                                 after: n.auditSnapshot, reason: reason))
        }
        try await Cadre.touch(touchedCadres, now: now, on: sql)
        audit.record(records)
    }
}
