//! Tags, and tagging users, teams and escalation policies.

use serde_json::Value;

use super::{path, ListFilter, Op};
use crate::error::Error;
use crate::http::Method;
use crate::models::Tag;
use crate::pagination::Pager;
use crate::rest::Rest;
use crate::write_value::object;

/// What can carry tags.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Taggable {
    /// A user.
    Users,
    /// A team.
    Teams,
    /// An escalation policy.
    EscalationPolicies,
}

impl Taggable {
    fn base(self) -> &'static str {
        match self {
            Taggable::Users => "/users",
            Taggable::Teams => "/teams",
            Taggable::EscalationPolicies => "/escalation_policies",
        }
    }
}

impl Rest {
    /// `GET /tags`, page by page.
    pub fn list_tags(&self, filter: &ListFilter) -> Result<Pager, Error> {
        Pager::new(self, "/tags", filter.to_query())
    }

    /// `GET /tags/{id}`.
    pub fn get_tag(&self, id: &str) -> Result<Op<Tag>, Error> {
        let req = self
            .call(Method::Get, &path("/tags", "id", id, "")?)
            .build()?;
        Ok(Op::entity(req, "tag"))
    }

    /// `GET /{users|teams|escalation_policies}/{id}/tags`, page by page.
    pub fn list_entity_tags(&self, entity: Taggable, id: &str) -> Result<Pager, Error> {
        Pager::new(
            self,
            &path(entity.base(), "id", id, "/tags")?,
            Default::default(),
        )
    }

    /// `POST /{entity}/{id}/change_tags`: adds tags by label (created when new) and removes
    /// tags by ID.
    pub fn change_tags(
        &self,
        entity: Taggable,
        id: &str,
        add_labels: &[String],
        remove_ids: &[String],
    ) -> Result<Op<()>, Error> {
        if add_labels.is_empty() && remove_ids.is_empty() {
            return Err(Error::invalid(
                "change_tags",
                "has nothing to add or remove",
            ));
        }
        for r in remove_ids {
            crate::rest::check_id("remove[].id", r)?;
        }
        let add: Vec<_> = add_labels
            .iter()
            .map(|l| object([("type", "tag".into()), ("label", l.as_str().into())]))
            .collect();
        let remove: Vec<_> = remove_ids
            .iter()
            .map(|r| object([("type", "tag_reference".into()), ("id", r.as_str().into())]))
            .collect();
        let req = self
            .call(
                Method::Post,
                &path(entity.base(), "id", id, "/change_tags")?,
            )
            .json_value(&object([
                ("add", Value::Array(add)),
                ("remove", Value::Array(remove)),
            ]))
            .build()?;
        Ok(Op::empty(req))
    }
}
