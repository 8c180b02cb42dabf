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
        guard let unitID = try await UnitQueries.chosen(form.unitID, on: req.sql), scope.allowsUnit(unitID) else {
            throw RequestFailure.invalid("「单位」必选（选择或填写单位编码），且只能是您有权管理的单位。")
        }
        var row = SheetRow<RosterColumn>(form: [
            .title: .text(form.title), .principal: .text(form.principal ?? ""), .mainDuty: .text(form.mainDuty ?? ""),
            .startDate: .text(form.startDate ?? ""), .orderNumber: .text(form.orderNumber ?? ""),
        ])
        let entry = CadreRules.post(&row)
        guard !row.hasProblems else { throw RequestFailure.invalid(row.problems.map(\.description)) }
        let now = req.clock.now
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
            try await Cadre.touch([cadreID], now: now, on: sql)
        }
        return req.redirect(to: .cadre(cadreID), notice: .saved)
    }

    struct EndForm: Content { var endDate: String?; var confirm: String? }

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
        let form = try req.content.decode(EndForm.self)
        guard form.confirm == "是" else { throw RequestFailure.invalid("请勾选「确认结束」后再结束职务。") }
        let end = SheetCell.formDate(form.endDate, label: "结束日期", problems: &errors) ?? req.clock.today.description
        guard errors.isEmpty else { throw RequestFailure.invalid(errors) }
        guard end >= post.startDate else {
            throw RequestFailure.invalid("「结束日期」不能早于任职日期 \(post.startDate)。")
        }
        let before = post.fields
        post.endDate = end
        let now = req.clock.now
        try await req.audited { tx, audit in
            try await post.save(on: tx)
            try await Cadre.touch([cadre.id!], now: now, on: tx as! any SQLDatabase)
            audit.record(.init(action: .update, entity: .post, entityID: post.id!.uuidString, before: before.auditSnapshot,
                               after: post.fields.auditSnapshot))
        }
        return req.redirect(to: .cadre(cadre.id!), notice: .saved)
    }

    /// Undo by correction: a post ended by mistake becomes current again, with a reason. Refused when the cadre
    /// already holds another main post (or the same 兼职), which would leave two current posts of that kind.
    @Sendable static func reopenPost(req: Request) async throws -> Response {
        let cadre = try await req.editableCadre(req.pathID(.cadre))
        let cadreID = try cadre.requireID()
        let postID = try req.pathID(.post, "postID")
        guard let post = try await Post.find(postID, on: req.db), post.$cadre.id == cadreID else { throw RequestFailure.notFound(.post) }
        guard post.endDate != nil else { throw RequestFailure.invalid("该职务是现任职务，无需恢复。") }
        if case .units(let ids) = try await req.scope(), !ids.contains(post.$unit.id) { throw RequestFailure.forbidden(.postOutsideScope) }
        let reason = try req.correctionReason()
        let before = post.fields
        let now = req.clock.now
        try await req.audited { tx, audit in
            let sql = tx as! any SQLDatabase
            let history = try await PostHistory.history(of: [cadreID], on: sql)[cadreID] ?? []
            let open = history.filter(\.isOpen)
            if post.mainDuty, let current = open.first(where: \.main_duty) {
                throw RequestFailure.invalid("该干部已有现任主职「\(current.title)」（\(current.start_date) 起），不能再恢复另一主职；如需更正，请先结束现任主职。")
            }
            // A main post held after this one (ended since) would overlap it.
            if post.mainDuty, let later = history.filter({ $0.main_duty && $0.id != postID && $0.start_date > post.startDate })
                .min(by: { $0.start_date < $1.start_date }) {
                throw RequestFailure.invalid("该干部在此之后还任过主职「\(later.title)」（\(later.start_date) 起），恢复会使两个主职重叠。")
            }
            if !post.mainDuty, open.contains(where: { !$0.main_duty && $0.unit_id == post.$unit.id && $0.title == post.title }) {
                throw RequestFailure.invalid("该干部已有现任兼职「\(post.title)」，无需恢复。")
            }
            post.endDate = nil
            try await post.save(on: tx)
            try await Cadre.touch([cadreID], now: now, on: sql)
            audit.record(.init(action: .update, entity: .post, entityID: postID.uuidString, before: before.auditSnapshot,
                               after: post.fields.auditSnapshot, reason: "恢复为现任职务：\(reason)"))
        }
        return req.redirect(to: .cadre(cadreID), notice: .saved)
    }

    /// Undo by correction: a current post entered by mistake is deleted, with a reason. A main post gives back the
    /// main post it had ended (the one that ended the day it began). Ended posts are history and are never deleted.
    @Sendable static func deletePost(req: Request) async throws -> Response {
        let cadre = try await req.editableCadre(req.pathID(.cadre))
        let cadreID = try cadre.requireID()
        let postID = try req.pathID(.post, "postID")
        guard let post = try await Post.find(postID, on: req.db), post.$cadre.id == cadreID else { throw RequestFailure.notFound(.post) }
        guard post.endDate == nil else { throw RequestFailure.invalid("已结束的职务是任免历史，不能删除；如结束有误，请「恢复为现任」。") }
        let scope = try await req.scope()
        if case .units(let ids) = scope, !ids.contains(post.$unit.id) { throw RequestFailure.forbidden(.postOutsideScope) }
        let reason = try req.correctionReason()
        let before = post.fields
        let now = req.clock.now
        try await req.audited { tx, audit in
            let sql = tx as! any SQLDatabase
            if post.mainDuty {
                let history = try await PostHistory.history(of: [cadreID], on: sql)[cadreID] ?? []
                if let replaced = history.filter({ $0.main_duty && $0.end_date == post.startDate && $0.id != postID })
                    .max(by: { $0.start_date < $1.start_date }), scope.allowsUnit(replaced.unit_id) {
                    try await sql.update("posts").set("end_date", to: SQLBind(String?.none)).where("id", .equal, SQLBind(replaced.id)).run()
                    var reopened = replaced.fields
                    reopened.endDate = nil
                    audit.record(.init(action: .update, entity: .post, entityID: replaced.id.uuidString, before: replaced.fields.auditSnapshot,
                                       after: reopened.auditSnapshot, reason: "删除误录入的职务，原主职恢复为现任：\(reason)"))
                }
            }
            try await post.delete(on: tx)
            audit.record(.init(action: .delete, entity: .post, entityID: postID.uuidString, before: before.auditSnapshot,
                               reason: "删除误录入的职务：\(reason)"))
            try await Cadre.touch([cadreID], now: now, on: sql)
        }
        return req.redirect(to: .cadre(cadreID), notice: .deleted)
    }
}
