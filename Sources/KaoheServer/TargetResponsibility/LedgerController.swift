import AssessmentCore
import Fluent
import SQLKit
import Vapor

/// 目标责任考核 (seed 004 第四篇, R-S8), for the organisation department (the 考核工作组): the year's totals and ranking
/// of the working bodies; a body's ledger with its events entered through the year (each with its date and evidence;
/// withdrawn with a reason, never deleted) and its headcount; the rule table, editable per year. Every change is audited.
struct LedgerController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let department = routes.grouped(RequireRole(.admin, .organisationDepartment))
        department.get(.ledger, use: Self.index)
        department.get(.ledgerUnit, use: Self.unit)
        department.post(.ledgerEntries, use: Self.addEntry)
        department.post(.ledgerEntryWithdraw, use: Self.withdraw)
        department.post(.ledgerHeadcount, use: Self.headcount)
        department.get(.ledgerRules, use: Self.rulesPage)
        department.post(.ledgerRules, use: Self.saveRules)
    }

    static func year(_ req: Request) -> Int {
        let thisYear = req.clock.today.components.year
        let asked = req.query[Int.self, at: "year"] ?? (try? req.content.get(Int.self, at: "year"))
        return asked.flatMap { (thisYear - 10...thisYear + 1).contains($0) ? $0 : nil } ?? thisYear
    }

    static func years(_ req: Request, _ year: Int) -> [SelectOption] {
        let thisYear = req.clock.today.components.year
        return (thisYear - 4...thisYear).reversed().map { SelectOption(value: "\($0)", label: "\($0) 年", selected: $0 == year) }
    }

    struct Row: Encodable {
        var rank: Int; var name: String; var link: String; var headcount: String; var common: String; var targets: String
        var daily: String; var perHead: String; var innovation: String; var total: String
    }
    struct IndexPage: Encodable {
        var page: PageContext
        var year: Int; var years: [SelectOption]; var rows: [Row]; var action: String
        var units: UnitChoice; var unitAction: String; var rulesLink: String; var commonBase: String; var targetBase: String
    }

    @Sendable static func index(req: Request) async throws -> View {
        let year = year(req)
        let (points, bodies, rules) = try await Ledger.points(year: year, on: req.sql)
        let byCode = Dictionary(bodies.map { ($0.code, $0) }) { a, _ in a }
        let rows = points.sorted { ($0.rank, $0.id) < ($1.rank, $1.id) }.map { p in
            Row(rank: p.rank, name: p.name ?? p.id,
                link: SiteRoute.ledgerUnit.path + listQueryString([("unit", byCode[p.id]?.unit_id.uuidString ?? ""), ("year", "\(year)")]),
                headcount: byCode[p.id]?.headcount.map(String.init) ?? "未填", common: Ledger.number(p.common), targets: Ledger.number(p.targets),
                daily: Ledger.number(p.dailyTotal), perHead: Ledger.number(Ledger.hundredths(p.dailyPerHead)),
                innovation: Ledger.number(p.innovation), total: String(format: "%.2f", p.total))
        }
        return try await req.view.render("ledger/index", IndexPage(
            page: PageContext(req, title: "目标责任考核 · \(year) 年"), year: year, years: years(req, year), rows: rows,
            action: SiteRoute.ledger.path, units: try await UnitQueries.choice(scopeUnits: nil, on: req.sql),
            unitAction: SiteRoute.ledgerUnit.path, rulesLink: SiteRoute.ledgerRules.path + "?year=\(year)",
            commonBase: Ledger.number(rules.commonBase), targetBase: Ledger.number(rules.targetBase)))
    }

    struct EntryRow: Encodable {
        var id: String; var day: String; var section: String; var label: String; var count: String; var points: String
        var evidence: String; var withdrawn: String?
    }
    struct UnitPage: Encodable {
        var page: PageContext
        var year: Int; var name: String; var unitID: String; var headcount: String; var result: Row?
        var entries: [EntryRow]; var kinds: [SelectOption]; var today: String
        var entryAction: String; var withdrawAction: String; var headcountAction: String; var back: String
    }

    static func body(_ req: Request) async throws -> Unit {
        let value = req.query[String.self, at: "unit"] ?? (try? req.content.get(String.self, at: "unit"))
        guard let unit = try await FormField.unit(value, on: req) else { throw RequestFailure.notFound(.unit) }
        return unit
    }

    @Sendable static func unit(req: Request) async throws -> View {
        let year = year(req)
        let unit = try await body(req)
        let unitID = try unit.requireID()
        let (points, bodies, rules) = try await Ledger.points(year: year, on: req.sql)
        let items = Dictionary(rules.items.map { ($0.kind, $0) }) { a, _ in a }
        let mine = points.first { $0.id == unit.code }
        let entries = try await Ledger.entries(year: year, unit: unitID, on: req.sql)
        return try await req.view.render("ledger/unit", UnitPage(
            page: PageContext(req, title: "\(unit.name) · 目标责任考核台账"), year: year, name: unit.name, unitID: unitID.uuidString,
            headcount: bodies.first { $0.unit_id == unitID }?.headcount.map(String.init) ?? "",
            result: mine.map { p in
                Row(rank: p.rank, name: unit.name, link: "", headcount: "", common: Ledger.number(p.common), targets: Ledger.number(p.targets),
                    daily: Ledger.number(p.dailyTotal), perHead: Ledger.number(Ledger.hundredths(p.dailyPerHead)),
                    innovation: Ledger.number(p.innovation), total: String(format: "%.2f", p.total))
            },
            entries: entries.map { e in
                let item = items[e.kind]
                let each = e.points ?? item?.points ?? 0
                return EntryRow(id: e.id.uuidString, day: e.on_day, section: item.map { Ledger.sectionLabel($0.section) } ?? "（已从规则表删除）",
                                label: item?.label ?? e.kind, count: Ledger.number(e.count), points: Ledger.number(each * e.count),
                                evidence: e.evidence, withdrawn: e.withdrawn)
            },
            kinds: rules.items.map { SelectOption(value: $0.kind, label: "\(Ledger.sectionLabel($0.section))：\($0.label)（\($0.points > 0 ? "+" : "")\(Ledger.number($0.points))）") },
            today: req.clock.today.description,
            entryAction: SiteRoute.ledgerEntries.path, withdrawAction: SiteRoute.ledgerEntryWithdraw.path,
            headcountAction: SiteRoute.ledgerHeadcount.path, back: SiteRoute.ledger.path + "?year=\(year)"))
    }

    static func back(_ req: Request, _ unit: UUID, _ year: Int) -> Response {
        req.redirect(to: SiteRoute.ledgerUnit.path + listQueryString([("unit", unit.uuidString), ("year", "\(year)"), ("notice", Notice.saved.rawValue)]))
    }

    struct EntryForm: Content { var kind: String?; var count: String?; var points: String?; var on: String?; var evidence: String? }

    /// One event: its kind from the year's rule table, how many (persons × times, days, items), the date and the
    /// evidence; an innovation decided by the meeting gives its points.
    @Sendable static func addEntry(req: Request) async throws -> Response {
        let year = year(req)
        let unit = try await body(req)
        let unitID = try unit.requireID()
        let form = try req.content.decode(EntryForm.self)
        let rules = try await Ledger.rules(year: year, on: req.sql)
        var problems: [String] = []
        guard let item = rules.items.first(where: { $0.kind == form.kind }) else { throw RequestFailure.invalid("「事项」请从规则表中选择。") }
        let countText = (form.count ?? "").trimmingCharacters(in: .whitespaces)
        let count = countText.isEmpty ? 1 : Double(countText)
        if count == nil || !(count!.isFinite) || count! <= 0 || count! > 10_000 || count! != (count! * 10).rounded() / 10 {
            problems.append("「次数（人次、天数、项数）」应为 0 到 10000 之间的数，最多一位小数。")
        }
        let pointsText = (form.points ?? "").trimmingCharacters(in: .whitespaces)
        var points: Double?
        if !pointsText.isEmpty {
            guard item.section == .innovation else {
                throw RequestFailure.invalid("「分值」只用于主任会议决定分值的工作创新；「\(item.label)」按规则表计 \(Ledger.number(item.points)) 分。")
            }
            guard let p = Double(pointsText), p.isFinite, abs(p) <= 100, p == (p * 100).rounded() / 100 else {
                throw RequestFailure.invalid("「分值」应为 −100 到 100 之间的数，最多两位小数。")
            }
            points = p
        }
        if item.section == .innovation && item.points == 0 && points == nil { problems.append("「\(item.label)」须填写主任会议决定的分值。") }
        let on = FormField.day(form.on, "日期", year: year...year, problems: &problems)
        if on == nil && !problems.contains(where: { $0.hasPrefix("「日期」") }) { problems.append("「日期」必填（\(year) 年内）。") }
        let evidence = FormField.text(form.evidence, "依据", max: 2000, required: true, problems: &problems)
        guard problems.isEmpty, let count, let on, let evidence else { throw RequestFailure.invalid(problems) }
        try await req.audited { [points] tx, audit in
            let id = UUID()
            try await (tx as! any SQLDatabase).insert(into: "ledger_entries").columns("id", "year", "unit_id", "kind", "count", "points", "on_day", "evidence")
                .values(SQLBind(id), SQLBind(year), SQLBind(unitID), SQLBind(item.kind), SQLBind(count), SQLBind(points), SQLBind(on.description), SQLBind(evidence)).run()
            audit.record(.init(action: .create, entity: .ledger, entityID: id.uuidString,
                               after: ["unit": unit.code, "year": "\(year)", "kind": item.label, "count": Ledger.number(count),
                                       "points": points.map(Ledger.number) ?? "", "on": on.description]))
        }
        return back(req, unitID, year)
    }

    struct WithdrawForm: Content { var entry: String?; var reason: String? }

    @Sendable static func withdraw(req: Request) async throws -> Response {
        let year = year(req)
        let unit = try await body(req)
        let unitID = try unit.requireID()
        let form = try req.content.decode(WithdrawForm.self)
        var problems: [String] = []
        let reason = FormField.text(form.reason, "撤销原因", max: 200, required: true, problems: &problems)
        guard let id = form.entry.flatMap(UUID.init(uuidString:)),
              let entry = try await Ledger.entries(year: year, unit: unitID, on: req.sql).first(where: { $0.id == id }) else {
            throw RequestFailure.notFound(.page)
        }
        guard entry.withdrawn == nil else { throw RequestFailure.invalid("该事项已撤销：\(entry.withdrawn!)") }
        guard problems.isEmpty, let reason else { throw RequestFailure.invalid(problems) }
        try await req.audited { tx, audit in
            try await (tx as! any SQLDatabase).update("ledger_entries").set("withdrawn", to: SQLBind(reason)).where("id", .equal, SQLBind(id)).run()
            audit.record(.init(action: .update, entity: .ledger, entityID: id.uuidString, before: ["withdrawn": ""],
                               after: ["withdrawn": "是", "unit": unit.code], reason: reason))
        }
        return back(req, unitID, year)
    }

    struct HeadcountForm: Content { var headcount: String? }

    /// 实际工作人员人数 of the body in the year: the divisor of its daily points (a blank keeps).
    @Sendable static func headcount(req: Request) async throws -> Response {
        let year = year(req)
        let unit = try await body(req)
        let unitID = try unit.requireID()
        let text = (try req.content.decode(HeadcountForm.self).headcount ?? "").trimmingCharacters(in: .whitespaces)
        guard !text.isEmpty else { return back(req, unitID, year) }
        guard let n = Int(text), (1...10_000).contains(n) else { throw RequestFailure.invalid("「实际工作人员人数」应为 1 到 10000 的整数。") }
        try await req.audited { tx, audit in
            let sql = tx as! any SQLDatabase
            struct H: Decodable { var headcount: Int }
            let before = try await sql.raw("SELECT headcount FROM ledger_headcounts WHERE year = \(bind: year) AND unit_id = \(bind: unitID)").first(decoding: H.self)
            try await sql.raw("DELETE FROM ledger_headcounts WHERE year = \(bind: year) AND unit_id = \(bind: unitID)").run()
            try await sql.insert(into: "ledger_headcounts").columns("id", "year", "unit_id", "headcount")
                .values(SQLBind(UUID()), SQLBind(year), SQLBind(unitID), SQLBind(n)).run()
            audit.record(.init(action: .update, entity: .ledger, entityID: unitID.uuidString,
                               before: before.map { ["headcount": "\($0.headcount)"] }, after: ["headcount": "\(n)", "year": "\(year)"]))
        }
        return back(req, unitID, year)
    }

    struct RuleRow: Encodable { var kind: String; var section: String; var label: String; var points: String }
    struct RulesPage: Encodable {
        var page: PageContext
        var year: Int; var years: [SelectOption]; var commonBase: String; var targetBase: String; var rows: [RuleRow]
        var action: String; var back: String; var edited: Bool
    }

    @Sendable static func rulesPage(req: Request) async throws -> View {
        let year = year(req)
        let rules = try await Ledger.rules(year: year, on: req.sql)
        struct N: Decodable { var n: Int }
        let edited = (try await req.sql.raw("SELECT COUNT(*) AS n FROM ledger_rules WHERE year = \(bind: year)").first(decoding: N.self)?.n ?? 0) > 0
        return try await req.view.render("ledger/rules", RulesPage(
            page: PageContext(req, title: "目标责任考核规则表 · \(year) 年"), year: year, years: years(req, year),
            commonBase: Ledger.number(rules.commonBase), targetBase: Ledger.number(rules.targetBase),
            rows: rules.items.map { RuleRow(kind: $0.kind, section: Ledger.sectionLabel($0.section), label: $0.label, points: Ledger.number($0.points)) },
            action: SiteRoute.ledgerRules.path, back: SiteRoute.ledger.path + "?year=\(year)", edited: edited))
    }

    /// Changes the year's bases and points per kind (`p.<kind>`); a blank keeps. Entries keep their kinds; a year's totals
    /// follow its own table.
    @Sendable static func saveRules(req: Request) async throws -> Response {
        let year = year(req)
        var rules = try await Ledger.rules(year: year, on: req.sql)
        let before = rules
        var problems: [String] = []
        func number(_ field: String, _ label: String, range: ClosedRange<Double>) -> Double? {
            guard let text = (try? req.content.get(String.self, at: field))?.trimmingCharacters(in: .whitespaces), !text.isEmpty else { return nil }
            guard let v = Double(text), v.isFinite, range.contains(v), v == (v * 100).rounded() / 100 else {
                problems.append("「\(label)」应为 \(Ledger.number(range.lowerBound)) 到 \(Ledger.number(range.upperBound)) 之间的数，最多两位小数。")
                return nil
            }
            return v
        }
        if let v = number("commonBase", "共性工作指标基础分", range: 0...100) { rules.commonBase = v }
        if let v = number("targetBase", "工作目标基础分", range: 0...100) { rules.targetBase = v }
        for i in rules.items.indices {
            if let v = number("p.\(rules.items[i].kind)", rules.items[i].label, range: -100...100) { rules.items[i].points = v }
        }
        guard problems.isEmpty else { throw RequestFailure.invalid(problems) }
        guard rules != before else { return req.redirect(to: SiteRoute.ledgerRules.path + listQueryString([("year", "\(year)"), ("notice", Notice.saved.rawValue)])) }
        var changes: [String: String] = [:]
        if rules.commonBase != before.commonBase { changes["commonBase"] = Ledger.number(rules.commonBase) }
        if rules.targetBase != before.targetBase { changes["targetBase"] = Ledger.number(rules.targetBase) }
        for (a, b) in zip(before.items, rules.items) where a.points != b.points { changes[b.label] = "\(Ledger.number(a.points)) → \(Ledger.number(b.points))" }
        try await req.audited { [rules, changes] tx, audit in
            try await Ledger.save(rules, year: year, on: tx as! any SQLDatabase)
            audit.record(.init(action: .update, entity: .ledger, entityID: "rules-\(year)", after: changes))
        }
        return req.redirect(to: SiteRoute.ledgerRules.path + listQueryString([("year", "\(year)"), ("notice", Notice.saved.rawValue)]))
    }
}
