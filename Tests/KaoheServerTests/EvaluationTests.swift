import AssessmentCore
import Fluent
import Foundation
import NIOHTTP1
import OfficeDocuments
import SQLKit
import Testing
import Vapor
import VaporTesting
@testable import KaoheServer

extension KaoheServerTests {
    /// Issue 10: campaigns and democratic evaluation — one-time codes, phone and JSON ballots, anonymity, turnout,
    /// closing, the tally. Rules: R-S1, R-S3, R-E6, R-T1/R-T2; seed 001 §二(一) (20% 优秀 per ballot), seed 003 §五(二).
    @Suite("Campaigns and democratic evaluation (issue 10)")
    struct EvaluationTests {
        static let codePattern = #"[2-9A-HJ-NP-Z]{5}-[2-9A-HJ-NP-Z]{5}"#

        /// A county: 城关镇 (U01) with a team and six cadres, one retired in September after more than half a year (R-E6).
        static func county(_ app: Application) async throws {
            try await app.makeUnit("U01", "城关镇")
            let titles = ["党委书记", "镇长", "副镇长", "副镇长", "纪委书记", "武装部长"]
            var rows = titles.enumerated().map { i, t in
                Roster.cadre(String(format: "C%02d", i + 1), "干部\(i + 1)", unit: "U01", title: t,
                             principal: i < 2 ? "是" : "否", start: .text("2020-01-0\(i + 1)"))
            }
            rows[5] = Roster.cadre("C06", "干部6", unit: "U01", title: "武装部长", start: "2020-01-06", extra: [.retiredOn: "2026-09-30"])
            _ = try await app.importRoster(try Roster.xlsx(rows))
        }

        /// Signs in the organisation department, makes a campaign with `preset` and a session of U01; returns the
        /// browser and the session page's path.
        static func campaignAndSession(_ app: Application, preset: String = "lushan-2022") async throws -> (Browser, String) {
            try await county(app)
            _ = try await app.makeAccount("org", role: .organisationDepartment)
            let org = Browser(app)
            try await org.login("org", "password-1234")
            try await org.get(SiteRoute.campaigns.path)
            let made = try await org.post(SiteRoute.campaigns.path, ["title": "2026年度考核", "kind": "annual", "year": "2026",
                                                                     "cutoff": "2026-12-31", "preset": preset])
            #expect(made.status == .seeOther, "\(made.body.string)")
            let campaign = made.headers.first(name: .location)!.components(separatedBy: "?")[0]
            let page = try await org.get(campaign).body.string
            let unitID = try await app.sql.raw("SELECT id FROM units WHERE code = 'U01'").first()!.decode(column: "id", as: UUID.self)
            let created = try await org.post(campaign + "/sessions", ["unit": unitID.uuidString, "heldOn": "2026-12-20", "place": "三楼会议室",
                                                                      "categories": "班子成员 3\n职工代表 20"])
            #expect(created.status == .seeOther, "\(created.body.string)")
            #expect(page.contains("干部6") && page.contains("R-E6"), "the retiree and the rule that keeps it off the ballot")
            return (org, created.headers.first(name: .location)!.components(separatedBy: "?")[0])
        }

        static func issue(_ browser: Browser, _ session: String, category: String = "班子成员", count: Int) async throws -> [String] {
            try await browser.get(session)
            let slips = try await browser.post(session + "/codes", ["category": category, "count": "\(count)"])
            #expect(slips.status == .ok, "\(slips.body.string.prefix(500))")
            let html = slips.body.string
            #expect(html.components(separatedBy: "<svg").count - 1 == count, "one QR code per slip")
            return Array(Set(html.matches(of: try Regex(codePattern)).map { String(html[$0.range]) })).sorted()
        }

        /// Every item answered: the team 较好, each cadre 称职 (or `overall` for the cadres' overall rating).
        static func answers(_ app: Application, overall: String = "称职", team: String = "较好") async throws -> [String: String] {
            let sheet = try await EvaluationSession.query(on: app.db).first()!.sheet()
            var a: [String: String] = [:]
            for item in sheet.items { a[item.key] = item.key.hasPrefix("team") ? team : "称职" }
            for i in sheet.cadres.indices { a[BallotSheet.cadreKey(position: i)] = overall }
            return a
        }

        static func vote(_ app: Application, _ fields: [String: String]) async throws -> TestingHTTPResponse {
            var h = HTTPHeaders()
            h.contentType = .urlEncodedForm
            return try await app.testing().sendRequest(.POST, SiteRoute.voteBallot.path, headers: h,
                                                       body: ByteBuffer(string: Browser.urlEncode(fields)))
        }

        static func api(_ app: Application, _ body: String) async throws -> TestingHTTPResponse {
            var h = HTTPHeaders()
            h.contentType = .json
            return try await app.testing().sendRequest(.POST, SiteRoute.apiBallots.path, headers: h, body: ByteBuffer(string: body))
        }

        static func json(_ code: String, _ answers: [String: String], comment: String = "") throws -> String {
            struct Body: Encodable { var code: String; var answers: [String: String]; var comment: String }
            return String(decoding: try JSONEncoder().encode(Body(code: code, answers: answers, comment: comment)), as: UTF8.self)
        }

        @Test("A campaign from a preset; a session's ballot holds the team and the cadres on it — not the retiree of R-E6 (seed 003 §二7: 参加年度考核但不参加民主测评)")
        func campaignAndBallot() async throws {
            try await withTestApp { app in
                let (org, session) = try await Self.campaignAndSession(app)
                let sheet = try await EvaluationSession.query(on: app.db).first()!.sheet()
                #expect(sheet.team?.name != nil && sheet.cadres.map(\.id) == ["C01", "C02", "C05", "C03", "C04"], "official order: 党委书记, 镇长, 纪委书记, 副镇长 ×2")
                let page = try await org.get(session).body.string
                #expect(page.contains("领导班子 1 个，干部 5 人") && page.contains("班子成员"))
                // Seed 003 §五(二): a township without 10 representatives is reminded.
                #expect(page.contains("党代表、人大代表、政协委员应到 0 人"))
                #expect(SessionScope.warnings(unitCategory: "乡镇街道", categories: [.init(name: "两代表一委员", expected: 12)]).isEmpty)
                #expect(SessionScope.warnings(unitCategory: "乡镇街道", categories: [.init(name: "职工代表", expected: 40)]).count == 1)
                #expect(SessionScope.warnings(unitCategory: "县直单位", categories: [.init(name: "全体人员", expected: 25)]).count == 1)
                #expect(SessionScope.warnings(unitCategory: "县直单位", categories: [.init(name: "全体人员", expected: 30)]).isEmpty)
                // A bad policy file is refused with its problems listed, and nothing is made.
                let bad = try await org.post(SiteRoute.campaigns.path, ["title": "", "kind": "x", "year": "20", "cutoff": "2026-13-01"])
                #expect(bad.status == .unprocessableEntity)
                for field in ["考核名称", "考核类型", "考核年度", "截止日期", "考核办法"] { #expect(bad.body.string.contains("「\(field)」")) }
                #expect(try await app.count("campaigns") == 1)
                // The same unit twice: a clear refusal, one session.
                let campaign = try await Campaign.query(on: app.db).first()!
                let unitID = try await app.sql.raw("SELECT id FROM units WHERE code = 'U01'").first()!.decode(column: "id", as: UUID.self)
                try await org.get(SiteRoute.campaign(campaign.id!).path)
                let twice = try await org.post(SiteRoute.campaignSessions(campaign.id!).path, ["unit": unitID.uuidString, "heldOn": "2026-12-21", "categories": "班子成员 3"])
                #expect(twice.status == .unprocessableEntity && twice.body.string.contains("已有民主测评"))
                #expect(try await app.count("evaluation_sessions") == 1)
            }
        }

        @Test("Codes: 10 easy-to-type characters from a secure generator, stored only as keyed hashes; a slip page with a QR code each; wrong codes throttled per address")
        func codes() async throws {
            try await withTestApp { app in
                let (org, session) = try await Self.campaignAndSession(app)
                let codes = try await Self.issue(org, session, count: 3)
                #expect(codes.count == 3)
                for code in codes { #expect(code.allSatisfy { !"01OIl".contains($0) }) }
                struct H: Decodable { var hash: String }
                let hashes = try await app.sql.raw("SELECT hash FROM ballot_codes").all(decoding: H.self).map(\.hash)
                #expect(hashes.count == 3 && hashes.allSatisfy { $0.count == 64 })
                for code in codes {
                    #expect(!hashes.contains { $0.contains(code.replacingOccurrences(of: "-", with: "")) })
                    #expect(hashes.contains(app.auditSeal!.ballotCode(BallotCodes.normalize(code)!)))
                }
                // Typed in lower case with spaces: accepted. A group member of another group cannot see the session.
                let open = try await app.testing().sendRequest(.GET, SiteRoute.vote.path + "?c=" + codes[0].lowercased().replacingOccurrences(of: "-", with: "%20"))
                #expect(open.status == .ok && open.body.string.contains("type=\"radio\""))
                _ = try await app.makeAccount("outsider", role: .groupMember)
                let outsider = Browser(app)
                try await outsider.login("outsider", "password-1234")
                #expect(try await outsider.get(session).status == .notFound)
                // Thirty wrong codes from one address, then even a right one waits.
                for i in 0..<30 {
                    let wrong = try await app.testing().sendRequest(.GET, SiteRoute.vote.path + "?c=ABCDE-FGH\(["23", "45", "67"][i % 3])")
                    #expect(wrong.status == .notFound)
                }
                let paused = try await app.testing().sendRequest(.GET, SiteRoute.vote.path + "?c=" + codes[1])
                #expect(paused.status == .tooManyRequests && paused.body.string.contains("10 分钟后再试"))
            }
        }

        @Test("Voting: an incomplete ballot is refused with the missing items marked and the answers kept; a complete one uses the code once; the JSON API says accepted or why not")
        func voting() async throws {
            try await withTestApp { app in
                let (org, session) = try await Self.campaignAndSession(app)
                let codes = try await Self.issue(org, session, count: 4)
                var answers = try await Self.answers(app)
                answers["c4.2"] = nil
                var fields = answers
                fields["code"] = codes[0]
                let incomplete = try await Self.vote(app, fields)
                #expect(incomplete.status == .unprocessableEntity)
                let html = incomplete.body.string
                #expect(html.contains("「干部3」的「能」未选择") && html.contains("class=\"item missing\""))
                #expect(html.contains("name=\"c1\" value=\"称职\" checked"), "what was filled in is kept")
                #expect(try await app.count("ballots") == 0)

                fields["c4.2"] = "称职"
                #expect(try await Self.vote(app, fields).body.string.contains("投票成功"))
                let again = try await Self.vote(app, fields)
                #expect(again.status == .conflict && again.body.string.contains("已经用过"))
                #expect(try await app.count("ballots") == 1)

                // JSON: accepted; used; unknown; malformed; invalid with problems by item.
                let accepted = try await Self.api(app, try Self.json(codes[1], try await Self.answers(app, team: "好")))
                #expect(accepted.status == .created && accepted.body.string.contains("\"accepted\""))
                let used = try await Self.api(app, try Self.json(codes[1], try await Self.answers(app)))
                #expect(used.status == .conflict && used.body.string.contains("code-used"))
                #expect(try await Self.api(app, try Self.json("ABCDE-FGH23", [:])).status == .notFound)
                #expect(try await Self.api(app, "{\"code\": 5}").status == .badRequest)
                var partial = try await Self.answers(app)
                partial["team.2"] = nil
                let invalid = try await Self.api(app, try Self.json(codes[2], partial))
                #expect(invalid.status == .unprocessableEntity && invalid.body.string.contains("\"item\":\"team.2\""))
                #expect(try await app.count("ballots") == 2)

                // The session page counts them: turnout and the tally.
                let page = try await org.get(session).body.string
                #expect(page.contains("<td>班子成员</td><td>3</td><td>4</td><td>2</td><td>0</td><td>2</td><td>0</td>"), "\(page.components(separatedBy: "turnout")[1].prefix(600))")
                // No counts while voting goes on (they would tell each ballot in voting order); after closing, the tally.
                #expect(!page.contains("50.0%") && page.contains("测评结束后显示结果"))
                #expect(try await org.get(session + "/tally.xlsx").status == .unprocessableEntity)
                _ = try await org.post(session + "/close")
                let closed = try await org.get(session).body.string
                #expect(closed.contains("好 1（50.0%）") && closed.contains("较好 1（50.0%）"))
            }
        }

        @Test("Seed 001 §二(一): with county-2019, a ballot of 5 cadres may mark at most 1 优秀 (20%, rounded down); one over is refused with the number allowed")
        func bestShareOnBallot() async throws {
            try await withTestApp { app in
                let (org, session) = try await Self.campaignAndSession(app, preset: "county-2019")
                let codes = try await Self.issue(org, session, count: 1)
                var a = try await Self.answers(app)
                a["c1"] = "优秀"; a["c2"] = "优秀"
                let refused = try await Self.api(app, try Self.json(codes[0], a))
                #expect(refused.status == .unprocessableEntity && refused.body.string.contains("最多 1 人"))
                a["c2"] = "称职"
                #expect(try await Self.api(app, try Self.json(codes[0], a)).status == .created)
            }
        }

        @Test("Two phones submit one code at the same moment: exactly one ballot counts, the other gets a clear refusal (never a 500)")
        func sameCodeTwice() async throws {
            try await withTestApp { app in
                let (org, session) = try await Self.campaignAndSession(app)
                let codes = try await Self.issue(org, session, count: 8)
                let body = try Self.json(codes[0], try await Self.answers(app))
                let statuses = try await withThrowingTaskGroup(of: HTTPStatus.self) { group in
                    for _ in 0..<6 { group.addTask { try await Self.api(app, body).status } }
                    return try await group.reduce(into: []) { $0.append($1) }
                }
                #expect(statuses.filter { $0 == .created }.count == 1)
                #expect(statuses.filter { $0 == .conflict }.count == 5, "\(statuses)")
                #expect(try await app.count("ballots") == 1)
                struct U: Decodable { var n: Int }
                #expect(try await app.sql.raw("SELECT COUNT(*) AS n FROM ballot_codes WHERE used = TRUE").first(decoding: U.self)?.n == 1)
            }
        }

        @Test("One batch of ballots (BallotBox): valid codes, a code twice, a used code and a closed session's code are each answered on their own, and only the valid ones are stored")
        func mixedBatch() async throws {
            try await withTestApp { app in
                let (org, session) = try await Self.campaignAndSession(app)
                let codes = try await Self.issue(org, session, count: 5)
                let answers = try await Self.answers(app)
                #expect(try await Self.api(app, try Self.json(codes[0], answers)).status == .created)
                let seal = try #require(app.auditSeal)
                let row = try #require(try await EvaluationSession.query(on: app.db).first())
                let (sessionID, stored) = (try row.requireID(), Voting.storedAnswers(answers, comment: "", sheet: try row.sheet()))
                func item(_ code: String) -> BallotBox.Item {
                    .init(hash: seal.ballotCode(BallotCodes.normalize(code)!), session: sessionID, category: "班子成员", stored: stored)
                }
                let batch = [item(codes[1]), item(codes[0]), item(codes[2]), item(codes[1]), item(codes[3])]
                let results = try await app.db.transaction { try await BallotBox.write(batch, on: $0 as! any SQLDatabase) }
                let outcomes = results.map { result -> String in
                    switch result {
                    case .success: "ok"
                    case .failure(let e): (e as? Voting.Refusal)?.reason ?? "\(e)"
                    }
                }
                #expect(outcomes == ["ok", "code-used", "ok", "code-used", "ok"])
                #expect(try await app.count("ballots") == 4)
                _ = try await org.post(session + "/close")
                let lateItem = [item(codes[4])]
                let late = try await app.db.transaction { try await BallotBox.write(lateItem, on: $0 as! any SQLDatabase) }
                if case .failure(let e) = late[0] { #expect(e as? Voting.Refusal == .closed) } else { Issue.record("a closed session took a ballot") }
                #expect(try await app.count("ballots") == 4)
            }
        }

        @Test("A batch uses its codes by looking up each hash (SQLite: the primary key, never a walk through the session's codes); the session's turnout is still counted by category (migration 028)")
        func codesByHash() async throws {
            try await withTestApp { app in
                let (org, session) = try await Self.campaignAndSession(app)
                let codes = try await Self.issue(org, session, count: 3)
                #expect(try await Self.api(app, try Self.json(codes[0], try await Self.answers(app))).status == .created)
                // Turnout: one used of three 班子成员 codes (the count no longer has `used` in its index).
                let row = try #require(try await EvaluationSession.query(on: app.db).first())
                #expect(try await BallotCodes.turnout(row, on: app.sql).first { $0.category == "班子成员" }.map { [$0.issued, $0.used] } == [3, 1])
                guard app.sql.dialect.name == "sqlite" else { return }
                // Also once the database holds statistics (ANALYZE), which change what SQLite's planner prefers.
                for analysed in [false, true] {
                    if analysed { try await app.sql.raw("ANALYZE").run() }
                    let plan = try await app.sql.raw("EXPLAIN QUERY PLAN \(BallotBox.useCodes(["a", "b"], sqlite: true))").all()
                        .map { try $0.decode(column: "detail", as: String.self) }
                    #expect(plan.contains { $0.contains("ballot_codes USING PRIMARY KEY") }, "\(plan)")
                    #expect(!plan.contains { $0.contains("ballot_codes_session") || $0.hasPrefix("SCAN ballot_codes") }, "\(plan)")
                }
            }
        }

        @Test("The ballot API takes application/json with or without parameters, in any case, and nothing else")
        func jsonContentType() {
            for accepted in ["application/json", "application/json; charset=utf-8", "Application/JSON", " application/json ;charset=UTF-8"] {
                #expect(VoteController.isJSON(accepted), "\(accepted)")
            }
            for refused in [nil, "", "text/plain", "application/jsonp", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x"] {
                #expect(!VoteController.isJSON(refused), "\(refused ?? "nil")")
            }
        }

        @Test("The database fails while ballots are written: the voters get a 503 asking them to submit again (the form keeps the answers), nothing is stored, and the codes still work")
        func databaseFailure() async throws {
            try await withTestApp { app in
                let (org, session) = try await Self.campaignAndSession(app)
                let codes = try await Self.issue(org, session, count: 2)
                let answers = try await Self.answers(app)
                try await app.sql.raw("ALTER TABLE ballots RENAME TO ballots_away").run()
                let api = try await Self.api(app, try Self.json(codes[0], answers))
                #expect(api.status == .serviceUnavailable && api.body.string.contains("try-again"))
                #expect(api.headers.first(name: .retryAfter) == "2")
                var fields = answers
                fields["code"] = codes[1]
                let form = try await Self.vote(app, fields)
                #expect(form.status == .serviceUnavailable && form.body.string.contains("请稍后再提交一次"))
                #expect(form.body.string.contains("name=\"c1\" value=\"称职\" checked"), "the answers are kept")
                try await app.sql.raw("ALTER TABLE ballots_away RENAME TO ballots").run()
                struct U: Decodable { var n: Int }
                #expect(try await app.sql.raw("SELECT COUNT(*) AS n FROM ballot_codes WHERE used = TRUE").first(decoding: U.self)?.n == 0)
                #expect(try await Self.api(app, try Self.json(codes[0], answers)).status == .created)
                #expect(try await Self.vote(app, fields).body.string.contains("投票成功"))
                #expect(try await app.count("ballots") == 2)
            }
        }

        @Test("At a province's scale the campaign page lists units 50 to a page (with a search by name or code) and the result page 20; the grading is made once per change of the data (audit head), and a change shows at once")
        func pagesAtScale() async throws {
            try await withTestApp { app in
                let (org, _) = try await Self.campaignAndSession(app)
                for i in 2...56 { _ = try await app.makeUnit(String(format: "U%02d", i), "第\(i)镇") }
                let campaign = try await Campaign.query(on: app.db).first()!
                let path = SiteRoute.campaign(campaign.id!).path
                let first = try await org.get(path).body.string
                #expect(first.contains("共 56 个单位") && first.contains("第 1 / 2 页") && first.contains("?page=2"))
                #expect(first.components(separatedBy: "</td></tr>").count - 1 >= 50 && !first.contains("第56镇"))
                let second = try await org.get(path + "?page=2").body.string
                #expect(second.contains("第56镇") && !second.contains("第2镇（"))
                let found = try await org.get(path + "?q=U56").body.string
                #expect(found.contains("共 1 个单位") && found.contains("第56镇"))

                let result = SiteRoute.campaignResult(campaign.id!).path
                let r1 = try await org.get(result).body.string
                #expect(r1.contains("第 1 / 3 页") && r1.contains("城关镇"))
                #expect(try await org.get(result + "?page=3").body.string.contains("第56镇"))
                #expect(try await org.get(result + "?page=99999999999999999999").status == .ok)
                // One grading per data version: pages of the same version share it; a change makes a new one.
                let memo = app.campaignGradings
                #expect(await memo.count == 1)
                let cadre = try #require(try await app.cadreID("C02"))
                try await org.get(path)
                _ = try await org.post(SiteRoute.campaignParticipation(campaign.id!).path,
                                       ["cadre": cadre.uuidString, "participates": "不参加", "reason": "病休", "confirm": "是"])
                let after = try await org.get(result).body.string
                #expect(after.contains("经组织部决定不参加本次考核：病休"))
            }
        }

        @Test("Hostile staff and voter input (hostile.sh finds): NUL in a JSON body or a multipart title, a NUL in a ballot's comment, 10,000 participant categories — each a clear 4xx, nothing stored")
        func hostileInput() async throws {
            try await withTestApp { app in
                let (org, session) = try await Self.campaignAndSession(app)
                let campaigns = try await Campaign.query(on: app.db).count()
                // A JSON body with an escaped NUL (PostgreSQL cannot store it: it was a 500 there).
                try await org.get(SiteRoute.campaigns.path)
                var h = org.headers()
                h.contentType = .json
                let json = #"{"_csrf":"\#(org.csrf ?? "")","title":"a\u0000b","kind":"annual","year":"2026","cutoff":"2026-12-31","preset":"lushan-2022"}"#
                let viaJSON = try await app.testing().sendRequest(.POST, SiteRoute.campaigns.path, headers: h, body: ByteBuffer(string: json))
                #expect(viaJSON.status == .unprocessableEntity && viaJSON.body.string.contains("NUL"))
                // The same title in the multipart form the page sends (a policy file may come with it).
                for (title, says) in [("a\u{0}b", "NUL"), ("a\u{1}b", "控制字符")] {
                    try await org.get(SiteRoute.campaigns.path)
                    let boundary = "----kaohe-\(UUID().uuidString)"
                    var body = ""
                    for (k, v) in ["_csrf": org.csrf ?? "", "title": title, "kind": "annual", "year": "2026", "cutoff": "2026-12-31", "preset": "lushan-2022"] {
                        body += "--\(boundary)\r\nContent-Disposition: form-data; name=\"\(k)\"\r\n\r\n\(v)\r\n"
                    }
                    body += "--\(boundary)--\r\n"
                    var mh = org.headers()
                    mh.replaceOrAdd(name: .contentType, value: "multipart/form-data; boundary=\(boundary)")
                    let viaMultipart = try await app.testing().sendRequest(.POST, SiteRoute.campaigns.path, headers: mh, body: ByteBuffer(string: body))
                    #expect(viaMultipart.status == .unprocessableEntity && viaMultipart.body.string.contains(says), "\(title.debugDescription)")
                }
                #expect(try await Campaign.query(on: app.db).count() == campaigns)
                // A voter's comment with a NUL: refused in JSON, with the reason (a NUL would fail the whole batch).
                let codes = try await Self.issue(org, session, count: 1)
                let refused = try await Self.api(app, try Self.json(codes[0], try await Self.answers(app), comment: "好\u{0}"))
                #expect(refused.status == .unprocessableEntity && refused.body.string.contains("invalid-ballot") && refused.body.string.contains("控制字符"))
                #expect(try await app.count("ballots") == 0)
                // 10,000 categories: refused at once (the duplicate check was quadratic: seconds of CPU per request).
                let campaign = try await Campaign.query(on: app.db).first()!
                try await org.get(SiteRoute.campaign(campaign.id!).path)
                let lines = (0..<10_000).map { "类别\($0) 1" }.joined(separator: "\n")
                let unit = try await app.makeUnit("U99", "第99镇")
                let many = try await org.post(SiteRoute.campaignSessions(campaign.id!).path, ["unit": unit.uuidString, "heldOn": "2026-12-20", "categories": lines])
                #expect(many.status == .unprocessableEntity && many.body.string.contains("最多 20 类"))
            }
        }

        @Test("A refused session form is shown again on the campaign page with everything it said and why (nothing a clerk types is lost)")
        func refusedSessionFormKept() async throws {
            try await withTestApp { app in
                let (org, _) = try await Self.campaignAndSession(app)
                let unit = try await app.makeUnit("U02", "第2镇")
                let campaign = try await Campaign.query(on: app.db).first()!
                try await org.get(SiteRoute.campaign(campaign.id!).path)
                let refused = try await org.post(SiteRoute.campaignSessions(campaign.id!).path,
                                                 ["unit": unit.uuidString, "heldOn": "2026-13-45", "place": "镇政府礼堂", "categories": "班子成员 9\r\n职工代表 30"])
                let html = refused.body.string
                #expect(refused.status == .unprocessableEntity)
                #expect(html.contains("「测评日期」应为日期") && html.contains("已填的内容已保留"))
                #expect(html.contains("value=\"镇政府礼堂\"") && html.contains("value=\"2026-13-45\"") && html.contains("班子成员 9\r\n职工代表 30</textarea>"))
                #expect(html.contains("value=\"\(unit.uuidString)\" selected"))
                #expect(try await EvaluationSession.query(on: app.db).count() == 1)
            }
        }

        @Test("Participant categories one per line as a browser sends a textarea (CR LF), or separated by 、 or ；")
        func categoriesAsBrowsersSendThem() throws {
            for text in ["班子成员 3\r\n中层干部 10\r\n职工代表 20\r\n", "班子成员 3\n中层干部 10\n职工代表 20", "班子成员 3、中层干部 10；职工代表 20"] {
                let c = try SessionController.categories(text)
                #expect(c.map(\.name) == ["班子成员", "中层干部", "职工代表"] && c.map(\.expected) == [3, 10, 20], "\(text.debugDescription)")
            }
        }

        @Test("A ballot is stored packed (one character per item, then the comment); ballots stored as JSON by earlier versions are counted alike; the JSON form is what JSONEncoder writes with sorted keys")
        func storedForms() async throws {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            let samples: [[String: String]] = [
                [:], ["team": "好", "c1": "称职", "c1.1": "较好", "team.5": "一般"],
                ["a\"b": "x\\y", "tab\t": "line\nbreak\r", "ctl": "\u{01}\u{1F}\u{08}\u{0C}", "斜/杠": "😀 é"],
            ]
            for answers in samples {
                for comment in ["", "意见：\"很好\"\n", "a/b"] {
                    var object = answers
                    object["comment"] = comment
                    #expect(Voting.storedJSON(answers, comment: comment) == String(decoding: try encoder.encode(object), as: UTF8.self))
                }
            }
            try await withTestApp { app in
                let (org, session) = try await Self.campaignAndSession(app)
                let codes = try await Self.issue(org, session, count: 1)
                let row = try #require(try await EvaluationSession.query(on: app.db).first())
                let sheet = try row.sheet()
                var answers = try await Self.answers(app)
                answers["c1"] = "优秀"
                let stored = Voting.storedAnswers(answers, comment: "  第一行\n第二行 ", sheet: sheet)
                #expect(stored.hasPrefix("v2:") && stored.hasSuffix("\n第一行\n第二行") && stored.utf8.count == 3 + sheet.items.count + 1 + 19)
                #expect(sheet.unpacked(stored.dropFirst(3).prefix(sheet.items.count)) == answers)
                // One phone ballot (packed) and one as an earlier version stored it (JSON): one tally.
                #expect(try await Self.api(app, try Self.json(codes[0], answers)).status == .created)
                var old = answers
                old["c1"] = "称职"
                try await Voting.insertBallot(session: try row.requireID(), category: "班子成员", source: "phone",
                                              stored: Voting.storedJSON(old, comment: "旧版"), on: app.sql)
                _ = try await org.post(session + "/close")
                let page = try await org.get(session).body.string
                #expect(page.contains("测评结果（2 票）") && page.contains("优秀 1（50.0%）") && page.contains("称职 1（50.0%）"))
            }
        }

        @Test("Anonymity: ballot rows hold no code, time, address or order; code rows only used or not; no audit entry per ballot; the stored order of ballots is not the order of voting")
        func anonymity() async throws {
            try await withTestApp { app in
                // The schema itself.
                func columns(_ table: String) async throws -> Set<String> {
                    if usingPostgres {
                        return Set(try await app.sql.raw("SELECT column_name AS name FROM information_schema.columns WHERE table_name = \(bind: table)").all()
                            .map { try $0.decode(column: "name", as: String.self) })
                    }
                    return Set(try await app.sql.raw("SELECT name FROM pragma_table_info(\(bind: table))").all().map { try $0.decode(column: "name", as: String.self) })
                }
                #expect(try await columns("ballots") == ["id", "session_id", "category", "source", "answers"])
                #expect(try await columns("ballot_codes") == ["hash", "session_id", "category", "used"])
                if !usingPostgres {
                    // No hidden rowid that would follow the order of insertion.
                    await #expect(throws: (any Error).self) { try await app.sql.raw("SELECT rowid FROM ballots").run() }
                    await #expect(throws: (any Error).self) { try await app.sql.raw("SELECT rowid FROM ballot_codes").run() }
                }

                let (org, session) = try await Self.campaignAndSession(app)
                let codes = try await Self.issue(org, session, count: 12)
                let auditBefore = try await app.count("audit_entries")
                // Ballot k marks 干部1 overall with a pattern that says k.
                let options = ["优秀", "称职", "基本称职", "不称职"]
                var order: [String] = []
                for (k, code) in codes.enumerated() {
                    var a = try await Self.answers(app)
                    a["c1"] = options[k % 4]; a["c2"] = options[(k / 4) % 4]
                    order.append("\(options[k % 4])/\(options[(k / 4) % 4])")
                    #expect(try await Self.api(app, try Self.json(code, a, comment: "第\(k)票")).status == .created)
                }
                #expect(try await app.count("audit_entries") == auditBefore, "no audit entry per ballot")
                // Closing rewrites the rows on PostgreSQL (Anonymity.scrub).
                try await org.get(session)
                #expect(try await org.post(session + "/close").status == .seeOther)

                struct B: Decodable { var id: UUID; var answers: String }
                let sheet = try #require(try await EvaluationSession.query(on: app.db).first()).sheet()
                func stored(_ query: SQLQueryString) async throws -> [String] {
                    try await app.sql.raw(query).all(decoding: B.self).map { row in
                        let a = try #require(sheet.unpacked(row.answers.dropFirst(3).prefix { $0 != "\n" }))
                        return "\(a["c1"]!)/\(a["c2"]!)"
                    }
                }
                let scan = try await stored("SELECT id, answers FROM ballots")
                let byKey = try await stored("SELECT id, answers FROM ballots ORDER BY id")
                #expect(Set(scan) == Set(order) && scan.count == 12)
                #expect(scan == byKey, "rows lie in the order of their random keys")
                #expect(scan != order, "the stored order is not the order of voting (chance 1 in 12!)")
                if usingPostgres {
                    struct X: Decodable { var n: Int }
                    let xmins = try await app.sql.raw("SELECT COUNT(DISTINCT xmin::text) AS n FROM ballots").first(decoding: X.self)?.n
                    #expect(xmins == 1, "one transaction id for all ballots after closing")
                    let codeXmins = try await app.sql.raw("SELECT COUNT(DISTINCT xmin::text) AS n FROM ballot_codes").first(decoding: X.self)?.n
                    #expect(codeXmins == 1)
                }
                // The comment is kept, with nothing that names the voter.
                let one = try await app.sql.raw("SELECT answers FROM ballots").first()!.decode(column: "answers", as: String.self)
                #expect(one.contains("\n第") && !codes.contains { one.contains($0) })
            }
        }

        @Test("Closing stops voting; reopening needs the organisation department and a reason, and is audited")
        func closeAndReopen() async throws {
            try await withTestApp { app in
                let (org, session) = try await Self.campaignAndSession(app)
                let codes = try await Self.issue(org, session, count: 2)
                _ = try await org.post(session + "/close")
                let late = try await Self.api(app, try Self.json(codes[0], try await Self.answers(app)))
                #expect(late.status == .conflict && late.body.string.contains("session-closed"))
                let closedPage = try await app.testing().sendRequest(.GET, SiteRoute.vote.path + "?c=" + codes[0])
                #expect(closedPage.body.string.contains("已经结束"))

                // A group member of the unit can close but not reopen.
                let unitID = try await app.sql.raw("SELECT id FROM units WHERE code = 'U01'").first()!.decode(column: "id", as: UUID.self)
                let member = try await app.makeAccount("member", role: .groupMember)
                let group = AssessmentGroup(name: "第一考核组")
                try await group.create(on: app.db)
                try await group.$units.attach(try await Unit.find(unitID, on: app.db)!, on: app.db)
                try await group.$members.attach(member, on: app.db)
                let m = Browser(app)
                try await m.login("member", "password-1234")
                try await m.get(session)
                #expect(try await m.post(session + "/reopen", ["reason": "误结束", "confirm": "是"]).status == .forbidden)

                try await org.get(session)
                #expect(try await org.post(session + "/reopen", ["reason": "", "confirm": "是"]).status == .unprocessableEntity)
                #expect(try await org.post(session + "/reopen", ["reason": "会场有人未投票即结束", "confirm": "是"]).status == .seeOther)
                #expect(try await Self.api(app, try Self.json(codes[0], try await Self.answers(app))).status == .created)
                struct R: Decodable { var reason: String? }
                let reasons = try await app.sql.raw("SELECT reason FROM audit_entries WHERE entity = 'evaluationSession'").all(decoding: R.self)
                #expect(reasons.contains { $0.reason == "会场有人未投票即结束" })
            }
        }

        @Test("R-S3 and R-T2 (seed 003 §(三)2): the session page shows each subject's vote score, and a cadre with 优秀+称职 under two thirds is flagged for a special report")
        func scoresAndTriggers() async throws {
            try await withTestApp { app in
                let (org, session) = try await Self.campaignAndSession(app)
                let codes = try await Self.issue(org, session, count: 3)
                // 干部2: 称职, 不称职, 不称职 → 1/3 positive: R-T2; score (80 + 0 + 0) / 3 = 26.67.
                for (k, code) in codes.enumerated() {
                    var a = try await Self.answers(app, overall: "优秀")
                    a["c2"] = k == 0 ? "称职" : "不称职"
                    #expect(try await Self.api(app, try Self.json(code, a)).status == .created)
                }
                try await org.get(session)
                _ = try await org.post(session + "/close")
                let page = try await org.get(session).body.string
                #expect(page.contains("干部2 <small>镇长</small> · 测评得分 26.67"))
                #expect(page.contains("干部1 <small>党委书记</small> · 测评得分 100.00"))
                #expect(page.contains("R-T2"))
                // The team: 较好 ×3 → 80.00, no trigger.
                #expect(page.contains("测评得分 80.00"))
            }
        }

        @Test("Paper ballots are entered twice by two people: agreeing entries count once; a mismatch is shown side by side and settled from the sheet; void sheets are cast but not tallied")
        func paperDoubleEntry() async throws {
            try await withTestApp { app in
                let (org, session) = try await Self.campaignAndSession(app)
                _ = try await app.makeAccount("org2", role: .organisationDepartment)
                let second = Browser(app)
                try await second.login("org2", "password-1234")
                let paper = session + "/paper"
                func enter(_ b: Browser, _ number: Int, _ answers: [String: String], void: Bool = false) async throws -> TestingHTTPResponse {
                    try await b.get(paper)
                    var form = answers
                    form["number"] = "\(number)"; form["category"] = "职工代表"
                    if void { form["void"] = "是" }
                    return try await b.post(paper, form)
                }
                let answers = try await Self.answers(app)
                #expect(try await enter(org, 1, answers).body.string.contains("第 1 号票第一次录入完成"))
                let same = try await enter(org, 1, answers)
                #expect(same.status == .unprocessableEntity && same.body.string.contains("须由另一人完成"))
                #expect(try await app.count("ballots") == 0)
                #expect(try await enter(second, 1, answers).body.string.contains("第 1 号票两次录入一致，已计入"))
                #expect(try await app.count("ballots") == 1)
                struct S: Decodable { var source: String }
                #expect(try await app.sql.raw("SELECT source FROM ballots").first(decoding: S.self)?.source == "paper")

                // Sheet 2: 干部1 read as 优秀 once and 称职 once.
                var misread = answers
                misread["c1"] = "优秀"
                _ = try await enter(org, 2, answers)
                let mismatch = try await enter(second, 2, misread)
                #expect(mismatch.status == .seeOther)
                let check = try await org.get(mismatch.headers.first(name: .location)!).body.string
                let rows = check.components(separatedBy: "class=\"differs\"").count - 1
                #expect(rows == 1 && check.contains("<th>干部1 · 总体评价</th><td>称职</td><td>优秀</td>"))
                #expect(try await app.count("ballots") == 1, "a mismatch does not count")
                let closing = try await org.post(session + "/close")
                #expect(closing.status == .unprocessableEntity && closing.body.string.contains("票号 2"), "no close while a sheet waits")
                let before = try await app.count("audit_entries")
                var settled = answers
                settled["category"] = "职工代表"
                #expect(try await org.post(mismatch.headers.first(name: .location)!, settled).status == .seeOther)
                #expect(try await app.count("ballots") == 2)
                #expect(try await app.count("audit_entries") == before + 1)
                let entry = try await app.sql.raw("SELECT after FROM audit_entries ORDER BY seq DESC").first()!.decode(column: "after", as: String.self)
                #expect(entry.contains("paperSheet") && !entry.contains("称职") && !entry.contains("优秀"), "who settled which sheet, never what it says")

                // Sheet 3: void twice — cast, not tallied.
                var junk = ["comment": String(repeating: "意见", count: 5_000)]
                for i in 0..<500 { junk["x\(i)"] = "y" }
                #expect(try await enter(org, 3, junk, void: true).body.string.contains("第一次录入完成"))
                struct F: Decodable { var first_answers: String }
                let kept = try await app.sql.raw("SELECT first_answers FROM paper_sheets WHERE number = 3").first(decoding: F.self)?.first_answers ?? ""
                #expect(kept.utf8.count < 200 && !kept.contains("x1"), "a void sheet keeps nothing of what it says: \(kept.prefix(100))")
                #expect(try await enter(second, 3, [:], void: true).body.string.contains("已记为废票"))
                #expect(try await app.count("ballots") == 2)
                #expect(try await enter(org, 1, answers).body.string.contains("已经计入"))
                // Counted sheets keep their number only: no answers, no accounts.
                struct P: Decodable { var first_answers: String?; var first_by: UUID?; var second_answers: String?; var second_by: UUID? }
                let sheets = try await app.sql.raw("SELECT first_answers, first_by, second_answers, second_by FROM paper_sheets").all(decoding: P.self)
                #expect(sheets.count == 3 && sheets.allSatisfy { $0.first_answers == nil && $0.first_by == nil && $0.second_answers == nil && $0.second_by == nil })
                let page = try await org.get(session).body.string
                #expect(page.contains("<td>职工代表</td><td>20</td><td>0</td><td>0</td><td>2</td><td>2</td><td>1</td>"))
            }
        }

        @Test("The campaign is graded from the registry and the closed evaluations' votes (R-S3 scores, R-E6 reasons); the tally sheet (.xlsx) holds every item's votes")
        func resultAndTallySheet() async throws {
            try await withTestApp { app in
                let (org, session) = try await Self.campaignAndSession(app)
                let codes = try await Self.issue(org, session, count: 3)
                for code in codes {
                    var a = try await Self.answers(app)
                    a["c1"] = "优秀"
                    #expect(try await Self.api(app, try Self.json(code, a)).status == .created)
                }
                let campaign = try await Campaign.query(on: app.db).first()!
                let result = SiteRoute.campaignResult(campaign.id!).path
                var page = try await org.get(result).body.string
                #expect(page.contains("民主测评未结束"), "votes count only once the session is closed")
                #expect(!page.contains("100.00"))
                try await org.get(session)
                _ = try await org.post(session + "/close")
                page = try await org.get(result).body.string
                #expect(!page.contains("民主测评未结束"))
                #expect(page.contains("<td>干部1</td><td>党委书记</td><td>参加考核</td><td>100.00</td>"))
                #expect(page.contains("<td>干部2</td><td>镇长</td><td>参加考核</td><td>80.00</td>"))
                #expect(page.contains("R-E6"), "the retiree's reason")

                let sheet = try await org.get(session + "/tally.xlsx")
                #expect(sheet.headers.contentType?.subType == "vnd.openxmlformats-officedocument.spreadsheetml.sheet")
                let book = try XLSXReader.read(Data(buffer: sheet.body))
                #expect(book.map(\.name) == ["测评结果统计表", "班子成员"])
                let rows = book[0].rows
                let c1 = rows.first { $0.first == .text("干部1") && $0.count > 2 && $0[2] == .text("总体评价") }
                #expect(c1?[3] == .text("优秀") && c1?[4] == .number(3) && c1?[5] == .text("100.0%"))
                #expect(c1?.last == .text("100.00"))
            }
        }

        @Test("The organisation department decides that a cadre takes part or not, against the rules, with a reason (audited); the participants page, the ballot of a session prepared after it and the grading follow")
        func participationChange() async throws {
            try await withTestApp { app in
                try await Self.county(app)
                _ = try await app.makeAccount("org", role: .organisationDepartment)
                let org = Browser(app)
                try await org.login("org", "password-1234")
                try await org.get(SiteRoute.campaigns.path)
                let made = try await org.post(SiteRoute.campaigns.path, ["title": "2026年度考核", "kind": "annual", "year": "2026",
                                                                         "cutoff": "2026-12-31", "preset": "lushan-2022"])
                let campaign = made.headers.first(name: .location)!.components(separatedBy: "?")[0]
                let campaignID = try await Campaign.query(on: app.db).first()!.id!
                let c03 = try await app.cadreID("C03")!, c06 = try await app.cadreID("C06")!
                try await org.get(campaign)
                // Without a reason: refused, nothing changed.
                #expect(try await org.post(campaign + "/participation", ["cadre": c03.uuidString, "participates": "不参加", "reason": "", "confirm": "是"]).status == .unprocessableEntity)
                #expect(try await app.count("participation_changes") == 0)
                #expect(try await org.post(campaign + "/participation", ["cadre": c03.uuidString, "participates": "不参加", "reason": "长期借调外地", "confirm": "是"]).status == .seeOther)
                // The R-E6 retiree: taking part is confirmed (and still off the ballot: R-E6 keeps retirees out of the evaluation).
                #expect(try await org.post(campaign + "/participation", ["cadre": c06.uuidString, "participates": "参加", "reason": "退休前主持全年工作", "confirm": "是"]).status == .seeOther)
                let page = try await org.get(campaign).body.string
                #expect(page.contains("经组织部决定不参加本次考核：长期借调外地") && page.contains("经组织部决定参加本次考核：退休前主持全年工作"))
                let unitID = try await app.sql.raw("SELECT id FROM units WHERE code = 'U01'").first()!.decode(column: "id", as: UUID.self)
                _ = try await org.post(campaign + "/sessions", ["unit": unitID.uuidString, "heldOn": "2026-12-20", "categories": "班子成员 3"])
                let sheet = try await EvaluationSession.query(on: app.db).first()!.sheet()
                #expect(sheet.cadres.map(\.id) == ["C01", "C02", "C05", "C04"], "干部3 left out by the decision, 干部6 by R-E6")
                let result = try await org.get(SiteRoute.campaignResult(campaignID).path).body.string
                #expect(result.contains("<td>干部3</td><td>副镇长</td><td>不参加考核</td>"))
                struct R: Decodable { var reason: String? }
                let reasons = try await app.sql.raw("SELECT reason FROM audit_entries WHERE entity = 'campaign'").all(decoding: R.self).compactMap(\.reason)
                #expect(reasons.contains("长期借调外地") && reasons.contains("退休前主持全年工作"))
                // Back to the rules.
                #expect(try await org.post(campaign + "/participation", ["cadre": c03.uuidString, "participates": "按规则", "reason": "借调结束", "confirm": "是"]).status == .seeOther)
                #expect(try await app.count("participation_changes") == 1)
            }
        }
    }
}
