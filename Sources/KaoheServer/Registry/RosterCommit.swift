import AssessmentCore
import Fluent
import Foundation
import SQLKit

/// What an import did.
struct RosterImportSummary: Sendable, Equatable, Encodable {
    var created = 0
    var updated = 0
    var unchanged = 0
    var unitsCreated = 0
    var unitsUpdated = 0
    var postsOpened = 0
    var postsEnded = 0

    var text: String {
        var s = "新增 \(created) 人，更新 \(updated) 人，未变 \(unchanged) 人"
        if unitsCreated + unitsUpdated > 0 { s += "；单位新增 \(unitsCreated) 个，更新 \(unitsUpdated) 个" }
        if postsOpened + postsEnded > 0 { s += "；新任职务 \(postsOpened) 条，结束职务 \(postsEnded) 条" }
        return s
    }
}

/// The roster was refused: every problem, nothing written.
struct RosterRejected: Error, Sendable, CustomStringConvertible {
    var problems: [RosterProblem]
    var description: String { problems.map(\.description).joined(separator: "\n") }
}

/// The database part of the roster import: validates references against the database and writes everything
/// in ONE audited transaction with multi-row SQL (Fluent model saves are too slow for 100,000 rows).
enum RosterCommit {
    /// Parses, validates and commits. Throws `RosterFile.Unreadable` or `RosterRejected` (nothing written).
    static func importRoster(
        _ data: Data, filename: String, scope: Scope, actor: Actor, on db: any Database, today: String = RosterCommit.today()
    ) async throws -> RosterImportSummary {
        let parsed = try RosterFile.read(data, filename: filename)
        return try await commit(parsed, scope: scope, actor: actor, on: db, today: today)
    }

    static func today() -> String {
        var cal = Calendar(identifier: .gregorian)
        cal.timeZone = TimeZone(identifier: "Asia/Shanghai")!
        let c = cal.dateComponents([.year, .month, .day], from: Date())
        return Day(year: c.year!, month: c.month!, day: c.day!)!.description
    }

    // Rows read back from the database.
    struct UnitRow: Decodable { var id: UUID; var code: String; var name: String; var category_id: UUID; var parent_id: UUID? }
    struct CategoryRow: Decodable { var id: UUID; var name: String }
    struct CadreRow: Decodable {
        var id: UUID; var code: String; var name: String; var gender: String; var birth_date: String?
        var political_status: String; var education: String; var rank: String; var retired_on: String?
        var under_investigation: Bool; var village_team: Bool; var awaiting_assignment: Bool
    }
    struct PostRow: Decodable {
        var id: UUID; var cadre_id: UUID; var unit_id: UUID; var title: String; var principal: Bool; var main_duty: Bool
        var start_date: String
    }
    struct FactRow: Decodable {
        var id: UUID; var cadre_id: UUID; var year: Int; var leave_days: Int; var secondment_level: String?
        var secondment_host_unit_id: UUID?; var secondment_months: Int?
    }

    static func commit(
        _ parsed: RosterValidator, scope: Scope, actor: Actor, on db: any Database, today: String
    ) async throws -> RosterImportSummary {
        switch scope {
        case .all, .units: break
        default: throw RosterRejected(problems: [RosterProblem(row: 0, column: "账号", message: "您的账号无权导入花名册")])
        }
        let v0 = parsed
        let largeSQLiteImport = (db as? any SQLDatabase)?.dialect.name == "sqlite" && parsed.cadres.count > 2_000
        // Back to SQLite's default page cache afterwards (best effort: the pool usually hands out the same connection).
        func resetCache() async {
            if largeSQLiteImport, let sql = db as? any SQLDatabase { try? await sql.raw("PRAGMA cache_size = -2000").run() }
        }
        do {
            let summary = try await transaction(v0, scope: scope, actor: actor, on: db, today: today, largeSQLiteImport: largeSQLiteImport)
            await resetCache()
            return summary
        } catch {
            await resetCache()
            throw error
        }
    }

    private static func transaction(
        _ v0: RosterValidator, scope: Scope, actor: Actor, on db: any Database, today: String, largeSQLiteImport: Bool
    ) async throws -> RosterImportSummary {
        try await AuditChain.transaction(on: db, actor: actor) { tx, audit in
            var validator = v0
            let sql = tx as! any SQLDatabase
            let categories = try await sql.raw("SELECT id, name FROM unit_categories").all(decoding: CategoryRow.self)
            let categoryID = Dictionary(categories.map { ($0.name, $0.id) }, uniquingKeysWith: { a, _ in a })
            let units = try await sql.raw("SELECT id, code, name, category_id, parent_id FROM units").all(decoding: UnitRow.self)
            var unitByCode = Dictionary(units.map { ($0.code, $0) }, uniquingKeysWith: { a, _ in a })
            var unitCodeByID = Dictionary(units.map { ($0.id, $0.code) }, uniquingKeysWith: { a, _ in a })

            // Existing cadres of the file, their open posts, and their yearly facts (chunked IN lists).
            let codes = validator.referencedCadreCodes
            var existing: [String: CadreRow] = [:]
            existing.reserveCapacity(codes.count)
            for chunk in chunks(codes, 900) {
                let rows = try await sql.select()
                    .columns("id", "code", "name", "gender", "birth_date", "political_status", "education", "rank",
                             "retired_on", "under_investigation", "village_team", "awaiting_assignment")
                    .from("cadres").where("code", .in, SQLBind.group(Array(chunk))).all(decoding: CadreRow.self)
                for r in rows { existing[r.code] = r }
            }
            let existingIDs = existing.values.map(\.id)
            var openPosts: [UUID: [PostRow]] = [:]
            for chunk in chunks(existingIDs, 900) {
                let rows = try await sql.select()
                    .columns("id", "cadre_id", "unit_id", "title", "principal", "main_duty", "start_date")
                    .from("posts").where("end_date", .is, SQLLiteral.null).where("cadre_id", .in, SQLBind.group(Array(chunk)))
                    .all(decoding: PostRow.self)
                for r in rows { openPosts[r.cadre_id, default: []].append(r) }
            }
            var facts: [UUID: [Int: FactRow]] = [:]
            if validator.cadres.contains(where: { $0.yearFact != nil }) {
                for chunk in chunks(existingIDs, 900) {
                    let rows = try await sql.select()
                        .columns("id", "cadre_id", "year", "leave_days", "secondment_level", "secondment_host_unit_id", "secondment_months")
                        .from("cadre_year_facts").where("cadre_id", .in, SQLBind.group(Array(chunk))).all(decoding: FactRow.self)
                    for r in rows { facts[r.cadre_id, default: [:]][r.year] = r }
                }
            }

            // Scope and references.
            var allowed: Set<String>? = nil
            if case .units(let ids) = scope { allowed = Set(ids.compactMap { unitCodeByID[$0] }) }
            var currentUnits: [String: Set<String>] = [:]
            if allowed != nil {
                for (code, c) in existing {
                    currentUnits[code] = Set((openPosts[c.id] ?? []).compactMap { unitCodeByID[$0.unit_id] })
                }
            }
            validator.checkReferences(.init(
                existingUnitCodes: Set(unitByCode.keys), categories: Set(categoryID.keys), allowedUnitCodes: allowed,
                mayImportUnits: scope == .all, currentUnitCodesOfCadre: currentUnits))
            if !validator.problems.isEmpty { throw RosterRejected(problems: validator.problems) }
            if let cycles = parentCycles(validator.units, existing: units), !cycles.isEmpty { throw RosterRejected(problems: cycles) }

            // SQLite: a large roster writes ~100 MB in this one transaction. With the default 2 MB page cache SQLite
            // spills pages to the WAL and reads them back for every random-UUID index insert; a larger cache for
            // the duration of the import saves a fifth of the time. Reset by `commit` afterwards.
            if largeSQLiteImport {
                try await sql.raw("PRAGMA cache_size = -262144").run()  // 256 MB, only while importing
            }
            var summary = RosterImportSummary()
            let now = Date()

            // Units (few): upsert by code; a new unit gets its 领导班子 row.
            var newUnits: [UnitRow] = []
            for u in validator.units {
                if var old = unitByCode[u.code] {
                    old.name = u.name
                    if let c = u.category { old.category_id = categoryID[c]! }
                    unitByCode[u.code] = old
                } else {
                    let row = UnitRow(id: UUID(), code: u.code, name: u.name, category_id: categoryID[u.category!]!, parent_id: nil)
                    unitByCode[u.code] = row
                    unitCodeByID[row.id] = row.code
                    newUnits.append(row)
                }
            }
            for u in newUnits {
                try await sql.insert(into: "units").columns("id", "code", "name", "category_id", "parent_id", "created_at", "updated_at")
                    .values(SQLBind(u.id), SQLBind(u.code), SQLBind(u.name), SQLBind(u.category_id), SQLBind(UUID?.none),
                            SQLBind(now), SQLBind(now)).run()
                try await sql.insert(into: "teams").columns("id", "unit_id", "name")
                    .values(SQLBind(UUID()), SQLBind(u.id), SQLBind(u.name + "领导班子")).run()
            }
            let newUnitIDs = Set(newUnits.map(\.id))
            for u in validator.units {
                guard var row = unitByCode[u.code] else { continue }
                let original = units.first { $0.id == row.id }
                if let p = u.parentCode { row.parent_id = unitByCode[p]?.id }
                unitByCode[u.code] = row
                if newUnitIDs.contains(row.id) {
                    if row.parent_id != nil {
                        try await sql.update("units").set("parent_id", to: SQLBind(row.parent_id)).where("id", .equal, SQLBind(row.id)).run()
                    }
                    audit.record(.init(action: .create, entity: .unit, entityID: row.id.uuidString, after: snapshot(row),
                                       reason: "花名册导入"))
                    summary.unitsCreated += 1
                } else if let original, snapshot(original) != snapshot(row) {
                    try await sql.update("units").set("name", to: SQLBind(row.name)).set("category_id", to: SQLBind(row.category_id))
                        .set("parent_id", to: SQLBind(row.parent_id)).set("updated_at", to: SQLBind(now))
                        .where("id", .equal, SQLBind(row.id)).run()
                    audit.record(.init(action: .update, entity: .unit, entityID: row.id.uuidString, before: snapshot(original),
                                       after: snapshot(row), reason: "花名册导入"))
                    summary.unitsUpdated += 1
                }
            }

            // Cadres, posts, yearly facts.
            var cadreInserts: [[any SQLExpression]] = []
            var postInserts: [[any SQLExpression]] = []
            var factInserts: [[any SQLExpression]] = []
            var records: [AuditRecord] = []
            records.reserveCapacity(validator.cadres.count * 2)
            for r in validator.cadres {
                let unitID = unitByCode[r.unitCode]!.id
                let after = cadreSnapshot(r)
                var changed = false
                let cadreID: UUID
                if let old = existing[r.code] {
                    cadreID = old.id
                    let before = cadreSnapshot(old)
                    if before != after {
                        try await sql.update("cadres")
                            .set("name", to: SQLBind(r.name)).set("gender", to: SQLBind(r.gender))
                            .set("birth_date", to: SQLBind(r.birthDate)).set("political_status", to: SQLBind(r.politicalStatus))
                            .set("education", to: SQLBind(r.education)).set("rank", to: SQLBind(r.rank))
                            .set("retired_on", to: SQLBind(r.retiredOn)).set("under_investigation", to: SQLBind(r.underInvestigation))
                            .set("village_team", to: SQLBind(r.villageTeam)).set("awaiting_assignment", to: SQLBind(r.awaitingAssignment))
                            .set("updated_at", to: SQLBind(now)).where("id", .equal, SQLBind(cadreID)).run()
                        records.append(.init(action: .update, entity: .cadre, entityID: cadreID.uuidString, before: before, after: after,
                                             reason: "花名册导入"))
                        changed = true
                    }
                } else {
                    cadreID = UUID()
                    cadreInserts.append([
                        SQLBind(cadreID), SQLBind(r.code), SQLBind(r.name), SQLBind(r.gender), SQLBind(r.birthDate),
                        SQLBind(r.politicalStatus), SQLBind(r.education), SQLBind(r.rank), SQLBind(r.retiredOn),
                        SQLBind(r.underInvestigation), SQLBind(r.villageTeam), SQLBind(r.awaitingAssignment), SQLBind(now), SQLBind(now),
                    ])
                    records.append(.init(action: .create, entity: .cadre, entityID: cadreID.uuidString, after: after, reason: "花名册导入"))
                }

                // The post of the row: kept if the same open post exists; otherwise the old post(s) of the same
                // kind end (main duty: every other open main post) and a new one opens. History is never overwritten.
                let open = (openPosts[cadreID] ?? []).filter { $0.main_duty == r.mainDuty }
                let start = r.startDate ?? today
                if let same = open.first(where: { $0.unit_id == unitID && $0.title == r.title && $0.principal == r.principal }) {
                    if let s = r.startDate, s != same.start_date {
                        try await sql.update("posts").set("start_date", to: SQLBind(s)).where("id", .equal, SQLBind(same.id)).run()
                        var b = postSnapshot(same, end: nil)
                        records.append(.init(action: .update, entity: .post, entityID: same.id.uuidString, before: b,
                                             after: { b["startDate"] = s; return b }(), reason: "花名册导入：更正任职日期"))
                        changed = true
                    }
                } else {
                    if r.mainDuty {
                        for old in open {
                            let end = max(start, old.start_date)
                            try await sql.update("posts").set("end_date", to: SQLBind(end)).where("id", .equal, SQLBind(old.id)).run()
                            records.append(.init(action: .update, entity: .post, entityID: old.id.uuidString,
                                                 before: postSnapshot(old, end: nil), after: postSnapshot(old, end: end),
                                                 reason: "花名册导入：主职变动，原职务结束"))
                            summary.postsEnded += 1
                        }
                    }
                    let postID = UUID()
                    postInserts.append([SQLBind(postID), SQLBind(cadreID), SQLBind(unitID), SQLBind(r.title), SQLBind(r.principal),
                                        SQLBind(r.mainDuty), SQLBind(start), SQLBind(String?.none)])
                    records.append(.init(action: .create, entity: .post, entityID: postID.uuidString, after: [
                        "cadreID": cadreID.uuidString, "unitID": unitID.uuidString, "title": r.title,
                        "principal": r.principal ? "是" : "否", "mainDuty": r.mainDuty ? "主职" : "兼职", "startDate": start, "endDate": "",
                    ], reason: "花名册导入"))
                    summary.postsOpened += 1
                    if existing[r.code] != nil { changed = true }
                }

                if let f = r.yearFact {
                    let hostID = f.secondmentHostCode.flatMap { unitByCode[$0]?.id }
                    let new = FactRow(id: UUID(), cadre_id: cadreID, year: f.year, leave_days: f.leaveDays ?? 0,
                                      secondment_level: f.secondmentLevel, secondment_host_unit_id: hostID,
                                      secondment_months: f.secondmentMonths)
                    if let old = facts[cadreID]?[f.year] {
                        var merged = new
                        merged.id = old.id
                        if factSnapshot(old) != factSnapshot(merged) {
                            try await sql.update("cadre_year_facts").set("leave_days", to: SQLBind(merged.leave_days))
                                .set("secondment_level", to: SQLBind(merged.secondment_level))
                                .set("secondment_host_unit_id", to: SQLBind(merged.secondment_host_unit_id))
                                .set("secondment_months", to: SQLBind(merged.secondment_months))
                                .where("id", .equal, SQLBind(old.id)).run()
                            records.append(.init(action: .update, entity: .cadreYearFact, entityID: old.id.uuidString,
                                                 before: factSnapshot(old), after: factSnapshot(merged), reason: "花名册导入"))
                            changed = true
                        }
                    } else {
                        factInserts.append([SQLBind(new.id), SQLBind(cadreID), SQLBind(new.year), SQLBind(new.leave_days),
                                            SQLBind(new.secondment_level), SQLBind(new.secondment_host_unit_id), SQLBind(new.secondment_months)])
                        records.append(.init(action: .create, entity: .cadreYearFact, entityID: new.id.uuidString,
                                             after: factSnapshot(new), reason: "花名册导入"))
                        if existing[r.code] != nil { changed = true }
                    }
                }

                if existing[r.code] == nil { summary.created += 1 } else if changed { summary.updated += 1 } else { summary.unchanged += 1 }
            }
            try await bulkInsert(sql, "cadres", ["id", "code", "name", "gender", "birth_date", "political_status", "education",
                                                 "rank", "retired_on", "under_investigation", "village_team", "awaiting_assignment",
                                                 "created_at", "updated_at"], cadreInserts)
            try await bulkInsert(sql, "posts", ["id", "cadre_id", "unit_id", "title", "principal", "main_duty", "start_date", "end_date"],
                                 postInserts)
            try await bulkInsert(sql, "cadre_year_facts", ["id", "cadre_id", "year", "leave_days", "secondment_level",
                                                           "secondment_host_unit_id", "secondment_months"], factInserts)
            audit.record(records)
            return summary
        }
    }

    /// Parent links after the import must not form a cycle (A 的上级是 B，B 的上级是 A).
    static func parentCycles(_ fileUnits: [RosterUnitRow], existing: [UnitRow]) -> [RosterProblem]? {
        guard fileUnits.contains(where: { $0.parentCode != nil }) else { return nil }
        let codeOfID = Dictionary(existing.map { ($0.id, $0.code) }, uniquingKeysWith: { a, _ in a })
        var parent: [String: String] = [:]
        for u in existing { if let p = u.parent_id, let pc = codeOfID[p] { parent[u.code] = pc } }
        for u in fileUnits { if let p = u.parentCode { parent[u.code] = p } }
        var problems: [RosterProblem] = []
        for u in fileUnits where u.parentCode != nil {
            var seen: Set<String> = [u.code]
            var cursor = parent[u.code]
            while let c = cursor {
                if seen.contains(c) {
                    problems.append(RosterProblem(row: u.row, column: RosterUnitColumn.parentCode.rawValue,
                                                  message: "上级单位「\(u.parentCode!)」会形成循环（上级单位链回到了「\(c)」）",
                                                  sheet: RosterSheet.units))
                    break
                }
                seen.insert(c)
                cursor = parent[c]
            }
        }
        return problems
    }

    /// Multi-row INSERTs of at most ~10,000 bound values each (under SQLite's and PostgreSQL's limits).
    static func bulkInsert(_ sql: any SQLDatabase, _ table: String, _ columns: [String], _ rows: [[any SQLExpression]]) async throws {
        guard !rows.isEmpty else { return }
        let perStatement = max(1, 10_000 / columns.count)
        for start in stride(from: 0, to: rows.count, by: perStatement) {
            let insert = sql.insert(into: table).columns(columns)
            for row in rows[start..<min(start + perStatement, rows.count)] { insert.values(row) }
            try await insert.run()
        }
    }

    static func chunks<T>(_ items: [T], _ size: Int) -> [ArraySlice<T>] {
        stride(from: 0, to: items.count, by: size).map { items[$0..<min($0 + size, items.count)] }
    }

    // Snapshots in the same shape as the models' `auditSnapshot`.
    static func snapshot(_ u: UnitRow) -> [String: String] {
        ["code": u.code, "name": u.name, "categoryID": u.category_id.uuidString, "parentID": u.parent_id?.uuidString ?? ""]
    }

    static func cadreSnapshot(_ r: RosterCadreRow) -> [String: String] {
        [
            "code": r.code, "name": r.name, "gender": r.gender, "birthDate": r.birthDate ?? "",
            "politicalStatus": r.politicalStatus, "education": r.education, "rank": r.rank,
            "retiredOn": r.retiredOn ?? "", "underInvestigation": r.underInvestigation ? "是" : "否",
            "villageTeam": r.villageTeam ? "是" : "否", "awaitingAssignment": r.awaitingAssignment ? "是" : "否",
        ]
    }

    static func cadreSnapshot(_ c: CadreRow) -> [String: String] {
        [
            "code": c.code, "name": c.name, "gender": c.gender, "birthDate": c.birth_date ?? "",
            "politicalStatus": c.political_status, "education": c.education, "rank": c.rank,
            "retiredOn": c.retired_on ?? "", "underInvestigation": c.under_investigation ? "是" : "否",
            "villageTeam": c.village_team ? "是" : "否", "awaitingAssignment": c.awaiting_assignment ? "是" : "否",
        ]
    }

    static func postSnapshot(_ p: PostRow, end: String?) -> [String: String] {
        [
            "cadreID": p.cadre_id.uuidString, "unitID": p.unit_id.uuidString, "title": p.title,
            "principal": p.principal ? "是" : "否", "mainDuty": p.main_duty ? "主职" : "兼职",
            "startDate": p.start_date, "endDate": end ?? "",
        ]
    }

    static func factSnapshot(_ f: FactRow) -> [String: String] {
        [
            "cadreID": f.cadre_id.uuidString, "year": String(f.year), "leaveDays": String(f.leave_days),
            "secondmentLevel": f.secondment_level ?? "", "secondmentHostUnitID": f.secondment_host_unit_id?.uuidString ?? "",
            "secondmentMonths": f.secondment_months.map(String.init) ?? "",
        ]
    }
}
