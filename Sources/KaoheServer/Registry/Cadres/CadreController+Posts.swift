import Fluent
import OfficeDocuments
import SQLKit
import Vapor

/// 职务 of a cadre: history is kept; ending sets the end date, a new main post ends the previous open one.
extension CadreController {
    struct PostForm: Content {
        var unitID: String
        var title: String
        var principal: String?
        var mainDuty: String?
        var startDate: String?
        var orderNumber: String?
    }

    @Sendable static func addPost(req: Request) async throws -> Response {
        let cadre = try await req.editableCadre(req.pathID(.cadre))
        let cadreID = try cadre.requireID()
        let form = try req.content.decode(PostForm.self)
        let scope = try await req.scope()
        guard let unitID = UUID(uuidString: form.unitID), try await Unit.find(unitID, on: req.db) != nil, scope.allowsUnit(unitID) else {
            throw RequestFailure.invalid("「单位」必选，且只能是您有权管理的单位。")
        }
        var row = SheetRow<RosterColumn>(form: [
            .title: .text(form.title), .principal: .text(form.principal ?? ""), .mainDuty: .text(form.mainDuty ?? ""),
            .startDate: .text(form.startDate ?? ""), .orderNumber: .text(form.orderNumber ?? ""),
        ])
        let entry = CadreRules.post(&row)
        guard !row.hasProblems else { throw RequestFailure.invalid(row.problems.map(\.description)) }
        let post = PostFields(cadreID: cadreID, unitID: unitID, title: entry.title, principal: entry.principal,
                              mainDuty: entry.mainDuty, startDate: entry.startDate ?? req.clock.today.description,
                              orderNumber: entry.orderNumber)
        try await req.audited { tx, audit in
            let sql = tx as! any SQLDatabase
            if post.mainDuty {
                let open = try await PostHistory.openPosts(of: [cadreID], on: sql)[cadreID] ?? []
                // A scoped account never ends a post outside its scope.
                if !open.filter(\.main_duty).allSatisfy({ scope.allowsUnit($0.unit_id) }) {
                    throw RequestFailure.invalid("该干部的现任主职不在您的管理范围内，不能由您变更主职（可添加兼职，或请组织部调整）。")
                }
                // The current main post ends the day the new one starts: it must have started before (no zero-length post).
                if let current = open.filter(\.main_duty).max(by: { $0.start_date < $1.start_date }), current.start_date >= post.startDate {
                    throw RequestFailure.invalid("「任职日期」须晚于现任主职「\(current.title)」的任职日期 \(current.start_date)。")
                }
                audit.record(try await PostHistory.endMainPosts(open, newStart: post.startDate, reason: "新任主职，原主职结束", on: sql))
            }
            audit.record(try await PostHistory.open(post, on: sql).1)
        }
        return req.redirect(to: .cadre(cadreID), notice: .saved)
    }

    struct EndForm: Content { var endDate: String? }

    @Sendable static func endPost(req: Request) async throws -> Response {
        let cadre = try await req.editableCadre(req.pathID(.cadre))
        let postID = try req.pathID(.post, "postID")
        guard let post = try await Post.find(postID, on: req.db), post.$cadre.id == cadre.id else {
            throw RequestFailure.notFound(.post)
        }
        guard post.endDate == nil else { throw RequestFailure.invalid("该职务已于 \(post.endDate!) 结束。") }
        if case .units(let ids) = try await req.scope(), !ids.contains(post.$unit.id) {
            throw RequestFailure.forbidden(.postOutsideScope)
        }
        var errors: [String] = []
        let end = SheetCell.formDate(try req.content.decode(EndForm.self).endDate, label: "结束日期", problems: &errors)
            ?? req.clock.today.description
        guard errors.isEmpty else { throw RequestFailure.invalid(errors) }
        guard end >= post.startDate else {
            throw RequestFailure.invalid("「结束日期」不能早于任职日期 \(post.startDate)。")
        }
        let before = post.fields
        post.endDate = end
        try await req.audited { tx, audit in
            try await post.save(on: tx)
            audit.record(.init(action: .update, entity: .post, entityID: post.id!.uuidString, before: before.auditSnapshot,
                               after: post.fields.auditSnapshot))
        }
        return req.redirect(to: .cadre(cadre.id!), notice: .saved)
    }
}
