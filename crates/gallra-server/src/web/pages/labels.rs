//! The vocabulary's labels in the interface's language: personal-data types, categories of
//! data subjects, Art. 4(2) operations, durations, outcomes. Unknown ids show as themselves.

use crate::web::i18n::Tr;

#[derive(Clone, Copy)]
pub struct Labels {
    t: Tr,
}

impl Labels {
    pub fn new(t: Tr) -> Self {
        Labels { t }
    }

    fn or_id(&self, key: String, id: &str) -> String {
        if self.t.has(&key) {
            self.t.t(&key)
        } else {
            id.to_owned()
        }
    }

    pub fn data_type(&self, id: &str) -> String {
        self.or_id(format!("dt-{id}"), id)
    }

    pub fn subject(&self, id: &str) -> String {
        self.or_id(format!("subj-{id}"), id)
    }

    pub fn operation(&self, id: &str) -> String {
        self.or_id(format!("op-{id}"), id)
    }

    pub fn outcome(&self, id: &str) -> String {
        self.or_id(format!("outcome-{}", id.replace('_', "-")), id)
    }

    pub fn status(&self, id: &str) -> String {
        self.or_id(format!("status-{id}"), id)
    }
}
