import Foundation

/// A growable UTF-8 byte buffer for building XML parts quickly.
struct XMLBuffer {
    var bytes: [UInt8] = []

    init(capacity: Int = 4096) { bytes.reserveCapacity(capacity) }

    @inline(__always) mutating func raw(_ s: String) {
        var s = s
        s.withUTF8 { bytes.append(contentsOf: $0) }
    }

    @inline(__always) mutating func raw(_ b: [UInt8]) { bytes.append(contentsOf: b) }

    mutating func int(_ v: Int) {
        if v < 0 { bytes.append(UInt8(ascii: "-")) }
        var n = v.magnitude
        if n == 0 { bytes.append(UInt8(ascii: "0")); return }
        var tmp: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) =
            (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        var count = 0
        withUnsafeMutableBytes(of: &tmp) { p in
            while n > 0 {
                p[count] = UInt8(ascii: "0") + UInt8(n % 10)
                n /= 10
                count += 1
            }
            for i in stride(from: count - 1, through: 0, by: -1) { bytes.append(p[i]) }
        }
    }

    /// Appends `s` escaped for XML text or attribute content. Characters not allowed in XML 1.0
    /// are written with the OOXML `_xHHHH_` escape when `ooxmlEscapes` is set, otherwise dropped;
    /// a literal `_xHHHH_` in the text is protected as `_x005F_xHHHH_` in that mode.
    mutating func escaped(_ s: String, ooxmlEscapes: Bool = false) {
        var s = s
        s.withUTF8 { src in
            let n = src.count
            var i = 0
            while i < n {
                let c = src[i]
                switch c {
                case UInt8(ascii: "&"): raw(Self.amp)
                case UInt8(ascii: "<"): raw(Self.lt)
                case UInt8(ascii: ">"): raw(Self.gt)
                case UInt8(ascii: "\""): raw(Self.quot)
                case 0x09, 0x0A:
                    bytes.append(c)
                case 0x0D:
                    // Keep CR as a character reference so that XML end-of-line handling does not drop it.
                    raw(Self.cr)
                case 0x00..<0x20:
                    if ooxmlEscapes { hexEscape(UInt32(c)) }
                case UInt8(ascii: "_") where ooxmlEscapes && Self.looksLikeHexEscape(src, i):
                    raw(Self.underscoreEscape)
                case 0xEF where i + 2 < n && src[i + 1] == 0xBF && (src[i + 2] == 0xBE || src[i + 2] == 0xBF):
                    // U+FFFE / U+FFFF are not XML characters.
                    if ooxmlEscapes { hexEscape(src[i + 2] == 0xBE ? 0xFFFE : 0xFFFF) }
                    i += 2
                default:
                    bytes.append(c)
                }
                i += 1
            }
        }
    }

    private mutating func hexEscape(_ v: UInt32) {
        let hex = Array("0123456789ABCDEF".utf8)
        raw("_x")
        for shift in stride(from: 12, through: 0, by: -4) { bytes.append(hex[Int((v >> UInt32(shift)) & 0xF)]) }
        bytes.append(UInt8(ascii: "_"))
    }

    static func looksLikeHexEscape(_ p: UnsafeBufferPointer<UInt8>, _ i: Int) -> Bool {
        guard i + 6 < p.count, p[i + 1] == UInt8(ascii: "x") || p[i + 1] == UInt8(ascii: "X"),
            p[i + 6] == UInt8(ascii: "_")
        else { return false }
        for k in 2...5 where hexValue(p[i + k]) == nil { return false }
        return true
    }

    static let amp = Array("&amp;".utf8), lt = Array("&lt;".utf8), gt = Array("&gt;".utf8)
    static let quot = Array("&quot;".utf8), cr = Array("&#13;".utf8)
    static let underscoreEscape = Array("_x005F_".utf8)

    var data: Data { Data(bytes) }
}

@inline(__always) func hexValue(_ c: UInt8) -> UInt32? {
    switch c {
    case UInt8(ascii: "0")...UInt8(ascii: "9"): return UInt32(c - UInt8(ascii: "0"))
    case UInt8(ascii: "a")...UInt8(ascii: "f"): return UInt32(c - UInt8(ascii: "a") + 10)
    case UInt8(ascii: "A")...UInt8(ascii: "F"): return UInt32(c - UInt8(ascii: "A") + 10)
    default: return nil
    }
}

extension String {
    /// XML-escaped copy (text and attribute safe; characters XML does not allow are dropped).
    public var xmlEscaped: String {
        var b = XMLBuffer(capacity: utf8.count + 16)
        b.escaped(self)
        return String(decoding: b.bytes, as: UTF8.self)
    }

    /// `true` when the text must be written with `xml:space="preserve"`.
    var needsSpacePreserve: Bool {
        var previousSpace = false
        var first = true
        var last: UInt8 = 0
        for b in utf8 {
            let isSpace = b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D
            if isSpace && (first || previousSpace || b != 0x20) { return true }
            previousSpace = isSpace
            first = false
            last = b
        }
        if last == 0x20 { return true }
        // Unicode whitespace (e.g. U+3000 ideographic space) at either end.
        if let f = unicodeScalars.first, f.value > 0x7F, f.properties.isWhitespace { return true }
        if let l = unicodeScalars.last, l.value > 0x7F, l.properties.isWhitespace { return true }
        return false
    }
}

/// W3C date-time for docProps/core.xml.
func w3cDateTime(_ date: Date = Date()) -> String {
    let secs = Int(date.timeIntervalSince1970.rounded(.down))
    let days = secs >= 0 ? secs / 86400 : (secs - 86399) / 86400
    let rem = secs - days * 86400
    let c = ExcelDate.civilFromDays(days)
    func p2(_ v: Int) -> String { v < 10 ? "0\(v)" : "\(v)" }
    return "\(c.year)-\(p2(c.month))-\(p2(c.day))T\(p2(rem / 3600)):\(p2(rem % 3600 / 60)):\(p2(rem % 60))Z"
}

enum OOXML {
    static let xmlHeader = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
    static let relNS = "http://schemas.openxmlformats.org/package/2006/relationships"
    static let officeDocRel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"

    static func rootRels() -> String {
        xmlHeader + """
            <Relationships xmlns="\(relNS)">\
            <Relationship Id="rId1" Type="\(officeDocRel)/officeDocument" Target="%MAIN%"/>\
            <Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/>\
            <Relationship Id="rId3" Type="\(officeDocRel)/extended-properties" Target="docProps/app.xml"/>\
            </Relationships>
            """
    }

    static func coreProps(title: String?, creator: String, modified: Date = Date()) -> String {
        let now = w3cDateTime(modified)
        var s = xmlHeader
        s += "<cp:coreProperties xmlns:cp=\"http://schemas.openxmlformats.org/package/2006/metadata/core-properties\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\" xmlns:dcterms=\"http://purl.org/dc/terms/\" xmlns:dcmitype=\"http://purl.org/dc/dcmitype/\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\">"
        if let title, !title.isEmpty { s += "<dc:title>\(title.xmlEscaped)</dc:title>" }
        s += "<dc:creator>\(creator.xmlEscaped)</dc:creator>"
        s += "<cp:lastModifiedBy>\(creator.xmlEscaped)</cp:lastModifiedBy>"
        s += "<dcterms:created xsi:type=\"dcterms:W3CDTF\">\(now)</dcterms:created>"
        s += "<dcterms:modified xsi:type=\"dcterms:W3CDTF\">\(now)</dcterms:modified>"
        s += "</cp:coreProperties>"
        return s
    }

    static func appProps(application: String = "Kaohe") -> String {
        xmlHeader
            + "<Properties xmlns=\"http://schemas.openxmlformats.org/officeDocument/2006/extended-properties\" xmlns:vt=\"http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes\"><Application>\(application)</Application><DocSecurity>0</DocSecurity><ScaleCrop>false</ScaleCrop><LinksUpToDate>false</LinksUpToDate><SharedDoc>false</SharedDoc><HyperlinksChanged>false</HyperlinksChanged><AppVersion>16.0300</AppVersion></Properties>"
    }
}
