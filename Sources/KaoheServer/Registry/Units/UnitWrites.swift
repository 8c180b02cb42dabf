import Foundation
import SQLKit

/// Writing units: one implementation for the unit form and the roster import.
enum UnitWrites {
    /// Creates a unit and its 领导班子 inside the caller's audited transaction; returns the audit records of both.
    /// The parent (if any) must exist already.
    static func create(_ unit: UnitFields, id: UUID = UUID(), reason: String? = nil, now: Date,
                       on sql: any SQLDatabase) async throws -> (id: UUID, records: [AuditRecord]) {
        try await sql.insert(into: "units").columns("id", "code", "name", "category_id", "parent_id", "created_at", "updated_at")
            .values(SQLBind(id), SQLBind(unit.code), SQLBind(unit.name), SQLBind(unit.categoryID), SQLBind(unit.parentID),
                    SQLBind(now), SQLBind(now)).run()
        let teamID = UUID()
        let teamName = Team.name(ofUnit: unit.name)
        try await sql.insert(into: "teams").columns("id", "unit_id", "name")
            .values(SQLBind(teamID), SQLBind(id), SQLBind(teamName)).run()
        return (id, [
            AuditRecord(action: .create, entity: .unit, entityID: id.uuidString, after: unit.auditSnapshot, reason: reason),
            AuditRecord(action: .create, entity: .team, entityID: teamID.uuidString,
                        after: Team.auditSnapshot(unitID: id, name: teamName), reason: reason),
        ])
    }

    /// Every unit's parent, by id (the unit form's cycle check).
    static func parents(on sql: any SQLDatabase) async throws -> [UUID: UUID] {
        struct Row: Decodable { var id: UUID; var parent_id: UUID? }
        let rows = try await sql.select().columns("id", "parent_id").from("units")
            .where("parent_id", .isNot, SQLLiteral.null).all(decoding: Row.self)
        return Dictionary(rows.compactMap { r in r.parent_id.map { (r.id, $0) } }, uniquingKeysWith: { a, _ in a })
    }
}
