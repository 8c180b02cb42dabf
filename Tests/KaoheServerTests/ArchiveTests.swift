import AssessmentCore
import Fluent
import Foundation
import OfficeDocuments
import SQLKit
import Testing
import Vapor
import VaporTesting
@testable import KaoheServer

extension KaoheServerTests {
    /// Issue 12: 考核档案 — every approved result and the earlier years' imported results, searchable by name, unit,
    /// year and grade, exported as .xlsx (which imports back), a cadre's history on the cadre's page.
    @Suite("考核档案 (issue 12)")
    struct ArchiveTests {
        static func sheet(_ rows: [[CellValue]]) throws -> Data {
            var book = XLSXWorkbook()
            book.addSheet(name: "往年结果", rows: [Archive.columns.map { .text($0) }] + rows)
            return try book.data()
        }

        @Test("Earlier years import all or nothing, with every bad row named; the same year, kind and subject is replaced, never doubled; search by name, unit, year and grade; the export imports back unchanged; the cadre's page shows the history")
        func importSearchExport() async throws {
            try await withTestApp { app in
                try await EvaluationTests.county(app)
                _ = try await app.makeAccount("org", role: .organisationDepartment)
                let org = Browser(app)
                try await org.login("org", "password-1234")
                try await org.get(SiteRoute.archive.path)
                let bad = try Self.sheet([
                    [.number(2024), "年度考核", "干部", "C01", "干部1", "城关镇", "优秀"],
                    ["二〇二四", "年度考核", "干部", "C02", "干部2", "城关镇", "称职"],
                    [.number(2024), "年度考核", "职工", "C03", "干部3", "城关镇", "称职"],
                    [.number(2024), "年度考核", "干部", "C01", "干部1", "城关镇", "称职"],
                ])
                let refused = try await org.upload(SiteRoute.archiveImport.path, filename: "2024.xlsx", data: bad)
                #expect(refused.status == .unprocessableEntity)
                for problem in ["第 3 行「年度」", "第 4 行「对象」", "第 5 行与第 2 行"] { #expect(refused.body.string.contains(problem), "\(problem)") }
                #expect(try await app.count("archive_results") == 0, "nothing written")

                let good = try Self.sheet([
                    [.number(2023), "年度考核", "干部", "C01", "干部1", "城关镇", "优秀"],
                    [.number(2024), "年度考核", "干部", "C01", "干部1", "城关镇", "称职"],
                    [.number(2024), "年度考核", "班子", "U01", "城关镇领导班子", "城关镇", "良好"],
                    [.number(2024), "年度考核", "干部", "X99", "已调走的人", "河西镇", "基本称职"],
                ])
                let done = try await org.upload(SiteRoute.archiveImport.path, filename: "往年.xlsx", data: good)
                #expect(done.status == .seeOther)
                #expect(try await org.get(done.headers.first(name: .location)!).body.string.contains("新增 4 条，替换 0 条"))
                try await org.get(SiteRoute.archive.path)
                let again = try await org.upload(SiteRoute.archiveImport.path, filename: "往年.xlsx", data: good)
                #expect(try await org.get(again.headers.first(name: .location)!).body.string.contains("新增 0 条，替换 4 条"))
                #expect(try await app.count("archive_results") == 4)

                func search(_ query: String) async throws -> String { try await org.get(SiteRoute.archive.path + "?" + query).body.string }
                #expect(try await search("q=%E5%B9%B2%E9%83%A81").contains("共 2 条"))              // 干部1
                #expect(try await search("unit=%E6%B2%B3%E8%A5%BF").contains("已调走的人"))         // 河西
                #expect(try await search("year=2023").contains("共 1 条"))
                #expect(try await search("grade=%E8%89%AF%E5%A5%BD").contains("城关镇领导班子"))    // 良好
                #expect(try await search("year=99999999999999999999").contains("共 4 条"), "a year out of range is no filter")

                // The export imports back as it is.
                let exported = Data(buffer: try await org.get(SiteRoute.archiveExport.path).body)
                #expect(try XLSXReader.read(exported)[0].rows.count == 5)
                try await org.get(SiteRoute.archive.path)
                let back = try await org.upload(SiteRoute.archiveImport.path, filename: "考核档案.xlsx", data: exported)
                #expect(try await org.get(back.headers.first(name: .location)!).body.string.contains("替换 4 条"))

                // The cadre's page: the history, newest first.
                let page = try await org.get(SiteRoute.cadre(try #require(try await app.cadreID("C01"))).path).body.string
                let newer = try #require(page.range(of: "<strong>2024</strong>")), older = try #require(page.range(of: "<strong>2023</strong>"))
                #expect(newer.lowerBound < older.lowerBound && page.contains("<strong>称职</strong>"))
                // The unit's page: its team's history (and no cadre's).
                let unitPage = try await org.get(SiteRoute.unit(try await WorkflowTests.unitID(app, "U01")).path).body.string
                #expect(unitPage.contains("领导班子考核档案") && unitPage.contains("<strong>良好</strong>") && unitPage.contains("城关镇领导班子 · 城关镇"))
                #expect(!unitPage.contains("<strong>称职</strong>"))

                // The archive is the organisation department's.
                _ = try await app.makeAccount("member", role: .groupMember)
                let member = Browser(app)
                try await member.login("member", "password-1234")
                #expect(try await member.get(SiteRoute.archive.path).status == .forbidden)
                #expect(try await member.get(SiteRoute.archiveExport.path).status == .forbidden)
            }
        }
    }
}
