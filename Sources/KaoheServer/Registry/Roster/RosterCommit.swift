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
    var problems: [SheetProblem]
    var description: String { problems.map(\.description).joined(separator: "\n") }
}

/// The database part of the roster import: validates references against the database and writes everything
/// in ONE audited transaction with multi-row SQL (Fluent model saves are too slow for 100,000 rows). Units, posts
/// and audit snapshots go through the same code as the registry's forms (`UnitWrites`, `PostHistory`, the
/// `…Fields` types), so a re-import of unchanged data writes nothing.
enum RosterCommit {
    /// Parses, validates and commits. Throws `RosterFile.Unreadable` or `RosterRejected` (nothing written).
    static func importRoster(
        _ data: Data, filename: String, scope: Scope, actor: Actor, on db: any Database, clock: OrganisationClock, seal: AuditSeal?
    ) async throws -> RosterImportSummary {
        let parsed = try RosterFile.read(data, filename: filename)
        return try await commit(parsed, scope: scope, actor: actor, on: db, clock: clock, seal: seal)
    }

    // Rows read back from the database.
    struct UnitRow: Decodable {
        var id: UUID; var code: String; var name: String; var category_id: UUID; var parent_id: UUID?
        var fields: UnitFields { UnitFields(code: code, name: name, categoryID: category_id, parentID: parent_id) }
    }
    struct CategoryRow: Decodable { var id: UUID; var name: String }
    struct CadreRow: Decodable {
        var id: UUID; var code: String; var name: String; var gender: String; var birth_date: String?
        var political_status: String; var education: String; var rank: String; var retired_on: String?
        var under_investigation: Bool; var village_team: Bool; var awaiting_assignment: Bool
        var fields: CadreFields {
            CadreFields(code: code, name: name, gender: gender, birthDate: birth_date, politicalStatus: political_status,
                        education: education, rank: rank, retiredOn: retired_on, underInvestigation: under_investigation,
                        villageTeam: village_team, awaitingAssignment: awaiting_assignment)
        }
    }
    struct FactRow: Decodable {
        var id: UUID; var cadre_id: UUID; var year: Int; var leave_days: Int; var secondment_level: String?
        var secondment_host_unit_id: UUID?; var secondment_months: Int?
        var fields: YearFactFields {
            YearFactFields(cadreID: cadre_id, year: year, leaveDays: leave_days, secondmentLevel: secondment_level,
                           secondmentHostUnitID: secondment_host_unit_id, secondmentMonths: secondment_months)
        }
    }

    static func commit(
        _ parsed: RosterValidator, scope: Scope, actor: Actor, on db: any Database, clock: OrganisationClock, seal: AuditSeal?
    ) async throws -> RosterImportSummary {
        switch scope {
        case .all, .units: break
        default: throw RosterRejected(problems: [SheetProblem(row: 0, column: "账号", message: "您的账号无权导入花名册")])
        }
        let largeSQLiteImport = (db as? any SQLDatabase)?.dialect.name == "sqlite" && parsed.cadres.count > 2_000
        // Back to SQLite's default page cache afterwards (best effort: the pool usually hands out the same connection).
        func resetCache() async {
            if largeSQLiteImport, let sql = db as? any SQLDatabase { try? await sql.raw("PRAGMA cache_size = -2000").run() }
        }
        do {
            let summary = try await transaction(parsed, scope: scope, actor: actor, on: db, clock: clock, seal: seal, largeSQLiteImport: largeSQLiteImport)
            await resetCache()
            return summary
        } catch {
            await resetCache()
            throw error
        }
    }

    private static func transaction(
        _ v0: RosterValidator, scope: Scope, actor: Actor, on db: any Database, clock: OrganisationClock, seal: AuditSeal?,
        largeSQLiteImport: Bool
    ) async throws -> RosterImportSummary {
        let now = clock.now
        let today = clock.today.description
        return try await AuditChain.transaction(on: db, actor: actor, clock: clock, seal: seal) { tx, audit in
            var validator = v0
            let sql = tx as! any SQLDatabase
            let categories = try await sql.raw("SELECT id, name FROM unit_categories").all(decoding: CategoryRow.self)
            let categoryID = Dictionary(categories.map { ($0.name, $0.id) }, uniquingKeysWith: { a, _ in a })
            let units = try await sql.raw("SELECT id, code, name, category_id, parent_id FROM units").all(decoding: UnitRow.self)
            var unitByCode = Dictionary(units.map { ($0.code, $0) }, uniquingKeysWith: { a, _ in a })
            let unitCodeByID = Dictionary(units.map { ($0.id, $0.code) }, uniquingKeysWith: { a, _ in a })

            // Existing cadres of the file, their open posts, and their yearly facts (chunked IN lists).
            let codes = validator.referencedCadreCodes
            var existing: [String: CadreRow] = [:]
            existing.reserveCapacity(codes.count)
            for chunk in SQLBatch.chunks(codes) {
                let rows = try await sql.select()
                    .columns("id", "code", "name", "gender", "birth_date", "political_status", "education", "rank",
                             "retired_on", "under_investigation", "village_team", "awaiting_assignment")
                    .from("cadres").where("code", .in, SQLBind.group(Array(chunk))).all(decoding: CadreRow.self)
                for r in rows { existing[r.code] = r }
            }
            let existingIDs = existing.values.map(\.id)
            let openPosts = try await PostHistory.openPosts(of: existingIDs, on: sql)
            var facts: [UUID: [Int: FactRow]] = [:]
            if validator.cadres.contains(where: { $0.yearFact != nil }) {
                for chunk in SQLBatch.chunks(existingIDs) {
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
            var currentMainUnits: [String: Set<String>] = [:]
            if allowed != nil {
                for (code, c) in existing {
                    let open = openPosts[c.id] ?? []
                    currentUnits[code] = Set(open.compactMap { unitCodeByID[$0.unit_id] })
                    currentMainUnits[code] = Set(open.filter(\.main_duty).compactMap { unitCodeByID[$0.unit_id] })
                }
            }
            validator.checkReferences(.init(
                existingUnitCodes: Set(unitByCode.keys), categories: Set(categoryID.keys), allowedUnitCodes: allowed,
                mayImportUnits: scope == .all, currentUnitCodesOfCadre: currentUnits, currentMainUnitCodesOfCadre: currentMainUnits,
                existingCadreCodes: Set(existing.keys)))
            if !validator.problems.isEmpty { throw RosterRejected(problems: validator.problems) }
            let parentOf = parentCodes(validator.units, existing: units)
            let cycles = parentCycles(validator.units, parentOf: parentOf)
            if !cycles.isEmpty { throw RosterRejected(problems: cycles) }

            // SQLite: a large roster writes ~100 MB in this one transaction. With the default 2 MB page cache SQLite
            // spills pages to the WAL and reads them back for every random-UUID index insert; a larger cache for
            // the duration of the import saves a fifth of the time. Reset by `commit` afterwards.
            if largeSQLiteImport {
                try await sql.raw("PRAGMA cache_size = -262144").run()  // 256 MB, only while importing
            }
            var summary = RosterImportSummary()

            // Units (few): new ones (with their 领导班子) parents first, then changes to existing ones.
            let fileUnits = Dictionary(validator.units.map { ($0.code, $0) }, uniquingKeysWith: { a, _ in a })
            let newCodes = UnitHierarchy.parentsFirst(validator.units.map(\.code).filter { unitByCode[$0] == nil }, parentOf: parentOf)
            for code in newCodes {
                let u = fileUnits[code]!
                let fields = UnitFields(code: code, name: u.name, categoryID: categoryID[u.category!]!,
                                        parentID: u.parentCode.flatMap { unitByCode[$0]?.id })
                let (id, records) = try await UnitWrites.create(fields, reason: "花名册导入", now: now, on: sql)
                audit.record(records)
                unitByCode[code] = UnitRow(id: id, code: code, name: fields.name, category_id: fields.categoryID, parent_id: fields.parentID)
                summary.unitsCreated += 1
            }
            for u in validator.units {
                guard let old = unitByCode[u.code], !newCodes.contains(u.code) else { continue }
                var fields = old.fields
                fields.name = u.name
                if let c = u.category { fields.categoryID = categoryID[c]! }
                if let p = u.parentCode { fields.parentID = unitByCode[p]?.id }
                guard fields != old.fields else { continue }
                try await sql.update("units").set("name", to: SQLBind(fields.name)).set("category_id", to: SQLBind(fields.categoryID))
                    .set("parent_id", to: SQLBind(fields.parentID)).set("updated_at", to: SQLBind(now))
                    .where("id", .equal, SQLBind(old.id)).run()
                audit.record(.init(action: .update, entity: .unit, entityID: old.id.uuidString, before: old.fields.auditSnapshot,
                                   after: fields.auditSnapshot, reason: "花名册导入"))
                summary.unitsUpdated += 1
            }

            // Cadres, posts, yearly facts.
            var cadreInserts: [[any SQLExpression]] = []
            var postInserts: [[any SQLExpression]] = []
            var factInserts: [[any SQLExpression]] = []
            var records: [AuditRecord] = []
            records.reserveCapacity(validator.cadres.count * 2)
            // A cadre may have several rows (main post and 兼职): its personal fields are written once, from all of them.
            let patches = validator.mergedPatches
            var cadreIDOfCode: [String: UUID] = [:]
            var changedCodes: Set<String> = []
            var factsWritten: Set<String> = []
            for r in validator.cadres {
                let unitID = unitByCode[r.unitCode]!.id
                var changed = false
                let cadreID: UUID
                if let id = cadreIDOfCode[r.code] {
                    cadreID = id  // a further row of a cadre already written above
                } else if let old = existing[r.code] {
                    cadreID = old.id
                    let before = old.fields
                    // Blank cells keep what is stored; only given (or explicitly cleared) fields change.
                    let after = patches[r.code]!.applied(to: before)
                    if before != after {
                        try await sql.update("cadres")
                            .set("name", to: SQLBind(after.name)).set("gender", to: SQLBind(after.gender))
                            .set("birth_date", to: SQLBind(after.birthDate)).set("political_status", to: SQLBind(after.politicalStatus))
                            .set("education", to: SQLBind(after.education)).set("rank", to: SQLBind(after.rank))
                            .set("retired_on", to: SQLBind(after.retiredOn)).set("under_investigation", to: SQLBind(after.underInvestigation))
                            .set("village_team", to: SQLBind(after.villageTeam)).set("awaiting_assignment", to: SQLBind(after.awaitingAssignment))
                            .set("updated_at", to: SQLBind(now)).where("id", .equal, SQLBind(cadreID)).run()
                        records.append(.init(action: .update, entity: .cadre, entityID: cadreID.uuidString, before: before.auditSnapshot,
                                             after: after.auditSnapshot, reason: "花名册导入"))
                        changed = true
                    }
                } else {
                    cadreID = UUID()
                    let after = patches[r.code]!.applied(to: nil)
                    cadreInserts.append([
                        SQLBind(cadreID), SQLBind(after.code), SQLBind(after.name), SQLBind(after.gender), SQLBind(after.birthDate),
                        SQLBind(after.politicalStatus), SQLBind(after.education), SQLBind(after.rank), SQLBind(after.retiredOn),
                        SQLBind(after.underInvestigation), SQLBind(after.villageTeam), SQLBind(after.awaitingAssignment),
                        SQLBind(now), SQLBind(now),
                    ])
                    records.append(.init(action: .create, entity: .cadre, entityID: cadreID.uuidString, after: after.auditSnapshot,
                                         reason: "花名册导入"))
                }

                // The post of the row: kept if the same open post exists; otherwise the old post(s) of the same
                // kind end (main duty: every other open main post) and a new one opens. History is never overwritten.
                let p = r.post
                let open = (openPosts[cadreID] ?? []).filter { $0.main_duty == p.mainDuty }
                let start = p.startDate ?? today
                if let same = open.first(where: { $0.unit_id == unitID && $0.title == p.title && $0.principal == p.principal }) {
                    if let s = p.startDate, s != same.start_date {
                        try await sql.update("posts").set("start_date", to: SQLBind(s)).where("id", .equal, SQLBind(same.id)).run()
                        var corrected = same.fields
                        corrected.startDate = s
                        records.append(.init(action: .update, entity: .post, entityID: same.id.uuidString, before: same.fields.auditSnapshot,
                                             after: corrected.auditSnapshot, reason: "花名册导入：更正任职日期"))
                        changed = true
                    }
                } else {
                    if p.mainDuty {
                        let ended = try await PostHistory.endMainPosts(open, newStart: start, reason: "花名册导入：主职变动，原职务结束", on: sql)
                        records += ended
                        summary.postsEnded += ended.count
                    }
                    let post = PostFields(cadreID: cadreID, unitID: unitID, title: p.title, principal: p.principal,
                                          mainDuty: p.mainDuty, startDate: start)
                    let postID = UUID()
                    postInserts.append(PostHistory.values(postID, post))
                    records.append(.init(action: .create, entity: .post, entityID: postID.uuidString, after: post.auditSnapshot,
                                         reason: "花名册导入"))
                    summary.postsOpened += 1
                    if existing[r.code] != nil { changed = true }
                }

                cadreIDOfCode[r.code] = cadreID
                if let f = r.yearFact, factsWritten.insert("\(r.code)\u{1}\(f.year)").inserted {
                    // Blank cells keep the stored facts of that year; 挂职层级 「（清空）」 removes the secondment.
                    let old = facts[cadreID]?[f.year]
                    let new = f.applied(to: old?.fields, cadreID: cadreID, hostID: r.secondmentHostCode.flatMap { unitByCode[$0]?.id })
                    if let old {
                        if old.fields != new {
                            try await sql.update("cadre_year_facts").set("leave_days", to: SQLBind(new.leaveDays))
                                .set("secondment_level", to: SQLBind(new.secondmentLevel))
                                .set("secondment_host_unit_id", to: SQLBind(new.secondmentHostUnitID))
                                .set("secondment_months", to: SQLBind(new.secondmentMonths))
                                .where("id", .equal, SQLBind(old.id)).run()
                            records.append(.init(action: .update, entity: .cadreYearFact, entityID: old.id.uuidString,
                                                 before: old.fields.auditSnapshot, after: new.auditSnapshot, reason: "花名册导入"))
                            changed = true
                        }
                    } else {
                        let factID = UUID()
                        factInserts.append([SQLBind(factID), SQLBind(cadreID), SQLBind(new.year), SQLBind(new.leaveDays),
                                            SQLBind(new.secondmentLevel), SQLBind(new.secondmentHostUnitID), SQLBind(new.secondmentMonths)])
                        records.append(.init(action: .create, entity: .cadreYearFact, entityID: factID.uuidString,
                                             after: new.auditSnapshot, reason: "花名册导入"))
                        if existing[r.code] != nil { changed = true }
                    }
                }

                if changed { changedCodes.insert(r.code) }
            }
            for code in cadreIDOfCode.keys {
                if existing[code] == nil { summary.created += 1 } else if changedCodes.contains(code) { summary.updated += 1 } else { summary.unchanged += 1 }
            }
            try await SQLBatch.insert(sql, "cadres", ["id", "code", "name", "gender", "birth_date", "political_status", "education",
                                                      "rank", "retired_on", "under_investigation", "village_team", "awaiting_assignment",
                                                      "created_at", "updated_at"], cadreInserts)
            try await SQLBatch.insert(sql, "posts", PostHistory.columns, postInserts)
            try await SQLBatch.insert(sql, "cadre_year_facts", ["id", "cadre_id", "year", "leave_days", "secondment_level",
                                                                "secondment_host_unit_id", "secondment_months"], factInserts)
            audit.record(records)
            return summary
        }
    }

    /// Every unit's parent by code, as it would be after the import.
    static func parentCodes(_ fileUnits: [RosterUnitRow], existing: [UnitRow]) -> [String: String] {
        let codeOfID = Dictionary(existing.map { ($0.id, $0.code) }, uniquingKeysWith: { a, _ in a })
        var parent: [String: String] = [:]
        for u in existing { if let p = u.parent_id, let pc = codeOfID[p] { parent[u.code] = pc } }
        for u in fileUnits { if let p = u.parentCode { parent[u.code] = p } }
        return parent
    }

    /// Parent links after the import must not form a cycle (A 的上级是 B，B 的上级是 A).
    static func parentCycles(_ fileUnits: [RosterUnitRow], parentOf: [String: String]) -> [SheetProblem] {
        fileUnits.compactMap { u in
            guard let p = u.parentCode, let back = UnitHierarchy.cycle(from: u.code, parentOf: parentOf) else { return nil }
            return SheetProblem(row: u.row, column: RosterUnitColumn.parentCode.rawValue,
                                message: "上级单位「\(p)」会形成循环（上级单位链回到了「\(back)」）", sheet: RosterSheet.units)
        }
    }
}
