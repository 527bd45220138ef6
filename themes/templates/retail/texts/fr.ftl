# Commerce : un ton chaleureux (textes remplaçant ceux de locales/fr.ftl).
sign-in-to = Bon retour parmi nous ! Connectez-vous pour accéder à { $client }.
create-account-link = Nouveau ? Créez un compte en quelques secondes
register-title = Rejoignez-nous
register-submit = Créer mon compte
