import AssessmentCore
import Fluent
import OfficeDocuments
import SQLKit
import Vapor

/// 日常考核 (seed 000, issue 13): the checks of the year, each with its 概况, 内容 and 结论, the teams and cadres it
/// evaluated on the regular scales (第六条) with the handling suggested (第八条) and its follow-up, and its special
/// report (print, .docx). The organisation department sees and files every check (R-A1: within 15 days of its end); a
/// unit's administrator enters and follows up the checks its unit leads (the lead department) and sees the reports it
/// owes on the home page. Every change is audited; a blank never erases a stored value.
struct RegularCheckController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let staff = routes.grouped(RequireRole(.admin, .organisationDepartment, .unitAdmin))
        staff.get(.regularChecks, use: Self.index)
        staff.post(.regularChecks, use: Self.create)
        staff.get(.regularCheckNew, use: Self.newForm)
        staff.get(.regularCheck, use: Self.show)
        staff.post(.regularCheck, use: Self.update)
        staff.post(.regularCheckSubjects, use: Self.saveSubject)
        staff.post(.regularCheckFile, use: Self.file)
        staff.get(.regularCheckReport, use: Self.report)
        staff.get(.regularCheckReportDOCX, use: Self.reportDOCX)
        let department = routes.grouped(RequireRole(.admin, .organisationDepartment))
        department.get(.regularKinds, use: Self.kinds)
        department.post(.regularKinds, use: Self.saveKind)
        department.post(.regularKind, use: Self.saveKind)
    }

    static let listLimit = 200


    /// The check of the route, when the account handles it (404 otherwise: a URL reveals nothing).
    static func check(_ req: Request) async throws -> RegularChecks.Check {
        let id = try req.pathID(.regularCheck)
        guard let check = try await RegularChecks.check(id, on: req.sql) else { throw RequestFailure.notFound(.regularCheck) }
        if let units = try await req.workingUnits(), !(check.lead_unit_id.map(units.contains) ?? false) {
            throw RequestFailure.notFound(.regularCheck)
        }
        return check
    }

    // MARK: List

    struct CheckRow: Encodable { var title: String; var link: String; var kind: String; var lead: String; var period: String; var filing: String; var overdue: Bool }
    struct IndexPage: Encodable {
        var page: PageContext
        var rows: [CheckRow]; var total: Int; var more: Bool
        var years: [SelectOption]; var kinds: [SelectOption]; var statuses: [SelectOption]
        var overdue: Int; var canCreate: Bool; var departmentWide: Bool
        var newLink: String; var kindsLink: String; var evaluationsLink: String; var action: String
    }

    @Sendable static func index(req: Request) async throws -> View {
        let units = try await req.workingUnits()
        let today = req.clock.today
        let thisYear = today.components.year
        let year = req.query[Int.self, at: "year"].flatMap { (2000...2100).contains($0) ? $0 : nil }
        let kinds = try await RegularChecks.kinds(on: req.sql)
        let kind = req.query[String.self, at: "kind"].flatMap(UUID.init(uuidString:)).flatMap { k in kinds.contains { $0.id == k } ? k : nil }
        let status = req.query[String.self, at: "status"].flatMap { ["open", "overdue", "filed"].contains($0) ? $0 : nil } ?? ""
        let (checks, total) = try await RegularChecks.list(.init(year: year, kind: kind, status: status, leadUnits: units),
                                                          today: today, limit: listLimit, on: req.sql)
        // Everything the account's units owe, whatever the filter shows.
        let overdue = if let units {
            try await RegularChecks.owed(by: units, today: today, on: req.sql).filter { $0.filing(today: today).isOverdue }.count
        } else {
            try await RegularChecks.overdueCount(today: today, on: req.sql)
        }
        return try await req.view.render("regular/index", IndexPage(
            page: PageContext(req, title: "日常考核"),
            rows: checks.map { c in
                let filing = c.filing(today: today)
                return CheckRow(title: c.title, link: SiteRoute.regularCheck(c.id).path, kind: c.kind_name, lead: c.lead_unit_name ?? "—",
                                period: "\(c.started_on) 至 \(c.ended_on)", filing: filing.label, overdue: filing.isOverdue)
            },
            total: total, more: total > checks.count,
            years: [.none("全部年度", selected: year == nil)] + (thisYear - 4...thisYear + 1).reversed().map { SelectOption(value: "\($0)", label: "\($0) 年", selected: $0 == year) },
            kinds: [.none("全部类别", selected: kind == nil)] + kinds.map { SelectOption(value: $0.id.uuidString, label: $0.name, selected: $0.id == kind) },
            statuses: [.none("全部", selected: status.isEmpty), SelectOption(value: "open", label: "待归档", selected: status == "open"),
                       SelectOption(value: "overdue", label: "逾期未归档", selected: status == "overdue"),
                       SelectOption(value: "filed", label: "已归档", selected: status == "filed")],
            overdue: overdue,
            canCreate: true, departmentWide: units == nil,
            newLink: SiteRoute.regularCheckNew.path, kindsLink: SiteRoute.regularKinds.path, evaluationsLink: SiteRoute.regularEvaluations.path,
            action: SiteRoute.regularChecks.path))
    }

    // MARK: Create and edit

    struct CheckForm: Content {
        var kind: String?; var title: String?; var leadUnit: String?
        var startedOn: String?; var endedOn: String?; var place: String?; var scope: String?; var methods: String?
        var assessors: String?; var content: String?; var conclusion: String?; var writtenOn: String?
    }
    struct FormPage: Encodable {
        var page: PageContext
        var kinds: [SelectOption]; var units: UnitChoice?; var leadName: String?
        var action: String; var back: String; var today: String
    }

    @Sendable static func newForm(req: Request) async throws -> View {
        let units = try await req.workingUnits()
        let kinds = try await RegularChecks.kinds(on: req.sql)
        var leadName: String?
        if let units, let own = units.first { leadName = try await Unit.find(own, on: req.db)?.name }
        return try await req.view.render("regular/form", FormPage(
            page: PageContext(req, title: "新建日常考核"),
            kinds: kinds.map { SelectOption(value: $0.id.uuidString, label: "\($0.name)（牵头：\($0.lead)）") },
            units: units == nil ? try await UnitQueries.choice(scopeUnits: nil, none: "（组织部直接办理）", on: req.sql) : nil,
            leadName: leadName, action: SiteRoute.regularChecks.path, back: SiteRoute.regularChecks.path, today: req.clock.today.description))
    }

    static let fields: [(key: String, label: String, max: Int)] = [
        ("title", "考核名称", 200), ("place", "地点", 200), ("scope", "涉及范围", 2000), ("methods", "考核方法", 2000),
        ("assessors", "考核人员", 500), ("content", "考核内容", 20000), ("conclusion", "考核结论", 20000),
    ]

    @Sendable static func create(req: Request) async throws -> Response {
        let units = try await req.workingUnits()
        let form = try req.content.decode(CheckForm.self)
        var problems: [String] = []
        let kinds = try await RegularChecks.kinds(on: req.sql)
        let kind = form.kind.flatMap(UUID.init(uuidString:)).flatMap { k in kinds.first { $0.id == k } }
        if kind == nil { problems.append("「考核类别」请从列表中选择。") }
        let values = [form.title, form.place, form.scope, form.methods, form.assessors, form.content, form.conclusion]
        var texts: [String: String] = [:]
        for (f, v) in zip(fields, values) { texts[f.key] = FormField.text(v, f.label, max: f.max, required: f.key == "title", problems: &problems) }
        let thisYear = req.clock.today.components.year
        let started = FormField.day(form.startedOn, "开始日期", year: 2000...thisYear + 1, problems: &problems)
        let ended = FormField.day(form.endedOn, "结束日期", year: 2000...thisYear + 1, problems: &problems)
        if form.startedOn?.trimmingCharacters(in: .whitespaces).isEmpty != false { problems.append("「开始日期」必填。") }
        if form.endedOn?.trimmingCharacters(in: .whitespaces).isEmpty != false { problems.append("「结束日期」必填。") }
        if let started, let ended, ended < started { problems.append("「结束日期」不能早于「开始日期」。") }
        // R-A1 runs from the check's end: the lead unit registers a check that has ended.
        if units != nil, let ended, ended > req.clock.today { problems.append("「结束日期」不能晚于今天：考核结束后登记。") }
        let written = FormField.day(form.writtenOn, "成文时间", year: 2000...thisYear + 1, problems: &problems)
        var lead: Unit?
        if let units {
            // A unit's administrator enters the checks its own unit leads.
            guard let own = units.first else { throw RequestFailure.forbidden(.page) }
            lead = try await Unit.find(own, on: req.db)
        } else if let typed = form.leadUnit, !typed.trimmingCharacters(in: .whitespaces).isEmpty {
            lead = try await FormField.unit(typed, on: req)
            if lead == nil { problems.append("「牵头单位」不存在：请从列表中选择或填写单位编码。") }
        }
        guard problems.isEmpty, let kind, let started, let ended, let title = texts["title"] else { throw RequestFailure.invalid(problems) }
        let id = UUID()
        let leadID = lead?.id, leadCode = lead?.code ?? ""
        try await req.audited { [texts] tx, audit in
            let sql = tx as! any SQLDatabase
            try await RegularChecks.insert(.init(kindID: kind.id, title: title, leadUnit: leadID, started: started, ended: ended,
                                                 place: texts["place"] ?? "", scope: texts["scope"] ?? "", methods: texts["methods"] ?? "",
                                                 assessors: texts["assessors"] ?? "", content: texts["content"] ?? "",
                                                 conclusion: texts["conclusion"] ?? "", written: written), id: id, on: sql)
            audit.record(.init(action: .create, entity: .regularCheck, entityID: id.uuidString,
                               after: ["kind": kind.name, "title": title, "leadUnit": leadCode, "startedOn": started.description,
                                       "endedOn": ended.description]))
        }
        return req.redirect(to: .regularCheck(id), notice: .created)
    }

    /// Changes a check's 概况, 内容 and 结论: a blank field keeps what is stored. A filed check is changed only by the
    /// organisation department, with the change in the audit log.
    @Sendable static func update(req: Request) async throws -> Response {
        let check = try await check(req)
        let departmentWide = req.isDepartmentWide
        guard check.filed_on == nil || departmentWide else { throw RequestFailure.invalid("报告已归档，只能由组织部修改。") }
        let form = try req.content.decode(CheckForm.self)
        var problems: [String] = []
        let values = [form.title, form.place, form.scope, form.methods, form.assessors, form.content, form.conclusion]
        var changes: [String: String] = [:]
        for (f, v) in zip(fields, values) { if let t = FormField.text(v, f.label, max: f.max, problems: &problems) { changes[f.key] = t } }
        let thisYear = req.clock.today.components.year
        let started = FormField.day(form.startedOn, "开始日期", year: 2000...thisYear + 1, problems: &problems)
        let ended = FormField.day(form.endedOn, "结束日期", year: 2000...thisYear + 1, problems: &problems)
        let written = FormField.day(form.writtenOn, "成文时间", year: 2000...thisYear + 1, problems: &problems)
        if let s = started ?? Day(check.started_on), let e = ended ?? Day(check.ended_on), e < s { problems.append("「结束日期」不能早于「开始日期」。") }
        // The lead unit cannot move its own R-A1 deadline: no end after today, no dates changed once overdue.
        if !departmentWide {
            if let ended, ended > req.clock.today { problems.append("「结束日期」不能晚于今天。") }
            if started != nil || ended != nil, check.filing(today: req.clock.today).isOverdue {
                problems.append("报告已逾期未归档，考核时间只能由组织部修改（R-A1）。")
            }
        }
        guard problems.isEmpty else { throw RequestFailure.invalid(problems) }
        if let started { changes["started_on"] = started.description }
        if let ended { changes["ended_on"] = ended.description }
        if let written { changes["written_on"] = written.description }
        let stored: [String: String] = ["title": check.title, "place": check.place, "scope": check.scope, "methods": check.methods,
                                        "assessors": check.assessors, "content": check.content, "conclusion": check.conclusion,
                                        "started_on": check.started_on, "ended_on": check.ended_on, "written_on": check.written_on ?? ""]
        let changed = changes.filter { stored[$0.key] != $0.value }
        guard !changed.isEmpty else { return req.redirect(to: .regularCheck(check.id), notice: .saved) }
        try await req.audited { tx, audit in
            var update = (tx as! any SQLDatabase).update("regular_checks").where("id", .equal, SQLBind(check.id))
            for (column, value) in changed.sorted(by: { $0.key < $1.key }) { update = update.set(SQLIdentifier(column), to: SQLBind(value)) }
            try await update.run()
            // Long texts are logged by length (the report itself is the record).
            func logged(_ d: [String: String]) -> [String: String] { d.mapValues { $0.count > 200 ? "（\($0.count) 字）" : $0 } }
            audit.record(.init(action: .update, entity: .regularCheck, entityID: check.id.uuidString,
                               before: logged(stored.filter { changed[$0.key] != nil }), after: logged(changed)))
        }
        return req.redirect(to: .regularCheck(check.id), notice: .saved)
    }

    // MARK: One check

    struct SubjectRow: Encodable {
        var code: String; var subject: String; var name: String; var unit: String; var kind: String
        var evaluation: String?; var handling: String?; var followUp: String?; var followUpOn: String?
        var evaluations: [SelectOption]; var handlings: [SelectOption]
    }
    struct ShowPage: Encodable {
        var page: PageContext
        var check: RegularChecks.Check; var filing: String; var overdue: Bool; var filed: Bool
        var kindLead: String; var kindCooperating: String
        var subjects: [SubjectRow]; var teamUnits: UnitChoice?
        var canEdit: Bool; var canFile: Bool; var canEvaluate: Bool
        /// The lead unit after filing: the follow-up only.
        var canFollowUp: Bool
        var action: String; var subjectAction: String; var fileAction: String
        var reportLink: String; var docxLink: String; var back: String; var today: String
    }

    @Sendable static func show(req: Request) async throws -> View {
        let check = try await check(req)
        let today = req.clock.today
        let filing = check.filing(today: today)
        let units = try await req.workingUnits()
        let kind = try await RegularChecks.kinds(on: req.sql).first { $0.id == check.kind_id }
        let subjects = try await RegularChecks.subjects(of: check.id, on: req.sql)
        func options(_ scale: [String], _ chosen: String?, none: String) -> [SelectOption] {
            [.none(none, selected: chosen == nil)] + scale.map { SelectOption(value: $0, label: $0, selected: $0 == chosen) }
        }
        let departmentWide = units == nil
        return try await req.view.render("regular/show", ShowPage(
            page: PageContext(req, title: check.title), check: check, filing: filing.label, overdue: filing.isOverdue, filed: filing.isFiled,
            kindLead: kind?.lead ?? "", kindCooperating: kind?.cooperating ?? "",
            subjects: subjects.map { s in
                let team = s.subject == "team"
                return SubjectRow(code: s.code, subject: s.subject, name: s.name, unit: s.unit_name, kind: team ? "领导班子" : "领导干部",
                                  evaluation: s.evaluation, handling: s.handling, followUp: s.follow_up, followUpOn: s.follow_up_on,
                                  evaluations: options(team ? RegularChecks.teamScale : RegularChecks.cadreScale, s.evaluation, none: "（未评价）"),
                                  handlings: options(RegularChecks.handlings, s.handling, none: "（无处理意见）"))
            },
            teamUnits: try await UnitQueries.choice(scopeUnits: nil, on: req.sql),
            canEdit: !filing.isFiled || departmentWide, canFile: departmentWide && !filing.isFiled, canEvaluate: !filing.isFiled || departmentWide,
            canFollowUp: filing.isFiled && !departmentWide,
            action: SiteRoute.regularCheck(check.id).path, subjectAction: SiteRoute.regularCheckSubjects(check.id).path,
            fileAction: SiteRoute.regularCheckFile(check.id).path, reportLink: SiteRoute.regularCheckReport(check.id).path,
            docxLink: SiteRoute.regularCheckReportDOCX(check.id).path, back: SiteRoute.regularChecks.path, today: today.description))
    }

    struct SubjectForm: Content {
        var subject: String?; var code: String?; var name: String?; var unit: String?
        var evaluation: String?; var handling: String?; var followUp: String?; var followUpOn: String?; var clear: String?
    }

    /// Adds a team (by unit) or a cadre (by 干部编号) to the check, or sets one's evaluation, handling and follow-up:
    /// a blank keeps what is stored; 清空 (clear) removes the evaluation and the handling. After filing, only the
    /// organisation department changes an evaluation; the follow-up goes on.
    @Sendable static func saveSubject(req: Request) async throws -> Response {
        let check = try await check(req)
        let departmentWide = req.isDepartmentWide
        let form = try req.content.decode(SubjectForm.self)
        var problems: [String] = []
        let subject = form.subject ?? ""
        guard subject == "team" || subject == "cadre" else { throw RequestFailure.invalid("「对象」应为领导班子或领导干部。") }
        let scale = subject == "team" ? RegularChecks.teamScale : RegularChecks.cadreScale
        let evaluation = FormField.text(form.evaluation, "评价意见", max: 10, problems: &problems)
        if let evaluation, !scale.contains(evaluation) { problems.append("「评价意见」应为 \(scale.joined(separator: "、")) 之一（seed 000 第六条）。") }
        let handling = FormField.text(form.handling, "处理意见", max: 10, problems: &problems)
        if let handling, !RegularChecks.handlings.contains(handling) { problems.append("「处理意见」应为 \(RegularChecks.handlings.joined(separator: "、")) 之一（seed 000 第八条）。") }
        let followUp = FormField.text(form.followUp, "落实情况", max: 2000, problems: &problems)
        let followUpOn = FormField.day(form.followUpOn, "落实日期", year: 2000...req.clock.today.components.year + 1, problems: &problems)
        let clear = form.clear == "是"
        // Who: a cadre by 干部编号 (and, for a unit's administrator adding one, the 姓名 too: the registry beyond its
        // units is not for browsing by code), a team by its unit.
        var code = "", name = "", unitName = ""
        var stored: RegularChecks.Subject?
        if subject == "cadre" {
            let typed = String((form.code ?? "").trimmingCharacters(in: .whitespaces).prefix(65))
            stored = try await RegularChecks.subjects(of: check.id, on: req.sql).first { $0.subject == "cadre" && $0.code == typed }
            if let stored {
                code = stored.code; name = stored.name; unitName = stored.unit_name
            } else {
                let cadre = typed.isEmpty ? nil : try await Cadre.query(on: req.db).filter(\.$code == typed).first()
                let typedName = (form.name ?? "").trimmingCharacters(in: .whitespaces)
                guard let cadre, departmentWide || cadre.name == typedName else {
                    throw RequestFailure.invalid(problems + [departmentWide || typed.isEmpty
                        ? "「干部编号」\(typed.isEmpty ? "必填" : "“\(typed)”在干部名册中不存在")。"
                        : "「干部编号」和「姓名」不符，或干部名册中没有这名干部。"])
                }
                code = cadre.code; name = cadre.name
                struct U: Decodable { var name: String }
                unitName = try await req.sql.raw("""
                    SELECT u.name FROM posts p JOIN units u ON u.id = p.unit_id WHERE p.cadre_id = \(bind: cadre.requireID()) AND p.main_duty = TRUE
                      AND p.end_date IS NULL ORDER BY p.start_date DESC LIMIT 1
                    """).first(decoding: U.self)?.name ?? ""
            }
        } else {
            guard let unit = try await FormField.unit(form.unit ?? form.code, on: req) else {
                throw RequestFailure.invalid(problems + ["「单位」不存在：请从列表中选择或填写单位编码。"])
            }
            code = unit.code; unitName = unit.name
            stored = try await RegularChecks.subjects(of: check.id, on: req.sql).first { $0.subject == "team" && $0.code == unit.code }
            name = try await Team.query(on: req.db).filter(\.$unit.$id == unit.requireID()).first()?.name ?? "\(unit.name)领导班子"
        }
        // After filing, only the organisation department changes an evaluation or a handling; the follow-up goes on.
        let changesGrade = clear || (evaluation != nil && evaluation != stored?.evaluation) || (handling != nil && handling != stored?.handling)
        if check.filed_on != nil && !departmentWide && (changesGrade || stored == nil) {
            problems.append("报告已归档，评价和处理意见只能由组织部修改；落实情况可以继续登记。")
        }
        guard problems.isEmpty else { throw RequestFailure.invalid(problems) }
        try await req.audited { [code, name, unitName] tx, audit in
            let sql = tx as! any SQLDatabase
            let existing = try await sql.raw("""
                SELECT id, subject, code, name, unit_name, evaluation, handling, follow_up, follow_up_on FROM regular_check_subjects
                WHERE check_id = \(bind: check.id) AND subject = \(bind: subject) AND code = \(bind: code)
                """).first(decoding: RegularChecks.Subject.self)
            var after: [String: String] = ["subject": subject, "code": code]
            if let existing {
                var update = sql.update("regular_check_subjects").where("id", .equal, SQLBind(existing.id))
                var changed = false
                func set(_ column: String, _ value: String?, _ stored: String?) {
                    guard let value, value != stored else { return }
                    update = update.set(SQLIdentifier(column), to: SQLBind(value)); after[column] = value; changed = true
                }
                if clear {
                    update = update.set("evaluation", to: SQLLiteral.null).set("handling", to: SQLLiteral.null)
                    after["evaluation"] = "（清空）"; after["handling"] = "（清空）"; changed = true
                } else {
                    set("evaluation", evaluation, existing.evaluation)
                    set("handling", handling, existing.handling)
                }
                set("follow_up", followUp, existing.follow_up)
                set("follow_up_on", followUpOn?.description, existing.follow_up_on)
                guard changed else { return }
                try await update.run()
                audit.record(.init(action: .update, entity: .regularCheck, entityID: check.id.uuidString,
                                   before: ["subject": subject, "code": code, "evaluation": existing.evaluation ?? "", "handling": existing.handling ?? ""],
                                   after: after))
            } else {
                try await RegularChecks.addSubject(check: check.id, subject: subject, code: code, name: name, unitName: unitName,
                                                   evaluation: evaluation, handling: handling, followUp: followUp, followUpOn: followUpOn, on: sql)
                after["name"] = name
                if let evaluation { after["evaluation"] = evaluation }
                if let handling { after["handling"] = handling }
                audit.record(.init(action: .update, entity: .regularCheck, entityID: check.id.uuidString, after: after))
            }
        }
        return req.redirect(to: .regularCheck(check.id), notice: .saved)
    }

    struct FileForm: Content { var on: String? }

    /// 归档: the organisation department records the day the report reached it (R-A1 measures the 15 days to it);
    /// the check's evaluations then enter the teams' and cadres' archives.
    @Sendable static func file(req: Request) async throws -> Response {
        guard req.isDepartmentWide else { throw RequestFailure.forbidden(.page) }
        let check = try await check(req)
        guard check.filed_on == nil else { throw RequestFailure.invalid("报告已于 \(check.filed_on!) 归档。") }
        var problems: [String] = []
        let today = req.clock.today
        let on = FormField.day(try req.content.decode(FileForm.self).on, "报送日期", year: 2000...today.components.year, problems: &problems) ?? today
        if let ended = Day(check.ended_on), on < ended { problems.append("「报送日期」不能早于考核结束日期 \(check.ended_on)。") }
        if on > today { problems.append("「报送日期」不能晚于今天。") }
        guard problems.isEmpty else { throw RequestFailure.invalid(problems) }
        let filing = RegularChecks.Filing(endedOn: Day(check.ended_on) ?? on, filedOn: on, today: today)
        try await req.audited { tx, audit in
            try await (tx as! any SQLDatabase).update("regular_checks").set("filed_on", to: SQLBind(on.description))
                .where("id", .equal, SQLBind(check.id)).where("filed_on", .is, SQLLiteral.null).run()
            audit.record(.init(action: .update, entity: .regularCheck, entityID: check.id.uuidString,
                               before: ["filedOn": ""], after: ["filedOn": on.description, "filing": filing.label]))
        }
        return req.redirect(to: .regularCheck(check.id), notice: .saved)
    }

    // MARK: The special report (seed 000 第六条)

    struct ReportPage: Encodable {
        var page: PageContext
        var check: RegularChecks.Check; var filing: String; var back: String
        var teams: [RegularChecks.Subject]; var cadres: [RegularChecks.Subject]
    }

    @Sendable static func report(req: Request) async throws -> View {
        let check = try await check(req)
        let subjects = try await RegularChecks.subjects(of: check.id, on: req.sql)
        return try await req.view.render("regular/report", ReportPage(
            page: PageContext(req, title: check.title), check: check, filing: check.filing(today: req.clock.today).label,
            back: SiteRoute.regularCheck(check.id).path,
            teams: subjects.filter { $0.subject == "team" }, cadres: subjects.filter { $0.subject == "cadre" }))
    }

    @Sendable static func reportDOCX(req: Request) async throws -> Response {
        let check = try await check(req)
        let subjects = try await RegularChecks.subjects(of: check.id, on: req.sql)
        let doc = RegularReport.document(check, subjects: subjects, filing: check.filing(today: req.clock.today))
        return Response.docx(try doc.data(), filename: "\(check.title)-专项考核报告.docx")
    }

    // MARK: Kinds (第五条, editable)

    struct KindsPage: Encodable { var page: PageContext; var kinds: [RegularChecks.Kind]; var action: String; var back: String }
    struct KindRow: Encodable { var id: String; var name: String; var lead: String; var cooperating: String; var action: String }

    @Sendable static func kinds(req: Request) async throws -> View {
        try await req.view.render("regular/kinds", KindsPage(
            page: PageContext(req, title: "日常考核类别"), kinds: try await RegularChecks.kinds(on: req.sql),
            action: SiteRoute.regularKinds.path, back: SiteRoute.regularChecks.path))
    }

    struct KindForm: Content { var name: String?; var lead: String?; var cooperating: String? }

    /// Adds a kind (POST to the list) or changes one (its name and departments; a blank keeps).
    @Sendable static func saveKind(req: Request) async throws -> Response {
        let form = try req.content.decode(KindForm.self)
        var problems: [String] = []
        let name = FormField.text(form.name, "类别名称", max: 50, problems: &problems)
        let lead = FormField.text(form.lead, "牵头部门", max: 500, problems: &problems)
        let cooperating = FormField.text(form.cooperating, "配合部门", max: 500, problems: &problems)
        let kinds = try await RegularChecks.kinds(on: req.sql)
        if req.parameters.get("id") == nil {
            if name == nil { problems.append("「类别名称」必填。") }
            if let name, kinds.contains(where: { $0.name == name }) { problems.append("类别「\(name)」已有。") }
            guard problems.isEmpty, let name else { throw RequestFailure.invalid(problems) }
            let id = UUID()
            try await req.audited { tx, audit in
                try await (tx as! any SQLDatabase).insert(into: "check_kinds").columns("id", "code", "name", "lead", "cooperating", "seq")
                    .values(SQLBind(id), SQLBind("custom-\(id.uuidString.prefix(8).lowercased())"), SQLBind(name), SQLBind(lead ?? ""),
                            SQLBind(cooperating ?? ""), SQLBind(kinds.count + 1)).run()
                audit.record(.init(action: .create, entity: .checkKind, entityID: id.uuidString, after: ["name": name, "lead": lead ?? "", "cooperating": cooperating ?? ""]))
            }
            return req.redirect(to: .regularKinds, notice: .created)
        }
        let id = try req.pathID(.page)
        guard let kind = kinds.first(where: { $0.id == id }) else { throw RequestFailure.notFound(.page) }
        if let name, name != kind.name, kinds.contains(where: { $0.name == name }) { problems.append("类别「\(name)」已有。") }
        guard problems.isEmpty else { throw RequestFailure.invalid(problems) }
        let after = ["name": name, "lead": lead, "cooperating": cooperating].compactMapValues { $0 }
        let before = ["name": kind.name, "lead": kind.lead, "cooperating": kind.cooperating]
        let changed = after.filter { before[$0.key] != $0.value }
        guard !changed.isEmpty else { return req.redirect(to: .regularKinds, notice: .saved) }
        try await req.audited { tx, audit in
            var update = (tx as! any SQLDatabase).update("check_kinds").where("id", .equal, SQLBind(id))
            for (column, value) in changed.sorted(by: { $0.key < $1.key }) { update = update.set(SQLIdentifier(column), to: SQLBind(value)) }
            try await update.run()
            audit.record(.init(action: .update, entity: .checkKind, entityID: id.uuidString, before: before.filter { changed[$0.key] != nil }, after: changed))
        }
        return req.redirect(to: .regularKinds, notice: .saved)
    }
}
