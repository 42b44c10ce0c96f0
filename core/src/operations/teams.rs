//! Teams.

use super::{path, ListFilter, Op};
use crate::error::Error;
use crate::http::Method;
use crate::models::Team;
use crate::pagination::Pager;
use crate::rest::Rest;

impl Rest {
    /// `GET /teams`, page by page.
    pub fn list_teams(&self, filter: &ListFilter) -> Result<Pager, Error> {
        Pager::new(self, "/teams", filter.to_query())
    }

    /// `GET /teams/{id}`.
    pub fn get_team(&self, id: &str) -> Result<Op<Team>, Error> {
        let req = self
            .call(Method::Get, &path("/teams", "id", id, "")?)
            .build()?;
        Ok(Op::entity(req, "team"))
    }
}
