import AssessmentCore
import Foundation
import SQLKit

/// 测评结果统计表 as the pages show it (issue 12): for the team and each cadre on the ballot, every item (the overall
/// rating and each aspect) with its votes and shares in total and per participant category, the subject's vote score
/// and triggers, and a chart of the shares (SVG). The .xlsx of the same table is `SessionController.tallySheet`.
struct TallyReport: Sendable {
    struct OptionCount: Encodable, Sendable { var label: String; var count: Int; var share: String }
    struct Line: Encodable, Sendable { var category: String; var ballots: Int; var counts: [OptionCount] }
    struct ItemRow: Encodable, Sendable {
        var aspect: String
        var counts: [OptionCount]
        /// The same votes by participant category (only the categories that voted).
        var byCategory: [Line]
    }
    struct Subject: Encodable, Sendable {
        var name: String; var title: String; var voteScore: String?
        var items: [ItemRow]; var triggers: [String]
        /// The shares of every item as stacked bars.
        var chart: String
    }

    var subjects: [Subject]

    static func counts(_ options: [String], _ votes: [Int]?) -> [OptionCount] {
        let votes = votes ?? Array(repeating: 0, count: options.count)
        let total = votes.reduce(0, +)
        return zip(options, votes).map { OptionCount(label: $0, count: $1, share: Chart.percent($1, total)) }
    }

    /// The report of a closed session's tally; `categories` in the session's order.
    init(tally: SessionTally, scores: SessionTally.Scores, unitCode: String, categories: [String]) {
        let sheet = tally.sheet
        func row(_ item: BallotSheet.Item) -> ItemRow {
            ItemRow(aspect: item.aspect, counts: Self.counts(item.options, tally.total[item.key]),
                    byCategory: categories.compactMap { name in
                        guard let votes = tally.byCategory[name]?[item.key], votes.reduce(0, +) > 0 else { return nil }
                        return Line(category: name, ballots: votes.reduce(0, +), counts: Self.counts(item.options, votes))
                    })
        }
        func subject(name: String, title: String, score: Double?, items: [BallotSheet.Item], code: String) -> Subject {
            let chart = BarChart(title: "\(name) 测评票各选项占比", series: items.first?.options ?? [],
                                 rows: items.map { .init(label: $0.aspect, values: tally.total[$0.key] ?? []) }, scale: .shares)
            return Subject(name: name, title: title, voteScore: score.map { String(format: "%.2f", $0) }, items: items.map(row),
                           triggers: scores.triggers.filter { $0.subject == code }.map { "\($0.rule) \($0.message)" }, chart: chart.svg())
        }
        let items = sheet.items
        var subjects: [Subject] = []
        if let team = sheet.team {
            subjects.append(subject(name: team.name, title: "领导班子", score: scores.team, items: items.filter { $0.cadre == nil }, code: unitCode))
        }
        for (i, c) in sheet.cadres.enumerated() {
            subjects.append(subject(name: c.name, title: c.title, score: scores.cadres[c.id], items: items.filter { $0.cadre == i }, code: c.id))
        }
        self.subjects = subjects
    }
}
