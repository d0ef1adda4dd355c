//! The affected keys of a run and their digest: SHA-256 over the keys in key order.

use sha2::{Digest, Sha256};

/// Affected keys, kept as integers while every key is one (8 bytes each, not a String).
#[derive(Default)]
pub(super) struct KeyList {
    ints: Vec<i64>,
    texts: Option<Vec<String>>,
}

impl KeyList {
    pub fn push(&mut self, k: &str) {
        match (&mut self.texts, integer(k)) {
            (None, Some(i)) => self.ints.push(i),
            (None, None) => {
                let mut all: Vec<String> = self.ints.drain(..).map(|i| i.to_string()).collect();
                all.push(k.to_owned());
                self.texts = Some(all);
            }
            (Some(t), _) => t.push(k.to_owned()),
        }
    }

    /// An integer key, as `CAST(key AS TEXT)` would write it.
    pub fn push_int(&mut self, k: i64) {
        match &mut self.texts {
            None => self.ints.push(k),
            Some(t) => t.push(k.to_string()),
        }
    }

    pub fn append(&mut self, other: KeyList) {
        match other.texts {
            Some(t) => t.iter().for_each(|k| self.push(k)),
            None if self.texts.is_none() => self.ints.extend(other.ints),
            None => other.ints.iter().for_each(|i| self.push(&i.to_string())),
        }
    }

    pub fn len(&self) -> usize {
        self.texts.as_ref().map_or(self.ints.len(), Vec::len)
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    pub fn digest(self) -> String {
        match self.texts {
            Some(t) => digest(t),
            None => {
                let mut ints = self.ints;
                ints.sort_unstable();
                // Lines go through one buffer: a million keys, no allocation each.
                let mut h = Sha256::new();
                let mut buf = Vec::with_capacity(1 << 16);
                let mut text = itoa::Buffer::new();
                for i in ints {
                    buf.extend_from_slice(text.format(i).as_bytes());
                    buf.push(b'\n');
                    if buf.len() > (1 << 16) - 32 {
                        h.update(&buf);
                        buf.clear();
                    }
                }
                h.update(&buf);
                hex::encode(h.finalize())
            }
        }
    }
}

impl KeyList {
    /// The keys compactly, for a run's journal: integers as sorted runs `a..b`, else the texts
    /// joined by U+001F (a key holding it is refused before it is changed).
    pub fn encode(&self) -> String {
        match &self.texts {
            Some(t) => format!("t:{}", t.join("\u{1f}")),
            None => {
                let mut ints = self.ints.clone();
                ints.sort_unstable();
                let mut out = String::with_capacity(16 + ints.len() / 8);
                out.push_str("i:");
                let mut i = 0;
                while i < ints.len() {
                    let mut j = i;
                    while j + 1 < ints.len() && ints[j + 1] == ints[j] + 1 {
                        j += 1;
                    }
                    if i > 0 {
                        out.push(',');
                    }
                    match i == j {
                        true => out.push_str(&ints[i].to_string()),
                        false => out.push_str(&format!("{}..{}", ints[i], ints[j])),
                    }
                    i = j + 1;
                }
                out
            }
        }
    }

    /// The keys `encode` wrote.
    pub fn decode(s: &str) -> Result<KeyList, String> {
        let bad = || format!("a journal's keys are unreadable ({} bytes)", s.len());
        if let Some(t) = s.strip_prefix("t:") {
            return Ok(match t.is_empty() {
                true => KeyList::default(),
                false => t.split('\u{1f}').collect(),
            });
        }
        let ints = s.strip_prefix("i:").ok_or_else(bad)?;
        let mut list = KeyList::default();
        for part in ints.split(',').filter(|p| !p.is_empty()) {
            match part.split_once("..") {
                Some((a, b)) => {
                    let (a, b): (i64, i64) =
                        (a.parse().map_err(|_| bad())?, b.parse().map_err(|_| bad())?);
                    (a..=b).for_each(|k| list.push_int(k));
                }
                None => list.push_int(part.parse().map_err(|_| bad())?),
            }
        }
        Ok(list)
    }

    /// Every key as text.
    pub fn texts(&self) -> Vec<String> {
        match &self.texts {
            Some(t) => t.clone(),
            None => self.ints.iter().map(i64::to_string).collect(),
        }
    }

    /// Every key, when all are integers.
    pub fn ints(&self) -> Option<&[i64]> {
        self.texts.is_none().then_some(&self.ints[..])
    }
}

impl<'a> FromIterator<&'a str> for KeyList {
    fn from_iter<I: IntoIterator<Item = &'a str>>(keys: I) -> Self {
        let mut list = KeyList::default();
        keys.into_iter().for_each(|k| list.push(k));
        list
    }
}

/// `k` as an integer if it is written as one is printed (no sign, no leading zeros), so that
/// ordering it numerically and printing it back gives the same line.
fn integer(k: &str) -> Option<i64> {
    let digits = k.strip_prefix('-').unwrap_or(k);
    let canonical = !digits.is_empty()
        && digits.bytes().all(|b| b.is_ascii_digit())
        && (digits == "0" && digits.len() == k.len() || !digits.starts_with('0'));
    canonical.then(|| k.parse().ok()).flatten()
}

/// SHA-256 over the keys in key order (numeric when every key is an integer), one per line.
pub fn digest(mut keys: Vec<String>) -> String {
    if keys.iter().all(|k| integer(k).is_some()) {
        keys.sort_by_key(|k| integer(k).unwrap_or(0));
    } else {
        keys.sort();
    }
    let mut h = Sha256::new();
    for k in &keys {
        h.update(k.as_bytes());
        h.update(b"\n");
    }
    hex::encode(h.finalize())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn digest_orders_numeric_keys_numerically() {
        let a = digest(vec!["10".into(), "9".into(), "100".into()]);
        let b = digest(vec!["9".into(), "10".into(), "100".into()]);
        assert_eq!(a, b);
        assert_eq!(b, hex::encode(Sha256::digest(b"9\n10\n100\n")));
        let list: KeyList = ["100", "9", "10"].into_iter().collect();
        assert_eq!(list.digest(), b);
    }

    #[test]
    fn journal_encoding_round_trips() {
        let ints: KeyList = ["5", "1", "2", "3", "-4", "9", "10"].into_iter().collect();
        assert_eq!(ints.encode(), "i:-4,1..3,5,9..10");
        let back = KeyList::decode(&ints.encode()).unwrap();
        assert_eq!(back.digest(), ints.digest());
        let texts: KeyList = ["b", "a", "7"].into_iter().collect();
        let back = KeyList::decode(&texts.encode()).unwrap();
        assert_eq!(back.texts(), vec!["b", "a", "7"]);
        assert!(KeyList::decode("i:").unwrap().is_empty());
    }

    #[test]
    fn keys_that_only_look_numeric_are_digested_as_written() {
        let a = digest(vec!["007".into(), "10".into()]);
        assert_eq!(a, hex::encode(Sha256::digest(b"007\n10\n")));
        let mut list: KeyList = ["10", "9"].into_iter().collect();
        list.append(["007"].into_iter().collect());
        assert_eq!(list.len(), 3);
        assert_eq!(list.digest(), hex::encode(Sha256::digest(b"007\n10\n9\n")));
        let many: KeyList = (0..100_000)
            .rev()
            .map(|i| i.to_string())
            .collect::<Vec<_>>()
            .iter()
            .map(String::as_str)
            .collect();
        let expected: String = (0..100_000).map(|i| format!("{i}\n")).collect();
        assert_eq!(
            many.digest(),
            hex::encode(Sha256::digest(expected.as_bytes()))
        );
    }
}
