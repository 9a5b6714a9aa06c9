//! The page's keyboard: one `keydown` listener on the document, which asks
//! [`crate::page::keys`] what a key means where it was pressed and, for a key the page takes,
//! keeps the browser from also scrolling or pressing something.

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Element, KeyboardEvent};

use crate::page::keys::{self, Command, Target};

/// A registered listener; dropping it unregisters it.
pub struct KeyListener {
    handler: Closure<dyn Fn(KeyboardEvent)>,
}

impl KeyListener {
    /// Calls `on_command` for every player key pressed anywhere on the page; it answers
    /// whether the page takes the key (a view without a player leaves Home and the arrows to
    /// its own controls).
    pub fn start(on_command: impl Fn(Command) -> bool + 'static) -> Option<KeyListener> {
        let handler = Closure::<dyn Fn(KeyboardEvent)>::new(move |e: KeyboardEvent| {
            let modified = e.ctrl_key() || e.meta_key() || e.alt_key();
            if let Some(c) = keys::command(&e.key(), modified, target_of(&e)) {
                if on_command(c) {
                    e.prevent_default();
                }
            }
        });
        let document = web_sys::window()?.document()?;
        document
            .add_event_listener_with_callback("keydown", handler.as_ref().unchecked_ref())
            .ok()?;
        Some(KeyListener { handler })
    }
}

impl Drop for KeyListener {
    fn drop(&mut self) {
        if let Some(d) = web_sys::window().and_then(|w| w.document()) {
            let _ = d.remove_event_listener_with_callback(
                "keydown",
                self.handler.as_ref().unchecked_ref(),
            );
        }
    }
}

fn target_of(e: &KeyboardEvent) -> Target {
    let Some(el) = e.target().and_then(|t| t.dyn_into::<Element>().ok()) else {
        return Target::Other;
    };
    match el.tag_name().to_ascii_uppercase().as_str() {
        "TEXTAREA" | "SELECT" => Target::Text,
        "INPUT" if el.get_attribute("type").as_deref() == Some("range") => Target::Range,
        "INPUT" => Target::Text,
        "BUTTON" | "A" | "SUMMARY" => Target::Button,
        _ if el.get_attribute("contenteditable").is_some() => Target::Text,
        _ => Target::Other,
    }
}
