import Fluent
import Foundation
@testable import KaoheServer
import OfficeDocuments
import SQLKit
import Testing
import Vapor
import VaporTesting

/// Helpers of the registry tests: units, roster files, uploads, table counts.
enum Roster {
    /// The columns of the CSV lines the tests write by position (the template has more; a file may hold any subset).
    static let basicColumns: [RosterColumn] = [
        .code, .name, .gender, .birthDate, .politicalStatus, .education, .rank, .unitCode, .unitName, .title, .principal, .mainDuty,
        .startDate, .retiredOn, .underInvestigation, .villageTeam, .awaitingAssignment, .year, .leaveDays, .secondmentLevel,
        .secondmentHost, .secondmentMonths,
    ]

    /// The template's 干部 header row.
    static let header: [CellValue] = RosterColumn.allCases.map { .text($0.templateHeader) }

    /// A 干部 row in template column order; unspecified columns are empty.
    static func row(_ values: [RosterColumn: CellValue]) -> [CellValue] {
        RosterColumn.allCases.map { values[$0] ?? .empty }
    }

    /// A valid row for cadre `code` in unit `unit`.
    static func cadre(_ code: String, _ name: String = "张三", unit: String = "U01", title: String = "科员",
                      principal: String = "否", start: CellValue = "2022-03-05",
                      extra: [RosterColumn: CellValue] = [:]) -> [CellValue] {
        var v: [RosterColumn: CellValue] = [
            .code: .text(code), .name: .text(name), .gender: "男", .birthDate: .date(year: 1980, month: 1, day: 2),
            .politicalStatus: "中共党员", .education: "大学本科", .rank: "副科", .unitCode: .text(unit), .title: .text(title),
            .principal: .text(principal), .mainDuty: "主职", .startDate: start,
            .underInvestigation: "否", .villageTeam: "否", .awaitingAssignment: "否",
        ]
        v.merge(extra) { $1 }
        return row(v)
    }

    /// An .xlsx roster written with OfficeDocuments' writer: 干部 sheet, optional 单位 sheet.
    static func xlsx(_ rows: [[CellValue]], units: [[CellValue]]? = nil) throws -> Data {
        var wb = XLSXWorkbook()
        wb.addSheet(name: "干部", rows: [header] + rows)
        if let units { wb.addSheet(name: "单位", rows: [RosterUnitColumn.allCases.map { .text($0.rawValue) }] + units) }
        return try wb.data()
    }

    /// Validates rows without a database (pure part).
    static func validate(_ rows: [[CellValue]], header: [CellValue] = Roster.header) -> RosterValidator {
        var v = RosterValidator()
        v.cadreRow(1, header)
        for (i, r) in rows.enumerated() { v.cadreRow(i + 2, r) }
        v.finishCadres()
        return v
    }
}

/// Row counts of every registry table and the audit log: equal before and after means nothing was written.
struct RegistryCounts: Equatable, CustomStringConvertible {
    var units = 0, teams = 0, cadres = 0, posts = 0, facts = 0, audit = 0

    static func of(_ app: Application) async throws -> RegistryCounts {
        RegistryCounts(
            units: try await app.count("units"), teams: try await app.count("teams"), cadres: try await app.count("cadres"),
            posts: try await app.count("posts"), facts: try await app.count("cadre_year_facts"), audit: try await app.count("audit_entries"))
    }

    var description: String { "units \(units) teams \(teams) cadres \(cadres) posts \(posts) facts \(facts) audit \(audit)" }
}

extension Application {
    /// Creates a unit (and its team) directly; returns its id.
    @discardableResult
    func makeUnit(_ code: String, _ name: String, category: String = "乡镇街道") async throws -> UUID {
        let cat = try await UnitCategory.query(on: db).filter(\.$name == category).first()!
        return try await UnitWrites.create(UnitFields(code: code, name: name, categoryID: cat.id!), now: clock.now, on: sql).id
    }

    func cadreID(_ code: String) async throws -> UUID? {
        try await Cadre.query(on: db).filter(\.$code == code).first()?.id
    }

    /// Imports as the system (组织部-wide scope), like `kaohe import roster`.
    func importRoster(_ data: Data, filename: String = "roster.xlsx", scope: Scope = .all) async throws -> RosterImportSummary {
        try await RosterCommit.importRoster(data, filename: filename, scope: scope, actor: .system, on: db,
                                            clock: .manual(testNoon("2026-11-24"), timeZone: Settings.defaultTimeZone).clock, seal: auditSeal)
    }

    /// The problems of a rejected import (fails the test if the import was accepted).
    func rejectedProblems(_ data: Data, filename: String = "roster.xlsx", scope: Scope = .all) async throws -> [String] {
        do {
            let summary = try await importRoster(data, filename: filename, scope: scope)
            Issue.record("import was accepted: \(summary)")
            return []
        } catch let rejected as RosterRejected {
            return rejected.problems.map(\.description)
        }
    }
}

/// Noon of a day in the organisation's default time zone (Asia/Shanghai), for clocks of tests.
func testNoon(_ day: String) -> Date {
    var c = Calendar(identifier: .gregorian)
    c.timeZone = Settings.defaultTimeZone
    let p = day.split(separator: "-").map { Int($0)! }
    return c.date(from: DateComponents(year: p[0], month: p[1], day: p[2], hour: 12))!
}

extension Browser {
    /// Uploads a file as multipart/form-data (the import page's form), with the page's CSRF token.
    func upload(_ path: String, filename: String, data: Data, withCSRF: Bool = true, fields: [String: String] = [:]) async throws -> TestingHTTPResponse {
        let boundary = "----kaohe-test-\(UUID().uuidString)"
        var body = Data()
        if withCSRF, let csrf {
            body += Data("--\(boundary)\r\nContent-Disposition: form-data; name=\"_csrf\"\r\n\r\n\(csrf)\r\n".utf8)
        }
        for (name, value) in fields {
            body += Data("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"\r\n\r\n\(value)\r\n".utf8)
        }
        body += Data("--\(boundary)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"\(filename)\"\r\nContent-Type: application/octet-stream\r\n\r\n".utf8)
        body += data
        body += Data("\r\n--\(boundary)--\r\n".utf8)
        var h = headers()
        h.replaceOrAdd(name: .contentType, value: "multipart/form-data; boundary=\(boundary)")
        return try await app.testing().sendRequest(.POST, path, headers: h, body: ByteBuffer(data: body))
    }
}

extension Browser {
    /// Uploads a roster through the import form and follows to its preview (or returns the error page).
    func previewRoster(_ data: Data, filename: String = "r.xlsx") async throws -> TestingHTTPResponse {
        try await get("/roster/import")
        let res = try await upload("/roster/import", filename: filename, data: data)
        guard res.status == .seeOther, let location = res.headers.first(name: .location) else { return res }
        return try await get(location)
    }

    /// The draft's confirm action and digest on a preview page.
    static func confirmForm(in html: String) -> (action: String, digest: String)? {
        guard let a = html.range(of: #"action="/roster/import/"#), let d = html.range(of: #"name="digest" value=""#) else { return nil }
        let action = "/roster/import/" + html[a.upperBound...].prefix { $0 != "\"" }
        return (action, String(html[d.upperBound...].prefix { $0 != "\"" }))
    }

    /// Presses 「确认导入」 on a preview page.
    func confirmRoster(_ preview: TestingHTTPResponse) async throws -> TestingHTTPResponse {
        guard let form = Self.confirmForm(in: preview.body.string) else {
            Issue.record("no confirm form on the page: \(preview.body.string.prefix(2000))")
            return preview
        }
        return try await post(form.action, ["digest": form.digest])
    }
}

extension Application {
    /// The preview of an import as the system (no writes).
    func previewRoster(_ data: Data, filename: String = "roster.xlsx", scope: Scope = .all, at day: String = "2026-11-24") async throws -> RosterPlan {
        try await RosterCommit.preview(try RosterFile.read(data, filename: filename), scope: scope, on: db,
                                       clock: .manual(testNoon(day), timeZone: Settings.defaultTimeZone).clock)
    }

    /// The posts of a cadre as (title, start, end), oldest first.
    func posts(of code: String) async throws -> [(title: String, start: String, end: String?)] {
        let id = try await cadreID(code)!
        return try await Post.query(on: db).filter(\.$cadre.$id == id).sort(\.$startDate).all()
            .map { ($0.title, $0.startDate, $0.endDate) }
    }
}
