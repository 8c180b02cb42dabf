import Fluent
import SQLKit
import Vapor

/// Deleting a unit entered by mistake (组织部), with a reason. Refused when anything refers to it: posts (current or
/// past), subordinate units, accounts, assessment groups, secondments. The unit's 领导班子 goes with it; the audit log
/// keeps both before-snapshots and the reason.
extension UnitController {
    @Sendable static func deleteUnit(req: Request) async throws -> Response {
        try req.requireDepartmentWide()
        let unit = try await req.scopedUnit(req.pathID(.unit))
        let unitID = try unit.requireID()
        let reason = try req.correctionReason()
        let before = unit.fields
        try await req.audited { tx, audit in
            var refusals: [String] = []
            let posts = try await Post.query(on: tx).filter(\.$unit.$id == unitID).count()
            if posts > 0 { refusals.append("有 \(posts) 条职务记录（含历史）") }
            if try await Unit.query(on: tx).filter(\.$parent.$id == unitID).count() > 0 { refusals.append("有下级单位") }
            struct Count: Decodable { var n: Int }
            let accounts = try await (tx as! any SQLDatabase).select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").from("accounts")
                .where { $0.where("unit_id", .equal, SQLBind(unitID)).orWhere("scoring_unit_id", .equal, SQLBind(unitID)) }
                .first(decoding: Count.self)?.n ?? 0
            if accounts > 0 { refusals.append("有本单位（或以其为考核责任单位）的账号") }
            if try await AssessmentGroupUnit.query(on: tx).filter(\.$unit.$id == unitID).count() > 0 { refusals.append("在考核组中") }
            if try await CadreYearFact.query(on: tx).filter(\.$secondmentHost.$id == unitID).count() > 0 { refusals.append("是挂职单位") }
            guard refusals.isEmpty else {
                throw RequestFailure.invalid("不能删除「\(before.name)」：\(refusals.joined(separator: "；"))。删除只用于误录入的单位。")
            }
            for team in try await Team.query(on: tx).filter(\.$unit.$id == unitID).all() {
                try await team.delete(on: tx)
                audit.record(.init(action: .delete, entity: .team, entityID: team.id!.uuidString,
                                   before: Team.auditSnapshot(unitID: unitID, name: team.name), reason: "删除误录入的单位：\(reason)"))
            }
            try await unit.delete(on: tx)
            audit.record(.init(action: .delete, entity: .unit, entityID: unitID.uuidString, before: before.auditSnapshot,
                               reason: "删除误录入的单位：\(reason)"))
        }
        return req.redirect(to: .units, notice: .deleted)
    }
}
