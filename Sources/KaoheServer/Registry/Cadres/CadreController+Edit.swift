import Fluent
import OfficeDocuments
import SQLKit
import Vapor

/// 干部 create/edit: one form of personal data and status facts (plus, when creating, the first post), checked by
/// `CadreRules` like a roster row.
extension CadreController {
    struct CadreForm: Content {
        var code: String
        var name: String
        var gender: String
        var birthDate: String?
        var politicalStatus: String?
        var education: String?
        var rank: String?
        var retiredOn: String?
        var underInvestigation: String?
        var villageTeam: String?
        var awaitingAssignment: String?
        var unitID: String?
        var title: String?
        var principal: String?
        var mainDuty: String?
        var startDate: String?
        var orderNumber: String?
        /// The 干部任免审批表 fields by `CadreFields.RecordField.key` (form names `record[key]`).
        var record: [String: String]?

        init(code: String = "", name: String = "", gender: String = "男") {
            self.code = code; self.name = name; self.gender = gender
        }

        init(_ c: Cadre) {
            code = c.code; name = c.name; gender = c.gender; birthDate = c.birthDate.map(SheetText.shownDate); politicalStatus = c.politicalStatus
            education = c.education; rank = c.rank; retiredOn = c.retiredOn
            underInvestigation = c.underInvestigation ? "是" : nil
            villageTeam = c.villageTeam ? "是" : nil
            awaitingAssignment = c.awaitingAssignment ? "是" : nil
            let fields = c.fields
            record = Dictionary(uniqueKeysWithValues: CadreFields.recordFields.map { f in
                (f.key, f.kind == .monthDate ? SheetText.shownDate(fields[keyPath: f.path]) : fields[keyPath: f.path])
            })
        }

        /// The fields as the roster's columns, for `CadreRules`.
        var row: SheetRow<RosterColumn> {
            func t(_ s: String?) -> CellValue { .text(s ?? "") }
            var values: [RosterColumn: CellValue] = [
                .code: t(code), .name: t(name), .gender: t(gender), .birthDate: t(birthDate),
                .politicalStatus: t(politicalStatus), .education: t(education), .rank: t(rank), .retiredOn: t(retiredOn),
                .underInvestigation: t(underInvestigation), .villageTeam: t(villageTeam), .awaitingAssignment: t(awaitingAssignment),
                .title: t(title), .principal: t(principal), .mainDuty: t(mainDuty), .startDate: t(startDate),
                .orderNumber: t(orderNumber),
            ]
            for f in CadreFields.recordFields { values[f.column] = t(record?[f.key]) }
            return SheetRow(form: values)
        }

        static func checked(_ s: String?) -> Bool {
            if case .value(true) = SheetCell.yesNo(.text(s ?? "")) { return true }
            return false
        }
    }

    struct FormPage: Encodable {
        var page: PageContext
        var form: CadreForm
        var flags: Flags
        var action: String
        var isNew: Bool
        var units: UnitChoice?
        var errors: [String]
        var cancel: String
        var recordInputs: [RecordInput]
        struct RecordInput: Encodable { var key: String; var label: String; var value: String; var placeholder: String }
        struct Flags: Encodable { var underInvestigation: Bool; var villageTeam: Bool; var awaitingAssignment: Bool; var principal: Bool; var concurrent: Bool }
    }

    static func formPage(_ req: Request, _ form: CadreForm, id: UUID?, errors: [String]) async throws -> FormPage {
        let units = id == nil ? try await UnitQueries.choice(scopeUnits: req.scope().unitIDs,
                                                             selected: UnitQueries.chosen(form.unitID, on: req.sql), on: req.sql) : nil
        return FormPage(
            page: PageContext(req, title: id == nil ? "新增干部" : "编辑干部信息"), form: form,
            flags: .init(underInvestigation: CadreForm.checked(form.underInvestigation), villageTeam: CadreForm.checked(form.villageTeam),
                         awaitingAssignment: CadreForm.checked(form.awaitingAssignment), principal: CadreForm.checked(form.principal),
                         concurrent: form.mainDuty == "兼职"),
            action: id.map { SiteRoute.cadre($0).path } ?? SiteRoute.cadres.path, isNew: id == nil,
            units: units, errors: errors, cancel: id.map { SiteRoute.cadre($0).path } ?? SiteRoute.cadres.path,
            recordInputs: CadreFields.recordFields.map { f in
                // 身份证号 is never sent back to the browser: blank keeps the stored number.
                let value = f.kind == .idNumber ? "" : (form.record?[f.key] ?? "")
                let placeholder: String
                switch f.kind {
                case .idNumber: placeholder = (form.record?[f.key] ?? "").isEmpty ? "18 位" : "已填写（\(IDNumber.masked(form.record?[f.key] ?? ""))），留空不改"
                case .monthDate: placeholder = "如 2001.07 或 2001-07-01"
                case .text: placeholder = ""
                }
                return .init(key: f.key, label: f.label, value: value, placeholder: placeholder)
            })
    }

    @Sendable static func newForm(req: Request) async throws -> View {
        try req.requireRegistryEditor()
        var form = CadreForm()
        form.unitID = req.query[String.self, at: "unit"]
        return try await req.view.render("cadres/form", formPage(req, form, id: nil, errors: []))
    }

    /// The form again with its problems (422).
    static func formAgain(_ req: Request, _ form: CadreForm, id: UUID?, errors: [String]) async throws -> Response {
        try await req.view.render("cadres/form", formPage(req, form, id: id, errors: errors))
            .encodeResponse(status: .unprocessableEntity, for: req)
    }

    /// 干部编号 must be unique (the database's part of the rules). The holder is named only to an account that may
    /// see that cadre; outside its scope the code just cannot be used.
    static func codeProblems(_ code: String, id: UUID?, on req: Request) async throws -> [String] {
        guard !code.isEmpty, let other = try await Cadre.query(on: req.db).filter(\.$code == code).first(), other.id != id else { return [] }
        if (try? await req.scopedCadre(other.requireID())) != nil {
            return ["「干部编号」\(code) 已被「\(other.name)」使用。"]
        }
        return ["「干部编号」\(code) 不能使用，请换一个编号。"]
    }

    @Sendable static func create(req: Request) async throws -> Response {
        try req.requireRegistryEditor()
        let form = try req.content.decode(CadreForm.self)
        var row = form.row
        let fields = CadreRules.personal(&row)
        let entry = CadreRules.post(&row)
        var errors = row.problems.map(\.description) + (try await codeProblems(fields.code, id: nil, on: req))
        // The first post: unit in scope.
        let scope = try await req.scope()
        var unitID: UUID?
        if let uid = try await UnitQueries.chosen(form.unitID, on: req.sql), scope.allowsUnit(uid) {
            unitID = uid
        } else {
            errors.append("「单位」必选（选择或填写单位编码），且只能是您有权管理的单位。")
        }
        guard errors.isEmpty, let unitID else { return try await formAgain(req, form, id: nil, errors: errors) }
        let cadre = Cadre()
        cadre.fields = fields
        cadre.createdAt = req.clock.now
        cadre.updatedAt = cadre.createdAt
        let start = entry.startDate ?? req.clock.today.description
        try await req.audited { tx, audit in
            try await cadre.create(on: tx)
            audit.record(.init(action: .create, entity: .cadre, entityID: cadre.id!.uuidString, after: fields.auditSnapshot))
            let post = PostFields(cadreID: cadre.id!, unitID: unitID, title: entry.title, principal: entry.principal,
                                  mainDuty: entry.mainDuty, startDate: start, orderNumber: entry.orderNumber)
            audit.record(try await PostHistory.open(post, on: tx as! any SQLDatabase).1)
        }
        return req.redirect(to: .cadre(cadre.id!), notice: .created)
    }

    @Sendable static func editForm(req: Request) async throws -> View {
        let cadre = try await req.editableCadre(req.pathID(.cadre))
        return try await req.view.render("cadres/form", formPage(req, CadreForm(cadre), id: cadre.id, errors: []))
    }

    @Sendable static func update(req: Request) async throws -> Response {
        let cadre = try await req.editableCadre(req.pathID(.cadre))
        let form = try req.content.decode(CadreForm.self)
        var row = form.row
        var fields = CadreRules.personal(&row)
        let errors = row.problems.map(\.description) + (try await codeProblems(fields.code, id: cadre.id, on: req))
        guard errors.isEmpty else { return try await formAgain(req, form, id: cadre.id, errors: errors) }
        let before = cadre.fields
        // The form never shows the 身份证号: blank keeps it, 「（清空）」 clears it.
        if (form.record?["idNumber"] ?? "").isEmpty { fields.idNumber = before.idNumber }
        let after = fields
        if fields != before {
            cadre.fields = fields
            cadre.updatedAt = req.clock.now
            try await req.audited { tx, audit in
                try await cadre.save(on: tx)
                audit.record(.init(action: .update, entity: .cadre, entityID: cadre.id!.uuidString, before: before.auditSnapshot,
                                   after: after.auditSnapshot))
            }
        }
        return req.redirect(to: .cadre(cadre.id!), notice: .saved)
    }
}
