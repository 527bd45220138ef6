//! The core services a request needs, each built from the application state with only the
//! stores it uses: the protocol modules never see `AppState`.
use crate::protocol::introspection::Introspection;
use crate::protocol::token::TokenService;
use crate::state::AppState;

pub fn tokens(state: &AppState) -> TokenService<'_> {
    TokenService {
        grants: state.grants.as_ref(),
        users: state.users.as_ref(),
        pools: state.pools.as_ref(),
        audit: state.audit.as_ref(),
        sessions: &state.sessions,
        keys: &state.keys,
        clock: state.clock.as_ref(),
        ttl: &state.config.ttl,
    }
}

pub fn introspection(state: &AppState) -> Introspection<'_> {
    Introspection { grants: state.grants.as_ref(), keys: &state.keys, clock: state.clock.as_ref() }
}
