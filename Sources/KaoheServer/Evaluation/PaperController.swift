import AssessmentCore
import Fluent
import SQLKit
import Vapor

/// 纸质票录入: staff enter each paper ballot twice; two entries that agree count it, a mismatch is shown side by side
/// and settled by reading the sheet again (`PaperBallots`).
struct PaperController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let staff = routes.grouped(RequireRole(.admin, .organisationDepartment, .groupMember))
        staff.get(.sessionPaper, use: Self.form)
        staff.post(.sessionPaper, use: Self.enter)
        staff.get(.sessionPaperSheet, use: Self.mismatch)
        staff.post(.sessionPaperSheet, use: Self.resolve)
    }

    struct OpenSheet: Encodable { var number: Int; var category: String; var state: String; var link: String? }
    struct FormPage: Encodable {
        var page: PageContext
        var unit: String; var back: String; var action: String; var open: Bool
        var number: String; var categories: [SelectOption]; var void: Bool; var comment: String
        var subjects: [BallotForm.Subject]; var maxBest: String?
        var message: String?; var error: String?
        var sheets: [OpenSheet]
    }

    struct EntryForm {
        var number: Int?
        var category: String
        var entry: PaperBallots.Entry

        init(_ form: [String: String]) {
            number = Int((form["number"] ?? "").trimmingCharacters(in: .whitespaces))
            category = form["category"] ?? ""
            // A void sheet (废票) keeps nothing of what it says: two void entries agree, and nothing unchecked is stored.
            let void = form["void"] == "是"
            entry = PaperBallots.Entry(answers: void ? [:] : BallotForm.answers(form, besides: ["number", "category", "void", "comment"]),
                                       comment: void ? "" : (form["comment"] ?? "").trimmingCharacters(in: .whitespacesAndNewlines), void: void)
        }
    }

    @Sendable static func form(req: Request) async throws -> View {
        let (session, _, unit) = try await req.evaluationSession()
        return try await page(req, session: session, unit: unit, form: nil, message: nil, error: nil)
    }

    static func page(_ req: Request, session: EvaluationSession, unit: Unit, form: EntryForm?, message: String?, error: String?) async throws -> View {
        let sheet = try session.sheet()
        let id = try session.requireID()
        let open = try await PaperBallots.open(session: id, on: req.sql).map {
            OpenSheet(number: $0.number, category: $0.category,
                      state: $0.status == PaperBallots.mismatch ? "两次录入不一致" : "已录入一次，待另一人录入",
                      link: $0.status == PaperBallots.mismatch ? SiteRoute.sessionPaperSheet(session: id, sheet: $0.id).path : nil)
        }
        let keep = error != nil ? form : nil
        return try await req.view.render("sessions/paper", FormPage(
            page: PageContext(req, title: "纸质票录入 · \(unit.name)"), unit: unit.name, back: SiteRoute.session(id).path,
            action: SiteRoute.sessionPaper(id).path, open: session.isOpen,
            number: keep?.number.map(String.init) ?? "",
            categories: session.categories.map { SelectOption(value: $0.name, label: $0.name, selected: $0.name == form?.category) },
            void: keep?.entry.void ?? false, comment: keep?.entry.comment ?? "",
            subjects: BallotForm.subjects(sheet, answers: keep?.entry.answers ?? [:], problems: []), maxBest: BallotForm.maxBestHint(sheet),
            message: message, error: error, sheets: open))
    }

    @Sendable static func enter(req: Request) async throws -> Response {
        let (session, _, unit) = try await req.evaluationSession()
        let form = EntryForm(try req.content.decode([String: String].self))
        func again(_ message: String?, _ error: String?) async throws -> Response {
            let response = try await page(req, session: session, unit: unit, form: form, message: message, error: error).encodeResponse(for: req)
            if error != nil { response.status = .unprocessableEntity }
            return response
        }
        guard session.isOpen else { return try await again(nil, "民主测评已结束，不能再录入纸质票（可由组织部重新开放）。") }
        guard let number = form.number, (1...100_000).contains(number) else { return try await again(nil, "「票号」应为 1 到 100000 的整数（写在纸质票上的编号）。") }
        guard session.categories.contains(where: { $0.name == form.category }) else { return try await again(nil, "「类别」请从列表中选择。") }
        let sheet = try session.sheet()
        let sessionID = try session.requireID(), account = try req.account!.requireID()
        let outcome: PaperBallots.Outcome
        do {
            // Audited: the audit head's lock makes entries of one sheet wait for each other (no sheet counted twice),
            // and the log says who entered which sheet number — never what the ballot says.
            outcome = try await req.audited { tx, audit in
                let outcome = try await PaperBallots.enter(session: sessionID, sheet: sheet, number: number, category: form.category,
                                                           entry: form.entry, by: account, on: tx as! any SQLDatabase)
                let step: String
                switch outcome {
                case .firstEntry: step = "第一次录入"
                case .counted: step = "第二次录入一致，计入"
                case .void: step = "第二次录入一致，废票"
                case .mismatch: step = "第二次录入不一致"
                }
                audit.record(.init(action: .update, entity: .evaluationSession, entityID: sessionID.uuidString,
                                   after: ["paperSheet": "\(number)", "step": step]))
                return outcome
            }
        } catch let refusal as PaperBallots.Refusal {
            return try await again(nil, refusal.description)
        }
        switch outcome {
        case .firstEntry: return try await again("第 \(number) 号票第一次录入完成，请另一人再录入一次。", nil)
        case .counted: return try await again("第 \(number) 号票两次录入一致，已计入。", nil)
        case .void: return try await again("第 \(number) 号票两次录入均为废票，已记为废票。", nil)
        case .mismatch(let id): return req.redirect(to: SiteRoute.sessionPaperSheet(session: sessionID, sheet: id).path)
        }
    }

    struct Difference: Encodable { var item: String; var first: String; var second: String; var differs: Bool }
    struct MismatchPage: Encodable {
        var page: PageContext
        var number: Int; var back: String; var action: String
        var differences: [Difference]
        var categories: [SelectOption]
        var subjects: [BallotForm.Subject]
        var error: String?
    }

    static func sheetRow(_ req: Request, session: UUID) async throws -> PaperBallots.Sheet {
        guard let id = req.parameters.get("sheetID", as: UUID.self),
              let row = try await PaperBallots.open(session: session, on: req.sql).first(where: { $0.id == id && $0.status == PaperBallots.mismatch }) else {
            throw RequestFailure.notFound(.page)
        }
        return row
    }

    @Sendable static func mismatch(req: Request) async throws -> View {
        let (session, _, _) = try await req.evaluationSession()
        let row = try await sheetRow(req, session: session.requireID())
        return try await mismatchPage(req, session: session, row: row, error: nil)
    }

    static func mismatchPage(_ req: Request, session: EvaluationSession, row: PaperBallots.Sheet, error: String?) async throws -> View {
        let sheet = try session.sheet()
        let first = PaperBallots.decode(row.first_answers), second = PaperBallots.decode(row.second_answers)
        var differences = [Difference(item: "类别", first: row.category, second: second?.answers["_category"] ?? row.category,
                                      differs: row.category != (second?.answers["_category"] ?? row.category)),
                           Difference(item: "废票", first: first?.void == true ? "是" : "否", second: second?.void == true ? "是" : "否",
                                      differs: first?.void != second?.void)]
        for item in sheet.items {
            let a = first?.answers[item.key] ?? "", b = second?.answers[item.key] ?? ""
            differences.append(Difference(item: "\(item.subject) · \(item.aspect)", first: a, second: b, differs: a != b))
        }
        differences.append(Difference(item: "意见建议", first: first?.comment ?? "", second: second?.comment ?? "", differs: first?.comment != second?.comment))
        let id = try session.requireID()
        return try await req.view.render("sessions/paper-mismatch", MismatchPage(
            page: PageContext(req, title: "第 \(row.number) 号票核对"), number: row.number, back: SiteRoute.sessionPaper(id).path,
            action: SiteRoute.sessionPaperSheet(session: id, sheet: row.id).path, differences: differences,
            categories: session.categories.map { SelectOption(value: $0.name, label: $0.name, selected: $0.name == row.category) },
            subjects: BallotForm.subjects(sheet, answers: [:], problems: []), error: error))
    }

    @Sendable static func resolve(req: Request) async throws -> Response {
        let (session, _, _) = try await req.evaluationSession()
        let sessionID = try session.requireID()
        let row = try await sheetRow(req, session: sessionID)
        let form = EntryForm(try req.content.decode([String: String].self))
        guard session.isOpen else { throw RequestFailure.invalid("民主测评已结束，不能再录入纸质票（可由组织部重新开放）。") }
        guard session.categories.contains(where: { $0.name == form.category }) else { throw RequestFailure.invalid("「类别」请从列表中选择。") }
        let sheet = try session.sheet()
        do {
            _ = try await req.audited { tx, audit in
                let outcome = try await PaperBallots.resolve(row.id, session: sessionID, sheet: sheet, category: form.category, entry: form.entry,
                                                             on: tx as! any SQLDatabase)
                // Who settled which sheet number — never what the ballot says.
                audit.record(.init(action: .update, entity: .evaluationSession, entityID: sessionID.uuidString,
                                   after: ["paperSheet": "\(row.number)", "resolved": outcome == .void ? "废票" : "计入"]))
                return outcome
            }
        } catch let refusal as PaperBallots.Refusal {
            let response = try await mismatchPage(req, session: session, row: row, error: refusal.description).encodeResponse(for: req)
            response.status = .unprocessableEntity
            return response
        }
        return req.redirect(to: .sessionPaper(sessionID))
    }
}
