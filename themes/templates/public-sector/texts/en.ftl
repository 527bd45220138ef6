# Public sector: plain language (overrides of locales/en.ftl; same keys and variables).
sign-in-to = Sign in to use { $client }.
create-account-link = Create an account to use online services
signed-out-text = You have been signed out. If you are using a public or shared computer, close the browser now.
