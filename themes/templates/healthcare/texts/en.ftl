# Healthcare: reassuring copy (overrides of locales/en.ftl; same keys and variables).
sign-in-to = Sign in to continue to { $client }. Your health information stays private.
signed-out-text = You have been signed out. If this device is shared, close this browser window to protect your health information.
