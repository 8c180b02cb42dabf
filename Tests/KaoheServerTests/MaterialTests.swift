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
    /// Issue 11, materials (seed 002 §三(一)): summaries, lists and reports typed or uploaded, their length in 字 checked
    /// against the policy (R-P3).
    @Suite("Materials: summaries, lists, reports (issue 11)")
    struct MaterialTests {
        typealias Workflow = WorkflowTests

        /// Posts one material as the page's multipart form.
        static func hand(_ b: Browser, _ f: Workflow.Fixture, unit: UUID, subject: String, code: String, kind: String,
                         text: String = "", file: (name: String, data: Data)? = nil) async throws -> TestingHTTPResponse {
            let path = SiteRoute.campaignMaterials(f.id).path
            try await b.get(path + "?unit=" + unit.uuidString)
            let fields = ["unit": unit.uuidString, "subject": subject, "code": code, "kind": kind, "text": text]
            return try await b.upload(path, filename: file?.name ?? "", data: file?.data ?? Data(), fields: fields)
        }

        static func stored(_ app: Application, _ code: String, _ kind: String) async throws -> (chars: Int, text: String)? {
            struct R: Decodable { var chars: Int; var text: String }
            return try await app.sql.raw("SELECT chars, text FROM materials WHERE code = \(bind: code) AND kind = \(bind: kind)")
                .first(decoding: R.self).map { ($0.chars, $0.text) }
        }

        @Test("R-P3 (seed 003 §五(一) 述职述廉述学报告 2000 字左右): a unit's administrator hands in a .docx report (2,500 字, flagged as more than a fifth over) and a typed summary; a PDF is kept as the original, counted from its pasted text; a blank is refused; another unit's administrator cannot; after 汇总分析 nothing changes")
        func reportsAndLimits() async throws {
            try await withTestApp { app in
                let f = try await Workflow.fixture(app)
                let u01 = try await Workflow.unitID(app, "U01")
                let u02 = try await app.makeUnit("U02", "河西镇")
                _ = try await app.makeAccount("admin01", role: .unitAdmin, unitID: u01)
                _ = try await app.makeAccount("admin02", role: .unitAdmin, unitID: u02)
                let a = Browser(app), b = Browser(app)
                try await a.login("admin01", "password-1234")
                try await b.login("admin02", "password-1234")
                #expect(try await a.get(SiteRoute.home.path).body.string.contains("考核材料"))

                var doc = DOCXDocument()
                doc.heading("述职述廉述学报告", level: 0)
                doc.paragraph(String(repeating: "学", count: 2_490))
                let docx = try doc.data()  // 8 + 2,490 = 2,498 字
                #expect(try await Self.hand(a, f, unit: u01, subject: "cadre", code: "C03", kind: "report", file: ("述职报告.docx", docx)).status == .seeOther)
                #expect(try await Self.stored(app, "C03", "report")?.chars == 2_498)
                let page = try await a.get(SiteRoute.campaignMaterials(f.id).path + "?unit=" + u01.uuidString).body.string
                #expect(page.contains("2498 字：2498 字，超出要求的 2000 字左右逾五分之一（R-P3）") && page.contains("述职报告.docx"))
                #expect(try await Self.hand(a, f, unit: u01, subject: "team", code: "U01", kind: "summary", text: "  一年来，班子团结协作。 ").status == .seeOther)
                #expect(try await Self.stored(app, "U01", "summary")?.text == "一年来，班子团结协作。")

                // A PDF is kept as the file of record; its 字 are not counted until its text is pasted beside it.
                let pdfData = Data("%PDF-1.4\n1 0 obj <<>> endobj\n%%EOF".utf8)
                #expect(try await Self.hand(a, f, unit: u01, subject: "cadre", code: "C04", kind: "report", file: ("述职报告（签字版）.pdf", pdfData)).status == .seeOther)
                let withPDF = try await a.get(SiteRoute.campaignMaterials(f.id).path + "?unit=" + u01.uuidString).body.string
                #expect(withPDF.contains("已交 PDF，未计字") && withPDF.contains("述职报告（签字版）.pdf"))
                let link = try #require(withPDF.firstMatch(of: /href="([^"]*materials\/file[^"]*)"/)).1.replacingOccurrences(of: "&amp;", with: "&")
                let download = try await a.get(String(link))
                #expect(download.status == .ok && download.body.string == String(decoding: pdfData, as: UTF8.self))
                #expect(download.headers.first(name: .contentDisposition)?.contains("filename*=UTF-8''") == true)
                #expect(try await b.get(String(link)).status == .unprocessableEntity, "another unit's administrator gets no file")
                #expect(try await Self.hand(a, f, unit: u01, subject: "cadre", code: "C04", kind: "report", text: "述职报告全文").status == .seeOther)
                #expect(try await Self.stored(app, "C04", "report")?.chars == 6)
                #expect(try await a.get(String(link)).status == .ok, "the pasted text keeps the PDF beside it")
                let fake = try await Self.hand(a, f, unit: u01, subject: "cadre", code: "C04", kind: "report", file: ("报告.pdf", Data("not a pdf".utf8)))
                #expect(fake.status == .unprocessableEntity && fake.body.string.contains("不是 PDF"))
                let doc97 = try await Self.hand(a, f, unit: u01, subject: "cadre", code: "C04", kind: "report", file: ("报告.doc", Data("x".utf8)))
                #expect(doc97.status == .unprocessableEntity && doc97.body.string.contains(".docx"))
                let blank = try await Self.hand(a, f, unit: u01, subject: "team", code: "U01", kind: "summary", text: "   ")
                #expect(blank.status == .unprocessableEntity && blank.body.string.contains("内容为空"))
                #expect(try await Self.stored(app, "U01", "summary")?.text == "一年来，班子团结协作。", "a blank erases nothing")
                // A cadre of another unit, or another unit's administrator: refused.
                #expect(try await Self.hand(a, f, unit: u01, subject: "cadre", code: "NOPE", kind: "report", text: "x").status == .unprocessableEntity)
                let other = try await Self.hand(b, f, unit: u01, subject: "team", code: "U01", kind: "summary", text: "改掉")
                #expect(other.status == .unprocessableEntity)
                #expect(try await Self.stored(app, "U01", "summary")?.text == "一年来，班子团结协作。")
                #expect(!(try await b.get(SiteRoute.campaignMaterials(f.id).path + "?unit=" + u01.uuidString).body.string.contains("班子团结协作")))
                // The audit log has the hash, not the text.
                struct A: Decodable { var after: String? }
                let audit = try await app.sql.raw("SELECT after FROM audit_entries WHERE entity = 'campaign'").all(decoding: A.self)
                #expect(audit.contains { $0.after?.contains("述职述廉述学报告") == true } && !audit.contains { $0.after?.contains("学学学学") == true })

                // An upload above the forms' 1 MB reaches the page (refused for its length, not its size); without the
                // CSRF token it is refused before its body is read.
                let big = try await Self.hand(a, f, unit: u01, subject: "cadre", code: "C04", kind: "report",
                                              file: ("报告.txt", Data(String(repeating: "述职", count: 400_000).utf8)))
                #expect(big.status == .unprocessableEntity && big.body.string.contains("过长"))
                let forged = try await a.upload(SiteRoute.campaignMaterials(f.id).path, filename: "a.txt", data: Data("报告".utf8), withCSRF: false,
                                                fields: ["unit": u01.uuidString, "subject": "team", "code": "U01", "kind": "problems"])
                #expect(forged.status == .forbidden)
                #expect(try await Self.stored(app, "U01", "problems") == nil)
                // After 汇总分析, in 等次评定: no more changes.
                try await app.sql.raw("UPDATE campaigns SET phase = 'grading'").run()
                let late = try await Self.hand(a, f, unit: u01, subject: "team", code: "U01", kind: "problems", text: "问题")
                #expect(late.status == .unprocessableEntity && late.body.string.contains("等次评定"))
            }
        }

        @Test("R-P6 (seed 002 §三(二)2 考核工作开始前对领导班子工作实绩进行公示): under puyang-2020 a unit's evaluation is arranged only after its 实绩公示 has ended; the notice prints the team's 实绩清单 and where opinions go")
        func publicityBeforeEvaluation() async throws {
            try await withTestApp { app in
                try await EvaluationTests.county(app)
                _ = try await app.makeAccount("org", role: .organisationDepartment)
                let org = Browser(app)
                try await org.login("org", "password-1234")
                try await org.get(SiteRoute.campaigns.path)
                let made = try await org.post(SiteRoute.campaigns.path, ["title": "2020年度考核", "kind": "annual", "year": "2026",
                                                                         "cutoff": "2026-12-31", "preset": "puyang-2020"])
                let campaign = made.headers.first(name: .location)!.components(separatedBy: "?")[0]
                let id = try #require(UUID(uuidString: String(campaign.split(separator: "/").last!)))
                let u01 = try await Workflow.unitID(app, "U01")
                func arrange(_ heldOn: String) async throws -> TestingHTTPResponse {
                    try await org.get(campaign)
                    return try await org.post(campaign + "/sessions", ["unit": u01.uuidString, "heldOn": heldOn, "place": "会议室", "categories": "班子成员 9"])
                }
                let refused = try await arrange("2026-12-20")
                #expect(refused.status == .unprocessableEntity && refused.body.string.contains("R-P6") && refused.body.string.contains("尚未进行实绩公示"))
                let f = Workflow.Fixture(org: org, session: "", campaign: campaign, id: id)
                #expect(try await Self.hand(org, f, unit: u01, subject: "team", code: "U01", kind: "achievements", text: "完成重点项目 12 个。").status == .seeOther)
                try await org.get(SiteRoute.campaignMaterials(id).path + "?unit=" + u01.uuidString)
                #expect(try await org.post(SiteRoute.campaignPublicity(id).path, ["unit": u01.uuidString, "startsOn": "2026-12-10", "endsOn": "2026-12-09", "contact": "x"]).status == .unprocessableEntity)
                #expect(try await org.post(SiteRoute.campaignPublicity(id).path, ["unit": u01.uuidString, "startsOn": "2026-12-10", "endsOn": "2026-12-16",
                                                                                 "contact": "县委组织部干部科，电话 0000-1234567"]).status == .seeOther)
                let early = try await arrange("2026-12-16")
                #expect(early.status == .unprocessableEntity && early.body.string.contains("2026-12-16 结束"))
                #expect(try await arrange("2026-12-17").status == .seeOther)
                let notice = try await org.get(SiteRoute.campaignPublicity(id).path + "?unit=" + u01.uuidString).body.string
                #expect(notice.contains("工作实绩的公示") && notice.contains("完成重点项目 12 个。") && notice.contains("2026-12-10 至 2026-12-16")
                        && notice.contains("0000-1234567"))
            }
        }
    }
}
