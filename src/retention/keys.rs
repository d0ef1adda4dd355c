//! The affected keys of a run and their digest: SHA-256 over the keys in key order.

use sha2::{Digest, Sha256};

/// Affected keys, kept as integers while every key is one (8 bytes each, not a String).
#[derive(Default)]
pub(super) struct KeyList {
    ints: Vec<i64>,
    texts: Option<Vec<String>>,
}

impl KeyList {
    pub fn extend(&mut self, keys: Vec<String>) {
        for k in keys {
            match (&mut self.texts, k.parse::<i64>()) {
                (None, Ok(i)) => self.ints.push(i),
                (None, Err(_)) => {
                    let mut all: Vec<String> = self.ints.drain(..).map(|i| i.to_string()).collect();
                    all.push(k);
                    self.texts = Some(all);
                }
                (Some(t), _) => t.push(k),
            }
        }
    }

    pub fn len(&self) -> usize {
        self.texts.as_ref().map_or(self.ints.len(), Vec::len)
    }

    pub fn digest(self) -> String {
        match self.texts {
            Some(t) => digest(t),
            None => {
                let mut ints = self.ints;
                ints.sort_unstable();
                let mut h = Sha256::new();
                for i in ints {
                    h.update(i.to_string().as_bytes());
                    h.update(b"\n");
                }
                hex::encode(h.finalize())
            }
        }
    }
}

/// SHA-256 over the keys in key order (numeric when every key is an integer), one per line.
pub fn digest(mut keys: Vec<String>) -> String {
    if keys.iter().all(|k| k.parse::<i64>().is_ok()) {
        keys.sort_by_key(|k| k.parse::<i64>().unwrap_or(0));
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
        let mut list = KeyList::default();
        list.extend(vec!["100".into(), "9".into(), "10".into()]);
        assert_eq!(list.digest(), b);
    }
}
