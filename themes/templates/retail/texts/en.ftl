# Retail: friendly, social copy (overrides of locales/en.ftl; same keys and variables).
sign-in-to = Welcome back! Sign in to continue to { $client }.
create-account-link = New here? Create an account in seconds
register-title = Join us
register-submit = Create my account
