//! Abilities: what the account's plan allows.

use super::Op;
use crate::error::Error;
use crate::http::Method;
use crate::rest::Rest;

impl Rest {
    /// `GET /abilities`: the names of the account's abilities.
    pub fn list_abilities(&self) -> Result<Op<Vec<String>>, Error> {
        let req = self.call(Method::Get, "/abilities").build()?;
        Ok(Op::entity(req, "abilities"))
    }

    /// `GET /abilities/{id}`: true when the account has it (204), false when not (402).
    pub fn test_ability(&self, ability: &str) -> Result<Op<bool>, Error> {
        crate::rest::check_id("ability", ability)?;
        let req = self
            .call(Method::Get, &format!("/abilities/{ability}"))
            .build()?;
        Ok(Op::ability(req))
    }
}
