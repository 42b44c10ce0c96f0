//! On-calls: who is on call, now or in a window.

use super::push_time;
use crate::error::Error;
use crate::pagination::Pager;
use crate::query::Query;
use crate::read_value::{boolean, option, string, strings, Read, Shape};
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

impl OnCallFilter {
    /// The derive's reading by hand, for the bindings' arguments (crate::read_value says why).
    pub(crate) fn read(v: &serde_json::Value) -> Read<Self> {
        const SHAPE: Shape = Shape {
            name: "struct OnCallFilter",
            fields: &[
                "since",
                "until",
                "earliest",
                "user_ids",
                "escalation_policy_ids",
                "schedule_ids",
                "time_zone",
                "include",
            ],
            optional: Shape::ALL,
            defaulted: Shape::ALL,
            deny_unknown: true,
        };
        let mut f = OnCallFilter::default();
        SHAPE.read(v, &mut |i, x| {
            match i {
                0 => f.since = option(x, string)?,
                1 => f.until = option(x, string)?,
                2 => f.earliest = boolean(x)?,
                3 => f.user_ids = strings(x)?,
                4 => f.escalation_policy_ids = strings(x)?,
                5 => f.schedule_ids = strings(x)?,
                6 => f.time_zone = option(x, string)?,
                _ => f.include = strings(x)?,
            }
            Ok(())
        })?;
        Ok(f)
    }
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
