import Foundation
import OfficeDocuments
import SQLKit
import Vapor

/// Preview before commit: an upload is checked and planned, stored as a draft, and shown as what it would do;
/// 「确认导入」 commits exactly that (planned again in the writing transaction: a different plan means the data
/// changed in between, and the new preview is shown instead of writing).
extension RosterController {
    struct Upload: Content { var file: File? }

    /// POST of the import form: every problem (nothing stored), or the preview.
    @Sendable static func upload(req: Request) async throws -> Response {
        try req.requireRegistryEditor()
        let scope = try await req.scope()
        guard scope == .all || scope.unitIDs?.isEmpty == false else { throw RequestFailure.forbidden(.rosterImport) }
        let upload = try? req.content.decode(Upload.self)
        guard let file = upload?.file, file.data.readableBytes > 0 else {
            throw RequestFailure.invalid("请选择要导入的 .xlsx 或 .csv 文件。")
        }
        let data = Data(buffer: file.data)
        let filename = String(file.filename.prefix(200))
        // Reading and validating a large sheet is CPU work: off the cooperative threads, on the blocking pool.
        let parsed = try await req.application.threadPool.runIfActive { try RosterFile.read(data, filename: filename) }
        let plan = try await RosterCommit.preview(parsed, scope: scope, on: req.db, clock: req.clock)
        try await RosterDrafts.deleteAll(owner: req.actor.id, on: req.sql)  // a new upload replaces the account's earlier preview
        let id = try await RosterDrafts.save(plan, owner: req.actor.id, filename: filename, content: data,
                                             now: req.clock.epochSeconds, on: req.sql)
        return req.redirect(to: .rosterPreview(id))
    }

    /// One line of the preview as the page shows it.
    struct PreviewLine: Encodable {
        var kind: String
        var code: String
        var name: String
        var unit: String
        var action: String
        var rows: String
        var changes: [String]

        init(_ item: RosterPreviewItem) {
            kind = item.kind.rawValue; code = item.code; name = item.name; unit = item.unit; action = item.action
            rows = item.rows.map(String.init).joined(separator: "、")
            changes = item.changes
        }
    }

    struct PreviewPage: Encodable {
        var page: PageContext
        var filename: String
        var summary: RosterImportSummary
        var summaryText: String
        var isEmpty: Bool
        var warnings: [String]
        var warningTotal: Int
        var warningsShown: Int
        var lines: [PreviewLine]
        var itemTotal: Int
        var pageNumber: Int
        var pageCount: Int
        var previous: String?
        var next: String?
        var digest: String
        var confirmAction: String
        var discardAction: String
        var workbookPath: String
        var importPath = SiteRoute.rosterImport.path
    }

    /// The draft of this account named by the path (404 otherwise: another account's draft reveals nothing).
    private static func draft(_ req: Request) async throws -> RosterDrafts.Header {
        try req.requireRegistryEditor()
        let id = try req.pathID(.rosterPreview)
        guard let draft = try await RosterDrafts.header(id, owner: req.actor.id, now: req.clock.epochSeconds, on: req.sql) else {
            throw RequestFailure.notFound(.rosterPreview)
        }
        return draft
    }

    @Sendable static func preview(req: Request) async throws -> View {
        let draft = try await draft(req)
        let s = draft.decodedSummary
        let pageCount = max(1, (s.itemCount + RosterDrafts.pageSize - 1) / RosterDrafts.pageSize)
        let number = min(req.pageNumber, pageCount)  // past the end: the last page
        let items = try await RosterDrafts.page(draft.id, .items, number, as: RosterPreviewItem.self, on: req.sql)
        let warnings = try await RosterDrafts.page(draft.id, .warnings, 1, as: RosterWarning.self, on: req.sql)
        let here = SiteRoute.rosterPreview(draft.id).path
        return try await req.view.render("roster/preview", PreviewPage(
            page: PageContext(req, title: "花名册导入预览"), filename: draft.filename, summary: s.summary,
            summaryText: s.summary.text, isEmpty: s.isEmpty, warnings: warnings.map(\.description), warningTotal: s.warningCount,
            warningsShown: warnings.count, lines: items.map(PreviewLine.init), itemTotal: s.itemCount, pageNumber: number,
            pageCount: pageCount, previous: number > 1 ? "\(here)?page=\(number - 1)" : nil,
            next: number < pageCount ? "\(here)?page=\(number + 1)" : nil, digest: draft.digest,
            confirmAction: SiteRoute.rosterConfirm(draft.id).path, discardAction: SiteRoute.rosterDiscard(draft.id).path,
            workbookPath: SiteRoute.rosterPreviewWorkbook(draft.id).path))
    }

    struct ConfirmForm: Content { var digest: String? }

    /// 确认导入: commits the previewed plan, or shows the new preview when the data changed since.
    @Sendable static func confirm(req: Request) async throws -> Response {
        let draft = try await draft(req)
        let scope = try await req.scope()
        guard scope == .all || scope.unitIDs?.isEmpty == false else { throw RequestFailure.forbidden(.rosterImport) }
        let digest = (try? req.content.decode(ConfirmForm.self))?.digest ?? ""
        guard let data = try await RosterDrafts.content(draft.id, on: req.sql) else { throw RequestFailure.notFound(.rosterPreview) }
        let filename = draft.filename
        let parsed = try await req.application.threadPool.runIfActive { try RosterFile.read(data, filename: filename) }
        let outcome = try await RosterCommit.commit(parsed, scope: scope, actor: req.actor, on: req.db, clock: req.clock,
                                                    seal: req.application.auditSeal, expecting: digest)
        switch outcome {
        case .committed(let plan):
            try await RosterDrafts.delete(draft.id, on: req.sql)
            return try await req.view.render("roster/import", importPage(req, summary: "导入成功：\(plan.summary.text)。", filename: filename))
                .encodeResponse(for: req)
        case .changed(let plan):
            try await RosterDrafts.save(plan, id: draft.id, owner: draft.owner, filename: filename, content: data,
                                        now: req.clock.epochSeconds, on: req.sql)
            return req.redirect(to: .rosterPreview(draft.id), notice: .rosterChanged)
        }
    }

    @Sendable static func discard(req: Request) async throws -> Response {
        let draft = try await draft(req)
        try await RosterDrafts.delete(draft.id, on: req.sql)
        return req.redirect(to: .rosterImport, notice: .discarded)
    }

    @Sendable static func previewWorkbook(req: Request) async throws -> Response {
        let draft = try await draft(req)
        let items = try await RosterDrafts.all(draft.id, .items, as: RosterPreviewItem.self, on: req.sql)
        let warnings = try await RosterDrafts.all(draft.id, .warnings, as: RosterWarning.self, on: req.sql)
        let data = try previewWorkbook(filename: draft.filename, summary: draft.decodedSummary.summary, items: items, warnings: warnings)
        return xlsxResponse(data, filename: "花名册导入预览-\(req.clock.today).xlsx")
    }

    /// The preview as a workbook: 汇总, 提醒 (one row per warning), 变动 (one row per change).
    static func previewWorkbook(filename: String, summary: RosterImportSummary, items: [RosterPreviewItem],
                                warnings: [RosterWarning]) throws -> Data {
        var wb = XLSXWorkbook()
        wb.title = "花名册导入预览"
        wb.addSheet(name: "汇总", rows: [
            ["文件", .text(filename)],
            ["预览结果", .text(summary.text)],
            ["说明", "此为预览，尚未导入。确认导入请回到系统中的预览页面点击「确认导入」。"],
        ], columnWidths: [12, 100])
        wb.addSheet(name: "提醒", rows: [["行号", "干部编号", "姓名", "提醒"]] + warnings.map { w in
            [w.row > 0 ? .number(Double(w.row)) : .empty, .text(w.code), .text(w.name), .text(w.message)]
        }, columnWidths: [8, 14, 10, 100])
        var rows: [[CellValue]] = [["类别", "编号", "姓名/名称", "单位/类别", "操作", "行号", "变动内容"]]
        for item in items {
            let rowNumbers = CellValue.text(item.rows.map(String.init).joined(separator: "、"))
            for (i, change) in (item.changes.isEmpty ? [""] : item.changes).enumerated() {
                rows.append(i == 0
                    ? [.text(item.kind.rawValue), .text(item.code), .text(item.name), .text(item.unit), .text(item.action), rowNumbers, .text(change)]
                    : [.empty, .empty, .empty, .empty, .empty, .empty, .text(change)])
            }
        }
        wb.addSheet(name: "变动", rows: rows, columnWidths: [6, 14, 10, 20, 6, 10, 80])
        return try wb.data()
    }
}
