import Fluent
import SQLKit
import Vapor

/// Deleting a cadre entered by mistake, with a reason. Refused when history would break: ended posts, yearly facts,
/// or an account that belongs to the cadre. The audit log keeps everything deleted (before-snapshots and reason).
extension CadreController {
    @Sendable static func deleteCadre(req: Request) async throws -> Response {
        let cadre = try await req.editableCadre(req.pathID(.cadre))
        let cadreID = try cadre.requireID()
        let reason = try req.correctionReason()
        let before = cadre.fields
        let scope = try await req.scope()
        try await req.audited { tx, audit in
            let sql = tx as! any SQLDatabase
            let posts = try await PostHistory.history(of: [cadreID], on: sql)[cadreID] ?? []
            // A unit administrator deletes only a cadre all of whose posts are in its scope.
            guard posts.allSatisfy({ scope.allowsUnit($0.unit_id) }) else { throw RequestFailure.forbidden(.cadreOutsideScope) }
            var refusals: [String] = []
            let ended = posts.filter { !$0.isOpen }
            if !ended.isEmpty { refusals.append("有 \(ended.count) 条职务历史（删除会丢失任免记录；如职务有误，请更正职务）") }
            if try await CadreYearFact.query(on: tx).filter(\.$cadre.$id == cadreID).count() > 0 { refusals.append("有年度情况记录") }
            if try await Account.query(on: tx).filter(\.$cadre.$id == cadreID).count() > 0 { refusals.append("有对应的登录账号") }
            guard refusals.isEmpty else {
                throw RequestFailure.invalid("不能删除「\(before.name)」：\(refusals.joined(separator: "；"))。删除只用于误录入的干部。")
            }
            for post in posts {
                try await sql.delete(from: "posts").where("id", .equal, SQLBind(post.id)).run()
                audit.record(.init(action: .delete, entity: .post, entityID: post.id.uuidString, before: post.fields.auditSnapshot,
                                   reason: "删除误录入的干部：\(reason)"))
            }
            try await cadre.delete(on: tx)
            audit.record(.init(action: .delete, entity: .cadre, entityID: cadreID.uuidString, before: before.auditSnapshot,
                               reason: "删除误录入的干部：\(reason)"))
        }
        return req.redirect(to: .cadres, notice: .deleted)
    }
}
