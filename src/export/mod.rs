//! Exports: the audit bundle (and, in time, the register in its export formats).

pub mod bundle;
