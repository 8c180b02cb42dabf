/// Common passwords of ten characters or more (shorter ones fail the length rule anyway), from the lists of
/// leaked passwords most often tried, with the Chinese favourites (woaini1314, 5201314…) and this system's own
/// words; compared in lower case. Extend it here.
enum CommonPasswords {
    static let list: Set<String> = [
        "1234567890", "0123456789", "9876543210", "0987654321", "1111111111", "0000000000", "8888888888",
        "6666666666", "5555555555", "9999999999", "1234512345", "1122334455", "12345678910", "123123123123",
        "123456123456", "147258369147", "1472583690", "1357924680", "5201314520", "1314520520", "5201314521",
        "qwertyuiop", "qwertyqwerty", "qwerty1234", "qwerty12345", "qwerty123456", "1qaz2wsx3edc", "1qazxsw23edc",
        "zaq12wsxcde3", "qazwsxedcrfv", "1q2w3e4r5t", "q1w2e3r4t5", "1q2w3e4r5t6y", "1234qwerasdf", "qwer1234asdf",
        "asdfghjkl;", "asdfasdfasdf", "zxcvbnm123", "zxcvbnm,./", "abc1234567", "abcd123456", "abc123456789",
        "a123456789", "a1234567890", "123456789a", "1234567890a", "aa12345678", "aa123456789", "aaa1234567",
        "qq123456789", "qq1234567890", "woaini1314", "woaini5201314", "woaini123456", "iloveyou1314",
        "iloveyou123", "iloveyou12", "password12", "password01", "password123", "password1234", "password2024",
        "password2025", "password2026", "passw0rd123", "p@ssw0rd123", "p@ssword123", "passwordpassword",
        "mypassword1", "mypassword123", "welcome123", "welcome1234", "changeme123", "letmein123", "admin12345",
        "admin123456", "admin@12345", "admin@123456", "administrator", "administrator1", "root123456",
        "root@123456", "superman123", "football123", "baseball123", "sunshine123", "princess123", "dragon12345",
        "monkey12345", "shadow12345", "master12345", "trustno1234", "aa123456789", "zhang123456", "wang123456",
        "li123456789", "liu123456789", "chen123456", "yang123456", "zhao123456", "huang123456", "zhou123456",
        "wu12345678", "test123456", "test12345678", "guest123456", "user123456", "kaohe12345", "kaohe123456",
        "kaohe2026!", "zuzhibu123", "zuzhibu2026", "zuzhibu123456",
    ]

    /// Words that, followed by nothing but digits and symbols, make an easily guessed password.
    static let stems: Set<String> = [
        "password", "passw", "pass", "admin", "administrator", "root", "test", "guest", "user", "welcome",
        "qwerty", "abc", "abcd", "iloveyou", "woaini", "kaohe", "zuzhibu", "changeme", "letmein",
    ]
}
