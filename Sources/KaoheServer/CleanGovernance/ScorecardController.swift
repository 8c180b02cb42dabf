import AssessmentCore
import Fluent
import SQLKit
import Vapor

/// 廉政建设考核表 (seed 004 第二篇; R-S9, R-S4): in a campaign whose policy has a scorecard, the check group scores each
/// unit every month item by item (14 items, 100 points in the preset); the months are averaged and banded (优秀 95–100,
/// 良好 80–94, 合格 60–79, 不合格 below) and ranked by the engine. A blank keeps what is stored; every change is audited.
struct ScorecardController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let department = routes.grouped(RequireRole(.admin, .organisationDepartment))
        department.get(.campaignScorecards, use: Self.index)
        department.post(.campaignScorecards, use: Self.save)
    }

    struct Stored: Decodable { var unit_id: UUID; var month: Int; var items_json: String }

    static func stored(campaign: UUID, on sql: any SQLDatabase) async throws -> [UUID: [Int: [Double]]] {
        var out: [UUID: [Int: [Double]]] = [:]
        for row in try await sql.raw("SELECT unit_id, month, items_json FROM scorecards WHERE campaign_id = \(bind: campaign)").all(decoding: Stored.self) {
            out[row.unit_id, default: [:]][row.month] = (try? JSONDecoder().decode([Double].self, from: Data(row.items_json.utf8))) ?? []
        }
        return out
    }

    /// The campaign and its scorecard rules (404 when its policy has none).
    static func campaign(_ req: Request) async throws -> (Campaign, Policy, ScorecardRules) {
        let campaign = try await req.campaign()
        let policy = try campaign.policy()
        guard let rules = policy.scorecard else { throw RequestFailure.notFound(.page) }
        return (campaign, policy, rules)
    }

    static func month(_ req: Request) -> Int {
        let asked = req.query[Int.self, at: "month"] ?? (try? req.content.get(Int.self, at: "month"))
        return asked.flatMap { (1...12).contains($0) ? $0 : nil } ?? req.clock.today.components.month
    }

    struct Cell: Encodable { var name: String; var value: String }
    struct EntryRow: Encodable { var name: String; var cells: [Cell]; var total: String }
    struct ResultRow: Encodable { var rank: Int; var name: String; var months: Int; var total: String; var grade: String; var admonition: Bool }
    struct Page: Encodable {
        var page: PageContext
        var title: String; var back: String; var month: Int; var months: [SelectOption]; var items: [Int]; var maxTotal: String
        var entries: [EntryRow]; var results: [ResultRow]; var bands: String; var action: String
    }

    @Sendable static func index(req: Request) async throws -> View {
        let (campaign, policy, rules) = try await campaign(req)
        let campaignID = try campaign.requireID()
        let month = month(req)
        let roster = try await CampaignGrading.current(campaign, on: req).roster
        let stored = try await stored(campaign: campaignID, on: req.sql)
        var dataset = Dataset(year: campaign.year, cutoff: try campaign.cutoffDay())
        for u in roster.units {
            for (m, items) in (stored[u.unitID] ?? [:]).sorted(by: { $0.key < $1.key }) {
                dataset.scorecards.append(Scorecard(subject: u.code, month: "\(m)", items: items))
            }
        }
        let result = GradingEngine.grade(policy: policy, dataset: dataset)
        let admonished = Set(result.triggers.filter { $0.rule == "R-T3" }.map(\.subject))
        let names = Dictionary(roster.units.map { ($0.code, $0.name) }) { a, _ in a }
        return try await req.view.render("scorecards/index", Page(
            page: PageContext(req, title: "廉政建设考核表 · \(campaign.title)"), title: campaign.title, back: SiteRoute.campaign(campaignID).path,
            month: month, months: (1...12).map { SelectOption(value: "\($0)", label: "\($0) 月", selected: $0 == month) },
            items: Array(1...rules.itemCount), maxTotal: Ledger.number(rules.maxTotal),
            entries: roster.units.map { u in
                let items = stored[u.unitID]?[month]
                return EntryRow(name: u.name, cells: (0..<rules.itemCount).map { k in
                    Cell(name: "s.\(u.unitID.uuidString).\(k + 1)", value: items.flatMap { k < $0.count ? Ledger.number($0[k]) : nil } ?? "")
                }, total: items.map { Ledger.number($0.reduce(0, +)) } ?? "—")
            },
            results: result.scorecards.sorted { ($0.rank, $0.subject) < ($1.rank, $1.subject) }.map { r in
                ResultRow(rank: r.rank, name: names[r.subject] ?? r.subject, months: r.months, total: String(format: "%.2f", r.total),
                          grade: r.grade ?? "—", admonition: admonished.contains(r.subject))
            },
            bands: rules.bands.map { "\($0.grade) ≥ \(Ledger.number($0.min))" }.joined(separator: "，"),
            action: SiteRoute.campaignScorecards(campaignID).path))
    }

    /// Saves one month's scorecards: a unit's row is stored when all its items are given (each from 0, the sum at most
    /// the total), kept when all are blank, refused when partly filled.
    @Sendable static func save(req: Request) async throws -> Response {
        let (campaign, _, rules) = try await campaign(req)
        let campaignID = try campaign.requireID()
        let month = month(req)
        let roster = try await CampaignGrading.current(campaign, on: req).roster
        let stored = try await stored(campaign: campaignID, on: req.sql)
        var problems: [String] = []
        var changes: [(unit: CampaignRoster.UnitPart, items: [Double])] = []
        for u in roster.units {
            let texts = (1...rules.itemCount).map { k in ((try? req.content.get(String.self, at: "s.\(u.unitID.uuidString).\(k)")) ?? "").trimmingCharacters(in: .whitespaces) }
            if texts.allSatisfy(\.isEmpty) { continue }
            if texts.contains(where: \.isEmpty) { problems.append("\(u.name)：\(month) 月的 \(rules.itemCount) 项须全部填写（不填的整行保持原值）。"); continue }
            var items: [Double] = []
            for (k, t) in texts.enumerated() {
                guard let v = Double(t), v.isFinite, v >= 0, v <= rules.maxTotal, v == (v * 100).rounded() / 100 else {
                    problems.append("\(u.name) 第 \(k + 1) 项：「\(t.prefix(20))」应为 0 到 \(Ledger.number(rules.maxTotal)) 之间的数，最多两位小数。"); continue
                }
                items.append(v)
            }
            guard items.count == rules.itemCount else { continue }
            if items.reduce(0, +) > rules.maxTotal + 1e-9 {
                problems.append("\(u.name)：\(month) 月合计 \(Ledger.number(items.reduce(0, +))) 分，超过 \(Ledger.number(rules.maxTotal)) 分。"); continue
            }
            if stored[u.unitID]?[month] != items { changes.append((u, items)) }
        }
        guard problems.isEmpty else { throw RequestFailure.invalid(problems) }
        if !changes.isEmpty {
            try await req.audited { [changes] tx, audit in
                let sql = tx as! any SQLDatabase
                for c in changes {
                    let json = String(decoding: try JSONEncoder().encode(c.items), as: UTF8.self)
                    try await sql.raw("DELETE FROM scorecards WHERE campaign_id = \(bind: campaignID) AND unit_id = \(bind: c.unit.unitID) AND month = \(bind: month)").run()
                    try await sql.insert(into: "scorecards").columns("id", "campaign_id", "unit_id", "month", "items_json")
                        .values(SQLBind(UUID()), SQLBind(campaignID), SQLBind(c.unit.unitID), SQLBind(month), SQLBind(json)).run()
                    audit.record(.init(action: .update, entity: .campaign, entityID: campaignID.uuidString,
                                       before: stored[c.unit.unitID]?[month].map { ["scorecard": "\(c.unit.code) \(month) 月", "total": Ledger.number($0.reduce(0, +))] },
                                       after: ["scorecard": "\(c.unit.code) \(month) 月", "total": Ledger.number(c.items.reduce(0, +))]))
                }
            }
        }
        return req.redirect(to: SiteRoute.campaignScorecards(campaignID).path + listQueryString([("month", "\(month)"), ("notice", Notice.saved.rawValue)]))
    }
}
