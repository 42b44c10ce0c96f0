//! Change events as the REST API lists them (sending one is the Events API's job).

use super::{path, window, Op};
use crate::error::Error;
use crate::http::Method;
use crate::models::ChangeEvent;
use crate::pagination::Pager;
use crate::rest::Rest;

impl Rest {
    /// `GET /change_events`, page by page.
    pub fn list_change_events(
        &self,
        since: Option<String>,
        until: Option<String>,
        team_ids: &[String],
        integration_ids: &[String],
    ) -> Result<Pager, Error> {
        let mut q = window(since, until)?;
        q.push_array("team_ids", team_ids.iter().cloned());
        q.push_array("integration_ids", integration_ids.iter().cloned());
        Pager::new(self, "/change_events", q)
    }

    /// `GET /services/{id}/change_events`, page by page.
    pub fn list_service_change_events(
        &self,
        service_id: &str,
        since: Option<String>,
        until: Option<String>,
    ) -> Result<Pager, Error> {
        let q = window(since, until)?;
        Pager::new(
            self,
            &path("/services", "service_id", service_id, "/change_events")?,
            q,
        )
    }

    /// `GET /change_events/{id}`.
    pub fn get_change_event(&self, id: &str) -> Result<Op<ChangeEvent>, Error> {
        let req = self
            .call(Method::Get, &path("/change_events", "id", id, "")?)
            .build()?;
        Ok(Op::entity(req, "change_event"))
    }
}
