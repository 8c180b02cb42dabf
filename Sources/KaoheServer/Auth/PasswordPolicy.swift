import Foundation

/// What a new password must satisfy (the account's own change, an administrator's reset, a new account).
enum PasswordPolicy {
    /// bcrypt reads only the first 72 bytes of a password; a longer one would be cut silently.
    static let maxBytes = 72

    static func problems(_ password: String, username: String) -> [String] {
        var p: [String] = []
        if password.count < Settings.minimumPasswordLength { p.append("新密码至少 \(Settings.minimumPasswordLength) 个字符。") }
        if password.utf8.count > maxBytes { p.append("新密码最长 \(maxBytes) 个字节（约 24 个汉字或 72 个英文字符）。") }
        let lower = password.lowercased()
        let name = username.lowercased()
        if lower == name { p.append("密码不能与用户名相同。") }
        else if isCommon(lower, username: name) { p.append("密码过于常见或容易猜到（如 1234567890、password123、含用户名），请换一个。") }
        return p
    }

    /// A password from the shipped list of common ones, or of an easily guessed shape.
    static func isCommon(_ lower: String, username: String) -> Bool {
        if CommonPasswords.list.contains(lower) { return true }
        let scalars = Array(lower.unicodeScalars)
        guard let first = scalars.first else { return true }
        if scalars.allSatisfy({ $0 == first }) { return true }  // aaaaaaaaaa
        if username.count >= 3, lower.contains(username) { return true }
        // A run of digits going up or down by one (1234567890, 9876543210, 3456789012).
        let digits = scalars.compactMap { $0.properties.numericType != nil ? Int($0.value) - 48 : nil }
        if digits.count == scalars.count {
            let up = zip(digits, digits.dropFirst()).allSatisfy { ($0 + 1) % 10 == $1 }
            let down = zip(digits, digits.dropFirst()).allSatisfy { ($1 + 1) % 10 == $0 }
            if up || down { return true }
        }
        // A common word followed only by digits and symbols (password2026!, admin@12345, kaohe123456).
        let stem = String(lower.prefix { $0.isLetter })
        let rest = lower.dropFirst(stem.count)
        if CommonPasswords.stems.contains(stem), rest.allSatisfy({ !$0.isLetter }) { return true }
        return false
    }
}
