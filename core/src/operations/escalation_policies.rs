//! Escalation policies.

use super::{path, ListFilter, Op};
use crate::error::Error;
use crate::http::Method;
use crate::models::EscalationPolicy;
use crate::pagination::Pager;
use crate::rest::Rest;

impl Rest {
    /// `GET /escalation_policies`, page by page; `user_ids` narrows to policies with those users.
    pub fn list_escalation_policies(
        &self,
        filter: &ListFilter,
        user_ids: &[String],
    ) -> Result<Pager, Error> {
        let mut q = filter.to_query();
        q.push_array("user_ids", user_ids.iter().cloned());
        Pager::new(self, "/escalation_policies", q)
    }

    /// `GET /escalation_policies/{id}`.
    pub fn get_escalation_policy(&self, id: &str) -> Result<Op<EscalationPolicy>, Error> {
        let req = self
            .call(Method::Get, &path("/escalation_policies", "id", id, "")?)
            .build()?;
        Ok(Op::entity(req, "escalation_policy"))
    }
}
