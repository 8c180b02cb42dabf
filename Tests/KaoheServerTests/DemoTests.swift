import Fluent
import Foundation
import SQLKit
import Testing
import Vapor
import VaporTesting
@testable import KaoheServer

extension KaoheServerTests {
    @Suite("kaohe demo (issue 10)")
    struct DemoTests {
        static func runDemo(_ app: Application) async throws -> Int32 {
            var context = CommandContext(console: Terminal(), input: CommandInput(arguments: ["kaohe", "demo"]))
            context.application = app
            do {
                try await DemoCommand().run(using: context, signature: try DemoCommand.Signature(from: &context.input))
                return 0
            } catch let exit as ExitCode { return exit.code }
        }

        @Test("kaohe demo fills an empty database with a county, accounts and a campaign whose evaluations were voted with codes and closed; it refuses a database with data")
        func demo() async throws {
            try await withTestApp { app in
                #expect(try await Self.runDemo(app) == 0)
                #expect(try await app.count("units") == 12)
                #expect(try await app.count("cadres") == 150)
                #expect(try await app.count("evaluation_sessions") == 12)
                struct N: Decodable { var n: Int }
                let open = try await app.sql.raw("SELECT COUNT(*) AS n FROM evaluation_sessions WHERE status = 'open'").first(decoding: N.self)?.n
                #expect(open == 0)
                // Every ballot came with a code, and every used code has its ballot.
                let used = try await app.sql.raw("SELECT COUNT(*) AS n FROM ballot_codes WHERE used = TRUE").first(decoding: N.self)?.n
                let ballots = try await app.count("ballots")
                #expect(ballots > 300 && used == ballots)
                // Its accounts, group and codes were written as audited changes like any other.
                struct E: Decodable { var after: String? }
                let made = try await app.sql.raw("SELECT after FROM audit_entries WHERE entity IN ('account', 'assessmentGroupMember', 'evaluationSession')").all(decoding: E.self)
                #expect(made.contains { $0.after?.contains("zuzhibu") == true } && made.contains { $0.after?.contains("accountID") == true })
                #expect(made.filter { $0.after?.contains("codesIssued") == true }.count == 36)
                let entries = try await app.count("audit_entries")
                #expect(try await AuditChain.verify(on: app.sql, seal: app.auditSeal) == .intact(count: entries))
                // The result page grades the county: some 优秀 and the rules' reasons shown.
                let org = Browser(app)
                try await org.login("admin", testAdminPassword)
                let campaign = try await Campaign.query(on: app.db).first()!
                let page = try await org.get(SiteRoute.campaignResult(campaign.id!).path).body.string
                #expect(page.contains("<strong>优秀</strong>") && page.contains("R-E6") && page.contains("R-E5") && page.contains("R-E7"))
                #expect(!page.contains("民主测评未结束"))
                // A second run changes nothing.
                #expect(try await Self.runDemo(app) == 1)
                #expect(try await app.count("cadres") == 150)
            }
        }
    }
}
