//! A whole policy set, each item with the file it came from: what loading makes and the
//! whole-set checks read.

use super::source::SourceFile;
use super::spec::{Datasource, Organisation, ServiceFile};

/// A parsed item with the index of the file it came from.
#[derive(Debug, Clone)]
pub struct Located<T> {
    pub file: usize,
    pub item: T,
}

/// A whole policy set: valid as a unit, applied as a unit.
#[derive(Debug, Clone, Default)]
pub struct PolicySet {
    pub files: Vec<SourceFile>,
    pub organisations: Vec<Located<Organisation>>,
    pub datasources: Vec<Located<Datasource>>,
    pub services: Vec<Located<ServiceFile>>,
}

impl PolicySet {
    pub fn file(&self, index: usize) -> &SourceFile {
        &self.files[index]
    }
}
