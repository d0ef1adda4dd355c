//! Exports: the register as of a date in the forms people and tools read (CSV in the columns
//! of Art. 30(2), a printable HTML page, JSON, fideslang), and the audit bundle of a period.

pub mod bundle;
pub mod register;
