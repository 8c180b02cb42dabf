import Fluent
import OfficeDocuments
import SQLKit
import Vapor

/// Yearly facts of a cadre (leave days, secondment; R-E3, R-E4, R-E5), checked by `CadreRules` like a roster row.
extension CadreController {
    struct FactForm: Content {
        var year: String
        var leaveDays: String?
        var secondmentLevel: String?
        var secondmentHostUnitID: String?
        var secondmentMonths: String?
    }

    @Sendable static func saveFacts(req: Request) async throws -> Response {
        let cadre = try await req.editableCadre(req.pathID(.cadre))
        let cadreID = try cadre.requireID()
        let form = try req.content.decode(FactForm.self)
        var hostID: UUID?
        var hostProblems: [String] = []
        if let raw = form.secondmentHostUnitID, !raw.isEmpty {
            if let id = try await UnitQueries.chosen(raw, on: req.sql), try await req.scope().allowsUnit(id) {
                hostID = id
            } else {
                hostProblems.append("「挂职单位」必须是您有权管理的单位。")
            }
        }
        var row = SheetRow<RosterColumn>(form: [
            .year: .text(form.year), .leaveDays: .text(form.leaveDays ?? ""), .secondmentLevel: .text(form.secondmentLevel ?? ""),
            .secondmentMonths: .text(form.secondmentMonths ?? ""),
        ])
        let entry = CadreRules.yearFact(&row, hostGiven: hostID != nil || !hostProblems.isEmpty, yearRequired: true)
        let errors = row.problems.map(\.description) + hostProblems
        guard errors.isEmpty, let entry else { throw RequestFailure.invalid(errors) }
        let now = req.clock.now
        let host = hostID
        try await req.audited { tx, audit in
            let existing = try await CadreYearFact.query(on: tx).filter(\.$cadre.$id == cadreID).filter(\.$year == entry.year).first()
            let fact = existing ?? CadreYearFact()
            let before = existing?.fields
            // As in a roster row: a blank field keeps the stored value, 挂职层级「（清空）」 removes the secondment.
            let fields = entry.applied(to: before, cadreID: cadreID, hostID: host)
            guard fields != before else { return }
            fact.fields = fields
            try await fact.save(on: tx)
            // The cadre's record changed now (a roster saved before this is older than it).
            try await Cadre.touch([cadreID], now: now, on: tx as! any SQLDatabase)
            audit.record(.init(action: existing == nil ? .create : .update, entity: .cadreYearFact, entityID: fact.id!.uuidString,
                               before: before?.auditSnapshot, after: fields.auditSnapshot))
        }
        return req.redirect(to: .cadre(cadreID), notice: .saved)
    }
}
