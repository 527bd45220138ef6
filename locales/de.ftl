# Portcullis-Texte: Deutsch (förmliche Anrede „Sie“).

## Anmeldung

sign-in = Anmelden
sign-in-to = Melden Sie sich an, um zu { $client } zu gelangen.
username-or-email = Benutzername oder E-Mail-Adresse
password = Passwort
bad-credentials = Benutzername oder Passwort ist falsch.
too-many-attempts = Zu viele fehlgeschlagene Versuche. Bitte warten Sie 15 Minuten oder setzen Sie Ihr Passwort zurück.
too-many-codes = Für diese Adresse oder aus Ihrem Netzwerk wurden zu viele Codes angefordert. Bitte warten Sie eine Stunde und versuchen Sie es dann erneut.
wait-seconds = { $n ->
    [one] Mehrere Versuche sind fehlgeschlagen. Bitte warten Sie eine Sekunde, bevor Sie es erneut versuchen.
   *[other] Mehrere Versuche sind fehlgeschlagen. Bitte warten Sie { $n } Sekunden, bevor Sie es erneut versuchen.
}
forgot-password = Passwort vergessen?
create-account-link = Konto erstellen

## Einwilligung

consent-title = Zugriff erlauben?
consent-intro = { $client } möchte:
allow = Erlauben
deny = Ablehnen
scope-openid = Wissen, wer Sie sind
scope-profile = Ihren Namen und Ihr Profil sehen
scope-email = Ihre E-Mail-Adresse sehen
scope-phone = Ihre Telefonnummer sehen
scope-address = Ihre Postanschrift sehen
scope-offline-access = Auch dann zugreifen, wenn Sie nicht angemeldet sind
scope-admin = Konten und Einstellungen dieser Organisation in Ihrem Namen verwalten
scope-admin-warning = Damit erhält die Anwendung Ihre Administratorrechte. Erlauben Sie das nur einem Verwaltungswerkzeug, dem Sie vertrauen.
scope-other = Weiteren Zugriff auf Ihr Konto

## Abmeldung

signed-out = Abgemeldet
signed-out-text = Sie wurden abgemeldet.
sign-out-title = Abmelden
sign-out-question = Möchten Sie sich abmelden?
sign-out = Abmelden

## Fehler

error-title = Etwas ist schiefgelaufen
error-code = Fehlercode
error-details = Technische Details
error-reference = Referenz: { $reference }
form-expired = Dieses Formular ist abgelaufen. Bitte beginnen Sie von vorn.
form-expired-flow = Dieses Formular ist abgelaufen. Bitte kehren Sie zur Anwendung zurück und versuchen Sie es erneut.
flow-expired = Diese Anmeldung ist abgelaufen oder nicht mehr gültig. Bitte kehren Sie zur Anwendung zurück und versuchen Sie es erneut.
code-expired = Dieser Code ist abgelaufen oder wurde zu oft falsch eingegeben. Bitte beginnen Sie von vorn.
client-gone = Diese Anwendung ist nicht mehr verfügbar.
sign-in-first = Bitte melden Sie sich zuerst an.
choose-allow-deny = Bitte wählen Sie „Erlauben“ oder „Ablehnen“.
no-registration = Bei dieser Anwendung ist keine Registrierung möglich.
not-found = Diese Seite gibt es nicht.
bad-request = Die Anwendung hat eine Anfrage gesendet, die nicht verarbeitet werden kann. Bitte kehren Sie zur Anwendung zurück und versuchen Sie es erneut.
unavailable = Der Dienst ist vorübergehend nicht erreichbar. Bitte versuchen Sie es gleich noch einmal.
internal-error = Bei uns ist ein Fehler aufgetreten. Bitte versuchen Sie es später erneut.
sample-error = Dies ist ein Beispiel für eine Fehlermeldung.

## Registrierung

register-title = Konto erstellen
register-submit = Konto erstellen
optional = (optional)
have-account = Sie haben bereits ein Konto? Anmelden
label-username = Benutzername
label-email = E-Mail-Adresse
label-phone = Telefonnummer
claim-given-name = Vorname
claim-family-name = Nachname
claim-middle-name = Zweiter Vorname
claim-nickname = Spitzname
claim-preferred-username = Bevorzugter Benutzername
claim-birthdate = Geburtsdatum
claim-gender = Geschlecht
claim-zoneinfo = Zeitzone
claim-locale = Sprache
claim-website = Website
claim-profile = Profilseite
claim-picture = Bild
field-required = Bitte füllen Sie dieses Feld aus.
field-taken = Dies wird bereits verwendet. Bitte wählen Sie etwas anderes.
field-invalid = Bitte überprüfen Sie diese Angabe.
form-problem = Bitte korrigieren Sie die unten markierten Angaben.
password-invalid = Dieses Passwort erfüllt diese Anforderungen nicht:

## Passwortregeln

rule-min-length = { $n ->
    [one] Mindestens ein Zeichen
   *[other] Mindestens { $n } Zeichen
}
rule-max-length = { $n ->
    [one] Höchstens ein Zeichen
   *[other] Höchstens { $n } Zeichen
}
rule-lowercase = Ein Kleinbuchstabe
rule-uppercase = Ein Großbuchstabe
rule-digit = Eine Ziffer
rule-symbol = Ein Sonderzeichen, etwa ! oder %
rule-identifier = Nicht Ihr Benutzername, Ihre E-Mail-Adresse oder Ihre Telefonnummer
rule-common = Kein häufig verwendetes Passwort
rule-history-one = Nicht Ihr bisheriges Passwort
rule-history = Keines Ihrer letzten { $n } Passwörter

## Codes

verify-title = Adresse bestätigen
reset-confirm-title = Neues Passwort wählen
code-intro = Falls { $address } zu einem Konto gehört, haben wir einen 6-stelligen Code dorthin gesendet. Der Code ist { $minutes } Minuten lang gültig.
code-label = Code
new-password = Neues Passwort
continue-button = Weiter
resend = Neuen Code senden
code-resent = Wir haben Ihnen einen neuen Code gesendet.
resend-limited = Es wurden zu viele Codes angefordert. Bitte warten Sie eine Stunde oder verwenden Sie den zuletzt erhaltenen Code.
code-wrong = { $left ->
    [one] Dieser Code ist nicht richtig. Sie haben noch einen Versuch.
   *[other] Dieser Code ist nicht richtig. Sie haben noch { $left } Versuche.
}

## Passwort zurücksetzen

reset-title = Passwort zurücksetzen
reset-intro = Wir senden einen Code an die E-Mail-Adresse oder Telefonnummer Ihres Kontos.
reset-identifier = E-Mail-Adresse oder Telefonnummer
reset-not-address = Bitte geben Sie die E-Mail-Adresse oder Telefonnummer Ihres Kontos ein.
send-code = Code senden
password-changed-title = Passwort geändert
password-changed-text = Ihr Passwort wurde geändert und Sie wurden überall abgemeldet. Melden Sie sich mit Ihrem neuen Passwort an.

## Aktivierung

activate-title = Konto aktivieren
activate-submit = Aktivieren
activated-title = Konto aktiviert
activated-text = Ihr Konto ist eingerichtet. Kehren Sie zur Anwendung zurück, um sich anzumelden.
activation-link-expired = Dieser Aktivierungslink ist abgelaufen oder wurde bereits verwendet.

## E-Mail und SMS

mail-activation-subject = Ihr Aktivierungscode
mail-activation-text = Ihr Aktivierungscode lautet { $code }. Er ist { $minutes } Minuten lang gültig.
mail-reset-subject = Passwort zurücksetzen
mail-reset-text = Ihr Code zum Zurücksetzen des Passworts lautet { $code }. Er ist { $minutes } Minuten lang gültig.
mail-reset-link = Oder öffnen Sie diesen Link, um ein neues Passwort zu wählen:
mail-existing-subject = Sie haben bereits ein Konto
mail-existing-text = Jemand hat versucht, mit dieser Adresse ein Konto zu erstellen, doch Sie haben bereits eines. Sie können sich anmelden oder Ihr Passwort zurücksetzen, falls Sie es vergessen haben.
mail-existing-link = Passwort zurücksetzen
mail-invite-subject = Aktivieren Sie Ihr Konto
mail-invite-text = { $days ->
    [one] Für Sie wurde ein Konto eingerichtet. Bitte aktivieren Sie es innerhalb eines Tages.
   *[other] Für Sie wurde ein Konto eingerichtet. Bitte aktivieren Sie es innerhalb von { $days } Tagen.
}
mail-invite-link = Konto aktivieren
mail-signin-subject = Ihr Anmeldecode
mail-signin-text = Ihr Anmeldecode lautet { $code }. Er ist { $minutes } Minuten lang gültig. Falls Sie sich gerade nicht anmelden, kennt jemand anderes Ihr Passwort: Bitte ändern Sie es.
sms-signin = { $code } ist Ihr Anmeldecode. Er ist { $minutes } Minuten lang gültig. Nicht Sie? Ändern Sie Ihr Passwort.
mail-ignore = Falls Sie dies nicht angefordert haben, können Sie diese Nachricht ignorieren.
mail-signature = { $sender }
sms-activation = { $code } ist Ihr Aktivierungscode. Er ist { $minutes } Minuten lang gültig.
sms-reset = { $code } ist Ihr Code zum Zurücksetzen des Passworts. Er ist { $minutes } Minuten lang gültig.

## Zweite Faktoren: TOTP, Wiederherstellungscodes, Auswahl

mfa-wrong-code-last = Dieser Code ist ungültig oder wurde schon verwendet. Nach einem weiteren falschen Code wird diese Methode für 15 Minuten gesperrt.
mfa-recovery-used-one = Dieser Code ist jetzt verbraucht. Sie haben noch 1 Wiederherstellungscode.
mfa-recovery-used-none = Dieser Code ist jetzt verbraucht. Es war Ihr letzter Wiederherstellungscode.
mfa-choice-title = Bestätigen Sie, dass Sie es sind
mfa-choice-intro = Wählen Sie, wie Sie Ihre Anmeldung bestätigen möchten.
mfa-choice-enrol-title = Zweiten Faktor einrichten
mfa-choice-enrol-intro = Für dieses Konto ist nach dem Passwort ein zweiter Schritt nötig. Wählen Sie, was Sie einrichten möchten.
mfa-factor-totp = Authenticator-App
mfa-factor-webauthn = Passkey
mfa-factor-email-otp = Code per E-Mail
mfa-factor-sms-otp = Code per SMS
mfa-factor-recovery-code = Wiederherstellungscode
mfa-totp-title = Code aus Ihrer App eingeben
mfa-totp-intro = Öffnen Sie Ihre Authenticator-App und geben Sie den 6-stelligen Code ein, den sie für dieses Konto anzeigt.
mfa-code-label = Code
mfa-verify = Bestätigen
mfa-wrong-code = Dieser Code ist ungültig oder wurde schon verwendet. Nach { $n } weiteren falschen Codes wird diese Methode für 15 Minuten gesperrt.
mfa-use-recovery-code = Gerät verloren? Wiederherstellungscode verwenden
mfa-use-other = Andere Methode verwenden
mfa-recovery-title = Wiederherstellungscode eingeben
mfa-recovery-intro = Geben Sie einen der Wiederherstellungscodes ein, die Sie beim Einrichten Ihres zweiten Faktors gespeichert haben. Jeder Code funktioniert einmal.
mfa-recovery-label = Wiederherstellungscode
mfa-enrol-totp-title = Authenticator-App einrichten
mfa-enrol-totp-intro = Scannen Sie den QR-Code mit Ihrer Authenticator-App oder geben Sie den Schlüssel unten ein. Geben Sie dann den 6-stelligen Code ein, den die App anzeigt.
mfa-enrol-totp-qr = QR-Code zum Scannen mit Ihrer Authenticator-App
mfa-enrol-totp-link = In einer Authenticator-App auf diesem Gerät öffnen
mfa-enrol-totp-secret = Schlüssel zum Eintippen
mfa-enrol-wrong-code = Dieser Code passt nicht. Prüfen Sie, ob die Uhrzeit Ihres Geräts stimmt, und geben Sie den Code ein, den die App jetzt anzeigt.
mfa-recovery-codes-title = Speichern Sie Ihre Wiederherstellungscodes
mfa-recovery-codes-intro = Wenn Sie Ihren zweiten Faktor verlieren, meldet Sie jeder dieser Codes einmal an. Sie werden nur jetzt angezeigt: Kopieren oder laden Sie sie herunter und bewahren Sie sie sicher auf.
mfa-recovery-codes-copy = Ihre Codes zum Kopieren
mfa-recovery-codes-download = Als Textdatei herunterladen
mfa-recovery-codes-file = wiederherstellungscodes.txt
mfa-continue = Weiter
mfa-recovery-used-title = Wiederherstellungscode verwendet
mfa-recovery-used-left = Dieser Code ist jetzt verbraucht. Sie haben noch { $n } Wiederherstellungscodes.
mfa-recovery-used-setup = Richten Sie so bald wie möglich eine neue Authenticator-App oder einen Passkey ein (in Ihren Kontoeinstellungen, oder bitten Sie Ihre Administration, Ihre zweiten Faktoren zurückzusetzen).
mfa-locked-title = Zu viele falsche Codes
mfa-locked-text = { $n ->
    [one] Diese Anmeldemethode ist nach zu vielen falschen Codes gesperrt. Bitte versuchen Sie es nach { $time } Uhr UTC erneut (in einer Minute).
   *[other] Diese Anmeldemethode ist nach zu vielen falschen Codes gesperrt. Bitte versuchen Sie es nach { $time } Uhr UTC erneut (in { $n } Minuten).
}
mfa-not-available = Dieser Schritt ist für diese Anmeldung nicht verfügbar. Bitte kehren Sie zur Anwendung zurück und versuchen Sie es erneut.
mfa-locked-hard-text = Diese Anmeldemethode ist nach zu vielen falschen Codes gesperrt. Melden Sie sich mit einem Wiederherstellungscode oder einer anderen Methode an, um sie zu entsperren, oder bitten Sie Ihre Administration, Ihre zweiten Faktoren zurückzusetzen.
mfa-locked-mail-subject = Eine Anmeldemethode Ihres Kontos wurde gesperrt
mfa-locked-mail-text = Ihre Anmeldemethode „{ $factor }“ wurde nach mehreren falschen Codes gesperrt. Möglicherweise versucht jemand, der Ihr Passwort kennt, sich anzumelden: Wenn Sie das nicht waren, ändern Sie jetzt Ihr Passwort.
mfa-recovery-download-gone = Der Download ist nicht mehr verfügbar: Die Codes wurden nur einmal angeboten, mit der Seite, die sie zeigte.
mfa-recovery-codes-shown = Ihre Wiederherstellungscodes wurden einmal angezeigt, auf der vorigen Seite. Wenn Sie sie nicht gespeichert haben, fahren Sie fort und bitten Sie Ihre Administration, Ihre zweiten Faktoren zurückzusetzen, um neue zu erhalten.

## Codes per E-Mail und SMS als zweiter Faktor

email-otp-title = Prüfen Sie Ihre E-Mails
email-otp-intro = Wir haben einen 6-stelligen Anmeldecode an { $to } gesendet. Er läuft in { $n } Minuten ab.
sms-otp-title = Prüfen Sie Ihr Telefon
sms-otp-intro = Wir haben einen 6-stelligen Anmeldecode per SMS an { $to } gesendet. Er läuft in { $n } Minuten ab.
otp-code-label = Anmeldecode
otp-continue = Weiter
otp-resend = Neuen Code senden
otp-resent = Wir haben einen neuen Code gesendet.
otp-error-summary = Es gibt ein Problem
otp-missing = Geben Sie den 6-stelligen Code ein, den wir Ihnen gesendet haben.
otp-wrong = { $n ->
    [one] Dieser Code ist nicht richtig. Noch 1 Versuch.
   *[other] Dieser Code ist nicht richtig. Noch { $n } Versuche.
}
otp-locked = Zu viele falsche Codes. Fordern Sie einen neuen Code an.

## Passkeys

passkey-sign-in = Mit einem Passkey anmelden
passkey-or = oder
passkey-title = Mit Ihrem Passkey bestätigen
passkey-intro = Verwenden Sie den Passkey auf diesem Gerät oder Ihren Sicherheitsschlüssel: Fingerabdruck, Gesicht oder Displaysperre bestätigen, dass Sie es sind.
passkey-use = Passkey verwenden
passkey-enrol-title = Passkey erstellen
passkey-enrol-intro = Mit einem Passkey melden Sie sich mit Fingerabdruck, Gesicht oder Displaysperre statt mit einem Passwort an. Er bleibt auf Ihrem Gerät oder Sicherheitsschlüssel.
passkey-create = Passkey erstellen
passkey-failed = Der Passkey konnte nicht verwendet werden. Bitte versuchen Sie es erneut oder wählen Sie einen anderen Weg.
passkey-refused = Dieser Passkey kann hier nicht verwendet werden.
passkey-expired = Diese Passkey-Anfrage ist abgelaufen. Bitte versuchen Sie es erneut.
passkey-unsupported = Dieser Browser kann hier keine Passkeys verwenden, oder JavaScript ist ausgeschaltet.
passkey-other-way = Einen anderen Weg verwenden
passkey-no-other-way = Ohne Passkey kehren Sie bitte zur Anwendung zurück und melden sich erneut an.

## Theme studio
# (end of studio texts)

## Page polish
error-summary-title = Bitte prüfen Sie Ihre Eingaben
label-email-or-phone = E-Mail-Adresse oder Telefonnummer
not-you = Nicht Sie? Mit einem anderen Konto anmelden
cancel = Abbrechen
still-signed-in-title = Sie sind weiterhin angemeldet
still-signed-in-text = Es wurde nichts geändert. Sie können diese Seite schließen oder zur Anwendung zurückkehren.
show-password = Passwort anzeigen
hide-password = Passwort verbergen
terms-link = Nutzungsbedingungen
privacy-link = Datenschutzerklärung
back-to-app = Zurück zu { $app }
signed-in-as = Angemeldet als { $user }.
sign-out-question-app = { $app } möchte Sie abmelden. Möchten Sie sich abmelden?
error-in-field = { $field }: { $error }
# (end of polish texts)

## Theme folders and templates
# (end of theme folder texts)
