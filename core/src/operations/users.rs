//! Users, their contact methods and notification rules.

use super::{path, ListFilter, Op};
use crate::error::Error;
use crate::http::Method;
use crate::models::{ContactMethod, NotificationRule, User};
use crate::pagination::Pager;
use crate::rest::Rest;

impl Rest {
    /// `GET /users`, page by page.
    pub fn list_users(&self, filter: &ListFilter) -> Result<Pager, Error> {
        Pager::new(self, "/users", filter.to_query())
    }

    /// `GET /users/{id}`.
    pub fn get_user(&self, id: &str) -> Result<Op<User>, Error> {
        let req = self
            .call(Method::Get, &path("/users", "id", id, "")?)
            .build()?;
        Ok(Op::entity(req, "user"))
    }

    /// `GET /users/me`: the owner of a user token or OAuth token (a general access key has none: 400).
    pub fn current_user(&self) -> Result<Op<User>, Error> {
        let req = self.call(Method::Get, "/users/me").build()?;
        Ok(Op::entity(req, "user"))
    }

    /// `GET /users/{id}/contact_methods`.
    pub fn list_contact_methods(&self, user_id: &str) -> Result<Op<Vec<ContactMethod>>, Error> {
        let req = self
            .call(
                Method::Get,
                &path("/users", "user_id", user_id, "/contact_methods")?,
            )
            .build()?;
        Ok(Op::entity(req, "contact_methods"))
    }

    /// `GET /users/{id}/notification_rules`, optionally for one urgency (`high`, `low`, `any`).
    pub fn list_notification_rules(
        &self,
        user_id: &str,
        urgency: Option<&str>,
    ) -> Result<Op<Vec<NotificationRule>>, Error> {
        let mut call = self.call(
            Method::Get,
            &path("/users", "user_id", user_id, "/notification_rules")?,
        );
        if let Some(u) = urgency {
            call = call.param("urgency", u);
        }
        Ok(Op::entity(call.build()?, "notification_rules"))
    }
}
