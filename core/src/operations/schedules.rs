//! Schedules, who is on call in them, and overrides.

use super::{path, push_time, window, ListFilter, Op};
use crate::error::Error;
use crate::http::Method;
use crate::models::{Override, Schedule, User};
use crate::pagination::Pager;
use crate::query::Query;
use crate::rest::Rest;
use crate::timestamp::check_date_time;
use crate::write_value::object;

impl Rest {
    /// `GET /schedules`, page by page.
    pub fn list_schedules(&self, filter: &ListFilter) -> Result<Pager, Error> {
        Pager::new(self, "/schedules", filter.to_query())
    }

    /// `GET /schedules/{id}`, with its rendered entries between `since` and `until`.
    pub fn get_schedule(
        &self,
        id: &str,
        since: Option<String>,
        until: Option<String>,
    ) -> Result<Op<Schedule>, Error> {
        let q = window(since, until)?;
        let req = self
            .call(Method::Get, &path("/schedules", "id", id, "")?)
            .query(&q)
            .build()?;
        Ok(Op::entity(req, "schedule"))
    }

    /// `GET /schedules/{id}/users`: who is on call in it between `since` and `until`.
    pub fn list_schedule_users(
        &self,
        id: &str,
        since: Option<String>,
        until: Option<String>,
    ) -> Result<Op<Vec<User>>, Error> {
        let q = window(since, until)?;
        let req = self
            .call(Method::Get, &path("/schedules", "id", id, "/users")?)
            .query(&q)
            .build()?;
        Ok(Op::entity(req, "users"))
    }

    /// `GET /schedules/{id}/overrides` between `since` and `until` (both required).
    pub fn list_overrides(
        &self,
        id: &str,
        since: &str,
        until: &str,
    ) -> Result<Op<Vec<Override>>, Error> {
        let mut q = Query::new();
        push_time(&mut q, "since", &Some(since.to_owned()))?;
        push_time(&mut q, "until", &Some(until.to_owned()))?;
        let req = self
            .call(Method::Get, &path("/schedules", "id", id, "/overrides")?)
            .query(&q)
            .build()?;
        Ok(Op::entity(req, "overrides"))
    }

    /// `POST /schedules/{id}/overrides`: puts `user_id` on call from `start` to `end`.
    pub fn create_override(
        &self,
        id: &str,
        user_id: &str,
        start: &str,
        end: &str,
    ) -> Result<Op<serde_json::Value>, Error> {
        crate::rest::check_id("override.user.id", user_id)?;
        check_date_time("override.start", start)?;
        check_date_time("override.end", end)?;
        let user = object([("id", user_id.into()), ("type", "user_reference".into())]);
        let one = object([("start", start.into()), ("end", end.into()), ("user", user)]);
        let body = object([("overrides", serde_json::Value::Array(vec![one]))]);
        let req = self
            .call(Method::Post, &path("/schedules", "id", id, "/overrides")?)
            .json_value(&body)
            .build()?;
        Ok(Op::body(req))
    }

    /// `DELETE /schedules/{id}/overrides/{override_id}`.
    pub fn delete_override(&self, id: &str, override_id: &str) -> Result<Op<()>, Error> {
        crate::rest::check_id("override_id", override_id)?;
        let req = self
            .call(
                Method::Delete,
                &path("/schedules", "id", id, &format!("/overrides/{override_id}"))?,
            )
            .build()?;
        Ok(Op::empty(req))
    }
}
