import Foundation

/// What a new password must satisfy (forms of the account itself and of the administrator).
enum PasswordPolicy {
    static func problems(_ password: String, username: String) -> [String] {
        var p: [String] = []
        if password.count < Settings.minimumPasswordLength { p.append("新密码至少 \(Settings.minimumPasswordLength) 个字符。") }
        if password.lowercased() == username.lowercased() { p.append("密码不能与用户名相同。") }
        return p
    }
}
