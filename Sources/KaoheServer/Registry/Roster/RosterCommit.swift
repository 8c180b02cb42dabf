import AssessmentCore
import Fluent
import Foundation
import SQLKit

/// What an import did.
struct RosterImportSummary: Sendable, Equatable, Codable {
    var created = 0
    var updated = 0
    var unchanged = 0
    var unitsCreated = 0
    var unitsUpdated = 0
    var postsOpened = 0
    var postsEnded = 0
    /// Things to look at before confirming (`RosterPlan.warnings`).
    var warnings = 0

    var text: String {
        var s = "新增 \(created) 人，更新 \(updated) 人，未变 \(unchanged) 人"
        if unitsCreated + unitsUpdated > 0 { s += "；单位新增 \(unitsCreated) 个，更新 \(unitsUpdated) 个" }
        if postsOpened + postsEnded > 0 { s += "；新任职务 \(postsOpened) 条，结束职务 \(postsEnded) 条" }
        if warnings > 0 { s += "；提醒 \(warnings) 条" }
        return s
    }
}

/// The roster was refused: every problem, nothing written.
struct RosterRejected: Error, Sendable, CustomStringConvertible {
    var problems: [SheetProblem]
    var description: String { problems.map(\.description).joined(separator: "\n") }
}

/// The database part of the roster import: `preview` plans without writing (`RosterPlan`); `commit` plans again
/// inside ONE audited transaction and writes exactly that plan with multi-row SQL (Fluent model saves are too slow
/// for 100,000 rows). Units, posts and audit snapshots go through the same code as the registry's forms
/// (`UnitWrites`, `PostHistory`, the `…Fields` types), so a re-import of unchanged data writes nothing.
enum RosterCommit {
    /// Parses, validates and commits without a preview (`kaohe import roster` without `--dry-run`, tests). Throws
    /// `RosterFile.Unreadable` or `RosterRejected` (nothing written).
    static func importRoster(
        _ data: Data, filename: String, scope: Scope, actor: Actor, on db: any Database, clock: OrganisationClock, seal: AuditSeal?
    ) async throws -> RosterImportSummary {
        let parsed = try RosterFile.read(data, filename: filename)
        return try await commit(parsed, scope: scope, actor: actor, on: db, clock: clock, seal: seal).plan.summary
    }

    /// What the import would do, read in one transaction and written nowhere.
    static func preview(_ parsed: RosterValidator, scope: Scope, on db: any Database, clock: OrganisationClock) async throws -> RosterPlan {
        try checkScope(scope)
        let now = clock.now
        return try await db.transaction { tx in
            try await RosterPlan.make(parsed, scope: scope, on: tx as! any SQLDatabase, clock: clock, now: now)
        }
    }

    /// The end of a commit: written, or (when a previewed digest was expected) the data changed since the preview
    /// and nothing was written; the new plan is the preview to show instead.
    enum Outcome: Sendable {
        case committed(RosterPlan)
        case changed(RosterPlan)
        var plan: RosterPlan {
            switch self {
            case .committed(let p), .changed(let p): p
            }
        }
    }

    /// Plans and writes in one audited transaction. With `expecting`, writes only when the plan's digest is the
    /// previewed one.
    static func commit(
        _ parsed: RosterValidator, scope: Scope, actor: Actor, on db: any Database, clock: OrganisationClock, seal: AuditSeal?,
        expecting digest: String? = nil
    ) async throws -> Outcome {
        try checkScope(scope)
        let largeSQLiteImport = (db as? any SQLDatabase)?.dialect.name == "sqlite" && parsed.cadres.count > 2_000
        // Back to SQLite's default page cache afterwards (best effort: the pool usually hands out the same connection).
        func resetCache() async {
            if largeSQLiteImport, let sql = db as? any SQLDatabase { try? await sql.raw("PRAGMA cache_size = -2000").run() }
        }
        do {
            let now = clock.now
            let outcome = try await AuditChain.transaction(on: db, actor: actor, clock: clock, seal: seal) { tx, audit -> Outcome in
                let sql = tx as! any SQLDatabase
                let plan = try await RosterPlan.make(parsed, scope: scope, on: sql, clock: clock, now: now)
                if let digest, digest != plan.digest { return .changed(plan) }
                // SQLite: a large roster writes ~100 MB in this one transaction. With the default 2 MB page cache SQLite
                // spills pages to the WAL and reads them back for every random-UUID index insert; a larger cache for
                // the duration of the import saves a fifth of the time. Reset afterwards.
                if largeSQLiteImport { try await sql.raw("PRAGMA cache_size = -262144").run() }  // 256 MB, only while importing
                try await plan.apply(on: sql, audit: audit, now: now)
                return .committed(plan)
            }
            await resetCache()
            return outcome
        } catch {
            await resetCache()
            throw error
        }
    }

    private static func checkScope(_ scope: Scope) throws {
        switch scope {
        case .all, .units: break
        default: throw RosterRejected(problems: [SheetProblem(row: 0, column: "账号", message: "您的账号无权导入花名册")])
        }
    }

    /// Every unit's parent by code, as it would be after the import.
    static func parentCodes(_ fileUnits: [RosterUnitRow], existing: [RosterPlan.UnitRow]) -> [String: String] {
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
