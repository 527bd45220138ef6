# Portcullis texts: English (the reference catalogue and the run-time fallback).
# Keys are declared in src/texts/mod.rs (catalogue!); every locale has every key, with
# the same variables. See docs/architecture.md, "Texts".

## Sign-in

sign-in = Sign in
sign-in-to = Sign in to continue to { $client }.
username-or-email = Username or email address
password = Password
bad-credentials = Incorrect username or password.
too-many-attempts = Too many failed attempts. Please wait 15 minutes, or reset your password.
too-many-codes = Too many codes were requested for this address or from your network. Please wait an hour and try again.
wait-seconds = { $n ->
    [one] Several attempts failed. Please wait one second before you try again.
   *[other] Several attempts failed. Please wait { $n } seconds before you try again.
}
forgot-password = Forgot your password?
create-account-link = Create an account

## Consent

consent-title = Allow access?
consent-intro = { $client } would like to:
allow = Allow
deny = Deny
scope-openid = Know who you are
scope-profile = See your name and profile
scope-email = See your email address
scope-phone = See your phone number
scope-address = See your postal address
scope-offline-access = Keep access while you are away
scope-admin = Manage accounts and settings of this organisation in your name
scope-admin-warning = This gives the application your administrator rights. Only allow it for an administration tool you trust.
scope-other = Other access to your account

## Sign-out

signed-out = Signed out
signed-out-text = You have been signed out.
sign-out-title = Sign out
sign-out-question = Do you want to sign out?
sign-out = Sign out

## Errors

error-title = Something went wrong
error-code = Error code
error-details = Technical details
error-reference = Reference: { $reference }
form-expired = This form has expired. Please start again.
form-expired-flow = This form has expired. Please return to the application and try again.
flow-expired = This sign-in has expired or is no longer valid. Please return to the application and try again.
code-expired = This code has expired or has been tried too often. Please start again.
client-gone = This application is no longer available.
sign-in-first = Please sign in first.
choose-allow-deny = Please choose Allow or Deny.
no-registration = This application does not offer registration.
not-found = This page does not exist.
bad-request = The application sent a request that cannot be processed. Please return to the application and try again.
unavailable = The service is temporarily unavailable. Please try again in a moment.
internal-error = Something went wrong on our side. Please try again later.
sample-error = This is an example of an error message.

## Registration

register-title = Create your account
register-submit = Create account
optional = (optional)
have-account = Already have an account? Sign in
label-username = Username
label-email = Email address
label-phone = Phone number
claim-given-name = First name
claim-family-name = Last name
claim-middle-name = Middle name
claim-nickname = Nickname
claim-preferred-username = Preferred username
claim-birthdate = Date of birth
claim-gender = Gender
claim-zoneinfo = Time zone
claim-locale = Language
claim-website = Website
claim-profile = Profile page
claim-picture = Picture
field-required = Please fill in this field.
field-taken = This is already in use. Please choose another.
field-invalid = Please check this entry.
form-problem = Please correct the entries marked below.
password-invalid = This password does not meet these requirements:

## Password rules

rule-min-length = { $n ->
    [one] At least one character
   *[other] At least { $n } characters
}
rule-max-length = { $n ->
    [one] At most one character
   *[other] At most { $n } characters
}
rule-lowercase = A lowercase letter
rule-uppercase = An uppercase letter
rule-digit = A digit
rule-symbol = A symbol, such as ! or %
rule-identifier = Not your username, email address or phone number
rule-common = Not a commonly used password
rule-history-one = Not your previous password
rule-history = Not one of your last { $n } passwords

## Codes

verify-title = Confirm your address
reset-confirm-title = Choose a new password
code-intro = If { $address } belongs to an account, we have sent a 6-digit code to it. The code expires in { $minutes } minutes.
code-label = Code
new-password = New password
continue-button = Continue
resend = Send a new code
code-resent = We have sent you a new code.
resend-limited = Too many codes have been requested. Please wait an hour, or use the last code you received.
code-wrong = { $left ->
    [one] That code is not correct. You have one attempt left.
   *[other] That code is not correct. You have { $left } attempts left.
}

## Password reset

reset-title = Reset your password
reset-intro = We will send a code to the email address or phone number of your account.
reset-identifier = Email address or phone number
reset-not-address = Please enter the email address or phone number of your account.
send-code = Send code
password-changed-title = Password changed
password-changed-text = Your password has been changed and you have been signed out everywhere. Sign in with your new password.

## Activation

activate-title = Activate your account
activate-submit = Activate
activated-title = Account activated
activated-text = Your account is ready. Return to the application to sign in.
activation-link-expired = This activation link has expired or has already been used.

## Mail and SMS

mail-activation-subject = Your activation code
mail-activation-text = Your activation code is { $code }. It expires in { $minutes } minutes.
mail-reset-subject = Reset your password
mail-reset-text = Your password reset code is { $code }. It expires in { $minutes } minutes.
mail-reset-link = Or open this link to choose a new password:
mail-existing-subject = You already have an account
mail-existing-text = Someone tried to create an account with this address, but you already have one. You can sign in, or reset your password if you have forgotten it.
mail-existing-link = Reset your password
mail-invite-subject = Activate your account
mail-invite-text = { $days ->
    [one] An account has been created for you. Please activate it within one day.
   *[other] An account has been created for you. Please activate it within { $days } days.
}
mail-invite-link = Activate your account
mail-signin-subject = Your sign-in code
mail-signin-text = Your sign-in code is { $code }. It expires in { $minutes } minutes. If you are not signing in right now, someone else knows your password: please change it.
sms-signin = { $code } is your sign-in code. It expires in { $minutes } minutes. Not you? Change your password.
mail-ignore = If you did not ask for this, you can ignore this message.
mail-signature = { $sender }
sms-activation = { $code } is your activation code. It expires in { $minutes } minutes.
sms-reset = { $code } is your password reset code. It expires in { $minutes } minutes.

## Second factors: TOTP, recovery codes, factor choice

mfa-wrong-code-last = That code is not valid, or it was used already. One more wrong code locks this method for 15 minutes.
mfa-recovery-used-one = That code is now spent. You have 1 recovery code left.
mfa-recovery-used-none = That code is now spent. It was your last recovery code.
mfa-choice-title = Confirm it is you
mfa-choice-intro = Choose how you want to confirm your sign-in.
mfa-choice-enrol-title = Set up a second factor
mfa-choice-enrol-intro = This account needs a second step after the password. Choose what you want to set up.
mfa-factor-totp = Authenticator app
mfa-factor-webauthn = Passkey
mfa-factor-email-otp = Code by email
mfa-factor-sms-otp = Code by text message
mfa-factor-recovery-code = Recovery code
mfa-totp-title = Enter the code from your app
mfa-totp-intro = Open your authenticator app and enter the 6-digit code it shows for this account.
mfa-code-label = Code
mfa-verify = Verify
mfa-wrong-code = That code is not valid, or it was used already. { $n } more wrong codes lock this method for 15 minutes.
mfa-use-recovery-code = Lost your device? Use a recovery code
mfa-use-other = Use another method
mfa-recovery-title = Enter a recovery code
mfa-recovery-intro = Enter one of the recovery codes you saved when you set up your second factor. Each code works once.
mfa-recovery-label = Recovery code
mfa-enrol-totp-title = Set up an authenticator app
mfa-enrol-totp-intro = Scan the QR code with your authenticator app, or type in the key below. Then enter the 6-digit code the app shows.
mfa-enrol-totp-qr = QR code to scan with your authenticator app
mfa-enrol-totp-link = Open in an authenticator app on this device
mfa-enrol-totp-secret = Key to type in
mfa-enrol-wrong-code = That code does not match. Check that the time on your device is right and enter the code the app shows now.
mfa-recovery-codes-title = Save your recovery codes
mfa-recovery-codes-intro = If you lose your second factor, each of these codes signs you in once. They are shown only now: copy or download them and keep them somewhere safe.
mfa-recovery-codes-copy = Your codes, to copy
mfa-recovery-codes-download = Download as a text file
mfa-recovery-codes-file = recovery-codes.txt
mfa-continue = Continue
mfa-recovery-used-title = Recovery code used
mfa-recovery-used-left = That code is now spent. You have { $n } recovery codes left.
mfa-recovery-used-setup = Set up a new authenticator app or passkey as soon as you can (in your account settings, or ask your administrator to reset your second factors).
mfa-locked-title = Too many wrong codes
mfa-locked-text = { $n ->
    [one] This sign-in method is locked after too many wrong codes. Please try again after { $time } UTC (in one minute).
   *[other] This sign-in method is locked after too many wrong codes. Please try again after { $time } UTC (in { $n } minutes).
}
mfa-not-available = This step is not available for this sign-in. Please return to the application and try again.
mfa-locked-hard-text = This sign-in method is locked after too many wrong codes. Sign in with a recovery code or another method to unlock it, or ask your administrator to reset your second factors.
mfa-locked-mail-subject = A sign-in method of your account was locked
mfa-locked-mail-text = Your sign-in method "{ $factor }" was locked after several wrong codes. Someone who knows your password may be trying to sign in: if it was not you, change your password now.
mfa-recovery-download-gone = The download is no longer available: the codes were offered only once, with the page that showed them.
mfa-recovery-codes-shown = Your recovery codes were shown once, on the page before. If you did not save them, continue, and ask your administrator to reset your second factors to get new ones.

## Email and SMS codes as second factors

email-otp-title = Check your email
email-otp-intro = We sent a 6-digit sign-in code to { $to }. It expires in { $n } minutes.
sms-otp-title = Check your phone
sms-otp-intro = We sent a 6-digit sign-in code by text message to { $to }. It expires in { $n } minutes.
otp-code-label = Sign-in code
otp-continue = Continue
otp-resend = Send a new code
otp-resent = We sent a new code.
otp-error-summary = There is a problem
otp-missing = Enter the 6-digit code we sent you.
otp-wrong = { $n ->
    [one] That code is not right. 1 attempt left.
   *[other] That code is not right. { $n } attempts left.
}
otp-locked = Too many wrong codes. Ask for a new code.

## Passkeys

passkey-sign-in = Sign in with a passkey
passkey-or = or
passkey-title = Confirm with your passkey
passkey-intro = Use the passkey on this device or your security key: your fingerprint, face or screen lock confirms that it is you.
passkey-use = Use passkey
passkey-enrol-title = Create a passkey
passkey-enrol-intro = A passkey lets you sign in with your fingerprint, face or screen lock instead of a password. It stays on your device or security key.
passkey-create = Create passkey
passkey-failed = The passkey could not be used. Please try again, or choose another way.
passkey-refused = This passkey cannot be used here.
passkey-expired = This passkey request has expired. Please try again.
passkey-unsupported = This browser cannot use passkeys here, or JavaScript is turned off.
passkey-other-way = Use another way
passkey-no-other-way = Without a passkey, please return to the application and sign in again.

## Theme studio

studio-title = Theme studio
studio-signed-in-as = Signed in as { $user }
studio-sign-out = Sign out
studio-signed-out-title = You have left the studio
studio-signed-out-text = Your studio session has ended. Saved drafts are kept.
studio-sign-in-again = Sign in again
studio-continue = Continue to the studio
studio-signed-in-title = You are signed in
studio-not-set-up-title = The theme studio is not set up yet
studio-not-set-up-text = An administrator turns it on by registering a public client of this organisation with this redirect URI:
studio-refused-title = No access to the theme studio
studio-refused-text = Your account may not change this organisation’s themes. An administrator can give you the tenant-admin privilege.
studio-expired-title = The sign-in did not complete
studio-expired-text = It was cancelled, took too long, or was started in another window. Please start again.
studio-needs-js = The theme studio needs JavaScript. Please turn it on for this site.
studio-editing = Layer to edit
studio-layer-tenant = Whole organisation (every workspace)
studio-layer-workspace = Workspace: { $name }
studio-layer-client = App: { $name } (workspace { $workspace })
studio-status-draft = You are editing your saved draft. Visitors still see the published theme.
studio-status-published = No draft: you are starting from the published theme.
studio-status-new = Nothing is published here yet: every setting is inherited.
studio-unsaved = Unsaved changes.
studio-brand = Brand
studio-product-name = Product name
studio-logo = Logo
studio-favicon = Favicon
studio-background = Background image
studio-upload-hint = PNG, WebP or SVG.
studio-remove = Remove
studio-inherited = Inherited
studio-layout = Layout
studio-layout-centered = Card in the centre
studio-layout-split = Brand panel beside the card
studio-scheme = Colour scheme
studio-scheme-auto = Follow the device setting
studio-scheme-light = Always light
studio-scheme-dark = Always dark
studio-colours = Colours
studio-light = Light
studio-dark = Dark
studio-reset = Reset
studio-color-primary = Buttons and brand panel
studio-color-primary-contrast = Text on buttons
studio-color-background = Page background
studio-color-surface = Card background
studio-color-text = Text
studio-color-muted = Secondary text
studio-color-error = Errors
studio-color-border = Borders
studio-color-link = Links
studio-color-success = Success messages
studio-color-warning = Warnings
studio-color-info = Information
studio-color-focus = Focus ring
studio-type = Type and shape
studio-font = Font
studio-font-system = System font
studio-font-neo = Neutral sans-serif (Helvetica, Arial)
studio-font-geometric = Geometric sans-serif (Avenir, Montserrat)
studio-font-humanist = Humanist sans-serif (Optima, Candara)
studio-font-serif = Serif (Charter, Cambria)
studio-font-oldstyle = Classic serif (Palatino)
studio-font-mono = Monospace
studio-font-upload = Your own font (WOFF2 file)
studio-font-family-name = Name of your font
studio-radius = Corner radius (px)
studio-card-width = Card width (rem)
studio-logo-height = Logo height (rem)
studio-texts = Texts
studio-texts-locale = Language
studio-texts-search = Find a text
studio-texts-hint = Leave a field empty to keep the text shown in it. Keep words in curly brackets as they are: the page fills them in.
studio-texts-none = No text matches your search.
studio-locale-en = English
studio-locale-de = German
studio-locale-fr = French
studio-locale-es = Spanish
studio-locale-ar = Arabic
studio-save = Save draft
studio-publish = Publish
studio-discard = Discard draft
studio-saved = Draft saved.
studio-published = Published. Visitors now see this version.
studio-discarded = Draft discarded.
studio-restored = Version restored and published.
studio-uploaded = File uploaded.
studio-problems = Please check these settings:
studio-failed = That did not work. Please try again.
studio-session-over = Your studio session has ended. Reload the page to sign in again.
studio-confirm-switch = You have unsaved changes. Switch layers and lose them?
studio-versions = Published versions
studio-versions-none = Nothing published yet.
studio-version = Version
studio-restore = Restore
studio-current = Live now
studio-restores = restored from version
studio-preview = Preview
studio-preview-in = Preview in workspace
studio-preview-page = Page
studio-preview-refused = The preview cannot show these settings yet:
studio-width = Width
studio-desktop = Desktop
studio-mobile = Mobile
studio-mode = Mode
studio-busy-title = Too many sign-ins started
studio-busy-text = Sign-ins to the studio were started too often from your network. Please wait a few minutes and try again.

# (end of studio texts)

## Page polish
error-summary-title = There is a problem
label-email-or-phone = Email address or phone number
not-you = Not you? Use another account
cancel = Cancel
still-signed-in-title = You are still signed in
still-signed-in-text = Nothing has changed. You can close this page or return to the application.
show-password = Show password
hide-password = Hide password
terms-link = Terms of use
privacy-link = Privacy policy
back-to-app = Back to { $app }
signed-in-as = Signed in as { $user }.
sign-out-question-app = { $app } wants to sign you out. Do you want to sign out?
error-in-field = { $field }: { $error }
unnamed-app = An application
unnamed-app-of = An application registered with { $workspace }
# (end of polish texts)

## Theme folders and templates

theme-serve-title = Theme preview: { $folder }
theme-serve-intro = Every page with this theme folder applied, filled with sample data, in every language, light and dark. A page reloads by itself when a file of the folder changes.
theme-serve-page = Page
theme-serve-light = Light
theme-serve-dark = Dark
theme-serve-problems = This theme folder cannot be used yet
theme-serve-problems-hint = Fix what is listed below. This page reloads by itself when you save a file.
theme-serve-file = File
theme-serve-setting = Setting
theme-serve-problem = Problem
theme-serve-wrong-host = This preview answers only on this computer, at localhost, 127.0.0.1 or [::1] with port { $port }.
# (end of theme folder texts)
