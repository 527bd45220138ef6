# Médias : textes remplaçant ceux de locales/fr.ftl (mêmes clés, mêmes variables).
sign-in-to = Connectez-vous pour reprendre là où vous en étiez sur { $client }.
create-account-link = Créer un compte gratuit
register-title = Créez votre compte gratuit
