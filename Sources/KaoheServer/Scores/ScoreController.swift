import AssessmentCore
import Fluent
import OfficeDocuments
import SQLKit
import Vapor

/// 量化考核 (`Indicators`): the organisation department sets up the campaign's indicators and who scores each; a
/// scoring unit (考核责任单位) enters or imports (.xlsx) its indicators' scores for every team, with evidence notes, and
/// sees no other unit's indicators. A blank score changes nothing; a refused form comes back with what it said.
struct ScoreController: RouteCollection {
    static let maxUploadBytes = 5 << 20

    func boot(routes: any RoutesBuilder) throws {
        let department = routes.grouped(RequireRole(.admin, .organisationDepartment))
        department.get(.campaignIndicators, use: Self.indicators)
        department.post(.campaignIndicators, use: Self.addIndicator)
        department.post(.campaignIndicatorDelete, use: Self.deleteIndicator)
        let scorers = routes.grouped(RequireRole(.admin, .organisationDepartment, .scoringUnit))
        scorers.get(.campaignScores, use: Self.entry)
        scorers.post(.campaignScores, use: Self.save)
        scorers.get(.campaignScoresTemplate, use: Self.template)
        // The upload: role first, then the CSRF token with the upload limit, then the body (see CSRFMiddleware).
        scorers.grouped(CSRFMiddleware(maxBodySize: Self.maxUploadBytes))
            .post(.campaignScoresImport, body: .collect(maxSize: ByteCount(value: Self.maxUploadBytes)), use: Self.importScores)
    }

    // MARK: Indicators (组织部)

    struct IndicatorRow: Encodable { var part: String; var name: String; var max: String; var scorer: String; var done: String; var link: String; var deleteAction: String?; var complete: Bool }
    struct IndicatorsPage: Encodable {
        var page: PageContext
        var title: String; var back: String
        var rows: [IndicatorRow]
        var parts: [SelectOption]; var units: [SelectOption]
        var action: String; var canAdd: Bool; var phaseNote: String?
        var weights: String
    }

    @Sendable static func indicators(req: Request) async throws -> View {
        let campaign = try await req.campaign()
        let campaignID = try campaign.requireID()
        let policy = try campaign.policy()
        let grading = try await CampaignGrading.current(campaign, on: req)
        let teams = grading.roster.teams.map(\.unitID)
        let indicators = try await Indicators.load(campaign: campaignID, on: req.sql)
        let scores = try await Indicators.scores(campaign: campaignID, on: req.sql)
        let names = Dictionary(grading.roster.units.map { ($0.unitID, $0.name) }) { a, _ in a }
        let phase = try await CampaignWorkflow.phase(of: campaignID, on: req.sql)
        let canAdd = CampaignChange.indicators.phases.contains(phase)
        let teamSet = Set(teams)
        let rows = indicators.map { i in
            let done = scores.filter { $0.indicator_id == i.id && teamSet.contains($0.unit_id) && ($0.score != nil || $0.not_applicable) }.count
            let any = scores.contains { $0.indicator_id == i.id }
            return IndicatorRow(part: i.part, name: i.name, max: Indicators.points(i.max_points), scorer: i.scoring_unit_id.map { names[$0] ?? "—" } ?? Indicators.departmentScorer,
                                done: "\(done) / \(teams.count)",
                                link: SiteRoute.campaignScores(campaignID).path + listQueryString([("indicator", i.id.uuidString)]),
                                deleteAction: canAdd && !any ? SiteRoute.campaignIndicatorDelete(campaign: campaignID, indicator: i.id).path : nil,
                                complete: done == teams.count)
        }
        let weights = policy.composite.map { c in c.parts.map { "\($0.name) \(Indicators.points($0.weight))" }.joined(separator: "、") }
        return try await req.view.render("scores/indicators", IndicatorsPage(
            page: PageContext(req, title: "量化考核指标 · \(campaign.title)"), title: campaign.title, back: SiteRoute.campaign(campaignID).path,
            rows: rows, parts: Indicators.parts(of: policy).map { SelectOption(value: $0, label: $0) },
            units: [SelectOption(value: "", label: Indicators.departmentScorer)]
                + grading.roster.units.map { SelectOption(value: $0.unitID.uuidString, label: "\($0.name)（\($0.code)）") },
            action: SiteRoute.campaignIndicators(campaignID).path, canAdd: canAdd,
            phaseNote: CampaignChange.indicators.note(in: phase),
            weights: weights.map { "考核办法的组成部分和权重：\($0)（R-S2）。" } ?? "考核办法没有组成部分：各指标得分合计为班子的量化得分（百分制）。"))
    }

    struct IndicatorForm: Content { var part: String?; var name: String?; var max: String?; var scorer: String? }

    @Sendable static func addIndicator(req: Request) async throws -> Response {
        let campaign = try await req.campaign()
        let campaignID = try campaign.requireID()
        let form = try req.content.decode(IndicatorForm.self)
        var problems: [String] = []
        let parts = Indicators.parts(of: try campaign.policy())
        let part = form.part ?? ""
        if !parts.contains(part) { problems.append("「组成部分」请从列表中选择（\(parts.joined(separator: "、"))）。") }
        let name = (form.name ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        if !(1...50).contains(name.count) { problems.append("「指标名称」必填，最多 50 字。") }
        let maxText = (form.max ?? "").trimmingCharacters(in: .whitespaces)
        let max = maxText.count <= 10 ? Double(maxText) : nil
        if max == nil || !(max!.isFinite) || max! <= 0 || max! > 1000 || abs((max! * 100).rounded() - max! * 100) > 1e-6
            || !maxText.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == ".") }) {
            problems.append("「满分」应为 0 到 1000 之间的正数，最多两位小数，如 20。")
        }
        if TextChecks.hasControl(name) { problems.append("「指标名称」含有控制字符。") }
        let scorerText = form.scorer ?? ""
        let scorer = UUID(uuidString: scorerText)
        if !scorerText.isEmpty && scorer == nil { problems.append("「考核责任单位」请从列表中选择。") }
        guard problems.isEmpty, let max else { throw RequestFailure.invalid(problems) }
        var unit: Unit?
        if let scorer {
            unit = try await Unit.find(scorer, on: req.db)
            guard unit != nil else { throw RequestFailure.invalid("「考核责任单位」请从列表中选择。") }
        }
        let scorerCode = unit?.code ?? Indicators.departmentScorer
        try await req.audited { tx, audit in
            try await Indicators.add(part: part, name: name, max: max, scorer: scorer, scorerLabel: scorerCode, campaign: campaignID, db: tx, audit: audit)
        }
        return req.redirect(to: SiteRoute.campaignIndicators(campaignID).path + listQueryString([("notice", Notice.created.rawValue)]))
    }

    @Sendable static func deleteIndicator(req: Request) async throws -> Response {
        let campaign = try await req.campaign()
        let campaignID = try campaign.requireID()
        let id = try req.pathID(.indicator, "indicatorID")
        guard let indicator = try await Indicators.load(campaign: campaignID, on: req.sql).first(where: { $0.id == id }) else {
            throw RequestFailure.notFound(.indicator)
        }
        try await req.audited { tx, audit in
            let sql = tx as! any SQLDatabase
            try await CampaignWorkflow.require(.indicators, campaign: campaignID, on: tx)
            struct N: Decodable { var n: Int }
            guard try await sql.raw("SELECT COUNT(*) AS n FROM indicator_scores WHERE indicator_id = \(bind: id)").first(decoding: N.self)?.n == 0 else {
                throw RequestFailure.invalid("指标「\(indicator.name)」已有得分，不能删除。")
            }
            try await sql.raw("DELETE FROM indicators WHERE id = \(bind: id)").run()
            audit.record(.init(action: .delete, entity: .campaign, entityID: campaignID.uuidString,
                               before: ["indicator": indicator.name, "part": indicator.part, "maxPoints": Indicators.points(indicator.max_points)]))
        }
        return req.redirect(to: SiteRoute.campaignIndicators(campaignID).path + listQueryString([("notice", Notice.deleted.rawValue)]))
    }

    // MARK: Scores (考核责任单位)

    /// The indicators the account scores: all for the organisation department, a scoring unit's own otherwise.
    static func ownIndicators(_ req: Request, campaign: UUID) async throws -> [Indicators.Indicator] {
        let all = try await Indicators.load(campaign: campaign, on: req.sql)
        if req.account?.role.isDepartmentWide == true { return all }
        guard let unit = req.account?.$unit.id else { return [] }
        return all.filter { $0.scoring_unit_id == unit }
    }

    /// The indicator of the query or form; another scoring unit's is a record that does not exist (404).
    static func indicator(_ req: Request, campaign: UUID, id text: String?) async throws -> Indicators.Indicator {
        guard let id = text.flatMap(UUID.init(uuidString:)),
              let indicator = try await ownIndicators(req, campaign: campaign).first(where: { $0.id == id }) else {
            throw RequestFailure.notFound(.indicator)
        }
        return indicator
    }

    struct ScoreRow: Encodable { var unitID: String; var name: String; var code: String; var score: String; var na: Bool; var evidence: String }
    struct Link: Encodable { var label: String; var link: String; var selected: Bool }
    struct EntryPage: Encodable {
        var page: PageContext
        var title: String; var back: String?
        var indicators: [Link]
        var indicator: String?; var indicatorID: String?; var part: String?; var max: String?
        var rows: [ScoreRow]
        var action: String; var templateLink: String?; var importAction: String
        var canEnter: Bool; var phaseNote: String?
        var problems: [String]
    }

    @Sendable static func entry(req: Request) async throws -> View {
        try await entryPage(req, form: nil, problems: [])
    }

    static func entryPage(_ req: Request, form: [String: String]?, problems: [String]) async throws -> View {
        let campaign = try await req.campaign()
        let campaignID = try campaign.requireID()
        let own = try await ownIndicators(req, campaign: campaignID)
        let chosenText = form?["indicator"] ?? req.query[String.self, at: "indicator"]
        var chosen: Indicators.Indicator? = own.count == 1 ? own.first : nil
        if let chosenText { chosen = try await indicator(req, campaign: campaignID, id: chosenText) }
        let path = SiteRoute.campaignScores(campaignID).path
        var rows: [ScoreRow] = []
        if let chosen {
            let grading = try await CampaignGrading.current(campaign, on: req)
            let stored = Dictionary(try await Indicators.scores(campaign: campaignID, on: req.sql).filter { $0.indicator_id == chosen.id }
                .map { ($0.unit_id, $0) }) { a, _ in a }
            rows = grading.roster.teams.map { u in
                let s = stored[u.unitID]
                let id = u.unitID.uuidString
                return ScoreRow(unitID: id, name: u.name, code: u.code,
                                score: form.map { String(($0["s.\(id)"] ?? "").prefix(20)) } ?? s?.score.map(Indicators.points) ?? "",
                                na: form.map { $0["na.\(id)"] == "是" } ?? s?.not_applicable ?? false,
                                evidence: form.map { String(($0["e.\(id)"] ?? "").prefix(200)) } ?? s?.evidence ?? "")
            }
        }
        let phase = try await CampaignWorkflow.phase(of: campaignID, on: req.sql)
        let canEnter = CampaignChange.scores.phases.contains(phase)
        return try await req.view.render("scores/entry", EntryPage(
            page: PageContext(req, title: "量化考核打分 · \(campaign.title)"), title: campaign.title,
            back: req.account?.role.isDepartmentWide == true ? SiteRoute.campaignIndicators(campaignID).path : nil,
            indicators: own.map { Link(label: "\($0.part) · \($0.name)（满分 \(Indicators.points($0.max_points))）",
                                       link: path + listQueryString([("indicator", $0.id.uuidString)]), selected: $0.id == chosen?.id) },
            indicator: chosen?.name, indicatorID: chosen?.id.uuidString, part: chosen?.part, max: chosen.map { Indicators.points($0.max_points) },
            rows: rows, action: path,
            templateLink: chosen.map { SiteRoute.campaignScoresTemplate(campaignID).path + listQueryString([("indicator", $0.id.uuidString)]) },
            importAction: SiteRoute.campaignScoresImport(campaignID).path,
            canEnter: canEnter, phaseNote: CampaignChange.scores.note(in: phase),
            problems: problems))
    }

    /// The teams of the campaign, by unit id: the units that have a 领导班子.
    static func teams(_ req: Request, _ campaign: Campaign) async throws -> [CampaignRoster.UnitPart] {
        try await CampaignGrading.current(campaign, on: req).roster.teams
    }

    @Sendable static func save(req: Request) async throws -> Response {
        let campaign = try await req.campaign()
        let campaignID = try campaign.requireID()
        let form = try req.content.decode([String: String].self)
        let indicator = try await indicator(req, campaign: campaignID, id: form["indicator"])
        var entries: [Indicators.Entry] = []
        var problems: [String] = []
        for unit in try await teams(req, campaign) {
            let id = unit.unitID.uuidString
            let text = (form["s.\(id)"] ?? "").trimmingCharacters(in: .whitespaces)
            let na = form["na.\(id)"] == "是"
            let evidence = (form["e.\(id)"] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
            if evidence.count > 200 { problems.append("\(unit.name)：「依据说明」最多 200 字。"); continue }
            if TextChecks.hasControl(evidence) { problems.append("\(unit.name)：「依据说明」含有控制字符。"); continue }
            if na {
                if !text.isEmpty { problems.append("\(unit.name)：标为「不适用」的不填得分。"); continue }
                entries.append(.init(unitID: unit.unitID, unitCode: unit.code, score: nil, notApplicable: true, evidence: evidence))
            } else if !text.isEmpty {
                switch Indicators.parseScore(text, max: indicator.max_points, where: "\(unit.name)：") {
                case .success(let v): entries.append(.init(unitID: unit.unitID, unitCode: unit.code, score: v, notApplicable: false, evidence: evidence))
                case .failure(let p): problems.append(p.message)
                }
            }
            // A blank score (not marked 不适用) changes nothing: a stored score stays.
        }
        guard problems.isEmpty else {
            let response = try await entryPage(req, form: form, problems: problems).encodeResponse(for: req)
            response.status = .unprocessableEntity
            return response
        }
        let saved = entries
        try await req.audited { tx, audit in
            try await Indicators.save(saved, indicator: indicator, campaign: campaignID, db: tx, audit: audit)
        }
        return req.redirect(to: SiteRoute.campaignScores(campaignID).path
                            + listQueryString([("indicator", indicator.id.uuidString), ("notice", Notice.saved.rawValue)]))
    }

    static let templateHeader = ["单位编码", "单位名称", "得分", "不适用", "依据说明"]

    /// The indicator's scores as an .xlsx to fill in: one row per team, the stored values filled.
    @Sendable static func template(req: Request) async throws -> Response {
        let campaign = try await req.campaign()
        let campaignID = try campaign.requireID()
        let indicator = try await indicator(req, campaign: campaignID, id: req.query[String.self, at: "indicator"])
        let stored = Dictionary(try await Indicators.scores(campaign: campaignID, on: req.sql).filter { $0.indicator_id == indicator.id }
            .map { ($0.unit_id, $0) }) { a, _ in a }
        var rows: [[CellValue]] = [[.text("\(campaign.title) · \(indicator.part) · \(indicator.name)（满分 \(Indicators.points(indicator.max_points))）")],
                                   templateHeader.map { .text($0) }]
        for unit in try await teams(req, campaign) {
            let s = stored[unit.unitID]
            rows.append([.text(unit.code), .text(unit.name), s?.score.map { .number($0) } ?? .empty,
                         s?.not_applicable == true ? .text("是") : .empty, .text(s?.evidence ?? "")])
        }
        var workbook = XLSXWorkbook()
        workbook.addSheet(name: "量化考核得分", rows: rows, headerRows: 2)
        return Response.xlsx(try workbook.data(), filename: "\(indicator.name)-量化考核得分.xlsx")
    }

    struct ImportForm: Content { var indicator: String?; var file: File? }

    /// The template filled in: every row checked first (unit code, score within the full points, 不适用 是 or blank,
    /// note length); one problem refuses the whole file with every problem named by row, nothing written.
    @Sendable static func importScores(req: Request) async throws -> Response {
        let campaign = try await req.campaign()
        let campaignID = try campaign.requireID()
        let form = try req.content.decode(ImportForm.self)
        let indicator = try await indicator(req, campaign: campaignID, id: form.indicator)
        guard let file = form.file, file.data.readableBytes > 0 else { throw RequestFailure.invalid("请选择要导入的 .xlsx 文件（可先下载模板）。") }
        let rows: [[CellValue]]
        do {
            guard let sheet = try XLSXReader.read(Data(buffer: file.data)).first else { throw RequestFailure.invalid("文件中没有工作表。") }
            rows = sheet.rows
        } catch let failure as RequestFailure {
            throw failure
        } catch {
            throw RequestFailure.invalid("文件不是有效的 .xlsx 工作簿：\(error)")
        }
        guard let headerIndex = rows.prefix(10).firstIndex(where: { $0.map(\.textValue).contains("单位编码") && $0.map(\.textValue).contains("得分") }) else {
            throw RequestFailure.invalid("没有找到表头：前 10 行中应有「单位编码」和「得分」两列（请使用下载的模板）。")
        }
        let header = rows[headerIndex].map(\.textValue)
        func column(_ name: String) -> Int? { header.firstIndex(of: name) }
        let codeColumn = column("单位编码")!, scoreColumn = column("得分")!
        let naColumn = column("不适用"), evidenceColumn = column("依据说明")
        let teams = Dictionary(try await teams(req, campaign).map { ($0.code, $0) }) { a, _ in a }
        var problems: [String] = []
        var entries: [Indicators.Entry] = []
        var seen: [String: Int] = [:]
        for (offset, row) in rows.enumerated().dropFirst(headerIndex + 1) {
            let line = offset + 1
            func cell(_ c: Int?) -> String { c.flatMap { $0 < row.count ? row[$0].textValue : nil } ?? "" }
            let code = cell(codeColumn), text = cell(scoreColumn), na = cell(naColumn), evidence = cell(evidenceColumn)
            if code.isEmpty && text.isEmpty && na.isEmpty && evidence.isEmpty { continue }
            let place = "第 \(line) 行："
            guard let unit = teams[code] else { problems.append("\(place)「单位编码」「\(code.prefix(20))」不是本次考核中有领导班子的单位。"); continue }
            if let first = seen[code] { problems.append("\(place)单位 \(code) 与第 \(first) 行重复。"); continue }
            seen[code] = line
            guard ["", "是", "否"].contains(na) else { problems.append("\(place)「不适用」只能填「是」或留空。"); continue }
            guard evidence.count <= 200 else { problems.append("\(place)「依据说明」最多 200 字。"); continue }
            guard !TextChecks.hasControl(code + text + evidence) else { problems.append("\(place)含有控制字符（如 _x0000_）。"); continue }
            if na == "是" {
                if !text.isEmpty { problems.append("\(place)标为「不适用」的不填得分。"); continue }
                entries.append(.init(unitID: unit.unitID, unitCode: code, score: nil, notApplicable: true, evidence: evidence))
            } else if !text.isEmpty {
                switch Indicators.parseScore(text, max: indicator.max_points, where: place) {
                case .success(let v): entries.append(.init(unitID: unit.unitID, unitCode: code, score: v, notApplicable: false, evidence: evidence))
                case .failure(let p): problems.append(p.message)
                }
            }
        }
        guard problems.isEmpty else {
            throw RequestFailure.invalid(["文件未导入（没有写入任何得分），请改正后重新上传："] + problems.prefix(100)
                                         + (problems.count > 100 ? ["……另有 \(problems.count - 100) 个问题"] : []))
        }
        let saved = entries
        let changed = try await req.audited { tx, audit in
            try await Indicators.save(saved, indicator: indicator, campaign: campaignID, db: tx, audit: audit)
        }
        req.logger.info("scores imported: indicator \(indicator.id), \(changed) changed")
        return req.redirect(to: SiteRoute.campaignScores(campaignID).path
                            + listQueryString([("indicator", indicator.id.uuidString), ("notice", Notice.imported.rawValue)]))
    }
}
