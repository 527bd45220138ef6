//! The sign-in engine: everything between `/authorize` and the redirect back to the
//! client, HTTP-free.
//!
//! - `flow`: the flow as a state machine (`Started → Identified → Challenged →
//!   Authenticated → Consented → Done`, diagram there), pure guarded transitions.
//! - `engine`: feeds events to a flow and carries out what they ask for.
//! - `authenticator`: factor checks within the throttle (`throttle`), and creating or
//!   upgrading the single sign-on session (`session`).
//! - `factors`: one module per factor behind the `Factor` trait; `password` first.
//!
//! Every stage is stored in the session store, so the next request may reach any node.
//! Who may do what: only the browser that started a flow may advance it (browser binding
//! and CSRF token, `Flow::accepts`); only a passed factor check moves it towards a
//! session; consent only follows authentication; a finished flow takes no more events.
pub mod adaptive;
pub mod assurance;
pub mod authenticator;
pub mod engine;
pub mod factors;
pub mod flow;
pub mod passkeys;
pub mod second;

pub mod session;
pub mod throttle;

pub use authenticator::{Authenticator, Origin, Realm, Verdict};
pub use engine::{Advanced, Context, Destination, Engine, Risk, Signals};
pub use flow::{Decision, Event, Flow, Next, Policy, Refused, Stage};
