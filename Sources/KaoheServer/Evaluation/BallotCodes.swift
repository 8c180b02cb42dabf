import Foundation
import SQLKit
import Vapor

/// One-time codes (测评码): 10 characters of an alphabet without the look-alikes 0/O, 1/I/l (32 symbols: 50 bits from
/// the system's cryptographic generator), printed as `ABCDE-FGHJK`. Only their keyed hashes are stored; the codes
/// themselves exist only on the slips printed when they are issued.
enum BallotCodes {
    static let alphabet = Array("23456789ABCDEFGHJKLMNPQRSTUVWXYZ")
    static let length = 10

    static func generate() -> String {
        var generator = SystemRandomNumberGenerator()
        // 256 is a multiple of 32: the low five bits of a random byte are uniform.
        let symbols = (0..<length).map { _ in alphabet[Int(UInt8.random(in: .min ... .max, using: &generator) & 31)] }
        return String(symbols.prefix(5)) + "-" + String(symbols.suffix(5))
    }

    /// The code as typed (spaces, dashes, lower case allowed), or nil when it cannot be a code.
    static func normalize(_ typed: String) -> String? {
        let chars = typed.uppercased().filter { !$0.isWhitespace && $0 != "-" }
        guard chars.count == length, chars.allSatisfy(alphabet.contains) else { return nil }
        return String(chars)
    }

    /// Issues `count` new codes of `category` for a session; returns them (the only time they are seen).
    static func issue(_ count: Int, category: String, session: UUID, seal: AuditSeal, on sql: any SQLDatabase) async throws -> [String] {
        let codes = (0..<count).map { _ in generate() }
        for chunk in stride(from: 0, to: codes.count, by: 500) {
            let insert = sql.insert(into: "ballot_codes").columns("hash", "session_id", "category", "used")
            for code in codes[chunk..<min(chunk + 500, codes.count)] {
                insert.values(SQLBind(seal.ballotCode(normalize(code)!)), SQLBind(session), SQLBind(category), SQLBind(false))
            }
            try await insert.run()
        }
        return codes
    }

    /// Per category: codes issued, codes used (phone ballots), paper ballots.
    struct Turnout: Encodable, Sendable {
        var category: String
        var expected: Int
        var issued = 0
        var used = 0
        var paper = 0
        /// Phone and paper: the ballots counted.
        var ballots = 0
        /// Paper sheets both entries call void (废票).
        var void = 0

        /// The 合计 line of `lines`.
        static func total(_ lines: [Turnout]) -> Turnout {
            var t = Turnout(category: "合计", expected: lines.reduce(0) { $0 + $1.expected })
            for l in lines { t.issued += l.issued; t.used += l.used; t.paper += l.paper; t.ballots += l.ballots; t.void += l.void }
            return t
        }
    }

    static func turnout(_ session: EvaluationSession, on sql: any SQLDatabase) async throws -> [Turnout] {
        struct C: Decodable { var category: String; var used: Bool; var n: Int }
        struct P: Decodable { var category: String; var n: Int }
        let id = try session.requireID()
        let codes = try await sql.raw("""
            SELECT category, used, COUNT(*) AS n FROM ballot_codes WHERE session_id = \(bind: id) GROUP BY category, used
            """).all(decoding: C.self)
        let paper = try await sql.raw("""
            SELECT category, COUNT(*) AS n FROM ballots WHERE session_id = \(bind: id) AND source = 'paper' GROUP BY category
            """).all(decoding: P.self)
        let voids = try await PaperBallots.voids(session: id, on: sql)
        return session.categories.map { c in
            var t = Turnout(category: c.name, expected: c.expected)
            for row in codes where row.category == c.name {
                t.issued += row.n
                if row.used { t.used += row.n }
            }
            t.paper = paper.filter { $0.category == c.name }.reduce(0) { $0 + $1.n }
            t.ballots = t.used + t.paper
            t.void = voids[c.name] ?? 0
            return t
        }
    }
}

/// Reminders about who should be at the meeting (seed 003 §五(二) 参加座谈人员范围): a county department of fewer than
/// 30 people takes part as a whole; a township brings, besides its cadres and village secretaries, at least 10 Party
/// congress delegates, people's congress deputies and CPPCC members. Shown on the session page; they do not stop it.
enum SessionScope {
    static func warnings(unitCategory: String, categories: [EvaluationSession.Category]) -> [String] {
        var result: [String] = []
        let total = categories.reduce(0) { $0 + $1.expected }
        if unitCategory.contains("县直"), total < 30 {
            result.append("应到 \(total) 人，不足 30 人：本部门人数 30 人以下的，应由全体人员参加（seed 003 §五(二)）。")
        }
        if unitCategory.contains("乡镇") || unitCategory.contains("街道") {
            let named = ["党代表", "人大代表", "政协委员", "两代表"]
            let representatives = categories.filter { c in named.contains { c.name.contains($0) } }.reduce(0) { $0 + $1.expected }
            if representatives < 10 {
                result.append("党代表、人大代表、政协委员应到 \(representatives) 人：乡镇（街道）参会人数原则上不少于 10 人（seed 003 §五(二)），可增加「两代表一委员」类别。")
            }
        }
        return result
    }
}
