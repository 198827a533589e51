/// Common passwords and their bases (lower case, no spaces): a password that is one of them, or
/// one of them followed by digits, is refused (PasswordRules). Drawn from the most frequent
/// entries of public breach corpora, in several languages.
enum CommonPasswords {
    static let list: Set<String> = [
        "1q2w3e4r", "1q2w3e4r5t", "1q2w3e4r5t6y", "a1b2c3d4", "abc123", "abcd1234", "access", "admin", "administrator",
        "amanda", "andrew", "angel", "angels", "anything", "apple", "april", "arsenal", "asdf1234", "asdfasdf",
        "asdfghjkl", "ashley", "august", "autumn", "azerty", "babyboy", "babygirl", "banana", "barcelona", "baseball",
        "baseball1", "basketball", "batman", "batterystaple", "believe", "bestfriend", "blink182", "buster", "changeit",
        "changeme", "charlie", "cheese", "chelsea", "chocolate", "computer", "computer1", "contrasena", "contraseña",
        "cookie", "correcthorse", "correcthorsebatterystaple", "corvette", "daniel", "darling", "debian", "december",
        "default", "dragon", "eminem", "everything", "faith", "february", "ferrari", "flower", "flowers", "football",
        "football1", "football12", "fortnite", "freedom", "friday", "godisgood", "goodbye", "google", "guest", "harley",
        "hello", "hellothere", "helloworld", "helpdesk", "hockey", "holiday", "hunter", "iamthebest", "iloveu",
        "iloveyou", "iloveyou1", "internet", "internet1", "january", "jennifer", "jessica", "jesus", "jesuschrist",
        "jordan", "joshua", "juventus", "killer", "letmein", "letmeinplease", "lifeline", "linux", "liverpool", "login",
        "lovely", "loveme", "loveyou", "manchester", "march", "master", "matthew", "metallica", "michael", "michelle",
        "microsoft", "minecraft", "monday", "monkey", "motdepasse", "mustang", "mylove", "nicole", "nintendo",
        "nirvana", "nothing", "november", "october", "orange", "p@ssw0rd", "p@ssword", "parola", "passw0rd", "password",
        "password12", "passwort", "playstation", "pokemon", "porsche", "princess", "purple", "q1w2e3r4", "q1w2e3r4t5",
        "qwerty", "qwerty123", "qwertyui", "qwertyuiop", "qwertz", "ranger", "realmadrid", "remote", "robert",
        "rockstar", "root", "samsung", "saturday", "secret", "senha", "september", "service", "shadow", "soccer",
        "something", "spiderman", "spring", "starwars", "summer", "sunday", "sunshine", "superman", "superstar",
        "support", "sweetheart", "temp", "temporary", "test", "tester", "testing", "thebest", "thomas", "tigger",
        "toor", "trustme", "trustno", "ubuntu", "user", "username", "vacation", "wachtwoord", "welcome", "welcome1",
        "welcome12", "whatever", "whatever1", "windows", "winter", "xbox", "yamaha", "yellow", "zaq12wsx", "zaq1zaq1",
        "zxcv1234", "zxcvbnm", "zxcvzxcv",
    ]
}
