//! `EventsClient`: Events API v2 (trigger, acknowledge, resolve, change) and v1 with one
//! integration key, as [`Exchange`]s whose result is the dedup_key.

use pagerduty_core::bindings::options::ClientOptions;
use pagerduty_core::credentials::IntegrationKey;
use pagerduty_core::events::{
    change_from_json, trigger_from_json, v1_from_json, Action, EventOp, Events,
};
use pagerduty_core::Error;
use wasm_bindgen::prelude::*;

use crate::boundary::{js, options, seed, value};
use crate::exchange::{Exchange, Reader};

/// Sends events with one integration (routing) key.
#[wasm_bindgen]
pub struct EventsClient {
    events: Events,
    key: IntegrationKey,
    options: ClientOptions,
}

impl EventsClient {
    fn exchange(&self, op: Result<EventOp, Error>) -> Result<Exchange, JsValue> {
        let op = js(op)?;
        let o = &self.options;
        Ok(Exchange::new(
            op.request.clone(),
            op.api(),
            o,
            Reader::Event(op),
        ))
    }
}

#[wasm_bindgen]
impl EventsClient {
    /// `routing_key`: the 32-character integration key; `options` the core's options object.
    #[wasm_bindgen(constructor)]
    pub fn new(routing_key: &str, options_obj: JsValue) -> Result<EventsClient, JsValue> {
        let key = js(IntegrationKey::new(routing_key))?;
        let options = js(options(&options_obj))?;
        Ok(EventsClient {
            events: options.events(),
            key,
            options,
        })
    }

    /// A trigger; `random` is 16 fresh random bytes for a generated dedup_key.
    pub fn trigger(&self, event: JsValue, random: &[u8]) -> Result<Exchange, JsValue> {
        self.exchange(value(&event, "event").and_then(|v| {
            let t = trigger_from_json(&v)?;
            self.events.trigger(&self.key, &t, seed(random)?)
        }))
    }

    /// Acknowledges the alert with this dedup_key.
    pub fn acknowledge(&self, dedup_key: &str) -> Result<Exchange, JsValue> {
        self.exchange(self.events.acknowledge(&self.key, dedup_key))
    }

    /// Resolves the alert with this dedup_key.
    pub fn resolve(&self, dedup_key: &str) -> Result<Exchange, JsValue> {
        self.exchange(self.events.resolve(&self.key, dedup_key))
    }

    /// A change event.
    pub fn change(&self, event: JsValue) -> Result<Exchange, JsValue> {
        self.exchange(value(&event, "event").and_then(|v| {
            let c = change_from_json(&v)?;
            self.events.change(&self.key, &c)
        }))
    }

    /// A legacy Events API v1 event (`action`: trigger, acknowledge or resolve).
    pub fn v1(&self, action: &str, event: JsValue, random: &[u8]) -> Result<Exchange, JsValue> {
        self.exchange(Action::parse(action).and_then(|a| {
            let e = v1_from_json(&value(&event, "event")?)?;
            self.events.v1(&self.key, a, &e, seed(random)?)
        }))
    }
}
