import Foundation

/// The text of a Word document (.docx): paragraphs of `word/document.xml` in order, one per line; tabs and breaks as
/// whitespace. A text box's text is taken once (Word stores it twice: in `mc:Choice` and again in `mc:Fallback`).
/// Read under `OfficeLimits` like every package (a zip bomb is refused, not inflated).
public enum DOCXText {
    public static func plainText(_ data: Data, limits: OfficeLimits = .standard) throws -> String {
        let package = try PackageReader(data, format: ".docx", limits: limits)
        guard package.has("word/document.xml") else { throw OfficeDocumentError.missingPart("word/document.xml") }
        let xml = try package.part("word/document.xml")
        var out: [UInt8] = []
        out.reserveCapacity(xml.count / 4)
        xml.withUnsafeBytes { raw in
            let p = raw.bindMemory(to: UInt8.self)
            var t = XMLTokenizer(p)
            var inText = false
            var fallback = 0
            let fallbackName = Array("Fallback".utf8)
            while let event = t.next() {
                switch event {
                case .start(let tag):
                    if t.name(tag, is: fallbackName) { if !tag.selfClosing { fallback += 1 }; continue }
                    if fallback > 0 { continue }
                    if t.name(tag, is: Array("t".utf8)) { inText = !tag.selfClosing }
                    else if t.name(tag, is: Array("tab".utf8)) { out.append(0x09) }
                    else if t.name(tag, is: Array("br".utf8)) || t.name(tag, is: Array("cr".utf8)) { out.append(0x0A) }
                case .end(let tag):
                    if t.name(tag, is: fallbackName) { fallback = max(0, fallback - 1); continue }
                    if fallback > 0 { continue }
                    if t.name(tag, is: Array("t".utf8)) { inText = false }
                    else if t.name(tag, is: Array("p".utf8)) { out.append(0x0A) }
                case .text(let s, let e), .cdata(let s, let e):
                    if inText && fallback == 0 { XMLText.appendDecoded(p, s, e, into: &out) }
                }
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}
