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

extension KaoheServerTests.RegistryPilotTests {
    @Test("The template offers drop-down lists for 性别, the 是/否 columns, 职责 and 挂职层级")
    func templateLists() throws {
        let template = try RosterController.templateWorkbook()
        let sheet = String(decoding: try OfficePackage.unzip(template)["xl/worksheets/sheet1.xml"]!, as: UTF8.self)
        func column(_ c: RosterColumn) -> String { XLSXWorkbook.columnName(RosterColumn.allCases.firstIndex(of: c)!) }
        for (c, options) in [(RosterColumn.gender, "男,女"), (.principal, "是,否"), (.mainDuty, "主职,兼职"), (.villageTeam, "是,否"),
                             (.secondmentLevel, "中央,省,市,县,（清空）")] {
            #expect(sheet.contains("sqref=\"\(column(c))2:\(column(c))\(RosterController.templateRows)\"><formula1>&quot;\(options)&quot;</formula1>"), "\(c)")
        }
        #expect(!sheet.contains("sqref=\"\(column(.name))2"))
    }
}

extension KaoheServerTests.RegistryPilotTests {
    @Test("Year-month dates (出生年月): 1978.05, 1978年5月, 197805, 1978-5 stored as 1978-05, only where a month is allowed")
    func yearMonthDates() {
        for cell: CellValue in ["1978.05", "1978年5月", "197805", "1978-5", "1978/05", 197805, "１９７８.０５"] {
            guard case .value(let s) = SheetCell.date(cell, monthAllowed: true) else { Issue.record("\(cell) not accepted"); continue }
            #expect(s == "1978-05", "\(cell)")
        }
        // Full dates still full; a month alone where a day is needed, or an impossible month, is refused.
        #expect(SheetCell.date("1978年5月12日", monthAllowed: true) == .value("1978-05-12"))
        #expect(SheetCell.date("1978.05") == .invalid("「1978.05」不是日期，应写作 2022-03-05（须有日）"))
        for bad: CellValue in ["1978.13", "1978.", "1978年", "78.05", "1978.05.", "1978..05", "1978.05.06.07", "1978-05-0x"] {
            guard case .invalid = SheetCell.date(bad, monthAllowed: true) else { Issue.record("\(bad) accepted"); continue }
        }
    }

    @Test("A roster's 出生日期 may be a year and month; stored as 1978-05, shown and exported as 1978.05, and re-imports unchanged")
    func yearMonthBirthDate() async throws {
        try await withTestApp { app in
            try await app.makeUnit("U01", "城关镇")
            // MUT
            _ = try await app.importRoster(try Roster.xlsx([Roster.cadre("Y1", extra: [.birthDate: "1978年5月"])]))
            let id = try #require(try await app.cadreID("Y1"))
            #expect(try await Cadre.find(id, on: app.db)?.birthDate == "1978-05")
            let rows = try await CadreQueries.all(CadreFilter(), scopeUnits: nil, today: "2026-11-24", on: app.sql)
            let exported = RosterController.exportRows(rows)
            let column = try #require(exported[0].firstIndex(of: .text(RosterColumn.birthDate.templateHeader)))
            #expect(exported[1][column] == .text("1978.05"))
            #expect(CadreListItem(rows[0]).birthDate == "1978.05")
            var wb = XLSXWorkbook()
            wb.addSheet(name: "干部", rows: exported)
            #expect(try await app.importRoster(try wb.data()).unchanged == 1)
        }
    }

    @Test("Columns are looked up by their declaration position: caseIndex is the index in allCases")
    func caseIndex() {
        for (i, c) in RosterColumn.allCases.enumerated() { #expect(c.caseIndex == i) }
        for (i, c) in RosterUnitColumn.allCases.enumerated() { #expect(c.caseIndex == i) }
    }
}

extension KaoheServerTests.RegistryPilotTests {
    @Test("The audit page reads as a clerk expects: local time, names, Chinese labels, changed fields only; filters by person, unit and local day")
    func auditForClerks() async throws {
        try await withTestApp { app in
            // 23:30 in Shanghai is 15:30 UTC on the same day.
            let (clock, set) = OrganisationClock.manual(testNoon("2026-11-24").addingTimeInterval(11.5 * 3600), timeZone: Settings.defaultTimeZone)
            app.clock = clock
            try await app.makeUnit("U01", "城关镇")
            try await app.makeUnit("U02", "河口乡")
            _ = try await RosterCommit.importRoster(
                try Roster.xlsx([Roster.cadre("A1", "张三", title: "副镇长"), Roster.cadre("A2", "李四", unit: "U02")]), filename: "r.xlsx",
                scope: .all, actor: .system, on: app.db, clock: app.clock, seal: app.auditSeal)
            set(testNoon("2026-11-25"))
            let browser = Browser(app)
            try await browser.login("admin", testAdminPassword)
            let id = try #require(try await app.cadreID("A1"))
            try await browser.get("/cadres/\(id)/edit")
            _ = try await browser.post("/cadres/\(id)", ["code": "A1", "name": "张三", "gender": "男", "birthDate": "1980-01-02",
                                                         "politicalStatus": "中共党员", "education": "研究生", "rank": "副科"])
            // MUT
            let page = try await browser.get("/audit?person=A1").body.string
            #expect(page.contains("2026-11-25 12:00") && page.contains("2026-11-24 23:30"))
            #expect(page.contains("张三（A1）") && page.contains("张三：城关镇 副镇长"))
            #expect(page.contains("<td>学历</td><td>大学本科</td><td>研究生</td>"))
            #expect(!page.contains("<td>姓名</td><td>张三</td><td>张三</td>"))  // unchanged fields are not listed
            #expect(!page.contains("李四"))
            #expect(!page.contains(id.uuidString))
            let unit = try await browser.get("/audit?unit=%E6%B2%B3%E5%8F%A3%E4%B9%A1").body.string  // 河口乡
            #expect(unit.contains("李四：河口乡 科员") && !unit.contains("张三："))
            let day = try await browser.get("/audit?person=A1&from=2026-11-24&to=2026-11-24").body.string
            #expect(day.contains("2026-11-24 23:30") && !day.contains("2026-11-25 12:00"))
            #expect(try await browser.get("/audit?person=nobody").body.string.contains("没有干部编号或姓名为「nobody」的干部。"))
        }
    }
}
