import AssessmentCore
import Fluent
import OfficeDocuments
import SQLKit
import Vapor

/// 民主测评: a unit's evaluation meeting in a campaign — its participant categories and expected numbers, the ballot
/// fixed when it is prepared, one-time codes printed on slips, live turnout, closing (and reopening by the
/// organisation department, with a reason), and the tally.
struct SessionController: RouteCollection {
    static let maxCodesAtOnce = 1000

    func boot(routes: any RoutesBuilder) throws {
        let staff = routes.grouped(RequireRole(.admin, .organisationDepartment, .groupMember))
        staff.post(.campaignSessions, use: Self.create)
        staff.get(.session, use: Self.show)
        staff.post(.sessionCodes, use: Self.issueCodes)
        staff.post(.sessionClose, use: Self.close)
        staff.post(.sessionReopen, use: Self.reopen)
        staff.get(.sessionTallySheet, use: Self.tallySheet)
        staff.get(.sessionTallyPrint, use: Self.tallyPrint)
    }

    struct CreateForm: Content { var unit: String?; var heldOn: String?; var place: String?; var categories: String? }

    /// "班子成员 9" per line (or separated by 、，;): a name and the number expected.
    static func categories(_ text: String) throws -> [EvaluationSession.Category] {
        var result: [EvaluationSession.Category] = []
        let lines = text.split(whereSeparator: { $0.isNewline || ";；、，,".contains($0) }).map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        guard lines.count <= 20 else { throw RequestFailure.invalid("「参加人员类别」最多 20 类。") }
        for (i, line) in lines.enumerated() {
            let parts = line.split(whereSeparator: \.isWhitespace)
            guard let name = parts.first.map(String.init), name.count <= 30 else { throw RequestFailure.invalid("「参加人员类别」第 \(i + 1) 项：类别名称最多 30 字。") }
            var expected = 0
            if parts.count == 2 {
                guard let n = Int(parts[1]), (0...10_000).contains(n) else {
                    throw RequestFailure.invalid("「参加人员类别」第 \(i + 1) 项「\(line)」：应人数应为 0 到 10000 的整数。")
                }
                expected = n
            } else if parts.count > 2 {
                throw RequestFailure.invalid("「参加人员类别」第 \(i + 1) 项「\(line)」：每项写类别名称和应到人数，如「班子成员 9」。")
            }
            guard !result.contains(where: { $0.name == name }) else { throw RequestFailure.invalid("「参加人员类别」「\(name)」重复。") }
            result.append(.init(name: name, expected: expected))
        }
        guard !result.isEmpty else { throw RequestFailure.invalid("「参加人员类别」至少一类，如「班子成员 9」。") }
        return result
    }

    /// Arranges a session from the campaign page's form; a refused form is shown again there, with what it said.
    @Sendable static func create(req: Request) async throws -> Response {
        let campaign = try await req.campaign()
        let form = try req.content.decode(CreateForm.self)
        do {
            return try await create(form, campaign: campaign, req: req)
        } catch RequestFailure.invalid(let problems) {
            let values = CampaignPage.SessionForm(unit: form.unit ?? "", heldOn: String((form.heldOn ?? "").prefix(20)),
                                                  place: String((form.place ?? "").prefix(100)), categories: String((form.categories ?? "").prefix(2_000)))
            let page = try await CampaignPage.render(req, campaign: campaign, sessionForm: values, problems: problems)
            let response = try await page.encodeResponse(for: req)
            response.status = .unprocessableEntity
            return response
        }
    }

    static func create(_ form: CreateForm, campaign: Campaign, req: Request) async throws -> Response {
        guard let unitID = form.unit.flatMap(UUID.init(uuidString:)), try await req.scope().allowsUnit(unitID),
              try await Unit.find(unitID, on: req.db) != nil else {
            throw RequestFailure.invalid("「单位」请从列表中选择您负责的单位。")
        }
        guard let heldOn = Day((form.heldOn ?? "").trimmingCharacters(in: .whitespaces)) else {
            throw RequestFailure.invalid("「测评日期」应为日期，如 2026-12-20。")
        }
        let place = (form.place ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        guard place.count <= 100 else { throw RequestFailure.invalid("「地点」最多 100 字。") }
        let categories = try categories(form.categories ?? "")
        // A policy that weighs voter categories (R-S3) counts only the categories it names: no others.
        let policy = try campaign.policy()
        for ballot in [policy.teamBallot, policy.cadreBallot] {
            if let named = ballot.voterCategories?.map(\.name), let other = categories.first(where: { !named.contains($0.name) }) {
                throw RequestFailure.invalid("「参加人员类别」「\(other.name)」不在考核办法规定的测评类别（\(named.joined(separator: "、"))）中：其票数无法按权重计入。")
            }
        }
        // R-P6: where the policy asks for it, the team's 实绩公示 is over before its evaluation.
        if let problem = try await Publicity.problem(policy: policy, campaign: campaign.requireID(), unit: unitID,
                                                     unitName: try await Unit.find(unitID, on: req.db)?.name ?? "", heldOn: heldOn, on: req.sql) {
            throw RequestFailure.invalid(problem)
        }
        let sessionID = try await req.audited { tx, audit in
            try await CampaignWorkflow.require(.evaluation, campaign: campaign.requireID(), on: tx)
            // Checked in the writing transaction: a double submit makes one session, the other a clear refusal.
            if try await EvaluationSession.query(on: tx).filter(\.$campaign.$id == campaign.requireID()).filter(\.$unit.$id == unitID).count() > 0 {
                throw RequestFailure.invalid("该单位在本次考核中已有民主测评。")
            }
            return try await SessionSetup.make(campaign: campaign, unitID: unitID, heldOn: heldOn, place: place, categories: categories, on: tx, audit: audit)
        }
        return req.redirect(to: .session(sessionID), notice: .created)
    }

    struct ShowPage: Encodable {
        var page: PageContext
        var campaign: String; var campaignLink: String
        var unit: String; var heldOn: String; var place: String; var open: Bool
        var turnout: [BallotCodes.Turnout]
        var totals: BallotCodes.Turnout
        var categories: [SelectOption]
        var codesAction: String; var closeAction: String; var reopenAction: String
        var canReopen: Bool
        var maxCodes = SessionController.maxCodesAtOnce
        var ballotSummary: String
        var scopeWarnings: [String]
        var ballots: Int
        var subjects: [TallyReport.Subject]
        var voteLink: String
        var paperLink: String
        var tallyLink: String
        var tallyPrintLink: String
    }

    @Sendable static func show(req: Request) async throws -> View {
        let (session, campaign, unit) = try await req.evaluationSession()
        let policy = try campaign.policy()
        let turnout = try await BallotCodes.turnout(session, on: req.sql)
        let totals = BallotCodes.Turnout.total(turnout)
        let sheet = try session.sheet()
        let category = try await UnitCategory.find(unit.$category.id, on: req.db)?.name ?? ""
        // While voting goes on, turnout only: counts refreshed between voters would tell each ballot in voting order.
        let tally = session.isOpen ? SessionTally(sheet: sheet, ballots: 0, total: [:], byCategory: [:])
            : try await SessionTally.load(sessionID: session.requireID(), sheet: sheet, on: req.sql)
        let scores = tally.scores(policy: policy, unitCode: unit.code, category: "", year: campaign.year, cutoff: try campaign.cutoffDay())
        let subjects = session.isOpen ? [] : TallyReport(tally: tally, scores: scores, unitCode: unit.code, categories: session.categories.map(\.name)).subjects
        return try await req.view.render("sessions/show", ShowPage(
            page: PageContext(req, title: "民主测评 · \(unit.name)"), campaign: campaign.title, campaignLink: SiteRoute.campaign(campaign.id!).path,
            unit: unit.name, heldOn: session.heldOn, place: session.place, open: session.isOpen,
            turnout: turnout, totals: totals,
            categories: session.categories.map { SelectOption(value: $0.name, label: $0.name) },
            codesAction: SiteRoute.sessionCodes(session.id!).path, closeAction: SiteRoute.sessionClose(session.id!).path,
            reopenAction: SiteRoute.sessionReopen(session.id!).path, canReopen: req.account?.role.isDepartmentWide == true,
            ballotSummary: "领导班子 \(sheet.team == nil ? 0 : 1) 个，干部 \(sheet.cadres.count) 人" + (sheet.maxBest.map { "；每票评为「\(sheet.cadreOptions.first ?? "")」的干部不超过 \($0) 人" } ?? ""),
            scopeWarnings: SessionScope.warnings(unitCategory: category, categories: session.categories),
            ballots: tally.ballots, subjects: subjects, voteLink: SiteRoute.vote.path,
            paperLink: SiteRoute.sessionPaper(session.id!).path, tallyLink: SiteRoute.sessionTallySheet(session.id!).path,
            tallyPrintLink: SiteRoute.sessionTallyPrint(session.id!).path))
    }

    struct TallyPrintPage: Encodable {
        var page: PageContext
        var title: String; var stamp: String; var back: String
        var heldOn: String; var place: String; var ballots: Int
        var turnout: [BallotCodes.Turnout]; var totals: BallotCodes.Turnout
        var subjects: [TallyReport.Subject]
    }

    /// 测评结果统计表 to print (A4): turnout, then for the team and each cadre every item's votes and shares in total
    /// and by participant category, with the chart of the shares.
    @Sendable static func tallyPrint(req: Request) async throws -> View {
        let (session, campaign, unit) = try await req.evaluationSession()
        guard !session.isOpen else { throw RequestFailure.invalid("民主测评结束后才能打印测评结果统计表。") }
        let tally = try await SessionTally.load(sessionID: session.requireID(), sheet: try session.sheet(), on: req.sql)
        let scores = tally.scores(policy: try campaign.policy(), unitCode: unit.code, category: "", year: campaign.year, cutoff: try campaign.cutoffDay())
        let turnout = try await BallotCodes.turnout(session, on: req.sql)
        let stamp = try await DocumentStamp.load(campaign, today: req.clock.today, on: req.sql)
        return try await req.view.render("sessions/tally", TallyPrintPage(
            page: PageContext(req, title: "民主测评结果统计表 · \(unit.name)"), title: "\(unit.name)民主测评结果统计表", stamp: stamp.line,
            back: SiteRoute.session(session.id!).path, heldOn: session.heldOn, place: session.place, ballots: tally.ballots,
            turnout: turnout, totals: BallotCodes.Turnout.total(turnout),
            subjects: TallyReport(tally: tally, scores: scores, unitCode: unit.code, categories: session.categories.map(\.name)).subjects))
    }

    static func formatScore(_ v: Double) -> String { String(format: "%.2f", v) }

    struct CodesForm: Content { var category: String?; var count: String? }
    struct Slip: Encodable { var code: String; var qr: String; var category: String }
    struct SlipsPage: Encodable {
        var page: PageContext
        var campaign: String; var unit: String; var heldOn: String
        var url: String
        var slips: [Slip]
        var back: String
    }

    /// Issues codes and answers with the page of slips to print: the only time the codes are shown.
    @Sendable static func issueCodes(req: Request) async throws -> View {
        let (session, campaign, unit) = try await req.evaluationSession()
        guard session.isOpen else { throw RequestFailure.invalid("民主测评已结束，不能再发测评码。") }
        let form = try req.content.decode(CodesForm.self)
        guard let category = form.category, session.categories.contains(where: { $0.name == category }) else {
            throw RequestFailure.invalid("「类别」请从列表中选择。")
        }
        guard let count = Int((form.count ?? "").trimmingCharacters(in: .whitespaces)), (1...maxCodesAtOnce).contains(count) else {
            throw RequestFailure.invalid("「数量」应为 1 到 \(maxCodesAtOnce) 的整数。")
        }
        guard let seal = req.application.auditSeal else { throw RequestFailure.invalid("服务器没有密钥，不能发测评码。") }
        let sessionID = try session.requireID()
        let codes = try await req.audited { tx, audit in
            let codes = try await BallotCodes.issue(count, category: category, session: sessionID, seal: seal, on: tx as! any SQLDatabase)
            audit.record(.init(action: .create, entity: .evaluationSession, entityID: sessionID.uuidString,
                               after: ["codesIssued": "\(count)", "category": category]))
            return codes
        }
        for code in codes {
            req.application.codeDirectory.remember(seal.ballotCode(BallotCodes.normalize(code)!), .init(session: sessionID, category: category))
        }
        let base = voteURL(req)
        let slips = try codes.map { code in
            Slip(code: code, qr: try QRCode.encode(base + "?c=" + code).svg(moduleSize: 0.7, unit: "mm", title: "测评码 \(code)"), category: category)
        }
        return try await req.view.render("sessions/slips", SlipsPage(
            page: PageContext(req, title: "测评码 · \(unit.name)"), campaign: campaign.title, unit: unit.name, heldOn: session.heldOn,
            url: base, slips: slips, back: SiteRoute.session(sessionID).path))
    }

    /// The address voters' phones open: the one the clerk's browser used to reach the server.
    static func voteURL(_ req: Request) -> String {
        let host = req.headers.first(name: .host).flatMap { h in
            h.allSatisfy { $0.isLetter || $0.isNumber || ".-:[]".contains($0) } && h.count <= 100 ? h : nil
        } ?? "localhost"
        return (req.isSecure ? "https://" : "http://") + host + SiteRoute.vote.path
    }

    @Sendable static func close(req: Request) async throws -> Response {
        let (session, _, _) = try await req.evaluationSession()
        guard session.isOpen else { return req.redirect(to: .session(session.id!), notice: .sessionClosed) }
        let unfinished = try await PaperBallots.open(session: session.requireID(), on: req.sql)
        guard unfinished.isEmpty else {
            throw RequestFailure.invalid("还有纸质票未完成双人录入或核对（票号 \(unfinished.map { String($0.number) }.joined(separator: "、"))）：请先在「录入纸质票」中完成，再结束测评。")
        }
        try await req.audited { tx, audit in
            try await SessionSetup.close(session, on: tx, audit: audit)
        }
        await Anonymity.vacuum(on: req.sql, logger: req.logger)
        return req.redirect(to: .session(session.id!), notice: .sessionClosed)
    }

    @Sendable static func reopen(req: Request) async throws -> Response {
        guard req.account?.role.isDepartmentWide == true else { throw RequestFailure.forbidden(.sessionReopen) }
        let (session, _, _) = try await req.evaluationSession()
        let reason = try req.correctionReason()
        guard !session.isOpen else { return req.redirect(to: .session(session.id!)) }
        try await req.audited { tx, audit in
            // An open session means the campaign is still before 汇总分析 (moving on needs every session closed).
            try await CampaignWorkflow.require(.evaluation, campaign: session.$campaign.id, on: tx)
            session.status = EvaluationSession.open
            try await session.save(on: tx)
            audit.record(.init(action: .update, entity: .evaluationSession, entityID: session.id!.uuidString,
                               before: ["status": "已结束"], after: ["status": "进行中"], reason: reason))
        }
        return req.redirect(to: .session(session.id!), notice: .sessionReopened)
    }

    /// 测评结果统计表 (.xlsx): every item's votes and shares in total, then by participant category.
    @Sendable static func tallySheet(req: Request) async throws -> Response {
        let (session, campaign, unit) = try await req.evaluationSession()
        guard !session.isOpen else { throw RequestFailure.invalid("民主测评结束后才能下载测评结果统计表。") }
        let sheet = try session.sheet()
        let tally = try await SessionTally.load(sessionID: session.requireID(), sheet: sheet, on: req.sql)
        let scores = tally.scores(policy: try campaign.policy(), unitCode: unit.code, category: "", year: campaign.year, cutoff: try campaign.cutoffDay())
        func rows(_ counts: [String: [Int]], withScores: Bool) -> [[CellValue]] {
            let width = max(sheet.teamOptions.count, sheet.cadreOptions.count)
            var header: [CellValue] = ["对象", "职务", "项目"]
            for i in 0..<width { header += [.text("选项\(i + 1)"), "票数", "占比"] }
            if withScores { header.append("测评得分") }
            var out: [[CellValue]] = [header]
            for item in sheet.items {
                let c = counts[item.key] ?? Array(repeating: 0, count: item.options.count)
                let sum = c.reduce(0, +)
                let isTeam = item.cadre == nil
                let title = item.cadre.map { sheet.cadres[$0].title } ?? sheet.team?.title ?? "领导班子"
                var row: [CellValue] = [.text(item.subject), .text(title), .text(item.aspect)]
                for (label, n) in zip(item.options, c) {
                    row += [.text(label), .number(Double(n)), sum > 0 ? .text(Chart.percent(n, sum)) : "—"]
                }
                if withScores, item.aspect == "总体评价" {
                    let s = item.cadre.map { scores.cadres[sheet.cadres[$0].id] } ?? scores.team
                    row += Array(repeating: CellValue.empty, count: (width - item.options.count) * 3) + [s.map { .text(formatScore($0)) } ?? .empty]
                }
                out.append(row)
            }
            return out
        }
        var workbook = XLSXWorkbook()
        let title: [[CellValue]] = [[.text("\(campaign.title) · \(unit.name) 民主测评结果统计表（\(session.heldOn)，有效票 \(tally.ballots) 张）")]]
        workbook.addSheet(name: "测评结果统计表", rows: title + rows(tally.total, withScores: true), headerRows: 2)
        for category in session.categories where tally.byCategory[category.name] != nil {
            workbook.addSheet(name: category.name, rows: rows(tally.byCategory[category.name]!, withScores: false))
        }
        return Response.xlsx(try workbook.data(), filename: "\(unit.name)-民主测评结果统计表.xlsx")
    }
}
