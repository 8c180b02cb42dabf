import OfficeDocuments

/// Text normalisation shared by header matching and cell parsing.
enum SheetText {
    /// Full-width ASCII (Ａ, （, ／, ０…) → half-width; ideographic space → space; trimmed.
    static func halfWidth(_ s: String) -> String {
        // Fast path: nothing full-width and nothing to trim (most cells of a roster).
        if !s.unicodeScalars.contains(where: { $0.value == 0x3000 || (0xFF01...0xFF5E).contains($0.value) }) {
            return trim(s)
        }
        var out = String.UnicodeScalarView()
        for u in s.unicodeScalars {
            if u.value == 0x3000 { out.append(" ") }
            else if (0xFF01...0xFF5E).contains(u.value), let h = Unicode.Scalar(u.value - 0xFEE0) { out.append(h) }
            else { out.append(u) }
        }
        return trim(String(out))
    }

    /// A person's name as stored and searched: full-width and ideographic spaces are spaces, spaces between
    /// Chinese characters are removed (「李　娜」, 「李 娜」 → 「李娜」), other runs of spaces become one
    /// (「Ahmat  Tursun」 → 「Ahmat Tursun」).
    static func personName(_ s: String) -> String {
        let t = halfWidth(s)
        guard t.unicodeScalars.contains(where: isSpace) else { return t }
        let chars = Array(t)
        var out = ""
        var i = 0
        while i < chars.count {
            guard chars[i].unicodeScalars.allSatisfy(isSpace) else { out.append(chars[i]); i += 1; continue }
            var j = i
            while j < chars.count, chars[j].unicodeScalars.allSatisfy(isSpace) { j += 1 }
            if let before = out.last, j < chars.count, !isCJK(before) && !isCJK(chars[j]) { out.append(" ") }
            i = j
        }
        return out
    }

    /// Search text for names and codes: no spaces at all (names are stored without spaces between Chinese characters).
    static func searchKey(_ s: String) -> String {
        String(String.UnicodeScalarView(halfWidth(s).unicodeScalars.filter { !isSpace($0) }))
    }

    private static func isCJK(_ c: Character) -> Bool {
        c.unicodeScalars.contains { (0x2E80...0x9FFF).contains($0.value) || (0xF900...0xFAFF).contains($0.value) || (0x20000...0x3FFFF).contains($0.value) || $0.value == 0x00B7 }
    }

    /// A stored date as people read it: a year and month (`1978-05`, 出生年月) as 「1978.05」, as 干部任免审批表 write it;
    /// a day unchanged. Both read back the same (`SheetCell.date`).
    static func shownDate(_ stored: String) -> String {
        let u = Array(stored.utf8)
        guard u.count == 7, u[4] == UInt8(ascii: "-") else { return stored }
        return String(stored.prefix(4)) + "." + String(stored.suffix(2))
    }

    /// A header cell reduced to its name: half-width, no spaces, no `(…)` hint, no required-mark `*`.
    static func headerKey(_ s: String) -> String {
        var t = halfWidth(s)
        if let open = t.firstIndex(of: "(") { t = String(t[..<open]) }
        t.removeAll { $0 == "*" || $0.isWhitespace }
        return t
    }

    /// A cell as trimmed text (full-width characters of names kept); integral numbers without fraction.
    static func text(_ cell: CellValue) -> String {
        switch cell {
        case .text(let s): return trim(s)
        default: return cell.textValue
        }
    }

    /// Trims whitespace, newlines, ideographic spaces and BOMs; returns `s` itself when there is nothing to trim.
    static func trim(_ s: String) -> String {
        guard let first = s.unicodeScalars.first, let last = s.unicodeScalars.last else { return s }
        if !isSpace(first) && !isSpace(last) { return s }
        let scalars = s.unicodeScalars
        guard let start = scalars.firstIndex(where: { !isSpace($0) }) else { return "" }
        let end = scalars.lastIndex(where: { !isSpace($0) })!
        return String(scalars[start...end])
    }

    private static func isSpace(_ u: Unicode.Scalar) -> Bool {
        // ASCII and CJK first: Unicode's property table is slow, and a roster has millions of cells.
        if u.value < 0x80 { return u.value == 0x20 || (0x09...0x0D).contains(u.value) }
        if u.value >= 0x3001 && u.value < 0xFEFF { return false }
        return u.properties.isWhitespace || u.value == 0xFEFF || u.value == 0x3000
    }
}
