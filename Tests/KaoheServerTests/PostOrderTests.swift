import Fluent
import Foundation
@testable import KaoheServer
import OfficeDocuments
import SQLKit
import Testing
import Vapor
import VaporTesting

extension KaoheServerTests {
    @Suite("Official post order (issue 8)")
    struct PostOrderTests {
        static let titles: [(String, Bool, Int)] = [
            ("党委书记", true, 100), ("党组书记", true, 100), ("镇长", true, 200), ("乡长", true, 200), ("局长", true, 200),
            ("主任", true, 200), ("总工程师", true, 250), ("人大主席", false, 300), ("镇人大主席", false, 300), ("政协工委主任", false, 310),
            ("党委副书记", false, 400), ("纪委书记", false, 450), ("纪检监察组长", false, 450), ("常务副镇长", false, 500),
            ("副镇长", false, 600), ("副局长", false, 600), ("人大副主席", false, 650), ("组织委员", false, 700),
            ("武装部长", false, 700), ("副调研员", false, 800), ("科员", false, 900), ("党委委员", false, 700),
        ]

        @Test("Default ranks: 党委书记, 镇长/乡长/局长, 人大主席, 党委副书记, 纪委书记, 常务副职, 副职, 委员, others")
        func defaultRanks() {
            for (title, principal, rank) in Self.titles {
                #expect(PostOrder.defaultRank(title: title, principal: principal) == rank, "\(title)")
            }
            #expect(PostOrder.sortKey(title: "科员", principal: false, orderNumber: 5) == 5)
        }

        @Test("Migration 007's backfill ranks existing posts as PostOrder does")
        func backfillMatchesCode() async throws {
            try await withTestApp { app in
                let unit = try await app.makeUnit("U01", "城关镇")
                _ = try await app.importRoster(try Roster.xlsx(Self.titles.enumerated().map { i, t in
                    Roster.cadre("T\(i)", title: t.0, principal: t.1 ? "是" : "否")
                }))
                try await app.sql.update("posts").set("sort_key", to: SQLBind(0)).where("unit_id", .equal, SQLBind(unit)).run()
                // Titles stored with spaces (before input was normalised) rank as without them.
                for (code, spaced) in [("T11", "纪委 书记"), ("T13", "常务 副镇长"), ("T2", "镇 长")] {
                    let id = try #require(try await app.cadreID(code))
                    try await app.sql.update("posts").set("title", to: SQLBind(spaced)).where("cadre_id", .equal, SQLBind(id)).run()
                }
                // MUT
                try await AddPostOrder.backfill(app.sql)
                for post in try await Post.query(on: app.db).all() {
                    #expect(post.sortKey == PostOrder.defaultRank(title: post.title, principal: post.principal), "\(post.title)")
                }
            }
        }

        @Test("A unit's cadres and the export are in official order, never by name; 职务排序号 overrides; blank keeps it")
        func listsInOfficialOrder() async throws {
            try await withTestApp { app in
                let unit = try await app.makeUnit("U01", "城关镇")
                // Names in pinyin order would put 艾 first; appointment dates decide between the two 副镇长.
                _ = try await app.importRoster(try Roster.xlsx([
                    Roster.cadre("K1", "艾组织", title: "组织委员"), Roster.cadre("K2", "宝副镇甲", title: "副镇长", start: "2023-05-01"),
                    Roster.cadre("K3", "常镇长", title: "镇长", principal: "是"), Roster.cadre("K4", "丁副镇乙", title: "副镇长", start: "2021-01-01"),
                    Roster.cadre("K5", "鄂人大", title: "人大主席"), Roster.cadre("K6", "方书记", title: "党委书记", principal: "是"),
                    Roster.cadre("K7", "龚纪委", title: "纪委书记"), Roster.cadre("K8", "何副书记", title: "党委副书记"),
                ]))
                func order() async throws -> [String] {
                    try await CadreQueries.list(CadreFilter(unitID: unit), scopeUnits: nil, page: 1, today: "2026-11-24", on: app.sql).rows.map(\.code)
                }
                #expect(try await order() == ["K6", "K3", "K5", "K8", "K7", "K4", "K2", "K1"])
                // MUT: 职务排序号 50 puts the 组织委员 first; a later file with the cell blank keeps it
                let preview = try await app.previewRoster(try Roster.xlsx([Roster.cadre("K1", "艾组织", title: "组织委员", extra: [.orderNumber: 50])]))
                #expect(preview.items.first?.changes == ["更正职务：城关镇 组织委员，职务排序号 （空） → 50"])
                _ = try await app.importRoster(try Roster.xlsx([Roster.cadre("K1", "艾组织", title: "组织委员", extra: [.orderNumber: 50])]))
                #expect(try await order().first == "K1")
                #expect(try await app.importRoster(try Roster.xlsx([Roster.cadre("K1", "艾组织", title: "组织委员")])).unchanged == 1)
                #expect(try await order().first == "K1")
                // The export: same order, with the number
                let rows = try await CadreQueries.all(CadreFilter(), scopeUnits: nil, today: "2026-11-24", on: app.sql)
                let exported = RosterController.exportRows(rows)
                let numberColumn = try #require(exported[0].firstIndex(of: .text(RosterColumn.orderNumber.templateHeader)))
                #expect(exported.dropFirst().map { $0[0] } == ["K1", "K6", "K3", "K5", "K8", "K7", "K4", "K2"].map { CellValue.text($0) })
                #expect(exported[1][numberColumn] == .number(50) && exported[2][numberColumn] == .empty)
                // The unit page: in that order
                let browser = Browser(app)
                try await browser.login("admin", testAdminPassword)
                let page = try await browser.get("/units/\(unit)").body.string
                let positions = ["艾组织", "方书记", "常镇长", "鄂人大"].map { page.range(of: $0)!.lowerBound }
                #expect(positions == positions.sorted())
            }
        }

        @Test("The unit page flags two 主要负责人 of the same kind; a 党委书记 and a 镇长 are two kinds")
        func twoPrincipalsFlagged() async throws {
            try await withTestApp { app in
                let unit = try await app.makeUnit("U01", "城关镇")
                _ = try await app.importRoster(try Roster.xlsx([
                    Roster.cadre("W1", "甲", title: "党委书记", principal: "是"), Roster.cadre("W2", "乙", title: "镇长", principal: "是"),
                ]))
                let browser = Browser(app)
                try await browser.login("admin", testAdminPassword)
                #expect(!(try await browser.get("/units/\(unit)").body.string.contains("主要负责人：")))
                // MUT
                _ = try await app.importRoster(try Roster.xlsx([Roster.cadre("W3", "丙", title: "镇长", principal: "是")]))
                let page = try await browser.get("/units/\(unit)").body.string
                #expect(page.contains("本单位有 2 位行政主要负责人：乙（镇长）、丙（镇长），请核对。"))
                #expect(!page.contains("党组织主要负责人："))
            }
        }
    }
}

extension KaoheServerTests.PostOrderTests {
    @Test("The list's two parts: cadres with a current main post in official order, then those without, across a page boundary")
    func twoParts() async throws {
        try await withTestApp { app in
            let u1 = try await app.makeUnit("U01", "城关镇")
            try await app.makeUnit("U02", "河口乡")
            _ = try await app.importRoster(try Roster.xlsx([
                Roster.cadre("C3", unit: "U02", title: "乡长", principal: "是"), Roster.cadre("C2", title: "副镇长"),
                Roster.cadre("C1", title: "党委书记", principal: "是"), Roster.cadre("Z1"), Roster.cadre("Y1"),
            ]))
            // Y1 and Z1 lose their posts (no current main post): listed last, by 干部编号.
            for code in ["Y1", "Z1"] {
                let id = try #require(try await app.cadreID(code))
                try await app.sql.update("posts").set("end_date", to: SQLBind("2025-12-31")).where("cadre_id", .equal, SQLBind(id)).run()
            }
            // MUT
            func page(_ n: Int, _ f: CadreFilter = CadreFilter()) async throws -> [String] {
                try await CadreQueries.list(f, scopeUnits: nil, page: n, pageSize: 2, today: "2026-11-24", on: app.sql).rows.map(\.code)
            }
            #expect(try await page(1) == ["C1", "C2"])
            #expect(try await page(2) == ["C3", "Y1"])
            #expect(try await page(3) == ["Z1"])
            #expect(try await CadreQueries.count(CadreFilter(), scopeUnits: nil, today: "2026-11-24", on: app.sql) == 5)
            #expect(try await page(1, CadreFilter(status: .noPost)) == ["Y1", "Z1"])
            #expect(try await page(1, CadreFilter(unitID: u1)) == ["C1", "C2"])
            #expect(try await CadreQueries.count(CadreFilter(q: "C"), scopeUnits: nil, today: "2026-11-24", on: app.sql) == 3)
            #expect(try await CadreQueries.all(CadreFilter(), scopeUnits: nil, today: "2026-11-24", on: app.sql).map(\.code)
                    == ["C1", "C2", "C3", "Y1", "Z1"])
        }
    }
}
