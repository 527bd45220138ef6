# Medien: Überschreibungen von locales/de.ftl (gleiche Schlüssel und Variablen).
sign-in-to = Melden Sie sich an und machen Sie bei { $client } dort weiter, wo Sie aufgehört haben.
create-account-link = Kostenloses Konto erstellen
register-title = Kostenloses Konto erstellen
