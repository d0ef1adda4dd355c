//! Tile coordinates of the C2SP `tlog-tiles` layout and their paths: hash tiles
//! `tile/<L>/<N>[.p/<W>]` (height 8) and entry bundles `tile/entries/<N>[.p/<W>]`. Pure.

/// Hashes (or entries) per full tile: tiles have height 8.
pub const WIDTH: u64 = 256;
pub const HEIGHT: u8 = 8;

/// One tile: hashes at tree level `8 * level` (or, for an entry bundle, the entries), from
/// `n * 256`, `width` of them (256 for a full tile).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct TileId {
    pub kind: TileKind,
    pub n: u64,
    pub width: u32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum TileKind {
    /// A hash tile at this tile level.
    Hashes(u8),
    /// An entry bundle.
    Entries,
}

impl TileId {
    pub fn hashes(level: u8, n: u64, width: u32) -> Self {
        TileId {
            kind: TileKind::Hashes(level),
            n,
            width,
        }
    }

    pub fn entries(n: u64, width: u32) -> Self {
        TileId {
            kind: TileKind::Entries,
            n,
            width,
        }
    }

    /// The first leaf (or level-`8L` node) the tile holds.
    pub fn start(&self) -> u64 {
        self.n * WIDTH
    }

    pub fn is_full(&self) -> bool {
        u64::from(self.width) == WIDTH
    }

    /// `tile/<L>/<N>[.p/<W>]` or `tile/entries/<N>[.p/<W>]`, N in groups of three digits.
    pub fn path(&self) -> String {
        let level = match self.kind {
            TileKind::Hashes(l) => l.to_string(),
            TileKind::Entries => "entries".to_owned(),
        };
        let partial = if self.is_full() {
            String::new()
        } else {
            format!(".p/{}", self.width)
        };
        format!("tile/{level}/{}{partial}", encode_n(self.n))
    }

    /// The tile a path names, if it is one in canonical form.
    pub fn parse(path: &str) -> Option<Self> {
        let rest = path.strip_prefix("tile/")?;
        let (level, rest) = rest.split_once('/')?;
        let kind = match level {
            "entries" => TileKind::Entries,
            l if l.len() <= 2 && l.bytes().all(|b| b.is_ascii_digit()) => {
                TileKind::Hashes(l.parse().ok().filter(|l: &u8| *l < 8)?)
            }
            _ => return None,
        };
        let (digits, width) = match rest.split_once(".p/") {
            Some((d, w)) if w.bytes().all(|b| b.is_ascii_digit()) && !w.is_empty() => {
                let w: u32 = w.parse().ok()?;
                (d, w)
            }
            Some(_) => return None,
            None => (rest, WIDTH as u32),
        };
        let n = decode_n(digits)?;
        let tile = TileId { kind, n, width };
        // Only the canonical spelling: one path per tile.
        (tile.width >= 1 && u64::from(tile.width) <= WIDTH && tile.path() == path).then_some(tile)
    }
}

fn encode_n(mut n: u64) -> String {
    let mut out = format!("{:03}", n % 1000);
    while n >= 1000 {
        n /= 1000;
        out = format!("x{:03}/{out}", n % 1000);
    }
    out
}

fn decode_n(s: &str) -> Option<u64> {
    let parts: Vec<&str> = s.split('/').collect();
    let mut n: u64 = 0;
    for (i, p) in parts.iter().enumerate() {
        let digits = if i + 1 < parts.len() {
            p.strip_prefix('x')?
        } else {
            p
        };
        if digits.len() != 3 || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        n = n
            .checked_mul(1000)?
            .checked_add(digits.parse::<u64>().ok()?)?;
    }
    Some(n)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_follow_the_c2sp_encoding() {
        assert_eq!(TileId::hashes(0, 0, 256).path(), "tile/0/000");
        assert_eq!(TileId::hashes(1, 67, 3).path(), "tile/1/067.p/3");
        assert_eq!(
            TileId::hashes(0, 1_234_067, 256).path(),
            "tile/0/x001/x234/067"
        );
        assert_eq!(
            TileId::entries(1_234_067, 8).path(),
            "tile/entries/x001/x234/067.p/8"
        );
        assert_eq!(TileId::entries(1000, 256).path(), "tile/entries/x001/000");
    }

    #[test]
    fn paths_parse_back_and_only_canonical_ones() {
        for t in [
            TileId::hashes(0, 0, 256),
            TileId::hashes(2, 999, 1),
            TileId::hashes(1, 1_000_000, 255),
            TileId::entries(1_234_067, 8),
            TileId::entries(u64::MAX / 2, 256),
        ] {
            assert_eq!(TileId::parse(&t.path()), Some(t), "{}", t.path());
        }
        for bad in [
            "tile/0/0",
            "tile/0/x000/001",
            "tile/0/001/002",
            "tile/0/000.p/256",
            "tile/0/000.p/0",
            "tile/0/000.p/007",
            "tile/8/0/000",
            "tile/data/000",
            "tile/0/../000",
            "tile/0/000/",
            "/tile/0/000",
            "tile/0/x1/000",
        ] {
            assert_eq!(TileId::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn the_encoding_matches_go_tlog_paths_without_the_height() {
        use tlog_tiles::tile::Tile;
        for (l, n, w) in [(0u8, 0u64, 256u32), (1, 1_234_067, 5), (3, 999_999, 256)] {
            let go = Tile::new(8, l, n, w, false).path();
            assert_eq!(
                go.replacen("tile/8/", "tile/", 1),
                TileId::hashes(l, n, w).path()
            );
        }
    }
}
