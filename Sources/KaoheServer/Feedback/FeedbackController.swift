import AssessmentCore
import Fluent
import SQLKit
import Vapor

/// 情况反馈 (seed 002 §三(二)7 采取适当方式向考核对象反馈年度考核情况): after the committee's approval the organisation
/// department writes feedback to each team and cadre; in 反馈归档 the results are published — each cadre sees their
/// own grade and feedback, each unit (its administrator) its team's — and the department sees who has read it.
struct FeedbackController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let department = routes.grouped(RequireRole(.admin, .organisationDepartment))
        department.get(.campaignFeedback, use: Self.index)
        department.post(.campaignFeedback, use: Self.write)
        routes.grouped(RequireRole(.cadre, .unitAdmin)).get(.results, use: Self.results)
    }

    struct Entry: Decodable, Sendable { var subject: String; var code: String; var text: String; var updated_at: Double }
    struct Read: Decodable, Sendable { var subject: String; var code: String; var read_at: Double }

    static func load(campaign: UUID, on sql: any SQLDatabase) async throws -> [String: Entry] {
        Dictionary(try await sql.raw("SELECT subject, code, text, updated_at FROM feedback WHERE campaign_id = \(bind: campaign)")
            .all(decoding: Entry.self).map { ("\($0.subject) \($0.code)", $0) }) { a, _ in a }
    }

    /// The last reading of each subject's published result.
    static func reads(campaign: UUID, on sql: any SQLDatabase) async throws -> [String: Double] {
        var out: [String: Double] = [:]
        for r in try await sql.raw("SELECT subject, code, read_at FROM feedback_reads WHERE campaign_id = \(bind: campaign)").all(decoding: Read.self) {
            let key = "\(r.subject) \(r.code)"
            out[key] = max(out[key] ?? 0, r.read_at)
        }
        return out
    }

    // MARK: 组织部

    struct SubjectRow: Encodable {
        var subject: String; var code: String; var name: String; var title: String; var grade: String
        var text: String; var read: String?
    }
    struct UnitRows: Encodable { var name: String; var rows: [SubjectRow] }
    struct IndexPage: Encodable {
        var page: PageContext
        var title: String; var back: String; var phase: String; var published: Bool
        var canWrite: Bool; var note: String?
        var units: [UnitRows]; var action: String
        var readCount: Int; var subjectCount: Int
        var pageNumber: Int; var pageCount: Int; var previous: String?; var next: String?
    }

    @Sendable static func index(req: Request) async throws -> View {
        let campaign = try await req.campaign()
        let campaignID = try campaign.requireID()
        let phase = try await CampaignWorkflow.phase(of: campaignID, on: req.sql)
        let grading = try await CampaignGrading.current(campaign, on: req)
        let texts = try await load(campaign: campaignID, on: req.sql)
        let reads = try await reads(campaign: campaignID, on: req.sql)
        let grades = Dictionary(grading.dataset.teams.enumerated().map { ("team \($1.id)", grading.result.teams[$0].grade ?? "—") }
                                + grading.dataset.cadres.enumerated().map { ("cadre \($1.id)", grading.result.cadres[$0].grade ?? "—") }) { a, _ in a }
        func when(_ t: Double?) -> String? { t.map { req.clock.day(of: Date(timeIntervalSince1970: $0)).description } }
        /// Read since the feedback last changed: the date; read before it changed: said so; never: nil.
        func read(_ key: String) -> String? {
            guard let at = reads[key] else { return nil }
            if let changed = texts[key]?.updated_at, changed > at { return "反馈修改后未再阅（上次 \(when(at)!)）" }
            return "已阅 \(when(at)!)"
        }
        let units = grading.roster.evaluated
        let path = SiteRoute.campaignFeedback(campaignID).path
        let list = ListPage(units, perPage: 20, requested: req.pageNumber) { path + listQueryString([("page", "\($0)")]) }
        let shown = list.items.map { u in
            UnitRows(name: u.name, rows: (u.teamName == nil ? [] : [SubjectRow(subject: "team", code: u.code, name: u.teamName ?? u.name, title: "领导班子",
                                                     grade: grades["team \(u.code)"] ?? "—", text: texts["team \(u.code)"]?.text ?? "",
                                                     read: read("team \(u.code)"))])
                     + u.cadres.filter { grades["cadre \($0.code)"] != nil }.map { p in
                         SubjectRow(subject: "cadre", code: p.code, name: p.name, title: p.title, grade: grades["cadre \(p.code)"] ?? "—",
                                    text: texts["cadre \(p.code)"]?.text ?? "", read: read("cadre \(p.code)"))
                     })
        }
        let canWrite = CampaignChange.feedback.phases.contains(phase)
        return try await req.view.render("feedback/index", IndexPage(
            page: PageContext(req, title: "情况反馈 · \(campaign.title)"), title: campaign.title, back: SiteRoute.campaign(campaignID).path,
            phase: phase.label, published: phase == .feedback, canWrite: canWrite,
            note: CampaignChange.feedback.note(in: phase),
            units: Array(shown), action: path, readCount: reads.count, subjectCount: grades.count,
            pageNumber: list.number, pageCount: list.count, previous: list.previous, next: list.next))
    }

    struct WriteForm: Content { var subject: String?; var code: String?; var text: String?; var clear: String?; var page: String? }

    @Sendable static func write(req: Request) async throws -> Response {
        let campaign = try await req.campaign()
        let campaignID = try campaign.requireID()
        let form = try req.content.decode(WriteForm.self)
        guard let subject = form.subject, ["team", "cadre"].contains(subject), let code = form.code, (1...64).contains(code.count) else {
            throw RequestFailure.invalid("「对象」不存在。")
        }
        let text = (form.text ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        guard text.count <= 2_000 else { throw RequestFailure.invalid("「反馈意见」最多 2000 字。") }
        // A blank erases nothing: removing feedback is asked for explicitly.
        let clear = form.clear == "是"
        guard !text.isEmpty || clear else { throw RequestFailure.invalid("「反馈意见」为空：要删除已有的反馈意见，请勾选「删除」。") }
        let grading = try await CampaignGrading.current(campaign, on: req)
        guard subject == "team" ? grading.dataset.teams.contains(where: { $0.id == code }) : grading.dataset.cadres.contains(where: { $0.id == code }) else {
            throw RequestFailure.invalid("「对象」不在本次考核的结果之中。")
        }
        try await req.audited { tx, audit in
            let sql = tx as! any SQLDatabase
            try await CampaignWorkflow.require(.feedback, campaign: campaignID, on: tx)
            let before = try await load(campaign: campaignID, on: sql)["\(subject) \(code)"]?.text
            let after = clear ? "" : text
            guard (before ?? "") != after else { return }
            try await sql.raw("DELETE FROM feedback WHERE campaign_id = \(bind: campaignID) AND subject = \(bind: subject) AND code = \(bind: code)").run()
            if !after.isEmpty {
                try await sql.insert(into: "feedback").columns("id", "campaign_id", "subject", "code", "text", "updated_at")
                    .values(SQLBind(UUID()), SQLBind(campaignID), SQLBind(subject), SQLBind(code), SQLBind(after), SQLBind(req.clock.epochSeconds)).run()
            }
            audit.record(.init(action: .update, entity: .campaign, entityID: campaignID.uuidString,
                               before: ["feedback": code, "text": before ?? ""], after: ["feedback": code, "text": after]))
        }
        let page = Int(form.page ?? "").map { min(max(1, $0), Request.maxPageNumber) } ?? 1
        return req.redirect(to: SiteRoute.campaignFeedback(campaignID).path
                            + listQueryString([("page", page > 1 ? "\(page)" : ""), ("notice", Notice.saved.rawValue)]))
    }

    // MARK: 考核结果 (the cadre, the unit)

    struct Result: Encodable {
        var campaign: String; var year: Int; var subject: String; var grade: String; var feedback: String; var approved: String
        /// What follows from the grade under the campaign's policy (R-P4).
        var consequence: String?
    }
    struct ResultsPage: Encodable { var page: PageContext; var results: [Result] }

    /// The published results of the account's own subject: a cadre's own, a unit administrator's team's. Opening the
    /// page records the reading of each.
    @Sendable static func results(req: Request) async throws -> View {
        guard let account = req.account else { throw RequestFailure.signInRequired }
        var subject: (kind: String, code: String)?
        if account.role == .cadre, let id = account.$cadre.id, let cadre = try await Cadre.find(id, on: req.db) {
            subject = ("cadre", cadre.code)
        } else if account.role == .unitAdmin, let id = account.$unit.id, let unit = try await Unit.find(id, on: req.db) {
            subject = ("team", unit.code)
        }
        var results: [Result] = []
        if let subject {
            struct C: Decodable { var id: UUID; var title: String; var year: Int; var policy_json: String }
            // The approved grades as stored at approval: nobody's page view grades a campaign again.
            let published = try await req.sql.raw("""
                SELECT id, title, year, policy_json FROM campaigns WHERE phase = \(bind: CampaignPhase.feedback.rawValue) ORDER BY year DESC, title
                """).all(decoding: C.self)
            for row in published.prefix(50) {
                let policy = try? Policy.decode(Data(row.policy_json.utf8))
                // R-P4, R-P5: a probation-end campaign or a 一报告两评议 grades no team.
                if subject.kind == "team" && policy.map({ $0.subjects != .teamsAndCadres }) == true { continue }
                guard let approved = try await CampaignWorkflow.approvedGrade(campaign: row.id, subject: subject.kind, code: subject.code, on: req.sql) else { continue }
                struct T: Decodable { var text: String }
                let feedback = try await req.sql.raw("""
                    SELECT text FROM feedback WHERE campaign_id = \(bind: row.id) AND subject = \(bind: subject.kind) AND code = \(bind: subject.code)
                    """).first(decoding: T.self)?.text ?? ""
                results.append(Result(campaign: row.title, year: row.year,
                                      subject: subject.kind == "cadre" ? "本人" : "本单位领导班子", grade: approved.grade ?? "—", feedback: feedback,
                                      approved: "\(approved.approved_on) \(approved.meeting)审定",
                                      consequence: subject.kind == "cadre" ? approved.grade.flatMap { policy?.consequence(ofCadreGrade: $0) } : nil))
                try await req.sql.raw("""
                    INSERT INTO feedback_reads (id, campaign_id, subject, code, account_id, read_at)
                    VALUES (\(bind: UUID()), \(bind: row.id), \(bind: subject.kind), \(bind: subject.code), \(bind: try account.requireID()), \(bind: req.clock.epochSeconds))
                    ON CONFLICT (campaign_id, subject, code, account_id) DO UPDATE SET read_at = excluded.read_at
                    """).run()
            }
        }
        return try await req.view.render("feedback/results", ResultsPage(page: PageContext(req, title: "考核结果"), results: results))
    }
}
