//! Parsing of user input into checked values ("parse, don't validate"). Every error is a stable
//! code that the web layer translates; none of these functions panics on any input.

use thiserror::Error;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Error)]
pub enum InputError {
    #[error("required")]
    Required,
    #[error("too-long")]
    TooLong,
    #[error("invalid-email")]
    InvalidEmail,
    #[error("password-too-short")]
    PasswordTooShort,
    #[error("password-too-long")]
    PasswordTooLong,
    #[error("invalid-slug")]
    InvalidSlug,
    #[error("invalid-role")]
    InvalidRole,
    #[error("invalid-language")]
    InvalidLanguage,
    #[error("invalid-phone")]
    InvalidPhone,
    #[error("invalid-value")]
    InvalidValue,
    /// A one-time code that is wrong, already used or expired.
    #[error("wrong-code")]
    WrongCode,
}

impl InputError {
    /// The stable code, also the suffix of the Fluent message id `error-input-{code}`.
    pub fn code(self) -> &'static str {
        match self {
            InputError::Required => "required",
            InputError::TooLong => "too-long",
            InputError::InvalidEmail => "invalid-email",
            InputError::PasswordTooShort => "password-too-short",
            InputError::PasswordTooLong => "password-too-long",
            InputError::InvalidSlug => "invalid-slug",
            InputError::InvalidRole => "invalid-role",
            InputError::InvalidLanguage => "invalid-language",
            InputError::InvalidPhone => "invalid-phone",
            InputError::InvalidValue => "invalid-value",
            InputError::WrongCode => "wrong-code",
        }
    }
}

pub const MIN_PASSWORD_CHARS: usize = 10;
pub const MAX_PASSWORD_BYTES: usize = 1024;

/// A display name (person or organization): trimmed, not empty, at most `max` characters.
/// Hebrew and any other script are welcome; control characters are not.
pub fn name(input: &str, max: usize) -> Result<String, InputError> {
    let s = input.trim();
    if s.is_empty() {
        return Err(InputError::Required);
    }
    if s.chars().count() > max {
        return Err(InputError::TooLong);
    }
    if s.chars().any(|c| c.is_control()) {
        return Err(InputError::Required);
    }
    Ok(s.to_string())
}

/// An email address, lower-cased. Deliberately simple: one `@`, a dot in the domain, no spaces.
pub fn email(input: &str) -> Result<String, InputError> {
    let s = input.trim();
    if s.is_empty() {
        return Err(InputError::Required);
    }
    if s.len() > 254 {
        return Err(InputError::TooLong);
    }
    let mut parts = s.split('@');
    let (Some(local), Some(domain), None) = (parts.next(), parts.next(), parts.next()) else {
        return Err(InputError::InvalidEmail);
    };
    let ok = !local.is_empty()
        && local.len() <= 64
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !s
            .chars()
            .any(|c| c.is_whitespace() || c.is_control() || c == '<' || c == '>');
    if !ok {
        return Err(InputError::InvalidEmail);
    }
    Ok(s.to_lowercase())
}

pub fn password(input: &str) -> Result<&str, InputError> {
    if input.len() > MAX_PASSWORD_BYTES {
        return Err(InputError::PasswordTooLong);
    }
    if input.chars().count() < MIN_PASSWORD_CHARS {
        return Err(InputError::PasswordTooShort);
    }
    Ok(input)
}

/// The short name of an organization in URLs (`/o/{slug}`): 2–40 of a–z, 0–9 and inner hyphens.
pub fn slug(input: &str) -> Result<String, InputError> {
    let s = input.trim().to_lowercase();
    if s.is_empty() {
        return Err(InputError::Required);
    }
    if s.len() > 40 {
        return Err(InputError::TooLong);
    }
    let ok = s.len() >= 2
        && s.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        && !s.starts_with('-')
        && !s.ends_with('-')
        && !s.contains("--");
    if ok {
        Ok(s)
    } else {
        Err(InputError::InvalidSlug)
    }
}

/// The UI languages. Hebrew first: it is the default.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    #[default]
    He,
    En,
}

impl Lang {
    pub fn parse(s: &str) -> Result<Lang, InputError> {
        match s.trim() {
            "he" => Ok(Lang::He),
            "en" => Ok(Lang::En),
            _ => Err(InputError::InvalidLanguage),
        }
    }
    pub fn code(self) -> &'static str {
        match self {
            Lang::He => "he",
            Lang::En => "en",
        }
    }
    pub fn dir(self) -> &'static str {
        match self {
            Lang::He => "rtl",
            Lang::En => "ltr",
        }
    }
    pub fn other(self) -> Lang {
        match self {
            Lang::He => Lang::En,
            Lang::En => Lang::He,
        }
    }
    /// Picks the first supported language of an `Accept-Language` header.
    pub fn from_accept_language(header: &str) -> Option<Lang> {
        header
            .split(',')
            .filter_map(|part| part.split(';').next())
            .map(|tag| tag.trim().to_ascii_lowercase())
            .find_map(|tag| {
                let primary = tag.split('-').next().unwrap_or_default();
                match primary {
                    "he" | "iw" => Some(Lang::He),
                    "en" => Some(Lang::En),
                    _ => None,
                }
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_accept_hebrew_and_reject_empty_or_long() {
        assert_eq!(name("  עמותת יד ביד ", 80).unwrap(), "עמותת יד ביד");
        assert_eq!(name("   ", 80), Err(InputError::Required));
        assert_eq!(name(&"א".repeat(81), 80), Err(InputError::TooLong));
        assert_eq!(name(&"א".repeat(80), 80).unwrap().chars().count(), 80);
        assert_eq!(name("a\u{0}b", 80), Err(InputError::Required));
    }

    #[test]
    fn emails() {
        assert_eq!(email(" Dana@Example.org ").unwrap(), "dana@example.org");
        for bad in [
            "",
            "dana",
            "dana@",
            "@x.org",
            "a@b",
            "a@@b.org",
            "a b@c.org",
            "a@.org",
        ] {
            assert!(email(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn passwords() {
        assert_eq!(password("short"), Err(InputError::PasswordTooShort));
        // Ten Hebrew letters are ten characters even though they are twenty bytes.
        assert!(password("אבגדהוזחטי").is_ok());
        assert_eq!(
            password(&"x".repeat(2000)),
            Err(InputError::PasswordTooLong)
        );
    }

    #[test]
    fn slugs() {
        assert_eq!(slug("Yad-BeYad").unwrap(), "yad-beyad");
        for bad in ["a", "-ab", "ab-", "a--b", "עמותה", "a b", "a_b"] {
            assert!(slug(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn languages() {
        assert_eq!(Lang::default(), Lang::He);
        assert_eq!(Lang::from_accept_language("en-US,en;q=0.9"), Some(Lang::En));
        assert_eq!(
            Lang::from_accept_language("fr, he-IL;q=0.5"),
            Some(Lang::He)
        );
        assert_eq!(Lang::from_accept_language("fr"), None);
        assert_eq!(Lang::He.dir(), "rtl");
        assert!(Lang::parse("de").is_err());
    }
}
