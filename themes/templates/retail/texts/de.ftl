# Einzelhandel: freundliche, persönliche Texte (Überschreibungen von locales/de.ftl).
sign-in-to = Schön, dass du wieder da bist! Melde dich an, um mit { $client } fortzufahren.
create-account-link = Neu hier? In wenigen Sekunden ein Konto erstellen
register-title = Mach mit
register-submit = Mein Konto erstellen
