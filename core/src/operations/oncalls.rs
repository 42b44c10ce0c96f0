//! On-calls: who is on call, now or in a window.

use super::push_time;
use crate::error::Error;
use crate::pagination::Pager;
use crate::query::Query;
use crate::rest::Rest;

/// Filters for `GET /oncalls`.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct OnCallFilter {
    /// Start of the window (ISO 8601); now when absent.
    pub since: Option<String>,
    /// End of the window.
    pub until: Option<String>,
    /// Only the earliest on-call for each policy, level and user.
    pub earliest: bool,
    /// Only these users.
    pub user_ids: Vec<String>,
    /// Only these escalation policies.
    pub escalation_policy_ids: Vec<String>,
    /// Only these schedules.
    pub schedule_ids: Vec<String>,
    /// Time zone of the result.
    pub time_zone: Option<String>,
    /// Extra resources to include.
    pub include: Vec<String>,
}

impl Rest {
    /// `GET /oncalls`, page by page.
    pub fn list_oncalls(&self, filter: &OnCallFilter) -> Result<Pager, Error> {
        let mut q = Query::new();
        push_time(&mut q, "since", &filter.since)?;
        push_time(&mut q, "until", &filter.until)?;
        if filter.earliest {
            q.push_bool("earliest", true);
        }
        q.push_array("user_ids", filter.user_ids.iter().cloned());
        q.push_array(
            "escalation_policy_ids",
            filter.escalation_policy_ids.iter().cloned(),
        );
        q.push_array("schedule_ids", filter.schedule_ids.iter().cloned());
        q.push_opt("time_zone", filter.time_zone.clone());
        q.push_array("include", filter.include.iter().cloned());
        Pager::new(self, "/oncalls", q)
    }
}
