import Fluent
import Foundation
@testable import KaoheServer
import OfficeDocuments
import SQLKit
import Testing
import Vapor
import VaporTesting

extension KaoheServerTests {
    @Suite("Registry for a pilot: names, lists (issue 8)")
    struct RegistryPilotTests {
        @Test("Names are normalised: full-width and ideographic spaces, none between Chinese characters, one between words")
        func personNames() {
            #expect(SheetText.personName("李　娜") == "李娜")
            #expect(SheetText.personName(" 欧阳  娜娜 ") == "欧阳娜娜")
            #expect(SheetText.personName("阿不都 · 热合曼") == "阿不都·热合曼")
            #expect(SheetText.personName("Ahmat　 Tursun") == "Ahmat Tursun")
            #expect(SheetText.personName("张三") == "张三")
            #expect(SheetText.searchKey(" 李 娜 ") == "李娜")
        }

        @Test("A roster name 「李　娜」 is stored as 李娜, and the cadre list finds her by 「李 娜」")
        func namesInImportAndSearch() async throws {
            try await withTestApp { app in
                try await app.makeUnit("U01", "城关镇")
                // MUT
                _ = try await app.importRoster(try Roster.xlsx([Roster.cadre("N1", "李　娜"), Roster.cadre("N2", "王 五")]))
                #expect(try await Cadre.query(on: app.db).sort(\.$code).all().map(\.name) == ["李娜", "王五"])
                let browser = Browser(app)
                try await browser.login("admin", testAdminPassword)
                let found = try await browser.get("/cadres?q=%E6%9D%8E%20%E5%A8%9C")  // 「李 娜」
                #expect(found.body.string.contains("共 1 人") && found.body.string.contains("李娜"))
                // the same name again in a later file is no change
                #expect(try await app.importRoster(try Roster.xlsx([Roster.cadre("N1", "李 娜")])).unchanged == 1)
            }
        }

        @Test("The audit page past its end shows the last page")
        func auditPastTheEnd() async throws {
            try await withTestApp { app in
                try await app.makeUnit("U01", "城关镇")
                _ = try await app.importRoster(try Roster.xlsx((1...120).map { Roster.cadre("A\($0)") }))
                let browser = Browser(app)
                try await browser.login("admin", testAdminPassword)
                let total = try await app.count("audit_entries")
                let last = (total + AuditController.pageSize - 1) / AuditController.pageSize
                // MUT
                let page = try await browser.get("/audit?page=999")
                #expect(page.status == .ok)
                #expect(page.body.string.contains("第 \(last) 页"))
                #expect(page.body.string.contains("上一页"))
            }
        }
    }
}
