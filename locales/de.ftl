# Portcullis-Texte: Deutsch (förmliche Anrede „Sie“).

## Anmeldung

sign-in = Anmelden
sign-in-to = Melden Sie sich an, um mit { $client } fortzufahren.
username-or-email = Benutzername oder E-Mail-Adresse
password = Passwort
bad-credentials = Der Benutzername oder das Passwort ist falsch.
too-many-attempts = Zu viele fehlgeschlagene Versuche. Bitte warten Sie 15 Minuten oder setzen Sie Ihr Passwort zurück.
too-many-codes = Für diese Adresse oder aus Ihrem Netzwerk wurden zu viele Codes angefordert. Bitte warten Sie eine Stunde und versuchen Sie es dann erneut.
wait-seconds = { $n ->
    [one] Mehrere Anmeldeversuche sind fehlgeschlagen. Bitte warten Sie eine Sekunde, bevor Sie es erneut versuchen.
   *[other] Mehrere Anmeldeversuche sind fehlgeschlagen. Bitte warten Sie { $n } Sekunden, bevor Sie es erneut versuchen.
}
forgot-password = Passwort vergessen?
create-account-link = Konto erstellen

## Einwilligung

consent-title = Zugriff erlauben?
consent-intro = { $client } möchte:
allow = Erlauben
deny = Ablehnen
scope-openid = Erfahren, wer Sie sind
scope-profile = Ihren Namen und Ihre Profilangaben sehen
scope-email = Ihre E-Mail-Adresse sehen
scope-phone = Ihre Telefonnummer sehen
scope-address = Ihre Postanschrift sehen
scope-offline-access = Auch dann zugreifen, wenn Sie nicht angemeldet sind
scope-admin = Konten und Einstellungen dieser Organisation in Ihrem Namen verwalten
scope-admin-warning = Damit erhält die Anwendung Ihre Administratorrechte. Erlauben Sie das nur einem Verwaltungswerkzeug, dem Sie vertrauen.
scope-other = Weitere Zugriffe auf Ihr Konto erhalten

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
form-expired = Dieses Formular ist abgelaufen. Bitte beginnen Sie noch einmal von vorn.
form-expired-flow = Dieses Formular ist abgelaufen. Bitte kehren Sie zur Anwendung zurück und versuchen Sie es erneut.
flow-expired = Diese Anmeldung ist abgelaufen oder nicht mehr gültig. Bitte kehren Sie zur Anwendung zurück und versuchen Sie es erneut.
code-expired = Dieser Code ist abgelaufen oder wurde zu oft falsch eingegeben. Bitte beginnen Sie noch einmal von vorn.
client-gone = Diese Anwendung ist nicht mehr verfügbar.
sign-in-first = Bitte melden Sie sich zuerst an.
choose-allow-deny = Bitte wählen Sie „Erlauben“ oder „Ablehnen“.
no-registration = Bei dieser Anwendung ist keine Registrierung möglich.
not-found = Diese Seite wurde nicht gefunden.
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
claim-picture = Profilbild
field-required = Bitte füllen Sie dieses Feld aus.
field-taken = Diese Angabe ist bereits vergeben. Bitte wählen Sie eine andere.
field-invalid = Bitte überprüfen Sie diese Angabe.
form-problem = Bitte korrigieren Sie die unten markierten Angaben.
password-invalid = Das Passwort erfüllt folgende Anforderungen nicht:

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
rule-symbol = Ein Sonderzeichen wie ! oder %
rule-identifier = Nicht Ihr Benutzername, Ihre E-Mail-Adresse oder Ihre Telefonnummer
rule-common = Kein häufig verwendetes Passwort
rule-history-one = Nicht Ihr bisheriges Passwort
rule-history = { $n ->
    [one] Nicht Ihr bisheriges Passwort
   *[other] Keines Ihrer letzten { $n } Passwörter
}

## Codes

verify-title = Adresse bestätigen
reset-confirm-title = Neues Passwort festlegen
code-intro = Falls { $address } zu einem Konto gehört, haben wir dorthin einen 6-stelligen Code gesendet. Der Code ist { $minutes ->
    [one] eine Minute
   *[other] { $minutes } Minuten
} lang gültig.
code-label = Code
new-password = Neues Passwort
continue-button = Weiter
resend = Neuen Code senden
code-resent = Wir haben Ihnen einen neuen Code gesendet.
resend-limited = Es wurden zu viele Codes angefordert. Bitte warten Sie eine Stunde oder verwenden Sie den zuletzt erhaltenen Code.
code-wrong = { $left ->
    [one] Der Code ist falsch. Sie haben noch einen Versuch.
   *[other] Der Code ist falsch. Sie haben noch { $left } Versuche.
}

## Passwort zurücksetzen

reset-title = Passwort zurücksetzen
reset-intro = Wir senden Ihnen einen Code an die E-Mail-Adresse oder Telefonnummer Ihres Kontos.
reset-identifier = E-Mail-Adresse oder Telefonnummer
reset-not-address = Bitte geben Sie die E-Mail-Adresse oder Telefonnummer Ihres Kontos ein.
send-code = Code senden
password-changed-title = Passwort geändert
password-changed-text = Ihr Passwort wurde geändert, und Sie wurden auf allen Geräten abgemeldet. Melden Sie sich mit Ihrem neuen Passwort an.

## Aktivierung

activate-title = Konto aktivieren
activate-submit = Aktivieren
activated-title = Konto aktiviert
activated-text = Ihr Konto ist jetzt bereit. Kehren Sie zur Anwendung zurück, um sich anzumelden.
activation-link-expired = Dieser Aktivierungslink ist abgelaufen oder wurde bereits verwendet.

## E-Mail und SMS

mail-activation-subject = Ihr Aktivierungscode
mail-activation-text = Ihr Aktivierungscode lautet { $code }. Er ist { $minutes ->
    [one] eine Minute
   *[other] { $minutes } Minuten
} lang gültig.
mail-reset-subject = Passwort zurücksetzen
mail-reset-text = Ihr Code zum Zurücksetzen des Passworts lautet { $code }. Er ist { $minutes ->
    [one] eine Minute
   *[other] { $minutes } Minuten
} lang gültig.
mail-reset-link = Oder öffnen Sie diesen Link, um ein neues Passwort festzulegen:
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
mail-signin-text = Ihr Anmeldecode lautet { $code }. Er ist { $minutes ->
    [one] eine Minute
   *[other] { $minutes } Minuten
} lang gültig. Falls Sie sich gerade nicht selbst anmelden, kennt eine andere Person Ihr Passwort. Bitte ändern Sie es umgehend.
sms-signin = { $code } ist Ihr Anmeldecode. Er ist { $minutes ->
    [one] eine Minute
   *[other] { $minutes } Minuten
} gültig. Das waren nicht Sie? Ändern Sie Ihr Passwort.
mail-ignore = Falls Sie dies nicht angefordert haben, können Sie diese Nachricht ignorieren.
mail-signature = { $sender }
sms-activation = { $code } ist Ihr Aktivierungscode. Er ist { $minutes ->
    [one] eine Minute
   *[other] { $minutes } Minuten
} gültig.
sms-reset = { $code } ist Ihr Code zum Zurücksetzen des Passworts. Er ist { $minutes ->
    [one] eine Minute
   *[other] { $minutes } Minuten
} gültig.

## Zweite Faktoren: TOTP, Wiederherstellungscodes, Auswahl

mfa-wrong-code-last = Dieser Code ist ungültig oder wurde bereits verwendet. Nach einem weiteren falschen Code wird diese Methode für 15 Minuten gesperrt.
mfa-recovery-used-one = Dieser Code ist damit verbraucht. Sie haben noch einen Wiederherstellungscode.
mfa-recovery-used-none = Dieser Code ist damit verbraucht. Es war Ihr letzter Wiederherstellungscode.
mfa-choice-title = Bestätigen Sie Ihre Identität
mfa-choice-intro = Wählen Sie, wie Sie Ihre Anmeldung bestätigen möchten.
mfa-choice-enrol-title = Zweiten Faktor einrichten
mfa-choice-enrol-intro = Für dieses Konto ist nach dem Passwort ein zweiter Schritt erforderlich. Wählen Sie die Methode, die Sie einrichten möchten.
mfa-factor-totp = Authenticator-App
mfa-factor-webauthn = Passkey
mfa-factor-email-otp = Code per E-Mail
mfa-factor-sms-otp = Code per SMS
mfa-factor-recovery-code = Wiederherstellungscode
mfa-totp-title = Code aus Ihrer App eingeben
mfa-totp-intro = Öffnen Sie Ihre Authenticator-App und geben Sie den 6-stelligen Code ein, den sie für dieses Konto anzeigt.
mfa-code-label = Code
mfa-verify = Bestätigen
mfa-wrong-code = { $n ->
    [one] Dieser Code ist ungültig oder wurde bereits verwendet. Nach einem weiteren falschen Code wird diese Methode für 15 Minuten gesperrt.
   *[other] Dieser Code ist ungültig oder wurde bereits verwendet. Nach { $n } weiteren falschen Codes wird diese Methode für 15 Minuten gesperrt.
}
mfa-use-recovery-code = Gerät verloren? Wiederherstellungscode verwenden
mfa-use-other = Andere Methode verwenden
mfa-recovery-title = Wiederherstellungscode eingeben
mfa-recovery-intro = Geben Sie einen der Wiederherstellungscodes ein, die Sie beim Einrichten Ihres zweiten Faktors gespeichert haben. Jeder Code kann nur einmal verwendet werden.
mfa-recovery-label = Wiederherstellungscode
mfa-enrol-totp-title = Authenticator-App einrichten
mfa-enrol-totp-intro = Scannen Sie den QR-Code mit Ihrer Authenticator-App oder geben Sie den Schlüssel unten ein. Geben Sie dann den 6-stelligen Code ein, den die App anzeigt.
mfa-enrol-totp-qr = QR-Code zum Scannen mit Ihrer Authenticator-App
mfa-enrol-totp-link = In einer Authenticator-App auf diesem Gerät öffnen
mfa-enrol-totp-secret = Schlüssel zur manuellen Eingabe
mfa-enrol-wrong-code = Der Code stimmt nicht. Prüfen Sie, ob die Uhrzeit auf Ihrem Gerät richtig eingestellt ist, und geben Sie den Code ein, den die App jetzt anzeigt.
mfa-recovery-codes-title = Speichern Sie Ihre Wiederherstellungscodes
mfa-recovery-codes-intro = Falls Sie Ihren zweiten Faktor verlieren, können Sie sich mit jedem dieser Codes einmal anmelden. Die Codes werden nur jetzt angezeigt: Kopieren Sie sie oder laden Sie sie herunter, und bewahren Sie sie an einem sicheren Ort auf.
mfa-recovery-codes-copy = Ihre Codes zum Kopieren
mfa-recovery-codes-download = Als Textdatei herunterladen
mfa-recovery-codes-file = wiederherstellungscodes.txt
mfa-continue = Weiter
mfa-recovery-used-title = Wiederherstellungscode verwendet
mfa-recovery-used-left = { $n ->
    [one] Dieser Code ist damit verbraucht. Sie haben noch einen Wiederherstellungscode.
   *[other] Dieser Code ist damit verbraucht. Sie haben noch { $n } Wiederherstellungscodes.
}
mfa-recovery-used-setup = Richten Sie so bald wie möglich in Ihren Kontoeinstellungen eine neue Authenticator-App oder einen Passkey ein, oder bitten Sie Ihren Administrator, Ihre Zwei-Faktor-Anmeldung zurückzusetzen.
mfa-locked-title = Zu viele falsche Codes
mfa-locked-text = { $n ->
    [one] Diese Anmeldemethode wurde nach zu vielen falschen Codes gesperrt. Bitte versuchen Sie es ab { $time } Uhr UTC erneut (in einer Minute).
   *[other] Diese Anmeldemethode wurde nach zu vielen falschen Codes gesperrt. Bitte versuchen Sie es ab { $time } Uhr UTC erneut (in { $n } Minuten).
}
mfa-not-available = Dieser Schritt ist für diese Anmeldung nicht verfügbar. Bitte kehren Sie zur Anwendung zurück und versuchen Sie es erneut.
mfa-locked-hard-text = Diese Anmeldemethode wurde nach zu vielen falschen Codes gesperrt. Um sie zu entsperren, melden Sie sich mit einem Wiederherstellungscode oder einer anderen Methode an, oder bitten Sie Ihren Administrator, Ihre Zwei-Faktor-Anmeldung zurückzusetzen.
mfa-locked-mail-subject = Eine Anmeldemethode Ihres Kontos wurde gesperrt
mfa-locked-mail-text = Ihre Anmeldemethode „{ $factor }“ wurde nach mehreren falschen Codes gesperrt. Möglicherweise versucht jemand, der Ihr Passwort kennt, sich anzumelden. Falls Sie das nicht waren, ändern Sie bitte sofort Ihr Passwort.
mfa-recovery-download-gone = Der Download ist nicht mehr verfügbar: Die Codes wurden nur einmal angeboten, zusammen mit der Seite, auf der sie angezeigt wurden.
mfa-recovery-codes-shown = Ihre Wiederherstellungscodes wurden nur einmal angezeigt, auf der vorherigen Seite. Falls Sie sie nicht gespeichert haben, fahren Sie fort und bitten Sie Ihren Administrator, Ihre Zwei-Faktor-Anmeldung zurückzusetzen, damit Sie neue Codes erhalten.

## Codes per E-Mail und SMS als zweiter Faktor

email-otp-title = Prüfen Sie Ihre E-Mails
email-otp-intro = Wir haben einen 6-stelligen Anmeldecode an { $to } gesendet. Er ist { $n ->
    [one] eine Minute
   *[other] { $n } Minuten
} lang gültig.
sms-otp-title = Prüfen Sie Ihre SMS
sms-otp-intro = Wir haben einen 6-stelligen Anmeldecode per SMS an { $to } gesendet. Er ist { $n ->
    [one] eine Minute
   *[other] { $n } Minuten
} lang gültig.
otp-code-label = Anmeldecode
otp-continue = Weiter
otp-resend = Neuen Code senden
otp-resent = Wir haben Ihnen einen neuen Code gesendet.
otp-error-summary = Es ist ein Problem aufgetreten
otp-missing = Geben Sie den 6-stelligen Code ein, den wir Ihnen gesendet haben.
otp-wrong = { $n ->
    [one] Der Code ist falsch. Sie haben noch einen Versuch.
   *[other] Der Code ist falsch. Sie haben noch { $n } Versuche.
}
otp-locked = Zu viele falsche Codes. Bitte fordern Sie einen neuen Code an.

## Passkeys

passkey-sign-in = Mit einem Passkey anmelden
passkey-or = oder
passkey-title = Mit Ihrem Passkey bestätigen
passkey-intro = Verwenden Sie den Passkey auf diesem Gerät oder Ihren Sicherheitsschlüssel: Mit Fingerabdruck, Gesichtserkennung oder Displaysperre bestätigen Sie, dass Sie es sind.
passkey-use = Passkey verwenden
passkey-enrol-title = Passkey erstellen
passkey-enrol-intro = Mit einem Passkey melden Sie sich statt mit einem Passwort per Fingerabdruck, Gesichtserkennung oder Displaysperre an. Der Passkey bleibt auf Ihrem Gerät oder Sicherheitsschlüssel.
passkey-create = Passkey erstellen
passkey-failed = Der Passkey konnte nicht verwendet werden. Bitte versuchen Sie es erneut oder wählen Sie eine andere Methode.
passkey-refused = Dieser Passkey kann hier nicht verwendet werden.
passkey-expired = Diese Passkey-Anfrage ist abgelaufen. Bitte versuchen Sie es erneut.
passkey-unsupported = Dieser Browser unterstützt hier keine Passkeys, oder JavaScript ist deaktiviert.
passkey-other-way = Andere Methode verwenden
passkey-no-other-way = Wenn Sie keinen Passkey verwenden können, kehren Sie bitte zur Anwendung zurück und melden Sie sich erneut an.

## Theme studio

studio-title = Theme-Studio
studio-signed-in-as = Angemeldet als { $user }
studio-sign-out = Abmelden
studio-signed-out-title = Sie haben das Studio verlassen
studio-signed-out-text = Ihre Studio-Sitzung ist beendet. Gespeicherte Entwürfe bleiben erhalten.
studio-sign-in-again = Erneut anmelden
studio-continue = Weiter zum Studio
studio-signed-in-title = Sie sind angemeldet
studio-not-set-up-title = Das Theme-Studio ist noch nicht eingerichtet
studio-not-set-up-text = Zum Freischalten registriert ein Administrator einen öffentlichen Client dieser Organisation mit dieser Weiterleitungs-URI:
studio-refused-title = Kein Zugang zum Theme-Studio
studio-refused-text = Ihr Konto darf die Themes dieser Organisation nicht ändern. Ein Administrator kann Ihnen das Recht „tenant-admin“ erteilen.
studio-expired-title = Die Anmeldung wurde nicht abgeschlossen
studio-expired-text = Sie wurde abgebrochen, hat zu lange gedauert oder wurde in einem anderen Fenster begonnen. Bitte beginnen Sie von vorn.
studio-needs-js = Das Theme-Studio benötigt JavaScript. Bitte aktivieren Sie es für diese Website.
studio-editing = Zu bearbeitende Ebene
studio-layer-tenant = Gesamte Organisation (alle Workspaces)
studio-layer-workspace = Workspace: { $name }
studio-layer-client = App: { $name } (Workspace { $workspace })
studio-status-draft = Sie bearbeiten Ihren gespeicherten Entwurf. Besucher sehen weiterhin das veröffentlichte Theme.
studio-status-published = Kein Entwurf: Sie beginnen mit dem veröffentlichten Theme.
studio-status-new = Hier ist noch nichts veröffentlicht: Alle Einstellungen werden geerbt.
studio-unsaved = Nicht gespeicherte Änderungen.
studio-brand = Marke
studio-product-name = Produktname
studio-logo = Logo
studio-favicon = Favicon
studio-background = Hintergrundbild
studio-upload-hint = PNG, WebP oder SVG.
studio-remove = Entfernen
studio-inherited = Geerbt
studio-layout = Layout
studio-layout-centered = Karte in der Mitte
studio-layout-split = Markenfläche neben der Karte
studio-scheme = Farbschema
studio-scheme-auto = Der Geräteeinstellung folgen
studio-scheme-light = Immer hell
studio-scheme-dark = Immer dunkel
studio-colours = Farben
studio-light = Hell
studio-dark = Dunkel
studio-reset = Zurücksetzen
studio-color-primary = Schaltflächen und Markenfläche
studio-color-primary-contrast = Text auf Schaltflächen
studio-color-background = Seitenhintergrund
studio-color-surface = Kartenhintergrund
studio-color-text = Text
studio-color-muted = Nebentext
studio-color-error = Fehler
studio-color-border = Rahmen
studio-color-link = Links
studio-color-success = Erfolgsmeldungen
studio-color-warning = Warnungen
studio-color-info = Hinweise
studio-color-focus = Fokusrahmen
studio-type = Schrift und Form
studio-font = Schrift
studio-font-system = Systemschrift
studio-font-neo = Neutrale Serifenlose (Helvetica, Arial)
studio-font-geometric = Geometrische Serifenlose (Avenir, Montserrat)
studio-font-humanist = Humanistische Serifenlose (Optima, Candara)
studio-font-serif = Serifenschrift (Charter, Cambria)
studio-font-oldstyle = Klassische Serifenschrift (Palatino)
studio-font-mono = Festbreitenschrift
studio-font-upload = Eigene Schrift (WOFF2-Datei)
studio-font-family-name = Name Ihrer Schrift
studio-radius = Eckenradius (px)
studio-card-width = Kartenbreite (rem)
studio-logo-height = Logohöhe (rem)
studio-texts = Texte
studio-texts-locale = Sprache
studio-texts-search = Text suchen
studio-texts-hint = Lassen Sie ein Feld leer, um den darin gezeigten Text zu behalten. Wörter in geschweiften Klammern bleiben, wie sie sind: Die Seite setzt sie ein.
studio-texts-none = Kein Text passt zu Ihrer Suche.
studio-locale-en = Englisch
studio-locale-de = Deutsch
studio-locale-fr = Französisch
studio-locale-es = Spanisch
studio-locale-ar = Arabisch
studio-save = Entwurf speichern
studio-publish = Veröffentlichen
studio-discard = Entwurf verwerfen
studio-saved = Entwurf gespeichert.
studio-published = Veröffentlicht. Besucher sehen jetzt diese Version.
studio-discarded = Entwurf verworfen.
studio-restored = Version wiederhergestellt und veröffentlicht.
studio-uploaded = Datei hochgeladen.
studio-problems = Bitte prüfen Sie diese Einstellungen:
studio-failed = Das hat nicht geklappt. Bitte versuchen Sie es noch einmal.
studio-session-over = Ihre Studio-Sitzung ist beendet. Laden Sie die Seite neu, um sich wieder anzumelden.
studio-confirm-switch = Sie haben nicht gespeicherte Änderungen. Trotzdem die Ebene wechseln und die Änderungen verwerfen?
studio-versions = Veröffentlichte Versionen
studio-versions-none = Noch nichts veröffentlicht.
studio-version = Version
studio-restore = Wiederherstellen
studio-current = Jetzt live
studio-restores = wiederhergestellt aus Version
studio-preview = Vorschau
studio-preview-in = Vorschau im Workspace
studio-preview-page = Seite
studio-preview-refused = Die Vorschau kann diese Einstellungen noch nicht zeigen:
studio-width = Breite
studio-desktop = Desktop
studio-mobile = Mobil
studio-mode = Modus
studio-busy-title = Zu viele Anmeldungen begonnen
studio-busy-text = Von Ihrem Netzwerk aus wurden zu oft Anmeldungen am Studio begonnen. Bitte warten Sie einige Minuten und versuchen Sie es dann noch einmal.

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
unnamed-app = Eine Anwendung
unnamed-app-of = Eine bei { $workspace } registrierte Anwendung
# (end of polish texts)

## Theme folders and templates

theme-serve-title = Theme-Vorschau: { $folder }
theme-serve-intro = Alle Seiten mit diesem Theme-Ordner, mit Beispieldaten, in jeder Sprache, hell und dunkel. Eine Seite lädt sich von selbst neu, sobald sich eine Datei im Ordner ändert.
theme-serve-page = Seite
theme-serve-light = Hell
theme-serve-dark = Dunkel
theme-serve-problems = Dieser Theme-Ordner kann noch nicht verwendet werden
theme-serve-problems-hint = Beheben Sie die unten aufgeführten Probleme. Diese Seite lädt sich von selbst neu, wenn Sie eine Datei speichern.
theme-serve-file = Datei
theme-serve-setting = Einstellung
theme-serve-problem = Problem
theme-serve-wrong-host = Diese Vorschau antwortet nur auf diesem Rechner, unter localhost, 127.0.0.1 oder [::1] mit Port { $port }.
# (end of theme folder texts)
