import Foundation
import Vapor

extension Response {
    /// The headers of a download named `filename` (UTF-8 name, an ASCII fallback).
    func attach(filename: String, contentType: String, fallback: String) {
        headers.replaceOrAdd(name: .contentType, value: contentType)
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        let encoded = filename.addingPercentEncoding(withAllowedCharacters: allowed) ?? fallback
        headers.replaceOrAdd(name: .contentDisposition, value: "attachment; filename=\"\(fallback)\"; filename*=UTF-8''\(encoded)")
    }

    /// The headers of an .xlsx download named `filename`.
    func attachXLSX(filename: String) {
        attach(filename: filename, contentType: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", fallback: "kaohe.xlsx")
    }

    static func xlsx(_ data: Data, filename: String) -> Response {
        let response = Response(status: .ok, body: .init(data: data))
        response.attachXLSX(filename: filename)
        return response
    }

    static func docx(_ data: Data, filename: String) -> Response {
        let response = Response(status: .ok, body: .init(data: data))
        response.attach(filename: filename, contentType: "application/vnd.openxmlformats-officedocument.wordprocessingml.document", fallback: "kaohe.docx")
        return response
    }

    static func pdf(_ data: Data, filename: String) -> Response {
        let response = Response(status: .ok, body: .init(data: data))
        response.attach(filename: filename, contentType: "application/pdf", fallback: "material.pdf")
        return response
    }
}
