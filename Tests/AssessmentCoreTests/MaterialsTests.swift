import Foundation
import Testing
@testable import AssessmentCore

@Suite("Materials: R-P3 report lengths")
struct MaterialsTests {
    @Test("字数: each CJK character and full-width mark is one, a run of Latin letters or digits is one, whitespace none")
    func counting() {
        #expect(CharacterCount.count("学习贯彻，落实。") == 8)
        #expect(CharacterCount.count("完成 GDP 增长 6.5% 的目标\n2022 年") == 14)  // 完 成 GDP 增 长 6 . 5 % 的 目 标 2022 年
        #expect(CharacterCount.count("   \n\t") == 0)
    }

    @Test("R-P3 (seed 002 §三(一) 不超过3500字 / 不超过3000字): puyang-2020 flags 3001 字, not 3000")
    func atMost() throws {
        let rule = try #require(Presets.puyang2020.materials?.cadreReport)
        #expect(rule == LengthRule(chars: 3000, atMost: true))
        #expect(rule.problem(count: 3000) == nil)
        #expect(rule.problem(count: 3001)?.contains("超过规定的 3000 字") == true)
        #expect(Presets.puyang2020.materials?.teamSummary == LengthRule(chars: 3500, atMost: true))
    }

    @Test("R-P3 (seed 003 §五(一) 2000 字左右; seed 001 §一(三)1 2500字左右): 'about' is flagged only beyond a fifth over, as the notes say")
    func about() throws {
        let lushan = try #require(Presets.lushan2022.materials?.cadreReport)
        #expect(lushan == LengthRule(chars: 2000, atMost: false))
        #expect(lushan.problem(count: 2400) == nil)
        #expect(lushan.problem(count: 2401) != nil)
        #expect(Presets.county2019.materials?.cadreReport == LengthRule(chars: 2500, atMost: false))
        #expect(Presets.county2019.materials?.teamSummary == nil, "seed 001 gives no length for the team's summary")
        #expect(Presets.lushan2022.notes.contains { $0.contains("R-P3") && $0.contains("五分之一") })
    }

    @Test("A policy file's materials travel through encode and decode; a policy without them reads as none")
    func policyField() throws {
        let again = try Policy.decode(Presets.puyang2020.encodedJSON())
        #expect(again.materials == Presets.puyang2020.materials)
        var bare = Presets.puyang2020
        bare.materials = nil
        #expect(try Policy.decode(bare.encodedJSON()).materials == nil)
    }
}
