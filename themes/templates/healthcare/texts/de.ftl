# Gesundheitswesen: vertrauensvolle Texte (Überschreibungen von locales/de.ftl).
sign-in-to = Melden Sie sich an, um mit { $client } fortzufahren. Ihre Gesundheitsdaten bleiben vertraulich.
signed-out-text = Sie wurden abgemeldet. Wenn Sie dieses Gerät mit anderen teilen, schließen Sie das Browserfenster, um Ihre Gesundheitsdaten zu schützen.
