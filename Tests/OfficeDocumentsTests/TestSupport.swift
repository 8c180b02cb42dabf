import Foundation
import Testing

#if canImport(FoundationXML)
    import FoundationXML
#endif

@testable import OfficeDocuments

/// Checks that every .xml/.rels part of a package is well-formed XML (Foundation's parser).
func assertWellFormedParts(_ package: Data, sourceLocation: SourceLocation = #_sourceLocation) throws {
    let parts = try OfficePackage.unzip(package)
    #expect(!parts.isEmpty, sourceLocation: sourceLocation)
    for (path, data) in parts where path.hasSuffix(".xml") || path.hasSuffix(".rels") {
        let parser = XMLParser(data: data)
        let ok = parser.parse()
        #expect(ok, "\(path) is not well-formed: \(String(describing: parser.parserError))", sourceLocation: sourceLocation)
    }
}

func partText(_ package: Data, _ path: String) throws -> String {
    let parts = try OfficePackage.unzip(package)
    let data = try #require(parts[path], "missing part \(path)")
    return String(decoding: data, as: UTF8.self)
}

/// Builds an .xlsx from hand-written XML, so the reader is tested against XML it did not write.
func makePackage(_ parts: [(String, String)]) throws -> Data {
    try OfficePackage.zip(parts.map { (path: $0.0, data: Data($0.1.utf8)) })
}

let sheetMainNS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
let relNS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
