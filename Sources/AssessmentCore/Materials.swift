import Foundation

/// R-P3 (seed 002 §三(一) 领导班子工作总结…不超过3500字；述职述廉述学报告…不超过3000字; seed 003 §五(一) 3500 字左右,
/// 2000 字左右; seed 001 §一(三)1 述职述法报告一般要求在2500字左右): how long a team's summary and a cadre's report
/// may be, in 字.
public struct LengthRule: Codable, Equatable, Sendable {
    public var chars: Int
    /// true: 不超过 — more is over the limit; false: 左右 — more than a fifth over is flagged (the presets' reading of
    /// "about"; the seeds give no tolerance).
    public var atMost: Bool
    public init(chars: Int, atMost: Bool) { self.chars = chars; self.atMost = atMost }

    /// What is wrong with a text of `count` 字, if anything.
    public func problem(count: Int) -> String? {
        if atMost {
            return count > chars ? "\(count) 字，超过规定的 \(chars) 字（R-P3）" : nil
        }
        return count * 5 > chars * 6 ? "\(count) 字，超出要求的 \(chars) 字左右逾五分之一（R-P3）" : nil
    }
}

public struct MaterialRules: Codable, Equatable, Sendable {
    /// 领导班子工作总结.
    public var teamSummary: LengthRule?
    /// 领导干部述职述廉述学（述职述法）报告.
    public var cadreReport: LengthRule?
    /// R-P6 (seed 002 §三(二)2 考核工作开始前对领导班子工作实绩进行公示): a team's 实绩清单 is published, and the
    /// publicity over, before its democratic evaluation.
    public var publicity: Bool?
    public init(teamSummary: LengthRule? = nil, cadreReport: LengthRule? = nil, publicity: Bool? = nil) {
        self.teamSummary = teamSummary; self.cadreReport = cadreReport; self.publicity = publicity
    }
}

public enum CharacterCount {
    /// 字数 as Chinese word processors count it: each CJK character and each full-width punctuation mark is one, each
    /// run of Latin letters or digits is one; spaces and line breaks are none.
    public static func count(_ text: String) -> Int {
        var n = 0
        var inWord = false
        for scalar in text.unicodeScalars {
            if scalar.properties.isWhitespace { inWord = false; continue }
            if scalar.isASCII && (scalar.properties.isAlphabetic || ("0"..."9").contains(scalar)) {
                if !inWord { n += 1; inWord = true }
                continue
            }
            inWord = false
            n += 1
        }
        return n
    }
}
