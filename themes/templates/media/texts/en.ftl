# Media: overrides of locales/en.ftl (same keys and variables).
sign-in-to = Sign in to pick up where you left off on { $client }.
create-account-link = Create a free account
register-title = Create your free account
