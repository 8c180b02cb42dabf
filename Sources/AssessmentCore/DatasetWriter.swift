import Foundation

extension Dataset {
    /// The dataset as the input contract (`../shared/spec/grading-io.md`) says it: what `kaohe grade --input` reads back
    /// into the same grading. The server stores it with an approved campaign, so that anyone can grade the approved
    /// input again and compare the output's hash.
    ///
    /// A cadre is written in the team it is assessed in (`teamIndex`), or the one the input named when the reader moved
    /// it (R-E2, R-E3/R-E4). A secondee whose original team is not named gets the team it is assessed in as
    /// `fromTeam`, so that reading it back keeps the cadre where it was graded. Numbers keep six
    /// decimals; keys come in a fixed order (the same dataset always gives the same bytes). Teams and cadres only: a
    /// campaign has no responsibility units or scorecards.
    public func inputJSON(policy: Policy) -> Data {
        var w = JSONWriter(pretty: false, capacity: 1 << 12)
        let teamOptions = policy.teamBallot.options.map(\.label)
        let cadreOptions = policy.cadreBallot.options.map(\.label)
        let teamCategories = (policy.teamBallot.voterCategories ?? []).map(\.name)
        let cadreCategories = (policy.cadreBallot.voterCategories ?? []).map(\.name)
        let partNames = policy.composite?.parts.map(\.name)

        func number(_ d: Double) { w.number(d, decimals: 6) }
        func votes(_ counts: [Int], _ labels: [String]) {
            w.beginObject()
            for (k, n) in counts.enumerated() where k < labels.count { w.key(labels[k]); w.int(n) }
            w.endObject()
        }
        func byCategory(_ counts: [[Int]?], _ categories: [String], _ labels: [String]) {
            w.beginObject()
            for (k, c) in counts.enumerated() where k < categories.count {
                guard let c else { continue }
                w.key(categories[k]); votes(c, labels)
            }
            w.endObject()
        }
        func parts(_ values: [Double?]) {
            w.beginObject()
            for (k, v) in values.enumerated() {
                guard let v else { continue }
                w.key(partNames.flatMap { k < $0.count ? $0[k] : nil } ?? "\(k + 1)")
                number(v)
            }
            w.endObject()
        }

        w.beginObject()
        if let year { w.field("year"); w.int(year) }
        w.field("cutoff"); w.string(cutoff.description)
        w.field("teams"); w.beginArray()
        for t in teams {
            w.beginObject()
            w.field("id"); w.string(t.id)
            if let name = t.name { w.field("name"); w.string(name) }
            w.field("category"); w.string(t.category)
            if let s = t.score { w.field("score"); number(s) }
            if let p = t.parts { w.field("parts"); parts(p) }
            if let v = t.votes { w.field("votes"); votes(v, teamOptions) }
            if let v = t.votesByCategory { w.field("votesByCategory"); byCategory(v, teamCategories, teamOptions) }
            if !t.events.isEmpty { w.field("events"); w.beginArray(); for e in t.events { w.string(e) }; w.endArray() }
            if let p = t.proposal { w.field("proposal"); w.string(p) }
            w.endObject()
        }
        w.endArray()
        w.field("cadres"); w.beginArray()
        for c in cadres {
            let team = c.teamIndex >= 0 && c.teamIndex < teams.count ? teams[c.teamIndex].id : c.team
            // Moved by R-E2 or R-E3/R-E4 when read: written as given, so that reading moves it the same way again.
            let given = c.postAfterCutoff ?? c.hostTeam ?? team
            w.beginObject()
            w.field("id"); w.string(c.id)
            if let name = c.name { w.field("name"); w.string(name) }
            w.field("team"); w.string(given)
            if c.principal { w.field("principal"); w.bool(true) }
            if c.separateList { w.field("separateList"); w.bool(true) }
            if let by = c.entrustedBy { w.field("entrustedBy"); w.string(by) }
            if let s = c.score { w.field("score"); number(s) }
            if let p = c.parts { w.field("parts"); parts(p) }
            if let v = c.votes { w.field("votes"); votes(v, cadreOptions) }
            if let v = c.votesByCategory { w.field("votesByCategory"); byCategory(v, cadreCategories, cadreOptions) }
            if let regular = c.regular {
                w.field("regular"); w.beginArray()
                for r in regular {
                    if let source = r.source {
                        w.beginObject(); w.field("grade"); w.string(r.grade); w.field("source"); w.string(source); w.endObject()
                    } else { w.string(r.grade) }
                }
                w.endArray()
            }
            let f = c.facts
            w.field("facts"); w.beginObject()
            w.field("leaveDays"); w.int(f.leaveDays)
            if let d = f.retiredOn { w.field("retiredOn"); w.string(d.description) }
            if f.underInvestigation { w.field("underInvestigation"); w.bool(true) }
            if f.villageTeam { w.field("villageTeam"); w.bool(true) }
            if f.interviewLead { w.field("interviewLead"); w.bool(true) }
            if let t = f.transfer {
                w.field("transfer"); w.beginObject()
                w.field("on"); w.string(t.on.description); w.field("fromTeam"); w.string(t.fromTeam)
                w.endObject()
            }
            if let s = f.secondment {
                w.field("secondment"); w.beginObject()
                if let level = s.fromLevel { w.field("fromLevel"); w.string(level) }
                if let m = s.monthsInHost { w.field("monthsInHost"); number(m) }
                w.field("fromTeam"); w.string(s.fromTeam ?? team)
                w.endObject()
            }
            w.endObject()
            if let p = c.proposal { w.field("proposal"); w.string(p) }
            w.endObject()
        }
        w.endArray()
        w.endObject()
        return Data(w.bytes)
    }
}
