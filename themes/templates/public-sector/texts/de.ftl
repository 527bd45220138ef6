# Öffentliche Verwaltung: einfache Sprache (Überschreibungen von locales/de.ftl).
sign-in-to = Melden Sie sich an, um { $client } zu nutzen.
create-account-link = Konto für Online-Dienste erstellen
signed-out-text = Sie wurden abgemeldet. Wenn Sie einen öffentlichen oder gemeinsam genutzten Computer verwenden, schließen Sie jetzt den Browser.
