import Foundation

/// How an organisation department tells posts apart by title.
enum PostOrder {
    /// The kind of a 主要负责人 (党政正职): a team has one party principal (党委书记, 党组书记) and one administrative
    /// principal (镇长, 局长, 主任…); two of the same kind are worth a look.
    static func principalKind(_ title: String) -> String {
        title.contains("书记") ? "党组织" : "行政"
    }
}
