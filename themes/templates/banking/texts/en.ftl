# Banking: overrides of catalogue texts (locales/en.ftl); same keys and variables.
sign-in = Secure sign-in
sign-in-to = Sign in securely to continue to { $client }. We will never ask for your password by phone or email.
signed-out-text = You have been signed out. For your security, close this browser window if you share this device.
