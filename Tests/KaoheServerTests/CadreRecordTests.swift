import Fluent
import Foundation
@testable import KaoheServer
import OfficeDocuments
import SQLKit
import Testing
import Vapor
import VaporTesting

extension KaoheServerTests {
    @Suite("干部任免审批表 fields and 身份证号 (issue 8)")
    struct CadreRecordTests {
        static let id = "410902197805122030"

        @Test("身份证号: 18 characters, check digit by GB 11643, a real birth date; masked to its last two (出生日期 is shown beside it)")
        func idNumbers() {
            #expect(IDNumber.validate("11010519491231002x") == .success("11010519491231002X"))
            #expect(IDNumber.validate("４１０９０２１９７８０５１２２０３０") == .success(Self.id))
            #expect(IDNumber.validate("410902197805122031") == .failure(.checkDigit))
            #expect(IDNumber.validate("41090219780512203") == .failure(.format))
            #expect(IDNumber.validate("41090219780512203Y") == .failure(.format))
            #expect(IDNumber.validate("410902197802302038") == .failure(.checkDigit) || IDNumber.validate("410902197802302038") == .failure(.birthDate))
            #expect(IDNumber.birthDate(of: Self.id) == "1978-05-12")
            #expect(IDNumber.masked(Self.id) == "****************30")
            #expect(!IDNumber.masked(Self.id).contains("410902") && !IDNumber.masked(Self.id).contains("19780512"))
        }

        @Test("A roster row carries the 审批表 fields; dates may be year-month; the ID must agree with 出生日期; blank keeps")
        func rosterFields() async throws {
            try await withTestApp { app in
                try await app.makeUnit("U01", "城关镇")
                let full: [RosterColumn: CellValue] = [
                    .idNumber: .text(Self.id), .birthDate: "1978.05", .ethnicity: "汉族", .nativePlace: "河南濮阳", .birthPlace: "河南濮阳",
                    .partyJoined: "2001年7月", .workStart: "1998.08", .rankSince: "2019-12-01", .fullTimeEducation: "大学本科",
                    .fullTimeDegree: "学士", .partTimeEducation: "研究生", .partTimeDegree: "硕士",
                ]
                // MUT
                _ = try await app.importRoster(try Roster.xlsx([Roster.cadre("R1", extra: full)]))
                let c = try #require(try await Cadre.query(on: app.db).filter(\.$code == "R1").first())
                #expect(c.idNumber == Self.id && c.birthDate == "1978-05" && c.ethnicity == "汉族" && c.partyJoined == "2001-07"
                        && c.workStart == "1998-08" && c.rankSince == "2019-12-01" && c.partTimeDegree == "硕士")
                // A blank row keeps every one of them
                #expect(try await app.importRoster(try Roster.xlsx([Roster.cadre("R1", extra: [.birthDate: .empty])])).unchanged == 1)
                // An ID whose birth date disagrees is a row problem; so is a wrong check digit
                let problems = try await app.rejectedProblems(try Roster.xlsx([
                    Roster.cadre("R2", extra: [.idNumber: .text(Self.id), .birthDate: "1980-01-01"]),
                    Roster.cadre("R3", extra: [.idNumber: "410902197805122031"]),
                ]))
                #expect(problems == [
                    "第 2 行「身份证号」：号码中的出生日期 1978-05-12 与「出生日期」1980-01-01 不一致",
                    "第 3 行「身份证号」：校验码不正确，请核对号码",
                ])
                // The preview masks the number
                let plan = try await app.previewRoster(try Roster.xlsx([Roster.cadre("R1", extra: [.idNumber: "11010519491231002X", .birthDate: .empty])]))
                #expect(plan.items.first?.changes == ["身份证号：****************30 → ****************2X"])
            }
        }

        @Test("Only the organisation department sees the 身份证号 whole: page, form and export of a unit administrator mask or omit it")
        func idNumberVisibility() async throws {
            try await withTestApp { app in
                let u1 = try await app.makeUnit("U01", "城关镇")
                _ = try await app.importRoster(try Roster.xlsx([Roster.cadre("V1", "王五", extra: [.idNumber: .text(Self.id), .birthDate: .empty])]))
                let id = try #require(try await app.cadreID("V1"))
                try await app.makeAccount("unit1", role: .unitAdmin, unitID: u1)
                let admin = Browser(app)
                try await admin.login("admin", testAdminPassword)
                #expect(try await admin.get("/cadres/\(id)").body.string.contains(Self.id))
                let adminExport = try XLSXReader.read(Data(buffer: try await admin.get("/roster/export.xlsx").body))[0].rows
                #expect(adminExport[1].contains(.text(Self.id)))
                // MUT: the unit administrator
                let unit = Browser(app)
                try await unit.login("unit1", "password-1234")
                let page = try await unit.get("/cadres/\(id)").body.string
                #expect(!page.contains(Self.id) && page.contains("****************30") && !page.contains("410902"))
                let form = try await unit.get("/cadres/\(id)/edit").body.string
                #expect(!form.contains(Self.id) && form.contains("已填写（****************30），留空不改"))
                let export = try await unit.get("/roster/export.xlsx")
                #expect(!String(decoding: try OfficePackage.unzip(Data(buffer: export.body)).values.reduce(Data(), +), as: UTF8.self).contains(Self.id))
                // Saving the form with the number blank keeps it
                let saved = try await unit.post("/cadres/\(id)", ["code": "V1", "name": "王五", "gender": "男", "politicalStatus": "中共党员",
                                                                  "record[ethnicity]": "回族"])
                #expect(saved.status == .seeOther)
                let c = try #require(try await Cadre.find(id, on: app.db))
                #expect(c.idNumber == Self.id && c.ethnicity == "回族")
            }
        }
    }
}
