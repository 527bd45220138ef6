# Banking: Überschreibungen von Katalogtexten (locales/de.ftl); gleiche Schlüssel und Variablen.
sign-in = Sicher anmelden
sign-in-to = Melden Sie sich sicher an, um mit { $client } fortzufahren. Wir fragen Sie nie per Telefon oder E-Mail nach Ihrem Passwort.
signed-out-text = Sie wurden abgemeldet. Schließen Sie zu Ihrer Sicherheit dieses Browserfenster, wenn Sie das Gerät mit anderen teilen.
