import AssessmentCore

/// A ballot as a form (the voter's phone page and the staff's paper-entry page): subjects with their items, the
/// options as radio buttons, what was chosen kept, what is missing marked.
enum BallotForm {
    struct Option: Encodable { var label: String; var checked: Bool }
    struct Item: Encodable { var key: String; var aspect: String; var options: [Option]; var missing: Bool }
    struct Subject: Encodable { var name: String; var title: String; var items: [Item] }

    static func subjects(_ sheet: BallotSheet, answers: [String: String], problems: [BallotSheet.Problem]) -> [Subject] {
        let missing = Set(problems.compactMap(\.key))
        var subjects: [Subject] = []
        for item in sheet.items {
            let row = Item(key: item.key, aspect: item.aspect,
                           options: item.options.map { Option(label: $0, checked: answers[item.key] == $0) },
                           missing: missing.contains(item.key))
            if let last = subjects.last, last.name == item.subject, item.aspect != "总体评价" {
                subjects[subjects.count - 1].items.append(row)
            } else {
                let title = item.cadre.map { sheet.cadres[$0].title } ?? sheet.team?.title ?? "领导班子"
                subjects.append(Subject(name: item.subject, title: title, items: [row]))
            }
        }
        return subjects
    }

    static func maxBestHint(_ sheet: BallotSheet) -> String? {
        sheet.maxBest.map { "评为「\(sheet.cadreOptions.first ?? "")」的干部不超过 \($0) 人" }
    }

    /// The answers of a submitted form: every field but the ones the page adds itself.
    static func answers(_ form: [String: String], besides fields: Set<String>) -> [String: String] {
        form.filter { !fields.contains($0.key) && !$0.key.hasPrefix("_") }
    }
}
