import Testing
@testable import AssessmentCore

@Suite("Democratic-evaluation ballot (测评票)")
struct BallotSheetTests {
    static let team = BallotSheet.Subject(id: "U01", name: "城关镇领导班子", title: "领导班子")
    static func cadres(_ n: Int) -> [BallotSheet.Subject] { (1...n).map { .init(id: "C\($0)", name: "干部\($0)", title: "副镇长") } }

    static func complete(_ sheet: BallotSheet, cadre: (Int) -> String = { _ in "称职" }) -> [String: String] {
        var answers: [String: String] = [:]
        for item in sheet.items { answers[item.key] = item.key.hasPrefix("team") ? "较好" : "称职" }
        for i in sheet.cadres.indices { answers[BallotSheet.cadreKey(position: i)] = cadre(i) }
        return answers
    }

    @Test("R-S1 (seeds 001, 002, 003): the team is rated overall and on 政治思想建设、领导能力、工作实绩、党风廉政建设、作风建设; each cadre overall and on 德能勤绩廉, with the policy's options")
    func items() {
        let sheet = BallotSheet(policy: Presets.lushan2022, team: Self.team, cadres: Self.cadres(2))
        let items = sheet.items
        #expect(items.count == 6 + 2 * 6)
        #expect(items.prefix(6).map(\.aspect) == ["总体评价", "政治思想建设", "领导能力", "工作实绩", "党风廉政建设", "作风建设"])
        #expect(items[6...11].map(\.aspect) == ["总体评价", "德", "能", "勤", "绩", "廉"])
        #expect(items[0].options == ["好", "较好", "一般", "差"] && items[6].options == ["优秀", "称职", "基本称职", "不称职"])
        #expect(items.map(\.key).prefix(7) == ["team", "team.1", "team.2", "team.3", "team.4", "team.5", "c1"])
        #expect(sheet.problems(Self.complete(sheet)).isEmpty)
    }

    @Test("An incomplete ballot names every missing item; options and items not on the ballot are refused")
    func incomplete() {
        let sheet = BallotSheet(policy: Presets.lushan2022, team: Self.team, cadres: Self.cadres(2))
        var answers = Self.complete(sheet)
        answers["team.3"] = nil
        answers["c2.5"] = ""
        answers["c1"] = "好"          // a team option on a cadre
        answers["c9"] = "优秀"         // not on this ballot
        let problems = sheet.problems(answers)
        #expect(problems.contains(.missing(key: "team.3", subject: "城关镇领导班子", aspect: "工作实绩")))
        #expect(problems.contains(.missing(key: "c2.5", subject: "干部2", aspect: "廉")))
        #expect(problems.contains(.notAnOption(key: "c1", value: "好")))
        #expect(problems.contains(.unknownItem(key: "c9")))
        #expect(problems.count == 4)
        #expect(problems[0].description == "「城关镇领导班子」的「工作实绩」未选择")
    }

    @Test("Seed 001 §二(一) 年度考核测评需严格按照优秀20%比例: a ballot of 10 cadres may mark 2 优秀, not 3 (county-2019 maxBestShare 20, rounded down)")
    func bestShare() {
        let sheet = BallotSheet(policy: Presets.county2019, team: Self.team, cadres: Self.cadres(10))
        #expect(sheet.maxBest == 2)
        #expect(sheet.problems(Self.complete(sheet) { $0 < 2 ? "优秀" : "称职" }).isEmpty)
        #expect(sheet.problems(Self.complete(sheet) { $0 < 3 ? "优秀" : "称职" }) == [.tooManyBest(best: "优秀", allowed: 2, given: 3)])
        // Four cadres: 20% of 4 rounds down to 0 — no 优秀 on such a ballot.
        #expect(BallotSheet(policy: Presets.county2019, team: nil, cadres: Self.cadres(4)).maxBest == 0)
        // A policy without the limit (lushan-2022) takes any number.
        let free = BallotSheet(policy: Presets.lushan2022, team: nil, cadres: Self.cadres(10))
        #expect(free.maxBest == nil && free.problems(Self.complete(free) { _ in "优秀" }).isEmpty)
    }

    @Test("The tally counts each item's options over the ballots; unknown answers are not counted")
    func tally() {
        let sheet = BallotSheet(policy: Presets.lushan2022, team: Self.team, cadres: Self.cadres(1))
        var a = Self.complete(sheet), b = Self.complete(sheet)
        a["team"] = "好"; b["team"] = "差"; b["c1"] = "优秀"; b["c7"] = "优秀"
        let counts = sheet.tally([a, b, a])
        #expect(counts["team"] == [2, 0, 0, 1])
        #expect(counts["c1"] == [1, 2, 0, 0])
        #expect(counts["team.1"] == [0, 3, 0, 0])
        #expect(counts["c7"] == nil)
    }

    @Test("The packed form: one character per item for the option's position; it unpacks to the same answers and counts like them; a packed ballot of another sheet is not counted")
    func packed() throws {
        let sheet = BallotSheet(policy: Presets.lushan2022, team: Self.team, cadres: Self.cadres(2))
        var a = Self.complete(sheet)
        a["team"] = "差"; a["c2"] = "优秀"
        let packed = try #require(sheet.packed(a))
        #expect(packed == "311111" + "111111" + "011111")
        #expect(sheet.unpacked(packed[...]) == a)
        var counter = BallotSheet.Counter(sheet)
        let added = counter.add(packed: packed[...])
        #expect(added)
        #expect(counter.counts == sheet.tally([a]))
        for bad in ["31111", "3111111111111111111", "4" + String(packed.dropFirst()), "z" + String(packed.dropFirst())] {
            let added = counter.add(packed: bad[...])
            #expect(!added && sheet.unpacked(bad[...]) == nil, "\(bad)")
        }
        #expect(counter.counts == sheet.tally([a]), "nothing of a refused one counted")
        a["c1"] = nil
        #expect(sheet.packed(a) == nil, "an incomplete ballot has no packed form")
    }

    @Test("Item keys are by position: cadre codes with dots or brackets (\"A\", \"A.1\", \"G[1]\") never collide or break a form")
    func keysByPosition() {
        let odd = [BallotSheet.Subject(id: "A", name: "甲", title: "副镇长"), .init(id: "A.1", name: "乙", title: "副镇长"), .init(id: "G[1]", name: "丙", title: "委员")]
        let sheet = BallotSheet(policy: Presets.lushan2022, team: nil, cadres: odd)
        let keys = sheet.items.map(\.key)
        #expect(Set(keys).count == keys.count && keys.allSatisfy { $0.allSatisfy { $0.isLetter || $0.isNumber || $0 == "." } })
        #expect(sheet.cadreKey("A.1") == "c2" && sheet.cadreKey("G[1]", 4) == "c3.5" && sheet.cadreKey("Z") == nil)
        #expect(sheet.tally([Self.complete(sheet)])["c2"] == [0, 1, 0, 0])
    }

    @Test("A ballot sent as JSON (docs/ballot-api.md) is read with its code, answers and comment; other members are skipped; anything else is no submission")
    func submissionFromJSON() {
        func decode(_ text: String) -> BallotSubmission? {
            Array(text.utf8).withUnsafeBytes { BallotSubmission.decode($0) }
        }
        let full = decode(#"{"code":"ABCDE-FGH23","answers":{"team":"好","c1.2":"称\u804c","x\"y":"a\nb"},"comment":"意见","client":{"v":[1,2]}}"#)
        #expect(full == BallotSubmission(code: "ABCDE-FGH23", answers: ["team": "好", "c1.2": "称职", "x\"y": "a\nb"], comment: "意见"))
        #expect(decode(#" {"answers":{},"code":"A","comment":null} "#) == BallotSubmission(code: "A", answers: [:], comment: nil))
        for bad in [#"{"code":5,"answers":{}}"#, #"{"code":"A"}"#, #"{"answers":{}}"#, #"{"code":"A","answers":{"team":1}}"#,
                    #"{"code":"A","answers":[]}"#, #"{"code":"A","answers":{}} x"#, #"["code"]"#, "", #"{"code":"A","answers":{"#] {
            #expect(decode(bad) == nil, "\(bad)")
        }
        // A million levels of nesting in a member that is skipped: an error, not a stack overflow that ends the server.
        let deep = #"{"code":"A","answers":{},"x":"# + String(repeating: "[", count: 1_000_000) + String(repeating: "]", count: 1_000_000) + "}"
        #expect(decode(deep) == nil)
        let shallow = #"{"code":"A","answers":{},"x":"# + String(repeating: "[", count: 100) + String(repeating: "]", count: 100) + "}"
        #expect(decode(shallow) == BallotSubmission(code: "A", answers: [:], comment: nil))
    }
}
