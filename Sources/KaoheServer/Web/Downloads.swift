import Foundation
import Vapor

extension Response {
    /// The headers of an .xlsx download named `filename` (UTF-8 name, an ASCII fallback).
    func attachXLSX(filename: String) {
        headers.replaceOrAdd(name: .contentType, value: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        let encoded = filename.addingPercentEncoding(withAllowedCharacters: allowed) ?? "kaohe.xlsx"
        headers.replaceOrAdd(name: .contentDisposition, value: "attachment; filename=\"kaohe.xlsx\"; filename*=UTF-8''\(encoded)")
    }

    static func xlsx(_ data: Data, filename: String) -> Response {
        let response = Response(status: .ok, body: .init(data: data))
        response.attachXLSX(filename: filename)
        return response
    }
}
