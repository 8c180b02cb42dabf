import AssessmentCore
import Fluent
import SQLKit
import Vapor

/// 整改 of a campaign (seed 004; R-R1, R-T3): the organisation department records the written feedback each checked
/// unit received; the unit's administrator enters its measures (problem, measure, owner, due date) and submits them
/// within one month, then records the evidence as each is done; the organisation department follows up, records the
/// consequences and closes the rectification. The ranking's bottom two (R-T3) are flagged for admonition talks. A unit's
/// administrator reads and writes its own unit only; every change is audited.
struct RectificationController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let staff = routes.grouped(RequireRole(.admin, .organisationDepartment, .unitAdmin))
        staff.get(.campaignRectification, use: Self.index)
        staff.post(.campaignRectification, use: Self.recordFeedback)
        staff.post(.campaignRectificationMeasures, use: Self.saveMeasure)
        staff.post(.campaignRectificationSubmit, use: Self.submit)
        staff.post(.campaignRectificationClose, use: Self.close)
        staff.post(.campaignRectificationConsequences, use: Self.addConsequence)
    }


    struct MeasureRow: Encodable {
        var id: String; var problem: String; var measure: String; var owner: String; var due: String
        var evidence: String?; var doneOn: String?; var overdue: Bool
    }
    struct UnitRow: Encodable {
        var unitID: String; var name: String; var link: String; var feedbackOn: String; var state: String; var overdue: Bool
        var admonition: String?; var consequences: [String]
    }
    struct Detail: Encodable {
        var unitID: String; var name: String; var feedbackOn: String; var feedback: String; var methods: String; var state: String; var overdue: Bool
        var submitted: Bool; var closed: Bool; var measures: [MeasureRow]; var consequences: [String]; var admonition: String?
        var canEditMeasures: Bool; var canSubmit: Bool; var canClose: Bool; var canRecordConsequence: Bool
    }
    struct Page: Encodable {
        var page: PageContext
        var title: String; var back: String; var departmentWide: Bool
        var rows: [UnitRow]; var detail: Detail?
        var units: UnitChoice?; var consequenceKinds: [String]; var methods: [SelectOption]; var today: String
        var action: String; var measureAction: String; var submitAction: String; var closeAction: String; var consequenceAction: String
        var bottom: [String]
    }

    @Sendable static func index(req: Request) async throws -> View {
        let campaign = try await req.campaign()
        let campaignID = try campaign.requireID()
        let units = try await req.workingUnits()
        let today = req.clock.today
        let rows = try await Rectifications.rows(campaign: campaignID, units: units, on: req.sql)
        let measures = try await Rectifications.measures(of: rows.map(\.id), on: req.sql)
        let consequences = try await Rectifications.consequences(of: rows.map(\.id), on: req.sql)
        // R-T3: the bottom two of the ranking, from the campaign's grading.
        let grading = try await CampaignGrading.current(campaign, on: req)
        let admonitions = Dictionary(grading.result.triggers.filter { $0.rule == "R-T3" }.map { ($0.subject, "R-T3 \($0.message)") }) { a, _ in a }
        let names = Dictionary(grading.roster.units.map { ($0.code, $0.name) }) { a, _ in a }
        let visibleCodes = Set(grading.roster.units.filter { units?.contains($0.unitID) ?? true }.map(\.code))
        func consequenceText(_ c: Rectifications.Consequence) -> String { "\(c.on_day) \(c.kind)" + (c.note.isEmpty ? "" : "：\(c.note)") }
        let path = SiteRoute.campaignRectification(campaignID).path
        var detail: Detail?
        if let unitID = req.query[String.self, at: "unit"].flatMap(UUID.init(uuidString:)) {
            guard units?.contains(unitID) ?? true, let r = rows.first(where: { $0.unit_id == unitID }) else { throw RequestFailure.notFound(.unit) }
            let mine = measures[r.id] ?? []
            let state = Rectifications.state(r, measures: mine, today: today)
            let departmentWide = units == nil
            detail = Detail(unitID: unitID.uuidString, name: r.unit_name, feedbackOn: r.feedback_on, feedback: r.feedback,
                            methods: r.methods.isEmpty ? "—" : r.methods, state: state.label,
                            overdue: state.isOverdue, submitted: r.submitted_on != nil, closed: r.closed_on != nil,
                            measures: mine.map { m in
                                MeasureRow(id: m.id.uuidString, problem: m.problem, measure: m.measure, owner: m.owner, due: m.due_on,
                                           evidence: m.evidence, doneOn: m.done_on, overdue: m.isOverdue(today: today))
                            },
                            consequences: (consequences[r.id] ?? []).map(consequenceText), admonition: admonitions[r.unit_code],
                            canEditMeasures: r.closed_on == nil, canSubmit: r.submitted_on == nil && !mine.isEmpty && r.closed_on == nil,
                            canClose: departmentWide && r.submitted_on != nil && r.closed_on == nil && mine.allSatisfy { $0.done_on != nil },
                            canRecordConsequence: departmentWide)
        }
        return try await req.view.render("rectification/index", Page(
            page: PageContext(req, title: "整改 · \(campaign.title)"), title: campaign.title, back: SiteRoute.campaign(campaignID).path,
            departmentWide: units == nil,
            rows: rows.map { r in
                let state = Rectifications.state(r, measures: measures[r.id] ?? [], today: today)
                return UnitRow(unitID: r.unit_id.uuidString, name: r.unit_name, link: path + "?unit=" + r.unit_id.uuidString, feedbackOn: r.feedback_on,
                               state: state.label, overdue: state.isOverdue, admonition: admonitions[r.unit_code],
                               consequences: (consequences[r.id] ?? []).map(consequenceText))
            },
            detail: detail,
            units: units == nil ? try await UnitQueries.choice(scopeUnits: nil, on: req.sql) : nil,
            consequenceKinds: Rectifications.consequenceKinds,
            methods: CleanGovernance.methods.enumerated().map { SelectOption(value: "method\($0)", label: $1) }, today: today.description,
            action: path, measureAction: SiteRoute.campaignRectificationMeasures(campaignID).path,
            submitAction: SiteRoute.campaignRectificationSubmit(campaignID).path, closeAction: SiteRoute.campaignRectificationClose(campaignID).path,
            consequenceAction: SiteRoute.campaignRectificationConsequences(campaignID).path,
            bottom: admonitions.keys.sorted().filter { visibleCodes.contains($0) }.map { "\(names[$0] ?? $0)：\(admonitions[$0]!)" }))
    }

    static func redirect(_ req: Request, _ campaign: UUID, unit: UUID) -> Response {
        req.redirect(to: SiteRoute.campaignRectification(campaign).path + listQueryString([("unit", unit.uuidString), ("notice", Notice.saved.rawValue)]))
    }

    struct FeedbackForm: Content { var unit: String?; var feedbackOn: String?; var feedback: String? }

    /// The organisation department records the written feedback a unit received (第十二条); the month of R-R1 starts
    /// then. Recorded again, the text and date change (a blank keeps), while measures stay.
    @Sendable static func recordFeedback(req: Request) async throws -> Response {
        guard req.isDepartmentWide else { throw RequestFailure.forbidden(.page) }
        let campaign = try await req.campaign()
        let campaignID = try campaign.requireID()
        let form = try req.content.decode(FeedbackForm.self)
        var problems: [String] = []
        guard let unit = try await FormField.unit(form.unit, on: req), let unitID = unit.id else {
            throw RequestFailure.invalid("「单位」不存在：请从列表中选择或填写单位编码。")
        }
        let thisYear = req.clock.today.components.year
        let on = FormField.day(form.feedbackOn, "书面反馈日期", year: 2000...thisYear, problems: &problems)
        if let on, on > req.clock.today { problems.append("「书面反馈日期」不能晚于今天。") }
        let feedback = FormField.text(form.feedback, "反馈意见", max: 20000, problems: &problems)
        // 第十条: the ways the unit was checked, ticked on the form (none ticked keeps what is stored).
        let methods = CleanGovernance.methods.indices.compactMap { i -> String? in
            (try? req.content.get(String.self, at: "method\(i)")) == "是" ? CleanGovernance.methods[i] : nil
        }.joined(separator: "、")
        guard try await CampaignGrading.current(campaign, on: req).roster.units.contains(where: { $0.unitID == unitID }) else {
            throw RequestFailure.invalid("「\(unit.name)」不在本次考核的单位中。")
        }
        guard problems.isEmpty else { throw RequestFailure.invalid(problems) }
        try await req.audited { tx, audit in
            let sql = tx as! any SQLDatabase
            let existing = try await Rectifications.rows(campaign: campaignID, units: [unitID], on: sql).first
            if existing == nil && on == nil { throw RequestFailure.invalid("「书面反馈日期」必填。") }
            if let existing {
                var update = sql.update("rectifications").where("id", .equal, SQLBind(existing.id))
                var after: [String: String] = [:]
                if let on, on.description != existing.feedback_on { update = update.set("feedback_on", to: SQLBind(on.description)); after["feedbackOn"] = on.description }
                if let feedback, feedback != existing.feedback { update = update.set("feedback", to: SQLBind(feedback)); after["feedback"] = "（\(feedback.count) 字）" }
                if !methods.isEmpty, methods != existing.methods { update = update.set("methods", to: SQLBind(methods)); after["methods"] = methods }
                guard !after.isEmpty else { return }
                try await update.run()
                audit.record(.init(action: .update, entity: .campaign, entityID: campaignID.uuidString,
                                   before: ["rectification": unit.code, "feedbackOn": existing.feedback_on], after: after.merging(["rectification": unit.code]) { a, _ in a }))
            } else {
                try await sql.insert(into: "rectifications").columns("id", "campaign_id", "unit_id", "feedback_on", "feedback", "methods")
                    .values(SQLBind(UUID()), SQLBind(campaignID), SQLBind(unitID), SQLBind(on!.description), SQLBind(feedback ?? ""), SQLBind(methods)).run()
                audit.record(.init(action: .create, entity: .campaign, entityID: campaignID.uuidString,
                                   after: ["rectification": unit.code, "feedbackOn": on!.description, "methods": methods,
                                           "due": Rectifications.submissionDue(feedbackOn: on!).description]))
            }
        }
        return redirect(req, campaignID, unit: unitID)
    }

    /// The rectification of the form's `unit` in the route's campaign, when the account may handle it.
    static func rectification(_ req: Request) async throws -> (UUID, Rectifications.Row) {
        let campaign = try await req.campaign()
        let campaignID = try campaign.requireID()
        let units = try await req.workingUnits()
        guard let unitID = (try? req.content.get(String.self, at: "unit")).flatMap(UUID.init(uuidString:)), units?.contains(unitID) ?? true,
              let row = try await Rectifications.rows(campaign: campaignID, units: [unitID], on: req.sql).first else {
            throw RequestFailure.notFound(.unit)
        }
        return (campaignID, row)
    }

    struct MeasureForm: Content {
        var measure: String?; var problem: String?; var text: String?; var owner: String?; var due: String?
        var evidence: String?; var done: String?
    }

    /// Adds a measure (no `measure` id) or records one's evidence and completion (a blank keeps). Closed: nothing changes.
    @Sendable static func saveMeasure(req: Request) async throws -> Response {
        let (campaignID, r) = try await rectification(req)
        guard r.closed_on == nil else { throw RequestFailure.invalid("整改已销号，不能再修改。") }
        let form = try req.content.decode(MeasureForm.self)
        var problems: [String] = []
        let thisYear = req.clock.today.components.year
        if let idText = form.measure, !idText.isEmpty {
            guard let id = UUID(uuidString: idText),
                  let m = try await Rectifications.measures(of: [r.id], on: req.sql)[r.id]?.first(where: { $0.id == id }) else {
                throw RequestFailure.notFound(.page)
            }
            // A measure done stands as done: its evidence is changed by the organisation department only.
            if m.done_on != nil && !req.isDepartmentWide { throw RequestFailure.invalid("该项整改已于 \(m.done_on!) 完成，不能再修改。") }
            let evidence = FormField.text(form.evidence, "整改成效和佐证", max: 5000, required: false, problems: &problems)
            let done = FormField.day(form.done, "完成日期", year: 2000...thisYear, problems: &problems)
            if let done, done > req.clock.today { problems.append("「完成日期」不能晚于今天。") }
            if done != nil && evidence == nil && m.evidence == nil { problems.append("标记完成须填写「整改成效和佐证」。") }
            guard problems.isEmpty else { throw RequestFailure.invalid(problems) }
            var after: [String: String] = [:]
            if let evidence, evidence != m.evidence { after["evidence"] = evidence }
            if let done, m.done_on == nil { after["done_on"] = done.description }
            guard !after.isEmpty else { return redirect(req, campaignID, unit: r.unit_id) }
            try await req.audited { [after] tx, audit in
                var update = (tx as! any SQLDatabase).update("rectification_measures").where("id", .equal, SQLBind(id))
                for (k, v) in after.sorted(by: { $0.key < $1.key }) { update = update.set(SQLIdentifier(k), to: SQLBind(v)) }
                try await update.run()
                audit.record(.init(action: .update, entity: .campaign, entityID: campaignID.uuidString,
                                   before: ["rectification": r.unit_code, "measure": m.measure], after: after.mapValues { $0.count > 200 ? "（\($0.count) 字）" : $0 }))
            }
            return redirect(req, campaignID, unit: r.unit_id)
        }
        let problem = FormField.text(form.problem, "存在问题", max: 2000, required: true, problems: &problems)
        let measure = FormField.text(form.text, "整改措施", max: 5000, required: true, problems: &problems)
        let owner = FormField.text(form.owner, "责任人", max: 100, required: true, problems: &problems)
        let due = FormField.day(form.due, "完成时限", year: 2000...thisYear + 3, problems: &problems)
        if due == nil && !problems.contains(where: { $0.hasPrefix("「完成时限」") }) { problems.append("「完成时限」必填。") }
        if let due, let feedback = Day(r.feedback_on), due < feedback { problems.append("「完成时限」不能早于书面反馈日期 \(r.feedback_on)。") }
        guard problems.isEmpty, let problem, let measure, let owner, let due else { throw RequestFailure.invalid(problems) }
        try await req.audited { tx, audit in
            let sql = tx as! any SQLDatabase
            let count = try await Rectifications.measures(of: [r.id], on: sql)[r.id]?.count ?? 0
            guard count < 200 else { throw RequestFailure.invalid("一个单位的整改措施最多 200 项。") }
            try await sql.insert(into: "rectification_measures")
                .columns("id", "rectification_id", "problem", "measure", "owner", "due_on", "position")
                .values(SQLBind(UUID()), SQLBind(r.id), SQLBind(problem), SQLBind(measure), SQLBind(owner), SQLBind(due.description), SQLBind(count + 1)).run()
            audit.record(.init(action: .create, entity: .campaign, entityID: campaignID.uuidString,
                               after: ["rectification": r.unit_code, "measure": String(measure.prefix(200)), "owner": owner, "due": due.description]))
        }
        return redirect(req, campaignID, unit: r.unit_id)
    }

    /// 报送整改措施: the unit submits its measures (at least one); late is recorded, not refused (R-R1).
    @Sendable static func submit(req: Request) async throws -> Response {
        let (campaignID, r) = try await rectification(req)
        guard r.submitted_on == nil else { throw RequestFailure.invalid("整改措施已于 \(r.submitted_on!) 报送。") }
        guard !(try await Rectifications.measures(of: [r.id], on: req.sql)[r.id] ?? []).isEmpty else {
            throw RequestFailure.invalid("请先填写至少一项整改措施，再报送。")
        }
        let today = req.clock.today
        let due = Rectifications.submissionDue(feedbackOn: Day(r.feedback_on) ?? today)
        try await req.audited { tx, audit in
            try await (tx as! any SQLDatabase).update("rectifications").set("submitted_on", to: SQLBind(today.description))
                .where("id", .equal, SQLBind(r.id)).where("submitted_on", .is, SQLLiteral.null).run()
            audit.record(.init(action: .update, entity: .campaign, entityID: campaignID.uuidString,
                               after: ["rectification": r.unit_code, "submittedOn": today.description, "due": due.description,
                                       "inTime": today > due ? "否（R-R1 逾期）" : "是"]))
        }
        return redirect(req, campaignID, unit: r.unit_id)
    }

    /// 销号: the organisation department closes a rectification whose measures are all done.
    @Sendable static func close(req: Request) async throws -> Response {
        guard req.isDepartmentWide else { throw RequestFailure.forbidden(.page) }
        let (campaignID, r) = try await rectification(req)
        guard r.closed_on == nil else { throw RequestFailure.invalid("整改已于 \(r.closed_on!) 销号。") }
        let measures = try await Rectifications.measures(of: [r.id], on: req.sql)[r.id] ?? []
        guard r.submitted_on != nil, !measures.isEmpty, measures.allSatisfy({ $0.done_on != nil }) else {
            throw RequestFailure.invalid("整改措施报送并全部完成后才能销号（未完成 \(measures.filter { $0.done_on == nil }.count) 项）。")
        }
        let today = req.clock.today
        try await req.audited { tx, audit in
            try await (tx as! any SQLDatabase).update("rectifications").set("closed_on", to: SQLBind(today.description)).where("id", .equal, SQLBind(r.id)).run()
            audit.record(.init(action: .update, entity: .campaign, entityID: campaignID.uuidString, after: ["rectification": r.unit_code, "closedOn": today.description]))
        }
        return redirect(req, campaignID, unit: r.unit_id)
    }

    struct ConsequenceForm: Content { var kind: String?; var note: String?; var on: String? }

    /// Records a consequence the texts name (约谈, 取消评先评优资格 …) against the unit's rectification.
    @Sendable static func addConsequence(req: Request) async throws -> Response {
        guard req.isDepartmentWide else { throw RequestFailure.forbidden(.page) }
        let (campaignID, r) = try await rectification(req)
        let form = try req.content.decode(ConsequenceForm.self)
        var problems: [String] = []
        guard let kind = form.kind, Rectifications.consequenceKinds.contains(kind) else {
            throw RequestFailure.invalid("「处理」应为 \(Rectifications.consequenceKinds.joined(separator: "、")) 之一。")
        }
        let note = FormField.text(form.note, "说明", max: 2000, problems: &problems) ?? ""
        let on = FormField.day(form.on, "日期", year: 2000...req.clock.today.components.year, problems: &problems) ?? req.clock.today
        guard problems.isEmpty else { throw RequestFailure.invalid(problems) }
        try await req.audited { tx, audit in
            try await (tx as! any SQLDatabase).insert(into: "rectification_consequences").columns("id", "rectification_id", "kind", "note", "on_day")
                .values(SQLBind(UUID()), SQLBind(r.id), SQLBind(kind), SQLBind(note), SQLBind(on.description)).run()
            audit.record(.init(action: .create, entity: .campaign, entityID: campaignID.uuidString,
                               after: ["rectification": r.unit_code, "consequence": kind, "on": on.description]))
        }
        return redirect(req, campaignID, unit: r.unit_id)
    }
}
