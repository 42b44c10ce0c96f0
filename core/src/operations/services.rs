//! Services and their integrations.

use serde_json::Value;

use super::{path, ListFilter, Op};
use crate::error::Error;
use crate::http::Method;
use crate::models::Service;
use crate::pagination::Pager;
use crate::rest::Rest;

impl Rest {
    /// `GET /services`, page by page.
    pub fn list_services(&self, filter: &ListFilter) -> Result<Pager, Error> {
        Pager::new(self, "/services", filter.to_query())
    }

    /// `GET /services/{id}`.
    pub fn get_service(&self, id: &str) -> Result<Op<Service>, Error> {
        let req = self
            .call(Method::Get, &path("/services", "id", id, "")?)
            .build()?;
        Ok(Op::entity(req, "service"))
    }

    /// `POST /services` with the service's fields (`name` and `escalation_policy` required
    /// by PagerDuty); the `{"service": ...}` wrapper is added.
    pub fn create_service(&self, service: &Value) -> Result<Op<Service>, Error> {
        let req = self
            .call(Method::Post, "/services")
            .entity_value("service", service)
            .build()?;
        Ok(Op::entity(req, "service"))
    }

    /// `PUT /services/{id}` with the fields to change.
    pub fn update_service(&self, id: &str, changes: &Value) -> Result<Op<Service>, Error> {
        let req = self
            .call(Method::Put, &path("/services", "id", id, "")?)
            .entity_value("service", changes)
            .build()?;
        Ok(Op::entity(req, "service"))
    }

    /// `DELETE /services/{id}`.
    pub fn delete_service(&self, id: &str) -> Result<Op<()>, Error> {
        let req = self
            .call(Method::Delete, &path("/services", "id", id, "")?)
            .build()?;
        Ok(Op::empty(req))
    }

    /// `GET /services/{id}/integrations/{integration_id}`.
    pub fn get_service_integration(
        &self,
        id: &str,
        integration_id: &str,
    ) -> Result<Op<Value>, Error> {
        crate::rest::check_id("integration_id", integration_id)?;
        let req = self
            .call(
                Method::Get,
                &path(
                    "/services",
                    "id",
                    id,
                    &format!("/integrations/{integration_id}"),
                )?,
            )
            .build()?;
        Ok(Op::entity(req, "integration"))
    }

    /// `POST /services/{id}/integrations`: for example
    /// `{"type": "events_api_v2_inbound_integration", "name": "..."}`.
    pub fn create_service_integration(
        &self,
        id: &str,
        integration: &Value,
    ) -> Result<Op<Value>, Error> {
        let req = self
            .call(Method::Post, &path("/services", "id", id, "/integrations")?)
            .entity_value("integration", integration)
            .build()?;
        Ok(Op::entity(req, "integration"))
    }
}
