//! Priorities.

use crate::error::Error;
use crate::pagination::Pager;
use crate::query::Query;
use crate::rest::Rest;

impl Rest {
    /// `GET /priorities`, page by page.
    pub fn list_priorities(&self) -> Result<Pager, Error> {
        Pager::new(self, "/priorities", Query::new())
    }
}
